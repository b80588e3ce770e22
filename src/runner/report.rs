//! What a run found and did: the checks, causes and purge results that outputs and summary are made from.

use crate::diagnosis::{Cause, Severity};
use crate::purge::Kind;

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

/// What the purge sent and achieved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PurgeReport {
    pub counts: Vec<(Kind, usize)>,
    pub plan: &'static str,
    pub batches: usize,
    pub batches_ok: usize,
    pub retries: u32,
    pub purged: usize,
    pub failed: Vec<String>,
    pub ids: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub checks: Vec<Check>,
    pub warnings: Vec<Cause>,
    /// The first decides the `cause` output and the exit status.
    pub errors: Vec<Cause>,
    /// `purged`, `verified` or `planned` once the run got that far.
    pub result: Option<&'static str>,
    pub zone_id: String,
    pub zone_name: String,
    pub credential: &'static str,
    pub token_status: String,
    pub token_expires_on: String,
    pub days_until_expiry: Option<i64>,
    pub purge: Option<PurgeReport>,
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
    pub fn outputs(&self) -> Vec<(&'static str, String)> {
        let purge = self.purge.clone().unwrap_or_default();
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
            ("zone_id", self.zone_id.clone()),
            ("zone_name", self.zone_name.clone()),
            ("credential", self.credential.to_string()),
            ("token_status", self.token_status.clone()),
            ("token_expires_on", self.token_expires_on.clone()),
            (
                "days_until_expiry",
                self.days_until_expiry
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            ("purged_count", purge.purged.to_string()),
            ("failed", purge.failed.join("\n")),
            ("purge_ids", purge.ids.join(",")),
        ]
    }
}
