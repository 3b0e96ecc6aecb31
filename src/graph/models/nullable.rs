//! Serde helpers for Graph's nullable collections.

use serde::{Deserialize, Deserializer};

/// Reads a JSON array that Graph may also send as `null` (or omit, with `#[serde(default)]`):
/// `null` becomes an empty `Vec`.
pub(crate) fn vec_or_null<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// Reads a number that Graph may send as `null`: `null` becomes 0.
pub(crate) fn count_or_null<'de, D>(deserializer: D) -> Result<u32, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<u32>::deserialize(deserializer)?.unwrap_or_default())
}
