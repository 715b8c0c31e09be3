"""credentials=: real google-auth Credentials, refreshed against a token
endpoint served by the test when the service answers 401."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs

from google.oauth2.credentials import Credentials

from photospicker import Client
from photospicker.testing import Emulator


def test_credentials_are_refreshed_after_a_401(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    grants: list[dict[str, Any]] = []

    class TokenEndpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            grants.append(parse_qs(body))
            answer = json.dumps({"access_token": photospicker_token, "expires_in": 3600, "token_type": "Bearer"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), TokenEndpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        credentials = Credentials(
            token="revoked-token",
            refresh_token="refresh-me",
            token_uri=f"http://127.0.0.1:{server.server_port}/token",
            client_id="client",
            client_secret="secret",
        )
        client = Client(credentials=credentials, endpoint=photospicker_emulator.picker_url)
        session = client.create_session()
        assert session.id
        assert len(grants) == 1 and grants[0]["grant_type"] == ["refresh_token"]
        assert credentials.token == photospicker_token
        statuses = [r["status"] for r in photospicker_emulator.requests("sessions.create")]
        assert statuses == [401, 200]
        assert photospicker_token not in repr(client)
    finally:
        server.shutdown()
