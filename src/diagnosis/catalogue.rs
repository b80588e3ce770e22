//! The one catalogue of causes: each cause is one block of the `catalogue!` table below, holding its
//! facts (the variant), its code, title, group (severity and exit status), doc link, general fix,
//! what was seen and the fix here, and its examples. Words that need more than a line are in `prose/`.

use super::prose::{general as fix, offline, online, seen, Explained};
#[cfg(any(test, feature = "docs"))]
use crate::cloudflare::BodyKind;
use crate::cloudflare::{CfMessage, Eviction, Foreign, NetKind};
use crate::names::Input;

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
const DOC_WAIT: &str = "README.md#purge-once-the-new-build-is-live-wait_for";
const DOC_CACHE_STATUS: &str = "https://developers.cloudflare.com/cache/concepts/cache-responses/";
const DOC_PROXIED: &str = "https://developers.cloudflare.com/dns/proxy-status/";

/// Why no credential reached the action, judged from the run itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingReason {
    ForkPullRequest,
    Dependabot,
    /// A workflow run where secrets are available: the `secrets.NAME` reference matches nothing.
    SecretNameMismatch,
    LocalRun,
}

/// A variable another purge action reads, found set in the environment, and the input of this
/// action its value belongs in. Only the name is ever printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerVariable {
    pub(crate) variable: &'static str,
    pub(crate) input: Input,
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
    /// A `cfast_…` value: a Cloudflare Access service-token client secret, not an API credential.
    AccessSecret,
}

/// Whitespace found inside a credential (outer whitespace is trimmed silently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InnerWhitespace {
    pub(crate) what: &'static str,
    pub(crate) at: usize,
}

/// An item that cannot be sent as it is, and why (a whole sentence without its period).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub(crate) item: String,
    pub(crate) why: &'static str,
}

/// An item repaired before it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    pub(crate) from: String,
    pub(crate) to: String,
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
    /// A zone read by ID whose answer is another zone (its ID is another one).
    OtherZone,
    /// A token status Cloudflare does not document (at most 40 characters of it).
    TokenStatus(String),
    /// A token's `expires_on` or `not_before` that is no RFC 3339 time (at most 40 characters).
    TokenDate {
        field: &'static str,
        value: String,
    },
}

/// What a site answered to one request made without credentials (`wait_for`, `confirm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteAnswer {
    pub status: u16,
    /// `CF-Cache-Status`, when there was one.
    pub(crate) cache_status: Option<String>,
    /// `Age` in seconds, when there was one.
    pub(crate) age: Option<u64>,
}

/// Why a URL could not be checked after the purge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmProblem {
    Network(NetKind),
    /// A 5xx, or a 4xx other than a challenge or a block.
    Status(u16),
    /// `cf-mitigated: challenge`: Cloudflare's bot protection challenged the runner.
    Challenge(u16),
    /// A 403 or 429 without a challenge: a WAF rule or rate limit of the site.
    Blocked(u16),
    /// `CF-Cache-Status: HIT` without `Age`: no way to tell when it was cached.
    HitWithoutAge,
    /// `CF-Cache-Status: HIT` with an `Age` that is no whole number of seconds (quoted safely).
    AgeUnreadable(String),
    /// What came back is no HTTP answer.
    Garbage,
    /// A cache-key header of the item cannot be sent in an HTTP request: nothing was sent.
    BadHeader,
}

/// What a cause does to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    /// The inputs are wrong: an error, exit 2.
    WrongInput,
    /// An input was repaired and the run goes on: a warning.
    Repaired,
    /// Cloudflare refused, failed, or said the credential cannot be used: an error, exit 1.
    Cloudflare,
    /// The site did not show what the run waited for, or still served what it purged: an error, exit 1.
    Site,
    /// The runner cancelled the step, or its files could not be written: an error, exit 1.
    Runner,
    /// Worth knowing, not stopping for: a warning.
    Notice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Everything a user reads about one cause.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable: users and tests match on it (contract §5).
    pub(crate) code: &'static str,
    pub(crate) title: &'static str,
    pub(crate) group: Group,
    /// The page that explains the topic in depth.
    pub(crate) doc: &'static str,
    /// What to do, for every situation the cause covers (the README's column). Where the fix
    /// depends on the facts, it is made by the same words as `fix`, not written out twice.
    // Read by the docs renderers and the tests only.
    #[cfg_attr(not(feature = "docs"), allow(dead_code))]
    pub general: String,
    /// What happened, as one sentence without its final period.
    pub(crate) seen: String,
    /// What to do about it here, as whole sentences.
    pub(crate) fix: String,
}

fn entry(
    code: &'static str,
    title: &'static str,
    group: Group,
    doc: &'static str,
    general: impl Into<String>,
    words: Explained,
) -> Entry {
    let general = general.into();
    Entry {
        code,
        title,
        group,
        doc,
        fix: words.fix.unwrap_or_else(|| general.clone()),
        general,
        seen: words.seen,
    }
}

