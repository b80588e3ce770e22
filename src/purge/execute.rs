//! Sending the planned batches of every zone: concurrently, each paced by its lane (the buckets of
//! its account and plan; the client paces every request by the API's budget), each counted only
//! when Cloudflare accepted it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use super::job::Job;
use super::outcome::{attribute_outage, summarise, Outcome, Sent, Withheld};
use super::work::Batch;
use crate::cancel::Cancel;
use crate::cloudflare::{pause, Client, Ended, Gate, ItemKind, ListKind};
use crate::diagnosis::judge;

/// After this many batches of a zone in a row failed with the API down (5xx or no answer, after
/// every retry), the zone's rest are not sent: each would spend its retries, and the run's
/// 1,200-request budget, on an outage. Per zone: one zone's failing backend leaves the others be.
const OUTAGE_STREAK: usize = 3;

/// Reported after each finished batch, across zones.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Progress {
    pub(crate) done_batches: usize,
    pub(crate) total_batches: usize,
    pub(crate) purged: usize,
    pub(crate) total_items: usize,
    pub(crate) retries: u32,
}

struct Zone {
    job: Job,
    stop: AtomicBool,
    /// The smaller prefix limit Cloudflare named, once it named one (0: none yet).
    prefix_limit: AtomicUsize,
    /// The smaller URL limit Cloudflare named (some zones still refuse more than 30 URLs a request).
    url_limit: AtomicUsize,
    /// Batches that failed with the API down since the zone's last one accepted.
    outage_streak: AtomicUsize,
    /// Set once the streak reached [`OUTAGE_STREAK`]: for good, the zone's rest are not sent.
    down: AtomicBool,
    /// Wakes the zone's batches waiting their turn once it is stopped or down.
    halted: Cancel,
}

impl Zone {
    /// Where the smaller per-request limit Cloudflare names for this kind is kept: URLs and
    /// prefixes are re-batched at it; the other kinds have no such limit to learn.
    fn learned_limit(&self, kind: ItemKind) -> Option<&AtomicUsize> {
        match kind {
            ItemKind::Files => Some(&self.url_limit),
            ItemKind::List(ListKind::Prefixes) => Some(&self.prefix_limit),
            _ => None,
        }
    }

    fn refused(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.halted.cancel();
    }

    fn failed_with_api_down(&self) {
        if self.outage_streak.fetch_add(1, Ordering::SeqCst) + 1 >= OUTAGE_STREAK {
            self.down.store(true, Ordering::SeqCst);
            self.halted.cancel();
        }
    }
}

struct Shared {
    client: Client,
    zones: Vec<Zone>,
    cancel: Cancel,
}

/// Send every job's batches; one outcome per job, in their order. Once `cancel` is set no batch
/// is sent any more, and those in flight get the cancellation's grace to be answered.
pub(crate) async fn execute(
    client: &Client,
    jobs: Vec<Job>,
    cancel: &Cancel,
    progress: impl FnMut(Progress),
) -> Vec<Outcome> {
    let shared = Arc::new(Shared {
        client: client.clone(),
        zones: jobs
            .into_iter()
            .map(|job| Zone {
                job,
                stop: AtomicBool::new(false),
                prefix_limit: AtomicUsize::new(0),
                url_limit: AtomicUsize::new(0),
                outage_streak: AtomicUsize::new(0),
                down: AtomicBool::new(false),
                halted: Cancel::default(),
            })
            .collect(),
        cancel: cancel.clone(),
    });
    let mut tasks = JoinSet::new();
    for (z, zone) in shared.zones.iter().enumerate() {
        for (b, batch) in zone.job.batches.iter().copied().enumerate() {
            tasks.spawn(send(shared.clone(), z, b, batch));
        }
    }
    let results = collect(&shared, tasks, progress).await;
    let peer = shared.client.peer().clone();
    let mut outcomes: Vec<Outcome> = shared
        .zones
        .iter()
        .zip(results)
        .map(|(zone, sent)| summarise(&zone.job, sent, &peer))
        .collect();
    attribute_outage(&mut outcomes);
    outcomes
}

/// Every batch's end, by zone and batch; after a cancellation the batches still in flight get
/// the cancellation's grace, then are abandoned (left `None`: not confirmed).
async fn collect(
    shared: &Shared,
    mut tasks: JoinSet<(usize, usize, Sent)>,
    mut progress: impl FnMut(Progress),
) -> Vec<Vec<Option<Sent>>> {
    let mut results: Vec<Vec<Option<Sent>>> = shared
        .zones
        .iter()
        .map(|zone| (0..zone.job.batches.len()).map(|_| None).collect())
        .collect();
    let mut tally = Progress {
        done_batches: 0,
        total_batches: tasks.len(),
        purged: 0,
        total_items: shared
            .zones
            .iter()
            .flat_map(|z| &z.job.batches)
            .map(|b| b.len)
            .sum(),
        retries: 0,
    };
    let mut deadline: Option<tokio::time::Instant> = None;
    loop {
        let grace = tokio::time::sleep_until(deadline.unwrap_or_else(far_future));
        let joined = tokio::select! {
            joined = tasks.join_next() => joined,
            () = shared.cancel.cancelled(), if deadline.is_none() => {
                deadline = Some(tokio::time::Instant::now() + shared.cancel.grace().in_flight);
                continue;
            }
            () = grace, if deadline.is_some() => {
                tasks.shutdown().await;
                break;
            }
        };
        let Some(joined) = joined else {
            break;
        };
        let Ok((z, b, sent)) = joined else {
            continue;
        };
        tally.done_batches += 1;
        count(&mut tally, shared.zones[z].job.batches[b], &sent);
        results[z][b] = Some(sent);
        progress(tally);
    }
    results
}

