//! Which URLs `confirm` checks (contract §10, "Which URLs"): at most ten, evenly across zones, each
//! one that was purged.

use url::Url;

/// The most URLs one run checks.
pub(crate) const MAX_CHECKS: usize = 10;

/// A purged `files` item: its URL, its cache-key headers, and the batch it was accepted in (an
/// index of the caller's, handed back with the check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PurgedFile {
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) batch: usize,
}

/// What one zone had purged (accepted batches only), with the batch of each item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PurgedZone {
    /// The zone's name, e.g. `example.com`.
    pub(crate) name: String,
    pub(crate) files: Vec<PurgedFile>,
    pub(crate) hosts: Vec<(String, usize)>,
    /// Without a scheme, as Cloudflare takes them: `www.example.com/blog/`.
    pub(crate) prefixes: Vec<(String, usize)>,
    pub(crate) everything: Option<usize>,
    /// The batch of the zone's tags, when tags were purged.
    pub(crate) tags: Option<usize>,
}

/// Where a checked URL came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    File,
    ConfirmUrl,
    /// `https://<host>/` for a purged host.
    Host,
    /// `https://<prefix>` for a purged prefix.
    Prefix,
    /// `https://<zone name>/` for a purge of everything.
    Everything,
}

/// One URL to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Check {
    /// Index into the zones given to [`choose`].
    pub(crate) zone: usize,
    pub(crate) url: Url,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) batch: usize,
    pub(crate) origin: Origin,
}

/// The URLs chosen, and what was not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Choice {
    pub(crate) checks: Vec<Check>,
    /// Candidates past [`MAX_CHECKS`].
    pub(crate) left_out: usize,
    /// Zones that purged only tags and have no `confirm_urls`: a notice, nothing checked.
    pub(crate) tags_unchecked: Vec<String>,
    /// `confirm_urls` that no purge of theirs covered.
    pub(crate) not_purged: Vec<Url>,
}

/// Choose the URLs to check: per zone its files, then its `confirm_urls`; a zone without
/// `confirm_urls` also checks its hosts, prefixes or everything at the URL they stand for. Zones
/// take turns, so ten checks spread over every zone.
pub(crate) fn choose(zones: &[PurgedZone], confirm_urls: &[Url]) -> Choice {
    let mut choice = Choice::default();
    let mut given: Vec<Vec<Check>> = vec![Vec::new(); zones.len()];
    for url in confirm_urls {
        match covered(zones, url) {
            Some((zone, batch)) => given[zone].push(Check {
                zone,
                url: url.clone(),
                headers: Vec::new(),
                batch,
                origin: Origin::ConfirmUrl,
            }),
            None => choice.not_purged.push(url.clone()),
        }
    }
    let mut lists = Vec::new();
    for ((index, zone), confirm) in zones.iter().enumerate().zip(given) {
        let fallback = confirm.is_empty();
        let mut list = files(index, zone);
        list.extend(confirm);
        if fallback {
            list.extend(stand_ins(index, zone));
        }
        dedup(&mut list);
        if list.is_empty() && zone.tags.is_some() {
            choice.tags_unchecked.push(zone.name.clone());
        }
        lists.push(list.into_iter());
    }
    let total: usize = lists.iter().map(|l| l.len()).sum();
    while choice.checks.len() < MAX_CHECKS.min(total) {
        for list in &mut lists {
            if choice.checks.len() < MAX_CHECKS {
                choice.checks.extend(list.next());
            }
        }
    }
    choice.left_out = total - choice.checks.len();
    choice
}

fn files(zone: usize, purged: &PurgedZone) -> Vec<Check> {
    purged
        .files
        .iter()
        .filter_map(|f| {
            Some(Check {
                zone,
                url: Url::parse(&f.url).ok()?,
                headers: f.headers.clone(),
                batch: f.batch,
                origin: Origin::File,
            })
        })
        .collect()
}

/// The URL each host, prefix or everything stands for.
fn stand_ins(zone: usize, purged: &PurgedZone) -> Vec<Check> {
    let hosts = purged
        .hosts
        .iter()
        .map(|(h, b)| (format!("{h}/"), *b, Origin::Host));
    let prefixes = purged
        .prefixes
        .iter()
        .map(|(p, b)| (p.clone(), *b, Origin::Prefix));
    let everything = purged
        .everything
        .map(|b| (format!("{}/", purged.name), b, Origin::Everything));
    hosts
        .chain(prefixes)
        .chain(everything)
        .filter_map(|(url, batch, origin)| {
            Some(Check {
                zone,
                url: Url::parse(&format!("https://{url}")).ok()?,
                headers: Vec::new(),
                batch,
                origin,
            })
        })
        .collect()
}

