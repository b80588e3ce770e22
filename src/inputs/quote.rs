//! Safe quoting: a value as it may be quoted back in a message, never a credential, never the
//! user info of a URL.

use super::shape::{classify, clean, Shape};
use crate::names::Input;

/// Whether a value is long enough to have a credential's shape: every credential has 37
/// characters or more, but for an Origin CA key (`v1.0-…`); cleaning only takes characters away,
/// so a shorter value without `v1.0-` has none (most inputs' values).
pub(crate) fn may_have_shape(value: &str) -> bool {
    value.len() >= 37 || value.contains("v1.0-")
}

/// What a value (a whole item) would be taken for, when it has the shape of a credential.
pub(crate) fn shape_of(value: &str) -> Option<&'static str> {
    if !may_have_shape(value) {
        return None;
    }
    let cleaned = clean(value, Input::ApiToken).value;
    match classify(&cleaned, Input::ApiToken) {
        Shape::LegacyToken | Shape::UserToken | Shape::AccountToken => Some("an API token"),
        Shape::LegacyGlobalKey | Shape::PrefixedGlobalKey => Some("a Global API Key"),
        Shape::OriginCa => Some("an Origin CA key"),
        _ => None,
    }
}

/// Whether a value holds a `cfut_…`, `cfat_…` or `cfk_…` credential anywhere.
pub(crate) fn holds_prefixed(value: &str) -> bool {
    prefixed_pieces(value).next().is_some()
}

/// `cfut_…`, `cfat_…` and `cfk_…` credentials anywhere in a value: their prefix makes them
/// unmistakable, so they are hidden even inside a URL, and whatever stands before or after them
/// (`xcfut_…`, `a_cfut_…_2`): each is the prefix and the letters and digits that follow it.
pub(crate) fn prefixed_pieces(value: &str) -> impl Iterator<Item = &str> {
    // Each is 44 characters or more, with a `_`: most values are not worth a search.
    let worth = value.len() >= 44 && value.contains('_');
    // In any case: lower-casing ASCII keeps every byte where it was.
    let lower = worth.then(|| value.to_ascii_lowercase());
    let starts: Vec<(usize, usize)> = ["cfut_", "cfat_", "cfk_"]
        .into_iter()
        .flat_map(|prefix| {
            let found = lower.as_deref().map(|lower| lower.match_indices(prefix));
            found.into_iter().flatten().map(|(at, p)| (at, p.len()))
        })
        .collect();
    starts.into_iter().filter_map(move |(at, prefix)| {
        let rest = &value[at + prefix..];
        let len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        (len >= 40).then(|| &value[at..at + prefix + len])
    })
}

/// A value of any input as it may be quoted back: one short line, and never a credential — a value
/// shaped like one is described by its shape only.
pub(crate) fn safe_quote(value: &str) -> String {
    if let Some(shape) = shape_of(value) {
        return format!("[something shaped like {shape}]");
    }
    let mut value = value.to_string();
    for piece in prefixed_pieces(&value.clone()) {
        value = value.replace(piece, "[something shaped like a credential]");
    }
    for (piece, shape) in shaped_pieces(&value.clone()) {
        value = value.replace(piece, &format!("[something shaped like {shape}]"));
    }
    crate::text::shown(&value)
}

/// The values of a `NAME=value` line, `NAME: value`, `export NAME="value"` and the like that
/// have a credential's shape. A URL's path is not cut into pieces (a commit hash in it has a
/// key's shape and is no secret).
pub(crate) fn shaped_pieces(value: &str) -> impl Iterator<Item = (&str, &'static str)> {
    parts(value)
        // Every credential has 37 characters or more; a short `v1.0-…` is a version, not a key.
        .filter(|piece| piece.len() >= 37)
        .filter_map(|piece| shape_of(piece).map(|shape| (piece, shape)))
}

/// A value cut where a pasted line or list separates its values: whitespace, the signs of
/// `NAME=value`, `NAME: value` and `export NAME="value"`, commas and semicolons.
pub(crate) fn parts(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| c.is_whitespace() || matches!(c, '=' | ':' | '"' | '\'' | '`' | ',' | ';'))
}

/// A URL as it may be quoted: anything between `://` and its last `@` becomes `***`. Not only the
/// authority's: a password with an unencoded `#` or `/` in it seems to end the authority early.
pub(crate) fn without_userinfo(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once("://") else {
        return value.to_string();
    };
    match rest.rfind('@') {
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => value.to_string(),
    }
}
