"""google-api-python-client, a client nobody here wrote, runs against the emulator
unchanged: it builds both APIs from the emulator's discovery documents and runs
the whole Picker flow and the Library's batchGet (also as POST + method override)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import google.oauth2.credentials
import googleapiclient.discovery
import googleapiclient.errors
import pytest
import requests

from photospicker.testing import Emulator


@pytest.fixture()
def big_emulator() -> Iterator[Emulator]:
    # 150 items: enough app-created ones for a batchGet of 50.
    with Emulator(poll_interval=0.05, library_size=150) as running:
        yield running


def build(api: str, emulator: Emulator, token: str, **kwargs: Any) -> Any:
    root = emulator.picker_url if api == "photospicker" else emulator.library_url
    return googleapiclient.discovery.build(
        api,
        "v1",
        discoveryServiceUrl=root + "/$discovery/rest?version={apiVersion}",
        credentials=google.oauth2.credentials.Credentials(token),
        cache_discovery=False,
        **kwargs,
    )


def test_the_whole_picker_flow_runs_on_a_client_built_from_discovery(emulator: Emulator) -> None:
    token = emulator.add_user(library_size=30)
    picker = build("photospicker", emulator, token)
    session = picker.sessions().create(body={}).execute()
    assert session["pickerUri"].startswith(emulator.picker_url)
    assert "mediaItemsSet" not in session
    polled = picker.sessions().get(sessionId=session["id"]).execute()
    assert polled["pollingConfig"]["pollInterval"] == "0.05s"
    emulator.pick(session["id"], count=12)
    assert picker.sessions().get(sessionId=session["id"]).execute()["mediaItemsSet"] is True

    seen: list[str] = []
    request = picker.mediaItems().list(sessionId=session["id"], pageSize=5)
    pages = 0
    while request is not None and pages < 10:
        page = request.execute()
        seen += [item["id"] for item in page.get("mediaItems", [])]
        request = picker.mediaItems().list_next(request, page)
        pages += 1
    assert pages == 3
    assert seen == [item["id"] for item in emulator.library(token)[:12]]

    assert picker.sessions().delete(sessionId=session["id"]).execute() == {}
    with pytest.raises(googleapiclient.errors.HttpError) as gone:
        picker.sessions().get(sessionId=session["id"]).execute()
    assert gone.value.status_code == 404


def test_list_next_walks_empty_and_short_pages_to_the_end(emulator: Emulator) -> None:
    token = emulator.add_user()
    picker = build("photospicker", emulator, token)
    session = picker.sessions().create(body={}).execute()
    emulator.pick(session["id"], count=5)
    emulator.configure_session(session["id"], page_sizes=[0, 2])
    sizes: list[int] = []
    request = picker.mediaItems().list(sessionId=session["id"])
    while request is not None and len(sizes) < 20:
        page = request.execute()
        sizes.append(len(page.get("mediaItems", [])))
        request = picker.mediaItems().list_next(request, page)
    assert sizes == [0, 2, 0, 2, 0, 1]


@pytest.mark.parametrize("request_id", [lambda: secrets.token_hex(16), lambda: "0123abcd-ffff-ffff-0000-0123456789ab"])
def test_sessions_create_takes_a_request_id_in_the_documented_format(emulator: Emulator, request_id: Any) -> None:
    token = emulator.add_user()
    picker = build("photospicker", emulator, token)
    raw = request_id()
    if "-" not in raw:  # secrets.token_hex(16), grouped as public scripts do
        raw = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    created = picker.sessions().create(body={"pickingConfig": {"maxItemCount": "3"}}, requestId=raw).execute()
    assert created["pickingConfig"]["maxItemCount"] == "3"
    with pytest.raises(googleapiclient.errors.HttpError) as bad:
        picker.sessions().create(body={}, requestId="not-a-uuid").execute()
    assert bad.value.status_code == 400


def test_batch_get_of_fifty_ids_goes_through_the_method_override(big_emulator: Emulator) -> None:
    token = big_emulator.add_user(library_size=150)
    ids = [item["id"] for item in big_emulator.library(token) if item["appCreated"]][:50]
    assert len(ids) == 50
    library = build("photoslibrary", big_emulator, token)
    request = library.mediaItems().batchGet(mediaItemIds=ids)
    assert len(request.uri) > 2048
    results = request.execute()["mediaItemResults"]
    # The URI was too long for a GET, so the client sent POST + X-HTTP-Method-Override.
    assert request.method == "POST" and request.headers["x-http-method-override"] == "GET"
    assert [r["mediaItem"]["id"] for r in results] == ids
    served = big_emulator.requests("mediaItems.batchGet")
    assert served[-1]["method"] == "GET" and served[-1]["status"] == 200

    short = library.mediaItems().batchGet(mediaItemIds=ids[:2])
    assert short.method == "GET"
    assert len(short.execute()["mediaItemResults"]) == 2


def test_a_client_built_from_the_discovery_service_path_with_an_api_endpoint_works(emulator: Emulator) -> None:
    token = emulator.add_user()
    picker = googleapiclient.discovery.build(
        "photospicker",
        "v1",
        discoveryServiceUrl=emulator.picker_url + "/discovery/v1/apis/{api}/{apiVersion}/rest",
        credentials=google.oauth2.credentials.Credentials(token),
        client_options={"api_endpoint": emulator.picker_url},
        static_discovery=False,
        cache_discovery=False,
    )
    session = picker.sessions().create(body={}).execute()
    assert picker.sessions().get(sessionId=session["id"]).execute()["id"] == session["id"]


def test_odd_arguments_get_google_errors_not_crashes(emulator: Emulator) -> None:
    token = emulator.add_user()
    picker = build("photospicker", emulator, token)
    for call in (
        picker.sessions().get(sessionId="../../emulator/v1/reset"),
        picker.mediaItems().list(sessionId="nope", pageSize=-1),
        picker.mediaItems().list(sessionId=""),
    ):
        with pytest.raises(googleapiclient.errors.HttpError) as failed:
            call.execute()
        assert 400 <= failed.value.status_code < 500
        assert failed.value.error_details is not None or failed.value.reason
    with pytest.raises(TypeError):
        picker.sessions().get()  # the discovery document marks sessionId required
    assert requests.get(emulator.picker_url + "/emulator/v1", timeout=5).status_code == 200, "the emulator still serves"


def test_the_request_log_is_a_list_and_reports_what_it_dropped() -> None:
    with Emulator(request_log_size=3) as emulator:
        token = emulator.add_user()
        picker = build("photospicker", emulator, token)
        session = picker.sessions().create(body={}).execute()
        for _ in range(5):
            picker.sessions().get(sessionId=session["id"]).execute()
        # 7 requests: the discovery document, create and 5 gets.
        log = emulator.requests()
        assert isinstance(log, list) and [entry["route"] for entry in log] == ["sessions.get"] * 3
        assert emulator.dropped_requests() == 4
        over_http = requests.get(emulator.picker_url + "/emulator/v1/requests", timeout=5).json()
        assert over_http["dropped"] == 4 and len(over_http["requests"]) == 3
