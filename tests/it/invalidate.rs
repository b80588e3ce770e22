//! `invalidate` (contract §12): the same batches, pacing, retries and causes as a purge, sent to
//! `invalidate_cache`; `result=invalidated`; an endpoint the zone lacks says to purge instead.

use crate::support::*;
use serde_json::json;

fn invalidations(fake: &Fake) -> usize {
    fake.received()
        .iter()
        .filter(|r| r.is_invalidation())
        .count()
}

fn sent_to_purge_cache(fake: &Fake) -> usize {
    fake.received()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/purge_cache"))
        .count()
}

#[tokio::test]
async fn every_batch_goes_to_invalidate_cache_and_the_words_say_invalidated() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let files = urls(150, ZONE_NAME);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("invalidate", "true")
        .input("files", &files.join("\n"))
        .input("tags", "blog")
        .run()
        .await;
    run.assert_ok("invalidated");
    assert_eq!(run.output("purged_count"), "151");
    assert_eq!(
        invalidations(&fake),
        3,
        "two URL batches of 100 and 50, one of tags"
    );
    assert_eq!(sent_to_purge_cache(&fake), 0, "nothing is purged");
    assert_eq!(
        fake.purges()[0].path,
        format!("/zones/{ZONE_ID}/invalidate_cache")
    );
    assert!(
        run.stdout
            .contains("Invalidated 151 items from example.com."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Invalidating 151 items in 3 requests"));
    assert!(run.summary.contains("| Kind | Requested | Invalidated |"));
    assert!(
        run.summary
            .contains("151 items invalidated, 0 not invalidated."),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("✓ invalidated"), "{}", run.summary);
    assert!(
        run.summary.contains("| Invalidate | ✓ |"),
        "{}",
        run.summary
    );
    assert!(!run.summary.contains("| Purge |"), "{}", run.summary);
}

#[tokio::test]
async fn an_invalidation_is_batched_rebatched_and_retried_like_a_purge() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.limit_urls(30, 30);
    fake.script(
        Received::is_invalidation,
        Some(1),
        Reply::json(429, purge_rate_limit()).header("retry-after", "0"),
    );
    let files = urls(90, ZONE_NAME);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("invalidate", "true")
        .input("files", &files.join("\n"))
        .run()
        .await;
    run.assert_ok("invalidated");
    assert_eq!(run.output("purged_count"), "90");
    assert!(run
        .summary
        .contains("Cloudflare took at most 30 URLs a request"));
    assert_eq!(sent_to_purge_cache(&fake), 0);
}

#[tokio::test]
async fn an_invalidation_that_stays_rate_limited_fails_as_a_purge_would() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        Received::is_invalidation,
        None,
        Reply::json(429, purge_rate_limit()).header("retry-after", "0"),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("invalidate", "true")
        .input("tags", "a,b")
        .run()
        .await;
    run.assert_failed(1, "rate-limited");
    assert_eq!(invalidations(&fake), 4);
    assert_eq!(run.output("failed_count"), "2");
    assert!(
        run.stdout.contains("2 of 2 items not invalidated"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_zone_without_invalidate_cache_is_told_to_purge_instead() {
    for reply in [
        Reply::json(
            404,
            json!({"success": false, "errors": [{"code": 7000, "message": "No route for that URI"}], "messages": [], "result": null}),
        ),
        Reply::json(400, observed("empty id segment")),
        Reply::html(404),
    ] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        fake.script(Received::is_invalidation, None, reply);
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("invalidate", "true")
            .input("files", "/a.css\n/b.css")
            .run()
            .await;
        run.assert_failed(1, "purge-rejected");
        let (_, message) = run.error();
        assert!(
            message.contains("invalidate_cache is not available"),
            "{message}"
        );
        assert!(message.contains("`invalidate: false`"), "{message}");
        assert_eq!(sent_to_purge_cache(&fake), 0, "nothing is purged instead");
        assert_eq!(
            run.output("failed"),
            "https://example.com/a.css\nhttps://example.com/b.css"
        );
    }
}

#[tokio::test]
async fn the_permission_proof_of_verify_mode_stays_a_purge() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("mode", "verify")
        .input("invalidate", "true")
        .run()
        .await;
    run.assert_ok("verified");
    assert_eq!(invalidations(&fake), 0);
    assert_eq!(sent_to_purge_cache(&fake), 1);
}

#[tokio::test]
async fn a_dry_run_plans_the_invalidation_and_sends_none() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("invalidate", "true")
        .input("dry_run", "true")
        .input("tags", "a")
        .run()
        .await;
    run.assert_ok("planned");
    assert!(fake.purges().is_empty());
    // The plan, its check row and the summary say what would be sent: invalidations.
    assert!(
        run.stdout.contains(
            "Dry run: example.com: 1 invalidation request (Free plan limits), nothing sent"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.summary
            .contains("| Invalidate | ✓ | dry run: 1 invalidation request planned, nothing sent |"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("Dry run: 1 invalidation batch planned, nothing sent."),
        "{}",
        run.summary
    );
}
