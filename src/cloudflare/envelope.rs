//! Cloudflare's JSON envelope, parsed leniently: only the fields the action reads, unknown ones ignored.

use serde::Deserialize;
use serde_json::Value;

/// One entry of `errors[]` or `messages[]`, with its `error_chain` when Cloudflare sends one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default)]
pub struct CfMessage {
    #[serde(deserialize_with = "lenient_code")]
    pub code: i64,
    #[serde(deserialize_with = "lenient_string")]
    pub message: String,
    pub error_chain: Vec<CfMessage>,
}

impl CfMessage {
    pub fn new(code: i64, message: &str) -> Self {
        CfMessage {
            code,
            message: message.to_string(),
            error_chain: Vec::new(),
        }
    }

    /// This message and its chain as `code "message"` strings.
    pub fn flatten(&self) -> Vec<String> {
        let mut out = vec![format!("{} \"{}\"", self.code, self.message)];
        out.extend(self.error_chain.iter().flat_map(CfMessage::flatten));
        out
    }

    /// Whether this message or one in its chain has the code.
    pub fn has_code(&self, code: i64) -> bool {
        self.code == code || self.error_chain.iter().any(|e| e.has_code(code))
    }
}

fn lenient_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().unwrap_or_default(),
        Value::String(s) => s.parse().unwrap_or_default(),
        _ => 0,
    })
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// The envelope as read off the wire. Some answers (429, 1012) are a bare `{"code","message"}`.
#[derive(Debug, Deserialize)]
struct RawEnvelope {
    success: Option<Value>,
    #[serde(default)]
    errors: Option<Value>,
    #[serde(default)]
    result: Option<Value>,
    code: Option<Value>,
    message: Option<Value>,
}

/// What a body said, before the result is typed.
#[derive(Debug)]
pub enum Parsed {
    Success(Value),
    Errors(Vec<CfMessage>),
    /// Not Cloudflare's envelope: the text says what it was.
    Foreign(String),
}

pub fn parse(body: &[u8]) -> Parsed {
    let Ok(raw) = serde_json::from_slice::<RawEnvelope>(body) else {
        return Parsed::Foreign(describe_foreign(body));
    };
    match raw.success {
        Some(Value::Bool(true)) => Parsed::Success(raw.result.unwrap_or(Value::Null)),
        Some(Value::Bool(false)) => Parsed::Errors(errors_of(raw.errors)),
        Some(_) => Parsed::Foreign("a JSON body whose \"success\" is not true or false".into()),
        None if raw.code.is_some() => {
            let single = serde_json::json!({"code": raw.code, "message": raw.message});
            Parsed::Errors(errors_of(Some(Value::Array(vec![single]))))
        }
        None => Parsed::Foreign("a JSON body without \"success\"".into()),
    }
}

fn errors_of(value: Option<Value>) -> Vec<CfMessage> {
    match value {
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| serde_json::from_value(v).unwrap_or_default())
            .collect(),
        _ => Vec::new(),
    }
}

/// A short, safe description of a body that is not JSON.
pub fn describe_foreign(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]);
    let lower = text.to_ascii_lowercase();
    if body.is_empty() {
        "an empty body".into()
    } else if lower.contains("<html") || lower.contains("<!doctype") {
        "an HTML page".into()
    } else if text.trim_start().starts_with('{') || text.trim_start().starts_with('[') {
        "JSON that does not parse (truncated or malformed)".into()
    } else {
        format!("{} bytes of non-JSON text", body.len())
    }
}

pub fn is_html(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    text.contains("<html") || text.contains("<!doctype")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_envelope_errors_with_chain() {
        let body = br#"{"success":false,"errors":[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}],"messages":[],"result":null}"#;
        let Parsed::Errors(errors) = parse(body) else {
            panic!("not errors")
        };
        assert!(errors[0].has_code(6111));
        assert_eq!(errors[0].flatten().len(), 2);
    }

    #[test]
    fn reads_bare_code_message_bodies() {
        let body =
            br#"{"code":971,"message":"Please wait and consider throttling your request speed"}"#;
        let Parsed::Errors(errors) = parse(body) else {
            panic!("not errors")
        };
        assert_eq!(errors[0].code, 971);
    }

    #[test]
    fn html_and_garbage_are_foreign() {
        assert!(
            matches!(parse(b"<html><body>502</body></html>"), Parsed::Foreign(s) if s.contains("HTML"))
        );
        assert!(matches!(parse(b"{\"success\":tr"), Parsed::Foreign(s) if s.contains("truncated")));
        assert!(matches!(
            parse(b"{\"success\":\"yes\"}"),
            Parsed::Foreign(_)
        ));
    }
}
