//! The client for the user's own site against the fake site, reached through a CONNECT proxy with
//! the fake's CA in `ca_certificates`, as a run behind a proxy reaches a real site: every verdict of
//! `confirm` (contract §10) and every reading of a `wait_for` poll (§11), judged end to end.

use std::time::{Duration, Instant};

use cloudflare_purge::test_surface::site::{
    judge, read_poll, Cdn, Get, Mode, Poll, SiteAnswer, SiteClient, SiteFailure, Unjudged, Verdict,
    CONFIRM_BODY, WAIT_BODY,
};
use cloudflare_purge::test_surface::{CaBundle, NetKind, Proxies};
use cloudflare_purge::Env;
use url::Url;

use crate::support::site::{FakeSite, Fault, Page, OLD_AGE};
use crate::support::*;

const TIMEOUT: Duration = Duration::from_millis(300);

fn client(site: &FakeSite, extra: &[(&str, &str)]) -> SiteClient {
    let pairs = site
        .env()
        .into_iter()
        .chain(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let env = Env::from_pairs(pairs);
    let ca = CaBundle::from_pem(site.ca_pem.as_bytes()).unwrap();
    SiteClient::new(TIMEOUT, Proxies::from_env(&env), Some(&ca)).unwrap()
}

async fn get(
    client: &SiteClient,
    url: &str,
    headers: &[(&str, &str)],
    body_cap: usize,
    find: Option<&str>,
) -> Result<SiteAnswer, SiteFailure> {
    let url = Url::parse(url).unwrap();
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let get = Get {
        url: &url,
        headers: &headers,
        body_cap,
        find,
    };
    client.get(&get).await
}

async fn confirm(client: &SiteClient, path: &str, mode: Mode) -> Verdict {
    let url = Url::parse(&format!("https://www.example.com{path}")).unwrap();
    let answer = client.confirm(&url, &[]).await;
    judge(&answer, Duration::from_secs(5), mode)
}

fn evicted(cache: &str) -> Verdict {
    Verdict::Evicted {
        cache_status: cache.into(),
    }
}

fn unjudged(why: Unjudged) -> Verdict {
    Verdict::Unjudged(why)
}

#[tokio::test]
async fn every_verdict_of_confirm_is_judged_from_the_sites_answer() {
    let site = FakeSite::start().await;
    let cf = Page::cloudflare;
    let cases = [
        ("/miss", cf(200, Some("MISS"), None), evicted("MISS")),
        (
            "/expired",
            cf(200, Some("EXPIRED"), Some(0)),
            evicted("EXPIRED"),
        ),
        (
            "/revalidated",
            cf(200, Some("REVALIDATED"), Some(0)),
            evicted("REVALIDATED"),
        ),
        (
            "/updating",
            cf(200, Some("UPDATING"), Some(3)),
            evicted("UPDATING"),
        ),
        ("/young", cf(200, Some("HIT"), Some(7)), evicted("HIT")),
        (
            "/old",
            cf(200, Some("HIT"), Some(3600)),
            Verdict::NoEffect {
                cache_status: "HIT".into(),
                age: 3600,
                since: 5,
            },
        ),
        (
            "/stale",
            cf(200, Some("STALE"), Some(900)),
            Verdict::NoEffect {
                cache_status: "STALE".into(),
                age: 900,
                since: 5,
            },
        ),
        (
            "/dynamic",
            cf(200, Some("DYNAMIC"), None)
                .header("x-served-by", "cache-fra-eddf8230059-FRA")
                .header("via", "1.1 varnish"),
            Verdict::NotCached {
                cache_status: Some("DYNAMIC".into()),
                cdn: Some(Cdn::Fastly),
            },
        ),
        (
            "/bypass",
            cf(200, Some("BYPASS"), None),
            Verdict::NotCached {
                cache_status: Some("BYPASS".into()),
                cdn: None,
            },
        ),
        (
            "/none",
            cf(200, None, None),
            Verdict::NotCached {
                cache_status: None,
                cdn: None,
            },
        ),
        (
            "/pages",
            Page::direct(200)
                .header("x-served-by", "cache-fra-1-FRA")
                .header("x-cache", "HIT"),
            Verdict::NotProxied {
                cdn: Some(Cdn::Fastly),
            },
        ),
        (
            "/cloudfront",
            Page::direct(200).header("x-amz-cf-id", "Ab12=="),
            Verdict::NotProxied {
                cdn: Some(Cdn::CloudFront),
            },
        ),
        (
            "/moved",
            cf(301, Some("HIT"), Some(OLD_AGE)).header("location", "https://example.com/moved"),
            Verdict::Redirect {
                status: 301,
                location: Some("https://example.com/moved".into()),
            },
        ),
        (
            "/down",
            cf(503, None, None),
            unjudged(Unjudged::ServerError { status: 503 }),
        ),
        (
            "/no-age",
            cf(200, Some("HIT"), None),
            unjudged(Unjudged::NoAge {
                cache_status: "HIT".into(),
                unreadable: None,
            }),
        ),
        (
            "/challenged",
            cf(403, None, None).header("cf-mitigated", "challenge"),
            unjudged(Unjudged::Challenge { status: 403 }),
        ),
        (
            "/blocked",
            cf(403, None, None),
            unjudged(Unjudged::Blocked { status: 403 }),
        ),
        (
            "/limited",
            cf(429, None, None),
            unjudged(Unjudged::Blocked { status: 429 }),
        ),
        (
            "/private",
            cf(401, None, None),
            unjudged(Unjudged::Refused { status: 401 }),
        ),
        ("/removed", cf(404, Some("MISS"), None), evicted("MISS")),
        (
            "/gone",
            cf(410, Some("HIT"), Some(OLD_AGE)),
            Verdict::NoEffect {
                cache_status: "HIT".into(),
                age: OLD_AGE,
                since: 5,
            },
        ),
    ];
    for (path, page, _) in &cases {
        site.page(path, page.clone());
    }
    let client = client(&site, &[]);
    for (path, _, verdict) in cases {
        assert_eq!(confirm(&client, path, Mode::Purge).await, verdict, "{path}");
    }
    assert!(site
        .requests()
        .iter()
        .all(|r| r.tls && r.host == "www.example.com"));
    assert!(site
        .connects()
        .iter()
        .all(|(t, _)| t == "www.example.com:443"));
}

#[tokio::test]
async fn an_invalidation_is_judged_by_its_own_rules() {
    let site = FakeSite::start().await;
    let cf = Page::cloudflare;
    site.page("/expired", cf(200, Some("EXPIRED"), Some(0)));
    site.page("/revalidated", cf(200, Some("REVALIDATED"), Some(1)));
    site.page("/stale", cf(200, Some("STALE"), Some(OLD_AGE)));
    site.page("/old", cf(200, Some("HIT"), Some(OLD_AGE)));
    let client = client(&site, &[]);
    for cache in ["EXPIRED", "REVALIDATED", "STALE"] {
        let path = format!("/{}", cache.to_ascii_lowercase());
        assert_eq!(
            confirm(&client, &path, Mode::Invalidate).await,
            evicted(cache)
        );
    }
    let old = Verdict::NoEffect {
        cache_status: "HIT".into(),
        age: OLD_AGE,
        since: 5,
    };
    assert_eq!(confirm(&client, "/old", Mode::Invalidate).await, old);
}

#[tokio::test]
async fn the_site_answers_what_the_fake_api_really_purged() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.react_to(&fake);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "https://www.example.com/app.js")
        .run()
        .await;
    run.assert_ok("purged");
    let client = client(&site, &[]);
    assert_eq!(
        confirm(&client, "/app.js", Mode::Purge).await,
        evicted("MISS")
    );
    assert_eq!(
        confirm(&client, "/app.js", Mode::Purge).await,
        evicted("HIT")
    );
    assert!(matches!(
        confirm(&client, "/style.css", Mode::Purge).await,
        Verdict::NoEffect { age: OLD_AGE, .. }
    ));
}

