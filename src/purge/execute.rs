//! Sending the planned batches: concurrently, paced, each counted only when Cloudflare accepted it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::pacing::TokenBucket;
use super::plan::Limits;
use super::work::{Batch, Kind, Work};
use crate::cloudflare::{endpoints, Client, Ended, Failure, Gate, PurgeResult};
use crate::diagnosis::{judge, Cause};

/// Requests in flight at once; the buckets, not this, set the pace.
const MAX_IN_FLIGHT: usize = 8;
/// Cloudflare allows 1,200 requests per 5 minutes per token; the checks before the purge use a few.
const API_BUDGET: f64 = 1150.0;
const API_RATE: f64 = 1200.0 / 300.0;
/// How much later the first burst may reach Cloudflare than the requests after it (new connections).
const SKEW: Duration = Duration::from_millis(50);

/// What the purge achieved.
#[derive(Debug, Default)]
pub struct Outcome {
    pub purged: usize,
    pub failed: Vec<String>,
    pub ids: Vec<String>,
    pub retries: u32,
    pub batches_ok: usize,
    /// The first failed batch's cause.
    pub cause: Option<Cause>,
}

/// Reported after each finished batch.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub done_batches: usize,
    pub total_batches: usize,
    pub purged: usize,
    pub total_items: usize,
    pub retries: u32,
}

/// Why a batch was not sent at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// An earlier batch was refused permission: every later one would be refused the same way.
    PermissionRefused,
}

/// How one batch ended.
#[derive(Debug)]
enum Sent {
    Accepted { result: PurgeResult, retries: u32 },
    Failed(Failure),
    Withheld(Withheld),
}

/// The zone the batches go to: its id for the path, its name for the messages.
#[derive(Debug, Clone)]
pub struct Target {
    pub zone_id: String,
    pub label: String,
}

struct Shared {
    client: Client,
    target: Target,
    work: Arc<Work>,
    urls: TokenBucket,
    requests: TokenBucket,
    api: TokenBucket,
    gate: Semaphore,
    stop: AtomicBool,
}

pub async fn execute(
    client: &Client,
    target: Target,
    work: Arc<Work>,
    batches: &[Batch],
    limits: &Limits,
    mut progress: impl FnMut(Progress),
) -> Outcome {
    let shared = Arc::new(Shared {
        client: client.clone(),
        target,
        work,
        urls: TokenBucket::holding_back(limits.url_rate, limits.url_rate, SKEW),
        requests: TokenBucket::holding_back(limits.request_burst, limits.request_rate, SKEW),
        api: TokenBucket::new(API_BUDGET, API_RATE),
        gate: Semaphore::new(MAX_IN_FLIGHT),
        stop: AtomicBool::new(false),
    });
    let mut tasks = JoinSet::new();
    for (index, batch) in batches.iter().copied().enumerate() {
        tasks.spawn(send(shared.clone(), index, batch));
    }
    let mut results: Vec<Option<Sent>> = (0..batches.len()).map(|_| None).collect();
    let mut tally = Progress {
        done_batches: 0,
        total_batches: batches.len(),
        purged: 0,
        total_items: batches.iter().map(|b| b.len).sum(),
        retries: 0,
    };
    while let Some(joined) = tasks.join_next().await {
        let Ok((index, sent)) = joined else {
            continue;
        };
        tally.done_batches += 1;
        match &sent {
            Sent::Accepted { retries, .. } => {
                tally.purged += batches[index].len;
                tally.retries += retries;
            }
            Sent::Failed(failure) => tally.retries += failure.attempts.saturating_sub(1),
            Sent::Withheld(_) => {}
        }
        results[index] = Some(sent);
        progress(tally);
    }
    summarise(&shared, batches, results, tally.retries)
}

/// Before each attempt of a batch: the retry delay, then its turn under the buckets.
struct BatchGate<'a> {
    shared: &'a Shared,
    batch: Batch,
}

impl Gate for BatchGate<'_> {
    type Stop = Withheld;

    async fn before(&self, _attempt: u32, delay: Duration) -> Result<(), Withheld> {
        tokio::time::sleep(delay).await;
        // A 429 waits out Retry-After here, then queues again behind the pacing, so the batches
        // after it make room when Cloudflare's bucket is emptier than ours (another deploy).
        self.shared.pace(&self.batch).await;
        if self.shared.stop.load(Ordering::SeqCst) {
            return Err(Withheld::PermissionRefused);
        }
        Ok(())
    }
}

async fn send(shared: Arc<Shared>, index: usize, batch: Batch) -> (usize, Sent) {
    let permit = shared.gate.acquire().await;
    let endpoint = endpoints::purge(&shared.target.zone_id, &shared.work.body(&batch));
    let gate = BatchGate {
        shared: &shared,
        batch,
    };
    let sent = match shared.client.call_with(&endpoint, &gate).await {
        Ok(answer) => Sent::Accepted {
            result: answer.result,
            retries: answer.retries,
        },
        Err(Ended::Failed(failure)) => {
            if judge::is_auth_refusal(&failure) {
                shared.stop.store(true, Ordering::SeqCst);
            }
            Sent::Failed(failure)
        }
        Err(Ended::Withheld(why)) => Sent::Withheld(why),
    };
    drop(permit);
    (index, sent)
}

impl Shared {
    /// Wait for this batch's turn under the plan's purge rate and the API's request rate.
    async fn pace(&self, batch: &Batch) {
        match batch.kind {
            Kind::Files => self.urls.take(batch.len as f64).await,
            _ => self.requests.take(1.0).await,
        }
        self.api.take(1.0).await;
    }
}

fn summarise(
    shared: &Shared,
    batches: &[Batch],
    results: Vec<Option<Sent>>,
    retries: u32,
) -> Outcome {
    let mut outcome = Outcome {
        retries,
        ..Outcome::default()
    };
    let host = shared.client.host();
    for (batch, sent) in batches.iter().zip(results) {
        match sent {
            Some(Sent::Accepted { result, .. }) => {
                outcome.purged += batch.len;
                outcome.batches_ok += 1;
                if !result.id.is_empty() {
                    outcome.ids.push(result.id);
                }
            }
            Some(Sent::Failed(failure)) => {
                if outcome.cause.is_none() {
                    let zone = &shared.target.label;
                    outcome.cause = Some(judge::purge(&failure, &host, zone));
                }
                outcome.failed.extend(shared.work.labels(batch));
            }
            Some(Sent::Withheld(_)) | None => outcome.failed.extend(shared.work.labels(batch)),
        }
    }
    outcome
}
