//! Every cause of the contract, produced in the situation it describes: exit status, `cause` output,
//! annotation title and text, what Cloudflare received — and the secret in no channel.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use serde_json::json;
use support::*;

/// An offline case: inputs and environment, the cause, and words the annotation must contain.
struct Offline {
    inputs: Vec<(&'static str, String)>,
    env: Vec<(&'static str, String)>,
    code: &'static str,
    says: Vec<&'static str>,
}

fn offline(code: &'static str, inputs: &[(&'static str, &str)], says: &[&'static str]) -> Offline {
    Offline {
        inputs: inputs.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        env: vec![],
        code,
        says: says.to_vec(),
    }
}

fn origin_ca_key() -> String {
    format!(
        "v1.0-{}-{}",
        "0a1b2c3d4e5f6a7b8c9d0e1f",
        "ab12".repeat(36) + "cd"
    )
}

#[tokio::test]
async fn offline_causes_exit_2_before_any_request() {
    let truncated = &LEGACY_TOKEN[..39];
    let split = format!("{}\n{}", &CFUT_TOKEN[..30], &CFUT_TOKEN[30..]);
    let assignment = format!("CLOUDFLARE_API_TOKEN={LEGACY_TOKEN}");
    let origin = origin_ca_key();
    let cases = vec![
        offline(
            "missing-zone",
            &[("zone", ""), ("api_token", LEGACY_TOKEN), ("tags", "a")],
            &["zone input is empty"],
        ),
        offline(
            "invalid-zone",
            &[
                ("zone", "my site"),
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
            ],
            &["\"my site\"", "Zone ID"],
        ),
        offline(
            "missing-credentials",
            &[("tags", "a")],
            &["secrets.", "Settings → Secrets and variables → Actions"],
        ),
        offline(
            "token-placeholder",
            &[("api_token", "<insert token>"), ("tags", "a")],
            &["placeholder", "api-tokens?permissionGroupKeys="],
        ),
        offline(
            "token-placeholder",
            &[("api_token", "${{ secrets.CF_PURGE }}"), ("tags", "a")],
            &["placeholder"],
        ),
        offline(
            "incomplete-global-key",
            &[("global_api_key", GLOBAL_KEY), ("tags", "a")],
            &["email is empty"],
        ),
        offline(
            "incomplete-global-key",
            &[("email", EMAIL), ("tags", "a")],
            &["global_api_key is empty"],
        ),
        offline(
            "invalid-email",
            &[
                ("email", "ops.example.com"),
                ("global_api_key", GLOBAL_KEY),
                ("tags", "a"),
            ],
            &["no @"],
        ),
        offline(
            "token-malformed",
            &[("api_token", truncated), ("tags", "a")],
            &["39 characters long", "40 characters"],
        ),
        offline(
            "token-malformed",
            &[("api_token", &assignment), ("tags", "a")],
            &["`CLOUDFLARE_API_TOKEN=…` line"],
        ),
        offline(
            "token-has-whitespace",
            &[("api_token", &split), ("tags", "a")],
            &["54 characters", "a line break", "position 31"],
        ),
        offline(
            "global-key-as-token",
            &[("api_token", GLOBAL_KEY), ("tags", "a")],
            &["Global API Key", "37 characters", "`email`"],
        ),
        offline(
            "token-as-global-key",
            &[
                ("global_api_key", LEGACY_TOKEN),
                ("email", EMAIL),
                ("tags", "a"),
            ],
            &["an API token (40 characters)", "`api_token`"],
        ),
        offline(
            "origin-ca-key",
            &[("api_token", &origin), ("tags", "a")],
            &["Origin CA key"],
        ),
        offline(
            "nothing-to-purge",
            &[("api_token", LEGACY_TOKEN)],
            &["purge_everything: true", "mode: verify"],
        ),
        offline(
            "conflicting-purge-inputs",
            &[
                ("api_token", LEGACY_TOKEN),
                ("purge_everything", "true"),
                ("files", "/a"),
                ("tags", "t"),
            ],
            &["files, tags are also given"],
        ),
        offline(
            "invalid-url",
            &[
                ("api_token", LEGACY_TOKEN),
                (
                    "files",
                    "https://example.com/ok blog/index.html example.com/x",
                ),
            ],
            &["2 items", "blog/index.html, example.com/x"],
        ),
        offline(
            "url-outside-zone",
            &[
                ("zone", "example.com"),
                ("api_token", LEGACY_TOKEN),
                (
                    "files",
                    "https://www.example.com/ https://example.org/a https://badexample.com/",
                ),
            ],
            &["2 URLs", "https://example.org/a, https://badexample.com/"],
        ),
        offline(
            "invalid-input",
            &[
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
                ("dry_run", "maybe"),
            ],
            &["dry_run", "\"maybe\""],
        ),
        offline(
            "invalid-input",
            &[
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
                ("mode", "check"),
            ],
            &["mode", "purge or verify"],
        ),
        offline(
            "invalid-input",
            &[
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
                ("timeout_seconds", "0"),
            ],
            &["timeout_seconds", "1 to 600"],
        ),
        offline(
            "invalid-input",
            &[
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
                ("api_url", "http://api.example.com/client/v4"),
            ],
            &["api_url", "https://"],
        ),
        offline(
            "invalid-input",
            &[("api_token", LEGACY_TOKEN), ("files_from", "missing.txt")],
            &["files_from", "missing.txt"],
        ),
    ];
    for case in cases {
        let fake = Fake::start().await;
        let mut action = Action::new(&fake);
        for (name, value) in &case.inputs {
            // A placeholder is template text, not a secret: the fix may quote the same template.
            let secret =
                ["api_token", "global_api_key"].contains(name) && case.code != "token-placeholder";
            if let Some((_, inner)) = value.split_once('=') {
                // A pasted `NAME=value` line: the name is not secret, the value is.
                action = action.hide(inner);
            }
            action = if secret && !value.contains('=') {
                action.secret(name, value)
            } else {
                action.input(name, value)
            };
        }
        for (name, value) in &case.env {
            action = action.env(name, value);
        }
        let run = action.run().await;
        run.assert_failed(2, case.code);
        assert!(
            fake.received().is_empty(),
            "{}: offline cause sent {:?}",
            case.code,
            fake.paths()
        );
        let (title, text) = &run.errors()[0];
        let expected_title = cloudflare_purge::diagnosis::examples()
            .into_iter()
            .find(|c| c.code() == case.code)
            .unwrap()
            .title()
            .to_string();
        assert_eq!(
            title,
            &cloudflare_purge::runner::escape_property(&expected_title),
            "{}",
            case.code
        );
        for words in &case.says {
            assert!(
                text.contains(words),
                "{}: annotation lacks {words:?}:\n{text}",
                case.code
            );
        }
    }
}

#[tokio::test]
async fn every_offline_problem_is_reported_and_the_first_decides_the_cause() {
    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .input("zone", "")
        .input("dry_run", "perhaps")
        .input("files", "nope")
        .run()
        .await;
    run.assert_failed(2, "missing-zone");
    let titles: Vec<String> = run.errors().into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        titles,
        [
            "No zone given",
            "No Cloudflare credentials",
            "Invalid input value",
            "Not a URL or path"
        ]
    );
}

