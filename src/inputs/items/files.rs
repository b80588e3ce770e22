//! The `files` input: URLs and paths, its JSON form with cache-key headers, `files_from`, URL checks.

use std::io::{BufRead, Read};

use serde_json::Value;
use url::Url;

use super::failed;
use super::given::{Given, Headers};
use crate::diagnosis::Cause;
use crate::inputs::list::split_list;
use crate::inputs::quote::safe_quote;
use crate::names::Input;

/// One entry of `files`: a URL or a path, with optional cache-key headers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct FileItem {
    pub(crate) target: FileTarget,
    pub(crate) headers: Option<Headers>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum FileTarget {
    Url(String),
    /// Starts with `/`; joined to `base_url` once the zone's name is known.
    Path(String),
}

/// Cloudflare answers 414 for a URI over 32 KB: a longer line cannot be a URL it serves.
pub(crate) const MAX_LINE: usize = 32 * 1024;
/// A `files_from` file larger than this holds more than the 500,000 items a run takes (at an
/// average of 128 bytes a URL, far above what deploy lists hold).
pub(crate) const MAX_LIST_FILE: u64 = 64 * 1024 * 1024;

/// The `files` input: a JSON array, or the list syntax, where a line that starts with `{` is one
/// item in its JSON form (as the `failed` output writes files with cache-key headers).
pub(crate) fn parse_files(value: &str) -> Result<Vec<Given>, Cause> {
    let value = value.trim();
    if value.starts_with('[') {
        let items: Vec<Value> = serde_json::from_str(value).map_err(|e| Cause::InvalidInput {
            input: Input::Files,
            value: "a JSON array".into(),
            expected: format!(
                "a JSON array of URL strings, {{\"url\", \"headers\"}} objects, or the items of a failed output ({}) ({e})",
                failed::other_keys(true)
            ),
        })?;
        return collect(items.iter().map(failed::decode));
    }
    let mut given = Vec::new();
    for line in value.lines() {
        given.extend(list_line(line)?);
    }
    Ok(given)
}

/// The items of one line of the list syntax.
fn list_line(line: &str) -> Result<Vec<Given>, Cause> {
    let line = line.trim();
    if line.starts_with('{') {
        return collect(std::iter::once(json_object(line)));
    }
    Ok(split_list(line).map(Given::plain).collect())
}

fn json_object(line: &str) -> Result<Given, String> {
    let value: Value = serde_json::from_str(line)
        .map_err(|e| format!("{} (not a JSON object: {e})", safe_quote(line)))?;
    failed::decode(&value)
}

/// Every item, or `invalid-url` naming each one that is not an item.
fn collect(items: impl Iterator<Item = Result<Given, String>>) -> Result<Vec<Given>, Cause> {
    let (ok, bad): (Vec<_>, Vec<_>) = items.partition(Result::is_ok);
    if bad.is_empty() {
        Ok(ok.into_iter().flatten().collect())
    } else {
        let items = bad.into_iter().filter_map(Result::err).collect();
        Err(Cause::InvalidUrl { items })
    }
}

/// The items of a `files_from` file, one per line, read with bounds: blank lines and `#` comments
/// (a line that starts with `#`, or the rest of a line after whitespace and `#`) are skipped.
pub(crate) fn read_list_file(path: &std::path::Path) -> Result<Vec<Given>, Cause> {
    let shown = path.display().to_string();
    let fail = |why: String| Cause::InvalidInput {
        input: Input::FilesFrom,
        value: safe_quote(&shown),
        expected: format!("a readable UTF-8 file of URLs or paths, one per line ({why})"),
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut reader = std::io::BufReader::new(file.take(MAX_LIST_FILE + 1));
    let mut given = Vec::new();
    let mut line = Vec::new();
    let mut read: u64 = 0;
    loop {
        line.clear();
        // A line of MAX_LINE characters and its CR LF.
        let n = (&mut reader)
            .take(MAX_LINE as u64 + 2)
            .read_until(b'\n', &mut line)
            .map_err(|e| fail(e.to_string()))?;
        if n == 0 {
            break;
        }
        read += n as u64;
        if read > MAX_LIST_FILE {
            return Err(fail(format!(
                "it is larger than {} MiB",
                MAX_LIST_FILE >> 20
            )));
        }
        let ending = [&b"\r\n"[..], b"\n"]
            .into_iter()
            .find(|e| line.ends_with(e));
        if n - ending.map_or(0, <[u8]>::len) > MAX_LINE {
            return Err(fail(format!(
                "a line is longer than {} KiB, Cloudflare's limit for a URL",
                MAX_LINE >> 10
            )));
        }
        let text = std::str::from_utf8(&line).map_err(|_| fail("it is not UTF-8".into()))?;
        // Editors on Windows (PowerShell 5.1's Out-File among them) start UTF-8 files with a BOM.
        let text = match read == n as u64 {
            true => text.strip_prefix('\u{feff}').unwrap_or(text),
            false => text,
        };
        given.extend(list_item(text)?);
    }
    Ok(given)
}

/// One line of a list file: one item, its comment removed.
fn list_item(line: &str) -> Result<Option<Given>, Cause> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    if line.starts_with('{') {
        return collect(std::iter::once(json_object(line))).map(|mut g| g.pop());
    }
    let comment = line
        .char_indices()
        .find(|(i, c)| *c == '#' && line[..*i].ends_with(char::is_whitespace))
        .map_or(line.len(), |(i, _)| i);
    Ok(Some(Given::plain(line[..comment].trim_end())))
}

