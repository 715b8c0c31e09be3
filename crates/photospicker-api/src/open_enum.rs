//! Enums that keep values they do not know: the service adds enum values
//! without a version bump, and one new value must not fail a whole response.

/// Declares a string enum with an `Unknown(String)` variant that preserves
/// whatever the server sent (and re-encodes it unchanged).
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident, python $py:ident $pyname:literal { $($(#[$vdoc:meta])* $variant:ident = $wire:literal / $number:literal),+ $(,)? }) => {
        python_open_enum!($name, $py, $pyname, [$($variant = $wire),+]);

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this version does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The name used on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(other) => other,
                }
            }

            /// Whether this is a value this version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            fn from_number(number: i64) -> Self {
                match number {
                    $($number => Self::$variant,)+
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::from_number(0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(match text {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_string()),
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // proto3 JSON parsers accept an enum's name or its number.
                #[derive(serde::Deserialize)]
                #[serde(untagged)]
                enum Wire {
                    Name(String),
                    Number(i64),
                }
                Ok(match Wire::deserialize(deserializer)? {
                    Wire::Name(name) => name.parse().unwrap_or_else(|never| match never {}),
                    Wire::Number(number) => Self::from_number(number),
                })
            }
        }
    };
}

open_enum!(
    /// The kind of a picked media item (`Type` in the Picker reference).
    MediaType, python PyMediaType "MediaType" {
        /// Not specified.
        Unspecified = "TYPE_UNSPECIFIED" / 0,
        /// A photo.
        Photo = "PHOTO" / 1,
        /// A video.
        Video = "VIDEO" / 2,
    }
);

open_enum!(
    /// Processing state of a video; only `Ready` videos can be downloaded.
    VideoProcessingStatus, python PyVideoProcessingStatus "VideoProcessingStatus" {
        /// Unknown.
        Unspecified = "UNSPECIFIED" / 0,
        /// Being processed; not yet playable.
        Processing = "PROCESSING" / 1,
        /// Processed; viewable and downloadable.
        Ready = "READY" / 2,
        /// Processing failed.
        Failed = "FAILED" / 3,
    }
);
