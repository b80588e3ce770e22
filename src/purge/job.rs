//! One zone's share of the purge (`Job`): the zone it goes to, its work and batches, and the lane
//! of its account and plan that paces it.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::plan::Limits;
use super::work::{Batch, Work};
use crate::cloudflare::{Eviction, TokenBucket};

/// Requests of one lane in flight at once; the buckets, not this, set the pace.
const MAX_IN_FLIGHT: usize = 8;
/// How much later the first burst may reach Cloudflare than the requests after it (new connections).
const SKEW: Duration = Duration::from_millis(50);

/// The buckets of one account and plan. Cloudflare's purge limits are per account and plan, so
/// zones of one account on one plan share a lane; other lanes run beside it, unaffected by its 429s.
pub(crate) struct Lane {
    pub(super) urls: TokenBucket,
    pub(super) requests: TokenBucket,
    pub(super) in_flight: Semaphore,
}

impl Lane {
    /// The buckets for `limits`, refilled `pace` times as fast (1 but in tests): they hold as much,
    /// and hold back what refills during the skew, which is real time in a test too.
    pub(crate) fn new(limits: &Limits, pace: f64) -> Self {
        let (url_rate, request_rate) = (limits.url_rate * pace, limits.request_rate * pace);
        Lane {
            urls: TokenBucket::holding_back(limits.url_rate, url_rate, SKEW),
            requests: TokenBucket::holding_back(limits.request_burst, request_rate, SKEW),
            in_flight: Semaphore::new(MAX_IN_FLIGHT),
        }
    }
}

/// The zone the batches go to: its id for the path, its name for the messages.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) zone_id: String,
    pub(crate) label: String,
}

/// One zone's share of the purge.
pub(crate) struct Job {
    pub(crate) target: Target,
    pub(crate) work: Arc<Work>,
    pub(crate) batches: Vec<Batch>,
    pub(crate) lane: Arc<Lane>,
    /// Purge or invalidate: which endpoint every batch goes to.
    pub(crate) how: Eviction,
}
