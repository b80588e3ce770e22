//! Hostile inputs: arbitrary strings (control characters, `%`, `:`, `,`, line breaks, non-ASCII, very long
//! values) never panic the offline checks, are only ever rejected with a catalogued cause, and can
//! neither forge a workflow command nor break `$GITHUB_OUTPUT`; long lists are handled in full.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeSet, HashMap};

use cloudflare_purge::diagnosis::{examples, Cause, CredentialInput, Severity};
use cloudflare_purge::inputs::credential::{classify, clean, problem, Shape};
use cloudflare_purge::inputs::items::{parse_files, split_list, target_of};
use cloudflare_purge::inputs::{
    self, zone, Credential, FileTarget, RawInputs, RunContext, ZoneRef,
};
use cloudflare_purge::runner::{escape_data, escape_property, render_outputs, sanitize_line};
use proptest::prelude::*;
use proptest::test_runner::Config;
use support::*;

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

/// A workflow command as the runner reads it: name, properties, data (all unescaped).
type Command = (String, Vec<(String, String)>, String);

/// The runner's reading of a workflow command line (actions/runner `ActionCommand.TryParseV2`):
/// the line is trimmed; `::name props::data`; props split at `,` then at the first `=`.
fn parse_command(line: &str) -> Option<Command> {
    let line = line.trim();
    let rest = line.strip_prefix("::")?;
    let end = rest.find("::")?;
    let (info, data) = (&rest[..end], &rest[end + 2..]);
    let (name, props) = match info.split_once(' ') {
        Some((name, props)) => (name, props),
        None => (info, ""),
    };
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), unescape_property(v)))
        .collect();
    Some((name.to_string(), props, unescape_data(data)))
}

fn unescape_data(value: &str) -> String {
    value
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

fn unescape_property(value: &str) -> String {
    value
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
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
    let raw = RawInputs::from_vars(&vars);
    let validated = inputs::validate(&raw, &RunContext::from_vars(&vars));
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
            let header = format!("Bearer {value}");
            prop_assert!(header_safe(&header), "{:?}", header);
        }
        Credential::GlobalKey { email, key } => {
            prop_assert!(header_safe(email), "email {email:?} accepted");
            prop_assert!(header_safe(key));
        }
    }
    match &settings.zone {
        ZoneRef::Id(id) => prop_assert!(zone::is_hex_id(id)),
        ZoneRef::Name(name) => prop_assert_eq!(zone::domain(name), Some(name.clone())),
    }
    if let Some(account) = &settings.account_id {
        prop_assert!(zone::is_hex_id(account));
    }
    prop_assert!(matches!(settings.api_url.scheme(), "https" | "http"));
    Ok(())
}

