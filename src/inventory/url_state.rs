//! The inventory's filter and sort as a URL query (`#/cloudpcs?q=alex&status=failed,provisioning&sort=-name`),
//! so a filtered view can be bookmarked and shared with a colleague.

use url::form_urlencoded;

use super::filter::{Facet, InventoryFilter};
use super::sort::{Column, SortOrder};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InventoryView {
    pub filter: InventoryFilter,
    pub sort: SortOrder,
}

impl InventoryView {
    /// Encodes as a query string without the leading `?` (empty for the default view).
    pub fn to_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        let text = self.filter.text.trim();
        if !text.is_empty() {
            out.append_pair("q", text);
        }
        for facet in Facet::ALL {
            if let Some(values) = self.filter.facets.get(&facet) {
                if !values.is_empty() {
                    // Each value separately: policy names may contain commas.
                    for value in values {
                        out.append_pair(facet.key(), value);
                    }
                }
            }
        }
        if self.sort != SortOrder::default() {
            let sign = if self.sort.descending { "-" } else { "" };
            out.append_pair("sort", &format!("{sign}{}", self.sort.column.key()));
        }
        out.finish()
    }

    /// Decodes a query string (with or without `?`); unknown or malformed parts are ignored.
    pub fn from_query(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut view = InventoryView::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if key == "q" {
                view.filter.text = value.into_owned();
            } else if key == "sort" {
                let (descending, name) = match value.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, value.as_ref()),
                };
                if let Some(column) = Column::from_key(name) {
                    view.sort = SortOrder { column, descending };
                }
            } else if let Some(facet) = Facet::ALL.into_iter().find(|f| f.key() == key) {
                if !value.is_empty() {
                    view.filter
                        .facets
                        .entry(facet)
                        .or_default()
                        .insert(value.into_owned());
                }
            }
        }
        view
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_round_trips_through_the_url() {
        let mut view = InventoryView::default();
        view.filter.text = "alex wilber".into();
        view.filter.toggle(Facet::Status, "failed");
        view.filter.toggle(Facet::Status, "provisioned");
        view.filter.toggle(Facet::Policy, "Sales, EMEA & more");
        view.sort = SortOrder {
            column: Column::LastModified,
            descending: true,
        };
        let query = view.to_query();
        assert_eq!(
            query,
            "q=alex+wilber&status=failed&status=provisioned&policy=Sales%2C+EMEA+%26+more&sort=-modified"
        );
        assert_eq!(InventoryView::from_query(&format!("?{query}")), view);
    }

    #[test]
    fn the_default_view_is_an_empty_query_and_junk_is_ignored() {
        assert_eq!(InventoryView::default().to_query(), "");
        assert_eq!(
            InventoryView::from_query("sort=bogus&colour=red&status="),
            InventoryView::default()
        );
    }
}
