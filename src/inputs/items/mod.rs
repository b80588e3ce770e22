//! What to purge, as given: the lists, `purge_everything`, and the checks that need only the inputs.

pub mod files;
pub mod hosts;
pub mod list;
pub mod route;

pub use files::{FileItem, FileTarget, Headers};
pub use list::{dedup, split_list};

use super::context::RunContext;
use super::credential::shown;
use super::options::{invalid, parse_bool, Mode};
use super::raw::RawInputs;
use super::table::Input;
use crate::diagnosis::Cause;

/// Refuse more than this many items in all: beyond it a purge would need more API requests than
/// Cloudflare's 1,200 per 5 minutes allow, even at 500 per request.
pub const MAX_ITEMS: usize = 500_000;

/// What to purge. In verify mode it is ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PurgeInputs {
    pub everything: bool,
    pub files: Vec<FileItem>,
    pub tags: Vec<String>,
    pub hosts: Vec<String>,
    pub prefixes: Vec<String>,
}

impl PurgeInputs {
    fn given_lists(&self) -> Vec<&'static str> {
        let lists = [
            ("files", self.files.is_empty()),
            ("tags", self.tags.is_empty()),
            ("hosts", self.hosts.is_empty()),
            ("prefixes", self.prefixes.is_empty()),
        ];
        lists
            .iter()
            .filter(|(_, empty)| !empty)
            .map(|(name, _)| *name)
            .collect()
    }

    /// Every item as the `failed` output names it (paths as given: they were not joined yet).
    pub fn labels(&self) -> Vec<String> {
        let files = self.files.iter().map(|f| {
            let text = match &f.target {
                FileTarget::Url(text) | FileTarget::Path(text) => text.clone(),
            };
            match &f.headers {
                None => text,
                Some(headers) => serde_json::json!({"url": text, "headers": headers}).to_string(),
            }
        });
        let everything = self.everything.then(|| "everything".to_string());
        files
            .chain(self.tags.iter().cloned())
            .chain(self.hosts.iter().cloned())
            .chain(self.prefixes.iter().cloned())
            .chain(everything)
            .collect()
    }

    fn count(&self) -> usize {
        self.files.len() + self.tags.len() + self.hosts.len() + self.prefixes.len()
    }
}

/// The lists and `purge_everything`, each problem reported; `mode` decides whether an empty
/// request is an error. Repairs come back as warnings.
pub fn read(
    raw: &RawInputs,
    ctx: &RunContext,
    mode: Option<Mode>,
) -> (Result<PurgeInputs, Vec<Cause>>, Vec<Cause>) {
    read_capped(raw, ctx, mode, MAX_ITEMS)
}

/// As `read`, with the cap on items given (counted once each, after duplicates are removed).
fn read_capped(
    raw: &RawInputs,
    ctx: &RunContext,
    mode: Option<Mode>,
    cap: usize,
) -> (Result<PurgeInputs, Vec<Cause>>, Vec<Cause>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let list = |input| dedup(split_list(raw.get(input)).map(str::to_string).collect());
    let everything = parse_bool(Input::PurgeEverything, raw.value(Input::PurgeEverything))
        .map_err(|e| errors.push(e))
        .unwrap_or(false);
    let files = files(raw, ctx)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let hosts = hosts::hosts(list(Input::Hosts));
    let prefixes = hosts::prefixes(list(Input::Prefixes));
    let repaired: Vec<_> = hosts
        .repaired
        .into_iter()
        .chain(prefixes.repaired)
        .collect();
    if !repaired.is_empty() {
        warnings.push(Cause::ItemRepaired { items: repaired });
    }
    if !hosts.rejected.is_empty() {
        errors.push(Cause::InvalidHost {
            items: hosts.rejected,
        });
    }
    if !prefixes.rejected.is_empty() {
        errors.push(Cause::InvalidPrefix {
            items: prefixes.rejected,
        });
    }
    let purge = PurgeInputs {
        everything,
        files,
        tags: list(Input::Tags),
        hosts: dedup(hosts.items),
        prefixes: dedup(prefixes.items),
    };
    // An empty request is only judged when every list could be read.
    if errors.is_empty() {
        errors.extend(requested(&purge, mode, cap));
    }
    if errors.is_empty() {
        (Ok(purge), warnings)
    } else {
        (Err(errors), warnings)
    }
}

