//! Purging under faults: 429s, 5xx, HTML pages, failed batches, dropped connections, slow servers, garbage.

use std::time::Duration;

use cloudflare_purge::RetryPolicy;

use crate::support::*;

// The runs here use the test policy: backoff of a few milliseconds, Retry-After honoured up to
// `POLICY.retry_after_cap`. A wait of at least that cap can only come from Retry-After.

#[tokio::test]
async fn a_429_is_retried_after_the_retry_after_seconds() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let limited =
        // A purge bucket's limit (1134): the retry policy's own Retry-After, not the global hold.
        Reply::json(429, purge_rate_limit()).header("retry-after", "2");
    fake.script(|r| r.is_purge(), Some(1), limited);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "https://example.com/a")
        .run()
        .await;
    run.assert_ok("purged");
    let purges = fake.purges();
    assert_eq!(purges.len(), 2);
    let waited = purges[1].at.duration_since(purges[0].at);
    assert!(
        waited >= POLICY.retry_after_cap,
        "retried after {waited:?}, before Retry-After"
    );
    assert!(waited < Duration::from_secs(1), "retried after {waited:?}");
    assert!(run.summary.contains("1 retry,"), "{}", run.summary);
    assert_eq!(run.output("purged_count"), "1");
    // A long wait is said as it starts (a step silent for a minute looks hung); a backoff is not.
    let said = "Cloudflare asked for a wait (Retry-After): trying again in 1 s.";
    assert_eq!(run.stdout.matches(said).count(), 1, "{}", run.stdout);
}

/// Cloudflare's global limit (971, 1,200 requests per 5 minutes per token) spent by other tools when
/// the run starts: every request waits as `Retry-After` says (here cut to the test policy's 100 ms)
/// and the run goes on, instead of failing after four quick tries.
#[tokio::test]
async fn a_spent_global_limit_is_waited_out_and_the_run_goes_on() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    // Five requests every 250 ms, all five already spent: `Retry-After: 1` for the first ones,
    // answered after a wait (100 ms here) and again after a second, until the window ends.
    fake.enforce_budget(5, Duration::from_millis(250), 5);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ZONE_ID)
        .input("files", "https://example.com/a")
        .run_with(RetryPolicy {
            max_attempts: 2,
            ..POLICY
        })
        .await;
    run.assert_ok("purged");
    run.assert_secret_hidden(CFUT_TOKEN);
    let answered = fake.answered();
    let statuses = |path: &str| -> Vec<u16> {
        answered
            .iter()
            .filter(|(r, _)| r.path == path)
            .map(|(_, status)| *status)
            .collect()
    };
    // The credential check and the zone read go side by side and are refused together; each waits
    // as long as the hold lasts, and goes again until the window (250 ms) ends: refused twice at
    // least (at once, then after a 100 ms hold), then answered. Waits for the global limit are not
    // among the attempts, of which the policy gives two.
    for path in ["/user/tokens/verify", &format!("/zones/{ZONE_ID}")] {
        let seen = statuses(path);
        let refused = seen.iter().take_while(|s| **s == 429).count();
        assert!(refused >= 2, "{path}: {seen:?}");
        assert_eq!(seen[refused..], [200], "{path}: {seen:?}");
    }
    assert_eq!(fake.purges().len(), 1);
    assert!(
        run.stdout
            .contains("Cloudflare's API limit for this credential")
            && run.stdout.contains("waiting 1 s, the longest wait"),
        "{}",
        run.stdout
    );
    // A line for each hold; requests refused while one is in force share it.
    let holds = run.stdout.matches("is reached: waiting").count();
    assert!((2..=6).contains(&holds), "{holds}: {}", run.stdout);
}

/// A global limit that outlasts the waits the policy allows is `rate-limited`, named as the
/// credential's limit shared with other tools, and nothing is purged.
#[tokio::test]
async fn a_global_limit_that_lasts_is_rate_limited_after_its_waits() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.enforce_budget(0, Duration::from_secs(300), 0);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ZONE_ID)
        .input("files", "https://example.com/a")
        .run()
        .await;
    run.assert_failed(1, "rate-limited");
    run.assert_secret_hidden(CFUT_TOKEN);
    let verifies = fake
        .paths()
        .iter()
        .filter(|p| *p == "GET /user/tokens/verify")
        .count();
    assert_eq!(
        verifies,
        1 + POLICY.global_waits as usize,
        "one try, then a try after each wait"
    );
    assert!(fake.purges().is_empty());
    // A line for each hold: the credential check and the zone read share one when the second is
    // refused while the first one's is in force (on a loaded machine it may come after it ends).
    let holds = run.stdout.matches("is reached: waiting").count();
    let waits = POLICY.global_waits as usize;
    assert!(
        (waits..=2 * waits).contains(&holds),
        "{holds}: {}",
        run.stdout
    );
    let (title, text) = run.error();
    assert!(title.contains("Rate limited"), "{title}");
    assert!(
        text.contains("API limit for this credential") && text.contains("after 5 attempts"),
        "{text}"
    );
}

