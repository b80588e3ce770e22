//! Judging: Cloudflare's answers (status, code and message together) become cause values.

use super::{Cause, Unexpected};
use crate::cloudflare::{ApiError, CfMessage, Eviction, Failure, Foreign, NetKind, Peer};

/// Causes any endpoint can meet: the token's client-IP filter, transport, availability, rate
/// limits and foreign bodies. `None` means Cloudflare refused the request, which only the caller's
/// context can explain.
pub(crate) fn transport(failure: &Failure, peer: &Peer) -> Option<Cause> {
    if let Some(location) = ip_restriction(failure.errors()) {
        return Some(Cause::TokenIpRestricted { location });
    }
    let attempts = failure.attempts;
    match &failure.error {
        ApiError::Network { kind } => Some(Cause::NetworkError {
            kind: through_proxy(*kind, peer),
            attempts,
            host: peer.host.clone(),
            proxy: peer.proxy.clone(),
        }),
        ApiError::Refused {
            status: 429,
            errors,
        } => Some(Cause::RateLimited {
            attempts,
            errors: errors.clone(),
        }),
        ApiError::Foreign { status: 429, .. } => Some(Cause::RateLimited {
            attempts,
            errors: Vec::new(),
        }),
        ApiError::Refused { status, .. } if *status >= 500 => Some(Cause::CloudflareUnavailable {
            status: *status,
            attempts,
            html: false,
        }),
        ApiError::Foreign { status, body } if *status >= 500 => {
            Some(Cause::CloudflareUnavailable {
                status: *status,
                attempts,
                html: *body == Foreign::Body(crate::cloudflare::BodyKind::Html),
            })
        }
        ApiError::Foreign { status, body } => Some(Cause::UnexpectedResponse {
            what: Unexpected::Answer(body.clone()),
            status: *status,
        }),
        ApiError::Refused { .. } => None,
    }
}

/// Through a proxy the runner looks up and connects to the proxy only (a plain-http request goes
/// to it whole, an https one through its CONNECT): a DNS or connect failure is the proxy's.
fn through_proxy(kind: NetKind, peer: &Peer) -> NetKind {
    match (kind, peer.proxy.is_some()) {
        (NetKind::Dns, true) => NetKind::ProxyDns,
        (NetKind::Connect, true) => NetKind::ProxyConnect,
        (kind, _) => kind,
    }
}

/// 9109 "Cannot use the access token from location: X" names the client-IP filter; the same
/// code also means "Invalid access token" or "Unauthorized…", so the message decides.
fn ip_restriction(errors: &[CfMessage]) -> Option<String> {
    const MARK: &str = "cannot use the access token from location:";
    errors.iter().find_map(|e| {
        let lower = e.message.to_ascii_lowercase();
        let at = lower.find(MARK)?;
        Some(e.message[at + MARK.len()..].trim().to_string())
    })
}

/// What a refusal says about the token. 9109 has three meanings, so Cloudflare's words decide
/// (the third, the client-IP filter, is judged by [`transport`] on every endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Standing {
    /// 1000 "Invalid API Token" or 9109 "Invalid access token": not a token Cloudflare knows here.
    Unknown,
    /// 9109 "Unauthorized to access requested resource": a token Cloudflare knows, without access.
    KnownWithoutAccess,
    /// Nothing in the answer tells.
    Unclear,
}

pub(crate) fn standing(errors: &[CfMessage]) -> Standing {
    let says = |code: i64, words: &str| {
        errors
            .iter()
            .any(|e| e.has_code(code) && e.message.to_ascii_lowercase().contains(words))
    };
    if says(9109, "unauthorized to access") {
        Standing::KnownWithoutAccess
    } else if says(1000, "invalid api token") || says(9109, "invalid access token") {
        Standing::Unknown
    } else {
        Standing::Unclear
    }
}

/// What a failed token verification means.
#[derive(Debug, PartialEq)]
pub(crate) enum TokenRefusal {
    /// 1000 (or another "unknown token" answer): maybe account-owned, so try the account endpoint.
    Unknown(Vec<CfMessage>),
    Cause(Cause),
}

/// 7000 "No route for that URI" or 7003 "Could not route" to a token check: the path was not one of
/// Cloudflare's, so `api_url` is wrong (no token is judged by a path that does not exist).
fn no_route(failure: &Failure) -> Option<Cause> {
    (failure.has_code(7000) || failure.has_code(7003)).then(|| Cause::UnexpectedResponse {
        what: Unexpected::NoRoute(failure.errors().to_vec()),
        status: failure.status().unwrap_or_default(),
    })
}

