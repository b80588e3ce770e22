//! 9109 and 1000, decided on Cloudflare's words (issue 12): an account-owned token the user endpoint
//! calls invalid is not "unknown" when a zone lookup answers as to a known token.

use crate::support::*;

/// A legacy-format (40 characters) account-owned token, which Cloudflare's user endpoint calls invalid.
fn account_token(read: bool, purge: bool) -> Token {
    Token {
        read: if read { vec![ZONE_ID] } else { vec![] },
        purge: if purge { vec![ZONE_ID] } else { vec![] },
        ..Token::account()
    }
}

#[tokio::test]
async fn a_legacy_account_token_that_cannot_read_the_zone_is_told_to_set_account_id() {
    let fake = Fake::with_token(LEGACY_TOKEN, account_token(false, true)).await;
    let run = Action::new(&fake)
        .token(LEGACY_TOKEN)
        .input("tags", "t")
        .run_binary()
        .await;
    run.assert_failed(1, "account-token-needs-account-id");
    let text = run.error().1;
    for words in [
        "1000 \"Invalid API Token\"",
        "9109 \"Unauthorized to access requested resource\"",
        "a known token without access",
        "Account Home → Account ID",
    ] {
        assert!(text.contains(words), "lacks {words:?}: {text}");
    }
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ZONE_ID}")
        ])
    );
}

#[tokio::test]
async fn an_unknown_legacy_token_is_invalid_and_the_text_says_how_tokens_die() {
    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .token(LEGACY_TOKEN)
        .input("tags", "t")
        .run_binary()
        .await;
    run.assert_failed(1, "token-invalid");
    let text = run.error().1;
    for words in [
        "1000 \"Invalid API Token\"",
        "9109 \"Invalid access token\"",
        "deleted or rolled",
        "TTL ended",
        "GitHub secret scanning",
        "emails the owner",
    ] {
        assert!(text.contains(words), "lacks {words:?}: {text}");
    }
    assert!(
        !text.contains("set `account_id`"),
        "unknown to a zone lookup too: account_id would not help: {text}"
    );
    assert!(fake.purges().is_empty());
}

#[tokio::test]
async fn with_account_id_the_same_token_is_verified_and_the_purge_decides() {
    let fake = Fake::with_token(LEGACY_TOKEN, account_token(false, false)).await;
    let run = Action::new(&fake)
        .token(LEGACY_TOKEN)
        .input("account_id", ACCOUNT_ID)
        .input("tags", "t")
        .run_binary()
        .await;
    run.assert_failed(1, "purge-permission-missing");
    assert_eq!(run.output("credential"), "account-token");
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /accounts/{ACCOUNT_ID}/tokens/verify"),
            format!("GET /zones/{ZONE_ID}"),
            // Not an account ID given as the zone: it does not answer as an account.
            format!("GET /accounts/{ZONE_ID}"),
            format!("POST /zones/{ZONE_ID}/purge_cache"),
        ])
    );

    let fake = Fake::with_token(LEGACY_TOKEN, account_token(false, true)).await;
    let run = Action::new(&fake)
        .token(LEGACY_TOKEN)
        .input("account_id", ACCOUNT_ID)
        .input("tags", "t")
        .run_binary()
        .await;
    run.assert_ok("purged");
}

#[tokio::test]
async fn a_cfat_token_that_cannot_read_the_zone_is_known_by_its_prefix() {
    let fake = Fake::with_token(CFAT_TOKEN, account_token(false, true)).await;
    let run = Action::new(&fake)
        .token(CFAT_TOKEN)
        .input("tags", "t")
        .run_binary()
        .await;
    run.assert_failed(1, "account-token-needs-account-id");
    assert!(
        run.error().1.contains("starts with cfat_"),
        "{}",
        run.stdout
    );
    assert_eq!(fake.paths(), [format!("GET /zones/{ZONE_ID}")]);
}
