//! The step summary: a health table of the checks, the cause and its fix, and what was purged.

use super::commands::MAX_MESSAGE;
use super::report::{Mark, PurgeReport, Report};
use crate::text::{cut, thousands};

/// Markdown for `$GITHUB_STEP_SUMMARY`. Holds no secret: only facts the report holds.
pub fn render_summary(report: &Report, failed_file: Option<&str>, home: Option<&str>) -> String {
    let headline = match report.cause() {
        Some(cause) => format!("✗ failed: {}", cause.title()),
        None if report.warnings.is_empty() => format!("✓ {}", report.result()),
        None => format!("⚠ {} with warnings", report.result()),
    };
    let mut md = format!("### Cloudflare purge — {headline}\n\n");
    checks(&mut md, report);
    causes(&mut md, report, home);
    if let Some(purge) = &report.purge {
        purged(&mut md, purge);
    }
    if let Some(file) = failed_file {
        md.push_str(&format!(
            "\nThe `failed` output holds the first items not purged, up to 256 KiB; all {} are in `{file}` in the workspace (the `failed_file` output), one per line, ready for `files_from`.\n",
            thousands(report.failed_items().len())
        ));
    }
    md
}

fn checks(md: &mut String, report: &Report) {
    if report.checks.is_empty() {
        return;
    }
    md.push_str("| Check | | Detail |\n|---|:-:|---|\n");
    for check in &report.checks {
        md.push_str(&format!(
            "| {} | {} | {} |\n",
            check.name,
            check.mark.symbol(),
            cell(&check.detail)
        ));
    }
    md.push('\n');
}

fn causes(md: &mut String, report: &Report, home: Option<&str>) {
    let errors = report.errors.iter().map(|c| (Mark::Fail, c));
    let warnings = report.warnings.iter().map(|c| (Mark::Warn, c));
    for (mark, cause) in errors.chain(warnings) {
        md.push_str(&format!(
            "{} **{}** (`{}`): {}.\n\n**Fix:** {}. [More]({})\n\n",
            mark.symbol(),
            cause.title(),
            cause.code(),
            cell(&cause.seen()),
            cell(&cause.fix()),
            cause.link(home)
        ));
    }
}

/// What was asked and what Cloudflare accepted, by kind and by zone.
fn purged(md: &mut String, purge: &PurgeReport) {
    let done = purge.totals(true);
    md.push_str("| Kind | Requested | Purged |\n|---|--:|--:|\n");
    for (kind, requested) in purge.totals(false) {
        let purged = done.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n);
        let (requested, purged) = (thousands(requested), thousands(purged));
        md.push_str(&format!("| {} | {requested} | {purged} |\n", kind.noun()));
    }
    md.push_str("\n| Zone | ID | Plan | Requests accepted | Purged | Not purged |\n");
    md.push_str("|---|---|---|--:|--:|--:|\n");
    for zone in &purge.zones {
        let failed = match zone.cause {
            Some(code) => format!("{} (`{code}`)", thousands(zone.failed.len())),
            None => thousands(zone.failed.len()),
        };
        md.push_str(&format!(
            "| {} | {} | {} | {}/{} | {} | {failed} |\n",
            cell(&zone.label),
            zone.id,
            zone.plan,
            zone.batches_ok,
            zone.batches,
            thousands(zone.purged),
        ));
    }
    for zone in &purge.zones {
        if let Some((limit, batches)) = zone.rebatched {
            md.push_str(&format!(
                "\n{}: Cloudflare took at most {limit} prefixes a request, so {} sent again in requests of {limit}.\n",
                cell(&zone.label),
                match batches {
                    1 => "1 batch was".to_string(),
                    n => format!("{n} batches were"),
                }
            ));
        }
    }
    let batches: usize = purge.zones.iter().map(|z| z.batches).sum();
    let line = if purge.sent {
        let ok: usize = purge.zones.iter().map(|z| z.batches_ok).sum();
        let retries: u32 = purge.zones.iter().map(|z| z.retries).sum();
        format!(
            "{ok} of {batches} batches accepted, {retries} retries, {} items purged, {} not purged.",
            thousands(purge.purged()),
            thousands(purge.failed_count())
        )
    } else {
        format!("Dry run: {batches} batches planned, nothing sent.")
    };
    md.push_str(&format!("\n{line}\n"));
}

/// Text made safe for one Markdown table cell or paragraph. A cell keeps what an annotation keeps:
/// quoted answers must not push the summary past the 1 MiB GitHub accepts (over it, the whole
/// summary is dropped).
fn cell(text: &str) -> String {
    cut(text, MAX_MESSAGE)
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
        // Names come from the API: no link or image may be made of them.
        .replace('[', "\\[")
        .replace(']', "\\]")
}
