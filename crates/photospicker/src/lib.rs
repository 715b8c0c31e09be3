//! The ergonomic photospicker client (work in progress): re-exports the typed model for now.
pub use photospicker_api::{picker, library, GoogleDuration, Int32, Int64, MediaType, VideoProcessingStatus};
