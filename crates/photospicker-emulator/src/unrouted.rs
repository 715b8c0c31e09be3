//! Answers to requests no route takes. Google's front end answers an unknown
//! method on a known path with a 404 in its JSON envelope, like an unknown
//! path (never an empty 405), and so does the emulator.

use crate::error::ApiError;

pub async fn unknown_method() -> ApiError {
    ApiError::not_found("Method not found.")
}
