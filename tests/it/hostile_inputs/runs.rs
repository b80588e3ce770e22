//! Whole runs with hostile inputs: long lists in full, no forged command, refused URLs, pasted lines.

use super::*;
use crate::big::{urls, user_fake};

// ---------------------------------------------------------------- long lists (the longest in big.rs)

#[tokio::test]
async fn a_hundred_kilobyte_files_input_is_purged_in_full() {
    let fake = user_fake().await;
    let mut list = urls(2300, ENT_ZONE_NAME);
    let text = list.join("\n");
    assert!(
        (100_000..128 * 1024).contains(&text.len()),
        "{}",
        text.len()
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ENT_ZONE_ID)
        .input("files", &text)
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("purged_count"), list.len().to_string());
    let mut sent: Vec<String> = fake
        .purges()
        .iter()
        .flat_map(|p| p.purged_items())
        .collect();
    assert_eq!(fake.purges().len(), 5);
    sent.sort();
    list.sort();
    assert_eq!(sent, list);
}

// ---------------------------------------------------------------- forged workflow commands

/// The commands this action writes; any other `::` line would be someone else's.
const OWN_COMMANDS: &[&str] = &[
    "add-mask", "error", "warning", "notice", "debug", "group", "endgroup",
];

const FORGERIES: &[&str] = &[
    "::error title=FORGED::pwned",
    "::set-output name=result::purged",
    "::stop-commands::forged",
    "::add-mask::forged",
];

