//! Verify mode's proof of the Cache Purge permission: one purge of something that is never served.

use super::zone::Resolved;
use super::Journal;
use crate::cloudflare::{endpoints, Client, PurgeBody};
use crate::diagnosis::{judge, Cause};
use crate::runner::Mark;

/// Never served, so purging it evicts nothing real.
pub const PERMISSION_CHECK_PATH: &str = "/.well-known/cloudflare-purge-permission-check";
/// Used instead when the zone's name (and so any URL in it) is unknown: it proves the same permission.
pub const PERMISSION_CHECK_TAG: &str = "cloudflare-purge-permission-check";

/// What the proof purges in this zone, and how the summary names it.
fn probe(zone: &Resolved) -> (PurgeBody, String) {
    match zone.name() {
        Some(name) => {
            let url = format!("https://{name}{PERMISSION_CHECK_PATH}");
            (PurgeBody::Files(vec![url.clone().into()]), url)
        }
        None => (
            PurgeBody::Tags(vec![PERMISSION_CHECK_TAG.into()]),
            format!("tag {PERMISSION_CHECK_TAG}"),
        ),
    }
}

pub async fn prove(client: &Client, zone: &Resolved, journal: &mut Journal) -> Result<(), Cause> {
    let (body, what) = probe(zone);
    match client.call(&endpoints::purge(zone.id(), &body)).await {
        Ok(_) => {
            journal.check(
                "Purge permission",
                Mark::Ok,
                format!("proven by purging {what}"),
            );
            Ok(())
        }
        Err(failure) => {
            let cause = judge::purge(&failure, &client.host(), zone.label());
            Err(journal.failed("Purge permission", cause))
        }
    }
}