/// What the request as a whole asks: not too much, not nothing, not everything and lists at once.
fn requested(purge: &PurgeInputs, mode: Option<Mode>, cap: usize) -> Option<Cause> {
    let total = purge.count();
    if total > cap {
        let expected = format!("at most {cap} items in all");
        return Some(invalid(Input::Files, &format!("{total} items"), &expected));
    }
    if mode == Some(Mode::Verify) {
        return None;
    }
    let lists = purge.given_lists();
    if purge.everything && !lists.is_empty() {
        return Some(Cause::ConflictingPurgeInputs { lists });
    }
    if !purge.everything && lists.is_empty() {
        return Some(Cause::NothingToPurge);
    }
    None
}

fn files(raw: &RawInputs, ctx: &RunContext) -> Result<Vec<FileItem>, Cause> {
    let mut given = files::parse_files(raw.get(Input::Files))?;
    let from = raw.get(Input::FilesFrom).trim();
    if !from.is_empty() {
        given.extend(files::read_list_file(&ctx.resolve(from))?);
    }
    let mut bad = Vec::new();
    let mut wildcards = Vec::new();
    let mut items = Vec::with_capacity(given.len());
    for files::Given { text, headers } in given {
        // A URL with a space in it is two items run together (or a comment): url would
        // percent-encode it and Cloudflare purge a URL nobody serves.
        let whole = !text.contains(|c: char| c.is_whitespace() || c.is_control());
        match files::target_of(&text) {
            Some(_) if !whole => bad.push(crate::inputs::credential::shown(&text)),
            Some(_) if text.contains('*') => {
                wildcards.push(crate::inputs::credential::shown(&text))
            }
            Some(target) => items.push(FileItem { target, headers }),
            None => bad.push(crate::inputs::credential::shown(&text)),
        }
    }
    if !bad.is_empty() {
        return Err(Cause::InvalidUrl { items: bad });
    }
    if !wildcards.is_empty() {
        return Err(Cause::FilesWildcard { items: wildcards });
    }
    Ok(dedup(items))
}

/// `url-outside-zone` for the items (file URLs, hosts, prefixes) in none of the zones named. Paths
/// belong to every zone, unless `base_url` makes them URLs.
pub fn outside_zones(purge: &PurgeInputs, names: &[&str], base_url: Option<&str>) -> Option<Cause> {
    let outside = |host: &str| route::zone_for(host, names).is_none();
    let mut items: Vec<String> = Vec::new();
    for file in &purge.files {
        let url = match (&file.target, base_url) {
            (FileTarget::Url(url), _) => url.clone(),
            (FileTarget::Path(_), Some(base)) => files::resolve(&file.target, base),
            (FileTarget::Path(_), None) => continue,
        };
        if route::url_host(&url).is_none_or(|h| outside(&h)) {
            items.push(shown(&url));
        }
    }
    let hosts = purge.hosts.iter().filter(|h| outside(&route::host(h)));
    items.extend(hosts.map(|h| shown(h)));
    let prefixes = purge.prefixes.iter();
    items.extend(
        prefixes
            .filter(|p| outside(&route::prefix_host(p)))
            .map(|p| shown(p)),
    );
    (!items.is_empty()).then(|| Cause::UrlOutsideZone {
        zones: names.iter().map(|n| n.to_string()).collect(),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_counts_items_once() {
        let mut raw = RawInputs::default();
        raw.set(Input::Files, "/a /b /a /b /a");
        raw.set(Input::Tags, "t t");
        let ctx = RunContext::default();
        let (read, _) = read_capped(&raw, &ctx, Some(Mode::Purge), 3);
        assert_eq!(read.map(|p| p.count()), Ok(3));
        let (read, _) = read_capped(&raw, &ctx, Some(Mode::Purge), 2);
        let errors = read.unwrap_err();
        assert_eq!(errors[0].code(), "invalid-input");
    }
}
