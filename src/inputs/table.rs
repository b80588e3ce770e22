//! The one definition of every input and output. Reading (environment and command line), defaults,
//! fallbacks, the help text, action.yml and the README tables all derive from it.

pub use crate::names::Input;

/// How an input's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    /// A credential: masked before anything is printed, never echoed.
    Secret,
    /// Items separated by newlines, commas or whitespace; on the command line the flag may repeat.
    List,
    /// Paths, one per line; on the command line the flag may repeat.
    Paths,
    /// `true/false`, `1/0`, `yes/no`; on the command line the flag may stand alone.
    Bool,
    Number {
        min: i64,
        max: i64,
    },
}

/// Where an input is listed in the help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Purge,
    Credentials,
    Behaviour,
}

/// One `with:` input of the action.
#[derive(Debug, Clone, Copy)]
pub struct InputSpec {
    pub input: Input,
    pub name: &'static str,
    pub default: &'static str,
    pub(crate) required: bool,
    pub(crate) kind: Kind,
    pub(crate) section: Section,
    pub(crate) description: &'static str,
    /// Conventional variables read for local runs when the input is empty, first match wins.
    pub(crate) fallback: &'static [&'static str],
}

/// Every output of the action; `spec()` finds its row in [`OUTPUTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Output {
    Result,
    Cause,
    Warnings,
    ZoneId,
    ZoneName,
    Credential,
    TokenStatus,
    TokenExpiresOn,
    DaysUntilExpiry,
    PurgedCount,
    Failed,
    FailedCount,
    FailedFile,
    PurgeIds,
    Confirmed,
}

/// One output written to `$GITHUB_OUTPUT`.
#[derive(Debug, Clone, Copy)]
pub struct OutputSpec {
    pub(crate) output: Output,
    pub name: &'static str,
    /// Read by the action files' renderers only (feature `docs`).
    #[cfg_attr(not(feature = "docs"), allow(dead_code))]
    pub description: &'static str,
}

const fn spec(
    input: Input,
    default: &'static str,
    kind: Kind,
    section: Section,
    description: &'static str,
) -> InputSpec {
    InputSpec {
        input,
        name: input.name(),
        default,
        required: false,
        kind,
        section,
        description,
        fallback: &[],
    }
}

const fn with_fallback(spec: InputSpec, fallback: &'static [&'static str]) -> InputSpec {
    InputSpec { fallback, ..spec }
}

use Input as I;
use Kind as K;
use Section as S;

/// In the order of [`Input`].
#[rustfmt::skip]
pub const INPUTS: &[InputSpec] = &[
    InputSpec { required: true, ..with_fallback(spec(I::Zone, "", K::List, S::Purge, "Zone ID (32 hex characters) or the zone's domain name (example.com); several zones in the list syntax, IDs and names mixed."), &["CLOUDFLARE_ZONE_ID", "CLOUDFLARE_ZONE"]) },
    with_fallback(spec(I::ApiToken, "", K::Secret, S::Credentials, "API token with Zone → Cache Purge (and Zone → Zone Read): user or account owned, legacy or cfut_/cfat_ prefixed."), &["CLOUDFLARE_API_TOKEN"]),
    with_fallback(spec(I::Email, "", K::Text, S::Credentials, "Account email, only together with global_api_key."), &["CLOUDFLARE_EMAIL"]),
    with_fallback(spec(I::GlobalApiKey, "", K::Secret, S::Credentials, "Legacy Global API Key (discouraged: prefer api_token)."), &["CLOUDFLARE_API_KEY"]),
    with_fallback(spec(I::AccountId, "", K::Text, S::Credentials, "Only needed when an account-owned token cannot read the zone itself."), &["CLOUDFLARE_ACCOUNT_ID"]),
    spec(I::Files, "", K::List, S::Purge, "URLs or paths (/blog/, joined to base_url) to purge, separated by newlines, commas or spaces; or a JSON array of URL strings and {\"url\", \"headers\"} objects. The lines of a failed output are read back as the items they name."),
    spec(I::FilesFrom, "", K::Paths, S::Purge, "File (absolute, or relative to the workspace) listing more files to purge, one per line; # comments and blank lines skipped. Several files: one path per line."),
    spec(I::Tags, "", K::List, S::Purge, "Cache-Tag values to purge (same list syntax)."),
    spec(I::Hosts, "", K::List, S::Purge, "Hostnames to purge."),
    spec(I::Prefixes, "", K::List, S::Purge, "URL prefixes to purge (example.com/blog/)."),
    spec(I::PurgeEverything, "false", K::Bool, S::Purge, "Purge the whole zone. Never implied by empty lists."),
    spec(I::BaseUrl, "", K::Text, S::Purge, "Base for paths in files; empty means https://<zone name>."),
    spec(I::Mode, "purge", K::Text, S::Behaviour, "purge, or verify: check credentials, zone, expiry and the purge permission, purge nothing."),
    spec(I::DryRun, "false", K::Bool, S::Behaviour, "Run every check and print the planned batches, but send no purge: the Cache Purge permission is then not proven (mode: verify without dry_run proves it)."),
    spec(I::ExpiryWarningDays, "14", K::Number { min: 0, max: 3650 }, S::Behaviour, "Warn (purge mode) or fail (verify mode) when the token expires within this many days; 0 turns the check off."),
    spec(I::CheckPurgePermission, "true", K::Bool, S::Behaviour, "Verify mode: prove the Cache Purge permission by purging one URL that is never served (a tag that is never used, when the token cannot read the zone's name)."),
    spec(I::ApiUrl, "https://api.cloudflare.com/client/v4", K::Text, S::Behaviour, "API base URL; http:// only for loopback addresses."),
    spec(I::TimeoutSeconds, "30", K::Number { min: 1, max: 600 }, S::Behaviour, "Timeout of each request, in seconds."),
    spec(I::Invalidate, "false", K::Bool, S::Purge, "Invalidate instead of purging (soft purge): the same items and batches go to Cloudflare's invalidate_cache, which keeps the content but marks it stale, so the next request revalidates it with the origin (a 304 keeps the cached body)."),
    spec(I::WaitFor, "", K::Text, S::Behaviour, "A URL (http or https) that serves the new build once it is live, such as a version file. Before anything is purged it is requested, without any credential, until its body or a header value contains wait_for_text."),
    spec(I::WaitForText, "", K::Text, S::Behaviour, "The text that proves the new build is live at wait_for, such as the commit SHA (github.sha) the build was made from. Required with wait_for."),
    spec(I::WaitTimeoutSeconds, "300", K::Number { min: 1, max: 3600 }, S::Behaviour, "How long to wait for wait_for to show wait_for_text before failing with origin-not-updated (nothing is then purged)."),
    spec(I::Confirm, "false", K::Bool, S::Behaviour, "After the purge, request up to 10 of the purged URLs from the site itself (no credential) and prove from Cloudflare's cache headers that each was evicted; purge-no-effect fails the step when one was not. Not in dry runs or verify mode."),
    spec(I::ConfirmUrls, "", K::List, S::Behaviour, "URLs to check with confirm after a purge by tags, hosts, prefixes or everything, which name no URL of their own (same list syntax); each must be in a listed zone."),
    spec(I::CaCertificates, "", K::Text, S::Behaviour, "PEM file (absolute, or relative to the workspace) of extra CA certificates to trust for the API, for self-hosted runners behind a TLS-inspecting proxy; the built-in roots stay trusted."),
];

