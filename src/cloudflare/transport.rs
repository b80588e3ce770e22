//! Sending one endpoint's request: authentication, timeouts, body limits, the one retry loop, error kinds.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde::de::DeserializeOwned;
use url::Url;

use super::endpoints::Endpoint;
use super::envelope::{self, CfMessage, Parsed};
use super::errors::{net_kind, refuses_certificate, ApiError, Failure, Foreign, NetKind};
use super::pacing::TokenBucket;
use super::proxy::Proxies;
use super::retry::{parse_retry_after, RetryPolicy};
use super::tls::CaBundle;
use crate::secret::{Redactor, Secret};

/// Answers larger than this are not Cloudflare's (the largest real one, a zone list, is ~100 KiB).
pub(crate) const MAX_BODY: usize = 4 * 1024 * 1024;

/// Cloudflare's global budget: 1,200 requests per 5 minutes per token, every endpoint counted.
/// The client spends a little less, leaving room for other tools using the token.
const BUDGET: f64 = 1150.0;
const WINDOW: Duration = Duration::from_secs(300);

/// The client's share of Cloudflare's global budget, refilling `pace` times as fast as Cloudflare's.
fn budget(pace: f64) -> Arc<TokenBucket> {
    Arc::new(TokenBucket::new(
        BUDGET,
        1200.0 / WINDOW.as_secs_f64() * pace,
    ))
}

/// How requests authenticate.
#[derive(Debug, Clone)]
pub(crate) enum Auth {
    Token(Secret),
    GlobalKey { email: String, key: Secret },
}

/// A successful answer and how many retries it took.
#[derive(Debug)]
pub(crate) struct Answer<T> {
    pub(crate) result: T,
    pub(crate) retries: u32,
}

/// What a caller of [`Client::call_with`] waits on before each attempt: the retry policy's delay,
/// and whatever else it paces by. `Err` withholds the attempt, and the call ends with it.
pub(crate) trait Gate {
    type Stop;
    fn before(
        &self,
        attempt: u32,
        delay: Duration,
    ) -> impl Future<Output = Result<(), Self::Stop>> + Send;
}

/// The gate of plain calls: wait the delay, then go.
pub(crate) struct Immediately;

impl Gate for Immediately {
    type Stop = Infallible;
    async fn before(&self, _attempt: u32, delay: Duration) -> Result<(), Infallible> {
        pause(delay).await;
        Ok(())
    }
}

/// Wait `delay`; no wait at all when it is zero (a zero sleep still waits for the timer's next
/// tick, up to a millisecond, on every first attempt).
pub(crate) async fn pause(delay: Duration) {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}

/// How a gated call ended without an answer.
#[derive(Debug)]
pub(crate) enum Ended<S> {
    Failed(Failure),
    Withheld(S),
}

/// Why the client could not be set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// The TLS backend refused its configuration.
    Tls,
    /// The extra CA certificates were refused (not certificates a TLS root store takes).
    CaCertificates,
}

/// What the client tells the run's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event<'a> {
    /// One attempt: the method and path, the status (none without an answer), the time taken.
    Attempt {
        what: &'a str,
        status: Option<u16>,
        took: Duration,
    },
    /// Cloudflare's global limit was reached: every request waits `wait`, what `Retry-After`
    /// asked (`asked`) up to the policy's cap.
    GlobalLimit { wait: Duration, asked: Duration },
    /// A request is tried again after a wait of the policy's `announce_after` or more.
    LongWait { wait: Duration },
}

/// Called with each [`Event`] of every request.
pub(crate) type RequestLog = Arc<dyn Fn(Event<'_>) + Send + Sync>;

/// Where requests go, as messages name it: the API host, and the proxy on the way (its address
/// only, never its credentials).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Peer {
    pub(crate) host: String,
    pub(crate) proxy: Option<String>,
}

/// The API client. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub(crate) struct Client {
    http: reqwest::Client,
    base: Url,
    peer: Peer,
    auth: Auth,
    policy: RetryPolicy,
    log: Option<RequestLog>,
    clock: Clock,
    /// Every attempt of every request spends one: the one place requests are paced by the budget.
    budget: Arc<TokenBucket>,
}

/// The run's clock: the injected time at a known instant, moved on by the monotonic clock. An
/// HTTP date in `Retry-After` is read against it, so tests can set the time the answers speak of.
#[derive(Clone, Copy)]
struct Clock {
    at: SystemTime,
    since: Instant,
}

impl Clock {
    fn now(&self) -> SystemTime {
        self.at + self.since.elapsed()
    }
}

/// How often one request was tried and how long it waited.
struct Tries {
    /// Attempts sent, counting from 1.
    sent: u32,
    /// Attempts the retry policy counts (not those after a wait for the global limit).
    counted: u32,
    waited: Duration,
    global_waits: u32,
    global_waited: Duration,
}

impl Default for Tries {
    fn default() -> Self {
        Tries {
            sent: 1,
            counted: 1,
            waited: Duration::ZERO,
            global_waits: 0,
            global_waited: Duration::ZERO,
        }
    }
}

