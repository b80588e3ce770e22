//! Every API call the action makes: method, path, query, body and the type its result parses into.
//! Answer types hold only the fields the action reads; everything else Cloudflare sends is ignored.

use std::marker::PhantomData;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::items::ItemKind;

/// One request, described as a value; [`super::Client::call`] sends it.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint<T> {
    pub(crate) method: Method,
    /// Path segments below the API base, each percent-encoded when sent.
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Value>,
    result: PhantomData<fn() -> T>,
}

impl<T> Endpoint<T> {
    fn new(method: Method, segments: &[&str]) -> Self {
        Endpoint {
            method,
            segments: segments.iter().map(|s| s.to_string()).collect(),
            query: Vec::new(),
            body: None,
            result: PhantomData,
        }
    }

    fn query(mut self, key: &'static str, value: &str) -> Self {
        self.query.push((key, value.to_string()));
        self
    }

    /// `GET /zones/{id}` style, for logs (never holds a credential).
    pub(crate) fn describe(&self) -> String {
        format!("{} /{}", self.method, self.segments.join("/"))
    }

    /// As `describe`, with the query: `GET /zones?name=example.com`.
    #[cfg(any(test, feature = "docs"))]
    pub(crate) fn describe_with_query(&self) -> String {
        let query: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        match query.is_empty() {
            true => self.describe(),
            false => format!("{}?{}", self.describe(), query.join("&")),
        }
    }
}

/// `result` of the token verify endpoints. Without a `status` it says nothing about the token.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct TokenStatus {
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) expires_on: Option<String>,
    #[serde(default)]
    pub(crate) not_before: Option<String>,
}

/// `GET /user/tokens/verify`: a user-owned token (an account-owned one answers 1000 here).
pub(crate) fn verify_user_token() -> Endpoint<TokenStatus> {
    Endpoint::new(Method::GET, &["user", "tokens", "verify"])
}

/// `GET /accounts/{account_id}/tokens/verify`: an account-owned token.
pub(crate) fn verify_account_token(account_id: &str) -> Endpoint<TokenStatus> {
    Endpoint::new(Method::GET, &["accounts", account_id, "tokens", "verify"])
}

/// `result` of `GET /user`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct User {
    pub(crate) id: String,
}

/// `GET /user`: the way to check an email + Global API Key pair.
pub(crate) fn user() -> Endpoint<User> {
    Endpoint::new(Method::GET, &["user"])
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(default)]
pub(crate) struct AccountRef {
    pub(crate) id: String,
    pub(crate) name: String,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(default)]
pub struct Plan {
    pub(crate) name: String,
    pub(crate) legacy_id: String,
}

/// A zone, as `GET /zones/{id}` and `GET /zones` describe it. Without an `id` it cannot be purged.
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
pub struct Zone {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) account: AccountRef,
    #[serde(default)]
    pub(crate) plan: Plan,
}

/// `GET /zones/{zone_id}`.
pub(crate) fn zone(zone_id: &str) -> Endpoint<Zone> {
    Endpoint::new(Method::GET, &["zones", zone_id])
}

/// `GET /zones?name=…`: the zone of that exact name, if the credential can see it.
pub(crate) fn zones_named(name: &str) -> Endpoint<Vec<Zone>> {
    Endpoint::new(Method::GET, &["zones"]).query("name", name)
}

/// `GET /zones?per_page=50`: the first page of zones the credential can see.
pub(crate) fn zones_visible() -> Endpoint<Vec<Zone>> {
    Endpoint::new(Method::GET, &["zones"]).query("per_page", "50")
}

/// Zones a list page holds at most.
pub(crate) const ZONES_PER_PAGE: usize = 50;

/// `GET /zones?per_page=50&page=…`, of one account when it is known: a page of the zones the
/// credential can see (pages count from 1).
pub(crate) fn zones_page(page: usize, account: Option<&str>) -> Endpoint<Vec<Zone>> {
    let endpoint = Endpoint::new(Method::GET, &["zones"])
        .query("per_page", &ZONES_PER_PAGE.to_string())
        .query("page", &page.to_string());
    match account {
        Some(account) => endpoint.query("account.id", account),
        None => endpoint,
    }
}

/// `result` of `GET /accounts/{id}`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct Account {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// `GET /accounts/{account_id}`: used to tell an account ID given as the zone.
pub(crate) fn account(account_id: &str) -> Endpoint<Account> {
    Endpoint::new(Method::GET, &["accounts", account_id])
}

/// One purge request's body: exactly one kind per request, under that kind's key.
#[derive(Debug, Clone, PartialEq)]
pub struct PurgeBody {
    pub(crate) kind: ItemKind,
    /// The items; ignored for everything, whose body is `{"purge_everything": true}`.
    pub(crate) items: Vec<Value>,
}

impl PurgeBody {
    pub(crate) fn everything() -> Self {
        PurgeBody {
            kind: ItemKind::Everything,
            items: Vec::new(),
        }
    }
}

