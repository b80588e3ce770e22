//! What a hostile black-box pass over the binary found: one test for each defect, each of which
//! fails on the build it was found in (run with `IT_BINARY=` to see; the in-process ones fail on
//! that commit's code).

use std::collections::BTreeSet;

use serde_json::json;

use crate::support::*;

/// No 8-character piece of `secret`, in any case, in any channel (mask lines aside).
fn assert_no_piece_in_any_case(run: &Run, secret: &str) {
    run.assert_secret_hidden(secret);
    let lower = secret.to_lowercase();
    let stdout: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .collect();
    let channels = [
        stdout.join("\n"),
        run.stderr.clone(),
        run.outputs_raw.clone(),
        run.summary.clone(),
    ];
    for text in channels.map(|t| t.to_lowercase()) {
        for start in 0..=lower.len().saturating_sub(8) {
            let piece = &lower[start..start + 8];
            assert!(!text.contains(piece), "{piece:?} appears in:\n{text}");
        }
    }
}

/// A run with the legacy token: as the runner starts it, or locally (token from the environment).
fn legacy_token_run(fake: &Fake, local: bool) -> Action {
    match local {
        false => Action::new(fake).token(LEGACY_TOKEN),
        true => Action::local(fake)
            .env("CLOUDFLARE_API_TOKEN", LEGACY_TOKEN)
            .args(&["--zone", ZONE_NAME]),
    }
}

/// Every purge (after those scripted before) refused as to a token without access.
fn refuse_purges(fake: &Fake) {
    fake.script(
        |r| r.is_purge(),
        None,
        Reply::json(403, observed("token lacks access to resource")),
    );
}

#[tokio::test]
async fn a_credential_in_a_list_is_refused_before_anything_is_sent() {
    let lower_host = format!(
        "{}.example.com",
        LEGACY_TOKEN.to_lowercase().replace('_', "-")
    );
    let cases = [
        ("tags", format!("release-1 {LEGACY_TOKEN}")),
        ("files", format!("https://example.com/{LEGACY_TOKEN}")),
        ("hosts", lower_host),
        ("prefixes", format!("example.com/{LEGACY_TOKEN}/")),
        // Not the token given, but unmistakably a credential; also upper-cased.
        ("tags", CFUT_TOKEN.to_string()),
        ("tags", CFUT_TOKEN.to_uppercase()),
        // Joined to every path.
        ("base_url", format!("https://example.com/{LEGACY_TOKEN}")),
        // Percent-encoded, or with an invisible character inside.
        (
            "files",
            format!("https://example.com/{}", LEGACY_TOKEN.replace('_', "%5F")),
        ),
        (
            "tags",
            format!("{}\u{200b}{}", &LEGACY_TOKEN[..20], &LEGACY_TOKEN[20..]),
        ),
    ];
    for (input, value) in cases {
        for local in [false, true] {
            let fake = Fake::with_token(LEGACY_TOKEN, Token::user()).await;
            let action = legacy_token_run(&fake, local);
            let action = match input {
                "base_url" => action.input("files", "/a"),
                _ => action,
            };
            let run = action.input(input, &value).run().await;
            let label = format!("{input} (local: {local})");
            assert_eq!(run.code, 2, "{label}:\n{}", run.stdout);
            assert!(
                run.stdout.contains("Credential among the items to purge"),
                "{label}:\n{}",
                run.stdout
            );
            assert!(
                fake.received().is_empty(),
                "{label}: sent {:?}",
                fake.paths()
            );
            assert_no_piece_in_any_case(&run, LEGACY_TOKEN);
            assert_no_piece_in_any_case(&run, CFUT_TOKEN);
        }
    }
}

#[tokio::test]
async fn an_annotation_links_the_readme_on_the_actions_own_repository() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let action = || {
        Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("files", "/app.css")
            .input("dry_run", "maybe")
    };
    let run = action()
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_ACTION_REPOSITORY", "Example-Owner/cloudflare-purge")
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    let link = "https://github.com/Example-Owner/cloudflare-purge#inputs-and-outputs";
    assert!(
        run.error().1.ends_with(&format!("({link})")),
        "{}",
        run.stdout
    );
    assert!(
        run.summary.contains(&format!("[More]({link})")),
        "{}",
        run.summary
    );
    assert!(!run.stdout.contains("marketplace"), "{}", run.stdout);
    run.assert_secret_hidden(CFUT_TOKEN);
    // Without the repository's name (a local run), the README section is named as such.
    let run = action().unset("GITHUB_ACTION_REPOSITORY").run().await;
    assert!(
        run.error().1.ends_with("(README.md#inputs-and-outputs)"),
        "{}",
        run.stdout
    );
    run.assert_secret_hidden(CFUT_TOKEN);
}