/// Before each attempt of a batch: the retry delay, then its turn under its lane (the client then
/// spends one of the API budget).
struct BatchGate<'a> {
    shared: &'a Shared,
    zone: &'a Zone,
    batch: Batch,
    /// Set when the cancellation stopped the batch before an attempt: a failure before it (a 429
    /// whose Retry-After was being waited out) is not why its items were not purged.
    cancelled: AtomicBool,
}

impl Gate for BatchGate<'_> {
    type Stop = Withheld;

    async fn before(&self, _attempt: u32, delay: Duration) -> Result<(), Withheld> {
        self.stopped()?;
        // A 429 waits out Retry-After here, then queues again behind the pacing, so the batches
        // after it make room when Cloudflare's bucket is emptier than ours (another deploy).
        let turn = async {
            pause(delay).await;
            let lane = &self.zone.job.lane;
            match self.batch.kind {
                ItemKind::Files => lane.urls.take(self.batch.len as f64).await,
                _ => lane.requests.take(1.0).await,
            }
        };
        tokio::select! {
            () = turn => {}
            () = self.shared.cancel.cancelled() => {}
            () = self.zone.halted.cancelled() => {}
        }
        self.stopped()
    }
}

impl BatchGate<'_> {
    /// Checked before the batch waits its turn and again after: a batch withheld goes at once.
    fn stopped(&self) -> Result<(), Withheld> {
        if self.shared.cancel.is_cancelled() {
            self.cancelled.store(true, Ordering::SeqCst);
            return Err(Withheld::Cancelled);
        }
        if self.zone.down.load(Ordering::SeqCst) {
            return Err(Withheld::ApiDown);
        }
        if self.zone.stop.load(Ordering::SeqCst) {
            return Err(Withheld::PermissionRefused);
        }
        Ok(())
    }
}

async fn send(shared: Arc<Shared>, z: usize, b: usize, batch: Batch) -> (usize, usize, Sent) {
    let zone = &shared.zones[z];
    let permit = tokio::select! {
        permit = zone.job.lane.in_flight.acquire() => permit,
        () = shared.cancel.cancelled() => return (z, b, Sent::Withheld(Withheld::Cancelled)),
    };
    let sent = match zone.learned_limit(batch.kind) {
        Some(limit) => send_learning(&shared, zone, batch, limit).await,
        None => send_one(&shared, zone, batch).await,
    };
    drop(permit);
    (z, b, sent)
}

/// A batch of a kind whose smaller per-request limit Cloudflare may name in a 400: sent in parts
/// once a limit is known, or whole and, when refused with a limit, in parts of it.
async fn send_learning(shared: &Shared, zone: &Zone, batch: Batch, limit: &AtomicUsize) -> Sent {
    let learned = limit.load(Ordering::SeqCst);
    if learned > 0 && batch.len > learned {
        return send_parts(shared, zone, batch, learned).await;
    }
    match send_one(shared, zone, batch).await {
        Sent::Failed(failure) => match judge::smaller_limit(&failure, batch.len) {
            Some(smaller) => {
                limit.store(smaller, Ordering::SeqCst);
                send_parts(shared, zone, batch, smaller).await
            }
            None => Sent::Failed(failure),
        },
        sent => sent,
    }
}

/// A batch in parts of at most `size`, one after the other.
async fn send_parts(shared: &Shared, zone: &Zone, batch: Batch, size: usize) -> Sent {
    let mut parts = Vec::new();
    for start in (batch.start..batch.start + batch.len).step_by(size.max(1)) {
        let end = (start + size).min(batch.start + batch.len);
        let part = Batch {
            start,
            len: end - start,
            ..batch
        };
        parts.push((part, send_one(shared, zone, part).await));
    }
    Sent::Split { parts }
}

async fn send_one(shared: &Shared, zone: &Zone, batch: Batch) -> Sent {
    let job = &zone.job;
    let endpoint = job.how.request(&job.target.zone_id, &job.work.body(&batch));
    let gate = BatchGate {
        shared,
        zone,
        batch,
        cancelled: AtomicBool::new(false),
    };
    match shared.client.call_with(&endpoint, &gate).await {
        Err(Ended::Failed(_)) if gate.cancelled.load(Ordering::SeqCst) => {
            Sent::Withheld(Withheld::Cancelled)
        }
        Ok(answer) => {
            zone.outage_streak.store(0, Ordering::SeqCst);
            Sent::Accepted {
                result: answer.result,
                retries: answer.retries,
                at: std::time::Instant::now(),
            }
        }
        Err(Ended::Failed(failure)) => {
            if judge::is_auth_refusal(&failure) {
                zone.refused();
            }
            if judge::is_outage(&failure) {
                zone.failed_with_api_down();
            }
            Sent::Failed(failure)
        }
        Err(Ended::Withheld(why)) => Sent::Withheld(why),
    }
}

fn far_future() -> tokio::time::Instant {
    tokio::time::Instant::now() + Duration::from_secs(86_400)
}

fn count(tally: &mut Progress, batch: Batch, sent: &Sent) {
    match sent {
        Sent::Accepted { retries, .. } => {
            tally.purged += batch.len;
            tally.retries += retries;
        }
        Sent::Failed(failure) => tally.retries += failure.attempts.saturating_sub(1),
        Sent::Withheld(_) => {}
        Sent::Split { parts } => {
            for (part, sent) in parts {
                count(tally, *part, sent);
            }
        }
    }
}
