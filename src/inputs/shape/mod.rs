//! Credential shapes, judged offline: which kind a value is, or what is wrong with it — never echoing it.

mod placeholder;

use crate::diagnosis::{Cause, InnerWhitespace, ShapeProblem};
use crate::names::Input;
pub(crate) use placeholder::is_placeholder;

/// What a credential value looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// 40 characters of `[A-Za-z0-9_-]`: user or account owned, which only Cloudflare can tell.
    LegacyToken,
    UserToken,
    AccountToken,
    LegacyGlobalKey,
    PrefixedGlobalKey,
    OriginCa,
    Placeholder,
    Whitespace(InnerWhitespace),
    Malformed(ShapeProblem),
}

impl Shape {
    pub(crate) fn is_token(&self) -> bool {
        matches!(
            self,
            Shape::LegacyToken | Shape::UserToken | Shape::AccountToken
        )
    }

    pub(crate) fn is_global_key(&self) -> bool {
        matches!(self, Shape::LegacyGlobalKey | Shape::PrefixedGlobalKey)
    }

    /// How the summary and the causes name a credential of this shape.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Shape::UserToken => "user API token (cfut_)",
            Shape::AccountToken => "account API token (cfat_)",
            Shape::LegacyToken => "API token (40 characters)",
            Shape::LegacyGlobalKey | Shape::PrefixedGlobalKey => "Global API Key",
            _ => "API token",
        }
    }
}

/// A credential with pasting accidents repaired, and the warnings those repairs earn.
#[derive(Debug, Clone)]
pub(crate) struct Cleaned {
    pub(crate) value: String,
    pub(crate) warnings: Vec<Cause>,
}

/// Trim, then remove surrounding quotes and a pasted "Bearer " (each with a warning).
pub(crate) fn clean(raw: &str, input: Input) -> Cleaned {
    let mut value = raw.trim();
    let mut warnings = Vec::new();
    for _ in 0..2 {
        if let Some(inner) = unquote(value) {
            value = inner.trim();
            warnings.push(Cause::TokenQuoted { input });
        }
        if let Some(rest) = strip_bearer(value) {
            value = rest.trim();
            warnings.push(Cause::TokenBearerPrefix { input });
        }
    }
    warnings.dedup();
    Cleaned {
        value: value.to_string(),
        warnings,
    }
}

fn unquote(value: &str) -> Option<&str> {
    let first = value.chars().next()?;
    let last = value.chars().last()?;
    let quote = matches!(first, '"' | '\'' | '`') && first == last && value.len() >= 2;
    quote.then(|| &value[1..value.len() - 1])
}

fn strip_bearer(value: &str) -> Option<&str> {
    let lower = value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("authorization:")
        .map(str::trim_start)
        .unwrap_or(&lower);
    let offset = value.len() - rest.len();
    let bearer = rest.strip_prefix("bearer")?;
    bearer
        .starts_with(char::is_whitespace)
        .then(|| &value[offset + 6..])
}

/// Every form of a raw credential that might be printed by accident: the raw value, its trimmed
/// and cleaned forms, and each of its lines. All are registered as masks, except a known
/// placeholder form: masked, it would hide the very example the fix gives (`api_token: ${{ secrets.X }}`).
pub(crate) fn mask_forms(raw: &str, input: Input) -> Vec<String> {
    if raw.is_empty() {
        return Vec::new();
    }
    let cleaned = clean(raw, input).value;
    if known_placeholder(&cleaned) {
        return Vec::new();
    }
    let mut forms = vec![raw.to_string(), raw.trim().to_string(), cleaned];
    forms.extend(raw.lines().map(|l| l.trim().to_string()));
    forms.retain(|f| f.chars().count() >= 4);
    forms.sort();
    forms.dedup();
    forms
}

