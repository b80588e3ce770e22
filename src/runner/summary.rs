//! The step summary: a health table of the checks, the cause and its fix, and what was purged.

use std::borrow::Cow;
use std::fmt::Write;

use super::commands::MAX_MESSAGE;
use super::report::{ConfirmReport, Mark, PurgeReport, Report};
use crate::cloudflare::Eviction;
use crate::text::{cut, plural, thousands};

/// Markdown for `$GITHUB_STEP_SUMMARY`. Holds no secret: only facts the report holds.
pub(crate) fn render_summary(
    report: &Report,
    failed_file: Option<&str>,
    home: Option<&str>,
) -> String {
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
    if let Some(confirm) = &report.confirm {
        confirmed(&mut md, confirm);
    }
    if let Some(file) = failed_file {
        let _ = writeln!(md,
            "\nThe `failed` output holds the first items not purged, up to 256 KiB; all {} are in `{file}` in the workspace (the `failed_file` output), one per line, ready for `files_from`.",
            thousands(report.failed_items().len())
        );
    }
    md
}

fn checks(md: &mut String, report: &Report) {
    if report.checks.is_empty() {
        return;
    }
    md.push_str("| Check | | Detail |\n|---|:-:|---|\n");
    for check in &report.checks {
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            check.name,
            check.mark.symbol(),
            cell(&check.detail)
        );
    }
    md.push('\n');
}

fn causes(md: &mut String, report: &Report, home: Option<&str>) {
    let errors = report.errors.iter().map(|c| (Mark::Fail, c));
    let warnings = report.warnings.iter().map(|c| (Mark::Warn, c));
    for (mark, cause) in errors.chain(warnings) {
        let _ = write!(
            md,
            "{} **{}** (`{}`): {}.\n\n**Fix:** {}. [More]({})\n\n",
            mark.symbol(),
            cause.title(),
            cause.code(),
            cell(&cause.seen()),
            cell(&cause.fix()),
            cause.link(home)
        );
    }
}

/// What was asked and what Cloudflare accepted, by kind and by zone.
fn purged(md: &mut String, purge: &PurgeReport) {
    let (did, not) = match purge.how {
        Eviction::Purge => ("Purged", "Not purged"),
        Eviction::Invalidate => ("Invalidated", "Not invalidated"),
    };
    kinds(md, purge, did);
    zones(md, purge, did, not);
    let _ = writeln!(md, "\n{}", totals(purge));
}

/// A row per kind: requested and done.
fn kinds(md: &mut String, purge: &PurgeReport, did: &str) {
    let done = purge.totals(true);
    let _ = writeln!(md, "| Kind | Requested | {did} |\n|---|--:|--:|");
    for (kind, requested) in purge.totals(false) {
        let purged = done.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n);
        let (requested, purged) = (thousands(requested), thousands(purged));
        let _ = writeln!(md, "| {} | {requested} | {purged} |", kind.noun());
    }
}

/// A row per zone, then a line for each zone whose batches Cloudflare made smaller.
fn zones(md: &mut String, purge: &PurgeReport, did: &str, not: &str) {
    let _ = writeln!(
        md,
        "\n| Zone | ID | Plan | Requests accepted | {did} | {not} |"
    );
    md.push_str("|---|---|---|--:|--:|--:|\n");
    for zone in &purge.zones {
        let failed = match zone.cause {
            Some(code) => format!("{} (`{code}`)", thousands(zone.failed.len())),
            None => thousands(zone.failed.len()),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {}/{} | {} | {failed} |",
            cell(&zone.label),
            zone.id,
            zone.plan,
            zone.batches_ok,
            zone.batches,
            thousands(zone.purged),
        );
    }
    for zone in &purge.zones {
        for (kind, limit, batches) in &zone.rebatched {
            let _ = writeln!(md,
                "\n{}: Cloudflare took at most {limit} {} a request, so {} {} sent again in requests of {limit}.",
                cell(&zone.label),
                kind.noun(),
                plural(*batches, "batch"),
                if *batches == 1 { "was" } else { "were" },
            );
        }
    }
}

