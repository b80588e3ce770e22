//! Step 3: the credential, verified with Cloudflare — a user token, an account token (its account
//! from `account_id` or from the zone), or an email + Global API Key — and the token's lifetime.

use time::OffsetDateTime;

use super::reads::Reads;
use super::resolve::checked;
use super::Journal;
use crate::cloudflare::{endpoints, CfMessage, Client, TokenStatus, Zone};
use crate::diagnosis::expiry::{self, Lifetime};
use crate::diagnosis::judge::{self, Standing, TokenRefusal};
use crate::diagnosis::{AccountProof, Cause};
use crate::inputs::{Credential, Mode, Settings, Shape, ZoneRef};
use crate::runner::{Mark, Subject};

/// Whose credential it is, as Cloudflare confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owner {
    User,
    Account(String),
    GlobalKey,
}

impl Owner {
    /// The `credential` output.
    pub(crate) fn output(&self) -> &'static str {
        match self {
            Owner::User => "user-token",
            Owner::Account(_) => "account-token",
            Owner::GlobalKey => "global-key",
        }
    }
}

/// A verified credential.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    /// A token's lifetime; `None` for a Global API Key, which never expires.
    pub(crate) lifetime: Option<Lifetime>,
    /// The zone, when learning an account token's account meant reading it.
    pub(crate) zone: Option<Zone>,
}

/// Verify the credential; the run stops at the cause when Cloudflare refuses it or it is not usable now.
pub(crate) async fn verify(
    client: &Client,
    settings: &Settings,
    reads: &Reads,
    journal: &mut Journal,
    now: OffsetDateTime,
) -> Result<Verified, Cause> {
    let shape = match &settings.credential {
        Credential::GlobalKey { .. } => return global_key(client, journal).await,
        Credential::Token { shape, .. } => shape,
    };
    let (status, owner, zone) = if *shape == Shape::AccountToken {
        account_token(client, settings, reads, journal, Vec::new()).await?
    } else {
        match client.call(&endpoints::verify_user_token()).await {
            Ok(answer) => (answer.result, Owner::User, None),
            Err(failure) => match judge::token_verify(&failure, client.peer()) {
                TokenRefusal::Cause(cause) => return Err(journal.failed(Subject::Token, cause)),
                TokenRefusal::Unknown(errors) => {
                    account_token(client, settings, reads, journal, errors).await?
                }
            },
        }
    };
    let detail = match &owner {
        Owner::Account(account) => format!("account API token of account {account}"),
        _ => "user API token".to_string(),
    };
    journal.check(
        Subject::Token,
        Mark::Ok,
        format!("{detail}, {}", status.status),
    );
    journal.report.credential = owner.output();
    let lifetime = judge_lifetime(&status, settings, journal, now)?;
    Ok(Verified {
        lifetime: Some(lifetime),
        zone,
    })
}

/// What looking up the zones taught about an account token.
enum Learned {
    /// A zone the token can read, with its account.
    Zone(Zone),
    /// No zone readable; a lookup answered as to a known token without access.
    KnownWithoutAccess(Vec<CfMessage>),
    /// No zone readable; a lookup answered as to an unknown token.
    Unknown(Vec<CfMessage>),
    Nothing,
}

/// The user endpoint did not know the token (or it is `cfat_`): try its account's endpoint.
async fn account_token(
    client: &Client,
    settings: &Settings,
    reads: &Reads,
    journal: &mut Journal,
    user_errors: Vec<CfMessage>,
) -> Result<(TokenStatus, Owner, Option<Zone>), Cause> {
    let (account, zone) = match &settings.options.account_id {
        Some(account) => (account.clone(), None),
        None => match learn_from_zones(client, reads, &settings.zones).await? {
            Learned::Zone(zone) => (zone.account.id.clone(), Some(zone)),
            learned => {
                let cause = without_account(&settings.credential, user_errors, learned);
                return Err(journal.failed(Subject::Token, cause));
            }
        },
    };
    match client
        .call(&endpoints::verify_account_token(&account))
        .await
    {
        Ok(answer) => Ok((answer.result, Owner::Account(account), zone)),
        Err(failure) => {
            let cause = match judge::token_verify(&failure, client.peer()) {
                TokenRefusal::Cause(cause) => cause,
                TokenRefusal::Unknown(errors) => Cause::TokenInvalid {
                    errors: if user_errors.is_empty() {
                        errors
                    } else {
                        user_errors
                    },
                    account_checked: Some(account),
                    zone_said: Vec::new(),
                },
            };
            Err(journal.failed(Subject::Token, cause))
        }
    }
}

