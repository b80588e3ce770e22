//! Entry point: read the environment and the command line, run the action, exit with the status.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use cloudflare_purge::app::{self, Config};
use cloudflare_purge::cancel::Cancel;
use cloudflare_purge::cli;
use cloudflare_purge::env::Env;
use cloudflare_purge::runner::Runner;

fn main() -> ExitCode {
    let env = Env::from_process();
    let runner = Arc::new(Runner::stdout(&env));
    match start(&env, &runner) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // Only starting the runtime or the signal handlers can fail here: no cause applies.
            runner.info(&format!("error: {error:#}"));
            ExitCode::FAILURE
        }
    }
}

fn start(env: &Env, runner: &Arc<Runner>) -> anyhow::Result<u8> {
    let command = cli::parse(std::env::args_os().skip(1));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let config = Config::production();
    // Before any work: as PID 1 (the container's entry point) a signal without a handler is
    // ignored, and elsewhere it would kill the run with no report.
    let signals = {
        let _entered = runtime.enter();
        on_signal(config.cancel.clone()).context("listening for SIGTERM and SIGINT")?
    };
    runtime.spawn(signals);
    Ok(runtime.block_on(app::respond(env, command, runner.clone(), &config)))
}

/// The runner cancels a step with SIGTERM (docker stop) or SIGINT: cancel the run, which stops
/// sending, reports and exits.
#[cfg(unix)]
fn on_signal(cancel: Cancel) -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = interrupt.recv() => {}
        }
        cancel.cancel();
    })
}

#[cfg(not(unix))]
fn on_signal(cancel: Cancel) -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            cancel.cancel();
        }
    })
}
