//! The one definition of every input and output: parsing defaults, action.yml and the README derive from it.

/// One `with:` input of the action.
#[derive(Debug, Clone, Copy)]
pub struct InputSpec {
    pub name: &'static str,
    pub default: &'static str,
    pub required: bool,
    pub description: &'static str,
    /// Conventional variables read for local runs when the input is empty.
    pub fallback: &'static [&'static str],
}

/// One output written to `$GITHUB_OUTPUT`.
#[derive(Debug, Clone, Copy)]
pub struct OutputSpec {
    pub name: &'static str,
    pub description: &'static str,
}

pub const INPUTS: &[InputSpec] = &[
    InputSpec { name: "zone", default: "", required: true, description: "Zone ID (32 hex characters) or the zone's domain name (example.com).", fallback: &["CLOUDFLARE_ZONE_ID", "CLOUDFLARE_ZONE"] },
    InputSpec { name: "api_token", default: "", required: false, description: "API token with Zone → Cache Purge (and Zone → Zone Read): user or account owned, legacy or cfut_/cfat_ prefixed.", fallback: &["CLOUDFLARE_API_TOKEN"] },
    InputSpec { name: "email", default: "", required: false, description: "Account email, only together with global_api_key.", fallback: &["CLOUDFLARE_EMAIL"] },
    InputSpec { name: "global_api_key", default: "", required: false, description: "Legacy Global API Key (discouraged: prefer api_token).", fallback: &["CLOUDFLARE_API_KEY"] },
    InputSpec { name: "account_id", default: "", required: false, description: "Only needed when an account-owned token cannot read the zone itself.", fallback: &["CLOUDFLARE_ACCOUNT_ID"] },
    InputSpec { name: "files", default: "", required: false, description: "URLs or paths (/blog/, joined to base_url) to purge, separated by newlines, commas or spaces; or a JSON array of URL strings and {\"url\", \"headers\"} objects.", fallback: &[] },
    InputSpec { name: "files_from", default: "", required: false, description: "File (absolute, or relative to the workspace) listing more files to purge, one per line; # comments and blank lines skipped.", fallback: &[] },
    InputSpec { name: "tags", default: "", required: false, description: "Cache-Tag values to purge (same list syntax).", fallback: &[] },
    InputSpec { name: "hosts", default: "", required: false, description: "Hostnames to purge.", fallback: &[] },
    InputSpec { name: "prefixes", default: "", required: false, description: "URL prefixes to purge (example.com/blog/).", fallback: &[] },
    InputSpec { name: "purge_everything", default: "false", required: false, description: "Purge the whole zone. Never implied by empty lists.", fallback: &[] },
    InputSpec { name: "base_url", default: "", required: false, description: "Base for paths in files; empty means https://<zone name>.", fallback: &[] },
    InputSpec { name: "mode", default: "purge", required: false, description: "purge, or verify: check credentials, zone, expiry and the purge permission, purge nothing.", fallback: &[] },
    InputSpec { name: "dry_run", default: "false", required: false, description: "Run every check and print the planned batches, but send no purge.", fallback: &[] },
    InputSpec { name: "expiry_warning_days", default: "14", required: false, description: "Warn (purge mode) or fail (verify mode) when the token expires within this many days.", fallback: &[] },
    InputSpec { name: "check_purge_permission", default: "true", required: false, description: "Verify mode: prove the Cache Purge permission by purging one URL that is never served.", fallback: &[] },
    InputSpec { name: "api_url", default: "https://api.cloudflare.com/client/v4", required: false, description: "API base URL; http:// only for loopback addresses.", fallback: &[] },
    InputSpec { name: "timeout_seconds", default: "30", required: false, description: "Timeout of each request, in seconds.", fallback: &[] },
];

pub const OUTPUTS: &[OutputSpec] = &[
    OutputSpec {
        name: "result",
        description: "purged, verified, planned (dry run) or failed.",
    },
    OutputSpec {
        name: "cause",
        description: "The cause code that failed the step; empty on success.",
    },
    OutputSpec {
        name: "warnings",
        description: "Cause codes of warnings, comma separated.",
    },
    OutputSpec {
        name: "zone_id",
        description: "The resolved zone ID.",
    },
    OutputSpec {
        name: "zone_name",
        description: "The resolved zone name.",
    },
    OutputSpec {
        name: "credential",
        description: "user-token, account-token or global-key.",
    },
    OutputSpec {
        name: "token_status",
        description: "active, expired or disabled; empty for a Global API Key.",
    },
    OutputSpec {
        name: "token_expires_on",
        description: "RFC 3339 expiry of the token; empty when it never expires.",
    },
    OutputSpec {
        name: "days_until_expiry",
        description: "Whole days until the token expires; empty when it never expires.",
    },
    OutputSpec {
        name: "purged_count",
        description: "Number of items Cloudflare accepted.",
    },
    OutputSpec {
        name: "failed",
        description: "Newline-separated items that were not purged.",
    },
    OutputSpec {
        name: "purge_ids",
        description: "Cloudflare's purge request ids, comma separated.",
    },
];

/// The declared default of an input ("" for none).
pub fn default_of(name: &str) -> &'static str {
    INPUTS
        .iter()
        .find(|i| i.name == name)
        .map(|i| i.default)
        .unwrap_or("")
}
