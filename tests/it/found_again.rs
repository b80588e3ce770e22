//! A second hostile black-box pass over the binary: one test for each defect it found, each of
//! which fails on the build it was found in.

use crate::support::*;

/// A password with a `#` or `/` in it ends the authority early for a URL parser: it is still a
/// password, and never quoted back; nor is a proxy variable that holds no URL at all.
#[tokio::test]
async fn a_password_with_a_hash_or_a_slash_is_never_quoted() {
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "env",
            "HTTP_PROXY",
            "http://bob:s3cret#pw@127.0.0.1:3128",
            "invalid-input",
        ),
        ("env", "HTTP_PROXY", "not a proxy s3cret", "invalid-input"),
        (
            "env",
            "HTTP_PROXY",
            "socks9://bob:s3cret@127.0.0.1:1",
            "invalid-input",
        ),
        (
            "input",
            "api_url",
            "http://bob:s3cret#pw@127.0.0.1:1/client/v4",
            "invalid-input",
        ),
        (
            "input",
            "base_url",
            "https://bob:s3cret#pw@example.com/",
            "invalid-input",
        ),
        (
            "input",
            "files",
            "https://bob:s3cret/pw@example.com/a",
            "invalid-url",
        ),
    ];
    for (kind, name, value, cause) in cases {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let action = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("files", "/a")
            .hide("s3cret");
        let action = match kind {
            "env" => action.env(name, value),
            _ => action.input(name, value),
        };
        let run = action.run().await;
        run.assert_failed(2, cause);
        run.assert_secret_hidden("s3cret");
        run.assert_secret_hidden(CFUT_TOKEN);
        assert!(
            fake.received().is_empty(),
            "{name}: sent {:?}",
            fake.paths()
        );
    }
}

/// A `cfut_`, `cfat_` or `cfk_` credential glued to the letter, digit or `_` before it is still
/// one: refused in a list, and hidden in every input (the zone too).
#[tokio::test]
async fn a_prefixed_credential_glued_to_what_precedes_it_is_refused_and_hidden() {
    let body = &CFAT_TOKEN[5..];
    let cfat = format!("cfat_{body}");
    let key = format!("cfk_{body}");
    let lower = CFUT_TOKEN.to_lowercase();
    let upper = CFUT_TOKEN.to_uppercase();
    let cases = [
        ("tags", format!("x{CFUT_TOKEN}"), CFUT_TOKEN.to_string()),
        (
            "files",
            format!("https://example.com/a_{CFUT_TOKEN}"),
            CFUT_TOKEN.to_string(),
        ),
        ("prefixes", format!("example.com/9{cfat}/"), cfat.clone()),
        ("hosts", format!("x{lower}.example.com"), lower.clone()),
        ("tags", format!("x{upper}"), upper.clone()),
        ("tags", format!("release_{key}_2"), key.clone()),
        ("zone", format!("example.com,9{cfat}"), cfat.clone()),
    ];
    for (input, value, secret) in cases {
        let fake = Fake::with_token(LEGACY_TOKEN, Token::user()).await;
        let action = Action::new(&fake).token(LEGACY_TOKEN).hide(&secret);
        let action = match input {
            "zone" => action.input("files", "/a"),
            _ => action,
        };
        let run = action.input(input, &value).run().await;
        assert_eq!(run.code, 2, "{input}:\n{}", run.stdout);
        if input != "zone" {
            run.assert_failed(2, "invalid-input");
            assert!(
                run.stdout.contains("Credential among the items to purge"),
                "{input}:\n{}",
                run.stdout
            );
        }
        assert!(
            !fake.paths().iter().any(|p| p.contains("purge")),
            "{input}: sent {:?}",
            fake.paths()
        );
        assert!(
            !fake.paths().iter().any(|p| p.contains(&secret[5..])),
            "{input}: sent {:?}",
            fake.paths()
        );
        run.assert_secret_hidden(&secret);
        run.assert_secret_hidden(LEGACY_TOKEN);
    }
}

/// Verify mode checks the lists as a purge would: an item outside a zone given by ID once its
/// name is known, `purge_everything` with a list offline; before the permission is proven.
#[tokio::test]
async fn verify_mode_checks_the_lists_as_a_purge_would() {
    let cases = [
        ("files", "https://nope.org/x", "false", "url-outside-zone"),
        ("files", "https://nope.org/x", "true", "url-outside-zone"),
        (
            "purge_everything",
            "true",
            "false",
            "conflicting-purge-inputs",
        ),
    ];
    for (input, value, dry_run, cause) in cases {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("mode", "verify")
            .input("dry_run", dry_run)
            .input("files", "/a")
            .input(input, value)
            .run()
            .await;
        run.assert_failed(2, cause);
        assert!(
            !fake.received().iter().any(|r| r.is_purge()),
            "{:?}",
            fake.paths()
        );
        run.assert_secret_hidden(CFUT_TOKEN);
    }
}