/// Judge a failed `GET …/tokens/verify`.
pub(crate) fn token_verify(failure: &Failure, peer: &Peer) -> TokenRefusal {
    if let Some(cause) = no_route(failure) {
        return TokenRefusal::Cause(cause);
    }
    if let Some(cause) = transport(failure, peer) {
        return TokenRefusal::Cause(cause);
    }
    TokenRefusal::Unknown(failure.errors().to_vec())
}

/// Judge a failed `GET /user` with an email and Global API Key.
pub(crate) fn global_key(failure: &Failure, peer: &Peer) -> Cause {
    if let Some(cause) = no_route(failure) {
        return cause;
    }
    transport(failure, peer).unwrap_or_else(|| Cause::GlobalKeyRejected {
        errors: failure.errors().to_vec(),
    })
}

/// Whether a failure after every retry says the API is down (5xx, no answer) rather than that it
/// refused this request.
pub(crate) fn is_outage(failure: &Failure) -> bool {
    match &failure.error {
        ApiError::Network { .. } => true,
        ApiError::Refused { status, .. } | ApiError::Foreign { status, .. } => *status >= 500,
    }
}

/// Whether a refusal says "you may not" rather than "no such thing".
pub(crate) fn is_auth_refusal(failure: &Failure) -> bool {
    matches!(failure.status(), Some(401 | 403))
}

/// The smaller per-request limit a 400 names for a batch of `len` items ("at most 30 prefixes a
/// request"), if it names one: Cloudflare's limits table says 100, its prefix page still says 30.
pub(crate) fn smaller_limit(failure: &Failure, len: usize) -> Option<usize> {
    if failure.status() != Some(400) {
        return None;
    }
    let words = [
        "prefix",
        "per request",
        "limit",
        "maximum",
        "at most",
        "up to",
        "only",
    ];
    let messages = failure.errors().iter().flat_map(CfMessage::flatten);
    messages
        .map(|m| m.to_ascii_lowercase())
        .filter(|m| words.iter().any(|w| m.contains(w)))
        .flat_map(|m| {
            let numbers: Vec<usize> = m
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            // The first number of `flatten`'s "code \"message\"" is the code.
            numbers.into_iter().skip(1).collect::<Vec<_>>()
        })
        .filter(|n| *n > 0 && *n < len)
        .min()
}

