//! The fake's model of Cloudflare: who is calling, and what each endpoint the action calls answers.

use serde_json::{json, Value};

use super::*;

enum Caller {
    Token(String, Token),
    Key,
}

/// Who is calling, or Cloudflare's refusal for the request's credentials.
fn authenticate(w: &World, r: &Received) -> Result<Caller, Reply> {
    if let Some(auth) = r.headers.get("authorization") {
        let Some(token) = auth.strip_prefix("Bearer ") else {
            return Err(Reply::json(
                400,
                observed("malformed bearer value (spaces, short, Global key as Bearer)"),
            ));
        };
        let well_formed = token.len() >= 40
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !well_formed {
            return Err(Reply::json(
                400,
                observed("malformed bearer value (spaces, short, Global key as Bearer)"),
            ));
        }
        return match w.tokens.get(token) {
            Some(t) if t.ip_restricted => {
                let mut body = observed("client IP filter");
                body["errors"][0]["message"] = json!(format!(
                    "Cannot use the access token from location: {RUNNER_IP}"
                ));
                Err(Reply::json(403, body))
            }
            Some(t) => Ok(Caller::Token(token.to_string(), t.clone())),
            None if r.path == "/user/tokens/verify" || r.path.ends_with("/tokens/verify") => Err(
                Reply::json(401, observed("well-formed but wrong/unknown token")),
            ),
            None => Err(Reply::json(403, observed("invalid token on /zones"))),
        };
    }
    match (r.headers.get("x-auth-email"), r.headers.get("x-auth-key")) {
        (Some(email), Some(key)) => {
            if r.path.ends_with("/tokens/verify") {
                return Err(Reply::json(
                    400,
                    observed("key headers sent to /user/tokens/verify"),
                ));
            }
            let hex = key.len() >= 37 && key.chars().all(|c| c.is_ascii_hexdigit());
            if !hex && !key.starts_with("cfk_") {
                return Err(Reply::json(400, observed("malformed X-Auth-Key")));
            }
            if w.keys.iter().any(|(e, k)| e == email && k == key) {
                Ok(Caller::Key)
            } else {
                Err(Reply::json(403, observed("wrong key/email pair")))
            }
        }
        _ => Err(Reply::json(400, observed("no auth headers at all"))),
    }
}

fn can_read(caller: &Caller, zone_id: &str) -> bool {
    match caller {
        Caller::Key => true,
        Caller::Token(_, t) => t.read.contains(&zone_id),
    }
}

fn can_purge(caller: &Caller, zone_id: &str) -> bool {
    match caller {
        Caller::Key => true,
        Caller::Token(_, t) => t.purge.contains(&zone_id),
    }
}

fn could_not_route(path: &str) -> Reply {
    let mut body = observed("non-ID in object position (e.g. domain name as zone id)");
    body["errors"][0]["message"] = json!(format!(
        "Could not route to {API_PREFIX}{path}, perhaps your object identifier is invalid?"
    ));
    Reply::json(400, body)
}

fn unauthorized() -> Reply {
    Reply::json(403, observed("token lacks access to resource"))
}

