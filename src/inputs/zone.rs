//! The zone input: a zone ID or a domain name (a pasted URL is reduced to its host).

use crate::diagnosis::Cause;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneRef {
    Id(String),
    Name(String),
}

/// Parse the zone input; `Ok` may carry a `zone-was-url` warning.
pub fn parse(value: &str) -> Result<(ZoneRef, Option<Cause>), Cause> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Cause::MissingZone);
    }
    let invalid = || Cause::InvalidZone {
        value: crate::text::shown(value),
    };
    if value.contains('/') {
        let with_scheme = if value.contains("://") {
            value.to_string()
        } else {
            format!("https://{value}")
        };
        let url = url::Url::parse(&with_scheme).map_err(|_| invalid())?;
        let host = url.host_str().ok_or_else(invalid)?.to_string();
        let name = domain(&host).ok_or_else(invalid)?;
        return Ok((
            ZoneRef::Name(name.clone()),
            Some(Cause::ZoneWasUrl { host: name }),
        ));
    }
    if is_hex_id(value) {
        return Ok((ZoneRef::Id(value.to_ascii_lowercase()), None));
    }
    domain(value)
        .map(|d| (ZoneRef::Name(d), None))
        .ok_or_else(invalid)
}

/// 32 hex characters: how Cloudflare writes zone and account IDs.
pub fn is_hex_id(value: &str) -> bool {
    value.len() == 32 && value.chars().all(|c| c.is_ascii_hexdigit())
}

/// A registrable-looking domain in ASCII (IDNs are converted to punycode), or `None`.
pub fn domain(value: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_forms() {
        let id = "023e105f4ecef8ad9ca31a8372d0c353";
        assert_eq!(parse(id).unwrap().0, ZoneRef::Id(id.into()));
        assert_eq!(parse(&id.to_uppercase()).unwrap().0, ZoneRef::Id(id.into()));
        assert_eq!(
            parse("Example.COM.").unwrap().0,
            ZoneRef::Name("example.com".into())
        );
        assert_eq!(
            parse("bücher.de").unwrap().0,
            ZoneRef::Name("xn--bcher-kva.de".into())
        );
        let (zone, warning) = parse("https://www.example.com/blog/").unwrap();
        assert_eq!(zone, ZoneRef::Name("www.example.com".into()));
        assert_eq!(warning.unwrap().code(), "zone-was-url");
        assert_eq!(
            parse("example.com/").unwrap().1.unwrap().code(),
            "zone-was-url"
        );
    }

    #[test]
    fn not_zones() {
        assert_eq!(parse("  ").unwrap_err().code(), "missing-zone");
        for bad in [
            "localhost",
            "023e105f4ecef8ad9ca31a8372d0c35",
            "exa mple.com",
            "1.2.3.4",
            "-a.com",
            "a..com",
            "https://",
            "example.123",
        ] {
            assert_eq!(parse(bad).unwrap_err().code(), "invalid-zone", "{bad}");
        }
    }
}
