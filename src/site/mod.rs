//! Requests to the user's own site, never the API's: the client that sends them without any credential,
//! and the pure judgements of their answers for `confirm` (contract §10) and `wait_for` (§11).

mod cdn;
mod choose;
mod client;
mod confirm;
mod wait;

pub use cdn::Cdn;
pub(crate) use choose::{choose, Check, Choice, PurgedFile, PurgedZone, MAX_CHECKS};
pub use client::{SiteAnswer, SiteClient, SiteFailure};
// Only the tests send a single request of their own (`test_surface::site`).
#[cfg(feature = "docs")]
pub use client::{Get, CONFIRM_BODY, WAIT_BODY};
pub use confirm::{judge, Mode, Unjudged, Verdict};
pub use wait::{poll_delay, read_poll, Poll, WaitClock};
