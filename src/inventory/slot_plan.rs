//! Which table row element shows which row of the list after the window changes, and which
//! elements have to move. The table keeps a pool of row elements (slots) and rewrites them in
//! place (see `ui::inventory::row_slots`); slots are keyed by the place in the list they show,
//! and this plan keeps that cheap:
//!
//! - a place still in view keeps its slot: scrolling rewrites only the rows coming into view,
//!   and a new filter rewrites each row where it stands (only where its Cloud PC changed);
//! - a place coming into view takes a slot whose place left, or an idle one, in document
//!   order;
//! - slots with nothing to show stay in the table, idle (hidden): taking a row element out and
//!   putting it back costs far more than hiding and showing it;
//! - only slots outside the longest run already in the right order move, so scrolling by one
//!   row moves one element.

use std::collections::HashMap;
use std::hash::Hash;

#[derive(Debug, PartialEq, Eq)]
pub struct SlotPlan {
    /// The slot for each wanted row, in order. Slots numbered from the pool's size up are new.
    pub slots: Vec<usize>,
    /// Per wanted row: its slot is already in the table where it belongs.
    pub stay: Vec<bool>,
    /// Slots that showed a row and now go idle.
    pub idle: Vec<usize>,
}

/// `table`: every slot in the table, in document order, with the key (place in the list) it
/// shows, or `None` when idle. New slots are numbered from `table.len()` up. `wanted`: the
/// keys to show, in order.
pub fn plan<K: Hash + Eq + Copy>(table: &[(usize, Option<K>)], wanted: &[K]) -> SlotPlan {
    let mut by_id: HashMap<K, usize> = table.iter().filter_map(|&(s, id)| Some((id?, s))).collect();
    let mut slots: Vec<Option<usize>> = wanted.iter().map(|id| by_id.remove(id)).collect();
    let kept: Vec<usize> = slots.iter().flatten().copied().collect();
    let attached_slots: Vec<usize> = table.iter().map(|&(s, _)| s).collect();
    let mut free = attached_slots.iter().copied().filter(|s| !kept.contains(s));
    let mut created = table.len();
    for slot in slots.iter_mut().filter(|s| s.is_none()) {
        *slot = Some(free.next().unwrap_or_else(|| {
            created += 1;
            created - 1
        }));
    }
    let slots: Vec<usize> = slots.into_iter().flatten().collect();
    let idle = table
        .iter()
        .filter(|&&(s, id)| id.is_some() && !slots.contains(&s))
        .map(|&(s, _)| s)
        .collect();
    let place: HashMap<usize, usize> = attached_slots
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, i))
        .collect();
    let positions: Vec<Option<usize>> = slots.iter().map(|s| place.get(s).copied()).collect();
    SlotPlan {
        stay: longest_increasing(&positions),
        slots,
        idle,
    }
}

/// Marks the entries of one longest strictly increasing run of `positions` (entries without
/// a position are never in it).
fn longest_increasing(positions: &[Option<usize>]) -> Vec<bool> {
    // Patience sorting: tails[k] is the entry ending the best run of length k + 1 so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; positions.len()];
    for (i, p) in positions.iter().enumerate() {
        let Some(p) = *p else { continue };
        let k = tails.partition_point(|&t| positions[t].is_some_and(|q| q < p));
        before[i] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut stay = vec![false; positions.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        stay[i] = true;
        at = before[i];
    }
    stay
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(ids: &[&'static str]) -> Vec<(usize, Option<&'static str>)> {
        ids.iter().map(|id| Some(*id)).enumerate().collect()
    }

    #[test]
    fn scrolling_down_one_row_moves_one_slot() {
        let p = plan(&table(&["a", "b", "c", "d"]), &["b", "c", "d", "e"]);
        assert_eq!(p.slots, vec![1, 2, 3, 0], "e takes a's slot");
        assert_eq!(p.stay, vec![true, true, true, false]);
        assert!(p.idle.is_empty());
    }

    #[test]
    fn scrolling_up_one_row_moves_one_slot() {
        let p = plan(&table(&["b", "c", "d", "e"]), &["a", "b", "c", "d"]);
        assert_eq!(p.slots, vec![3, 0, 1, 2]);
        assert_eq!(p.stay, vec![false, true, true, true]);
    }

    #[test]
    fn places_in_view_keep_their_slots() {
        let before: Vec<(usize, Option<usize>)> = (0..5).map(|k| (k, Some(10 + k))).collect();
        let p = plan(&before, &[10, 11, 12, 13, 14]);
        assert_eq!((p.slots, p.stay), ((0..5).collect(), vec![true; 5]));
    }

    #[test]
    fn new_keys_take_freed_slots_in_document_order() {
        let p = plan(&table(&["a", "b", "c"]), &["x", "b", "y"]);
        assert_eq!(p.slots, vec![0, 1, 2]);
        assert_eq!(p.stay, vec![true, true, true]);
    }

    #[test]
    fn fewer_rows_leave_slots_idle_and_more_rows_use_idle_slots_then_new_ones() {
        let p = plan(&table(&["a", "b", "c"]), &["c"]);
        assert_eq!((p.slots.clone(), p.idle.clone()), (vec![2], vec![0, 1]));
        // Idle slots stay where they are and are used (in document order) before new ones.
        let now = [(0, None), (1, None), (2, Some("c"))];
        let p = plan(&now, &["c", "d", "e", "f", "g"]);
        assert_eq!(p.slots, vec![2, 0, 1, 3, 4]);
        // "c" moves before the two idle slots now showing "d" and "e"; new slots go in.
        assert_eq!(p.stay, vec![false, true, true, false, false]);
        assert!(p.idle.is_empty());
        // Nothing to show: every slot goes idle, none is dropped.
        let p = plan(&table(&["a", "b"]), &[]);
        assert_eq!((p.slots.len(), p.idle), (0, vec![0, 1]));
    }

    #[test]
    fn idle_slots_taken_in_order_need_no_move() {
        let now = [(0, Some("a")), (1, None), (2, None)];
        let p = plan(&now, &["a", "b", "c"]);
        assert_eq!(p.slots, vec![0, 1, 2]);
        assert_eq!(p.stay, vec![true; 3]);
    }

    #[test]
    fn a_reversed_order_keeps_one_slot_and_moves_the_rest() {
        let p = plan(&table(&["a", "b", "c"]), &["c", "b", "a"]);
        assert_eq!(p.slots, vec![2, 1, 0]);
        assert_eq!(p.stay.iter().filter(|s| **s).count(), 1);
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
    }

    #[test]
    fn each_wanted_row_gets_its_own_slot_whatever_the_change() {
        // Every window of 5 over a list of 12, from every window before it.
        let ids: Vec<String> = (0..12).map(|i| format!("pc{i}")).collect();
        for from in 0..8 {
            for to in 0..8 {
                let before: Vec<(usize, Option<&str>)> = (0..5)
                    .map(|k| ((k + from) % 5, Some(ids[from + k].as_str())))
                    .collect();
                let wanted: Vec<&str> = ids[to..to + 5].iter().map(String::as_str).collect();
                let p = plan(&before, &wanted);
                let mut sorted = p.slots.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted.len(), 5, "{from} -> {to}: {:?}", p.slots);
                for (slot, id) in p.slots.iter().zip(&wanted) {
                    let (_, shown) = before.iter().find(|(s, _)| s == slot).expect("in table");
                    let kept = before.iter().any(|(_, i)| *i == Some(*id));
                    assert!(!kept || *shown == Some(*id), "{id} kept its slot");
                }
            }
        }
    }
}