#[tokio::test]
async fn a_site_that_hangs_resets_or_answers_garbage_is_a_failed_check_in_under_a_second() {
    let site = FakeSite::start().await;
    site.page("/hang", Page::fault(Fault::Hang));
    site.page(
        "/slow",
        Page::cloudflare(200, Some("MISS"), None).delay(Duration::from_secs(5)),
    );
    site.page("/reset", Page::fault(Fault::Reset));
    site.page("/garbage", Page::fault(Fault::Garbage));
    site.page(
        "/quick",
        Page::cloudflare(200, Some("MISS"), None).delay(Duration::from_millis(50)),
    );
    let client = client(&site, &[]);
    let failed = |f| unjudged(Unjudged::Failed(f));
    for path in ["/hang", "/slow"] {
        let started = Instant::now();
        let verdict = confirm(&client, path, Mode::Purge).await;
        assert_eq!(
            verdict,
            failed(SiteFailure::Network(NetKind::Timeout)),
            "{path}"
        );
        assert!(started.elapsed() < Duration::from_secs(1), "{path}");
    }
    let reset = confirm(&client, "/reset", Mode::Purge).await;
    assert_eq!(reset, failed(SiteFailure::Network(NetKind::Dropped)));
    let garbage = confirm(&client, "/garbage", Mode::Purge).await;
    assert_eq!(garbage, failed(SiteFailure::Garbage));
    assert_eq!(
        confirm(&client, "/quick", Mode::Purge).await,
        evicted("MISS")
    );
}

