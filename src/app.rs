//! The order of work (contract §6): offline checks, masks, the credential, the zone, then the purge
//! or the health checks. This file only sequences; each stage lives in `stages/`.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use crate::cancel::Cancel;
use crate::cli::{self, Command, Flags};
use crate::cloudflare::{
    Auth, BadProxy, CaBundle, Client, Event, NetKind, Proxies, RequestLog, RetryPolicy, SetupError,
};
use crate::diagnosis::Cause;
use crate::env::Env;
use crate::inputs::items::FileTarget;
use crate::inputs::{
    self, credential, quote, Credential, Input, Mode, RawInputs, RunContext, Settings, ZoneRef,
};
use crate::runner::{self, Log, Mark, Report, RunResult, Subject};
use crate::stages::reads::Reads;
use crate::stages::{authenticate, confirm, permission, purging, resolve, routing, wait, Journal};

pub use crate::site::WaitClock;

/// What a run takes besides its environment: the clock, the retry policy, the length of a
/// second of `timeout_seconds`, the clock of the wait for the new build, and the cancellation the
/// runner's signals set (with its grace). Tests pass milliseconds for every wait.
#[derive(Debug, Clone)]
pub struct Config {
    pub now: OffsetDateTime,
    pub policy: RetryPolicy,
    pub wait_clock: WaitClock,
    pub cancel: Cancel,
    /// What one second of `timeout_seconds` lasts: a second, but for tests.
    pub second: Duration,
    /// How long after a batch was accepted `confirm` checks what it named: Cloudflare's purge
    /// reaches every data centre within 2 s (contract §10).
    pub settle: Duration,
    /// How many times faster than Cloudflare's rates (the purge buckets' and the global budget's)
    /// the client's buckets refill: 1, but for tests.
    pub pace: f64,
}

impl Config {
    pub fn production() -> Self {
        Config {
            now: OffsetDateTime::now_utc(),
            policy: RetryPolicy::default(),
            wait_clock: WaitClock::default(),
            cancel: Cancel::default(),
            second: Duration::from_secs(1),
            settle: Duration::from_secs(2),
            pace: 1.0,
        }
    }

    /// What the purge stage needs: the cancellation, and how fast the buckets refill.
    fn pacing(&self) -> purging::Pacing<'_> {
        purging::Pacing {
            cancel: &self.cancel,
            pace: self.pace,
        }
    }

    /// The request timeout for `timeout_seconds`.
    fn timeout(&self, seconds: Duration) -> Duration {
        let seconds = u32::try_from(seconds.as_secs()).unwrap_or(u32::MAX);
        self.second.saturating_mul(seconds)
    }
}

/// What the command line asked: the help, the version, or the run; the exit status.
pub async fn respond(env: &Env, command: Command, runner: Arc<Log>, config: &Config) -> u8 {
    let flags = match command {
        Command::Help => return print(&runner, &cli::help()),
        Command::Version => return print(&runner, &cli::version()),
        Command::Run(flags) => flags,
    };
    let report = run(env, &flags, runner.clone(), config).await;
    if let Err(failed) = runner::publish(env, &runner, &report) {
        let cause = Cause::OutputsNotWritten {
            file: failed.file,
            error: failed.error.to_string(),
        };
        // Only the failed file is missing, and the run has its own cause (the items it lists
        // failed): that cause keeps the one error annotation.
        if failed.outputs_written && report.cause().is_some() {
            runner.annotate_beside(&cause);
            return report.exit_code();
        }
        runner.annotate(&cause);
        return report.exit_code().max(cause.exit_code());
    }
    report.exit_code()
}

fn print(runner: &Log, text: &str) -> u8 {
    for line in text.lines() {
        runner.info(line);
    }
    0
}

/// The whole run, as a report.
pub(crate) async fn run(env: &Env, flags: &Flags, runner: Arc<Log>, config: &Config) -> Report {
    let mut journal = Journal::new(runner);
    let Some(settings) = offline(env, flags, &mut journal) else {
        return journal.report;
    };
    let proxies = Proxies::from_env(env);
    if let Err(bad) = proxies.for_url(&settings.options.api_url) {
        journal.note(bad_proxy(bad));
        return journal.report;
    }
    let names = settings.zones.iter().filter_map(|z| match z {
        ZoneRef::Name(name) => Some(name.as_str()),
        ZoneRef::Id(_) => None,
    });
    if let Err(bad) = site_proxies(&settings, &proxies, names) {
        journal.note(bad);
        return journal.report;
    }
    if let Err(cause) = online(settings, proxies, &mut journal, config).await {
        journal.note(cause);
    }
    journal.report
}

