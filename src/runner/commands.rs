//! Workflow commands on stdout, escaped so no value can end a command early or forge another.

use std::io::Write;
use std::sync::Mutex;

use crate::diagnosis::{Cause, Severity};
use crate::env::Env;
use crate::secret::Redactor;
use crate::text::{cut, one_line};

/// The runner keeps at most 4,096 characters of an annotation's message.
pub(crate) const MAX_MESSAGE: usize = 4000;

/// Message data: `%`, CR and LF (percent first).
pub(crate) fn escape_data(value: &str) -> String {
    escape(value, false)
}

/// Data the log shows (an annotation, a notice, a group's title, a debug line): as data, and every
/// other control character a space, as outside Actions: an escape sequence from an answer would
/// recolour or rewrite the log. A mask's value is escaped as data only, to stay the value it hides.
pub(crate) fn escape_shown(value: &str) -> String {
    escape(value, true)
}

fn escape(value: &str, shown: bool) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            c if shown && c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Property values: as data, plus `:` and `,`.
pub(crate) fn escape_property(value: &str) -> String {
    escape_shown(value).replace(':', "%3A").replace(',', "%2C")
}

/// The run's log, the one sink of its lines: workflow commands inside Actions, readable lines
/// outside; into the writer the run was given (stdout in production, a buffer in tests). Every line
/// is redacted first, inside Actions and out: the runner's masker hides whole values only, and a
/// local run has none.
pub struct Log {
    pub(crate) actions: bool,
    pub(crate) debug: bool,
    out: Mutex<Box<dyn Write + Send>>,
    hidden: Mutex<Redactor>,
    /// The action's repository page, for links to its README: known only inside Actions.
    home: Option<String>,
}

impl Log {
    pub fn new(env: &Env, out: Box<dyn Write + Send>) -> Self {
        Log {
            actions: env.is("GITHUB_ACTIONS", "true"),
            debug: env.is("RUNNER_DEBUG", "1"),
            out: Mutex::new(out),
            hidden: Mutex::new(Redactor::default()),
            home: home(env),
        }
    }

    /// The action's repository page (`https://github.com/owner/name`), when the runner names it.
    pub(crate) fn home(&self) -> Option<&str> {
        self.home.as_deref()
    }

    pub fn stdout(env: &Env) -> Self {
        Log::new(env, Box::new(std::io::stdout()))
    }

    fn emit(&self, line: &str) {
        let line = self.redactor().redact(line);
        self.write(&line);
    }

    fn write(&self, line: &str) {
        let mut out = self
            .out
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A closed stdout must not abort the run: outputs and the exit status still matter.
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }

    /// Hide a value from everything printed, and register it with the runner's log masker.
    pub(crate) fn mask(&self, secret: &str) {
        let new = self.redactor().hide(secret);
        if new {
            self.add_mask(secret);
        }
    }

    /// Hide a credential, and every 8-character piece of it, from everything printed.
    pub(crate) fn mask_credential(&self, credential: &str) {
        let new = self.redactor().hide_credential(credential);
        if new {
            self.add_mask(credential);
        }
    }

    fn add_mask(&self, secret: &str) {
        if self.actions && !secret.is_empty() {
            self.write(&format!("::add-mask::{}", escape_data(secret)));
        }
    }

    /// Text with every masked value and credential piece replaced by `***` (no copy when
    /// nothing in it is hidden).
    pub(crate) fn redact_owned(&self, text: String) -> String {
        self.redacted(text, Redactor::redact)
    }

    /// Items as written back (`failed`): only pieces of a credential hidden ([`Redactor::redact_pieces`]).
    pub(crate) fn redact_items(&self, text: String) -> String {
        self.redacted(text, Redactor::redact_pieces)
    }