#[tokio::test]
async fn pieces_and_other_cases_of_the_token_in_cloudflare_text_are_hidden() {
    let start = &LEGACY_TOKEN[..10];
    let end = &LEGACY_TOKEN[LEGACY_TOKEN.len() - 9..];
    let messages = [
        format!("token starts {start} ends {end}"),
        format!("Invalid API Token {}", LEGACY_TOKEN.to_lowercase()),
    ];
    for message in messages {
        for local in [false, true] {
            let fake = Fake::start().await;
            let body = json!({"success": false, "errors": [{"code": 1000, "message": message}], "messages": [], "result": null});
            fake.script(|_| true, None, Reply::json(401, body));
            let action = legacy_token_run(&fake, local);
            let run = action.input("tags", "t").run().await;
            assert_eq!(run.code, 1, "{message}:\n{}", run.stdout);
            assert!(run.stdout.contains("***"), "{}", run.stdout);
            assert_no_piece_in_any_case(&run, LEGACY_TOKEN);
        }
    }
}

#[tokio::test]
async fn the_user_info_of_api_url_is_never_quoted() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("api_url", "https://user:pw123secret@127.0.0.1:1/client/v4")
        .hide("pw123secret")
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    let text = run.error().1;
    assert!(text.contains("without a user name or password"), "{text}");
    assert!(text.contains("https://***@127.0.0.1:1/client/v4"), "{text}");
    run.assert_secret_hidden("pw123secret");
    run.assert_secret_hidden(CFUT_TOKEN);
}

#[tokio::test]
async fn a_repeated_zone_or_files_from_flag_adds_up() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    let run = Action::local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .workspace_file("a.txt", "https://example.com/a\n")
        .workspace_file("b.txt", "https://shop.example/b\n")
        .args(&["--zone", ZONE_NAME, "--zone=shop.example"])
        .args(&["--files-from", "a.txt", "--files-from=b.txt"])
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("zone_name: example.com,shop.example"),
        "{}",
        run.stdout
    );
    assert_eq!(fake.purged_in(ZONE_ID), ["https://example.com/a"]);
    assert_eq!(fake.purged_in(SHOP_ZONE_ID), ["https://shop.example/b"]);
    // A flag of one value given twice is refused, not silently decided.
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .args(&[
            "--zone", ZONE_NAME, "--mode", "verify", "--mode", "purge", "/a",
        ])
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("--mode is given more than once"),
        "{}",
        run.stdout
    );
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn flags_after_an_unknown_one_are_read_and_an_empty_flag_keeps_the_environment() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .args(&["--bogus=1", "--zone", ZONE_NAME, "/a"])
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stdout);
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "only the unknown flag: {errors:?}");
    assert!(errors[0].contains("--bogus"), "{errors:?}");
    let run = Action::local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .args(&["--api-token", "", "--zone", ZONE_NAME, "/a"])
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
}

/// Run once with every purge refused; the `failed` output.
async fn failed_of(action: impl FnOnce(&Fake) -> Action) -> (Vec<String>, String) {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    refuse_purges(&fake);
    let run = action(&fake).run().await;
    run.assert_failed(1, "purge-permission-missing");
    let asked = fake
        .purges()
        .iter()
        .flat_map(|r| r.purged_items())
        .collect();
    (asked, run.output("failed").to_string())
}

#[tokio::test]
async fn failed_fed_back_to_files_or_files_from_purges_exactly_what_failed() {
    let (asked, failed) = failed_of(|fake| {
        Action::new(fake)
            .token(CFUT_TOKEN)
            .input(
                "files",
                r#"["https://example.com/combo?/a.js,/b.js", "/c.css"]"#,
            )
            .input("tags", "t1 /t2")
            .input("hosts", "www.example.com")
            .input("prefixes", "example.com/blog/")
    })
    .await;
    assert_eq!(failed.lines().count(), 6, "{failed}");
    for feed in ["files", "files_from"] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let action = Action::new(&fake).token(CFUT_TOKEN);
        let action = match feed {
            "files" => action.input("files", &failed),
            _ => action.files_from(&failed),
        };
        let run = action.run().await;
        run.assert_ok("purged");
        let purged: Vec<String> = fake
            .purges()
            .iter()
            .flat_map(|r| r.purged_items())
            .collect();
        let as_set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
        assert_eq!(as_set(&purged), as_set(&asked), "fed back through {feed}");
        // Each kind went back to its own list.
        let tags = fake
            .purges()
            .iter()
            .find(|r| r.body.as_ref().unwrap()["tags"].is_array())
            .cloned();
        assert_eq!(tags.unwrap().purged_items(), ["t1", "/t2"]);
    }
    let (_, failed) = failed_of(|fake| {
        Action::new(fake)
            .token(CFUT_TOKEN)
            .input("purge_everything", "true")
    })
    .await;
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &failed)
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(fake.purges()[0].purged_items(), ["everything"]);
}