/// Judge a failed purge (or invalidation) request.
pub(crate) fn purge(failure: &Failure, peer: &Peer, zone: &str, how: Eviction) -> Cause {
    // invalidate_cache answered 404 or "No route": the endpoint is not there for this zone.
    let missing = failure.status() == Some(404) || failure.has_code(7000) || failure.has_code(7003);
    if how == Eviction::Invalidate && missing {
        return Cause::PurgeRejected {
            zone: zone.to_string(),
            status: failure.status().unwrap_or_default(),
            errors: failure.errors().to_vec(),
            how,
            unavailable: true,
        };
    }
    if let Some(cause) = transport(failure, peer) {
        return cause;
    }
    let status = failure.status().unwrap_or_default();
    let errors = failure.errors().to_vec();
    // 1134 "Unable to purge, rate limit reached" is a rate limit whatever its status (the
    // transport retried it like a 429).
    if failure.has_code(1134) && !is_auth_refusal(failure) {
        return Cause::RateLimited {
            attempts: failure.attempts,
            errors,
        };
    }
    // 1092 ("cannot contain purge_everything and any of files, tags, hosts or prefixes") is the
    // inputs' conflict in Cloudflare's words; a request holding both is refused offline, so this
    // one came after a request: exit 1, and no claim that the lists were given.
    if failure.has_code(1092) {
        return Cause::ConflictRefused {
            zone: zone.to_string(),
            errors,
        };
    }
    // The legacy code 1095 "no access to purge this zone" is a permission refusal whatever its status.
    if is_auth_refusal(failure) || failure.has_code(1095) {
        Cause::PurgePermissionMissing {
            zone: zone.to_string(),
            status,
            errors,
        }
    } else {
        Cause::PurgeRejected {
            zone: zone.to_string(),
            status,
            errors,
            how,
            unavailable: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloudflare::BodyKind;

    fn refused(status: u16, code: i64, message: &str) -> Failure {
        Failure {
            error: ApiError::Refused {
                status,
                errors: vec![CfMessage::new(code, message)],
            },
            attempts: 1,
            retry_after: None,
        }
    }

    #[test]
    fn ninety_one_oh_nine_is_decided_on_the_message() {
        let f = refused(
            403,
            9109,
            "Cannot use the access token from location: 203.0.113.7",
        );
        assert_eq!(
            token_verify(&f, &Peer::default()),
            TokenRefusal::Cause(Cause::TokenIpRestricted {
                location: "203.0.113.7".into()
            })
        );
        let f = refused(403, 9109, "Invalid access token");
        assert!(matches!(
            token_verify(&f, &Peer::default()),
            TokenRefusal::Unknown(_)
        ));
        let f = refused(403, 9109, "Unauthorized to access requested resource");
        assert_eq!(
            purge(&f, &Peer::default(), "example.com", Eviction::Purge).code(),
            "purge-permission-missing"
        );
    }

    #[test]
    fn purge_refusals() {
        assert_eq!(
            purge(
                &refused(401, 10000, "Authentication error"),
                &Peer::default(),
                "z",
                Eviction::Purge
            )
            .code(),
            "purge-permission-missing"
        );
        assert_eq!(
            purge(
                &refused(400, 1012, "Request must contain one of"),
                &Peer::default(),
                "z",
                Eviction::Purge
            )
            .code(),
            "purge-rejected"
        );
        assert_eq!(
            purge(
                &refused(429, 971, "Please wait"),
                &Peer::default(),
                "z",
                Eviction::Purge
            )
            .code(),
            "rate-limited"
        );
        assert_eq!(
            purge(&refused(503, 0, ""), &Peer::default(), "z", Eviction::Purge).code(),
            "cloudflare-unavailable"
        );
        let html = Failure {
            error: ApiError::Foreign {
                status: 502,
                body: Foreign::Body(BodyKind::Html),
            },
            attempts: 4,
            retry_after: None,
        };
        assert_eq!(
            purge(&html, &Peer::default(), "z", Eviction::Purge),
            Cause::CloudflareUnavailable {
                status: 502,
                attempts: 4,
                html: true
            }
        );
        let garbage = Failure {
            error: ApiError::Foreign {
                status: 200,
                body: Foreign::Body(BodyKind::BrokenJson),
            },
            attempts: 4,
            retry_after: None,
        };
        assert_eq!(
            purge(&garbage, &Peer::default(), "z", Eviction::Purge).code(),
            "unexpected-response"
        );
    }

    #[test]
    fn the_facts_of_2026() {
        let f = refused(429, 1134, "Unable to purge, rate limit reached");
        assert_eq!(
            purge(&f, &Peer::default(), "z", Eviction::Purge).code(),
            "rate-limited"
        );
        let f = refused(400, 1134, "Unable to purge, rate limit reached");
        assert_eq!(
            purge(&f, &Peer::default(), "z", Eviction::Purge).code(),
            "rate-limited"
        );
        let f = refused(
            400,
            1092,
            "Request cannot contain \"purge_everything\" and any of",
        );
        assert_eq!(
            purge(&f, &Peer::default(), "z", Eviction::Purge).code(),
            "conflicting-purge-inputs"
        );
    }

    #[test]
    fn an_invalidation_refused_with_404_or_no_route_says_to_purge_instead() {
        for f in [
            refused(404, 7000, "No route for that URI"),
            refused(
                400,
                7003,
                "Could not route to /client/v4/zones/x/invalidate_cache",
            ),
        ] {
            let cause = purge(&f, &Peer::default(), "z", Eviction::Invalidate);
            assert!(
                matches!(
                    cause,
                    Cause::PurgeRejected {
                        unavailable: true,
                        ..
                    }
                ),
                "{cause:?}"
            );
            assert!(cause.fix().contains("invalidate: false"), "{}", cause.fix());
        }
        let f = refused(400, 1012, "Request must contain one of");
        let cause = purge(&f, &Peer::default(), "z", Eviction::Invalidate);
        assert!(matches!(
            cause,
            Cause::PurgeRejected {
                unavailable: false,
                ..
            }
        ));
    }

    #[test]
    fn a_smaller_limit_is_read_from_the_message() {
        let f = refused(400, 1094, "Only 30 prefixes can be purged per request");
        assert_eq!(smaller_limit(&f, 100), Some(30));
        assert_eq!(smaller_limit(&f, 30), None, "no smaller limit: no loop");
        let f = refused(400, 1094, "Only 30 URLs can be purged per request");
        assert_eq!(smaller_limit(&f, 100), Some(30));
        let f = refused(400, 1082, "URL not in this zone");
        assert_eq!(smaller_limit(&f, 100), None);
        let f = refused(403, 1094, "Only 30 prefixes can be purged per request");
        assert_eq!(smaller_limit(&f, 100), None);
    }

    #[test]
    fn global_key_refusals() {
        assert_eq!(
            global_key(
                &refused(403, 9103, "Unknown X-Auth-Key or X-Auth-Email"),
                &Peer::default()
            )
            .code(),
            "global-key-rejected"
        );
    }
}
