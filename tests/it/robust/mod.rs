//! What a hostile black-box pass found (issue 14), each held by a test that failed before the fix.

mod cancel;
mod inputs;
mod misplaced;
mod outputs;
mod purging;
