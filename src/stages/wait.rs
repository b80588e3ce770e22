//! Step 5 of the order of work (contract §11): before the first purge, `wait_for` is polled until it
//! shows `wait_for_text`; a dry run asks once, verify mode does not wait.

use std::time::{Duration, Instant};

use super::resolve::Resolved;
use super::routing::route;
use super::Journal;
use crate::cloudflare::{NetKind, Proxies, SetupError};
use crate::diagnosis::{Cause, SiteAnswer as Seen};
use crate::inputs::{Input, Mode, Settings, WaitFor};
use crate::purge;
use crate::runner::{Mark, Subject};
use crate::site::{poll_delay, read_poll, Poll, SiteAnswer, SiteClient, SiteFailure, WaitClock};

/// Wait, when the settings ask for it, until the new build is live. A timeout is
/// `origin-not-updated` with every item left in `failed` (nothing was purged).
pub(crate) async fn until_live(
    settings: &Settings,
    zones: &[Resolved],
    proxies: &Proxies,
    journal: &mut Journal,
    clock: WaitClock,
) -> Result<(), Cause> {
    let Some(wait) = &settings.options.wait else {
        return Ok(());
    };
    if settings.options.mode == Mode::Verify {
        journal
            .runner()
            .notice("wait_for is not used in mode: verify (nothing is purged, so there is nothing to wait for).");
        return Ok(());
    }
    let options = &settings.options;
    let roots = options.ca_certificates.as_ref();
    let site = SiteClient::new(options.timeout, proxies.clone(), roots)
        .map_err(|e| setup_failed(e, wait))?;
    if options.dry_run {
        once(&site, wait, journal).await;
        return Ok(());
    }
    let cause = match polls(&site, wait, journal, clock).await {
        Ok(()) => return Ok(()),
        Err(cause) => cause,
    };
    journal.report.unsent = unsent(settings, zones);
    Err(journal.failed(Subject::NewBuildLive, cause))
}

/// Whether the run polls the site before the purge (a wait given, a purge that is no dry run).
pub(crate) fn polls_site(settings: &Settings) -> bool {
    let options = &settings.options;
    options.wait.is_some() && options.mode == Mode::Purge && !options.dry_run
}

/// The summary's row of a wait the cancellation ended (contract §11: the row is always there).
pub(crate) fn cancelled(journal: &mut Journal, started: Instant) {
    let detail = format!("cancelled after {}", seconds(started.elapsed()));
    journal.check(Subject::NewBuildLive, Mark::Fail, detail);
}

/// Every item, as `failed` names it once the zones are known (contract §3: a path joined to its
/// base, once per zone it goes to); as given when they cannot be routed.
pub(crate) fn unsent(settings: &Settings, zones: &[Resolved]) -> Vec<String> {
    let base = settings.options.base_url.as_deref();
    let Ok(works) = route(settings.purge.clone(), zones, base) else {
        return settings.purge.failed_lines();
    };
    let mut lines = Vec::new();
    for (zone, work) in zones.iter().zip(&works) {
        for batch in purge::plan(work, &zone.limits()) {
            lines.extend(work.failed_lines(&batch));
        }
    }
    lines
}

/// No client for the site can be made (the API's, made with the same settings, could): its CA
/// certificates or TLS, named as the API client's setup names them.
fn setup_failed(error: SetupError, wait: &WaitFor) -> Cause {
    match error {
        SetupError::CaCertificates => Cause::InvalidInput {
            input: Input::CaCertificates,
            value: "certificates".into(),
            expected: "certificates a TLS root store takes (X.509 CA certificates in PEM)".into(),
        },
        SetupError::Tls => Cause::NetworkError {
            kind: NetKind::Tls,
            attempts: 0,
            host: wait.url.host_str().unwrap_or_default().to_string(),
            proxy: None,
        },
    }
}

/// A dry run: one request says whether the new build is live now; nothing waits.
async fn once(site: &SiteClient, wait: &WaitFor, journal: &mut Journal) {
    let answer = site.poll(&wait.url, &wait.text).await;
    let poll = read_poll(&answer);
    journal.runner().info(&format!(
        "wait_for (dry run): {} {}",
        wait.url,
        describe(&poll)
    ));
    if matches!(poll, Poll::Cached { .. }) {
        journal.note(Cause::WaitUrlCached {
            url: wait.url.to_string(),
        });
    }
    let (mark, detail) = match poll.is_found() {
        true => (Mark::Ok, "dry run: live now"),
        false => (Mark::Warn, "dry run: not live now (a run would wait)"),
    };
    journal.check(Subject::NewBuildLive, mark, detail);
}

