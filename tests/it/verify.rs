//! Token health (`mode: verify`): every check runs, the purge permission is proven on a URL that is
//! never served, expiry within the warning window fails, and nothing else is purged.

use std::time::Duration;

use crate::support::*;
use serde_json::json;

const PROOF_URL: &str = "https://example.com/.well-known/cloudflare-purge-permission-check";

fn in_days(days: u64) -> String {
    let at = time::OffsetDateTime::now_utc() + Duration::from_secs(days * 86400 + 3600);
    at.replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

async fn verify(token: Token, inputs: &[(&str, &str)]) -> (Fake, Run) {
    let fake = Fake::with_token(CFUT_TOKEN, token).await;
    let mut action = Action::new(&fake).token(CFUT_TOKEN).input("mode", "verify");
    for (k, v) in inputs {
        action = action.input(k, v);
    }
    let run = action.run().await;
    (fake, run)
}

fn row(run: &Run, name: &str) -> String {
    let prefix = format!("| {name} |");
    run.summary
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {name} row:\n{}", run.summary))
        .to_string()
}

#[tokio::test]
async fn a_healthy_token_is_verified_and_its_permission_proven_without_touching_real_urls() {
    let expires = in_days(200);
    let (fake, run) = verify(
        Token {
            expires_on: Some(expires.clone()),
            ..Token::user()
        },
        &[("files", "/should-not-be-purged")],
    )
    .await;
    run.assert_ok("verified");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ZONE_ID}"),
            format!("POST /zones/{ZONE_ID}/purge_cache")
        ])
    );
    assert_eq!(fake.purges()[0].body, Some(json!({"files": [PROOF_URL]})));
    assert_eq!(run.output("token_status"), "active");
    assert_eq!(run.output("token_expires_on"), expires);
    assert_eq!(run.output("days_until_expiry"), "200");
    assert_eq!(run.output("purged_count"), "0");
    assert!(row(&run, "Credential shape").contains("✓ | user API token (cfut_)"));
    assert!(row(&run, "Token").contains("✓ | user API token, active"));
    assert!(row(&run, "Expiry").contains(&format!("✓ | expires on {expires}, in 200 days")));
    assert!(row(&run, "Zone").contains("✓ | example.com"));
    assert!(row(&run, "Account").contains(ACCOUNT_ID));
    assert!(row(&run, "Purge permission")
        .contains(&format!("✓ | {ZONE_NAME}: proven by purging {PROOF_URL}")));
    assert!(
        run.summary.starts_with("### Cloudflare purge — ✓ verified"),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn a_token_without_expiry_is_healthy_and_says_so() {
    let (_, run) = verify(Token::user(), &[]).await;
    run.assert_ok("verified");
    assert!(row(&run, "Expiry").contains("✓ | never expires"));
    assert_eq!(run.output("token_expires_on"), "");
    assert_eq!(run.output("days_until_expiry"), "");
}

#[tokio::test]
async fn a_token_expiring_within_the_window_fails_the_health_job() {
    let expires = in_days(10);
    let (fake, run) = verify(
        Token {
            expires_on: Some(expires.clone()),
            ..Token::user()
        },
        &[],
    )
    .await;
    run.assert_failed(1, "token-expiring-soon");
    let (title, text) = run.error();
    assert_eq!(title, "API token expires soon");
    assert!(
        text.contains(&format!("expires on {expires}, in 10 days")) && text.contains("roll it"),
        "{text}"
    );
    assert!(row(&run, "Expiry").contains("✗ | expires on"));
    assert_eq!(run.output("days_until_expiry"), "10");
    // The permission is still proven first, so the report is complete.
    assert_eq!(fake.purges().len(), 1);
    assert!(
        run.summary
            .contains("**Fix:** Before it expires, edit the token's TTL or roll it"),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn the_warning_window_is_an_input() {
    let (_, run) = verify(
        Token {
            expires_on: Some(in_days(10)),
            ..Token::user()
        },
        &[("expiry_warning_days", "7")],
    )
    .await;
    run.assert_ok("verified");
    let (_, run) = verify(
        Token {
            expires_on: Some(in_days(10)),
            ..Token::user()
        },
        &[("expiry_warning_days", "30")],
    )
    .await;
    run.assert_failed(1, "token-expiring-soon");
}

#[tokio::test]
async fn expired_disabled_and_not_yet_valid_tokens_fail_without_any_purge() {
    let cases = [
        (
            Token {
                status: "expired",
                expires_on: Some("2026-08-31T23:59:59Z".into()),
                ..Token::user()
            },
            "token-expired",
            "expired",
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
                not_before: Some(in_days(3)),
                ..Token::user()
            },
            "token-not-yet-valid",
            "active",
        ),
    ];
    for (token, code, status) in cases {
        let (fake, run) = verify(token, &[]).await;
        run.assert_failed(1, code);
        assert!(fake.purges().is_empty(), "{code}");
        assert_eq!(run.output("token_status"), status, "{code}");
        assert!(row(&run, "Expiry").contains("✗"), "{code}: {}", run.summary);
    }
}

#[tokio::test]
async fn a_token_without_cache_purge_fails_the_permission_proof() {
    let (fake, run) = verify(
        Token {
            purge: vec![],
            ..Token::user()
        },
        &[],
    )
    .await;
    run.assert_failed(1, "purge-permission-missing");
    assert_eq!(fake.purges().len(), 1);
    assert!(row(&run, "Purge permission").contains("✗"));
    assert!(
        run.summary.contains("permissionGroupKeys="),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn the_permission_proof_can_be_turned_off() {
    let (fake, run) = verify(
        Token {
            purge: vec![],
            ..Token::user()
        },
        &[("check_purge_permission", "false")],
    )
    .await;
    run.assert_ok("verified");
    assert!(fake.purges().is_empty());
    assert!(!run.summary.contains("| Purge permission |"));
}

#[tokio::test]
async fn an_account_token_is_verified_against_its_account() {
    let fake = Fake::with_token(
        CFAT_TOKEN,
        Token {
            expires_on: Some(in_days(90)),
            ..Token::account()
        },
    )
    .await;
    let run = Action::new(&fake)
        .token(CFAT_TOKEN)
        .input("mode", "verify")
        .run()
        .await;
    run.assert_ok("verified");
    assert_eq!(run.output("credential"), "account-token");
    assert_eq!(run.output("days_until_expiry"), "90");
    assert!(fake
        .paths()
        .contains(&format!("GET /accounts/{ACCOUNT_ID}/tokens/verify")));
}

#[tokio::test]
async fn a_global_key_is_healthy_and_never_expires() {
    let fake = Fake::start().await;
    fake.add_key(EMAIL, GLOBAL_KEY);
    let run = Action::new(&fake)
        .input("mode", "verify")
        .input("email", EMAIL)
        .secret("global_api_key", GLOBAL_KEY)
        .run()
        .await;
    run.assert_ok("verified");
    assert_eq!(run.output("credential"), "global-key");
    assert_eq!(run.output("token_status"), "");
    assert_eq!(run.output("token_expires_on"), "");
    assert!(row(&run, "Expiry").contains("a Global API Key never expires"));
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user".to_string(),
            format!("GET /zones/{ZONE_ID}"),
            format!("POST /zones/{ZONE_ID}/purge_cache")
        ])
    );
}

#[tokio::test]
async fn in_verify_mode_the_lists_are_still_checked_offline() {
    // README: "Lists, when given, are still checked offline, as in a purge".
    let (fake, run) = verify(Token::user(), &[("files", "not-a-url")]).await;
    run.assert_failed(2, "invalid-url");
    assert!(fake.paths().is_empty(), "sent {:?}", fake.paths());
    run.assert_secret_hidden(CFUT_TOKEN);
}

#[tokio::test]
async fn a_dry_run_warns_of_a_close_expiry_and_goes_on() {
    // README: a dry run's expiry within expiry_warning_days is a warning, not a failure.
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            expires_on: Some(in_days(5)),
            ..Token::user()
        },
    )
    .await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "/app.css")
        .input("dry_run", "true")
        .run()
        .await;
    run.assert_ok("planned");
    assert!(run.output("warnings").contains("token-expiring-soon"));
    assert!(run
        .warnings()
        .iter()
        .any(|(t, _)| t == "API token expires soon"));
    assert!(fake.purges().is_empty());
    run.assert_secret_hidden(CFUT_TOKEN);
}
