//! Sorting the inventory by any column. Sorting produces an order of row indexes once per sort
//! change; filtering then keeps that order, so typing never re-sorts. While the inventory
//! loads, rows arrive in batches: [`SortOrder::merge_appended`] sorts only the new ones and
//! merges them in, instead of sorting every row again on each batch.

use std::cmp::Ordering;

use super::row::DeviceRow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    DisplayName,
    UserPrincipalName,
    Status,
    OsVersion,
    UserAccountType,
    ProductType,
    ProvisioningPolicy,
    ServicePlan,
    LastModified,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::DisplayName,
        Column::UserPrincipalName,
        Column::Status,
        Column::OsVersion,
        Column::UserAccountType,
        Column::ProductType,
        Column::ProvisioningPolicy,
        Column::ServicePlan,
        Column::LastModified,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Column::DisplayName => "Name",
            Column::UserPrincipalName => "User",
            Column::Status => "Status",
            Column::OsVersion => "OS version",
            Column::UserAccountType => "Account type",
            Column::ProductType => "Product type",
            Column::ProvisioningPolicy => "Provisioning policy",
            Column::ServicePlan => "Service plan",
            Column::LastModified => "Last modified",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Column::DisplayName => "name",
            Column::UserPrincipalName => "user",
            Column::Status => "status",
            Column::OsVersion => "os",
            Column::UserAccountType => "account",
            Column::ProductType => "product",
            Column::ProvisioningPolicy => "policy",
            Column::ServicePlan => "plan",
            Column::LastModified => "modified",
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn value(self, row: &DeviceRow) -> &str {
        match self {
            Column::DisplayName => &row.display_name,
            Column::UserPrincipalName => &row.user_principal_name,
            Column::Status => &row.status,
            Column::OsVersion => &row.os_version,
            Column::UserAccountType => &row.user_account_type,
            Column::ProductType => &row.product_type,
            Column::ProvisioningPolicy => &row.provisioning_policy,
            Column::ServicePlan => &row.service_plan,
            Column::LastModified => &row.last_modified,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortOrder {
    pub column: Column,
    pub descending: bool,
}

impl Default for SortOrder {
    fn default() -> Self {
        Self {
            column: Column::DisplayName,
            descending: false,
        }
    }
}

impl SortOrder {
    /// Clicking a column header: the same column flips direction, another sorts ascending.
    pub fn clicked(self, column: Column) -> Self {
        if self.column == column {
            Self {
                column,
                descending: !self.descending,
            }
        } else {
            Self {
                column,
                descending: false,
            }
        }
    }

    /// Row indexes in this order. Case-insensitive, then by Cloud PC id so the order is stable
    /// and total (equal names never swap between loads).
    pub fn order(self, rows: &[DeviceRow]) -> Vec<u32> {
        self.sorted(rows, 0..rows.len() as u32)
    }

    /// `previous` (this order of `rows[..first_new]`) with the rows from `first_new` on merged
    /// in: the same result as [`SortOrder::order`], at the cost of sorting only the new rows.
    pub fn merge_appended(
        self,
        rows: &[DeviceRow],
        previous: &[u32],
        first_new: usize,
    ) -> Vec<u32> {
        let fresh = self.sorted(rows, first_new as u32..rows.len() as u32);
        let mut merged = Vec::with_capacity(previous.len() + fresh.len());
        let (mut old, mut new) = (previous.iter().peekable(), fresh.iter().peekable());
        while let (Some(&&a), Some(&&b)) = (old.peek(), new.peek()) {
            if self.compare(rows, a, b) == Ordering::Greater {
                merged.push(b);
                new.next();
            } else {
                merged.push(a);
                old.next();
            }
        }
        merged.extend(old);
        merged.extend(new);
        merged
    }

    /// The indexes `which` in this order, with each row's key lower-cased once.
    fn sorted(self, rows: &[DeviceRow], which: std::ops::Range<u32>) -> Vec<u32> {
        let first = which.start as usize;
        let keys: Vec<String> = rows[first..which.end as usize]
            .iter()
            .map(|r| lower(self.column.value(r)).collect())
            .collect();
        let mut order: Vec<u32> = which.collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            self.directed(keys[a - first].cmp(&keys[b - first]))
                .then_with(|| rows[a].id.cmp(&rows[b].id))
        });
        order
    }

    /// Compares two rows the way [`SortOrder::order`] does, lower-casing on the fly.
    fn compare(self, rows: &[DeviceRow], a: u32, b: u32) -> Ordering {
        let (a, b) = (&rows[a as usize], &rows[b as usize]);
        self.directed(lower(self.column.value(a)).cmp(lower(self.column.value(b))))
            .then_with(|| a.id.cmp(&b.id))
    }

    fn directed(self, primary: Ordering) -> Ordering {
        if self.descending {
            primary.reverse()
        } else {
            primary
        }
    }
}

/// Lower-cased character by character: one definition for sorting and merging, so both give
/// the same order.
fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::filter::tests::row;

    #[test]
    fn sorts_case_insensitively_with_a_stable_tie_break_and_flips_on_second_click() {
        let rows = vec![
            row("z", "cpc-b", "u", "failed", "enterprise"),
            row("y", "CPC-a", "u", "provisioned", "enterprise"),
            row("x", "cpc-b", "u", "failed", "enterprise"),
        ];
        let by_name = SortOrder::default();
        assert_eq!(by_name.order(&rows), vec![1, 2, 0]);
        let flipped = by_name.clicked(Column::DisplayName);
        assert!(flipped.descending);
        assert_eq!(flipped.order(&rows), vec![2, 0, 1]);
        let by_status = flipped.clicked(Column::Status);
        assert_eq!(
            by_status,
            SortOrder {
                column: Column::Status,
                descending: false
            }
        );
        assert_eq!(by_status.order(&rows), vec![2, 0, 1]);
    }

    #[test]
    fn merging_appended_rows_gives_the_full_sort() {
        let names = [
            "cpc-b", "CPC-a", "cpc-b", "Zed", "alpha", "ÉCOLE", "école", "", "Mid", "cpc-A",
        ];
        let rows: Vec<DeviceRow> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                row(
                    &format!("id{}", (i * 7) % 10),
                    n,
                    &format!("u{}", 9 - i),
                    "failed",
                    "enterprise",
                )
            })
            .collect();
        for column in [
            Column::DisplayName,
            Column::UserPrincipalName,
            Column::Status,
        ] {
            for descending in [false, true] {
                let sort = SortOrder { column, descending };
                for split in 0..=rows.len() {
                    let previous = sort.order(&rows[..split]);
                    assert_eq!(
                        sort.merge_appended(&rows, &previous, split),
                        sort.order(&rows),
                        "{column:?} {descending} {split}"
                    );
                }
            }
        }
    }

    #[test]
    fn column_keys_round_trip() {
        for c in Column::ALL {
            assert_eq!(Column::from_key(c.key()), Some(c));
        }
    }
}
