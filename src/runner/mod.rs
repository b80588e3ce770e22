//! The runner protocol: workflow commands (escaped), masks, outputs and the step summary.

mod commands;
mod outputs;
mod report;
mod summary;

pub use commands::{escape_data, escape_property, Runner, MAX_MESSAGE};
pub use outputs::{render_outputs, write_outputs};
pub use report::{Check, Mark, PurgeReport, Report, ZoneNames, ZonePurge};
pub use summary::render_summary;

use crate::env::Env;

/// A file the runner named that could not be written.
#[derive(Debug)]
pub struct PublishError {
    pub variable: &'static str,
    pub error: std::io::Error,
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "writing {}: {}", self.variable, self.error)
    }
}

impl std::error::Error for PublishError {}

/// Outputs and summary, also on failure; nothing is written where the runner named no file. Outside
/// Actions the outputs are printed instead.
pub fn publish(env: &Env, runner: &Runner, report: &Report) -> Result<(), PublishError> {
    let outputs = report.outputs();
    if let Some(path) = env.get("GITHUB_OUTPUT") {
        write_outputs(path.as_ref(), &outputs).map_err(|error| PublishError {
            variable: "GITHUB_OUTPUT",
            error,
        })?;
    }
    if let Some(path) = env.get("GITHUB_STEP_SUMMARY") {
        append(path.as_ref(), &render_summary(report)).map_err(|error| PublishError {
            variable: "GITHUB_STEP_SUMMARY",
            error,
        })?;
    }
    if !runner.actions {
        for (name, value) in &outputs {
            if !value.is_empty() && *name != "failed" {
                runner.info(&format!("{name}: {value}"));
            }
        }
    }
    Ok(())
}

fn append(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(text.as_bytes())
}
