//! Purges Cloudflare would accept and that would evict nothing, decided offline (issue 12): wildcards
//! in file URLs, prefixes and hosts Cloudflare cannot purge, and the repairs of pasted ones; and the
//! prefix limit Cloudflare may still enforce.

use serde_json::json;

use crate::support::*;

async fn offline_run(input: &str, value: &str) -> (Fake, Run) {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input(input, value)
        .run_binary()
        .await;
    (fake, run)
}

#[tokio::test]
async fn a_wildcard_in_a_file_url_is_refused_and_prefixes_are_named() {
    let (fake, run) = offline_run(
        "files",
        "https://example.com/assets/* https://example.com/a.css",
    )
    .await;
    run.assert_failed(2, "files-wildcard");
    let text = run.error().1;
    assert!(text.contains("https://example.com/assets/*"), "{text}");
    assert!(
        text.contains("`prefixes`") && text.contains("example.com/assets/"),
        "{text}"
    );
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn prefixes_cloudflare_cannot_purge_are_refused_with_the_reason() {
    let deep = format!("example.com{}", "/d".repeat(32));
    let cases = [
        ("example.com/search?q=1", "no query string"),
        ("example.com/page#top", "no fragment"),
        ("example.com/assets/*", "wildcard"),
        ("/blog/", "starts with the host name"),
        (deep.as_str(), "more than 31 / separators"),
    ];
    for (prefix, why) in cases {
        let (fake, run) = offline_run("prefixes", prefix).await;
        run.assert_failed(2, "invalid-prefix");
        let text = run.error().1;
        assert!(
            text.contains(why) && text.contains(prefix),
            "{prefix}: {text}"
        );
        assert!(fake.received().is_empty(), "{prefix}");
    }
}

#[tokio::test]
async fn hosts_with_a_path_port_user_or_wildcard_are_refused() {
    let cases = [
        ("www.example.com/blog", "no path"),
        ("www.example.com:8443", "no port"),
        ("user@www.example.com", "no user name"),
        ("*.example.com", "wildcard"),
        ("not_a_host", "not a host name"),
    ];
    for (host, why) in cases {
        let (fake, run) = offline_run("hosts", host).await;
        run.assert_failed(2, "invalid-host");
        let text = run.error().1;
        assert!(text.contains(why) && text.contains(host), "{host}: {text}");
        assert!(fake.received().is_empty(), "{host}");
    }
}

#[tokio::test]
async fn a_pasted_scheme_or_trailing_slash_is_repaired_with_a_warning_naming_each_item() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("hosts", "https://www.example.com/ img.example.com")
        .input("prefixes", "HTTPS://example.com/blog/")
        .run_binary()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("warnings"), "item-repaired");
    let (title, text) = run.warnings()[0].clone();
    assert_eq!(title, "Host or prefix repaired");
    assert!(
        text.contains("https://www.example.com/ → www.example.com")
            && text.contains("HTTPS://example.com/blog/ → example.com/blog/"),
        "{text}"
    );
    // The hosts' batch and the prefixes' batch may arrive in either order.
    let mut purged = fake.purged_in(ZONE_ID);
    purged.sort();
    assert_eq!(
        purged,
        ["example.com/blog/", "img.example.com", "www.example.com"]
    );
}

#[tokio::test]
async fn hosts_and_prefixes_outside_the_zone_are_refused_before_any_request() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ZONE_NAME)
        .input("hosts", "www.example.com www.example.org")
        .input("prefixes", "other.example/blog/")
        .run_binary()
        .await;
    run.assert_failed(2, "url-outside-zone");
    let text = run.error().1;
    assert!(
        text.contains("www.example.org, other.example/blog/"),
        "{text}"
    );
    assert!(fake.received().is_empty());
}

fn prefixes(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("example.com/p{i}/")).collect()
}

/// Every item of the purges Cloudflare accepted (answered 200), sorted.
fn accepted_sorted(fake: &Fake) -> Vec<String> {
    let accepted = fake
        .answered()
        .into_iter()
        .filter(|(r, s)| r.is_purge() && *s == 200);
    sorted(
        &accepted
            .flat_map(|(r, _)| r.purged_items())
            .collect::<Vec<_>>(),
    )
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut items = items.to_vec();
    items.sort();
    items
}

