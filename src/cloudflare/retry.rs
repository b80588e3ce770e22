//! When to try a request again and how long to wait: the one retry policy for every endpoint.

use std::time::{Duration, SystemTime};

/// Cloudflare's own SDKs retry 408, 409, 429 and 5xx with 0.5·2ⁿ s backoff capped at 8 s and honour
/// `Retry-After` up to 60 s; this follows them, with one more attempt and a bound on the total wait.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    pub retry_after_cap: Duration,
    /// No retry starts once this much time has been spent waiting.
    pub total_wait: Duration,
    /// Whether a 429 is retried here; off where the caller paces its retries itself (the purge).
    pub retry_rate_limited: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(8),
            retry_after_cap: Duration::from_secs(60),
            total_wait: Duration::from_secs(120),
            retry_rate_limited: true,
        }
    }
}

impl RetryPolicy {
    /// Statuses worth another try; 400/401/403/404 never are.
    pub fn retryable_status(status: u16) -> bool {
        matches!(status, 408 | 409 | 429) || status >= 500
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1).
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
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
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

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
