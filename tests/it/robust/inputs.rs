//! Inputs a hostile pass got through (issue 14): whitespace inside an item, a base_url with a query,
//! an unbounded files_from, an unknown key in a JSON item.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::*;

async fn fake() -> Fake {
    Fake::with_token(CFUT_TOKEN, Token::user()).await
}

#[tokio::test]
async fn a_trailing_comment_in_files_from_is_a_comment() {
    let fake = fake().await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .files_from("https://example.com/a   # home page\n# the feed\nhttps://example.com/feed.xml#latest\n")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.purged_in(ZONE_ID),
        [
            "https://example.com/a",
            "https://example.com/feed.xml#latest"
        ]
    );
}

#[tokio::test]
async fn whitespace_inside_an_item_is_invalid_before_any_request() {
    let cases: Vec<(&str, String)> = vec![
        ("files_from", "/b, /c\n".into()),
        ("files_from", "https://example.com/a b\n".into()),
        (
            "files",
            json!(["https://example.com/a\n::error title=FORGED::x"]).to_string(),
        ),
        (
            "files",
            json!([{"url": "https://example.com/a\tb"}]).to_string(),
        ),
    ];
    for (input, value) in cases {
        let fake = fake().await;
        let action = Action::new(&fake).token(CFUT_TOKEN);
        let action = match input {
            "files_from" => action.files_from(&value),
            _ => action.input(input, &value),
        };
        let run = action.run().await;
        run.assert_failed(2, "invalid-url");
        assert!(fake.received().is_empty(), "{value:?}");
        assert_eq!(
            run.output("failed"),
            "",
            "{value:?}: no item forged into failed"
        );
    }
}

#[tokio::test]
async fn a_base_url_with_a_query_fragment_or_space_is_refused() {
    for base in [
        "https://example.com/docs?v=1",
        "https://example.com/docs#top",
        "https://example.com/my docs",
    ] {
        let fake = fake().await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("files", "/a.css")
            .input("base_url", base)
            .run()
            .await;
        run.assert_failed(2, "invalid-input");
        assert!(run.error().1.contains("base_url"), "{base}: {}", run.stdout);
        assert!(fake.received().is_empty(), "{base}");
    }
}

#[tokio::test]
async fn an_endless_files_from_fails_fast_naming_the_limit() {
    let fake = fake().await;
    let started = Instant::now();
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files_from", "/dev/zero")
        .run_binary()
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    run.assert_failed(2, "invalid-input");
    assert!(
        run.error().1.contains("longer than 32 KiB"),
        "{}",
        run.stdout
    );
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn a_line_longer_than_a_url_can_be_is_refused() {
    let fake = fake().await;
    let long = format!("https://example.com/{}", "a".repeat(50 * 1024 * 1024));
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .files_from(&long)
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    assert!(run.error().1.contains("32 KiB"), "{}", run.stdout);
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn an_unknown_key_in_a_json_item_is_named() {
    let fake = fake().await;
    let files = json!([{"url": "https://example.com/", "header": {"CF-IPCountry": "US"}}]);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &files.to_string())
        .run()
        .await;
    run.assert_failed(2, "invalid-url");
    assert!(
        run.error().1.contains("the key \"header\""),
        "{}",
        run.stdout
    );
    assert!(fake.received().is_empty());
}
