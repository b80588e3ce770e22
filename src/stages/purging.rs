//! Step 5: the purge — the items joined and checked against the resolved zone, planned in batches,
//! printed (dry run) or sent, and what Cloudflare accepted reported.

use std::sync::Arc;

use super::zone::Resolved;
use super::Journal;
use crate::cloudflare::Client;
use crate::diagnosis::Cause;
use crate::inputs::items::{self, files, FileTarget};
use crate::inputs::{Input, Options, PurgeInputs, ZoneRef};
use crate::purge::{self, Batch, Limits, Progress, ResolvedFile, Target, Work};
use crate::runner::{Mark, PurgeReport, Runner};
use crate::text::{plural, thousands};

/// Plan the purge and send it (or, in a dry run, print the plan).
pub async fn run(
    client: &Client,
    options: &Options,
    zone_ref: &ZoneRef,
    purge: PurgeInputs,
    zone: &Resolved,
    journal: &mut Journal,
) -> Result<(), Cause> {
    let work = Arc::new(work(options, zone_ref, purge, zone)?);
    let limits = zone.limits();
    let batches = purge::plan(&work, &limits);
    let report = PurgeReport {
        counts: work.counts(),
        plan: limits.plan,
        batches: batches.len(),
        ..PurgeReport::default()
    };
    if options.dry_run {
        print_plan(journal.runner(), &work, &batches, &limits);
        let detail = format!(
            "dry run: {} planned, nothing sent",
            plural(batches.len(), "request")
        );
        journal.check("Purge", Mark::Ok, detail);
        journal.report.purge = Some(report);
        journal.report.result = Some("planned");
        return Ok(());
    }
    send(client, work, &batches, &limits, zone, report, journal).await
}

async fn send(
    client: &Client,
    work: Arc<Work>,
    batches: &[Batch],
    limits: &Limits,
    zone: &Resolved,
    mut report: PurgeReport,
    journal: &mut Journal,
) -> Result<(), Cause> {
    let total_items = batches.iter().map(|b| b.len).sum::<usize>();
    let runner = journal.runner().clone();
    let long = batches.len() > 1;
    if long {
        runner.group(&format!(
            "Purging {} items in {}",
            thousands(total_items),
            plural(batches.len(), "request")
        ));
    }
    let target = Target {
        zone_id: zone.id().to_string(),
        label: zone.label().to_string(),
    };
    let progress = progress_lines(&runner, long, batches.len());
    let outcome = purge::execute(client, target, work, batches, limits, progress).await;
    if long {
        runner.end_group();
    }
    report.batches_ok = outcome.batches_ok;
    report.retries = outcome.retries;
    report.purged = outcome.purged;
    report.failed = outcome.failed;
    report.ids = outcome.ids;
    let detail = format!(
        "{} of {} items in {}/{} requests",
        thousands(report.purged),
        thousands(total_items),
        report.batches_ok,
        report.batches
    );
    journal.report.purge = Some(report);
    if let Some(cause) = outcome.cause {
        journal.check("Purge", Mark::Fail, detail);
        return Err(cause);
    }
    journal.check("Purge", Mark::Ok, detail);
    runner.info(&format!(
        "Purged {} items from {}.",
        thousands(total_items),
        zone.label()
    ));
    journal.report.result = Some("purged");
    Ok(())
}

/// About ten progress lines for a long purge, none for a single request.
fn progress_lines(runner: &Runner, long: bool, batches: usize) -> impl FnMut(Progress) + '_ {
    let every = batches.div_ceil(10).max(1);
    move |p: Progress| {
        if long && (p.done_batches % every == 0 || p.done_batches == p.total_batches) {
            runner.info(&format!(
                "purged {}/{} items, {}",
                thousands(p.purged),
                thousands(p.total_items),
                plural(p.retries as usize, "retry")
            ));
        }
    }
}

/// Items with paths joined to the base, checked against the zone now that its name is known.
fn work(
    options: &Options,
    zone_ref: &ZoneRef,
    purge: PurgeInputs,
    zone: &Resolved,
) -> Result<Work, Cause> {
    let base = match (&options.base_url, zone.name()) {
        (Some(base), _) => base.clone(),
        (None, Some(name)) => format!("https://{name}"),
        (None, None) => String::new(),
    };
    let has_paths = purge
        .files
        .iter()
        .any(|f| matches!(f.target, FileTarget::Path(_)));
    if has_paths && base.is_empty() {
        return Err(Cause::InvalidInput {
            input: Input::BaseUrl.name(),
            value: String::new(),
            expected: "set when files has paths and the credential cannot read the zone's name (no Zone Read permission)".into(),
        });
    }
    if let (Some(name), ZoneRef::Id(_)) = (zone.name(), zone_ref) {
        let base_url = options.base_url.as_deref();
        if let Some(cause) = items::outside_zone(&purge.files, name, base_url) {
            return Err(cause);
        }
    }
    let resolved = purge
        .files
        .into_iter()
        .map(|f| ResolvedFile {
            url: files::into_url(f.target, &base),
            headers: f.headers,
        })
        .collect();
    Ok(Work {
        everything: purge.everything,
        files: items::dedup(resolved),
        tags: purge.tags,
        hosts: purge.hosts,
        prefixes: purge.prefixes,
    })
}

fn print_plan(runner: &Runner, work: &Work, batches: &[Batch], limits: &Limits) {
    runner.group(&format!(
        "Dry run: {} ({} plan limits), nothing sent",
        plural(batches.len(), "request"),
        limits.plan
    ));
    for (i, batch) in batches.iter().enumerate() {
        let labels = work.labels(batch);
        let first = labels.first().cloned().unwrap_or_default();
        let last = match labels.last() {
            Some(last) if labels.len() > 1 => format!(" … {last}"),
            _ => String::new(),
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
