//! Sending one endpoint's request: authentication, timeouts, body limits, retries, error kinds.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde::de::DeserializeOwned;
use url::Url;

use super::endpoints::Endpoint;
use super::envelope::{self, CfMessage, Parsed};
use super::retry::{parse_retry_after, RetryPolicy};
use crate::diagnosis::NetKind;

/// Answers larger than this are not Cloudflare's (the largest real one, a zone list, is ~100 KiB).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// How requests authenticate. `Debug` never shows the secret.
#[derive(Clone)]
pub enum Auth {
    Token(String),
    GlobalKey { email: String, key: String },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Token(t) => write!(f, "Token(<{} characters>)", t.len()),
            Auth::GlobalKey { key, .. } => write!(f, "GlobalKey(<{} characters>)", key.len()),
        }
    }
}

/// A successful answer and how many retries it took.
#[derive(Debug)]
pub struct Answer<T> {
    pub result: T,
    pub retries: u32,
}

/// Why a request failed for good.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// Cloudflare's envelope with `success: false` (or a bare `{code, message}`).
    Refused {
        status: u16,
        errors: Vec<CfMessage>,
    },
    /// A body that is not Cloudflare's envelope.
    Foreign {
        status: u16,
        what: String,
        html: bool,
    },
    Network {
        kind: NetKind,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: ApiError,
    pub attempts: u32,
    /// The last answer's `Retry-After`, when it had one.
    pub retry_after: Option<Duration>,
}

impl Failure {
    pub fn status(&self) -> Option<u16> {
        match &self.error {
            ApiError::Refused { status, .. } | ApiError::Foreign { status, .. } => Some(*status),
            ApiError::Network { .. } => None,
        }
    }

    pub fn errors(&self) -> &[CfMessage] {
        match &self.error {
            ApiError::Refused { errors, .. } => errors,
            _ => &[],
        }
    }

    pub fn has_code(&self, code: i64) -> bool {
        self.errors().iter().any(|e| e.has_code(code))
    }
}

/// Called once per attempt with the method, path, status (0 for none) and time taken.
pub type RequestLog = Arc<dyn Fn(&str, Option<u16>, Duration) + Send + Sync>;

/// The API client. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    auth: Auth,
    policy: RetryPolicy,
    log: Option<RequestLog>,
}

impl Client {
    pub fn new(base: Url, auth: Auth, timeout: Duration) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("cloudflare-purge/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            // A redirect would carry the credential to wherever it points: never follow one.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!is_loopback(&base))
            .build()?;
        Ok(Client {
            http,
            base,
            auth,
            policy: RetryPolicy::default(),
            log: None,
        })
    }

    pub fn with_log(mut self, log: RequestLog) -> Self {
        self.log = Some(log);
        self
    }

    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn host(&self) -> String {
        self.base.host_str().unwrap_or_default().to_string()
    }

    /// Send the endpoint's request, retrying what is worth retrying.
    pub async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint<T>,
    ) -> Result<Answer<T>, Failure> {
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            let (error, retry_after) = match self.attempt(endpoint).await {
                Ok(result) => {
                    return Ok(Answer {
                        result,
                        retries: attempt - 1,
                    })
                }
                Err(outcome) => outcome,
            };
            let delay = self.policy.delay(attempt, retry_after);
            let paced_elsewhere = !self.policy.retry_rate_limited && is_rate_limit(&error);
            if !is_retryable(&error)
                || paced_elsewhere
                || attempt >= self.policy.max_attempts
                || waited + delay > self.policy.total_wait
            {
                return Err(Failure {
                    error,
                    attempts: attempt,
                    retry_after,
                });
            }
            tokio::time::sleep(delay).await;
            waited += delay;
            attempt += 1;
        }
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint<T>,
    ) -> Result<T, (ApiError, Option<Duration>)> {
        let started = Instant::now();
        let result = self.exchange(endpoint).await;
        if let Some(log) = &self.log {
            let status = result.as_ref().ok().map(|(status, _, _)| *status);
            log(&endpoint.describe(), status, started.elapsed());
        }
        let (status, retry_after, body) =
            result.map_err(|kind| (ApiError::Network { kind }, None))?;
        interpret(status, &body).map_err(|e| (self.redact(e), retry_after))
    }

    /// Cloudflare's messages are quoted to the user: one that echoes the credential (as a proxy at
    /// `api_url` might) must not print it.
    fn redact(&self, error: ApiError) -> ApiError {
        let secret = match &self.auth {
            Auth::Token(token) => token,
            Auth::GlobalKey { key, .. } => key,
        };
        match error {
            ApiError::Refused { status, errors } if !secret.is_empty() => ApiError::Refused {
                status,
                errors: errors.into_iter().map(|e| redact(e, secret)).collect(),
            },
            other => other,
        }
    }

    /// One HTTP exchange: the status, `Retry-After`, and the body (capped).
    async fn exchange<T>(
        &self,
        endpoint: &Endpoint<T>,
    ) -> Result<(u16, Option<Duration>, Vec<u8>), NetKind> {
        let mut request = self
            .http
            .request(endpoint.method.clone(), self.url(endpoint));
        request = match &self.auth {
            Auth::Token(token) => request.bearer_auth(token),
            Auth::GlobalKey { email, key } => request
                .header("X-Auth-Email", email)
                .header("X-Auth-Key", key),
        };
        if let Some(body) = &endpoint.body {
            request = request.json(body);
        }
        let mut response = request.send().await.map_err(|e| net_kind(&e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| net_kind(&e))? {
            if body.len() + chunk.len() > MAX_BODY {
                body.truncate(0);
                body.extend_from_slice(b"\0too-large");
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, retry_after, body))
    }

    fn url<T>(&self, endpoint: &Endpoint<T>) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            segments.extend(&endpoint.segments);
        }
        if !endpoint.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&endpoint.query);
        }
        url
    }
}

