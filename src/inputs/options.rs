//! How the run behaves: mode, booleans, numbers within the table's ranges, the API URL, `base_url`, `account_id`.

use std::time::Duration;

use url::Url;

use super::context::RunContext;
use super::ids::is_hex_id;
use super::items::FileTarget;
use super::quote::without_userinfo;
use super::raw::RawInputs;
use super::table::{Input, Kind};
use super::value::{invalid, parse_bool, parse_mode, Mode};
use crate::cloudflare::CaBundle;
use crate::diagnosis::Cause;

/// Everything that shapes the run besides what to purge and with which credential.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) mode: Mode,
    pub(crate) dry_run: bool,
    pub(crate) expiry_warning_days: i64,
    pub(crate) check_purge_permission: bool,
    pub(crate) api_url: Url,
    pub(crate) timeout: Duration,
    pub(crate) base_url: Option<String>,
    pub(crate) account_id: Option<String>,
    pub(crate) ca_certificates: Option<CaBundle>,
    /// Check a sample of the purged URLs after the purge (contract §10).
    pub(crate) confirm: bool,
    /// The URLs `confirm` checks after a purge that names none of its own.
    pub(crate) confirm_urls: Vec<Url>,
    /// Invalidate (soft purge, contract §12) instead of purging.
    pub(crate) invalidate: bool,
    /// Wait for the new build before the purge (contract §11).
    pub(crate) wait: Option<WaitFor>,
}

/// `wait_for`, `wait_for_text` and `wait_timeout_seconds` together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WaitFor {
    pub(crate) url: Url,
    pub(crate) text: String,
    pub(crate) timeout: Duration,
}

/// Read every option, collecting each problem.
pub(crate) fn read(raw: &RawInputs, ctx: &RunContext, errors: &mut Vec<Cause>) -> Option<Options> {
    let mode = keep(errors, parse_mode(raw.value(Input::Mode)));
    let dry_run = keep(errors, parse_bool(Input::DryRun, raw.value(Input::DryRun)));
    let check = keep(
        errors,
        parse_bool(
            Input::CheckPurgePermission,
            raw.value(Input::CheckPurgePermission),
        ),
    );
    let days = keep(errors, parse_number(Input::ExpiryWarningDays, raw));
    let timeout = keep(errors, parse_number(Input::TimeoutSeconds, raw));
    let api_url = keep(errors, parse_api_url(raw.value(Input::ApiUrl)));
    let base_url = keep(errors, parse_base_url(raw.get(Input::BaseUrl).trim()));
    let account_id = keep(errors, parse_account_id(raw.get(Input::AccountId).trim()));
    let ca = keep(errors, read_ca(raw.get(Input::CaCertificates).trim(), ctx));
    let invalidate = keep(
        errors,
        parse_bool(Input::Invalidate, raw.value(Input::Invalidate)),
    );
    let wait = keep(errors, parse_wait(raw));
    let confirm = keep(
        errors,
        parse_bool(Input::Confirm, raw.value(Input::Confirm)),
    );
    let confirm_urls = keep(errors, parse_confirm_urls(raw.get(Input::ConfirmUrls)));
    Some(Options {
        mode: mode?,
        dry_run: dry_run?,
        expiry_warning_days: days?,
        check_purge_permission: check?,
        api_url: api_url?,
        timeout: Duration::from_secs(timeout?.unsigned_abs()),
        base_url: base_url?,
        account_id: account_id?,
        ca_certificates: ca?,
        confirm: confirm?,
        confirm_urls: confirm_urls?,
        invalidate: invalidate?,
        wait: wait?,
    })
}

fn keep<T>(errors: &mut Vec<Cause>, result: Result<T, Cause>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// A whole number within the range the table declares for `input`.
fn parse_number(input: Input, raw: &RawInputs) -> Result<i64, Cause> {
    let value = raw.value(input);
    let Kind::Number { min, max } = input.spec().kind else {
        return Err(invalid(input, value, "a number"));
    };
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
    // A user name or password in it is quoted back as ***.
    let refuse = |expected: &str| invalid(Input::ApiUrl, &without_userinfo(value), expected);
    let url = Url::parse(value).map_err(|_| refuse(expected))?;
    let allowed =
        url.scheme() == "https" || (url.scheme() == "http" && crate::cloudflare::is_loopback(&url));
    if !allowed || url.host_str().is_none() {
        return Err(refuse(expected));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "an API base URL without a user name or password: the credential goes in api_token",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("an API base URL without query string or fragment"));
    }
    Ok(url)
}

