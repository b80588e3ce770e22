//! What a run found and did: the checks, causes and purge results that outputs and summary are made from.

use crate::cloudflare::{Eviction, ItemKind};
use crate::diagnosis::{Cause, Severity};
use crate::inputs::table::{Output, OUTPUTS};
use crate::purge::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Ok,
    Warn,
    Fail,
}

impl Mark {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Mark::Ok => "✓",
            Mark::Warn => "⚠",
            Mark::Fail => "✗",
        }
    }
}

/// What a row of the health table checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    CredentialShape,
    Token,
    GlobalApiKey,
    Expiry,
    Zone,
    Account,
    PurgePermission,
    /// `wait_for` (contract §11).
    NewBuildLive,
    Purge,
    /// The purge row when the run invalidates (`invalidate: true`) instead.
    Invalidate,
    Confirm,
}

impl Subject {
    /// The row of the requests that evict `how`.
    pub(crate) fn eviction(how: Eviction) -> Subject {
        match how {
            Eviction::Purge => Subject::Purge,
            Eviction::Invalidate => Subject::Invalidate,
        }
    }

    /// The row's name in the summary.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Subject::CredentialShape => "Credential shape",
            Subject::Token => "Token",
            Subject::GlobalApiKey => "Global API Key",
            Subject::Expiry => "Expiry",
            Subject::Zone => "Zone",
            Subject::Account => "Account",
            Subject::PurgePermission => "Purge permission",
            Subject::NewBuildLive => "New build live",
            Subject::Purge => "Purge",
            Subject::Invalidate => "Invalidate",
            Subject::Confirm => "Purge took effect",
        }
    }
}

/// The `result` output, once the run got that far; a cause makes it `failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunResult {
    Purged,
    /// Invalidated instead of purged (contract §12).
    Invalidated,
    Verified,
    /// A dry run, also in verify mode.
    Planned,
    Failed,
}

impl RunResult {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RunResult::Purged => "purged",
            RunResult::Invalidated => "invalidated",
            RunResult::Verified => "verified",
            RunResult::Planned => "planned",
            RunResult::Failed => "failed",
        }
    }
}

impl std::fmt::Display for RunResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the health table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Check {
    /// The subject's title.
    pub(crate) name: &'static str,
    pub(crate) mark: Mark,
    pub(crate) detail: String,
}

/// What the purge sent to one zone and what Cloudflare accepted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZonePurge {
    /// The zone's name, or its ID when the name is unknown.
    pub(crate) label: String,
    pub(crate) id: String,
    pub(crate) plan: &'static str,
    pub(crate) requested: Vec<(ItemKind, usize)>,
    /// What the purge achieved; a dry run's holds only the batches planned.
    pub(crate) outcome: Outcome,
    /// The code of the cause that stopped this zone's purge.
    pub(crate) cause: Option<&'static str>,
}

/// The zone's report reads as its outcome (`zone.purged`, `zone.batches_ok`…).
impl std::ops::Deref for ZonePurge {
    type Target = Outcome;

    fn deref(&self) -> &Outcome {
        &self.outcome
    }
}

/// What the purge sent and achieved, zone by zone in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PurgeReport {
    pub(crate) zones: Vec<ZonePurge>,
    /// False for a dry run: planned only.
    pub(crate) sent: bool,
    /// Purged or invalidated (contract §12).
    pub(crate) how: Eviction,
}

impl PurgeReport {
    pub(crate) fn purged(&self) -> usize {
        self.zones.iter().map(|z| z.purged).sum()
    }

    /// Items not purged, counted as `purged` counts: once per zone each was sent to (a tag that
    /// failed in two zones is two), though `failed` lists it once.
    pub(crate) fn failed_count(&self) -> usize {
        self.zones.iter().map(|z| z.failed.len()).sum()
    }

    /// Every item not purged, once, in zone order.
    pub(crate) fn failed(&self) -> Vec<String> {
        let all = self.zones.iter().flat_map(|z| z.failed.iter().cloned());
        crate::inputs::list::dedup(all.collect())
    }

    pub(crate) fn ids(&self) -> Vec<String> {
        self.zones
            .iter()
            .flat_map(|z| z.ids.iter().cloned())
            .collect()
    }

    /// Items of each kind over all zones: as requested, or as purged.
    pub(crate) fn totals(&self, purged: bool) -> Vec<(ItemKind, usize)> {
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

/// One URL `confirm` checked (contract §10): what the site answered and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedUrl {
    pub(crate) url: String,
    /// `None` when no answer came.
    pub(crate) status: Option<u16>,
    pub(crate) cache_status: Option<String>,
    pub(crate) age: Option<u64>,
    pub(crate) mark: Mark,
    /// `evicted`, or the code of the cause it gave.
    pub(crate) verdict: &'static str,
}

/// What `confirm` checked; `confirmed` is `evicted/checked.len()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfirmReport {
    pub(crate) checked: Vec<CheckedUrl>,
    pub(crate) evicted: usize,
}

