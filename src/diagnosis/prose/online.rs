//! The words for causes Cloudflare's answers (or their absence) decided.

use super::general as fix;
use super::{seen, seen_and_fix, Explained};
use crate::cloudflare::{BodyKind, CfMessage, Eviction, Foreign, NetKind, MAX_BODY};
use crate::diagnosis::{quote, AccountProof, ConfirmProblem, SiteAnswer, Unexpected};
use crate::text::{for_count, list_some, plural};

/// ": 1000 \"Invalid API Token\"", or nothing when Cloudflare sent no error.
fn quoted(errors: &[CfMessage]) -> String {
    if errors.is_empty() {
        String::new()
    } else {
        format!(": {}", quote(errors))
    }
}

pub(in crate::diagnosis) fn token_invalid(
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

pub(in crate::diagnosis) fn needs_account_id(proof: &AccountProof) -> Explained {
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

pub(in crate::diagnosis) fn expired(expires_on: Option<&str>) -> Explained {
    seen(match expires_on {
        Some(date) => format!("Cloudflare says this API token expired on {date}"),
        None => "Cloudflare says this API token has expired".into(),
    })
}

pub(in crate::diagnosis) fn expiring(expires_on: &str, days: i64) -> Explained {
    seen(format!(
        "This API token expires on {expires_on}, {}",
        crate::diagnosis::expiry::days_left_words(days)
    ))
}

pub(in crate::diagnosis) fn ip_restricted(location: &str) -> Explained {
    seen_and_fix(
        format!("Cloudflare refused the token from this runner's address {location} (9109 \"Cannot use the access token from location\"): the token has a Client IP Address Filtering rule"),
        ip_restricted_fix(location),
    )
}

/// `address`: the runner's address, or "the runner's address" in general.
pub(in crate::diagnosis) fn ip_restricted_fix(address: &str) -> String {
    format!("GitHub-hosted runners have changing addresses: remove the Client IP Address Filtering from the token (dashboard → My Profile → API Tokens → Edit), or allow {address} and run on a self-hosted runner with a fixed address")
}

pub(in crate::diagnosis) fn key_rejected(errors: &[CfMessage]) -> Explained {
    seen(format!(
        "Cloudflare refused the email + Global API Key pair: {}",
        quote(errors)
    ))
}

pub(in crate::diagnosis) fn zone_not_found(
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

pub(in crate::diagnosis) fn not_active(name: &str, status: &str, others: &[String]) -> Explained {
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

pub(in crate::diagnosis) fn permission_missing(
    zone: &str,
    status: u16,
    errors: &[CfMessage],
) -> Explained {
    seen(format!(
        "Cloudflare refused to purge the zone {zone} with HTTP {status}{}",
        quoted(errors)
    ))
}

pub(in crate::diagnosis) fn rejected(
    zone: &str,
    status: u16,
    errors: &[CfMessage],
    how: Eviction,
    unavailable: bool,
) -> Explained {
    let request = match how {
        Eviction::Purge => "purge",
        Eviction::Invalidate => "invalidation (invalidate_cache)",
    };
    let seen_here = format!(
        "Cloudflare rejected the {request} request for the zone {zone} with HTTP {status}{}",
        quoted(errors)
    );
    if !unavailable {
        return seen(seen_here);
    }
    seen_and_fix(
        format!("{seen_here}: invalidate_cache is not available for this zone"),
        "Purge instead: set `invalidate: false` (or remove it), then re-run the job, or give the `failed` output to `files`".to_string(),
    )
}

pub(in crate::diagnosis) fn rate_limited(attempts: u32, errors: &[CfMessage]) -> Explained {
    let global = errors.iter().any(|e| e.has_code(971) || e.has_code(10100));
    if !global {
        return seen(format!(
            "Cloudflare still refused for its rate limit (429 Too Many Requests, or 1134 for purges) after {}{}",
            plural(attempts as usize, "attempt"),
            quoted(errors)
        ));
    }
    seen_and_fix(
        format!(
            "Cloudflare's API limit for this credential (1,200 requests per 5 minutes, every tool that uses it counted) was still reached after {}{}",
            plural(attempts as usize, "attempt"),
            quoted(errors)
        ),
        "Re-run the job once other jobs and tools using this credential are done (the limit lasts 5 minutes), or give this job a token of its own".to_string(),
    )
}

pub(in crate::diagnosis) fn unavailable(status: u16, attempts: u32, html: bool) -> Explained {
    seen(format!(
        "The Cloudflare API answered HTTP {status}{} after {}",
        if html { " with an HTML error page" } else { "" },
        plural(attempts as usize, "attempt")
    ))
}

pub(in crate::diagnosis) fn network(
    kind: NetKind,
    attempts: u32,
    host: &str,
    proxy: Option<&str>,
) -> Explained {
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

pub(in crate::diagnosis) fn unexpected(what: &Unexpected, status: u16) -> Explained {
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
        Unexpected::OtherZone => "another zone than the one asked for by its ID".into(),
        Unexpected::TokenStatus(status) => {
            format!("a token status \"{status}\" that Cloudflare does not document")
        }
        Unexpected::TokenDate { field, value } => {
            format!("a token's {field} \"{value}\" that is no date")
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

pub(in crate::diagnosis) fn cancelled(not_confirmed: usize, verifying: bool) -> Explained {
    if verifying {
        return seen_and_fix(
            "The runner cancelled the step before the checks ended: nothing was purged (mode: verify)".into(),
            "Re-run the job to check the credential and the zones again".into(),
        );
    }
    if not_confirmed == 0 {
        // The cancel came when the last answers were in: nothing is left to purge again.
        return seen_and_fix(
            "The runner cancelled the step as it ended: every item was purged before that".into(),
            "Nothing is left to purge: the step failed only because it was cancelled".into(),
        );
    }
    seen(format!(
        "The runner cancelled the step: sending stopped, and {} {} not confirmed purged",
        plural(not_confirmed, "item"),
        for_count(not_confirmed, "was", "were")
    ))
}

/// The last answer of a wait, as the texts of §11 give it.
fn site_answer(answer: &SiteAnswer) -> String {
    let cache = answer.cache_status.as_deref().unwrap_or("none");
    let age = answer
        .age
        .map(|age| format!(", Age {age}"))
        .unwrap_or_default();
    format!("HTTP {}, CF-Cache-Status {cache}{age}", answer.status)
}

pub(in crate::diagnosis) fn origin_not_updated(
    url: &str,
    waited_seconds: u64,
    last: Option<&SiteAnswer>,
    text_found: bool,
    failure: Option<NetKind>,
) -> Explained {
    let waited = plural(waited_seconds as usize, "second");
    // No poll got an answer: the runner could not reach the URL, which says nothing of the build.
    if let (None, Some(kind)) = (last, failure) {
        let fix = match kind {
            NetKind::Tls | NetKind::TlsUnknownIssuer => Some("The runner could not verify the site's certificate: when a private CA or a TLS-inspecting proxy signs it, give that CA's certificates in `ca_certificates`"),
            NetKind::Proxy | NetKind::ProxyAuth | NetKind::ProxyDns | NetKind::ProxyConnect | NetKind::ProxyDropped => Some("The proxy in HTTPS_PROXY / HTTP_PROXY failed for the site: check that it runs and lets the runner through, or list the site's host in NO_PROXY"),
            _ => None,
        };
        if let Some(fix) = fix {
            return seen_and_fix(
                format!("{url} could not be reached within {waited} (no poll got an answer: {}), so whether the new build is live is unknown", site_net(kind)),
                format!("Nothing was purged. {fix}. Then re-run the job, or give the `failed` output to `files`"),
            );
        }
    }
    let last = match last {
        Some(answer) => format!(
            "the last answer was {}, {}",
            site_answer(answer),
            if text_found {
                "with the text"
            } else {
                "without the text"
            }
        ),
        None => "no poll got an answer".to_string(),
    };
    seen(format!(
        "{url} did not show wait_for_text within {waited} ({last}): the new build is not live"
    ))
}

pub(in crate::diagnosis) fn purge_no_effect(
    url: &str,
    age_seconds: u64,
    seconds_since_purge: u64,
    invalidate: bool,
) -> Explained {
    let (accepted, evict) = if invalidate {
        ("the invalidation", "did not mark stale")
    } else {
        ("the purge", "did not evict")
    };
    seen(format!(
        "Cloudflare accepted {accepted}, yet {url} is still served from its cache with Age {age_seconds}, older than the {} since {accepted}: it {evict} what visitors get",
        plural(seconds_since_purge as usize, "second")
    ))
}

/// " (its headers show Fastly in front of it)", or nothing.
fn in_front(other_cdn: Option<&str>) -> String {
    other_cdn
        .map(|cdn| format!("; its headers show {cdn} in front of it"))
        .unwrap_or_default()
}

pub(in crate::diagnosis) fn not_cached(
    url: &str,
    cache_status: Option<&str>,
    other_cdn: Option<&str>,
) -> Explained {
    let status = match cache_status {
        Some(status) => format!("CF-Cache-Status {status}"),
        None => "no CF-Cache-Status".to_string(),
    };
    seen(format!(
        "{url} is not cached by Cloudflare ({status}){}",
        in_front(other_cdn)
    ))
}

pub(in crate::diagnosis) fn not_proxied(url: &str, other_cdn: Option<&str>) -> Explained {
    seen(format!(
        "{url} answered without a cf-ray header: its host is not served through Cloudflare, so purging there changes nothing{}",
        in_front(other_cdn)
    ))
}

pub(in crate::diagnosis) fn purged_redirect(
    url: &str,
    status: u16,
    location: Option<&str>,
) -> Explained {
    let target = location.map(|to| format!(" to {to}")).unwrap_or_default();
    seen(format!(
        "{url} answers HTTP {status}, a redirect{target}: the redirect itself was purged, and its target is a separate URL that needs its own purge"
    ))
}

pub(in crate::diagnosis) fn confirm_failed(url: &str, problem: &ConfirmProblem) -> Explained {
    let why = match problem {
        ConfirmProblem::Network(kind) => format!("a network failure: {}", site_net(*kind)),
        ConfirmProblem::Status(status) => format!("it answered HTTP {status}"),
        ConfirmProblem::Challenge(status) => format!(
            "it answered HTTP {status} with a Cloudflare challenge (cf-mitigated: challenge): bot protection challenged the runner"
        ),
        ConfirmProblem::Blocked(status) => {
            format!("it answered HTTP {status}: a WAF rule or rate limit of the site blocked the runner")
        }
        ConfirmProblem::HitWithoutAge => {
            "it answered CF-Cache-Status HIT without an Age header, so when it was cached is unknown".to_string()
        }
        ConfirmProblem::AgeUnreadable(age) => format!(
            "it answered CF-Cache-Status HIT with an Age header that could not be read as whole seconds ({age}), so when it was cached is unknown"
        ),
        ConfirmProblem::Garbage => "what came back is no HTTP answer".to_string(),
        ConfirmProblem::BadHeader => {
            "a cache-key header of the item cannot be sent in an HTTP request, so nothing was sent".to_string()
        }
    };
    seen_and_fix(
        format!("{url} could not be checked after the purge ({why})"),
        confirm_fix(problem),
    )
}

/// What to do about a URL that could not be checked: it depends on what stood in the way.
fn confirm_fix(problem: &ConfirmProblem) -> String {
    const STANDS: &str = "The purge result stands.";
    let what = match problem {
        ConfirmProblem::Challenge(_) | ConfirmProblem::Blocked(_) => "To get a verdict, let the runner reach the URL: bot protection often challenges CI runners (a WAF skip rule for the check's User-Agent `cloudflare-purge`, or a `confirm_urls` URL without protection), then re-run",
        ConfirmProblem::HitWithoutAge | ConfirmProblem::AgeUnreadable(_) => "Cloudflare sends a number of seconds in Age with every HIT: something between it and the runner (a Worker, a Transform Rule, another proxy) removes or rewrites it. Check the URL with `curl -sI`, or list in `confirm_urls` a URL that keeps its Age",
        ConfirmProblem::Network(NetKind::Tls | NetKind::TlsUnknownIssuer) => "The site's certificate could not be verified from the runner: when a private CA or a TLS-inspecting proxy signs it, give that CA's certificates in `ca_certificates`",
        ConfirmProblem::Network(
            NetKind::Proxy | NetKind::ProxyAuth | NetKind::ProxyDns | NetKind::ProxyConnect | NetKind::ProxyDropped,
        ) => "The proxy in HTTPS_PROXY / HTTP_PROXY failed for the site: check that it runs and lets the runner through, or list the site's host in NO_PROXY",
        ConfirmProblem::Network(_) | ConfirmProblem::Garbage => "The site did not answer the check from the runner: look at its health, raise `timeout_seconds` if it is slow, then re-run",
        ConfirmProblem::Status(status) if *status >= 500 => "The site answered with a server error: look at the origin's health, then re-run",
        ConfirmProblem::Status(_) => "The URL is not a page the site serves to the runner: check it, or list in `confirm_urls` a URL that is",
        ConfirmProblem::BadHeader => "Correct the item's `headers`: a header value cannot hold line breaks or control characters",
    };
    format!("{STANDS} {what}")
}

pub(in crate::diagnosis) fn wait_url_cached(url: &str) -> Explained {
    seen(format!(
        "{url} was answered from Cloudflare's cache (CF-Cache-Status HIT) without the text, so it cannot show the new build before a purge"
    ))
}

/// A network failure talking to a site, in a few words.
fn site_net(kind: NetKind) -> &'static str {
    match kind {
        NetKind::Dns => "DNS lookup failed",
        NetKind::Connect => "could not connect",
        NetKind::Tls | NetKind::TlsUnknownIssuer => "the TLS handshake failed",
        NetKind::Proxy | NetKind::ProxyAuth | NetKind::ProxyDns | NetKind::ProxyConnect => {
            "the proxy did not open the connection"
        }
        NetKind::ProxyDropped | NetKind::Dropped => "the connection was closed before an answer",
        NetKind::Timeout => "the request timed out",
    }
}