fn parse_base_url(value: &str) -> Result<Option<String>, Cause> {
    if value.is_empty() {
        return Ok(None);
    }
    // Paths are appended to it: after a query or a fragment they would not be paths any more.
    let whole =
        !value.contains(|c: char| c.is_whitespace() || c.is_control() || c == '?' || c == '#');
    match super::items::files::target_of(value) {
        Some(FileTarget::Url(url)) if whole => Ok(Some(url)),
        _ => Err(invalid(
            Input::BaseUrl,
            &without_userinfo(value),
            "an http(s) URL such as https://www.example.com/docs, without query string, fragment or spaces",
        )),
    }
}

/// `confirm_urls`: whole `http(s)` URLs with a host, each once; the first that is not one is named.
fn parse_confirm_urls(value: &str) -> Result<Vec<Url>, Cause> {
    let mut urls: Vec<Url> = Vec::new();
    for item in super::list::split_list(value) {
        let url = Url::parse(item)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
        let Some(url) = url else {
            return Err(invalid(
                Input::ConfirmUrls,
                &without_userinfo(item),
                "full http(s) URLs such as https://www.example.com/, in the list syntax",
            ));
        };
        // A user name or password would be sent to the site and printed with the URL.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                Input::ConfirmUrls,
                &without_userinfo(item),
                "http(s) URLs without a user name or password: the site is checked as a visitor sees it",
            ));
        }
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    Ok(urls)
}

/// `wait_for` and `wait_for_text` come together; the URL is http(s) (S3 website endpoints are
/// http only: no credential is ever sent to it) without a user name or password.
fn parse_wait(raw: &RawInputs) -> Result<Option<WaitFor>, Cause> {
    let url = raw.get(Input::WaitFor).trim();
    let text = raw.get(Input::WaitForText).trim();
    let seconds = parse_number(Input::WaitTimeoutSeconds, raw)?;
    match (url.is_empty(), text.is_empty()) {
        (true, true) => return Ok(None),
        (false, true) => {
            return Err(invalid(
                Input::WaitForText,
                text,
                "the text that proves the new build is live (required with wait_for)",
            ))
        }
        (true, false) => {
            return Err(invalid(
                Input::WaitFor,
                url,
                "the URL to wait for (wait_for_text is only used with wait_for)",
            ))
        }
        (false, false) => {}
    }
    let expected = "an http:// or https:// URL without a user name or password, such as https://example.com/version.txt";
    let refuse = || invalid(Input::WaitFor, &without_userinfo(url), expected);
    // One URL: the url crate would drop inner spaces or tabs, making two URLs one.
    if url.contains(char::is_whitespace) {
        return Err(invalid(
            Input::WaitFor,
            &without_userinfo(url),
            "one URL (wait_for takes a single URL, without spaces)",
        ));
    }
    let parsed = Url::parse(url).map_err(|_| refuse())?;
    let plain = parsed.username().is_empty() && parsed.password().is_none();
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() || !plain {
        return Err(refuse());
    }
    Ok(Some(WaitFor {
        url: parsed,
        text: text.to_string(),
        timeout: Duration::from_secs(seconds.unsigned_abs()),
    }))
}

fn parse_account_id(value: &str) -> Result<Option<String>, Cause> {
    if value.is_empty() {
        Ok(None)
    } else if is_hex_id(value) {
        Ok(Some(value.to_ascii_lowercase()))
    } else {
        Err(invalid(
            Input::AccountId,
            value,
            "the 32-character Account ID (dashboard → Account Home → Account ID)",
        ))
    }
}

/// A CA bundle larger than this is no CA bundle (the whole Mozilla set is about 220 KiB).
const MAX_CA_FILE: u64 = 16 * 1024 * 1024;

/// The extra CA certificates, read from their file now: a file that cannot be read or holds none is
/// an input problem, found before any request.
fn read_ca(path: &str, ctx: &RunContext) -> Result<Option<CaBundle>, Cause> {
    if path.is_empty() {
        return Ok(None);
    }
    let expected = |why: &str| format!("a readable PEM file of CA certificates ({why})");
    let file = ctx.resolve(path);
    let pem = crate::env::read_bounded(&file, MAX_CA_FILE)
        .map_err(|e| invalid(Input::CaCertificates, path, &expected(&e.to_string())))?;
    CaBundle::from_pem(&pem)
        .map(Some)
        .map_err(|why| invalid(Input::CaCertificates, path, &expected(why)))
}
