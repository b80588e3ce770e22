//! Workflow commands on stdout, escaped so no value can end a command early or forge another.

use std::io::Write;

use crate::diagnosis::{Cause, Severity};

/// The runner keeps at most this much of an annotation's message.
const MAX_MESSAGE: usize = 4000;

/// Message data: `%`, CR and LF (percent first).
pub fn escape_data(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values: as data, plus `:` and `,`.
pub fn escape_property(value: &str) -> String {
    escape_data(value).replace(':', "%3A").replace(',', "%2C")
}

/// A plain log line: control characters become spaces, so a value cannot start a new line
/// (and with it a workflow command of its own).
pub fn sanitize_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Where lines go: workflow commands inside Actions, readable prefixes outside.
#[derive(Debug, Clone, Copy)]
pub struct Runner {
    pub actions: bool,
    pub debug: bool,
}

impl Runner {
    pub fn from_vars(vars: &[(String, String)]) -> Self {
        let is = |name: &str, want: &str| vars.iter().any(|(k, v)| k == name && v == want);
        Runner {
            actions: is("GITHUB_ACTIONS", "true"),
            debug: is("RUNNER_DEBUG", "1"),
        }
    }

    fn emit(&self, line: &str) {
        let mut out = std::io::stdout().lock();
        // A closed stdout must not abort the run: outputs and the exit status still matter.
        let _ = writeln!(out, "{line}");
    }

    /// Register a secret with the runner's log masker. Outside Actions nothing reads masks.
    pub fn mask(&self, secret: &str) {
        if self.actions && !secret.is_empty() {
            self.emit(&format!("::add-mask::{}", escape_data(secret)));
        }
    }

    pub fn annotate(&self, cause: &Cause) {
        let level = match cause.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = cause.message();
        if message.len() > MAX_MESSAGE {
            let cut = (0..=MAX_MESSAGE)
                .rev()
                .find(|i| message.is_char_boundary(*i))
                .unwrap_or(0);
            message.truncate(cut);
            message.push('…');
        }
        if self.actions {
            self.emit(&format!(
                "::{level} title={}::{}",
                escape_property(cause.title()),
                escape_data(&message)
            ));
        } else {
            self.emit(&format!(
                "{level}: {} [{}]: {}",
                cause.title(),
                cause.code(),
                sanitize_line(&message)
            ));
        }
    }

    pub fn info(&self, line: &str) {
        self.emit(&sanitize_line(line));
    }

    pub fn debug(&self, line: &str) {
        if self.actions && self.debug {
            self.emit(&format!("::debug::{}", escape_data(line)));
        } else if self.debug {
            self.emit(&format!("debug: {}", sanitize_line(line)));
        }
    }

    pub fn group(&self, title: &str) {
        if self.actions {
            self.emit(&format!("::group::{}", escape_data(title)));
        } else {
            self.info(title);
        }
    }

    pub fn end_group(&self) {
        if self.actions {
            self.emit("::endgroup::");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_cannot_forge_commands() {
        assert_eq!(
            escape_data("50% done\r\n::error::x"),
            "50%25 done%0D%0A::error::x"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(sanitize_line("x\n::error::forged"), "x ::error::forged");
    }
}