/// Why no account could be checked: the token is account-owned (its prefix, or Cloudflare's
/// answers, say so) and needs `account_id`, or Cloudflare does not know it.
fn without_account(credential: &Credential, user: Vec<CfMessage>, learned: Learned) -> Cause {
    let prefixed = matches!(
        credential,
        Credential::Token {
            shape: Shape::AccountToken,
            ..
        }
    );
    match learned {
        _ if prefixed => Cause::AccountTokenNeedsAccountId {
            proof: AccountProof::Prefix,
        },
        Learned::KnownWithoutAccess(zone) => Cause::AccountTokenNeedsAccountId {
            proof: AccountProof::Answers { user, zone },
        },
        Learned::Unknown(zone_said) => Cause::TokenInvalid {
            errors: user,
            account_checked: None,
            zone_said,
        },
        Learned::Zone(_) | Learned::Nothing => Cause::TokenInvalid {
            errors: user,
            account_checked: None,
            zone_said: Vec::new(),
        },
    }
}

/// The first zone the token can read, else what the lookups said about the token.
async fn learn_from_zones(
    client: &Client,
    reads: &Reads,
    zones: &[ZoneRef],
) -> Result<Learned, Cause> {
    let mut learned = Learned::Nothing;
    for zone in zones {
        match learn_from_zone(client, reads, zone).await? {
            Learned::Zone(zone) => return Ok(Learned::Zone(zone)),
            Learned::Nothing => {}
            said if matches!(learned, Learned::Nothing) => learned = said,
            _ => {}
        }
    }
    Ok(learned)
}

async fn learn_from_zone(client: &Client, reads: &Reads, zone: &ZoneRef) -> Result<Learned, Cause> {
    let found = match zone {
        ZoneRef::Id(id) => reads.by_id(client, id).await.map(Some),
        ZoneRef::Name(name) => reads.named(client, name).await.map(|zones| {
            zones
                .into_iter()
                .find(|z| z.name.eq_ignore_ascii_case(name))
        }),
    };
    let failure = match found {
        Ok(Some(found)) if !found.account.id.is_empty() => {
            return checked(found).map(Learned::Zone)
        }
        Ok(_) => return Ok(Learned::Nothing),
        Err(failure) => failure,
    };
    if let Some(cause) = judge::transport(&failure, client.peer()) {
        return Err(cause);
    }
    let errors = failure.errors().to_vec();
    Ok(match judge::standing(&errors) {
        Standing::KnownWithoutAccess => Learned::KnownWithoutAccess(errors),
        Standing::Unknown => Learned::Unknown(errors),
        Standing::Unclear => Learned::Nothing,
    })
}

async fn global_key(client: &Client, journal: &mut Journal) -> Result<Verified, Cause> {
    if let Err(failure) = client.call(&endpoints::user()).await {
        let cause = judge::global_key(&failure, client.peer());
        return Err(journal.failed(Subject::GlobalApiKey, cause));
    }
    journal.report.credential = Owner::GlobalKey.output();
    journal.check(Subject::GlobalApiKey, Mark::Ok, "accepted by Cloudflare");
    journal.check(Subject::Expiry, Mark::Ok, "a Global API Key never expires");
    Ok(Verified {
        lifetime: None,
        zone: None,
    })
}

/// Record the token's lifetime; an expired, disabled or not-yet-valid token stops the run.
fn judge_lifetime(
    status: &TokenStatus,
    settings: &Settings,
    journal: &mut Journal,
    now: OffsetDateTime,
) -> Result<Lifetime, Cause> {
    let (lifetime, cause) = expiry::judge(status, now);
    let report = &mut journal.report;
    report.token_status = lifetime.status.clone();
    report.token_expires_on = lifetime.expires_on.clone().unwrap_or_default();
    report.days_until_expiry = lifetime.days_left;
    if let Some(cause) = cause {
        return Err(journal.failed(Subject::Expiry, cause));
    }
    let warn_within = settings.options.expiry_warning_days;
    let (mark, detail) = if let Some((on, days)) = lifetime.expiring_within(warn_within) {
        let mark = match settings.options.mode {
            Mode::Verify => Mark::Fail,
            Mode::Purge => Mark::Warn,
        };
        let left = expiry::days_left_words(days);
        let detail = format!("expires on {on}, {left} (warning at {warn_within})");
        (mark, detail)
    } else if let (Some(on), Some(days)) = (&lifetime.expires_on, lifetime.days_left) {
        let left = expiry::days_left_words(days);
        (Mark::Ok, format!("expires on {on}, {left}"))
    } else {
        (Mark::Ok, "never expires".to_string())
    };
    journal.check(Subject::Expiry, mark, detail);
    Ok(lifetime)
}