#[tokio::test]
async fn a_retry_after_date_is_honoured_too() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3));
    fake.script(
        |r| r.is_purge(),
        Some(1),
        // The global limit's older form (10100), waited out too, its date read as a date.
        Reply::json(429, observed("global API rate limit (2019-2022 form)"))
            .header("retry-after", &at),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .run()
        .await;
    run.assert_ok("purged");
    let purges = fake.purges();
    let waited = purges[1].at.duration_since(purges[0].at);
    // An HTTP date has whole seconds: between 2 and 3 seconds ahead, so the cap applies.
    assert!(waited >= POLICY.retry_after_cap, "retried after {waited:?}");
}

#[tokio::test]
async fn html_502_pages_are_retried_until_cloudflare_answers() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(|r| r.is_purge(), Some(2), Reply::html(502));
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "https://example.com/a")
        .run()
        .await;
    run.assert_ok("purged");
    let purges = fake.purges();
    assert_eq!(purges.len(), 3);
    // Backoff with jitter: at least half of the base, then at least half of twice the base.
    assert!(purges[1].at.duration_since(purges[0].at) >= POLICY.base / 2);
    assert!(purges[2].at.duration_since(purges[1].at) >= POLICY.base);
}

#[tokio::test]
async fn a_5xx_that_never_ends_leaves_every_item_in_failed() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.is_purge(),
        None,
        Reply::json(
            503,
            serde_json::json!({"success": false, "errors": [], "messages": [], "result": null}),
        ),
    );
    let list = urls(150, ZONE_NAME);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &list.join("\n"))
        .run()
        .await;
    run.assert_failed(1, "cloudflare-unavailable");
    assert_eq!(
        fake.purges().len(),
        2 * 4,
        "two batches, four attempts each"
    );
    assert_eq!(run.output("failed"), list.join("\n"));
    assert_eq!(run.output("purged_count"), "0");
    assert_eq!(run.output("purge_ids"), "");
}

#[tokio::test]
async fn when_the_second_of_three_batches_fails_the_others_still_count() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let list = urls(300, ZONE_NAME);
    let poisoned = list[150].clone();
    let refusal = serde_json::json!({"success": false, "errors": [{"code": 1082, "message": "URL not in this zone"}], "messages": [], "result": null});
    fake.script(
        move |r| r.is_purge() && r.purged_items().contains(&poisoned),
        None,
        Reply::json(400, refusal),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &list.join("\n"))
        .run()
        .await;
    run.assert_failed(1, "purge-rejected");
    assert!(
        run.error().1.contains("1082 \"URL not in this zone\""),
        "{}",
        run.stdout
    );
    assert_eq!(
        fake.purges().len(),
        3,
        "a 400 is not retried, and the other batches are still sent"
    );
    assert_eq!(run.output("purged_count"), "200");
    assert_eq!(run.output("failed"), list[100..200].join("\n"));
    assert_eq!(run.output("purge_ids").split(',').count(), 2);
    assert!(
        run.summary.contains("2 of 3 batches accepted"),
        "{}",
        run.summary
    );
}

/// A server that accepts each connection and closes it without answering.
async fn dropping_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    format!("http://{addr}/client/v4")
}