// ---------------------------------------------------------------- pure functions

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_inputs_are_accepted_or_refused_with_catalogued_offline_causes(
        pairs in hostile_inputs(hostile(16)),
        zone in prop_oneof![Just(ZONE_ID.to_string()), Just("example.com".to_string()), hostile(6)],
        token in prop_oneof![Just(CFUT_TOKEN.to_string()), Just(LEGACY_TOKEN.to_string()), hostile(6)],
    ) {
        // A valid zone and token first, so the other inputs get judged too; the pairs may override.
        let mut all = vec![
            ("INPUT_ZONE".to_string(), zone),
            ("INPUT_API_TOKEN".to_string(), token),
        ];
        all.extend(pairs);
        check_validated(&all)?;
    }

    #[test]
    fn a_global_key_with_any_email_is_only_accepted_when_it_can_be_sent(
        email in prop_oneof![
            hostile(8),
            (hostile(2), hostile(2)).prop_map(|(a, b)| format!("ops{a}@example{b}.com")),
        ],
        key in prop_oneof![Just(GLOBAL_KEY.to_string()), hostile(4)],
    ) {
        check_validated(&[
            ("INPUT_ZONE".to_string(), ZONE_ID.to_string()),
            ("INPUT_EMAIL".to_string(), email),
            ("INPUT_GLOBAL_API_KEY".to_string(), key),
            ("INPUT_TAGS".to_string(), "blog".to_string()),
        ])?;
    }

    #[test]
    fn a_zone_is_an_id_a_domain_or_a_zone_cause(value in hostile(16)) {
        match zone::parse(&value) {
            Ok((ZoneRef::Id(id), warning)) => {
                prop_assert!(zone::is_hex_id(&id) && id == id.to_ascii_lowercase());
                prop_assert!(warning.is_none());
            }
            Ok((ZoneRef::Name(name), warning)) => {
                prop_assert_eq!(zone::domain(&name), Some(name.clone()));
                prop_assert!(name.is_ascii() && !name.contains(|c: char| c.is_whitespace() || c.is_control()));
                if let Some(w) = warning {
                    prop_assert_eq!(w.code(), "zone-was-url");
                }
            }
            Err(Cause::InvalidZone { value: shown }) => {
                // The zone is echoed, but as one short line.
                prop_assert!(!shown.contains(|c: char| c.is_control()), "{shown:?}");
                prop_assert!(shown.chars().count() <= 81);
            }
            Err(cause) => prop_assert_eq!(cause.code(), "missing-zone"),
        }
    }

    #[test]
    fn a_credential_is_judged_without_panic_and_only_a_clean_one_is_accepted(
        value in hostile(16),
        as_key in any::<bool>(),
    ) {
        let input = if as_key { CredentialInput::GlobalApiKey } else { CredentialInput::ApiToken };
        let cleaned = clean(&value, input);
        prop_assert!(cleaned.value.len() <= value.len());
        prop_assert_eq!(cleaned.value.trim(), cleaned.value.as_str());
        for w in &cleaned.warnings {
            prop_assert!(matches!(w.code(), "token-quoted" | "token-bearer-prefix"), "{w:?}");
        }
        let shape = classify(&cleaned.value, input);
        match problem(&cleaned.value, &shape, input) {
            Some(cause) => {
                prop_assert!(catalogue_codes().contains(cause.code()));
                prop_assert_eq!(cause.exit_code(), 2);
            }
            None => {
                let right_kind = if as_key { shape.is_global_key() } else { shape.is_token() };
                prop_assert!(right_kind, "{shape:?} accepted as {}", input.name());
                prop_assert!(cleaned.value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
            }
        }
    }

    #[test]
    fn no_piece_of_a_pasted_credential_is_in_any_cause_about_it(
        (core, value) in pasted_credential(),
        as_key in any::<bool>(),
    ) {
        let input = if as_key { CredentialInput::GlobalApiKey } else { CredentialInput::ApiToken };
        let cleaned = clean(&value, input);
        let shape = classify(&cleaned.value, input);
        let mut causes = cleaned.warnings.clone();
        causes.extend(problem(&cleaned.value, &shape, input));
        for cause in causes {
            let text = format!("{} {}", cause.message(), cause.title());
            for piece in pieces_of(&core) {
                prop_assert!(!text.contains(&piece), "{piece:?} of the secret in: {text}");
            }
        }
    }

    #[test]
    fn list_items_are_exactly_the_text_between_separators(value in hostile(24)) {
        let items: Vec<&str> = split_list(&value).collect();
        for item in &items {
            prop_assert!(!item.is_empty() && !item.contains(|c: char| c == ',' || c.is_whitespace()));
        }
        let kept: String = value.chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
        prop_assert_eq!(items.concat(), kept);
    }

    #[test]
    fn files_in_list_or_json_form_are_kept_item_for_item(
        value in hostile(24),
        urls in prop::collection::vec(hostile(8), 0..8),
    ) {
        match parse_files(&value) {
            Ok(files) => prop_assert!(files.iter().all(|(f, _)| !f.is_empty())),
            Err(cause) => prop_assert_eq!(cause.code(), "invalid-input"),
        }
        let json = serde_json::to_string(&urls).unwrap();
        let files = parse_files(&json).unwrap();
        let texts: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
        let want: Vec<&str> = urls.iter().map(|u| u.trim()).collect();
        prop_assert_eq!(texts, want);
    }

    #[test]
    fn a_file_target_is_a_path_or_a_web_url_or_nothing(item in hostile(12)) {
        match target_of(&item) {
            Some(FileTarget::Path(p)) => {
                prop_assert_eq!(&p, &item);
                prop_assert!(p.starts_with('/') && !p.starts_with("//"));
            }
            Some(FileTarget::Url(u)) => {
                prop_assert_eq!(&u, &item);
                let url = url::Url::parse(&u).unwrap();
                prop_assert!(matches!(url.scheme(), "http" | "https"));
                prop_assert!(url.host_str().is_some_and(|h| !h.is_empty()));
                let _ = inputs::items::in_zone(&u, "example.com");
            }
            None => {}
        }
    }

    #[test]
    fn an_escaped_annotation_is_one_command_that_reads_back_as_given(
        title in hostile(12),
        message in hostile(24),
    ) {
        let line = format!("::warning title={}::{}", escape_property(&title), escape_data(&message));
        prop_assert!(!line.contains(['\r', '\n']), "{line:?}");
        let (name, props, data) = parse_command(&line).unwrap();
        prop_assert_eq!(name, "warning");
        prop_assert_eq!(props, vec![("title".to_string(), title.clone())]);
        prop_assert_eq!(data.trim_end(), message.trim_end());
    }

    #[test]
    fn escaped_data_and_properties_carry_no_line_break_and_no_separator(value in hostile(24)) {
        let data = escape_data(&value);
        prop_assert!(!data.contains(['\r', '\n']));
        prop_assert_eq!(unescape_data(&data), value.clone());
        let property = escape_property(&value);
        prop_assert!(!property.contains(['\r', '\n', ':', ',']));
        prop_assert_eq!(unescape_property(&property), value);
    }

    #[test]
    fn a_sanitized_line_has_no_control_character(value in hostile(24)) {
        let line = sanitize_line(&value);
        prop_assert!(!line.contains(|c: char| c.is_control()), "{line:?}");
        prop_assert_eq!(line.lines().count(), usize::from(!line.is_empty()));
        prop_assert_eq!(line.chars().count(), value.chars().count());
        for (a, b) in line.chars().zip(value.chars()) {
            prop_assert!(a == b || (b.is_control() && a == ' '));
        }
    }

    #[test]
    fn outputs_read_back_as_written_whatever_their_values(
        values in prop::collection::vec(
            prop_oneof![
                hostile(16),
                // Lines that look like the end of a block, or the start of another.
                hostile(4).prop_map(|s| format!("x\nghadelimiter_{s}\nEOF\nresult=purged\n{s}")),
                hostile(4).prop_map(|s| format!("a<<{s}\nb")),
                hostile(4).prop_map(|s| format!("a<<EOF{s}")),
            ],
            1..6,
        ),
    ) {
        const NAMES: &[&str] = &["result", "cause", "zone_name", "failed", "purge_ids", "warnings"];
        let outputs: Vec<(&str, String)> = NAMES.iter().copied().zip(values).collect();
        let text = render_outputs(&outputs);
        let read = parse_outputs(&text);
        prop_assert_eq!(read.len(), outputs.len(), "{}", text);
        for (name, value) in &outputs {
            prop_assert_eq!(&read[*name], &as_read_back(value), "{} in:\n{}", name, text);
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn very_long_values_are_judged_without_panic(
        pairs in hostile_inputs(long()),
        title in long(),
        message in long(),
    ) {
        check_validated(&pairs)?;
        let line = format!("::error title={}::{}", escape_property(&title), escape_data(&message));
        prop_assert!(!line.contains(['\r', '\n']));
        let outputs = [("failed", message.clone()), ("zone_name", title.clone())];
        let read = parse_outputs(&render_outputs(&outputs));
        prop_assert_eq!(&read["failed"], &as_read_back(&message));
        prop_assert_eq!(&read["zone_name"], &as_read_back(&title));
    }
}

#[test]
fn an_accepted_credential_never_has_a_shape_problem() {
    // The shapes classify can give back: each is a problem for one input or the other.
    for (value, input) in [
        (LEGACY_TOKEN, CredentialInput::ApiToken),
        (CFUT_TOKEN, CredentialInput::ApiToken),
        (CFAT_TOKEN, CredentialInput::ApiToken),
        (GLOBAL_KEY, CredentialInput::GlobalApiKey),
    ] {
        let shape = classify(value, input);
        assert!(
            !matches!(shape, Shape::Malformed(_) | Shape::Placeholder),
            "{value}"
        );
        assert!(problem(value, &shape, input).is_none(), "{value}");
    }
}

// ---------------------------------------------------------------- the binary, with long lists

fn urls(n: usize, host: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://{host}/assets/{i:06}/style.css"))
        .collect()
}

/// `request 3: 100 URLs (first … last)` lines of a dry run: the item count of each request.
fn planned_counts(stdout: &str) -> Vec<usize> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("request "))
        .filter_map(|l| l.split_once(": "))
        .map(|(_, rest)| {
            rest.split(' ')
                .next()
                .unwrap()
                .replace(',', "")
                .parse()
                .unwrap()
        })
        .collect()
}

