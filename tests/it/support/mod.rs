//! Running the action the way the GitHub runner starts it, against the fake: in-process (the run
//! given this environment, a buffer for stdout and millisecond waits), or as the built binary.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod fake;
pub mod produced;
#[path = "../../common/runner_protocol.rs"]
pub mod runner_protocol;
pub mod site;

pub use runner_protocol::parse_outputs;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudflare_purge::{Cancel, Config, Env, Grace, Log, RetryPolicy, WaitClock};
pub use fake::*;

/// The production policy's shape (4 attempts, exponential backoff, `Retry-After` honoured up to a
/// cap; the global limit's `Retry-After` up to 100 ms, 1 s in all; a wait that reaches the
/// `Retry-After` cap is said, a backoff is not) in milliseconds, so tests do not sleep through production delays.
pub const POLICY: RetryPolicy = RetryPolicy {
    max_attempts: 4,
    base: Duration::from_millis(2),
    cap: Duration::from_millis(8),
    retry_after_cap: Duration::from_millis(60),
    total_wait: Duration::from_secs(120),
    global_wait_cap: Duration::from_millis(100),
    global_wait_total: Duration::from_millis(1000),
    global_waits: 4,
    announce_after: Duration::from_millis(40),
};

/// What one second of `timeout_seconds` lasts in a test: `timeout_seconds: 1` times out in
/// 250 ms, and the default of 30 in 7.5 s, which no answer of the fake takes on a busy machine.
pub const SECOND: Duration = Duration::from_millis(250);

/// The cancellation's grace (3 s for requests in flight, 8 s before the process gives up) in
/// milliseconds.
pub const GRACE: Grace = Grace {
    in_flight: Duration::from_millis(300),
    abandon: Duration::from_millis(800),
};

/// How many times faster than Cloudflare's rates (purge buckets, global budget) the client's
/// buckets refill in a test, and the fake's purge buckets when it enforces them
/// (`Fake::enforce_paced_rates`): pacing still shows, sooner.
/// (The client still holds back what refills in its 50 ms of skew: at 5, a quarter of a Free bucket.)
pub const PACE: f64 = 5.0;

/// `confirm`'s wait after the purge (2 s in production), short enough not to slow the tests.
pub const SETTLE: Duration = Duration::from_millis(50);

/// A writer the test can read back after the run.
#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

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
    args: Vec<String>,
    secrets: Vec<String>,
    dir: tempfile::TempDir,
    /// The run's clock at its start (in-process runs); the real time when not set.
    now: Option<time::OffsetDateTime>,
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
    /// The workspace, kept until the run is dropped.
    pub workspace: tempfile::TempDir,
}

