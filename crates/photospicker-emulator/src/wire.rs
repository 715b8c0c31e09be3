//! The emulator's JSON, shaped exactly like Google's proto3 JSON: int64 as
//! strings, int32 as numbers, durations as `"1.5s"`, timestamps in UTC with Z.

use crate::library::{Kind, LibraryItem};
use crate::state::Session;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub fn duration(d: Duration) -> String {
    let d = d.max(Duration::zero());
    let seconds = d.num_seconds();
    let nanos = (d - Duration::seconds(seconds)).num_nanoseconds().unwrap_or(0);
    if nanos == 0 {
        format!("{seconds}s")
    } else {
        format!("{seconds}.{}s", format!("{nanos:09}").trim_end_matches('0'))
    }
}

pub fn session(session: &Session, picker_base: &str, now: DateTime<Utc>) -> Value {
    let mut out = json!({
        "id": session.id,
        "pickerUri": format!("{picker_base}/picker/{}", session.id),
        "expireTime": timestamp(session.expire_time),
        "pickingConfig": {"maxItemCount": session.max_item_count.to_string()},
        "mediaItemsSet": session.picked.is_some(),
    });
    if session.picked.is_none() {
        out["pollingConfig"] = json!({
            "pollInterval": duration(Duration::from_std(session.poll_interval).unwrap_or(Duration::MAX)),
            "timeoutIn": duration(session.timeout_at - now),
        });
    }
    out
}

pub fn picked_item(item: &LibraryItem, base_url: String) -> Value {
    let mut metadata = json!({
        "width": item.width,
        "height": item.height,
        "cameraMake": item.camera_make,
        "cameraModel": item.camera_model,
    });
    if let Some(photo) = &item.photo {
        metadata["photoMetadata"] = json!({
            "focalLength": photo.focal_length,
            "apertureFNumber": photo.aperture_f_number,
            "isoEquivalent": photo.iso_equivalent,
            "exposureTime": photo.exposure_time,
        });
    }
    if let Some(video) = &item.video {
        metadata["videoMetadata"] = json!({"fps": video.fps, "processingStatus": video.processing_status});
    }
    json!({
        "id": item.id,
        "createTime": timestamp(item.create_time),
        "type": match item.kind { Kind::Photo => "PHOTO", Kind::Video => "VIDEO" },
        "mediaFile": {
            "baseUrl": base_url,
            "mimeType": item.mime_type,
            "filename": item.filename,
            "mediaFileMetadata": metadata,
        },
    })
}

pub fn library_item(item: &LibraryItem, base_url: String) -> Value {
    let mut metadata = Map::new();
    metadata.insert("creationTime".into(), timestamp(item.create_time).into());
    metadata.insert("width".into(), item.width.to_string().into());
    metadata.insert("height".into(), item.height.to_string().into());
    if let Some(photo) = &item.photo {
        metadata.insert(
            "photo".into(),
            json!({
                "cameraMake": item.camera_make,
                "cameraModel": item.camera_model,
                "focalLength": photo.focal_length,
                "apertureFNumber": photo.aperture_f_number,
                "isoEquivalent": photo.iso_equivalent,
                "exposureTime": photo.exposure_time,
            }),
        );
    }
    if let Some(video) = &item.video {
        metadata.insert(
            "video".into(),
            json!({"cameraMake": item.camera_make, "cameraModel": item.camera_model, "fps": video.fps, "status": video.processing_status}),
        );
    }
    let mut out = json!({
        "id": item.id,
        "productUrl": format!("https://photos.google.com/lr/photo/{}", item.id),
        "baseUrl": base_url,
        "mimeType": item.mime_type,
        "mediaMetadata": metadata,
        "filename": item.filename,
    });
    if !item.description.is_empty() {
        out["description"] = item.description.clone().into();
    }
    out
}
