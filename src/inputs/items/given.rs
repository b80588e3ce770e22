//! One entry of `files` as written (`Given`), before it is judged: what `files` and a fed-back
//! `failed` line both read into.

use std::collections::BTreeMap;

use crate::cloudflare::ItemKind;

/// Custom cache-key headers of one file.
pub(crate) type Headers = BTreeMap<String, String>;

/// One entry of `files` as written, before it is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Given {
    pub(crate) text: String,
    pub(crate) headers: Option<Headers>,
    /// A file, or (in the JSON form `failed` writes, to be fed back) an item of another kind.
    pub(crate) kind: ItemKind,
}

impl Given {
    pub(crate) fn plain(text: &str) -> Self {
        Given {
            text: text.to_string(),
            headers: None,
            kind: ItemKind::Files,
        }
    }
}
