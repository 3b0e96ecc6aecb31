//! `string_enum!`: Graph enums that survive members they have never heard of.
//!
//! Graph adds enum members all the time (and only sends them to clients that send
//! `Prefer: include-unknown-enum-members`). Every enum of this module therefore has an
//! `Unknown(String)` variant that keeps the raw value, serializes back to exactly that value and
//! displays it, so the console renders new states instead of failing on them.

/// Declares a Graph string enum with an `Unknown(String)` fallback variant.
///
/// Generated: `as_str`, `parse` (exact member name first, then a case-insensitive match because
/// some documents show e.g. `None` for `none`), `Display`, `FromStr`, `From<&str>`, `Serialize`
/// and `Deserialize` (from a JSON string).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the console does not know; kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// Every member this version knows, in declaration order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The value exactly as Graph writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(raw) => raw.as_str(),
                }
            }

            /// Parses Graph's value; never fails (unknown values become `Unknown`).
            pub fn parse(raw: &str) -> Self {
                match raw {
                    $( $wire => return $name::$variant, )+
                    _ => {}
                }
                $(
                    if raw.eq_ignore_ascii_case($wire) {
                        return $name::$variant;
                    }
                )+
                $name::Unknown(raw.to_owned())
            }

            /// True when the value is not one this version knows.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::parse(s))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::parse(&raw))
            }
        }
    };
}

pub(crate) use string_enum;
