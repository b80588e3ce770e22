//! `wait_for` (contract §11): after every credential and zone check and before the first purge, the
//! URL is polled until it shows the text, through the fake site behind its CONNECT proxy, on the
//! run's injected clock (the schedule's seconds are slept as milliseconds).

use std::time::{Duration, Instant};

use crate::support::site::{FakeSite, Fault, Page};
use crate::support::*;

const SHA: &str = "4f2a9c1e7b3d5a6f8e0c2b4d6f8a0c1e3b5d7f9a";
const VERSION: &str = "https://www.example.com/version.txt";

/// A run behind the fake site's proxy, trusting its CA, waiting for `SHA` at `url`.
fn waiting(fake: &Fake, site: &FakeSite, url: &str) -> Action {
    let mut action = Action::new(fake)
        .token(CFUT_TOKEN)
        .workspace_file("site-ca.pem", &site.ca_pem)
        .input("ca_certificates", "site-ca.pem")
        .input("wait_for", url)
        .input("wait_for_text", SHA)
        .input("files", "/app.css\n/index.html");
    for (name, value) in site.env() {
        action = action.env(&name, &value);
    }
    action
}

fn old_build() -> Page {
    Page::cloudflare(200, Some("DYNAMIC"), None).body("0000000 old build")
}

fn new_build() -> Page {
    Page::cloudflare(200, Some("DYNAMIC"), None).body(format!("{SHA}\n"))
}

fn polls(site: &FakeSite) -> usize {
    site.requests()
        .iter()
        .filter(|r| r.path == "/version.txt")
        .count()
}

#[tokio::test]
async fn the_purge_waits_until_the_new_build_is_live() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.pages("/version.txt", vec![old_build(), old_build(), new_build()]);
    let run = waiting(&fake, &site, VERSION).run().await;
    run.assert_ok("purged");
    assert_eq!(polls(&site), 3);
    assert_eq!(fake.purges().len(), 1);
    for line in [
        "wait_for: poll 1, 0 s waited: HTTP 200, CF-Cache-Status DYNAMIC, text not found",
        "wait_for: poll 2, 2 s waited: HTTP 200, CF-Cache-Status DYNAMIC, text not found",
        "wait_for: poll 3, 5 s waited: HTTP 200, CF-Cache-Status DYNAMIC, text found",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    assert!(
        run.summary.contains("| New build live | ✓ | after 5 s |"),
        "{}",
        run.summary
    );
    // Past every cache, and never with a credential.
    for request in site.requests() {
        assert_eq!(request.headers["cache-control"], "no-cache");
        assert!(!request.headers.contains_key("authorization"));
        assert!(request.tls);
    }
    // Nothing was purged before the last poll: the purge is the run's last request to the API.
    let last = fake.received().last().cloned().unwrap();
    assert!(last.is_purge());
}

#[tokio::test]
async fn the_text_may_be_in_a_header_and_the_url_plain_http() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page(
        "/version.txt",
        Page::direct(204).body("").header("x-build", SHA),
    );
    let run = waiting(&fake, &site, "http://www.example.com/version.txt")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(polls(&site), 1);
    assert!(!site.requests()[0].tls, "http:// is asked over plain http");
}

#[tokio::test]
async fn errors_redirects_and_resets_are_polls_that_did_not_match() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.pages(
        "/version.txt",
        vec![
            Page::cloudflare(502, Some("DYNAMIC"), None).body(SHA),
            Page::fault(Fault::Reset),
            Page::direct(302).header("location", "/login"),
            new_build(),
        ],
    );
    let run = waiting(&fake, &site, VERSION).run().await;
    run.assert_ok("purged");
    assert_eq!(polls(&site), 4);
    assert!(run
        .stdout
        .contains("HTTP 502, CF-Cache-Status DYNAMIC, text not found"));
    assert!(run.stdout.contains("no answer ("), "{}", run.stdout);
    assert!(
        run.stdout.contains("HTTP 302 to /login (not followed)"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_cached_wait_url_warns_once_and_the_waiting_goes_on() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    let hit = || Page::cloudflare(200, Some("HIT"), Some(600)).body("old");
    site.pages("/version.txt", vec![hit(), hit(), hit(), new_build()]);
    let run = waiting(&fake, &site, VERSION).run().await;
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.output("result"), "purged");
    assert_eq!(run.output("warnings"), "wait-url-cached");
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "once: {warnings:?}");
    assert!(warnings[0].1.contains(VERSION), "{warnings:?}");
    assert_eq!(polls(&site), 4);
}

