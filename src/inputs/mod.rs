//! The inputs: raw strings from the environment become validated settings; every offline cause is decided here.

pub mod credential;
pub mod items;
mod raw;
pub mod table;
pub mod zone;

use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use crate::diagnosis::{Cause, CredentialInput, MissingReason};
pub use credential::Shape;
pub use items::{FileItem, FileTarget};
pub use raw::RawInputs;
pub use zone::ZoneRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Purge,
    Verify,
}

/// The credential to authenticate with. `Debug` never shows the secret.
#[derive(Clone)]
pub enum Credential {
    Token { value: String, shape: Shape },
    GlobalKey { email: String, key: String },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Token { value, shape } => {
                write!(f, "Token({shape:?}, <{} characters>)", value.len())
            }
            Credential::GlobalKey { key, .. } => write!(f, "GlobalKey(<{} characters>)", key.len()),
        }
    }
}

/// What to purge. In verify mode it is ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PurgeInputs {
    pub everything: bool,
    pub files: Vec<FileItem>,
    pub tags: Vec<String>,
    pub hosts: Vec<String>,
    pub prefixes: Vec<String>,
}

impl PurgeInputs {
    fn given_lists(&self) -> Vec<&'static str> {
        let lists = [
            ("files", self.files.is_empty()),
            ("tags", self.tags.is_empty()),
            ("hosts", self.hosts.is_empty()),
            ("prefixes", self.prefixes.is_empty()),
        ];
        lists
            .iter()
            .filter(|(_, empty)| !empty)
            .map(|(name, _)| *name)
            .collect()
    }
}

/// Validated settings: everything the online part needs, nothing left to parse.
#[derive(Debug, Clone)]
pub struct Settings {
    pub zone: ZoneRef,
    pub credential: Credential,
    pub account_id: Option<String>,
    pub purge: PurgeInputs,
    pub base_url: Option<String>,
    pub mode: Mode,
    pub dry_run: bool,
    pub expiry_warning_days: i64,
    pub check_purge_permission: bool,
    pub api_url: Url,
    pub timeout: Duration,
}

/// Facts about the run that explain a missing credential, and where relative paths start.
#[derive(Debug, Clone, Default)]
pub struct RunContext {
    pub github_actions: bool,
    pub event_name: String,
    pub actor: String,
    pub event_path: Option<PathBuf>,
    pub workspace: Option<PathBuf>,
}

impl RunContext {
    pub fn from_vars(vars: &[(String, String)]) -> Self {
        let get = |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        RunContext {
            github_actions: get("GITHUB_ACTIONS").is_some_and(|v| v == "true"),
            event_name: get("GITHUB_EVENT_NAME").unwrap_or_default(),
            actor: get("GITHUB_ACTOR").unwrap_or_default(),
            event_path: get("GITHUB_EVENT_PATH").map(PathBuf::from),
            workspace: get("GITHUB_WORKSPACE").map(PathBuf::from),
        }
    }

    fn missing_reason(&self) -> MissingReason {
        if !self.github_actions {
            MissingReason::LocalRun
        } else if self.actor == "dependabot[bot]" {
            MissingReason::Dependabot
        } else if self.event_name.starts_with("pull_request") && self.pull_request_from_fork() {
            MissingReason::ForkPullRequest
        } else {
            MissingReason::SecretNameMismatch
        }
    }

