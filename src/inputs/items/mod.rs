//! What to purge, as given: the lists, `purge_everything`, and the checks that need only the inputs.

pub(crate) mod failed;
pub(crate) mod files;
pub(crate) mod given;
pub(crate) mod host_lists;
pub(crate) mod zone_match;

pub(crate) use files::{FileItem, FileTarget};
pub(crate) use given::Headers;

use super::context::RunContext;
use super::list::{dedup, split_list};
use super::quote::{safe_quote, without_userinfo};
use super::raw::RawInputs;
use super::table::Input;
use super::value::{invalid, parse_bool, Mode};
use crate::cloudflare::{ItemKind, Items, ListKind};
use crate::diagnosis::Cause;

/// Refuse more than this many items in all: beyond it a purge would need more API requests than
/// Cloudflare's 1,200 per 5 minutes allow, even at 500 per request.
pub(crate) const MAX_ITEMS: usize = 500_000;

/// What to purge, as given (paths not joined yet). In verify mode it is ignored.
pub(crate) type PurgeInputs = Items<FileItem>;

impl Items<FileItem> {
    /// The inputs of the lists that hold items.
    fn given_lists(&self) -> Vec<Input> {
        let lists = ItemKind::all().filter(|k| *k != ItemKind::Everything);
        let given = lists.filter(|k| self.count(*k) > 0);
        given.map(|k| k.facts().input).collect()
    }

    /// Every item as the `failed` output names it ([`failed::encode`]; paths as given).
    pub(crate) fn failed_lines(&self) -> Vec<String> {
        let lines = self.lists().into_iter().flat_map(|(_, lines)| lines);
        let everything = ItemKind::Everything;
        let everything = self
            .everything
            .then(|| failed::encode(everything, "", None));
        lines.chain(everything).collect()
    }

    /// The first answer `look` gives for an item as written in `failed`, with the input it came
    /// from; one line at a time, so that no list is copied whole.
    pub(crate) fn find_line<R>(&self, mut look: impl FnMut(Input, &str) -> Option<R>) -> Option<R> {
        let files = ItemKind::Files.facts().input;
        let found = self.files.iter().find_map(|f| {
            let (FileTarget::Url(text) | FileTarget::Path(text)) = &f.target;
            look(
                files,
                &failed::encode(ItemKind::Files, text, f.headers.as_ref()),
            )
        });
        found.or_else(|| {
            ListKind::ALL.into_iter().find_map(|list| {
                let kind = ItemKind::List(list);
                let input = kind.facts().input;
                let mut items = self.list(list).iter();
                items.find_map(|item| look(input, &failed::encode(kind, item, None)))
            })
        })
    }

    /// Each list's items as written in `failed`, with the input they came from.
    pub(crate) fn lists(&self) -> Vec<(Input, Vec<String>)> {
        let files = self.files.iter().map(|f| {
            let (FileTarget::Url(text) | FileTarget::Path(text)) = &f.target;
            failed::encode(ItemKind::Files, text, f.headers.as_ref())
        });
        let files = (ItemKind::Files.facts().input, files.collect());
        let lists = ListKind::ALL.into_iter().map(|list| {
            let kind = ItemKind::List(list);
            let items = self.list(list).iter();
            let lines = items.map(|item| failed::encode(kind, item, None));
            (kind.facts().input, lines.collect())
        });
        std::iter::once(files).chain(lists).collect()
    }

    /// How many items the lists hold (`purge_everything` aside).
    fn items(&self) -> usize {
        self.len() - usize::from(self.everything)
    }
}

/// The errors of lists that could not all be read, and the items that could.
pub(crate) type Unread = (Vec<Cause>, PurgeInputs);

/// The lists and `purge_everything`, each problem reported; `mode` decides whether an empty
/// request is an error. Repairs come back as warnings. With errors, the items that could be read
/// still come back, so that the checks of them (their zones) are reported too.
pub(crate) fn read(
    raw: &RawInputs,
    ctx: &RunContext,
    mode: Option<Mode>,
) -> (Result<PurgeInputs, Unread>, Vec<Cause>) {
    read_capped(raw, ctx, mode, MAX_ITEMS)
}

