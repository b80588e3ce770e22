//! What a run found and did: the checks, causes and purge results that outputs and summary are made from.

use crate::cloudflare::ItemKind;
use crate::diagnosis::{Cause, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Ok,
    Warn,
    Fail,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Ok => "✓",
            Mark::Warn => "⚠",
            Mark::Fail => "✗",
        }
    }
}

/// One row of the health table.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub name: &'static str,
    pub mark: Mark,
    pub detail: String,
}

/// What the purge sent to one zone and what Cloudflare accepted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZonePurge {
    /// The zone's name, or its ID when the name is unknown.
    pub label: String,
    pub id: String,
    pub plan: &'static str,
    pub requested: Vec<(ItemKind, usize)>,
    pub purged_by_kind: Vec<(ItemKind, usize)>,
    pub batches: usize,
    pub batches_ok: usize,
    pub retries: u32,
    pub purged: usize,
    pub failed: Vec<String>,
    pub ids: Vec<String>,
    /// The code of the cause that stopped this zone's purge.
    pub cause: Option<&'static str>,
    /// The smaller prefix limit Cloudflare named, and how many batches were sent again at it.
    pub rebatched: Option<(usize, usize)>,
}

/// What the purge sent and achieved, zone by zone in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PurgeReport {
    pub zones: Vec<ZonePurge>,
    /// False for a dry run: planned only.
    pub sent: bool,
}

impl PurgeReport {
    pub fn purged(&self) -> usize {
        self.zones.iter().map(|z| z.purged).sum()
    }

    /// Every item not purged, once, in zone order.
    pub fn failed(&self) -> Vec<String> {
        let all = self.zones.iter().flat_map(|z| z.failed.iter().cloned());
        crate::inputs::items::dedup(all.collect())
    }

    pub fn ids(&self) -> Vec<String> {
        self.zones
            .iter()
            .flat_map(|z| z.ids.iter().cloned())
            .collect()
    }

    /// Items of each kind over all zones: as requested, or as purged.
    pub fn totals(&self, purged: bool) -> Vec<(ItemKind, usize)> {
        let mut totals: Vec<(ItemKind, usize)> = Vec::new();
        for zone in &self.zones {
            let counts = if purged {
                &zone.purged_by_kind
            } else {
                &zone.requested
            };
            for (kind, n) in counts {
                match totals.iter_mut().find(|(k, _)| k == kind) {
                    Some((_, total)) => *total += n,
                    None => totals.push((*kind, *n)),
                }
            }
        }
        totals
    }
}

/// A resolved zone, as the outputs name it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoneNames {
    pub id: String,
    /// Empty when the credential cannot read it.
    pub name: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub checks: Vec<Check>,
    pub warnings: Vec<Cause>,
    /// The first decides the `cause` output and the exit status.
    pub errors: Vec<Cause>,
    /// `purged`, `verified` or `planned` once the run got that far.
    pub result: Option<&'static str>,
    /// The resolved zones, in the order given.
    pub zones: Vec<ZoneNames>,
    pub credential: &'static str,
    pub token_status: String,
    pub token_expires_on: String,
    pub days_until_expiry: Option<i64>,
    pub purge: Option<PurgeReport>,
    /// Items never planned because the run stopped first (cancelled).
    pub unsent: Vec<String>,
}

/// GitHub caps a job's outputs at 1 MB: `failed` holds at most this much.
pub const MAX_FAILED: usize = 256 * 1024;

/// Whole items, one per line, at most [`MAX_FAILED`] bytes; and whether some were left out.
pub fn capped(items: &[String]) -> (String, bool) {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let more = item.len() + usize::from(i > 0);
        if out.len() + more > MAX_FAILED {
            return (out, true);
        }
        if i > 0 {
            out.push('\n');
        }
        out.push_str(item);
    }
    (out, false)
}

impl Report {
    pub fn check(&mut self, name: &'static str, mark: Mark, detail: impl Into<String>) {
        self.checks.push(Check {
            name,
            mark,
            detail: detail.into(),
        });
    }

    /// Record a cause under its severity.
    pub fn record(&mut self, cause: Cause) {
        match cause.severity() {
            Severity::Warning => self.warnings.push(cause),
            Severity::Error => self.errors.push(cause),
        }
    }

    pub fn cause(&self) -> Option<&Cause> {
        self.errors.first()
    }

    pub fn exit_code(&self) -> u8 {
        self.cause().map_or(0, Cause::exit_code)
    }

    pub fn result(&self) -> &'static str {
        match (self.cause(), self.result) {
            (None, Some(result)) => result,
            _ => "failed",
        }
    }

    /// Every output of the contract, in its order.
    /// Every item not purged: the planned ones not accepted, and those never planned (a run
    /// cancelled before its purge).
    pub fn failed_items(&self) -> Vec<String> {
        let mut failed = self
            .purge
            .as_ref()
            .map(PurgeReport::failed)
            .unwrap_or_default();
        failed.extend(self.unsent.iter().cloned());
        failed
    }

    /// Every output of the contract, in its order; `failed_file` names the file with the whole
    /// `failed` list when the output had to be cut.
    pub fn outputs(&self, failed_file: Option<&str>) -> Vec<(&'static str, String)> {
        let purge = self.purge.clone().unwrap_or_default();
        let failed = self.failed_items();
        let zones =
            |f: fn(&ZoneNames) -> &str| self.zones.iter().map(f).collect::<Vec<_>>().join(",");
        let codes: Vec<&str> = self.warnings.iter().map(Cause::code).collect();
        vec![
            ("result", self.result().to_string()),
            (
                "cause",
                self.cause()
                    .map(|c| c.code().to_string())
                    .unwrap_or_default(),
            ),
            ("warnings", codes.join(",")),
            ("zone_id", zones(|z| &z.id)),
            ("zone_name", zones(|z| &z.name)),
            ("credential", self.credential.to_string()),
            ("token_status", self.token_status.clone()),
            ("token_expires_on", self.token_expires_on.clone()),
            (
                "days_until_expiry",
                self.days_until_expiry
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            ("purged_count", purge.purged().to_string()),
            ("failed", capped(&failed).0),
            ("failed_count", failed.len().to_string()),
            ("failed_file", failed_file.unwrap_or_default().to_string()),
            ("purge_ids", purge.ids().join(",")),
        ]
    }
}
