//! A fake Cloudflare API on 127.0.0.1 that answers like the real one: the error bodies and statuses
//! are the recorded ones in `tests/it/fixtures/observed-bodies.json` (a copy of the shared reference).

#![allow(dead_code)]

mod model;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

pub const API_PREFIX: &str = "/client/v4";
pub const ACCOUNT_ID: &str = "9a7806061c88ada191ed06f989cc3dac";
pub const OTHER_ACCOUNT_ID: &str = "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e";
pub const ZONE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
pub const ZONE_NAME: &str = "example.com";
pub const ENT_ZONE_ID: &str = "1d5fdc9e88c8a8c4518b068cd94331fe";
pub const ENT_ZONE_NAME: &str = "big.example";
pub const OTHER_ZONE_ID: &str = "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c";
/// A second Free zone of the account of `example.com`: the two share Cloudflare's purge buckets.
pub const SHOP_ZONE_ID: &str = "5b6c7d8e9f0a1b2c3d4e5f60718293a4";
pub const SHOP_ZONE_NAME: &str = "shop.example";
pub const OTHER_ZONE_NAME: &str = "other.example";
pub const RUNNER_IP: &str = "203.0.113.7";

/// A recorded body from the shared reference, by its `case` name.
pub fn observed(case: &str) -> Value {
    static FILE: &str = include_str!("../../fixtures/observed-bodies.json");
    let all: Vec<Value> = serde_json::from_str(FILE).expect("fixture parses");
    all.into_iter()
        .find(|c| c["case"] == case)
        .unwrap_or_else(|| panic!("no observed case {case:?}"))["body"]
        .clone()
}

/// 1134, the purge rate limit as Cloudflare's purge page documents it, with the page it names.
pub fn purge_rate_limit() -> Value {
    json!({"success": false, "errors": [{"code": 1134,
        "message": "Unable to purge, rate limit reached. Please wait and consider throttling your request speed",
        "documentation_url": "https://developers.cloudflare.com/cache/how-to/purge-cache/#availability-and-limits"}],
        "messages": [], "result": null})
}

/// 1092, Cloudflare's refusal of `purge_everything` together with a list (reference README).
pub fn purge_everything_and_lists() -> Value {
    json!({"success": false, "errors": [{"code": 1092,
        "message": "Request cannot contain \"purge_everything\" and any of \"files\", \"tags\", \"hosts\" or \"prefixes\""}],
        "messages": [], "result": null})
}

/// What the fake received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// Below `/client/v4`, e.g. `/zones/…/purge_cache`.
    pub path: String,
    pub query: String,
    pub headers: HashMap<String, String>,
    pub body: Option<Value>,
    pub at: Instant,
}

impl Received {
    /// A purge or an invalidation (`invalidate_cache` takes the same bodies and limits).
    pub fn is_purge(&self) -> bool {
        self.method == "POST" && (self.path.ends_with("/purge_cache") || self.is_invalidation())
    }

    pub fn is_invalidation(&self) -> bool {
        self.method == "POST" && self.path.ends_with("/invalidate_cache")
    }

    /// The items of a purge body (files as URLs).
    pub fn purged_items(&self) -> Vec<String> {
        let Some(body) = &self.body else {
            return vec![];
        };
        for key in ["files", "tags", "hosts", "prefixes"] {
            if let Some(items) = body[key].as_array() {
                return items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| i["url"].as_str().unwrap_or_default().to_string())
                    })
                    .collect();
            }
        }
        if body["purge_everything"] == json!(true) {
            return vec!["everything".into()];
        }
        vec![]
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Owner {
    User,
    Account,
}

/// An API token the fake knows.
#[derive(Debug, Clone)]
pub struct Token {
    pub owner: Owner,
    pub status: &'static str,
    pub expires_on: Option<String>,
    pub not_before: Option<String>,
    /// Zones it can read (Zone Read).
    pub read: Vec<&'static str>,
    /// Zones it can purge (Cache Purge).
    pub purge: Vec<&'static str>,
    /// Refused from the runner's address (client IP filtering).
    pub ip_restricted: bool,
}

