//! The catalogue and the judging of answers, tested beside them: the meaning of Cloudflare's observed
//! 9109 and 1000 bodies, the severities of the confirm and wait causes, general fixes made of the
//! specific ones.

use super::judge::{standing, transport, Standing};
use super::*;
use crate::cloudflare::{ApiError, CfMessage, Failure, Peer};
use crate::names::Input;

/// A body Cloudflare really sent, from the recorded ones the fake API answers with.
fn observed(case: &str) -> serde_json::Value {
    static FILE: &str = include_str!("../../tests/it/fixtures/observed-bodies.json");
    let all: Vec<serde_json::Value> = serde_json::from_str(FILE).unwrap();
    all.into_iter()
        .find(|c| c["case"] == case)
        .unwrap_or_else(|| panic!("no observed case {case:?}"))["body"]
        .clone()
}

fn errors_of(case: &str) -> Vec<CfMessage> {
    serde_json::from_value(observed(case)["errors"].clone()).unwrap()
}

#[test]
fn each_observed_9109_and_1000_body_has_its_meaning() {
    let table = [
        ("well-formed but wrong/unknown token", Standing::Unknown),
        ("account-owned token on user endpoint", Standing::Unknown),
        ("invalid token on /zones", Standing::Unknown),
        (
            "token lacks access to resource",
            Standing::KnownWithoutAccess,
        ),
        ("invalid token on account WAF lists", Standing::Unclear),
    ];
    for (case, meaning) in table {
        assert_eq!(standing(&errors_of(case)), meaning, "{case}");
    }
    // The client-IP filter is judged on every endpoint, before any endpoint's own reading.
    let filtered = Failure {
        error: ApiError::Refused {
            status: 403,
            errors: errors_of("client IP filter"),
        },
        attempts: 1,
        retry_after: None,
    };
    assert_eq!(
        transport(&filtered, &Peer::default()),
        Some(Cause::TokenIpRestricted {
            location: "183.154.104.196".into()
        })
    );
}

#[test]
fn the_causes_of_confirm_and_wait_fail_or_warn_as_the_contract_says() {
    let mut checked = 0;
    for cause in examples() {
        let expected = match cause.code() {
            "origin-not-updated" | "purge-no-effect" => (Severity::Error, 1),
            "not-cached" | "not-proxied" | "purged-redirect" | "confirm-failed"
            | "wait-url-cached" => (Severity::Warning, 0),
            _ => continue,
        };
        assert_eq!((cause.severity(), cause.exit_code()), expected, "{cause:?}");
        checked += 1;
    }
    assert_eq!(checked, 7);
    // The texts give the facts contract §10-§11 asks for.
    let texts: Vec<(&str, String)> = examples().iter().map(|c| (c.code(), c.message())).collect();
    let text = |code: &str| texts.iter().find(|(c, _)| *c == code).unwrap().1.clone();
    let waited = text("origin-not-updated");
    for fact in [
        "HTTP 200",
        "CF-Cache-Status DYNAMIC",
        "without the text",
        "300 seconds",
        "Nothing was purged",
    ] {
        assert!(waited.contains(fact), "{fact}: {waited}");
    }
    let no_effect = text("purge-no-effect");
    for fact in [
        "https://example.com/app.css",
        "Age 3600",
        "4 seconds since the purge",
        "cache key",
        "Transform Rule",
    ] {
        assert!(no_effect.contains(fact), "{fact}: {no_effect}");
    }
    assert!(text("not-proxied").contains("Fastly"));
    assert!(text("confirm-failed").contains("challenge"));
    assert!(text("purged-redirect").contains("https://example.com/app.css"));
}

#[test]
fn a_general_fix_is_made_of_the_specific_ones() {
    use MissingReason::*;
    for reason in [ForkPullRequest, Dependabot, SecretNameMismatch, LocalRun] {
        let peers = Vec::new();
        let cause = Cause::MissingCredentials { reason, peers };
        let (fix, general) = (cause.fix(), cause.entry().general);
        assert!(general.contains(&fix[1..]), "{fix} not in {general}");
    }
    let same_but = |cause: Cause, here: &str, anywhere: &str| {
        assert_eq!(cause.entry().general, cause.fix().replace(here, anywhere));
        assert_ne!(cause.entry().general, cause.fix());
    };
    let location = "203.0.113.7".to_string();
    same_but(
        Cause::TokenIpRestricted { location },
        "203.0.113.7",
        "the runner's address",
    );
    let input = Input::GlobalApiKey;
    same_but(
        Cause::TokenPlaceholder { input, length: 4 },
        "`global_api_key:",
        "`api_token:",
    );
    let (value, expected) = ("maybe".to_string(), "true".to_string());
    let invalid = Cause::InvalidInput {
        input: Input::DryRun,
        value,
        expected,
    };
    same_but(invalid, "`dry_run`", "the named input");
}
