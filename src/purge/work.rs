//! What one zone's purge holds: every item once, the request body of a batch, and how items are named.

use serde_json::Value;

use crate::cloudflare::{ItemKind, Items, PurgeBody};
use crate::inputs::items::failed;

/// A file to purge with its full URL known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ResolvedFile {
    pub(crate) url: String,
    pub(crate) headers: Option<crate::inputs::items::Headers>,
}

/// Everything one zone purges; each item is held once, batches refer to it by position.
pub(crate) type Work = Items<ResolvedFile>;

/// One request: `len` items of `kind` from position `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Batch {
    pub(crate) kind: ItemKind,
    pub(crate) start: usize,
    pub(crate) len: usize,
}

impl Items<ResolvedFile> {
    /// The request body of a batch.
    pub(crate) fn body(&self, batch: &Batch) -> PurgeBody {
        let range = batch.start..batch.start + batch.len;
        let items = match batch.kind {
            ItemKind::Everything => return PurgeBody::everything(),
            ItemKind::Files => self.files[range].iter().map(file_value).collect(),
            ItemKind::List(list) => {
                let items = self.list(list)[range].iter();
                items.map(|item| Value::String(item.clone())).collect()
            }
        };
        PurgeBody {
            kind: batch.kind,
            items,
        }
    }

    /// One item as people read it (the plan of a dry run): a file's URL, a tag, host or prefix.
    pub(crate) fn item(&self, kind: ItemKind, i: usize) -> String {
        match kind {
            ItemKind::Everything => kind.noun().to_string(),
            ItemKind::Files => self.files[i].url.clone(),
            ItemKind::List(list) => self.list(list)[i].clone(),
        }
    }

    /// How each item of a batch is named in the `failed` output: as `files` takes it back, a file
    /// with cache-key headers in its JSON form on one line.
    pub(crate) fn failed_lines(&self, batch: &Batch) -> Vec<String> {
        let range = batch.start..batch.start + batch.len;
        let kind = batch.kind;
        match kind {
            ItemKind::Everything => vec![failed::encode(kind, "", None)],
            ItemKind::Files => {
                let files = self.files[range].iter();
                let line = |f: &ResolvedFile| failed::encode(kind, &f.url, f.headers.as_ref());
                files.map(line).collect()
            }
            ItemKind::List(list) => {
                let items = self.list(list)[range].iter();
                items.map(|item| failed::encode(kind, item, None)).collect()
            }
        }
    }
}

/// A file with custom cache-key headers is an object; a plain one is its URL string.
fn file_value(file: &ResolvedFile) -> Value {
    match &file.headers {
        None => Value::String(file.url.clone()),
        Some(headers) => serde_json::json!({"url": file.url, "headers": headers}),
    }
}

#[cfg(test)]
mod tests {
    /// Held once per file of up to 500,000: the URL and one word for its headers.
    #[test]
    fn a_resolved_file_is_small() {
        assert!(std::mem::size_of::<super::ResolvedFile>() <= 32);
    }
}