impl Action {
    /// Every input of action.yml present, with its declared default (as the runner passes them).
    pub fn new(fake: &Fake) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut env = BTreeMap::new();
        for input in cloudflare_purge::test_surface::INPUTS {
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
            args: vec![],
            secrets: vec![],
            dir,
            now: None,
        }
        .input("zone", ZONE_ID)
    }

    /// A local run: no GITHUB_ACTIONS, no output files and no INPUT_* variables, the API URL on
    /// the command line.
    pub fn local(fake: &Fake) -> Self {
        let mut action = Action::new(fake)
            .unset("GITHUB_ACTIONS")
            .unset("GITHUB_OUTPUT")
            .unset("GITHUB_STEP_SUMMARY");
        for input in cloudflare_purge::test_surface::INPUTS {
            action = action.unset(&format!("INPUT_{}", input.name.to_uppercase()));
        }
        action.args(&["--api-url", &fake.api_url()])
    }

    pub fn input(mut self, name: &str, value: &str) -> Self {
        self.env
            .insert(format!("INPUT_{}", name.to_uppercase()), value.to_string());
        self
    }

    /// Start the in-process run's clock at `now`.
    pub fn at(mut self, now: time::OffsetDateTime) -> Self {
        self.now = Some(now);
        self
    }

    /// Command-line arguments (after the program name).
    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|a| a.to_string()));
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

    /// Run in this process, with the millisecond retry policy, timeouts and grace.
    pub async fn run(self) -> Run {
        self.run_with(POLICY).await
    }

    pub async fn run_with(self, policy: RetryPolicy) -> Run {
        self.run_config(policy, Cancel::with_grace(GRACE)).await
    }

    /// Run in this process, to be cancelled through `cancel` as a signal would.
    pub async fn run_cancellable(self, cancel: Cancel) -> Run {
        self.run_config(POLICY, cancel).await
    }

    async fn run_config(self, policy: RetryPolicy, cancel: Cancel) -> Run {
        let env = Env::from_pairs(self.env.clone());
        let stdout = Buffer::default();
        let runner = Arc::new(Log::new(&env, Box::new(stdout.clone())));
        let config = Config {
            now: self.now.unwrap_or_else(time::OffsetDateTime::now_utc),
            policy,
            cancel,
            second: SECOND,
            settle: SETTLE,
            pace: PACE,
            // The wait's 2 s, 3 s, 4.5 s… slept as 2 ms, 3 ms, 4.5 ms, and counted as scheduled.
            wait_clock: WaitClock { shrink: 1000 },
        };
        let command = cloudflare_purge::parse_args(self.args.iter().map(std::ffi::OsString::from));
        let code =
            i32::from(cloudflare_purge::respond(&env, command, runner.clone(), &config).await);
        self.finish(code, stdout.text(), String::new())
    }

    /// Run in this process, cancelled (as the runner's SIGTERM cancels it) once `when` is done.
    pub async fn run_cancelled_when(self, when: impl std::future::Future<Output = ()>) -> Run {
        let cancel = Cancel::with_grace(GRACE);
        let signal = cancel.clone();
        let run = self.run_cancellable(cancel);
        tokio::pin!(run);
        tokio::select! {
            run = &mut run => run,
            () = when => {
                signal.cancel();
                run.await
            }
        }
    }

    /// Run the built binary with exactly this environment, as the runner starts the container.
    pub async fn run_binary(self) -> Run {
        // Set for tests and benches; an example (`cargo run --example try`) runs in-process only.
        // IT_BINARY runs these tests against another build (an older one, to see a test fail).
        let built = option_env!("CARGO_BIN_EXE_cloudflare-purge").map(str::to_string);
        let Some(binary) = std::env::var("IT_BINARY").ok().or(built) else {
            panic!("run_binary needs the built binary: tests and benches have it, examples not");
        };
        let output = tokio::process::Command::new(binary)
            .args(&self.args)
            .env_clear()
            .envs(&self.env)
            .kill_on_drop(true)
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        self.finish(output.status.code().unwrap_or(-1), stdout, stderr)
    }

    /// Start `program args…` (a wrapper around the binary, such as unshare) with this environment.
    pub fn command_under(&self, program: &str, args: &[&str]) -> std::process::Child {
        std::process::Command::new(program)
            .args(args)
            .args(&self.args)
            .env_clear()
            .envs(&self.env)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    }

    /// Start the built binary and hand it back running, to be signalled.
    pub fn spawn_binary(self) -> Spawned {
        let built = option_env!("CARGO_BIN_EXE_cloudflare-purge").map(str::to_string);
        let Some(binary) = std::env::var("IT_BINARY").ok().or(built) else {
            panic!("spawn_binary needs the built binary: tests and benches have it, examples not");
        };
        let child = tokio::process::Command::new(binary)
            .args(&self.args)
            .env_clear()
            .envs(&self.env)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        Spawned {
            child,
            action: self,
        }
    }

    fn finish(self, code: i32, stdout: String, stderr: String) -> Run {
        let read = |var: &str| {
            self.env
                .get(var)
                .map(|p| std::fs::read_to_string(p).unwrap_or_default())
                .unwrap_or_default()
        };
        let outputs_raw = read("GITHUB_OUTPUT");
        let run = Run {
            code,
            stdout,
            stderr,
            outputs: parse_outputs(&outputs_raw),
            outputs_raw,
            summary: read("GITHUB_STEP_SUMMARY"),
            workspace: self.dir,
        };
        for secret in &self.secrets {
            run.assert_secret_hidden(secret);
        }
        run.record_causes();
        run
    }
}

