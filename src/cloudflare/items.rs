//! The kinds of item a purge names (file URLs, tags, hosts, prefixes, everything), what each is
//! called where it appears (input, `failed` line, summary, request body), and `Items`: the one
//! container by kind that the inputs, the fed-back items and the purge work all hold.
//!
//! Adding a list kind is one `ListKind` variant, its place in `ListKind::ALL` and its `facts` arm.

use crate::names::Input;

/// A kind that is a list of strings (as opposed to files, which carry headers, and everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ListKind {
    Tags,
    Hosts,
    Prefixes,
}

impl ListKind {
    /// In the order the lists are read, batched and named in `failed`.
    pub(crate) const ALL: [ListKind; 3] = [ListKind::Tags, ListKind::Hosts, ListKind::Prefixes];
}

/// What a purge request names: exactly one kind per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ItemKind {
    Files,
    List(ListKind),
    Everything,
}

/// How a kind is called in each place it appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KindFacts {
    /// The input that lists it (`purge_everything` for everything).
    pub(crate) input: Input,
    /// The key of its JSON form in the `failed` output (a file's is `url`).
    pub(crate) failed_key: &'static str,
    /// How people count it (the summary, the plan of a dry run).
    pub(crate) noun: &'static str,
    /// Its key in the purge request body.
    pub(crate) body_key: &'static str,
}

const fn facts(input: Input, failed_key: &'static str, noun: &'static str) -> KindFacts {
    KindFacts {
        input,
        failed_key,
        noun,
        body_key: input.name(),
    }
}

impl ItemKind {
    /// Files first, then the lists, then everything.
    pub(crate) fn all() -> impl Iterator<Item = ItemKind> {
        let lists = ListKind::ALL.into_iter().map(ItemKind::List);
        std::iter::once(ItemKind::Files)
            .chain(lists)
            .chain(std::iter::once(ItemKind::Everything))
    }

    pub(crate) const fn facts(self) -> KindFacts {
        match self {
            ItemKind::Files => facts(Input::Files, "url", "URLs"),
            ItemKind::List(ListKind::Tags) => facts(Input::Tags, "tag", "tags"),
            ItemKind::List(ListKind::Hosts) => facts(Input::Hosts, "host", "hosts"),
            ItemKind::List(ListKind::Prefixes) => facts(Input::Prefixes, "prefix", "prefixes"),
            ItemKind::Everything => facts(Input::PurgeEverything, "purge_everything", "everything"),
        }
    }

    pub(crate) const fn noun(self) -> &'static str {
        self.facts().noun
    }
}

/// Items by kind: `F` is how a file is held (as given, or with its URL resolved).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Items<F> {
    pub(crate) everything: bool,
    pub(crate) files: Vec<F>,
    lists: [Vec<String>; ListKind::ALL.len()],
}

impl<F> Default for Items<F> {
    fn default() -> Self {
        Items {
            everything: false,
            files: Vec::new(),
            lists: Default::default(),
        }
    }
}

impl<F> Items<F> {
    pub(crate) fn list(&self, kind: ListKind) -> &Vec<String> {
        &self.lists[kind as usize]
    }

    pub(crate) fn list_mut(&mut self, kind: ListKind) -> &mut Vec<String> {
        &mut self.lists[kind as usize]
    }

    /// How many items of a kind it holds (`everything` counts as one).
    pub(crate) fn count(&self, kind: ItemKind) -> usize {
        match kind {
            ItemKind::Files => self.files.len(),
            ItemKind::List(list) => self.list(list).len(),
            ItemKind::Everything => usize::from(self.everything),
        }
    }

    /// The kinds it holds items of, with their counts, in `ItemKind::all` order.
    pub(crate) fn counts(&self) -> Vec<(ItemKind, usize)> {
        let counts = ItemKind::all().map(|kind| (kind, self.count(kind)));
        counts.filter(|(_, n)| *n > 0).collect()
    }

    /// How many items it holds (`everything` counts as one).
    pub(crate) fn len(&self) -> usize {
        ItemKind::all().map(|kind| self.count(kind)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_indexed_by_their_place() {
        for (i, kind) in ListKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i);
        }
        let mut items = Items::<()>::default();
        items.list_mut(ListKind::Hosts).push("a.com".into());
        assert_eq!(items.counts(), [(ItemKind::List(ListKind::Hosts), 1)]);
        assert!(items.list(ListKind::Tags).is_empty());
    }

    #[test]
    fn each_kind_has_cloudflares_body_key() {
        let keys: Vec<&str> = ItemKind::all().map(|k| k.facts().body_key).collect();
        assert_eq!(
            keys,
            ["files", "tags", "hosts", "prefixes", "purge_everything"]
        );
        for kind in ItemKind::all() {
            let body = super::super::PurgeBody {
                kind,
                items: vec!["x".into()],
            };
            let value = match kind {
                ItemKind::Everything => serde_json::json!(true),
                _ => serde_json::json!(["x"]),
            };
            let key = kind.facts().body_key;
            let expected = serde_json::json!({ key: value });
            assert_eq!(serde_json::to_value(&body).ok(), Some(expected));
        }
    }
}
