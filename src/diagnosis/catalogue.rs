//! The one catalogue of causes: each cause's code, title, group (severity and exit status), doc link and
//! general fix in one row; the facts it carries in its variant. The prose is in `prose/`.

use crate::cloudflare::{CfMessage, Foreign, NetKind};

const DOC_TOKENS: &str =
    "https://developers.cloudflare.com/fundamentals/api/get-started/create-token/";
const DOC_FORMATS: &str =
    "https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/";
const DOC_ACCOUNT_TOKENS: &str =
    "https://developers.cloudflare.com/fundamentals/api/get-started/account-owned-tokens/";
const DOC_RESTRICT: &str =
    "https://developers.cloudflare.com/fundamentals/api/how-to/restrict-tokens/";
const DOC_KEYS: &str = "https://developers.cloudflare.com/fundamentals/api/get-started/keys/";
const DOC_IDS: &str =
    "https://developers.cloudflare.com/fundamentals/account/find-account-and-zone-ids/";
const DOC_PURGE: &str = "https://developers.cloudflare.com/cache/how-to/purge-cache/";
const DOC_SINGLE_FILE: &str =
    "https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-single-file/";
const DOC_PREFIX: &str =
    "https://developers.cloudflare.com/cache/how-to/purge-cache/purge_by_prefix/";
const DOC_HOSTS: &str =
    "https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-hostname/";
const DOC_CANCEL: &str = "https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-workflow-runs/canceling-a-workflow";
/// README sections: linked on the action's repository page once its address is known
/// ([`Cause::link`]), named as a file and anchor otherwise.
const DOC_CLI: &str = "README.md#the-command-line";
const DOC_OUTPUTS: &str = "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#setting-an-output-parameter";
const DOC_LIMITS: &str = "https://developers.cloudflare.com/fundamentals/api/reference/limits/";
const DOC_STATUS: &str = "https://www.cloudflarestatus.com/";
const DOC_SECRETS: &str = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions";
const DOC_DEPENDABOT: &str = "https://docs.github.com/en/code-security/dependabot/troubleshooting-dependabot/troubleshooting-dependabot-on-github-actions#accessing-secrets";
const DOC_ZONE_READ: &str =
    "https://developers.cloudflare.com/fundamentals/api/reference/permissions/";
const DOC_INPUTS: &str = "README.md#inputs-and-outputs";

/// Which input a credential came from, as the user wrote it in `with:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialInput {
    ApiToken,
    GlobalApiKey,
}

impl CredentialInput {
    pub fn name(self) -> &'static str {
        match self {
            CredentialInput::ApiToken => "api_token",
            CredentialInput::GlobalApiKey => "global_api_key",
        }
    }
}

/// Why no credential reached the action, judged from the run itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingReason {
    ForkPullRequest,
    Dependabot,
    /// A workflow run where secrets are available: the `secrets.NAME` reference matches nothing.
    SecretNameMismatch,
    LocalRun,
}

/// What is wrong with a credential's shape. Never holds any part of the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeProblem {
    /// Right alphabet, wrong length.
    Length { expected: &'static str },
    /// Characters no Cloudflare credential contains.
    Characters { count: usize, first_at: usize },
    /// A whole `NAME=value` line was pasted; `name` is the variable name (not secret).
    Assignment { name: String },
}

/// Whitespace found inside a credential (outer whitespace is trimmed silently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InnerWhitespace {
    pub what: &'static str,
    pub at: usize,
}

/// An item that cannot be sent as it is, and why (a whole sentence without its period).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub item: String,
    pub why: &'static str,
}

/// An item repaired before it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    pub from: String,
    pub to: String,
}

/// How the action knows a token is account-owned.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountProof {
    /// It starts with `cfat_`.
    Prefix,
    /// The user endpoint called it invalid, and a zone lookup answered as to a known token.
    Answers {
        user: Vec<CfMessage>,
        zone: Vec<CfMessage>,
    },
}

