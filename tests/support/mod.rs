//! Running the built binary the way the GitHub runner starts a container action, against the fake.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod fake;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

pub use fake::*;

/// Tokens of every shape the action accepts (none is a real credential).
pub const LEGACY_TOKEN: &str = "Xy7_k2Lm9Qp-4Rt8Vw3Zb6Nc1Hd5Jf0Gs2Ka9PeQ";
pub const CFUT_TOKEN: &str = "cfut_Qm4Rz8Tw2Yx6Vb1Nc5Hd9Jf3Gs7Ka0Pe4Lm8Ui2O1a2b3c4d";
pub const CFAT_TOKEN: &str = "cfat_Lp3Ko9Ij5Uh1Yg7Tf3Rd9Es5Wa1Qz7Xc3Vb9Nm5Me5f6a7b8";
pub const GLOBAL_KEY: &str = "7a1b2c3d4e5f60718293a4b5c6d7e8f901234";
pub const EMAIL: &str = "ops@example.com";

/// `n` distinct URLs on `host`.
pub fn urls(n: usize, host: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://{host}/assets/{i}.css"))
        .collect()
}

/// One run of the action: the environment the runner would give it.
pub struct Action {
    env: BTreeMap<String, String>,
    secrets: Vec<String>,
    dir: tempfile::TempDir,
}

/// What the run showed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: HashMap<String, String>,
    pub outputs_raw: String,
    pub summary: String,
}

impl Action {
    /// Every input of action.yml present, with its declared default (as the runner passes them).
    pub fn new(fake: &Fake) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut env = BTreeMap::new();
        for input in cloudflare_purge::inputs::table::INPUTS {
            env.insert(
                format!("INPUT_{}", input.name.to_uppercase()),
                input.default.to_string(),
            );
        }
        let files = [
            ("GITHUB_OUTPUT", "output"),
            ("GITHUB_STEP_SUMMARY", "summary"),
        ];
        for (var, name) in files {
            let path = dir.path().join(name);
            std::fs::write(&path, "").unwrap();
            env.insert(var.into(), path.display().to_string());
        }
        for (k, v) in [
            ("GITHUB_ACTIONS", "true"),
            ("CI", "true"),
            ("GITHUB_EVENT_NAME", "push"),
            ("GITHUB_ACTOR", "octocat"),
            ("GITHUB_WORKSPACE", &dir.path().display().to_string()),
            ("HOME", "/github/home"),
        ] {
            env.insert(k.into(), v.into());
        }
        env.insert("INPUT_API_URL".into(), fake.api_url());
        Action {
            env,
            secrets: vec![],
            dir,
        }
        .input("zone", ZONE_ID)
    }

    pub fn input(mut self, name: &str, value: &str) -> Self {
        self.env
            .insert(format!("INPUT_{}", name.to_uppercase()), value.to_string());
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.insert(name.to_string(), value.to_string());
        self
    }

    pub fn unset(mut self, name: &str) -> Self {
        self.env.remove(name);
        self
    }

    /// Pass a credential input, remembering it as a secret to look for in every channel.
    pub fn secret(mut self, name: &str, value: &str) -> Self {
        self.secrets.push(value.to_string());
        self.input(name, value)
    }

    /// Remember a secret that is only part of an input (e.g. inside a pasted `NAME=value` line).
    pub fn hide(mut self, secret: &str) -> Self {
        self.secrets.push(secret.to_string());
        self
    }

    pub fn token(self, value: &str) -> Self {
        self.secret("api_token", value)
    }

    /// A file in the workspace.
    pub fn workspace_file(self, name: &str, contents: &str) -> Self {
        std::fs::write(self.dir.path().join(name), contents).unwrap();
        self
    }

    /// A list file in the workspace, passed as `files_from` (relative, as a workflow would).
    pub fn files_from(self, contents: &str) -> Self {
        self.workspace_file("urls.txt", contents)
            .input("files_from", "urls.txt")
    }

    pub fn workspace(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub async fn run(self) -> Run {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cloudflare-purge"))
            .env_clear()
            .envs(&self.env)
            .kill_on_drop(true)
            .output()
            .await
            .unwrap();
        let read = |var: &str| {
            self.env
                .get(var)
                .map(|p| std::fs::read_to_string(p).unwrap_or_default())
                .unwrap_or_default()
        };
        let outputs_raw = read("GITHUB_OUTPUT");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            outputs: parse_outputs(&outputs_raw),
            outputs_raw,
            summary: read("GITHUB_STEP_SUMMARY"),
        };
        for secret in &self.secrets {
            run.assert_secret_hidden(secret);
        }
        run
    }
}

/// `name=value` lines and `name<<DELIM … DELIM` blocks.
pub fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut outputs = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = vec![];
            for l in lines.by_ref() {
                if l == delimiter {
                    break;
                }
                value.push(l);
            }
            outputs.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_string(), value.to_string());
        }
    }
    outputs
}

impl Run {
    pub fn output(&self, name: &str) -> &str {
        self.outputs
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no output {name}: {}", self.outputs_raw))
    }

    /// The `::error` annotations, as (title, message) pairs.
    pub fn annotations(&self, level: &str) -> Vec<(String, String)> {
        let prefix = format!("::{level} title=");
        self.stdout
            .lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .filter_map(|rest| rest.split_once("::"))
            .map(|(t, m)| (t.to_string(), m.to_string()))
            .collect()
    }

    pub fn errors(&self) -> Vec<(String, String)> {
        self.annotations("error")
    }

    pub fn warnings(&self) -> Vec<(String, String)> {
        self.annotations("warning")
    }

    /// The one error annotation (asserting there is exactly one).
    pub fn error(&self) -> (String, String) {
        let errors = self.errors();
        assert_eq!(
            errors.len(),
            1,
            "expected one error annotation:\n{}",
            self.stdout
        );
        errors[0].clone()
    }

    /// Exit status, `cause` output and the error's title (from the catalogue) all agree.
    pub fn assert_failed(&self, code: i32, cause: &str) {
        assert_eq!(
            self.code, code,
            "exit status for {cause}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert_eq!(self.output("cause"), cause, "stdout:\n{}", self.stdout);
        assert_eq!(self.output("result"), "failed");
        assert!(
            self.summary.contains(&format!("`{cause}`")),
            "summary lacks the cause:\n{}",
            self.summary
        );
        assert!(
            !self.errors().is_empty(),
            "no error annotation:\n{}",
            self.stdout
        );
    }

    pub fn assert_ok(&self, result: &str) {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert_eq!(self.output("result"), result);
        assert_eq!(self.output("cause"), "");
        assert!(self.errors().is_empty(), "{}", self.stdout);
    }

    /// No secret, nor any 8-character piece of it, in stdout (mask lines aside), stderr, outputs or summary.
    pub fn assert_secret_hidden(&self, secret: &str) {
        let stdout: String = self
            .stdout
            .lines()
            .filter(|l| !l.starts_with("::add-mask::"))
            .collect::<Vec<_>>()
            .join("\n");
        let channels = [
            ("stdout", &stdout),
            ("stderr", &self.stderr),
            ("GITHUB_OUTPUT", &self.outputs_raw),
            ("summary", &self.summary),
        ];
        let secret = secret.trim();
        let chars: Vec<char> = secret.chars().collect();
        for (channel, text) in channels {
            for window in chars.windows(8.min(chars.len()).max(1)) {
                let piece: String = window.iter().collect();
                if piece.trim().chars().count() < 8 {
                    continue;
                }
                assert!(
                    !text.contains(&piece),
                    "a piece of a secret ({piece:?}) appears in {channel}:\n{text}"
                );
            }
        }
    }
}
