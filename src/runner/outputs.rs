//! `$GITHUB_OUTPUT`: `name=value` lines, and heredoc blocks with a random delimiter for multi-line values.

use std::io::Write;
use std::path::Path;

/// The file text for these outputs.
pub(crate) fn render_outputs(outputs: &[(&str, String)]) -> String {
    let mut text = String::new();
    for (name, value) in outputs {
        // `<<` too: a reader that looks for `<<` before `=` would take `name=a<<b` for a block.
        if value.contains('\n') || value.contains('\r') || value.contains("<<") {
            let delimiter = delimiter_for(value);
            text.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
        } else {
            text.push_str(&format!("{name}={value}\n"));
        }
    }
    text
}

/// A delimiter that occurs in no line of the value (random, so a value cannot predict it).
fn delimiter_for(value: &str) -> String {
    loop {
        let candidate = format!(
            "ghadelimiter_{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        if !value.lines().any(|l| l.trim_end_matches('\r') == candidate) {
            return candidate;
        }
    }
}

/// Append the outputs to the file the runner named.
pub(crate) fn write_outputs(path: &Path, outputs: &[(&str, String)]) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(render_outputs(outputs).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_multi_line() {
        let text = render_outputs(&[("a", "1".into()), ("failed", "x\ny".into())]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "a=1");
        assert!(lines[1].starts_with("failed<<ghadelimiter_"));
        assert_eq!(&lines[2..4], ["x", "y"]);
        assert_eq!(lines[4], &lines[1]["failed<<".len()..]);
    }
}
