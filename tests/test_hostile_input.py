"""Hostile input, both ways: arguments that would steer a request (with the
token) elsewhere or that the binding cannot hold, and answers from a server
that are incomplete, mispaired or about something else than what was asked."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

import photospicker
from hostile_server import HostileServer, RawRequest, Sleep, json_answer, respond
from photospicker import _native
from photospicker.errors import DecodeError, PickingTimeoutError, ValidationError

SESSION = {"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "mediaItemsSet": True}
STEERING_IDS = [".", "..", "%2e", "%2E%2E", ".%2e", "%252e%252e", "..;", "a/b", "../../v1/mediaItems",
                "..\\..\\v1\\mediaItems", "\\", "a%2Fb", "", "a\0b", "a\nb", "\uff0e\uff0e", "%C0%AE%C0%AE", "s" * 100_000]


def item(media_id: str) -> dict[str, Any]:
    return {"mediaItem": {"id": media_id, "baseUrl": f"https://lh3.example/{media_id}", "mimeType": "image/jpeg"}}


def asked_ids(request: RawRequest) -> list[str]:
    return parse_qs(urlsplit(request.target).query).get("mediaItemIds", [])


@pytest.fixture()
def server_factory() -> Iterator[Callable[..., HostileServer]]:
    servers: list[HostileServer] = []

    def start(handler: Callable[[RawRequest, int], list[object]]) -> HostileServer:
        servers.append(HostileServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def client_for(server: HostileServer, **options: Any) -> photospicker.Client:
    retry = photospicker.Retry(initial_backoff=0.01, max_backoff=0.02, rate_limited_backoff=0.01, jitter=False)
    return photospicker.Client(token="ya29.secret", endpoint=server.url, library_endpoint=server.url, retry=retry, **options)


def async_client_for(server: HostileServer) -> photospicker.AsyncClient:
    retry = photospicker.Retry(initial_backoff=0.01, max_backoff=0.02, rate_limited_backoff=0.01, jitter=False)
    return photospicker.AsyncClient(token="ya29.secret", endpoint=server.url, library_endpoint=server.url, retry=retry)


# Defect 7: a cancelled async call, then exit.

EXIT_AFTER_CANCEL = """
import asyncio, sys
import photospicker

async def main():
    url = sys.argv[1]
    client = photospicker.AsyncClient(token="ya29.secret", endpoint=url, library_endpoint=url, retry=False)
    calls = [
        client.get_session("s1"),
        client.wait_until_picked("s1", timeout=30),
        client.batch_get_media_items(["a", "b"]),
        client.delete_session("s1"),
    ]
    tasks = [asyncio.ensure_future(call) for call in calls]
    await asyncio.sleep(float(sys.argv[2]))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