/// The zone a `confirm_urls` URL belongs to (the longest name that is its host or a parent of
/// it), and the batch whose purge covered it.
fn covered(zones: &[PurgedZone], url: &Url) -> Option<(usize, usize)> {
    let host = url.host_str()?.to_ascii_lowercase();
    let (index, zone) = zones
        .iter()
        .enumerate()
        .filter(|(_, z)| {
            let name = z.name.to_ascii_lowercase();
            host == name || host.ends_with(&format!(".{name}"))
        })
        .max_by_key(|(_, z)| z.name.len())?;
    let bare = format!("{host}{}", url.path());
    let file = zone
        .files
        .iter()
        .find(|f| Url::parse(&f.url).ok().as_ref() == Some(url))
        .map(|f| f.batch);
    let by_host = zone
        .hosts
        .iter()
        .find(|(h, _)| h.eq_ignore_ascii_case(&host));
    let by_prefix = zone.prefixes.iter().find(|(p, _)| {
        // Host names match in any case; paths as written.
        let (prefix_host, path) = p.split_at(p.find('/').unwrap_or(p.len()));
        bare.starts_with(&format!("{}{path}", prefix_host.to_ascii_lowercase()))
    });
    let batch = file
        .or(by_host.map(|(_, b)| *b))
        .or(by_prefix.map(|(_, b)| *b))
        .or(zone.everything)
        .or(zone.tags)?;
    Some((index, batch))
}

/// The same URL with the same headers is checked once.
fn dedup(list: &mut Vec<Check>) {
    let mut seen = Vec::new();
    list.retain(|c| {
        let key = (c.url.clone(), c.headers.clone());
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(url: &str, batch: usize) -> PurgedFile {
        PurgedFile {
            url: url.into(),
            headers: Vec::new(),
            batch,
        }
    }

    fn zone(name: &str) -> PurgedZone {
        PurgedZone {
            name: name.into(),
            ..PurgedZone::default()
        }
    }

    fn urls(choice: &Choice) -> Vec<String> {
        choice.checks.iter().map(|c| c.url.to_string()).collect()
    }

    #[test]
    fn ten_urls_are_spread_evenly_over_the_zones() {
        let mut a = zone("example.com");
        a.files = (0..20)
            .map(|n| file(&format!("https://example.com/{n}"), n / 10))
            .collect();
        let mut b = zone("shop.example");
        b.files = vec![
            file("https://shop.example/x", 7),
            file("https://shop.example/y", 8),
        ];
        let choice = choose(&[a, b], &[]);
        assert_eq!(choice.checks.len(), MAX_CHECKS);
        assert_eq!(choice.left_out, 12);
        let per_zone = |z| choice.checks.iter().filter(|c| c.zone == z).count();
        assert_eq!((per_zone(0), per_zone(1)), (8, 2));
        assert_eq!(
            urls(&choice)[..4],
            [
                "https://example.com/0",
                "https://shop.example/x",
                "https://example.com/1",
                "https://shop.example/y"
            ]
        );
        assert_eq!(choice.checks[1].batch, 7);
    }

    #[test]
    fn a_file_keeps_its_cache_key_headers_and_duplicates_go() {
        let mut a = zone("example.com");
        let mut mobile = file("https://example.com/", 0);
        mobile.headers = vec![("CF-Device-Type".into(), "mobile".into())];
        a.files = vec![
            file("https://example.com/", 0),
            mobile.clone(),
            file("https://example.com/", 1),
        ];
        let choice = choose(&[a], &[]);
        assert_eq!(choice.checks.len(), 2);
        assert_eq!(choice.checks[1].headers, mobile.headers);
    }

    #[test]
    fn hosts_prefixes_and_everything_stand_for_their_urls_without_confirm_urls() {
        let mut a = zone("example.com");
        a.hosts = vec![("www.example.com".into(), 0)];
        a.prefixes = vec![("example.com/blog/".into(), 1)];
        let mut b = zone("shop.example");
        b.everything = Some(2);
        let mut c = zone("other.example");
        c.tags = Some(3);
        let choice = choose(&[a, b, c], &[]);
        assert_eq!(
            urls(&choice),
            [
                "https://www.example.com/",
                "https://shop.example/",
                "https://example.com/blog/"
            ]
        );
        let origins: Vec<_> = choice.checks.iter().map(|c| c.origin).collect();
        assert_eq!(origins, [Origin::Host, Origin::Everything, Origin::Prefix]);
        assert_eq!(choice.tags_unchecked, ["other.example"]);
    }

    #[test]
    fn confirm_urls_are_checked_only_where_a_purge_covered_them() {
        let mut a = zone("example.com");
        a.hosts = vec![("www.example.com".into(), 0)];
        a.prefixes = vec![("Example.com/blog/".into(), 1)];
        let mut c = zone("other.example");
        c.tags = Some(3);
        let given: Vec<Url> = [
            "https://example.com/Blog/b",
            "https://www.example.com/a",
            "https://example.com/blog/b",
            "https://example.com/shop",
            "https://cdn.other.example/app.js",
            "https://elsewhere.example/",
        ]
        .iter()
        .map(|u| Url::parse(u).unwrap())
        .collect();
        let choice = choose(&[a, c], &given);
        assert_eq!(
            urls(&choice),
            [
                "https://www.example.com/a",
                "https://cdn.other.example/app.js",
                "https://example.com/blog/b"
            ]
        );
        let batches: Vec<_> = choice.checks.iter().map(|c| c.batch).collect();
        assert_eq!(batches, [0, 3, 1]);
        assert!(choice.tags_unchecked.is_empty());
        let not: Vec<_> = choice.not_purged.iter().map(Url::as_str).collect();
        assert_eq!(
            not,
            [
                "https://example.com/Blog/b",
                "https://example.com/shop",
                "https://elsewhere.example/"
            ]
        );
    }
}
