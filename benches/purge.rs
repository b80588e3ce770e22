//! `cargo bench --bench purge`: the built action purges 10,000 URLs on a Free and on an Enterprise zone
//! of the fake Cloudflare API, which enforces each plan's URL purge rate with 429s as Cloudflare does.
//! Prints a Markdown table; exits non-zero when any URL was not accepted. Timings are reported, never
//! asserted.
//!
//! `PURGE_BENCH_RUNS=n` repeats every case `n` times (default 1); `PURGE_BENCH_TRACE=1` lists every
//! purge request as the fake saw it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::*;

const URLS: usize = 10_000;
/// Targets of issue 5.
const MAX_RATIO: f64 = 1.10;
const MAX_RSS_MIB: f64 = 30.0;
/// How often the binary's peak RSS is read while it runs.
const RSS_POLL: Duration = Duration::from_millis(2);

struct Case {
    plan: &'static str,
    zone_id: &'static str,
    zone_name: &'static str,
    /// URLs per second; Cloudflare's bucket holds one second's worth.
    rate: f64,
}

const CASES: [Case; 2] = [
    Case {
        plan: "Free",
        zone_id: ZONE_ID,
        zone_name: ZONE_NAME,
        rate: 800.0,
    },
    Case {
        plan: "Enterprise",
        zone_id: ENT_ZONE_ID,
        zone_name: ENT_ZONE_NAME,
        rate: 3000.0,
    },
];

struct Measured {
    plan: &'static str,
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
        self.wall.as_secs_f64() / self.bound.as_secs_f64()
    }

    fn rss_mib(&self) -> f64 {
        self.peak_rss_kib as f64 / 1024.0
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let binary = env!("CARGO_BIN_EXE_cloudflare-purge");
    let profile = Path::new(binary)
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

    let mut results = Vec::new();
    for case in &CASES {
        for run in 1..=runs {
            eprintln!("{}: purging {URLS} URLs (run {run}/{runs}) …", case.plan);
            let m = measure(binary, case).await;
            eprintln!(
                "{}: {:.2} s, bound {:.2} s, {} requests, {} × 429, {} lost, purged_count {}, peak RSS {:.1} MiB",
                m.plan,
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

    println!();
    println!("| plan | URLs | wall time | bound (N − burst)/rate | ratio | requests (purge) | 429s | lost | purged_count | peak RSS |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in &results {
        println!(
            "| {} | {} | {:.2} s | {:.2} s | {:.3} | {} ({}) | {} | {} | {} | {:.1} MiB |",
            m.plan,
            thousands(URLS),
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
    let mut lost_any = false;
    for m in &results {
        let ratio_ok = m.ratio() <= MAX_RATIO;
        let lost_ok = m.lost == 0 && m.code == 0 && m.purged_count == URLS.to_string();
        let rss_ok = m.rss_mib() < MAX_RSS_MIB;
        lost_any |= !lost_ok;
        println!(
            "- {}: ratio ≤ {MAX_RATIO:.2} {} ({:.3}); zero lost {} ({} lost, exit {}); peak RSS < {MAX_RSS_MIB:.0} MiB {} ({:.1} MiB); purge requests spanned {:.2} s",
            m.plan,
            mark(ratio_ok),
            m.ratio(),
            mark(lost_ok),
            m.lost,
            m.code,
            mark(rss_ok),
            m.rss_mib(),
            m.purge_span.as_secs_f64()
        );
    }
    if lost_any {
        eprintln!("URLs were lost: not every URL was accepted by the fake API");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One run of the binary against a fresh fake enforcing the case's URL rate.
async fn measure(binary: &str, case: &Case) -> Measured {
    let fake = Fake::start().await;
    fake.add_token(CFUT_TOKEN, Token::user());
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..URLS)
        .map(|i| format!("https://{}/assets/{i}.css", case.zone_name))
        .collect();
    std::fs::write(dir.path().join("urls.txt"), urls.join("\n") + "\n").unwrap();
    let output = dir.path().join("output");
    let summary = dir.path().join("summary");
    std::fs::write(&output, "").unwrap();
    std::fs::write(&summary, "").unwrap();

    // The environment the runner gives a container action: every input, unset ones empty.
    let mut command = Command::new(binary);
    command.env_clear();
    for input in cloudflare_purge::inputs::table::INPUTS {
        command.env(
            format!("INPUT_{}", input.name.to_uppercase()),
            input.default,
        );
    }
    command
        .env("INPUT_ZONE", case.zone_id)
        .env("INPUT_API_TOKEN", CFUT_TOKEN)
        .env("INPUT_FILES_FROM", "urls.txt")
        .env("INPUT_API_URL", fake.api_url())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_WORKSPACE", dir.path())
        .env("GITHUB_ACTIONS", "true")
        .env("CI", "true")
        .env("GITHUB_EVENT_NAME", "push")
        .env("GITHUB_ACTOR", "octocat")
        .env("HOME", "/github/home")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(dir.path().join("stdout")).unwrap())
        .stderr(std::fs::File::create(dir.path().join("stderr")).unwrap());

    fake.enforce_url_rate(case.rate);
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
        .filter(|(r, status)| {
            *status == 200 && r.path == format!("/zones/{}/purge_cache", case.zone_id)
        })
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
    if code != 0 {
        let stdout = std::fs::read_to_string(dir.path().join("stdout")).unwrap_or_default();
        eprintln!("{}: the binary exited with {code}:\n{stdout}", case.plan);
    }
    Measured {
        plan: case.plan,
        wall,
        bound: Duration::from_secs_f64((URLS as f64 - case.rate).max(0.0) / case.rate),
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

/// Each purge request as the fake saw it: its arrival after the first one, its size, its answer, and
/// how far it came after the earliest moment a client pacing exactly at the plan's bucket could send
/// it (first attempts only; a negative slack would be a request sent ahead of the bucket).
fn trace(case: &Case, purges: &[&(Received, u16)]) {
    let Some((first, _)) = purges.first() else {
        return;
    };
    let mut sent = 0.0;
    let mut seen = HashSet::new();
    eprintln!("{}: arrival_ms items status slack_ms", case.plan);
    for (r, status) in purges {
        let items = r.purged_items();
        let at = r.at.duration_since(first.at).as_secs_f64() * 1000.0;
        let fresh = seen.insert(items.first().cloned().unwrap_or_default());
        let slack = if fresh {
            sent += items.len() as f64;
            let earliest = (sent - case.rate).max(0.0) / case.rate * 1000.0;
            format!("{:+.1}", at - earliest)
        } else {
            "retry".to_string()
        };
        eprintln!("{at:10.1} {:5} {status} {slack}", items.len());
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

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
