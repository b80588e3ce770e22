//! Entry point: read the environment and the command line, run the action, exit with the status.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::mpsc::Receiver;
use std::sync::Arc;

use anyhow::Context;
use cloudflare_purge::{parse_args, respond, Cancel, Config, Env, Log};

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
    // Before any work: as PID 1 (the container's entry point) a signal without a handler is
    // ignored, and elsewhere it would kill the run with no report. The watcher starts first and
    // registers while this thread builds its runtime; the run waits until it has.
    let registered = watch_signals(config.cancel.clone())?;
    let command = parse_args(std::env::args_os().skip(1));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    registered
        .recv()
        .context("starting the signal watcher")?
        .context("listening for SIGTERM and SIGINT")?;
    Ok(runtime.block_on(respond(env, command, runner.clone(), &config)))
}

/// Listen for the runner's signals on a thread of their own, so that a run blocked in a read
/// cannot keep them from being heard. What it returns says when the handlers are registered.
///
/// After the first signal the run stops sending, reports and exits, within its grace for requests
/// in flight. Should it not, a second signal or the grace's `abandon` ends the process without the
/// report.
fn watch_signals(cancel: Cancel) -> anyhow::Result<Receiver<std::io::Result<()>>> {
    let (ready, registered) = std::sync::mpsc::channel::<std::io::Result<()>>();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let listening = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .and_then(|runtime| {
                    let signals = runtime.block_on(async { Signals::register() })?;
                    Ok((runtime, signals))
                });
            let (runtime, mut signals) = match listening {
                Ok(listening) => listening,
                Err(error) => return drop(ready.send(Err(error))),
            };
            let _ = ready.send(Ok(()));
            runtime.block_on(async {
                signals.next().await;
                cancel.cancel();
                let _ = tokio::time::timeout(cancel.grace().abandon, signals.next()).await;
            });
            eprintln!(
                "cloudflare-purge: cancelled, and the run did not end: stopped without a report"
            );
            std::process::exit(1);
        })
        .context("starting the signal watcher")?;
    Ok(registered)
}

/// The runner cancels a step with SIGTERM (docker stop) or SIGINT.
#[cfg(unix)]
struct Signals {
    term: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn register() -> std::io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    async fn next(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.interrupt.recv() => {}
        }
    }
}

/// Ctrl-C (Ctrl-Break) where there are no Unix signals.
#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn register() -> std::io::Result<Self> {
        Ok(Signals)
    }

    async fn next(&mut self) {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
