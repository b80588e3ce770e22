//! Entry point: read the environment, run the checks and the purge, write outputs, exit with the status.

#![forbid(unsafe_code)]

use cloudflare_purge::{app, runner};

fn main() {
    let vars: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let code = match app::main(&vars) {
        Ok(code) => code,
        Err(error) => {
            // Only the runtime or an output file can fail here; no cause applies, but say what failed.
            runner::Runner::from_vars(&vars).info(&format!("error: {error:#}"));
            1
        }
    };
    std::process::exit(code);
}
