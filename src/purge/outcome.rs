//! What each zone's purge ended as: how a batch ended (`Sent`, `Withheld`), the batches added up
//! into the zone's `Outcome`, and the outage attributed to the zones whose batches it withheld.

use std::time::Instant;

use super::job::Job;
use super::work::Batch;
use crate::cloudflare::{Failure, ItemKind, Peer, PurgeResult};
use crate::diagnosis::{judge, Cause};

/// What the purge achieved in one zone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub(crate) purged: usize,
    pub(crate) purged_by_kind: Vec<(ItemKind, usize)>,
    pub(crate) failed: Vec<String>,
    pub(crate) ids: Vec<String>,
    pub(crate) retries: u32,
    pub(crate) batches_ok: usize,
    /// Requests that ended, the parts of a split batch each counted.
    pub(crate) batches: usize,
    /// Per kind (URLs, prefixes): the smaller limit Cloudflare named, and how many batches were
    /// sent again at it.
    pub(crate) rebatched: Vec<(ItemKind, usize, usize)>,
    /// Batches not sent because the API looked down.
    pub(crate) given_up: usize,
    /// Each accepted batch (or part of one) and when Cloudflare's answer came: `confirm` checks
    /// what they named no sooner than its settle time after.
    pub(crate) accepted: Vec<(Batch, Instant)>,
    /// The zone's first failed batch's cause.
    pub(crate) cause: Option<Cause>,
    /// The outage another zone met, when this zone failed none of its batches but had some
    /// withheld for it: what failed this zone.
    pub(crate) outage: Option<Cause>,
}

impl Outcome {
    /// What stopped the zone's purge: its own first failure, or the outage.
    pub(crate) fn stopped_by(&self) -> Option<&Cause> {
        self.cause.as_ref().or(self.outage.as_ref())
    }
}

/// Why a batch was not sent at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Withheld {
    /// An earlier batch of the zone was refused permission: every later one would be refused too.
    PermissionRefused,
    /// Batches in a row failed with the API down.
    ApiDown,
    /// The runner cancelled the step.
    Cancelled,
}

/// How one batch ended.
#[derive(Debug)]
pub(super) enum Sent {
    Accepted {
        result: PurgeResult,
        retries: u32,
        at: Instant,
    },
    Failed(Failure),
    Withheld(Withheld),
    /// A URL or prefix batch over the per-request limit Cloudflare named, sent again in parts of that
    /// size; the parts are never split again.
    Split {
        parts: Vec<(Batch, Sent)>,
    },
}

/// A zone whose every failed batch was withheld for the outage failed by the outage: the first
/// outage cause any zone met.
pub(super) fn attribute_outage(outcomes: &mut [Outcome]) {
    let outage = outcomes
        .iter()
        .filter_map(|o| o.cause.as_ref())
        .find(|cause| {
            matches!(
                cause,
                Cause::CloudflareUnavailable { .. } | Cause::NetworkError { .. }
            )
        });
    let Some(outage) = outage.cloned() else {
        return;
    };
    for outcome in outcomes {
        if outcome.cause.is_none() && outcome.given_up > 0 {
            outcome.outage = Some(outage.clone());
        }
    }
}

/// What one zone's batches ended as, added up.
/// A zone that failed nothing itself but was stopped by the cancellation (a batch withheld, or
/// abandoned in flight) names the cancellation as what stopped it.
pub(super) fn summarise(job: &Job, results: Vec<Option<Sent>>, peer: &Peer) -> Outcome {
    let mut outcome = Outcome::default();
    let mut cancelled = false;
    for (batch, sent) in job.batches.iter().zip(results) {
        cancelled |= matches!(sent, None | Some(Sent::Withheld(Withheld::Cancelled)));
        match sent {
            Some(sent) => record(&mut outcome, job, *batch, sent, peer),
            None => {
                outcome.batches += 1;
                outcome.failed.extend(job.work.failed_lines(batch));
            }
        }
    }
    if cancelled && outcome.cause.is_none() {
        outcome.cause = Some(Cause::Cancelled {
            verifying: false,
            not_confirmed: outcome.failed.len(),
        });
    }
    outcome
}

fn record(outcome: &mut Outcome, job: &Job, batch: Batch, sent: Sent, peer: &Peer) {
    if !matches!(sent, Sent::Split { .. }) {
        outcome.batches += 1;
    }
    match sent {
        Sent::Accepted {
            result,
            retries,
            at,
        } => {
            outcome.accepted.push((batch, at));
            outcome.purged += batch.len;
            outcome.batches_ok += 1;
            outcome.retries += retries;
            add(&mut outcome.purged_by_kind, batch.kind, batch.len);
            if !result.id.is_empty() {
                outcome.ids.push(result.id);
            }
        }
        Sent::Failed(failure) => {
            outcome.retries += failure.attempts.saturating_sub(1);
            if outcome.cause.is_none() {
                let label = &job.target.label;
                outcome.cause = Some(match failure.status() {
                    Some(status @ (413 | 414)) => too_large(job, batch, status),
                    _ => judge::purge(&failure, peer, label, job.how),
                });
            }
            outcome.failed.extend(job.work.failed_lines(&batch));
        }
        Sent::Withheld(why) => {
            outcome.given_up += usize::from(why == Withheld::ApiDown);
            outcome.failed.extend(job.work.failed_lines(&batch));
        }
        Sent::Split { parts } => {
            let size = parts.first().map_or(0, |(part, _)| part.len);
            match outcome
                .rebatched
                .iter_mut()
                .find(|(k, ..)| *k == batch.kind)
            {
                Some((_, limit, count)) => {
                    *limit = (*limit).min(size);
                    *count += 1;
                }
                None => outcome.rebatched.push((batch.kind, size, 1)),
            }
            for (part, sent) in parts {
                record(outcome, job, part, sent, peer);
            }
        }
    }
}

/// A batch refused as too large is named by its longest item: that is what to shorten.
fn too_large(job: &Job, batch: Batch, status: u16) -> Cause {
    let longest = (batch.start..batch.start + batch.len)
        .map(|i| job.work.item(batch.kind, i))
        .max_by_key(String::len)
        .unwrap_or_default();
    Cause::PurgeTooLarge {
        zone: job.target.label.clone(),
        status,
        item: crate::text::shown(&longest),
    }
}

fn add(counts: &mut Vec<(ItemKind, usize)>, kind: ItemKind, n: usize) {
    match counts.iter_mut().find(|(k, _)| *k == kind) {
        Some((_, total)) => *total += n,
        None => counts.push((kind, n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_whose_batches_were_withheld_fails_by_the_outage_another_met() {
        let outage = Cause::CloudflareUnavailable {
            status: 502,
            attempts: 4,
            html: true,
        };
        let mut outcomes = vec![
            Outcome {
                given_up: 2,
                ..Outcome::default()
            },
            Outcome {
                cause: Some(outage.clone()),
                ..Outcome::default()
            },
            Outcome::default(),
        ];
        attribute_outage(&mut outcomes);
        assert_eq!(outcomes[0].stopped_by(), Some(&outage));
        assert_eq!(outcomes[0].cause, None);
        assert_eq!(outcomes[1].outage, None);
        assert_eq!(outcomes[2].stopped_by(), None);
    }
}
