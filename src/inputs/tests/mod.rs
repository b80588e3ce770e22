//! Hostile inputs: arbitrary strings (control characters, `%`, `:`, `,`, line breaks, non-ASCII, very long
//! values) never panic the offline checks, are only ever rejected with a catalogued cause, and can
//! neither forge a workflow command nor break `$GITHUB_OUTPUT` (whole runs with hostile inputs are
//! in tests/it/hostile_inputs).

mod properties;
#[path = "../../../tests/common/runner_protocol.rs"]
mod runner_protocol;

use std::collections::BTreeSet;

use crate::diagnosis::{examples, Cause, Severity};
use crate::env::Env;
use crate::inputs::items::files::{parse_files, target_of};
use crate::inputs::list::split_list;
use crate::inputs::shape::{classify, clean, problem, Shape};
use crate::inputs::{self, ids, zone, Credential, FileTarget, RawInputs, RunContext, ZoneRef};
use crate::names::Input;
use crate::runner::{escape_data, escape_property, escape_shown, render_outputs};
use crate::text::one_line as sanitize_line;
use proptest::prelude::*;
use proptest::test_runner::Config;
use runner_protocol::{parse_command, parse_outputs, unescape_data, unescape_property};

// The harness's credentials and zone (tests/it/support), well formed and found nowhere else.
const ZONE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const LEGACY_TOKEN: &str = "Xy7_k2Lm9Qp-4Rt8Vw3Zb6Nc1Hd5Jf0Gs2Ka9PeQ";
const CFUT_TOKEN: &str = "cfut_Qm4Rz8Tw2Yx6Vb1Nc5Hd9Jf3Gs7Ka0Pe4Lm8Ui2O1a2b3c4d";
const CFAT_TOKEN: &str = "cfat_Lp3Ko9Ij5Uh1Yg7Tf3Rd9Es5Wa1Qz7Xc3Vb9Nm5Me5f6a7b8";
const GLOBAL_KEY: &str = "7a1b2c3d4e5f60718293a4b5c6d7e8f901234";

// ---------------------------------------------------------------- strategies

/// Fragments that have broken parsers and log formats before, mixed with ordinary text.
const NASTY: &[&str] = &[
    "%",
    "%%",
    ":",
    "::",
    ",",
    "=",
    "<<",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "\0",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{a0}",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "é",
    "中",
    "🦀",
    "\"",
    "'",
    "`",
    "\\",
    "$",
    "{{",
    "}}",
    "${{ secrets.X }}",
    "::error title=FORGED::pwned",
    "::add-mask::",
    "%0A",
    "%0D",
    "%25",
    "%3A",
    "%2C",
    "ghadelimiter_",
    "EOF",
    "Bearer ",
    "bearer\t",
    "Authorization: ",
    "https://",
    "http://",
    "example.com",
    "EXAMPLE.com.",
    "xn--",
    "/",
    "//",
    "..",
    "[",
    "]",
    "{",
    "}",
    "#",
    "@",
    "?",
    "&",
    "|",
    "<",
    ">",
    "cfut_",
    "cfat_",
    "cfk_",
    "v1.0-",
    "export ",
    "CLOUDFLARE_API_TOKEN=",
    "api_token: ",
    "true",
    "FALSE",
    "yes",
    "0",
    "-1",
    "99999999999999999999",
    "verify",
    "purge",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9._/-]{1,8}",
        3 => prop::sample::select(NASTY).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => (0u8..0x20).prop_map(|b| char::from(b).to_string()),
    ]
}

/// An arbitrary, mostly hostile string of up to `n` pieces.
fn hostile(n: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..n).prop_map(|v| v.concat())
}

/// A very long value: a hostile string repeated up to thousands of times.
fn long() -> impl Strategy<Value = String> {
    (hostile(12), 1usize..4000).prop_map(|(s, n)| s.repeat(n))
}

/// Forty characters of alternating case: any two of them in a row are a mixed-case piece, which no
/// catalogue text contains, so an 8-character window of it in a message can only be a leak.
fn secret_core() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (prop::char::range('A', 'Z'), prop::char::range('a', 'z')),
        20,
    )
    .prop_map(|pairs| pairs.into_iter().flat_map(|(a, b)| [a, b]).collect())
}

