"""Every exception class, raised by its documented condition."""

from __future__ import annotations

import socket

import pytest

import photospicker
from photospicker import Client, Retry
from photospicker.testing import Emulator


def client_for(emulator: Emulator, token: str) -> Client:
    return Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url, retry=Retry.disabled())


def test_the_hierarchy() -> None:
    for name in photospicker.errors.__all__:
        assert issubclass(getattr(photospicker, name), photospicker.PhotosPickerError)
    for cls in (photospicker.NotFoundError, photospicker.UnavailableError, photospicker.InternalError):
        assert issubclass(cls, photospicker.ApiError)
    assert issubclass(photospicker.ValidationError, ValueError)


def test_unauthenticated(photospicker_emulator: Emulator) -> None:
    with pytest.raises(photospicker.UnauthenticatedError) as caught:
        client_for(photospicker_emulator, "unknown").create_session()
    assert caught.value.http_status == 401 and caught.value.status == "UNAUTHENTICATED"


def test_permission_denied_for_a_missing_scope(photospicker_emulator: Emulator) -> None:
    token = photospicker_emulator.add_user(scopes=["https://www.googleapis.com/auth/userinfo.email"])
    with pytest.raises(photospicker.PermissionDeniedError) as caught:
        client_for(photospicker_emulator, token).create_session()
    assert caught.value.reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT" and caught.value.details


def test_not_found_failed_precondition_and_resource_exhausted(photospicker_emulator: Emulator) -> None:
    client = client_for(photospicker_emulator, photospicker_emulator.add_user(max_sessions=1))
    with pytest.raises(photospicker.NotFoundError):
        client.get_session("nope")
    session = client.create_session()
    with pytest.raises(photospicker.FailedPreconditionError):
        list(client.list_media_items(session))
    with pytest.raises(photospicker.ResourceExhaustedError) as caught:
        client.create_session()
    assert caught.value.http_status == 429 and caught.value.retryable
    no_account = client_for(photospicker_emulator, photospicker_emulator.add_user(has_photos_account=False))
    with pytest.raises(photospicker.FailedPreconditionError):
        no_account.create_session()


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, photospicker.InvalidArgumentError), (503, photospicker.UnavailableError), (500, photospicker.InternalError)],
)
def test_statuses_from_the_service(photospicker_emulator: Emulator, photospicker_token: str, status: int, cls: type) -> None:
    photospicker_emulator.inject_faults("sessions.get", "status", status=status)
    with pytest.raises(cls) as caught:
        client_for(photospicker_emulator, photospicker_token).get_session("x")
    assert caught.value.http_status == status


def test_an_html_page_keeps_its_status(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    photospicker_emulator.inject_faults("sessions.get", "html", status=502)
    with pytest.raises(photospicker.UnavailableError) as caught:
        client_for(photospicker_emulator, photospicker_token).get_session("x")
    assert caught.value.http_status == 502 and caught.value.reason == "NON_JSON_ERROR_BODY"


def test_decode_error_and_a_cut_json_answer_is_a_retryable_transport_error(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    client = client_for(photospicker_emulator, photospicker_token)
    session = client.create_session()
    photospicker_emulator.inject_faults("sessions.get", "truncate")
    with pytest.raises(photospicker.TransportError, match="ended early"):
        client.get_session(session.id)
    with pytest.raises(photospicker.DecodeError):
        photospicker.PickingSession.from_json('{"id": "x", "expireTime": "yesterday"}')


def test_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(token="t", endpoint=f"http://127.0.0.1:{port}", retry=Retry.disabled())
    with pytest.raises(photospicker.TransportError) as caught:
        client.get_session("x")
    assert caught.value.retryable


def test_validation_errors(photospicker_client: Client) -> None:
    with pytest.raises(photospicker.ValidationError):
        photospicker_client.create_session(request_id="not-a-uuid")
    with pytest.raises(photospicker.ValidationError):
        photospicker_client.create_session(max_item_count=0)
    with pytest.raises(photospicker.ValidationError):
        Client(token="t", endpoint="http://photos.example.com")
    with pytest.raises(photospicker.ValidationError):
        Client()


def test_auth_error_when_the_provider_fails(photospicker_emulator: Emulator) -> None:
    def broken(refresh: bool) -> str:
        raise LookupError("no refresh token")

    client = Client(token_provider=broken, endpoint=photospicker_emulator.picker_url)
    with pytest.raises(photospicker.AuthError):
        client.get_session("x")
    assert photospicker_emulator.requests() == []


def test_storage_error_when_the_target_cannot_be_written(photospicker_emulator: Emulator, photospicker_token: str, tmp_path: object) -> None:
    from pathlib import Path

    client = client_for(photospicker_emulator, photospicker_token)
    session = client.create_session()
    photospicker_emulator.pick(session.id, count=1)
    item = next(iter(client.list_media_items(session)))
    blocker = Path(str(tmp_path)) / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(photospicker.StorageError) as caught:
        client.download(item, blocker / "inside.jpg")
    assert isinstance(caught.value, OSError)
    assert sorted(p.name for p in Path(str(tmp_path)).iterdir()) == ["a-file"]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.create_session(max_item_count=-1),
        lambda c: c.wait_until_picked("s", timeout=-1),
        lambda c: list(c.list_media_items("s", page_size=-5)),
        lambda c: c.batch_get_media_items(["ok", ""]),
        lambda c: c.get_session(""),
    ],
)
def test_bad_arguments_are_validation_errors(photospicker_client: Client, call: object) -> None:
    with pytest.raises(photospicker.ValidationError):
        call(photospicker_client)  # type: ignore[operator]


