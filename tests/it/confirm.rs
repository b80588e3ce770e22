//! `confirm` (contract §10) end to end: a run purges through the fake API, then checks the purged
//! URLs at the fake site, reached as a user behind a proxy reaches a real one (`HTTPS_PROXY` to a
//! CONNECT proxy, `NO_PROXY` for the loopback API, the fake's CA in `ca_certificates`).

use std::time::{Duration, Instant};

use crate::support::site::{FakeSite, Fault, Page};
use crate::support::*;

/// A run with `confirm` behind the fake site's proxy, trusting its CA.
fn action(fake: &Fake, site: &FakeSite) -> Action {
    let mut action = Action::new(fake)
        .workspace_file("site-ca.pem", &site.ca_pem)
        .input("ca_certificates", "site-ca.pem")
        .input("confirm", "true");
    for (name, value) in site.env() {
        action = action.env(&name, &value);
    }
    action
}

async fn started() -> (Fake, FakeSite) {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    (fake, site)
}

fn www(paths: &[&str]) -> String {
    let urls: Vec<String> = paths
        .iter()
        .map(|p| format!("https://www.example.com{p}"))
        .collect();
    urls.join("\n")
}

/// The `confirm:` log lines, one per checked URL.
fn checked_lines(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .filter(|l| l.starts_with("confirm: ") && l.contains("CF-Cache-Status"))
        .collect()
}

#[tokio::test]
async fn every_verdict_is_reported_and_an_old_hit_fails_the_step() {
    let (fake, site) = started().await;
    let cf = Page::cloudflare;
    site.page("/miss", cf(200, Some("MISS"), None));
    site.page("/expired", cf(200, Some("EXPIRED"), Some(0)));
    site.page("/young", cf(200, Some("HIT"), Some(0)));
    site.page("/old", cf(200, Some("HIT"), Some(3600)));
    site.page(
        "/dynamic",
        cf(200, Some("DYNAMIC"), None)
            .header("x-served-by", "cache-fra-eddf8230059-FRA")
            .header("via", "1.1 varnish"),
    );
    site.page(
        "/pages",
        Page::direct(200)
            .header("x-served-by", "cache-fra-1-FRA")
            .header("x-cache", "HIT"),
    );
    site.page(
        "/redirect",
        cf(301, None, None).header("location", "https://www.example.com/new"),
    );
    site.page(
        "/challenge",
        cf(403, Some("DYNAMIC"), None).header("cf-mitigated", "challenge"),
    );
    let paths = [
        "/miss",
        "/expired",
        "/young",
        "/old",
        "/dynamic",
        "/pages",
        "/redirect",
        "/challenge",
    ];
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("files", &www(&paths))
        .run()
        .await;
    run.assert_failed(1, "purge-no-effect");
    assert_eq!(run.output("confirmed"), "3/8");
    // The purge itself stands: every item accepted, none failed.
    assert_eq!(run.output("purged_count"), "8");
    assert_eq!(run.output("failed"), "");
    let (title, text) = run.error();
    assert_eq!(title, "Purge had no effect");
    assert!(text.contains("https://www.example.com/old"), "{text}");
    assert!(text.contains("Age 3600"), "{text}");
    assert!(text.contains("Cache Rule"), "{text}");
    assert_eq!(
        run.output("warnings"),
        "not-cached,not-proxied,purged-redirect,confirm-failed"
    );
    let warnings = run.warnings();
    let text_of = |title: &str| {
        let found = warnings.iter().find(|(t, _)| t == title);
        found.map(|(_, text)| text.clone()).unwrap_or_default()
    };
    assert!(text_of("Checked URL not cached by Cloudflare").contains("Fastly"));
    assert!(text_of("Host not served through Cloudflare").contains("Fastly"));
    assert!(text_of("Checked URL is a redirect").contains("https://www.example.com/new"));
    assert!(text_of("Purge could not be checked").contains("challenge"));
    assert_eq!(checked_lines(&run).len(), 8, "{}", run.stdout);
    assert!(run.summary.contains("| Checked URL |"), "{}", run.summary);
    assert!(
        run.summary
            .contains("| https://www.example.com/old | 200 | HIT | 3600 | ✗ purge-no-effect |"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("3/8 URLs evicted"), "{}", run.summary);
}

#[tokio::test]
async fn with_invalidate_revalidated_and_expired_count_and_an_old_hit_was_not_invalidated() {
    let (fake, site) = started().await;
    let cf = Page::cloudflare;
    site.page("/revalidated", cf(200, Some("REVALIDATED"), Some(0)));
    site.page("/expired", cf(200, Some("EXPIRED"), None));
    site.page("/old", cf(200, Some("HIT"), Some(3600)));
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("invalidate", "true")
        .input("files", &www(&["/revalidated", "/expired", "/old"]))
        .run()
        .await;
    run.assert_secret_hidden(CFUT_TOKEN);
    run.assert_failed(1, "purge-no-effect");
    assert_eq!(run.output("confirmed"), "2/3");
    assert_eq!(run.output("purged_count"), "3");
    let (_, text) = run.error();
    assert!(text.contains("accepted the invalidation"), "{text}");
    assert!(text.contains("did not mark stale"), "{text}");
    assert!(text.contains("https://www.example.com/old"), "{text}");
    let sent = fake.received();
    assert!(sent.iter().any(Received::is_invalidation), "{sent:?}");
    assert!(
        !sent.iter().any(|r| r.path.ends_with("/purge_cache")),
        "{sent:?}"
    );
}

#[tokio::test]
async fn what_the_fake_api_purged_is_proven_evicted() {
    let (fake, site) = started().await;
    site.react_to(&fake);
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("zone", ZONE_NAME)
        .input("files", "https://www.example.com/app.js /style.css")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("confirmed"), "2/2");
    assert_eq!(run.output("warnings"), "");
    let checked: Vec<String> = site
        .requests()
        .iter()
        .map(|r| format!("{} {}{}", r.method, r.host, r.path))
        .collect();
    assert_eq!(
        checked.len(),
        2,
        "one GET per URL, no redirect followed: {checked:?}"
    );
    assert!(checked.contains(&"GET www.example.com/app.js".to_string()));
    assert!(checked.contains(&"GET example.com/style.css".to_string()));
    assert!(run.summary.contains("| ✓ evicted |"), "{}", run.summary);
}

