//! Cloudflare's JSON envelope, parsed leniently: only the fields the action reads, unknown ones ignored.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// One entry of `errors[]` or `messages[]`, with its `error_chain` when Cloudflare sends one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default)]
pub struct CfMessage {
    #[serde(deserialize_with = "lenient_code")]
    pub(crate) code: i64,
    #[serde(deserialize_with = "lenient_string")]
    pub(crate) message: String,
    pub(crate) error_chain: Vec<CfMessage>,
    /// The page Cloudflare names for this error (`response_info.documentation_url`), or empty.
    #[serde(deserialize_with = "lenient_string")]
    pub(crate) documentation_url: String,
}

impl CfMessage {
    // Read by the docs renderers and the tests only.
    #[cfg_attr(not(feature = "docs"), allow(dead_code))]
    pub fn new(code: i64, message: &str) -> Self {
        CfMessage {
            code,
            message: message.to_string(),
            error_chain: Vec::new(),
            documentation_url: String::new(),
        }
    }

    /// This message and its chain as `code "message"` strings.
    pub(crate) fn flatten(&self) -> Vec<String> {
        let mut out = vec![format!("{} \"{}\"", self.code, self.message)];
        out.extend(self.error_chain.iter().flat_map(CfMessage::flatten));
        out
    }

    /// Every `documentation_url` of this message and its chain.
    pub(crate) fn documentation(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Some(self.documentation_url.as_str())
            .filter(|u| !u.is_empty())
            .into_iter()
            .collect();
        out.extend(self.error_chain.iter().flat_map(CfMessage::documentation));
        out
    }

    /// Whether this message or one in its chain has the code.
    pub(crate) fn has_code(&self, code: i64) -> bool {
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
/// `result` stays text until its type is known: typed once, straight from the body.
#[derive(Debug, Deserialize)]
struct RawEnvelope<'a> {
    success: Option<Value>,
    #[serde(default)]
    errors: Option<Value>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
    code: Option<Value>,
    message: Option<Value>,
}

/// What a body said, before the result is typed.
#[derive(Debug)]
pub(crate) enum Parsed<'a> {
    /// `result`'s JSON text (`null` when there was none).
    Success(&'a str),
    Errors(Vec<CfMessage>),
    /// Not Cloudflare's envelope.
    Foreign(BodyKind),
}

/// What a body that is not Cloudflare's envelope was, told from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Empty,
    Html,
    /// JSON that does not parse: cut off or malformed.
    BrokenJson,
    /// `bytes` of something that is not JSON at all.
    Text {
        bytes: usize,
    },
    /// JSON without `success` (and not the bare `{code, message}` form).
    NoSuccess,
    /// `success` that is neither true nor false.
    OddSuccess,
}

impl BodyKind {
    /// Sniff a body that did not parse as the envelope.
    pub(crate) fn of(body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(&body[..body.len().min(512)]);
        let lower = text.to_ascii_lowercase();
        let start = text.trim_start();
        if body.is_empty() {
            BodyKind::Empty
        } else if lower.contains("<html") || lower.contains("<!doctype") {
            BodyKind::Html
        } else if serde_json::from_slice::<Value>(body).is_ok() {
            // JSON, but not an object of Cloudflare's envelope (`[]`, a string, a number).
            BodyKind::NoSuccess
        } else if start.starts_with('{') || start.starts_with('[') {
            BodyKind::BrokenJson
        } else {
            BodyKind::Text { bytes: body.len() }
        }
    }
}

/// A successful envelope's result typed in one pass over the body: the common answer. `None`
/// for anything else (a refusal, another shape), which [`parse`] then reads leniently.
pub(crate) fn success<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    #[derive(Deserialize)]
    struct Typed<T> {
        success: bool,
        result: T,
    }
    serde_json::from_slice::<Typed<T>>(body)
        .ok()
        .and_then(|typed| typed.success.then_some(typed.result))
}

pub fn parse(body: &[u8]) -> Parsed<'_> {
    let Ok(raw) = serde_json::from_slice::<RawEnvelope>(body) else {
        return Parsed::Foreign(BodyKind::of(body));
    };
    match raw.success {
        Some(Value::Bool(true)) => Parsed::Success(raw.result.map_or("null", RawValue::get)),
        Some(Value::Bool(false)) => Parsed::Errors(errors_of(raw.errors)),
        Some(_) => Parsed::Foreign(BodyKind::OddSuccess),
        None if raw.code.is_some() => {
            let single = serde_json::json!({"code": raw.code, "message": raw.message});
            Parsed::Errors(errors_of(Some(Value::Array(vec![single]))))
        }
        None => Parsed::Foreign(BodyKind::NoSuccess),
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
    fn a_success_is_typed_in_one_pass_and_anything_else_left_to_the_lenient_reading() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Id {
            id: String,
        }
        let ok = br#"{"success":true,"errors":[],"messages":[],"result":{"id":"a1","extra":[1]}}"#;
        assert_eq!(success::<Id>(ok), Some(Id { id: "a1".into() }));
        let refused = br#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"result":null}"#;
        assert_eq!(success::<Id>(refused), None);
        assert_eq!(success::<Id>(br#"{"success":true,"result":null}"#), None);
        assert_eq!(success::<Option<Id>>(br#"{"success":true}"#), Some(None));
        assert_eq!(success::<Id>(b"<html>502</html>"), None);
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
    fn reads_documentation_urls() {
        let body = br#"{"success":false,"errors":[{"code":1134,"message":"Unable to purge, rate limit reached","documentation_url":"https://developers.cloudflare.com/cache/how-to/purge-cache/#rate-limits"}]}"#;
        let Parsed::Errors(errors) = parse(body) else {
            panic!("not errors")
        };
        assert_eq!(
            errors[0].documentation(),
            ["https://developers.cloudflare.com/cache/how-to/purge-cache/#rate-limits"]
        );
    }

    #[test]
    fn html_and_garbage_are_foreign() {
        let kind = |body: &[u8]| match parse(body) {
            Parsed::Foreign(kind) => Some(kind),
            _ => None,
        };
        assert_eq!(kind(b"<html><body>502</body></html>"), Some(BodyKind::Html));
        assert_eq!(kind(b"{\"success\":tr"), Some(BodyKind::BrokenJson));
        assert_eq!(kind(b"{\"success\":\"yes\"}"), Some(BodyKind::OddSuccess));
        assert_eq!(kind(b"{}"), Some(BodyKind::NoSuccess));
        assert_eq!(kind(b"nope"), Some(BodyKind::Text { bytes: 4 }));
        assert_eq!(kind(b""), Some(BodyKind::Empty));
    }
}
