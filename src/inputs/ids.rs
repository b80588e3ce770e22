//! Ids and domain names: how Cloudflare writes an ID, and a domain name in ASCII.

/// 32 hex characters: how Cloudflare writes zone and account IDs.
pub(crate) fn is_hex_id(value: &str) -> bool {
    value.len() == 32 && value.chars().all(|c| c.is_ascii_hexdigit())
}

/// A registrable-looking domain in ASCII (IDNs are converted to punycode), or `None`.
pub(crate) fn domain(value: &str) -> Option<String> {
    let trimmed = value.trim_end_matches('.');
    let url::Host::Domain(ascii) = url::Host::parse(trimmed).ok()? else {
        return None;
    };
    let labels: Vec<&str> = ascii.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| !t.chars().all(|c| c.is_ascii_digit()));
    (labels.len() >= 2 && ascii.len() <= 253 && labels.iter().all(label_ok) && tld_ok)
        .then_some(ascii)
}
