//! Hostile answers: whatever the API (or whatever stands at `api_url`) sends back — garbage, the wrong
//! shapes, a body too large, a redirect, text made to look like workflow commands — the run ends in
//! one catalogued cause, never a panic, and the credential never goes anywhere but the API.

use crate::support::*;
use cloudflare_purge::test_surface::OUTPUTS;
use serde_json::{json, Value};
use tokio::task::JoinSet;

const VERIFY: &str = "/user/tokens/verify";

fn zone_path() -> String {
    format!("/zones/{ZONE_ID}")
}

/// A fake that knows the cfut_ token, answering `path` with `reply` every time.
async fn fake_answering(path: String, reply: Reply) -> Fake {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(move |r| r.path == path, None, reply);
    fake
}

fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

/// No panic (exit 101, or "panicked" on stderr), and the given exit status and cause.
fn assert_ends_in(run: &Run, code: i32, cause: &str, label: &str) {
    assert!(
        run.code != 101 && !run.stderr.contains("panicked"),
        "{label}: panic\n{}",
        run.stderr
    );
    assert_eq!(run.code, code, "{label}:\n{}", run.stdout);
    run.assert_failed(code, cause);
    assert_eq!(run.errors().len(), 1, "{label}: one cause\n{}", run.stdout);
}

/// Purge a tag with the cfut_ token against each fake at once (each answer costs up to 3.5 s of
/// backoff); returns what each run showed, in order.
async fn run_all(fakes: Vec<Fake>) -> Vec<(Fake, Run)> {
    let mut set = JoinSet::new();
    for (i, fake) in fakes.into_iter().enumerate() {
        set.spawn(async move {
            let run = Action::new(&fake)
                .token(CFUT_TOKEN)
                .input("tags", "blog")
                .run()
                .await;
            (i, fake, run)
        });
    }
    let mut done: Vec<(usize, Fake, Run)> = set.join_all().await;
    done.sort_by_key(|(i, _, _)| *i);
    done.into_iter().map(|(_, f, r)| (f, r)).collect()
}

fn attempts_on(fake: &Fake, path: &str) -> usize {
    fake.received().iter().filter(|r| r.path == path).count()
}

#[tokio::test]
async fn bodies_that_are_not_cloudflares_envelope_end_in_unexpected_response() {
    let cases: Vec<(&str, Reply)> = vec![
        ("plain text", Reply::raw(200, "OK")),
        ("an empty body", Reply::raw(200, "")),
        (
            "truncated JSON",
            Reply::raw(
                200,
                r#"{"success":true,"errors":[],"result":{"id":"6247ac8d"#,
            ),
        ),
        (
            "an envelope without success",
            Reply::json(
                200,
                json!({"errors": [], "messages": [], "result": {"status": "active"}}),
            ),
        ),
        (
            "success as a string",
            Reply::json(
                200,
                json!({"success": "yes", "errors": [], "result": {"status": "active"}}),
            ),
        ),
        ("a JSON array", Reply::json(200, json!([{"success": true}]))),
        ("an HTML page with 200", Reply::html(200)),
    ];
    let mut fakes = Vec::new();
    for (_, reply) in &cases {
        fakes.push(fake_answering(VERIFY.into(), reply.clone()).await);
    }
    for ((label, _), (fake, run)) in cases.iter().zip(run_all(fakes).await) {
        assert_ends_in(&run, 1, "unexpected-response", label);
        // A garbled answer may be a proxy's passing fault: retried, but only so often.
        assert_eq!(attempts_on(&fake, VERIFY), 4, "{label}");
        assert!(
            fake.purges().is_empty(),
            "{label}: purged after a garbage answer"
        );
    }
}

