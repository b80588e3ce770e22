//! Facts about the run itself: how it started (which explains a missing secret) and where the workspace is.

use std::path::{Path, PathBuf};

use crate::diagnosis::MissingReason;
use crate::env::Env;

#[derive(Debug, Clone, Default)]
pub struct RunContext {
    pub github_actions: bool,
    pub event_name: String,
    pub actor: String,
    pub event_path: Option<PathBuf>,
    pub workspace: Option<PathBuf>,
}

impl RunContext {
    pub fn read(env: &Env) -> Self {
        let get = |name: &str| env.get(name).map(str::to_string);
        RunContext {
            github_actions: env.is("GITHUB_ACTIONS", "true"),
            event_name: get("GITHUB_EVENT_NAME").unwrap_or_default(),
            actor: get("GITHUB_ACTOR").unwrap_or_default(),
            event_path: get("GITHUB_EVENT_PATH").map(PathBuf::from),
            workspace: get("GITHUB_WORKSPACE").map(PathBuf::from),
        }
    }

    pub fn missing_reason(&self) -> MissingReason {
        if !self.github_actions {
            MissingReason::LocalRun
        } else if self.actor == "dependabot[bot]" {
            MissingReason::Dependabot
        } else if self.fork_gets_no_secrets() && self.pull_request_from_fork() {
            MissingReason::ForkPullRequest
        } else {
            MissingReason::SecretNameMismatch
        }
    }

    /// Events of a pull request that run with the fork's rights: `pull_request_target` runs in the
    /// base repository and does get its secrets.
    fn fork_gets_no_secrets(&self) -> bool {
        self.event_name.starts_with("pull_request") && self.event_name != "pull_request_target"
    }

    fn pull_request_from_fork(&self) -> bool {
        // GitHub caps a webhook payload at 25 MB.
        const MAX_EVENT_FILE: u64 = 32 * 1024 * 1024;
        let Some(text) = self
            .event_path
            .as_ref()
            .and_then(|p| crate::env::read_bounded(p.as_ref(), MAX_EVENT_FILE).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
        else {
            return false;
        };
        let Ok(event) = serde_json::from_str::<serde_json::Value>(&text) else {
            return false;
        };
        event
            .pointer("/pull_request/head/repo/fork")
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// A path the user gave, taken from the workspace when relative.
    pub fn resolve(&self, path: &str) -> PathBuf {
        let path = Path::new(path);
        match &self.workspace {
            Some(ws) if path.is_relative() => ws.join(path),
            _ => path.to_path_buf(),
        }
    }
}
