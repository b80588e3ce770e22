//! Purge correctness: nothing sent twice, nothing lost, nothing unreported.

use std::time::Duration;

use crate::support::*;

#[tokio::test]
async fn a_timed_out_batch_is_the_only_one_sent_again() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.is_purge(),
        Some(1),
        Reply::json(200, observed("purge success")).delay(Duration::from_secs(3)),
    );
    let list = urls(500, ZONE_NAME);
    // The binary, with the production timeout: the least there is, one second, is waited once.
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &list.join("\n"))
        .input("timeout_seconds", "1")
        .run_binary()
        .await;
    run.assert_ok("purged");
    let sent: usize = fake.purges().iter().map(|p| p.purged_items().len()).sum();
    assert_eq!(sent, 600, "five batches and the one that timed out again");
    assert!(run.summary.contains("1 retry,"), "{}", run.summary);
}

#[tokio::test]
async fn a_timed_out_tag_batch_is_sent_again_alone_and_the_bucket_is_not_overrun() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.enforce_paced_rates(0.0, PACE);
    fake.script(
        |r| r.is_purge(),
        Some(1),
        Reply::json(200, observed("purge success")).delay(Duration::from_secs(3)),
    );
    let tags: Vec<String> = (0..2500).map(|i| format!("t{i}")).collect();
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ENT_ZONE_ID)
        .input("tags", &tags.join("\n"))
        // 500 ms in this process: the 25 other batches are answered well within it.
        .input("timeout_seconds", "2")
        .run()
        .await;
    run.assert_ok("purged");
    let answered = fake.answered();
    assert!(
        answered.iter().all(|(_, s)| *s != 429),
        "no batch ran into a 429"
    );
    let purges: Vec<_> = answered.iter().filter(|(r, _)| r.is_purge()).collect();
    assert_eq!(
        purges.len(),
        26,
        "25 batches and the one that timed out again"
    );
    assert!(run.summary.contains("1 retry,"), "{}", run.summary);
}

#[tokio::test]
async fn an_outage_stops_the_purge_early_and_lists_every_item_as_failed() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(|r| r.is_purge(), None, Reply::html(503));
    // Tags, whose bucket holds a burst of 500 requests on Enterprise: the pacing never waits, so
    // only the outage decides what is sent. (The benchmark measures the same with 30,000 URLs.)
    let tags: Vec<String> = (0..6000).map(|i| format!("t{i}")).collect();
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ENT_ZONE_ID)
        .input("tags", &tags.join("\n"))
        .run()
        .await;
    run.assert_failed(1, "cloudflare-unavailable");
    let sent = fake.purges().len();
    // 60 batches: those in flight when the third failed after its retries finish theirs; the rest
    // are not sent.
    assert!(sent <= 12 * 4, "{sent} purge requests during an outage");
    assert_eq!(run.output("failed_count"), "6000");
    assert!(
        run.stdout.contains("The Cloudflare API looks down"),
        "{}",
        run.stdout
    );
    // Batches sent (and failed after their retries) are not counted as not sent.
    let distinct: std::collections::HashSet<String> = fake
        .purges()
        .iter()
        .map(|r| format!("{:?}", r.body))
        .collect();
    let unsent = format!("{} batches not sent", 60 - distinct.len());
    assert!(run.stdout.contains(&unsent), "{unsent}: {}", run.stdout);
    assert!(
        run.stdout
            .contains("6,000 of 6,000 items not purged: Cloudflare API unavailable"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_dry_run_in_verify_mode_sends_no_purge_and_says_the_permission_is_not_proven() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("mode", "verify")
        .input("dry_run", "true")
        .run()
        .await;
    run.assert_ok("planned");
    assert!(fake.purges().is_empty(), "a dry run sends no purge, ever");
    assert!(
        run.summary
            .contains("| Purge permission | ⚠ | not proven: a dry run sends no purge"),
        "{}",
        run.summary
    );
}
