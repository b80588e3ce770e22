//! The purge: items become batches within the plan's limits, sent concurrently under client-side pacing.

mod execute;
mod job;
mod outcome;
mod plan;
mod work;

pub(crate) use execute::{execute, Progress};
pub(crate) use job::{Job, Lane, Target};
pub use outcome::Outcome;
pub(crate) use plan::{plan, Limits};
pub(crate) use work::{Batch, ResolvedFile, Work};