#[tokio::test]
async fn the_sites_certificate_is_trusted_only_through_ca_certificates() {
    let site = FakeSite::start().await;
    site.page("/", Page::cloudflare(200, Some("MISS"), None));
    let env = Env::from_pairs(site.env());
    let without = SiteClient::new(TIMEOUT, Proxies::from_env(&env), None).unwrap();
    let answer = get(&without, "https://example.com/", &[], CONFIRM_BODY, None).await;
    assert_eq!(answer, Err(SiteFailure::Network(NetKind::TlsUnknownIssuer)));
    assert!(site.requests().is_empty());
}

#[tokio::test]
async fn a_proxy_variable_that_holds_no_proxy_sends_nothing() {
    let site = FakeSite::start().await;
    let client = client(&site, &[("https_proxy", "socks5://nowhere:1")]);
    let answer = get(&client, "https://example.com/", &[], CONFIRM_BODY, None).await;
    assert!(matches!(answer, Err(SiteFailure::BadProxy(b)) if b.variable == "https_proxy"));
    assert!(site.connects().is_empty());
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let site = FakeSite::start().await;
    site.page(
        "/old",
        Page::cloudflare(302, None, None).header("location", "/new"),
    );
    site.page("/new", Page::cloudflare(200, Some("MISS"), None));
    let client = client(&site, &[]);
    let redirect = Verdict::Redirect {
        status: 302,
        location: Some("/new".into()),
    };
    assert_eq!(confirm(&client, "/old", Mode::Purge).await, redirect);
    let url = "https://www.example.com/old";
    let poll = read_poll(&get(&client, url, &[], WAIT_BODY, Some("v2")).await);
    assert_eq!(
        poll,
        Poll::Redirect {
            status: 302,
            location: Some("/new".into())
        }
    );
    let paths: Vec<_> = site.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/old", "/old"]);
}

