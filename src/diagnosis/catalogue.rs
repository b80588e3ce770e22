//! The one catalogue of causes: every code, title, severity, exit status, explanation and fix lives here.

use crate::cloudflare::CfMessage;

/// Where the token-creation form starts pre-filled with exactly the permissions this action needs.
pub const TOKEN_LINK: &str = "https://dash.cloudflare.com/profile/api-tokens?permissionGroupKeys=%5B%7B%22key%22%3A%22cache_purge%22%2C%22type%22%3A%22edit%22%7D%2C%7B%22key%22%3A%22zone%22%2C%22type%22%3A%22read%22%7D%5D&accountId=*&zoneId=all&name=cloudflare-purge";

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
const DOC_LIMITS: &str = "https://developers.cloudflare.com/fundamentals/api/reference/limits/";
const DOC_STATUS: &str = "https://www.cloudflarestatus.com/";
const DOC_SECRETS: &str = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions";
const DOC_DEPENDABOT: &str = "https://docs.github.com/en/code-security/dependabot/troubleshooting-dependabot/troubleshooting-dependabot-on-github-actions#accessing-secrets";
const DOC_INPUTS: &str = "https://github.com/marketplace/actions/cloudflare-purge#inputs";

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
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// How transport to the API failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetKind {
    Dns,
    Connect,
    Tls,
    Timeout,
    Dropped,
}

impl NetKind {
    fn describe(self) -> &'static str {
        match self {
            NetKind::Dns => "DNS lookup of the API host failed",
            NetKind::Connect => "could not connect to the API host",
            NetKind::Tls => "the TLS handshake with the API host failed",
            NetKind::Timeout => "the request timed out",
            NetKind::Dropped => "the connection was closed before an answer arrived",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Every outcome worth telling a user, with the facts needed to explain it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    // ---- offline
    MissingZone,
    InvalidZone {
        value: String,
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
    },
    TokenAsGlobalKey {
        length: usize,
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
        zone: String,
        items: Vec<String>,
    },
    InvalidInput {
        input: &'static str,
        value: String,
        expected: String,
    },
    // ---- offline warnings
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
    // ---- online
    TokenInvalid {
        errors: Vec<CfMessage>,
        account_checked: Option<String>,
    },
    AccountTokenNeedsAccountId {
        errors: Vec<CfMessage>,
    },
    TokenExpired {
        expires_on: Option<String>,
    },
    TokenDisabled,
    TokenNotYetValid {
        not_before: String,
    },
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
    },
    AccountIdAsZone {
        id: String,
    },
    ZoneNotActive {
        name: String,
        status: String,
    },
    PurgePermissionMissing {
        zone: String,
        status: u16,
        errors: Vec<CfMessage>,
    },
    PurgeRejected {
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
    },
    UnexpectedResponse {
        what: String,
        status: u16,
    },
}