/// Turn a status and body into the typed result or an error.
fn interpret<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, ApiError> {
    if body == b"\0too-large" {
        let what = format!("a body larger than {} MiB", MAX_BODY / 1024 / 1024);
        return Err(ApiError::Foreign {
            status,
            what,
            html: false,
        });
    }
    if (300..400).contains(&status) {
        let what = "a redirect (not followed)".to_string();
        return Err(ApiError::Foreign {
            status,
            what,
            html: false,
        });
    }
    match envelope::parse(body) {
        Parsed::Success(result) if (200..300).contains(&status) => serde_json::from_value(result)
            .map_err(|e| ApiError::Foreign {
                status,
                what: format!("a result of the wrong shape ({e})"),
                html: false,
            }),
        Parsed::Success(_) => Err(ApiError::Refused {
            status,
            errors: Vec::new(),
        }),
        Parsed::Errors(errors) => Err(ApiError::Refused { status, errors }),
        Parsed::Foreign(what) => Err(ApiError::Foreign {
            status,
            what,
            html: envelope::is_html(body),
        }),
    }
}

fn redact(mut message: CfMessage, secret: &str) -> CfMessage {
    message.message = message.message.replace(secret, "[credential]");
    message.error_chain = message
        .error_chain
        .into_iter()
        .map(|e| redact(e, secret))
        .collect();
    message
}

fn is_rate_limit(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Refused { status: 429, .. } | ApiError::Foreign { status: 429, .. }
    )
}

fn is_retryable(error: &ApiError) -> bool {
    match error {
        ApiError::Network { .. } => true,
        ApiError::Refused { status, .. } => RetryPolicy::retryable_status(*status),
        // A garbled or HTML body is often a proxy's passing fault; a 4xx page is a wrong api_url.
        ApiError::Foreign { status, .. } => *status < 300 || RetryPolicy::retryable_status(*status),
    }
}

/// Which step of the transport failed, read from reqwest's error and its sources.
fn net_kind(error: &reqwest::Error) -> NetKind {
    if error.is_timeout() {
        return NetKind::Timeout;
    }
    let mut chain = String::new();
    let mut tls = false;
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        chain.push_str(&e.to_string().to_ascii_lowercase());
        chain.push('\n');
        // rustls reports a failed handshake as an io::Error of kind InvalidData; TCP never does.
        tls |= e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData);
        source = e.source();
    }
    let says = |words: &[&str]| words.iter().any(|w| chain.contains(w));
    if says(&["dns error", "failed to lookup", "name or service"]) {
        NetKind::Dns
    } else if tls
        || says(&[
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "alert",
        ])
    {
        NetKind::Tls
    } else if says(&["timed out"]) {
        NetKind::Timeout
    } else if error.is_connect() {
        NetKind::Connect
    } else {
        NetKind::Dropped
    }
}

/// `http://` is allowed only to this machine (tests, local fakes).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}