/// Defines `Cause`, `Cause::entry` and `examples()` from one block per cause, so that a cause is
/// one edit the compiler checks: its facts, then `=> entry(code, title, group, doc, general fix,
/// words)`, then `examples [...]`, each example the facts of that very variant. A variant with facts
/// must give examples (a bare `Cause::X` does not compile for it); one without gives none.
macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $name:ident $({ $($(#[$fdoc:meta])* $field:ident : $ty:ty),* $(,)? })?
            => $entry:expr
            $(, examples [$($example:tt),+ $(,)?])?;
    )*) => {
        /// Every outcome worth telling a user, with the facts needed to explain it.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Cause {
            $($(#[$doc])* $name $({ $($(#[$fdoc])* $field: $ty),* })?,)*
        }

        impl Cause {
            /// The cause's row of the catalogue, with its words for these facts.
            // A block's words need not use every fact.
            #[allow(unused_variables)]
            pub(crate) fn entry(&self) -> Entry {
                match self {
                    $(Cause::$name $({ $($field),* })? => $entry,)*
                }
            }
        }

        /// One instance (or more) of every cause, in contract order: for the README's table and the
        /// completeness tests.
        #[cfg(any(test, feature = "docs"))]
        pub fn examples() -> Vec<Cause> {
            let mut all = Vec::new();
            $(all.extend(examples_of!($name $($($example)+)?));)*
            all
        }
    };
}

/// A block's examples as causes: the variant alone when it has no facts, else one per `{ facts }`.
#[cfg(any(test, feature = "docs"))]
macro_rules! examples_of {
    ($name:ident) => {
        [Cause::$name]
    };
    ($name:ident $($example:tt)+) => {
        [$(Cause::$name $example),+]
    };
}

/// An answer from the API, as the examples quote it.
#[cfg(any(test, feature = "docs"))]
fn cf(code: i64, message: &str) -> Vec<CfMessage> {
    vec![CfMessage::new(code, message)]
}

use Group::{Cloudflare, Notice, Repaired as Repair, Runner, Site, WrongInput};

#[rustfmt::skip]
catalogue! {
    /// No zone; `peers`: other actions' variables set in the environment.
    MissingZone { peers: Vec<PeerVariable> }
        => entry("missing-zone", "No zone given", WrongInput, DOC_IDS,
            "Set `zone:` to the zone ID (dashboard → your domain → Overview → API → Zone ID) or to the domain name",
            offline::missing_zone(peers)),
        examples [{ peers: Vec::new() }];
    InvalidZone { values: Vec<String> }
        => entry("invalid-zone", "Zone is not a zone ID or domain", WrongInput, DOC_IDS,
            "Use the 32-character Zone ID from dashboard → your domain → Overview → API, or the bare domain such as example.com",
            offline::invalid_zone(values)),
        examples [{ values: vec!["my site".into()] }];
    /// No credential; `peers`: other actions' variables set in the environment.
    MissingCredentials { reason: MissingReason, peers: Vec<PeerVariable> }
        => entry("missing-credentials", "No Cloudflare credentials", WrongInput, if *reason == MissingReason::Dependabot { DOC_DEPENDABOT } else { DOC_SECRETS },
            offline::missing_credentials_fixes(),
            offline::missing_credentials(*reason, peers)),
        examples [{ reason: MissingReason::SecretNameMismatch, peers: Vec::new() }];
    TokenPlaceholder { input: Input, length: usize }
        => entry("token-placeholder", "Credential is a placeholder", WrongInput, DOC_TOKENS,
            offline::placeholder_fix(Input::ApiToken),
            offline::placeholder(*input, *length)),
        examples [{ input: Input::ApiToken, length: 14 }];
    IncompleteGlobalKey { missing: Input }
        => entry("incomplete-global-key", "Global API Key needs both key and email", WrongInput, DOC_KEYS,
            "Give both `email` and `global_api_key`, or better, use `api_token` with a scoped API token",
            offline::incomplete_key(*missing)),
        examples [{ missing: Input::Email }];
    InvalidEmail { problem: &'static str }
        => entry("invalid-email", "Email is not an address", WrongInput, DOC_KEYS,
            "Set `email` to the address you log in to Cloudflare with (dashboard → My Profile)",
            seen(format!("The email input is not an email address ({problem})"))),
        examples [{ problem: "it has no @" }];
    TokenMalformed { input: Input, length: usize, problem: ShapeProblem }
        => entry("token-malformed", "Credential has the wrong shape", WrongInput, DOC_FORMATS,
            fix::COPY_AGAIN,
            offline::malformed(*input, *length, problem)),
        examples [{ input: Input::ApiToken, length: 39, problem: ShapeProblem::Length { expected: "an API token has 40 characters (53 when it starts with cfut_ or cfat_)" } }];
    TokenHasWhitespace { input: Input, length: usize, inner: InnerWhitespace }
        => entry("token-has-whitespace", "Whitespace inside the credential", WrongInput, DOC_FORMATS,
            fix::COPY_AGAIN,
            offline::whitespace(*input, *length, inner)),
        examples [{ input: Input::ApiToken, length: 41, inner: InnerWhitespace { what: "a line break", at: 21 } }];
    GlobalKeyAsToken {
        length: usize,
        /// `cfk_…` rather than the legacy lowercase hex.
        prefixed: bool,
    }
        => entry("global-key-as-token", "Global API Key given as an API token", WrongInput, DOC_FORMATS,
            concat!("Either create a scoped API token at ", token_form!(), " and put it in `api_token` (recommended), or pass this key as `global_api_key` together with `email`"),
            offline::key_as_token(*length, *prefixed)),
        examples [{ length: 37, prefixed: false }];
    TokenAsGlobalKey { kind: &'static str }
        => entry("token-as-global-key", "API token given as a Global API Key", WrongInput, DOC_FORMATS,
            "Pass this value as `api_token` instead (API tokens are sent as a Bearer token, Global API Keys with an email)",
            offline::token_as_key(kind)),
        examples [{ kind: "API token (40 characters)" }];
    OriginCaKey { input: Input }
        => entry("origin-ca-key", "Origin CA key cannot purge", WrongInput, DOC_FORMATS,
            concat!("Create an API token with the Cache Purge permission at ", token_form!(), " and pass it as `api_token`"),
            offline::origin_ca(*input)),
        examples [{ input: Input::ApiToken }];
    NothingToPurge
        => entry("nothing-to-purge", "Nothing to purge", WrongInput, DOC_PURGE,
            "List what to purge in `files`, `tags`, `hosts` or `prefixes`, or set `purge_everything: true` explicitly; use `mode: verify` to only check the credentials",
            seen("No files, tags, hosts or prefixes were given and purge_everything is not true"));
    /// Offline from the inputs, before any request (Cloudflare's own 1092 is a `PurgeRejected`).
    ConflictingPurgeInputs { lists: Vec<Input> }
        => entry("conflicting-purge-inputs", "purge_everything together with lists", WrongInput, DOC_PURGE,
            "Remove the lists to purge the whole zone, or remove `purge_everything: true` to purge only what is listed",
            offline::conflicting(lists)),
        examples [{ lists: vec![Input::Files] }];
    InvalidUrl { items: Vec<String> }
        => entry("invalid-url", "Not a URL or path", WrongInput, DOC_PURGE,
            "Give full URLs such as https://example.com/app.css or paths such as /app.css (joined to base_url); separate items with newlines, commas or spaces",
            offline::invalid_url(items)),
        examples [{ items: vec!["blog/index.html".into()] }];
    UrlOutsideZone { zones: Vec<String>, items: Vec<String> }
        => entry("url-outside-zone", "Item outside the zone", WrongInput, DOC_PURGE,
            "List the item's zone in `zone:` too (it takes several), or fix the host names in `files`, `hosts`, `prefixes` or `confirm_urls` (or `base_url`)",
            offline::outside_zone(zones, items)),
        examples [{ zones: vec!["example.com".into()], items: vec!["https://example.org/".into()] }];
    FilesWildcard { items: Vec<String> }
        => entry("files-wildcard", "Wildcard in a file URL", WrongInput, DOC_SINGLE_FILE,
            "To purge everything below a path, list the path in `prefixes` (example.com/assets/); or purge by tag, or with `purge_everything: true`",
            offline::wildcard(items)),
        examples [{ items: vec!["https://example.com/assets/*".into()] }];
    InvalidPrefix { items: Vec<Rejected> }
        => entry("invalid-prefix", "Prefix Cloudflare cannot purge", WrongInput, DOC_PREFIX,
            "Write each prefix as host then path (example.com/blog/), without query string, fragment or wildcard, and with at most 31 / separators",
            offline::rejected("prefix", items)),
        examples [{ items: vec![Rejected { item: "example.com/a?x=1".into(), why: "a prefix has no query string: Cloudflare matches the path only" }] }];
    InvalidHost { items: Vec<Rejected> }
        => entry("invalid-host", "Not a host name", WrongInput, DOC_HOSTS,
            "List bare host names (www.example.com) in `hosts`; a host purges every path and port of it, so put a path in `prefixes` instead",
            offline::rejected("host", items)),
        examples [{ items: vec![Rejected { item: "example.com/blog".into(), why: "a host has no path: use prefixes for a path" }] }];
    /// `input` holds something shaped like a credential and `api_token` something shaped like an ID.
    InputsSwapped { input: Input, holds: &'static str, id: &'static str }
        => entry("invalid-input", "Inputs swapped?", WrongInput, DOC_IDS,
            "Swap the two values in the step's `with:`: the token belongs in `api_token` (from a secret), the ID in the other input",
            seen(format!("`{}` holds something shaped like {holds} and `api_token` something shaped like {id}: swapped?", input.name()))),
        examples [{ input: Input::Zone, holds: "an API token", id: "a zone ID" }];
    /// A list holds the credential (or a piece of it), or a `cfut_`/`cfat_`/`cfk_` credential.
    CredentialInList { input: Input, holds: &'static str }
        => entry("invalid-input", "Credential among the items to purge", WrongInput, DOC_TOKENS,
            "Remove it from the input named: an item to purge is sent to Cloudflare and written to the log and the outputs. If the value was committed to a file, roll the credential (My Profile → API Tokens → Roll)",
            seen(format!("`{}` holds {holds}", input.name()))),
        examples [{ input: Input::Tags, holds: "the credential given in `api_token`" }];
    /// Several zones, some of which the credential cannot read the name of: the items that route by
    /// host and went to no named zone may be theirs.
    ZoneNamesUnreadable { zones: Vec<String>, items: Vec<String> }
        => entry("invalid-input", "Zone names unreadable for routing", WrongInput, DOC_ZONE_READ,
            "Add Zone → Zone Read to the token, so that each item goes to its zone by name; or purge these items in a step of their own with only their zone",
            offline::names_unreadable(zones, items)),
        examples [{ zones: vec!["023e105f4ecef8ad9ca31a8372d0c353".into()], items: vec!["https://shop.example/".into()] }];
    /// A proxy variable the API's requests would take holds no proxy URL (never gone around).
    ProxyNotUrl {
        variable: &'static str,
        /// Quoted without user name and password.
        value: String,
    }
        => entry("invalid-input", "Proxy variable holds no proxy URL", WrongInput, DOC_INPUTS,
            "Correct the variable where the runner's environment sets it (the job's or step's `env:`, or a self-hosted runner's .env file) to a URL such as http://proxy.example:3128, or unset it to connect directly",
            seen(format!("The environment variable {variable} is \"{value}\", which is no proxy URL (http:// or https://, a host, a port up to 65535), and requests this run makes (to the API or to the site) would go through it"))),
        examples [{ variable: "HTTPS_PROXY", value: "http://***@proxy:99999".into() }];
    /// A command-line flag that could not be read (`--zoen`, `--zone` without a value).
    BadFlag { flag: String, problem: &'static str, closest: Option<String> }
        => entry("invalid-input", "Command-line flag not understood", WrongInput, DOC_CLI,
            "Run `cloudflare-purge --help` for the flags: every input of the action is one (`--zone`, `--api-token`, `--files` …), and a value follows it (`--zone example.com`) or an `=` (`--zone=example.com`)",
            offline::bad_flag(flag, problem, closest.as_deref())),
        examples [{ flag: "--zoen".into(), problem: "is not a flag of cloudflare-purge", closest: Some("--zone".into()) }];
    InvalidInput { input: Input, value: String, expected: String }
        => entry("invalid-input", "Invalid input value", WrongInput, DOC_INPUTS,
            offline::invalid_input_fix("the named input"),
            offline::invalid_input(*input, value, expected)),
        examples [{ input: Input::DryRun, value: "maybe".into(), expected: "true or false (also 1/0, yes/no)".into() }];
    TokenBearerPrefix { input: Input }
        => entry("token-bearer-prefix", "\"Bearer \" removed from the token", Repair, DOC_FORMATS,
            "Store only the token in the secret, without \"Bearer \"",
            seen(format!("{} starts with \"Bearer \"; the prefix was removed and the rest used", input.name()))),
        examples [{ input: Input::ApiToken }];
    TokenQuoted { input: Input }
        => entry("token-quoted", "Quotes removed from the credential", Repair, DOC_FORMATS,
            "Store the secret without surrounding quotes",
            seen(format!("{} is wrapped in quotes; they were removed and the rest used", input.name()))),
        examples [{ input: Input::ApiToken }];
    /// A token given with a Global API Key, or with only an email (which no token uses).
    BothCredentials { key: bool }
        => match key {
            true => entry("both-credentials", "Both a token and a Global API Key given", Repair, DOC_KEYS,
                "Remove `global_api_key` and `email` from the step, and consider deleting the Global API Key secret",
                seen("Both api_token and global_api_key are set; the API token is used")),
            false => entry("both-credentials", "An email given beside the token", Repair, DOC_KEYS,
                "Remove `email` from the step: it is only used together with `global_api_key`",
                seen("api_token and email are set, and no global_api_key: the email is only used with a Global API Key, so it is ignored and the API token is used")),
        },
        examples [{ key: true }, { key: false }];
    ZoneWasUrl { host: String }
        => entry("zone-was-url", "Zone given as a URL", Repair, DOC_IDS,
            "Set `zone:` to the bare domain or to the zone ID",
            seen(format!("The zone was given as a URL; its host {host} is used"))),
        examples [{ host: "example.com".into() }];
    ItemRepaired { items: Vec<Repaired> }
        => entry("item-repaired", "Host or prefix repaired", Repair, DOC_PREFIX,
            "Write hosts without a scheme or trailing / (www.example.com) and prefixes without a scheme (example.com/blog/)",
            offline::repaired(items)),
        examples [{ items: vec![Repaired { from: "https://www.example.com/".into(), to: "www.example.com".into() }] }];
    TokenInvalid {
        errors: Vec<CfMessage>,
        account_checked: Option<String>,
        /// What a zone lookup answered, when it was tried (9109 "Invalid access token").
        zone_said: Vec<CfMessage>,
    }
        => entry("token-invalid", "Cloudflare does not know this token", Cloudflare, DOC_TOKENS,
            fix::TOKEN_INVALID,
            online::token_invalid(errors, account_checked.as_deref(), zone_said)),
        examples [{ errors: cf(1000, "Invalid API Token"), account_checked: None, zone_said: vec![] }];
    AccountTokenNeedsAccountId { proof: AccountProof }
        => entry("account-token-needs-account-id", "Account token needs account_id", Cloudflare, DOC_ACCOUNT_TOKENS,
            "Set `account_id` to the token's account (dashboard → Account Home → Account ID, in the API section), or give the token Zone → Zone → Read on this zone (dashboard → Manage Account → Account API Tokens → Edit)",
            online::needs_account_id(proof)),
        examples [{ proof: AccountProof::Answers { user: cf(1000, "Invalid API Token"), zone: cf(9109, "Unauthorized to access requested resource") } }];
    TokenExpired { expires_on: Option<String> }
        => entry("token-expired", "API token expired", Cloudflare, DOC_RESTRICT,
            fix::ROLL,
            online::expired(expires_on.as_deref())),
        examples [{ expires_on: Some("2026-08-31T23:59:59Z".into()) }];
    TokenDisabled
        => entry("token-disabled", "API token disabled", Cloudflare, DOC_RESTRICT,
            fix::ROLL,
            seen("Cloudflare says this API token is disabled"));
    TokenNotYetValid { not_before: String }
        => entry("token-not-yet-valid", "API token not valid yet", Cloudflare, DOC_RESTRICT,
            "Wait until the start date, or edit the token's TTL (dashboard → My Profile → API Tokens → Edit) to start now",
            seen(format!("This API token is valid only from {not_before} (its \"not before\" date)"))),
        examples [{ not_before: "2027-01-01T00:00:00Z".into() }];
    /// Fatal in verify mode, a warning in purge mode.
    TokenExpiringSoon { expires_on: String, days: i64, fatal: bool }
        => entry("token-expiring-soon", "API token expires soon", if *fatal { Cloudflare } else { Notice }, DOC_RESTRICT,
            "Before it expires, edit the token's TTL or roll it (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens for an account-owned one) and put the new value in the repository secret",
            online::expiring(expires_on, *days)),
        examples [
            { expires_on: "2026-12-01T00:00:00Z".into(), days: 7, fatal: false },
            { expires_on: "2026-12-01T00:00:00Z".into(), days: 7, fatal: true },
        ];
    TokenIpRestricted { location: String }
        => entry("token-ip-restricted", "API token refused from this IP address", Cloudflare, DOC_RESTRICT,
            online::ip_restricted_fix("the runner's address"),
            online::ip_restricted(location)),
        examples [{ location: "203.0.113.7".into() }];
    GlobalKeyRejected { errors: Vec<CfMessage> }
        => entry("global-key-rejected", "Global API Key rejected", Cloudflare, DOC_KEYS,
            "Check `email` is the login address of the account and `global_api_key` the current key (dashboard → My Profile → API Tokens → Global API Key → View); better, switch to a scoped API token",
            online::key_rejected(errors)),
        examples [{ errors: cf(9103, "Unknown X-Auth-Key or X-Auth-Email") }];
    ZoneNotFound {
        zone: String,
        visible: Vec<String>,
        errors: Vec<CfMessage>,
        /// A parent domain of the name given that is a zone the credential can see.
        parent: Option<String>,
    }
        => entry("zone-not-found", "Zone not found", Cloudflare, DOC_IDS,
            concat!("Check the zone spelling or ID (dashboard → your domain → Overview → API → Zone ID), and that the token's Zone Resources include this zone; a token for another zone or account cannot see it, and finding a zone by name needs the Zone → Zone → Read permission (or give the zone ID). Create a token with both permissions at ", token_form!()),
            online::zone_not_found(zone, visible, errors, parent.as_deref())),
        examples [{ zone: "example.org".into(), visible: vec!["example.com".into()], errors: vec![], parent: None }];
    AccountIdAsZone { id: String }
        => entry("account-id-as-zone", "Account ID given as the zone", Cloudflare, DOC_IDS,
            "Use the Zone ID from dashboard → your domain → Overview → API → Zone ID (the Account ID sits just below it)",
            seen(format!("{id} given as zone is an account ID (it answers as an account), not a zone ID"))),
        examples [{ id: "9a7806061c88ada191ed06f989cc3dac".into() }];
    ZoneNotActive {
        name: String,
        status: String,
        /// Other zones of the name found, none of them active either.
        others: Vec<String>,
    }
        => entry("zone-not-active", "Zone is not active", Notice, DOC_IDS,
            "Finish the zone's setup (point the domain's nameservers at Cloudflare) or purge the zone that serves the site",
            online::not_active(name, status, others)),
        examples [{ name: "example.com".into(), status: "pending".into(), others: vec![] }];
    PurgePermissionMissing { zone: String, status: u16, errors: Vec<CfMessage> }
        => entry("purge-permission-missing", "Token lacks Cache Purge permission", Cloudflare, DOC_TOKENS,
            concat!("Give the token the permission Zone → Cache Purge → Purge, with this zone in its Zone Resources (dashboard → My Profile → API Tokens, or Manage Account → Account API Tokens → Edit), or create one pre-filled at ", token_form!()),
            online::permission_missing(zone, *status, errors)),
        examples [{ zone: "example.com".into(), status: 403, errors: cf(10000, "Authentication error") }];
    /// `unavailable`: an invalidation answered 404 or "No route", so the endpoint is not there.
    PurgeRejected { zone: String, status: u16, errors: Vec<CfMessage>, how: Eviction, unavailable: bool }
        => entry("purge-rejected", "Cloudflare rejected the purge", Cloudflare, DOC_PURGE,
            "Check the listed items against Cloudflare's message; the other batches were still sent",
            online::rejected(zone, *status, errors, *how, *unavailable)),
        examples [{ zone: "example.com".into(), status: 400, errors: cf(1012, "Request must contain one of \"purge_everything\", \"files\", \"tags\", \"hosts\" or \"prefixes\""), how: Eviction::Purge, unavailable: false },
                  { zone: "example.com".into(), status: 404, errors: cf(7000, "No route for that URI"), how: Eviction::Invalidate, unavailable: true }];
    /// A purge request refused as too large (413, 414): its longest item, not `api_url`, is why.
    PurgeTooLarge { zone: String, status: u16, item: String }
        => entry("purge-rejected", "Purge request too large for Cloudflare", Cloudflare, DOC_PURGE,
            "Shorten or drop that item (Cloudflare serves no URL over 32 KiB); the other batches were still sent",
            seen(format!("Cloudflare refused a purge request for the zone {zone} with HTTP {status} (too large); its longest item is {item}"))),
        examples [{ zone: "example.com".into(), status: 414, item: "https://example.com/aaaa…".into() }];
    /// Cloudflare's 1092 to a request that was sent: a request holding `purge_everything` with
    /// lists is refused offline, so this one held a single kind. Exit 1: it came after a request.
    ConflictRefused { zone: String, errors: Vec<CfMessage> }
        => entry("conflicting-purge-inputs", "Cloudflare refused the purge as conflicting", Cloudflare, DOC_PURGE,
            "Re-run the job, and if Cloudflare refuses it again, give the `failed` output to `files` in a run of its own",
            seen(format!("Cloudflare refused a purge request for the zone {zone} that named one kind of item only, with its error for purge_everything together with a list: {}", quote(errors)))),
        examples [{ zone: "example.com".into(), errors: cf(1092, "Request cannot contain \"purge_everything\" and any of \"files\", \"tags\", \"hosts\" or \"prefixes\"") }];
    RateLimited { attempts: u32, errors: Vec<CfMessage> }
        => entry("rate-limited", "Rate limited by Cloudflare", Cloudflare, DOC_LIMITS,
            "Cloudflare allows 1,200 API requests per 5 minutes per user and fewer purges on small plans; space out deploys or purge by tag/prefix instead of many URLs",
            online::rate_limited(*attempts, errors)),
        examples [{ attempts: 4, errors: cf(971, "Please wait and consider throttling your request speed") }];
    CloudflareUnavailable { status: u16, attempts: u32, html: bool }
        => entry("cloudflare-unavailable", "Cloudflare API unavailable", Cloudflare, DOC_STATUS,
            "Re-run the job later, once Cloudflare's status page (linked) shows the API working again",
            online::unavailable(*status, *attempts, *html)),
        examples [{ status: 502, attempts: 4, html: true }];
    NetworkError {
        kind: NetKind,
        attempts: u32,
        host: String,
        /// The proxy the request went through (its address only).
        proxy: Option<String>,
    }
        => entry("network-error", "Cannot reach the Cloudflare API", Cloudflare, DOC_STATUS,
            fix::NETWORK,
            online::network(*kind, *attempts, host, proxy.as_deref())),
        examples [{ kind: NetKind::Timeout, attempts: 4, host: "api.cloudflare.com".into(), proxy: None }];
    UnexpectedResponse { what: Unexpected, status: u16 }
        => entry("unexpected-response", "Unexpected answer from the API", Cloudflare, DOC_STATUS,
            "Check `api_url` points at https://api.cloudflare.com/client/v4 (or a faithful proxy), then re-run",
            online::unexpected(what, *status)),
        examples [{ what: Unexpected::Answer(Foreign::Body(BodyKind::Html)), status: 200 }];
    /// `wait_for` did not show `wait_for_text` in time: nothing was purged (contract §11).
    OriginNotUpdated {
        url: String,
        waited_seconds: u64,
        /// The last answer; `None` when no poll got one (network errors only).
        last: Option<SiteAnswer>,
        /// Whether the last answer held the text (it may have, with a status that does not count).
        text_found: bool,
        /// Why the last poll got no answer, when no poll got one.
        failure: Option<NetKind>,
    }
        => entry("origin-not-updated", "New build not live", Site, DOC_WAIT,
            "Nothing was purged (purging now would cache the old build again). Check that the deploy before this step finished and that the new build serves `wait_for_text` at `wait_for` (in its body or a header, on an uncached URL); if the build takes longer, raise `wait_timeout_seconds`. Then re-run the job, or give the `failed` output to `files`",
            online::origin_not_updated(url, *waited_seconds, last.as_ref(), *text_found, *failure)),
        examples [{ url: "https://example.com/version.txt".into(), waited_seconds: 300, last: Some(SiteAnswer { status: 200, cache_status: Some("DYNAMIC".into()), age: None }), text_found: false, failure: None }];
    /// With `confirm`: a purged URL is still served from Cloudflare's cache, cached before the purge (contract §10).
    PurgeNoEffect {
        url: String,
        age_seconds: u64,
        seconds_since_purge: u64,
        /// The purge was an invalidation (contract §12).
        invalidate: bool,
    }
        => entry("purge-no-effect", "Purge had no effect", Site, DOC_SINGLE_FILE,
            "The usual reasons: a Cache Rule with a custom cache key (headers, cookies, query string handling), so purge with `files` objects that carry the `headers`, or with tags, prefixes or hosts; `http` against `https` or a `www` variant of the URL; a Transform Rule that rewrites the URL (single-file purge needs the URL as visitors request it); caching by device type",
            online::purge_no_effect(url, *age_seconds, *seconds_since_purge, *invalidate)),
        examples [{ url: "https://example.com/app.css".into(), age_seconds: 3600, seconds_since_purge: 4, invalidate: false }];
    /// With `confirm`: a checked URL is not cached by Cloudflare.
    NotCached {
        url: String,
        /// `CF-Cache-Status` (`DYNAMIC`, `BYPASS`), `None` when there was none.
        cache_status: Option<String>,
        /// Another CDN its headers show in front (Fastly, CloudFront, Vercel, Netlify).
        other_cdn: Option<String>,
    }
        => entry("not-cached", "Checked URL not cached by Cloudflare", Notice, DOC_CACHE_STATUS,
            "There is nothing of it in Cloudflare's cache to purge: a stale page comes from the origin or from another cache in front of it (named when its headers show one), so purge or bypass that cache; or add a Cache Rule if Cloudflare should cache it",
            online::not_cached(url, cache_status.as_deref(), other_cdn.as_deref())),
        examples [{ url: "https://example.com/".into(), cache_status: Some("DYNAMIC".into()), other_cdn: None }];
    /// With `confirm`: a checked URL answered without `cf-ray`.
    NotProxied { url: String, other_cdn: Option<String> }
        => entry("not-proxied", "Host not served through Cloudflare", Notice, DOC_PROXIED,
            "Purging at Cloudflare does not reach this host: turn on the proxy (orange cloud) of its DNS record in the Cloudflare dashboard, or purge the cache that serves it (named when its headers show one)",
            online::not_proxied(url, other_cdn.as_deref())),
        examples [{ url: "https://docs.example.com/".into(), other_cdn: Some("Fastly".into()) }];
    /// With `confirm`: a checked URL answered 3xx, so the redirect was what got purged.
    PurgedRedirect { url: String, status: u16, location: Option<String> }
        => entry("purged-redirect", "Checked URL is a redirect", Notice, DOC_SINGLE_FILE,
            "Purge the redirect's target as well (list it in `files` or `confirm_urls`), or list the URL visitors end up on",
            online::purged_redirect(url, *status, location.as_deref())),
        examples [{ url: "http://example.com/app.css".into(), status: 301, location: Some("https://example.com/app.css".into()) }];
    /// With `confirm`: a check could not be made; the purge result stands.
    ConfirmFailed { url: String, problem: ConfirmProblem }
        => entry("confirm-failed", "Purge could not be checked", Notice, DOC_CACHE_STATUS,
            "The purge result stands. To get a verdict, let the runner reach the URL as what stood in the way asks: a WAF skip rule for the check's User-Agent `cloudflare-purge` (or a `confirm_urls` URL without protection) when bot protection challenged it, `ca_certificates` when its certificate could not be verified, a working proxy or NO_PROXY when the proxy failed, a healthy origin when it timed out or failed; then re-run",
            online::confirm_failed(url, problem)),
        examples [{ url: "https://example.com/".into(), problem: ConfirmProblem::Challenge(403) }];
    /// While waiting: the wait URL came from Cloudflare's cache without the text (contract §11).
    WaitUrlCached { url: String }
        => entry("wait-url-cached", "Wait URL answered from the cache", Notice, DOC_WAIT,
            "Point `wait_for` at a URL Cloudflare does not cache, or at the origin's own host name; the waiting goes on until `wait_timeout_seconds`",
            online::wait_url_cached(url)),
        examples [{ url: "https://example.com/version.txt".into() }];
    /// The runner's `GITHUB_OUTPUT` or `GITHUB_STEP_SUMMARY` (or the workspace file) could not be written.
    OutputsNotWritten {
        /// As the message names it: "the file named by GITHUB_OUTPUT".
        file: String,
        error: String,
    }
        => entry("outputs-not-written", "Outputs not written", Runner, DOC_OUTPUTS,
            "The runner's files could not be written: on a self-hosted runner check the free disk space and the permissions of its work directory (_work/_temp), then re-run; the purge itself went as the log above says",
            seen(format!("Writing {file} failed ({})", crate::text::shown(error)))),
        examples [{ file: "the file named by GITHUB_OUTPUT".into(), error: "No space left on device (os error 28)".into() }];
    /// The runner cancelled the step; `not_confirmed` items were not confirmed purged. `verifying`:
    /// the run only checked (`mode: verify`), nothing was to be purged.
    Cancelled { not_confirmed: usize, verifying: bool }
        => entry("cancelled", "Cancelled", Runner, DOC_CANCEL,
            "Re-run the job; to purge only what is left, give the `failed` output to `files` (or the file named by `failed_file` to `files_from`): each line is read back as the item it names",
            online::cancelled(*not_confirmed, *verifying)),
        examples [{ not_confirmed: 200, verifying: false }];
}

impl Cause {
    pub fn code(&self) -> &'static str {
        self.entry().code
    }

    pub fn title(&self) -> &'static str {
        self.entry().title
    }

    /// The page that explains the topic in depth (a README section as `README.md#anchor`).
    pub fn doc(&self) -> &'static str {
        self.entry().doc
    }

    pub(crate) fn group(&self) -> Group {
        self.entry().group
    }

    /// [`Cause::doc`] as a link: a README section on `home`, the action's repository page
    /// (`https://github.com/owner/name`), when it is known.
    pub(crate) fn link(&self, home: Option<&str>) -> String {
        match (self.doc().strip_prefix("README.md"), home) {
            (Some(anchor), Some(home)) => format!("{home}{anchor}"),
            _ => self.doc().to_string(),
        }
    }

    pub(crate) fn severity(&self) -> Severity {
        match self.group() {
            WrongInput | Cloudflare | Site | Runner => Severity::Error,
            Repair | Notice => Severity::Warning,
        }
    }

    /// 2: the inputs are wrong; 1: Cloudflare, the site or the runner failed the step; 0 for warnings.
    pub(crate) fn exit_code(&self) -> u8 {
        match self.group() {
            WrongInput => 2,
            Cloudflare | Site | Runner => 1,
            Repair | Notice => 0,
        }
    }
}

/// Cloudflare's own words, quoted: `1000 "Invalid API Token"`, chained errors included.
pub fn quote(errors: &[CfMessage]) -> String {
    let parts: Vec<String> = errors.iter().flat_map(|e| e.flatten()).collect();
    if parts.is_empty() {
        return "an error without a message".into();
    }
    let mut pages: Vec<&str> = errors.iter().flat_map(CfMessage::documentation).collect();
    pages.dedup();
    if pages.is_empty() {
        parts.join(", ")
    } else {
        format!(
            "{} (Cloudflare's page: {})",
            parts.join(", "),
            pages.join(", ")
        )
    }
}