/// A run of the binary still going.
pub struct Spawned {
    child: tokio::process::Child,
    action: Action,
}

impl Spawned {
    /// Send a signal (`TERM`, `INT`) as the runner does to cancel a step.
    pub fn signal(&self, name: &str) {
        let pid = self.child.id().unwrap().to_string();
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{name} {pid}");
    }

    pub async fn wait(self) -> Run {
        let output = self.child.wait_with_output().await.unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        self.action
            .finish(output.status.code().unwrap_or(-1), stdout, stderr)
    }
}

impl Run {
    /// Record the causes this run produced: its `cause` and `warnings` outputs (written, or printed
    /// by a run outside Actions), and the causes of its annotations, which are all a run whose
    /// output file could not be written (`outputs-not-written`) has to show.
    fn record_causes(&self) {
        let printed = self.stdout.lines().filter_map(|l| {
            l.strip_prefix("cause: ")
                .or_else(|| l.strip_prefix("warnings: "))
        });
        let written = ["cause", "warnings"]
            .into_iter()
            .filter_map(|name| self.outputs.get(name).map(String::as_str));
        // Outside Actions an annotation ends in its code: "error: Outputs not written [outputs-not-written]".
        let plain = self.stdout.lines().filter_map(|l| {
            let rest = l
                .strip_prefix("error: ")
                .or_else(|| l.strip_prefix("warning: "))?;
            rest.strip_suffix(']')?
                .rsplit_once(" [")
                .map(|(_, code)| code)
        });
        // In Actions it carries the title, which names one cause of the catalogue.
        let examples = cloudflare_purge::test_surface::examples();
        let titled = ["error", "warning"]
            .into_iter()
            .flat_map(|level| self.annotations(level))
            .filter_map(|(title, _)| examples.iter().find(|c| c.title() == title))
            .map(|c| c.code());
        produced::record(written.chain(printed).chain(plain).chain(titled));
    }

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

    /// No secret, nor any 8-character piece of it in any ASCII case (as the redactor promises), in
    /// stdout (mask lines aside), stderr, outputs, summary or the failed-items file. A secret shorter
    /// than 8 characters is looked for whole, so no secret goes unchecked; an empty one is refused,
    /// since it would check nothing.
    pub fn assert_secret_hidden(&self, secret: &str) {
        let stdout: String = self
            .stdout
            .lines()
            .filter(|l| !l.starts_with("::add-mask::"))
            .collect::<Vec<_>>()
            .join("\n");
        let failed_file =
            std::fs::read_to_string(self.workspace.path().join("cloudflare-purge-failed.txt"))
                .unwrap_or_default();
        let channels = [
            ("stdout", stdout),
            ("stderr", self.stderr.clone()),
            ("GITHUB_OUTPUT", self.outputs_raw.clone()),
            ("summary", self.summary.clone()),
            ("the failed file", failed_file),
        ]
        .map(|(channel, text)| (channel, text.to_ascii_lowercase()));
        let secret = secret.trim();
        assert!(
            !secret.is_empty(),
            "an empty secret cannot be looked for: pass the value the test hides"
        );
        let chars: Vec<char> = secret.chars().collect();
        let pieces: Vec<String> = chars
            .windows(8.min(chars.len()))
            .map(|w| w.iter().collect::<String>().to_ascii_lowercase())
            .filter(|piece| piece.trim().chars().count() == 8.min(chars.len()))
            .collect();
        assert!(
            !pieces.is_empty(),
            "no piece of {} characters to look for",
            chars.len()
        );
        for (channel, text) in channels {
            for piece in &pieces {
                assert!(
                    !text.contains(piece.as_str()),
                    "a piece of a secret ({piece:?}) appears in {channel}:\n{text}"
                );
            }
        }
    }
}

/// Message data escaped as the runner's workflow commands need it: `%`, CR and LF (percent first).
pub fn escape_data(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value escaped as the runner needs it: as data, plus `:` and `,`.
pub fn escape_property(value: &str) -> String {
    escape_data(value).replace(':', "%3A").replace(',', "%2C")
}
