//! Generated types decode what the real service sends (including what a
//! newer service might send) and re-encode it unchanged.

use photospicker_api::{library, picker, GoogleDuration, Int32, Int64, MediaType, VideoProcessingStatus};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

/// Decodes `input`, re-encodes it, and checks the result equals `input` once
/// the listed unknown keys are dropped.
fn round_trip<T: DeserializeOwned + Serialize>(input: Value, unknown_keys: &[&str]) -> T {
    let text = input.to_string();
    let decoded: T = serde_json::from_str(&text).expect("decodes");
    let encoded: Value = serde_json::from_str(&serde_json::to_string(&decoded).unwrap()).unwrap();
    assert_eq!(encoded, strip(input, unknown_keys));
    decoded
}

fn strip(value: Value, keys: &[&str]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter().filter(|(k, _)| !keys.contains(&k.as_str())).map(|(k, v)| (k, strip(v, keys))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| strip(v, keys)).collect()),
        other => other,
    }
}

#[test]
fn picking_session_while_waiting() {
    let session: picker::types::PickingSession = round_trip(
        json!({
            "id": "c1b1c9d7-7f7b-4a34-9a4e-0a3c5c1f6d2e",
            "pickerUri": "https://photos.google.com/picker/c1b1c9d7",
            "pollingConfig": {"pollInterval": "1.5s", "timeoutIn": "1799.5s", "futureKnob": 1},
            "expireTime": "2014-10-02T15:01:23.045123456Z",
            "pickingConfig": {"maxItemCount": "50"},
            "mediaItemsSet": false,
            "brandNewField": {"nested": true}
        }),
        &["futureKnob", "brandNewField"],
    );
    let polling = session.polling_config.unwrap();
    assert_eq!(polling.poll_interval.unwrap().to_std(), Some(std::time::Duration::from_millis(1500)));
    assert_eq!(polling.timeout_in.unwrap().as_secs_f64(), 1799.5);
    assert_eq!(session.picking_config.unwrap().max_item_count, Some(Int64(50)));
    assert_eq!(session.expire_time.unwrap().timestamp_subsec_nanos(), 45_123_456);
}

#[test]
fn picking_session_after_picking_and_the_empty_create_body() {
    let session: picker::types::PickingSession =
        round_trip(json!({"id": "s", "mediaItemsSet": true, "expireTime": "2024-01-01T00:00:00Z"}), &[]);
    assert!(session.polling_config.is_none());
    let empty: picker::types::PickingSession = round_trip(json!({}), &[]);
    assert_eq!(empty, picker::types::PickingSession::default());
}

#[test]
fn list_response_with_photo_video_and_unknown_type() {
    let page: picker::types::ListMediaItemsResponse = round_trip(
        json!({
            "mediaItems": [
                {
                    "id": "photo-1",
                    "createTime": "2023-05-06T07:08:09.123Z",
                    "type": "PHOTO",
                    "mediaFile": {
                        "baseUrl": "https://lh3.googleusercontent.com/ppa/abc",
                        "mimeType": "image/jpeg",
                        "filename": "IMG_0001.JPG",
                        "mediaFileMetadata": {
                            "width": 4000, "height": 3000,
                            "cameraMake": "Google", "cameraModel": "Pixel 8",
                            "photoMetadata": {"focalLength": 6.9, "apertureFNumber": 1.68, "isoEquivalent": 52, "exposureTime": "0.033333335s"}
                        }
                    }
                },
                {
                    "id": "video-1",
                    "createTime": "2023-05-06T07:08:09Z",
                    "type": "VIDEO",
                    "mediaFile": {
                        "baseUrl": "https://video.googleusercontent.com/v/xyz",
                        "mimeType": "video/mp4",
                        "filename": "VID_0001.mp4",
                        "mediaFileMetadata": {"width": 1920, "height": 1080, "videoMetadata": {"fps": 29.97, "processingStatus": "PROCESSING"}}
                    }
                },
                {"id": "future-1", "type": "MOTION_PHOTO", "mediaFile": {"mediaFileMetadata": {"videoMetadata": {"processingStatus": "ARCHIVED"}}}}
            ],
            "nextPageToken": "opaque-token"
        }),
        &[],
    );
    let items = &page.media_items;
    assert_eq!(items[0].type_, Some(MediaType::Photo));
    let metadata = items[0].media_file.as_ref().unwrap().media_file_metadata.as_ref().unwrap();
    assert_eq!(metadata.width, Some(Int32(4000)));
    assert_eq!(
        metadata.photo_metadata.as_ref().unwrap().exposure_time.unwrap().to_string(),
        "0.033333335s"
    );
    assert_eq!(items[1].type_, Some(MediaType::Video));
    assert_eq!(items[2].type_, Some(MediaType::Unknown("MOTION_PHOTO".into())));
    let video = items[2].media_file.as_ref().unwrap().media_file_metadata.as_ref().unwrap();
    assert_eq!(
        video.video_metadata.as_ref().unwrap().processing_status,
        Some(VideoProcessingStatus::Unknown("ARCHIVED".into()))
    );
}

