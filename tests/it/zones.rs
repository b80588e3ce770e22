//! Several zones in one step (contract §7): routing, validation before any purge, lanes per account
//! and plan, partial refusals, verify mode, outputs.

use std::time::Duration;

use serde_json::json;

use crate::support::*;

async fn fake() -> Fake {
    Fake::with_token(CFUT_TOKEN, Token::everywhere()).await
}

fn action(fake: &Fake, zones: &str) -> Action {
    Action::new(fake).token(CFUT_TOKEN).input("zone", zones)
}

#[tokio::test]
async fn each_item_goes_to_the_zone_of_its_host_and_the_longest_name_wins() {
    let fake = fake().await;
    fake.add_zone(zone_json(
        "6c7d8e9f0a1b2c3d4e5f60718293a4b5",
        "cdn.example.com",
        "free",
        "active",
        ACCOUNT_ID,
    ));
    fake.add_token(
        CFUT_TOKEN,
        Token {
            read: vec![ZONE_ID, SHOP_ZONE_ID, "6c7d8e9f0a1b2c3d4e5f60718293a4b5"],
            purge: vec![ZONE_ID, SHOP_ZONE_ID, "6c7d8e9f0a1b2c3d4e5f60718293a4b5"],
            ..Token::user()
        },
    );
    let run = action(
        &fake,
        &format!("example.com, {SHOP_ZONE_ID}\ncdn.example.com"),
    )
    .input(
        "files",
        "https://www.example.com/a.css https://shop.example/b.js https://img.cdn.example.com/c.png",
    )
    .input("hosts", "www.example.com shop.example")
    .input("prefixes", "cdn.example.com/img/ shop.example/cart/")
    .run()
    .await;
    run.assert_ok("purged");
    let cdn = "6c7d8e9f0a1b2c3d4e5f60718293a4b5";
    assert_eq!(
        fake.purged_in(ZONE_ID),
        ["https://www.example.com/a.css", "www.example.com"]
    );
    assert_eq!(
        fake.purged_in(SHOP_ZONE_ID),
        [
            "https://shop.example/b.js",
            "shop.example",
            "shop.example/cart/"
        ]
    );
    assert_eq!(
        fake.purged_in(cdn),
        ["https://img.cdn.example.com/c.png", "cdn.example.com/img/"]
    );
    assert_eq!(run.output("purged_count"), "7");
    assert_eq!(
        run.output("zone_id"),
        format!("{ZONE_ID},{SHOP_ZONE_ID},{cdn}")
    );
    assert_eq!(
        run.output("zone_name"),
        "example.com,shop.example,cdn.example.com"
    );
}

#[tokio::test]
async fn paths_tags_and_everything_go_to_every_zone() {
    let fake = fake().await;
    let run = action(&fake, "example.com shop.example")
        .input("files", "/, /app.css")
        .input("tags", "release-42")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.purged_in(ZONE_ID),
        [
            "https://example.com/",
            "https://example.com/app.css",
            "release-42"
        ]
    );
    assert_eq!(
        fake.purged_in(SHOP_ZONE_ID),
        [
            "https://shop.example/",
            "https://shop.example/app.css",
            "release-42"
        ]
    );
    assert_eq!(run.output("purged_count"), "6");

    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    let run = action(&fake, &format!("{ZONE_ID},{ENT_ZONE_ID}"))
        .input("purge_everything", "true")
        .run()
        .await;
    run.assert_ok("purged");
    for zone in [ZONE_ID, ENT_ZONE_ID] {
        assert_eq!(
            fake.purges_of(zone)[0].body,
            Some(json!({"purge_everything": true}))
        );
    }
}

#[tokio::test]
async fn with_base_url_paths_are_urls_routed_to_their_zone() {
    let fake = fake().await;
    let run = action(&fake, "example.com shop.example")
        .input("files", "/docs/a.html")
        .input("base_url", "https://shop.example")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(
        fake.purged_in(SHOP_ZONE_ID),
        ["https://shop.example/docs/a.html"]
    );
    assert!(fake.purges_of(ZONE_ID).is_empty());
}

