//! The typed model: what the generated types say, with `Option`s resolved
//! where the API guarantees a value, durations as `std::time::Duration`,
//! int64 strings as integers, and enums that keep unknown values. Each type
//! converts to and from the API's own JSON (`to_json` / `from_json`), e.g. to
//! keep a session between two HTTP requests of a web app.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use photospicker_api::{library::types as lib, picker::types as api, GoogleDuration, Int32, Int64};
pub use photospicker_api::{MediaType, VideoProcessingStatus};
use std::fmt;
use std::time::Duration;

fn from_std(duration: Duration) -> Option<GoogleDuration> {
    Some(duration.into())
}

/// An id from the service that is later sent back in a URL: one the client
/// would refuse from a caller (a path step …) is a decode error here.
fn service_id(id: String, what: &str) -> Result<String> {
    match crate::ids::id_problem(what, &id) {
        Some(problem) => Err(Error::decode(problem)),
        None => Ok(id),
    }
}

/// A `google.protobuf.Timestamp` holds 0001-01-01T00:00:00Z to
/// 9999-12-31T23:59:59.999999999Z; a time outside it (which Python's
/// `datetime` cannot hold either) is a decode error, not a value that fails later.
fn timestamp(time: Option<DateTime<Utc>>, what: &str) -> Result<Option<DateTime<Utc>>> {
    use chrono::Datelike;
    match time {
        Some(t) if !(1..=9999).contains(&t.year()) => Err(Error::decode(format!("{what} {t} is outside the years 1 to 9999 a timestamp can hold"))),
        other => Ok(other),
    }
}

/// A string field the API always sends: absent or empty is a decode error.
fn required(value: Option<String>, what: &str) -> Result<String> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| Error::decode(format!("{what} is missing")))
}

/// Host of a URL, for `Debug` output that must not leak the URL itself.
pub(crate) fn redacted_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(parsed) => format!("{}://{}/<redacted>", parsed.scheme(), parsed.host_str().unwrap_or("?")),
        Err(_) => "<redacted>".into(),
    }
}

macro_rules! api_json {
    ($type:ty, $api:ty) => {
        impl crate::value::ApiJson for $type {
            fn to_json(&self) -> String {
                <$type>::to_json(self)
            }

            fn from_json(json: &str) -> Result<Self> {
                <$type>::from_json(json)
            }
        }

        impl $type {
            /// Encodes this value in the API's own JSON shape.
            pub fn to_json(&self) -> String {
                serde_json::to_string(&<$api>::from(self)).expect("API types always encode")
            }

            /// Decodes a value from the API's JSON shape (as `to_json` writes it).
            pub fn from_json(json: &str) -> Result<Self> {
                crate::value::check_json_shape(json)?;
                let decoded: $api = serde_json::from_str(json).map_err(Error::decode)?;
                Self::try_from(decoded)
            }
        }
    };
}

/// Photo details from either API's photo type (their fields share names).
macro_rules! photo_from_api {
    ($photo:expr) => {{
        let photo = $photo;
        PhotoMetadata {
            focal_length: photo.focal_length,
            aperture_f_number: photo.aperture_f_number,
            iso_equivalent: photo.iso_equivalent.map(Int32::get),
            exposure_time: photo.exposure_time.and_then(GoogleDuration::to_std),
        }
    }};
}

value! {
/// How the app should poll `sessions.get`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PollingConfig {
    /// The recommended gap between polls (`None` when not sent: the
    /// poller then uses its default).
    pub poll_interval: Option<Duration>,
    /// How much longer to poll; zero means stop now, `None` (not sent)
    /// means the service set no limit: poll until the caller's deadline or
    /// the session's `expire_time`.
    pub timeout_in: Option<Duration>,
}
}

impl TryFrom<api::PollingConfig> for PollingConfig {
    type Error = Error;

    fn try_from(p: api::PollingConfig) -> Result<Self> {
        Ok(Self { poll_interval: p.poll_interval.and_then(GoogleDuration::to_std), timeout_in: p.timeout_in.and_then(GoogleDuration::to_std) })
    }
}

impl From<&PollingConfig> for api::PollingConfig {
    fn from(p: &PollingConfig) -> Self {
        Self { poll_interval: p.poll_interval.and_then(from_std), timeout_in: p.timeout_in.and_then(from_std) }
    }
}

api_json!(PollingConfig, api::PollingConfig);