    /// `text` as `redact` leaves it; `text` itself when there was nothing to hide.
    fn redacted(
        &self,
        text: String,
        redact: for<'a> fn(&Redactor, &'a str) -> std::borrow::Cow<'a, str>,
    ) -> String {
        match redact(&self.redactor(), &text) {
            std::borrow::Cow::Owned(redacted) => redacted,
            std::borrow::Cow::Borrowed(_) => text,
        }
    }

    fn redactor(&self) -> std::sync::MutexGuard<'_, Redactor> {
        self.hidden
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn annotate(&self, cause: &Cause) {
        self.annotate_with(cause, "", cause.severity());
    }

    /// Annotate an error beside the run's cause as a warning: one error annotation per cause, and
    /// the run has its own.
    pub(crate) fn annotate_beside(&self, cause: &Cause) {
        self.annotate_with(cause, "", Severity::Warning);
    }

    /// Annotate one zone's cause, its text led by the zone's name: several zones may fail in one
    /// run, each with its own cause and fix (contract §7).
    pub(crate) fn annotate_in(&self, zone: &str, cause: &Cause) {
        self.annotate_with(cause, &format!("In the zone {zone}: "), cause.severity());
    }

    fn annotate_with(&self, cause: &Cause, lead: &str, severity: Severity) {
        let level = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let message = cut(
            &format!("{lead}{}", cause.message_at(self.home())),
            MAX_MESSAGE,
        );
        if self.actions {
            self.emit(&format!(
                "::{level} title={}::{}",
                escape_property(cause.title()),
                escape_shown(&message)
            ));
        } else {
            self.emit(&format!(
                "{level}: {} [{}]: {}",
                cause.title(),
                cause.code(),
                one_line(&message)
            ));
        }
    }

    pub fn info(&self, line: &str) {
        let shown = one_line(line);
        let line = self.redactor().redact(&shown);
        if self.actions && reads_as_command(&line) {
            // A line the runner would take for a command (text from a site, an item) is shown with
            // command processing stopped around it, as it is: a stray `##[error]` would be a
            // second annotation, a `##[stop-commands]` would swallow the real one.
            let token = stop_token();
            self.write(&format!("::stop-commands::{token}"));
            self.write(&line);
            self.write(&format!("::{token}::"));
        } else {
            self.write(&line);
        }
    }

    /// A notice annotation: worth seeing, no cause of its own.
    pub(crate) fn notice(&self, line: &str) {
        if self.actions {
            self.emit(&format!("::notice::{}", escape_shown(line)));
        } else {
            self.emit(&format!("notice: {}", one_line(line)));
        }
    }

    /// Whether debug lines are written (the runner's debug logging is on).
    pub(crate) fn debugging(&self) -> bool {
        self.debug
    }

    pub(crate) fn debug(&self, line: &str) {
        if self.actions && self.debug {
            self.emit(&format!("::debug::{}", escape_shown(line)));
        } else if self.debug {
            self.emit(&format!("debug: {}", one_line(line)));
        }
    }

    pub(crate) fn group(&self, title: &str) {
        if self.actions {
            self.emit(&format!("::group::{}", escape_shown(title)));
        } else {
            self.info(title);
        }
    }

    pub(crate) fn end_group(&self) {
        if self.actions {
            self.emit("::endgroup::");
        }
    }
}

/// Whether the runner reads `line` as a workflow command: `::` at its start (after spaces), or the
/// older `##[` anywhere in it (actions/runner's `ActionCommand.TryParse`).
fn reads_as_command(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[")
}

/// A token no text printed can know ahead: the process's random hash keys, through a fresh state.
fn stop_token() -> String {
    use std::hash::BuildHasher;
    let random = std::collections::hash_map::RandomState::new().hash_one(0u8);
    format!("cloudflare-purge-{random:016x}")
}

/// `GITHUB_SERVER_URL/GITHUB_ACTION_REPOSITORY`, both as the runner sets them for an action's step;
/// none when either is missing or not of its shape (a local run, or a workflow's own step).
fn home(env: &Env) -> Option<String> {
    let server = env.get("GITHUB_SERVER_URL").unwrap_or("https://github.com");
    let repository = env.get("GITHUB_ACTION_REPOSITORY")?;
    let name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let (owner, repo) = repository.split_once('/')?;
    let server_ok = server.starts_with("https://") && !server.contains(char::is_whitespace);
    (name(owner) && name(repo) && server_ok)
        .then(|| format!("{}/{owner}/{repo}", server.trim_end_matches('/')))
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
    }

    /// The log's lines, written inside Actions.
    fn actions_log() -> (Log, std::sync::Arc<Mutex<Vec<u8>>>) {
        struct Shared(std::sync::Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let written = std::sync::Arc::new(Mutex::new(Vec::new()));
        let env = Env::from_pairs([("GITHUB_ACTIONS".to_string(), "true".to_string())]);
        let log = Log::new(&env, Box::new(Shared(written.clone())));
        (log, written)
    }

    #[test]
    fn a_line_the_runner_would_read_as_a_command_is_shown_with_commands_stopped() {
        let (log, written) = actions_log();
        log.info("confirm: HTTP 302 to ##[error]x, CF-Cache-Status ##[STOP-COMMANDS]y");
        log.info("  ::error::z");
        log.info("request 1: 2 tags (a, b)");
        let text = String::from_utf8(written.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7, "{text}");
        for (at, shown) in [(0, lines[1]), (3, lines[4])] {
            let token = lines[at].strip_prefix("::stop-commands::").unwrap();
            assert!(token.len() > 20 && !shown.contains(token), "{text}");
            assert_eq!(lines[at + 2], format!("::{token}::"));
        }
        assert_eq!(
            lines[1],
            "confirm: HTTP 302 to ##[error]x, CF-Cache-Status ##[STOP-COMMANDS]y"
        );
        assert_eq!(lines[4], "  ::error::z");
        assert_ne!(lines[0], lines[3], "the token is the same twice");
        assert_eq!(lines[6], "request 1: 2 tags (a, b)");
    }

    #[test]
    fn shown_data_has_no_control_character_and_a_mask_keeps_its_own() {
        let value = "a\u{1b}[2J\tb\u{0}\u{7}\u{7f}\u{85}é%\r\n";
        assert_eq!(escape_shown(value), "a [2J b    é%25%0D%0A");
        assert_eq!(
            escape_data(value),
            "a\u{1b}[2J\tb\u{0}\u{7}\u{7f}\u{85}é%25%0D%0A"
        );
        assert_eq!(escape_property("t\u{1b}:"), "t %3A");
    }
}