/// One HTTP exchange as read off the wire.
struct Reply {
    status: u16,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

impl Client {
    pub(crate) fn new(
        base: Url,
        auth: Auth,
        timeout: Duration,
        proxies: Proxies,
        extra_roots: Option<&CaBundle>,
    ) -> Result<Self, SetupError> {
        let peer = Peer {
            host: base.host_str().unwrap_or_default().to_string(),
            proxy: proxies.for_url(&base).ok().flatten().map(|p| {
                let port = p.port().map(|port| format!(":{port}")).unwrap_or_default();
                format!(
                    "{}://{}{port}",
                    p.scheme(),
                    p.host_str().unwrap_or_default()
                )
            }),
        };
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("cloudflare-purge/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            // A redirect would carry the credential to wherever it points: never follow one.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!is_loopback(&base));
        // Proxies come from the run's environment (`Proxies`), not the process's.
        builder = proxies.add_to(builder);
        if let Some(roots) = extra_roots {
            builder = roots.add_to(builder);
        }
        // Only a certificate rustls refused is the bundle's fault; anything else is the backend's.
        let http = builder.build().map_err(|e| match extra_roots {
            Some(_) if refuses_certificate(&e) => SetupError::CaCertificates,
            _ => SetupError::Tls,
        })?;
        Ok(Client {
            http,
            base,
            peer,
            auth,
            policy: RetryPolicy::default(),
            log: None,
            clock: Clock {
                at: SystemTime::now(),
                since: Instant::now(),
            },
            budget: budget(1.0),
        })
    }

    /// Refill the budget `pace` times faster than Cloudflare's (tests; 1 in production).
    pub(crate) fn with_pace(mut self, pace: f64) -> Self {
        self.budget = budget(pace);
        self
    }

    /// Read the time from the run's clock: `now` is the time at this call.
    pub(crate) fn with_clock(mut self, now: SystemTime) -> Self {
        self.clock = Clock {
            at: now,
            since: Instant::now(),
        };
        self
    }

    pub(crate) fn with_log(mut self, log: RequestLog) -> Self {
        self.log = Some(log);
        self
    }

    pub(crate) fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub(crate) fn peer(&self) -> &Peer {
        &self.peer
    }

    /// Send the endpoint's request, retrying what is worth retrying.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint<T>,
    ) -> Result<Answer<T>, Failure> {
        match self.call_with(endpoint, &Immediately).await {
            Ok(answer) => Ok(answer),
            Err(Ended::Failed(failure)) => Err(failure),
            Err(Ended::Withheld(never)) => match never {},
        }
    }

    /// The one retry loop: before each attempt the gate waits (the policy's delay, and its own
    /// pacing), and may withhold the attempt. A request withheld before its first attempt was never
    /// sent; one whose retry is withheld was sent, and failed as its last attempt did.
    pub(crate) async fn call_with<T: DeserializeOwned, G: Gate>(
        &self,
        endpoint: &Endpoint<T>,
        gate: &G,
    ) -> Result<Answer<T>, Ended<G::Stop>> {
        let mut tries = Tries::default();
        let mut delay = Duration::ZERO;
        let mut last: Option<Failure> = None;
        loop {
            if let Err(stop) = gate.before(tries.sent, delay).await {
                return Err(last.map_or(Ended::Withheld(stop), Ended::Failed));
            }
            self.budget.take(1.0).await;
            let (error, retry_after) = match self.attempt(endpoint).await {
                Ok(result) => {
                    let retries = tries.sent - 1;
                    return Ok(Answer { result, retries });
                }
                Err(failed) => failed,
            };
            let next = self.next_wait(&mut tries, &error, retry_after);
            let failure = Failure {
                error,
                attempts: tries.sent,
                retry_after,
            };
            match next {
                Some(next) => delay = next,
                None => return Err(Ended::Failed(failure)),
            }
            tries.sent += 1;
            last = Some(failure);
        }
    }

    /// The wait before trying again after `error`, or `None` when the request is not tried again.
    /// Cloudflare's global limit with a `Retry-After` is waited out by every request of the run (the
    /// budget is held), without counting among the attempts; anything else follows the policy.
    fn next_wait(
        &self,
        tries: &mut Tries,
        error: &ApiError,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let global = retry_after.filter(|after| !after.is_zero() && error.is_global_limit());
        if let Some(after) = global {
            let wait = self
                .policy
                .next_global(tries.global_waits, tries.global_waited, after)?;
            tries.global_waits += 1;
            tries.global_waited += wait;
            let first = self.budget.hold(wait);
            if let (true, Some(log)) = (first, &self.log) {
                log(Event::GlobalLimit { wait, asked: after });
            }
            return Some(wait);
        }
        let retryable = is_retryable(error);
        let wait = self
            .policy
            .next(tries.counted, tries.waited, retryable, retry_after)?;
        tries.counted += 1;
        tries.waited += wait;
        if let (true, Some(log)) = (wait >= self.policy.announce_after, &self.log) {
            log(Event::LongWait { wait });
        }
        Some(wait)
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint<T>,
    ) -> Result<T, (ApiError, Option<Duration>)> {
        let started = Instant::now();
        let reply = self.exchange(endpoint).await;
        if let Some(log) = &self.log {
            let status = reply.as_ref().ok().map(|r| r.status);
            let what = endpoint.describe();
            let took = started.elapsed();
            log(Event::Attempt {
                what: &what,
                status,
                took,
            });
        }
        let reply = reply.map_err(|e| (e, None))?;
        interpret(reply.status, &reply.body).map_err(|e| (self.redact(e), reply.retry_after))
    }

