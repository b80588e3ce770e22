//! Cancellation (issue 14): the runner's SIGTERM or SIGINT stops the sending, waits briefly for the
//! requests in flight, and still leaves outputs, a summary and an annotation behind.

use std::time::{Duration, Instant};

use crate::support::*;
use cloudflare_purge::Cancel;

/// Wait until the fake has received `n` purges.
async fn until_purges(fake: &Fake, n: usize) {
    let started = Instant::now();
    while fake.purges().len() < n {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no purge arrived"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn cancelled_mid_purge(signal: &str) {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    // Answers are slow: some batches are in flight when the signal comes, the rest wait for the
    // Free plan's 800 URLs a second. The binary's grace (3 s) outlasts them.
    fake.script(
        |r| r.is_purge(),
        None,
        Reply::json(200, observed("purge success")).delay(Duration::from_millis(300)),
    );
    let list = urls(3000, ZONE_NAME);
    let spawned = Action::new(&fake)
        .token(CFUT_TOKEN)
        .files_from(&list.join("\n"))
        .spawn_binary();
    until_purges(&fake, 3).await;
    let signalled = Instant::now();
    spawned.signal(signal);
    let run = spawned.wait().await;
    let took = signalled.elapsed();
    assert!(
        took < Duration::from_secs(4),
        "{signal}: exited {took:?} after the signal"
    );
    run.assert_failed(1, "cancelled");
    let (title, text) = run.error();
    assert_eq!(title, "Cancelled");
    assert!(text.contains("not confirmed purged"), "{text}");
    // Accepted batches count as purged; everything else is in failed, exactly.
    let accepted: Vec<String> = fake
        .answered()
        .into_iter()
        .filter(|(r, s)| r.is_purge() && *s == 200)
        .flat_map(|(r, _)| r.purged_items())
        .collect();
    let failed: Vec<&str> = run.output("failed").lines().collect();
    assert_eq!(failed.len() + accepted.len(), 3000, "{signal}");
    assert!(failed.iter().all(|f| !accepted.iter().any(|a| a == f)));
    assert_eq!(run.output("purged_count"), accepted.len().to_string());
    assert!(accepted.len() < 3000, "{signal}: the purge was not stopped");
    assert!(run.summary.contains("`cancelled`"), "{}", run.summary);
    let groups = run.stdout.matches("::group::").count();
    assert_eq!(
        groups,
        run.stdout.matches("::endgroup::").count(),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn sigterm_stops_the_purge_and_reports() {
    cancelled_mid_purge("TERM").await;
}

#[tokio::test]
async fn sigint_stops_the_purge_and_reports() {
    cancelled_mid_purge("INT").await;
}

#[tokio::test]
async fn a_request_in_flight_at_a_cancellation_is_abandoned_after_the_grace() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.is_purge(),
        None,
        Reply::json(200, observed("purge success")).delay(Duration::from_secs(30)),
    );
    let cancel = Cancel::with_grace(GRACE);
    let action = Action::new(&fake).token(CFUT_TOKEN).input("tags", "t");
    let signal = async {
        until_purges(&fake, 1).await;
        cancel.cancel();
        Instant::now()
    };
    let (run, signalled) = tokio::join!(action.run_cancellable(cancel.clone()), signal);
    let took = signalled.elapsed();
    assert!(took >= GRACE.in_flight, "abandoned after {took:?}");
    assert!(took < GRACE.abandon, "abandoned after {took:?}");
    run.assert_failed(1, "cancelled");
    assert!(
        run.error().1.contains("not confirmed purged"),
        "{}",
        run.stdout
    );
    assert_eq!(run.output("failed"), "{\"tag\":\"t\"}");
    assert_eq!(run.output("purged_count"), "0");
}

/// A cancel that lands while the last request is in flight, answered within the grace: every item
/// was purged, so the annotation says so instead of telling to re-run for what is left.
#[tokio::test]
async fn a_cancel_answered_in_full_says_nothing_is_left_to_purge() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let answer = GRACE.in_flight / 3;
    fake.script(
        |r| r.is_purge(),
        None,
        Reply::json(200, observed("purge success")).delay(answer),
    );
    let cancel = Cancel::with_grace(GRACE);
    let action = Action::new(&fake).token(CFUT_TOKEN).input("tags", "t");
    let signal = async {
        until_purges(&fake, 1).await;
        cancel.cancel();
    };
    let (run, ()) = tokio::join!(action.run_cancellable(cancel.clone()), signal);
    run.assert_failed(1, "cancelled");
    run.assert_secret_hidden(CFUT_TOKEN);
    assert_eq!(run.output("purged_count"), "1");
    assert_eq!(run.output("failed"), "");
    let (_, text) = run.error();
    assert!(
        text.contains("every item was purged") && !text.contains("Re-run"),
        "{text}"
    );
}

/// The binary with `inputs`, sent SIGTERM while the credential check waits for a slow answer:
/// its report, how long it took from the start, and the fake.
async fn signalled_during_the_checks(inputs: &[(&str, &str)]) -> (Run, Duration, Fake) {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.path == "/user/tokens/verify",
        None,
        Reply::json(200, observed("verify ok (user)")).delay(Duration::from_secs(5)),
    );
    let mut action = Action::new(&fake).token(CFUT_TOKEN);
    for (name, value) in inputs {
        action = action.input(name, value);
    }
    let spawned = action.spawn_binary();
    let started = Instant::now();
    while fake.received().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    spawned.signal("TERM");
    let run = spawned.wait().await;
    (run, started.elapsed(), fake)
}

