//! The purge: items become batches within the plan's limits, sent concurrently under client-side pacing.

mod execute;
mod pacing;
mod plan;

pub use execute::{execute, Outcome, Progress};
pub use pacing::TokenBucket;
pub use plan::{plan, Batch, Kind, Limits, ResolvedFile, Work};
