//! The list syntax every list input shares: items separated by newlines, commas or whitespace, once each.

use std::collections::HashSet;

/// Items separated by newlines, commas or whitespace.
pub(crate) fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
}

/// Deduplicate, keeping the first occurrence's place (no item is copied).
pub(crate) fn dedup<T: Eq + std::hash::Hash>(items: Vec<T>) -> Vec<T> {
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(items.len());
        items.iter().map(|i| seen.insert(i)).collect()
    };
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_syntax() {
        let items: Vec<_> = split_list("a, b\n c\t\td,,\r\ne").collect();
        assert_eq!(items, ["a", "b", "c", "d", "e"]);
        assert_eq!(dedup(vec![3, 1, 3, 2, 1]), [3, 1, 2]);
    }
}