/// As `read`, with the cap on items given (counted once each, after duplicates are removed).
fn read_capped(
    raw: &RawInputs,
    ctx: &RunContext,
    mode: Option<Mode>,
    cap: usize,
) -> (Result<PurgeInputs, Unread>, Vec<Cause>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let everything = parse_bool(Input::PurgeEverything, raw.value(Input::PurgeEverything))
        .map_err(|e| errors.push(e))
        .unwrap_or(false);
    // The files, and the items of other kinds fed back in `files`.
    let mut purge = files(raw, ctx, &mut errors);
    purge.everything |= everything;
    for kind in ListKind::ALL {
        let input = ItemKind::List(kind).facts().input;
        let given = list_items(input, raw.get(input), &mut errors).into_iter();
        let fed_back = std::mem::take(purge.list_mut(kind));
        *purge.list_mut(kind) = dedup(given.chain(fed_back).collect());
    }
    let hosts = host_lists::hosts(std::mem::take(purge.list_mut(ListKind::Hosts)));
    let prefixes = host_lists::prefixes(std::mem::take(purge.list_mut(ListKind::Prefixes)));
    let (hosts, prefixes) = judged(hosts, prefixes, &mut errors, &mut warnings);
    *purge.list_mut(ListKind::Hosts) = hosts;
    *purge.list_mut(ListKind::Prefixes) = prefixes;
    // An empty request is only judged when every list could be read.
    if errors.is_empty() {
        // A list too long to pass as an input is read from `files_from`: that is where it came from.
        let longest = match raw.get(Input::FilesFrom).trim() {
            "" => Input::Files,
            _ => Input::FilesFrom,
        };
        errors.extend(requested(&purge, mode, cap, longest));
    }
    if errors.is_empty() {
        (Ok(purge), warnings)
    } else {
        (Err((errors, purge)), warnings)
    }
}

/// The items of a list input: a JSON array of strings (as `files` takes), or the list syntax.
fn list_items(input: Input, value: &str, errors: &mut Vec<Cause>) -> Vec<String> {
    if !value.trim_start().starts_with('[') {
        return split_list(value).map(str::to_string).collect();
    }
    match serde_json::from_str::<Vec<String>>(value) {
        Ok(items) => {
            let items = items.iter().map(|i| i.trim()).filter(|i| !i.is_empty());
            items.map(str::to_string).collect()
        }
        Err(e) => {
            let expected = format!(
                "a JSON array of strings, or items separated by newlines, commas or spaces ({e})"
            );
            errors.push(invalid(input, "a JSON array", &expected));
            Vec::new()
        }
    }
}

