//! Step 3: the credential, verified with Cloudflare — a user token, an account token (its account
//! from `account_id` or from the zone), or an email + Global API Key — and the token's lifetime.

use time::OffsetDateTime;

use super::zone::checked;
use super::Journal;
use crate::cloudflare::{endpoints, CfMessage, Client, TokenStatus, Zone};
use crate::diagnosis::expiry::{self, Lifetime};
use crate::diagnosis::judge::{self, TokenRefusal};
use crate::diagnosis::Cause;
use crate::inputs::{Credential, Mode, Settings, Shape, ZoneRef};
use crate::runner::Mark;

/// Whose credential it is, as Cloudflare confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    User,
    Account(String),
    GlobalKey,
}

impl Owner {
    /// The `credential` output.
    pub fn output(&self) -> &'static str {
        match self {
            Owner::User => "user-token",
            Owner::Account(_) => "account-token",
            Owner::GlobalKey => "global-key",
        }
    }
}

/// A verified credential.
#[derive(Debug, Clone)]
pub struct Verified {
    pub owner: Owner,
    /// A token's lifetime; `None` for a Global API Key, which never expires.
    pub lifetime: Option<Lifetime>,
    /// The zone, when learning an account token's account meant reading it.
    pub zone: Option<Zone>,
}

/// Verify the credential; the run stops at the cause when Cloudflare refuses it or it is not usable now.
pub async fn verify(
    client: &Client,
    settings: &Settings,
    journal: &mut Journal,
    now: OffsetDateTime,
) -> Result<Verified, Cause> {
    let shape = match &settings.credential {
        Credential::GlobalKey { .. } => return global_key(client, journal).await,
        Credential::Token { shape, .. } => shape,
    };
    let (status, owner, zone) = if *shape == Shape::AccountToken {
        account_token(client, settings, journal, Vec::new()).await?
    } else {
        match client.call(&endpoints::verify_user_token()).await {
            Ok(answer) => (answer.result, Owner::User, None),
            Err(failure) => match judge::token_verify(&failure, &client.host()) {
                TokenRefusal::Cause(cause) => return Err(journal.failed("Token", cause)),
                TokenRefusal::Unknown(errors) => {
                    account_token(client, settings, journal, errors).await?
                }
            },
        }
    };
    let detail = match &owner {
        Owner::Account(account) => format!("account API token of account {account}"),
        _ => "user API token".to_string(),
    };
    journal.check("Token", Mark::Ok, format!("{detail}, {}", status.status));
    journal.report.credential = owner.output();
    let lifetime = judge_lifetime(&status, settings, journal, now)?;
    Ok(Verified {
        owner,
        lifetime: Some(lifetime),
        zone,
    })
}

/// The user endpoint did not know the token (or it is `cfat_`): try its account's endpoint.
async fn account_token(
    client: &Client,
    settings: &Settings,
    journal: &mut Journal,
    user_errors: Vec<CfMessage>,
) -> Result<(TokenStatus, Owner, Option<Zone>), Cause> {
    let (account, zone) = match &settings.options.account_id {
        Some(account) => (account.clone(), None),
        None => match account_from_zones(client, &settings.zones).await? {
            Some(zone) => (zone.account.id.clone(), Some(zone)),
            None => {
                let cause = match settings.credential {
                    Credential::Token {
                        shape: Shape::AccountToken,
                        ..
                    } => Cause::AccountTokenNeedsAccountId {
                        errors: user_errors,
                    },
                    _ => Cause::TokenInvalid {
                        errors: user_errors,
                        account_checked: None,
                    },
                };
                return Err(journal.failed("Token", cause));
            }
        },
    };
    match client
        .call(&endpoints::verify_account_token(&account))
        .await
    {
        Ok(answer) => Ok((answer.result, Owner::Account(account), zone)),
        Err(failure) => {
            let cause = match judge::token_verify(&failure, &client.host()) {
                TokenRefusal::Cause(cause) => cause,
                TokenRefusal::Unknown(errors) => Cause::TokenInvalid {
                    errors: if user_errors.is_empty() {
                        errors
                    } else {
                        user_errors
                    },
                    account_checked: Some(account),
                },
            };
            Err(journal.failed("Token", cause))
        }
    }
}

/// The first zone the token can read, with its account; `None` when it can read none.
async fn account_from_zones(client: &Client, zones: &[ZoneRef]) -> Result<Option<Zone>, Cause> {
    for zone in zones {
        if let Some(found) = account_from_zone(client, zone).await? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The zone with its account, if the token can read it; `None` when it cannot.
async fn account_from_zone(client: &Client, zone: &ZoneRef) -> Result<Option<Zone>, Cause> {
    let found = match zone {
        ZoneRef::Id(id) => client
            .call(&endpoints::zone(id))
            .await
            .map(|a| Some(a.result)),
        ZoneRef::Name(name) => client.call(&endpoints::zones_named(name)).await.map(|a| {
            a.result
                .into_iter()
                .find(|z| z.name.eq_ignore_ascii_case(name))
        }),
    };
    match found {
        Ok(Some(found)) if !found.account.id.is_empty() => checked(found).map(Some),
        Ok(_) => Ok(None),
        Err(failure) => match judge::transport(&failure, &client.host()) {
            Some(cause) => Err(cause),
            None => Ok(None),
        },
    }
}

async fn global_key(client: &Client, journal: &mut Journal) -> Result<Verified, Cause> {
    if let Err(failure) = client.call(&endpoints::user()).await {
        let cause = judge::global_key(&failure, &client.host());
        return Err(journal.failed("Global API Key", cause));
    }
    journal.report.credential = Owner::GlobalKey.output();
    journal.check("Global API Key", Mark::Ok, "accepted by Cloudflare");
    journal.check("Expiry", Mark::Ok, "a Global API Key never expires");
    Ok(Verified {
        owner: Owner::GlobalKey,
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
        return Err(journal.failed("Expiry", cause));
    }
    let warn_within = settings.options.expiry_warning_days;
    let (mark, detail) = if let Some((on, days)) = lifetime.expiring_within(warn_within) {
        let mark = match settings.options.mode {
            Mode::Verify => Mark::Fail,
            Mode::Purge => Mark::Warn,
        };
        let detail = format!("expires on {on}, in {days} days (warning at {warn_within})");
        (mark, detail)
    } else if let (Some(on), Some(days)) = (&lifetime.expires_on, lifetime.days_left) {
        (Mark::Ok, format!("expires on {on}, in {days} days"))
    } else {
        (Mark::Ok, "never expires".to_string())
    };
    journal.check("Expiry", mark, detail);
    Ok(lifetime)
}