impl Cause {
    /// The stable code users and tests match on (contract §5).
    pub fn code(&self) -> &'static str {
        use Cause::*;
        match self {
            MissingZone => "missing-zone",
            InvalidZone { .. } => "invalid-zone",
            MissingCredentials { .. } => "missing-credentials",
            TokenPlaceholder { .. } => "token-placeholder",
            IncompleteGlobalKey { .. } => "incomplete-global-key",
            InvalidEmail { .. } => "invalid-email",
            TokenMalformed { .. } => "token-malformed",
            TokenHasWhitespace { .. } => "token-has-whitespace",
            GlobalKeyAsToken { .. } => "global-key-as-token",
            TokenAsGlobalKey { .. } => "token-as-global-key",
            OriginCaKey { .. } => "origin-ca-key",
            NothingToPurge => "nothing-to-purge",
            ConflictingPurgeInputs { .. } => "conflicting-purge-inputs",
            InvalidUrl { .. } => "invalid-url",
            UrlOutsideZone { .. } => "url-outside-zone",
            InvalidInput { .. } => "invalid-input",
            TokenBearerPrefix { .. } => "token-bearer-prefix",
            TokenQuoted { .. } => "token-quoted",
            BothCredentials => "both-credentials",
            ZoneWasUrl { .. } => "zone-was-url",
            TokenInvalid { .. } => "token-invalid",
            AccountTokenNeedsAccountId { .. } => "account-token-needs-account-id",
            TokenExpired { .. } => "token-expired",
            TokenDisabled => "token-disabled",
            TokenNotYetValid { .. } => "token-not-yet-valid",
            TokenExpiringSoon { .. } => "token-expiring-soon",
            TokenIpRestricted { .. } => "token-ip-restricted",
            GlobalKeyRejected { .. } => "global-key-rejected",
            ZoneNotFound { .. } => "zone-not-found",
            AccountIdAsZone { .. } => "account-id-as-zone",
            ZoneNotActive { .. } => "zone-not-active",
            PurgePermissionMissing { .. } => "purge-permission-missing",
            PurgeRejected { .. } => "purge-rejected",
            RateLimited { .. } => "rate-limited",
            CloudflareUnavailable { .. } => "cloudflare-unavailable",
            NetworkError { .. } => "network-error",
            UnexpectedResponse { .. } => "unexpected-response",
        }
    }

    pub fn title(&self) -> &'static str {
        use Cause::*;
        match self {
            MissingZone => "No zone given",
            InvalidZone { .. } => "Zone is not a zone ID or domain",
            MissingCredentials { .. } => "No Cloudflare credentials",
            TokenPlaceholder { .. } => "Credential is a placeholder",
            IncompleteGlobalKey { .. } => "Global API Key needs both key and email",
            InvalidEmail { .. } => "Email is not an address",
            TokenMalformed { .. } => "Credential has the wrong shape",
            TokenHasWhitespace { .. } => "Whitespace inside the credential",
            GlobalKeyAsToken { .. } => "Global API Key given as an API token",
            TokenAsGlobalKey { .. } => "API token given as a Global API Key",
            OriginCaKey { .. } => "Origin CA key cannot purge",
            NothingToPurge => "Nothing to purge",
            ConflictingPurgeInputs { .. } => "purge_everything together with lists",
            InvalidUrl { .. } => "Not a URL or path",
            UrlOutsideZone { .. } => "URL outside the zone",
            InvalidInput { .. } => "Invalid input value",
            TokenBearerPrefix { .. } => "\"Bearer \" removed from the token",
            TokenQuoted { .. } => "Quotes removed from the credential",
            BothCredentials => "Both a token and a Global API Key given",
            ZoneWasUrl { .. } => "Zone given as a URL",
            TokenInvalid { .. } => "Cloudflare does not know this token",
            AccountTokenNeedsAccountId { .. } => "Account token needs account_id",
            TokenExpired { .. } => "API token expired",
            TokenDisabled => "API token disabled",
            TokenNotYetValid { .. } => "API token not valid yet",
            TokenExpiringSoon { .. } => "API token expires soon",
            TokenIpRestricted { .. } => "API token refused from this IP address",
            GlobalKeyRejected { .. } => "Global API Key rejected",
            ZoneNotFound { .. } => "Zone not found",
            AccountIdAsZone { .. } => "Account ID given as the zone",
            ZoneNotActive { .. } => "Zone is not active",
            PurgePermissionMissing { .. } => "Token lacks Cache Purge permission",
            PurgeRejected { .. } => "Cloudflare rejected the purge",
            RateLimited { .. } => "Rate limited by Cloudflare",
            CloudflareUnavailable { .. } => "Cloudflare API unavailable",
            NetworkError { .. } => "Cannot reach the Cloudflare API",
            UnexpectedResponse { .. } => "Unexpected answer from the API",
        }
    }

    pub fn severity(&self) -> Severity {
        use Cause::*;
        match self {
            TokenBearerPrefix { .. } | TokenQuoted { .. } | BothCredentials | ZoneWasUrl { .. } => {
                Severity::Warning
            }
            ZoneNotActive { .. } => Severity::Warning,
            TokenExpiringSoon { fatal, .. } if !fatal => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// 2: the inputs are wrong (decided from the inputs alone); 1: Cloudflare refused or failed.
    pub fn exit_code(&self) -> i32 {
        if self.is_input_problem() {
            2
        } else {
            1
        }
    }

    fn is_input_problem(&self) -> bool {
        use Cause::*;
        matches!(
            self,
            MissingZone
                | InvalidZone { .. }
                | MissingCredentials { .. }
                | TokenPlaceholder { .. }
                | IncompleteGlobalKey { .. }
                | InvalidEmail { .. }
                | TokenMalformed { .. }
                | TokenHasWhitespace { .. }
                | GlobalKeyAsToken { .. }
                | TokenAsGlobalKey { .. }
                | OriginCaKey { .. }
                | NothingToPurge
                | ConflictingPurgeInputs { .. }
                | InvalidUrl { .. }
                | UrlOutsideZone { .. }
                | InvalidInput { .. }
        )
    }

    /// The annotation text: what was seen, then what to do.
    pub fn message(&self) -> String {
        format!("{}. {} ({})", self.seen(), self.fix(), self.doc())
    }

    /// What happened, as one sentence without its final period.
    pub fn seen(&self) -> String {
        use Cause::*;
        match self {
            MissingZone => "The zone input is empty".into(),
            InvalidZone { value } => format!(
                "The zone \"{value}\" is neither a 32-character zone ID nor a domain name"
            ),
            MissingCredentials { reason } => match reason {
                MissingReason::ForkPullRequest => "Neither api_token nor global_api_key reached the action: this run is a pull request from a fork, and GitHub gives such runs no repository secrets".into(),
                MissingReason::Dependabot => "Neither api_token nor global_api_key reached the action: this run was started by Dependabot, which gets only Dependabot secrets, not Actions secrets".into(),
                MissingReason::SecretNameMismatch => "Neither api_token nor global_api_key reached the action: the ${{ secrets.… }} expression in `with:` evaluated to an empty string, which happens when no secret of that name exists in the repository, its environment or organisation".into(),
                MissingReason::LocalRun => "No credential was given: neither api_token/global_api_key inputs nor the CLOUDFLARE_API_TOKEN or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY variables are set".into(),
            },
            TokenPlaceholder { input, length } => format!(
                "{} holds a placeholder ({length} characters), not a credential: example text such as YOUR-API-TOKEN, <token>, xxxx, changeme or an unexpanded ${{{{ secrets.X }}}} expression",
                input.name()
            ),
            IncompleteGlobalKey { missing } => format!(
                "A Global API Key is used with an email, but {missing} is empty"
            ),
            InvalidEmail { problem } => format!("The email input is not an email address ({problem})"),
            TokenMalformed { input, length, problem } => match problem {
                ShapeProblem::Length { expected } => format!(
                    "{} is {length} characters long, but {expected}: it was probably cut off or has extra characters",
                    input.name()
                ),
                ShapeProblem::Characters { count, first_at } => format!(
                    "{} ({length} characters) contains {count} character(s) no Cloudflare credential has, the first at position {first_at}",
                    input.name()
                ),
                ShapeProblem::Assignment { name } => format!(
                    "{} ({length} characters) is a whole `{name}=…` line, not just the value",
                    input.name()
                ),
            },
            TokenHasWhitespace { input, length, inner } => format!(
                "{} ({length} characters) has {} inside it at position {}",
                input.name(),
                inner.what,
                inner.at
            ),
            GlobalKeyAsToken { length } => format!(
                "api_token has the shape of a Global API Key ({length} characters of lowercase hex), not of an API token"
            ),
            TokenAsGlobalKey { length, kind } => format!(
                "global_api_key has the shape of {kind} ({length} characters), not of a Global API Key"
            ),
            OriginCaKey { input } => format!(
                "{} holds an Origin CA key (v1.0-…), which only manages origin certificates",
                input.name()
            ),
            NothingToPurge => "No files, tags, hosts or prefixes were given and purge_everything is not true".into(),
            ConflictingPurgeInputs { lists } => format!(
                "purge_everything is true and {} {} also given",
                lists.join(", "),
                if lists.len() == 1 { "is" } else { "are" }
            ),
            InvalidUrl { items } => format!(
                "{} in files {} neither an http(s) URL nor a path starting with /: {}",
                plural(items.len(), "item"),
                if items.len() == 1 { "is" } else { "are" },
                list_some(items)
            ),
            UrlOutsideZone { zone, items } => format!(
                "{} in files {} not in the zone {zone}: {}",
                plural(items.len(), "URL"),
                if items.len() == 1 { "is" } else { "are" },
                list_some(items)
            ),
            InvalidInput { input, value, expected } => {
                format!("The input {input} is \"{value}\", but it must be {expected}")
            }
            TokenBearerPrefix { input } => format!(
                "{} starts with \"Bearer \"; the prefix was removed and the rest used",
                input.name()
            ),
            TokenQuoted { input } => format!(
                "{} is wrapped in quotes; they were removed and the rest used",
                input.name()
            ),
            BothCredentials => "Both api_token and global_api_key are set; the API token is used".into(),
            ZoneWasUrl { host } => format!("The zone was given as a URL; its host {host} is used"),
            TokenInvalid { errors, account_checked } => match account_checked {
                Some(account) => format!(
                    "Cloudflare answered {} for this token, on the user endpoint and on the account endpoint of account {account}",
                    quote(errors)
                ),
                None => format!("Cloudflare answered {} for this token", quote(errors)),
            },
            AccountTokenNeedsAccountId { errors } => format!(
                "This is an account-owned token ({}on /user/tokens/verify), and its account could not be learned from the zone because the token cannot read it",
                if errors.is_empty() { String::new() } else { format!("{} ", quote(errors)) }
            ),
            TokenExpired { expires_on } => match expires_on {
                Some(date) => format!("Cloudflare says this API token expired on {date}"),
                None => "Cloudflare says this API token has expired".into(),
            },
            TokenDisabled => "Cloudflare says this API token is disabled".into(),
            TokenNotYetValid { not_before } => {
                format!("This API token is valid only from {not_before} (its \"not before\" date)")
            }
            TokenExpiringSoon { expires_on, days, .. } => format!(
                "This API token expires on {expires_on}, in {}",
                plural(*days as usize, "day")
            ),
            TokenIpRestricted { location } => format!(
                "Cloudflare refused the token from this runner's address {location} (9109 \"Cannot use the access token from location\"): the token has a Client IP Address Filtering rule"
            ),
            GlobalKeyRejected { errors } => format!(
                "Cloudflare refused the email + Global API Key pair: {}",
                quote(errors)
            ),
            ZoneNotFound { zone, visible, errors } => {
                let mut s = format!("The zone {zone} is not one this credential can see");
                if !errors.is_empty() {
                    s.push_str(&format!(" (Cloudflare answered {})", quote(errors)));
                }
                if visible.is_empty() {
                    s.push_str("; it sees no zones at all");
                } else {
                    s.push_str(&format!("; it sees {}", list_some(visible)));
                }
                s
            }
            AccountIdAsZone { id } => format!(
                "{id} given as zone is an account ID (it answers as an account), not a zone ID"
            ),
            ZoneNotActive { name, status } => format!(
                "The zone {name} is {status}, not active: Cloudflare is not serving it, so a purge changes nothing visible"
            ),
            PurgePermissionMissing { zone, status, errors } => format!(
                "Cloudflare refused to purge the zone {zone} with HTTP {status}{}",
                if errors.is_empty() { String::new() } else { format!(" {}", quote(errors)) }
            ),
            PurgeRejected { status, errors } => format!(
                "Cloudflare rejected the purge request with HTTP {status}{}",
                if errors.is_empty() { String::new() } else { format!(" {}", quote(errors)) }
            ),
            RateLimited { attempts, errors } => format!(
                "Cloudflare still answered 429 Too Many Requests after {}{}",
                plural(*attempts as usize, "attempt"),
                if errors.is_empty() { String::new() } else { format!(" {}", quote(errors)) }
            ),
            CloudflareUnavailable { status, attempts, html } => format!(
                "The Cloudflare API answered HTTP {status}{} after {}",
                if *html { " with an HTML error page" } else { "" },
                plural(*attempts as usize, "attempt")
            ),
            NetworkError { kind, attempts, host } => format!(
                "Talking to {host}: {} (after {})",
                kind.describe(),
                plural(*attempts as usize, "attempt")
            ),
            UnexpectedResponse { what, status } => {
                format!("The API answered HTTP {status} with {what}, not Cloudflare's JSON envelope")
            }
        }
    }

    /// What to do about it, as whole sentences.
    pub fn fix(&self) -> String {
        use Cause::*;
        match self {
            MissingZone => "Set `zone:` to the zone ID (dashboard → your domain → Overview → API → Zone ID) or to the domain name".into(),
            InvalidZone { .. } => "Use the 32-character Zone ID from dashboard → your domain → Overview → API, or the bare domain such as example.com".into(),
            MissingCredentials { reason } => match reason {
                MissingReason::ForkPullRequest => "Run the purge only on push or on pull requests from branches of this repository (`if: github.event.pull_request.head.repo.fork == false`)".into(),
                MissingReason::Dependabot => "Add the secret under Settings → Secrets and variables → Dependabot as well, or skip this step for Dependabot (`if: github.actor != 'dependabot[bot]'`)".into(),
                MissingReason::SecretNameMismatch => "Compare the name in `${{ secrets.NAME }}` with Settings → Secrets and variables → Actions (names are case-sensitive; environment secrets need `environment:` on the job)".into(),
                MissingReason::LocalRun => "Export CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY) or set INPUT_API_TOKEN".into(),
            },
            TokenPlaceholder { input, .. } => format!(
                "Create a token at {TOKEN_LINK}, store it as a repository secret, and pass it as `{}: ${{{{ secrets.CLOUDFLARE_API_TOKEN }}}}`",
                input.name()
            ),
            IncompleteGlobalKey { .. } => "Give both `email` and `global_api_key`, or better, use `api_token` with a scoped API token".into(),
            InvalidEmail { .. } => "Set `email` to the address you log in to Cloudflare with (dashboard → My Profile)".into(),
            TokenMalformed { .. } | TokenHasWhitespace { .. } => "Copy the credential again from the Cloudflare dashboard (it is shown once when created; roll it under My Profile → API Tokens to see a new one) and paste only the value into the secret, without spaces, line breaks or the variable name".into(),
            GlobalKeyAsToken { .. } => format!(
                "Either create a scoped API token at {TOKEN_LINK} and put it in `api_token` (recommended), or pass this key as `global_api_key` together with `email`"
            ),
            TokenAsGlobalKey { .. } => "Pass this value as `api_token` instead (API tokens are sent as a Bearer token, Global API Keys with an email)".into(),
            OriginCaKey { .. } => format!("Create an API token with the Cache Purge permission at {TOKEN_LINK} and pass it as `api_token`"),
            NothingToPurge => "List what to purge in `files`, `tags`, `hosts` or `prefixes`, or set `purge_everything: true` explicitly; use `mode: verify` to only check the credentials".into(),
            ConflictingPurgeInputs { .. } => "Remove the lists to purge the whole zone, or remove `purge_everything: true` to purge only what is listed".into(),
            InvalidUrl { .. } => "Give full URLs such as https://example.com/app.css or paths such as /app.css (joined to base_url); separate items with newlines, commas or spaces".into(),
            UrlOutsideZone { .. } => "Purge each zone in its own step with its own `zone:`, or fix the host names in `files` (or `base_url`)".into(),
            InvalidInput { input, .. } => format!("Correct `{input}` in the step's `with:`"),
            TokenBearerPrefix { .. } => "Store only the token in the secret, without \"Bearer \"".into(),
            TokenQuoted { .. } => "Store the secret without surrounding quotes".into(),
            BothCredentials => "Remove `global_api_key` and `email` from the step, and consider deleting the Global API Key secret".into(),
            ZoneWasUrl { .. } => "Set `zone:` to the bare domain or to the zone ID".into(),
            TokenInvalid { account_checked, .. } => {
                let mut s = "Check that the secret holds the current value of the token (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens for account-owned tokens); a deleted or rolled token, or one whose TTL has ended, is unknown to Cloudflare; a token with an IP address filter may also be refused from a runner's changing address.".to_string();
                if account_checked.is_none() {
                    s.push_str(" If it is an account-owned token, also set `account_id` (dashboard → Account Home → Account ID) so it can be checked against its account.");
                }
                s.push_str(&format!(" To start over, create a token at {TOKEN_LINK}"));
                s
            }
            AccountTokenNeedsAccountId { .. } => "Set `account_id` to the token's account (dashboard → Account Home → Account ID), or give the token Zone Read on this zone".into(),
            TokenExpired { .. } | TokenDisabled => "Roll or re-create the token (dashboard → My Profile → API Tokens → … → Roll, or Edit → TTL), update the repository secret, and run a scheduled `mode: verify` job to hear about the next expiry in advance".into(),
            TokenNotYetValid { .. } => "Wait until the start date, or edit the token's TTL (dashboard → My Profile → API Tokens → Edit) to start now".into(),
            TokenExpiringSoon { .. } => "Edit the token's TTL or roll it (dashboard → My Profile → API Tokens) and update the repository secret before it expires".into(),
            TokenIpRestricted { location } => format!(
                "GitHub-hosted runners have changing addresses: remove the Client IP Address Filtering from the token (dashboard → My Profile → API Tokens → Edit), or allow {location} and run on a self-hosted runner with a fixed address"
            ),
            GlobalKeyRejected { .. } => "Check `email` is the login address of the account and `global_api_key` the current key (dashboard → My Profile → API Tokens → Global API Key → View); better, switch to a scoped API token".into(),
            ZoneNotFound { .. } => format!(
                "Check the zone spelling or ID (dashboard → your domain → Overview → API → Zone ID), and that the token's Zone Resources include this zone; a token for another zone or account cannot see it, and finding a zone by name needs the Zone → Zone → Read permission (or give the zone ID). Create a token with both permissions at {TOKEN_LINK}"
            ),
            AccountIdAsZone { .. } => "Use the Zone ID from dashboard → your domain → Overview → API → Zone ID (the Account ID sits just below it)".into(),
            ZoneNotActive { .. } => "Finish the zone's setup (point the domain's nameservers at Cloudflare) or purge the zone that serves the site".into(),
            PurgePermissionMissing { .. } => format!(
                "Give the token the permission Zone → Cache Purge → Purge for this zone (dashboard → My Profile → API Tokens → Edit), or create one pre-filled at {TOKEN_LINK}"
            ),
            PurgeRejected { .. } => "Check the listed items against Cloudflare's message; the other batches were still sent".into(),
            RateLimited { .. } => "Cloudflare allows 1,200 API requests per 5 minutes per user and fewer purges on small plans; space out deploys or purge by tag/prefix instead of many URLs".into(),
            CloudflareUnavailable { .. } => format!("Re-run the job later; see {DOC_STATUS}"),
            NetworkError { kind, .. } => match kind {
                NetKind::Dns | NetKind::Connect => "Check the runner's network, DNS and proxy, and `api_url`; re-run the job if it was a passing fault".into(),
                NetKind::Tls => "A proxy may be intercepting TLS; the action trusts only public CAs. Check `api_url` and the runner's network".into(),
                NetKind::Timeout | NetKind::Dropped => "Re-run the job; if it repeats, raise `timeout_seconds`".into(),
            },
            UnexpectedResponse { .. } => "Check `api_url` points at https://api.cloudflare.com/client/v4 (or a faithful proxy), then re-run".into(),
        }
    }

    /// The page that explains the topic in depth.
    pub fn doc(&self) -> &'static str {
        use Cause::*;
        match self {
            MissingZone | InvalidZone { .. } | ZoneWasUrl { .. } | AccountIdAsZone { .. } => {
                DOC_IDS
            }
            ZoneNotFound { .. } | ZoneNotActive { .. } => DOC_IDS,
            MissingCredentials {
                reason: MissingReason::Dependabot,
            } => DOC_DEPENDABOT,
            MissingCredentials { .. } => DOC_SECRETS,
            TokenPlaceholder { .. } | PurgePermissionMissing { .. } | TokenInvalid { .. } => {
                DOC_TOKENS
            }
            TokenMalformed { .. }
            | TokenHasWhitespace { .. }
            | TokenBearerPrefix { .. }
            | TokenQuoted { .. } => DOC_FORMATS,
            GlobalKeyAsToken { .. } | TokenAsGlobalKey { .. } | OriginCaKey { .. } => DOC_FORMATS,
            IncompleteGlobalKey { .. }
            | InvalidEmail { .. }
            | BothCredentials
            | GlobalKeyRejected { .. } => DOC_KEYS,
            AccountTokenNeedsAccountId { .. } => DOC_ACCOUNT_TOKENS,
            TokenExpired { .. }
            | TokenDisabled
            | TokenNotYetValid { .. }
            | TokenExpiringSoon { .. }
            | TokenIpRestricted { .. } => DOC_RESTRICT,
            NothingToPurge
            | ConflictingPurgeInputs { .. }
            | InvalidUrl { .. }
            | UrlOutsideZone { .. }
            | PurgeRejected { .. } => DOC_PURGE,
            InvalidInput { .. } => DOC_INPUTS,
            RateLimited { .. } => DOC_LIMITS,
            CloudflareUnavailable { .. } | NetworkError { .. } | UnexpectedResponse { .. } => {
                DOC_STATUS
            }
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// At most ten items, then "and N more".
pub fn list_some(items: &[String]) -> String {
    const MAX: usize = 10;
    let shown: Vec<&str> = items.iter().take(MAX).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if items.len() > MAX {
        s.push_str(&format!(" and {} more", items.len() - MAX));
    }
    s
}

/// One instance of every cause, in contract order: for the README's table and completeness tests.
pub fn examples() -> Vec<Cause> {
    use Cause::*;
    let cf = |code, message: &str| vec![CfMessage::new(code, message)];
    vec![
        MissingZone,
        InvalidZone { value: "my site".into() },
        MissingCredentials { reason: MissingReason::SecretNameMismatch },
        TokenPlaceholder { input: CredentialInput::ApiToken, length: 14 },
        IncompleteGlobalKey { missing: "email" },
        InvalidEmail { problem: "it has no @" },
        TokenMalformed { input: CredentialInput::ApiToken, length: 39, problem: ShapeProblem::Length { expected: "an API token has 40 characters (53 when it starts with cfut_ or cfat_)" } },
        TokenHasWhitespace { input: CredentialInput::ApiToken, length: 41, inner: InnerWhitespace { what: "a line break", at: 21 } },
        GlobalKeyAsToken { length: 37 },
        TokenAsGlobalKey { length: 40, kind: "an API token" },
        OriginCaKey { input: CredentialInput::ApiToken },
        NothingToPurge,
        ConflictingPurgeInputs { lists: vec!["files"] },
        InvalidUrl { items: vec!["blog/index.html".into()] },
        UrlOutsideZone { zone: "example.com".into(), items: vec!["https://example.org/".into()] },
        InvalidInput { input: "dry_run", value: "maybe".into(), expected: "true or false (also 1/0, yes/no)".into() },
        TokenBearerPrefix { input: CredentialInput::ApiToken },
        TokenQuoted { input: CredentialInput::ApiToken },
        BothCredentials,
        ZoneWasUrl { host: "example.com".into() },
        TokenInvalid { errors: cf(1000, "Invalid API Token"), account_checked: None },
        AccountTokenNeedsAccountId { errors: cf(1000, "Invalid API Token") },
        TokenExpired { expires_on: Some("2026-08-31T23:59:59Z".into()) },
        TokenDisabled,
        TokenNotYetValid { not_before: "2027-01-01T00:00:00Z".into() },
        TokenExpiringSoon { expires_on: "2026-12-01T00:00:00Z".into(), days: 7, fatal: true },
        TokenIpRestricted { location: "203.0.113.7".into() },
        GlobalKeyRejected { errors: cf(9103, "Unknown X-Auth-Key or X-Auth-Email") },
        ZoneNotFound { zone: "example.org".into(), visible: vec!["example.com".into()], errors: vec![] },
        AccountIdAsZone { id: "9a7806061c88ada191ed06f989cc3dac".into() },
        ZoneNotActive { name: "example.com".into(), status: "pending".into() },
        PurgePermissionMissing { zone: "example.com".into(), status: 403, errors: cf(10000, "Authentication error") },
        PurgeRejected { status: 400, errors: cf(1012, "Request must contain one of \"purge_everything\", \"files\", \"tags\", \"hosts\" or \"prefixes\"") },
        RateLimited { attempts: 4, errors: cf(971, "Please wait and consider throttling your request speed") },
        CloudflareUnavailable { status: 502, attempts: 4, html: true },
        NetworkError { kind: NetKind::Timeout, attempts: 4, host: "api.cloudflare.com".into() },
        UnexpectedResponse { what: "an HTML page".into(), status: 200 },
    ]
}
