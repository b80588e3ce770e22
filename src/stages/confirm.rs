//! Step 7 (contract §10): after the purge, a sample of what was purged requested from the site
//! itself, without any credential, and each answer judged: evicted, no effect, or why it cannot
//! tell. Reports `confirmed`, a row per URL, and the causes; the purge's own result is untouched.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use url::Url;

use super::Journal;
use crate::cancel::Cancel;
use crate::cloudflare::{ItemKind, ListKind, NetKind, Proxies};
use crate::diagnosis::{Cause, ConfirmProblem};
use crate::inputs::Options;
use crate::purge::{Outcome, Work};
use crate::runner::{CheckedUrl, ConfirmReport, Mark, Subject};
use crate::site::{
    self, Check, PurgedFile, PurgedZone, SiteAnswer, SiteClient, SiteFailure, Unjudged, Verdict,
};
use crate::text::plural;

/// What the purge had accepted, for the checks: each zone's purged items, each with the index of
/// its batch in `at`, when Cloudflare's answer to that batch came.
#[derive(Debug, Default)]
pub(crate) struct Accepted {
    pub(crate) zones: Vec<PurgedZone>,
    pub(crate) at: Vec<Instant>,
}

impl Accepted {
    /// Add one zone's accepted batches (`name`: the zone's name, empty when unknown).
    pub(crate) fn add(&mut self, name: &str, work: &Work, outcome: &Outcome) {
        let mut zone = PurgedZone {
            name: name.to_string(),
            ..PurgedZone::default()
        };
        for (batch, at) in &outcome.accepted {
            let index = self.at.len();
            self.at.push(*at);
            let range = batch.start..batch.start + batch.len;
            match batch.kind {
                ItemKind::Files => {
                    zone.files
                        .extend(work.files[range].iter().map(|f| PurgedFile {
                            url: f.url.clone(),
                            headers: f.headers.clone().unwrap_or_default().into_iter().collect(),
                            batch: index,
                        }))
                }
                ItemKind::List(ListKind::Tags) => zone.tags = zone.tags.or(Some(index)),
                ItemKind::List(ListKind::Hosts) => zone.hosts.extend(
                    work.list(ListKind::Hosts)[range]
                        .iter()
                        .map(|h| (h.clone(), index)),
                ),
                ItemKind::List(ListKind::Prefixes) => zone.prefixes.extend(
                    work.list(ListKind::Prefixes)[range]
                        .iter()
                        .map(|p| (p.clone(), index)),
                ),
                ItemKind::Everything => zone.everything = Some(index),
            }
        }
        self.zones.push(zone);
    }
}

/// What the checks need besides the purge: the settle time after each batch and the
/// cancellation, both injected (tests do not wait 2 s).
pub(crate) struct Timing<'a> {
    pub(crate) settle: Duration,
    pub(crate) cancel: &'a Cancel,
}

/// One answered check.
struct Answered {
    check: Check,
    answer: Result<SiteAnswer, SiteFailure>,
    since: Duration,
}

/// With `confirm` in a purge that sent something: choose, wait, request, judge, report.
/// `purge-no-effect` comes back as the error; every other verdict is recorded as a warning.
pub(crate) async fn run(
    options: &Options,
    proxies: &Proxies,
    accepted: Accepted,
    journal: &mut Journal,
    timing: Timing<'_>,
) -> Result<(), Cause> {
    if !options.confirm || options.dry_run {
        return Ok(());
    }
    let choice = site::choose(&accepted.zones, &options.confirm_urls);
    announce(journal, &choice);
    let roots = options.ca_certificates.as_ref();
    // The API's client was built from the same settings: this cannot fail where that did not.
    let Ok(client) = SiteClient::new(options.timeout, proxies.clone(), roots) else {
        journal
            .runner()
            .info("confirm: no client for the site could be built");
        return Ok(());
    };
    let chosen = choice.checks.len();
    let (answered, cancelled) = request(&client, choice.checks, &accepted.at, timing).await;
    if cancelled {
        journal.runner().info(&format!(
            "confirm: cancelled; {} of {chosen} checked, the rest not",
            answered.len()
        ));
    }
    let mode = match options.invalidate {
        true => site::Mode::Invalidate,
        false => site::Mode::Purge,
    };
    report(answered, journal, mode, cancelled.then_some(chosen))
}