async fn user_fake() -> Fake {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    fake
}

#[tokio::test]
async fn a_megabyte_files_from_list_is_planned_in_full() {
    let fake = user_fake().await;
    let mut list = String::new();
    let mut n = 0;
    while list.len() < 1 << 20 {
        list.push_str(&format!("https://example.com/assets/{n:06}/style.css\n"));
        n += 1;
    }
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("files_from", "urls.txt")
        .input("dry_run", "true")
        .workspace_file("urls.txt", &list)
        .run()
        .await;
    run.assert_ok("planned");
    let counts = planned_counts(&run.stdout);
    assert_eq!(counts.iter().sum::<usize>(), n, "{}", run.stdout);
    assert_eq!(counts.len(), n.div_ceil(100));
    assert!(counts.iter().all(|c| *c <= 100));
    assert!(fake.purges().is_empty());
}

#[tokio::test]
async fn a_hundred_kilobyte_files_input_is_purged_in_full() {
    let fake = user_fake().await;
    let mut list = urls(2300, ENT_ZONE_NAME);
    let text = list.join("\n");
    assert!(
        (100_000..128 * 1024).contains(&text.len()),
        "{}",
        text.len()
    );
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("zone", ENT_ZONE_ID)
        .input("files", &text)
        .run()
        .await;
    run.assert_ok("purged");
    assert_eq!(run.output("purged_count"), list.len().to_string());
    let mut sent: Vec<String> = fake
        .purges()
        .iter()
        .flat_map(|p| p.purged_items())
        .collect();
    assert_eq!(fake.purges().len(), 5);
    sent.sort();
    list.sort();
    assert_eq!(sent, list);
}

