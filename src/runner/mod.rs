//! The runner protocol: workflow commands (escaped), masks, outputs and the step summary.

mod commands;
mod outputs;
mod report;
mod summary;

pub use commands::{escape_data, escape_property, sanitize_line, Runner};
pub use outputs::{render_outputs, write_outputs};
pub use report::{Check, Mark, PurgeReport, Report};
pub use summary::render_summary;

/// 12345 → "12,345", as people read counts.
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

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(10_000), "10,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