/// A file item's target, or `None` when it is neither an http(s) URL nor a path. A URL with a user
/// name or password is none a cache serves (and would send them to Cloudflare).
pub(crate) fn target_of(item: &str) -> Option<FileTarget> {
    if item.starts_with('/') && !item.starts_with("//") {
        return Some(FileTarget::Path(item.to_string()));
    }
    let url = Url::parse(item).ok()?;
    let web =
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty());
    let bare = url.username().is_empty() && url.password().is_none();
    (web && bare).then(|| FileTarget::Url(item.to_string()))
}

/// The URL a target stands for, given the base for paths.
pub(crate) fn resolve(target: &FileTarget, base: &str) -> String {
    match target {
        FileTarget::Url(url) => url.clone(),
        FileTarget::Path(path) => format!("{}{path}", base.trim_end_matches('/')),
    }
}

/// The URL a target stands for, consuming it (a URL is moved, not copied).
pub(crate) fn into_url(target: FileTarget, base: &str) -> String {
    match target {
        FileTarget::Url(url) => url,
        path => resolve(&path, base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_files() {
        let files = parse_files(
            r#"["https://a.com/x", {"url": "https://a.com/y", "headers": {"CF-IPCountry": "US"}}]"#,
        )
        .unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].headers.as_ref().unwrap()["CF-IPCountry"], "US");
        assert_eq!(parse_files("[1, 2").unwrap_err().code(), "invalid-input");
        let Err(Cause::InvalidUrl { items }) =
            parse_files(r#"[{"url": "https://a.com/y", "header": {"CF-IPCountry": "US"}}]"#)
        else {
            panic!("an unknown key passed")
        };
        assert!(items[0].contains("the key \"header\""), "{items:?}");
    }

    #[test]
    fn json_object_lines_and_plain_items_mix_in_the_list_syntax() {
        let files = parse_files(
            "https://a.com/x, /y\n{\"url\":\"https://a.com/z\",\"headers\":{\"CF-Device-Type\":\"mobile\"}}",
        )
        .unwrap();
        let texts: Vec<&str> = files.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(texts, ["https://a.com/x", "/y", "https://a.com/z"]);
        assert!(files[2].headers.is_some());
    }

    #[test]
    fn list_file_lines_lose_their_comments_only() {
        assert_eq!(list_item("  # a comment").unwrap(), None);
        assert_eq!(
            list_item("https://e.com/a   # home page")
                .unwrap()
                .unwrap()
                .text,
            "https://e.com/a"
        );
        assert_eq!(
            list_item("https://e.com/a#top").unwrap().unwrap().text,
            "https://e.com/a#top"
        );
        assert_eq!(list_item("/b, /c").unwrap().unwrap().text, "/b, /c");
    }

    #[test]
    fn targets() {
        assert_eq!(target_of("/blog/"), Some(FileTarget::Path("/blog/".into())));
        assert!(matches!(
            target_of("https://example.com/a.css"),
            Some(FileTarget::Url(_))
        ));
        for bad in [
            "blog/index.html",
            "example.com/a",
            "ftp://example.com/a",
            "//cdn.example.com/a",
            "https://",
        ] {
            assert_eq!(target_of(bad), None, "{bad}");
        }
        assert_eq!(
            resolve(&FileTarget::Path("/a".into()), "https://example.com/"),
            "https://example.com/a"
        );
    }
}