@pytest.mark.parametrize("hostile", ["../../emulator/v1/reset", "a/b", "x?sessionId=y", "%2e%2e", "\u202e\u0000\n", "é" * 300])
def test_hostile_ids_reach_no_other_route(photospicker_emulator: Emulator, photospicker_client: Client, hostile: str) -> None:
    session = photospicker_client.create_session()
    with pytest.raises((photospicker.NotFoundError, photospicker.InvalidArgumentError, photospicker.ValidationError)):
        photospicker_client.get_session(hostile)
    with pytest.raises((photospicker.NotFoundError, photospicker.InvalidArgumentError, photospicker.ValidationError)):
        photospicker_client.delete_session(hostile)
    assert photospicker_client.get_session(session.id).id == session.id, "nothing was reset or deleted"
    assert all(r["route"].startswith("sessions.") for r in photospicker_emulator.requests())


# One classification in both languages: the Rust side of these checks is
# crates/photospicker/src/error.rs (tests) and crates/photospicker/tests/errors.rs.

ANSWERED_STATUSES = [400, 401, 403, 404, 408, 409, 413, 429, 499, 500, 501, 502, 503, 504]


def classified(error: photospicker.ApiError) -> tuple[type, int, object, bool]:
    return type(error), error.http_status, error.status, error.retryable


