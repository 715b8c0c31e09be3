//! The project's progenitor settings: builder interface, mandatory hooks, and
//! the hand-written types that replace what the generator would get wrong.

use progenitor::{GenerationSettings, HooksMode, InterfaceStyle, TypeImpl};
use quote::quote;
use schemars::schema::{InstanceType, SchemaObject};

/// Enums that the service may extend: replaced by types that keep unknown values,
/// because a generated enum fails the whole response on a new variant.
const OPEN_ENUMS: &[(&str, &str)] = &[
    ("Type", "crate::MediaType"),
    ("VideoProcessingStatus", "crate::VideoProcessingStatus"),
];

/// Scalar encodings of proto3 JSON that need a type of their own.
const CONVERSIONS: &[(InstanceType, &str, &str)] = &[
    // "1.5s", "0.033333335s": never an integer, never milliseconds.
    (InstanceType::String, "google-duration", "crate::GoogleDuration"),
    // int64 travels as a JSON string; parsers must also accept a number.
    (InstanceType::String, "int64", "crate::Int64"),
    // int32 travels as a number; some servers and fixtures send strings.
    (InstanceType::Integer, "int32", "crate::Int32"),
    // A float read into f32 re-encodes as 1.6799999475479126 instead of 1.68.
    (InstanceType::Number, "float", "f64"),
];

pub(crate) fn generation_settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::Hooks))
        .with_derive("PartialEq");
    for (name, replacement) in OPEN_ENUMS {
        settings.with_replacement(
            name,
            replacement,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    for (instance_type, format, type_name) in CONVERSIONS {
        let schema = SchemaObject {
            instance_type: Some((*instance_type).into()),
            format: Some((*format).to_string()),
            ..Default::default()
        };
        settings.with_conversion(
            schema,
            type_name,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}
