"""The Python client's request path against a hostile raw server: delays
beyond the policy, huge and endless bodies (memory measured), dripping polls
and caller deadlines, slow and cut downloads (resumed with Range), echoed
tokens, malformed envelopes, redirects, HTML pages for photos, attempt
counting, auth messages. Each test asserts the exception class and bounded
time (or memory)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import photospicker
import pytest
from hostile_server import Close, Drip, HostileServer, RawRequest, Sleep, Write, google_error, json_answer, respond

TOKEN = "ya29.secret-token-0123456789"
FAST = photospicker.Retry(initial_backoff=0.005, max_backoff=0.02, rate_limited_backoff=0.005, jitter=False)


def client(server: HostileServer, retry: photospicker.Retry = FAST, **kwargs: Any) -> photospicker.Client:
    return photospicker.Client(token=kwargs.pop("token", TOKEN), endpoint=server.url, library_endpoint=server.url, retry=retry, **kwargs)


def head(status: int, *headers: tuple[str, str]) -> bytes:
    return (f"HTTP/1.1 {status} X\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers) + "\r\n").encode()


def photo(server: HostileServer) -> photospicker.PickedMediaItem:
    item = {"id": "p1", "type": "PHOTO", "mediaFile": {"baseUrl": f"{server.url}/media/p1", "mimeType": "image/jpeg", "filename": "photo.jpg"}}
    return photospicker.PickedMediaItem.from_json(json.dumps(item))


def jpeg_bytes(size: int) -> bytes:
    return b"\xff\xd8\xff\xe0" + bytes(i % 251 for i in range(size - 4))


def peak_rss_bytes() -> int:
    """The process's peak resident set (VmHWM), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def range_start(request: RawRequest) -> int | None:
    value = request.headers.get("range", "")
    if value.startswith("bytes=") and value.endswith("-"):
        return int(value[len("bytes=") : -1])
    return None


# Defect 1


def test_a_retry_after_longer_than_the_policy_allows_ends_the_call_at_once_with_its_delay() -> None:
    with HostileServer(lambda r, i: respond(503, "busy", [("retry-after", "99999999")])) as server:
        started = time.monotonic()
        with pytest.raises(photospicker.UnavailableError) as raised:
            client(server).get_session("s1")
        assert time.monotonic() - started < 5
        assert raised.value.retry_delay == 99999999
        assert raised.value.retryable
        assert len(server.requests) == 1


