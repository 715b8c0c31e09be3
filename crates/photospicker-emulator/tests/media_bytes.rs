//! Media bytes judged by tools we did not write: originals decoded by the `image`
//! crate with their Exif read by kamadak-exif, videos read and decoded by
//! ffprobe/ffmpeg (Debian's `ffmpeg`, which scripts/test.sh installs), and byte
//! ranges over real HTTP.

mod common;

use common::{start_with, Ctx};
use photospicker_emulator::{Config, NewUser};
use reqwest::header::{HeaderMap, ACCEPT_RANGES, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, ETAG};
use serde_json::Value;
use std::process::Command;

/// Items listed in a session where the user picked the whole library.
async fn listed(ctx: &Ctx, count: usize) -> Vec<Value> {
    let id = ctx.picked_session(count).await;
    let page = ctx.list(&format!("sessionId={id}&pageSize=100")).await.ok();
    page["mediaItems"].as_array().unwrap().clone()
}

fn base(item: &Value) -> &str {
    item["mediaFile"]["baseUrl"].as_str().unwrap()
}

fn metadata(item: &Value) -> &Value {
    &item["mediaFile"]["mediaFileMetadata"]
}

async fn get(ctx: &Ctx, url: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, Vec<u8>) {
    let mut request = ctx.http.get(url).bearer_auth(&ctx.token);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn header(headers: &HeaderMap, name: impl reqwest::header::AsHeaderName) -> &str {
    headers.get(name).map_or("", |v| v.to_str().unwrap())
}

fn exif_of(bytes: &[u8]) -> exif::Exif {
    exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)).expect("an Exif block")
}

fn text(exif: &exif::Exif, tag: exif::Tag) -> String {
    match &exif.get_field(tag, exif::In::PRIMARY).unwrap_or_else(|| panic!("{tag} present")).value {
        exif::Value::Ascii(parts) => String::from_utf8(parts[0].clone()).unwrap(),
        other => panic!("{tag} is {other:?}"),
    }
}

fn number(exif: &exif::Exif, tag: exif::Tag) -> f64 {
    match &exif.get_field(tag, exif::In::PRIMARY).unwrap_or_else(|| panic!("{tag} present")).value {
        exif::Value::Rational(r) => r[0].to_f64(),
        exif::Value::Short(v) => v[0] as f64,
        exif::Value::Long(v) => v[0] as f64,
        other => panic!("{tag} is {other:?}"),
    }
}

#[tokio::test]
async fn a_photo_download_is_the_original_with_the_listed_exif_and_no_location() {
    let ctx = start_with(Config { library_size: 24, video_ratio: 0.0, ..Config::default() }, NewUser::default()).await;
    let items = listed(&ctx, 24).await;
    let jpeg = items.iter().find(|i| i["mediaFile"]["mimeType"] == "image/jpeg" && metadata(i)["width"] == 4000).expect("a 4000-wide JPEG");
    let png = items.iter().find(|i| i["mediaFile"]["mimeType"] == "image/png").expect("a PNG screenshot");
    for item in [jpeg, png] {
        let meta = metadata(item);
        let (status, headers, bytes) = get(&ctx, &format!("{}=d", base(item)), &[]).await;
        assert_eq!(status, 200);
        let decoded = image::load_from_memory(&bytes).expect("a real image");
        assert_eq!((decoded.width() as u64, decoded.height() as u64), (meta["width"].as_u64().unwrap(), meta["height"].as_u64().unwrap()));
        let filename = item["mediaFile"]["filename"].as_str().unwrap();
        assert_eq!(header(&headers, CONTENT_DISPOSITION), format!("attachment; filename=\"{filename}\""));

        let exif = exif_of(&bytes);
        assert_eq!(text(&exif, exif::Tag::Make), meta["cameraMake"].as_str().unwrap());
        assert_eq!(text(&exif, exif::Tag::Model), meta["cameraModel"].as_str().unwrap());
        let photo = &meta["photoMetadata"];
        let listed_exposure: f64 = photo["exposureTime"].as_str().unwrap().trim_end_matches('s').parse().unwrap();
        let exposure = number(&exif, exif::Tag::ExposureTime);
        assert!((exposure - listed_exposure).abs() / listed_exposure < 0.02, "exposure {exposure} vs {listed_exposure}");
        assert!((number(&exif, exif::Tag::FNumber) - photo["apertureFNumber"].as_f64().unwrap()).abs() < 0.01);
        assert!((number(&exif, exif::Tag::FocalLength) - photo["focalLength"].as_f64().unwrap()).abs() < 0.01);
        assert_eq!(number(&exif, exif::Tag::PhotographicSensitivity), photo["isoEquivalent"].as_f64().unwrap());
        // createTime 2026-09-30T22:35:00Z → Exif's "2026:09:30 22:35:00" (UTC, said by the offset tags).
        let created = chrono::DateTime::parse_from_rfc3339(item["createTime"].as_str().unwrap()).unwrap();
        let stamp = created.format("%Y:%m:%d %H:%M:%S").to_string();
        assert_eq!(text(&exif, exif::Tag::DateTimeOriginal), stamp);
        assert_eq!(text(&exif, exif::Tag::DateTimeDigitized), stamp);
        assert_eq!(text(&exif, exif::Tag::OffsetTimeOriginal), "+00:00");
        assert_eq!(number(&exif, exif::Tag::PixelXDimension), meta["width"].as_f64().unwrap());
        assert!(exif.fields().all(|f| f.ifd_num == exif::In::PRIMARY && f.tag.context() != exif::Context::Gps), "no location: {:?}", exif.fields().map(|f| f.tag).collect::<Vec<_>>());
        assert!(exif.get_field(exif::Tag::GPSInfoIFDPointer, exif::In::PRIMARY).is_none());
    }
}

