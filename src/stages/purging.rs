//! Step 5: the purge — the items routed to their zones, planned in batches by each zone's plan,
//! printed (dry run) or sent in lanes of one account and plan, and what Cloudflare accepted reported.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::confirm::{self, Accepted};
use super::resolve::Resolved;
use super::routing::route;
use super::Journal;
use crate::cancel::Cancel;
use crate::cloudflare::{Client, Eviction};
use crate::diagnosis::Cause;
use crate::inputs::{Options, PurgeInputs};
use crate::purge::{self, Job, Lane, Limits, Outcome, Progress, Target, Work};
use crate::runner::{Log, Mark, PurgeReport, RunResult, Subject, ZonePurge};
use crate::text::{plural, thousands};

/// One zone's work and plan.
struct Planned<'a> {
    zone: &'a Resolved,
    work: Arc<Work>,
    limits: Limits,
    batches: Vec<purge::Batch>,
}

/// How the purge ended: `purged` or `planned`, and what Cloudflare accepted, for `confirm`.
pub(crate) struct Purged {
    pub(crate) result: RunResult,
    pub(crate) accepted: Accepted,
}

/// The cancellation the purge heeds, and how many times faster than Cloudflare's rates its
/// buckets refill (1, but in tests).
#[derive(Clone, Copy)]
pub struct Pacing<'a> {
    pub cancel: &'a Cancel,
    pub pace: f64,
}

/// Route, plan, and send the purge (or, in a dry run, print the plan); `purged` or `planned`.
pub(crate) async fn run(
    client: &Client,
    options: &Options,
    purge: PurgeInputs,
    zones: &[Resolved],
    journal: &mut Journal,
    pacing: Pacing<'_>,
) -> Result<Purged, Cause> {
    let cancel = pacing.cancel;
    let works = route(purge, zones, options.base_url.as_deref())?;
    // Zones given by ID: their names are known now, still before anything is purged.
    let names: Option<Vec<&str>> = zones.iter().map(Resolved::name).collect();
    if let Some(outside) = names.and_then(|n| confirm::outside(&options.confirm_urls, &n)) {
        return Err(outside);
    }
    let planned: Vec<Planned> = zones
        .iter()
        .zip(works)
        .map(|(zone, work)| {
            let limits = zone.limits();
            let batches = purge::plan(&work, &limits);
            let work = Arc::new(work);
            Planned {
                zone,
                work,
                limits,
                batches,
            }
        })
        .collect();
    let how = match options.invalidate {
        true => Eviction::Invalidate,
        false => Eviction::Purge,
    };
    if options.dry_run {
        dry_run(&planned, journal, how);
        return Ok(Purged {
            result: RunResult::Planned,
            accepted: Accepted::default(),
        });
    }
    let outcomes = send(client, &planned, journal.runner(), pacing, how).await;
    let mut accepted = Accepted::default();
    // Held only for `confirm`: a copy of every purged URL is no cost to pay otherwise.
    for (p, outcome) in planned.iter().zip(&outcomes).filter(|_| options.confirm) {
        accepted.add(p.zone.name().unwrap_or_default(), &p.work, outcome);
    }
    let result = report(&planned, outcomes, journal, cancel, how)?;
    Ok(Purged { result, accepted })
}

fn dry_run(planned: &[Planned], journal: &mut Journal, how: Eviction) {
    for zone in planned {
        print_plan(journal.runner(), zone, how);
    }
    super::permission::not_proven(journal);
    let requests = planned.iter().map(|p| p.batches.len()).sum();
    let detail = format!(
        "dry run: {} planned, nothing sent",
        plural(requests, how.request_noun())
    );
    journal.check(Subject::eviction(how), Mark::Ok, detail);
    let zones = planned.iter().map(planned_row).collect();
    journal.report.purge = Some(PurgeReport {
        zones,
        sent: false,
        how,
    });
}

