//! What to purge, as given: the lists, `purge_everything`, and the checks that need only the inputs.

pub mod files;
pub mod list;
pub mod route;

pub use files::{FileItem, FileTarget, Headers};
pub use list::{dedup, split_list};

use super::context::RunContext;
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

    fn count(&self) -> usize {
        self.files.len() + self.tags.len() + self.hosts.len() + self.prefixes.len()
    }
}

/// The lists and `purge_everything`; `mode` decides whether an empty request is an error.
pub fn read(raw: &RawInputs, ctx: &RunContext, mode: Option<Mode>) -> Result<PurgeInputs, Cause> {
    let everything = parse_bool(Input::PurgeEverything, raw.value(Input::PurgeEverything))?;
    let list = |input| dedup(split_list(raw.get(input)).map(str::to_string).collect());
    let purge = PurgeInputs {
        everything,
        files: files(raw, ctx)?,
        tags: list(Input::Tags),
        hosts: list(Input::Hosts),
        prefixes: list(Input::Prefixes),
    };
    let total = purge.count();
    if total > MAX_ITEMS {
        let expected = format!("at most {MAX_ITEMS} items in all");
        return Err(invalid(Input::Files, &format!("{total} items"), &expected));
    }
    if mode == Some(Mode::Verify) {
        return Ok(purge);
    }
    let lists = purge.given_lists();
    if everything && !lists.is_empty() {
        return Err(Cause::ConflictingPurgeInputs { lists });
    }
    if !everything && lists.is_empty() {
        return Err(Cause::NothingToPurge);
    }
    Ok(purge)
}

fn files(raw: &RawInputs, ctx: &RunContext) -> Result<Vec<FileItem>, Cause> {
    let mut given = files::parse_files(raw.get(Input::Files))?;
    let from = raw.get(Input::FilesFrom).trim();
    if !from.is_empty() {
        let limit = MAX_ITEMS.saturating_sub(given.len());
        let listed = files::read_list_file(&ctx.resolve(from), limit)?;
        given.extend(listed.into_iter().map(|s| (s, None)));
    }
    let mut bad = Vec::new();
    let mut items = Vec::with_capacity(given.len());
    for (text, headers) in given {
        match files::target_of(&text) {
            Some(target) => items.push(FileItem { target, headers }),
            None => bad.push(text),
        }
    }
    if !bad.is_empty() {
        return Err(Cause::InvalidUrl { items: bad });
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
            items.push(url);
        }
    }
    items.extend(
        purge
            .hosts
            .iter()
            .filter(|h| outside(&route::host(h)))
            .cloned(),
    );
    let prefixes = purge.prefixes.iter();
    items.extend(
        prefixes
            .filter(|p| outside(&route::prefix_host(p)))
            .cloned(),
    );
    (!items.is_empty()).then(|| Cause::UrlOutsideZone {
        zones: names.iter().map(|n| n.to_string()).collect(),
        items,
    })
}