value! {
/// A picking session.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PickingSession {
    /// The session id.
    pub id: String,
    /// Where the user picks: open it in a browser tab (never an iframe) or show it as a QR code.
    pub picker_uri: String,
    /// Present while the user has not finished picking.
    pub polling_config: Option<PollingConfig>,
    /// When access to the session and its items ends.
    pub expire_time: Option<DateTime<Utc>>,
    /// The most items the user may pick.
    pub max_item_count: Option<i64>,
    /// True once the user finished picking and the items can be listed.
    pub media_items_set: bool,
}
}

impl PickingSession {
    /// The `pickerUri` with `/autoclose`, which closes the tab when the user is done.
    pub fn picker_uri_autoclose(&self) -> String {
        format!("{}/autoclose", self.picker_uri.trim_end_matches('/'))
    }
}

impl TryFrom<api::PickingSession> for PickingSession {
    type Error = Error;

    fn try_from(s: api::PickingSession) -> Result<Self> {
        Ok(Self {
            id: service_id(required(s.id, "the session's id")?, "the session's id")?,
            // Every session the service returns has one; without it the user cannot pick.
            picker_uri: required(s.picker_uri, "the session's pickerUri")?,
            polling_config: s.polling_config.map(PollingConfig::try_from).transpose()?,
            expire_time: timestamp(s.expire_time, "the session's expireTime")?,
            max_item_count: s.picking_config.and_then(|c| c.max_item_count).map(Int64::get),
            media_items_set: s.media_items_set.unwrap_or(false),
        })
    }
}

impl From<&PickingSession> for api::PickingSession {
    fn from(s: &PickingSession) -> Self {
        Self {
            id: Some(s.id.clone()),
            picker_uri: Some(s.picker_uri.clone()),
            polling_config: s.polling_config.as_ref().map(api::PollingConfig::from),
            expire_time: s.expire_time,
            picking_config: s.max_item_count.map(|n| api::PickingConfig { max_item_count: Some(Int64(n)) }),
            media_items_set: Some(s.media_items_set),
        }
    }
}

api_json!(PickingSession, api::PickingSession);

value! {
/// Metadata of a photo.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PhotoMetadata {
    /// Focal length in millimetres.
    pub focal_length: Option<f64>,
    /// Aperture f-number.
    pub aperture_f_number: Option<f64>,
    /// ISO.
    pub iso_equivalent: Option<i32>,
    /// Exposure time.
    pub exposure_time: Option<Duration>,
}
}

impl TryFrom<api::PhotoMetadata> for PhotoMetadata {
    type Error = Error;

    fn try_from(photo: api::PhotoMetadata) -> Result<Self> {
        Ok(photo_from_api!(photo))
    }
}

impl From<&PhotoMetadata> for api::PhotoMetadata {
    fn from(p: &PhotoMetadata) -> Self {
        Self {
            focal_length: p.focal_length,
            aperture_f_number: p.aperture_f_number,
            iso_equivalent: p.iso_equivalent.map(Int32),
            exposure_time: p.exposure_time.and_then(from_std),
        }
    }
}

api_json!(PhotoMetadata, api::PhotoMetadata);

value! {
/// Metadata of a video.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VideoMetadata {
    /// Frame rate.
    pub fps: Option<f64>,
    /// Whether the video can be downloaded yet (`Ready`).
    pub processing_status: VideoProcessingStatus,
}
}

impl TryFrom<api::VideoMetadata> for VideoMetadata {
    type Error = Error;

    fn try_from(v: api::VideoMetadata) -> Result<Self> {
        Ok(Self { fps: v.fps, processing_status: v.processing_status.unwrap_or_default() })
    }
}

impl From<&VideoMetadata> for api::VideoMetadata {
    fn from(v: &VideoMetadata) -> Self {
        Self { fps: v.fps, processing_status: Some(v.processing_status.clone()) }
    }
}

api_json!(VideoMetadata, api::VideoMetadata);

value! {
/// Metadata of a picked file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaFileMetadata {
    /// Original width in pixels (int32 in the Picker API).
    pub width: Option<i32>,
    /// Original height in pixels.
    pub height: Option<i32>,
    /// Camera brand.
    pub camera_make: Option<String>,
    /// Camera model.
    pub camera_model: Option<String>,
    /// Set for photos.
    pub photo: Option<PhotoMetadata>,
    /// Set for videos.
    pub video: Option<VideoMetadata>,
}
}

impl TryFrom<api::MediaFileMetadata> for MediaFileMetadata {
    type Error = Error;