/// The proxy variables the requests to the site would take (`wait_for`, and with `confirm` the
/// URLs known so far: `confirm_urls`, `base_url`, the files' URLs, the zones' names) name a proxy:
/// a variable that holds none is `invalid-input` before the site is asked, as for the API.
fn site_proxies<'a>(
    settings: &Settings,
    proxies: &Proxies,
    zone_names: impl Iterator<Item = &'a str>,
) -> Result<(), Cause> {
    let options = &settings.options;
    let check = |url: &url::Url| proxies.for_url(url).map(|_| ()).map_err(bad_proxy);
    if let Some(wait) = &options.wait {
        check(&wait.url)?;
    }
    if !options.confirm {
        return Ok(());
    }
    let parse = |text: &str| url::Url::parse(text).ok();
    let files = settings.purge.files.iter().filter_map(|f| match &f.target {
        FileTarget::Url(url) => parse(url),
        FileTarget::Path(_) => None,
    });
    let base = options.base_url.as_deref().and_then(parse);
    let zones = zone_names.filter_map(|name| parse(&format!("https://{name}/")));
    let known = options
        .confirm_urls
        .iter()
        .cloned()
        .chain(base)
        .chain(zones);
    known.chain(files).try_for_each(|url| check(&url))
}

/// A proxy variable that no proxy can be read from, quoted without its password: as a URL without
/// user info when it has one, else by its length only (it may be a password pasted alone).
fn bad_proxy(bad: &BadProxy) -> Cause {
    let value = &bad.value;
    let value = if value.contains("://") && value.contains('@') {
        quote::safe_quote(&quote::without_userinfo(value))
    } else {
        match url::Url::parse(value) {
            Ok(url) if url.host_str().is_some() => {
                let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
                let host = url.host_str().unwrap_or_default();
                quote::safe_quote(&format!("{}://{host}{port}", url.scheme()))
            }
            _ => format!("[{} characters that are no URL]", value.chars().count()),
        }
    };
    Cause::ProxyNotUrl {
        variable: bad.variable,
        value,
    }
}

/// Steps 1 and 2: every secret masked, then every input checked.
fn offline(env: &Env, flags: &Flags, journal: &mut Journal) -> Option<Settings> {
    let mut raw = RawInputs::read(env);
    flags.apply(&mut raw);
    for secret in credential::secrets(&raw) {
        journal.runner().mask(&secret);
    }
    let credentials = credential::credentials(&raw);
    for secret in &credentials {
        journal.runner().mask_credential(secret);
    }
    if !flags.problems.is_empty() {
        // What follows a flag that could not be read may be read wrongly (its value taken for a
        // file): the flags alone are reported.
        for cause in flags.problems.iter().cloned() {
            journal.note(cause);
        }
        return None;
    }
    let validated = inputs::validate(&raw, &RunContext::read(env), &credentials);
    for cause in validated.warnings.into_iter().chain(validated.errors) {
        journal.note(cause);
    }
    let settings = validated.settings?;
    journal.check(
        Subject::CredentialShape,
        Mark::Ok,
        settings.credential.describe(),
    );
    Some(settings)
}

