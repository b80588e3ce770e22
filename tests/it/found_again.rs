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