fn assert_no_forged_command(run: &Run, label: &str) {
    for (channel, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        for line in text.lines() {
            // The runner trims a line before it looks for a command.
            let line = line.trim();
            for forged in FORGERIES {
                assert!(
                    !line.starts_with(forged),
                    "{label}: forged command in {channel}: {line:?}"
                );
            }
            if let Some(rest) = line.strip_prefix("::") {
                let name = rest.split([' ', ':']).next().unwrap_or_default();
                assert!(
                    OWN_COMMANDS.contains(&name),
                    "{label}: a {name:?} command in {channel}: {line:?}"
                );
                let (_, props, _) = parse_command(line).unwrap();
                assert!(
                    props
                        .iter()
                        .all(|(k, v)| k == "title" && !v.contains("FORGED")),
                    "{label}: forged properties {props:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn control_characters_and_separators_in_inputs_cannot_forge_a_workflow_command() {
    let breaks = ["\n", "\r", "\r\n", "%0A", "\u{85}", "\u{2028}", "", " \t"];
    let mut cases: Vec<(&str, String)> = Vec::new();
    for b in breaks {
        for forged in FORGERIES {
            cases.push(("zone", format!("example.com{b}{forged}")));
            cases.push(("files", format!("https://example.com/a{b}{forged}")));
            cases.push((
                "files",
                serde_json::to_string(&[format!("https://example.com/a{b}{forged}")]).unwrap(),
            ));
            cases.push(("tags", format!("blog,{b}{forged}")));
            // Outside the zone, the item is quoted back whole in the annotation.
            cases.push((
                "files",
                serde_json::to_string(&[format!("https://other.example/a{b}{forged}")]).unwrap(),
            ));
        }
    }
    for (input, value) in [
        ("zone", "::error title=FORGED::pwned"),
        ("hosts", "www.example.com\n::error title=FORGED::pwned"),
        ("prefixes", "example.com/a/,\r::error title=FORGED::pwned"),
        ("base_url", "\n::error title=FORGED::pwned"),
        ("mode", "verify\n::set-output name=result::purged"),
        ("dry_run", "%0A::error title=FORGED::pwned"),
        ("account_id", "\r\n::stop-commands::forged"),
        ("timeout_seconds", "30\n::add-mask::forged"),
        ("api_url", "https://x.example/\n::error title=FORGED::pwned"),
    ] {
        cases.push((input, value.to_string()));
    }
    let fake = std::sync::Arc::new(user_fake().await);
    let mut runs = tokio::task::JoinSet::new();
    for (input, value) in cases {
        for actions in [true, false] {
            let fake = fake.clone();
            let value = value.clone();
            runs.spawn(async move {
                let label = format!("{input}={value:?} (GITHUB_ACTIONS={actions})");
                let mut action = Action::new(&fake)
                    .token(CFUT_TOKEN)
                    .input("dry_run", "true")
                    .input(input, &value);
                if input != "files" {
                    action = action.input("tags", "blog");
                }
                if !actions {
                    action = action.unset("GITHUB_ACTIONS");
                }
                (label, action.run().await)
            });
            // A few runs at a time: each is a process, the machine has two cores.
            while runs.len() >= 8 {
                let (label, run) = runs.join_next().await.unwrap().unwrap();
                check_forgery_run(&label, &run);
            }
        }
    }
    while let Some(done) = runs.join_next().await {
        let (label, run) = done.unwrap();
        check_forgery_run(&label, &run);
    }
}

fn check_forgery_run(label: &str, run: &Run) {
    assert!(matches!(run.code, 0..=2), "{label}: exit {}", run.code);
    assert!(!run.stderr.contains("panicked"), "{label}: {}", run.stderr);
    assert_no_forged_command(run, label);
}

#[tokio::test]
async fn forged_lines_in_a_files_from_list_stay_inside_the_plan() {
    let fake = user_fake().await;
    let list = "https://example.com/a\n::error title=FORGED::pwned\n\
                https://example.com/b\r\n::set-output name=result::purged\n";
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("dry_run", "true")
        .input("files_from", "list.txt")
        .workspace_file("list.txt", list)
        .run()
        .await;
    run.assert_failed(2, "invalid-url");
    assert_no_forged_command(&run, "files_from");
    let (_, message) = run.error();
    assert!(message.contains("::error title=FORGED::pwned"), "{message}");
}

#[test]
fn the_forgery_check_catches_a_forged_line() {
    let forged = Run {
        code: 0,
        stdout: "::add-mask::x\n  ::error title=FORGED::pwned\n".into(),
        stderr: String::new(),
        outputs: HashMap::new(),
        outputs_raw: String::new(),
        summary: String::new(),
        workspace: tempfile::tempdir().unwrap(),
    };
    let caught = std::panic::catch_unwind(|| assert_no_forged_command(&forged, "self-test"));
    assert!(caught.is_err());
}

// ---------------------------------------------------------------- api_url

#[tokio::test]
async fn an_http_api_url_off_this_machine_is_refused_before_any_request() {
    // The fake doubles as the proxy every request would go through, so a request to any host
    // would be seen here; the https:// case shows that it is.
    let fake = user_fake().await;
    let proxy = format!("http://{}", fake.addr);
    let with_proxy = |action: Action| {
        ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]
            .iter()
            .fold(action, |a, var| a.env(var, &proxy))
    };
    for api_url in [
        "http://example.com/client/v4",
        "http://localhost.example.com/client/v4",
        "http://127.0.0.1.example.com/client/v4",
        "https://user:secret@example.com/client/v4",
        "ftp://127.0.0.1/client/v4",
        "http://127.0.0.1/client/v4?debug=1",
        "example.com/client/v4",
    ] {
        let run = with_proxy(Action::new(&fake))
            .token(CFUT_TOKEN)
            .input("tags", "blog")
            .input("api_url", api_url)
            .run()
            .await;
        run.assert_failed(2, "invalid-input");
        let (_, message) = run.error();
        assert!(message.contains("api_url"), "{api_url}: {message}");
        assert!(fake.received().is_empty(), "{api_url}: {:?}", fake.paths());
    }
    let run = with_proxy(Action::new(&fake))
        .token(CFUT_TOKEN)
        .input("tags", "blog")
        .input("api_url", "https://example.com/client/v4")
        .input("timeout_seconds", "2")
        .run()
        .await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!fake.received().is_empty(), "the proxy saw no request");
}

#[tokio::test]
async fn an_http_api_url_on_loopback_is_used() {
    let fake = user_fake().await;
    let port = fake.addr.port();
    for api_url in [
        format!("http://127.0.0.1:{port}/client/v4"),
        format!("http://localhost:{port}/client/v4/"),
    ] {
        let before = fake.purges().len();
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("tags", "blog")
            .input("api_url", &api_url)
            .run()
            .await;
        run.assert_ok("purged");
        assert_eq!(fake.purges().len(), before + 1, "{api_url}");
    }
}

// ---------------------------------------------------------------- pasted lines

#[tokio::test]
async fn a_token_pasted_with_a_note_after_a_colon_is_not_quoted_back() {
    let fake = user_fake().await;
    for pasted in [
        format!("{CFUT_TOKEN}: purge token, rotated 2026-01"),
        format!("{CFUT_TOKEN}=old"),
        format!("{}: {}", &LEGACY_TOKEN[..10], &LEGACY_TOKEN[10..]),
    ] {
        // `.token()` checks every channel for every 8-character piece of the value.
        let run = Action::new(&fake)
            .token(&pasted)
            .input("tags", "blog")
            .run()
            .await;
        run.assert_failed(2, "token-malformed");
        let (_, message) = run.error();
        assert!(message.contains("`NAME=…`"), "{message}");
    }
    let run = Action::new(&fake)
        .input("api_token", &format!("CLOUDFLARE_API_TOKEN={CFUT_TOKEN}"))
        .input("tags", "blog")
        .run()
        .await;
    run.assert_failed(2, "token-malformed");
    assert!(run.error().1.contains("`CLOUDFLARE_API_TOKEN=…`"));
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn an_email_with_a_control_character_is_refused_before_any_request() {
    let fake = Fake::start().await;
    fake.add_key(EMAIL, GLOBAL_KEY);
    let run = Action::new(&fake)
        .input("email", "ops@exam\u{1}ple.com")
        .secret("global_api_key", GLOBAL_KEY)
        .input("tags", "blog")
        .run()
        .await;
    run.assert_failed(2, "invalid-email");
    assert!(fake.received().is_empty(), "{:?}", fake.paths());
}