#[tokio::test]
async fn no_credential_reaches_the_site_and_cache_key_headers_do() {
    let (fake, site) = started().await;
    fake.add_key(EMAIL, GLOBAL_KEY);
    site.react_to(&fake);
    let files =
        r#"[{"url": "https://www.example.com/m.css", "headers": {"CF-Device-Type": "mobile"}}]"#;
    let token_run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("files", files)
        .run()
        .await;
    token_run.assert_ok("purged");
    let key_run = action(&fake, &site)
        .input("email", EMAIL)
        .secret("global_api_key", GLOBAL_KEY)
        .input("files", files)
        .run()
        .await;
    key_run.assert_ok("purged");
    let requests = site.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert!(request.tls, "through the CONNECT tunnel over TLS");
        for (name, value) in &request.headers {
            assert!(
                name != "authorization" && !name.starts_with("x-auth-"),
                "{name} sent to the site"
            );
            for secret in [CFUT_TOKEN, GLOBAL_KEY, EMAIL] {
                assert!(!value.contains(secret), "{name} carries a credential");
            }
        }
        assert_eq!(request.headers["cf-device-type"], "mobile");
        let agent = &request.headers["user-agent"];
        assert!(agent.starts_with("cloudflare-purge/"), "{agent}");
    }
    for (_, headers) in site.connects() {
        assert!(!headers.contains_key("proxy-authorization"));
    }
}