#[tokio::test]
async fn a_build_that_never_goes_live_fails_with_nothing_purged() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page(
        "/version.txt",
        Page::cloudflare(200, Some("MISS"), None).body("old"),
    );
    let started = Instant::now();
    let run = waiting(&fake, &site, VERSION)
        .input("wait_timeout_seconds", "10")
        .input("tags", "blog")
        .run()
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no real seconds"
    );
    run.assert_failed(1, "origin-not-updated");
    assert!(fake.purges().is_empty(), "nothing purged");
    // 0 s, 2 s, 5 s, 9.5 s, and the last at the timeout.
    assert_eq!(polls(&site), 5);
    let (_, message) = run.error();
    assert!(message.contains(VERSION), "{message}");
    assert!(message.contains("within 10 seconds"), "{message}");
    assert!(
        message.contains("HTTP 200, CF-Cache-Status MISS, without the text"),
        "{message}"
    );
    // Paths joined to the zone, as `files` reads them back.
    assert_eq!(
        run.output("failed"),
        "https://example.com/app.css\nhttps://example.com/index.html\n{\"tag\":\"blog\"}"
    );
    assert_eq!(run.output("failed_count"), "3");
    assert!(
        run.summary.contains("| New build live | ✗ |"),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn the_wait_comes_after_the_credential_and_zone_checks() {
    let fake = Fake::start().await;
    let site = FakeSite::start().await;
    site.page("/version.txt", new_build());
    let run = waiting(&fake, &site, VERSION).run().await;
    run.assert_failed(1, "token-invalid");
    assert_eq!(
        polls(&site),
        0,
        "an unknown token stops the run before the wait"
    );
}

#[tokio::test]
async fn a_dry_run_asks_once_whether_the_build_is_live() {
    for (page, says, mark) in [
        (new_build(), "dry run: live now", "✓"),
        (old_build(), "dry run: not live now", "⚠"),
    ] {
        let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
        let site = FakeSite::start().await;
        site.page("/version.txt", page);
        let run = waiting(&fake, &site, VERSION)
            .input("dry_run", "true")
            .run()
            .await;
        run.assert_ok("planned");
        assert_eq!(polls(&site), 1);
        assert!(fake.purges().is_empty());
        assert!(
            run.summary
                .contains(&format!("| New build live | {mark} | {says}")),
            "{}",
            run.summary
        );
        assert!(
            run.stdout.contains("wait_for (dry run): "),
            "{}",
            run.stdout
        );
    }
}

#[tokio::test]
async fn verify_mode_does_not_wait_and_says_so() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page("/version.txt", old_build());
    let run = waiting(&fake, &site, VERSION)
        .input("mode", "verify")
        .run()
        .await;
    run.assert_ok("verified");
    assert_eq!(polls(&site), 0);
    assert!(
        run.stdout.contains("wait_for is not used in mode: verify"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn wait_inputs_that_do_not_go_together_are_invalid_input() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let cases = [
        (VERSION, "", "wait_for_text"),
        ("", SHA, "wait_for"),
        ("ftp://example.com/version.txt", SHA, "wait_for"),
        ("example.com/version.txt", SHA, "wait_for"),
        ("https://user:pw@example.com/version.txt", SHA, "wait_for"),
    ];
    for (url, text, named) in cases {
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("tags", "a")
            .input("wait_for", url)
            .input("wait_for_text", text)
            .run()
            .await;
        run.assert_failed(2, "invalid-input");
        let (_, message) = run.error();
        assert!(message.contains(named), "{url:?} {text:?}: {message}");
        assert!(!message.contains("pw@"), "{message}");
    }
    assert!(fake.received().is_empty(), "decided before any request");
}

#[tokio::test]
async fn a_sigterm_while_waiting_is_cancelled_with_nothing_purged() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page("/version.txt", old_build());
    let spawned = waiting(&fake, &site, VERSION).spawn_binary();
    let started = Instant::now();
    while polls(&site) == 0 {
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    spawned.signal("TERM");
    let run = spawned.wait().await;
    run.assert_failed(1, "cancelled");
    assert!(fake.purges().is_empty());
    // Joined to the zone's URL, as a wait that timed out lists them (contract §3).
    assert_eq!(
        run.output("failed"),
        "https://example.com/app.css\nhttps://example.com/index.html"
    );
    // Contract §11: the summary has the wait's row, whatever ended it.
    assert!(
        run.summary
            .contains("| New build live | ✗ | cancelled after "),
        "{}",
        run.summary
    );
    run.assert_secret_hidden(CFUT_TOKEN);
}

/// The built binary, with the production schedule: a first poll at once, the second 2 s later.
#[tokio::test]
async fn the_binary_waits_two_polls_then_purges() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.pages("/version.txt", vec![old_build(), new_build()]);
    let run = waiting(&fake, &site, VERSION).run_binary().await;
    run.assert_ok("purged");
    assert_eq!(polls(&site), 2);
    assert_eq!(fake.purges().len(), 1);
    assert!(
        run.summary.contains("| New build live | ✓ | after 2 s |"),
        "{}",
        run.summary
    );
}

/// A cancel while waiting, several zones: `failed` lists each item joined to the URL of every
/// zone it goes to, as a timed-out wait does.
#[tokio::test]
async fn a_cancel_while_waiting_lists_paths_joined_to_each_zone() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    let site = FakeSite::start().await;
    site.page("/version.txt", old_build());
    let polled = async {
        while polls(&site) == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let run = waiting(&fake, &site, VERSION)
        .input("zone", &format!("{ZONE_NAME},{SHOP_ZONE_NAME}"))
        .input("files", "/app.css\nhttps://shop.example/b.css")
        .run_cancelled_when(polled)
        .await;
    run.assert_failed(1, "cancelled");
    assert!(fake.purges().is_empty());
    assert_eq!(
        run.output("failed"),
        "https://example.com/app.css\nhttps://shop.example/app.css\nhttps://shop.example/b.css"
    );
}

/// A credential in `wait_for` would be sent to the site at every poll: refused like one in
/// `files`, before anything is sent. The token whole or in part, a prefixed value, a Global API
/// Key's piece, percent-encoded or not, over http or https.
#[tokio::test]
async fn a_credential_in_wait_for_is_refused_before_anything_is_sent() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.add_key(EMAIL, GLOBAL_KEY);
    let site = FakeSite::start().await;
    site.page("/version.txt", new_build());
    let token_piece = &CFUT_TOKEN[10..22];
    let key_piece = &GLOBAL_KEY[5..17];
    let cases: [(&str, bool); 5] = [
        (&format!("http://www.example.com/v?k={CFUT_TOKEN}"), false),
        (&format!("https://www.example.com/v/{token_piece}"), false),
        (&format!("https://www.example.com/v?k={CFAT_TOKEN}"), false),
        (
            &format!(
                "https://www.example.com/v?k=%{:02X}{}",
                b'c',
                &CFAT_TOKEN[1..]
            ),
            false,
        ),
        (&format!("https://www.example.com/v?k={key_piece}"), true),
    ];
    for (url, global) in cases {
        let action = waiting(&fake, &site, url);
        let action = if global {
            action
                .unset("INPUT_API_TOKEN")
                .secret("global_api_key", GLOBAL_KEY)
                .input("email", EMAIL)
        } else {
            action
        };
        let run = action.run().await;
        run.assert_failed(2, "invalid-input");
        let (title, text) = run.error();
        assert_eq!(title, "Credential among the items to purge", "{url}");
        assert!(text.contains("`wait_for`"), "{url}: {text}");
        run.assert_secret_hidden(CFUT_TOKEN);
        run.assert_secret_hidden(GLOBAL_KEY);
        let shown = run
            .stdout
            .lines()
            .filter(|l| !l.starts_with("::add-mask::"));
        for line in shown.chain(run.summary.lines()) {
            assert!(!line.contains(token_piece), "{url}: {line}");
            assert!(!line.contains(key_piece), "{url}: {line}");
        }
    }
    assert!(fake.received().is_empty(), "{:?}", fake.received());
    assert!(site.requests().is_empty(), "{:?}", site.requests());
}

