//! The inputs as strings, read from `INPUT_*` (and `CLOUDFLARE_*` for local runs); empty means unset.

use serde::{Deserialize, Serialize};

use super::table::default_of;

/// Every input as the runner passed it. `Debug` shows credentials only by length.
#[derive(Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RawInputs {
    pub zone: String,
    pub api_token: String,
    pub email: String,
    pub global_api_key: String,
    pub account_id: String,
    pub files: String,
    pub files_from: String,
    pub tags: String,
    pub hosts: String,
    pub prefixes: String,
    pub purge_everything: String,
    pub base_url: String,
    pub mode: String,
    pub dry_run: String,
    pub expiry_warning_days: String,
    pub check_purge_permission: String,
    pub api_url: String,
    pub timeout_seconds: String,
}

/// The variable names wrangler and Cloudflare's SDKs use.
#[derive(Default, Deserialize)]
#[serde(default)]
struct LocalVars {
    api_token: String,
    email: String,
    api_key: String,
    account_id: String,
    zone_id: String,
    zone: String,
}

impl RawInputs {
    /// Read from `(name, value)` pairs such as `std::env::vars()`.
    pub fn from_vars(vars: &[(String, String)]) -> Self {
        let pairs = || vars.iter().cloned();
        // Every field is a defaulted String, so these cannot fail on any environment.
        let mut raw: RawInputs = envy::prefixed("INPUT_")
            .from_iter(pairs())
            .unwrap_or_default();
        let local: LocalVars = envy::prefixed("CLOUDFLARE_")
            .from_iter(pairs())
            .unwrap_or_default();
        fill(&mut raw.api_token, &local.api_token);
        fill(&mut raw.email, &local.email);
        fill(&mut raw.global_api_key, &local.api_key);
        fill(&mut raw.account_id, &local.account_id);
        fill(&mut raw.zone, &local.zone_id);
        fill(&mut raw.zone, &local.zone);
        raw
    }

    /// The value, trimmed, or the declared default when it is empty.
    pub fn value<'a>(&self, field: &'a str, name: &'static str) -> &'a str {
        let trimmed = field.trim();
        if trimmed.is_empty() {
            default_of(name)
        } else {
            trimmed
        }
    }
}

fn fill(target: &mut String, fallback: &str) {
    if target.trim().is_empty() && !fallback.trim().is_empty() {
        *target = fallback.to_string();
    }
}

impl std::fmt::Debug for RawInputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawInputs")
            .field("zone", &self.zone)
            .field(
                "api_token",
                &format_args!("<{} characters>", self.api_token.len()),
            )
            .field(
                "global_api_key",
                &format_args!("<{} characters>", self.global_api_key.len()),
            )
            .field("email", &format_args!("<{} characters>", self.email.len()))
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn inputs_win_and_local_variables_fill_the_gaps() {
        let raw = RawInputs::from_vars(&vars(&[
            ("INPUT_API_TOKEN", ""),
            ("CLOUDFLARE_API_TOKEN", "local"),
            ("INPUT_ZONE", "example.com"),
            ("CLOUDFLARE_ZONE_ID", "other"),
        ]));
        assert_eq!(raw.api_token, "local");
        assert_eq!(raw.zone, "example.com");
    }

    #[test]
    fn debug_hides_credentials() {
        let raw = RawInputs::from_vars(&vars(&[("INPUT_API_TOKEN", "s3cr3t-value")]));
        assert!(!format!("{raw:?}").contains("s3cr3t"));
    }
}
