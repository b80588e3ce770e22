//! Step 4: the zone, resolved by ID or by name — its name, plan, status and account — or known only
//! by its ID when the credential may purge it but not read it.

use super::reads::Reads;
use super::Journal;
use crate::cloudflare::{endpoints, CfMessage, Client, Zone};
use crate::diagnosis::judge::{self, Standing};
use crate::diagnosis::{Cause, Unexpected};
use crate::inputs::ids::{domain, is_hex_id};
use crate::inputs::ZoneRef;
use crate::purge::Limits;
use crate::runner::{Mark, Subject, ZoneNames};

/// A zone as far as the credential can read it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved {
    Known {
        zone: Zone,
        /// Other zones of the same name found beside it (id, status, account).
        others: Vec<String>,
    },
    /// A token with Cache Purge but no Zone Read: the ID is all there is.
    Unreadable { id: String },
}

impl Resolved {
    fn known(zone: Zone) -> Self {
        Resolved::Known {
            zone,
            others: Vec::new(),
        }
    }

    pub(crate) fn id(&self) -> &str {
        match self {
            Resolved::Known { zone, .. } => &zone.id,
            Resolved::Unreadable { id } => id,
        }
    }

    pub(crate) fn name(&self) -> Option<&str> {
        match self {
            Resolved::Known { zone, .. } => Some(&zone.name),
            Resolved::Unreadable { .. } => None,
        }
    }

    /// Its account's ID; empty when unknown.
    pub(crate) fn account(&self) -> &str {
        match self {
            Resolved::Known { zone, .. } => &zone.account.id,
            Resolved::Unreadable { .. } => "",
        }
    }

    /// How messages name it: its name, or its ID when the name is unknown.
    pub(crate) fn label(&self) -> &str {
        self.name().unwrap_or(self.id())
    }

    /// The plan's purge limits; Free's, the strictest, when the plan is unknown.
    pub(crate) fn limits(&self) -> Limits {
        match self {
            Resolved::Known { zone, .. } => Limits::for_plan(&zone.plan),
            Resolved::Unreadable { .. } => Limits::for_plan(&Default::default()),
        }
    }
}

/// Resolve every zone, in order, before anything is purged: the first that cannot be resolved stops
/// the run. A zone listed twice (by ID and by name) is kept once.
pub(crate) async fn resolve(
    client: &Client,
    zones: &[ZoneRef],
    reads: &Reads,
    seen: Option<Zone>,
    journal: &mut Journal,
) -> Result<Vec<Resolved>, Cause> {
    let mut resolved: Vec<Resolved> = Vec::with_capacity(zones.len());
    for zone in zones {
        let known = seen.as_ref().filter(|z| is(z, zone)).cloned();
        let result = match (known, zone) {
            (Some(zone), _) => Ok(Resolved::known(zone)),
            (None, ZoneRef::Id(id)) => by_id(client, reads, id).await,
            (None, ZoneRef::Name(name)) => by_name(client, reads, name).await,
        };
        let zone = result.map_err(|cause| journal.failed(Subject::Zone, cause))?;
        if resolved.iter().all(|r| r.id() != zone.id()) {
            resolved.push(zone);
        }
    }
    Ok(resolved)
}

/// Whether the zone read is the one the input names.
fn is(zone: &Zone, named: &ZoneRef) -> bool {
    match named {
        ZoneRef::Id(id) => zone.id.eq_ignore_ascii_case(id),
        ZoneRef::Name(name) => zone.name.eq_ignore_ascii_case(name),
    }
}

async fn by_id(client: &Client, reads: &Reads, id: &str) -> Result<Resolved, Cause> {
    let failure = match reads.by_id(client, id).await {
        // The purge goes to the zone's own ID: an answer about another zone must not send it there.
        Ok(zone) if !zone.id.eq_ignore_ascii_case(id) => {
            return Err(Cause::UnexpectedResponse {
                what: Unexpected::OtherZone,
                status: 200,
            })
        }
        Ok(zone) => return checked(zone).map(Resolved::known),
        Err(failure) => failure,
    };
    if let Some(cause) = judge::transport(&failure, client.peer()) {
        return Err(cause);
    }
    // The reference: an account ID in the zone slot fails there but answers as an account.
    if client.call(&endpoints::account(id)).await.is_ok() {
        return Err(Cause::AccountIdAsZone { id: id.to_string() });
    }
    match judge::standing(failure.errors()) {
        // A token with Cache Purge but no Zone Read cannot read the zone, yet can purge it:
        // go on with the ID, and let the purge (or the permission check) decide.
        Standing::KnownWithoutAccess | Standing::Unclear if judge::is_auth_refusal(&failure) => {
            return Ok(Resolved::Unreadable { id: id.to_string() })
        }
        _ => {}
    }
    Err(not_found(client, id, failure.errors()).await)
}

