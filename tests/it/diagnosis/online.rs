//! Causes Cloudflare's answers decide: exit 1, with its words quoted.

use crate::support::*;
use std::time::Duration;

async fn online(token: &str, t: Token, inputs: &[(&str, &str)]) -> (Fake, Run) {
    let fake = Fake::with_token(token, t).await;
    let mut action = Action::new(&fake).token(token);
    for (k, v) in inputs {
        action = action.input(k, v);
    }
    let run = action.run().await;
    (fake, run)
}

#[tokio::test]
async fn an_unknown_token_is_checked_as_an_account_token_before_it_is_called_invalid() {
    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .token(LEGACY_TOKEN)
        .input("tags", "a")
        .run()
        .await;
    run.assert_failed(1, "token-invalid");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ZONE_ID}")
        ])
    );
    let text = run.error().1;
    assert!(
        text.contains("1000 \"Invalid API Token\"")
            && text.contains("9109 \"Invalid access token\""),
        "{text}"
    );

    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .token(LEGACY_TOKEN)
        .input("tags", "a")
        .input("account_id", ACCOUNT_ID)
        .run()
        .await;
    run.assert_failed(1, "token-invalid");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ZONE_ID}"),
            format!("GET /accounts/{ACCOUNT_ID}/tokens/verify")
        ])
    );
    assert!(
        run.error()
            .1
            .contains(&format!("account endpoint of account {ACCOUNT_ID}")),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn an_account_token_that_cannot_read_the_zone_needs_account_id() {
    let (fake, run) = online(
        CFAT_TOKEN,
        Token {
            read: vec![],
            ..Token::account()
        },
        &[("tags", "a")],
    )
    .await;
    run.assert_failed(1, "account-token-needs-account-id");
    assert_eq!(fake.paths(), [format!("GET /zones/{ZONE_ID}")]);
    assert!(
        run.error().1.contains("Account Home → Account ID"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn token_lifetime_causes_stop_before_any_purge() {
    let past = "2026-08-31T23:59:59Z";
    let cases = [
        (
            Token {
                status: "expired",
                expires_on: Some(past.into()),
                ..Token::user()
            },
            "token-expired",
            "expired on 2026-08-31T23:59:59Z",
        ),
        (
            Token {
                status: "disabled",
                ..Token::user()
            },
            "token-disabled",
            "disabled",
        ),
        (
            Token {
                not_before: Some("2099-01-01T00:00:00Z".into()),
                ..Token::user()
            },
            "token-not-yet-valid",
            "valid only from 2099-01-01T00:00:00Z",
        ),
    ];
    for (token, code, says) in cases {
        let (fake, run) = online(CFUT_TOKEN, token, &[("files", "/a")]).await;
        run.assert_failed(1, code);
        assert!(run.error().1.contains(says), "{code}: {}", run.stdout);
        assert!(fake.purges().is_empty(), "{code}");
        let read_beside = format!("GET /zones/{ZONE_ID}");
        let sent = checks_sorted(["GET /user/tokens/verify".to_string(), read_beside]);
        assert_eq!(fake.checks(), sent, "{code}");
    }
}

#[tokio::test]
async fn an_ip_restricted_token_names_the_runners_address() {
    let (fake, run) = online(
        CFUT_TOKEN,
        Token {
            ip_restricted: true,
            ..Token::user()
        },
        &[("tags", "a")],
    )
    .await;
    run.assert_failed(1, "token-ip-restricted");
    let text = run.error().1;
    assert!(
        text.contains(RUNNER_IP) && text.contains("Client IP Address Filtering"),
        "{text}"
    );
    assert!(fake.purges().is_empty());
}

#[tokio::test]
async fn a_wrong_global_key_is_rejected_with_cloudflares_words() {
    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .input("email", EMAIL)
        .secret("global_api_key", GLOBAL_KEY)
        .input("tags", "a")
        .run()
        .await;
    run.assert_failed(1, "global-key-rejected");
    assert!(
        run.error()
            .1
            .contains("9103 \"Unknown X-Auth-Key or X-Auth-Email\""),
        "{}",
        run.stdout
    );
    // The zone is read beside the check; what it found is not judged.
    assert_eq!(
        fake.checks(),
        checks_sorted(["GET /user".to_string(), format!("GET /zones/{ZONE_ID}")])
    );
}

#[tokio::test]
async fn a_zone_the_token_cannot_see_lists_the_zones_it_can() {
    let (fake, run) = online(
        CFUT_TOKEN,
        Token::user(),
        &[("zone", "example.org"), ("tags", "a")],
    )
    .await;
    run.assert_failed(1, "zone-not-found");
    let text = run.error().1;
    assert!(
        text.contains("it sees example.com, big.example") && !text.contains(OTHER_ZONE_NAME),
        "{text}"
    );
    assert_eq!(
        fake.checks(),
        checks_sorted(["GET /user/tokens/verify", "GET /zones", "GET /zones"])
    );

    let unknown = "ffffffffffffffffffffffffffffffff";
    let (fake, run) = online(
        CFUT_TOKEN,
        Token::user(),
        &[("zone", unknown), ("tags", "a")],
    )
    .await;
    run.assert_failed(1, "zone-not-found");
    assert!(run.error().1.contains("7003"), "{}", run.stdout);
    assert!(fake.purges().is_empty());
}

#[tokio::test]
async fn an_account_id_given_as_zone_is_recognised() {
    let (fake, run) = online(
        CFUT_TOKEN,
        Token::user(),
        &[("zone", ACCOUNT_ID), ("tags", "a")],
    )
    .await;
    run.assert_failed(1, "account-id-as-zone");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ACCOUNT_ID}"),
            format!("GET /accounts/{ACCOUNT_ID}")
        ])
    );
}