/// With the zone given by ID, an item or a `confirm_urls` URL outside it fails before the wait:
/// every check comes before the first poll (contract §6).
#[tokio::test]
async fn an_item_outside_the_zone_given_by_id_fails_before_the_first_poll() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page("/version.txt", old_build());
    let cases = [
        ("https://evil.test/a\n/ok", ""),
        ("/ok", "https://evil.test/"),
    ];
    for (files, confirm_urls) in cases {
        let run = waiting(&fake, &site, VERSION)
            .input("wait_timeout_seconds", "1")
            .input("files", files)
            .input(
                "confirm",
                if confirm_urls.is_empty() {
                    "false"
                } else {
                    "true"
                },
            )
            .input("confirm_urls", confirm_urls)
            .run()
            .await;
        run.assert_failed(2, "url-outside-zone");
        run.assert_secret_hidden(CFUT_TOKEN);
        assert!(run.error().1.contains("evil.test"), "{}", run.error().1);
        assert_eq!(polls(&site), 0, "{}", run.stdout);
    }
    assert!(fake.purges().is_empty());
}

/// A proxy variable that is no URL, taken only by the requests to the site (the API is in
/// NO_PROXY): `invalid-input` before the site is asked, for `wait_for` and for `confirm`.
#[tokio::test]
async fn a_proxy_variable_that_is_no_url_fails_before_the_site_is_asked() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page("/version.txt", new_build());
    let waits = waiting(&fake, &site, VERSION).env("HTTPS_PROXY", "not a proxy");
    let confirms = waiting(&fake, &site, VERSION)
        .input("wait_for", "")
        .input("wait_for_text", "")
        .input("confirm", "true")
        .env("HTTPS_PROXY", "not a proxy");
    for action in [waits, confirms] {
        let run = action.run().await;
        run.assert_failed(2, "invalid-input");
        run.assert_secret_hidden(CFUT_TOKEN);
        let (title, text) = run.error();
        assert_eq!(title, "Proxy variable holds no proxy URL");
        assert!(text.contains("HTTPS_PROXY"), "{text}");
        assert!(site.requests().is_empty(), "{:?}", site.requests());
    }
    assert!(fake.purges().is_empty());
}

