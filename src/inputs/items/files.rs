//! The `files` input: URLs and paths, its JSON form with cache-key headers, `files_from`, URL checks.

use std::collections::BTreeMap;
use std::io::BufRead;

use serde::Deserialize;
use url::Url;

use super::list::split_list;
use crate::diagnosis::Cause;

/// One entry of `files`: a URL or a path, with optional cache-key headers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileItem {
    pub target: FileTarget,
    pub headers: Option<Headers>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileTarget {
    Url(String),
    /// Starts with `/`; joined to `base_url` once the zone's name is known.
    Path(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonFile {
    Url(String),
    WithHeaders {
        url: String,
        #[serde(default)]
        headers: BTreeMap<String, String>,
    },
}

/// Custom cache-key headers of one file.
pub type Headers = BTreeMap<String, String>;

/// The `files` input: a JSON array, or the list syntax. `Err` is an `invalid-input` cause.
pub fn parse_files(value: &str) -> Result<Vec<(String, Option<Headers>)>, Cause> {
    let value = value.trim();
    if !value.starts_with('[') {
        return Ok(split_list(value).map(|s| (s.to_string(), None)).collect());
    }
    let parsed: Vec<JsonFile> = serde_json::from_str(value).map_err(|e| Cause::InvalidInput {
        input: "files",
        value: "a JSON array".into(),
        expected: format!("a JSON array of URL strings or {{\"url\", \"headers\"}} objects ({e})"),
    })?;
    Ok(parsed
        .into_iter()
        .map(|f| match f {
            JsonFile::Url(url) => (url.trim().to_string(), None),
            JsonFile::WithHeaders { url, headers } => (
                url.trim().to_string(),
                (!headers.is_empty()).then_some(headers),
            ),
        })
        .collect())
}

/// Lines of a `files_from` file, streamed: blank lines and `#` comments skipped.
pub fn read_list_file(path: &std::path::Path, limit: usize) -> Result<Vec<String>, Cause> {
    let shown = path.display().to_string();
    let fail = |why: String| Cause::InvalidInput {
        input: "files_from",
        value: shown.clone(),
        expected: format!("a readable UTF-8 file of URLs or paths, one per line ({why})"),
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut items = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|e| fail(e.to_string()))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if items.len() >= limit {
            return Err(fail(format!("it lists more than {limit} items")));
        }
        items.push(line.to_string());
    }
    Ok(items)
}

/// A file item's target, or `None` when it is neither an http(s) URL nor a path.
pub fn target_of(item: &str) -> Option<FileTarget> {
    if item.starts_with('/') && !item.starts_with("//") {
        return Some(FileTarget::Path(item.to_string()));
    }
    let url = Url::parse(item).ok()?;
    let web =
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty());
    web.then(|| FileTarget::Url(item.to_string()))
}

/// The URL a target stands for, given the base for paths.
pub fn resolve(target: &FileTarget, base: &str) -> String {
    match target {
        FileTarget::Url(url) => url.clone(),
        FileTarget::Path(path) => format!("{}{path}", base.trim_end_matches('/')),
    }
}

/// The URL a target stands for, consuming it (a URL is moved, not copied).
pub fn into_url(target: FileTarget, base: &str) -> String {
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
        assert_eq!(files[1].1.as_ref().unwrap()["CF-IPCountry"], "US");
        assert_eq!(parse_files("[1, 2").unwrap_err().code(), "invalid-input");
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