impl Token {
    pub fn user() -> Self {
        Token {
            owner: Owner::User,
            status: "active",
            expires_on: None,
            not_before: None,
            read: vec![ZONE_ID, ENT_ZONE_ID],
            purge: vec![ZONE_ID, ENT_ZONE_ID],
            ip_restricted: false,
        }
    }

    pub fn account() -> Self {
        Token {
            owner: Owner::Account,
            ..Token::user()
        }
    }

    /// A user token that may read and purge every zone of the fake.
    pub fn everywhere() -> Self {
        let all = vec![ZONE_ID, SHOP_ZONE_ID, ENT_ZONE_ID, OTHER_ZONE_ID];
        Token {
            read: all.clone(),
            purge: all,
            ..Token::user()
        }
    }
}

/// A scripted answer that wins over the model for requests it matches.
pub struct Script {
    pub matches: Box<dyn Fn(&Received) -> bool + Send + Sync>,
    /// How many requests it answers; `None` for all.
    pub times: Option<usize>,
    pub reply: Reply,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub delay: Duration,
    /// Answered only once the test lets it through (`Reply::after`).
    pub gate: Option<Arc<tokio::sync::Notify>>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            body: body.to_string(),
            content_type: "application/json",
            headers: vec![],
            delay: Duration::ZERO,
            gate: None,
        }
    }

    pub fn html(status: u16) -> Self {
        let body = format!("<!DOCTYPE html><html><head><title>{status} Bad gateway</title></head><body>cloudflare</body></html>");
        Reply {
            status,
            body,
            content_type: "text/html",
            headers: vec![],
            delay: Duration::ZERO,
            gate: None,
        }
    }

    pub fn raw(status: u16, body: &str) -> Self {
        Reply {
            status,
            body: body.to_string(),
            content_type: "application/json",
            headers: vec![],
            delay: Duration::ZERO,
            gate: None,
        }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Held until `gate` is notified (`notify_one`: a notification before the request keeps).
    pub fn after(mut self, gate: Arc<tokio::sync::Notify>) -> Self {
        self.gate = Some(gate);
        self
    }
}

/// Cloudflare's purge limits, enforced with 429s: a bucket of URLs and one of other purge requests
/// per account and plan (the reference's per-plan table), created full when first used.
#[derive(Debug, Clone, Default)]
pub struct Buckets {
    pub lanes: HashMap<(String, String), Lane>,
    /// URLs a lane's bucket is short when first used (another deploy on the account just purged).
    pub used: f64,
    /// How many times faster than Cloudflare's rates the buckets refill (the client's `pace`).
    pub pace: f64,
}

/// One account and plan's buckets.
#[derive(Debug, Clone)]
pub struct Lane {
    pub url_tokens: f64,
    pub request_tokens: f64,
    pub last: Instant,
}

/// URLs per second, and (rate per second, burst) of the other kinds, for a plan's legacy id.
pub fn plan_rates(plan: &str) -> (f64, f64, f64) {
    match plan {
        "enterprise" => (3000.0, 50.0, 500.0),
        "business" => (1500.0, 10.0, 50.0),
        "pro" => (1500.0, 5.0, 25.0),
        _ => (800.0, 5.0 / 60.0, 25.0),
    }
}

pub struct World {
    pub tokens: HashMap<String, Token>,
    /// (email, key) pairs, valid for every zone and account.
    pub keys: Vec<(String, String)>,
    pub zones: Vec<Value>,
    pub scripts: Vec<Script>,
    pub received: Vec<Received>,
    /// Enforce the per-account-and-plan purge limits with 429s (off unless a test turns it on).
    pub buckets: Option<Buckets>,
    /// Refuse prefix batches larger than this, naming `named` as the limit (Cloudflare's prefix
    /// page says 30 a request; its limits table says 100).
    pub prefix_limit: Option<(usize, usize)>,
    /// Refuse URL batches larger than this, naming `named` (some zones still take only 30 URLs).
    pub url_limit: Option<(usize, usize)>,
    pub purge_counter: usize,
    /// The status of each answer, in the order of `received`.
    pub statuses: Vec<u16>,
    /// Added to every answer: a stand-in for a distant API (zero unless a test or bench sets it).
    pub latency: Duration,
    /// Cloudflare's global budget per token (off unless a test or bench turns it on).
    pub budget: Option<Budget>,
}

