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