#[tokio::test]
async fn an_item_in_no_listed_zone_fails_before_any_request_or_any_purge() {
    // By name: decided offline, nothing sent at all.
    let fake = fake().await;
    let run = action(&fake, "example.com shop.example")
        .input("files", "https://example.com/a")
        .input("hosts", "www.other.example")
        .run()
        .await;
    run.assert_failed(2, "url-outside-zone");
    let text = run.error().1;
    assert!(
        text.contains(
            "1 item is not in any of the zones example.com, shop.example: www.other.example"
        ),
        "{text}"
    );
    assert!(fake.received().is_empty(), "{:?}", fake.paths());

    // By ID: decided once the names are known, before the first purge; still exit 2.
    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    let run = action(&fake, &format!("{ZONE_ID} {SHOP_ZONE_ID}"))
        .input("prefixes", "example.com/blog/ other.example/blog/")
        .run()
        .await;
    run.assert_failed(2, "url-outside-zone");
    assert!(
        run.error().1.contains("other.example/blog/"),
        "{}",
        run.stdout
    );
    assert!(fake.purges().is_empty());
    assert_eq!(
        fake.checks(),
        checks_sorted([
            "GET /user/tokens/verify".to_string(),
            format!("GET /zones/{ZONE_ID}"),
            format!("GET /zones/{SHOP_ZONE_ID}"),
        ])
    );
}

#[tokio::test]
async fn one_zone_that_cannot_be_resolved_stops_the_run_with_nothing_purged() {
    let fake = fake().await;
    let run = action(&fake, "example.com nosuch.example shop.example")
        .input("tags", "t")
        .run()
        .await;
    run.assert_failed(1, "zone-not-found");
    assert!(run.error().1.contains("nosuch.example"), "{}", run.stdout);
    assert!(fake.purges().is_empty());
    assert_eq!(run.output("zone_id"), "");
}

#[tokio::test]
async fn a_zone_listed_by_id_and_by_name_counts_once() {
    let fake = fake().await;
    let run = action(&fake, &format!("example.com, {ZONE_ID}"))
        .input("tags", "t")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(fake.purges().len(), 1);
    assert_eq!(run.output("zone_id"), ZONE_ID);
    assert_eq!(run.output("zone_name"), ZONE_NAME);
}

#[tokio::test]
async fn a_zone_the_token_may_not_purge_fails_alone_and_failed_lists_exactly_its_items() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            read: vec![ZONE_ID, SHOP_ZONE_ID],
            purge: vec![ZONE_ID],
            ..Token::user()
        },
    )
    .await;
    let shop = urls(150, SHOP_ZONE_NAME);
    let mine = urls(250, ZONE_NAME);
    let files = [mine.clone(), shop.clone()].concat().join("\n");
    let run = action(&fake, "example.com shop.example")
        .input("files", &files)
        .run()
        .await;
    run.assert_failed(1, "purge-permission-missing");
    assert!(
        run.error().1.contains("the zone shop.example"),
        "{}",
        run.stdout
    );
    assert_eq!(
        fake.purged_in(ZONE_ID),
        mine,
        "the other zone is purged in full"
    );
    assert_eq!(run.output("purged_count"), "250");
    assert_eq!(run.output("failed"), shop.join("\n"));
    assert!(
        run.stdout
            .contains("shop.example: 150 of 150 items not purged"),
        "{}",
        run.stdout
    );
    assert!(
        run.summary.contains(&format!(
            "| shop.example | {SHOP_ZONE_ID} | Free | 0/2 | 0 | 150 (`purge-permission-missing`) |"
        )),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains(&format!(
            "| example.com | {ZONE_ID} | Free | 3/3 | 250 | 0 |"
        )),
        "{}",
        run.summary
    );
    assert!(
        fake.purges_of(SHOP_ZONE_ID).len() <= 2,
        "a refusal is not retried, and stops the zone's batches not yet sent"
    );
}

