"""The Python client against a hostile raw server (see hostile_server.py)."""

from __future__ import annotations

import photospicker
from hostile_server import HostileServer, json_answer


def test_a_well_formed_session_from_a_raw_server_is_read() -> None:
    session = {"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "mediaItemsSet": True}
    with HostileServer(lambda request, index: json_answer(200, session)) as server:
        client = photospicker.Client(token="ya29.secret", endpoint=server.url, library_endpoint=server.url)
        assert client.get_session("s1").id == "s1"
        assert server.requests[0].path == "/v1/sessions/s1"