    /// Cloudflare's messages are quoted to the user: one that echoes the credential (as a proxy at
    /// `api_url` might) must not print it.
    fn redact(&self, error: ApiError) -> ApiError {
        let secret = match &self.auth {
            Auth::Token(token) => token,
            Auth::GlobalKey { key, .. } => key,
        };
        let mut hidden = Redactor::default();
        hidden.hide_credential(secret.expose());
        match error {
            ApiError::Refused { status, errors } => ApiError::Refused {
                status,
                errors: errors.into_iter().map(|e| redact(e, &hidden)).collect(),
            },
            other => other,
        }
    }

    /// One HTTP exchange: the status, `Retry-After`, and the body (refused past [`MAX_BODY`]).
    async fn exchange<T>(&self, endpoint: &Endpoint<T>) -> Result<Reply, ApiError> {
        let mut request = self
            .http
            .request(endpoint.method.clone(), self.url(endpoint));
        request = match &self.auth {
            Auth::Token(token) => request.bearer_auth(token.expose()),
            Auth::GlobalKey { email, key } => {
                let request = request.header("X-Auth-Email", email);
                match sensitive(key) {
                    Some(value) => request.header("X-Auth-Key", value),
                    // Not a header value: the request fails as reqwest fails it.
                    None => request.header("X-Auth-Key", key.expose()),
                }
            }
        };
        if let Some(body) = &endpoint.body {
            request = request.json(body);
        }
        let network = |e: reqwest::Error| ApiError::Network { kind: net_kind(&e) };
        let mut response = request.send().await.map_err(network)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, self.clock.now()));
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network)? {
            if body.len() + chunk.len() > MAX_BODY {
                let body = Foreign::TooLarge;
                return Err(ApiError::Foreign { status, body });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            retry_after,
            body,
        })
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

/// The key as a header value marked sensitive, as reqwest marks a bearer token: kept out of
/// `Debug` output and out of HTTP/2's header compression tables.
fn sensitive(key: &Secret) -> Option<reqwest::header::HeaderValue> {
    let mut value = reqwest::header::HeaderValue::from_str(key.expose()).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Turn a status and body into the typed result or an error.
fn interpret<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, ApiError> {
    let foreign = |body| ApiError::Foreign { status, body };
    if (300..400).contains(&status) {
        return Err(foreign(Foreign::Redirect));
    }
    if (200..300).contains(&status) {
        if let Some(result) = envelope::success(body) {
            return Ok(result);
        }
    }
    match envelope::parse(body) {
        Parsed::Success(result) if (200..300).contains(&status) => {
            serde_json::from_str(result).map_err(|e| foreign(Foreign::WrongShape(e.to_string())))
        }
        Parsed::Success(_) => Err(ApiError::Refused {
            status,
            errors: Vec::new(),
        }),
        Parsed::Errors(errors) => Err(ApiError::Refused { status, errors }),
        Parsed::Foreign(kind) => Err(foreign(Foreign::Body(kind))),
    }
}

fn redact(mut message: CfMessage, hidden: &Redactor) -> CfMessage {
    message.message = printable(&hidden.redact(&message.message));
    message.documentation_url = printable(&hidden.redact(&message.documentation_url));
    message.error_chain = message
        .error_chain
        .into_iter()
        .map(|e| redact(e, hidden))
        .collect();
    message
}

/// Text from the answer as it may be printed: control characters (an escape sequence would
/// recolour or rewrite the log) become spaces; line breaks stay, the runner's escaping carries them.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' => c,
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

fn is_retryable(error: &ApiError) -> bool {
    match error {
        // A proxy that wants credentials wants them on every attempt.
        ApiError::Network { kind } => *kind != NetKind::ProxyAuth,
        // 1134 "Unable to purge, rate limit reached" is a rate limit whatever its status, but
        // an auth refusal is never tried again.
        ApiError::Refused { status, errors } => {
            RetryPolicy::retryable_status(*status)
                || (!matches!(status, 401 | 403) && errors.iter().any(|e| e.has_code(1134)))
        }
        // A garbled or HTML body is often a proxy's passing fault; a 4xx page is a wrong api_url.
        ApiError::Foreign { status, .. } => *status < 300 || RetryPolicy::retryable_status(*status),
    }
}

/// `http://` is allowed only to this machine (tests, local fakes).
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_global_key_header_is_sensitive_like_a_bearer_token() {
        let key = Secret::new("7a1b2c3d4e5f60718293a4b5c6d7e8f901234");
        let value = sensitive(&key).unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), key.expose());
        assert!(!format!("{value:?}").contains("7a1b"));
        assert!(sensitive(&Secret::new("line\nbreak")).is_none());
    }
}