#[tokio::test]
async fn a_missing_secret_is_explained_by_how_the_run_started() {
    let fake = Fake::start().await;
    let event =
        json!({"pull_request": {"head": {"repo": {"fork": true, "full_name": "someone/fork"}}}})
            .to_string();
    let action = Action::new(&fake)
        .input("tags", "a")
        .env("GITHUB_EVENT_NAME", "pull_request");
    let event_path = action.workspace().join("event.json");
    let run = action
        .workspace_file("event.json", &event)
        .env("GITHUB_EVENT_PATH", &event_path.display().to_string())
        .run()
        .await;
    run.assert_failed(2, "missing-credentials");
    assert!(
        run.error().1.contains("pull request from a fork"),
        "{}",
        run.stdout
    );

    let run = Action::new(&fake)
        .input("tags", "a")
        .env("GITHUB_ACTOR", "dependabot[bot]")
        .run()
        .await;
    run.assert_failed(2, "missing-credentials");
    assert!(run.error().1.contains("Dependabot"), "{}", run.stdout);

    let run = Action::new(&fake)
        .input("tags", "a")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .run()
        .await;
    assert!(
        run.error().1.contains("no secret of that name exists"),
        "{}",
        run.stdout
    );
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn repaired_inputs_warn_and_go_on() {
    let fake = Fake::with_token(LEGACY_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .input("zone", "https://example.com/blog/")
        .secret("api_token", &format!("'Bearer {LEGACY_TOKEN}'"))
        .secret("global_api_key", GLOBAL_KEY)
        .input("email", EMAIL)
        .input("tags", "a")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        run.output("warnings"),
        "zone-was-url,both-credentials,token-quoted,token-bearer-prefix"
    );
    let titles: Vec<String> = run.warnings().into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles.len(), 4, "{}", run.stdout);
    assert_eq!(
        fake.purges()[0].headers["authorization"],
        format!("Bearer {LEGACY_TOKEN}")
    );
    assert!(
        run.summary.contains("`both-credentials`"),
        "{}",
        run.summary
    );
}

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
        fake.paths(),
        [
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ZONE_ID}")
        ]
    );
    let text = run.error().1;
    assert!(
        text.contains("1000 \"Invalid API Token\"") && text.contains("account_id"),
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
        fake.paths(),
        [
            "GET /user/tokens/verify".to_string(),
            format!("GET /accounts/{ACCOUNT_ID}/tokens/verify")
        ]
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
        assert_eq!(fake.paths(), ["GET /user/tokens/verify"], "{code}");
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
    assert_eq!(fake.paths(), ["GET /user"]);
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
        fake.paths(),
        ["GET /user/tokens/verify", "GET /zones", "GET /zones"]
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
        fake.paths(),
        [
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ACCOUNT_ID}"),
            format!("GET /accounts/{ACCOUNT_ID}")
        ]
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
            answers: |r| r.path == "/user/tokens/verify",
            reply: Reply::html(502),
            code: "cloudflare-unavailable",
            says: "HTTP 502 with an HTML error page after 4 attempts",
            counted: all_requests,
            sent: 4,
            why: "a 5xx is tried four times, and nothing follows",
        },
        Case {
            answers: |_| true,
            reply: Reply::html(404),
            code: "unexpected-response",
            says: "HTTP 404 with an HTML page",
            counted: all_requests,
            sent: 1,
            why: "a 404 page (a wrong api_url) is not retried",
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

#[test]
fn every_cause_code_of_the_catalogue_is_produced_by_a_test() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            all.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    for cause in cloudflare_purge::diagnosis::examples() {
        let code = cause.code();
        // Codes appear in test files only as expectations: in assert_failed, a case table, or a warnings check.
        let produced = ["\"", ","].iter().any(|before| {
            ["\"", ","]
                .iter()
                .any(|after| all.contains(&format!("{before}{code}{after}")))
        });
        assert!(produced, "no test produces the cause {code}");
    }
}