/// `wait_timeout_seconds` bounds a poll under way: a site that does not answer within it ends the
/// wait at the limit, not at `timeout_seconds`, and the message names the limit.
#[tokio::test]
async fn a_poll_under_way_ends_with_the_wait() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page("/version.txt", Page::fault(Fault::Hang));
    let started = Instant::now();
    let run = waiting(&fake, &site, VERSION)
        .input("timeout_seconds", "40")
        .input("wait_timeout_seconds", "1")
        .run()
        .await;
    run.assert_failed(1, "origin-not-updated");
    run.assert_secret_hidden(CFUT_TOKEN);
    // The wait's 1 s (a poll on the test's clock: 400 ms), not the 10 s (40 test seconds of
    // 250 ms) of timeout_seconds.
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let (_, text) = run.error();
    assert!(text.contains("within 1 second"), "{text}");
    assert!(fake.purges().is_empty());
}

/// Every poll failed on TLS: the build's state is unknown, and the advice is `ca_certificates`,
/// not the deploy.
#[tokio::test]
async fn a_wait_whose_polls_all_failed_on_tls_names_ca_certificates() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page("/version.txt", new_build());
    let run = waiting(&fake, &site, VERSION)
        .input("ca_certificates", "")
        .input("wait_timeout_seconds", "3")
        .run()
        .await;
    run.assert_failed(1, "origin-not-updated");
    run.assert_secret_hidden(CFUT_TOKEN);
    let (_, text) = run.error();
    assert!(text.contains("ca_certificates"), "{text}");
    assert!(!text.contains("deploy"), "{text}");
    assert!(fake.purges().is_empty());
}

/// Smaller rules of §11: verify mode says with a notice that it does not wait; a dry run whose one
/// request gets a Cloudflare HIT without the text warns `wait-url-cached`; two URLs in `wait_for`
/// are invalid input; a redirect whose Location holds the text is not live.
#[tokio::test]
async fn notices_dry_run_cache_two_urls_and_redirects() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.page("/version.txt", old_build());
    let verify = waiting(&fake, &site, VERSION)
        .input("mode", "verify")
        .run()
        .await;
    verify.assert_secret_hidden(CFUT_TOKEN);
    assert!(
        verify
            .stdout
            .lines()
            .any(|l| l.starts_with("::notice") && l.contains("not used in mode: verify")),
        "{}",
        verify.stdout
    );
    site.page(
        "/cached.txt",
        Page::cloudflare(200, Some("HIT"), Some(10)).body("old"),
    );
    let dry = waiting(&fake, &site, "https://www.example.com/cached.txt")
        .input("dry_run", "true")
        .run()
        .await;
    dry.assert_secret_hidden(CFUT_TOKEN);
    assert_eq!(dry.output("warnings"), "wait-url-cached", "{}", dry.stdout);
    let two = waiting(
        &fake,
        &site,
        &format!("{VERSION} https://www.example.com/b"),
    )
    .run()
    .await;
    two.assert_failed(2, "invalid-input");
    assert!(two.error().1.contains("`wait_for`"), "{}", two.error().1);
    site.page(
        "/moved.txt",
        Page::cloudflare(302, None, None)
            .header("location", &format!("https://www.example.com/{SHA}")),
    );
    let moved = waiting(&fake, &site, "https://www.example.com/moved.txt")
        .input("wait_timeout_seconds", "2")
        .run()
        .await;
    moved.assert_secret_hidden(CFUT_TOKEN);
    // origin-not-updated: nothing purged, and the redirect is not called an answer with the text.
    moved.assert_failed(1, "origin-not-updated");
    let text = moved.error().1;
    assert!(text.contains("without the text"), "{text}");
}
