//! One entry of `files` as written (`Given`), before it is judged: what `files` and a fed-back
//! `failed` line both read into.

use std::collections::BTreeMap;

use crate::cloudflare::ItemKind;

/// Custom cache-key headers of one file. Boxed: most files have none, and an item is held once
/// for each of up to 500,000, so `Option<Headers>` is one word, not a map's three.
pub(crate) type Headers = Box<BTreeMap<String, String>>;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::items::{FileItem, FileTarget};

    /// Each item is held once per item of up to 500,000 (peak memory is the list of them): a
    /// string, a word for its headers, and the kind or target.
    #[test]
    fn items_are_small() {
        assert_eq!(std::mem::size_of::<Option<Headers>>(), 8);
        assert!(std::mem::size_of::<Given>() <= 40);
        assert!(std::mem::size_of::<FileTarget>() <= 32);
        assert!(std::mem::size_of::<FileItem>() <= 40);
    }
}
