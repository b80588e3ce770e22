//! What a hostile black-box pass found (issue 14), each held by a test that failed before the fix.

mod cancel;
mod endpoint;
mod inputs;
mod misplaced;
mod network;
mod outputs;
mod purging;
