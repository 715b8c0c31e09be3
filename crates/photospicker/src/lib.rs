//! A typed, ergonomic client for the Google Photos Picker API.
//!
//! ```no_run
//! # async fn run() -> photospicker::Result<()> {
//! use photospicker::{Client, CreateSessionOptions, WaitOptions};
//!
//! let client = Client::builder().token("ya29.…").build()?;
//! let session = client.create_session(CreateSessionOptions::default()).await?;
//! println!("Pick your photos at {}", session.picker_uri);
//! client.wait_until_picked(&session.id, WaitOptions::default()).await?;
//! for item in client.list_all_media_items(&session.id).await? {
//!     client.download(&item, "photos".as_ref(), &Default::default()).await?;
//! }
//! client.delete_session(&session.id).await?;
//! # Ok(()) }
//! ```
//!
//! Under it is `photospicker-api`, generated at build time from the OpenAPI
//! spec; this crate adds auth, retries, polling, pagination and downloads,
//! and keeps reqwest and progenitor types out of its public API (depend on
//! `photospicker-api` directly for the raw generated client).

#![warn(missing_docs)]

mod auth;
mod batch;
mod body;
mod client;
mod deadline;
mod download;
mod emulator_host;
mod error;
mod flow;
mod ids;
#[macro_use]
mod value;
mod model;
mod per_process;
mod poll;
#[cfg(feature = "python")]
pub mod python;
mod redact;
mod retry;
mod retry_loop;
mod scopes;
#[cfg(feature = "login")]
pub mod login;
mod transport;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "yup-oauth2")]
mod yup;

pub use auth::{AccessToken, FnTokenProvider, StaticToken, TokenProvider};
pub use client::{Client, ClientBuilder, CreateSessionOptions, MAX_BATCH_IDS, MAX_LIST_PAGES, MAX_PAGE_SIZE};
pub use download::{content_url, safe_file_name, ContentParams, DownloadAllOptions, DownloadEvent, DownloadOptions, Downloadable, ProgressCallback, MAX_REFRESH_PAGES};
#[doc(hidden)]
pub use download::Media as DownloadMedia;
pub use emulator_host::{EMULATOR_HOST_VAR, EMULATOR_PLACEHOLDER_TOKEN};
pub use error::{Error, ErrorKind, Result};
pub use ids::{new_request_id, MAX_ID_LEN};
pub use flow::{PickOptions, Picked, PollCallback, SessionGuard};
pub use model::{
    MediaFile, MediaFileMetadata, MediaItem, MediaMetadata, MediaType, PhotoMetadata, PickedMediaItem, PickingSession,
    PollingConfig, VideoMetadata, VideoProcessingStatus,
};
pub use photospicker_api::codes::Code;
pub use photospicker_api::BoxFuture;
pub use poll::{PollEvent, Poller, WaitOptions};
pub use retry::RetryPolicy;
pub use retry_loop::with_deadline;
pub use tokio_util::sync::CancellationToken;
#[cfg(feature = "yup-oauth2")]
pub use yup::YupOauth2Provider;
pub use scopes::PICKER_SCOPE;