/// A placeholder that is nothing else: one `${{ … }}` or `$( … )` expression alone, or a
/// placeholder word, `<…>` or a run of one character. A value that merely holds `{{` somewhere may
/// hold a real secret beside it, and stays masked.
fn known_placeholder(value: &str) -> bool {
    let expression = |open: &str, close: &str| {
        value.starts_with(open) && value.ends_with(close) && value.matches(open).count() == 1
    };
    let templated = value.contains("{{") || value.contains("$(");
    is_placeholder(value)
        && (!templated
            || expression("${{", "}}")
            || expression("{{", "}}")
            || expression("$(", ")"))
}

/// Judge the shape of a cleaned value given in `input`.
pub(crate) fn classify(value: &str, input: Input) -> Shape {
    if is_placeholder(value) {
        return Shape::Placeholder;
    }
    if value.starts_with("v1.0-") {
        return Shape::OriginCa;
    }
    if let Some(name) = assignment_name(value) {
        return Shape::Malformed(ShapeProblem::Assignment { name });
    }
    if let Some(inner) = inner_whitespace(value) {
        return Shape::Whitespace(inner);
    }
    if value.starts_with("cfast_") {
        return Shape::Malformed(ShapeProblem::AccessSecret);
    }
    for (prefix, shape) in [
        ("cfut_", Shape::UserToken),
        ("cfat_", Shape::AccountToken),
        ("cfk_", Shape::PrefixedGlobalKey),
    ] {
        if let Some(rest) = value.strip_prefix(prefix) {
            return prefixed(rest, prefix, shape);
        }
    }
    let len = value.chars().count();
    let lower_hex = value
        .chars()
        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
    // A random 40-character token is all lowercase hex with probability 4⁻⁴⁰: such a value is a key.
    if lower_hex && (37..=45).contains(&len) {
        return Shape::LegacyGlobalKey;
    }
    if let Some(problem) =
        bad_characters(value, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Shape::Malformed(problem);
    }
    if len == 40 {
        return Shape::LegacyToken;
    }
    let expected = match input {
        Input::GlobalApiKey if lower_hex => "a Global API Key has 37 to 45 hex characters",
        _ => "an API token has 40 characters (53 when it starts with cfut_ or cfat_)",
    };
    Shape::Malformed(ShapeProblem::Length { expected })
}

/// `cfut_`/`cfat_`/`cfk_` + 40 alphanumerics + an 8-hex checksum (token-formats doc).
fn prefixed(rest: &str, prefix: &'static str, shape: Shape) -> Shape {
    let expected = match prefix {
        "cfut_" => "a cfut_ token has 53 characters",
        "cfat_" => "a cfat_ token has 53 characters",
        _ => "a cfk_ key has 52 characters",
    };
    if let Some(problem) = bad_characters(rest, |c| c.is_ascii_alphanumeric()) {
        return Shape::Malformed(shift(problem, prefix.len()));
    }
    let tail_is_hex = rest.len() == 48 && rest[40..].chars().all(|c| c.is_ascii_hexdigit());
    if tail_is_hex {
        shape
    } else {
        Shape::Malformed(ShapeProblem::Length { expected })
    }
}

fn shift(problem: ShapeProblem, by: usize) -> ShapeProblem {
    match problem {
        ShapeProblem::Characters { count, first_at } => ShapeProblem::Characters {
            count,
            first_at: first_at + by,
        },
        other => other,
    }
}

fn bad_characters(value: &str, allowed: impl Fn(char) -> bool) -> Option<ShapeProblem> {
    let bad: Vec<usize> = value
        .chars()
        .enumerate()
        .filter(|(_, c)| !allowed(*c))
        .map(|(i, _)| i + 1)
        .collect();
    let first_at = *bad.first()?;
    Some(ShapeProblem::Characters {
        count: bad.len(),
        first_at,
    })
}

fn inner_whitespace(value: &str) -> Option<InnerWhitespace> {
    let (i, c) = value.chars().enumerate().find(|(_, c)| c.is_whitespace())?;
    let what = match c {
        '\n' | '\r' => "a line break",
        '\t' => "a tab",
        ' ' => "a space",
        _ => "a non-breaking or other Unicode space",
    };
    Some(InnerWhitespace { what, at: i + 1 })
}

