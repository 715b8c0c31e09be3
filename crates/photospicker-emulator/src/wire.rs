//! The emulator's JSON, built from the types generated from the OpenAPI specs
//! (the same ones the client parses), so the shapes cannot drift from the spec.
//!
//! Like Google's proto3 JSON mapping, fields holding their default value
//! (`false`, `0`, `""`, empty lists) are left out: every optional field goes
//! through [`set`], and empty lists are skipped by the generated types.

use crate::library::{Kind, LibraryItem};
use crate::state::Session;
use chrono::{DateTime, SecondsFormat, Utc};
use photospicker_api::codes::Code;
use photospicker_api::library::types as library;
use photospicker_api::picker::types as picker;
use photospicker_api::{GoogleDuration, Int32, Int64, MediaType, VideoProcessingStatus};
use serde_json::Value;

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A proto3 scalar field: absent when it holds the type's default value.
fn set<T: Default + PartialEq>(value: T) -> Option<T> {
    (value != T::default()).then_some(value)
}

fn text(value: &str) -> Option<String> {
    set(value.to_string())
}

fn json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("generated types always serialise")
}

fn duration(d: chrono::Duration) -> GoogleDuration {
    d.max(chrono::Duration::zero()).to_std().map(GoogleDuration::from).unwrap_or_default()
}

pub fn session(session: &Session, picker_base: &str, now: DateTime<Utc>) -> Value {
    let picked = session.picked.is_some();
    // pollingConfig is a message: set (with "0s" durations, if so) while
    // picking is open, unset afterwards.
    let polling_config = (!picked).then(|| picker::PollingConfig {
        poll_interval: Some(GoogleDuration::from(session.poll_interval)),
        timeout_in: Some(duration(session.timeout_at - now)),
    });
    json(picker::PickingSession {
        id: Some(session.id.clone()),
        picker_uri: Some(format!("{picker_base}/picker/{}", session.id)),
        expire_time: Some(session.expire_time),
        picking_config: Some(picker::PickingConfig { max_item_count: set(session.max_item_count).map(Int64) }),
        media_items_set: set(picked),
        polling_config,
    })
}

pub fn picked_item(item: &LibraryItem, base_url: String) -> picker::PickedMediaItem {
    let photo_metadata = item.photo.as_ref().map(|photo| picker::PhotoMetadata {
        focal_length: set(photo.focal_length),
        aperture_f_number: set(photo.aperture_f_number),
        iso_equivalent: set(photo.iso_equivalent).map(Int32),
        exposure_time: photo.exposure_time.parse().ok(),
    });
    let video_metadata = item.video.as_ref().map(|video| picker::VideoMetadata {
        fps: set(video.fps),
        processing_status: Some(video.processing_status.parse::<VideoProcessingStatus>().unwrap_or_default()),
    });
    picker::PickedMediaItem {
        id: Some(item.id.clone()),
        create_time: Some(item.create_time),
        type_: Some(match item.kind {
            Kind::Photo => MediaType::Photo,
            Kind::Video => MediaType::Video,
        }),
        media_file: Some(picker::MediaFile {
            base_url: Some(base_url),
            mime_type: text(item.mime_type),
            filename: text(&item.filename),
            media_file_metadata: Some(picker::MediaFileMetadata {
                width: set(item.width as i32).map(Int32),
                height: set(item.height as i32).map(Int32),
                camera_make: text(item.camera_make),
                camera_model: text(item.camera_model),
                photo_metadata,
                video_metadata,
            }),
        }),
    }
}

/// One page of mediaItems.list; an empty last page is `{}`.
pub fn media_items_page(items: Vec<picker::PickedMediaItem>, next_page_token: Option<String>) -> Value {
    json(picker::ListMediaItemsResponse { media_items: items, next_page_token })
}

pub fn library_item(item: &LibraryItem, base_url: String) -> library::MediaItem {
    let photo = item.photo.as_ref().map(|photo| library::Photo {
        camera_make: text(item.camera_make),
        camera_model: text(item.camera_model),
        focal_length: set(photo.focal_length),
        aperture_f_number: set(photo.aperture_f_number),
        iso_equivalent: set(photo.iso_equivalent).map(Int32),
        exposure_time: photo.exposure_time.parse().ok(),
    });
    let video = item.video.as_ref().map(|video| library::Video {
        camera_make: text(item.camera_make),
        camera_model: text(item.camera_model),
        fps: set(video.fps),
        status: Some(video.processing_status.parse::<VideoProcessingStatus>().unwrap_or_default()),
    });
    library::MediaItem {
        id: Some(item.id.clone()),
        description: text(&item.description),
        product_url: Some(format!("https://photos.google.com/lr/photo/{}", item.id)),
        base_url: Some(base_url),
        mime_type: text(item.mime_type),
        media_metadata: Some(library::MediaMetadata {
            creation_time: Some(item.create_time),
            width: set(i64::from(item.width)).map(Int64),
            height: set(i64::from(item.height)).map(Int64),
            photo,
            video,
        }),
        contributor_info: None,
        filename: text(&item.filename),
    }
}

/// A batchGet entry that failed on its own, with its google.rpc code.
pub fn failed_result(code: Code, message: &str) -> library::MediaItemResult {
    let status = library::Status { code: Some(Int32(code.number())), message: text(message), details: Vec::new() };
    library::MediaItemResult { status: Some(status), media_item: None }
}

pub fn found_result(item: library::MediaItem) -> library::MediaItemResult {
    library::MediaItemResult { status: None, media_item: Some(item) }
}

pub fn batch_get_response(results: Vec<library::MediaItemResult>) -> Value {
    json(library::BatchGetMediaItemsResponse { media_item_results: results })
}
