//! The words for causes Cloudflare's answers (or their absence) decided.

use super::general as fix;
use super::{seen, seen_and_fix, Explained};
use crate::cloudflare::{BodyKind, CfMessage, Foreign, NetKind, MAX_BODY};
use crate::diagnosis::{quote, AccountProof, Unexpected};
use crate::text::{list_some, plural};

/// ": 1000 \"Invalid API Token\"", or nothing when Cloudflare sent no error.
fn quoted(errors: &[CfMessage]) -> String {
    if errors.is_empty() {
        String::new()
    } else {
        format!(": {}", quote(errors))
    }
}

pub(super) fn token_invalid(
    errors: &[CfMessage],
    account_checked: Option<&str>,
    zone_said: &[CfMessage],
) -> Explained {
    let said = quote(errors);
    let zone = if zone_said.is_empty() {
        String::new()
    } else {
        format!(
            ", and a zone lookup answered {} (what an unknown token gets)",
            quote(zone_said)
        )
    };
    // Checked against its account, or unknown to a zone lookup too: `account_id` would not help.
    let known_everywhere = account_checked.is_some() || !zone_said.is_empty();
    let fix = format!(
        "{} {}",
        fix::TOKEN_INVALID_CHECK,
        fix::TOKEN_INVALID_RESTART
    );
    match account_checked {
        Some(account) => seen_and_fix(
            format!("Cloudflare answered {said} for this token, on the user endpoint and on the account endpoint of account {account}{zone}"),
            fix,
        ),
        None if known_everywhere => seen_and_fix(
            format!("Cloudflare answered {said} for this token{zone}"),
            fix,
        ),
        None => seen(format!("Cloudflare answered {said} for this token")),
    }
}

pub(super) fn needs_account_id(proof: &AccountProof) -> Explained {
    const NO_ACCOUNT: &str =
        "its account could not be learned from the zone because the token cannot read it";
    seen(match proof {
        AccountProof::Prefix => {
            format!("This is an account-owned token (it starts with cfat_), and {NO_ACCOUNT}")
        }
        AccountProof::Answers { user, zone } => format!(
            "Cloudflare knows this token, yet /user/tokens/verify answered {}: the zone lookup answered {}, which Cloudflare sends to a known token without access (an unknown one gets 9109 \"Invalid access token\"). So it is an account-owned token, and {NO_ACCOUNT}",
            quote(user),
            quote(zone)
        ),
    })
}

pub(super) fn expired(expires_on: Option<&str>) -> Explained {
    seen(match expires_on {
        Some(date) => format!("Cloudflare says this API token expired on {date}"),
        None => "Cloudflare says this API token has expired".into(),
    })
}

pub(super) fn expiring(expires_on: &str, days: i64) -> Explained {
    seen(format!(
        "This API token expires on {expires_on}, in {}",
        plural(days.max(0) as usize, "day")
    ))
}

pub(super) fn ip_restricted(location: &str) -> Explained {
    seen_and_fix(
        format!("Cloudflare refused the token from this runner's address {location} (9109 \"Cannot use the access token from location\"): the token has a Client IP Address Filtering rule"),
        format!("GitHub-hosted runners have changing addresses: remove the Client IP Address Filtering from the token (dashboard → My Profile → API Tokens → Edit), or allow {location} and run on a self-hosted runner with a fixed address"),
    )
}

pub(super) fn key_rejected(errors: &[CfMessage]) -> Explained {
    seen(format!(
        "Cloudflare refused the email + Global API Key pair: {}",
        quote(errors)
    ))
}

pub(super) fn zone_not_found(
    zone: &str,
    visible: &[String],
    errors: &[CfMessage],
    parent: Option<&str>,
) -> Explained {
    if let Some(parent) = parent {
        return seen_and_fix(
            format!("{zone} is not a zone; its zone is {parent}"),
            format!("Set `zone: {parent}` (your URLs on {zone} stay valid: they are purged in {parent})"),
        );
    }
    let mut s = format!("The zone {zone} is not one this credential can see");
    if !errors.is_empty() {
        s.push_str(&format!(" (Cloudflare answered {})", quote(errors)));
    }
    if visible.is_empty() {
        s.push_str("; it sees no zones at all");
    } else {
        s.push_str(&format!("; it sees {}", list_some(visible)));
    }
    seen(s)
}

pub(super) fn not_active(name: &str, status: &str, others: &[String]) -> Explained {
    let also = match others {
        [] => String::new(),
        _ => format!(
            " (none of the zones of this name is active; also found: {})",
            list_some(others)
        ),
    };
    seen(format!(
        "The zone {name} is {status}, not active{also}: Cloudflare is not serving it, so a purge changes nothing visible"
    ))
}

pub(super) fn permission_missing(zone: &str, status: u16, errors: &[CfMessage]) -> Explained {
    seen(format!(
        "Cloudflare refused to purge the zone {zone} with HTTP {status}{}",
        quoted(errors)
    ))
}