#[tokio::test]
async fn a_dropped_connection_is_retried_then_named() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .input("api_url", &dropping_server().await)
        .run()
        .await;
    run.assert_failed(1, "network-error");
    assert!(
        run.error().1.contains("closed before an answer arrived")
            && run.error().1.contains("after 4 attempts"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_retry_after_date_is_read_against_the_runs_clock() {
    // The run's clock is an hour behind the machine's; the date is ten seconds after the run's
    // now. Read against the machine's clock it would be long past (no wait); against the run's,
    // it is a wait, capped at `POLICY.retry_after_cap`.
    let now = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let date = httpdate::fmt_http_date(std::time::SystemTime::from(
        now + time::Duration::seconds(10),
    ));
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let limited = Reply::json(429, purge_rate_limit()).header("retry-after", &date);
    fake.script(|r| r.is_purge(), Some(1), limited);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "https://example.com/a")
        .at(now)
        .run()
        .await;
    run.assert_ok("purged");
    let purges = fake.purges();
    assert_eq!(purges.len(), 2);
    let waited = purges[1].at.duration_since(purges[0].at);
    assert!(
        waited >= POLICY.retry_after_cap,
        "retried after {waited:?}: the date was read against another clock"
    );
    assert!(waited < Duration::from_secs(1), "retried after {waited:?}");
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_network_timeout() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.path == "/user/tokens/verify",
        None,
        Reply::json(200, observed("verify ok (user)")).delay(Duration::from_secs(5)),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .input("timeout_seconds", "1")
        // Two attempts of the least timeout (one second, 250 ms here) show each one time out.
        .run_with(RetryPolicy {
            max_attempts: 2,
            ..POLICY
        })
        .await;
    run.assert_failed(1, "network-error");
    assert!(run.error().1.contains("timed out"), "{}", run.stdout);
    let verifies = fake
        .paths()
        .iter()
        .filter(|p| *p == "GET /user/tokens/verify")
        .count();
    assert_eq!(verifies, 2, "each timed-out attempt is retried");
    assert!(fake.purges().is_empty());
}

#[tokio::test]
async fn garbage_json_is_an_unexpected_response() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.path.starts_with("/zones/"),
        None,
        Reply::raw(200, "{\"success\":true,\"result\":{\"id\":"),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(1, "unexpected-response");
    assert!(
        run.error().1.contains("truncated or malformed"),
        "{}",
        run.stdout
    );
    assert!(fake.purges().is_empty());
}

#[tokio::test]
async fn long_purges_report_progress_in_a_group() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let list = urls(2000, ENT_ZONE_NAME);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ENT_ZONE_ID)
        .input("files", &list.join(","))
        .run()
        .await;
    run.assert_ok("purged");
    assert!(
        run.stdout
            .contains("::group::Purging 2,000 items in 4 requests"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("purged 2,000/2,000 items, 0 retries"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("::endgroup::"));
}

#[tokio::test]
async fn pacing_spreads_a_free_zones_urls_at_its_rate() {
    // No 429s from the fake here: the spacing seen is the client's own pacing. (The benchmark runs
    // against a fake that enforces the rate and counts the 429s.)
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let list = urls(1200, ZONE_NAME);
    let action = Action::new(&fake).token(CFUT_TOKEN).files_from(&list.join(
        "
",
    ));
    let run = action.run().await;
    run.assert_ok("purged");
    let purges = fake.purges();
    assert_eq!(purges.len(), 12);
    // 800 URLs/s with a bucket of 800: the last 400 URLs cannot go out before 0.5 s have passed
    // (0.5 s / PACE here, the buckets refilling PACE times as fast).
    let span = purges.last().unwrap().at.duration_since(purges[0].at);
    assert!(
        span >= Duration::from_secs_f64(0.45 / PACE),
        "12 batches in {span:?}: not paced"
    );
    assert_eq!(run.output("purged_count"), "1200");
}

#[tokio::test]
async fn a_tls_failure_is_named_as_such() {
    // The fake speaks plain HTTP: a TLS client talking to it fails in the handshake.
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let https = format!("https://{}/client/v4", fake.addr);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .input("api_url", &https)
        .run()
        .await;
    run.assert_failed(1, "network-error");
    assert!(run.error().1.contains("TLS handshake"), "{}", run.stdout);
    assert!(
        fake.received().is_empty(),
        "no request got through: {:?}",
        fake.paths()
    );
}

#[tokio::test]
async fn a_batch_refused_by_a_busy_account_bucket_is_paced_again_not_lost() {
    // Another deploy on the account used 300 URLs of the bucket: the first burst overflows by one
    // batch. Retried blindly after Retry-After, that batch would meet a bucket our own pacing keeps
    // empty until the list ends; queued again behind the pacing, it gets its turn.
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.enforce_paced_rates(300.0, PACE);
    let list = urls(1600, ZONE_NAME);
    let action = Action::new(&fake).token(CFUT_TOKEN).files_from(&list.join(
        "
",
    ));
    let run = action.run().await;
    run.assert_ok("purged");
    assert_eq!(run.output("purged_count"), "1600");
    let refused: Vec<u16> = fake
        .answered()
        .into_iter()
        .filter(|(r, _)| r.is_purge())
        .map(|(_, s)| s)
        .filter(|s| *s == 429)
        .collect();
    assert!(
        !refused.is_empty(),
        "the short bucket should have refused a batch"
    );
    assert!(refused.len() <= 3, "{} batches refused", refused.len());
}
