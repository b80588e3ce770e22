//! Which zone each item goes to, once the zones' names are known (contract §7): a file URL, a host
//! and a prefix to the zone of their host (the longest name wins); a path to every zone, joined to
//! `https://<zone name>` (or to `base_url`, then routed as a URL); tags and `purge_everything` to all.

use super::resolve::Resolved;
use crate::cloudflare::ListKind;
use crate::diagnosis::Cause;
use crate::inputs::items::{files, zone_match, FileItem, FileTarget};
use crate::inputs::list::dedup;
use crate::inputs::quote::safe_quote;
use crate::inputs::{Input, PurgeInputs};
use crate::purge::{ResolvedFile, Work};

/// One `Work` per zone, in the zones' order; `url-outside-zone` for items in none of them.
pub(crate) fn route(
    purge: PurgeInputs,
    zones: &[Resolved],
    base_url: Option<&str>,
) -> Result<Vec<Work>, Cause> {
    let router = Router::new(zones);
    let has_paths = purge
        .files
        .iter()
        .any(|f| matches!(f.target, FileTarget::Path(_)));
    if has_paths && base_url.is_none() && router.unnamed() {
        return Err(Cause::InvalidInput {
            input: Input::BaseUrl,
            value: String::new(),
            expected: "set when files has paths and the credential cannot read the zone's name (no Zone Read permission)".into(),
        });
    }
    let mut works: Vec<Work> = zones.iter().map(|_| Work::default()).collect();
    let mut purge = purge;
    let files = std::mem::take(&mut purge.files);
    let mut outside = route_files(files, &router, base_url, &mut works);
    outside.extend(route_lists(&mut purge, &router, &mut works));
    if !outside.is_empty() && router.unnamed() {
        // They may be in a zone whose name is unknown: that, not the items, is the cause.
        let unnamed = zones.iter().filter(|z| z.name().is_none());
        return Err(Cause::ZoneNamesUnreadable {
            zones: unnamed.map(|z| z.id().to_string()).collect(),
            items: outside,
        });
    }
    if !outside.is_empty() {
        let zones = router.names.into_iter().flatten().collect();
        return Err(Cause::UrlOutsideZone {
            zones,
            items: outside,
        });
    }
    for work in &mut works {
        // Only a path joined to a zone can meet a file already there: the files given are
        // deduplicated as read, and a URL goes to one zone.
        if has_paths {
            work.files = dedup(std::mem::take(&mut work.files));
        }
        // The lists without a host go to every zone.
        let everywhere = ListKind::ALL.into_iter();
        for list in everywhere.filter(|l| zone_match::host_of(*l).is_none()) {
            *work.list_mut(list) = purge.list(list).clone();
        }
        work.everything = purge.everything;
    }
    Ok(works)
}

/// The items of each list with a host moved to their zone's work; those in none, as shown.
fn route_lists(purge: &mut PurgeInputs, router: &Router, works: &mut [Work]) -> Vec<String> {
    let mut outside = Vec::new();
    for list in ListKind::ALL {
        let Some(host_of) = zone_match::host_of(list) else {
            continue;
        };
        for item in std::mem::take(purge.list_mut(list)) {
            match router.zone_of(&host_of(&item)) {
                Some(i) => works[i].list_mut(list).push(item),
                None => outside.push(safe_quote(&item)),
            }
        }
    }
    outside
}

/// Each file to its zone (a path without `base_url` to every zone); the URLs in none.
fn route_files(
    files_given: Vec<FileItem>,
    router: &Router,
    base_url: Option<&str>,
    works: &mut [Work],
) -> Vec<String> {
    let mut outside = Vec::new();
    if let [work] = works {
        work.files = to_one_zone(files_given, router, base_url, &mut outside);
        return outside;
    }
    for file in files_given {
        let url = match (file.target, base_url) {
            (FileTarget::Url(url), _) => url,
            (path, Some(base)) => files::into_url(path, base),
            (path, None) => {
                for (work, name) in works.iter_mut().zip(&router.names) {
                    let base = format!("https://{}", name.as_deref().unwrap_or_default());
                    let url = files::resolve(&path, &base);
                    let headers = file.headers.clone();
                    work.files.push(ResolvedFile { url, headers });
                }
                continue;
            }
        };
        match zone_match::url_host(&url).and_then(|h| router.zone_of(&h)) {
            Some(i) => works[i].files.push(ResolvedFile {
                url,
                headers: file.headers,
            }),
            None => outside.push(safe_quote(&url)),
        }
    }
    outside
}

/// The files of a run with one zone (the common case), routed as `route_files` routes them: each
/// file is at most one of the zone's, so they move into the allocation they came in (collected in
/// place) and are held once.
fn to_one_zone(
    files_given: Vec<FileItem>,
    router: &Router,
    base_url: Option<&str>,
    outside: &mut Vec<String>,
) -> Vec<ResolvedFile> {
    let name = router.names.first().cloned().flatten().unwrap_or_default();
    let base = base_url.map_or_else(|| format!("https://{name}"), str::to_string);
    let files = files_given.into_iter().filter_map(|file| {
        // A path without `base_url` is joined to the zone's name: it is in the zone.
        let checked = matches!(file.target, FileTarget::Url(_)) || base_url.is_some();
        let url = files::into_url(file.target, &base);
        let zone = || zone_match::url_host(&url).and_then(|h| router.zone_of(&h));
        if checked && zone().is_none() {
            outside.push(safe_quote(&url));
            return None;
        }
        Some(ResolvedFile {
            url,
            headers: file.headers,
        })
    });
    files.collect()
}

/// The zones' names, as far as they are known.
struct Router {
    names: Vec<Option<String>>,
}

impl Router {
    fn new(zones: &[Resolved]) -> Self {
        let name = |z: &Resolved| z.name().map(str::to_ascii_lowercase);
        Router {
            names: zones.iter().map(name).collect(),
        }
    }

    fn unnamed(&self) -> bool {
        self.names.iter().any(Option::is_none)
    }

    /// The zone of a host. A lone zone whose name the credential cannot read takes every item:
    /// Cloudflare, not the action, then judges what is in it.
    fn zone_of(&self, host: &str) -> Option<usize> {
        if let [None] = self.names.as_slice() {
            return Some(0);
        }
        let named: Vec<(usize, &str)> = self
            .names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_deref().map(|n| (i, n)))
            .collect();
        let names: Vec<&str> = named.iter().map(|(_, n)| *n).collect();
        zone_match::zone_for(host, &names).map(|k| named[k].0)
    }
}
