//! The results of the last few filters over one sorted order. Typing forward scans only the
//! smallest earlier result the new filter narrows; deleting characters (back to a text typed a
//! moment ago) is a lookup, not a scan of every row.

use std::collections::VecDeque;

use super::filter::InventoryFilter;
use super::row::DeviceRow;
use super::text_index::TextIndex;

pub struct FilterCache {
    /// The order the results belong to; a new order empties the cache.
    generation: u64,
    entries: VecDeque<(InventoryFilter, Vec<u32>)>,
    capacity: usize,
}

impl FilterCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            generation: 0,
            entries: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// The rows of `order` (generation `generation`) that pass `filter`, in order: from the
    /// cache, else by scanning the smallest cached result that `filter` narrows (or `order`).
    pub fn apply(
        &mut self,
        filter: &InventoryFilter,
        rows: &[DeviceRow],
        index: &TextIndex,
        order: &[u32],
        generation: u64,
    ) -> Vec<u32> {
        if generation != self.generation {
            self.entries.clear();
            self.generation = generation;
        }
        if let Some(pos) = self.entries.iter().position(|(f, _)| f == filter) {
            let entry = self.entries.remove(pos).expect("found");
            let result = entry.1.clone();
            self.entries.push_front(entry);
            return result;
        }
        let base = self
            .entries
            .iter()
            .filter(|(f, _)| filter.narrows(f))
            .map(|(_, r)| r.as_slice())
            .min_by_key(|r| r.len())
            .unwrap_or(order);
        let result = filter.apply(rows, index, base);
        self.entries.push_front((filter.clone(), result.clone()));
        self.entries.truncate(self.capacity);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::filter::tests::{indexed, row};
    use crate::inventory::filter::Facet;

    fn text(t: &str) -> InventoryFilter {
        InventoryFilter {
            text: t.into(),
            ..Default::default()
        }
    }

    #[test]
    fn gives_what_filtering_everything_gives_whatever_was_typed_before() {
        let rows: Vec<DeviceRow> = (0..60)
            .map(|i| {
                row(
                    &format!("id{i}"),
                    &format!("CPC-{}-{i}", ["alex", "bea", "dan"][i % 3]),
                    &format!("{}@contoso.com", ["alex", "bea", "dan"][i % 4 % 3]),
                    ["failed", "provisioned"][i % 2],
                    "enterprise",
                )
            })
            .collect();
        let index = indexed(&rows);
        let order: Vec<u32> = (0..60).rev().collect();
        let mut cache = FilterCache::new(4);
        let mut faceted = text("a");
        faceted.toggle(Facet::Status, "failed");
        let typing = [
            "", "c", "cp", "cpc-", "cpc-a", "cpc-al", "cpc-a", "cpc-", "c", "", "a", "al",
            "alex 1", "alex", "x", "",
        ];
        for (step, t) in typing.iter().enumerate() {
            assert_eq!(
                cache.apply(&text(t), &rows, &index, &order, 1),
                text(t).apply(&rows, &index, &order),
                "step {step}: {t:?}"
            );
        }
        assert_eq!(
            cache.apply(&faceted, &rows, &index, &order, 1),
            faceted.apply(&rows, &index, &order)
        );
        // A new order (another sort, more rows) is never answered from the old one.
        let reversed: Vec<u32> = (0..60).collect();
        assert_eq!(
            cache.apply(&text("cpc-a"), &rows, &index, &reversed, 2),
            text("cpc-a").apply(&rows, &index, &reversed)
        );
    }

    #[test]
    fn deleting_back_is_answered_from_the_cache() {
        let rows = vec![row(
            "a1",
            "CPC-alex-1",
            "alex@contoso.com",
            "failed",
            "enterprise",
        )];
        let index = indexed(&rows);
        let order = vec![0];
        let mut cache = FilterCache::new(4);
        cache.apply(&text("al"), &rows, &index, &order, 1);
        cache.apply(&text("ale"), &rows, &index, &order, 1);
        // Scanning the (here empty) order would lose the row: the answer comes from the cache.
        assert_eq!(cache.apply(&text("al"), &rows, &index, &[], 1), vec![0]);
    }
}
