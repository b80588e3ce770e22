//! The purge: items become batches within the plan's limits, sent concurrently under client-side pacing.

mod execute;
mod job;
mod outcome;
mod plan;
mod work;

pub use execute::{execute, Progress};
pub use job::{Job, Lane, Target};
pub use outcome::Outcome;
pub use plan::{plan, Limits};
pub use work::{Batch, ResolvedFile, Work};
