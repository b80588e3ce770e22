//! What a user reads about a cause: what was seen, and what to do, rendered from its facts in one place.

pub(super) mod general;
mod offline;
mod online;

use super::Cause;

/// A cause in words. `fix` is `None` where the catalogue's general fix applies as it is.
pub(super) struct Explained {
    seen: String,
    fix: Option<String>,
}

fn seen(seen: String) -> Explained {
    Explained { seen, fix: None }
}

fn seen_and_fix(seen: String, fix: String) -> Explained {
    Explained {
        seen,
        fix: Some(fix),
    }
}

impl Cause {
    /// What happened, as one sentence without its final period.
    pub fn seen(&self) -> String {
        self.explain().seen
    }

    /// What to do about it here, as whole sentences.
    pub fn fix(&self) -> String {
        self.explain()
            .fix
            .unwrap_or_else(|| self.row().fix.to_string())
    }

    /// The annotation text: what was seen, what to do, and where to read more.
    pub fn message(&self) -> String {
        self.message_at(None)
    }

    /// [`Cause::message`] with README sections linked on `home` (see [`Cause::link`]).
    pub fn message_at(&self, home: Option<&str>) -> String {
        format!("{}. {} ({})", self.seen(), self.fix(), self.link(home))
    }

    #[rustfmt::skip]
    fn explain(&self) -> Explained {
        use Cause::*;
        match self {
            MissingZone => seen("The zone input is empty".into()),
            InvalidZone { values } => offline::invalid_zone(values),
            MissingCredentials { reason } => offline::missing_credentials(*reason),
            TokenPlaceholder { input, length } => offline::placeholder(*input, *length),
            IncompleteGlobalKey { missing } => offline::incomplete_key(missing),
            InvalidEmail { problem } => seen(format!("The email input is not an email address ({problem})")),
            TokenMalformed { input, length, problem } => offline::malformed(*input, *length, problem),
            TokenHasWhitespace { input, length, inner } => offline::whitespace(*input, *length, inner),
            GlobalKeyAsToken { length, prefixed } => offline::key_as_token(*length, *prefixed),
            TokenAsGlobalKey { kind } => offline::token_as_key(kind),
            OriginCaKey { input } => offline::origin_ca(*input),
            NothingToPurge => seen("No files, tags, hosts or prefixes were given and purge_everything is not true".into()),
            ConflictingPurgeInputs { lists } => offline::conflicting(lists),
            InvalidUrl { items } => offline::invalid_url(items),
            UrlOutsideZone { zones, items } => offline::outside_zone(zones, items),
            FilesWildcard { items } => offline::wildcard(items),
            InvalidPrefix { items } => offline::rejected("prefix", items),
            InvalidHost { items } => offline::rejected("host", items),
            InputsSwapped { input, holds, id } => seen(format!("`{input}` holds something shaped like {holds} and `api_token` something shaped like {id}: swapped?")),
            CredentialInList { input, holds } => seen(format!("`{input}` holds {holds}")),
            ZoneNamesUnreadable { zones, items } => offline::names_unreadable(zones, items),
            ProxyNotUrl { variable, value } => seen(format!("The environment variable {variable} is \"{value}\", which is no proxy URL (http:// or https://, a host, a port up to 65535), and the requests to the API would go through it")),
            BadFlag { flag, problem, closest } => offline::bad_flag(flag, problem, closest.as_deref()),
            InvalidInput { input, value, expected } => offline::invalid_input(input, value, expected),
            TokenBearerPrefix { input } => seen(format!("{} starts with \"Bearer \"; the prefix was removed and the rest used", input.name())),
            TokenQuoted { input } => seen(format!("{} is wrapped in quotes; they were removed and the rest used", input.name())),
            BothCredentials => seen("Both api_token and global_api_key are set; the API token is used".into()),
            ZoneWasUrl { host } => seen(format!("The zone was given as a URL; its host {host} is used")),
            ItemRepaired { items } => offline::repaired(items),
            TokenInvalid { errors, account_checked, zone_said } => online::token_invalid(errors, account_checked.as_deref(), zone_said),
            AccountTokenNeedsAccountId { proof } => online::needs_account_id(proof),
            TokenExpired { expires_on } => online::expired(expires_on.as_deref()),
            TokenDisabled => seen("Cloudflare says this API token is disabled".into()),
            TokenNotYetValid { not_before } => seen(format!("This API token is valid only from {not_before} (its \"not before\" date)")),
            TokenExpiringSoon { expires_on, days, .. } => online::expiring(expires_on, *days),
            TokenIpRestricted { location } => online::ip_restricted(location),
            GlobalKeyRejected { errors } => online::key_rejected(errors),
            ZoneNotFound { zone, visible, errors, parent } => online::zone_not_found(zone, visible, errors, parent.as_deref()),
            AccountIdAsZone { id } => seen(format!("{id} given as zone is an account ID (it answers as an account), not a zone ID")),
            ZoneNotActive { name, status, others } => online::not_active(name, status, others),
            PurgePermissionMissing { zone, status, errors } => online::permission_missing(zone, *status, errors),
            PurgeRejected { zone, status, errors } => online::rejected(zone, *status, errors),
            RateLimited { attempts, errors } => online::rate_limited(*attempts, errors),
            CloudflareUnavailable { status, attempts, html } => online::unavailable(*status, *attempts, *html),
            NetworkError { kind, attempts, host, proxy } => online::network(*kind, *attempts, host, proxy.as_deref()),
            UnexpectedResponse { what, status } => online::unexpected(what, *status),
            OutputsNotWritten { file, error } => seen(format!("Writing {file} failed ({})", crate::text::shown(error))),
            Cancelled { not_confirmed } => online::cancelled(*not_confirmed),
        }
    }
}