/// Run the binary as the runner would, with the data segment (heap) capped at `data_kib`:
/// an action that needs more memory than that is killed (allocation failure aborts).
fn run_capped(env: &[(String, String)], data_kib: u64) -> (i32, String) {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -d \"$1\" && exec \"$0\"")
        .arg(env!("CARGO_BIN_EXE_cloudflare-purge"))
        .arg(data_kib.to_string())
        .env_clear()
        .envs(env.iter().cloned())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn capped_env(fake: &Fake, dir: &std::path::Path, n: usize) -> Vec<(String, String)> {
    let list = dir.join(format!("urls-{n}.txt"));
    std::fs::write(&list, urls(n, ENT_ZONE_NAME).join("\n")).unwrap();
    let output = dir.join(format!("output-{n}"));
    [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_OUTPUT", &output.display().to_string()),
        ("INPUT_ZONE", ENT_ZONE_ID),
        ("INPUT_API_TOKEN", CFUT_TOKEN),
        ("INPUT_FILES_FROM", &list.display().to_string()),
        ("INPUT_DRY_RUN", "true"),
        ("INPUT_API_URL", &fake.api_url()),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test]
async fn a_hundred_thousand_items_are_all_planned_within_bounded_memory() {
    let fake = user_fake().await;
    let dir = tempfile::tempdir().unwrap();
    let many = capped_env(&fake, dir.path(), 100_000);
    let few = capped_env(&fake, dir.path(), 1_000);
    let (code, stdout) = {
        let env = many.clone();
        // The list is 4.4 MB and the run needs about 18 MiB; 64 MiB leaves room, not a copy per item.
        tokio::task::spawn_blocking(move || run_capped(&env, 64 * 1024))
            .await
            .unwrap()
    };
    assert_eq!(code, 0, "{stdout}");
    let counts = planned_counts(&stdout);
    assert_eq!(counts.iter().sum::<usize>(), 100_000);
    assert_eq!(counts.len(), 200, "Enterprise batches of 500");
    let output = many
        .iter()
        .find(|(k, _)| k == "GITHUB_OUTPUT")
        .unwrap()
        .1
        .clone();
    let outputs = parse_outputs(&std::fs::read_to_string(output).unwrap());
    assert_eq!(outputs["result"], "planned");
    assert!(fake.purges().is_empty());
    // The cap measures the list: 8 MiB carries 1,000 items but not 100,000.
    let (few_code, few_out) = tokio::task::spawn_blocking(move || run_capped(&few, 8 * 1024))
        .await
        .unwrap();
    assert_eq!(few_code, 0, "{few_out}");
    let (code, _) = tokio::task::spawn_blocking(move || run_capped(&many, 8 * 1024))
        .await
        .unwrap();
    assert_ne!(code, 0, "the memory cap does not bite");
}

// ---------------------------------------------------------------- forged workflow commands

/// The commands this action writes; any other `::` line would be someone else's.
const OWN_COMMANDS: &[&str] = &[
    "add-mask", "error", "warning", "notice", "debug", "group", "endgroup",
];

const FORGERIES: &[&str] = &[
    "::error title=FORGED::pwned",
    "::set-output name=result::purged",
    "::stop-commands::forged",
    "::add-mask::forged",
];

fn assert_no_forged_command(run: &Run, label: &str) {
    for (channel, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        for line in text.lines() {
            // The runner trims a line before it looks for a command.
            let line = line.trim();
            for forged in FORGERIES {
                assert!(
                    !line.starts_with(forged),
                    "{label}: forged command in {channel}: {line:?}"
                );
            }
            if let Some(rest) = line.strip_prefix("::") {
                let name = rest.split([' ', ':']).next().unwrap_or_default();
                assert!(
                    OWN_COMMANDS.contains(&name),
                    "{label}: a {name:?} command in {channel}: {line:?}"
                );
                let (_, props, _) = parse_command(line).unwrap();
                assert!(
                    props
                        .iter()
                        .all(|(k, v)| k == "title" && !v.contains("FORGED")),
                    "{label}: forged properties {props:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn control_characters_and_separators_in_inputs_cannot_forge_a_workflow_command() {
    let breaks = ["\n", "\r", "\r\n", "%0A", "\u{85}", "\u{2028}", "", " \t"];
    let mut cases: Vec<(&str, String)> = Vec::new();
    for b in breaks {
        for forged in FORGERIES {
            cases.push(("zone", format!("example.com{b}{forged}")));
            cases.push(("files", format!("https://example.com/a{b}{forged}")));
            cases.push((
                "files",
                serde_json::to_string(&[format!("https://example.com/a{b}{forged}")]).unwrap(),
            ));
            cases.push(("tags", format!("blog,{b}{forged}")));
            // Outside the zone, the item is quoted back whole in the annotation.
            cases.push((
                "files",
                serde_json::to_string(&[format!("https://other.example/a{b}{forged}")]).unwrap(),
            ));
        }
    }
    for (input, value) in [
        ("zone", "::error title=FORGED::pwned"),
        ("hosts", "www.example.com\n::error title=FORGED::pwned"),
        ("prefixes", "example.com/a/,\r::error title=FORGED::pwned"),
        ("base_url", "\n::error title=FORGED::pwned"),
        ("mode", "verify\n::set-output name=result::purged"),
        ("dry_run", "%0A::error title=FORGED::pwned"),
        ("account_id", "\r\n::stop-commands::forged"),
        ("timeout_seconds", "30\n::add-mask::forged"),
        ("api_url", "https://x.example/\n::error title=FORGED::pwned"),
    ] {
        cases.push((input, value.to_string()));
    }
    let fake = std::sync::Arc::new(user_fake().await);
    let mut runs = tokio::task::JoinSet::new();
    for (input, value) in cases {
        for actions in [true, false] {
            let fake = fake.clone();
            let value = value.clone();
            runs.spawn(async move {
                let label = format!("{input}={value:?} (GITHUB_ACTIONS={actions})");
                let mut action = Action::new(&fake)
                    .token(CFUT_TOKEN)
                    .input("dry_run", "true")
                    .input(input, &value);
                if input != "files" {
                    action = action.input("tags", "blog");
                }
                if !actions {
                    action = action.unset("GITHUB_ACTIONS");
                }
                (label, action.run().await)
            });
            // A few runs at a time: each is a process, the machine has two cores.
            while runs.len() >= 8 {
                let (label, run) = runs.join_next().await.unwrap().unwrap();
                check_forgery_run(&label, &run);
            }
        }
    }
    while let Some(done) = runs.join_next().await {
        let (label, run) = done.unwrap();
        check_forgery_run(&label, &run);
    }
}

fn check_forgery_run(label: &str, run: &Run) {
    assert!(matches!(run.code, 0..=2), "{label}: exit {}", run.code);
    assert!(!run.stderr.contains("panicked"), "{label}: {}", run.stderr);
    assert_no_forged_command(run, label);
}

#[tokio::test]
async fn forged_lines_in_a_files_from_list_stay_inside_the_plan() {
    let fake = user_fake().await;
    let list = "https://example.com/a\n::error title=FORGED::pwned\n\
                https://example.com/b\r\n::set-output name=result::purged\n";
    let run = Action::new(&fake)
        .token(CFUT_TOKEN)
        .input("dry_run", "true")
        .input("files_from", "list.txt")
        .workspace_file("list.txt", list)
        .run()
        .await;
    run.assert_failed(2, "invalid-url");
    assert_no_forged_command(&run, "files_from");
    let (_, message) = run.error();
    assert!(message.contains("::error title=FORGED::pwned"), "{message}");
}

#[test]
fn the_forgery_check_catches_a_forged_line() {
    let forged = Run {
        code: 0,
        stdout: "::add-mask::x\n  ::error title=FORGED::pwned\n".into(),
        stderr: String::new(),
        outputs: HashMap::new(),
        outputs_raw: String::new(),
        summary: String::new(),
    };
    let caught = std::panic::catch_unwind(|| assert_no_forged_command(&forged, "self-test"));
    assert!(caught.is_err());
}

// ---------------------------------------------------------------- api_url

#[tokio::test]
async fn an_http_api_url_off_this_machine_is_refused_before_any_request() {
    // The fake doubles as the proxy every request would go through, so a request to any host
    // would be seen here; the https:// case shows that it is.
    let fake = user_fake().await;
    let proxy = format!("http://{}", fake.addr);
    let with_proxy = |action: Action| {
        ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]
            .iter()
            .fold(action, |a, var| a.env(var, &proxy))
    };
    for api_url in [
        "http://example.com/client/v4",
        "http://localhost.example.com/client/v4",
        "http://127.0.0.1.example.com/client/v4",
        "https://user:secret@example.com/client/v4",
        "ftp://127.0.0.1/client/v4",
        "http://127.0.0.1/client/v4?debug=1",
        "example.com/client/v4",
    ] {
        let run = with_proxy(Action::new(&fake))
            .token(CFUT_TOKEN)
            .input("tags", "blog")
            .input("api_url", api_url)
            .run()
            .await;
        run.assert_failed(2, "invalid-input");
        let (_, message) = run.error();
        assert!(message.contains("api_url"), "{api_url}: {message}");
        assert!(fake.received().is_empty(), "{api_url}: {:?}", fake.paths());
    }
    let run = with_proxy(Action::new(&fake))
        .token(CFUT_TOKEN)
        .input("tags", "blog")
        .input("api_url", "https://example.com/client/v4")
        .input("timeout_seconds", "2")
        .run()
        .await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!fake.received().is_empty(), "the proxy saw no request");
}

#[tokio::test]
async fn an_http_api_url_on_loopback_is_used() {
    let fake = user_fake().await;
    let port = fake.addr.port();
    for api_url in [
        format!("http://127.0.0.1:{port}/client/v4"),
        format!("http://localhost:{port}/client/v4/"),
    ] {
        let before = fake.purges().len();
        let run = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("tags", "blog")
            .input("api_url", &api_url)
            .run()
            .await;
        run.assert_ok("purged");
        assert_eq!(fake.purges().len(), before + 1, "{api_url}");
    }
}

// ---------------------------------------------------------------- pasted lines

#[tokio::test]
async fn a_token_pasted_with_a_note_after_a_colon_is_not_quoted_back() {
    let fake = user_fake().await;
    for pasted in [
        format!("{CFUT_TOKEN}: purge token, rotated 2026-01"),
        format!("{CFUT_TOKEN}=old"),
        format!("{}: {}", &LEGACY_TOKEN[..10], &LEGACY_TOKEN[10..]),
    ] {
        // `.token()` checks every channel for every 8-character piece of the value.
        let run = Action::new(&fake)
            .token(&pasted)
            .input("tags", "blog")
            .run()
            .await;
        run.assert_failed(2, "token-malformed");
        let (_, message) = run.error();
        assert!(message.contains("`NAME=…`"), "{message}");
    }
    let run = Action::new(&fake)
        .input("api_token", &format!("CLOUDFLARE_API_TOKEN={CFUT_TOKEN}"))
        .input("tags", "blog")
        .run()
        .await;
    run.assert_failed(2, "token-malformed");
    assert!(run.error().1.contains("`CLOUDFLARE_API_TOKEN=…`"));
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn an_email_with_a_control_character_is_refused_before_any_request() {
    let fake = Fake::start().await;
    fake.add_key(EMAIL, GLOBAL_KEY);
    let run = Action::new(&fake)
        .input("email", "ops@exam\u{1}ple.com")
        .secret("global_api_key", GLOBAL_KEY)
        .input("tags", "blog")
        .run()
        .await;
    run.assert_failed(2, "invalid-email");
    assert!(fake.received().is_empty(), "{:?}", fake.paths());
}