/// The notices and log lines about what is not checked.
fn announce(journal: &Journal, choice: &site::Choice) {
    let runner = journal.runner();
    for zone in &choice.tags_unchecked {
        runner.notice(&format!(
            "confirm: {zone} purged tags only, which name no URL: nothing checked there. List URLs that carry the tags in confirm_urls to check them."
        ));
    }
    for url in &choice.not_purged {
        runner.info(&format!(
            "confirm: {url} not checked: nothing this run purged covers it"
        ));
    }
    if choice.left_out > 0 {
        runner.info(&format!(
            "confirm: {} more not checked (at most {} are)",
            plural(choice.left_out, "purged URL"),
            site::MAX_CHECKS
        ));
    }
}

/// One `GET` per check, each no sooner than the settle time after its batch, all at once; stops
/// at a cancellation with what was answered by then (in the order chosen), and whether it was.
async fn request(
    client: &SiteClient,
    checks: Vec<Check>,
    at: &[Instant],
    timing: Timing<'_>,
) -> (Vec<Answered>, bool) {
    let mut tasks = JoinSet::new();
    for (index, check) in checks.into_iter().enumerate() {
        let client = client.clone();
        let accepted = at.get(check.batch).copied().unwrap_or_else(Instant::now);
        let settle = timing.settle;
        tasks.spawn(async move {
            tokio::time::sleep_until(tokio::time::Instant::from_std(accepted + settle)).await;
            let answer = client.confirm(&check.url, &check.headers).await;
            let since = accepted.elapsed();
            (
                index,
                Answered {
                    check,
                    answer,
                    since,
                },
            )
        });
    }
    let mut answered = Vec::new();
    let mut cancelled = false;
    loop {
        tokio::select! {
            next = tasks.join_next() => match next {
                Some(Ok(done)) => answered.push(done),
                // A task cannot panic (no unwrap in it); an aborted one is simply not answered.
                Some(Err(_)) => {}
                None => break,
            },
            () = timing.cancel.cancelled() => {
                tasks.abort_all();
                cancelled = true;
                break;
            }
        }
    }
    answered.sort_by_key(|(index, _)| *index);
    (answered.into_iter().map(|(_, a)| a).collect(), cancelled)
}

/// A row and a log line per URL, a cause per verdict that is not `evicted` (only the first
/// `purge-no-effect` is the step's error: one failure, one annotation), and the check row, which
/// says how many of the `chosen` were checked when a cancellation cut the checks short.
fn report(
    answered: Vec<Answered>,
    journal: &mut Journal,
    mode: site::Mode,
    cut_short_of: Option<usize>,
) -> Result<(), Cause> {
    let mut confirm = ConfirmReport::default();
    let mut no_effect: Option<Cause> = None;
    let mut warnings: Vec<(Cause, Vec<String>)> = Vec::new();
    for a in answered {
        let verdict = site::judge(&a.answer, a.since, mode);
        let url = a.check.url.to_string();
        let cause = cause_of(&url, &verdict, matches!(mode, site::Mode::Invalidate));
        let row = row(url, &a.answer, cause.as_ref());
        journal.runner().info(&log_line(&row));
        confirm.evicted += usize::from(cause.is_none());
        confirm.checked.push(row);
        match cause {
            Some(cause @ Cause::PurgeNoEffect { .. }) => {
                no_effect.get_or_insert(cause);
            }
            Some(warning) => {
                // The one annotation per cause names the URLs; each one's problem is told here.
                journal
                    .runner()
                    .info(&format!("  {}.", warning.entry().seen));
                gather(&mut warnings, warning);
            }
            None => {}
        }
    }
    for (mut warning, urls) in warnings {
        if let Some(url) = url_mut(&mut warning) {
            *url = several(&urls);
        }
        journal.note(warning);
    }
    let checked = confirm.checked.len();
    let detail = match (cut_short_of, checked) {
        (Some(chosen), _) => format!(
            "cancelled: {checked} of {chosen} URLs checked, {} evicted",
            confirm.evicted
        ),
        // Tags without `confirm_urls`: no URL to check, so no proof either way.
        (None, 0) => "nothing checked (no URL to check)".to_string(),
        (None, _) => format!("{}/{checked} checked URLs evicted", confirm.evicted),
    };
    let mark = match (&no_effect, confirm.evicted == checked) {
        (Some(_), _) => Mark::Fail,
        (None, true) if checked > 0 && cut_short_of.is_none() => Mark::Ok,
        (None, _) => Mark::Warn,
    };
    journal.check(Subject::Confirm, mark, detail);
    journal.report.confirm = Some(confirm);
    no_effect.map_or(Ok(()), Err)
}

