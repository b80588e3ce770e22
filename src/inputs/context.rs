//! Facts about the run itself: how it started (which explains a missing secret) and where the workspace is.

use std::path::{Path, PathBuf};

use crate::diagnosis::{MissingReason, PeerVariable};
use crate::env::Env;
use crate::names::Input;

#[derive(Debug, Clone, Default)]
pub(crate) struct RunContext {
    pub(crate) github_actions: bool,
    pub(crate) event_name: String,
    pub(crate) actor: String,
    pub(crate) event_path: Option<PathBuf>,
    pub(crate) workspace: Option<PathBuf>,
    /// Other purge actions' variables set in the environment (their values are never read).
    pub(crate) peers: Vec<PeerVariable>,
}

/// Variables and inputs other purge actions read (jakejarvis, NathanVaughn, Cyb3r-Jak3), and the
/// input each belongs in here: a user switching actions often leaves them behind.
/// Its variable, as a message names it.
const PEERS: &[(&str, &str, Input)] = &[
    ("CLOUDFLARE_TOKEN", "CLOUDFLARE_TOKEN", Input::ApiToken),
    ("INPUT_CF_AUTH", "the input cf_auth", Input::ApiToken),
    ("CLOUDFLARE_KEY", "CLOUDFLARE_KEY", Input::GlobalApiKey),
    (
        "CLOUDFLARE_AUTH_KEY",
        "CLOUDFLARE_AUTH_KEY",
        Input::GlobalApiKey,
    ),
    ("PURGE_URLS", "PURGE_URLS", Input::Files),
    ("INPUT_URLS", "the input urls", Input::Files),
    ("CF_ZONE", "CF_ZONE", Input::Zone),
    ("INPUT_CF_ZONE", "the input cf_zone", Input::Zone),
];

impl RunContext {
    pub(crate) fn read(env: &Env) -> Self {
        let get = |name: &str| env.get(name).map(str::to_string);
        RunContext {
            github_actions: env.is("GITHUB_ACTIONS", "true"),
            event_name: get("GITHUB_EVENT_NAME").unwrap_or_default(),
            actor: get("GITHUB_ACTOR").unwrap_or_default(),
            event_path: get("GITHUB_EVENT_PATH").map(PathBuf::from),
            workspace: get("GITHUB_WORKSPACE").map(PathBuf::from),
            peers: PEERS
                .iter()
                .filter(|(name, ..)| env.get(name).is_some_and(|v| !v.trim().is_empty()))
                .map(|&(_, variable, input)| PeerVariable { variable, input })
                .collect(),
        }
    }

    pub(crate) fn missing_reason(&self) -> MissingReason {
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
    pub(crate) fn resolve(&self, path: &str) -> PathBuf {
        let path = Path::new(path);
        match &self.workspace {
            Some(ws) if path.is_relative() => ws.join(path),
            _ => path.to_path_buf(),
        }
    }
}