/// Every offline problem of the lists is reported, whatever else is wrong with them: an item
/// outside the zone beside a wildcard, a bad URL or a bad host; a wildcard beside a bad URL.
#[tokio::test]
async fn every_problem_of_the_lists_is_reported() {
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "files",
            "https://e.org/x https://example.com/*",
            &["files-wildcard", "url-outside-zone"],
        ),
        (
            "files",
            "https://e.org/x ftp://example.com/a",
            &["invalid-url", "url-outside-zone"],
        ),
        (
            "files",
            "https://example.com/* ftp://example.com/a",
            &["invalid-url", "files-wildcard"],
        ),
        (
            "hosts",
            "e.org exa:mple.com",
            &["invalid-host", "url-outside-zone"],
        ),
    ];
    for (input, value, causes) in cases {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("zone", ZONE_NAME)
            .input(input, value)
            .run()
            .await;
        run.assert_failed(2, causes[0]);
        for cause in causes {
            assert!(
                run.summary.contains(&format!("`{cause}`")),
                "{value}: no {cause}:\n{}",
                run.summary
            );
        }
        assert!(fake.received().is_empty(), "{:?}", fake.paths());
        run.assert_secret_hidden(CFUT_TOKEN);
    }
}

/// A step summary that cannot be written fails the step: the outputs, written after it, say so
/// (the purge itself is still counted).
#[tokio::test]
async fn outputs_written_after_a_summary_that_failed_say_the_step_failed() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let action = Action::new(&fake).token(CFUT_TOKEN).input("tags", "t");
    // A directory: appending to it fails, as to a full disk (reading /dev/full would never end).
    let summary = action.workspace().display().to_string();
    let run = action.env("GITHUB_STEP_SUMMARY", &summary).run().await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(fake.purges().len(), 1, "the purge itself went through");
    assert_eq!(run.output("result"), "failed", "{}", run.outputs_raw);
    assert_eq!(
        run.output("cause"),
        "outputs-not-written",
        "{}",
        run.outputs_raw
    );
    assert_eq!(run.output("purged_count"), "1", "{}", run.outputs_raw);
    assert_eq!(run.error().0, "Outputs not written");
    assert!(
        run.error().1.contains("GITHUB_STEP_SUMMARY"),
        "{}",
        run.stdout
    );
    run.assert_secret_hidden(CFUT_TOKEN);
}

/// `tags`, `hosts` and `prefixes` share the list syntax of `files`, JSON array included; an array
/// of anything but strings names the input.
#[tokio::test]
async fn a_json_array_of_tags_hosts_or_prefixes_is_read_as_its_strings() {
    let cases = [
        ("tags", r#"["x", "y"]"#, ["x", "y"]),
        (
            "hosts",
            r#"[ "a.example.com","b.example.com" ]"#,
            ["a.example.com", "b.example.com"],
        ),
        (
            "prefixes",
            r#"["example.com/a/", "example.com/b/"]"#,
            ["example.com/a/", "example.com/b/"],
        ),
    ];
    for (input, value, items) in cases {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input(input, value)
            .run()
            .await;
        run.assert_ok("purged");
        assert_eq!(fake.purges()[0].purged_items(), items, "{input}");
        run.assert_secret_hidden(CFUT_TOKEN);
    }
    for value in [r#"["x", 1]"#, r#"["x""#] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("tags", value)
            .run()
            .await;
        run.assert_failed(2, "invalid-input");
        assert!(run.error().1.contains("tags"), "{}", run.stdout);
        assert!(fake.received().is_empty(), "{:?}", fake.paths());
        run.assert_secret_hidden(CFUT_TOKEN);
    }
}

/// An RFC 3339 time this many hours from now.
fn in_hours(hours: u64) -> String {
    let at = time::OffsetDateTime::now_utc() + std::time::Duration::from_secs(hours * 3600);
    at.replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// A token that expires in hours expires "within a day", not "in 0 days"; one that expires
/// tomorrow "in 1 day".
#[tokio::test]
async fn a_token_expiring_within_a_day_says_so() {
    for (hours, words) in [(5, "within a day"), (30, "in 1 day")] {
        let expires = in_hours(hours);
        let token = Token {
            expires_on: Some(expires.clone()),
            ..Token::user()
        };
        let fake = Fake::with_token(CFUT_TOKEN, token).await;
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("mode", "verify")
            .run()
            .await;
        run.assert_failed(1, "token-expiring-soon");
        let said = format!("expires on {expires}, {words}");
        assert!(
            run.error().1.contains(&format!("{said}.")),
            "{}",
            run.stdout
        );
        assert!(
            run.summary.contains(&format!("{said} (warning at 14)")),
            "{}",
            run.summary
        );
        run.assert_secret_hidden(CFUT_TOKEN);
    }
}

/// An `expires_on` that is no date is an answer Cloudflare does not document, not "never
/// expires"; before anything is purged.
#[tokio::test]
async fn an_expiry_that_is_no_date_is_an_unexpected_response() {
    let token = Token {
        expires_on: Some("next tuesday".into()),
        ..Token::user()
    };
    let fake = Fake::with_token(CFUT_TOKEN, token).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(1, "unexpected-response");
    assert!(run.error().1.contains("expires_on"), "{}", run.stdout);
    assert!(fake.purges().is_empty(), "{:?}", fake.paths());
    run.assert_secret_hidden(CFUT_TOKEN);
}
