//! Causes decided from the inputs alone: exit 2, nothing sent.

use crate::support::*;
use serde_json::json;

/// An offline case: inputs and environment, the cause, and words the annotation must contain.
struct Offline {
    inputs: Vec<(&'static str, String)>,
    env: Vec<(&'static str, String)>,
    code: &'static str,
    says: Vec<&'static str>,
}

fn offline(code: &'static str, inputs: &[(&'static str, &str)], says: &[&'static str]) -> Offline {
    Offline {
        inputs: inputs.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        env: vec![],
        code,
        says: says.to_vec(),
    }
}

fn origin_ca_key() -> String {
    format!(
        "v1.0-{}-{}",
        "0a1b2c3d4e5f6a7b8c9d0e1f",
        "ab12".repeat(36) + "cd"
    )
}

#[tokio::test]
async fn offline_causes_exit_2_before_any_request() {
    let truncated = &LEGACY_TOKEN[..39];
    let split = format!("{}\n{}", &CFUT_TOKEN[..30], &CFUT_TOKEN[30..]);
    let assignment = format!("CLOUDFLARE_API_TOKEN={LEGACY_TOKEN}");
    let origin = origin_ca_key();
    // A Cloudflare Access service-token client secret (cloudflare-docs PR #33045): no API credential.
    let access_secret = format!("cfast_{}", "9f8e7d6c5b4a3f2e".repeat(4));
    let cases = vec![
        offline(
            "missing-zone",
            &[("zone", ""), ("api_token", LEGACY_TOKEN), ("tags", "a")],
            &["zone input is empty"],
        ),
        offline(
            "invalid-zone",
            &[
                ("zone", "my site"),
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
            ],
            &["\"my\", \"site\"", "Zone ID"],
        ),
        offline(
            "missing-credentials",
            &[("tags", "a")],
            &["secrets.", "Settings → Secrets and variables → Actions"],
        ),
        offline(
            "token-placeholder",
            &[("api_token", "<insert token>"), ("tags", "a")],
            &["placeholder", "api-tokens?permissionGroupKeys="],
        ),
        offline(
            "token-placeholder",
            &[("api_token", "${{ secrets.CF_PURGE }}"), ("tags", "a")],
            &["placeholder"],
        ),
        offline(
            "incomplete-global-key",
            &[("global_api_key", GLOBAL_KEY), ("tags", "a")],
            &["email is empty"],
        ),
        offline(
            "incomplete-global-key",
            &[("email", EMAIL), ("tags", "a")],
            &["global_api_key is empty"],
        ),
        offline(
            "invalid-email",
            &[
                ("email", "ops.example.com"),
                ("global_api_key", GLOBAL_KEY),
                ("tags", "a"),
            ],
            &["no @"],
        ),
        offline(
            "token-malformed",
            &[("api_token", truncated), ("tags", "a")],
            &["39 characters long", "40 characters"],
        ),
        offline(
            "token-malformed",
            &[("api_token", &assignment), ("tags", "a")],
            &["`CLOUDFLARE_API_TOKEN=…` line"],
        ),
        offline(
            "token-has-whitespace",
            &[("api_token", &split), ("tags", "a")],
            &["54 characters", "a line break", "position 31"],
        ),
        offline(
            "global-key-as-token",
            &[("api_token", GLOBAL_KEY), ("tags", "a")],
            &["Global API Key", "37 characters", "`email`"],
        ),
        offline(
            "token-as-global-key",
            &[
                ("global_api_key", LEGACY_TOKEN),
                ("email", EMAIL),
                ("tags", "a"),
            ],
            &["an API token (40 characters)", "`api_token`"],
        ),
        offline(
            "origin-ca-key",
            &[("api_token", &origin), ("tags", "a")],
            &["Origin CA key", "X-Auth-User-Service-Key", "2026-09-30"],
        ),
        offline(
            "token-malformed",
            &[("api_token", &access_secret), ("tags", "a")],
            &[
                "Cloudflare Access service-token client secret",
                "not an API credential",
            ],
        ),
        offline(
            "nothing-to-purge",
            &[("api_token", LEGACY_TOKEN)],
            &["purge_everything: true", "mode: verify"],
        ),
        offline(
            "conflicting-purge-inputs",
            &[
                ("api_token", LEGACY_TOKEN),
                ("purge_everything", "true"),
                ("files", "/a"),
                ("tags", "t"),
            ],
            &["files, tags are also given"],
        ),
        offline(
            "invalid-url",
            &[
                ("api_token", LEGACY_TOKEN),
                (
                    "files",
                    "https://example.com/ok blog/index.html example.com/x",
                ),
            ],
            &["2 items", "blog/index.html, example.com/x"],
        ),
        offline(
            "url-outside-zone",
            &[
                ("zone", "example.com"),
                ("api_token", LEGACY_TOKEN),
                (
                    "files",
                    "https://www.example.com/ https://example.org/a https://badexample.com/",
                ),
            ],
            &["2 items", "https://example.org/a, https://badexample.com/"],
        ),
        offline(
            "invalid-input",
            &[
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
                ("dry_run", "maybe"),
            ],
            &["dry_run", "\"maybe\""],
        ),
        offline(
            "invalid-input",
            &[
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
                ("mode", "check"),
            ],
            &["mode", "purge or verify"],
        ),
        offline(
            "invalid-input",
            &[
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
                ("timeout_seconds", "0"),
            ],
            &["timeout_seconds", "1 to 600"],
        ),
        offline(
            "invalid-input",
            &[
                ("api_token", LEGACY_TOKEN),
                ("tags", "a"),
                ("api_url", "http://api.example.com/client/v4"),
            ],
            &["api_url", "https://"],
        ),
        offline(
            "invalid-input",
            &[("api_token", LEGACY_TOKEN), ("files_from", "missing.txt")],
            &["files_from", "missing.txt"],
        ),
    ];
    for case in cases {
        let fake = Fake::start().await;
        let mut action = Action::new(&fake);
        for (name, value) in &case.inputs {
            // A placeholder is template text, not a secret: the fix may quote the same template.
            let secret =
                ["api_token", "global_api_key"].contains(name) && case.code != "token-placeholder";
            if let Some((_, inner)) = value.split_once('=') {
                // A pasted `NAME=value` line: the name is not secret, the value is.
                action = action.hide(inner);
            }
            action = if secret && !value.contains('=') {
                action.secret(name, value)
            } else {
                action.input(name, value)
            };
        }
        for (name, value) in &case.env {
            action = action.env(name, value);
        }
        let run = action.run().await;
        run.assert_failed(2, case.code);
        assert!(
            fake.received().is_empty(),
            "{}: offline cause sent {:?}",
            case.code,
            fake.paths()
        );
        let (title, text) = &run.errors()[0];
        let titles: Vec<String> = cloudflare_purge::test_surface::examples()
            .into_iter()
            .filter(|c| c.code() == case.code)
            .map(|c| escape_property(c.title()))
            .collect();
        assert!(titles.contains(title), "{}: {title}", case.code);
        for words in &case.says {
            assert!(
                text.contains(words),
                "{}: annotation lacks {words:?}:\n{text}",
                case.code
            );
        }
    }
}

#[tokio::test]
async fn every_offline_problem_is_reported_and_the_first_decides_the_cause() {
    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .input("zone", "")
        .input("dry_run", "perhaps")
        .input("files", "nope")
        .run()
        .await;
    run.assert_failed(2, "missing-zone");
    let titles: Vec<String> = run.errors().into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        titles,
        [
            "No zone given",
            "No Cloudflare credentials",
            "Invalid input value",
            "Not a URL or path"
        ]
    );