#[tokio::test]
async fn a_site_that_hangs_resets_fails_or_answers_garbage_leaves_the_purge_standing() {
    let (fake, site) = started().await;
    site.page("/hang", Page::fault(Fault::Hang));
    site.page("/reset", Page::fault(Fault::Reset));
    site.page("/garbage", Page::fault(Fault::Garbage));
    site.page("/error", Page::cloudflare(502, Some("DYNAMIC"), None));
    let started = Instant::now();
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("timeout_seconds", "1")
        .input("files", &www(&["/hang", "/reset", "/garbage", "/error"]))
        .run()
        .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    run.assert_ok("purged");
    assert_eq!(run.output("confirmed"), "0/4");
    assert_eq!(run.output("purged_count"), "4");
    // Four different problems: a warning each, in its own words; the code once in `warnings`.
    // (URLs with the same problem share one: confirm::one_warning_per_cause_names_its_urls.)
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert!(warnings
        .iter()
        .all(|(t, _)| t == "Purge could not be checked"));
    assert_eq!(run.output("warnings"), "confirm-failed");
    let texts: Vec<&str> = warnings.iter().map(|(_, text)| text.as_str()).collect();
    for (word, url) in [
        ("timed out", "/hang"),
        ("closed before an answer", "/reset"),
        ("no HTTP answer", "/garbage"),
        ("HTTP 502", "/error"),
    ] {
        let text = texts.iter().find(|t| t.contains(word));
        assert!(text.is_some_and(|t| t.contains(url)), "{word}: {texts:?}");
        assert!(
            texts.iter().filter(|t| t.contains(word)).count() == 1,
            "{texts:?}"
        );
    }
    for word in [
        "timed out",
        "closed before an answer",
        "no HTTP answer",
        "HTTP 502",
    ] {
        assert!(run.stdout.contains(word), "{word}: {}", run.stdout);
    }
}

#[tokio::test]
async fn a_confirm_url_outside_every_zone_is_refused_before_any_request() {
    let (fake, site) = started().await;
    // By name: offline. By ID: once the name is known, before the purge.
    for zone in [ZONE_NAME, ZONE_ID] {
        let run = action(&fake, &site)
            .token(CFUT_TOKEN)
            .input("zone", zone)
            .input("tags", "release")
            .input(
                "confirm_urls",
                "https://www.example.com/ https://elsewhere.example/",
            )
            .run()
            .await;
        run.assert_failed(2, "url-outside-zone");
        let (_, text) = run.error();
        assert!(text.contains("https://elsewhere.example/"), "{text}");
        assert!(!text.contains("https://www.example.com/"), "{text}");
        // The fix names the input the URL came from.
        assert!(text.contains("`confirm_urls`"), "{text}");
    }
    assert!(fake.purges().is_empty());
    assert!(site.requests().is_empty());
    assert!(site.connects().is_empty());
}

#[tokio::test]
async fn tags_are_checked_at_confirm_urls_and_without_them_a_notice_says_nothing_was() {
    let (fake, site) = started().await;
    site.page("/tagged", Page::cloudflare(200, Some("MISS"), None));
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("tags", "release")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("confirmed"), "0/0");
    // No ✓ for a check that checked nothing.
    assert!(
        run.summary
            .contains("| Purge took effect | ⚠ | nothing checked"),
        "{}",
        run.summary
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("::notice::") && l.contains("confirm_urls")),
        "{}",
        run.stdout
    );
    assert!(site.requests().is_empty());
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("tags", "release")
        .input("confirm_urls", "https://www.example.com/tagged")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("confirmed"), "1/1");
    assert_eq!(site.requests().len(), 1);
}

#[tokio::test]
async fn hosts_prefixes_and_everything_are_checked_at_the_url_they_stand_for() {
    let (fake, site) = started().await;
    site.react_to(&fake);
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("hosts", "www.example.com")
        .input("prefixes", "example.com/blog/")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("confirmed"), "2/2");
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("purge_everything", "true")
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("confirmed"), "1/1");
    let mut checked: Vec<String> = site
        .requests()
        .iter()
        .map(|r| format!("{}{}", r.host, r.path))
        .collect();
    checked.sort();
    assert_eq!(
        checked,
        ["example.com/", "example.com/blog/", "www.example.com/"]
    );
}

#[tokio::test]
async fn nothing_is_checked_in_a_dry_run_in_verify_mode_or_without_confirm() {
    let (fake, site) = started().await;
    site.react_to(&fake);
    let runs = [
        action(&fake, &site).input("dry_run", "true"),
        action(&fake, &site).input("mode", "verify"),
        action(&fake, &site).input("confirm", "false"),
    ];
    for action in runs {
        let run = action
            .token(CFUT_TOKEN)
            .input("files", "https://www.example.com/a.css")
            .run()
            .await;
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert_eq!(run.output("confirmed"), "");
    }
    assert!(site.requests().is_empty());
}

