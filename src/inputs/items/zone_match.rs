//! Which zone an item belongs to: the listed zone whose name is its host or a parent domain of it;
//! where several are, the longest name wins (`shop.example.com` before `example.com`). Each list's
//! items name their host in their own way (`host_of`).

use url::Url;

use crate::cloudflare::ListKind;

/// A file URL's host, lower-case, without a trailing dot.
pub(crate) fn url_host(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    Some(normal(url.host_str()?))
}

/// A prefix's host: what comes before its first `/` (after a pasted scheme, if any).
pub(crate) fn prefix_host(prefix: &str) -> String {
    let rest = prefix.split_once("://").map_or(prefix, |(_, rest)| rest);
    normal(rest.split('/').next().unwrap_or(rest))
}

/// A host item, as routing compares it.
pub(crate) fn host(host: &str) -> String {
    normal(host)
}

fn normal(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The host that routes an item of a list to its zone, or `None` for a list whose items go to
/// every zone (tags).
pub(crate) fn host_of(list: ListKind) -> Option<fn(&str) -> String> {
    match list {
        ListKind::Tags => None,
        ListKind::Hosts => Some(host),
        ListKind::Prefixes => Some(prefix_host),
    }
}

/// The index of the zone `host` belongs to, among zone `names`.
pub(crate) fn zone_for(host: &str, names: &[&str]) -> Option<usize> {
    names
        .iter()
        .enumerate()
        .filter(|(_, name)| host == **name || host.ends_with(&format!(".{name}")))
        .max_by_key(|(_, name)| name.len())
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_matching_zone_wins() {
        let zones = ["example.com", "shop.example.com", "example.org"];
        assert_eq!(zone_for("example.com", &zones), Some(0));
        assert_eq!(zone_for("www.example.com", &zones), Some(0));
        assert_eq!(zone_for("cdn.shop.example.com", &zones), Some(1));
        assert_eq!(zone_for("example.org", &zones), Some(2));
        assert_eq!(zone_for("badexample.com", &zones), None);
        assert_eq!(
            url_host("https://WWW.Example.com./a"),
            Some("www.example.com".into())
        );
        assert_eq!(prefix_host("Example.com/blog/"), "example.com");
        assert_eq!(prefix_host("https://example.com/blog/"), "example.com");
    }
}
