//! The stages of a run after the offline checks, each with the types it returns: the credential
//! check, the zone resolution, the permission proof, the purge and its confirmation. Each records its own rows.

pub mod authenticate;
pub mod confirm;
pub mod permission;
pub mod purging;
pub mod reads;
pub mod resolve;
pub mod routing;
pub mod wait;

use std::sync::Arc;

use crate::diagnosis::Cause;
use crate::runner::{Log, Mark, Report, Subject};

/// What the stages tell: annotations as they happen, and the report they add up to.
pub struct Journal {
    runner: Arc<Log>,
    pub report: Report,
}

impl Journal {
    pub fn new(runner: Arc<Log>) -> Self {
        Journal {
            runner,
            report: Report::default(),
        }
    }

    pub fn runner(&self) -> &Arc<Log> {
        &self.runner
    }

    /// Annotate a cause right away and record it; an error already told (a zone's, by
    /// `note_in`) is not told twice.
    pub fn note(&mut self, cause: Cause) {
        if self.report.errors.contains(&cause) {
            return;
        }
        self.runner.annotate(&cause);
        self.report.record(cause);
    }

    /// Annotate one zone's cause, naming the zone, and record it.
    pub fn note_in(&mut self, zone: &str, cause: Cause) {
        self.runner.annotate_in(zone, &cause);
        self.report.record(cause);
    }

    pub fn check(&mut self, subject: Subject, mark: Mark, detail: impl Into<String>) {
        self.report.check(subject, mark, detail);
    }

    /// A failed check row named by the cause's title; the cause goes back to the caller.
    pub fn failed(&mut self, subject: Subject, cause: Cause) -> Cause {
        self.report.check(subject, Mark::Fail, cause.title());
        cause
    }
}