#[tokio::test]
async fn verify_mode_proves_the_permission_in_every_zone() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            read: vec![ZONE_ID, SHOP_ZONE_ID],
            purge: vec![ZONE_ID],
            ..Token::user()
        },
    )
    .await;
    let run = action(&fake, "example.com shop.example")
        .input("mode", "verify")
        .run()
        .await;
    run.assert_failed(1, "purge-permission-missing");
    assert_eq!(fake.purges_of(ZONE_ID).len(), 1);
    assert_eq!(fake.purges_of(SHOP_ZONE_ID).len(), 1);
    assert!(
        run.summary
            .contains("| Purge permission | ✓ | example.com: proven by purging"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("| Purge permission | ✗ | shop.example:"),
        "{}",
        run.summary
    );

    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    let run = action(&fake, "example.com shop.example")
        .input("mode", "verify")
        .run()
        .await;
    run.assert_ok("verified");
    assert_eq!(
        fake.purged_in(SHOP_ZONE_ID),
        ["https://shop.example/.well-known/cloudflare-purge-permission-check"]
    );
}

/// A health check of several zones: each zone whose permission is not proven gets its own
/// annotation naming it, as in a purge; `cause` is the first in the order given.
#[tokio::test]
async fn verify_mode_annotates_every_zone_whose_permission_fails() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            read: vec![ZONE_ID, SHOP_ZONE_ID, ENT_ZONE_ID],
            purge: vec![ZONE_ID],
            ..Token::user()
        },
    )
    .await;
    let run = action(
        &fake,
        &format!("{SHOP_ZONE_NAME} example.com {ENT_ZONE_NAME}"),
    )
    .input("mode", "verify")
    .run()
    .await;
    run.assert_failed(1, "purge-permission-missing");
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stdout);
    for ((title, text), zone) in errors.iter().zip([SHOP_ZONE_NAME, ENT_ZONE_NAME]) {
        assert_eq!(
            title, "Token lacks Cache Purge permission",
            "{}",
            run.stdout
        );
        assert!(text.starts_with(&format!("In the zone {zone}: ")), "{text}");
    }
    run.assert_secret_hidden(CFUT_TOKEN);
}

#[tokio::test]
async fn a_dry_run_prints_the_plan_of_each_zone() {
    let fake = fake().await;
    let run = action(&fake, &format!("example.com {ENT_ZONE_ID}"))
        .input("files", "/a /b")
        .input("dry_run", "true")
        .run()
        .await;
    run.assert_ok("planned");
    assert!(fake.purges().is_empty());
    assert!(
        run.stdout
            .contains("::group::Dry run: example.com: 1 request (Free plan limits)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("::group::Dry run: big.example: 1 request (Enterprise plan limits)"),
        "{}",
        run.stdout
    );
    assert!(run
        .summary
        .contains("Dry run: 2 batches planned, nothing sent."));
}

#[tokio::test]
async fn zones_of_one_account_and_plan_share_its_buckets_without_a_429() {
    let fake = fake().await;
    fake.enforce_paced_rates(0.0, PACE);
    let a = urls(600, ZONE_NAME);
    let b = urls(600, SHOP_ZONE_NAME);
    let run = action(&fake, "example.com shop.example")
        .files_from(&[a, b].concat().join("\n"))
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("purged_count"), "1200");
    let refused = fake.answered().iter().filter(|(_, s)| *s == 429).count();
    assert_eq!(refused, 0, "the two zones were paced as one bucket");
    let purges = fake.purges();
    // 1,200 URLs against one bucket of 800 a second: the last cannot go before 0.5 s (0.5 s / PACE
    // here, the buckets refilling PACE times as fast).
    let span = purges.last().unwrap().at.duration_since(purges[0].at);
    assert!(span >= Duration::from_secs_f64(0.45 / PACE), "{span:?}");
}