/// A signal that comes while the credential check is answered: the purge that would follow is never
/// sent, though the run's runtime looks for signals only every 50 ms (the check is answered right
/// after the signal, well inside that). The handler's flag is what a request not sent yet reads.
#[tokio::test]
async fn nothing_is_sent_after_a_signal_even_before_the_run_looks_for_one() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let gate = std::sync::Arc::new(tokio::sync::Notify::new());
    fake.script(
        |r| r.path == "/user/tokens/verify",
        None,
        Reply::json(200, observed("verify ok (user)")).after(gate.clone()),
    );
    let spawned = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "/a")
        .spawn_binary();
    let started = Instant::now();
    while !fake
        .received()
        .iter()
        .any(|r| r.path == "/user/tokens/verify")
    {
        assert!(started.elapsed() < Duration::from_secs(10), "no check came");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // The signal is pending before the answer is written: the binary's thread takes it first.
    spawned.signal("TERM");
    gate.notify_one();
    let run = spawned.wait().await;
    run.assert_failed(1, "cancelled");
    assert!(fake.purges().is_empty(), "{:?}", fake.purges());
    // The zone was read beside the check: the path is listed joined to it.
    assert_eq!(run.output("failed"), format!("https://{ZONE_NAME}/a"));
    run.assert_secret_hidden(CFUT_TOKEN);
}

#[tokio::test]
async fn a_signal_during_the_checks_reports_every_item_as_not_purged() {
    let (run, took, fake) = signalled_during_the_checks(&[("files", "/a /b"), ("tags", "t")]).await;
    assert!(took < Duration::from_secs(3), "waited for the slow answer");
    run.assert_failed(1, "cancelled");
    // Each item in the form `files` reads back: a tag as {"tag": …}.
    assert_eq!(run.output("failed"), "/a\n/b\n{\"tag\":\"t\"}");
    assert!(fake.purges().is_empty());
}

/// In `mode: verify` nothing is to be purged: a cancel during the checks says the checks did not
/// end, not that every item was purged.
#[tokio::test]
async fn a_signal_during_a_health_check_says_the_checks_did_not_end() {
    let (run, _, _) = signalled_during_the_checks(&[("mode", "verify")]).await;
    run.assert_failed(1, "cancelled");
    let (_, message) = run.error();
    assert!(
        message.contains("before the checks ended: nothing was purged"),
        "{message}"
    );
    assert!(!message.contains("every item was purged"), "{message}");
    run.assert_secret_hidden(CFUT_TOKEN);
}

#[tokio::test]
async fn as_pid_1_a_sigterm_is_not_ignored() {
    // The FROM scratch image runs the binary as PID 1, where a signal without a handler is ignored.
    // A new PID namespace makes it PID 1 here too, where unshare is allowed.
    let probe = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--pid", "--fork", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!(
            "unshare cannot make a PID namespace here: as_pid_1_a_sigterm_is_not_ignored skipped"
        );
        return;
    }
    // Signalled while the token check is answered slowly: nothing in flight is waited for.
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.path == "/user/tokens/verify",
        None,
        Reply::json(200, observed("verify ok (user)")).delay(Duration::from_secs(30)),
    );
    let binary = env!("CARGO_BIN_EXE_cloudflare-purge");
    let action = Action::new(&fake).token(CFUT_TOKEN).input("tags", "t");
    let mut child = action.command_under(
        "unshare",
        &["--user", "--map-root-user", "--pid", "--fork", binary],
    );
    let asked = Instant::now();
    while !fake
        .received()
        .iter()
        .any(|r| r.path == "/user/tokens/verify")
    {
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "no token check arrived"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The binary is the namespace's PID 1; signal it through its parent's namespace view.
    let inner =
        std::fs::read_to_string(format!("/proc/{}/task/{}/children", child.id(), child.id()))
            .unwrap();
    let pid = inner.split_whitespace().next().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "SIGTERM was ignored as PID 1"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
}

/// A cancel while a batch waits out a 429's Retry-After: no retry was made, so its items were not
/// purged because of the cancel, and the zone's line and summary row say so, not `rate-limited`.
#[tokio::test]
async fn a_cancel_while_waiting_to_retry_a_429_is_reported_as_cancelled() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.is_purge(),
        None,
        Reply::json(429, observed("global API rate limit (2026)")).header("retry-after", "60"),
    );
    let spawned = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "a")
        .spawn_binary();
    until_purges(&fake, 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    spawned.signal("TERM");
    let run = spawned.wait().await;
    run.assert_failed(1, "cancelled");
    assert_eq!(fake.purges().len(), 1, "no retry was made");
    assert!(!run.stdout.contains("rate-limited"), "{}", run.stdout);
    assert!(!run.summary.contains("rate-limited"), "{}", run.summary);
    assert!(
        run.stdout
            .contains("example.com: 1 of 1 items not purged: Cancelled"),
        "{}",
        run.stdout
    );
    assert_eq!(run.output("failed"), "{\"tag\":\"a\"}");
}

/// A cancel during the credential check, zones given by ID: their names are not known yet, so
/// `failed` lists the items as given (a path stays a path); once the zones are known it is joined
/// to their URLs (wait.rs).
#[tokio::test]
async fn a_cancel_before_the_zones_are_known_lists_failed_as_given() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.delay_answers(Duration::from_secs(5));
    let started = Instant::now();
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "/a.css\nhttps://example.com/b.css")
        .run_cancelled_when(tokio::time::sleep(Duration::from_millis(100)))
        .await;
    run.assert_failed(1, "cancelled");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "stopped at once"
    );
    assert!(fake.purges().is_empty());
    assert_eq!(run.output("failed"), "/a.css\nhttps://example.com/b.css");
}