asyncio.run(main())
"""


def test_cancelled_async_calls_then_exiting_never_print_a_panic_and_exit_cleanly(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: [Sleep(120)])
    env = {**os.environ, "RUST_BACKTRACE": "0"}

    def run(index: int) -> subprocess.CompletedProcess[str]:
        pause = ("0", "0.01", "0.05", "0.2")[index % 4]
        return subprocess.run([sys.executable, "-c", EXIT_AFTER_CANCEL, server.url, pause], capture_output=True, text=True, timeout=60, env=env)

    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(run, range(24)))
    for outcome in runs:
        assert "panic" not in outcome.stderr.lower() and "not initialized" not in outcome.stderr, outcome.stderr
        assert outcome.returncode == 0, outcome.stderr


# Defect 8: ids that steer the request elsewhere.


@pytest.mark.parametrize("session_id", STEERING_IDS, ids=lambda s: repr(s)[:20])
def test_session_ids_that_could_be_read_as_path_steps_are_refused_before_anything_is_sent(server_factory: Callable[..., HostileServer], session_id: str) -> None:
    server = server_factory(lambda request, index: json_answer(200, SESSION))
    client = client_for(server)
    for call in (client.get_session, client.delete_session, lambda s: list(client.list_media_items(s)), lambda s: client.wait_until_picked(s, timeout=5)):
        with pytest.raises(ValidationError) as refused:
            call(session_id)
        assert not refused.value.retryable
    with pytest.raises(ValidationError):
        client.batch_get_media_items(["a", session_id])
    assert server.requests == []


def test_async_session_ids_that_could_be_read_as_path_steps_are_refused(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, SESSION))

    async def attempt() -> None:
        client = async_client_for(server)
        for session_id in STEERING_IDS:
            with pytest.raises(ValidationError):
                await client.get_session(session_id)
            with pytest.raises(ValidationError):
                await client.delete_session(session_id)

    asyncio.run(attempt())
    assert server.requests == []


def test_other_punctuation_in_a_session_id_is_percent_encoded_in_its_own_path_segment(server_factory: Callable[..., HostileServer]) -> None:
    def answer(request: RawRequest, index: int) -> list[object]:
        asked = unquote(request.path.rsplit("/", 1)[-1])
        return json_answer(200, {**SESSION, "id": asked})

    server = server_factory(answer)
    client = client_for(server)
    for session_id in ["a?b", "a#b", "a%b", "a&b=c", "...", "%zz"]:
        assert client.get_session(session_id).id == session_id
    for request in server.requests:
        assert request.path.startswith("/v1/sessions/") and request.path.count("/") == 3, request.target
        assert "?" not in request.target and "#" not in request.target, request.target


# Defect 9: arguments the binding cannot hold are ValidationErrors, never retried, nothing sent.

PICKED = photospicker.PickedMediaItem.from_json(
    '{"id": "p1", "type": "PHOTO", "mediaFile": {"baseUrl": "http://127.0.0.1:9/x", "mimeType": "image/jpeg", "filename": "p1.jpg"}}'
)



def not_refused_as_validation_errors(calls: Iterable[tuple[str, Callable[[], object]]]) -> list[str]:
    """Each named call that did not raise a non-retryable ValidationError, and what it did instead."""
    wrong = []
    for name, call in calls:
        try:
            call()
        except ValidationError as error:
            if error.retryable:
                wrong.append(f"{name}: a retryable ValidationError")
        except BaseException as error:  # noqa: BLE001 - the point is which class it is
            wrong.append(f"{name}: {type(error).__name__}: {str(error)[:80]}")
        else:
            wrong.append(f"{name}: accepted")
    return wrong

def bad_calls(client: photospicker.Client, folder: Path) -> list[tuple[str, Callable[[], object]]]:
    return [
        ("page_size=10**10", lambda: list(client.list_media_items("s1", page_size=10**10))),
        ("page_size=True", lambda: list(client.list_media_items("s1", page_size=True))),  # type: ignore[arg-type]
        ("max_item_count=10**20", lambda: client.create_session(max_item_count=10**20)),
        ("max_item_count=1.5", lambda: client.create_session(max_item_count=1.5)),  # type: ignore[arg-type]
        ("request_id=123", lambda: client.create_session(request_id=123)),  # type: ignore[arg-type]
        ("width=2**64", lambda: client.download(PICKED, folder, width=2**64)),
        ("height=-1", lambda: client.download(PICKED, folder, height=-1)),
        ("concurrency=10**30", lambda: client.download_all([PICKED], folder, concurrency=10**30)),
        ("timeout=1e300", lambda: client.wait_until_picked("s1", timeout=1e300)),
        ("timeout=nan", lambda: client.wait_until_picked("s1", timeout=float("nan"))),
        ("timeout=inf", lambda: client.wait_until_picked("s1", timeout=float("inf"))),
        ("timeout=-1", lambda: client.wait_until_picked("s1", timeout=-1)),
        ("timeout=10**400", lambda: client.wait_until_picked("s1", timeout=10**400)),
        ("session id of 100 KB", lambda: client.get_session("s" * 100_000)),
        ("session id None", lambda: client.get_session(None)),  # type: ignore[arg-type]
        ("session id bytes", lambda: client.delete_session(b"s1")),  # type: ignore[arg-type]
        ("lone surrogate", lambda: client.get_session("\ud800")),
        ('ids ["a", None]', lambda: client.batch_get_media_items(["a", None])),  # type: ignore[list-item]
        ('ids "abc"', lambda: client.batch_get_media_items("abc")),
        ("ids b'abc'", lambda: client.batch_get_media_items(b"abc")),  # type: ignore[arg-type]
        ("ids 42", lambda: client.batch_get_media_items(42)),  # type: ignore[arg-type]
        ("ids []", lambda: client.batch_get_media_items([])),
        ("client timeout nan", lambda: client_for_url(float("nan"))),
        ("client timeout 1e300", lambda: client_for_url(1e300)),
        ("client timeout -1", lambda: client_for_url(-1)),
        ("retry max_attempts=10**30", lambda: photospicker.Retry(max_attempts=10**30)),
        ("retry initial_backoff=nan", lambda: photospicker.Retry(initial_backoff=float("nan"))),
        ("retry max_backoff=inf", lambda: photospicker.Retry(max_backoff=float("inf"))),
        ("retry multiplier=nan", lambda: photospicker.Retry(multiplier=float("nan"))),
    ]


def client_for_url(timeout: float) -> photospicker.Client:
    return photospicker.Client(token="ya29.secret", endpoint="http://127.0.0.1:9", timeout=timeout)


def test_bad_arguments_are_validation_errors_that_send_nothing(server_factory: Callable[..., HostileServer], tmp_path: Path) -> None:
    server = server_factory(lambda request, index: json_answer(200, SESSION))
    client = client_for(server)
    assert not_refused_as_validation_errors(bad_calls(client, tmp_path)) == []
    assert server.requests == []
    assert list(tmp_path.iterdir()) == []


def test_the_native_layer_itself_refuses_bad_arguments_with_validation_errors(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, SESSION))
    native = _native.NativeClient(token="ya29.secret", endpoint=server.url, library_endpoint=server.url)
    calls: list[Callable[[], object]] = [
        lambda: native.batch_get_media_items("abc"),  # type: ignore[arg-type]
        lambda: native.batch_get_media_items(["a", None]),  # type: ignore[list-item]
        lambda: native.list_media_items("s1", 10**10),
        lambda: native.list_media_items("s1", -1),
        lambda: native.get_session(123),  # type: ignore[arg-type]
        lambda: native.create_session(10**20),
        lambda: native.wait_until_picked("s1", float("nan")),
        lambda: native.wait_until_picked("s1", 10**400),
        lambda: native.download_all([], ".", 10**30),
        lambda: native.download(PICKED, ".", False, 2**64),
        lambda: native.download("not an item", ".", False),  # type: ignore[arg-type]
        lambda: _native.NativeClient(token="t", timeout=float("inf")),
        lambda: _native.NativeClient(token="t", multiplier=float("nan")),
        lambda: _native.NativeClient(token="t", token_provider=lambda refresh: "t"),
    ]
    for call in calls:
        with pytest.raises(ValidationError):
            call()
    assert server.requests == []


def test_huge_and_wrongly_typed_arguments_are_refused_by_the_async_client_too(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, SESSION))

    async def attempt() -> None:
        client = async_client_for(server)
        with pytest.raises(ValidationError):
            await client.batch_get_media_items("abc")
        with pytest.raises(ValidationError):
            await client.get_session("s" * 100_000)
        with pytest.raises(ValidationError):
            await client.create_session(max_item_count=10**20)
        with pytest.raises(ValidationError):
            async for _ in client.list_media_items("s1", page_size=10**10):
                pass

    asyncio.run(attempt())
    assert server.requests == []


# Defect 10: batchGet results paired by the returned id.


def test_batch_get_pairs_results_by_the_returned_id_when_the_server_reverses_them(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, {"mediaItemResults": [item(i) for i in reversed(asked_ids(request))]}))
    results = client_for(server).batch_get_media_items(["a", "b", "c"])
    assert [r.unwrap().id for r in results] == ["a", "b", "c"]


def test_batch_get_results_naming_other_ids_leave_typed_errors_not_mispairings(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, {"mediaItemResults": [item("x"), item("b")]}))
    first, second = client_for(server).batch_get_media_items(["a", "b"])
    assert not first.ok and isinstance(first.error, DecodeError)
    with pytest.raises(DecodeError):
        first.unwrap()
    assert second.unwrap().id == "b"


def test_batch_get_with_51_results_for_50_ids_keeps_every_id_with_its_own_item(server_factory: Callable[..., HostileServer]) -> None:
    def answer(request: RawRequest, index: int) -> list[object]:
        results = [item(i) for i in asked_ids(request)]
        results.insert(7, item("intruder"))
        return json_answer(200, {"mediaItemResults": results})

    server = server_factory(answer)
    ids = [f"id{i}" for i in range(50)]
    assert [r.unwrap().id for r in client_for(server).batch_get_media_items(ids)] == ids


def test_batch_get_of_ten_thousand_ids_with_duplicates_pairs_every_one(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, {"mediaItemResults": [item(i) for i in reversed(asked_ids(request))]}))
    ids = [f"id{i}" for i in range(10_000)] + ["id3", "id3"]
    results = client_for(server).batch_get_media_items(iter(ids))
    assert [r.unwrap().id for r in results] == ids
    assert len(server.requests) == 200


# Defect 11: a repeated page token.


def test_a_repeated_page_token_yields_the_pages_items_then_raises_a_decode_error(server_factory: Callable[..., HostileServer]) -> None:
    page = {"mediaItems": [{"id": "p1", "type": "PHOTO"}, {"id": "p2", "type": "PHOTO"}], "nextPageToken": "same"}
    server = server_factory(lambda request, index: json_answer(200, page))
    seen = []
    with pytest.raises(DecodeError):
        for picked in client_for(server).list_media_items("s1"):
            seen.append(picked.id)
    assert seen == ["p1", "p2", "p1", "p2"]


def test_the_async_listing_also_yields_the_repeated_pages_items_before_the_error(server_factory: Callable[..., HostileServer]) -> None:
    page = {"mediaItems": [{"id": "p1", "type": "PHOTO"}], "nextPageToken": "same"}
    server = server_factory(lambda request, index: json_answer(200, page))
    seen = []

    async def listing() -> None:
        async for picked in async_client_for(server).list_media_items("s1"):
            seen.append(picked.id)

    with pytest.raises(DecodeError):
        asyncio.run(listing())
    assert seen == ["p1", "p1"]


# Defect 14: required fields and the session asked for.


@pytest.mark.parametrize("body", [{"id": "s1"}, {"id": "s1", "pickerUri": ""}, {"id": "s1", "pickerUri": None}, {"pickerUri": "https://p/s1"}])
def test_a_created_session_without_an_id_or_picker_uri_is_a_decode_error(server_factory: Callable[..., HostileServer], body: dict[str, Any]) -> None:
    server = server_factory(lambda request, index: json_answer(200, body))
    with pytest.raises(DecodeError):
        client_for(server).create_session()


def test_a_polled_session_with_another_id_than_asked_for_is_a_decode_error(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, {**SESSION, "id": "someone-elses"}))
    client = client_for(server)
    with pytest.raises(DecodeError):
        client.get_session("mine")
    with pytest.raises(DecodeError):
        client.wait_until_picked("mine", timeout=5)


def test_a_polling_config_without_timeout_in_keeps_polling_until_picked(server_factory: Callable[..., HostileServer]) -> None:
    waiting = {"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "pollingConfig": {"pollInterval": "0.05s"}}
    server = server_factory(lambda request, index: json_answer(200, waiting if index < 3 else SESSION))
    assert client_for(server).wait_until_picked("s1", timeout=20).media_items_set
    assert len(server.requests) == 4


def test_a_polling_config_without_timeout_in_still_ends_at_the_callers_timeout(server_factory: Callable[..., HostileServer]) -> None:
    waiting = {"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "pollingConfig": {"pollInterval": "0.05s"}}
    server = server_factory(lambda request, index: json_answer(200, waiting))
    with pytest.raises(PickingTimeoutError):
        client_for(server).wait_until_picked("s1", timeout=0.4)
    assert len(server.requests) >= 2


# Issue 12 gap 7: requestId of the documented form only.


def test_request_ids_made_with_token_hex_are_sent_whatever_their_version_bits(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, {"id": "s1", "pickerUri": "https://photos.google.com/picker/s1"}))
    client = client_for(server)
    raw = secrets.token_hex(16)
    request_id = f"{raw[:8]}-{raw[8:12]}-0{raw[13:16]}-0{raw[17:20]}-{raw[20:]}"
    client.create_session(request_id=request_id)
    assert parse_qs(urlsplit(server.requests[0].target).query)["requestId"] == [request_id]
    with pytest.raises(ValidationError):
        client.create_session(request_id=raw)
    assert len(server.requests) == 1


# Found by an outside attack: arguments the binding could not hold escaped as
# TypeError / TransportError / RecursionError, one only after a request was sent.

BAD_CONSTRUCTIONS: list[tuple[str, dict[str, Any]]] = [
    ("token bytes", {"token": b"abc"}),
    ("token with a lone surrogate", {"token": "ya29.\ud800secret"}),
    ("endpoint bytes", {"token": "t", "endpoint": b"http://127.0.0.1:1"}),
    ("library_endpoint bytes", {"token": "t", "library_endpoint": b"http://127.0.0.1:1"}),
    ("endpoint with a lone surrogate", {"token": "t", "endpoint": "http://\ud800"}),
    ("user_agent with CR LF", {"token": "t", "user_agent": "a\r\nb: c"}),
    ("user_agent with a tab", {"token": "t", "user_agent": "a\tb"}),
    ("user_agent not ASCII", {"token": "t", "user_agent": "caf\u00e9"}),
    ("user_agent bytes", {"token": "t", "user_agent": b"agent"}),
    ("token_provider not callable", {"token_provider": 5}),
]


@pytest.mark.parametrize("client_class", [photospicker.Client, photospicker.AsyncClient])
@pytest.mark.parametrize(("name", "options"), BAD_CONSTRUCTIONS, ids=[name for name, _ in BAD_CONSTRUCTIONS])
def test_constructor_arguments_the_binding_cannot_hold_or_send_are_validation_errors(client_class: type, name: str, options: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as raised:
        client_class(**options)
    assert "secret" not in str(raised.value), name


def test_a_printable_user_agent_with_spaces_is_sent_as_given(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, SESSION))
    client_for(server, user_agent="my-app/1.0 (+https://example.com; ops@example.com)").get_session("s1")
    assert server.requests[0].headers["user-agent"] == "my-app/1.0 (+https://example.com; ops@example.com)"


def bad_download_calls(client: photospicker.Client, item: photospicker.PickedMediaItem, folder: Path) -> list[tuple[str, Callable[[], object]]]:
    return [
        ("dest None", lambda: client.download(item, None)),  # type: ignore[arg-type]
        ("dest bytes", lambda: client.download(item, os.fsencode(folder))),  # type: ignore[arg-type]
        ("dest 5", lambda: client.download(item, 5)),  # type: ignore[arg-type]
        ("dest with NUL", lambda: client.download(item, str(folder / "a\0b.jpg"))),
        ("dest with a lone surrogate", lambda: client.download(item, str(folder / "\ud800.jpg"))),
        ("crop=1", lambda: client.download(item, folder, crop=1)),  # type: ignore[arg-type]
        ("overwrite='yes'", lambda: client.download(item, folder, overwrite="yes")),  # type: ignore[arg-type]
        ("download_all items None", lambda: client.download_all(None, folder)),  # type: ignore[arg-type]
        ("download_all dest_dir None", lambda: client.download_all([item], None)),  # type: ignore[arg-type]
        ("download_all on_progress=5", lambda: client.download_all([item], folder, on_progress=5, return_exceptions=True)),  # type: ignore[arg-type]
        ("download_all return_exceptions=1", lambda: client.download_all([item], folder, return_exceptions=1)),  # type: ignore[arg-type]
        ("download_all crop=1", lambda: client.download_all([item], folder, crop=1)),  # type: ignore[arg-type]
    ]


def served_item(server: HostileServer) -> photospicker.PickedMediaItem:
    return photospicker.PickedMediaItem.from_json(
        f'{{"id": "p1", "type": "PHOTO", "mediaFile": {{"baseUrl": "{server.url}/m", "mimeType": "image/jpeg", "filename": "p1.jpg"}}}}'
    )


def test_bad_download_destinations_flags_and_callbacks_are_validation_errors_that_send_and_write_nothing(
    server_factory: Callable[..., HostileServer], tmp_path: Path
) -> None:
    server = server_factory(lambda request, index: respond(200, b"jpg", [("Content-Type", "image/jpeg")]))
    client = client_for(server)
    assert not_refused_as_validation_errors(bad_download_calls(client, served_item(server), tmp_path)) == []
    assert server.requests == []
    assert list(tmp_path.iterdir()) == []


def test_async_downloads_refuse_bad_destinations_flags_and_callbacks_before_sending(server_factory: Callable[..., HostileServer], tmp_path: Path) -> None:
    server = server_factory(lambda request, index: respond(200, b"jpg", [("Content-Type", "image/jpeg")]))
    item = served_item(server)

    async def attempt() -> None:
        client = async_client_for(server)
        with pytest.raises(ValidationError):
            await client.download(item, None)  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            await client.download(item, tmp_path, crop=1)  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            await client.download_all([item], None)  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            await client.download_all([item], tmp_path, on_progress=5)  # type: ignore[arg-type]

    asyncio.run(attempt())
    assert server.requests == []
    assert list(tmp_path.iterdir()) == []


def test_a_download_to_a_path_like_destination_still_works(server_factory: Callable[..., HostileServer], tmp_path: Path) -> None:
    server = server_factory(lambda request, index: respond(200, b"jpg", [("Content-Type", "image/jpeg")]))
    path = client_for(server).download(served_item(server), tmp_path / "photo.jpg")
    assert path == tmp_path / "photo.jpg" and path.read_bytes() == b"jpg"


def test_a_non_callable_on_poll_is_refused_before_the_first_poll(server_factory: Callable[..., HostileServer]) -> None:
    server = server_factory(lambda request, index: json_answer(200, SESSION))
    with pytest.raises(ValidationError):
        client_for(server).wait_until_picked("s1", timeout=1, on_poll=5)  # type: ignore[arg-type]

    async def attempt() -> None:
        with pytest.raises(ValidationError):
            await async_client_for(server).wait_until_picked("s1", timeout=1, on_poll=5)  # type: ignore[arg-type]

    asyncio.run(attempt())
    assert server.requests == []


GARBAGE_JSON: list[tuple[str, object]] = [
    ("100000 nested arrays", "[" * 100_000 + "]" * 100_000),
    ("100000 nested objects", '{"a":' * 100_000 + "1" + "}" * 100_000),
    ("deep nesting inside a valid session", '{"id":"s1","pickerUri":"u","pollingConfig":' + "[" * 100_000 + "]" * 100_000 + "}"),
    ("deep nesting as bytes", b"[" * 100_000 + b"]" * 100_000),
    ("None", None),
    ("an int", 5),
    ("an int of 5000 digits", '{"id":"s1","pickerUri":"u","mediaItemsSet":' + "9" * 5000 + "}"),
]


@pytest.mark.parametrize("model", [photospicker.PickingSession, photospicker.PickedMediaItem, photospicker.MediaItem])
@pytest.mark.parametrize(("name", "text"), GARBAGE_JSON, ids=[name for name, _ in GARBAGE_JSON])
def test_from_json_of_any_garbage_including_deeply_nested_json_is_a_decode_error(model: Any, name: str, text: object) -> None:
    with pytest.raises(DecodeError):
        model.from_json(text)