#[tokio::test]
async fn results_of_the_wrong_shape_end_in_unexpected_response() {
    let zone = zone_path();
    let cases: Vec<(&str, String, Value)> = vec![
        ("zone is a string", zone.clone(), envelope(json!("x"))),
        ("zone is a list", zone.clone(), envelope(json!([]))),
        ("zone is null", zone.clone(), envelope(Value::Null)),
        (
            "zone without an id",
            zone.clone(),
            envelope(json!({"name": ZONE_NAME, "status": "active"})),
        ),
        (
            "verify result is a string",
            VERIFY.into(),
            envelope(json!("x")),
        ),
        (
            "verify status is a number",
            VERIFY.into(),
            envelope(json!({"id": "x", "status": 1})),
        ),
        (
            "verify without a status",
            VERIFY.into(),
            envelope(json!({"id": "6247ac8d9c10ba11154a2b82d35953b7"})),
        ),
        (
            "expires_on is a number",
            VERIFY.into(),
            envelope(json!({"id": "x", "status": "active", "expires_on": 5})),
        ),
    ];
    let mut fakes = Vec::new();
    for (_, path, body) in &cases {
        fakes.push(fake_answering(path.clone(), Reply::json(200, body.clone())).await);
    }
    for ((label, path, _), (fake, run)) in cases.iter().zip(run_all(fakes).await) {
        assert_ends_in(&run, 1, "unexpected-response", label);
        assert_eq!(attempts_on(&fake, path), 4, "{label}");
        assert!(
            fake.purges().is_empty(),
            "{label}: purged after a wrong answer"
        );
    }
}

#[tokio::test]
async fn a_purge_answer_of_the_wrong_shape_is_not_counted_as_purged() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        Received::is_purge,
        None,
        Reply::json(200, json!({"success": true, "errors": [], "result": "x"})),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "blog")
        .run()
        .await;
    assert_ends_in(&run, 1, "unexpected-response", "purge result");
    assert_eq!(run.output("purged_count"), "0");
    assert_eq!(run.output("failed"), r#"{"tag":"blog"}"#);
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_even_when_it_is_a_valid_envelope() {
    // 5 MB, and otherwise a perfect verify answer: only the size is wrong with it.
    let padding = "x".repeat(5 * 1024 * 1024);
    let body = envelope(json!({"id": "x", "status": "active", "padding": padding}));
    let fake = fake_answering(VERIFY.into(), Reply::json(200, body)).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "blog")
        .run()
        .await;
    assert_ends_in(&run, 1, "unexpected-response", "5 MB");
    let (_, message) = run.error();
    assert!(message.contains("larger than 4 MiB"), "{message}");
    assert!(fake.purges().is_empty());
}

#[tokio::test]
async fn server_errors_end_in_cloudflare_unavailable() {
    let internal = json!({"success": false, "errors": [{"code": 10000, "message": "Internal Server Error"}], "messages": [], "result": null});
    let cases: Vec<(&str, String, Reply)> = vec![
        (
            "503 JSON on verify",
            VERIFY.into(),
            Reply::json(503, internal),
        ),
        ("500 empty on the zone", zone_path(), Reply::raw(500, "")),
        ("504 HTML on the zone", zone_path(), Reply::html(504)),
    ];
    let mut fakes = Vec::new();
    for (_, path, reply) in &cases {
        fakes.push(fake_answering(path.clone(), reply.clone()).await);
    }
    for ((label, path, _), (fake, run)) in cases.iter().zip(run_all(fakes).await) {
        assert_ends_in(&run, 1, "cloudflare-unavailable", label);
        assert_eq!(attempts_on(&fake, path), 4, "{label}");
        assert!(fake.purges().is_empty(), "{label}");
    }
}

/// A second API on another port that would accept the credential: if anything followed a
/// redirect there, it would be received — and answered — here.
async fn elsewhere() -> Fake {
    let other = Fake::start().await;
    other.add_token(CFUT_TOKEN, Token::user());
    other.add_key(EMAIL, GLOBAL_KEY);
    other
}

#[tokio::test]
async fn a_redirect_never_carries_the_token_to_another_host() {
    let other = elsewhere().await;
    let purge = format!("/zones/{ZONE_ID}/purge_cache");
    for status in [301, 302, 303, 307, 308] {
        for path in [VERIFY.to_string(), zone_path(), purge.clone()] {
            let label = format!("{status} on {path}");
            let location = format!("{}{path}", other.api_url());
            let reply = Reply::raw(status, "").header("location", &location);
            let fake = fake_answering(path.clone(), reply).await;
            let run = Action::new(&fake)
                .token(CFUT_TOKEN)
                .input("tags", "blog")
                .run()
                .await;
            assert_ends_in(&run, 1, "unexpected-response", &label);
            assert_eq!(
                attempts_on(&fake, &path),
                1,
                "{label}: a redirect is not retried"
            );
            let (_, message) = run.error();
            assert!(message.contains("redirect"), "{label}: {message}");
            assert!(
                other.received().is_empty(),
                "{label}: followed to {:?}",
                other.paths()
            );
        }
    }
}