def test_an_html_page_and_a_json_envelope_with_the_same_status_raise_the_same_exception(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    client = client_for(photospicker_emulator, photospicker_token)
    for status in ANSWERED_STATUSES:
        seen = []
        for kind in ("html", "status"):
            photospicker_emulator.clear_faults()
            photospicker_emulator.inject_faults("sessions.get", kind, status=status)
            with pytest.raises(photospicker.ApiError) as caught:
                client.get_session("x")
            seen.append(classified(caught.value))
        assert seen[0] == seen[1], f"HTTP {status}: {seen}"
    photospicker_emulator.clear_faults()


def test_a_502_is_unavailable_whether_a_page_or_an_envelope(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    client = client_for(photospicker_emulator, photospicker_token)
    for kind in ("html", "status"):
        photospicker_emulator.clear_faults()
        photospicker_emulator.inject_faults("sessions.get", kind, status=502)
        with pytest.raises(photospicker.UnavailableError) as caught:
            client.get_session("x")
        assert (caught.value.status, caught.value.retryable) == ("UNAVAILABLE", True)
    photospicker_emulator.clear_faults()


def test_a_server_deadline_exceeded_is_a_retryable_504_api_error_not_unavailable(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    """As in Rust: HTTP 504, ``is_unavailable() == false``, ``is_retryable()``."""
    per_item = photospicker.errors.error_for_status(4, "the backend was slow")
    photospicker_emulator.inject_faults("sessions.get", "status", status=504)
    with pytest.raises(photospicker.ApiError) as caught:
        client_for(photospicker_emulator, photospicker_token).get_session("x")
    photospicker_emulator.clear_faults()
    for error in (per_item, caught.value):
        assert type(error) is photospicker.ApiError, error
        assert (error.http_status, error.status, error.retryable) == (504, "DEADLINE_EXCEEDED", True)
        assert not isinstance(error, (photospicker.UnavailableError, photospicker.DeadlineExceededError))


@pytest.mark.parametrize(
    ("code", "cls", "http_status", "retryable"),
    [
        (1, photospicker.ApiError, 499, False),
        (2, photospicker.InternalError, 500, True),
        (3, photospicker.InvalidArgumentError, 400, False),
        (5, photospicker.NotFoundError, 404, False),
        (6, photospicker.ApiError, 409, False),
        (7, photospicker.PermissionDeniedError, 403, False),
        (8, photospicker.ResourceExhaustedError, 429, True),
        (9, photospicker.FailedPreconditionError, 400, False),
        (10, photospicker.ApiError, 409, False),
        (11, photospicker.InvalidArgumentError, 400, False),
        (12, photospicker.ApiError, 501, False),
        (13, photospicker.InternalError, 500, True),
        (14, photospicker.UnavailableError, 503, True),
        (15, photospicker.InternalError, 500, True),
        (16, photospicker.UnauthenticatedError, 401, False),
        (999, photospicker.InternalError, 500, True),
    ],
)
def test_a_per_item_status_maps_like_the_rust_code_table(code: int, cls: type, http_status: int, retryable: bool) -> None:
    error = photospicker.errors.error_for_status(code, "m")
    assert type(error) is cls
    assert (error.http_status, error.retryable, error.message) == (http_status, retryable, "m")


def test_exceptions_are_importable_from_the_package_and_the_errors_module_and_named_there() -> None:
    for name in photospicker.errors.__all__:
        cls = getattr(photospicker.errors, name)
        assert getattr(photospicker, name) is cls
        assert cls.__module__ == "photospicker.errors" and cls.__qualname__ == name
    assert issubclass(photospicker.StorageError, OSError) and issubclass(photospicker.PickingTimeoutError, TimeoutError)
    assert issubclass(photospicker.DeadlineExceededError, TimeoutError) and issubclass(photospicker.ResponseTooLargeError, photospicker.DecodeError)


def test_exceptions_can_be_made_and_subclassed_in_python() -> None:
    class Mine(photospicker.NotFoundError):
        pass

    error = Mine("gone", http_status=404, status="NOT_FOUND")
    assert str(error) == "HTTP 404 NOT_FOUND: gone" and error.details == [] and error.headers == {}
    assert repr(error) == "Mine(http_status=404, status='NOT_FOUND', message='gone', reason=None)"
    assert photospicker.ValidationError("bad").message == "bad" and not photospicker.ValidationError("bad").retryable
    assert photospicker.TransportError("lost", retryable=True).retryable
    assert photospicker.PickingTimeoutError("late", session_id="s").session_id == "s"
    assert repr(photospicker.RedirectError("moved", http_status=302, location_host="h")) == "RedirectError(http_status=302, location_host='h')"
    with pytest.raises(TypeError):
        photospicker.ApiError("no status")  # type: ignore[call-arg]


def _plain(value: object) -> object:
    """Exceptions compare by identity: compare them by class and args instead."""
    if isinstance(value, BaseException):
        return type(value), value.args
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _same(a: BaseException, b: BaseException) -> None:
    assert type(a) is type(b) and a.args == b.args and str(a) == str(b) and repr(a) == repr(b)
    assert _plain(vars(a)) == _plain(vars(b))


def test_exceptions_pickle_with_every_attribute(photospicker_emulator: Emulator, photospicker_token: str, tmp_path: object) -> None:
    import pickle

    client = client_for(photospicker_emulator, photospicker_token)
    photospicker_emulator.inject_faults("sessions.get", "status", status=503, retry_after=7)
    with pytest.raises(photospicker.UnavailableError) as unavailable:
        client.get_session("x")
    photospicker_emulator.clear_faults()
    with pytest.raises(photospicker.NotFoundError) as not_found:
        client.get_session("nope")
    assert unavailable.value.retry_delay == 7 and unavailable.value.headers and unavailable.value.details
    errors: list[BaseException] = [
        unavailable.value,
        not_found.value,
        photospicker.errors.error_for_status(4, "slow"),
        photospicker.ValidationError("bad"),
        photospicker.TransportError("lost", retryable=True),
        photospicker.StorageError("disk full"),
        photospicker.PickingTimeoutError("late", session_id="s"),
        photospicker.SessionExpiredError("old", session_id="s"),
        photospicker.RedirectError("moved", http_status=302, location_host="h"),
        photospicker.DownloadAllError([photospicker.ValidationError("x"), "saved.jpg"], ["item", "other"]),
    ]
    for error in errors:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            _same(pickle.loads(pickle.dumps(error, protocol)), error)


def _raise_not_found(message: str) -> None:
    raise photospicker.errors.error_for_status(5, message)


def test_an_exception_raised_in_a_worker_process_arrives_whole() -> None:
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        outcome = pool.apply_async(_raise_not_found, ("no such session",))
        with pytest.raises(photospicker.NotFoundError) as caught:
            outcome.get(timeout=120)
    assert (caught.value.http_status, caught.value.status, caught.value.message) == (404, "NOT_FOUND", "no such session")


def test_a_disk_failure_keeps_the_os_error_as_its_cause(photospicker_emulator: Emulator, photospicker_token: str, tmp_path: object) -> None:
    import errno
    from pathlib import Path

    client = client_for(photospicker_emulator, photospicker_token)
    session = client.create_session()
    photospicker_emulator.pick(session.id, count=1)
    item = next(iter(client.list_media_items(session)))
    blocker = Path(str(tmp_path)) / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(photospicker.StorageError) as caught:
        client.download(item, blocker / "inside.jpg")
    cause = caught.value.__cause__
    assert isinstance(cause, OSError) and cause.errno in (errno.ENOTDIR, errno.EEXIST), repr(cause)