#[tokio::test]
async fn size_parameters_with_d_scale_into_the_box_and_keep_the_exif_while_thumbnails_carry_none() {
    let ctx = start_with(Config { library_size: 6, video_ratio: 0.0, ..Config::default() }, NewUser::default()).await;
    let items = listed(&ctx, 6).await;
    let item = items.iter().find(|i| i["mediaFile"]["mimeType"] == "image/jpeg").unwrap();
    let (w, h) = (metadata(item)["width"].as_f64().unwrap(), metadata(item)["height"].as_f64().unwrap());
    let scale = (100.0 / w).min(100.0 / h);
    let (_, headers, download) = get(&ctx, &format!("{}=w100-h100-d", base(item)), &[]).await;
    let decoded = image::load_from_memory(&download).unwrap();
    assert_eq!((decoded.width(), decoded.height()), ((w * scale).round() as u32, (h * scale).round() as u32));
    assert!(header(&headers, CONTENT_DISPOSITION).starts_with("attachment;"));
    assert_eq!(text(&exif_of(&download), exif::Tag::Make), metadata(item)["cameraMake"].as_str().unwrap());
    assert_eq!(number(&exif_of(&download), exif::Tag::PixelXDimension), decoded.width() as f64);

    let (_, headers, thumbnail) = get(&ctx, &format!("{}=w100-h100", base(item)), &[]).await;
    assert!(header(&headers, CONTENT_DISPOSITION).starts_with("inline;"));
    assert!(exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&thumbnail)).is_err(), "scaled copies carry no Exif");
    // A crop box larger than the original shrinks to fit it, keeping the box's shape.
    let (_, _, huge) = get(&ctx, &format!("{}=w16000-h16000-c", base(item)), &[]).await;
    let side = w.min(h) as u32;
    assert_eq!(image::load_from_memory(&huge).unwrap().width(), side);
}

