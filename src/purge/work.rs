//! What one zone's purge holds: every item once, the request body of a batch, and how items are named.

use serde_json::Value;

use crate::cloudflare::PurgeBody;
use crate::inputs::items::{label, GivenKind};

/// A file to purge with its full URL known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolvedFile {
    pub url: String,
    pub headers: Option<crate::inputs::items::Headers>,
}

/// Everything one run purges; each item is held once, batches refer to it by position.
#[derive(Debug, Clone, Default)]
pub struct Work {
    pub everything: bool,
    pub files: Vec<ResolvedFile>,
    pub tags: Vec<String>,
    pub hosts: Vec<String>,
    pub prefixes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Everything,
    Files,
    Tags,
    Hosts,
    Prefixes,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Everything => "everything",
            Kind::Files => "URLs",
            Kind::Tags => "tags",
            Kind::Hosts => "hosts",
            Kind::Prefixes => "prefixes",
        }
    }
}

/// One request: `len` items of `kind` from position `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    pub kind: Kind,
    pub start: usize,
    pub len: usize,
}

impl Work {
    fn strings(&self, kind: Kind) -> &[String] {
        match kind {
            Kind::Tags => &self.tags,
            Kind::Hosts => &self.hosts,
            Kind::Prefixes => &self.prefixes,
            Kind::Everything | Kind::Files => &[],
        }
    }

    /// The request body of a batch.
    pub fn body(&self, batch: &Batch) -> PurgeBody {
        let range = batch.start..batch.start + batch.len;
        match batch.kind {
            Kind::Everything => PurgeBody::PurgeEverything(true),
            Kind::Files => PurgeBody::Files(self.files[range].iter().map(file_value).collect()),
            Kind::Tags => PurgeBody::Tags(self.tags[range].to_vec()),
            Kind::Hosts => PurgeBody::Hosts(self.hosts[range].to_vec()),
            Kind::Prefixes => PurgeBody::Prefixes(self.prefixes[range].to_vec()),
        }
    }

    /// One item as people read it (the plan of a dry run): a file's URL, a tag, host or prefix.
    pub fn item(&self, kind: Kind, i: usize) -> String {
        match kind {
            Kind::Everything => "everything".to_string(),
            Kind::Files => self.files[i].url.clone(),
            kind => self.strings(kind)[i].clone(),
        }
    }

    /// How each item of a batch is named in the `failed` output: as `files` takes it back, a file
    /// with cache-key headers in its JSON form on one line.
    pub fn labels(&self, batch: &Batch) -> Vec<String> {
        let range = batch.start..batch.start + batch.len;
        let kind = match batch.kind {
            Kind::Everything => return vec![label(GivenKind::Everything, "", None)],
            Kind::Files => {
                let files = self.files[range].iter();
                return files
                    .map(|f| label(GivenKind::File, &f.url, f.headers.as_ref()))
                    .collect();
            }
            Kind::Tags => GivenKind::Tag,
            Kind::Hosts => GivenKind::Host,
            Kind::Prefixes => GivenKind::Prefix,
        };
        let items = self.strings(batch.kind)[range].iter();
        items.map(|item| label(kind, item, None)).collect()
    }

    /// How many items it holds (`purge_everything` counts as one).
    pub fn len(&self) -> usize {
        self.counts().iter().map(|(_, n)| n).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Items of each kind, for the summary.
    pub fn counts(&self) -> Vec<(Kind, usize)> {
        let all = [
            (Kind::Everything, usize::from(self.everything)),
            (Kind::Files, self.files.len()),
            (Kind::Tags, self.tags.len()),
            (Kind::Hosts, self.hosts.len()),
            (Kind::Prefixes, self.prefixes.len()),
        ];
        all.into_iter().filter(|(_, n)| *n > 0).collect()
    }
}

/// A file with custom cache-key headers is an object; a plain one is its URL string.
fn file_value(file: &ResolvedFile) -> Value {
    match &file.headers {
        None => Value::String(file.url.clone()),
        Some(headers) => serde_json::json!({"url": file.url, "headers": headers}),
    }
}
