//! proto3 JSON scalars that need more care than a `String`: durations
//! (`"1.5s"`), int64 (a JSON string that parsers must also accept as a number)
//! and int32 (a number that some servers send as a string).

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A value that is not a valid proto3 JSON scalar of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarError(String);

impl fmt::Display for ScalarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScalarError {}

/// The largest magnitude of a `google.protobuf.Duration`, in seconds.
const MAX_DURATION_SECONDS: i64 = 315_576_000_000;

/// A `google.protobuf.Duration` in its JSON form: seconds with up to nine
/// fractional digits and an `s` suffix (`"5s"`, `"1.5s"`, `"0.033333335s"`).
///
/// It keeps the exact value (seconds and nanoseconds, possibly negative) and
/// re-encodes it with as few fractional digits as needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct GoogleDuration {
    negative: bool,
    seconds: u64,
    nanos: u32,
}

impl GoogleDuration {
    /// A zero duration (`"0s"`).
    pub const ZERO: Self = Self { negative: false, seconds: 0, nanos: 0 };

    /// The duration as a `std::time::Duration`; `None` when it is negative.
    pub fn to_std(self) -> Option<std::time::Duration> {
        (!self.negative || self.is_zero()).then(|| std::time::Duration::new(self.seconds, self.nanos))
    }

    /// Whether this is zero (the server's "stop polling now").
    pub fn is_zero(self) -> bool {
        self.seconds == 0 && self.nanos == 0
    }

    /// Whether this is below zero.
    pub fn is_negative(self) -> bool {
        self.negative && !self.is_zero()
    }

    /// The duration in (possibly fractional, possibly negative) seconds.
    pub fn as_secs_f64(self) -> f64 {
        let value = self.seconds as f64 + f64::from(self.nanos) / 1e9;
        if self.negative { -value } else { value }
    }
}

impl From<std::time::Duration> for GoogleDuration {
    fn from(d: std::time::Duration) -> Self {
        Self { negative: false, seconds: d.as_secs(), nanos: d.subsec_nanos() }
    }
}

impl FromStr for GoogleDuration {
    type Err = ScalarError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || ScalarError(format!("invalid duration {text:?}: expected seconds like \"1.5s\""));
        let body = text.strip_suffix('s').ok_or_else(bad)?;
        let (negative, body) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let (whole, fraction) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) {
            return Err(bad());
        }
        let seconds: u64 = whole.parse().map_err(|_| bad())?;
        let nanos = match fraction {
            None => 0,
            Some(f) if all_digits(f) && f.len() <= 9 => {
                f.parse::<u32>().map_err(|_| bad())? * 10u32.pow(9 - f.len() as u32)
            }
            Some(_) => return Err(bad()),
        };
        if seconds > MAX_DURATION_SECONDS as u64 {
            return Err(ScalarError(format!("duration {text:?} is out of range")));
        }
        // "-0s" is zero: one value, one encoding (found by fuzzing).
        let negative = negative && (seconds != 0 || nanos != 0);
        Ok(Self { negative, seconds, nanos })
    }
}

impl fmt::Display for GoogleDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.is_negative() { "-" } else { "" };
        if self.nanos == 0 {
            return write!(f, "{sign}{}s", self.seconds);
        }
        let fraction = format!("{:09}", self.nanos);
        write!(f, "{sign}{}.{}s", self.seconds, fraction.trim_end_matches('0'))
    }
}

impl Serialize for GoogleDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for GoogleDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// Declares an integer newtype that decodes from a JSON number or a decimal
/// string, and encodes the way proto3 JSON wants it.
macro_rules! lenient_integer {
    ($(#[$doc:meta])* $name:ident($inner:ty), encode_as_string = $as_string:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub $inner);

        impl $name {
            /// The plain integer.
            pub fn get(self) -> $inner {
                self.0
            }
        }

        impl From<$inner> for $name {
            fn from(value: $inner) -> Self {
                Self(value)
            }
        }

        impl From<$name> for $inner {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl FromStr for $name {
            type Err = ScalarError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.trim().parse().map(Self).map_err(|_| {
                    ScalarError(format!(concat!("invalid ", stringify!($inner), " {:?}"), text))
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if $as_string {
                    serializer.collect_str(&self.0)
                } else {
                    self.0.serialize(serializer)
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visit;
                impl<'de> de::Visitor<'de> for Visit {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("an ", stringify!($inner), " as a number or a decimal string"))
                    }

                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        <$inner>::try_from(v).map($name).map_err(|_| E::custom(format!("{v} is out of range")))
                    }

                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        <$inner>::try_from(v).map($name).map_err(|_| E::custom(format!("{v} is out of range")))
                    }

                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_any(Visit)
            }
        }
    };
}

lenient_integer!(
    /// A proto3 int64: encoded as a JSON string (`"50"`), decoded from a string or a number.
    Int64(i64), encode_as_string = true
);

lenient_integer!(
    /// A proto3 int32: encoded as a JSON number, decoded from a number or a string.
    Int32(i32), encode_as_string = false
);