/// Cloudflare's global API budget: `limit` requests per `window` per credential, every endpoint
/// counted; over it each request is answered 429, code 971, with `Retry-After` naming the seconds
/// left in the window. Cloudflare's window is 5 minutes; a bench may scale it down.
#[derive(Debug, Clone)]
pub struct Budget {
    pub limit: usize,
    pub window: Duration,
    /// Requests other tools spent with the same credential in the current window, before the run.
    pub used: usize,
    /// Per credential: when its window started and how many requests it accepted in it.
    pub spent: HashMap<String, (Instant, usize)>,
}

impl World {
    fn zone(&self, id: &str) -> Option<&Value> {
        self.zones.iter().find(|z| z["id"] == id)
    }

    /// When a purge (or an invalidation) that was answered 200 last covered `url` (`https://host/path`): by its file,
    /// its host, a prefix of it, or everything. The fake site reacts to it.
    pub fn purged_at(&self, url: &str) -> Option<Instant> {
        let bare = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = bare.split('/').next().unwrap_or_default();
        let listed = |body: &Value, key: &str, hit: &dyn Fn(&str) -> bool| {
            body[key].as_array().is_some_and(|items| {
                items
                    .iter()
                    .any(|i| hit(i.as_str().or(i["url"].as_str()).unwrap_or_default()))
            })
        };
        self.received
            .iter()
            .zip(&self.statuses)
            .filter(|(r, status)| r.is_purge() && **status == 200)
            .filter(|(r, _)| {
                let Some(body) = &r.body else { return false };
                body["purge_everything"] == json!(true)
                    || listed(body, "files", &|f| f == url)
                    || listed(body, "hosts", &|h| h.eq_ignore_ascii_case(host))
                    || listed(body, "prefixes", &|p| bare.starts_with(p))
            })
            .map(|(r, _)| r.at)
            .max()
    }
}

pub fn zone_json(id: &str, name: &str, plan: &str, status: &str, account: &str) -> Value {
    let plan_name = match plan {
        "enterprise" => "Enterprise Website",
        "business" => "Business Website",
        "pro" => "Pro Website",
        _ => "Free Website",
    };
    json!({
        "id": id, "name": name, "status": status, "paused": false, "type": "full",
        "development_mode": 0, "name_servers": ["bob.ns.cloudflare.com", "lola.ns.cloudflare.com"],
        "original_name_servers": null, "created_on": "2014-01-01T05:20:00.12345Z",
        "modified_on": "2014-01-01T05:20:00.12345Z", "activated_on": "2014-01-02T00:01:00.12345Z",
        "meta": {"cdn_only": false, "page_rule_quota": 3, "phishing_detected": false},
        "owner": {"id": null, "name": null, "type": "user"},
        "account": {"id": account, "name": "Example Account"},
        "permissions": ["#zone:read"],
        "plan": {"id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": plan_name, "price": 0, "currency": "USD",
                 "frequency": "", "is_subscribed": true, "can_subscribe": false, "legacy_id": plan, "legacy_discount": false,
                 "externally_managed": false}
    })
}

fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

/// One page of a list, with Cloudflare's `result_info` (pages count from 1).
fn list_envelope(all: Vec<Value>, page: usize, per_page: usize) -> Value {
    let total_count = all.len();
    let total_pages = total_count.div_ceil(per_page).max(1);
    let result: Vec<Value> = all
        .into_iter()
        .skip((page.max(1) - 1) * per_page)
        .take(per_page)
        .collect();
    json!({"success": true, "errors": [], "messages": [], "result": result,
           "result_info": {"page": page, "per_page": per_page, "count": result.len(),
                           "total_count": total_count, "total_pages": total_pages}})
}