fn ffprobe(path: &std::path::Path) -> Value {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_streams", "-show_format", "-count_frames"])
        .arg(path)
        .output()
        .expect("ffprobe is installed (apt-get install ffmpeg; scripts/test.sh does it)");
    assert!(output.status.success(), "ffprobe: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn videos_are_playable_mp4s_with_the_listed_size_frame_rate_and_duration() {
    let config = Config { library_size: 30, video_ratio: 1.0, video_bytes: 0, ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let items = listed(&ctx, 30).await;
    let durations: std::collections::HashMap<String, f64> =
        ctx.items().await.iter().map(|i| (i["id"].as_str().unwrap().to_string(), i["durationSeconds"].as_f64().unwrap())).collect();
    let ready: Vec<&Value> = items.iter().filter(|i| metadata(i)["videoMetadata"]["processingStatus"] == "READY").collect();
    let mut sizes_seen = std::collections::HashSet::new();
    let dir = tempfile::tempdir().unwrap();
    for item in ready.iter().filter(|i| sizes_seen.insert((metadata(i)["width"].clone(), metadata(i)["height"].clone()))) {
        let meta = metadata(item);
        let (status, headers, bytes) = get(&ctx, &format!("{}=dv", base(item)), &[]).await;
        assert_eq!((status, header(&headers, "content-type")), (200, "video/mp4"));
        assert!(bytes.len() < 1024 * 1024, "{}x{} is {} bytes", meta["width"], meta["height"], bytes.len());
        let path = dir.path().join(format!("{}.mp4", item["id"].as_str().unwrap()));
        std::fs::write(&path, &bytes).unwrap();
        let probe = ffprobe(&path);
        let stream = &probe["streams"][0];
        assert_eq!(stream["codec_name"], "h264", "{probe}");
        assert_eq!((&stream["width"], &stream["height"]), (&meta["width"], &meta["height"]));
        let fps = meta["videoMetadata"]["fps"].as_f64().unwrap();
        let (num, den) = stream["r_frame_rate"].as_str().unwrap().split_once('/').unwrap();
        assert!((num.parse::<f64>().unwrap() / den.parse::<f64>().unwrap() - fps).abs() < 0.001, "{probe}");
        let duration: f64 = probe["format"]["duration"].as_str().unwrap().parse().unwrap();
        let listed = durations[item["id"].as_str().unwrap()];
        assert!((duration - listed).abs() < 0.1, "ffprobe {duration} s, listed {listed} s");
        let frames: f64 = stream["nb_read_frames"].as_str().unwrap().parse().unwrap();
        assert_eq!(frames, (listed * fps).round(), "every frame decodes");
        // A full decode reports no error.
        let decode = Command::new("ffmpeg").args(["-v", "error", "-i"]).arg(&path).args(["-f", "null", "-"]).output().unwrap();
        assert!(decode.status.success() && decode.stderr.is_empty(), "ffmpeg: {}", String::from_utf8_lossy(&decode.stderr));
    }
    assert!(sizes_seen.len() >= 3, "several video sizes were checked: {sizes_seen:?}");
}

#[tokio::test]
async fn ffmpeg_seeks_in_a_video_over_http_with_byte_ranges() {
    let config = Config { library_size: 10, video_ratio: 1.0, video_bytes: 3_000_000, ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let items = listed(&ctx, 10).await;
    let video = items.iter().find(|i| metadata(i)["videoMetadata"]["processingStatus"] == "READY").unwrap();
    let url = format!("{}=dv", base(video));
    let (token, url_for_ffmpeg) = (ctx.token.clone(), url.clone());
    // ffmpeg blocks; it runs on its own thread while the emulator serves.
    let probe = tokio::task::spawn_blocking(move || {
        Command::new("ffmpeg")
            .args(["-v", "error", "-rw_timeout", "20000000", "-headers", &format!("Authorization: Bearer {token}\r\n"), "-ss", "0.5", "-i", &url_for_ffmpeg])
            .args(["-frames:v", "1", "-f", "null", "-"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(probe.status.success() && probe.stderr.is_empty(), "ffmpeg: {}", String::from_utf8_lossy(&probe.stderr));
    // The padded file is 3 MB: a 206 for its tail shows where the movie ends and the padding begins.
    let (status, headers, tail) = get(&ctx, &url, &[("range", "bytes=-16")]).await;
    assert_eq!((status, header(&headers, CONTENT_RANGE)), (206, "bytes 2999984-2999999/3000000"));
    assert_eq!(tail, [0; 16]);
}

#[tokio::test]
async fn byte_ranges_answer_206_and_the_parts_make_up_the_whole() {
    let ctx = start_with(Config { library_size: 4, video_ratio: 0.0, ..Config::default() }, NewUser::default()).await;
    let items = listed(&ctx, 4).await;
    let url = format!("{}=d", base(&items[0]));
    let (status, headers, whole) = get(&ctx, &url, &[]).await;
    let len = whole.len();
    assert_eq!((status, header(&headers, ACCEPT_RANGES)), (200, "bytes"));
    let etag = header(&headers, ETAG).to_string();
    assert!(etag.starts_with('"') && etag.len() > 2);

    let part = |range: String| {
        let ctx = &ctx;
        let url = &url;
        async move { get(ctx, url, &[("range", range.as_str())]).await }
    };
    let (status, headers, first) = part("bytes=0-99".into()).await;
    assert_eq!((status, header(&headers, CONTENT_RANGE), header(&headers, CONTENT_LENGTH)), (206, format!("bytes 0-99/{len}").as_str(), "100"));
    assert_eq!(header(&headers, ACCEPT_RANGES), "bytes");
    let (_, _, middle) = part(format!("bytes=100-{}", len - 51)).await;
    let (status, headers, last) = part("bytes=-50".into()).await;
    assert_eq!((status, header(&headers, CONTENT_RANGE)), (206, format!("bytes {}-{}/{len}", len - 50, len - 1).as_str()));
    assert_eq!([first, middle, last].concat(), whole);

    let (status, _, one) = part("bytes=0-0".into()).await;
    assert_eq!((status, one.as_slice()), (206, &whole[..1]));
    let (status, headers, rest) = part(format!("bytes={}-", len - 3)).await;
    assert_eq!((status, rest.as_slice(), header(&headers, CONTENT_LENGTH)), (206, &whole[len - 3..], "3"));
    let (status, headers, clipped) = part("bytes=10-99999999999999999999999999".into()).await;
    assert_eq!((status, clipped.len(), header(&headers, CONTENT_RANGE)), (206, len - 10, format!("bytes 10-{}/{len}", len - 1).as_str()));

    for unsatisfiable in [format!("bytes={len}-"), format!("bytes={}-{}", len + 5, len + 10), "bytes=-0".into(), "bytes=99999999999999999999999-".into()] {
        let (status, headers, _) = part(unsatisfiable.clone()).await;
        assert_eq!((status, header(&headers, CONTENT_RANGE)), (416, format!("bytes */{len}").as_str()), "{unsatisfiable}");
    }
    // Several ranges, or a header we cannot parse, get the whole body (RFC 9110 allows both).
    for ignored in ["bytes=0-1,5-6", "bytes=5-1", "bytes=abc", "pages=1-2", "bytes=-", "bytes=0x1-"] {
        let (status, headers, body) = part(ignored.into()).await;
        assert_eq!((status, body.len(), header(&headers, CONTENT_RANGE)), (200, len, ""), "{ignored}");
    }
}

#[tokio::test]
async fn validators_let_clients_resume_and_revalidate() {
    let ctx = start_with(Config { library_size: 4, video_ratio: 0.0, ..Config::default() }, NewUser::default()).await;
    let items = listed(&ctx, 4).await;
    let url = format!("{}=w300", base(&items[0]));
    let (_, headers, whole) = get(&ctx, &url, &[]).await;
    let etag = header(&headers, ETAG).to_string();
    let (status, _, part) = get(&ctx, &url, &[("range", "bytes=10-19"), ("if-range", &etag)]).await;
    assert_eq!((status, part.as_slice()), (206, &whole[10..20]));
    let (status, _, body) = get(&ctx, &url, &[("range", "bytes=10-19"), ("if-range", "\"something-else\"")]).await;
    assert_eq!((status, body.len()), (200, whole.len()), "a changed representation is sent whole");
    let (status, headers, body) = get(&ctx, &url, &[("if-none-match", &etag)]).await;
    assert_eq!((status, body.len(), header(&headers, ETAG)), (304, 0, etag.as_str()));
    // Another size is another representation.
    let (_, other, _) = get(&ctx, &format!("{}=w301", base(&items[0])), &[]).await;
    assert_ne!(header(&other, ETAG), etag);
}

#[tokio::test]
async fn the_same_item_has_the_same_bytes_in_every_emulator() {
    let config = || Config { library_size: 8, video_ratio: 0.5, ..Config::default() };
    let user = || NewUser { seed: Some(7), ..Default::default() };
    let (one, two) = (start_with(config(), user()).await, start_with(config(), user()).await);
    let (a, b) = (listed(&one, 8).await, listed(&two, 8).await);
    for (x, y) in a.iter().zip(&b).take(4) {
        assert_eq!(x["id"], y["id"]);
        let is_video = x["type"] == "VIDEO" && metadata(x)["videoMetadata"]["processingStatus"] == "READY";
        let suffix = if is_video { "=dv" } else { "=w800-h600-d" };
        let (_, hx, bx) = get(&one, &format!("{}{suffix}", base(x)), &[]).await;
        let (_, hy, by) = get(&two, &format!("{}{suffix}", base(y)), &[]).await;
        assert!(bx == by && header(&hx, ETAG) == header(&hy, ETAG), "{suffix}");
    }
}

#[tokio::test]
async fn a_burst_of_concurrent_originals_is_served_whole_and_the_cache_stays_within_its_budget() {
    let budget = 1_500_000;
    let config = Config { library_size: 12, video_ratio: 0.0, media_cache_bytes: budget, ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let items = listed(&ctx, 12).await;
    let urls: Vec<String> = items.iter().take(6).map(|i| format!("{}=d", base(i))).collect();
    let requests = urls.iter().cycle().take(24).map(|url| get(&ctx, url, &[]));
    let answers = futures_util::future::join_all(requests).await;
    for (index, (status, headers, body)) in answers.iter().enumerate() {
        assert_eq!(*status, 200);
        assert_eq!(header(headers, CONTENT_LENGTH), body.len().to_string());
        assert_eq!(body, &answers[index % 6].2, "the same URL gives the same bytes");
    }
    let held = ctx.control(reqwest::Method::GET, "", None).await.ok()["mediaCacheBytes"].as_u64().unwrap();
    assert!(held > 0 && held <= budget as u64, "{held} bytes held, budget {budget}");
}