/// One warning per cause: the URLs whose answers tell the same (same code, same problem) share
/// it, and each gets the words that fit its own problem.
fn gather(warnings: &mut Vec<(Cause, Vec<String>)>, mut warning: Cause) {
    let url = url_mut(&mut warning)
        .map(std::mem::take)
        .unwrap_or_default();
    match warnings.iter_mut().find(|(w, _)| *w == warning) {
        Some((_, urls)) => urls.push(url),
        None => warnings.push((warning, vec![url])),
    }
}

/// The URL a warning of `confirm` names.
fn url_mut(cause: &mut Cause) -> Option<&mut String> {
    match cause {
        Cause::NotCached { url, .. }
        | Cause::NotProxied { url, .. }
        | Cause::PurgedRedirect { url, .. }
        | Cause::ConfirmFailed { url, .. } => Some(url),
        _ => None,
    }
}

/// The first few URLs and how many more: an annotation stays short.
fn several(urls: &[String]) -> String {
    const SHOWN: usize = 3;
    let shown = urls[..urls.len().min(SHOWN)].join(", ");
    match urls.len().saturating_sub(SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more (each in the log)"),
    }
}

/// The cause a verdict gives; `None` for evicted. `invalidate`: the purge was an invalidation.
fn cause_of(url: &str, verdict: &Verdict, invalidate: bool) -> Option<Cause> {
    let url = url.to_string();
    Some(match verdict {
        Verdict::Evicted { .. } => return None,
        Verdict::NoEffect { age, since, .. } => Cause::PurgeNoEffect {
            url,
            age_seconds: *age,
            seconds_since_purge: *since,
            invalidate,
        },
        Verdict::NotCached { cache_status, cdn } => Cause::NotCached {
            url,
            cache_status: cache_status.clone(),
            other_cdn: cdn.as_ref().map(site::Cdn::name),
        },
        Verdict::NotProxied { cdn } => Cause::NotProxied {
            url,
            other_cdn: cdn.as_ref().map(site::Cdn::name),
        },
        Verdict::Redirect { status, location } => Cause::PurgedRedirect {
            url,
            status: *status,
            location: location.clone(),
        },
        Verdict::Unjudged(why) => Cause::ConfirmFailed {
            url,
            problem: problem(why),
        },
    })
}

fn problem(why: &Unjudged) -> ConfirmProblem {
    match why {
        Unjudged::Failed(SiteFailure::Network(kind)) => ConfirmProblem::Network(*kind),
        Unjudged::Failed(SiteFailure::Garbage) => ConfirmProblem::Garbage,
        Unjudged::Failed(SiteFailure::BadProxy(_)) => ConfirmProblem::Network(NetKind::Proxy),
        Unjudged::Failed(SiteFailure::BadHeader) => ConfirmProblem::BadHeader,
        Unjudged::ServerError { status } | Unjudged::Refused { status } => {
            ConfirmProblem::Status(*status)
        }
        Unjudged::Challenge { status } => ConfirmProblem::Challenge(*status),
        Unjudged::Blocked { status } => ConfirmProblem::Blocked(*status),
        Unjudged::NoAge {
            unreadable: Some(age),
            ..
        } => ConfirmProblem::AgeUnreadable(crate::inputs::quote::safe_quote(age)),
        Unjudged::NoAge { .. } => ConfirmProblem::HitWithoutAge,
    }
}