/// A resolved zone, as the outputs name it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoneNames {
    pub(crate) id: String,
    /// Empty when the credential cannot read it.
    pub(crate) name: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub(crate) checks: Vec<Check>,
    pub(crate) warnings: Vec<Cause>,
    /// The first decides the `cause` output and the exit status.
    pub(crate) errors: Vec<Cause>,
    /// Set once, by the mode's step, when the run got that far.
    pub(crate) result: Option<RunResult>,
    /// The resolved zones, in the order given.
    pub(crate) zones: Vec<ZoneNames>,
    pub(crate) credential: &'static str,
    pub(crate) token_status: String,
    pub(crate) token_expires_on: String,
    pub(crate) days_until_expiry: Option<i64>,
    pub(crate) purge: Option<PurgeReport>,
    /// With `confirm`, once the checks ran.
    pub(crate) confirm: Option<ConfirmReport>,
    /// Items never planned because the run stopped first (cancelled).
    pub(crate) unsent: Vec<String>,
}

/// GitHub caps a job's outputs at 1 MB: `failed` holds at most this much.
pub(crate) const MAX_FAILED: usize = 256 * 1024;

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
    pub(crate) fn check(&mut self, subject: Subject, mark: Mark, detail: impl Into<String>) {
        self.checks.push(Check {
            name: subject.title(),
            mark,
            detail: detail.into(),
        });
    }

    /// Record a cause under its severity.
    pub(crate) fn record(&mut self, cause: Cause) {
        match cause.severity() {
            Severity::Warning => self.warnings.push(cause),
            Severity::Error => self.errors.push(cause),
        }
    }

    pub(crate) fn cause(&self) -> Option<&Cause> {
        self.errors.first()
    }

    pub(crate) fn exit_code(&self) -> u8 {
        self.cause().map_or(0, Cause::exit_code)
    }

    pub(crate) fn result(&self) -> RunResult {
        match (self.cause(), self.result) {
            (None, Some(result)) => result,
            _ => RunResult::Failed,
        }
    }

    /// Every item not purged: the planned ones not accepted, and those never planned (a run
    /// cancelled before its purge).
    pub(crate) fn failed_items(&self) -> Vec<String> {
        let mut failed = self
            .purge
            .as_ref()
            .map(PurgeReport::failed)
            .unwrap_or_default();
        failed.extend(self.unsent.iter().cloned());
        failed
    }

    /// Every output of the contract, in the table's order; `failed_file` names the file with the
    /// whole `failed` list when the output had to be cut.
    pub fn outputs(&self, failed_file: Option<&str>) -> Vec<(Output, String)> {
        let none = PurgeReport::default();
        let purge = self.purge.as_ref().unwrap_or(&none);
        let failed = self.failed_items();
        let zones =
            |f: fn(&ZoneNames) -> &str| self.zones.iter().map(f).collect::<Vec<_>>().join(",");
        let value = |output: Output| match output {
            Output::Result => self.result().to_string(),
            Output::Cause => self
                .cause()
                .map(|c| c.code().to_string())
                .unwrap_or_default(),
            Output::Warnings => {
                // Each code once, in the order first seen: two warnings of one code (confirm's
                // URLs with different problems) are one code to match on.
                let mut codes: Vec<&str> = Vec::new();
                for code in self.warnings.iter().map(Cause::code) {
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
                codes.join(",")
            }
            Output::ZoneId => zones(|z| &z.id),
            Output::ZoneName => zones(|z| &z.name),
            Output::Credential => self.credential.to_string(),
            Output::TokenStatus => self.token_status.clone(),
            Output::TokenExpiresOn => self.token_expires_on.clone(),
            Output::DaysUntilExpiry => {
                let days = self.days_until_expiry.map(|d| d.to_string());
                days.unwrap_or_default()
            }
            Output::PurgedCount => purge.purged().to_string(),
            Output::Failed => capped(&failed).0,
            Output::FailedCount => (purge.failed_count() + self.unsent.len()).to_string(),
            Output::FailedFile => failed_file.unwrap_or_default().to_string(),
            Output::PurgeIds => purge.ids().join(","),
            Output::Confirmed => self
                .confirm
                .as_ref()
                .map(|c| format!("{}/{}", c.evicted, c.checked.len()))
                .unwrap_or_default(),
        };
        OUTPUTS
            .iter()
            .map(|o| (o.output, value(o.output)))
            .collect()
    }
}
