//! Small text helpers every message shares: counts as people read them, plurals, one-line and cut values.

/// 12345 → "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 request", "3 requests", "2 retries", "1,200 batches".
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        return format!("1 {word}");
    }
    let many = match word.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ if word.ends_with("ch") || word.ends_with('s') || word.ends_with('x') => {
            format!("{word}es")
        }
        _ => format!("{word}s"),
    };
    format!("{} {many}", thousands(n))
}

/// "is" or "are" for a count.
pub(crate) fn is_are(n: usize) -> &'static str {
    if n == 1 {
        "is"
    } else {
        "are"
    }
}

/// The word that agrees with a count: `for_count(1, "was", "were")` is "was".
pub(crate) fn for_count<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Words in lines of at most `width` characters; a longer word stands alone on its line.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Control characters become spaces, so a value cannot start a new line (and with it a workflow
/// command or an output of its own).
pub(crate) fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// At most `max` characters, with "…" when something was cut.
pub(crate) fn cut(value: &str, max: usize) -> String {
    // No more bytes than `max`: no more characters either.
    if value.len() <= max {
        return value.to_string();
    }
    match value.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// A value the user gave, as it may be quoted back: one line, at most 80 characters.
pub(crate) fn shown(value: &str) -> String {
    cut(&one_line(value), 80)
}

/// At most ten items, then "and N more".
pub(crate) fn list_some(items: &[String]) -> String {
    const MAX: usize = 10;
    let shown: Vec<&str> = items.iter().take(MAX).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if items.len() > MAX {
        s.push_str(&format!(" and {} more", thousands(items.len() - MAX)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_keep_every_word_within_the_width() {
        let text = "one two three four five six seven eight nine ten";
        let lines = wrap(text, 14);
        assert_eq!(
            lines,
            ["one two three", "four five six", "seven eight", "nine ten"]
        );
        assert!(lines.iter().all(|l| l.len() <= 14));
        assert_eq!(
            wrap("a unbreakable-word-longer b", 5),
            ["a", "unbreakable-word-longer", "b"]
        );
        assert!(wrap("  ", 10).is_empty());
    }

    #[test]
    fn counts_and_plurals() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(plural(1, "retry"), "1 retry");
        assert_eq!(plural(2, "retry"), "2 retries");
        assert_eq!(plural(0, "day"), "0 days");
        assert_eq!(plural(1200, "batch"), "1,200 batches");
        assert_eq!(plural(3, "URL"), "3 URLs");
    }

    #[test]
    fn values_become_one_short_line() {
        assert_eq!(one_line("x\n::error::forged"), "x ::error::forged");
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("añc", 3), "añc");
        assert_eq!(shown(&"é".repeat(100)).chars().count(), 81);
        let many: Vec<String> = (0..12).map(|i| i.to_string()).collect();
        assert!(list_some(&many).ends_with("9 and 2 more"));
    }
}