#[tokio::test]
async fn a_pending_zone_warns_and_still_purges() {
    let fake = Fake::start().await;
    let pending = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    fake.add_zone(zone_json(
        pending,
        "new.example",
        "free",
        "pending",
        ACCOUNT_ID,
    ));
    fake.add_token(
        CFUT_TOKEN,
        Token {
            read: vec![pending],
            purge: vec![pending],
            ..Token::user()
        },
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", pending)
        .input("tags", "a")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("warnings"), "zone-not-active");
    assert!(
        run.warnings()[0].1.contains("new.example is pending"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_token_without_cache_purge_fails_on_the_first_batch_and_sends_no_more() {
    let files: Vec<String> = (0..300)
        .map(|i| format!("https://example.com/{i}"))
        .collect();
    let (fake, run) = online(
        CFUT_TOKEN,
        Token {
            purge: vec![],
            ..Token::user()
        },
        &[("files", &files.join(" "))],
    )
    .await;
    run.assert_failed(1, "purge-permission-missing");
    let text = run.error().1;
    assert!(text.contains("10000 \"Authentication error\""), "{text}");
    assert!(
        text.contains("Zone → Cache Purge → Purge") && text.contains("permissionGroupKeys="),
        "{text}"
    );
    assert!(fake.purges().len() < 3 + 8, "{}", fake.purges().len());
    assert_eq!(run.output("failed").lines().count(), 300);
    assert_eq!(run.output("purged_count"), "0");
}

/// Which requests a case counts: those the script answered, or all of them.
fn purges(fake: &Fake) -> usize {
    fake.purges().len()
}

fn all_requests(fake: &Fake) -> usize {
    fake.received().len()
}

fn verifies(fake: &Fake) -> usize {
    fake.received()
        .iter()
        .filter(|r| r.path == "/user/tokens/verify")
        .count()
}

#[tokio::test]
async fn answers_that_are_not_a_yes_are_named_with_cloudflares_words() {
    struct Case {
        answers: fn(&Received) -> bool,
        reply: Reply,
        code: &'static str,
        says: &'static str,
        counted: fn(&Fake) -> usize,
        sent: usize,
        why: &'static str,
    }
    let cases = [
        Case {
            answers: Received::is_purge,
            reply: Reply::json(400, observed("purge: no recognised key")),
            code: "purge-rejected",
            says: "1012 \"Request must contain one of",
            counted: purges,
            sent: 1,
            why: "a 400 is not retried",
        },
        Case {
            answers: Received::is_purge,
            reply: Reply::json(429, observed("global API rate limit (2026)"))
                .header("retry-after", "0"),
            code: "rate-limited",
            says: "971 \"Please wait",
            counted: purges,
            sent: 4,
            why: "a 429 is tried four times",
        },
        Case {
            answers: Received::is_purge,
            reply: Reply::json(429, purge_rate_limit()).header("retry-after", "0"),
            code: "rate-limited",
            says: "1134 \"Unable to purge, rate limit reached",
            counted: purges,
            sent: 4,
            why: "the purge rate limit (1134) is tried four times like 971",
        },
        Case {
            answers: Received::is_purge,
            reply: Reply::json(400, purge_rate_limit()),
            code: "rate-limited",
            says: "Cloudflare's page: https://developers.cloudflare.com/cache/how-to/purge-cache/#availability-and-limits",
            counted: purges,
            sent: 4,
            why: "1134 is a rate limit whatever its status, and its documentation_url is shown",
        },
        Case {
            answers: |r| r.path == "/user/tokens/verify",
            reply: Reply::html(502),
            code: "cloudflare-unavailable",
            says: "HTTP 502 with an HTML error page after 4 attempts",
            counted: verifies,
            sent: 4,
            why: "a 5xx is tried four times",
        },
        Case {
            answers: |_| true,
            reply: Reply::html(404),
            code: "unexpected-response",
            says: "HTTP 404 with an HTML page",
            counted: all_requests,
            sent: 2,
            why: "a 404 page (a wrong api_url) is not retried: the check and the zone read beside it, once each",
        },
    ];
    for case in cases {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        fake.script(case.answers, None, case.reply);
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("tags", "a")
            .run()
            .await;
        run.assert_failed(1, case.code);
        assert!(
            run.error().1.contains(case.says),
            "{}: {}",
            case.code,
            run.stdout
        );
        assert_eq!(
            (case.counted)(&fake),
            case.sent,
            "{}: {}",
            case.code,
            case.why
        );
    }
}

#[tokio::test]
async fn an_unreachable_api_is_a_network_error_naming_the_step() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "a")
        .input("api_url", &format!("http://127.0.0.1:{port}/client/v4"))
        .run()
        .await;
    run.assert_failed(1, "network-error");
    assert!(
        run.error().1.contains("could not connect"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn expiring_soon_only_warns_in_purge_mode() {
    let soon = (time::OffsetDateTime::now_utc() + Duration::from_secs(5 * 86400 + 3600))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (fake, run) = online(
        CFUT_TOKEN,
        Token {
            expires_on: Some(soon),
            ..Token::user()
        },
        &[("tags", "a")],
    )
    .await;
    run.assert_ok("purged");
    assert_eq!(run.output("warnings"), "token-expiring-soon");
    assert_eq!(run.output("days_until_expiry"), "5");
    assert!(run.warnings()[0].1.contains("in 5 days"), "{}", run.stdout);
    assert_eq!(fake.purges().len(), 1);
}

#[tokio::test]
async fn a_subdomain_given_as_the_zone_is_pointed_to_its_zone() {
    for zone in ["www.example.com", "https://www.example.com/"] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("zone", zone)
            .input("files", "https://www.example.com/a.css")
            .run_binary()
            .await;
        run.assert_failed(1, "zone-not-found");
        let text = run.error().1;
        assert!(
            text.contains("www.example.com is not a zone; its zone is example.com")
                && text.contains("Set `zone: example.com`")
                && text.contains("your URLs on www.example.com stay valid"),
            "{zone}: {text}"
        );
        assert!(fake.purges().is_empty());
        assert!(fake.paths().contains(&"GET /zones".to_string()));
    }
}

/// 1092 is `conflicting-purge-inputs` in Cloudflare's words; answered to a request that was sent
/// (one holding both is refused offline), it exits 1 (contract §4) and claims no lists.
#[tokio::test]
async fn cloudflares_1092_is_conflicting_purge_inputs_in_its_words_after_a_request() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    fake.script(
        |r| r.is_purge() && r.path.contains(SHOP_ZONE_ID),
        None,
        Reply::json(400, purge_everything_and_lists()),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", &format!("{ZONE_NAME},{SHOP_ZONE_NAME}"))
        .input("tags", "a")
        .run()
        .await;
    run.assert_failed(1, "conflicting-purge-inputs");
    let text = run.error().1;
    assert!(text.contains("1092 \"Request cannot contain"), "{text}");
    assert!(!text.contains("held purge_everything"), "{text}");
    assert!(!text.contains("Remove the lists"), "{text}");
    assert_eq!(fake.purged_in(ZONE_ID), ["a"], "the other zone is purged");
    assert_eq!(
        fake.purges_of(SHOP_ZONE_ID).len(),
        1,
        "a 400 is not retried"
    );
}
