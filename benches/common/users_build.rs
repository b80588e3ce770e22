//! The action's binary as users get it, for the benches to measure: `cargo build --release --bin
//! cloudflare-purge` on its own. The binary cargo builds for a bench is another program: it has the
//! features the dev-dependencies add (tokio's multi-thread runtime, process and signal drivers, the
//! crate's `docs`), so it starts slower and is larger than the one released.

use std::process::{Command, Stdio};

/// Build the release binary on its own and give its path; `PURGE_BENCH_BINARY` names another.
pub fn users_build() -> String {
    if let Ok(binary) = std::env::var("PURGE_BENCH_BINARY") {
        return binary;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--release", "--bin", "cloudflare-purge"])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .expect("running cargo build --release");
    assert!(output.status.success(), "cargo build --release failed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut executables = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|message| message["executable"].as_str().map(str::to_string));
    executables
        .next_back()
        .expect("cargo build named no executable")
}
