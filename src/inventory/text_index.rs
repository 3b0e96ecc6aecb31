//! The searchable text of every row in one contiguous buffer, so a keystroke that has to look
//! at all 50,000 Cloud PCs is one substring scan of a few megabytes (memchr's `memmem`) instead
//! of 50,000 separate searches, each setting up its own searcher.
//!
//! Rows are appended as the inventory loads; a new list (refresh) starts a new index.

use memchr::memmem::Finder;

use super::row::DeviceRow;

/// Ends each row's text in the buffer. Filter words never contain it (they are split on
/// whitespace), so a match never spans two rows.
const ROW_END: u8 = b'\n';

/// Below this share of all rows, checking the candidates one by one beats scanning everything.
const CANDIDATES_PER_SCAN: usize = 8;

#[derive(Default)]
pub struct TextIndex {
    /// Each row's `DeviceRow::search_text`, followed by `ROW_END`.
    text: Vec<u8>,
    /// Where row i's text starts; one more entry than rows (the end of the buffer).
    starts: Vec<u32>,
}

impl TextIndex {
    pub fn new() -> Self {
        Self {
            text: Vec::new(),
            starts: vec![0],
        }
    }

    /// Rows indexed so far.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Indexes `rows`, which follow the rows indexed so far.
    pub fn extend(&mut self, rows: &[DeviceRow]) {
        for row in rows {
            self.text.extend_from_slice(row.search_text().as_bytes());
            self.text.push(ROW_END);
            self.starts.push(self.text.len() as u32);
        }
    }

    /// Catches up with `rows`: indexes the rows appended since, or starts again when `rows`
    /// is not a continuation of what was indexed (`same_list` false, or fewer rows).
    pub fn sync(&mut self, rows: &[DeviceRow], same_list: bool) {
        if !same_list || rows.len() < self.len() {
            *self = Self::new();
        }
        let from = self.len();
        self.extend(&rows[from..]);
    }

    fn row_text(&self, i: usize) -> &[u8] {
        &self.text[self.starts[i] as usize..self.starts[i + 1] as usize - 1]
    }

    /// The rows of `base` (indexes of indexed rows, in any order) whose text contains every
    /// one of `words` (lower-cased, without whitespace), keeping `base`'s order.
    pub fn filter(&self, words: &[String], base: &[u32]) -> Vec<u32> {
        let finders: Vec<Finder<'_>> = words
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| Finder::new(w.as_bytes()))
            .collect();
        if finders.is_empty() {
            return base.to_vec();
        }
        if base.len() * CANDIDATES_PER_SCAN < self.len() {
            return base
                .iter()
                .copied()
                .filter(|&i| {
                    let text = self.row_text(i as usize);
                    finders.iter().all(|f| f.find(text).is_some())
                })
                .collect();
        }
        let mut matching = self.rows_containing(&finders[0]);
        for finder in &finders[1..] {
            let also = self.rows_containing(finder);
            for (word, other) in matching.iter_mut().zip(also) {
                *word &= other;
            }
        }
        base.iter()
            .copied()
            .filter(|&i| matching[i as usize / 64] & (1 << (i % 64)) != 0)
            .collect()
    }

    /// A bit per row: set where the row's text contains the finder's word. After a match the
    /// scan jumps to the next row, so a word in every row costs one search per row.
    fn rows_containing(&self, finder: &Finder<'_>) -> Vec<u64> {
        let mut bits = vec![0u64; self.len().div_ceil(64)];
        let mut row = 0usize;
        let mut at = 0usize;
        while let Some(found) = finder.find(&self.text[at..]) {
            let position = (at + found) as u32;
            // Matches come in increasing positions: walk forward to the row holding this one.
            while self.starts[row + 1] <= position {
                row += 1;
            }
            bits[row / 64] |= 1 << (row % 64);
            at = self.starts[row + 1] as usize;
            if at >= self.text.len() {
                break;
            }
        }
        bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::filter::tests::row;

    fn rows(n: usize) -> Vec<DeviceRow> {
        (0..n)
            .map(|i| {
                row(
                    &format!("id-{i:04}"),
                    &format!("CPC-{}-{i}", ["alex", "bea", "dan", "zoë"][i % 4]),
                    &format!("{}@contoso.com", ["alex", "bea", "dan"][i % 3]),
                    "provisioned",
                    "enterprise",
                )
            })
            .collect()
    }

    fn naive(rows: &[DeviceRow], words: &[&str], base: &[u32]) -> Vec<u32> {
        base.iter()
            .copied()
            .filter(|&i| {
                words
                    .iter()
                    .all(|w| rows[i as usize].search_text().contains(w))
            })
            .collect()
    }

    #[test]
    fn finds_what_a_row_by_row_search_finds_by_scan_and_by_candidates() {
        let rows = rows(300);
        let mut index = TextIndex::new();
        index.sync(&rows, true);
        let everything: Vec<u32> = (0..300).rev().collect();
        let few: Vec<u32> = vec![299, 3, 150, 7];
        for words in [
            vec!["alex"],
            vec!["cpc-"],
            vec!["c"],
            vec!["zoë"],
            vec!["bea", "7"],
            vec!["alex", "dan"],
            vec!["-0299"],
            vec!["nobody"],
            vec!["md-id-0001"],
            vec!["com\u{1f}md"],
        ] {
            let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            for base in [&everything, &few] {
                assert_eq!(
                    index.filter(&owned, base),
                    naive(&rows, &words, base),
                    "{words:?} over {} rows",
                    base.len()
                );
            }
        }
        assert_eq!(index.filter(&[], &few), few);
    }

    #[test]
    fn a_word_never_matches_across_two_rows() {
        let rows = rows(2);
        let mut index = TextIndex::new();
        index.extend(&rows);
        // Row 0 ends with its id "id-0000"; row 1 starts with "cpc-bea-1".
        let words = vec!["0000cpc".to_string()];
        assert!(index.filter(&words, &[0, 1]).is_empty());
        assert_eq!(index.filter(&["id-0000".to_string()], &[0, 1]), vec![0]);
    }

    #[test]
    fn follows_appended_rows_and_starts_again_for_a_new_list() {
        let all = rows(100);
        let mut index = TextIndex::new();
        index.sync(&all[..40], true);
        assert_eq!(index.len(), 40);
        index.sync(&all, true);
        assert_eq!(index.len(), 100);
        let order: Vec<u32> = (0..100).collect();
        let words = vec!["alex".to_string()];
        assert_eq!(index.filter(&words, &order), naive(&all, &["alex"], &order));
        // A refreshed list of the same length is a different list: indexed afresh.
        let renamed: Vec<DeviceRow> = (0..100)
            .map(|i| row(&format!("n{i}"), "other", "x@y", "failed", "business"))
            .collect();
        index.sync(&renamed, false);
        assert!(index.filter(&words, &order).is_empty());
        assert_eq!(index.filter(&["other".to_string()], &order).len(), 100);
    }
}
