//! The purge: items become batches within the plan's limits, sent concurrently under client-side pacing.

mod execute;
mod outcome;
mod plan;
mod work;

pub use crate::cloudflare::TokenBucket;
pub use execute::{execute, Job, Lane, Progress, Target};
pub use outcome::{Outcome, Withheld};
pub use plan::{plan, Limits};
pub use work::{Batch, ResolvedFile, Work};
