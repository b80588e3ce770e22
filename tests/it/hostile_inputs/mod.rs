//! Hostile inputs in whole runs: long lists in full, no forged command, refused URLs, pasted lines
//! (the properties of the pure functions are unit tests in src/inputs/tests).

mod runs;

use std::collections::HashMap;

use crate::support::*;

/// A workflow command as the runner reads it: name, properties, data (all unescaped).
type Command = (String, Vec<(String, String)>, String);

/// The runner's reading of a workflow command line (actions/runner `ActionCommand.TryParseV2`):
/// the line is trimmed; `::name props::data`; props split at `,` then at the first `=`.
fn parse_command(line: &str) -> Option<Command> {
    let line = line.trim();
    let rest = line.strip_prefix("::")?;
    let end = rest.find("::")?;
    let (info, data) = (&rest[..end], &rest[end + 2..]);
    let (name, props) = match info.split_once(' ') {
        Some((name, props)) => (name, props),
        None => (info, ""),
    };
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), unescape_property(v)))
        .collect();
    Some((name.to_string(), props, unescape_data(data)))
}

fn unescape_data(value: &str) -> String {
    value
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

fn unescape_property(value: &str) -> String {
    value
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}
