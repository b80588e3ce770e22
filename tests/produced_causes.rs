//! Every cause of the catalogue is produced by a run of the integration tests: checked after them.
//!
//! How: each run the harness of `tests/it` makes (in-process or of the binary) records the codes of
//! its `cause` and `warnings` outputs in a file keyed by the id of the `cargo` process running the
//! tests (`support/produced.rs`). Cargo runs the test binaries of one `cargo test` one after another
//! in the order of their names, so this binary runs after `it` has finished, and reads the record of
//! that very run. It fails when there is no record (`it` did not run first in this `cargo test`),
//! when `it` ran filtered (a partial run proves nothing), when a catalogued cause was produced by
//! no run, and when a cause listed as not produced yet was produced after all: that list only shrinks.
//! A comment or a string in a test cannot satisfy it; only an output of a run can.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "it/support/produced.rs"]
mod produced;

use std::collections::BTreeSet;

/// Catalogued for contract §10-§11 (`confirm`, `wait_for`), produced by nothing yet: the issues
/// that build those stages remove their codes from here.
const NOT_PRODUCED_YET: &[&str] = &[];

/// The options of the test harness that take a value (`--test-threads 2`).
const VALUED: &[&str] = &[
    "--test-threads",
    "--color",
    "--format",
    "--logfile",
    "-Z",
    "--shuffle-seed",
];

/// Whether the harness ran every test: no name filter, `--skip`, `--exact` or `--ignored`.
fn whole_run(args: &[&str]) -> bool {
    let mut args = args.iter().filter(|a| !a.is_empty());
    while let Some(arg) = args.next() {
        if VALUED.contains(arg) {
            args.next();
        } else if !arg.starts_with('-')
            || ["--skip", "--exact", "--ignored", "--list"].contains(arg)
        {
            return false;
        }
    }
    true
}

#[test]
fn every_catalogued_cause_is_produced_by_a_run_of_the_tests() {
    let file = produced::record_file(std::os::unix::process::parent_id()).unwrap();
    let text = std::fs::read_to_string(&file).unwrap_or_else(|_| {
        panic!(
            "no record of the `it` tests at {}: run them in the same `cargo test` (plain `cargo test` does)",
            file.display()
        )
    });
    std::fs::remove_file(&file).unwrap();
    let args: Vec<&str> = text
        .lines()
        .find_map(|l| l.strip_prefix("args "))
        .unwrap_or_default()
        .split('\u{1f}')
        .collect();
    assert!(
        whole_run(&args),
        "the `it` tests ran filtered ({args:?}): only a whole run shows which causes they produce"
    );
    let produced: BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("cause "))
        .collect();
    let catalogued: BTreeSet<&'static str> = cloudflare_purge::test_surface::examples()
        .iter()
        .map(|c| c.code())
        .collect();
    for code in NOT_PRODUCED_YET {
        assert!(catalogued.contains(code), "{code} is not in the catalogue");
    }
    let missing: Vec<&str> = catalogued
        .iter()
        .copied()
        .filter(|c| !produced.contains(c) && !NOT_PRODUCED_YET.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "no test run produced the causes {missing:?}"
    );
    let early: Vec<&str> = NOT_PRODUCED_YET
        .iter()
        .copied()
        .filter(|c| produced.contains(c))
        .collect();
    assert!(
        early.is_empty(),
        "{early:?} are produced now: remove them from NOT_PRODUCED_YET"
    );
}

#[test]
fn a_filtered_run_is_told_from_a_whole_one() {
    assert!(whole_run(&[]));
    assert!(whole_run(&[
        "--test-threads",
        "2",
        "--nocapture",
        "--color=always",
        "-q"
    ]));
    assert!(!whole_run(&["docs"]));
    assert!(!whole_run(&["--skip", "slow"]));
    assert!(!whole_run(&["--test-threads=2", "--exact", "docs::x"]));
}