#[tokio::test]
async fn a_redirect_never_carries_the_global_key_to_another_host() {
    let other = elsewhere().await;
    let fake = Fake::start().await;
    fake.add_key(EMAIL, GLOBAL_KEY);
    let location = format!("{}/user", other.api_url());
    fake.script(
        |r| r.path == "/user",
        None,
        Reply::raw(307, "").header("location", &location),
    );
    let run = Action::new(&fake)
        .input("email", EMAIL)
        .secret("global_api_key", GLOBAL_KEY)
        .input("tags", "blog")
        .run()
        .await;
    assert_ends_in(&run, 1, "unexpected-response", "307 on /user");
    assert!(other.received().is_empty(), "followed: {:?}", other.paths());
}

/// Lines the runner would take for commands (it trims them first): only the action's own.
fn assert_no_forged_command(run: &Run, label: &str) {
    const OWN: &[&str] = &[
        "add-mask", "error", "warning", "notice", "debug", "group", "endgroup",
    ];
    for line in run.stdout.lines().chain(run.stderr.lines()) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("::") {
            let name = rest.split([' ', ':']).next().unwrap_or_default();
            assert!(OWN.contains(&name), "{label}: a {name:?} command: {line:?}");
            let title = rest.split_once("::").map_or("", |(props, _)| props);
            assert!(!title.contains("FORGED"), "{label}: forged title: {line:?}");
        }
    }
}

#[tokio::test]
async fn cloudflare_messages_cannot_forge_commands_or_flood_the_log() {
    let forged = "Invalid API Token\n::error title=FORGED::pwned\r\n::set-output name=result::purged \u{1b}[2K\u{1b}[32mgreen\u{7}";
    // Over the summary's 1 MiB, which is what it must not reach.
    let long = "x".repeat(1_200_000);
    let errors: Vec<Value> = (0..2000)
        .map(|i| json!({"code": 1000 + i, "message": format!("{forged} {i}")}))
        .chain([json!({"code": 1000, "message": long})])
        .collect();
    let body = json!({"success": false, "errors": errors, "messages": [], "result": null});
    let fake = Fake::start().await;
    fake.script(
        |r| r.path.ends_with("/tokens/verify"),
        None,
        Reply::json(401, body),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "blog")
        .run()
        .await;
    assert_ends_in(&run, 1, "token-invalid", "forged messages");
    assert_no_forged_command(&run, "forged messages");
    let (_, message) = run.error();
    assert!(message.contains("::error title=FORGED::pwned"), "{message}");
    assert!(
        run.stdout.len() < 20_000,
        "{} bytes of log",
        run.stdout.len()
    );
    // GitHub refuses a step summary over 1 MiB, and the user would see none at all.
    assert!(
        run.summary.len() < 1 << 20,
        "{} bytes of summary",
        run.summary.len()
    );
    assert!(run.summary.contains("`token-invalid`"));
    // No escape sequence from the answer reaches the log or the summary.
    for (channel, text) in [("log", &run.stdout), ("summary", &run.summary)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{channel}: {text}"
        );
    }
}

#[tokio::test]
async fn a_zone_described_with_forged_text_cannot_forge_commands_or_outputs() {
    let name = "example.com\n::error title=FORGED::pwned\nresult=purged<<EOF";
    let account = "Acme\r\n::set-output name=cause::none";
    let mut zone = zone_json(
        ZONE_ID,
        name,
        "free",
        "pending\n::stop-commands::x",
        ACCOUNT_ID,
    );
    zone["account"]["name"] = json!(account);
    let (fake, run) = purge_a_tag_in(zone).await;
    // A zone whose name is not a domain is refused before anything is purged.
    run.assert_failed(1, "unexpected-response");
    assert!(!run.stderr.contains("panicked"));
    assert!(fake.purges().is_empty());
    assert_no_forged_command(&run, "zone");
    for line in run.stdout.lines() {
        assert!(!line.trim().starts_with("::stop-commands"), "{line:?}");
    }
    assert_eq!(run.output("zone_name"), "");
    assert_eq!(run.outputs.len(), OUTPUTS.len(), "{}", run.outputs_raw);
}