    // An invalid boolean of the lists themselves does not hide an invalid URL either.
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("purge_everything", "perhaps")
        .input("files", "nope")
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    let titles: Vec<String> = run.errors().into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles, ["Invalid input value", "Not a URL or path"]);
}

/// A run without credentials started by `event_name` for a fork's pull request (its event file).
async fn from_a_fork(fake: &Fake, event_name: &str) -> Run {
    let event =
        json!({"pull_request": {"head": {"repo": {"fork": true, "full_name": "someone/fork"}}}})
            .to_string();
    let action = Action::new(fake)
        .input("tags", "a")
        .env("GITHUB_EVENT_NAME", event_name);
    let event_path = action.workspace().join("event.json");
    action
        .workspace_file("event.json", &event)
        .env("GITHUB_EVENT_PATH", &event_path.display().to_string())
        .run()
        .await
}

#[tokio::test]
async fn a_missing_secret_is_explained_by_how_the_run_started() {
    let fake = Fake::start().await;
    let run = from_a_fork(&fake, "pull_request").await;
    run.assert_failed(2, "missing-credentials");
    assert!(
        run.error().1.contains("pull request from a fork"),
        "{}",
        run.stdout
    );

    let run = Action::new(&fake)
        .input("tags", "a")
        .env("GITHUB_ACTOR", "dependabot[bot]")
        .run()
        .await;
    run.assert_failed(2, "missing-credentials");
    assert!(run.error().1.contains("Dependabot"), "{}", run.stdout);

    let run = Action::new(&fake)
        .input("tags", "a")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .run()
        .await;
    assert!(
        run.error().1.contains("no secret of that name exists"),
        "{}",
        run.stdout
    );
    assert!(fake.received().is_empty());
}