#[tokio::test]
async fn several_zones_whose_names_cannot_be_read_say_so_instead_of_outside_the_zone() {
    let purge_only = Token {
        read: vec![],
        purge: vec![ZONE_ID, SHOP_ZONE_ID],
        ..Token::user()
    };
    let fake = Fake::with_token(CFUT_TOKEN, purge_only).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", &format!("{ZONE_ID},{SHOP_ZONE_ID}"))
        .input("files", "https://example.com/a")
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    let (title, text) = run.error();
    assert_eq!(title, "Zone names unreadable for routing");
    assert!(
        text.contains(ZONE_ID) && text.contains(SHOP_ZONE_ID),
        "{text}"
    );
    assert!(text.contains("https://example.com/a"), "{text}");
    assert!(fake.purges().is_empty());
    // A name and an ID: the item is in neither name, so it may be in the unnamed zone.
    let read_one = Token {
        read: vec![ZONE_ID],
        purge: vec![ZONE_ID, SHOP_ZONE_ID],
        ..Token::user()
    };
    let fake = Fake::with_token(CFUT_TOKEN, read_one).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", &format!("{ZONE_NAME},{SHOP_ZONE_ID}"))
        .input("files", "https://example.com/a https://shop.example/b")
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    let text = run.error().1;
    assert!(
        text.contains(SHOP_ZONE_ID) && !text.contains(ZONE_ID),
        "{text}"
    );
    assert!(
        text.contains("https://shop.example/b") && !text.contains("example.com/a"),
        "{text}"
    );
}

#[tokio::test]
async fn ca_certificates_and_the_event_file_are_read_with_a_bound() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("ca_certificates", "/dev/zero")
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    assert!(
        run.error().1.contains("larger than 16 MiB"),
        "{}",
        run.error().1
    );
    assert!(fake.received().is_empty());
    // An event file that never ends does not hold the run (a missing secret is still explained).
    let run = Action::new(&fake)
        .env("GITHUB_EVENT_PATH", "/dev/zero")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(2, "missing-credentials");
}

#[tokio::test]
async fn a_wildcard_that_comes_from_base_url_is_a_wildcard() {
    for base in ["https://*.example.com", "https://example.com/assets/*"] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("base_url", base)
            .input("files", "/a.css")
            .run()
            .await;
        run.assert_failed(2, "files-wildcard");
        assert!(fake.received().is_empty(), "{base}");
    }
}

#[tokio::test]
async fn a_proxy_variable_that_holds_no_proxy_stops_the_run_instead_of_being_skipped() {
    for value in [
        "http://u:p4ss-word@[bad:1",
        "http://u:p4ss-word@127.0.0.1:99999",
    ] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        // The fake is plain http on loopback: HTTP_PROXY is the one its requests would take.
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .env("HTTP_PROXY", value)
            .hide("p4ss-word")
            .input("tags", "t")
            .run()
            .await;
        run.assert_failed(2, "invalid-input");
        assert!(run.error().1.contains("HTTP_PROXY"), "{}", run.error().1);
        assert!(fake.received().is_empty(), "{value}: went around the proxy");
        // One that these requests would not take is none of the run's business, as with curl.
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .env("HTTPS_PROXY", value)
            .hide("p4ss-word")
            .input("tags", "t")
            .run()
            .await;
        run.assert_ok("purged");
    }
}

#[tokio::test]
async fn a_proxy_that_is_not_there_or_hangs_up_is_named_as_the_failure() {
    let closer = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closing = closer.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = closer.accept().await {
            drop(socket);
        }
    });
    let cases = [
        ("127.0.0.1:1".to_string(), "could not connect to the proxy"),
        (closing.to_string(), "the proxy closed the connection"),
    ];
    for (proxy, words) in cases {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("api_url", "https://api.cloudflare.example/client/v4")
            .env("HTTPS_PROXY", &format!("http://{proxy}"))
            .input("tags", "t")
            .run()
            .await;
        run.assert_failed(1, "network-error");
        let text = run.error().1;
        assert!(text.contains(words), "{proxy}: {text}");
        assert!(!text.contains("CONNECT was answered"), "{text}");
    }
}