#[test]
fn lenient_scalars_accept_the_other_encoding() {
    // proto3 JSON parsers take int64 as a number and int32 as a string.
    let metadata: picker::types::MediaFileMetadata =
        serde_json::from_value(json!({"width": "4000", "height": 3000})).unwrap();
    assert_eq!((metadata.width, metadata.height), (Some(Int32(4000)), Some(Int32(3000))));
    assert_eq!(serde_json::to_value(&metadata).unwrap(), json!({"width": 4000, "height": 3000}));
    let config: picker::types::PickingConfig = serde_json::from_value(json!({"maxItemCount": 50})).unwrap();
    assert_eq!(serde_json::to_value(&config).unwrap(), json!({"maxItemCount": "50"}));
    let status: picker::types::VideoMetadata = serde_json::from_value(json!({"processingStatus": 2})).unwrap();
    assert_eq!(status.processing_status, Some(VideoProcessingStatus::Ready));
}

#[test]
fn malformed_scalars_are_errors_not_panics() {
    for bad in [json!({"maxItemCount": "fifty"}), json!({"maxItemCount": 1.5}), json!({"maxItemCount": "99999999999999999999"})] {
        assert!(serde_json::from_value::<picker::types::PickingConfig>(bad).is_err());
    }
    for bad in ["5", "5ms", "1.5", "-s", "1.1234567891s", "s", "1e3s", " 5s", "999999999999s"] {
        assert!(bad.parse::<GoogleDuration>().is_err(), "{bad} must be refused");
    }
}

#[test]
fn durations_keep_their_exact_value() {
    for (text, seconds) in [("0s", 0.0), ("5s", 5.0), ("1.5s", 1.5), ("3.5s", 3.5), ("0.033333335s", 0.033333335), ("-2.25s", -2.25)] {
        let duration: GoogleDuration = text.parse().unwrap();
        assert_eq!(duration.to_string(), text);
        assert!((duration.as_secs_f64() - seconds).abs() < 1e-12);
    }
    assert_eq!("1.500s".parse::<GoogleDuration>().unwrap().to_string(), "1.5s");
    assert_eq!("-1s".parse::<GoogleDuration>().unwrap().to_std(), None);
    assert!("0s".parse::<GoogleDuration>().unwrap().is_zero());
}

#[test]
fn batch_get_response_with_success_and_per_item_failure() {
    let response: library::types::BatchGetMediaItemsResponse = round_trip(
        json!({
            "mediaItemResults": [
                {
                    "mediaItem": {
                        "id": "AB12", "description": "Beach", "productUrl": "https://photos.google.com/lr/photo/AB12",
                        "baseUrl": "https://lh3.googleusercontent.com/lr/AB12", "mimeType": "image/jpeg", "filename": "beach.jpg",
                        "mediaMetadata": {
                            "creationTime": "2020-01-02T03:04:05.000006Z", "width": "4032", "height": "3024",
                            "photo": {"cameraMake": "Apple", "cameraModel": "iPhone 11", "focalLength": 4.25, "apertureFNumber": 1.8, "isoEquivalent": 32, "exposureTime": "0.016666667s"}
                        },
                        "contributorInfo": {"profilePictureBaseUrl": "https://lh3.googleusercontent.com/a/x", "displayName": "Ada"}
                    }
                },
                {"mediaItem": {"id": "V1", "mediaMetadata": {"width": "1920", "height": "1080", "video": {"cameraMake": "GoPro", "cameraModel": "HERO9", "fps": 59.94, "status": "READY"}}}},
                {"status": {"code": 3, "message": "Invalid media item ID.", "details": [{"@type": "type.googleapis.com/google.rpc.DebugInfo", "detail": "x"}]}, "requestedId": "bogus"}
            ]
        }),
        &["requestedId"],
    );
    let results = &response.media_item_results;
    let metadata = results[0].media_item.as_ref().unwrap().media_metadata.as_ref().unwrap();
    assert_eq!(metadata.width, Some(Int64(4032)));
    assert_eq!(
        results[1].media_item.as_ref().unwrap().media_metadata.as_ref().unwrap().video.as_ref().unwrap().status,
        Some(VideoProcessingStatus::Ready)
    );
    assert_eq!(results[2].status.as_ref().unwrap().code, Some(Int32(3)));
}

#[test]
fn google_error_envelope() {
    let envelope: picker::types::ErrorEnvelope = round_trip(
        json!({"error": {
            "code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com", "metadata": {"service": "photospicker.googleapis.com"}},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "3.5s"}
            ],
            "errors": [{"message": "Quota exceeded", "domain": "global", "reason": "rateLimitExceeded"}]
        }}),
        &[],
    );
    assert_eq!(envelope.error.status.as_deref(), Some("RESOURCE_EXHAUSTED"));
    let _: library::types::ErrorEnvelope = serde_json::from_value(json!({"error": {"code": 400}})).unwrap();
    let _: picker::types::Empty = serde_json::from_value(json!({})).unwrap();
}