/// Poll until the text shows or the timeout passes.
async fn polls(
    site: &SiteClient,
    wait: &WaitFor,
    journal: &mut Journal,
    clock: WaitClock,
) -> Result<(), Cause> {
    let start = Instant::now();
    let mut scheduled = Duration::ZERO;
    let mut warned = false;
    let mut last: Option<SiteAnswer> = None;
    let mut failure: Option<NetKind> = None;
    for attempt in 1u32.. {
        // A poll under way ends with the wait: `timeout_seconds` may be longer than what is left.
        let left = clock.left(start, scheduled, wait.timeout);
        let Ok(answer) = tokio::time::timeout(left, site.poll(&wait.url, &wait.text)).await else {
            journal.runner().info(&format!(
                "wait_for: poll {attempt} cut short: wait_timeout_seconds ({}) passed",
                seconds(wait.timeout)
            ));
            return Err(timed_out(wait, last, failure));
        };
        let poll = read_poll(&answer);
        let waited = clock.waited(start, scheduled);
        journal.runner().info(&format!(
            "wait_for: poll {attempt}, {} waited: {}",
            seconds(waited),
            describe(&poll)
        ));
        if poll.is_found() {
            journal.check(
                Subject::NewBuildLive,
                Mark::Ok,
                format!("after {}", seconds(waited)),
            );
            return Ok(());
        }
        if matches!(poll, Poll::Cached { .. }) && !warned {
            warned = true;
            journal.note(Cause::WaitUrlCached {
                url: wait.url.to_string(),
            });
        }
        match answer {
            Ok(answer) => last = Some(answer),
            Err(SiteFailure::Network(kind)) => failure = Some(kind),
            Err(_) => {}
        }
        if waited >= wait.timeout {
            return Err(timed_out(wait, last, failure));
        }
        // The last poll falls on the timeout, not after it.
        let delay = poll_delay(attempt).min(wait.timeout - waited);
        clock.pause(delay).await;
        scheduled += delay;
    }
    Err(timed_out(wait, last, failure))
}

/// The wait ended at its limit: the message names the limit, not the moment the last poll ended.
fn timed_out(wait: &WaitFor, last: Option<SiteAnswer>, failure: Option<NetKind>) -> Cause {
    Cause::OriginNotUpdated {
        url: wait.url.to_string(),
        waited_seconds: wait.timeout.as_secs(),
        // A redirect never counts as live, whatever its Location holds: not "with the text".
        text_found: last
            .as_ref()
            .is_some_and(|a| a.found && !(300..400).contains(&a.status)),
        failure,
        last: last.map(|a| Seen {
            status: a.status,
            cache_status: a.cache_status,
            age: a.age,
        }),
    }
}

fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs())
}

/// One poll for the progress line: status, `CF-Cache-Status`, found or not.
fn describe(poll: &Poll) -> String {
    let cache = |c: &Option<String>| c.clone().unwrap_or_else(|| "none".into());
    match poll {
        Poll::Found {
            status,
            cache_status,
        } => format!(
            "HTTP {status}, CF-Cache-Status {}, text found",
            cache(cache_status)
        ),
        Poll::NotFound {
            status,
            cache_status,
        }
        | Poll::ServerError {
            status,
            cache_status,
        } => format!(
            "HTTP {status}, CF-Cache-Status {}, text not found",
            cache(cache_status)
        ),
        Poll::Cached { status } => {
            format!("HTTP {status}, CF-Cache-Status HIT, text not found")
        }
        Poll::Redirect { status, location } => format!(
            "HTTP {status} to {} (not followed), text not found",
            location.as_deref().unwrap_or("no Location")
        ),
        Poll::Failed(failure) => format!("no answer ({})", failure_words(failure)),
    }
}

fn failure_words(failure: &SiteFailure) -> &'static str {
    match failure {
        SiteFailure::Network(kind) => match kind {
            NetKind::Dns => "DNS lookup failed",
            NetKind::Connect => "could not connect",
            NetKind::Tls | NetKind::TlsUnknownIssuer => "TLS failed",
            NetKind::Timeout => "timed out",
            NetKind::Dropped => "connection dropped",
            _ => "the proxy failed",
        },
        SiteFailure::Garbage => "not an HTTP answer",
        SiteFailure::BadProxy(_) => "the proxy variable holds no proxy URL",
        SiteFailure::BadHeader => "a header could not be sent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_line_gives_status_cache_status_and_whether_the_text_was_found() {
        let found = Poll::Found {
            status: 200,
            cache_status: None,
        };
        assert_eq!(
            describe(&found),
            "HTTP 200, CF-Cache-Status none, text found"
        );
        let moved = Poll::Redirect {
            status: 301,
            location: Some("https://example.com/v2".into()),
        };
        assert_eq!(
            describe(&moved),
            "HTTP 301 to https://example.com/v2 (not followed), text not found"
        );
        let failed = Poll::Failed(SiteFailure::Network(NetKind::Timeout));
        assert_eq!(describe(&failed), "no answer (timed out)");
    }
}