#[tokio::test]
async fn a_prefix_limit_cloudflare_names_rebatches_the_rest_and_loses_nothing() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.limit_prefixes(30, 30);
    let all = prefixes(150);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("prefixes", &all.join("\n"))
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("purged_count"), "150");
    assert_eq!(
        accepted_sorted(&fake),
        sorted(&all),
        "every prefix accepted exactly once"
    );
    assert!(fake.purges().iter().all(|p| p.purged_items().len() <= 100));
    assert!(
        run.summary
            .contains("Cloudflare took at most 30 prefixes a request"),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn a_url_limit_cloudflare_names_rebatches_the_rest_at_it_and_loses_nothing() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    // Some zones still refuse more than 30 URLs a request (cloudflare-docs#21338, users in 2026).
    fake.limit_urls(30, 30);
    let all = urls(250, ZONE_NAME);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &all.join("\n"))
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("purged_count"), "250");
    assert_eq!(run.output("failed"), "");
    assert_eq!(
        accepted_sorted(&fake),
        sorted(&all),
        "every URL accepted exactly once"
    );
    let refused = fake
        .answered()
        .into_iter()
        .filter(|(r, s)| r.is_purge() && *s == 400)
        .count();
    assert!(
        (1..=3).contains(&refused),
        "batches of 100 are refused until the limit is learned, then none: {refused}"
    );
    assert!(
        run.summary
            .contains("Cloudflare took at most 30 URLs a request"),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn smaller_batches_refused_too_fail_without_a_loop() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    // Cloudflare names 30, yet refuses anything over 10: the parts of 30 are refused, and not split again.
    fake.limit_prefixes(10, 30);
    let all = prefixes(60);
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("prefixes", &all.join("\n"))
        .run()
        .await;
    run.assert_failed(1, "purge-rejected");
    assert_eq!(
        fake.purges().len(),
        1 + 2,
        "one batch of 60, then two of 30"
    );
    let failed: Vec<String> = all
        .iter()
        .map(|p| json!({ "prefix": p }).to_string())
        .collect();
    assert_eq!(run.output("failed"), failed.join("\n"));
}

/// An invisible character in a URL's host passes the zone check once IDNA maps it away, but
/// Cloudflare refuses the raw URL and with it the whole batch: it is refused offline, named with
/// its position (issue 19, item 8).
#[tokio::test]
async fn an_invisible_character_in_a_host_is_refused_offline_and_named() {
    for (url, named, at) in [
        (
            "https://www.exam\u{ad}ple.com/app.css",
            "U+00AD",
            "character 17",
        ),
        (
            "https://www.exam\u{200b}ple.com/app.css",
            "U+200B",
            "character 17",
        ),
        (
            "https://www.example\u{ff0e}com/app.css",
            "U+FF0E",
            "character 20",
        ),
    ] {
        let (fake, run) = offline_run("files", &format!("{url} https://example.com/a.css")).await;
        run.assert_failed(2, "invalid-url");
        let text = run.error().1;
        assert!(text.contains(named) && text.contains(at), "{url}: {text}");
        assert!(fake.received().is_empty());
    }
}

/// One 32 KiB limit for a URL in every input: `files` refuses what `files_from` refuses, before any
/// request (a 414 would fail its whole batch).
#[tokio::test]
async fn a_url_over_32_kib_is_refused_from_files_as_from_files_from() {
    let long = format!("https://example.com/{}", "a".repeat(32 * 1024));
    let (fake, run) = offline_run("files", &format!("{long} https://example.com/a.css")).await;
    run.assert_failed(2, "invalid-url");
    assert!(run.error().1.contains("32 KiB"), "{}", run.error().1);
    assert!(fake.received().is_empty());
}

/// A 414 (or 413) from the purge names the batch's longest item, not `api_url`.
#[tokio::test]
async fn a_414_from_the_purge_names_the_item_not_api_url() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake.script(|r| r.is_purge(), None, Reply::html(414));
    let long = format!("https://example.com/{}", "b".repeat(2000));
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files", &format!("https://example.com/a.css {long}"))
        .run()
        .await;
    run.assert_failed(1, "purge-rejected");
    let text = run.error().1;
    assert!(!text.contains("api_url"), "{text}");
    assert!(
        text.contains("414") && text.contains("https://example.com/bbbb"),
        "{text}"
    );
}
