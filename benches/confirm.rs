//! What `confirm` adds to a purge: the built binary purges 10 URLs against the fake API, once
//! without and once with `confirm`, the site behind the fake CONNECT proxy. The bound is the 2 s
//! settle time plus one round trip to the site: the checks' ten fresh connections through the
//! proxy (TLS included), made side by side, measured here with the same proxy and CA.
//!
//! `cargo bench --bench confirm`; `CONFIRM_BENCH_RUNS=5` repeats (default 3), the median counts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/support/mod.rs"]
mod support;

#[path = "common/users_build.rs"]
mod users_build;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use support::site::FakeSite;
use support::*;

const SETTLE: Duration = Duration::from_secs(2);

fn main() -> ExitCode {
    // The fake site and API run on a runtime of their own; the binary measured is the users' build
    // (the support's `run_binary` takes it from IT_BINARY, set before any thread starts), or the
    // one IT_BINARY names already.
    if std::env::var_os("IT_BINARY").is_none() {
        std::env::set_var("IT_BINARY", users_build::users_build());
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench())
}

async fn bench() -> ExitCode {
    let runs: usize = std::env::var("CONFIRM_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let (mut without, mut with, mut trips) = (Vec::new(), Vec::new(), Vec::new());
    for run in 1..=runs {
        let (plain, confirmed, trip) = measure().await;
        eprintln!(
            "run {run}/{runs}: without confirm {:.3} s, with {:.3} s, ten GETs side by side {:.1} ms",
            plain.as_secs_f64(),
            confirmed.as_secs_f64(),
            trip.as_secs_f64() * 1000.0
        );
        without.push(plain);
        with.push(confirmed);
        trips.push(trip);
    }
    let (without, with, trip) = (median(without), median(with), median(trips));
    let added = with.saturating_sub(without);
    let bound = SETTLE + trip;
    println!(
        "| case | URLs | without confirm | with confirm | added | bound (2 s + one round trip) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| confirm | 10 | {:.2} s | {:.2} s | {:.3} s | {:.3} s |",
        without.as_secs_f64(),
        with.as_secs_f64(),
        added.as_secs_f64(),
        bound.as_secs_f64()
    );
    if added <= bound {
        ExitCode::SUCCESS
    } else {
        eprintln!("confirm added more than the settle time and one round trip");
        ExitCode::FAILURE
    }
}

/// One purge of 10 URLs without `confirm`, one with, and one round trip to the site.
async fn measure() -> (Duration, Duration, Duration) {
    let fake = Fake::with_token(CFUT_TOKEN, Token::user()).await;
    let site = FakeSite::start().await;
    site.react_to(&fake);
    let files = urls(10, "www.example.com").join("\n");
    let mut times = Vec::new();
    for confirm in ["false", "true"] {
        let mut action = Action::new(&fake)
            .token(CFUT_TOKEN)
            .input("files", &files)
            .workspace_file("site-ca.pem", &site.ca_pem)
            .input("ca_certificates", "site-ca.pem")
            .input("confirm", confirm);
        for (name, value) in site.env() {
            action = action.env(&name, &value);
        }
        let started = Instant::now();
        let run = action.run_binary().await;
        times.push(started.elapsed());
        assert_eq!(run.code, 0, "{}", run.stdout);
        let expected = if confirm == "true" { "10/10" } else { "" };
        assert_eq!(run.output("confirmed"), expected, "{}", run.stdout);
    }
    (times[0], times[1], round_trip(&site).await)
}

/// Ten fresh connections through the proxy to the site, one `GET` each, all at once: what the
/// checks of one run make, timed from here (one round trip when they run side by side; on a busy
/// machine the fake's TLS handshakes make it longer, for the binary's checks as for these).
async fn round_trip(site: &FakeSite) -> Duration {
    let started = Instant::now();
    let gets = (0..10).map(|i| {
        let client = reqwest::Client::builder()
            .proxy(reqwest::Proxy::https(site.proxy_url()).unwrap())
            .add_root_certificate(reqwest::Certificate::from_pem(site.ca_pem.as_bytes()).unwrap())
            .build()
            .unwrap();
        async move {
            let url = format!("https://www.example.com/assets/{i}.css");
            client.get(url).send().await.unwrap().bytes().await.unwrap();
        }
    });
    let mut set = tokio::task::JoinSet::new();
    for get in gets {
        set.spawn(get);
    }
    while set.join_next().await.is_some() {}
    started.elapsed()
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}