pub(super) fn rejected(zone: &str, status: u16, errors: &[CfMessage]) -> Explained {
    seen(format!(
        "Cloudflare rejected the purge request for the zone {zone} with HTTP {status}{}",
        quoted(errors)
    ))
}

pub(super) fn rate_limited(attempts: u32, errors: &[CfMessage]) -> Explained {
    seen(format!(
        "Cloudflare still answered 429 Too Many Requests after {}{}",
        plural(attempts as usize, "attempt"),
        quoted(errors)
    ))
}

pub(super) fn unavailable(status: u16, attempts: u32, html: bool) -> Explained {
    seen(format!(
        "The Cloudflare API answered HTTP {status}{} after {}",
        if html { " with an HTML error page" } else { "" },
        plural(attempts as usize, "attempt")
    ))
}

pub(super) fn network(kind: NetKind, attempts: u32, host: &str, proxy: Option<&str>) -> Explained {
    let via = proxy
        .map(|p| format!(" through the proxy {p}"))
        .unwrap_or_default();
    let (what, fix) = match kind {
        NetKind::Dns => ("DNS lookup of the API host failed".to_string(), fix::NETWORK_REACH),
        NetKind::Connect => ("could not connect to the API host".to_string(), fix::NETWORK_REACH),
        NetKind::Tls => ("the TLS handshake with the API host failed".to_string(), fix::NETWORK_TLS),
        NetKind::TlsUnknownIssuer => (
            "the API host's TLS certificate is signed by an authority the action does not trust (unknown issuer)".to_string(),
            fix::NETWORK_ISSUER,
        ),
        NetKind::Proxy => (
            format!("the proxy {} refused to open the connection (its CONNECT was answered with an error)", proxy.unwrap_or("on the way")),
            fix::NETWORK_PROXY,
        ),
        NetKind::ProxyAuth => (
            "the proxy asks for a user name and password (HTTP 407 to CONNECT)".to_string(),
            fix::NETWORK_PROXY,
        ),
        NetKind::ProxyDns => ("DNS lookup of the proxy's host failed".to_string(), fix::NETWORK_PROXY),
        NetKind::ProxyConnect => ("could not connect to the proxy (nothing accepted the connection at its address)".to_string(), fix::NETWORK_PROXY),
        NetKind::ProxyDropped => ("the proxy closed the connection before it answered CONNECT".to_string(), fix::NETWORK_PROXY),
        NetKind::Timeout => ("the request timed out".to_string(), fix::NETWORK_SLOW),
        NetKind::Dropped => (
            "the connection was closed before an answer arrived".to_string(),
            fix::NETWORK_SLOW,
        ),
    };
    let after = plural(attempts as usize, "attempt");
    seen_and_fix(
        format!("Talking to {host}{via}: {what} (after {after})"),
        fix.to_string(),
    )
}

pub(super) fn unexpected(what: &Unexpected, status: u16) -> Explained {
    if let Unexpected::NoRoute(errors) = what {
        return seen_and_fix(
            format!("The token check answered HTTP {status}{}: `api_url` does not point at Cloudflare's API (it lacks /client/v4, or has a // in it), so the token was never checked", quoted(errors)),
            fix::NO_ROUTE.to_string(),
        );
    }
    let what = match what {
        Unexpected::NoRoute(_) => String::new(),
        Unexpected::Answer(foreign) => foreign_body(foreign),
        Unexpected::ZoneShape => "a zone whose id or name is not the shape of one".into(),
        Unexpected::TokenStatus(status) => {
            format!("a token status \"{status}\" that Cloudflare does not document")
        }
    };
    seen(format!(
        "The API answered HTTP {status} with {what}, not Cloudflare's JSON envelope"
    ))
}

/// A short, safe description of an answer that is not Cloudflare's envelope.
pub(crate) fn foreign_body(foreign: &Foreign) -> String {
    match foreign {
        Foreign::Body(BodyKind::Empty) => "an empty body".into(),
        Foreign::Body(BodyKind::Html) => "an HTML page".into(),
        Foreign::Body(BodyKind::BrokenJson) => {
            "JSON that does not parse (truncated or malformed)".into()
        }
        Foreign::Body(BodyKind::Text { bytes }) => format!("{bytes} bytes of non-JSON text"),
        Foreign::Body(BodyKind::NoSuccess) => {
            "JSON that is not Cloudflare's envelope (no \"success\")".into()
        }
        Foreign::Body(BodyKind::OddSuccess) => {
            "a JSON body whose \"success\" is not true or false".into()
        }
        Foreign::TooLarge => format!("a body larger than {} MiB", MAX_BODY / 1024 / 1024),
        Foreign::Redirect => "a redirect (not followed)".into(),
        Foreign::WrongShape(why) => format!("a result of the wrong shape ({why})"),
    }
}

pub(super) fn cancelled(not_confirmed: usize) -> Explained {
    seen(format!(
        "The runner cancelled the step: sending stopped, and {} not confirmed purged",
        match not_confirmed {
            1 => "1 item was".to_string(),
            n => format!("{} items were", crate::text::thousands(n)),
        }
    ))
}
