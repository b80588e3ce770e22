//! Entry point: read the environment and the command line, run the action, exit with the status.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use cloudflare_purge::{parse_args, respond, Cancel, Command, Config, Env, Log};

fn main() -> ExitCode {
    let env = Env::from_process();
    let runner = Arc::new(Log::stdout(&env));
    match start(&env, &runner) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // Only starting the runtime or the signal handlers can fail here: no cause applies.
            runner.info(&format!("error: {error:#}"));
            ExitCode::FAILURE
        }
    }
}

fn start(env: &Env, runner: &Arc<Log>) -> anyhow::Result<u8> {
    let config = Config::production();
    let command = parse_args(std::env::args_os().skip(1));
    let mut runtime = tokio::runtime::Builder::new_current_thread();
    // `--help` and `--version` only print: no handlers, no timers, no sockets.
    if let Command::Run(_) = command {
        // Before any work: as PID 1 (the container's entry point) a signal without a handler is
        // ignored, and elsewhere it would kill the run with no report. The handlers are in place
        // when this returns, before the runtime is even built.
        watch_signals(config.cancel.clone())?;
        runtime.enable_all();
    }
    let runtime = runtime.build().context("starting the runtime")?;
    Ok(runtime.block_on(respond(env, command, runner.clone(), &config)))
}

/// Listen for the runner's signals on a thread of their own, so that a run blocked in a read
/// cannot keep them from being heard. The handlers are registered before it returns.
///
/// After the first signal the run stops sending, reports and exits, within its grace for requests
/// in flight. Should it not, a second signal or the grace's `abandon` ends the process without the
/// report.
fn watch_signals(cancel: Cancel) -> anyhow::Result<()> {
    let mut signals = Signals::register().context("listening for SIGTERM and SIGINT")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            signals.next();
            cancel.cancel();
            let abandon = cancel.grace().abandon;
            // Should this thread not start, the second signal still ends the process.
            let _ = std::thread::Builder::new()
                .name("abandon".into())
                .spawn(move || {
                    std::thread::sleep(abandon);
                    stop_without_report()
                });
            signals.next();
            stop_without_report()
        })
        .context("starting the signal watcher")?;
    Ok(())
}

fn stop_without_report() {
    eprintln!("cloudflare-purge: cancelled, and the run did not end: stopped without a report");
    std::process::exit(1);
}

/// The runner cancels a step with SIGTERM (docker stop) or SIGINT. The handlers only write to a
/// pipe; the watcher thread blocks on it, with no runtime of its own.
#[cfg(unix)]
struct Signals(signal_hook::iterator::Signals);

#[cfg(unix)]
impl Signals {
    fn register() -> std::io::Result<Self> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        signal_hook::iterator::Signals::new([SIGTERM, SIGINT]).map(Signals)
    }

    /// Blocks until the next signal.
    fn next(&mut self) {
        let _ = self.0.forever().next();
    }
}

/// Ctrl-C (Ctrl-Break) where there are no Unix signals, heard by a runtime of the watcher's own.
#[cfg(not(unix))]
struct Signals(tokio::runtime::Runtime);

#[cfg(not(unix))]
impl Signals {
    fn register() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Signals(runtime))
    }

    fn next(&mut self) {
        if self.0.block_on(tokio::signal::ctrl_c()).is_err() {
            loop {
                std::thread::park();
            }
        }
    }
}
