//! What to purge, as given: the lists, `purge_everything`, and the checks that need only the inputs.

pub mod files;
pub mod hosts;
pub mod list;
pub mod route;

pub use files::{FileItem, FileTarget, GivenKind, Headers};
pub use list::{dedup, split_list};

use super::context::RunContext;
use super::credential::shown;
use super::options::{invalid, parse_bool, Mode};
use super::raw::RawInputs;
use super::table::Input;
use crate::diagnosis::Cause;

/// How the `failed` output names an item, in a form `files` reads back as the same item: a file as
/// it is, in its JSON form when it has cache-key headers or a comma (which the list syntax would
/// split); an item of another list as `{"tag": …}`, `{"host": …}`, `{"prefix": …}`, and
/// `{"purge_everything": true}`.
pub fn label(kind: GivenKind, text: &str, headers: Option<&Headers>) -> String {
    let key = files::KIND_KEYS
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(key, _)| *key);
    match (kind, key, headers) {
        (GivenKind::Everything, _, _) => serde_json::json!({"purge_everything": true}).to_string(),
        (GivenKind::File, _, Some(headers)) => {
            serde_json::json!({"url": text, "headers": headers}).to_string()
        }
        (GivenKind::File, _, None) if text.contains(',') => {
            serde_json::json!({"url": text}).to_string()
        }
        (GivenKind::File, _, None) => text.to_string(),
        (_, Some(key), _) => serde_json::json!({ key: text }).to_string(),
        (_, None, _) => text.to_string(),
    }
}

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
    fn given_lists(&self) -> Vec<Input> {
        let lists = [
            (Input::Files, self.files.is_empty()),
            (Input::Tags, self.tags.is_empty()),
            (Input::Hosts, self.hosts.is_empty()),
            (Input::Prefixes, self.prefixes.is_empty()),
        ];
        lists
            .iter()
            .filter(|(_, empty)| !empty)
            .map(|(name, _)| *name)
            .collect()
    }

    /// Every item as the `failed` output names it ([`label`]; paths as given: not joined yet).
    pub fn labels(&self) -> Vec<String> {
        let files = self.files.iter().map(|f| {
            let (FileTarget::Url(text) | FileTarget::Path(text)) = &f.target;
            label(GivenKind::File, text, f.headers.as_ref())
        });
        let other = |kind| move |item: &String| label(kind, item, None);
        let everything = self
            .everything
            .then(|| label(GivenKind::Everything, "", None));
        files
            .chain(self.tags.iter().map(other(GivenKind::Tag)))
            .chain(self.hosts.iter().map(other(GivenKind::Host)))
            .chain(self.prefixes.iter().map(other(GivenKind::Prefix)))
            .chain(everything)
            .collect()
    }

    /// Each list's items as written in `failed`, with the input they came from.
    pub fn lists(&self) -> [(Input, Vec<String>); 4] {
        let labels = self.labels();
        let (files, rest) = labels.split_at(self.files.len());
        let (tags, rest) = rest.split_at(self.tags.len());
        let (hosts, rest) = rest.split_at(self.hosts.len());
        let prefixes = &rest[..self.prefixes.len()];
        [
            (Input::Files, files.to_vec()),
            (Input::Tags, tags.to_vec()),
            (Input::Hosts, hosts.to_vec()),
            (Input::Prefixes, prefixes.to_vec()),
        ]
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
    let list = |input| split_list(raw.get(input)).map(str::to_string);
    let everything = parse_bool(Input::PurgeEverything, raw.value(Input::PurgeEverything))
        .map_err(|e| errors.push(e))
        .unwrap_or(false);
    let (files, fed_back) = files(raw, ctx)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let hosts = hosts::hosts(dedup(list(Input::Hosts).chain(fed_back.hosts).collect()));
    let prefixes = hosts::prefixes(dedup(
        list(Input::Prefixes).chain(fed_back.prefixes).collect(),
    ));
    let (hosts, prefixes) = judged(hosts, prefixes, &mut errors, &mut warnings);
    let purge = PurgeInputs {
        everything: everything || fed_back.everything,
        files,
        tags: dedup(list(Input::Tags).chain(fed_back.tags).collect()),
        hosts,
        prefixes,
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

/// The hosts and prefixes kept; those repaired as a warning, those rejected as errors.
fn judged(
    hosts: hosts::Checked,
    prefixes: hosts::Checked,
    errors: &mut Vec<Cause>,
    warnings: &mut Vec<Cause>,
) -> (Vec<String>, Vec<String>) {
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
    (dedup(hosts.items), dedup(prefixes.items))
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

/// Items of the other lists found in `files` in the JSON form `failed` writes.
#[derive(Debug, Default)]
struct FedBack {
    tags: Vec<String>,
    hosts: Vec<String>,
    prefixes: Vec<String>,
    everything: bool,
}

fn files(raw: &RawInputs, ctx: &RunContext) -> Result<(Vec<FileItem>, FedBack), Cause> {
    let mut given = files::parse_files(raw.get(Input::Files))?;
    for from in raw.get(Input::FilesFrom).lines().map(str::trim) {
        if !from.is_empty() {
            given.extend(files::read_list_file(&ctx.resolve(from))?);
        }
    }
    let mut fed_back = FedBack::default();
    let mut bad = Vec::new();
    let mut wildcards = Vec::new();
    let mut items = Vec::with_capacity(given.len());
    for files::Given {
        text,
        headers,
        kind,
    } in given
    {
        match kind {
            GivenKind::File => match file_target(&text) {
                Ok(target) => items.push(FileItem { target, headers }),
                Err(true) => wildcards.push(quoted(&text)),
                Err(false) => bad.push(quoted(&text)),
            },
            GivenKind::Tag => fed_back.tags.push(text),
            GivenKind::Host => fed_back.hosts.push(text),
            GivenKind::Prefix => fed_back.prefixes.push(text),
            GivenKind::Everything => fed_back.everything = true,
        }
    }
    if !bad.is_empty() {
        return Err(Cause::InvalidUrl { items: bad });
    }
    if !wildcards.is_empty() {
        return Err(Cause::FilesWildcard { items: wildcards });
    }
    Ok((dedup(items), fed_back))
}

/// A file as it may be quoted back: shaped like a credential by its shape only, without user info.
fn quoted(text: &str) -> String {
    shown(&super::options::without_userinfo(text))
}

/// A file's target; `Err(true)` for a wildcard, `Err(false)` for what is no URL or path.
fn file_target(text: &str) -> Result<FileTarget, bool> {
    // A URL with a space in it is two items run together (or a comment): url would
    // percent-encode it and Cloudflare purge a URL nobody serves.
    if text.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err(false);
    }
    match files::target_of(text) {
        Some(_) if text.contains('*') => Err(true),
        Some(target) => Ok(target),
        None => Err(false),
    }
}

/// `files-wildcard` for the paths a `*` in `base_url` would make wildcard URLs.
pub fn wildcard_base(purge: &PurgeInputs, base_url: Option<&str>) -> Option<Cause> {
    let base = base_url.filter(|b| b.contains('*'))?;
    let items: Vec<String> = purge
        .files
        .iter()
        .filter(|f| matches!(f.target, FileTarget::Path(_)))
        .map(|f| shown(&files::resolve(&f.target, base)))
        .collect();
    (!items.is_empty()).then_some(Cause::FilesWildcard { items })
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
