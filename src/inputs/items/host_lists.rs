//! `hosts` and `prefixes`, checked offline against what Cloudflare's purge accepts: a pasted scheme (and
//! a host's trailing `/`) is repaired with a warning; what would purge nothing or be refused is an error.

use crate::diagnosis::{Rejected, Repaired};
use crate::inputs::ids::domain;
use crate::inputs::quote::safe_quote;

/// Cloudflare's purge-by-prefix page: at most 31 `/` separators in a prefix.
pub(crate) const MAX_PREFIX_SEPARATORS: usize = 31;

/// A list after its checks: what to send, what was repaired, what cannot be sent.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub(crate) items: Vec<String>,
    pub(crate) repaired: Vec<Repaired>,
    pub(crate) rejected: Vec<Rejected>,
}

impl Checked {
    /// Keep `cleaned`, or reject `given`; `bare` is `given` without what a repair removed.
    fn take(&mut self, given: &str, bare: &str, cleaned: String, problem: Option<&'static str>) {
        if let Some(why) = problem {
            self.rejected.push(Rejected {
                item: safe_quote(given),
                why,
            });
            return;
        }
        if bare != given {
            self.repaired.push(Repaired {
                from: safe_quote(given),
                to: cleaned.clone(),
            });
        }
        self.items.push(cleaned);
    }
}

/// Without `http://` or `https://` in front, whatever the case.
fn without_scheme(item: &str) -> &str {
    let lower = item.get(..8).unwrap_or(item).to_ascii_lowercase();
    if lower.starts_with("https://") {
        &item[8..]
    } else if lower.starts_with("http://") {
        &item[7..]
    } else {
        item
    }
}

pub(crate) fn hosts(given: Vec<String>) -> Checked {
    let mut checked = Checked::default();
    for item in given {
        let bare = without_scheme(&item).trim_end_matches('/');
        let problem = host_problem(bare);
        // IDNs go as Cloudflare names them, in punycode.
        let cleaned = domain(bare).unwrap_or_else(|| bare.to_string());
        checked.take(&item, bare, cleaned, problem);
    }
    checked
}

fn host_problem(host: &str) -> Option<&'static str> {
    if host.contains('*') {
        Some("a host cannot hold a wildcard: list each host")
    } else if host.contains('/') {
        Some("a host has no path: use prefixes for a path")
    } else if host.contains('@') {
        Some("a host has no user name or password")
    } else if host.contains(':') {
        Some("a host has no port: Cloudflare purges every port of it")
    } else if domain(host).is_none() {
        Some("not a host name")
    } else {
        None
    }
}

pub(crate) fn prefixes(given: Vec<String>) -> Checked {
    let mut checked = Checked::default();
    for item in given {
        let bare = without_scheme(&item);
        let problem = prefix_problem(bare);
        checked.take(&item, bare, ascii_host(bare), problem);
    }
    checked
}

/// A prefix as it is sent: an internationalised host in punycode, as hosts are and as Cloudflare
/// names the zone; an ASCII one as written.
fn ascii_host(prefix: &str) -> String {
    let host = prefix.split('/').next().unwrap_or(prefix);
    match domain(host) {
        Some(ascii) if !host.is_ascii() => prefix.replacen(host, &ascii, 1),
        _ => prefix.to_string(),
    }
}

fn prefix_problem(prefix: &str) -> Option<&'static str> {
    let host = prefix.split('/').next().unwrap_or_default();
    if prefix.contains('?') {
        Some("a prefix has no query string: Cloudflare matches the path only")
    } else if prefix.contains('#') {
        Some("a prefix has no fragment")
    } else if prefix.contains('*') {
        Some("a prefix is matched as written: a wildcard matches nothing")
    } else if domain(host).is_none() {
        Some("a prefix starts with the host name (example.com/blog/)")
    } else if prefix.matches('/').count() > MAX_PREFIX_SEPARATORS {
        Some("more than 31 / separators, Cloudflare's limit for a prefix")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_prefix_on_an_internationalised_host_is_sent_in_punycode_like_a_host() {
        let c = prefixes(strings(&["bücher.example/p/", "https://bücher.example/q/"]));
        assert!(c.rejected.is_empty(), "{:?}", c.rejected);
        assert_eq!(
            c.items,
            ["xn--bcher-kva.example/p/", "xn--bcher-kva.example/q/"]
        );
        let zones = ["xn--bcher-kva.example"];
        for item in &c.items {
            let host = crate::inputs::items::zone_match::prefix_host(item);
            assert_eq!(
                crate::inputs::items::zone_match::zone_for(&host, &zones),
                Some(0)
            );
        }
        assert_eq!(
            prefixes(strings(&["Example.com/Blog/"])).items,
            ["Example.com/Blog/"]
        );
        // An invisible character is sent as the host was checked, without it.
        let c = prefixes(strings(&[
            "www.exam\u{ad}ple.com/p/",
            "www.example\u{ff0e}com/q/",
        ]));
        assert_eq!(c.items, ["www.example.com/p/", "www.example.com/q/"]);
        assert_eq!(
            hosts(strings(&["www.exam\u{200b}ple.com"])).items,
            ["www.example.com"]
        );
    }

    #[test]
    fn hosts_are_repaired_or_rejected() {
        let c = hosts(strings(&[
            "www.example.com",
            "https://img.example.com/",
            "HTTP://Shop.Example/",
            "example.com/blog",
            "example.com:8443",
            "user@example.com",
            "*.example.com",
            "not a host",
        ]));
        assert_eq!(
            c.items,
            ["www.example.com", "img.example.com", "shop.example"]
        );
        assert_eq!(c.repaired.len(), 2);
        assert_eq!(c.repaired[0].to, "img.example.com");
        let why: Vec<&str> = c.rejected.iter().map(|r| r.item.as_str()).collect();
        assert_eq!(
            why,
            [
                "example.com/blog",
                "example.com:8443",
                "user@example.com",
                "*.example.com",
                "not a host"
            ]
        );
    }

    #[test]
    fn prefixes_follow_cloudflares_limits() {
        let deep = format!("example.com{}", "/a".repeat(32));
        let ok = format!("example.com{}", "/a".repeat(31));
        let c = prefixes(strings(&[
            "example.com/blog/",
            "https://example.com/docs/",
            "example.com/a?x=1",
            "example.com/a#top",
            "example.com/assets/*",
            "/blog/",
            &deep,
            &ok,
        ]));
        assert_eq!(
            c.items,
            ["example.com/blog/", "example.com/docs/", ok.as_str()]
        );
        assert_eq!(c.repaired[0].from, "https://example.com/docs/");
        assert_eq!(c.rejected.len(), 5);
        assert!(c.rejected[4].why.contains("31"));
    }
}