#[tokio::test]
async fn a_cancellation_during_the_checks_keeps_the_purge_and_reports_what_was_checked() {
    let (fake, site) = started().await;
    site.page("/fast", Page::cloudflare(200, Some("MISS"), None));
    site.page("/hang", Page::fault(Fault::Hang));
    let when = async {
        while site.requests().len() < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // The fast answer is in by now; the hanging one never comes.
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let started = Instant::now();
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("files", &www(&["/fast", "/hang"]))
        .run_cancelled_when(when)
        .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    run.assert_ok("purged");
    assert_eq!(run.output("purged_count"), "2");
    assert_eq!(run.output("confirmed"), "1/1");
    assert!(run.stdout.contains("confirm: cancelled; 1 of 2 checked"));
    assert!(
        run.summary
            .contains("| Purge took effect | ⚠ | cancelled: 1 of 2 URLs checked, 1 evicted |"),
        "{}",
        run.summary
    );
}

/// Cancelled before any check was answered: the row says the URLs were not checked, not that
/// there was none to check.
#[tokio::test]
async fn a_cancellation_before_any_check_is_answered_says_none_was() {
    let (fake, site) = started().await;
    site.page("/a", Page::fault(Fault::Hang));
    site.page("/b", Page::fault(Fault::Hang));
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("files", &www(&["/a", "/b"]))
        .run_cancelled_when(async {
            while !fake
                .answered()
                .iter()
                .any(|(r, s)| r.is_purge() && *s == 200)
            {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            // The answer is read well within this; the checks wait for the settle time, then hang.
            tokio::time::sleep(Duration::from_millis(20)).await;
        })
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("confirmed"), "0/0");
    assert!(
        run.summary
            .contains("| Purge took effect | ⚠ | cancelled: 0 of 2 URLs checked, 0 evicted |"),
        "{}",
        run.summary
    );
    run.assert_secret_hidden(CFUT_TOKEN);
}

#[tokio::test]
async fn the_built_binary_confirms_the_purge() {
    let (fake, site) = started().await;
    site.react_to(&fake);
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("files", "https://www.example.com/app.js")
        .run_binary()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("confirmed"), "1/1");
    assert_eq!(site.requests().len(), 1);
}

#[tokio::test]
async fn a_credential_in_confirm_urls_is_refused_before_anything_is_sent() {
    let (fake, site) = started().await;
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("files", "https://www.example.com/a.css")
        .input(
            "confirm_urls",
            &format!("https://www.example.com/?key={CFUT_TOKEN}"),
        )
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    let (title, text) = run.error();
    assert_eq!(title, "Credential among the items to purge");
    assert!(text.contains("`confirm_urls`"), "{text}");
    assert!(fake.answered().is_empty());
    assert!(site.requests().is_empty());
}

/// A user name or password in `confirm_urls` would be sent as `Authorization: Basic` and printed
/// with the URL: refused offline, quoted without it.
#[tokio::test]
async fn user_info_in_confirm_urls_is_refused_before_anything_is_sent() {
    let (fake, site) = started().await;
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .hide("SeCrEtPw123")
        .input("files", "https://www.example.com/a.css")
        .input(
            "confirm_urls",
            "https://user:SeCrEtPw123@www.example.com/a.css",
        )
        .run()
        .await;
    run.assert_failed(2, "invalid-input");
    run.assert_secret_hidden(CFUT_TOKEN);
    run.assert_secret_hidden("SeCrEtPw123");
    let (_, text) = run.error();
    assert!(text.contains("`confirm_urls`"), "{text}");
    assert!(text.contains("www.example.com/a.css"), "{text}");
    assert!(!text.contains("user:"), "{text}");
    assert!(fake.answered().is_empty());
    assert!(site.requests().is_empty());
}