/// The batches, retries and items of the whole purge in one line (or the dry run's plan).
fn totals(purge: &PurgeReport) -> String {
    let batches: usize = purge.zones.iter().map(|z| z.batches).sum();
    if !purge.sent {
        return format!(
            "Dry run: {} planned, nothing sent.",
            plural(batches, purge.how.batch_noun())
        );
    }
    let ok: usize = purge.zones.iter().map(|z| z.batches_ok).sum();
    let retries: u32 = purge.zones.iter().map(|z| z.retries).sum();
    format!(
        "{ok} of {batches} batches accepted, {}, {} items {}, {} not {}.",
        plural(retries as usize, "retry"),
        thousands(purge.purged()),
        purge.how.done(),
        thousands(purge.failed_count()),
        purge.how.done()
    )
}

/// The URLs `confirm` checked, as the site answered them.
fn confirmed(md: &mut String, confirm: &ConfirmReport) {
    let _ = write!(
        md,
        "\nPurge checked at the site: {}/{} URLs evicted.\n\n",
        confirm.evicted,
        confirm.checked.len()
    );
    if confirm.checked.is_empty() {
        return;
    }
    md.push_str("| Checked URL | Status | CF-Cache-Status | Age | Verdict |\n");
    md.push_str("|---|--:|---|--:|---|\n");
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "–".to_string());
    for row in &confirm.checked {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} {} |",
            cell(&row.url),
            or_dash(row.status.map(|s| s.to_string())),
            cell(&or_dash(row.cache_status.clone())),
            or_dash(row.age.map(|a| a.to_string())),
            row.mark.symbol(),
            row.verdict
        );
    }
}

/// Text made safe for one Markdown table cell or paragraph. A cell keeps what an annotation keeps:
/// quoted answers must not push the summary past the 1 MiB GitHub accepts (over it, the whole
/// summary is dropped).
fn cell(text: &str) -> Cow<'_, str> {
    // Most cells are short and hold nothing to escape: they are used as they are. A byte 0xC2
    // may start a C1 control character, which is looked at below.
    let plain = |b: &u8| {
        !matches!(
            b,
            b'|' | b'<' | b'[' | b']' | b'\\' | 0..=0x1f | 0x7f | 0xc2
        )
    };
    if text.len() <= MAX_MESSAGE && text.as_bytes().iter().all(plain) {
        return Cow::Borrowed(text);
    }
    let text = cut(text, MAX_MESSAGE);
    let mut cell = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => cell.push_str("\\|"),
            // Escaped itself, or `\[` from an answer would become an escaped `\` and a live `[`.
            '\\' => cell.push_str("\\\\"),
            '\n' | '\r' => cell.push(' '),
            '<' => cell.push_str("&lt;"),
            // Names come from the API: no link or image may be made of them.
            '[' => cell.push_str("\\["),
            ']' => cell.push_str("\\]"),
            // An escape sequence from an answer (a zone's name, a message) shows as a space.
            c if c.is_control() => cell.push(' '),
            c => cell.push(c),
        }
    }
    Cow::Owned(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_escapes_what_markdown_or_a_terminal_would_read() {
        assert_eq!(cell("example.com"), "example.com");
        assert!(matches!(cell("example.com"), Cow::Borrowed(_)));
        assert_eq!(cell("a|b<c>[d](e)"), "a\\|b&lt;c>\\[d\\](e)");
        // A backslash from an answer cannot undo the escape of a bracket.
        assert_eq!(cell("x\\[y\\](u)"), "x\\\\\\[y\\\\\\](u)");
        assert_eq!(cell("line\nnext\r\x1b[0m\x7f"), "line next  \\[0m ");
        // C1 controls (two bytes from 0xC2) become spaces; other characters from 0xC2 stay.
        assert_eq!(cell("a\u{85}b\u{9b}c é £"), "a b c é £");
        let long = "x".repeat(MAX_MESSAGE + 5);
        assert_eq!(
            cell(&long).chars().count(),
            MAX_MESSAGE + 1,
            "cut, with its ellipsis"
        );
    }
}
