//! The working path: credentials verified, zone resolved, every purge kind sent in the right batches.

use crate::support::*;
use serde_json::json;

#[tokio::test]
async fn files_are_purged_by_zone_id_after_the_token_is_verified() {
    // The built binary, started as the runner starts the container action.
    let fake = Fake::with_token(LEGACY_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(LEGACY_TOKEN)
        .input(
            "files",
            "https://example.com/a.css\nhttps://www.example.com/b.js, https://example.com/a.css",
        )
        .run_binary()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ZONE_ID}"),
            format!("POST /zones/{ZONE_ID}/purge_cache")
        ])
    );
    let purge = &fake.purges()[0];
    assert_eq!(
        purge.body,
        Some(json!({"files": ["https://example.com/a.css", "https://www.example.com/b.js"]}))
    );
    assert_eq!(
        purge.headers["authorization"],
        format!("Bearer {LEGACY_TOKEN}")
    );
    assert!(purge.headers["user-agent"].starts_with("cloudflare-purge/"));
    assert_eq!(run.output("purged_count"), "2");
    assert_eq!(run.output("purge_ids"), format!("{:032x}", 1));
    assert_eq!(run.output("zone_id"), ZONE_ID);
    assert_eq!(run.output("zone_name"), ZONE_NAME);
    assert_eq!(run.output("credential"), "user-token");
    assert_eq!(run.output("token_status"), "active");
    assert_eq!(run.output("token_expires_on"), "");
    assert_eq!(run.output("days_until_expiry"), "");
    assert_eq!(run.output("failed"), "");
    assert_eq!(run.output("warnings"), "");
    assert!(
        run.summary.contains("| Zone | ✓ | example.com"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("| URLs | 2 |"), "{}", run.summary);
}

#[tokio::test]
async fn masks_come_before_any_other_line() {
    let fake = Fake::with_token(LEGACY_TOKEN, Token::user()).await;
    let padded = format!("  \"Bearer {LEGACY_TOKEN}\"\n");
    let run = Action::new(&fake)
        .token(&padded)
        .input("purge_everything", "true")
        .run()
        .await;
    run.assert_ok("purged");
    let first: Vec<&str> = run
        .stdout
        .lines()
        .take_while(|l| l.starts_with("::add-mask::"))
        .collect();
    assert!(
        first.contains(&format!("::add-mask::{LEGACY_TOKEN}").as_str()),
        "{}",
        run.stdout
    );
    let after = run
        .stdout
        .lines()
        .skip(first.len())
        .filter(|l| l.starts_with("::add-mask::"))
        .count();
    assert_eq!(after, 0, "{}", run.stdout);
    assert_eq!(run.output("warnings"), "token-quoted,token-bearer-prefix");
}

#[tokio::test]
async fn every_purge_kind_sends_its_own_body() {
    let headers = r#"[{"url": "https://example.com/", "headers": {"CF-IPCountry": "US", "CF-Device-Type": "mobile"}}, "https://example.com/x"]"#;
    let cases: Vec<(&str, &str, serde_json::Value)> = vec![
        (
            "files",
            headers,
            json!({"files": [{"url": "https://example.com/", "headers": {"CF-Device-Type": "mobile", "CF-IPCountry": "US"}}, "https://example.com/x"]}),
        ),
        (
            "tags",
            "blog, product-42\nproduct-42",
            json!({"tags": ["blog", "product-42"]}),
        ),
        (
            "hosts",
            "www.example.com images.example.com",
            json!({"hosts": ["www.example.com", "images.example.com"]}),
        ),
        (
            "prefixes",
            "example.com/blog/\nwww.example.com/docs/",
            json!({"prefixes": ["example.com/blog/", "www.example.com/docs/"]}),
        ),
        (
            "purge_everything",
            "TRUE",
            json!({"purge_everything": true}),
        ),
    ];
    for (input, value, body) in cases {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input(input, value)
            .run()
            .await;
        run.assert_ok("purged");
        let purges = fake.purges();
        assert_eq!(purges.len(), 1, "{input}");
        assert_eq!(purges[0].body.as_ref(), Some(&body), "{input}");
    }
}

#[tokio::test]
async fn zone_by_name_is_looked_up_and_paths_join_its_https_url() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", "Example.com")
        .input("files", "/\n/blog/post.html")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            "GET /zones".into(),
            format!("POST /zones/{ZONE_ID}/purge_cache")
        ])
    );
    let lookup = fake.received().into_iter().find(|r| r.path == "/zones");
    assert_eq!(lookup.map(|r| r.query).as_deref(), Some("name=example.com"));
    assert_eq!(
        fake.purges()[0].purged_items(),
        ["https://example.com/", "https://example.com/blog/post.html"]
    );
    assert_eq!(run.output("zone_id"), ZONE_ID);
}

#[tokio::test]
async fn paths_join_base_url_when_given() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("base_url", "https://www.example.com/")
        .input("files", "/a.css https://example.com/b.css")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.purges()[0].purged_items(),
        ["https://www.example.com/a.css", "https://example.com/b.css"]
    );
}

