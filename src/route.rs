//! The console's pages as hash routes (`#/cloudpcs`, `#/cloudpcs?q=…`, `#/cloudpcs/{id}`).
//! Hash routes work on any static host and under any sub-path, with no server rewrite rules,
//! and survive a reload.

use url::form_urlencoded;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The inventory, with its filter and sort as a query string (without `?`).
    Inventory { query: String },
    /// One Cloud PC's page.
    Device { id: String },
    /// Anything else: shown as "page not found" with a way back.
    NotFound { hash: String },
    /// The tenant's bulk actions (`GET virtualEndpoint/bulkActions`).
    BulkActions,
    /// What this operator did in this session.
    Activity,
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = match hash.split_once('?') {
            Some((p, q)) => (p, q),
            None => (hash, ""),
        };
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        match segments.as_slice() {
            [] | ["cloudpcs"] => Route::Inventory {
                query: query.to_string(),
            },
            ["cloudpcs", id] => {
                let id: String = form_urlencoded::parse(format!("id={id}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                if id.is_empty() || id.chars().any(char::is_control) {
                    Route::NotFound {
                        hash: hash.to_string(),
                    }
                } else {
                    Route::Device { id }
                }
            }
            ["bulk-actions"] => Route::BulkActions,
            ["activity"] => Route::Activity,
            _ => Route::NotFound {
                hash: hash.to_string(),
            },
        }
    }

    /// The hash for this route, including `#`.
    pub fn href(&self) -> String {
        match self {
            Route::Inventory { query } if query.is_empty() => "#/cloudpcs".to_string(),
            Route::Inventory { query } => format!("#/cloudpcs?{query}"),
            Route::Device { id } => {
                let encoded: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
                format!("#/cloudpcs/{encoded}")
            }
            Route::NotFound { hash } => format!("#{hash}"),
            Route::BulkActions => "#/bulk-actions".to_string(),
            Route::Activity => "#/activity".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_pages() {
        assert_eq!(
            Route::parse(""),
            Route::Inventory {
                query: String::new()
            }
        );
        assert_eq!(
            Route::parse("#/"),
            Route::Inventory {
                query: String::new()
            }
        );
        assert_eq!(
            Route::parse("#/cloudpcs?q=alex&status=failed"),
            Route::Inventory {
                query: "q=alex&status=failed".into()
            }
        );
        assert_eq!(
            Route::parse("#/cloudpcs/4b5ad5e0-6a0b-4ffc-818d-36bb23cf4dbd"),
            Route::Device {
                id: "4b5ad5e0-6a0b-4ffc-818d-36bb23cf4dbd".into()
            }
        );
        assert!(matches!(
            Route::parse("#/nowhere/x/y"),
            Route::NotFound { .. }
        ));
    }

    #[test]
    fn bulk_actions_and_activity_pages_round_trip() {
        for route in [Route::BulkActions, Route::Activity] {
            assert_eq!(Route::parse(&route.href()), route);
        }
        assert_eq!(Route::parse("#/bulk-actions/"), Route::BulkActions);
        assert!(matches!(
            Route::parse("#/activity/x"),
            Route::NotFound { .. }
        ));
    }

    #[test]
    fn device_ids_are_encoded_and_round_trip() {
        for id in ["plain-id", "odd id/with?chars&=", "ünïcode"] {
            let route = Route::Device { id: id.into() };
            let href = route.href();
            assert!(!href[11..].contains('/') && !href.contains('?'), "{href}");
            assert_eq!(Route::parse(&href), route);
        }
    }
}
