//! What a hostile black-box pass found (issue 14), each held by a test that failed before the fix.

mod cancel;
mod outputs;
mod purging;