/// An answer the action cannot use.
#[derive(Debug, Clone, PartialEq)]
pub enum Unexpected {
    Answer(Foreign),
    /// 7000/7003 "No route" to a token check: `api_url` is not Cloudflare's API base.
    NoRoute(Vec<CfMessage>),
    /// A zone whose id or name is not the shape of one.
    ZoneShape,
    /// A token status Cloudflare does not document (at most 40 characters of it).
    TokenStatus(String),
}

/// Every outcome worth telling a user, with the facts needed to explain it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    MissingZone,
    InvalidZone {
        values: Vec<String>,
    },
    MissingCredentials {
        reason: MissingReason,
    },
    TokenPlaceholder {
        input: CredentialInput,
        length: usize,
    },
    IncompleteGlobalKey {
        missing: &'static str,
    },
    InvalidEmail {
        problem: &'static str,
    },
    TokenMalformed {
        input: CredentialInput,
        length: usize,
        problem: ShapeProblem,
    },
    TokenHasWhitespace {
        input: CredentialInput,
        length: usize,
        inner: InnerWhitespace,
    },
    GlobalKeyAsToken {
        length: usize,
        /// `cfk_…` rather than the legacy lowercase hex.
        prefixed: bool,
    },
    TokenAsGlobalKey {
        kind: &'static str,
    },
    OriginCaKey {
        input: CredentialInput,
    },
    NothingToPurge,
    ConflictingPurgeInputs {
        lists: Vec<&'static str>,
    },
    InvalidUrl {
        items: Vec<String>,
    },
    UrlOutsideZone {
        zones: Vec<String>,
        items: Vec<String>,
    },
    FilesWildcard {
        items: Vec<String>,
    },
    InvalidPrefix {
        items: Vec<Rejected>,
    },
    InvalidHost {
        items: Vec<Rejected>,
    },
    /// `input` holds something shaped like a credential and `api_token` something shaped like an ID.
    InputsSwapped {
        input: &'static str,
        holds: &'static str,
        id: &'static str,
    },
    /// A list holds the credential (or a piece of it), or a `cfut_`/`cfat_`/`cfk_` credential.
    CredentialInList {
        input: &'static str,
        holds: &'static str,
    },
    /// Several zones, some of which the credential cannot read the name of: the items that route by
    /// host and went to no named zone may be theirs.
    ZoneNamesUnreadable {
        zones: Vec<String>,
        items: Vec<String>,
    },
    /// A proxy variable the API's requests would take holds no proxy URL (never gone around).
    ProxyNotUrl {
        variable: &'static str,
        /// Quoted without user name and password.
        value: String,
    },
    /// A command-line flag that could not be read (`--zoen`, `--zone` without a value).
    BadFlag {
        flag: String,
        problem: &'static str,
        closest: Option<String>,
    },
    InvalidInput {
        input: &'static str,
        value: String,
        expected: String,
    },
    TokenBearerPrefix {
        input: CredentialInput,
    },
    TokenQuoted {
        input: CredentialInput,
    },
    BothCredentials,
    ZoneWasUrl {
        host: String,
    },
    ItemRepaired {
        items: Vec<Repaired>,
    },
    TokenInvalid {
        errors: Vec<CfMessage>,
        account_checked: Option<String>,
        /// What a zone lookup answered, when it was tried (9109 "Invalid access token").
        zone_said: Vec<CfMessage>,
    },
    AccountTokenNeedsAccountId {
        proof: AccountProof,
    },
    TokenExpired {
        expires_on: Option<String>,
    },
    TokenDisabled,
    TokenNotYetValid {
        not_before: String,
    },
    /// Fatal in verify mode, a warning in purge mode.
    TokenExpiringSoon {
        expires_on: String,
        days: i64,
        fatal: bool,
    },
    TokenIpRestricted {
        location: String,
    },
    GlobalKeyRejected {
        errors: Vec<CfMessage>,
    },
    ZoneNotFound {
        zone: String,
        visible: Vec<String>,
        errors: Vec<CfMessage>,
        /// A parent domain of the name given that is a zone the credential can see.
        parent: Option<String>,
    },
    AccountIdAsZone {
        id: String,
    },
    ZoneNotActive {
        name: String,
        status: String,
        /// Other zones of the name found, none of them active either.
        others: Vec<String>,
    },
    PurgePermissionMissing {
        zone: String,
        status: u16,
        errors: Vec<CfMessage>,
    },
    PurgeRejected {
        zone: String,
        status: u16,
        errors: Vec<CfMessage>,
    },
    RateLimited {
        attempts: u32,
        errors: Vec<CfMessage>,
    },
    CloudflareUnavailable {
        status: u16,
        attempts: u32,
        html: bool,
    },
    NetworkError {
        kind: NetKind,
        attempts: u32,
        host: String,
        /// The proxy the request went through (its address only).
        proxy: Option<String>,
    },
    UnexpectedResponse {
        what: Unexpected,
        status: u16,
    },
    /// The runner's `GITHUB_OUTPUT` or `GITHUB_STEP_SUMMARY` (or the workspace file) could not be written.
    OutputsNotWritten {
        /// As the message names it: "the file named by GITHUB_OUTPUT".
        file: String,
        error: String,
    },
    /// The runner cancelled the step; `not_confirmed` items were not confirmed purged.
    Cancelled {
        not_confirmed: usize,
    },
}

