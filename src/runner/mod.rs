//! The runner protocol: workflow commands (escaped), masks, outputs and the step summary.

mod commands;
mod outputs;
mod report;
mod summary;

pub use commands::Log;
#[cfg(test)]
pub(crate) use commands::{escape_data, escape_property, escape_shown};
#[cfg(test)]
pub(crate) use outputs::render_outputs;
pub(crate) use outputs::write_outputs;
pub use report::{
    capped, CheckedUrl, ConfirmReport, Mark, PurgeReport, Report, RunResult, Subject, ZoneNames,
    ZonePurge,
};
pub(crate) use summary::render_summary;

use crate::env::Env;
use crate::inputs::table::Output;

/// A file the runner named that could not be written.
#[derive(Debug)]
pub(crate) struct PublishError {
    /// Which file, as the message names it: "the file named by GITHUB_OUTPUT".
    pub(crate) file: String,
    pub(crate) error: std::io::Error,
    /// The outputs and the summary were written (only the failed file was not).
    pub(crate) outputs_written: bool,
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "writing {}: {}", self.file, self.error)
    }
}

impl std::error::Error for PublishError {}

/// The file with every item not purged, when `failed` is cut: in the workspace, the one directory a
/// container action shares with later steps under the same path (locally: the current directory).
pub(crate) const FAILED_FILE: &str = "cloudflare-purge-failed.txt";

/// Outputs and summary, also on failure; nothing is written where the runner named no file. Outside
/// Actions the outputs are printed instead. The failed file that could not be written still leaves
/// the outputs and the summary written.
pub(crate) fn publish(env: &Env, runner: &Log, report: &Report) -> Result<(), PublishError> {
    let failed = report.failed_items();
    let (failed_file, file_error) = match capped(&failed) {
        (_, true) => match write_failed_file(env, runner, &failed) {
            Ok(file) => (Some(file), None),
            Err(error) => (None, Some(error)),
        },
        (_, false) => (None, None),
    };
    let outputs: Vec<(&str, String)> = report
        .outputs(failed_file.as_deref())
        .into_iter()
        // `failed` holds items, checked offline to hold no credential; they must stay as given to
        // be fed back, but a path joined to a zone's name holds that name. Every other value may
        // come from Cloudflare's answers.
        .map(|(output, value)| match output {
            Output::Failed => (output.name(), runner.redact_items(value)),
            _ => (output.name(), runner.redact_owned(value)),
        })
        .collect();
    let named = match file_error {
        Some(error) => Err(error),
        None => Ok(failed_file.as_deref()),
    };
    let written = write_runner_files(env, runner, report, &outputs, named);
    if !runner.actions {
        for (name, value) in &outputs {
            for line in value.lines() {
                runner.info(&format!("{name}: {line}"));
            }
        }
    }
    written
}

/// The summary first, then the outputs: a summary (or a failed file) that could not be written
/// fails the step, and the outputs, still writable, say so when nothing else failed it first.
fn write_runner_files(
    env: &Env,
    runner: &Log,
    report: &Report,
    outputs: &[(&str, String)],
    failed_file: Result<Option<&str>, PublishError>,
) -> Result<(), PublishError> {
    let summary = match env.get("GITHUB_STEP_SUMMARY") {
        Some(path) => {
            let named = failed_file.as_ref().ok().copied().flatten();
            let summary = runner.redact_owned(render_summary(report, named, runner.home()));
            append(path.as_ref(), &summary).map_err(|error| PublishError {
                file: "the file named by GITHUB_STEP_SUMMARY".into(),
                error,
                outputs_written: false,
            })
        }
        None => Ok(()),
    };
    let failed = failed_file.map(drop).and(summary);
    if let Some(path) = env.get("GITHUB_OUTPUT") {
        let outputs = match (&failed, report.cause()) {
            (Err(_), None) => std::borrow::Cow::Owned(not_written(outputs)),
            _ => std::borrow::Cow::Borrowed(outputs),
        };
        write_outputs(path.as_ref(), &outputs).map_err(|error| PublishError {
            file: "the file named by GITHUB_OUTPUT".into(),
            error,
            outputs_written: false,
        })?;
    }
    failed
}

/// The outputs of a run whose only failure is a runner file not written.
fn not_written<'a>(outputs: &[(&'a str, String)]) -> Vec<(&'a str, String)> {
    let value = |name: &str, value: &String| match name {
        n if n == Output::Result.name() => "failed".to_string(),
        n if n == Output::Cause.name() => "outputs-not-written".to_string(),
        _ => value.clone(),
    };
    outputs.iter().map(|(n, v)| (*n, value(n, v))).collect()
}

fn write_failed_file(env: &Env, runner: &Log, failed: &[String]) -> Result<String, PublishError> {
    let dir = std::path::PathBuf::from(env.get("GITHUB_WORKSPACE").unwrap_or("."));
    let text: String = failed.iter().map(|item| format!("{item}\n")).collect();
    let text = runner.redact_items(text);
    write_new(&dir.join(FAILED_FILE), &text).map_err(|error| PublishError {
        file: format!("{FAILED_FILE} in the workspace"),
        error,
        outputs_written: true,
    })?;
    Ok(FAILED_FILE.to_string())
}

/// Write a file of its own: what stood at the path (an earlier run's file, or a link the checked-out
/// repository put there to point elsewhere) is removed, never followed.
fn write_new(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}

fn append(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(text.as_bytes())
}
