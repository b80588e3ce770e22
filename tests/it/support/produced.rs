//! The causes the runs of this binary produced, written where `tests/produced_causes.rs` (the test
//! binary cargo runs after this one) checks them against the catalogue.
//!
//! Why a file and a second binary: the tests of one binary run concurrently and in any order, so no
//! test of this binary can know that every other one has finished; the next test binary of the same
//! `cargo test` can. The file is keyed by the id of the `cargo` process that runs both binaries, so
//! the check reads the record of this very run, never an older one, and finds none (and fails) when
//! this binary did not run before it. The arguments this binary ran with are kept, so the check can
//! tell a whole run from a filtered one.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

/// The record of the `it` run started by the `cargo` process `cargo_pid`. Test binaries have a
/// target tmp dir; an example that borrows the harness (`cargo run --example try`) records nothing.
pub fn record_file(cargo_pid: u32) -> Option<PathBuf> {
    let dir = option_env!("CARGO_TARGET_TMPDIR")?;
    Some(
        std::path::Path::new(dir)
            .join("produced-causes")
            .join(format!("{cargo_pid}.txt")),
    )
}

static PRODUCED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Note the cause codes a run produced (its `cause` output and its `warnings`).
pub fn record<'a>(codes: impl IntoIterator<Item = &'a str>) {
    let Some(file) = record_file(std::os::unix::process::parent_id()) else {
        return;
    };
    let mut produced = PRODUCED.lock().unwrap_or_else(|e| e.into_inner());
    let before = produced.len();
    produced.extend(
        codes
            .into_iter()
            .flat_map(|c| c.split(','))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string),
    );
    if produced.len() == before && before > 0 {
        return;
    }
    // The whole record, rewritten under the lock and renamed into place: never half a file.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut text = format!(
        "process {}\nargs {}\n",
        std::process::id(),
        args.join("\u{1f}")
    );
    for code in produced.iter() {
        text.push_str(&format!("cause {code}\n"));
    }
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let partial = file.with_extension(format!("{}.partial", std::process::id()));
    std::fs::write(&partial, text).unwrap();
    std::fs::rename(&partial, &file).unwrap();
}
