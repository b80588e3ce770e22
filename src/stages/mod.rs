//! The stages of a run after the offline checks, each with the types it returns: the credential
//! check, the zone resolution, the permission proof, the purge and its confirmation. Each records its own rows.

pub(crate) mod authenticate;
pub(crate) mod confirm;
pub(crate) mod permission;
pub(crate) mod purging;
pub(crate) mod reads;
pub(crate) mod resolve;
pub(crate) mod routing;
pub(crate) mod wait;

use std::sync::Arc;

use crate::diagnosis::Cause;
use crate::runner::{Log, Mark, Report, Subject};

/// What the stages tell: annotations as they happen, and the report they add up to.
pub(crate) struct Journal {
    runner: Arc<Log>,
    pub(crate) report: Report,
}

impl Journal {
    pub(crate) fn new(runner: Arc<Log>) -> Self {
        Journal {
            runner,
            report: Report::default(),
        }
    }

    pub(crate) fn runner(&self) -> &Arc<Log> {
        &self.runner
    }

    /// Annotate a cause right away and record it; an error already told (a zone's, by
    /// `note_in`) is not told twice.
    pub(crate) fn note(&mut self, cause: Cause) {
        if self.report.errors.contains(&cause) {
            return;
        }
        self.runner.annotate(&cause);
        self.report.record(cause);
    }

    /// Annotate one zone's cause, naming the zone, and record it.
    pub(crate) fn note_in(&mut self, zone: &str, cause: Cause) {
        self.runner.annotate_in(zone, &cause);
        self.report.record(cause);
    }

    pub(crate) fn check(&mut self, subject: Subject, mark: Mark, detail: impl Into<String>) {
        self.report.check(subject, mark, detail);
    }

    /// A failed check row named by the cause's title; the cause goes back to the caller.
    pub(crate) fn failed(&mut self, subject: Subject, cause: Cause) -> Cause {
        self.report.check(subject, Mark::Fail, cause.title());
        cause
    }
}
