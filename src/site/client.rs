//! One `GET` to the user's site: no credential, no redirect followed, the body read up to a cap and
//! dropped, through the run's proxies and CA certificates as the API's requests are.

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use crate::cloudflare::{net_kind, BadProxy, CaBundle, NetKind, Proxies, SetupError};

/// How much of a page `confirm` reads: its verdict is in the headers.
pub const CONFIRM_BODY: usize = 64 * 1024;
/// How much of a page `wait_for` searches for its text.
pub const WAIT_BODY: usize = 1024 * 1024;

/// The client for the user's site. Built apart from the API's client so that no authentication,
/// default header or connection of the API's can reach another host. Cheap to clone.
#[derive(Clone)]
pub struct SiteClient {
    http: reqwest::Client,
    proxies: Proxies,
}

/// One request: the URL, extra headers (the item's cache-key headers, or `Cache-Control`), how
/// much body to read, and a text to look for in the body and the header values.
#[derive(Debug, Clone, Copy)]
pub struct Get<'a> {
    pub url: &'a Url,
    pub headers: &'a [(String, String)],
    pub body_cap: usize,
    pub find: Option<&'a str>,
}

/// What the site answered, reduced to what the judgements read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteAnswer {
    pub status: u16,
    /// `CF-Cache-Status`, upper case.
    pub(crate) cache_status: Option<String>,
    /// `Age` in seconds, when it is a number.
    pub(crate) age: Option<u64>,
    /// `Age` as sent, when there was one that is not a whole number of seconds.
    pub(crate) age_unreadable: Option<String>,
    /// `cf-ray`: present when Cloudflare proxied the answer.
    pub(crate) cf_ray: Option<String>,
    pub(crate) location: Option<String>,
    /// `cf-mitigated`, lower case (`challenge` when Cloudflare's bot protection answered).
    pub(crate) cf_mitigated: Option<String>,
    /// Other CDNs' headers (`x-served-by`, `x-cache`, `via`, …), names in lower case.
    pub(crate) cdn_headers: Vec<(String, String)>,
    /// Whether `find` occurs in the body read or in any header value (false without `find`).
    pub found: bool,
    /// Bytes of body read, at most the cap.
    pub body_read: usize,
    /// Whether the body went on past the cap (the rest was not read).
    pub body_cut: bool,
}

/// Why a request to the site got no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum SiteFailure {
    /// Timeout, connection, TLS, proxy or a reset: as the API's requests name them.
    Network(NetKind),
    /// What came back is no HTTP answer.
    Garbage,
    /// The proxy variable for this URL holds no proxy URL: nothing was sent.
    BadProxy(BadProxy),
    /// A header of the item cannot be sent (not a valid name or value): nothing was sent.
    BadHeader,
}

/// Header names that carry credentials: never sent to a site, whatever a list names.
const CREDENTIAL_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "cf-access-client-secret",
];

/// The headers of other CDNs the verdicts name.
const CDN_HEADERS: [&str; 7] = [
    "x-served-by",
    "x-cache",
    "via",
    "x-amz-cf-id",
    "x-vercel-cache",
    "x-nf-request-id",
    "x-fastly-request-id",
];

impl SiteClient {
    /// `timeout` bounds each request, body included.
    pub fn new(
        timeout: Duration,
        proxies: Proxies,
        extra_roots: Option<&CaBundle>,
    ) -> Result<Self, SetupError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("cloudflare-purge/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            // A redirect is a verdict of its own (its `Location` is reported), never followed.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);
        builder = proxies.add_to(builder);
        if let Some(roots) = extra_roots {
            builder = roots.add_to(builder);
        }
        let http = builder.build().map_err(|_| match extra_roots {
            Some(_) => SetupError::CaCertificates,
            None => SetupError::Tls,
        })?;
        Ok(SiteClient { http, proxies })
    }