/// Steps 3 to 7 (the wait for the new build, step 5, is checked like the zones). Until the purge, a cancellation stops the run at once; the purge stops sending
/// and waits briefly for what is in flight.
async fn online(
    mut settings: Settings,
    proxies: Proxies,
    journal: &mut Journal,
    config: &Config,
) -> Result<(), Cause> {
    let site_proxies_of = proxies.clone();
    let client = connect(&settings, proxies, journal.runner(), config)?;
    // The zones' first reads go beside the credential check (one round trip for both, not two);
    // what they found is judged only once the credential passed, so its cause comes first.
    let reads = Reads::new(&settings.zones, settings.options.account_id.as_deref());
    // The zones once resolved: a cancellation after that lists `failed` joined to them.
    let mut known: Vec<resolve::Resolved> = Vec::new();
    // When the wait for the new build started: a cancellation during it still gives its row.
    let mut waiting: Option<std::time::Instant> = None;
    let checks = async {
        let verify = authenticate::verify(&client, &settings, &reads, journal, config.now);
        let (verified, ()) = tokio::join!(verify, reads.ahead(&client));
        let verified = verified?;
        let zones = &settings.zones;
        let resolved =
            resolve::resolve(&client, zones, &reads, verified.zone.clone(), journal).await?;
        resolve::record(&resolved, journal);
        known.clone_from(&resolved);
        routable_before_wait(&settings, &resolved)?;
        let names = resolved.iter().filter_map(resolve::Resolved::name);
        site_proxies(&settings, &site_proxies_of, names)?;
        waiting = wait::polls_site(&settings).then(std::time::Instant::now);
        wait::until_live(
            &settings,
            &resolved,
            &site_proxies_of,
            journal,
            config.wait_clock,
        )
        .await?;
        Ok((verified, resolved))
    };
    let (verified, resolved) = tokio::select! {
        checked = checks => checked?,
        () = config.cancel.cancelled() => {
            if let Some(started) = waiting {
                wait::cancelled(journal, started);
            }
            return Err(cancelled_before_purge(&settings, &known, journal));
        }
    };
    if settings.options.mode == Mode::Verify {
        outside_zones(&settings, &resolved)?;
    }
    // The mode's step says how far the run got: the one place `result` is set.
    let result = by_mode(
        &client,
        &site_proxies_of,
        &mut settings,
        &verified,
        &resolved,
        journal,
        config,
    )
    .await?;
    journal.report.result = Some(result);
    Ok(())
}

/// Verify mode's lists, routed as a purge would route them once the zones' names are known: an
/// item in none of the zones fails it as it would fail the purge. Names the token cannot read are
/// the purge's concern; the health check is about the items given.
fn outside_zones(settings: &Settings, resolved: &[resolve::Resolved]) -> Result<(), Cause> {
    let base_url = settings.options.base_url.as_deref();
    match routing::route(settings.purge.clone(), resolved, base_url) {
        Err(cause @ Cause::UrlOutsideZone { .. }) => Err(cause),
        _ => Ok(()),
    }
}

/// With zones given by ID, the items and `confirm_urls` route only once the names are known: the
/// purge's routing checks run before the wait, which comes after every check (contract §6). Only
/// with a wait: otherwise the purge routes them at once, and the lists are not copied.
fn routable_before_wait(settings: &Settings, resolved: &[resolve::Resolved]) -> Result<(), Cause> {
    let options = &settings.options;
    if options.wait.is_none() || options.mode != Mode::Purge {
        return Ok(());
    }
    routing::route(
        settings.purge.clone(),
        resolved,
        options.base_url.as_deref(),
    )?;
    let names: Option<Vec<&str>> = resolved.iter().map(resolve::Resolved::name).collect();
    match names.and_then(|n| confirm::outside(&options.confirm_urls, &n)) {
        Some(outside) => Err(outside),
        None => Ok(()),
    }
}

/// Step 5 as the mode has it: the purge (or its plan), or the health checks' last word.
async fn by_mode(
    client: &Client,
    proxies: &Proxies,
    settings: &mut Settings,
    verified: &authenticate::Verified,
    resolved: &[resolve::Resolved],
    journal: &mut Journal,
    config: &Config,
) -> Result<RunResult, Cause> {
    let warn_within = settings.options.expiry_warning_days;
    let lifetime = verified.lifetime.as_ref();
    match settings.options.mode {
        Mode::Purge => {
            if let Some(warning) = lifetime.and_then(|l| l.expiring_soon(warn_within, false)) {
                journal.note(warning);
            }
            // The lists move into the plan: each item is held once.
            let purge = std::mem::take(&mut settings.purge);
            let options = &settings.options;
            let purged =
                purging::run(client, options, purge, resolved, journal, config.pacing()).await?;
            let timing = confirm::Timing {
                settle: config.settle,
                cancel: &config.cancel,
            };
            confirm::run(options, proxies, purged.accepted, journal, timing).await?;
            Ok(purged.result)
        }
        Mode::Verify if settings.options.dry_run => {
            permission::not_proven(journal);
            if let Some(cause) = lifetime.and_then(|l| l.expiring_soon(warn_within, true)) {
                return Err(cause);
            }
            Ok(RunResult::Planned)
        }
        Mode::Verify => {
            if settings.options.check_purge_permission {
                tokio::select! {
                    proven = permission::prove_all(client, resolved, journal) => proven?,
                    () = config.cancel.cancelled() => {
                        return Err(Cause::Cancelled { not_confirmed: 0, verifying: true })
                    }
                }
            }
            if let Some(cause) = lifetime.and_then(|l| l.expiring_soon(warn_within, true)) {
                return Err(cause);
            }
            Ok(RunResult::Verified)
        }
    }
}