#[tokio::test]
async fn an_answer_that_echoes_the_token_does_not_make_it_print() {
    let echo = format!("Invalid API Token: Bearer {CFUT_TOKEN}");
    let body = json!({"success": false, "errors": [{"code": 1000, "message": echo,
        "error_chain": [{"code": 6111, "message": format!("Invalid format for Authorization header {CFUT_TOKEN}")}]}],
        "messages": [], "result": null});
    let fake = Fake::start().await;
    fake.script(
        |r| r.path.ends_with("/tokens/verify"),
        None,
        Reply::json(401, body),
    );
    // `.token()` makes the run check every channel for every 8-character piece of the token.
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "blog")
        .run()
        .await;
    assert_ends_in(&run, 1, "token-invalid", "echo");
    let (_, message) = run.error();
    assert!(
        message.contains("1000") && message.contains("6111"),
        "{message}"
    );
}

/// A tag purged in the zone Cloudflare describes as `zone` (read by its ID).
async fn purge_a_tag_in(zone: Value) -> (Fake, Run) {
    let fake = fake_answering(zone_path(), Reply::json(200, envelope(zone))).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "blog")
        .run()
        .await;
    (fake, run)
}

/// A purge whose zone's account has this name, as its summary shows it.
async fn summary_with_account_named(name: &str) -> String {
    let mut zone = zone_json(ZONE_ID, ZONE_NAME, "free", "active", ACCOUNT_ID);
    zone["account"]["name"] = json!(name);
    let (_, run) = purge_a_tag_in(zone).await;
    run.assert_ok("purged");
    run.summary
}

#[tokio::test]
async fn names_from_the_api_cannot_make_links_in_the_summary() {
    let summary =
        summary_with_account_named("[Re-authenticate here](https://evil.example/login)").await;
    assert!(
        summary.contains("\\[Re-authenticate here\\](https://evil.example/login)"),
        "{summary}"
    );
    assert!(!summary.contains("[Re-authenticate here]("), "{summary}");
}

#[tokio::test]
async fn a_backslash_from_the_api_cannot_undo_the_escape_of_a_link() {
    let summary = summary_with_account_named("x\\[Sign in\\](https://evil.example/)").await;
    // Each backslash escaped, then each bracket: Markdown reads `\\` `\[`, no link.
    assert!(
        summary.contains("x\\\\\\[Sign in\\\\\\](https://evil.example/)"),
        "{summary}"
    );
}

#[tokio::test]
async fn control_characters_in_a_zone_or_token_status_reach_no_annotation() {
    let status = "pend\u{1b}[2Jing\u{7}\u{0}\u{85}\u{7f}";
    let zone = zone_json(ZONE_ID, ZONE_NAME, "free", status, ACCOUNT_ID);
    let (_, run) = purge_a_tag_in(zone).await;
    assert!(run.stdout.contains("pend [2Jing"), "{}", run.stdout);
    for c in ['\u{1b}', '\u{7}', '\u{0}', '\u{85}', '\u{7f}'] {
        assert!(!run.stdout.contains(c), "{c:?} in the log:\n{}", run.stdout);
    }
}

#[tokio::test]
async fn an_undocumented_token_status_is_no_output() {
    let status = "x$(id)`id`\u{1b}[2J";
    let result = json!({"id": "6247ac8d9c10ba11154a2b82d35953b7", "status": status});
    let fake = Fake::start().await;
    fake.script(
        |r| r.path.ends_with("/tokens/verify"),
        None,
        Reply::json(200, envelope(result)),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "blog")
        .run()
        .await;
    run.assert_failed(1, "unexpected-response");
    // Outputs hold documented values only: a workflow may put `token_status` in a script.
    assert_eq!(run.output("token_status"), "");
    assert!(!run.outputs_raw.contains("$(id)"), "{}", run.outputs_raw);
}