    /// `confirm`'s request (contract §10): the item's cache-key headers, 64 KiB of body at most.
    pub async fn confirm(
        &self,
        url: &Url,
        headers: &[(String, String)],
    ) -> Result<SiteAnswer, SiteFailure> {
        let get = Get {
            url,
            headers,
            body_cap: CONFIRM_BODY,
            find: None,
        };
        self.get(&get).await
    }

    /// One `wait_for` poll (contract §11): past every cache on the way, 1 MiB of body searched
    /// for `text`.
    pub async fn poll(&self, url: &Url, text: &str) -> Result<SiteAnswer, SiteFailure> {
        let headers = [("Cache-Control".to_string(), "no-cache".to_string())];
        let get = Get {
            url,
            headers: &headers,
            body_cap: WAIT_BODY,
            find: Some(text),
        };
        self.get(&get).await
    }

    /// Send one `GET` and read its answer.
    pub async fn get(&self, get: &Get<'_>) -> Result<SiteAnswer, SiteFailure> {
        self.proxies
            .for_url(get.url)
            .map_err(|bad| SiteFailure::BadProxy(bad.clone()))?;
        let mut request = self.http.get(get.url.clone());
        for (name, value) in get.headers {
            if !is_credential(name) {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        let mut response = request.send().await.map_err(failure)?;
        let mut answer = read_headers(response.status().as_u16(), response.headers());
        answer.found = get.find.is_some_and(|t| in_headers(response.headers(), t));
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failure)? {
            let room = get.body_cap - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if chunk.len() > room {
                answer.body_cut = true;
                break;
            }
        }
        answer.body_read = body.len();
        answer.found |= get.find.is_some_and(|t| contains(&body, t.as_bytes()));
        Ok(answer)
    }
}

fn is_credential(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    CREDENTIAL_HEADERS.contains(&name.as_str()) || name.starts_with("x-auth-")
}

fn read_headers(status: u16, headers: &HeaderMap) -> SiteAnswer {
    let text = |name: &str| {
        headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
    };
    SiteAnswer {
        status,
        cache_status: text("cf-cache-status").map(|s| s.to_ascii_uppercase()),
        age: text("age").and_then(|a| a.parse().ok()),
        age_unreadable: text("age").filter(|a| a.parse::<u64>().is_err()),
        cf_ray: text("cf-ray"),
        location: text("location"),
        cf_mitigated: text("cf-mitigated").map(|s| s.to_ascii_lowercase()),
        cdn_headers: CDN_HEADERS
            .iter()
            .flat_map(|name| text(name).map(|v| (name.to_string(), v)))
            .collect(),
        ..SiteAnswer::default()
    }
}

fn in_headers(headers: &HeaderMap, text: &str) -> bool {
    headers
        .values()
        .any(|v| contains(v.as_bytes(), text.as_bytes()))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// What failed, from reqwest's error: an answer that is no HTTP is told apart from the network's
/// faults, which are named as the API's are.
fn failure(error: reqwest::Error) -> SiteFailure {
    if error.is_builder() {
        return SiteFailure::BadHeader;
    }
    let mut source: Option<&dyn std::error::Error> = Some(&error);
    while let Some(e) = source {
        let text = e.to_string().to_ascii_lowercase();
        // hyper's words for a status line or header it could not parse.
        if ["parsed", "message head is too large", "unexpected message"]
            .iter()
            .any(|w| text.contains(w))
        {
            return SiteFailure::Garbage;
        }
        source = e.source();
    }
    SiteFailure::Network(net_kind(&error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_headers_are_known_in_any_case() {
        for name in ["Authorization", "X-Auth-Key", "x-auth-email", " Cookie"] {
            assert!(is_credential(name), "{name}");
        }
        for name in ["CF-Device-Type", "Accept-Language", "Cache-Control"] {
            assert!(!is_credential(name), "{name}");
        }
    }

    #[test]
    fn text_is_found_across_the_whole_body() {
        assert!(contains(b"build abc123 live", b"abc123"));
        assert!(!contains(b"build abc12", b"abc123"));
        assert!(contains(b"", b""));
    }
}