pub struct Fake {
    pub addr: SocketAddr,
    pub world: Arc<Mutex<World>>,
}

impl Fake {
    /// A fake with the standard world: two Free zones and an Enterprise zone of one account, and a
    /// Free zone of another account.
    pub async fn start() -> Fake {
        let world = World {
            tokens: HashMap::new(),
            keys: vec![],
            zones: vec![
                zone_json(ZONE_ID, ZONE_NAME, "free", "active", ACCOUNT_ID),
                zone_json(
                    ENT_ZONE_ID,
                    ENT_ZONE_NAME,
                    "enterprise",
                    "active",
                    ACCOUNT_ID,
                ),
                zone_json(
                    OTHER_ZONE_ID,
                    OTHER_ZONE_NAME,
                    "free",
                    "active",
                    OTHER_ACCOUNT_ID,
                ),
                zone_json(SHOP_ZONE_ID, SHOP_ZONE_NAME, "free", "active", ACCOUNT_ID),
            ],
            scripts: vec![],
            received: vec![],
            buckets: None,
            prefix_limit: None,
            url_limit: None,
            purge_counter: 0,
            statuses: vec![],
            latency: Duration::ZERO,
            budget: None,
        };
        let world = Arc::new(Mutex::new(world));
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(world.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        Fake { addr, world }
    }

    /// The standard world with one token in it.
    pub async fn with_token(value: &str, token: Token) -> Fake {
        let fake = Fake::start().await;
        fake.add_token(value, token);
        fake
    }

    pub fn api_url(&self) -> String {
        format!("http://{}{API_PREFIX}", self.addr)
    }

    pub fn add_token(&self, value: &str, token: Token) {
        self.world
            .lock()
            .unwrap()
            .tokens
            .insert(value.to_string(), token);
    }

    pub fn add_key(&self, email: &str, key: &str) {
        self.world
            .lock()
            .unwrap()
            .keys
            .push((email.to_string(), key.to_string()));
    }

    pub fn add_zone(&self, zone: Value) {
        self.world.lock().unwrap().zones.push(zone);
    }

    /// `n` more Free zones of the account of `example.com`, named `z{i}.example`: their IDs.
    /// (Leaked so that `Token`'s zone lists, `&'static str`, can hold them: test code only.)
    pub fn add_zones(&self, n: usize) -> Vec<&'static str> {
        let mut w = self.world.lock().unwrap();
        (0..n)
            .map(|i| {
                let id: &'static str =
                    Box::leak(format!("{:032x}", 0xa000_0000_u64 + i as u64).into_boxed_str());
                w.zones.push(zone_json(
                    id,
                    &format!("z{i}.example"),
                    "free",
                    "active",
                    ACCOUNT_ID,
                ));
                id
            })
            .collect()
    }

    /// Delay every answer by `latency`, as a distant API would.
    pub fn delay_answers(&self, latency: Duration) {
        self.world.lock().unwrap().latency = latency;
    }

    /// Enforce Cloudflare's global budget: `limit` requests per `window` per credential, `used` of
    /// them already spent by other tools when the run starts.
    pub fn enforce_budget(&self, limit: usize, window: Duration, used: usize) {
        self.world.lock().unwrap().budget = Some(Budget {
            limit,
            window,
            used,
            spent: HashMap::new(),
        });
    }

    /// Answer matching requests with `reply`, `times` times (None: always).
    pub fn script(
        &self,
        matches: impl Fn(&Received) -> bool + Send + Sync + 'static,
        times: Option<usize>,
        reply: Reply,
    ) {
        self.world.lock().unwrap().scripts.push(Script {
            matches: Box::new(matches),
            times,
            reply,
        });
    }

    /// Refuse prefix batches of more than `limit`, with a 400 that names `named` as the limit.
    pub fn limit_prefixes(&self, limit: usize, named: usize) {
        self.world.lock().unwrap().prefix_limit = Some((limit, named));
    }