#[tokio::test]
async fn the_body_is_read_up_to_its_cap_and_the_text_found_in_it_or_a_header() {
    let site = FakeSite::start().await;
    let mut body = vec![b'.'; 100 * 1024];
    body[80 * 1024..80 * 1024 + 6].copy_from_slice(b"abc123");
    site.page("/big", Page::cloudflare(200, Some("MISS"), None).body(body));
    site.page(
        "/tagged",
        Page::cloudflare(200, Some("HIT"), Some(1)).header("x-build", "abc123"),
    );
    let client = client(&site, &[]);
    let url = "https://www.example.com/big";
    let capped = get(&client, url, &[], CONFIRM_BODY, Some("abc123"))
        .await
        .unwrap();
    assert_eq!(
        (capped.body_read, capped.body_cut, capped.found),
        (CONFIRM_BODY, true, false)
    );
    let whole = get(&client, url, &[], WAIT_BODY, Some("abc123"))
        .await
        .unwrap();
    assert_eq!(
        (whole.body_read, whole.body_cut, whole.found),
        (100 * 1024, false, true)
    );
    let url = "https://www.example.com/tagged";
    let header = get(&client, url, &[], WAIT_BODY, Some("abc123")).await;
    assert!(read_poll(&header).is_found());
}

#[tokio::test]
async fn no_credential_header_ever_reaches_the_site() {
    let site = FakeSite::start().await;
    site.page("/", Page::cloudflare(200, Some("MISS"), None));
    let client = client(&site, &[]);
    let headers = [
        ("Authorization", "Bearer not-for-the-site"),
        ("X-Auth-Key", GLOBAL_KEY),
        ("X-Auth-Email", EMAIL),
        ("Cookie", "session=1"),
        ("CF-Device-Type", "mobile"),
    ];
    let answer = get(
        &client,
        "https://www.example.com/",
        &headers,
        CONFIRM_BODY,
        None,
    )
    .await;
    assert_eq!(answer.unwrap().status, 200);
    let requests = site.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0].headers;
    assert_eq!(sent["cf-device-type"], "mobile");
    assert_eq!(
        sent["user-agent"],
        concat!("cloudflare-purge/", env!("CARGO_PKG_VERSION"))
    );
    let connects = site.connects();
    let every = sent
        .iter()
        .chain(connects.iter().flat_map(|(_, h)| h.iter()));
    for (name, value) in every {
        let credential =
            name.contains("authorization") || name.starts_with("x-auth") || name == "cookie";
        assert!(!credential, "{name}: {value}");
        assert!(
            !value.contains(GLOBAL_KEY) && !value.contains(EMAIL),
            "{name}: {value}"
        );
    }
}

#[tokio::test]
async fn a_plain_http_wait_url_goes_through_http_proxy_and_its_polls_are_read() {
    let site = FakeSite::start().await;
    let cf = Page::cloudflare;
    site.pages(
        "/version.txt",
        vec![
            cf(503, None, None),
            Page::fault(Fault::Reset),
            cf(200, Some("HIT"), Some(40)).body("old-build"),
            cf(200, Some("MISS"), None).body("old-build"),
            cf(200, Some("MISS"), None).body("build 4f2a9c1"),
        ],
    );
    let client = client(&site, &[]);
    let url = Url::parse("http://www.example.com/version.txt?x=1").unwrap();
    let mut polls = Vec::new();
    for _ in 0..5 {
        polls.push(read_poll(&client.poll(&url, "4f2a9c1").await));
    }
    assert!(matches!(polls[0], Poll::ServerError { status: 503, .. }));
    let reset = Poll::Failed(SiteFailure::Network(NetKind::Dropped));
    assert_eq!(polls[1], reset);
    assert_eq!(polls[2], Poll::Cached { status: 200 });
    assert!(matches!(polls[3], Poll::NotFound { status: 200, .. }));
    assert!(polls[4].is_found());
    let requests = site.requests();
    assert!(requests
        .iter()
        .all(|r| !r.tls && r.path == "/version.txt?x=1"));
    assert!(requests
        .iter()
        .all(|r| r.headers["cache-control"] == "no-cache"));
    assert!(site.connects().is_empty());
}
