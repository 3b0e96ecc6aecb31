//! The inventory's logic, free of the DOM: compact rows for tens of thousands of Cloud PCs,
//! filtering with facet counts, sorting, selection, the virtual scrolling window, and the
//! filter state kept in the URL.

pub mod filter;
pub mod filter_cache;
pub mod query;
pub mod row;
pub mod selection;
pub mod slot_plan;
pub mod sort;
pub mod text_index;
pub mod url_state;
pub mod viewport;

pub use query::{inventory_query, INVENTORY_PROPERTIES};
