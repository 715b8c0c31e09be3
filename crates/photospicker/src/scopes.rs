//! The OAuth scope the Picker API needs (every method, and the media bytes).

/// The Picker API's OAuth scope.
pub const PICKER_SCOPE: &str = "https://www.googleapis.com/auth/photospicker.mediaitems.readonly";
