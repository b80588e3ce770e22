//! One instance of every cause, in contract order: for the README's table and completeness tests.

use super::{
    AccountProof, Cause, CredentialInput, InnerWhitespace, MissingReason, Rejected, Repaired,
    ShapeProblem, Unexpected,
};
use crate::cloudflare::{BodyKind, CfMessage, Foreign, NetKind};

#[rustfmt::skip]
pub fn examples() -> Vec<Cause> {
    use Cause::*;
    let cf = |code, message: &str| vec![CfMessage::new(code, message)];
    vec![
        MissingZone,
        InvalidZone { values: vec!["my site".into()] },
        MissingCredentials { reason: MissingReason::SecretNameMismatch },
        TokenPlaceholder { input: CredentialInput::ApiToken, length: 14 },
        IncompleteGlobalKey { missing: "email" },
        InvalidEmail { problem: "it has no @" },
        TokenMalformed { input: CredentialInput::ApiToken, length: 39, problem: ShapeProblem::Length { expected: "an API token has 40 characters (53 when it starts with cfut_ or cfat_)" } },
        TokenHasWhitespace { input: CredentialInput::ApiToken, length: 41, inner: InnerWhitespace { what: "a line break", at: 21 } },
        GlobalKeyAsToken { length: 37, prefixed: false },
        TokenAsGlobalKey { kind: "API token (40 characters)" },
        OriginCaKey { input: CredentialInput::ApiToken },
        NothingToPurge,
        ConflictingPurgeInputs { lists: vec!["files"] },
        InvalidUrl { items: vec!["blog/index.html".into()] },
        UrlOutsideZone { zones: vec!["example.com".into()], items: vec!["https://example.org/".into()] },
        FilesWildcard { items: vec!["https://example.com/assets/*".into()] },
        InvalidPrefix { items: vec![Rejected { item: "example.com/a?x=1".into(), why: "a prefix has no query string: Cloudflare matches the path only" }] },
        InvalidHost { items: vec![Rejected { item: "example.com/blog".into(), why: "a host has no path: use prefixes for a path" }] },
        InputsSwapped { input: "zone", holds: "an API token", id: "a zone ID" },
        CredentialInList { input: "tags", holds: "the credential given in `api_token`" },
        ZoneNamesUnreadable { zones: vec!["023e105f4ecef8ad9ca31a8372d0c353".into()], items: vec!["https://shop.example/".into()] },
        ProxyNotUrl { variable: "HTTPS_PROXY", value: "http://***@proxy:99999".into() },
        BadFlag { flag: "--zoen".into(), problem: "is not a flag of cloudflare-purge", closest: Some("--zone".into()) },
        InvalidInput { input: "dry_run", value: "maybe".into(), expected: "true or false (also 1/0, yes/no)".into() },
        TokenBearerPrefix { input: CredentialInput::ApiToken },
        TokenQuoted { input: CredentialInput::ApiToken },
        BothCredentials,
        ZoneWasUrl { host: "example.com".into() },
        ItemRepaired { items: vec![Repaired { from: "https://www.example.com/".into(), to: "www.example.com".into() }] },
        TokenInvalid { errors: cf(1000, "Invalid API Token"), account_checked: None, zone_said: vec![] },
        AccountTokenNeedsAccountId { proof: AccountProof::Answers { user: cf(1000, "Invalid API Token"), zone: cf(9109, "Unauthorized to access requested resource") } },
        TokenExpired { expires_on: Some("2026-08-31T23:59:59Z".into()) },
        TokenDisabled,
        TokenNotYetValid { not_before: "2027-01-01T00:00:00Z".into() },
        TokenExpiringSoon { expires_on: "2026-12-01T00:00:00Z".into(), days: 7, fatal: false },
        TokenExpiringSoon { expires_on: "2026-12-01T00:00:00Z".into(), days: 7, fatal: true },
        TokenIpRestricted { location: "203.0.113.7".into() },
        GlobalKeyRejected { errors: cf(9103, "Unknown X-Auth-Key or X-Auth-Email") },
        ZoneNotFound { zone: "example.org".into(), visible: vec!["example.com".into()], errors: vec![], parent: None },
        AccountIdAsZone { id: "9a7806061c88ada191ed06f989cc3dac".into() },
        ZoneNotActive { name: "example.com".into(), status: "pending".into(), others: vec![] },
        PurgePermissionMissing { zone: "example.com".into(), status: 403, errors: cf(10000, "Authentication error") },
        PurgeRejected { zone: "example.com".into(), status: 400, errors: cf(1012, "Request must contain one of \"purge_everything\", \"files\", \"tags\", \"hosts\" or \"prefixes\"") },
        RateLimited { attempts: 4, errors: cf(971, "Please wait and consider throttling your request speed") },
        CloudflareUnavailable { status: 502, attempts: 4, html: true },
        NetworkError { kind: NetKind::Timeout, attempts: 4, host: "api.cloudflare.com".into(), proxy: None },
        UnexpectedResponse { what: Unexpected::Answer(Foreign::Body(BodyKind::Html)), status: 200 },
        OutputsNotWritten { file: "the file named by GITHUB_OUTPUT".into(), error: "No space left on device (os error 28)".into() },
        Cancelled { not_confirmed: 200 },
    ]
}