#[tokio::test]
async fn a_files_from_file_with_a_bom_or_crlf_reads_as_written() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let long = format!("https://example.com/{}", "a".repeat(32 * 1024 - 20));
    assert_eq!(long.len(), 32 * 1024);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .files_from(&format!("\u{feff}https://example.com/first\r\n{long}\r\n"))
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.purged_in(ZONE_ID),
        ["https://example.com/first", long.as_str()]
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_failed_file_replaces_a_link_in_the_workspace_and_never_writes_through_it() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    refuse_purges(&fake);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "untouched\n").unwrap();
    let action = Action::new(&fake).token(CFUT_TOKEN);
    std::os::unix::fs::symlink(
        &victim,
        action.workspace().join("cloudflare-purge-failed.txt"),
    )
    .unwrap();
    let long: Vec<String> = (0..3000)
        .map(|i| format!("https://example.com/{}/{i}.css", "p".repeat(80)))
        .collect();
    let run = action.files_from(&long.join("\n")).run().await;
    run.assert_failed(1, "purge-permission-missing");
    assert_eq!(run.output("failed_file"), "cloudflare-purge-failed.txt");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched\n");
    let file = run.workspace.path().join("cloudflare-purge-failed.txt");
    assert!(!std::fs::symlink_metadata(&file)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(file).unwrap().lines().count(), 3000);
}

#[tokio::test]
async fn one_zone_with_a_failing_backend_leaves_the_other_zone_purged() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let failing = format!("/zones/{ENT_ZONE_ID}/purge_cache");
    fake.script(move |r| r.path == failing, None, Reply::html(503));
    let tags: Vec<String> = (0..1500).map(|i| format!("t{i}")).collect();
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", &format!("{ZONE_ID},{ENT_ZONE_ID}"))
        .input("tags", &tags.join("\n"))
        .run()
        .await;
    run.assert_failed(1, "cloudflare-unavailable");
    // Every tag reached the healthy zone (its 15 batches within the Free plan's burst); the failing
    // one stopped after its outage streak.
    assert_eq!(fake.purged_in(ZONE_ID).len(), 1500);
    assert_eq!(run.output("purged_count"), "1500");
    assert_eq!(run.output("failed_count"), "1500");
    assert!(
        run.stdout
            .contains("big.example: 1,500 of 1,500 items not purged"),
        "{}",
        run.stdout
    );
    // The batches counted as not sent are those never sent.
    let sent: BTreeSet<String> = fake
        .purges_of(ENT_ZONE_ID)
        .iter()
        .map(|r| format!("{:?}", r.body))
        .collect();
    let unsent = format!("{} not sent", plural_batches(15 - sent.len()));
    let zone_line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("big.example: "))
        .unwrap();
    assert!(
        zone_line.ends_with(&format!(", {unsent}")),
        "{unsent}\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(": {unsent}.")),
        "{unsent}\n{}",
        run.stdout
    );
}

fn plural_batches(n: usize) -> String {
    match n {
        1 => "1 batch".to_string(),
        n => format!("{n} batches"),
    }
}

#[tokio::test]
async fn a_refused_zone_withholds_the_batches_waiting_their_turn_at_once() {
    // Free's tag bucket lets 25 requests through, then one every 12 seconds. The 25th is refused
    // while the next batches wait for their turn: on the build this was found in, each still
    // waited it out (a minute and more), then was not sent.
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.is_purge(),
        Some(24),
        Reply::json(200, observed("purge success")),
    );
    refuse_purges(&fake);
    let tags: Vec<String> = (0..6000).map(|i| format!("t{i}")).collect();
    let action = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", &tags.join("\n"));
    // A guard against the hang, not a measure of speed: the run takes milliseconds.
    let run = tokio::time::timeout(std::time::Duration::from_secs(50), action.run())
        .await
        .expect("withheld batches waited for their pacing turn");
    run.assert_failed(1, "purge-permission-missing");
    assert_eq!(run.output("purged_count"), "2400");
    assert_eq!(run.output("failed_count"), "3600");
    assert_eq!(fake.purges().len(), 25);
}