def test_a_retry_info_delay_of_ten_thousand_years_ends_the_call_at_once() -> None:
    envelope = {"error": {"code": 429, "message": "slow down", "status": "RESOURCE_EXHAUSTED",
                          "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "315576000000s"}]}}
    with HostileServer(lambda r, i: json_answer(429, envelope)) as server:
        started = time.monotonic()
        with pytest.raises(photospicker.ResourceExhaustedError) as raised:
            client(server).get_session("s1")
        assert time.monotonic() - started < 5
        assert raised.value.retry_delay == 315576000000
        assert len(server.requests) == 1


# Defect 2


def test_a_two_hundred_mib_json_body_fails_fast_with_small_memory() -> None:
    size = 200 << 20

    def answer(request: RawRequest, index: int) -> list[object]:
        return [Write(head(200, ("content-type", "application/json"), ("content-length", str(size)))), Drip(b" " * 65536, 0.0005, size)]

    with HostileServer(answer) as server:
        before = peak_rss_bytes()
        started = time.monotonic()
        with pytest.raises(photospicker.ResponseTooLargeError):
            client(server).get_session("s1")
        assert time.monotonic() - started < 5
        assert peak_rss_bytes() - before < 64 << 20
        assert len(server.requests) == 1


def test_an_endless_chunked_body_fails_fast_with_small_memory() -> None:
    chunk = b"%x\r\n" % 65536 + b"[" * 65536 + b"\r\n"

    def answer(request: RawRequest, index: int) -> list[object]:
        return [Write(head(200, ("content-type", "application/json"), ("transfer-encoding", "chunked"))), Drip(chunk, 0.0005)]

    with HostileServer(answer) as server:
        before = peak_rss_bytes()
        started = time.monotonic()
        with pytest.raises(photospicker.ResponseTooLargeError):
            client(server).get_session("s1")
        assert time.monotonic() - started < 10
        assert peak_rss_bytes() - before < 64 << 20


def test_max_response_bytes_is_configurable() -> None:
    body = json.dumps({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "mediaItemsSet": True, "pad": "x" * 5000})
    with HostileServer(lambda r, i: respond(200, body, [("content-type", "application/json")])) as server:
        with pytest.raises(photospicker.ResponseTooLargeError):
            client(server, max_response_bytes=1000).get_session("s1")
        assert client(server).get_session("s1").id == "s1"


def test_concurrent_calls_beyond_max_concurrent_requests_share_its_connections() -> None:
    session = {"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "mediaItemsSet": True}
    with HostileServer(lambda r, i: [Sleep(0.1), *json_answer(200, session)]) as server:
        async_client = photospicker.AsyncClient(token=TOKEN, endpoint=server.url, retry=FAST, max_concurrent_requests=2)

        async def eight_at_once() -> list[photospicker.PickingSession]:
            return await asyncio.gather(*(async_client.get_session("s1") for _ in range(8)))

        assert [s.id for s in asyncio.run(eight_at_once())] == ["s1"] * 8
        assert len(server.requests) == 8
        assert server.connections <= 2, f"{server.connections} connections for 2 slots"


@pytest.mark.parametrize("bad", [0, -1, True, 2.0, "2", 2**63, None])
def test_a_bad_max_concurrent_requests_is_a_validation_error(bad: Any) -> None:
    with pytest.raises(photospicker.ValidationError, match="max_concurrent_requests"):
        photospicker.Client(token=TOKEN, max_concurrent_requests=bad)


# Defect 3


def test_wait_until_picked_timeout_cuts_a_dripping_poll() -> None:
    def answer(request: RawRequest, index: int) -> list[object]:
        return [Write(head(200, ("content-type", "application/json"), ("content-length", "1000000"))), Drip(b" " * 4096, 0.05)]

    with HostileServer(answer) as server:
        started = time.monotonic()
        with pytest.raises(photospicker.PickingTimeoutError):
            client(server).wait_until_picked("s1", timeout=1)
        assert time.monotonic() - started < 4


def test_wait_until_picked_timeout_cuts_a_retry_wait_the_server_asked_for() -> None:
    def answer(request: RawRequest, index: int) -> list[object]:
        body = json.dumps({"error": {"code": 503, "message": "later", "status": "UNAVAILABLE"}})
        return respond(503, body, [("content-type", "application/json"), ("retry-after", "20")])

    with HostileServer(answer) as server:
        patient = photospicker.Retry(initial_backoff=0.01, max_backoff=32)
        started = time.monotonic()
        with pytest.raises(photospicker.UnavailableError) as raised:
            client(server, retry=patient).wait_until_picked("s1", timeout=3)
        assert time.monotonic() - started < 4
        assert raised.value.retry_delay == 20


def test_the_retry_time_limit_cuts_an_api_call_in_flight() -> None:
    def answer(request: RawRequest, index: int) -> list[object]:
        return [Write(head(200, ("content-type", "application/json"), ("content-length", "1000000"))), Drip(b" " * 2048, 0.1)]

    with HostileServer(answer) as server:
        started = time.monotonic()
        with pytest.raises(photospicker.DeadlineExceededError):
            client(server, retry=photospicker.Retry(time_limit=0.8)).get_session("s1")
        assert time.monotonic() - started < 3


# Defect 5


def test_a_slow_download_outlasting_the_per_request_timeout_succeeds(tmp_path: Path) -> None:
    body = jpeg_bytes(4 << 20)

    def answer(request: RawRequest, index: int) -> list[object]:
        steps: list[object] = [Write(head(200, ("content-type", "image/jpeg"), ("content-length", str(len(body)))))]
        for start in range(0, len(body), 65536):
            steps += [Write(body[start : start + 65536]), Sleep(0.125)]  # 512 KiB/s
        return steps

    with HostileServer(answer) as server:
        path = client(server, timeout=1).download(photo(server), tmp_path)
        assert path.read_bytes() == body
        assert len(server.requests) == 1


def test_a_cut_download_resumes_with_range(tmp_path: Path) -> None:
    body = jpeg_bytes(300_000)

    def answer(request: RawRequest, index: int) -> list[object]:
        start = range_start(request)
        if index == 0:
            return [Write(head(200, ("content-type", "image/jpeg"), ("content-length", str(len(body)))) + body[:120_000]), Close()]
        assert start == 120_000
        headers = [("content-type", "image/jpeg"), ("content-range", f"bytes {start}-{len(body) - 1}/{len(body)}")]
        return respond(206, body[start:], headers)

    with HostileServer(answer) as server:
        path = client(server).download(photo(server), tmp_path)
        assert path.read_bytes() == body
        assert [r.headers.get("range") for r in server.requests] == [None, "bytes=120000-"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_a_stalled_download_fails_as_a_transport_error_and_leaves_nothing(tmp_path: Path) -> None:
    def answer(request: RawRequest, index: int) -> list[object]:
        return [Write(head(200, ("content-type", "image/jpeg"), ("content-length", "100000")) + jpeg_bytes(1000)), Sleep(30)]

    with HostileServer(answer) as server:
        started = time.monotonic()
        with pytest.raises(photospicker.TransportError) as raised:
            client(server, retry=photospicker.Retry(max_attempts=2, initial_backoff=0.01), stall_timeout=0.3).download(photo(server), tmp_path)
        assert "stalled" in str(raised.value)
        assert time.monotonic() - started < 5
        assert list(tmp_path.iterdir()) == []


# Defect 6


def test_a_token_echoed_in_an_error_body_is_redacted_from_str_repr_and_args() -> None:
    def answer(request: RawRequest, index: int) -> list[object]:
        echoed = request.headers.get("authorization", "")
        raw = echoed.removeprefix("Bearer ")
        envelope = {"error": {"code": 401, "message": f"bad header {echoed}; token {raw}", "status": "UNAUTHENTICATED",
                              "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "X", "metadata": {"echo": echoed}}]}}
        return respond(401, json.dumps(envelope), [("content-type", "application/json"), ("x-echo", echoed)])

    with HostileServer(answer) as server:
        for token in (TOKEN, "opaque-credential-4242"):
            with pytest.raises(photospicker.UnauthenticatedError) as raised:
                client(server, token=token).get_session("s1")
            error = raised.value
            texts = [str(error), repr(error), repr(error.args), json.dumps(error.details), json.dumps(error.headers), error.message]
            for text in texts:
                assert token not in text, text
                assert "secret-token" not in text, text
            assert "<redacted>" in str(error)


# Defect 12


def test_a_malformed_error_envelope_keeps_its_status_and_stays_retryable() -> None:
    def answer(request: RawRequest, index: int) -> list[object]:
        if index < 2:
            return json_answer(503, {"error": {"code": "x", "message": 7, "details": [[1, 2], "s"]}})
        return json_answer(200, {"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "mediaItemsSet": True})

    with HostileServer(answer) as server:
        assert client(server).get_session("s1").id == "s1"
        assert len(server.requests) == 3
    with HostileServer(lambda r, i: json_answer(500, {"error": {"code": "x", "details": [[]]}})) as server:
        with pytest.raises(photospicker.InternalError) as raised:
            client(server, retry=photospicker.Retry.disabled()).get_session("s1")
        assert raised.value.http_status == 500 and raised.value.retryable


# Defect 13


def test_a_redirect_is_refused_naming_only_its_host() -> None:
    location = "https://user:pw@evil.example.com/steal?token=abc"
    with HostileServer(lambda r, i: respond(302, "", [("location", location)])) as server:
        with pytest.raises(photospicker.RedirectError) as raised:
            client(server).get_session("s1")
        error = raised.value
        assert error.location_host == "evil.example.com" and error.http_status == 302
        text = f"{error} {error!r} {error.args!r}"
        assert "redirect" in text and "evil.example.com" in text
        for secret in ("steal", "token=abc", "pw", "INTERNAL"):
            assert secret not in text, text
        assert len(server.requests) == 1


# Defect 15


def test_an_html_page_for_a_photo_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    page = "<html><body>Sign in to the Wi-Fi</body></html>"
    with HostileServer(lambda r, i: respond(200, page, [("content-type", "text/html")])) as server:
        with pytest.raises(photospicker.UnexpectedContentError):
            client(server).download(photo(server), tmp_path)
        assert list(tmp_path.iterdir()) == []
        assert len(server.requests) == 1


# Defect 18


def test_five_attempts_of_a_download_are_five_requests(tmp_path: Path) -> None:
    body = jpeg_bytes(50_000)

    def answer(request: RawRequest, index: int) -> list[object]:
        start = range_start(request) or 0
        if start == 0:
            first = head(200, ("content-type", "image/jpeg"), ("content-length", str(len(body))))
        else:
            first = head(206, ("content-length", str(len(body) - start)), ("content-range", f"bytes {start}-{len(body) - 1}/{len(body)}"))
        return [Write(first + body[start : start + 1000]), Close()]

    with HostileServer(answer) as server:
        retry = photospicker.Retry(max_attempts=5, initial_backoff=0.01, max_backoff=0.05)
        with pytest.raises(photospicker.TransportError):
            client(server, retry=retry).download(photo(server), tmp_path)
        assert len(server.requests) == 5
        assert list(tmp_path.iterdir()) == []


# Defect 19


def test_a_failing_token_provider_is_reported_once() -> None:
    def provider(refresh: bool) -> str:
        raise RuntimeError("revoked")

    with HostileServer(lambda r, i: google_error(500, "INTERNAL", "unused")) as server:
        native = photospicker.Client(token_provider=provider, endpoint=server.url, library_endpoint=server.url)
        with pytest.raises(photospicker.AuthError) as raised:
            native.get_session("s1")
        assert str(raised.value).count("no access token") == 1, str(raised.value)
        assert server.requests == []


def test_a_media_url_on_a_foreign_origin_is_refused_as_such(tmp_path: Path) -> None:
    with HostileServer(lambda r, i: respond(200, "x")) as server, HostileServer(lambda r, i: respond(200, "x")) as other:
        with pytest.raises(photospicker.ValidationError) as raised:
            client(server).download(photo(other), tmp_path)
        assert "refusing to send the access token" in str(raised.value)
        assert "no access token" not in str(raised.value)
        assert other.requests == []