    fn pull_request_from_fork(&self) -> bool {
        let Some(text) = self
            .event_path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
        else {
            return false;
        };
        let Ok(event) = serde_json::from_str::<serde_json::Value>(&text) else {
            return false;
        };
        event
            .pointer("/pull_request/head/repo/fork")
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
}

/// The outcome of the offline checks: settings when no error was found.
#[derive(Debug, Default)]
pub struct Validated {
    pub settings: Option<Settings>,
    pub errors: Vec<Cause>,
    pub warnings: Vec<Cause>,
}

/// Every value that must be masked before anything is printed.
pub fn secrets(raw: &RawInputs) -> Vec<String> {
    let mut all = credential::mask_forms(&raw.api_token, CredentialInput::ApiToken);
    all.extend(credential::mask_forms(
        &raw.global_api_key,
        CredentialInput::GlobalApiKey,
    ));
    all
}

/// Check every input offline.
pub fn validate(raw: &RawInputs, ctx: &RunContext) -> Validated {
    let mut v = Validated::default();
    let zone = collect(&mut v, zone::parse(&raw.zone)).map(|(zone, warning)| {
        v.warnings.extend(warning);
        zone
    });
    let credential = credential_of(raw, ctx, &mut v);
    let options = options(raw, &mut v);
    let purge = collect(
        &mut v,
        purge_inputs(raw, ctx, options.as_ref().map(|o| o.0)),
    );
    let account_id = collect(&mut v, account_id(raw));
    if let (Some(ZoneRef::Name(name)), Some(purge)) = (&zone, &purge) {
        let base_url = options.as_ref().and_then(|o| o.1.base_url.as_deref());
        v.errors.extend(outside_zone(&purge.files, name, base_url));
    }
    if !v.errors.is_empty() {
        return v;
    }
    if let (Some(zone), Some(credential), Some((_, o)), Some(purge), Some(account_id)) =
        (zone, credential, options, purge, account_id)
    {
        v.settings = Some(Settings {
            zone,
            credential,
            account_id,
            purge,
            ..o
        });
    }
    v
}

fn collect<T>(v: &mut Validated, result: Result<T, Cause>) -> Option<T> {
    result.map_err(|e| v.errors.push(e)).ok()
}

fn credential_of(raw: &RawInputs, ctx: &RunContext, v: &mut Validated) -> Option<Credential> {
    let token = credential::clean(&raw.api_token, CredentialInput::ApiToken);
    let key = credential::clean(&raw.global_api_key, CredentialInput::GlobalApiKey);
    let email = raw.email.trim();
    if token.value.is_empty() && key.value.is_empty() && email.is_empty() {
        v.errors.push(Cause::MissingCredentials {
            reason: ctx.missing_reason(),
        });
        return None;
    }
    if !token.value.is_empty() {
        if !key.value.is_empty() || !email.is_empty() {
            v.warnings.push(Cause::BothCredentials);
        }
        v.warnings.extend(token.warnings);
        let shape = credential::classify(&token.value, CredentialInput::ApiToken);
        if let Some(problem) = credential::problem(&token.value, &shape, CredentialInput::ApiToken)
        {
            v.errors.push(problem);
            return None;
        }
        return Some(Credential::Token {
            value: token.value,
            shape,
        });
    }
    v.warnings.extend(key.warnings);
    global_key(&key.value, email, v)
}

fn global_key(key: &str, email: &str, v: &mut Validated) -> Option<Credential> {
    if key.is_empty() || email.is_empty() {
        let missing = if key.is_empty() {
            "global_api_key"
        } else {
            "email"
        };
        v.errors.push(Cause::IncompleteGlobalKey { missing });
        return None;
    }
    let shape = credential::classify(key, CredentialInput::GlobalApiKey);
    let problem = credential::problem(key, &shape, CredentialInput::GlobalApiKey);
    let email_problem = email_problem(email).map(|problem| Cause::InvalidEmail { problem });
    let mut found = problem.into_iter().chain(email_problem).peekable();
    if found.peek().is_some() {
        v.errors.extend(found);
        return None;
    }
    Some(Credential::GlobalKey {
        email: email.to_string(),
        key: key.to_string(),
    })
}

fn email_problem(email: &str) -> Option<&'static str> {
    let Some((local, domain)) = email.split_once('@') else {
        return Some("it has no @");
    };
    if email.chars().any(char::is_whitespace) {
        Some("it contains whitespace")
    } else if email.chars().any(char::is_control) {
        // Such an email cannot be sent in the X-Auth-Email header.
        Some("it contains a control character")
    } else if local.is_empty() {
        Some("nothing before the @")
    } else if domain.contains('@') {
        Some("it has more than one @")
    } else if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        Some("the part after the @ is not a domain")
    } else {
        None
    }
}

/// Mode, flags, numbers and URLs; the partial settings they make, credential and zone still empty.
fn options(raw: &RawInputs, v: &mut Validated) -> Option<(Mode, Settings)> {
    let mode = collect(v, parse_mode(raw.value(&raw.mode, "mode")));
    let dry_run = collect(v, parse_bool("dry_run", raw.value(&raw.dry_run, "dry_run")));
    let check = collect(
        v,
        parse_bool(
            "check_purge_permission",
            raw.value(&raw.check_purge_permission, "check_purge_permission"),
        ),
    );
    let days = collect(
        v,
        parse_number(
            "expiry_warning_days",
            raw.value(&raw.expiry_warning_days, "expiry_warning_days"),
            0,
            3650,
        ),
    );
    let timeout = collect(
        v,
        parse_number(
            "timeout_seconds",
            raw.value(&raw.timeout_seconds, "timeout_seconds"),
            1,
            600,
        ),
    );
    let api_url = collect(v, parse_api_url(raw.value(&raw.api_url, "api_url")));
    let base_url = collect(v, parse_base_url(raw.base_url.trim()));
    let settings = Settings {
        zone: ZoneRef::Name(String::new()),
        credential: Credential::Token {
            value: String::new(),
            shape: Shape::Placeholder,
        },
        account_id: None,
        purge: PurgeInputs::default(),
        base_url: base_url?,
        mode: mode?,
        dry_run: dry_run?,
        expiry_warning_days: days?,
        check_purge_permission: check?,
        api_url: api_url?,
        timeout: Duration::from_secs(timeout? as u64),
    };
    Some((settings.mode, settings))
}

fn invalid(input: &'static str, value: &str, expected: &str) -> Cause {
    let shown: String = value
        .chars()
        .take(80)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    Cause::InvalidInput {
        input,
        value: shown,
        expected: expected.to_string(),
    }
}