/// A credential as it might be pasted: text before, inside and after the secret.
fn pasted_credential() -> impl Strategy<Value = (String, String)> {
    (
        secret_core(),
        hostile(3),
        0usize..=40,
        hostile(2),
        hostile(3),
    )
        .prop_map(|(core, before, cut, inside, after)| {
            let value = format!("{before}{}{inside}{}{after}", &core[..cut], &core[cut..]);
            (core, value)
        })
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------- helpers

fn catalogue_codes() -> BTreeSet<&'static str> {
    examples().iter().map(Cause::code).collect()
}

fn pieces_of(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars.windows(8).map(|w| w.iter().collect()).collect()
}

/// What `parse_outputs` (like the runner) gives back for a value: a `\r` before a line end is part
/// of the line end in a heredoc block.
fn as_read_back(value: &str) -> String {
    if !value.contains(['\n', '\r']) {
        return value.to_string();
    }
    value
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn vars(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut all = vec![
        ("GITHUB_ACTIONS".to_string(), "true".to_string()),
        ("GITHUB_EVENT_NAME".to_string(), "push".to_string()),
    ];
    all.extend(pairs.iter().cloned());
    all
}

/// The inputs the property sets (all but `files_from`, which names a file to read).
const INPUT_NAMES: &[&str] = &[
    "zone",
    "api_token",
    "email",
    "global_api_key",
    "account_id",
    "files",
    "tags",
    "hosts",
    "prefixes",
    "purge_everything",
    "base_url",
    "mode",
    "dry_run",
    "expiry_warning_days",
    "check_purge_permission",
    "api_url",
    "timeout_seconds",
];

fn hostile_inputs(
    values: impl Strategy<Value = String>,
) -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((prop::sample::select(INPUT_NAMES), values), 0..12).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(name, value)| (format!("INPUT_{}", name.to_uppercase()), value))
            .collect()
    })
}

/// Whether a value can go into an HTTP header as it is (what reqwest would refuse to send).
fn header_safe(value: &str) -> bool {
    reqwest::header::HeaderValue::from_str(value).is_ok()
}

fn check_validated(pairs: &[(String, String)]) -> Result<(), TestCaseError> {
    let vars = vars(pairs);
    let env = Env::from_pairs(vars);
    let raw = RawInputs::read(&env);
    let credentials = super::credential::credentials(&raw);
    let validated = inputs::validate(&raw, &RunContext::read(&env), &credentials);
    let codes = catalogue_codes();
    for cause in validated.errors.iter().chain(&validated.warnings) {
        prop_assert!(codes.contains(cause.code()), "not catalogued: {cause:?}");
        let _ = (cause.message(), cause.title(), cause.doc());
    }
    for error in &validated.errors {
        prop_assert_eq!(error.severity(), Severity::Error, "{:?}", error);
        prop_assert_eq!(
            error.exit_code(),
            2,
            "offline cause {:?} must exit 2",
            error
        );
    }
    for warning in &validated.warnings {
        prop_assert_eq!(warning.severity(), Severity::Warning, "{:?}", warning);
    }
    prop_assert_eq!(validated.errors.is_empty(), validated.settings.is_some());
    let Some(settings) = validated.settings else {
        return Ok(());
    };
    // Whatever was accepted can be sent: no header reqwest refuses (which would surface as a
    // network error), no zone or account that is not what it claims.
    match &settings.credential {
        Credential::Token { value, shape } => {
            prop_assert!(shape.is_token(), "{shape:?}");
            let header = format!("Bearer {}", value.expose());
            prop_assert!(header_safe(&header), "{:?}", header);
        }
        Credential::GlobalKey { email, key } => {
            prop_assert!(header_safe(email), "email {email:?} accepted");
            prop_assert!(header_safe(key.expose()));
        }
    }
    prop_assert!(!settings.zones.is_empty());
    for zone in &settings.zones {
        match zone {
            ZoneRef::Id(id) => prop_assert!(ids::is_hex_id(id)),
            ZoneRef::Name(name) => prop_assert_eq!(ids::domain(name), Some(name.clone())),
        }
    }
    if let Some(account) = &settings.options.account_id {
        prop_assert!(ids::is_hex_id(account));
    }
    prop_assert!(matches!(
        settings.options.api_url.scheme(),
        "https" | "http"
    ));
    Ok(())
}