    fn try_from(meta: api::MediaFileMetadata) -> Result<Self> {
        Ok(Self {
            width: meta.width.map(Int32::get),
            height: meta.height.map(Int32::get),
            camera_make: meta.camera_make,
            camera_model: meta.camera_model,
            photo: meta.photo_metadata.map(PhotoMetadata::try_from).transpose()?,
            video: meta.video_metadata.map(VideoMetadata::try_from).transpose()?,
        })
    }
}

impl From<&MediaFileMetadata> for api::MediaFileMetadata {
    fn from(meta: &MediaFileMetadata) -> Self {
        Self {
            width: meta.width.map(Int32),
            height: meta.height.map(Int32),
            camera_make: meta.camera_make.clone(),
            camera_model: meta.camera_model.clone(),
            photo_metadata: meta.photo.as_ref().map(api::PhotoMetadata::from),
            video_metadata: meta.video.as_ref().map(api::VideoMetadata::from),
        }
    }
}

api_json!(MediaFileMetadata, api::MediaFileMetadata);

value! {
/// The file behind a picked item. `Debug` shows only the host of `base_url`.
#[derive(Clone, PartialEq, Default)]
pub struct MediaFile {
    /// Where the bytes are, for about 60 minutes after listing; needs the token.
    pub base_url: String,
    /// MIME type, e.g. `image/jpeg`.
    pub mime_type: String,
    /// The file name as the user's library has it (not safe as a path: see downloads).
    pub filename: String,
    /// Sizes, camera, photo or video details.
    pub metadata: MediaFileMetadata,
}
}

impl fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaFile")
            .field("base_url", &redacted_url(&self.base_url))
            .field("mime_type", &self.mime_type)
            .field("filename", &self.filename)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl TryFrom<api::MediaFile> for MediaFile {
    type Error = Error;

    fn try_from(file: api::MediaFile) -> Result<Self> {
        Ok(Self {
            base_url: file.base_url.unwrap_or_default(),
            mime_type: file.mime_type.unwrap_or_default(),
            filename: file.filename.unwrap_or_default(),
            metadata: MediaFileMetadata::try_from(file.media_file_metadata.unwrap_or_default())?,
        })
    }
}

impl From<&MediaFile> for api::MediaFile {
    fn from(file: &MediaFile) -> Self {
        Self {
            base_url: Some(file.base_url.clone()).filter(|s| !s.is_empty()),
            mime_type: Some(file.mime_type.clone()).filter(|s| !s.is_empty()),
            filename: Some(file.filename.clone()).filter(|s| !s.is_empty()),
            media_file_metadata: Some(api::MediaFileMetadata::from(&file.metadata)),
        }
    }
}

api_json!(MediaFile, api::MediaFile);

value! {
/// An item the user picked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PickedMediaItem {
    /// Persistent id, the same across sessions.
    pub id: String,
    /// When the media was created.
    pub create_time: Option<DateTime<Utc>>,
    /// Photo or video (or a kind this version does not know).
    pub media_type: MediaType,
    /// The file.
    pub media_file: MediaFile,
    /// The session it was listed in, used to refresh an expired `base_url`.
    pub session_id: Option<String>,
}
}

impl PickedMediaItem {
    /// Whether this is a video that is not yet (or never) downloadable.
    pub fn video_not_ready(&self) -> bool {
        self.media_type == MediaType::Video
            && self.media_file.metadata.video.as_ref().is_none_or(|v| v.processing_status != VideoProcessingStatus::Ready)
    }
}

impl TryFrom<api::PickedMediaItem> for PickedMediaItem {
    type Error = Error;

    fn try_from(item: api::PickedMediaItem) -> Result<Self> {
        Ok(Self {
            id: required(item.id, "a media item's id")?,
            create_time: timestamp(item.create_time, "a media item's createTime")?,
            media_type: item.type_.unwrap_or_default(),
            media_file: MediaFile::try_from(item.media_file.unwrap_or_default())?,
            session_id: None,
        })
    }
}

impl From<&PickedMediaItem> for api::PickedMediaItem {
    fn from(item: &PickedMediaItem) -> Self {
        Self {
            id: Some(item.id.clone()),
            create_time: item.create_time,
            type_: Some(item.media_type.clone()),
            media_file: Some(api::MediaFile::from(&item.media_file)),
        }
    }
}

api_json!(PickedMediaItem, api::PickedMediaItem);