#[tokio::test]
async fn a_rate_limited_zone_does_not_hold_back_another_accounts_batches() {
    // Nine Free batches answered 429 hold every request slot of their lane while they wait to be
    // sent again; the Enterprise zone is another lane, so its batches go out at once.
    let fake = fake().await;
    // The Free account's purge bucket (1134), not the global limit that holds every request.
    let limited = Reply::json(429, purge_rate_limit()).header("retry-after", "1");
    let free = format!("/zones/{ZONE_ID}/purge_cache");
    fake.script(move |r| r.path == free, None, limited);
    let run = action(&fake, &format!("example.com {ENT_ZONE_NAME}"))
        .input(
            "files",
            &[urls(900, ZONE_NAME), urls(2000, ENT_ZONE_NAME)]
                .concat()
                .join(" "),
        )
        .run_with(cloudflare_purge::RetryPolicy {
            max_attempts: 2,
            ..POLICY
        })
        .await;
    run.assert_failed(1, "rate-limited");
    assert_eq!(fake.purged_in(ENT_ZONE_ID).len(), 2000);
    let free = fake.purges_of(ZONE_ID);
    assert_eq!(free.len(), 9 * 2, "nine batches, two attempts each");
    let first_retry = free[9].at;
    let last_enterprise = fake.purges_of(ENT_ZONE_ID).last().unwrap().at;
    assert!(
        last_enterprise < first_retry,
        "the Enterprise zone's batches waited for the Free zone's 429s"
    );
    assert_eq!(run.output("failed"), urls(900, ZONE_NAME).join("\n"));
}

/// Contract §7: every zone that failed gets its own annotation naming the zone, its cause and its
/// fix; `cause` is the first failing zone's, in the order given.
#[tokio::test]
async fn every_failing_zone_gets_its_own_annotation() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            read: vec![ENT_ZONE_ID, SHOP_ZONE_ID],
            purge: vec![ENT_ZONE_ID],
            ..Token::user()
        },
    )
    .await;
    let failing = format!("/zones/{ENT_ZONE_ID}/purge_cache");
    fake.script(move |r| r.path == failing, None, Reply::html(502));
    let run = action(&fake, &format!("{ENT_ZONE_NAME} {SHOP_ZONE_NAME}"))
        .input("tags", "a")
        .run()
        .await;
    run.assert_failed(1, "cloudflare-unavailable");
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stdout);
    assert_eq!(errors[0].0, "Cloudflare API unavailable", "{}", run.stdout);
    assert!(errors[0].1.contains(ENT_ZONE_NAME), "{}", run.stdout);
    assert_eq!(
        errors[1].0, "Token lacks Cache Purge permission",
        "{}",
        run.stdout
    );
    assert!(errors[1].1.contains(SHOP_ZONE_NAME), "{}", run.stdout);
    assert!(
        errors[1].1.contains("api-tokens?permissionGroupKeys="),
        "{}",
        errors[1].1
    );
    assert_eq!(run.output("warnings"), "");
}

/// One way of counting everywhere: an item is counted once per zone it was sent to, in
/// `purged_count`, `failed_count`, the summary and the log; `failed` lists a tag once, since given
/// back it goes to every zone again.
#[tokio::test]
async fn tags_failing_in_two_zones_are_counted_alike_everywhere() {
    let fake = Fake::with_token(
        CFUT_TOKEN,
        Token {
            read: vec![ZONE_ID, SHOP_ZONE_ID],
            purge: vec![],
            ..Token::user()
        },
    )
    .await;
    let run = action(&fake, "example.com shop.example")
        .input("tags", "a b")
        .run()
        .await;
    run.assert_failed(1, "purge-permission-missing");
    assert_eq!(run.output("purged_count"), "0");
    assert_eq!(run.output("failed_count"), "4");
    assert_eq!(run.output("failed").lines().count(), 2);
    assert!(run.summary.contains("0 of 4 items"), "{}", run.summary);
    assert!(
        run.summary.contains("0 items purged, 4 not purged"),
        "{}",
        run.summary
    );
}

#[tokio::test]
async fn many_zones_are_read_from_the_zone_list_not_one_by_one() {
    let fake = Fake::start().await;
    let ids = fake.add_zones(12);
    let mut token = Token::everywhere();
    token.read.extend(&ids);
    token.purge.extend(&ids);
    fake.add_token(CFUT_TOKEN, token);
    let files: Vec<String> = (0..12)
        .map(|i| format!("https://z{i}.example/a.css"))
        .collect();
    let run = action(&fake, &ids.join(" "))
        .input("files", &files.join("\n"))
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(fake.purges().len(), 12);
    let reads: Vec<String> = fake
        .received()
        .iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/zones"))
        .map(|r| format!("{}?{}", r.path, r.query))
        .collect();
    // 12 zones and the standard world's 4: one page of 50.
    assert_eq!(reads, ["/zones?per_page=50&page=1"]);
}
