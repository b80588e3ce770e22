//! What the outputs and the summary say after a partial failure: exact, within GitHub's limits, and
//! fit to be fed back.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn failed_keeps_cache_key_headers_and_can_be_given_back_to_files() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.is_purge(),
        Some(1),
        Reply::json(400, observed("purge: files/tags/hosts not array")),
    );
    let files = json!([
        {"url": "https://example.com/", "headers": {"CF-IPCountry": "US"}},
        {"url": "https://example.com/", "headers": {"CF-IPCountry": "DE"}},
        "https://example.com/plain"
    ]);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &files.to_string())
        .run()
        .await;
    run.assert_failed(1, "purge-rejected");
    let failed = run.output("failed").to_string();
    assert_eq!(
        failed.lines().collect::<Vec<_>>(),
        [
            r#"{"headers":{"CF-IPCountry":"US"},"url":"https://example.com/"}"#,
            r#"{"headers":{"CF-IPCountry":"DE"},"url":"https://example.com/"}"#,
            "https://example.com/plain",
        ]
    );
    // Given back to `files` unchanged, the same three items go out.
    let again = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &failed)
        .run()
        .await;
    again.assert_ok("purged");
    assert_eq!(
        fake.purges().last().unwrap().body,
        Some(json!({"files": files}))
    );
}

#[tokio::test]
async fn a_long_failed_list_is_cut_to_whole_items_and_kept_whole_in_failed_file() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            purge: vec![],
            ..Token::user()
        },
    )
    .await;
    // Enough to cross the output's 256 KiB cap; more would only cost time.
    let list = urls(10_000, ZONE_NAME);
    assert!(list.join("\n").len() > 300 * 1024);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .files_from(&list.join("\n"))
        .run()
        .await;
    run.assert_failed(1, "purge-permission-missing");
    let failed = run.output("failed");
    assert!(failed.len() <= 256 * 1024, "{} bytes", failed.len());
    assert!(
        failed.len() > 250 * 1024,
        "cut to the cap, not far below it"
    );
    let shown: Vec<&str> = failed.lines().collect();
    assert_eq!(
        shown,
        list[..shown.len()]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert_eq!(run.output("failed_count"), "10000");
    assert_eq!(run.output("failed_file"), "cloudflare-purge-failed.txt");
    let file =
        std::fs::read_to_string(run.workspace.path().join("cloudflare-purge-failed.txt")).unwrap();
    assert_eq!(file, list.join("\n") + "\n");
    assert!(
        run.summary
            .contains("all 10,000 are in `cloudflare-purge-failed.txt` in the workspace"),
        "{}",
        run.summary
    );
    assert!(
        run.outputs_raw.len() < 1024 * 1024,
        "GitHub caps a job's outputs at 1 MB"
    );
}

#[tokio::test]
async fn a_short_failed_list_writes_no_file() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            purge: vec![],
            ..Token::user()
        },
    )
    .await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "a b")
        .run()
        .await;
    run.assert_failed(1, "purge-permission-missing");
    assert_eq!(run.output("failed"), "{\"tag\":\"a\"}\n{\"tag\":\"b\"}");
    assert_eq!(run.output("failed_count"), "2");
    assert_eq!(run.output("failed_file"), "");
    assert!(!run
        .workspace
        .path()
        .join("cloudflare-purge-failed.txt")
        .exists());
}

#[tokio::test]
async fn the_summary_shows_what_was_purged_not_what_was_requested() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let list = urls(300, ZONE_NAME);
    let poisoned = list[150].clone();
    fake.script(
        move |r| r.is_purge() && r.purged_items().contains(&poisoned),
        None,
        Reply::json(400, observed("purge: files/tags/hosts not array")),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &list.join("\n"))
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(1, "purge-rejected");
    assert!(
        run.summary.contains("| URLs | 300 | 200 |"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("| tags | 1 | 1 |"), "{}", run.summary);
}

#[tokio::test]
async fn a_local_run_prints_the_items_not_purged() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            purge: vec![],
            ..Token::user()
        },
    )
    .await;
    let run = Action::local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .args(&["--zone", ZONE_ID, "--tags", "a,b"])
        .run()
        .await;
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("failed: {\"tag\":\"a\"}\nfailed: {\"tag\":\"b\"}\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("failed_count: 2"), "{}", run.stdout);
}