/// Send every zone's batches, zones of one account and plan sharing a lane.
async fn send(
    client: &Client,
    planned: &[Planned<'_>],
    runner: &Arc<Log>,
    Pacing { cancel, pace }: Pacing<'_>,
    how: Eviction,
) -> Vec<Outcome> {
    let mut lanes: BTreeMap<(String, &'static str), Arc<Lane>> = BTreeMap::new();
    let jobs = planned
        .iter()
        .map(|p| {
            let key = (p.zone.account().to_string(), p.limits.plan);
            let lane = lanes
                .entry(key)
                .or_insert_with(|| Arc::new(Lane::new(&p.limits, pace)));
            Job {
                target: Target {
                    zone_id: p.zone.id().to_string(),
                    label: p.zone.label().to_string(),
                },
                work: p.work.clone(),
                batches: p.batches.clone(),
                lane: lane.clone(),
                how,
            }
        })
        .collect();
    let batches: usize = planned.iter().map(|p| p.batches.len()).sum();
    let items: usize = planned.iter().flat_map(|p| &p.batches).map(|b| b.len).sum();
    let long = batches > 1;
    if long {
        let zones = match planned {
            [_] => String::new(),
            _ => format!(" across {}", plural(planned.len(), "zone")),
        };
        runner.group(&format!(
            "{} {} items in {}{zones}",
            how.doing(),
            thousands(items),
            plural(batches, "request")
        ));
    }
    let progress = progress_lines(runner, long, batches, how);
    let outcomes = purge::execute(client, jobs, cancel, progress).await;
    if long {
        runner.end_group();
    }
    outcomes
}

/// About ten progress lines for a long purge, none for a single request.
fn progress_lines(
    runner: &Log,
    long: bool,
    batches: usize,
    how: Eviction,
) -> impl FnMut(Progress) + '_ {
    let every = batches.div_ceil(10).max(1);
    move |p: Progress| {
        if long && (p.done_batches % every == 0 || p.done_batches == p.total_batches) {
            runner.info(&format!(
                "{} {}/{} items, {}",
                how.done(),
                thousands(p.purged),
                thousands(p.total_items),
                plural(p.retries as usize, "retry")
            ));
        }
    }
}

/// Rows, outputs and log lines from the outcomes; the first failed zone's cause fails the run, or
/// the cancellation.
fn report(
    planned: &[Planned],
    outcomes: Vec<Outcome>,
    journal: &mut Journal,
    cancel: &Cancel,
    how: Eviction,
) -> Result<RunResult, Cause> {
    let runner = journal.runner().clone();
    let given_up: usize = outcomes.iter().map(|o| o.given_up).sum();
    if given_up > 0 {
        runner.info(&format!(
            "The Cloudflare API looks down (batches of a zone failed in a row after every retry): {} not sent.",
            plural(given_up, "batch")
        ));
    }
    let (purge, mut first) = zone_rows(planned, outcomes, &runner, how);
    let total: usize = planned.iter().map(|p| p.work.len()).sum();
    let ok: usize = purge.zones.iter().map(|z| z.batches_ok).sum();
    let batches: usize = purge.zones.iter().map(|z| z.batches).sum();
    let detail = format!(
        "{} of {} items in {ok}/{batches} requests",
        thousands(purge.purged()),
        thousands(total)
    );
    if cancel.is_cancelled() {
        first = Some(Cause::Cancelled {
            verifying: false,
            not_confirmed: purge.failed_count(),
        });
    } else if purge.zones.len() > 1 {
        first = note_each_zone(&purge, journal).or(first);
    }
    journal.report.purge = Some(purge);
    if let Some(cause) = first {
        journal.check(Subject::eviction(how), Mark::Fail, detail);
        return Err(cause);
    }
    journal.check(Subject::eviction(how), Mark::Ok, detail);
    let names: Vec<&str> = planned.iter().map(|p| p.zone.label()).collect();
    let (done, result) = match how {
        Eviction::Purge => ("Purged", RunResult::Purged),
        Eviction::Invalidate => ("Invalidated", RunResult::Invalidated),
    };
    runner.info(&format!(
        "{done} {} from {}.",
        plural(total, "item"),
        names.join(", ")
    ));
    Ok(result)
}

/// Several zones: every zone that failed gets its own annotation (contract §7); the first, in
/// the order given, is the run's cause.
fn note_each_zone(purge: &PurgeReport, journal: &mut Journal) -> Option<Cause> {
    let mut first = None;
    for zone in &purge.zones {
        if let Some(cause) = zone.outcome.stopped_by() {
            first.get_or_insert_with(|| cause.clone());
            journal.note_in(&zone.label, cause.clone());
        }
    }
    first
}

/// A row per zone, a log line naming each zone that failed, and the first failure's cause.
fn zone_rows(
    planned: &[Planned],
    outcomes: Vec<Outcome>,
    runner: &Log,
    how: Eviction,
) -> (PurgeReport, Option<Cause>) {
    let mut rows = Vec::new();
    let mut first: Option<Cause> = None;
    for (p, outcome) in planned.iter().zip(outcomes) {
        if let Some(stopped) = outcome.stopped_by() {
            let unsent = match outcome.given_up {
                0 => String::new(),
                n => format!(", {} not sent", plural(n, "batch")),
            };
            runner.info(&format!(
                "{}: {} of {} items not {}: {} ({}){unsent}",
                p.zone.label(),
                thousands(outcome.failed.len()),
                thousands(p.work.len()),
                how.done(),
                stopped.title(),
                stopped.code(),
            ));
        }
        if let Some(cause) = &outcome.cause {
            first.get_or_insert(cause.clone());
        }
        rows.push(zone_row(p, outcome));
    }
    let purge = PurgeReport {
        zones: rows,
        sent: true,
        how,
    };
    (purge, first)
}

fn zone_row(p: &Planned, outcome: Outcome) -> ZonePurge {
    ZonePurge {
        label: p.zone.label().to_string(),
        id: p.zone.id().to_string(),
        plan: p.limits.plan,
        requested: p.work.counts(),
        cause: outcome.stopped_by().map(Cause::code),
        outcome,
    }
}

/// A dry run's row: the batches planned, nothing sent.
fn planned_row(p: &Planned) -> ZonePurge {
    let outcome = Outcome {
        batches: p.batches.len(),
        ..Outcome::default()
    };
    zone_row(p, outcome)
}

fn print_plan(runner: &Log, p: &Planned, how: Eviction) {
    runner.group(&format!(
        "Dry run: {}: {} ({} plan limits), nothing sent",
        p.zone.label(),
        plural(p.batches.len(), how.request_noun()),
        p.limits.plan
    ));
    for (i, batch) in p.batches.iter().enumerate() {
        let first = p.work.item(batch.kind, batch.start);
        let last = match batch.len {
            0 | 1 => String::new(),
            n => format!(" … {}", p.work.item(batch.kind, batch.start + n - 1)),
        };
        runner.info(&format!(
            "request {}: {} {} ({first}{last})",
            i + 1,
            thousands(batch.len),
            batch.kind.noun()
        ));
    }
    runner.end_group();
}
