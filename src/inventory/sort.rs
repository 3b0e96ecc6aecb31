//! Sorting the inventory by any column. Sorting produces an order of row indexes once per sort
//! change; filtering then keeps that order, so typing never re-sorts.

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
        let keys: Vec<String> = rows
            .iter()
            .map(|r| self.column.value(r).to_lowercase())
            .collect();
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            let primary = keys[a].cmp(&keys[b]);
            let primary = if self.descending {
                primary.reverse()
            } else {
                primary
            };
            match primary {
                Ordering::Equal => rows[a].id.cmp(&rows[b].id),
                other => other,
            }
        });
        order
    }
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
    fn column_keys_round_trip() {
        for c in Column::ALL {
            assert_eq!(Column::from_key(c.key()), Some(c));
        }
    }
}
