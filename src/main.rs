//! Entry point: read the environment and the command line, run the action, exit with the status.

#![forbid(unsafe_code)]

use std::convert::Infallible;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use cloudflare_purge::{parse_args, respond, Cancel, Command, Config, Env, Log};

fn main() -> ExitCode {
    let env = Env::from_process();
    let runner = Arc::new(Log::stdout(&env));
    let Err(error) = start(&env, &runner);
    // Only starting the runtime or the signal handlers can fail: no cause applies.
    runner.info(&format!("error: {error:#}"));
    ExitCode::FAILURE
}

/// Run, then end the process with the run's status; returns only when the run could not start.
fn start(env: &Env, runner: &Arc<Log>) -> anyhow::Result<Infallible> {
    let config = Config::production();
    let command = parse_args(std::env::args_os().skip(1));
    let mut runtime = tokio::runtime::Builder::new_current_thread();
    // `--help` and `--version` only print: no handlers, no timers, no sockets.
    let mut signals = None;
    if let Command::Run(_) = command {
        // Before any work: as PID 1 (the container's entry point) a signal without a handler is
        // ignored, and elsewhere it would kill the run with no report. The handlers are in place
        // when this returns, before the runtime is even built.
        signals =
            Some(Signals::register(&config.cancel).context("listening for SIGTERM and SIGINT")?);
        runtime.enable_all();
    }
    let runtime = runtime.build().context("starting the runtime")?;
    let code = runtime.block_on(async {
        if let Some(signals) = signals {
            signals
                .watch(config.cancel.clone())
                .context("listening for SIGTERM and SIGINT")?;
        }
        anyhow::Ok(respond(env, command, runner.clone(), &config).await)
    })?;
    // Everything is reported: the process ends here, without taking down the runtime, its
    // connections and the run's memory piece by piece (the kernel does that at once).
    std::process::exit(i32::from(code));
}

/// After the first signal the run stops sending, reports and exits, within its grace for requests
/// in flight; should it not, the grace's `abandon` ends the process without the report.
fn cancelled(cancel: &Cancel) {
    cancel.cancel();
    let abandon = cancel.grace().abandon;
    // Should this thread not start, a second signal still ends the process.
    let _ = std::thread::Builder::new()
        .name("abandon".into())
        .spawn(move || {
            std::thread::sleep(abandon);
            eprintln!(
                "cloudflare-purge: cancelled, and the run did not end: stopped without a report"
            );
            std::process::exit(1);
        });
}

/// The runner cancels a step with SIGTERM (docker stop) or SIGINT. The handlers only set the run's
/// cancellation flag: every request not sent yet sees it at once, and the run's runtime looks at it
/// every [`HEED`] to wake what waits (no thread, no socket, nothing to set up but the handlers). A
/// second signal ends the process at once (exit 1) in the handler itself, so a run blocked in a read
/// still ends.
#[cfg(unix)]
struct Signals(Arc<std::sync::atomic::AtomicBool>);

/// How often the run looks for a signal: well inside the runner's grace, and a wake-up too rare to
/// cost anything while a run waits.
#[cfg(unix)]
const HEED: std::time::Duration = std::time::Duration::from_millis(50);

#[cfg(unix)]
impl Signals {
    fn register(cancel: &Cancel) -> std::io::Result<Self> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::flag;
        // The run's own cancellation flag, which nothing but these handlers sets in production:
        // set, it means a signal came.
        let first = cancel.flag();
        for signal in [SIGTERM, SIGINT] {
            // Registered before the flag is set, so that it ends the process only from the second
            // signal on (signal-hook runs a signal's actions in the order they were registered).
            flag::register_conditional_shutdown(signal, 1, Arc::clone(&first))?;
            flag::register(signal, Arc::clone(&first))?;
        }
        Ok(Signals(first))
    }

    /// Look in the run's runtime: the first signal cancels the run.
    fn watch(self, cancel: Cancel) -> std::io::Result<()> {
        use std::sync::atomic::Ordering;
        tokio::spawn(async move {
            while !self.0.load(Ordering::SeqCst) {
                tokio::time::sleep(HEED).await;
            }
            cancelled(&cancel);
        });
        Ok(())
    }
}

/// Ctrl-C (Ctrl-Break) where there are no Unix signals: the first cancels the run, a second ends
/// the process.
#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn register(_: &Cancel) -> std::io::Result<Self> {
        Ok(Signals)
    }

    fn watch(self, cancel: Cancel) -> std::io::Result<()> {
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancelled(&cancel);
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(1);
                }
            }
        });
        Ok(())
    }
}
