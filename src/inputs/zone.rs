//! The zone input: zone IDs or domain names in the list syntax (a pasted URL is reduced to its host).

use super::ids::{domain, is_hex_id};
use super::list::{dedup, split_list};
use super::quote::safe_quote;
use crate::diagnosis::Cause;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ZoneRef {
    Id(String),
    Name(String),
}

/// The zones of the `zone` input, each once, in the order given; the warnings are `zone-was-url`s.
pub fn parse(value: &str) -> Result<(Vec<ZoneRef>, Vec<Cause>), Cause> {
    let mut zones = Vec::new();
    let mut warnings = Vec::new();
    let mut invalid = Vec::new();
    for entry in split_list(value) {
        match parse_one(entry) {
            Some((zone, warning)) => {
                zones.push(zone);
                warnings.extend(warning);
            }
            None => invalid.push(safe_quote(entry)),
        }
    }
    if !invalid.is_empty() {
        return Err(Cause::InvalidZone { values: invalid });
    }
    if zones.is_empty() {
        return Err(Cause::MissingZone { peers: Vec::new() });
    }
    Ok((dedup(zones), warnings))
}

/// One zone: an ID, a domain, or a URL whose host is used (with a warning).
fn parse_one(value: &str) -> Option<(ZoneRef, Option<Cause>)> {
    if value.contains('/') {
        let with_scheme = if value.contains("://") {
            value.to_string()
        } else {
            format!("https://{value}")
        };
        let url = url::Url::parse(&with_scheme).ok()?;
        let name = domain(url.host_str()?)?;
        let warning = Cause::ZoneWasUrl { host: name.clone() };
        return Some((ZoneRef::Name(name), Some(warning)));
    }
    if is_hex_id(value) {
        return Some((ZoneRef::Id(value.to_ascii_lowercase()), None));
    }
    domain(value).map(|d| (ZoneRef::Name(d), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(value: &str) -> ZoneRef {
        let (zones, _) = parse(value).unwrap();
        assert_eq!(zones.len(), 1, "{value}");
        zones[0].clone()
    }

    #[test]
    fn zone_forms() {
        let id = "023e105f4ecef8ad9ca31a8372d0c353";
        assert_eq!(one(id), ZoneRef::Id(id.into()));
        assert_eq!(one(&id.to_uppercase()), ZoneRef::Id(id.into()));
        assert_eq!(one("Example.COM."), ZoneRef::Name("example.com".into()));
        assert_eq!(one("bücher.de"), ZoneRef::Name("xn--bcher-kva.de".into()));
        let (zones, warnings) = parse("https://www.example.com/blog/").unwrap();
        assert_eq!(zones, [ZoneRef::Name("www.example.com".into())]);
        assert_eq!(warnings[0].code(), "zone-was-url");
        assert_eq!(parse("example.com/").unwrap().1[0].code(), "zone-was-url");
    }

    #[test]
    fn several_zones_in_the_list_syntax_each_once() {
        let id = "023e105f4ecef8ad9ca31a8372d0c353";
        let (zones, _) = parse(&format!("example.com, {id}\nexample.org example.com")).unwrap();
        assert_eq!(
            zones,
            [
                ZoneRef::Name("example.com".into()),
                ZoneRef::Id(id.into()),
                ZoneRef::Name("example.org".into())
            ]
        );
        let Err(Cause::InvalidZone { values }) = parse("example.com my site") else {
            panic!("not invalid")
        };
        assert_eq!(values, ["my", "site"]);
    }

    #[test]
    fn not_zones() {
        assert_eq!(parse("  ").unwrap_err().code(), "missing-zone");
        for bad in [
            "localhost",
            "023e105f4ecef8ad9ca31a8372d0c35",
            "exa_mple.com",
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