/// One warning per cause, naming the URLs it concerns (the first few and how many more), and
/// each code once in `warnings`.
#[tokio::test]
async fn one_warning_per_cause_names_its_urls() {
    let (fake, site) = started().await;
    let challenged =
        || Page::cloudflare(403, Some("DYNAMIC"), None).header("cf-mitigated", "challenge");
    let paths = ["/a", "/b", "/c", "/d"];
    for path in paths {
        site.page(path, challenged());
    }
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("files", &www(&paths))
        .run()
        .await;
    run.assert_secret_hidden(CFUT_TOKEN);
    run.assert_ok("purged");
    assert_eq!(run.output("warnings"), "confirm-failed");
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let (title, text) = &warnings[0];
    assert_eq!(title, "Purge could not be checked");
    for path in ["/a", "/b", "/c"] {
        assert!(
            text.contains(&format!("https://www.example.com{path}")),
            "{text}"
        );
    }
    assert!(text.contains("1 more"), "{text}");
}

/// A `HIT` whose `Age` is no whole number of seconds is reported as an Age that could not be read,
/// quoted, not as a `HIT` without one.
#[tokio::test]
async fn an_unreadable_age_is_named_as_such() {
    let (fake, site) = started().await;
    let ages = ["abc", "-5", "1e3", "9000.5", "99999999999999999999999"];
    for age in ages {
        site.page(
            "/a.css",
            Page::cloudflare(200, Some("HIT"), None).header("age", age),
        );
        let run = action(&fake, &site)
            .token(CFUT_TOKEN)
            .input("files", "https://www.example.com/a.css")
            .run()
            .await;
        run.assert_secret_hidden(CFUT_TOKEN);
        run.assert_ok("purged");
        let warnings = run.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let text = &warnings[0].1;
        assert!(text.contains("could not be read"), "{age}: {text}");
        assert!(text.contains(age), "{age}: {text}");
        assert!(!text.contains("without an Age header"), "{age}: {text}");
    }
}

/// The advice of `confirm-failed` follows what stood in the way: bot-protection advice only for a
/// challenge or a block, `ca_certificates` for a certificate the runner could not verify.
#[tokio::test]
async fn the_advice_of_a_failed_check_follows_its_problem() {
    let (fake, site) = started().await;
    let cf = Page::cloudflare;
    site.page("/no-age", cf(200, Some("HIT"), None));
    site.page("/error", cf(502, Some("DYNAMIC"), None));
    site.page("/ok", cf(200, Some("MISS"), None));
    let cases = [
        ("/no-age", true, "Age"),
        ("/error", true, "origin"),
        ("/ok", false, "ca_certificates"),
    ];
    for (path, trusted, advice) in cases {
        let action = action(&fake, &site).token(CFUT_TOKEN);
        let action = match trusted {
            true => action,
            false => action.input("ca_certificates", ""),
        };
        let run = action
            .input("files", &format!("https://www.example.com{path}"))
            .run()
            .await;
        run.assert_secret_hidden(CFUT_TOKEN);
        run.assert_ok("purged");
        let warnings = run.warnings();
        assert_eq!(warnings.len(), 1, "{path}: {warnings:?}");
        let text = &warnings[0].1;
        assert!(text.contains(advice), "{path}: {text}");
        assert!(!text.contains("bot protection"), "{path}: {text}");
    }
}

/// Text from the site that the runner would read as a workflow command (`##[` anywhere in a line)
/// is shown with command processing stopped around its line: it adds no annotation and cannot stop
/// the step's own.
#[tokio::test]
async fn a_site_answer_cannot_forge_workflow_commands() {
    let (fake, site) = started().await;
    site.page(
        "/a",
        Page::cloudflare(302, Some("##[stop-commands]x"), Some(5))
            .header("location", "##[error]forged"),
    );
    let run = action(&fake, &site)
        .token(CFUT_TOKEN)
        .input("files", &www(&["/a"]))
        .run()
        .await;
    let lines: Vec<&str> = run.stdout.lines().collect();
    let mut shown = 0;
    for (at, line) in lines.iter().enumerate() {
        if line.contains("##[") && !line.starts_with("::") {
            shown += 1;
            let token = at
                .checked_sub(1)
                .and_then(|before| lines[before].strip_prefix("::stop-commands::"))
                .unwrap_or_else(|| panic!("not stopped around: {line}\n{}", run.stdout));
            assert_eq!(lines.get(at + 1), Some(&format!("::{token}::").as_str()));
        }
    }
    assert!(
        shown > 0,
        "the site's answer was not logged: {}",
        run.stdout
    );
    assert_eq!(run.output("warnings"), "purged-redirect");
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.assert_secret_hidden(CFUT_TOKEN);
}