fn row(url: String, answer: &Result<SiteAnswer, SiteFailure>, cause: Option<&Cause>) -> CheckedUrl {
    let answer = answer.as_ref().ok();
    let (mark, verdict) = match cause {
        None => (Mark::Ok, "evicted"),
        Some(cause @ Cause::PurgeNoEffect { .. }) => (Mark::Fail, cause.code()),
        Some(cause) => (Mark::Warn, cause.code()),
    };
    CheckedUrl {
        url,
        status: answer.map(|a| a.status),
        cache_status: answer.and_then(|a| a.cache_status.clone()),
        age: answer.and_then(|a| a.age),
        mark,
        verdict,
    }
}

/// `✓ https://example.com/app.css: HTTP 200, CF-Cache-Status MISS, Age –: evicted`.
fn log_line(row: &CheckedUrl) -> String {
    let status = row
        .status
        .map_or("no answer".to_string(), |s| format!("HTTP {s}"));
    let cache = row.cache_status.as_deref().unwrap_or("–");
    let age = row.age.map_or("–".to_string(), |a| a.to_string());
    format!(
        "confirm: {} {}: {status}, CF-Cache-Status {cache}, Age {age}: {}",
        row.mark.symbol(),
        row.url,
        row.verdict
    )
}

/// The `confirm_urls` in none of the zones' names, once the names are known (zones given by
/// ID): `url-outside-zone`, before anything is purged.
pub(crate) fn outside(confirm_urls: &[Url], names: &[&str]) -> Option<Cause> {
    crate::inputs::items::with_confirm_urls(None, confirm_urls, names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::purge::{Batch, ResolvedFile};
    use crate::site::Cdn;

    fn batch(kind: ItemKind, start: usize, len: usize) -> Batch {
        Batch { kind, start, len }
    }

    #[test]
    fn each_accepted_item_is_known_with_its_batch_and_only_those() {
        let mut work = Work::default();
        work.files = ["a", "b", "c"]
            .iter()
            .map(|p| ResolvedFile {
                url: format!("https://example.com/{p}"),
                headers: None,
            })
            .collect();
        *work.list_mut(ListKind::Hosts) = vec!["www.example.com".into()];
        *work.list_mut(ListKind::Tags) = vec!["t".into()];
        let (first, second) = (Instant::now(), Instant::now() + Duration::from_secs(1));
        let outcome = Outcome {
            // The files' first batch (a, b) failed: only c was accepted.
            accepted: vec![
                (batch(ItemKind::Files, 2, 1), first),
                (batch(ItemKind::List(ListKind::Hosts), 0, 1), second),
                (batch(ItemKind::List(ListKind::Tags), 0, 1), second),
            ],
            ..Outcome::default()
        };
        let mut accepted = Accepted::default();
        accepted.add("example.com", &work, &outcome);
        let zone = &accepted.zones[0];
        let files: Vec<_> = zone
            .files
            .iter()
            .map(|f| (f.url.as_str(), f.batch))
            .collect();
        assert_eq!(files, [("https://example.com/c", 0)]);
        assert_eq!(zone.hosts, [("www.example.com".to_string(), 1)]);
        assert_eq!((zone.tags, zone.everything), (Some(2), None));
        assert_eq!(accepted.at, [first, second, second]);
    }

    #[test]
    fn each_verdict_gives_its_cause_and_evicted_none() {
        let url = "https://example.com/";
        let code = |v: Verdict| cause_of(url, &v, false).map(|c| c.code());
        let evicted = Verdict::Evicted {
            cache_status: "MISS".into(),
        };
        assert_eq!(code(evicted), None);
        let old = Verdict::NoEffect {
            cache_status: "HIT".into(),
            age: 900,
            since: 3,
        };
        assert_eq!(code(old), Some("purge-no-effect"));
        let fastly = Verdict::NotProxied {
            cdn: Some(Cdn::Fastly),
        };
        assert_eq!(
            cause_of(url, &fastly, false),
            Some(Cause::NotProxied {
                url: url.into(),
                other_cdn: Some("Fastly".into())
            })
        );
        let garbage = Verdict::Unjudged(Unjudged::Failed(SiteFailure::Garbage));
        assert_eq!(
            cause_of(url, &garbage, false),
            Some(Cause::ConfirmFailed {
                url: url.into(),
                problem: ConfirmProblem::Garbage
            })
        );
    }
}