async fn by_name(client: &Client, reads: &Reads, name: &str) -> Result<Resolved, Cause> {
    match reads.named(client, name).await {
        Ok(zones) => match pick(zones, name) {
            Some((zone, others)) => checked(zone).map(|zone| Resolved::Known { zone, others }),
            None => Err(not_found(client, name, &[]).await),
        },
        Err(failure) => match judge::transport(&failure, client.peer()) {
            Some(cause) => Err(cause),
            None => Err(not_found(client, name, failure.errors()).await),
        },
    }
}

/// The zone of this name among those found: the active one when a name answers twice (a moved or
/// pending copy in another account beside the zone that serves), else the first; with the others
/// found, so that `zone-not-active` can say which they were.
pub(crate) fn pick(zones: Vec<Zone>, name: &str) -> Option<(Zone, Vec<String>)> {
    let (mut named, _): (Vec<Zone>, Vec<Zone>) = zones
        .into_iter()
        .partition(|z| z.name.eq_ignore_ascii_case(name));
    let chosen = named.iter().position(|z| z.status == "active").unwrap_or(0);
    if chosen >= named.len() {
        return None;
    }
    let zone = named.remove(chosen);
    let others = named
        .iter()
        .map(|z| format!("{} ({}, account {})", z.id, z.status, z.account.id))
        .collect();
    Some((zone, others))
}

/// `zone-not-found`, naming the parent domain that is the zone when there is one (a subdomain
/// given as the zone), else (at most ten of) the zones the credential can see.
async fn not_found(client: &Client, zone: &str, errors: &[CfMessage]) -> Cause {
    let parent = parent_zone(client, zone).await;
    let visible = match parent {
        Some(_) => Vec::new(),
        None => match client.call(&endpoints::zones_visible()).await {
            Ok(answer) => answer.result.into_iter().map(|z| z.name).collect(),
            Err(_) => Vec::new(),
        },
    };
    Cause::ZoneNotFound {
        zone: zone.to_string(),
        visible,
        errors: errors.to_vec(),
        parent,
    }
}

/// The closest parent domain of `name` that is a zone the credential can see (`www.example.com`
/// → `example.com`); none for an ID, or a name of two labels.
async fn parent_zone(client: &Client, name: &str) -> Option<String> {
    if is_hex_id(name) {
        return None;
    }
    let labels: Vec<&str> = name.split('.').collect();
    for start in 1..labels.len().saturating_sub(1) {
        let parent = labels[start..].join(".");
        let Ok(answer) = client.call(&endpoints::zones_named(&parent)).await else {
            return None;
        };
        if let Some(zone) = answer
            .result
            .iter()
            .find(|z| z.name.eq_ignore_ascii_case(&parent))
        {
            return Some(zone.name.clone());
        }
    }
    None
}

/// A zone from the API, checked: its id goes into purge paths and its name into URLs.
pub(crate) fn checked(zone: Zone) -> Result<Zone, Cause> {
    let id_ok = is_hex_id(&zone.id);
    let name_ok = domain(&zone.name).is_some_and(|d| d == zone.name.to_ascii_lowercase());
    if id_ok && name_ok {
        Ok(zone)
    } else {
        Err(Cause::UnexpectedResponse {
            what: Unexpected::ZoneShape,
            status: 200,
        })
    }
}

/// The zones' rows in the summary, their outputs, and `zone-not-active` for any not served.
pub(crate) fn record(resolved: &[Resolved], journal: &mut Journal) {
    for zone in resolved {
        journal.report.zones.push(ZoneNames {
            id: zone.id().to_string(),
            name: zone.name().unwrap_or_default().to_string(),
        });
        record_one(zone, journal);
    }
}

fn record_one(resolved: &Resolved, journal: &mut Journal) {
    let Resolved::Known { zone, others } = resolved else {
        let detail = format!("{} (the credential cannot read its details: no Zone Read permission; Free plan limits assumed)", resolved.id());
        journal.check(Subject::Zone, Mark::Warn, detail);
        return;
    };
    let plan = match zone.plan.name.as_str() {
        "" => "unknown plan",
        name => name,
    };
    if zone.status == "active" || zone.status.is_empty() {
        let detail = format!("{} ({}), {plan}, active", zone.name, zone.id);
        journal.check(Subject::Zone, Mark::Ok, detail);
    } else {
        let detail = format!("{} ({}), {plan}, {}", zone.name, zone.id, zone.status);
        journal.check(Subject::Zone, Mark::Warn, detail);
        journal.note(Cause::ZoneNotActive {
            name: zone.name.clone(),
            status: zone.status.clone(),
            others: others.clone(),
        });
    }
    if !zone.account.id.is_empty() {
        let detail = format!("{} ({})", zone.account.name, zone.account.id);
        journal.check(Subject::Account, Mark::Ok, detail);
    }
}