/// The model: what Cloudflare answers for each endpoint the action calls.
pub(super) fn answer(w: &mut World, r: &Received) -> Reply {
    let caller = match authenticate(w, r) {
        Ok(caller) => caller,
        Err(reply) => return reply,
    };
    if let Some(reply) = over_budget(w, r) {
        return reply;
    }
    let segments: Vec<&str> = r.path.trim_matches('/').split('/').collect();
    match (r.method.as_str(), segments.as_slice()) {
        ("GET", ["user", "tokens", "verify"]) => match &caller {
            Caller::Token(_, t) if t.owner == Owner::User => verify_ok(t),
            _ => Reply::json(401, observed("account-owned token on user endpoint")),
        },
        ("GET", ["accounts", account, "tokens", "verify"]) => match &caller {
            Caller::Token(_, t) if t.owner == Owner::Account && *account == ACCOUNT_ID => {
                verify_ok(t)
            }
            _ => Reply::json(401, observed("well-formed but wrong/unknown token")),
        },
        ("GET", ["user"]) => match caller {
            Caller::Key => Reply::json(
                200,
                envelope(
                    json!({"id": "7c5dae5552338874e5053f2534d2767a", "email": "user@example.com"}),
                ),
            ),
            Caller::Token(..) => Reply::json(
                200,
                envelope(json!({"id": "7c5dae5552338874e5053f2534d2767a"})),
            ),
        },
        ("GET", ["accounts", account]) => {
            let mine = matches!(caller, Caller::Key) || *account == ACCOUNT_ID;
            if *account == ACCOUNT_ID && mine {
                Reply::json(
                    200,
                    envelope(
                        json!({"id": ACCOUNT_ID, "name": "Example Account", "type": "standard"}),
                    ),
                )
            } else {
                Reply::json(
                    404,
                    observed("non-ID in object position (e.g. domain name as zone id)"),
                )
            }
        }
        ("GET", ["zones"]) => {
            let name = query_value(&r.query, "name");
            let account = query_value(&r.query, "account.id");
            let page = query_value(&r.query, "page").and_then(|p| p.parse().ok());
            // Cloudflare's default page is 20 zones; it takes 5 to 50.
            let per_page = query_value(&r.query, "per_page").and_then(|p| p.parse().ok());
            let zones: Vec<Value> = w
                .zones
                .iter()
                .filter(|z| can_read(&caller, z["id"].as_str().unwrap_or_default()))
                .filter(|z| name.as_deref().is_none_or(|n| z["name"] == n))
                .filter(|z| account.as_deref().is_none_or(|a| z["account"]["id"] == a))
                .cloned()
                .collect();
            let per_page = per_page.unwrap_or(20).clamp(5, 50);
            Reply::json(200, list_envelope(zones, page.unwrap_or(1), per_page))
        }
        // A zone the token knows but may not read: 9109 "Unauthorized to access requested
        // resource" (a known token without access; an unknown one got 9109 "Invalid access
        // token" from `authenticate`). No such zone: 7003 "Could not route".
        ("GET", ["zones", id]) => match w.zone(id) {
            Some(zone) if can_read(&caller, id) => Reply::json(200, envelope(zone.clone())),
            Some(_) => unauthorized(),
            None => could_not_route(&r.path),
        },
        // The soft purge answers like the purge: the same bodies, limits and buckets.
        ("POST", ["zones", id, "purge_cache" | "invalidate_cache"]) => purge(w, &caller, id, r),
        _ => Reply::json(400, observed("empty id segment")),
    }
}

/// Spend one request of the caller's global budget, or Cloudflare's 429 (code 971) when it is
/// spent: `Retry-After` names the whole seconds left in the window.
fn over_budget(w: &mut World, r: &Received) -> Option<Reply> {
    let budget = w.budget.as_mut()?;
    let credential = r
        .headers
        .get("authorization")
        .or(r.headers.get("x-auth-key"))
        .cloned()
        .unwrap_or_default();
    let now = Instant::now();
    let (limit, window, used) = (budget.limit, budget.window, budget.used);
    let (start, spent) = budget.spent.entry(credential).or_insert((now, used));
    if now.duration_since(*start) >= window {
        (*start, *spent) = (now, 0);
    }
    if *spent < limit {
        *spent += 1;
        return None;
    }
    let left = window.saturating_sub(now.duration_since(*start));
    // The observed error object, inside `errors[]` as the reference notes.
    let error = observed("global API rate limit (2026)");
    let body = json!({"success": false, "errors": [error], "messages": [], "result": null});
    Some(Reply::json(429, body).header("retry-after", &left.as_secs_f64().ceil().to_string()))
}

fn verify_ok(t: &Token) -> Reply {
    let mut result = json!({"id": "6247ac8d9c10ba11154a2b82d35953b7", "status": t.status});
    if let Some(e) = &t.expires_on {
        result["expires_on"] = json!(e);
    }
    if let Some(nb) = &t.not_before {
        result["not_before"] = json!(nb);
    }
    let mut body = observed("verify ok (user)");
    body["result"] = result;
    if t.status == "expired" {
        body["messages"] = observed("verify expired")["messages"].clone();
    }
    Reply::json(200, body)
}

