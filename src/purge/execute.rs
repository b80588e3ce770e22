//! Sending the planned batches: concurrently, paced, each counted only when Cloudflare accepted it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::pacing::TokenBucket;
use super::plan::{Batch, Kind, Limits, Work};
use crate::cloudflare::{endpoints, Client, Failure, PurgeResult, RetryPolicy};
use crate::diagnosis::{self, Cause};

/// Requests in flight at once; the buckets, not this, set the pace.
const MAX_IN_FLIGHT: usize = 8;
/// Cloudflare allows 1,200 requests per 5 minutes per token; the checks before the purge use a few.
const API_BUDGET: f64 = 1150.0;
const API_RATE: f64 = 1200.0 / 300.0;
/// A purge batch is sent at most this often while Cloudflare answers 429.
const MAX_RATE_LIMITED: u32 = 4;
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// How much later the first burst may reach Cloudflare than the requests after it (new connections).
const SKEW: Duration = Duration::from_millis(50);

/// What the purge achieved.
#[derive(Debug, Default)]
pub struct Outcome {
    pub purged: usize,
    pub failed: Vec<String>,
    pub ids: Vec<String>,
    pub retries: u32,
    pub batches: usize,
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

struct Shared {
    client: Client,
    zone_id: String,
    zone_name: String,
    work: Arc<Work>,
    urls: TokenBucket,
    requests: TokenBucket,
    api: TokenBucket,
    gate: Semaphore,
    /// Set by a permission refusal: every later batch would be refused the same way.
    stop: AtomicBool,
}

type BatchResult = (usize, Result<(PurgeResult, u32), Failure>);

pub async fn execute(
    client: &Client,
    zone_id: &str,
    zone_name: &str,
    work: Arc<Work>,
    batches: &[Batch],
    limits: &Limits,
    mut progress: impl FnMut(Progress),
) -> Outcome {
    let shared = Arc::new(Shared {
        client: client.clone().with_policy(RetryPolicy {
            retry_rate_limited: false,
            ..RetryPolicy::default()
        }),
        zone_id: zone_id.to_string(),
        zone_name: zone_name.to_string(),
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
    let mut results: Vec<Option<Result<(PurgeResult, u32), Failure>>> = vec![None; batches.len()];
    let total_items = batches.iter().map(|b| b.len).sum();
    let mut tally = Progress {
        done_batches: 0,
        total_batches: batches.len(),
        purged: 0,
        total_items,
        retries: 0,
    };
    while let Some(joined) = tasks.join_next().await {
        let Ok((index, result)) = joined else {
            continue;
        };
        tally.done_batches += 1;
        match &result {
            Ok((_, retries)) => {
                tally.purged += batches[index].len;
                tally.retries += retries;
            }
            Err(failure) => tally.retries += failure.attempts.saturating_sub(1),
        }
        results[index] = Some(result);
        progress(tally);
    }
    summarise(&shared, batches, results, tally.retries)
}

async fn send(shared: Arc<Shared>, index: usize, batch: Batch) -> BatchResult {
    let permit = shared.gate.acquire().await;
    let endpoint = endpoints::purge(&shared.zone_id, &shared.work.body(&batch));
    let mut limited = 0;
    let result = loop {
        shared.pace(&batch).await;
        if shared.stop.load(Ordering::SeqCst) {
            return (index, Err(skipped()));
        }
        match shared.client.call(&endpoint).await {
            // Cloudflare's bucket is emptier than ours (another deploy on the account, say): wait as
            // told, then queue again behind our own pacing, so the batches after this one make room.
            Err(failure) if failure.status() == Some(429) && limited + 1 < MAX_RATE_LIMITED => {
                limited += 1;
                tokio::time::sleep(
                    failure
                        .retry_after
                        .unwrap_or(Duration::from_secs(1))
                        .min(MAX_RETRY_AFTER),
                )
                .await;
            }
            Err(failure) => {
                break Err(Failure {
                    attempts: failure.attempts + limited,
                    ..failure
                })
            }
            Ok(answer) => break Ok((answer.result, answer.retries + limited)),
        }
    };
    drop(permit);
    if let Err(failure) = &result {
        if diagnosis::is_auth_refusal(failure) {
            shared.stop.store(true, Ordering::SeqCst);
        }
    }
    (index, result)
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

/// A batch not sent because an earlier one was refused permission.
fn skipped() -> Failure {
    Failure {
        error: crate::cloudflare::ApiError::Network {
            kind: diagnosis::NetKind::Dropped,
        },
        attempts: 0,
        retry_after: None,
    }
}

fn summarise(
    shared: &Shared,
    batches: &[Batch],
    results: Vec<Option<Result<(PurgeResult, u32), Failure>>>,
    retries: u32,
) -> Outcome {
    let mut outcome = Outcome {
        batches: batches.len(),
        retries,
        ..Outcome::default()
    };
    let host = shared.client.host();
    for (batch, result) in batches.iter().zip(results) {
        match result {
            Some(Ok((answer, _))) => {
                outcome.purged += batch.len;
                outcome.batches_ok += 1;
                if !answer.id.is_empty() {
                    outcome.ids.push(answer.id);
                }
            }
            Some(Err(failure)) => {
                if outcome.cause.is_none() && failure.attempts > 0 {
                    outcome.cause = Some(diagnosis::purge(&failure, &host, &shared.zone_name));
                }
                outcome.failed.extend(shared.work.labels(batch));
            }
            None => outcome.failed.extend(shared.work.labels(batch)),
        }
    }
    outcome
}
