//! The stages of a run after the offline checks, each with the types it returns: the credential
//! check, the zone resolution, the permission proof and the purge. Each records its own rows.

pub mod credential;
pub mod permission;
pub mod purging;
pub mod reads;
pub mod routing;
pub mod zone;

use std::sync::Arc;

use crate::diagnosis::Cause;
use crate::runner::{Mark, Report, Runner, Subject};

/// What the stages tell: annotations as they happen, and the report they add up to.
pub struct Journal {
    runner: Arc<Runner>,
    pub report: Report,
}

impl Journal {
    pub fn new(runner: Arc<Runner>) -> Self {
        Journal {
            runner,
            report: Report::default(),
        }
    }

    pub fn runner(&self) -> &Arc<Runner> {
        &self.runner
    }

    /// Annotate a cause right away and record it.
    pub fn note(&mut self, cause: Cause) {
        self.runner.annotate(&cause);
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