/// `pull_request_target` runs in the base repository with its secrets, even for a fork's pull
/// request: a missing secret there is a name that matches nothing, not the fork.
#[tokio::test]
async fn a_pull_request_target_from_a_fork_is_not_blamed_on_the_fork() {
    let fake = Fake::start().await;
    let run = from_a_fork(&fake, "pull_request_target").await;
    run.assert_failed(2, "missing-credentials");
    let text = run.error().1;
    assert!(!text.contains("fork"), "{text}");
    assert!(text.contains("no secret of that name exists"), "{text}");
    assert!(fake.received().is_empty());
}

/// Settings of other purge actions (jakejarvis, NathanVaughn, Cyb3r-Jak3) left in the environment:
/// the message names each variable and the input it belongs in, never its value.
#[tokio::test]
async fn another_actions_variable_names_the_input_it_belongs_in() {
    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .input("tags", "a")
        .env("CLOUDFLARE_TOKEN", LEGACY_TOKEN)
        .env("CLOUDFLARE_AUTH_KEY", GLOBAL_KEY)
        .env("PURGE_URLS", "[\"https://example.com/peer-url\"]")
        .run()
        .await;
    run.assert_failed(2, "missing-credentials");
    let text = run.error().1;
    for words in [
        "CLOUDFLARE_TOKEN",
        "`api_token`",
        "CLOUDFLARE_AUTH_KEY",
        "`global_api_key`",
        "PURGE_URLS",
        "`files`",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert!(!text.contains("peer-url"), "{text}");
    run.assert_secret_hidden(LEGACY_TOKEN);
    run.assert_secret_hidden(GLOBAL_KEY);

    let run = Action::new(&fake)
        .input("zone", "")
        .token(CFUT_TOKEN)
        .input("tags", "a")
        .env("CLOUDFLARE_KEY", GLOBAL_KEY)
        .env("INPUT_CF_ZONE", "example.com")
        .run()
        .await;
    run.assert_failed(2, "missing-zone");
    let text = run.error().1;
    for words in ["CLOUDFLARE_KEY", "`global_api_key`", "cf_zone", "`zone`"] {
        assert!(text.contains(words), "{words}: {text}");
    }
    run.assert_secret_hidden(GLOBAL_KEY);

    let run = Action::new(&fake).input("tags", "a").run().await;
    assert!(!run.error().1.contains("`files`"), "{}", run.stdout);
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn repaired_inputs_warn_and_go_on() {
    let fake = Fake::with_token(LEGACY_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .input("zone", "https://example.com/blog/")
        .secret("api_token", &format!("'Bearer {LEGACY_TOKEN}'"))
        .secret("global_api_key", GLOBAL_KEY)
        .input("email", EMAIL)
        .input("tags", "a")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        run.output("warnings"),
        "zone-was-url,both-credentials,token-quoted,token-bearer-prefix"
    );
    let titles: Vec<String> = run.warnings().into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles.len(), 4, "{}", run.stdout);
    assert_eq!(
        fake.purges()[0].headers["authorization"],
        format!("Bearer {LEGACY_TOKEN}")
    );
    assert!(
        run.summary.contains("`both-credentials`"),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn a_token_with_an_email_names_the_email_that_is_ignored() {
    let fake = Fake::with_token(LEGACY_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .secret("api_token", LEGACY_TOKEN)
        .input("email", EMAIL)
        .input("tags", "a")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("warnings"), "both-credentials");
    let (title, text) = &run.warnings()[0];
    assert!(!text.contains("global_api_key are set"), "{text}");
    assert!(!title.contains("Global API Key given"), "{title}");
    assert!(text.contains("email") && text.contains("ignored"), "{text}");
    assert!(text.contains("no global_api_key"), "{text}");
}

#[tokio::test]
async fn a_placeholder_is_not_masked_so_the_fix_example_reads_whole() {
    let fake = Fake::start().await;
    for (input, placeholder) in [
        ("api_token", "${{ secrets.CLOUDFLARE_API_TOKEN }}"),
        ("api_token", "YOUR-API-TOKEN"),
        ("global_api_key", "<key>"),
    ] {
        let mut action = Action::new(&fake)
            .input(input, placeholder)
            .input("tags", "a");
        if input == "global_api_key" {
            action = action.input("email", EMAIL);
        }
        let run = action.run().await;
        run.assert_failed(2, "token-placeholder");
        assert!(
            !run.stdout.contains("::add-mask::"),
            "{placeholder}: {}",
            run.stdout
        );
        let text = run.error().1;
        assert!(
            text.contains(&format!("{input}: ${{{{ secrets.CLOUDFLARE_API_TOKEN }}}}")),
            "{text}"
        );
        assert!(!text.contains("***"), "{text}");
    }
    assert!(fake.received().is_empty());
}