/// The hosts and prefixes kept; those repaired as a warning, those rejected as errors.
fn judged(
    hosts: host_lists::Checked,
    prefixes: host_lists::Checked,
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
fn requested(purge: &PurgeInputs, mode: Option<Mode>, cap: usize, longest: Input) -> Option<Cause> {
    let total = purge.items();
    if total > cap {
        let expected = format!("at most {cap} items in all");
        return Some(invalid(longest, &format!("{total} items"), &expected));
    }
    let lists = purge.given_lists();
    if purge.everything && !lists.is_empty() {
        return Some(Cause::ConflictingPurgeInputs { lists });
    }
    // Verify mode purges nothing: it needs no list.
    if mode != Some(Mode::Verify) && !purge.everything && lists.is_empty() {
        return Some(Cause::NothingToPurge);
    }
    None
}

/// The files, with the items of other kinds found in `files` in the JSON form `failed` writes;
/// those that cannot be read are left out, each kind of problem an error.
fn files(raw: &RawInputs, ctx: &RunContext, errors: &mut Vec<Cause>) -> PurgeInputs {
    match given_files(raw, ctx) {
        Ok(given) => read_files(given, errors),
        Err(cause) => {
            errors.push(cause);
            PurgeInputs::default()
        }
    }
}

/// The files given, in `files` and in each `files_from` file.
fn given_files(raw: &RawInputs, ctx: &RunContext) -> Result<Vec<given::Given>, Cause> {
    let mut given = files::parse_files(raw.get(Input::Files))?;
    for from in raw.get(Input::FilesFrom).lines().map(str::trim) {
        if from.is_empty() {
            continue;
        }
        let read = files::read_list_file(&ctx.resolve(from))?;
        // The common case, one list file and nothing in `files`: its items are taken, not copied.
        match given.is_empty() {
            true => given = read,
            false => given.extend(read),
        }
    }
    Ok(given)
}

/// The files given as items; the URLs that are none and those with a wildcard are errors.
fn read_files(given: Vec<given::Given>, errors: &mut Vec<Cause>) -> PurgeInputs {
    let mut read = PurgeInputs::default();
    let mut bad = Vec::new();
    let mut wildcards = Vec::new();
    // The files move into the allocation `given` had (collected in place): each is held once.
    let files = given.into_iter().filter_map(|given| {
        let given::Given {
            text,
            headers,
            kind,
        } = given;
        match kind {
            // One limit for every input, as `files_from` has it for its lines.
            ItemKind::Files if text.len() > files::MAX_LINE => bad.push(format!(
                "{} (longer than {} KiB, Cloudflare's limit for a URL)",
                quoted(&text),
                files::MAX_LINE >> 10
            )),
            ItemKind::Files => match (file_target(&text), invisible_in_host(&text)) {
                (Ok(_), Some(why)) => bad.push(format!("{} ({why})", quoted(&text))),
                (Ok(target), None) => return Some(FileItem { target, headers }),
                (Err(true), _) => wildcards.push(quoted(&text)),
                (Err(false), _) => bad.push(quoted(&text)),
            },
            ItemKind::List(list) => read.list_mut(list).push(text),
            ItemKind::Everything => read.everything = true,
        }
        None
    });
    let files: Vec<FileItem> = files.collect();
    if !bad.is_empty() {
        errors.push(Cause::InvalidUrl { items: bad });
    }
    if !wildcards.is_empty() {
        errors.push(Cause::FilesWildcard { items: wildcards });
    }
    read.files = dedup(files);
    read
}

/// A file as it may be quoted back: shaped like a credential by its shape only, without user info.
fn quoted(text: &str) -> String {
    safe_quote(&without_userinfo(text))
}

/// Characters IDNA maps away (or to a dot) in a host: the zone check passes on the mapped host,
/// but Cloudflare refuses the URL as written, and with it the whole batch (code 1082).
const INVISIBLE: &[(char, &str)] = &[
    ('\u{ad}', "soft hyphen"),
    ('\u{34f}', "combining grapheme joiner"),
    ('\u{180e}', "Mongolian vowel separator"),
    ('\u{200b}', "zero-width space"),
    ('\u{200c}', "zero-width non-joiner"),
    ('\u{200d}', "zero-width joiner"),
    ('\u{2060}', "word joiner"),
    ('\u{feff}', "zero-width no-break space"),
    ('\u{3002}', "ideographic full stop"),
    ('\u{ff0e}', "full-width full stop"),
    ('\u{ff61}', "half-width ideographic full stop"),
];

/// The first such character in a URL's host, named with its code point and its position in the
/// URL (counted in characters from 1).
fn invisible_in_host(url: &str) -> Option<String> {
    let start = url.find("://")? + 3;
    let host = url[start..].split(['/', '?', '#']).next().unwrap_or("");
    let before = url[..start].chars().count();
    host.chars().enumerate().find_map(|(i, c)| {
        let (_, name) = INVISIBLE.iter().find(|(invisible, _)| *invisible == c)?;
        let at = before + i + 1;
        Some(format!(
            "its host holds a {name}, U+{:04X}, at character {at}",
            u32::from(c)
        ))
    })
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
pub(crate) fn wildcard_base(purge: &PurgeInputs, base_url: Option<&str>) -> Option<Cause> {
    let base = base_url.filter(|b| b.contains('*'))?;
    let items: Vec<String> = purge
        .files
        .iter()
        .filter(|f| matches!(f.target, FileTarget::Path(_)))
        .map(|f| safe_quote(&files::resolve(&f.target, base)))
        .collect();
    (!items.is_empty()).then_some(Cause::FilesWildcard { items })
}

/// `url-outside-zone` for the items (file URLs, hosts, prefixes) in none of the zones named. Paths
/// belong to every zone, unless `base_url` makes them URLs.
pub(crate) fn outside_zones(
    purge: &PurgeInputs,
    names: &[&str],
    base_url: Option<&str>,
) -> Option<Cause> {
    let outside = |host: &str| zone_match::zone_for(host, names).is_none();
    let mut items: Vec<String> = Vec::new();
    for file in &purge.files {
        let url = match (&file.target, base_url) {
            (FileTarget::Url(url), _) => url.clone(),
            (FileTarget::Path(_), Some(base)) => files::resolve(&file.target, base),
            (FileTarget::Path(_), None) => continue,
        };
        if zone_match::url_host(&url).is_none_or(|h| outside(&h)) {
            items.push(safe_quote(&url));
        }
    }
    for list in ListKind::ALL {
        let Some(host_of) = zone_match::host_of(list) else {
            continue;
        };
        let given = purge.list(list).iter();
        items.extend(
            given
                .filter(|i| outside(&host_of(i)))
                .map(|i| safe_quote(i)),
        );
    }
    (!items.is_empty()).then(|| Cause::UrlOutsideZone {
        zones: names.iter().map(|n| n.to_string()).collect(),
        items,
    })
}

/// `url-outside-zone` with the `confirm_urls` in none of the zones named added to the items
/// `outside` already holds (one cause for every item outside, as the contract lists them).
pub(crate) fn with_confirm_urls(
    outside: Option<Cause>,
    urls: &[url::Url],
    names: &[&str],
) -> Option<Cause> {
    let (zones, mut items) = match outside {
        Some(Cause::UrlOutsideZone { zones, items }) => (zones, items),
        Some(other) => return Some(other),
        None => (names.iter().map(|n| n.to_string()).collect(), Vec::new()),
    };
    let beyond = urls.iter().filter(|u| {
        let host = u.host_str().unwrap_or_default();
        zone_match::zone_for(&zone_match::host(host), names).is_none()
    });
    items.extend(beyond.map(|u| safe_quote(u.as_str())));
    (!items.is_empty()).then_some(Cause::UrlOutsideZone { zones, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_read_from_an_input_of_the_table() {
        for kind in ItemKind::all() {
            assert_eq!(
                Input::named(kind.facts().input.name()),
                Some(kind.facts().input),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn items_over_the_cap_read_from_files_from_are_blamed_on_files_from() {
        let list = std::env::temp_dir().join(format!("cap-{}.txt", std::process::id()));
        std::fs::write(&list, "/a\n/b\n/c\n").unwrap();
        let mut raw = RawInputs::default();
        raw.set(Input::FilesFrom, &list.display().to_string());
        let ctx = RunContext::default();
        let (read, _) = read_capped(&raw, &ctx, Some(Mode::Purge), 2);
        std::fs::remove_file(&list).unwrap();
        let (errors, _) = read.unwrap_err();
        let Cause::InvalidInput { input, .. } = &errors[0] else {
            panic!("{errors:?}")
        };
        assert_eq!(*input, Input::FilesFrom);
    }

    #[test]
    fn the_cap_counts_items_once() {
        let mut raw = RawInputs::default();
        raw.set(Input::Files, "/a /b /a /b /a");
        raw.set(Input::Tags, "t t");
        let ctx = RunContext::default();
        let (read, _) = read_capped(&raw, &ctx, Some(Mode::Purge), 3);
        assert_eq!(read.map(|p| p.items()), Ok(3));
        let (read, _) = read_capped(&raw, &ctx, Some(Mode::Purge), 2);
        let errors = read.map_err(|(errors, _)| errors).unwrap_err();
        assert_eq!(errors[0].code(), "invalid-input");
    }
}
