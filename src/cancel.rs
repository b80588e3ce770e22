//! Cancellation: the runner's SIGTERM or SIGINT, passed to the run as a value it can wait on, with
//! how long a cancelled run may still take.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

/// How long a cancelled run may take. The run takes it as a value, so tests use milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grace {
    /// Requests already sent may take this long to answer before they are abandoned (and
    /// reported as not confirmed): well inside the runner's grace before SIGKILL.
    pub in_flight: Duration,
    /// Should the run not end (blocked opening a FIFO that no one writes, say), the process exits
    /// without the report this long after the signal.
    pub abandon: Duration,
}

impl Default for Grace {
    fn default() -> Self {
        Grace {
            in_flight: Duration::from_secs(3),
            abandon: Duration::from_secs(8),
        }
    }
}

/// Set once, seen everywhere: clones share it.
#[derive(Clone, Default)]
pub struct Cancel {
    inner: Arc<Inner>,
    grace: Grace,
}

#[derive(Default)]
struct Inner {
    /// Set by `cancel`, or by a signal handler itself (`flag`).
    cancelled: Arc<AtomicBool>,
    notify: Notify,
}

impl Cancel {
    /// Not cancelled yet, with this grace once it is.
    pub fn with_grace(grace: Grace) -> Self {
        Cancel {
            inner: Arc::default(),
            grace,
        }
    }

    pub fn grace(&self) -> Grace {
        self.grace
    }

    /// The flag `is_cancelled` reads, for a signal handler to set: a request not sent yet sees it
    /// at once, though the run's runtime looks at signals only every so often. Setting it wakes no
    /// waiter: whoever sets it calls `cancel` soon after.
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.inner.cancelled)
    }

    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Resolves once cancelled (at once if it already was).
    pub(crate) async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

impl std::fmt::Debug for Cancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cancel({})", self.is_cancelled())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_wake_and_late_waiters_return_at_once() {
        let cancel = Cancel::default();
        let waiter = tokio::spawn({
            let cancel = cancel.clone();
            async move { cancel.cancelled().await }
        });
        tokio::task::yield_now().await;
        cancel.cancel();
        waiter.await.unwrap();
        cancel.cancelled().await;
        assert!(cancel.is_cancelled());
    }
}
