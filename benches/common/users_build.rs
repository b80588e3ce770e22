//! The action's binary as users get it, for the benches to measure: the release build of the
//! target the release ships for this machine (`<arch>-unknown-linux-musl`, static: the container
//! image's binary and the native twin's Linux one), built with `cargo build --release --bin
//! cloudflare-purge --target …` on its own. The binary cargo builds for a bench is another program:
//! it has the features the dev-dependencies add (tokio's multi-thread runtime, process and signal
//! drivers, the crate's `docs`), so it starts slower and is larger than the one released. Where the
//! musl target is not installed, the host's release build is measured instead, and said so: it is
//! dynamically linked against the system's C library, whose loader and allocator are not the
//! released binary's.

use std::path::Path;
use std::process::{Command, Stdio};

/// Build the binary users get and give its path; `PURGE_BENCH_BINARY` names another.
pub fn users_build() -> String {
    if let Ok(binary) = std::env::var("PURGE_BENCH_BINARY") {
        eprintln!("measuring {binary} (PURGE_BENCH_BINARY)");
        return binary;
    }
    let target = released_target();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.args(["build", "--release", "--bin", "cloudflare-purge"]);
    match &target {
        Some(target) => {
            eprintln!("measuring the release build for {target}, as released");
            build.args(["--target", target]);
        }
        None => eprintln!(
            "warning: the musl target is not installed (`rustup target add {}`): measuring the \
             host's release build, which is not the binary released",
            musl_target()
        ),
    }
    let output = build
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

/// The release's target for this machine's architecture.
pub fn musl_target() -> String {
    format!("{}-unknown-linux-musl", std::env::consts::ARCH)
}

/// The release's target, when this is Linux and the target's standard library is installed.
fn released_target() -> Option<String> {
    if std::env::consts::OS != "linux" {
        return None;
    }
    let target = musl_target();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", &target])
        .output()
        .ok()?;
    let libdir = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let installed = std::fs::read_dir(Path::new(&libdir))
        .ok()?
        .filter_map(Result::ok)
        .any(|entry| entry.file_name().to_string_lossy().starts_with("libstd-"));
    installed.then_some(target)
}