value! {
/// Metadata of a Library media item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaMetadata {
    /// When the media was created.
    pub creation_time: Option<DateTime<Utc>>,
    /// Original width in pixels.
    pub width: Option<i64>,
    /// Original height in pixels.
    pub height: Option<i64>,
    /// Camera brand (photo or video).
    pub camera_make: Option<String>,
    /// Camera model (photo or video).
    pub camera_model: Option<String>,
    /// Set for photos.
    pub photo: Option<PhotoMetadata>,
    /// Set for videos.
    pub video: Option<VideoMetadata>,
}
}

impl TryFrom<lib::MediaMetadata> for MediaMetadata {
    type Error = Error;

    fn try_from(meta: lib::MediaMetadata) -> Result<Self> {
        let (camera_make, camera_model) = match (&meta.photo, &meta.video) {
            (Some(p), _) => (p.camera_make.clone(), p.camera_model.clone()),
            (None, Some(v)) => (v.camera_make.clone(), v.camera_model.clone()),
            _ => (None, None),
        };
        Ok(Self {
            creation_time: timestamp(meta.creation_time, "a media item's creationTime")?,
            width: meta.width.map(Int64::get),
            height: meta.height.map(Int64::get),
            camera_make,
            camera_model,
            photo: meta.photo.map(|p| photo_from_api!(p)),
            video: meta.video.map(|v| VideoMetadata { fps: v.fps, processing_status: v.status.unwrap_or_default() }),
        })
    }
}

impl From<&MediaMetadata> for lib::MediaMetadata {
    fn from(meta: &MediaMetadata) -> Self {
        Self {
            creation_time: meta.creation_time,
            width: meta.width.map(Int64),
            height: meta.height.map(Int64),
            photo: meta.photo.as_ref().map(|p| lib::Photo {
                camera_make: meta.camera_make.clone(),
                camera_model: meta.camera_model.clone(),
                focal_length: p.focal_length,
                aperture_f_number: p.aperture_f_number,
                iso_equivalent: p.iso_equivalent.map(Int32),
                exposure_time: p.exposure_time.and_then(from_std),
            }),
            video: meta.video.as_ref().map(|v| lib::Video {
                camera_make: meta.camera_make.clone(),
                camera_model: meta.camera_model.clone(),
                fps: v.fps,
                status: Some(v.processing_status.clone()),
            }),
        }
    }
}

api_json!(MediaMetadata, lib::MediaMetadata);

value! {
/// A media item of the Library API (from `batch_get_media_items`).
#[derive(Clone, PartialEq, Default)]
pub struct MediaItem {
    /// Persistent id.
    pub id: String,
    /// User-written description.
    pub description: Option<String>,
    /// Google Photos URL of the item, for the user.
    pub product_url: Option<String>,
    /// Where the bytes are, for about 60 minutes; needs the token.
    pub base_url: String,
    /// MIME type.
    pub mime_type: String,
    /// File name (not safe as a path: see downloads).
    pub filename: String,
    /// Sizes, camera, photo or video details.
    pub metadata: MediaMetadata,
}
}

impl fmt::Debug for MediaItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaItem")
            .field("id", &self.id)
            .field("base_url", &redacted_url(&self.base_url))
            .field("mime_type", &self.mime_type)
            .field("filename", &self.filename)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl TryFrom<lib::MediaItem> for MediaItem {
    type Error = Error;

    fn try_from(item: lib::MediaItem) -> Result<Self> {
        Ok(Self {
            id: required(item.id, "a media item's id")?,
            description: item.description,
            product_url: item.product_url,
            base_url: item.base_url.unwrap_or_default(),
            mime_type: item.mime_type.unwrap_or_default(),
            filename: item.filename.unwrap_or_default(),
            metadata: MediaMetadata::try_from(item.media_metadata.unwrap_or_default())?,
        })
    }
}

impl From<&MediaItem> for lib::MediaItem {
    fn from(item: &MediaItem) -> Self {
        Self {
            id: Some(item.id.clone()),
            description: item.description.clone(),
            product_url: item.product_url.clone(),
            base_url: Some(item.base_url.clone()).filter(|s| !s.is_empty()),
            mime_type: Some(item.mime_type.clone()).filter(|s| !s.is_empty()),
            filename: Some(item.filename.clone()).filter(|s| !s.is_empty()),
            contributor_info: None,
            media_metadata: Some(lib::MediaMetadata::from(&item.metadata)),
        }
    }
}

api_json!(MediaItem, lib::MediaItem);
