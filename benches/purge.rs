//! `cargo bench --bench purge`: the action as released (its own release build, `common/users_build.rs`)
//! purges thousands of URLs against the fake Cloudflare API, which enforces each account's and
//! plan's purge rate with 429s as Cloudflare does. Cases: one
//! Free zone, one Enterprise zone, two Free zones of one account (one shared bucket), a Free and an
//! Enterprise zone (two buckets, paced at once); and an outage, every purge answered 503, where what
//! counts is how many requests it costs. Prints Markdown tables; exits non-zero when any URL of the
//! purge cases was not accepted. Timings are reported, never asserted.
//!
//! Before them, the cases of issue 22's goals (`goals.rs`, described in docs/performance.md): a
//! 2-URL purge side by side with another build, round trips against an API 25 ms away, peak memory
//! at 100,000 URLs, and 300 zones of one URL each.
//!
//! `PURGE_BENCH_RUNS=n` repeats every case `n` times (default 1); `PURGE_BENCH_TRACE=1` lists every
//! purge request as the fake saw it; `PURGE_BENCH_BINARY=path` measures another build of the action;
//! `PURGE_BENCH_BASELINE=path` is the build the 2-URL case runs alternately with (`PURGE_BENCH_PAIRS`
//! pairs, default 500); `PURGE_BENCH_CASES=outage` runs only the cases whose name holds the word
//! (`side`, `round`, `memory`, `300` for the goals).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/support/mod.rs"]
mod support;

#[path = "purge/goals.rs"]
mod goals;

#[path = "common/users_build.rs"]
mod users_build;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cloudflare_purge::test_surface::thousands;
use support::*;

/// Targets of issues 5 and 11.
const MAX_RATIO: f64 = 1.10;
const MAX_RSS_MIB: f64 = 30.0;
/// How often the binary's peak RSS is read while it runs.
const RSS_POLL: Duration = Duration::from_millis(2);

/// A zone of the fake, its plan, and how many URLs the case purges in it.
struct Part {
    zone_id: &'static str,
    zone_name: &'static str,
    plan: &'static str,
    urls: usize,
}

struct Case {
    name: &'static str,
    parts: &'static [Part],
    /// Every purge answered 503 with Cloudflare's HTML error page: what an outage costs.
    outage: bool,
}

const FREE: Part = Part {
    zone_id: ZONE_ID,
    zone_name: ZONE_NAME,
    plan: "free",
    urls: 10_000,
};
const ENTERPRISE: Part = Part {
    zone_id: ENT_ZONE_ID,
    zone_name: ENT_ZONE_NAME,
    plan: "enterprise",
    urls: 10_000,
};

const CASES: [Case; 5] = [
    Case {
        name: "Free",
        parts: &[FREE],
        outage: false,
    },
    Case {
        name: "Enterprise",
        parts: &[ENTERPRISE],
        outage: false,
    },
    Case {
        name: "2 Free zones, 1 account",
        parts: &[
            Part { urls: 3000, ..FREE },
            Part {
                zone_id: SHOP_ZONE_ID,
                zone_name: SHOP_ZONE_NAME,
                plan: "free",
                urls: 3000,
            },
        ],
        outage: false,
    },
    Case {
        name: "Free + Enterprise",
        parts: &[
            Part { urls: 3000, ..FREE },
            Part {
                urls: 3000,
                ..ENTERPRISE
            },
        ],
        outage: false,
    },
    Case {
        name: "Outage (5xx for every purge)",
        parts: &[Part {
            urls: 30_000,
            ..FREE
        }],
        outage: true,
    },
];

impl Case {
    fn urls(&self) -> usize {
        self.parts.iter().map(|p| p.urls).sum()
    }

    /// The least time Cloudflare's buckets allow: per plan (all zones here are one account's), the
    /// URLs beyond the first second's burst at the plan's rate; the slowest bucket decides.
    fn bound(&self) -> Duration {
        let mut per_plan: BTreeMap<&str, usize> = BTreeMap::new();
        for part in self.parts {
            *per_plan.entry(part.plan).or_default() += part.urls;
        }
        let slowest = per_plan
            .iter()
            .map(|(plan, n)| {
                let rate = plan_rates(plan).0;
                (*n as f64 - rate).max(0.0) / rate
            })
            .fold(0.0, f64::max);
        Duration::from_secs_f64(slowest)
    }

    fn all_urls(&self) -> Vec<String> {
        self.parts
            .iter()
            .flat_map(|p| {
                (0..p.urls).map(move |i| format!("https://{}/assets/{i}.css", p.zone_name))
            })
            .collect()
    }
}

