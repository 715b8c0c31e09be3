"""The emulator at the HTTP level with real client libraries nobody here wrote:
httplib2 (what google-api-python-client sends through) keeps one connection
alive across error answers to requests with bodies, and a client's token
refresh path meets the expired-token 401 it would meet at Google."""

from __future__ import annotations

import json

import httplib2
import pytest

from photospicker.testing import Emulator


def test_one_keep_alive_connection_survives_twenty_mixed_requests(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # httplib2 silently reconnects and retries after a dropped connection; with
    # one try only, a connection the server dropped fails the request instead.
    monkeypatch.setattr(httplib2, "RETRIES", 1)
    token = emulator.add_user(library_size=4)
    api = emulator.picker_url
    auth = {"Authorization": f"Bearer {token}"}
    body = json.dumps({"pickingConfig": {"maxItemCount": "2"}, "padding": "x" * 3000})
    form = "mediaItemIds=a&mediaItemIds=b"
    http = httplib2.Http(timeout=10)
    status, content = http.request(f"{api}/v1/sessions", "POST", body="{}", headers={**auth, "Content-Type": "application/json"})
    assert status.status == 200
    session = json.loads(content)["id"]
    steps = [
        ("POST", "/v1/nowhere", body, 404),
        ("GET", f"/v1/sessions/{session}", None, 200),
        ("PUT", "/v1/sessions", body, 404),
        ("PATCH", f"/v1/sessions/{session}", body, 404),
        ("POST", "/v1/sessions", body, 400),  # unknown field "padding"
        ("GET", f"/v1/sessions/{session}", None, 200),
        ("DELETE", "/v1/mediaItems", form, 404),
        ("POST", f"/v1/mediaItems?sessionId={session}", form, 404),
        ("GET", f"/v1/mediaItems?sessionId={session}", None, 400),  # not picked yet
        ("POST", "/v1/sessions?foo=1", "{}", 400),
        ("GET", f"/v1/sessions/{session}", body, 200),  # a body on a GET is read and ignored
        ("POST", "/v1/sessions", "{not json", 400),
        ("GET", "/v2/anything", None, 404),
        ("POST", "/media/none", body, 404),
        ("GET", f"/v1/sessions/{session}?fields=id", None, 200),
        ("POST", "/picker/none/done", body, 404),
        ("DELETE", "/v1/sessions/none", body, 404),
        ("GET", f"/v1/sessions/{session}", None, 200),
        ("POST", "/v1/sessions", body, 400),
    ]
    assert len(steps) + 1 == 20
    connection = next(iter(http.connections.values()))
    local_port = connection.sock.getsockname()[1]
    for method, path, payload, expected in steps:
        status, content = http.request(f"{api}{path}", method, body=payload, headers={**auth, "Content-Type": "application/json"})
        assert status.status == expected, (method, path, content[:300])
        assert content, f"{method} {path}: never an empty body"
        assert connection.sock is not None and connection.sock.getsockname()[1] == local_port, f"{method} {path} reopened the connection"
    assert len(http.connections) == 1


def test_an_expired_token_is_refreshed_by_issuing_a_new_one(emulator: Emulator) -> None:
    token = emulator.add_user()
    http = httplib2.Http(timeout=10)
    url = f"{emulator.picker_url}/v1/sessions"
    assert http.request(url, "POST", headers={"Authorization": f"Bearer {token}"})[0].status == 200
    assert emulator.expire_token(token) == 1
    status, content = http.request(url, "POST", headers={"Authorization": f"Bearer {token}"})
    assert status.status == 401
    assert status["www-authenticate"] == 'Bearer realm="https://accounts.google.com/", error="invalid_token"'
    assert json.loads(content)["error"]["details"][0]["reason"] == "ACCESS_TOKEN_EXPIRED"
    fresh = emulator.issue_token(token)
    assert fresh != token
    assert http.request(url, "POST", headers={"Authorization": f"Bearer {fresh}"})[0].status == 200
    assert http.request(f"{url}?access_token={fresh}", "POST")[0].status == 200
    with pytest.raises(LookupError):
        emulator.expire_token("ya29.nobody")