/// What a cause does to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The inputs are wrong: an error, exit 2.
    Input,
    /// An input was repaired and the run goes on: a warning.
    Repaired,
    /// Cloudflare refused or failed: an error, exit 1.
    Online,
    /// Worth knowing, not stopping for: a warning.
    Notice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// What defines a cause, in one place.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Stable: users and tests match on it (contract §5).
    pub code: &'static str,
    pub title: &'static str,
    pub group: Group,
    pub doc: &'static str,
    /// What to do, for every situation the cause covers (the README's column).
    pub fix: &'static str,
}

const fn row(
    code: &'static str,
    title: &'static str,
    group: Group,
    doc: &'static str,
    fix: &'static str,
) -> Row {
    Row {
        code,
        title,
        group,
        doc,
        fix,
    }
}

impl Cause {
    /// The catalogue: one row per cause.
    #[rustfmt::skip]
    pub fn row(&self) -> Row {
        use super::prose::general as fix;
        use Cause::*;
        use Group::*;
        match self {
            MissingZone => row("missing-zone", "No zone given", Input, DOC_IDS, fix::ZONE),
            InvalidZone { .. } => row("invalid-zone", "Zone is not a zone ID or domain", Input, DOC_IDS, fix::INVALID_ZONE),
            MissingCredentials { reason: MissingReason::Dependabot } => row("missing-credentials", "No Cloudflare credentials", Input, DOC_DEPENDABOT, fix::MISSING_CREDENTIALS),
            MissingCredentials { .. } => row("missing-credentials", "No Cloudflare credentials", Input, DOC_SECRETS, fix::MISSING_CREDENTIALS),
            TokenPlaceholder { .. } => row("token-placeholder", "Credential is a placeholder", Input, DOC_TOKENS, fix::PLACEHOLDER),
            IncompleteGlobalKey { .. } => row("incomplete-global-key", "Global API Key needs both key and email", Input, DOC_KEYS, fix::INCOMPLETE_KEY),
            InvalidEmail { .. } => row("invalid-email", "Email is not an address", Input, DOC_KEYS, fix::EMAIL),
            TokenMalformed { .. } => row("token-malformed", "Credential has the wrong shape", Input, DOC_FORMATS, fix::COPY_AGAIN),
            TokenHasWhitespace { .. } => row("token-has-whitespace", "Whitespace inside the credential", Input, DOC_FORMATS, fix::COPY_AGAIN),
            GlobalKeyAsToken { .. } => row("global-key-as-token", "Global API Key given as an API token", Input, DOC_FORMATS, fix::KEY_AS_TOKEN),
            TokenAsGlobalKey { .. } => row("token-as-global-key", "API token given as a Global API Key", Input, DOC_FORMATS, fix::TOKEN_AS_KEY),
            OriginCaKey { .. } => row("origin-ca-key", "Origin CA key cannot purge", Input, DOC_FORMATS, fix::ORIGIN_CA),
            NothingToPurge => row("nothing-to-purge", "Nothing to purge", Input, DOC_PURGE, fix::NOTHING),
            ConflictingPurgeInputs { .. } => row("conflicting-purge-inputs", "purge_everything together with lists", Input, DOC_PURGE, fix::CONFLICTING),
            InvalidUrl { .. } => row("invalid-url", "Not a URL or path", Input, DOC_PURGE, fix::INVALID_URL),
            UrlOutsideZone { .. } => row("url-outside-zone", "Item outside the zone", Input, DOC_PURGE, fix::OUTSIDE_ZONE),
            FilesWildcard { .. } => row("files-wildcard", "Wildcard in a file URL", Input, DOC_SINGLE_FILE, fix::WILDCARD),
            InvalidPrefix { .. } => row("invalid-prefix", "Prefix Cloudflare cannot purge", Input, DOC_PREFIX, fix::INVALID_PREFIX),
            InvalidHost { .. } => row("invalid-host", "Not a host name", Input, DOC_HOSTS, fix::INVALID_HOST),
            InputsSwapped { .. } => row("invalid-input", "Inputs swapped?", Input, DOC_IDS, fix::SWAPPED),
            CredentialInList { .. } => row("invalid-input", "Credential among the items to purge", Input, DOC_TOKENS, fix::CREDENTIAL_IN_LIST),
            ZoneNamesUnreadable { .. } => row("invalid-input", "Zone names unreadable for routing", Input, DOC_ZONE_READ, fix::ZONE_NAMES),
            ProxyNotUrl { .. } => row("invalid-input", "Proxy variable holds no proxy URL", Input, DOC_INPUTS, fix::PROXY_NOT_URL),
            BadFlag { .. } => row("invalid-input", "Command-line flag not understood", Input, DOC_CLI, fix::BAD_FLAG),
            InvalidInput { .. } => row("invalid-input", "Invalid input value", Input, DOC_INPUTS, fix::INVALID_INPUT),
            TokenBearerPrefix { .. } => row("token-bearer-prefix", "\"Bearer \" removed from the token", Repaired, DOC_FORMATS, fix::BEARER),
            TokenQuoted { .. } => row("token-quoted", "Quotes removed from the credential", Repaired, DOC_FORMATS, fix::QUOTED),
            BothCredentials => row("both-credentials", "Both a token and a Global API Key given", Repaired, DOC_KEYS, fix::BOTH),
            ZoneWasUrl { .. } => row("zone-was-url", "Zone given as a URL", Repaired, DOC_IDS, fix::ZONE_WAS_URL),
            ItemRepaired { .. } => row("item-repaired", "Host or prefix repaired", Repaired, DOC_PREFIX, fix::REPAIRED),
            TokenInvalid { .. } => row("token-invalid", "Cloudflare does not know this token", Online, DOC_TOKENS, fix::TOKEN_INVALID),
            AccountTokenNeedsAccountId { .. } => row("account-token-needs-account-id", "Account token needs account_id", Online, DOC_ACCOUNT_TOKENS, fix::ACCOUNT_ID),
            TokenExpired { .. } => row("token-expired", "API token expired", Online, DOC_RESTRICT, fix::ROLL),
            TokenDisabled => row("token-disabled", "API token disabled", Online, DOC_RESTRICT, fix::ROLL),
            TokenNotYetValid { .. } => row("token-not-yet-valid", "API token not valid yet", Online, DOC_RESTRICT, fix::NOT_YET),
            TokenExpiringSoon { fatal: true, .. } => row("token-expiring-soon", "API token expires soon", Online, DOC_RESTRICT, fix::EXPIRING),
            TokenExpiringSoon { fatal: false, .. } => row("token-expiring-soon", "API token expires soon", Notice, DOC_RESTRICT, fix::EXPIRING),
            TokenIpRestricted { .. } => row("token-ip-restricted", "API token refused from this IP address", Online, DOC_RESTRICT, fix::IP_RESTRICTED),
            GlobalKeyRejected { .. } => row("global-key-rejected", "Global API Key rejected", Online, DOC_KEYS, fix::KEY_REJECTED),
            ZoneNotFound { .. } => row("zone-not-found", "Zone not found", Online, DOC_IDS, fix::ZONE_NOT_FOUND),
            AccountIdAsZone { .. } => row("account-id-as-zone", "Account ID given as the zone", Online, DOC_IDS, fix::ACCOUNT_AS_ZONE),
            ZoneNotActive { .. } => row("zone-not-active", "Zone is not active", Notice, DOC_IDS, fix::NOT_ACTIVE),
            PurgePermissionMissing { .. } => row("purge-permission-missing", "Token lacks Cache Purge permission", Online, DOC_TOKENS, fix::PERMISSION),
            PurgeRejected { .. } => row("purge-rejected", "Cloudflare rejected the purge", Online, DOC_PURGE, fix::REJECTED),
            RateLimited { .. } => row("rate-limited", "Rate limited by Cloudflare", Online, DOC_LIMITS, fix::RATE_LIMITED),
            CloudflareUnavailable { .. } => row("cloudflare-unavailable", "Cloudflare API unavailable", Online, DOC_STATUS, fix::UNAVAILABLE),
            NetworkError { .. } => row("network-error", "Cannot reach the Cloudflare API", Online, DOC_STATUS, fix::NETWORK),
            UnexpectedResponse { .. } => row("unexpected-response", "Unexpected answer from the API", Online, DOC_STATUS, fix::UNEXPECTED),
            OutputsNotWritten { .. } => row("outputs-not-written", "Outputs not written", Online, DOC_OUTPUTS, fix::OUTPUTS),
            Cancelled { .. } => row("cancelled", "Cancelled", Online, DOC_CANCEL, fix::CANCELLED),
        }
    }

