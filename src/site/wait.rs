//! One poll of `wait_for` read (contract §11), and when the next one is sent.

use std::time::Duration;

use super::client::{SiteAnswer, SiteFailure};

/// The first poll's delay, and the longest.
const FIRST: Duration = Duration::from_secs(2);
const LONGEST: Duration = Duration::from_secs(15);

/// What one poll saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Poll {
    /// The text is in the body or a header value: the new build is live.
    Found {
        status: u16,
        cache_status: Option<String>,
    },
    /// An answer without the text.
    NotFound {
        status: u16,
        cache_status: Option<String>,
    },
    /// A Cloudflare `HIT` without the text: the page may be the cached old build, so waiting may
    /// never see the new one (`wait-url-cached`). The polling goes on.
    Cached { status: u16 },
    /// A 3xx, not followed.
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// A 5xx: a poll that did not match.
    ServerError {
        status: u16,
        cache_status: Option<String>,
    },
    /// No answer: a poll that did not match.
    Failed(SiteFailure),
}

impl Poll {
    pub fn is_found(&self) -> bool {
        matches!(self, Poll::Found { .. })
    }

    /// The answer's status: the unit tests read it; the progress line names the poll itself.
    #[cfg(test)]
    pub(crate) fn status(&self) -> Option<u16> {
        match self {
            Poll::Found { status, .. }
            | Poll::NotFound { status, .. }
            | Poll::Cached { status }
            | Poll::Redirect { status, .. }
            | Poll::ServerError { status, .. } => Some(*status),
            Poll::Failed(_) => None,
        }
    }
}

/// What one poll's answer (read with the text to find) means.
pub fn read_poll(answer: &Result<SiteAnswer, SiteFailure>) -> Poll {
    let answer = match answer {
        Ok(answer) => answer,
        Err(failure) => return Poll::Failed(failure.clone()),
    };
    let (status, cache_status) = (answer.status, answer.cache_status.clone());
    if status >= 500 {
        return Poll::ServerError {
            status,
            cache_status,
        };
    }
    // A redirect is not the new build, whatever its Location holds: it is logged, not searched.
    if (300..400).contains(&status) {
        let location = answer.location.clone();
        return Poll::Redirect { status, location };
    }
    if answer.found {
        return Poll::Found {
            status,
            cache_status,
        };
    }
    let cloudflare_hit = answer.cf_ray.is_some() && cache_status.as_deref() == Some("HIT");
    match cloudflare_hit {
        true => Poll::Cached { status },
        false => Poll::NotFound {
            status,
            cache_status,
        },
    }
}

/// The wait's clock: how long a poll's delay really sleeps, and how much time the wait counts.
/// The run takes it as a value (like the retry policy), so tests do not sleep through the
/// schedule's seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitClock {
    /// Each delay of [`poll_delay`] is slept divided by this; 1 in production. Above 1, the
    /// wait counts the schedule's seconds (the delays as scheduled), not those that passed.
    pub shrink: u32,
}

/// The time the poll at the limit is given: a short answer, not `timeout_seconds`.
pub const LAST_POLL: Duration = Duration::from_secs(2);
/// The least a poll is given on a shrunk clock.
const SHRUNK_POLL: Duration = Duration::from_millis(400);

impl Default for WaitClock {
    fn default() -> Self {
        WaitClock { shrink: 1 }
    }
}

impl WaitClock {
    /// Sleep `delay` of the schedule (shrunk on a test's clock).
    pub(crate) async fn pause(&self, delay: Duration) {
        tokio::time::sleep(delay / self.shrink.max(1)).await;
    }

    /// How long a poll starting now may take: what is left of `limit` (on a shrunk clock, the
    /// schedule's rest: a poll's own time is not counted there), but at least [`LAST_POLL`], as the
    /// last poll falls on the limit itself. A shrunk clock shrinks it too, down to
    /// [`SHRUNK_POLL`]: a test's site on loopback answers well within that.
    pub fn left(
        &self,
        start: std::time::Instant,
        scheduled: Duration,
        limit: Duration,
    ) -> Duration {
        let left = limit
            .saturating_sub(self.waited(start, scheduled))
            .max(LAST_POLL);
        match self.shrink {
            0 | 1 => left,
            n => (left / n).max(SHRUNK_POLL),
        }
    }

    /// Time waited so far: what passed since `start`, or, on a shrunk clock, the delays scheduled.
    pub(crate) fn waited(&self, start: std::time::Instant, scheduled: Duration) -> Duration {
        match self.shrink {
            0 | 1 => start.elapsed(),
            _ => scheduled,
        }
    }
}

/// The delay before poll `attempt` (1 for the first wait): 2 s, growing by half, at most 15 s.
pub fn poll_delay(attempt: u32) -> Duration {
    let mut delay = FIRST;
    for _ in 1..attempt.min(16) {
        delay = (delay + delay / 2).min(LONGEST);
    }
    delay
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloudflare::NetKind;

    #[test]
    fn polls_start_at_two_seconds_and_grow_by_half_to_fifteen() {
        let delays: Vec<u128> = (1..=8).map(|n| poll_delay(n).as_millis()).collect();
        assert_eq!(
            delays,
            [2_000, 3_000, 4_500, 6_750, 10_125, 15_000, 15_000, 15_000]
        );
        assert_eq!(poll_delay(0), FIRST);
        assert_eq!(poll_delay(u32::MAX), LONGEST);
    }

    #[test]
    fn a_shrunk_clock_counts_the_schedule_and_the_real_one_what_passed() {
        let start = std::time::Instant::now();
        let scheduled = Duration::from_secs(9);
        assert_eq!(
            WaitClock { shrink: 1000 }.waited(start, scheduled),
            scheduled
        );
        assert!(WaitClock::default().waited(start, scheduled) < Duration::from_secs(1));
    }

    fn answer(status: u16, cache: Option<&str>, found: bool) -> SiteAnswer {
        SiteAnswer {
            status,
            cache_status: cache.map(str::to_string),
            cf_ray: Some("8f1e2d3c4b5a6978-FRA".into()),
            found,
            ..SiteAnswer::default()
        }
    }

    #[test]
    fn each_answer_is_read_as_a_poll() {
        let read = |a| read_poll(&Ok(a));
        assert!(read(answer(200, Some("HIT"), true)).is_found());
        assert!(read(answer(200, None, true)).is_found());
        assert_eq!(
            read(answer(200, Some("HIT"), false)),
            Poll::Cached { status: 200 }
        );
        let mut not_cloudflare = answer(200, Some("HIT"), false);
        not_cloudflare.cf_ray = None;
        assert!(matches!(read(not_cloudflare), Poll::NotFound { .. }));
        assert!(matches!(
            read(answer(200, Some("MISS"), false)),
            Poll::NotFound { status: 200, .. }
        ));
        let mut moved = answer(302, None, false);
        moved.location = Some("/login".into());
        assert_eq!(
            read(moved),
            Poll::Redirect {
                status: 302,
                location: Some("/login".into())
            }
        );
        let down = read(answer(503, None, true));
        assert!(!down.is_found() && down.status() == Some(503));
        let failed = read_poll(&Err(SiteFailure::Network(NetKind::Dropped)));
        assert_eq!(failed.status(), None);
        assert!(!failed.is_found());
    }
}
