//! When to try a request again and how long to wait: the one retry policy for every endpoint.

use std::time::{Duration, SystemTime};

/// Cloudflare's own SDKs retry 408, 409, 429 and 5xx with 0.5·2ⁿ s backoff capped at 8 s and honour
/// `Retry-After` up to 60 s; this follows them, with one more attempt and a bound on the total wait.
/// The run takes it as a value, so tests use one of milliseconds.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    pub retry_after_cap: Duration,
    /// No retry starts once this much time has been spent waiting.
    pub total_wait: Duration,
    /// Cloudflare's global limit (1,200 requests per 5 minutes per token) answers 429 with a
    /// `Retry-After` for the rest of its window: one such wait lasts at most this long (the window).
    pub global_wait_cap: Duration,
    /// ... and a request waits out the global limit for at most this long in all, in at most
    /// `global_waits` waits; these are not counted among its attempts.
    pub global_wait_total: Duration,
    pub global_waits: u32,
    /// A wait before a retry this long or longer is said in the log: only a `Retry-After` asks
    /// for one (a backoff stops at `cap`), and a step that prints nothing for a minute looks hung.
    pub announce_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(8),
            retry_after_cap: Duration::from_secs(60),
            total_wait: Duration::from_secs(120),
            global_wait_cap: Duration::from_secs(300),
            global_wait_total: Duration::from_secs(600),
            global_waits: 4,
            announce_after: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1`, or `None` when the request is not tried again: it
    /// cannot succeed by repeating, the attempts are spent, or the waits would pass `total_wait`.
    pub(crate) fn next(
        &self,
        attempt: u32,
        waited: Duration,
        retryable: bool,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let delay = self.delay(attempt, retry_after);
        let go_on = retryable && attempt < self.max_attempts && waited + delay <= self.total_wait;
        go_on.then_some(delay)
    }

    /// The wait before trying again after Cloudflare's global limit answered with `Retry-After`
    /// (`waits` such waits, `waited` in all, so far), or `None` when the request is not tried again.
    /// Without a `Retry-After` (or one of 0), the limit is retried like any 429, by [`Self::next`].
    pub(crate) fn next_global(
        &self,
        waits: u32,
        waited: Duration,
        retry_after: Duration,
    ) -> Option<Duration> {
        let wait = retry_after.min(self.global_wait_cap);
        let go_on = waits < self.global_waits && waited + wait <= self.global_wait_total;
        go_on.then_some(wait)
    }

    /// Statuses worth another try; 400/401/403/404 never are.
    pub(crate) fn retryable_status(status: u16) -> bool {
        matches!(status, 408 | 409 | 429) || status >= 500
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1). A `Retry-After` of 0 is
    /// taken as none: a refusal that says "now" is not tried again at once, but after the backoff.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after.filter(|wait| !wait.is_zero()) {
            return wait.min(self.retry_after_cap);
        }
        let exp = self
            .base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.cap);
        // Jitter in [50 %, 100 %] keeps concurrent batches from retrying in lockstep.
        capped.mul_f64(0.5 + fastrand::f64() * 0.5)
    }
}

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // Delay-seconds too large for a number: as long a wait as there is (the caps cut it).
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::MAX);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_retry_after_wait_is_long_enough_to_be_said() {
        let policy = RetryPolicy::default();
        assert!(
            policy.cap < policy.announce_after,
            "a backoff is never said"
        );
        assert!(policy.announce_after < policy.retry_after_cap);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_retry_after("99999999999999999999", now),
            Some(Duration::MAX)
        );
    }

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let p = RetryPolicy::default();
        for attempt in 1..10 {
            let d = p.delay(attempt, None);
            let full = p.base.saturating_mul(1 << (attempt - 1)).min(p.cap);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
        let zero = p.delay(1, Some(Duration::ZERO));
        assert!(zero >= p.base / 2, "{zero:?}: a Retry-After of 0 backs off");
    }

    #[test]
    fn the_global_limit_is_waited_out_as_retry_after_says_within_its_bounds() {
        let p = RetryPolicy::default();
        let five_minutes = Duration::from_secs(300);
        assert_eq!(
            p.next_global(0, Duration::ZERO, five_minutes),
            Some(five_minutes),
            "not cut to the 60 s of other answers"
        );
        assert_eq!(
            p.next_global(0, Duration::ZERO, Duration::from_secs(3600)),
            Some(five_minutes)
        );
        assert_eq!(
            p.next_global(1, five_minutes, five_minutes),
            Some(five_minutes)
        );
        assert_eq!(p.next_global(2, 2 * five_minutes, five_minutes), None);
        let second = Duration::from_secs(1);
        assert_eq!(p.next_global(3, second * 3, second), Some(second));
        assert_eq!(p.next_global(4, second * 4, second), None, "waits bounded");
    }

    #[test]
    fn attempts_and_total_wait_are_bounded() {
        let p = RetryPolicy::default();
        assert!(p.next(1, Duration::ZERO, true, None).is_some());
        assert_eq!(p.next(1, Duration::ZERO, false, None), None);
        assert_eq!(p.next(4, Duration::ZERO, true, None), None);
        let after = Some(Duration::from_secs(60));
        assert_eq!(p.next(2, Duration::from_secs(61), true, after), None);
        assert_eq!(
            p.next(2, Duration::from_secs(60), true, after),
            Some(Duration::from_secs(60))
        );
    }

    #[test]
    fn auth_and_not_found_are_never_retried() {
        for s in [400, 401, 403, 404] {
            assert!(!RetryPolicy::retryable_status(s));
        }
        for s in [408, 409, 429, 500, 502, 503] {
            assert!(RetryPolicy::retryable_status(s));
        }
    }
}