impl PurgeBody {
    /// The JSON body, built from values that are JSON already: it cannot fail, so no request can
    /// go out without its body (a fallible `to_value(..).ok()` would have sent none, silently).
    pub(crate) fn json(&self) -> Value {
        let key = self.kind.facts().body_key.to_string();
        let value = match self.kind {
            ItemKind::Everything => Value::Bool(true),
            _ => Value::Array(self.items.clone()),
        };
        Value::Object(serde_json::Map::from_iter([(key, value)]))
    }
}

impl Serialize for PurgeBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(serializer)
    }
}

/// `result` of a purge. `success: true` is the acceptance; a `result` of `null` (or without an
/// id) is still one, and the batch is not sent again.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(from = "Option<PurgeAnswer>")]
pub struct PurgeResult {
    pub(crate) id: String,
}

#[derive(Deserialize, Default)]
struct PurgeAnswer {
    #[serde(default)]
    id: Option<String>,
}

impl From<Option<PurgeAnswer>> for PurgeResult {
    fn from(answer: Option<PurgeAnswer>) -> Self {
        PurgeResult {
            id: answer.and_then(|a| a.id).unwrap_or_default(),
        }
    }
}

/// `POST /zones/{zone_id}/purge_cache`.
pub(crate) fn purge(zone_id: &str, body: &PurgeBody) -> Endpoint<PurgeResult> {
    let mut endpoint = Endpoint::new(Method::POST, &["zones", zone_id, "purge_cache"]);
    endpoint.body = Some(body.json());
    endpoint
}

/// `POST /zones/{zone_id}/invalidate_cache`: the soft purge (2026-09-28), the same bodies and
/// limits as [`purge`]; matching content stays cached, marked stale.
pub(crate) fn invalidate(zone_id: &str, body: &PurgeBody) -> Endpoint<PurgeResult> {
    let mut endpoint = Endpoint::new(Method::POST, &["zones", zone_id, "invalidate_cache"]);
    endpoint.body = Some(body.json());
    endpoint
}

/// What a purge request does to what it matches: evicts it, or marks it stale (contract §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Eviction {
    #[default]
    Purge,
    Invalidate,
}

impl Eviction {
    /// The request for one batch.
    pub(crate) fn request(self, zone_id: &str, body: &PurgeBody) -> Endpoint<PurgeResult> {
        match self {
            Eviction::Purge => purge(zone_id, body),
            Eviction::Invalidate => invalidate(zone_id, body),
        }
    }

    /// "purged" or "invalidated": what the log and summary say was done.
    pub(crate) fn done(self) -> &'static str {
        match self {
            Eviction::Purge => "purged",
            Eviction::Invalidate => "invalidated",
        }
    }

    /// "request" or "invalidation request": one request's noun in a plan.
    pub(crate) fn request_noun(self) -> &'static str {
        match self {
            Eviction::Purge => "request",
            Eviction::Invalidate => "invalidation request",
        }
    }

    /// "batch" or "invalidation batch": one batch's noun in the summary.
    pub(crate) fn batch_noun(self) -> &'static str {
        match self {
            Eviction::Purge => "batch",
            Eviction::Invalidate => "invalidation batch",
        }
    }

    /// "Purging" or "Invalidating".
    pub(crate) fn doing(self) -> &'static str {
        match self {
            Eviction::Purge => "Purging",
            Eviction::Invalidate => "Invalidating",
        }
    }
}

/// Every request the action can send, with placeholders for IDs and names: SECURITY.md lists
/// exactly these (a test checks it), and says when each is sent.
#[cfg(any(test, feature = "docs"))]
pub fn every_request() -> Vec<String> {
    vec![
        verify_user_token().describe_with_query(),
        verify_account_token("{account_id}").describe_with_query(),
        user().describe_with_query(),
        zone("{zone_id}").describe_with_query(),
        zones_named("{name}").describe_with_query(),
        zones_visible().describe_with_query(),
        account("{id}").describe_with_query(),
        purge("{zone_id}", &PurgeBody::everything()).describe_with_query(),
        invalidate("{zone_id}", &PurgeBody::everything()).describe_with_query(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_bodies_have_cloudflares_shape() {
        let e = purge("z", &PurgeBody::everything());
        assert_eq!(e.body, Some(serde_json::json!({"purge_everything": true})));
        let tags = ItemKind::List(super::super::items::ListKind::Tags);
        let e = purge(
            "z",
            &PurgeBody {
                kind: tags,
                items: vec!["a".into()],
            },
        );
        assert_eq!(e.body, Some(serde_json::json!({"tags": ["a"]})));
        assert_eq!(e.describe(), "POST /zones/z/purge_cache");
    }

    #[test]
    fn zone_tolerates_missing_and_extra_fields() {
        let z: Zone =
            serde_json::from_str(r#"{"id":"x","name":"example.com","extra":[1]}"#).unwrap();
        assert_eq!(z.plan, Plan::default());
    }
}
