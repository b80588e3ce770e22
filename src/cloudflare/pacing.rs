//! Client-side pacing: a token bucket per limit (each purge lane's, and the global budget every
//! request spends), so requests go as fast as allowed and no faster.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Starts full; `take` reserves tokens at once (possibly going negative) and waits for the debt
/// to refill, so concurrent callers are served in the order they asked.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    capacity: f64,
    rate: f64,
    /// The tokens as of an instant: the last reservation's, or the end of a [`Self::hold`] (then
    /// in the future: nothing refills, and nothing goes, before it).
    state: Mutex<(f64, Instant)>,
}

impl TokenBucket {
    pub(crate) fn new(capacity: f64, rate_per_second: f64) -> Self {
        TokenBucket {
            capacity,
            rate: rate_per_second,
            state: Mutex::new((capacity, Instant::now())),
        }
    }

    /// Like `new`, but the first burst is `held_back` worth of tokens short of full. The server's
    /// bucket starts refilling only when the first burst arrives, and that burst travels on new
    /// connections, so it lands later than the requests after it: holding back a little of it
    /// keeps the server's bucket from running a few milliseconds short.
    pub(crate) fn holding_back(capacity: f64, rate_per_second: f64, held_back: Duration) -> Self {
        let start = (capacity - held_back.as_secs_f64() * rate_per_second).max(0.0);
        TokenBucket {
            capacity,
            rate: rate_per_second,
            state: Mutex::new((start, Instant::now())),
        }
    }

    /// How long the caller must wait before spending `cost` tokens (reserving them now).
    pub(crate) fn reserve(&self, cost: f64) -> Duration {
        let mut state = self.lock();
        let now = Instant::now();
        let (tokens, last) = *state;
        // During a hold `last` is its end: the tokens are counted from there.
        let from = now.max(last);
        let refilled =
            (tokens + from.duration_since(last).as_secs_f64() * self.rate).min(self.capacity);
        let left = refilled - cost;
        *state = (left, from);
        let debt = match left >= 0.0 {
            true => Duration::ZERO,
            false => Duration::from_secs_f64(-left / self.rate),
        };
        from.duration_since(now) + debt
    }

    /// Reserve `cost` and wait until it is covered. A caller that stops waiting (its batch was
    /// withheld) gives its reservation back, so the callers after it do not pay for it.
    pub(crate) async fn take(&self, cost: f64) {
        let wait = self.reserve(cost);
        if wait.is_zero() {
            return;
        }
        let mut unspent = Unspent {
            bucket: self,
            cost: Some(cost),
        };
        tokio::time::sleep(wait).await;
        unspent.cost = None;
    }

    /// Let nothing through for `wait`: the server said its budget is spent until then, when its
    /// window starts again, full. Whether no hold was in force already (requests refused together
    /// share one hold, and the log tells of it once).
    pub(crate) fn hold(&self, wait: Duration) -> bool {
        let mut state = self.lock();
        let now = Instant::now();
        let in_force = state.1 > now;
        *state = (self.capacity, state.1.max(now + wait));
        !in_force
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (f64, Instant)> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn give_back(&self, cost: f64) {
        let mut state = self.lock();
        state.0 = (state.0 + cost).min(self.capacity);
    }
}

/// A reservation not yet waited out: given back when dropped.
struct Unspent<'a> {
    bucket: &'a TokenBucket,
    cost: Option<f64>,
}

impl Drop for Unspent<'_> {
    fn drop(&mut self) {
        if let Some(cost) = self.cost {
            self.bucket.give_back(cost);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_bucket_then_debt() {
        let b = TokenBucket::new(10.0, 5.0);
        assert_eq!(b.reserve(10.0), Duration::ZERO);
        let wait = b.reserve(5.0);
        assert!(
            wait > Duration::from_millis(990) && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        let wait = b.reserve(5.0);
        assert!(
            wait > Duration::from_millis(1990) && wait <= Duration::from_secs(2),
            "{wait:?}"
        );
    }

    #[tokio::test]
    async fn a_wait_given_up_gives_its_reservation_back() {
        let b = TokenBucket::new(10.0, 5.0);
        assert_eq!(b.reserve(10.0), Duration::ZERO);
        let abandoned = tokio::time::timeout(Duration::from_millis(10), b.take(5.0)).await;
        assert!(abandoned.is_err());
        let wait = b.reserve(5.0);
        assert!(
            wait <= Duration::from_secs(1),
            "{wait:?}: paid for the abandoned one"
        );
    }

    #[test]
    fn a_hold_lets_nothing_through_until_it_ends_then_the_bucket_is_full() {
        let b = TokenBucket::new(10.0, 5.0);
        assert_eq!(b.reserve(10.0), Duration::ZERO);
        assert!(b.hold(Duration::from_secs(3)));
        assert!(!b.hold(Duration::from_secs(2)), "a hold in force");
        for _ in 0..10 {
            let wait = b.reserve(1.0);
            assert!(
                wait > Duration::from_millis(2990) && wait <= Duration::from_secs(3),
                "{wait:?}: the window starts again full"
            );
        }
        let wait = b.reserve(1.0);
        assert!(
            wait > Duration::from_millis(3190) && wait <= Duration::from_millis(3200),
            "{wait:?}: then at the refill rate"
        );
    }

    #[test]
    fn held_back_tokens_delay_the_end_of_the_first_burst() {
        let b = TokenBucket::holding_back(10.0, 5.0, Duration::from_millis(200));
        assert_eq!(b.reserve(9.0), Duration::ZERO);
        let wait = b.reserve(1.0);
        assert!(
            wait > Duration::from_millis(190) && wait <= Duration::from_millis(200),
            "{wait:?}"
        );
    }
}
