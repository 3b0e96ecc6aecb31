//! Which Cloud PCs the operator has selected. Selection is by Cloud PC id, so it survives
//! filter and sort changes until the operator clears it.

use std::collections::HashSet;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    ids: HashSet<String>,
    /// The last row clicked without shift: the other end of a shift-click range.
    anchor: Option<String>,
}

impl Selection {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.ids.iter()
    }

    /// A plain click on a row's checkbox: toggles it and makes it the anchor.
    pub fn toggle(&mut self, id: &str) {
        if !self.ids.remove(id) {
            self.ids.insert(id.to_string());
        }
        self.anchor = Some(id.to_string());
    }

    /// A shift-click: sets every row between the anchor and `id` (in the order shown) to the
    /// state of the anchor row. Without an anchor in view, behaves like a plain click.
    pub fn extend_to(&mut self, id: &str, shown: &[&str]) {
        let anchor_at = self
            .anchor
            .as_deref()
            .and_then(|a| shown.iter().position(|s| *s == a));
        let (Some(from), Some(to)) = (anchor_at, shown.iter().position(|s| *s == id)) else {
            self.toggle(id);
            return;
        };
        let select = self.ids.contains(shown[from]);
        let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
        for &row in &shown[lo..=hi] {
            if select {
                self.ids.insert(row.to_string());
            } else {
                self.ids.remove(row);
            }
        }
    }

    /// "Select all that match the filter": adds every shown row.
    pub fn select_all<'a>(&mut self, shown: impl IntoIterator<Item = &'a str>) {
        self.ids.extend(shown.into_iter().map(String::from));
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.anchor = None;
    }

    /// Drops ids that are no longer in the inventory (after a refresh).
    pub fn retain_known(&mut self, known: &HashSet<&str>) {
        self.ids.retain(|id| known.contains(id.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_click_selects_the_range_from_the_anchor_in_shown_order() {
        let shown = ["a", "b", "c", "d", "e"];
        let mut s = Selection::default();
        s.toggle("b");
        s.extend_to("d", &shown);
        assert!(["b", "c", "d"].iter().all(|id| s.contains(id)));
        assert_eq!(s.len(), 3);
        // Shift-click upwards from a deselected anchor deselects the range.
        s.toggle("d");
        s.extend_to("b", &shown);
        assert!(s.is_empty());
    }

    #[test]
    fn selection_survives_a_filter_change_until_cleared() {
        let mut s = Selection::default();
        s.select_all(["a", "b"]);
        // The filter now shows other rows; shift-click without the anchor in view toggles.
        s.extend_to("x", &["x", "y"]);
        assert_eq!(s.len(), 3);
        s.clear();
        assert!(s.is_empty());
    }

    #[test]
    fn refresh_drops_devices_that_are_gone() {
        let mut s = Selection::default();
        s.select_all(["a", "gone"]);
        s.retain_known(&["a", "b"].into_iter().collect());
        assert!(s.contains("a") && !s.contains("gone"));
    }
}