impl InputSpec {
    /// The description, with the range of a number: what action.yml, the README and `--help` say.
    pub(crate) fn about(&self) -> String {
        match self.kind {
            Kind::Number { min, max } => {
                format!("{} A whole number from {min} to {max}.", self.description)
            }
            _ => self.description.to_string(),
        }
    }
}

impl Input {
    pub(crate) fn spec(self) -> &'static InputSpec {
        &INPUTS[self as usize]
    }

    /// The input of this name (as written in `with:`), if there is one.
    #[cfg_attr(not(feature = "docs"), allow(dead_code))] // Read by the docs renderers and the tests only.
    pub fn named(name: &str) -> Option<Input> {
        INPUTS.iter().find(|s| s.name == name).map(|s| s.input)
    }
}

impl Output {
    pub(crate) fn spec(self) -> &'static OutputSpec {
        &OUTPUTS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

pub const OUTPUTS: &[OutputSpec] = &[
    OutputSpec {
        output: Output::Result,
        name: "result",
        description: "purged, invalidated (invalidate: true), verified, planned (dry run) or failed.",
    },
    OutputSpec {
        output: Output::Cause,
        name: "cause",
        description: "The cause code that failed the step; empty on success.",
    },
    OutputSpec {
        output: Output::Warnings,
        name: "warnings",
        description: "Cause codes of warnings, comma separated.",
    },
    OutputSpec {
        output: Output::ZoneId,
        name: "zone_id",
        description:
            "The resolved zone ID; with several zones, comma separated in the order given.",
    },
    OutputSpec {
        output: Output::ZoneName,
        name: "zone_name",
        description:
            "The resolved zone name; with several zones, comma separated in the order given.",
    },
    OutputSpec {
        output: Output::Credential,
        name: "credential",
        description: "user-token, account-token or global-key.",
    },
    OutputSpec {
        output: Output::TokenStatus,
        name: "token_status",
        description: "active, expired or disabled; empty for a Global API Key.",
    },
    OutputSpec {
        output: Output::TokenExpiresOn,
        name: "token_expires_on",
        description: "RFC 3339 expiry of the token; empty when it never expires.",
    },
    OutputSpec {
        output: Output::DaysUntilExpiry,
        name: "days_until_expiry",
        description: "Whole days until the token expires; empty when it never expires.",
    },
    OutputSpec {
        output: Output::PurgedCount,
        name: "purged_count",
        description: "Number of items Cloudflare accepted, an item counted once per zone it was sent to.",
    },
    OutputSpec {
        output: Output::Failed,
        name: "failed",
        description: "Newline-separated items that were not purged, each in the form files reads back as the same item (a URL as it is, a path joined to its base as a full URL; a file with cache-key headers or a comma, a tag, host, prefix or purge_everything as a JSON object such as {\"tag\": \"t1\"}); whole items, at most 256 KiB.",
    },
    OutputSpec {
        output: Output::FailedCount,
        name: "failed_count",
        description: "How many items were not purged, counted as purged_count counts (a tag that failed in two zones is 2, though failed lists it once), also when failed was cut.",
    },
    OutputSpec {
        output: Output::FailedFile,
        name: "failed_file",
        description: "Only when failed was cut: cloudflare-purge-failed.txt, relative to the workspace, listing every item not purged, one per line.",
    },
    OutputSpec {
        output: Output::PurgeIds,
        name: "purge_ids",
        description: "Cloudflare's purge request ids, comma separated.",
    },
    OutputSpec {
        output: Output::Confirmed,
        name: "confirmed",
        description: "With confirm: N/M, the URLs proven evicted of those checked; empty otherwise.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_the_enum() {
        for (i, spec) in INPUTS.iter().enumerate() {
            assert_eq!(spec.input as usize, i, "{}", spec.name);
            assert_eq!(Input::named(spec.name), Some(spec.input));
        }
        for (i, spec) in OUTPUTS.iter().enumerate() {
            assert_eq!(spec.output as usize, i, "{}", spec.name);
        }
    }
}
