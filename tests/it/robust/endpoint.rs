//! The endpoint itself (issue 14): an api_url that is not Cloudflare's API base, and output files the
//! runner named that cannot be written.

use crate::support::*;

#[tokio::test]
async fn an_api_url_without_client_v4_is_named_not_called_a_wrong_token() {
    for (api, what) in [("", "without /client/v4"), ("//client/v4", "with a //")] {
        for credential in ["token", "key"] {
            let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
            fake.add_key(EMAIL, GLOBAL_KEY);
            let api_url = format!("http://{}{api}", fake.addr);
            let action = Action::new(&fake)
                .input("api_url", &api_url)
                .input("tags", "t");
            let action = match credential {
                "token" => action.token(CFUT_TOKEN),
                _ => action
                    .secret("global_api_key", GLOBAL_KEY)
                    .input("email", EMAIL),
            };
            let run = action.run_binary().await;
            run.assert_failed(1, "unexpected-response");
            let text = run.error().1;
            assert!(
                text.contains("`api_url` does not point at Cloudflare's API")
                    && text.contains("7000 \"No route for that URI\"")
                    && text.contains("https://api.cloudflare.com/client/v4"),
                "{what} ({credential}): {text}"
            );
            assert!(fake.purges().is_empty());
        }
    }
}

#[tokio::test]
async fn an_output_file_that_cannot_be_written_is_an_annotation_with_a_cause() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .env("GITHUB_OUTPUT", "/nonexistent/dir/output")
        .run_binary()
        .await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(fake.purges().len(), 1, "the purge itself went through");
    let (title, text) = run.error();
    assert_eq!(title, "Outputs not written");
    assert!(text.contains("GITHUB_OUTPUT"), "{text}");
    assert!(!run.stdout.contains("\nerror:"), "{}", run.stdout);

    // Outside Actions the annotation carries the code.
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("tags", "t")
        .unset("GITHUB_ACTIONS")
        .env("GITHUB_OUTPUT", "/nonexistent/dir/output")
        .run_binary()
        .await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    let code = "outputs-not-written";
    let line = format!("error: Outputs not written [{code}]");
    assert!(run.stdout.contains(&line), "{}", run.stdout);
}
