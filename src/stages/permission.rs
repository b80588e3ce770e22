//! Verify mode's proof of the Cache Purge permission: one purge of something that is never served.

use super::resolve::Resolved;
use super::Journal;
use crate::cloudflare::{endpoints, Client, Eviction, ItemKind, ListKind, PurgeBody};
use crate::diagnosis::{judge, Cause};
use crate::runner::{Mark, Subject};

/// Never served, so purging it evicts nothing real.
pub(crate) const PERMISSION_CHECK_PATH: &str = "/.well-known/cloudflare-purge-permission-check";
/// Used instead when the zone's name (and so any URL in it) is unknown: it proves the same permission.
pub(crate) const PERMISSION_CHECK_TAG: &str = "cloudflare-purge-permission-check";

/// What the proof purges in this zone, and how the summary names it.
fn probe(zone: &Resolved) -> (PurgeBody, String) {
    match zone.name() {
        Some(name) => {
            let url = format!("https://{name}{PERMISSION_CHECK_PATH}");
            let body = PurgeBody {
                kind: ItemKind::Files,
                items: vec![url.clone().into()],
            };
            (body, url)
        }
        None => (
            PurgeBody {
                kind: ItemKind::List(ListKind::Tags),
                items: vec![PERMISSION_CHECK_TAG.into()],
            },
            format!("tag {PERMISSION_CHECK_TAG}"),
        ),
    }
}

/// A dry run sends no purge, so it cannot prove the Cache Purge permission: the summary says so.
pub(crate) fn not_proven(journal: &mut Journal) {
    journal.check(
        Subject::PurgePermission,
        Mark::Warn,
        "not proven: a dry run sends no purge (run without dry_run, e.g. mode: verify, to prove it)",
    );
}

/// Prove the permission in every zone; each gets its row, the first refusal decides the cause.
pub(crate) async fn prove_all(
    client: &Client,
    zones: &[Resolved],
    journal: &mut Journal,
) -> Result<(), Cause> {
    let mut failed = Vec::new();
    for zone in zones {
        if let Err(cause) = prove(client, zone, journal).await {
            failed.push((zone.label(), cause));
        }
    }
    // Several zones: every zone that failed gets its own annotation, as in a purge (contract §7);
    // the first, in the order given, is the run's cause.
    if zones.len() > 1 {
        for (zone, cause) in &failed {
            journal.note_in(zone, cause.clone());
        }
    }
    failed
        .into_iter()
        .next()
        .map_or(Ok(()), |(_, cause)| Err(cause))
}

async fn prove(client: &Client, zone: &Resolved, journal: &mut Journal) -> Result<(), Cause> {
    let (body, what) = probe(zone);
    match client.call(&endpoints::purge(zone.id(), &body)).await {
        Ok(_) => {
            let detail = format!("{}: proven by purging {what}", zone.label());
            journal.check(Subject::PurgePermission, Mark::Ok, detail);
            Ok(())
        }
        Err(failure) => {
            let cause = judge::purge(&failure, client.peer(), zone.label(), Eviction::Purge);
            let detail = format!("{}: {}", zone.label(), cause.title());
            journal.check(Subject::PurgePermission, Mark::Fail, detail);
            Err(cause)
        }
    }
}
