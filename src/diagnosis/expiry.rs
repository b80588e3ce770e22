//! Token validity in time: status, `not_before`, `expires_on`, and the days left.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{Cause, Unexpected};
use crate::cloudflare::TokenStatus;

/// What verify told about the token's lifetime.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Lifetime {
    pub(crate) status: String,
    /// RFC 3339, as Cloudflare sent it.
    pub(crate) expires_on: Option<String>,
    pub(crate) days_left: Option<i64>,
}

/// The token's lifetime, and the cause that stops the run if it is not usable now.
pub fn judge(token: &TokenStatus, now: OffsetDateTime) -> (Lifetime, Option<Cause>) {
    let expires = token.expires_on.as_deref().and_then(parse);
    // The `token_status` output holds one of the statuses Cloudflare documents (contract §3), never
    // another answer's text: a workflow may put it in a script.
    let documented = ["active", "expired", "disabled"].contains(&token.status.as_str());
    let lifetime = Lifetime {
        status: if documented {
            token.status.clone()
        } else {
            String::new()
        },
        expires_on: expires.and_then(|e| e.format(&Rfc3339).ok()),
        days_left: expires.map(|e| (e - now).whole_days()),
    };
    let not_before = token
        .not_before
        .as_deref()
        .and_then(parse)
        .filter(|nb| *nb > now);
    let garbled = garbled_date(token);
    let cause = match token.status.as_str() {
        "expired" => Some(Cause::TokenExpired {
            expires_on: lifetime.expires_on.clone(),
        }),
        "disabled" => Some(Cause::TokenDisabled),
        // A date that is none is no "never expires": as a status Cloudflare does not document.
        _ if garbled.is_some() => garbled,
        _ if expires.is_some_and(|e| e <= now) => Some(Cause::TokenExpired {
            expires_on: lifetime.expires_on.clone(),
        }),
        "active" => not_before.map(|nb| Cause::TokenNotYetValid {
            not_before: nb.format(&Rfc3339).unwrap_or_default(),
        }),
        // Cloudflare documents active, disabled and expired; anything else is not a usable answer.
        other => Some(Cause::UnexpectedResponse {
            what: Unexpected::TokenStatus(other.chars().take(40).collect()),
            status: 200,
        }),
    };
    (lifetime, cause)
}

impl Lifetime {
    /// The expiry date and days left, when fewer than `warning_days` days are left: the one place
    /// the warning threshold is judged.
    pub(crate) fn expiring_within(&self, warning_days: i64) -> Option<(&str, i64)> {
        let days = self.days_left?;
        let on = self.expires_on.as_deref()?;
        (days < warning_days && days >= 0).then_some((on, days))
    }

    /// `token-expiring-soon` when fewer than `warning_days` days are left.
    pub(crate) fn expiring_soon(&self, warning_days: i64, fatal: bool) -> Option<Cause> {
        let (on, days) = self.expiring_within(warning_days)?;
        Some(Cause::TokenExpiringSoon {
            expires_on: on.to_string(),
            days,
            fatal,
        })
    }
}

/// `unexpected-response` for an `expires_on` or `not_before` that is not an RFC 3339 time.
fn garbled_date(token: &TokenStatus) -> Option<Cause> {
    let fields = [
        ("expires_on", &token.expires_on),
        ("not_before", &token.not_before),
    ];
    let (field, value) = fields.into_iter().find_map(|(field, value)| {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        parse(value).is_none().then_some((field, value))
    })?;
    Some(Cause::UnexpectedResponse {
        what: Unexpected::TokenDate {
            field,
            value: value.chars().take(40).collect(),
        },
        status: 200,
    })
}

/// Days left as said: "within a day" rather than "in 0 days".
pub(crate) fn days_left_words(days: i64) -> String {
    match days {
        ..=0 => "within a day".into(),
        1 => "in 1 day".into(),
        _ => format!("in {days} days"),
    }
}

fn parse(value: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value.trim(), &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(status: &str, expires_on: Option<&str>, not_before: Option<&str>) -> TokenStatus {
        TokenStatus {
            status: status.into(),
            expires_on: expires_on.map(str::to_string),
            not_before: not_before.map(str::to_string),
        }
    }

    fn now() -> OffsetDateTime {
        OffsetDateTime::parse("2026-11-23T12:00:00Z", &Rfc3339).unwrap()
    }

    #[test]
    fn lifetimes() {
        let (l, c) = judge(&token("active", Some("2026-12-01T12:00:01Z"), None), now());
        assert_eq!((l.days_left, c), (Some(8), None));
        assert_eq!(
            l.expiring_soon(14, false).unwrap().code(),
            "token-expiring-soon"
        );
        assert_eq!(l.expiring_soon(8, false), None);
        assert_eq!(
            judge(&token("expired", Some("2026-08-31T23:59:59Z"), None), now())
                .1
                .unwrap()
                .code(),
            "token-expired"
        );
        assert_eq!(
            judge(&token("active", Some("2026-11-01T00:00:00Z"), None), now())
                .1
                .unwrap()
                .code(),
            "token-expired"
        );
        assert_eq!(
            judge(&token("disabled", None, None), now())
                .1
                .unwrap()
                .code(),
            "token-disabled"
        );
        assert_eq!(
            judge(&token("active", None, Some("2027-01-01T00:00:00Z")), now())
                .1
                .unwrap()
                .code(),
            "token-not-yet-valid"
        );
        let (l, c) = judge(&token("revoked $(id)\u{1b}", None, None), now());
        assert_eq!(c.unwrap().code(), "unexpected-response");
        assert_eq!(l.status, "", "an undocumented status is no output");
        assert_eq!(
            judge(&token("", None, None), now()).1.unwrap().code(),
            "unexpected-response"
        );
        let (l, c) = judge(&token("active", None, Some("2020-01-01T00:00:00Z")), now());
        assert_eq!((l.days_left, c), (None, None));
    }

    #[test]
    fn a_date_that_is_none_is_unexpected_and_days_are_said_in_words() {
        for (expires, not_before) in [(Some("soon"), None), (None, Some("2026-13-01"))] {
            let (_, c) = judge(&token("active", expires, not_before), now());
            assert_eq!(c.unwrap().code(), "unexpected-response");
        }
        let (_, c) = judge(&token("disabled", Some("soon"), None), now());
        assert_eq!(c.unwrap().code(), "token-disabled");
        assert_eq!(days_left_words(0), "within a day");
        assert_eq!(days_left_words(1), "in 1 day");
        assert_eq!(days_left_words(2), "in 2 days");
    }
}