struct Measured {
    case: &'static str,
    outage: bool,
    failed_count: String,
    urls: usize,
    wall: Duration,
    bound: Duration,
    /// From the first purge request's arrival to the last one's.
    purge_span: Duration,
    requests: usize,
    purge_requests: usize,
    throttled: usize,
    lost: usize,
    purged_count: String,
    code: i32,
    peak_rss_kib: u64,
}

impl Measured {
    fn ratio(&self) -> f64 {
        let bound = self.bound.as_secs_f64();
        if bound > 0.0 {
            self.wall.as_secs_f64() / bound
        } else {
            f64::NAN
        }
    }

    fn rss_mib(&self) -> f64 {
        self.peak_rss_kib as f64 / 1024.0
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let binary = users_build::users_build();
    let profile = Path::new(&binary)
        .parent()
        .and_then(Path::file_name)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    eprintln!("binary: {binary} (profile directory: {profile})");
    if profile != "release" {
        eprintln!(
            "warning: the binary is not the optimised build; run `cargo bench --bench purge`"
        );
    }
    let runs: usize = std::env::var("PURGE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);

    let only = std::env::var("PURGE_BENCH_CASES")
        .unwrap_or_default()
        .to_lowercase();
    let mut results = Vec::new();
    goals::run(&binary, &only).await;
    for case in CASES
        .iter()
        .filter(|c| c.name.to_lowercase().contains(&only))
    {
        for run in 1..=runs {
            eprintln!(
                "{}: purging {} URLs (run {run}/{runs}) …",
                case.name,
                case.urls()
            );
            let m = measure(&binary, case).await;
            eprintln!(
                "{}: {:.2} s, bound {:.2} s, {} requests, {} × 429, {} lost, purged_count {}, peak RSS {:.1} MiB",
                m.case,
                m.wall.as_secs_f64(),
                m.bound.as_secs_f64(),
                m.requests,
                m.throttled,
                m.lost,
                m.purged_count,
                m.rss_mib()
            );
            results.push(m);
        }
    }
    let (outages, purges): (Vec<Measured>, Vec<Measured>) =
        results.into_iter().partition(|m| m.outage);
    print_table(&purges);
    print_outages(&outages);
    if purges.iter().any(|m| !delivered(m)) {
        eprintln!("URLs were lost: not every URL was accepted by the fake API");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn delivered(m: &Measured) -> bool {
    m.lost == 0 && m.code == 0 && m.purged_count == m.urls.to_string()
}

fn print_outages(results: &[Measured]) {
    if results.is_empty() {
        return;
    }
    println!();
    println!("| case | URLs | wall time | requests (purge) | failed_count | exit |");
    println!("|---|---:|---:|---:|---:|---:|");
    for m in results {
        println!(
            "| {} | {} | {:.2} s | {} ({}) | {} | {} |",
            m.case,
            thousands(m.urls),
            m.wall.as_secs_f64(),
            m.requests,
            m.purge_requests,
            m.failed_count,
            m.code
        );
    }
}

fn print_table(results: &[Measured]) {
    if results.is_empty() {
        return;
    }
    println!();
    println!("| case | URLs | wall time | bound (N − burst)/rate | ratio | requests (purge) | 429s | lost | purged_count | peak RSS |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in results {
        println!(
            "| {} | {} | {:.2} s | {:.2} s | {:.3} | {} ({}) | {} | {} | {} | {:.1} MiB |",
            m.case,
            thousands(m.urls),
            m.wall.as_secs_f64(),
            m.bound.as_secs_f64(),
            m.ratio(),
            m.requests,
            m.purge_requests,
            m.throttled,
            m.lost,
            m.purged_count,
            m.rss_mib()
        );
    }
    println!();
    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    for m in results {
        println!(
            "- {}: ratio ≤ {MAX_RATIO:.2} {} ({:.3}); zero lost {} ({} lost, exit {}); no 429 {} ({}); peak RSS < {MAX_RSS_MIB:.0} MiB {} ({:.1} MiB); purge requests spanned {:.2} s",
            m.case,
            mark(m.ratio() <= MAX_RATIO),
            m.ratio(),
            mark(delivered(m)),
            m.lost,
            m.code,
            mark(m.throttled == 0),
            m.throttled,
            mark(m.rss_mib() < MAX_RSS_MIB),
            m.rss_mib(),
            m.purge_span.as_secs_f64()
        );
    }
}

/// One run of the binary against a fresh fake enforcing Cloudflare's per-account-and-plan rates.
async fn measure(binary: &str, case: &Case) -> Measured {
    let fake = Fake::start().await;
    fake.add_token(CFUT_TOKEN, Token::everywhere());
    let dir = tempfile::tempdir().unwrap();
    let urls = case.all_urls();
    std::fs::write(dir.path().join("urls.txt"), urls.join("\n") + "\n").unwrap();
    let output = dir.path().join("output");
    std::fs::write(&output, "").unwrap();
    std::fs::write(dir.path().join("summary"), "").unwrap();
    let zones: Vec<&str> = case.parts.iter().map(|p| p.zone_id).collect();
    let mut command = runner_command(binary, dir.path(), &fake);
    command.env("INPUT_ZONE", zones.join(","));

    fake.enforce_rates();
    if case.outage {
        fake.script(|r| r.is_purge(), None, Reply::html(503));
    }
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let done = done.clone();
        std::thread::spawn(move || peak_rss(pid, &done))
    };
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    let wall = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let peak_rss_kib = watcher.join().unwrap();

    let outputs = parse_outputs(&std::fs::read_to_string(&output).unwrap());
    let answered = fake.answered();
    let purges: Vec<&(Received, u16)> = answered.iter().filter(|(r, _)| r.is_purge()).collect();
    let accepted: HashSet<String> = purges
        .iter()
        .filter(|(_, status)| *status == 200)
        .flat_map(|(r, _)| r.purged_items())
        .collect();
    let lost = urls.iter().filter(|u| !accepted.contains(*u)).count();
    let purge_span = match (purges.first(), purges.last()) {
        (Some((first, _)), Some((last, _))) => last.at.duration_since(first.at),
        _ => Duration::ZERO,
    };
    if std::env::var_os("PURGE_BENCH_TRACE").is_some() {
        trace(case, &purges);
    }
    let code = status.code().unwrap_or(-1);
    if code != 0 && !case.outage {
        let stdout = std::fs::read_to_string(dir.path().join("stdout")).unwrap_or_default();
        eprintln!("{}: the binary exited with {code}:\n{stdout}", case.name);
    }
    Measured {
        case: case.name,
        outage: case.outage,
        failed_count: outputs.get("failed_count").cloned().unwrap_or_default(),
        urls: urls.len(),
        wall,
        bound: case.bound(),
        purge_span,
        requests: answered.len(),
        purge_requests: purges.len(),
        throttled: answered.iter().filter(|(_, s)| *s == 429).count(),
        lost,
        purged_count: outputs.get("purged_count").cloned().unwrap_or_default(),
        code,
        peak_rss_kib,
    }
}

/// The binary with the environment the runner gives a container action: every input, unset ones
/// empty; the URLs in `urls.txt` of the workspace.
fn runner_command(binary: &str, workspace: &Path, fake: &Fake) -> Command {
    let mut command = Command::new(binary);
    runner_env(&mut command, workspace, fake);
    command
}

/// The runner's environment for a container action, on `command`.
fn runner_env(command: &mut Command, workspace: &Path, fake: &Fake) {
    command.env_clear();
    for input in cloudflare_purge::test_surface::INPUTS {
        command.env(
            format!("INPUT_{}", input.name.to_uppercase()),
            input.default,
        );
    }
    command
        .env("INPUT_API_TOKEN", CFUT_TOKEN)
        .env("INPUT_FILES_FROM", "urls.txt")
        .env("INPUT_API_URL", fake.api_url())
        .env("GITHUB_OUTPUT", workspace.join("output"))
        .env("GITHUB_STEP_SUMMARY", workspace.join("summary"))
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_ACTIONS", "true")
        .env("CI", "true")
        .env("GITHUB_EVENT_NAME", "push")
        .env("GITHUB_ACTOR", "octocat")
        .env("HOME", "/github/home")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(workspace.join("stdout")).unwrap())
        .stderr(std::fs::File::create(workspace.join("stderr")).unwrap());
}

/// Each purge request as the fake saw it: its arrival after the first one, its zone, its size, its
/// answer.
fn trace(case: &Case, purges: &[&(Received, u16)]) {
    let Some((first, _)) = purges.first() else {
        return;
    };
    eprintln!("{}: arrival_ms zone items status", case.name);
    for (r, status) in purges {
        let at = r.at.duration_since(first.at).as_secs_f64() * 1000.0;
        let zone = r.path.split('/').nth(2).unwrap_or_default();
        eprintln!("{at:10.1} {zone} {:5} {status}", r.purged_items().len());
    }
}

/// The largest `VmHWM` (peak resident set, KiB) seen in `/proc/<pid>/status` until `done` is set.
/// `VmHWM` only grows, so polling misses at most what the process adds in its last poll interval.
fn peak_rss(pid: u32, done: &AtomicBool) -> u64 {
    let path = format!("/proc/{pid}/status");
    let mut peak = 0;
    // Once `done` is set the process has been reaped and its pid may be reused: stop reading.
    while !done.load(Ordering::SeqCst) {
        if let Ok(status) = std::fs::read_to_string(&path) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            if let Some(hwm) = hwm {
                peak = peak.max(hwm);
            }
        }
        std::thread::sleep(RSS_POLL);
    }
    peak
}
