//! `cargo run --example try`: what the action does, without a Cloudflare account. It runs the action
//! twice against the fake Cloudflare API the tests use (on 127.0.0.1, answering with the bodies
//! Cloudflare really sends): a purge that succeeds, then a token without the Cache Purge permission,
//! diagnosed. The tokens are made up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use support::*;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("A purge that succeeds:\n");
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    show(&fake, "cfut_…", CFUT_TOKEN).await;

    println!("\nThe same purge with a token that may read the zone but not purge it:\n");
    let fake = Fake::with_token(
        LEGACY_TOKEN,
        Token {
            purge: vec![],
            ..Token::user()
        },
    )
    .await;
    show(&fake, "Xy7_k2…", LEGACY_TOKEN).await;
}

async fn show(fake: &Fake, shown: &str, token: &str) {
    let args = ["--zone", "example.com", "/", "/app.css"];
    println!(
        "$ CLOUDFLARE_API_TOKEN={shown} cloudflare-purge {}",
        args.join(" ")
    );
    let run = Action::local(fake)
        .env("CLOUDFLARE_API_TOKEN", token)
        .args(&args)
        .run()
        .await;
    for line in run.stdout.lines() {
        println!("  {line}");
    }
    println!("  (exit status {})", run.code);
    println!("  The fake Cloudflare API received:");
    for path in fake.paths() {
        println!("    {path}");
    }
}