/// Cancelled before anything was purged: every item is one not confirmed. Once the zones are
/// known (`zones`), `failed` names the items as the purge would (a path joined to its zone's URL,
/// as a timed-out wait has it); before that (during the credential check) as given.
fn cancelled_before_purge(
    settings: &Settings,
    zones: &[resolve::Resolved],
    journal: &mut Journal,
) -> Cause {
    let unsent = match settings.options.mode {
        Mode::Purge if zones.is_empty() => settings.purge.failed_lines(),
        Mode::Purge => wait::unsent(settings, zones),
        Mode::Verify => Vec::new(),
    };
    let cause = Cause::Cancelled {
        verifying: settings.options.mode == Mode::Verify,
        not_confirmed: unsent.len(),
    };
    journal.report.unsent = unsent;
    cause
}

/// The API client for these settings, logging each request (method, path, status, time) in debug.
fn connect(
    settings: &Settings,
    proxies: Proxies,
    runner: &Arc<Log>,
    config: &Config,
) -> Result<Client, Cause> {
    let auth = match &settings.credential {
        Credential::Token { value, .. } => Auth::Token(value.clone()),
        Credential::GlobalKey { email, key } => Auth::GlobalKey {
            email: email.clone(),
            key: key.clone(),
        },
    };
    let options = &settings.options;
    let api_url = options.api_url.clone();
    let roots = options.ca_certificates.as_ref();
    let client = Client::new(
        api_url,
        auth,
        config.timeout(options.timeout),
        proxies,
        roots,
    )
    .map_err(|e| match e {
        SetupError::CaCertificates => Cause::InvalidInput {
            input: Input::CaCertificates,
            value: format!("{} certificates", roots.map_or(0, CaBundle::len)),
            expected: "certificates a TLS root store takes (X.509 CA certificates in PEM)".into(),
        },
        SetupError::Tls => Cause::NetworkError {
            kind: NetKind::Tls,
            attempts: 0,
            host: options.api_url.host_str().unwrap_or_default().to_string(),
            proxy: None,
        },
    })?;
    let runner = runner.clone();
    let log: RequestLog = Arc::new(move |event: Event<'_>| match event {
        // Written only in a debug run (RUNNER_DEBUG): the line is not even made otherwise.
        Event::Attempt { .. } if !runner.debugging() => {}
        Event::Attempt { what, status, took } => {
            let status = status.map_or("no answer".to_string(), |s| s.to_string());
            runner.debug(&format!("{what} → {status} in {} ms", took.as_millis()));
        }
        Event::GlobalLimit { wait, asked } => runner.info(&global_limit_line(wait, asked)),
        Event::LongWait { wait } => runner.info(&format!(
            "Cloudflare asked for a wait (Retry-After): trying again in {} s.",
            wait.as_secs_f64().ceil()
        )),
    });
    Ok(client
        .with_policy(config.policy.clone())
        .with_pace(config.pace)
        .with_clock(config.now.into())
        .with_log(log))
}

/// The log line of a wait for Cloudflare's global limit: not a failure, but minutes of waiting.
fn global_limit_line(wait: Duration, asked: Duration) -> String {
    let why = match asked > wait {
        true => "the longest wait (its Retry-After asks for more)",
        false => "as its Retry-After says",
    };
    format!(
        "Cloudflare's API limit for this credential (1,200 requests per 5 minutes, shared by every \
         tool that uses it) is reached: waiting {} s, {why}, before any further request.",
        wait.as_secs_f64().ceil()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_global_limit_wait_says_when_it_was_cut() {
        let five_minutes = Duration::from_secs(300);
        let line = global_limit_line(five_minutes, five_minutes);
        assert!(
            line.contains("waiting 300 s, as its Retry-After says"),
            "{line}"
        );
        let line = global_limit_line(five_minutes, Duration::MAX);
        assert!(
            line.contains("waiting 300 s, the longest wait (its Retry-After asks for more)"),
            "{line}"
        );
    }
}
