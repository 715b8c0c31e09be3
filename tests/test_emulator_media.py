"""The emulator's media bytes judged by readers we did not write: Pillow for the
original's pixels and Exif, ffprobe (Debian's ffmpeg) for videos read over HTTP,
and requests for a download resumed with Range."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import datetime
from typing import Any

import pytest
import requests
from PIL import ExifTags, Image

from photospicker.testing import Emulator


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def picked_items(emulator: Emulator, token: str, count: int) -> list[dict[str, Any]]:
    session = requests.post(f"{emulator.picker_url}/v1/sessions", json={}, headers=bearer(token), timeout=10).json()
    emulator.pick(session["id"], count=count)
    listed = requests.get(
        f"{emulator.picker_url}/v1/mediaItems",
        params={"sessionId": session["id"], "pageSize": 100},
        headers=bearer(token),
        timeout=10,
    ).json()
    items: list[dict[str, Any]] = listed["mediaItems"]
    return items


def test_a_photo_download_is_the_original_and_pillow_reads_the_listed_exif_without_location() -> None:
    with Emulator(video_ratio=0.0, library_size=10) as emulator:
        token = emulator.add_user()
        items = picked_items(emulator, token, 10)
        photo = next(i for i in items if i["mediaFile"]["mimeType"] == "image/jpeg")
        meta = photo["mediaFile"]["mediaFileMetadata"]
        response = requests.get(photo["mediaFile"]["baseUrl"] + "=d", headers=bearer(token), timeout=60)
        assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
        image = Image.open(io.BytesIO(response.content))
        assert image.size == (meta["width"], meta["height"])
        exif = image.getexif()
        assert exif[ExifTags.Base.Make] == meta["cameraMake"]
        assert exif[ExifTags.Base.Model] == meta["cameraModel"]
        details = exif.get_ifd(ExifTags.IFD.Exif)
        listed = meta["photoMetadata"]
        assert float(details[ExifTags.Base.ExposureTime]) == pytest.approx(float(listed["exposureTime"].rstrip("s")), rel=0.02)
        assert float(details[ExifTags.Base.FNumber]) == pytest.approx(listed["apertureFNumber"], abs=0.01)
        assert float(details[ExifTags.Base.FocalLength]) == pytest.approx(listed["focalLength"], abs=0.01)
        assert details[ExifTags.Base.ISOSpeedRatings] == listed["isoEquivalent"]
        created = datetime.fromisoformat(photo["createTime"].replace("Z", "+00:00"))
        assert details[ExifTags.Base.DateTimeOriginal] == created.strftime("%Y:%m:%d %H:%M:%S")
        assert ExifTags.Base.GPSInfo not in exif and not exif.get_ifd(ExifTags.IFD.GPSInfo)


def test_ffprobe_reads_a_video_over_http_with_the_listed_size_frame_rate_and_duration() -> None:
    assert shutil.which("ffprobe"), "needs ffprobe: scripts/test.sh installs Debian's ffmpeg"
    with Emulator(video_ratio=1.0, library_size=10) as emulator:
        token = emulator.add_user()
        durations = {i["id"]: i["durationSeconds"] for i in emulator.library(token)}
        items = picked_items(emulator, token, 10)
        video = next(i for i in items if i["mediaFile"]["mediaFileMetadata"]["videoMetadata"]["processingStatus"] == "READY")
        meta = video["mediaFile"]["mediaFileMetadata"]
        probe = subprocess.run(
            ["ffprobe", "-v", "error", "-rw_timeout", "20000000", "-headers", f"Authorization: Bearer {token}\r\n"]
            + ["-print_format", "json", "-show_streams", "-show_format", video["mediaFile"]["baseUrl"] + "=dv"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        info = json.loads(probe.stdout)
        stream = info["streams"][0]
        assert (stream["codec_name"], stream["width"], stream["height"]) == ("h264", meta["width"], meta["height"])
        numerator, denominator = stream["r_frame_rate"].split("/")
        assert int(numerator) / int(denominator) == pytest.approx(meta["videoMetadata"]["fps"], abs=0.001)
        assert float(info["format"]["duration"]) == pytest.approx(durations[video["id"]], abs=0.1)


def test_a_download_resumed_with_range_reassembles_the_same_bytes() -> None:
    with Emulator(video_ratio=1.0, library_size=6, video_bytes=200_000) as emulator:
        token = emulator.add_user()
        video = next(
            i for i in picked_items(emulator, token, 6) if i["mediaFile"]["mediaFileMetadata"]["videoMetadata"]["processingStatus"] == "READY"
        )
        url = video["mediaFile"]["baseUrl"] + "=dv"
        whole = requests.get(url, headers=bearer(token), timeout=30)
        assert whole.headers["accept-ranges"] == "bytes" and len(whole.content) == 200_000
        head = requests.get(url, headers={**bearer(token), "Range": "bytes=0-65535"}, timeout=30)
        tail = requests.get(url, headers={**bearer(token), "Range": "bytes=65536-", "If-Range": head.headers["etag"]}, timeout=30)
        assert (head.status_code, tail.status_code) == (206, 206)
        assert tail.headers["content-range"] == "bytes 65536-199999/200000"
        assert head.content + tail.content == whole.content
        past = requests.get(url, headers={**bearer(token), "Range": "bytes=200000-"}, timeout=30)
        assert (past.status_code, past.headers["content-range"]) == (416, "bytes */200000")
