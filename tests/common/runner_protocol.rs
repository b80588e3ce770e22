//! The runner's side of its protocol, as tests read what the action wrote: workflow commands and
//! `$GITHUB_OUTPUT`. Shared by the unit tests (`src/inputs/tests`) and the integration tests
//! (`tests/it/support`), so both read the action's lines one way.

#![allow(dead_code)]

use std::collections::HashMap;

/// A workflow command as the runner reads it: name, properties, data (all unescaped).
pub type Command = (String, Vec<(String, String)>, String);

/// The runner's reading of a workflow command line (actions/runner `ActionCommand.TryParseV2`):
/// the line is trimmed; `::name props::data`; props split at `,` then at the first `=`.
pub fn parse_command(line: &str) -> Option<Command> {
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

pub fn unescape_data(value: &str) -> String {
    value
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

pub fn unescape_property(value: &str) -> String {
    value
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// `$GITHUB_OUTPUT` as the runner reads it: `name=value` lines and `name<<DELIM … DELIM` blocks.
pub fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut outputs = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = vec![];
            for l in lines.by_ref() {
                if l == delimiter {
                    break;
                }
                value.push(l);
            }
            outputs.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_string(), value.to_string());
        }
    }
    outputs
}