#[tokio::test]
async fn an_accepted_purge_without_a_result_is_not_sent_again() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let body = json!({"success": true, "errors": [], "messages": [], "result": null});
    fake.script(|r| r.is_purge(), None, Reply::json(200, body));
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(fake.purges().len(), 1);
    assert_eq!(run.output("purged_count"), "1");
}

#[tokio::test]
async fn the_ip_filter_met_at_the_zone_lookup_is_named() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(
        |r| r.path == "/zones",
        None,
        Reply::json(403, observed("client IP filter")),
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ZONE_NAME)
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(1, "token-ip-restricted");
}

#[cfg(unix)]
#[tokio::test]
async fn a_run_blocked_in_a_read_still_ends_at_the_second_signal() {
    // A FIFO that no one writes: opening it blocks, and no request is ever sent.
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let action = Action::new(&fake).token(CFUT_TOKEN);
    let fifo = action.workspace().join("urls.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    let spawned = action.input("files_from", "urls.txt").spawn_binary();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    spawned.signal("TERM");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    spawned.signal("INT");
    // A guard against the hang (the build this was found in never ended), not a measure of speed.
    let run = tokio::time::timeout(std::time::Duration::from_secs(20), spawned.wait())
        .await
        .expect("the signals did not end the run");
    // Ended in the signal handler, at the second signal: exit 1, and no report.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains("::error"), "{}", run.stdout);
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn a_tag_shaped_like_a_key_is_shown_and_a_json_item_must_be_one_item() {
    // A commit SHA: the shape of a legacy Global API Key, yet a tag like any other.
    let sha = "9e107d9d372bb6826bd81d3542a419d6e277d4d6";
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", sha)
        .input("dry_run", "true")
        .run()
        .await;
    run.assert_ok("planned");
    assert!(
        run.stdout.contains(&format!("1 tags ({sha})")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains(&format!("::add-mask::{sha}")),
        "{}",
        run.stdout
    );
    // An item given back in its JSON form is one item of its list, as the list syntax has them.
    for item in [
        r#"{"tag": ""}"#,
        r#"{"tag": " "}"#,
        r#"{"tag": "a b"}"#,
        r#"{"tag": "a,b"}"#,
        r#"{"host": "a\u0000b"}"#,
    ] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("files", item)
            .run()
            .await;
        assert_eq!(run.code, 2, "{item}:\n{}", run.stdout);
        assert!(fake.received().is_empty(), "{item}");
    }
    // A file URL with a user name or password is refused, and quoted without them.
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", "https://user:s3cr3t-pw@example.com/a")
        .hide("s3cr3t-pw")
        .run()
        .await;
    run.assert_failed(2, "invalid-url");
    assert!(
        run.error().1.contains("https://***@example.com/a"),
        "{}",
        run.error().1
    );
}

#[tokio::test]
async fn after_a_flag_that_cannot_be_read_only_the_flags_are_reported() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    for args in [
        &["--zone", ZONE_NAME, "--mode", "verify", "--mode", "purge"][..],
        &["--ZONE", ZONE_NAME, "/a"][..],
    ] {
        let run = Action::local(&fake)
            .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
            .args(args)
            .run()
            .await;
        assert_eq!(run.code, 2, "{args:?}\n{}", run.stdout);
        let errors: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        assert_eq!(errors.len(), 1, "{args:?}: {errors:?}");
        assert!(
            errors[0].contains("Command-line flag not understood"),
            "{errors:?}"
        );
    }
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn a_failed_file_that_cannot_be_written_leaves_the_outputs_and_summary_written() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    refuse_purges(&fake);
    let action = Action::new(&fake).token(CFUT_TOKEN);
    std::fs::create_dir(action.workspace().join("cloudflare-purge-failed.txt")).unwrap();
    let long: Vec<String> = (0..3000)
        .map(|i| format!("https://example.com/{}/{i}.css", "p".repeat(80)))
        .collect();
    let run = action.files_from(&long.join("\n")).run().await;
    assert_eq!(run.code, 1);
    assert_eq!(run.output("cause"), "purge-permission-missing");
    assert_eq!(run.output("failed_count"), "3000");
    assert!(
        run.summary.contains("purge-permission-missing"),
        "{}",
        run.summary
    );
    // One error annotation per cause: the missing file is told beside it, as a warning.
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let warnings = run.warnings();
    assert!(
        warnings.iter().any(|(_, text)| text
            .contains("Writing cloudflare-purge-failed.txt in the workspace failed")),
        "{warnings:?}"
    );
}
