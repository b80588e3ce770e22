//! How the run behaves: mode, booleans, numbers within the table's ranges, the API URL, `base_url`, `account_id`.

use std::time::Duration;

use url::Url;

use super::context::RunContext;
use super::credential::shown;
use super::items::FileTarget;
use super::raw::RawInputs;
use super::table::{Input, Kind};
use super::zone::is_hex_id;
use crate::cloudflare::CaBundle;
use crate::diagnosis::Cause;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Purge,
    Verify,
}

/// Everything that shapes the run besides what to purge and with which credential.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    pub dry_run: bool,
    pub expiry_warning_days: i64,
    pub check_purge_permission: bool,
    pub api_url: Url,
    pub timeout: Duration,
    pub base_url: Option<String>,
    pub account_id: Option<String>,
    pub ca_certificates: Option<CaBundle>,
}

/// Read every option, collecting each problem.
pub fn read(raw: &RawInputs, ctx: &RunContext, errors: &mut Vec<Cause>) -> Option<Options> {
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
    })
}

fn keep<T>(errors: &mut Vec<Cause>, result: Result<T, Cause>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// `invalid-input` for `input`, quoting the value as given (one line, cut).
pub fn invalid(input: Input, value: &str, expected: &str) -> Cause {
    Cause::InvalidInput {
        input,
        value: shown(value),
        expected: expected.to_string(),
    }
}

fn parse_mode(value: &str) -> Result<Mode, Cause> {
    match value.to_ascii_lowercase().as_str() {
        "purge" => Ok(Mode::Purge),
        "verify" => Ok(Mode::Verify),
        _ => Err(invalid(Input::Mode, value, "purge or verify")),
    }
}

pub fn parse_bool(input: Input, value: &str) -> Result<bool, Cause> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(invalid(input, value, "true or false (also 1/0, yes/no)")),
    }
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

/// A URL as it may be quoted: anything between `://` and its last `@` becomes `***`. Not only the
/// authority's: a password with an unencoded `#` or `/` in it seems to end the authority early.
pub fn without_userinfo(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once("://") else {
        return value.to_string();
    };
    match rest.rfind('@') {
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => value.to_string(),
    }
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