fn parse_mode(value: &str) -> Result<Mode, Cause> {
    match value.to_ascii_lowercase().as_str() {
        "purge" => Ok(Mode::Purge),
        "verify" => Ok(Mode::Verify),
        _ => Err(invalid("mode", value, "purge or verify")),
    }
}

pub fn parse_bool(input: &'static str, value: &str) -> Result<bool, Cause> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(invalid(input, value, "true or false (also 1/0, yes/no)")),
    }
}

fn parse_number(input: &'static str, value: &str, min: i64, max: i64) -> Result<i64, Cause> {
    match value.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(invalid(
            input,
            value,
            &format!("a whole number from {min} to {max}"),
        )),
    }
}

fn parse_api_url(value: &str) -> Result<Url, Cause> {
    let expected = "an https:// URL such as https://api.cloudflare.com/client/v4 (http:// only for 127.0.0.1, ::1 or localhost)";
    let url = Url::parse(value).map_err(|_| invalid("api_url", value, expected))?;
    let allowed =
        url.scheme() == "https" || (url.scheme() == "http" && crate::cloudflare::is_loopback(&url));
    let clean = url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if allowed && clean && url.host_str().is_some() {
        Ok(url)
    } else {
        Err(invalid("api_url", value, expected))
    }
}

fn parse_base_url(value: &str) -> Result<Option<String>, Cause> {
    if value.is_empty() {
        return Ok(None);
    }
    match items::target_of(value) {
        Some(FileTarget::Url(url)) => Ok(Some(url)),
        _ => Err(invalid(
            "base_url",
            value,
            "an http(s) URL such as https://www.example.com",
        )),
    }
}

fn account_id(raw: &RawInputs) -> Result<Option<String>, Cause> {
    let value = raw.account_id.trim();
    if value.is_empty() {
        Ok(None)
    } else if zone::is_hex_id(value) {
        Ok(Some(value.to_ascii_lowercase()))
    } else {
        Err(invalid(
            "account_id",
            value,
            "the 32-character Account ID (dashboard → Account Home → Account ID)",
        ))
    }
}

/// The lists and `purge_everything`; `mode` decides whether an empty request is an error.
fn purge_inputs(
    raw: &RawInputs,
    ctx: &RunContext,
    mode: Option<Mode>,
) -> Result<PurgeInputs, Cause> {
    let everything = parse_bool(
        "purge_everything",
        raw.value(&raw.purge_everything, "purge_everything"),
    )?;
    let list = |value: &str| items::dedup(items::split_list(value).map(str::to_string).collect());
    let purge = PurgeInputs {
        everything,
        files: files(raw, ctx)?,
        tags: list(&raw.tags),
        hosts: list(&raw.hosts),
        prefixes: list(&raw.prefixes),
    };
    let total = purge.files.len() + purge.tags.len() + purge.hosts.len() + purge.prefixes.len();
    if total > items::MAX_ITEMS {
        let what = format!("{total} items");
        return Err(invalid(
            "files",
            &what,
            &format!("at most {} items in all", items::MAX_ITEMS),
        ));
    }
    if mode == Some(Mode::Verify) {
        return Ok(purge);
    }
    let lists = purge.given_lists();
    if everything && !lists.is_empty() {
        return Err(Cause::ConflictingPurgeInputs { lists });
    }
    if !everything && lists.is_empty() {
        return Err(Cause::NothingToPurge);
    }
    Ok(purge)
}

fn files(raw: &RawInputs, ctx: &RunContext) -> Result<Vec<FileItem>, Cause> {
    let mut given = items::parse_files(&raw.files)?;
    let from = raw.files_from.trim();
    if !from.is_empty() {
        let path = resolve_path(from, ctx.workspace.as_deref());
        let limit = items::MAX_ITEMS.saturating_sub(given.len());
        given.extend(
            items::read_list_file(&path, limit)?
                .into_iter()
                .map(|s| (s, None)),
        );
    }
    let mut bad = Vec::new();
    let mut files = Vec::with_capacity(given.len());
    for (text, headers) in given {
        match items::target_of(&text) {
            Some(target) => files.push(FileItem { target, headers }),
            None => bad.push(text),
        }
    }
    if !bad.is_empty() {
        return Err(Cause::InvalidUrl { items: bad });
    }
    Ok(items::dedup(files))
}

fn resolve_path(path: &str, workspace: Option<&Path>) -> PathBuf {
    let path = Path::new(path);
    match workspace {
        Some(ws) if path.is_relative() => ws.join(path),
        _ => path.to_path_buf(),
    }
}

/// `url-outside-zone` for the files whose host is not the zone or below it.
pub fn outside_zone(files: &[FileItem], zone: &str, base_url: Option<&str>) -> Option<Cause> {
    let base = base_url
        .map(str::to_string)
        .unwrap_or_else(|| format!("https://{zone}"));
    let items: Vec<String> = files
        .iter()
        .map(|f| items::resolve(&f.target, &base))
        .filter(|url| !items::in_zone(url, zone))
        .collect();
    (!items.is_empty()).then(|| Cause::UrlOutsideZone {
        zone: zone.to_string(),
        items,
    })
}
