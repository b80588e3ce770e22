//! The command line (contract §8), as a user types it: help, version, flags, positional files, a
//! mistyped flag, a bare boolean, and which source wins.

use cloudflare_purge::test_surface::INPUTS;

use crate::support::*;

fn local(fake: &Fake) -> Action {
    Action::local(fake)
}

#[tokio::test]
async fn help_and_version_exit_0_and_send_nothing() {
    let fake = Fake::start().await;
    for flag in ["--help", "-h"] {
        let run = local(&fake).args(&[flag]).run_binary().await;
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert!(
            run.stdout.starts_with("cloudflare-purge "),
            "{}",
            run.stdout
        );
        for input in INPUTS {
            let flag = format!("--{}", input.name.replace('_', "-"));
            assert!(run.stdout.contains(&flag), "help lacks {flag}");
        }
        for words in [
            "What to purge:",
            "Credentials",
            "Behaviour:",
            "Examples:",
            "`ps`",
        ] {
            assert!(
                run.stdout.contains(words),
                "help lacks {words:?}:\n{}",
                run.stdout
            );
        }
    }
    for flag in ["--version", "-V"] {
        let run = local(&fake).args(&[flag]).run_binary().await;
        assert_eq!(run.code, 0);
        assert_eq!(
            run.stdout.trim(),
            format!("cloudflare-purge {}", env!("CARGO_PKG_VERSION"))
        );
    }
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn flags_and_positional_files_purge() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .args(&[
            "--zone",
            "example.com",
            "/app.css",
            "--files=https://example.com/",
            "https://www.example.com/b.js",
        ])
        .run_binary()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("result: purged"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("::"),
        "plain text outside Actions: {}",
        run.stdout
    );
    let mut purged = fake.purged_in(ZONE_ID);
    purged.sort();
    assert_eq!(
        purged,
        [
            "https://example.com/",
            "https://example.com/app.css",
            "https://www.example.com/b.js"
        ]
    );
    run.assert_secret_hidden(CFUT_TOKEN);
}

#[tokio::test]
async fn a_bare_boolean_is_true_and_list_flags_add_up() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .args(&[
            "--zone=example.com",
            "--tags",
            "a",
            "--tags",
            "b",
            "--dry-run",
        ])
        .run_binary()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("result: planned"), "{}", run.stdout);
    assert!(
        run.stdout.contains("request 1: 2 tags (a … b)"),
        "{}",
        run.stdout
    );
    assert!(fake.purges().is_empty(), "a dry run sends no purge");
}

#[tokio::test]
async fn a_mistyped_flag_names_the_closest_and_sends_nothing() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .args(&["--zoen", "example.com", "--tags", "a"])
        .run_binary()
        .await;
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("error: Command-line flag not understood [invalid-input]")
            && run.stdout.contains("--zoen is not a flag")
            && run.stdout.contains("Did you mean --zone?"),
        "{}",
        run.stdout
    );
    assert!(fake.received().is_empty());

    let run = local(&fake).args(&["--zone"]).run_binary().await;
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("--zone needs a value"),
        "{}",
        run.stdout
    );
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn flags_win_over_input_variables_which_win_over_cloudflare_variables() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    // zone: flag > INPUT_ZONE > CLOUDFLARE_ZONE_ID.
    let run = local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .env("CLOUDFLARE_ZONE_ID", ENT_ZONE_ID)
        .env("INPUT_ZONE", SHOP_ZONE_ID)
        .args(&["--zone", ZONE_ID, "--tags", "t"])
        .run_binary()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(fake.purges_of(ZONE_ID).len(), 1, "the flag wins");

    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    let run = local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .env("CLOUDFLARE_ZONE_ID", ENT_ZONE_ID)
        .env("INPUT_ZONE", SHOP_ZONE_ID)
        .args(&["--tags", "t"])
        .run_binary()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        fake.purges_of(SHOP_ZONE_ID).len(),
        1,
        "INPUT_ZONE wins over CLOUDFLARE_ZONE_ID"
    );

    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    let run = local(&fake)
        .env("CLOUDFLARE_API_TOKEN", CFUT_TOKEN)
        .env("CLOUDFLARE_ZONE_ID", ENT_ZONE_ID)
        .args(&["--tags", "t"])
        .run_binary()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        fake.purges_of(ENT_ZONE_ID).len(),
        1,
        "CLOUDFLARE_ZONE_ID is the last resort"
    );
}

/// Contract §8: a credential is taken whole from the highest level that gives one, so a Global API
/// Key given as flags beats an inherited `CLOUDFLARE_API_TOKEN`, and nothing warns about the token.
#[tokio::test]
async fn a_global_key_given_as_flags_beats_an_inherited_token() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.add_key(EMAIL, GLOBAL_KEY);
    let run = local(&fake)
        .env("CLOUDFLARE_API_TOKEN", LEGACY_TOKEN)
        .args(&[
            "--zone",
            "example.com",
            "--email",
            EMAIL,
            "--global-api-key",
            GLOBAL_KEY,
            "--tags",
            "a",
        ])
        .run_binary()
        .await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("both-credentials"), "{}", run.stdout);
    let purge = &fake.purges()[0];
    assert_eq!(purge.headers["x-auth-key"], GLOBAL_KEY);
    assert!(!purge.headers.contains_key("authorization"));
}