/// `CLOUDFLARE_API_TOKEN=…`, `export X=…` or `X: …`: a whole line pasted instead of the value.
fn assignment_name(value: &str) -> Option<String> {
    let value = value.strip_prefix("export ").unwrap_or(value);
    let split = value.find(['=', ':'])?;
    let name = value[..split].trim_end();
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let all_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let looks_named = name.chars().any(|c| c.is_ascii_uppercase() || c == '_') || name.len() < 20;
    if !(first_ok && all_ok && looks_named && !value[split + 1..].trim().is_empty()) {
        return None;
    }
    // Before a `:` may stand the credential itself (`cfut_…: note`): only a name written the way
    // variables and YAML keys are (one case, words of letters or digits) is shown.
    Some(if reads_as_name(name) { name } else { "NAME" }.to_string())
}

fn reads_as_name(name: &str) -> bool {
    let one_case = !(name.chars().any(|c| c.is_ascii_lowercase())
        && name.chars().any(|c| c.is_ascii_uppercase()));
    let words = name.split('_').all(|w| {
        w.chars().all(|c| c.is_ascii_alphabetic()) || w.chars().all(|c| c.is_ascii_digit())
    });
    one_case && words && name.len() <= 40
}

/// The cause for a cleaned value given in `input` whose shape is not the expected kind.
pub(crate) fn problem(value: &str, shape: &Shape, input: Input) -> Option<Cause> {
    let length = value.chars().count();
    let cause = match shape {
        Shape::Placeholder => Cause::TokenPlaceholder { input, length },
        Shape::OriginCa => Cause::OriginCaKey { input },
        Shape::Whitespace(inner) => Cause::TokenHasWhitespace {
            input,
            length,
            inner: inner.clone(),
        },
        Shape::Malformed(problem) => Cause::TokenMalformed {
            input,
            length,
            problem: problem.clone(),
        },
        s if input == Input::ApiToken && s.is_global_key() => Cause::GlobalKeyAsToken {
            length,
            prefixed: *s == Shape::PrefixedGlobalKey,
        },
        s if input == Input::GlobalApiKey && s.is_token() => {
            Cause::TokenAsGlobalKey { kind: s.describe() }
        }
        _ => return None,
    };
    Some(cause)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Input::{ApiToken, GlobalApiKey};

    const LEGACY: &str = "Abcdefghij_klmnopqrstuvwxyz-0123456789AB";
    const CFUT: &str = "cfut_ABCDEFGHIJabcdefghij0123456789KLMNOPQRST0123abcd";
    const CFAT: &str = "cfat_ABCDEFGHIJabcdefghij0123456789KLMNOPQRST0123abcd";
    const CFK: &str = "cfk_ABCDEFGHIJabcdefghij0123456789KLMNOPQRST0123abcd";
    const KEY37: &str = "0123456789abcdef0123456789abcdef01234";

    fn shape(v: &str, input: Input) -> Shape {
        classify(&clean(v, input).value, input)
    }

    fn code(v: &str, input: Input) -> Option<&'static str> {
        let cleaned = clean(v, input).value;
        problem(&cleaned, &classify(&cleaned, input), input).map(|c| c.code())
    }

    #[test]
    fn shapes_of_real_formats() {
        assert_eq!(LEGACY.len(), 40);
        assert_eq!(CFUT.len(), 53);
        let table = [
            (LEGACY, ApiToken, Shape::LegacyToken),
            (CFUT, ApiToken, Shape::UserToken),
            (CFAT, ApiToken, Shape::AccountToken),
            (CFK, GlobalApiKey, Shape::PrefixedGlobalKey),
            (KEY37, GlobalApiKey, Shape::LegacyGlobalKey),
            (
                "0123456789abcdef0123456789abcdef012345678",
                GlobalApiKey,
                Shape::LegacyGlobalKey,
            ),
        ];
        for (value, input, expected) in table {
            assert_eq!(shape(value, input), expected, "{value}");
        }
    }

    #[test]
    fn problems_table() {
        let origin = format!("v1.0-{}-{}", "a".repeat(24), "b".repeat(146));
        let table: Vec<(String, Input, Option<&str>)> = vec![
            (LEGACY.into(), ApiToken, None),
            (format!("  {LEGACY}\n"), ApiToken, None),
            (LEGACY[..39].into(), ApiToken, Some("token-malformed")),
            (format!("{LEGACY}x"), ApiToken, Some("token-malformed")),
            (CFUT[..52].into(), ApiToken, Some("token-malformed")),
            (format!("{CFUT}0"), ApiToken, Some("token-malformed")),
            (
                format!("{}\n{}", &LEGACY[..20], &LEGACY[20..]),
                ApiToken,
                Some("token-has-whitespace"),
            ),
            (
                format!("{} {}", &CFUT[..20], &CFUT[20..]),
                ApiToken,
                Some("token-has-whitespace"),
            ),
            (KEY37.into(), ApiToken, Some("global-key-as-token")),
            (CFK.into(), ApiToken, Some("global-key-as-token")),
            (LEGACY.into(), GlobalApiKey, Some("token-as-global-key")),
            (CFAT.into(), GlobalApiKey, Some("token-as-global-key")),
            (origin.clone(), ApiToken, Some("origin-ca-key")),
            (origin, GlobalApiKey, Some("origin-ca-key")),
            (
                format!("CLOUDFLARE_API_TOKEN={LEGACY}"),
                ApiToken,
                Some("token-malformed"),
            ),
            (
                format!("export CLOUDFLARE_API_TOKEN={LEGACY}"),
                ApiToken,
                Some("token-malformed"),
            ),
            ("YOUR-API-TOKEN".into(), ApiToken, Some("token-placeholder")),
            ("<token>".into(), ApiToken, Some("token-placeholder")),
            (
                "xxxxxxxxxxxxxxxx".into(),
                ApiToken,
                Some("token-placeholder"),
            ),
            (
                "${{ secrets.CF_TOKEN }}".into(),
                ApiToken,
                Some("token-placeholder"),
            ),
            ("changeme".into(), GlobalApiKey, Some("token-placeholder")),
            (format!("\"{LEGACY}\""), ApiToken, None),
            (format!("Bearer {LEGACY}"), ApiToken, None),
            (format!("Authorization: Bearer {CFUT}"), ApiToken, None),
            (
                format!("{}é{}", &LEGACY[..10], &LEGACY[11..]),
                ApiToken,
                Some("token-malformed"),
            ),
            (KEY37[..36].into(), GlobalApiKey, Some("token-malformed")),
        ];
        for (value, input, expected) in table {
            assert_eq!(
                code(&value, input),
                expected,
                "{value:?} as {}",
                input.name()
            );
        }
    }

    #[test]
    fn repairs_warn() {
        let c = clean(&format!("'Bearer {LEGACY}'"), ApiToken);
        assert_eq!(c.value, LEGACY);
        let codes: Vec<_> = c.warnings.iter().map(Cause::code).collect();
        assert_eq!(codes, ["token-quoted", "token-bearer-prefix"]);
    }

    #[test]
    fn descriptions_never_contain_the_value() {
        let values = [
            format!("{LEGACY}x"),
            format!("CLOUDFLARE_API_TOKEN={LEGACY}"),
            format!("{} {}", &LEGACY[..20], &LEGACY[20..]),
        ];
        for v in values {
            let cleaned = clean(&v, ApiToken).value;
            let cause = problem(&cleaned, &classify(&cleaned, ApiToken), ApiToken).unwrap();
            let text = cause.message();
            for piece in LEGACY.as_bytes().windows(8) {
                assert!(
                    !text.contains(std::str::from_utf8(piece).unwrap()),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn whitespace_and_length_are_described() {
        let v = format!("{}\n{}", &LEGACY[..20], &LEGACY[20..]);
        let cleaned = clean(&v, ApiToken).value;
        let text = problem(&cleaned, &classify(&cleaned, ApiToken), ApiToken)
            .unwrap()
            .message();
        assert!(
            text.contains("41 characters")
                && text.contains("a line break")
                && text.contains("position 21"),
            "{text}"
        );
    }
}
