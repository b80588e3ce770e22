//! The integration tests, one binary: most runs happen in-process against the fake Cloudflare API
//! with a millisecond retry policy; a few start the built binary the way the runner does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod big;
mod cli;
mod confirm;
mod diagnosis;
mod docs;
mod fake;
mod faults;
mod found;
mod found_again;
mod hostile_answers;
mod hostile_inputs;
mod invalidate;
mod purge;
mod robust;
mod secrets;
mod site;
mod support;
mod verify;
mod wait;
mod zones;
