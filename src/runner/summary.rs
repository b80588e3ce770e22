//! The step summary: a health table of the checks, the cause and its fix, and what was purged.

use super::commands::MAX_MESSAGE;
use super::report::{Mark, Report};
use crate::text::{cut, thousands};

/// Markdown for `$GITHUB_STEP_SUMMARY`. Holds no secret: only facts the report holds.
pub fn render_summary(report: &Report) -> String {
    let mut md = String::new();
    let headline = match report.cause() {
        Some(cause) => format!("✗ failed: {}", cause.title()),
        None if report.warnings.is_empty() => format!("✓ {}", report.result()),
        None => format!("⚠ {} with warnings", report.result()),
    };
    md.push_str(&format!("### Cloudflare purge — {headline}\n\n"));
    if !report.checks.is_empty() {
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
    for (mark, cause) in report
        .errors
        .iter()
        .map(|c| (Mark::Fail, c))
        .chain(report.warnings.iter().map(|c| (Mark::Warn, c)))
    {
        md.push_str(&format!(
            "{} **{}** (`{}`): {}.\n\n**Fix:** {}. [More]({})\n\n",
            mark.symbol(),
            cause.title(),
            cause.code(),
            cell(&cause.seen()),
            cell(&cause.fix()),
            cause.doc()
        ));
    }
    if let Some(purge) = &report.purge {
        md.push_str("| Purged | Items |\n|---|--:|\n");
        for (kind, count) in &purge.counts {
            md.push_str(&format!("| {} | {} |\n", kind.noun(), thousands(*count)));
        }
        md.push_str(&format!(
            "\n{} of {} batches accepted ({} plan limits), {} retries, {} items purged, {} not purged.\n",
            purge.batches_ok,
            purge.batches,
            purge.plan,
            purge.retries,
            thousands(purge.purged),
            thousands(purge.failed.len())
        ));
    }
    md
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