fn purge(w: &mut World, caller: &Caller, zone_id: &str, r: &Received) -> Reply {
    let Some(zone) = w.zone(zone_id).cloned() else {
        return could_not_route(&r.path);
    };
    if !can_purge(caller, zone_id) {
        // "Permission refusals come as 401/403 with 10000 Authentication error" (reference README).
        return Reply::json(403, observed("invalid token on account WAF lists"));
    }
    let body = r.body.clone().unwrap_or(Value::Null);
    let keys: Vec<&str> = ["purge_everything", "files", "tags", "hosts", "prefixes"]
        .into_iter()
        .filter(|k| body.get(*k).is_some())
        .collect();
    if keys.len() > 1 && keys.contains(&"purge_everything") {
        return Reply::json(400, purge_everything_and_lists());
    }
    if keys.len() != 1 {
        return Reply::json(400, observed("purge: no recognised key"));
    }
    if keys[0] != "purge_everything" && !body[keys[0]].is_array() {
        return Reply::json(400, observed("purge: files/tags/hosts not array"));
    }
    let count = body[keys[0]].as_array().map_or(1, Vec::len);
    let limit = if keys[0] == "files" && zone["plan"]["legacy_id"] == "enterprise" {
        500
    } else {
        100
    };
    if let (Some((limit, named)), "prefixes") = (w.prefix_limit, keys[0]) {
        if count > limit {
            let message = format!("Only {named} prefixes can be purged per request");
            let body = json!({"success": false, "errors": [{"code": 1094, "message": message}], "messages": [], "result": null});
            return Reply::json(400, body);
        }
    }
    if let (Some((limit, named)), "files") = (w.url_limit, keys[0]) {
        if count > limit {
            let message = format!("Only {named} URLs can be purged per request");
            let body = json!({"success": false, "errors": [{"code": 1094, "message": message}], "messages": [], "result": null});
            return Reply::json(400, body);
        }
    }
    if count > limit {
        let body = json!({"success": false, "errors": [{"code": 1094, "message": format!("Only {limit} items can be purged per request")}], "messages": [], "result": null});
        return Reply::json(400, body);
    }
    if let Some(buckets) = &mut w.buckets {
        if !take(buckets, &zone, keys[0] == "files", count as f64) {
            return Reply::json(429, purge_rate_limit()).header("retry-after", "1");
        }
    }
    w.purge_counter += 1;
    let mut ok = observed("purge success");
    ok["result"]["id"] = json!(format!("{:032x}", w.purge_counter));
    Reply::json(200, ok)
}

/// Spend from the zone's lane: `count` URLs, or one request of another kind; false when short.
fn take(buckets: &mut Buckets, zone: &Value, files: bool, count: f64) -> bool {
    let plan = zone["plan"]["legacy_id"]
        .as_str()
        .unwrap_or("free")
        .to_string();
    let account = zone["account"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (url_rate, request_rate, burst) = plan_rates(&plan);
    let (used, pace) = (buckets.used, buckets.pace);
    let lane = buckets
        .lanes
        .entry((account, plan))
        .or_insert_with(|| Lane {
            url_tokens: url_rate - used,
            request_tokens: burst,
            last: Instant::now(),
        });
    let now = Instant::now();
    let elapsed = now.duration_since(lane.last).as_secs_f64();
    lane.url_tokens = (lane.url_tokens + elapsed * url_rate * pace).min(url_rate);
    lane.request_tokens = (lane.request_tokens + elapsed * request_rate * pace).min(burst);
    lane.last = now;
    let (tokens, cost) = if files {
        (&mut lane.url_tokens, count)
    } else {
        (&mut lane.request_tokens, 1.0)
    };
    if *tokens < cost {
        return false;
    }
    *tokens -= cost;
    true
}

fn query_value(query: &str, key: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}