    /// Refuse URL batches of more than `limit`, with a 400 that names `named` as the limit.
    pub fn limit_urls(&self, limit: usize, named: usize) {
        self.world.lock().unwrap().url_limit = Some((limit, named));
    }

    /// Enforce Cloudflare's purge limits per account and plan, as 429s with `Retry-After: 1`.
    pub fn enforce_rates(&self) {
        self.enforce_paced_rates(0.0, 1.0);
    }

    /// As `enforce_rates`, for a client paced `pace` times as fast (the harness's `PACE`), with
    /// each lane's URL bucket `used` URLs short when first used (another deploy on the same account
    /// purged just before).
    pub fn enforce_paced_rates(&self, used: f64, pace: f64) {
        self.world.lock().unwrap().buckets = Some(Buckets {
            lanes: HashMap::new(),
            used,
            pace,
        });
    }

    pub fn received(&self) -> Vec<Received> {
        self.world.lock().unwrap().received.clone()
    }

    /// Every request received, with the status it was answered with.
    pub fn answered(&self) -> Vec<(Received, u16)> {
        let w = self.world.lock().unwrap();
        w.received
            .iter()
            .cloned()
            .zip(w.statuses.iter().copied())
            .collect()
    }

    pub fn purges(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(Received::is_purge)
            .collect()
    }

    /// The purges sent to one zone.
    pub fn purges_of(&self, zone_id: &str) -> Vec<Received> {
        let prefix = format!("/zones/{zone_id}/");
        self.purges()
            .into_iter()
            .filter(|r| r.path.starts_with(&prefix))
            .collect()
    }

    /// Every item purged in one zone, in the order received.
    pub fn purged_in(&self, zone_id: &str) -> Vec<String> {
        self.purges_of(zone_id)
            .iter()
            .flat_map(Received::purged_items)
            .collect()
    }

    pub fn paths(&self) -> Vec<String> {
        self.received()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// `paths`, with the checks' reads in a fixed order (see [`checks_sorted`]).
    pub fn checks(&self) -> Vec<String> {
        checks_sorted(self.paths())
    }
}

/// The credential check and the zones' first reads go side by side, so they arrive in either
/// order: the GETs before anything else is sent are sorted, what follows keeps its order.
pub fn checks_sorted<S: ToString>(paths: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut paths: Vec<String> = paths.into_iter().map(|p| p.to_string()).collect();
    let reads = paths
        .iter()
        .position(|p| !p.starts_with("GET "))
        .unwrap_or(paths.len());
    paths[..reads].sort();
    paths
}

async fn handle(
    State(world): State<Arc<Mutex<World>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received = Received {
        method: method.to_string(),
        path: uri
            .path()
            .strip_prefix(API_PREFIX)
            .unwrap_or(uri.path())
            .to_string(),
        query: uri.query().unwrap_or_default().to_string(),
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect(),
        body: serde_json::from_slice(&body).ok(),
        at: Instant::now(),
    };
    let reply = {
        let mut w = world.lock().unwrap();
        w.received.push(received.clone());
        let routed = uri.path().starts_with(API_PREFIX);
        // Below any other path than /client/v4 Cloudflare routes nothing: 7003 and 7000.
        let reply = scripted(&mut w, &received).unwrap_or_else(|| match routed {
            true => model::answer(&mut w, &received),
            false => Reply::json(400, observed("empty id segment")),
        });
        w.statuses.push(reply.status);
        (reply, w.latency)
    };
    let (reply, latency) = reply;
    if let Some(gate) = &reply.gate {
        gate.notified().await;
    }
    let delay = reply.delay + latency;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
    response
        .headers_mut()
        .insert("content-type", reply.content_type.parse().unwrap());
    for (name, value) in reply.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

fn scripted(w: &mut World, r: &Received) -> Option<Reply> {
    let script = w
        .scripts
        .iter_mut()
        .find(|s| s.times != Some(0) && (s.matches)(r))?;
    if let Some(times) = &mut script.times {
        *times -= 1;
    }
    Some(script.reply.clone())
}