#[tokio::test]
async fn urls_on_a_free_zone_go_in_batches_of_100() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let list = urls(250, ZONE_NAME);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &list.join("\n"))
        .run()
        .await;
    run.assert_ok("purged");
    let purges = fake.purges();
    assert_eq!(
        purges
            .iter()
            .map(|p| p.purged_items().len())
            .collect::<Vec<_>>(),
        [100, 100, 50]
    );
    let mut sent: Vec<String> = purges.iter().flat_map(|p| p.purged_items()).collect();
    sent.sort();
    let mut want = list.clone();
    want.sort();
    assert_eq!(sent, want);
    assert_eq!(run.output("purged_count"), "250");
    assert_eq!(run.output("purge_ids").split(',').count(), 3);
    assert!(
        run.stdout
            .contains("::group::Purging 250 items in 3 requests"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn urls_on_an_enterprise_zone_go_in_batches_of_500() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let list = urls(1200, ENT_ZONE_NAME);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ENT_ZONE_ID)
        .files_from(&format!("# deploy list\n\n{}\n", list.join("\n")))
        .run()
        .await;
    run.assert_ok("purged");
    let mut sizes: Vec<usize> = fake
        .purges()
        .iter()
        .map(|p| p.purged_items().len())
        .collect();
    sizes.sort();
    assert_eq!(sizes, [200, 500, 500]);
    assert_eq!(run.output("purged_count"), "1200");
    assert!(
        run.summary.contains(&format!(
            "| {ENT_ZONE_NAME} | {ENT_ZONE_ID} | Enterprise | 3/3 | 1,200 | 0 |"
        )),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn a_global_key_is_checked_with_get_user() {
    let fake = Fake::start().await;
    fake.add_key(EMAIL, GLOBAL_KEY);
    let run = Action::new(&fake)
        .input("email", EMAIL)
        .secret("global_api_key", GLOBAL_KEY)
        .input("tags", "t")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user".to_string(),
            format!("GET /zones/{ZONE_ID}"),
            format!("POST /zones/{ZONE_ID}/purge_cache")
        ])
    );
    let purge = &fake.purges()[0];
    assert_eq!(purge.headers["x-auth-key"], GLOBAL_KEY);
    assert_eq!(purge.headers["x-auth-email"], EMAIL);
    assert!(!purge.headers.contains_key("authorization"));
    assert_eq!(run.output("credential"), "global-key");
    assert_eq!(run.output("token_status"), "");
}

#[tokio::test]
async fn an_account_token_learns_its_account_from_the_zone() {
    for token in [CFAT_TOKEN, LEGACY_TOKEN] {
        let fake = Fake::with_token(token, Token::account()).await;
        let run = Action::new(&fake)
            .token(token)
            .input("hosts", "www.example.com")
            .run()
            .await;
        run.assert_ok("purged");
        let mut expected = vec![];
        if token == LEGACY_TOKEN {
            // Cloudflare answers 1000 on the user endpoint for account-owned tokens.
            expected.push("GET /user/tokens/verify".to_string());
        }
        expected.extend([
            format!("GET /zones/{ZONE_ID}"),
            format!("GET /accounts/{ACCOUNT_ID}/tokens/verify"),
            format!("POST /zones/{ZONE_ID}/purge_cache"),
        ]);
        assert_eq!(fake.checks(), checks_sorted(expected), "{token}");
        assert_eq!(run.output("credential"), "account-token");
    }
}

#[tokio::test]
async fn an_account_token_uses_account_id_when_given() {
    let fake = Fake::with_token(CFAT_TOKEN, Token::account()).await;
    let run = Action::new(&fake)
        .token(CFAT_TOKEN)
        .input("account_id", ACCOUNT_ID)
        .input("tags", "a")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            format!("GET /accounts/{ACCOUNT_ID}/tokens/verify"),
            format!("GET /zones/{ZONE_ID}"),
            format!("POST /zones/{ZONE_ID}/purge_cache")
        ])
    );
}

#[tokio::test]
async fn a_purge_only_token_without_zone_read_still_purges_by_zone_id() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            read: vec![],
            ..Token::user()
        },
    )
    .await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "https://example.com/a")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(fake.purges().len(), 1);
    assert!(run.summary.contains("| Zone | ⚠ |"), "{}", run.summary);
}

#[tokio::test]
async fn dry_run_checks_everything_and_sends_no_purge() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("dry_run", "yes")
        .input("files", &urls(150, ZONE_NAME).join(","))
        .run()
        .await;
    run.assert_ok("planned");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ZONE_ID}")
        ])
    );
    assert!(run.stdout.contains("request 1: 100 URLs (https://example.com/assets/0.css … https://example.com/assets/99.css)"), "{}", run.stdout);
    assert!(run.stdout.contains("request 2: 50 URLs"), "{}", run.stdout);
    assert_eq!(run.output("purged_count"), "0");
}

#[tokio::test]
async fn a_local_run_reads_cloudflare_variables_and_prints_plain_lines() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .unset("GITHUB_ACTIONS")
        .unset("GITHUB_OUTPUT")
        .unset("GITHUB_STEP_SUMMARY")
        .input("zone", "")
        .input("api_token", "")
        .env("CLOUDFLARE_ZONE_ID", ZONE_ID)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .input("files", "https://example.com/")
        .run_binary()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("::"), "{}", run.stdout);
    assert!(run.stdout.contains("result: purged"), "{}", run.stdout);
    assert!(run.outputs_raw.is_empty());
    assert_eq!(fake.purges().len(), 1);
    run.assert_secret_hidden(CFUT_TOKEN);
}
