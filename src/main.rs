//! Entry point: read the environment and the command line, run the action, exit with the status.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use cloudflare_purge::app::{self, Config};
use cloudflare_purge::cli;
use cloudflare_purge::env::Env;
use cloudflare_purge::runner::Runner;

fn main() -> ExitCode {
    let env = Env::from_process();
    let runner = Arc::new(Runner::stdout(&env));
    match start(&env, &runner) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // Only the runtime or an output file can fail here; no cause applies, but say what failed.
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
    Ok(runtime.block_on(app::respond(env, command, runner.clone(), &config))?)
}
