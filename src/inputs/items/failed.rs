//! The `failed` output's line for one item, both ways: `encode` writes an item so that `files`
//! reads it back as the same item, `decode` reads such a JSON item (or a file's own JSON form).

use serde_json::Value;

use super::given::{Given, Headers};
use crate::cloudflare::ItemKind;
use crate::inputs::quote::safe_quote;

/// How the `failed` output names an item: a file as it is, in its JSON form when it has cache-key
/// headers or a comma (which the list syntax would split); an item of another kind as
/// `{"tag": …}`, `{"host": …}`, `{"prefix": …}`, and `{"purge_everything": true}`.
pub(crate) fn encode(kind: ItemKind, text: &str, headers: Option<&Headers>) -> String {
    let key = kind.facts().failed_key;
    match (kind, headers) {
        (ItemKind::Everything, _) => serde_json::json!({ key: true }).to_string(),
        (ItemKind::Files, Some(headers)) => {
            serde_json::json!({ key: text, "headers": headers }).to_string()
        }
        (ItemKind::Files, None) if text.contains(',') => {
            serde_json::json!({ key: text }).to_string()
        }
        (ItemKind::Files, None) => text.to_string(),
        (ItemKind::List(_), _) => serde_json::json!({ key: text }).to_string(),
    }
}

/// The kinds other than files, each written as an object of one key.
fn others() -> impl Iterator<Item = ItemKind> {
    ItemKind::all().filter(|k| *k != ItemKind::Files)
}

/// The other kinds' keys, quoted and comma separated, with `braced` as `{"tag"}`.
pub(crate) fn other_keys(braced: bool) -> String {
    let quoted = others().map(|k| match braced {
        true => format!("{{\"{}\"}}", k.facts().failed_key),
        false => format!("\"{}\"", k.facts().failed_key),
    });
    quoted.collect::<Vec<_>>().join(", ")
}

/// A JSON item: a URL string, `{"url": …, "headers": {…}}`, or one item of another kind as
/// `encode` writes it.
pub(crate) fn decode(value: &Value) -> Result<Given, String> {
    let shown_value = || safe_quote(&value.to_string());
    let object = match value {
        Value::String(url) => return Ok(Given::plain(url.trim())),
        Value::Object(object) => object,
        _ => return Err(format!("{} (not a URL string or an object)", shown_value())),
    };
    let url_key = ItemKind::Files.facts().failed_key;
    if let Some(kind) = others().find(|k| object.contains_key(k.facts().failed_key)) {
        let key = kind.facts().failed_key;
        let everything = ItemKind::Everything.facts().failed_key;
        return other_kind(object, key, kind).ok_or_else(|| {
            format!("{} (an item of another kind is one key, \"{key}\", with one item: not empty, without spaces, commas or control characters; \"{everything}\" with true)", shown_value())
        });
    }
    if let Some(key) = object
        .keys()
        .find(|k| ![url_key, "headers"].contains(&k.as_str()))
    {
        let key = safe_quote(key);
        return Err(format!(
            "{} (the key \"{key}\" is not one of \"{url_key}\", \"headers\"; or alone {})",
            shown_value(),
            other_keys(false)
        ));
    }
    let Some(Value::String(url)) = object.get(url_key) else {
        return Err(format!("{} (no \"{url_key}\" string)", shown_value()));
    };
    let headers: Headers = match object.get("headers") {
        None => Headers::default(),
        Some(headers) => serde_json::from_value(headers.clone()).map_err(|_| {
            format!(
                "{} (\"headers\" is not an object of strings)",
                shown_value()
            )
        })?,
    };
    Ok(Given {
        text: url.trim().to_string(),
        headers: (!headers.is_empty()).then_some(headers),
        kind: ItemKind::Files,
    })
}

/// `{"tag": "t1"}` and its kin: exactly one key.
fn other_kind(object: &serde_json::Map<String, Value>, key: &str, kind: ItemKind) -> Option<Given> {
    // One item, as the list syntax would have it: not empty, no separator or control character.
    let one_item = |t: &str| {
        !t.is_empty() && !t.contains(|c: char| c == ',' || c.is_whitespace() || c.is_control())
    };
    let text = match (object.len(), object.get(key)?) {
        (1, Value::String(text)) if kind != ItemKind::Everything && one_item(text) => text.clone(),
        (1, Value::Bool(true)) if kind == ItemKind::Everything => String::new(),
        _ => return None,
    };
    Some(Given {
        text,
        headers: None,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloudflare::ListKind;
    use proptest::prelude::*;

    fn kind() -> impl Strategy<Value = ItemKind> {
        let lists = ListKind::ALL.map(|k| Just(ItemKind::List(k)).boxed());
        let mut all = vec![
            Just(ItemKind::Files).boxed(),
            Just(ItemKind::Everything).boxed(),
        ];
        all.extend(lists);
        proptest::strategy::Union::new(all)
    }

    /// An item as the inputs keep it: trimmed, one item of the list syntax for the lists.
    fn item(kind: ItemKind) -> BoxedStrategy<(ItemKind, String, Option<Headers>)> {
        match kind {
            ItemKind::Everything => Just((kind, String::new(), None)).boxed(),
            ItemKind::List(_) => "[a-z0-9./:*_-]{1,20}"
                .prop_map(move |t| (kind, t, None))
                .boxed(),
            ItemKind::Files => (
                "https://[a-z]{1,8}\\.com/[a-z0-9,/ ]{0,12}[a-z]",
                proptest::option::of(proptest::collection::btree_map(
                    "[A-Za-z-]{1,10}",
                    "[ -~]{0,10}",
                    1..3,
                )),
            )
                .prop_map(move |(t, h)| (kind, t, h.map(Box::new)))
                .boxed(),
        }
    }

    proptest! {
        #[test]
        fn what_encode_writes_decode_reads_back((kind, text, headers) in kind().prop_flat_map(item)) {
            let line = encode(kind, &text, headers.as_ref());
            let value = match line.starts_with('{') {
                true => serde_json::from_str(&line).map_err(|e| e.to_string()),
                false => Ok(Value::String(line.clone())),
            };
            let given = value.and_then(|v| decode(&v));
            prop_assert_eq!(given, Ok(Given { text, headers, kind }), "{}", line);
        }
    }

    #[test]
    fn the_other_keys_read_as_before() {
        assert_eq!(
            other_keys(false),
            "\"tag\", \"host\", \"prefix\", \"purge_everything\""
        );
        assert_eq!(
            other_keys(true),
            "{\"tag\"}, {\"host\"}, {\"prefix\"}, {\"purge_everything\"}"
        );
    }
}