    pub fn code(&self) -> &'static str {
        self.row().code
    }

    pub fn title(&self) -> &'static str {
        self.row().title
    }

    /// The page that explains the topic in depth (a README section as `README.md#anchor`).
    pub fn doc(&self) -> &'static str {
        self.row().doc
    }

    /// [`Cause::doc`] as a link: a README section on `home`, the action's repository page
    /// (`https://github.com/owner/name`), when it is known.
    pub fn link(&self, home: Option<&str>) -> String {
        match (self.doc().strip_prefix("README.md"), home) {
            (Some(anchor), Some(home)) => format!("{home}{anchor}"),
            _ => self.doc().to_string(),
        }
    }

    pub fn severity(&self) -> Severity {
        match self.row().group {
            Group::Input | Group::Online => Severity::Error,
            Group::Repaired | Group::Notice => Severity::Warning,
        }
    }

    /// 2: the inputs are wrong; 1: Cloudflare refused or failed; 0 for warnings.
    pub fn exit_code(&self) -> u8 {
        match self.row().group {
            Group::Input => 2,
            Group::Online => 1,
            Group::Repaired | Group::Notice => 0,
        }
    }
}

/// Cloudflare's own words, quoted: `1000 "Invalid API Token"`, chained errors included.
pub fn quote(errors: &[CfMessage]) -> String {
    let parts: Vec<String> = errors.iter().flat_map(|e| e.flatten()).collect();
    if parts.is_empty() {
        "an error without a message".into()
    } else {
        parts.join(", ")
    }
}
