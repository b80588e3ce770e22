//! A credential pasted into the wrong input (issue 14): masked before anything is printed, described
//! by its shape only, also in local and act runs where no runner masks it; a swap is named.

use crate::support::*;

#[tokio::test]
async fn a_token_in_another_input_is_masked_and_never_printed() {
    for input in ["zone", "account_id", "files", "base_url", "mode", "hosts"] {
        for actions in [true, false] {
            let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
            let mut action = Action::new(&fake)
                .token(CFUT_TOKEN)
                .input("tags", "t")
                .input(input, LEGACY_TOKEN)
                .hide(LEGACY_TOKEN);
            if !actions {
                action = action.unset("GITHUB_ACTIONS");
            }
            let run = action.run_binary().await;
            assert_eq!(run.code, 2, "{input}: {}", run.stdout);
            assert!(fake.received().is_empty(), "{input}");
            assert!(
                run.stdout.contains("[something shaped like an API token]"),
                "{input} (GITHUB_ACTIONS={actions}): {}",
                run.stdout
            );
            if actions {
                let first = run.stdout.lines().next().unwrap_or_default();
                assert!(first.starts_with("::add-mask::"), "{input}: {first}");
                assert!(
                    run.stdout.contains(&format!("::add-mask::{LEGACY_TOKEN}")),
                    "{input}: {}",
                    run.stdout
                );
            }
        }
    }
}

#[tokio::test]
async fn a_token_and_a_zone_id_swapped_are_named_as_such() {
    let fake = Fake::start().await;
    let run = Action::new(&fake)
        .input("zone", LEGACY_TOKEN)
        .hide(LEGACY_TOKEN)
        .input("api_token", ZONE_ID)
        .input("tags", "t")
        .run_binary()
        .await;
    run.assert_failed(2, "invalid-input");
    let (title, text) = run.error();
    assert_eq!(title, "Inputs swapped?");
    assert!(
        text.contains("`zone` holds something shaped like an API token and `api_token` something shaped like a zone ID: swapped?"),
        "{text}"
    );
    assert!(fake.received().is_empty());
}
