//! Value parsing the inputs share: `mode`, booleans, and the `invalid-input` cause quoting a value.

use super::quote::safe_quote;
use crate::diagnosis::Cause;
use crate::names::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Purge,
    Verify,
}

/// `invalid-input` for `input`, quoting the value as given (one line, cut).
pub(crate) fn invalid(input: Input, value: &str, expected: &str) -> Cause {
    Cause::InvalidInput {
        input,
        value: safe_quote(value),
        expected: expected.to_string(),
    }
}

pub(crate) fn parse_mode(value: &str) -> Result<Mode, Cause> {
    match value.to_ascii_lowercase().as_str() {
        "purge" => Ok(Mode::Purge),
        "verify" => Ok(Mode::Verify),
        _ => Err(invalid(Input::Mode, value, "purge or verify")),
    }
}

pub(crate) fn parse_bool(input: Input, value: &str) -> Result<bool, Cause> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(invalid(input, value, "true or false (also 1/0, yes/no)")),
    }
}
