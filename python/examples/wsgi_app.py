"""A plain-WSGI web app: one request creates a session and stores it (as
JSON, the way you would in a cookie-backed session or a database), later
requests poll it and, once picked, show the items.

    python wsgi_app.py    # serves http://127.0.0.1:8000 against an embedded emulator

Routes: ``POST /start`` → the picker link; ``GET /status`` → waiting or the
list of picked file names; ``POST /finish`` → deletes the session.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Callable, Optional

import photospicker

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class PickerApp:
    """The app; ``store`` stands in for your session store (one user here)."""

    def __init__(self, client: photospicker.Client) -> None:
        self.client = client
        self.store: dict[str, str] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route = (environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/"))
        try:
            status, body = self.handle(route)
        except photospicker.PhotosPickerError as error:
            status, body = "502 Bad Gateway", {"error": str(error)}
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def session(self) -> Optional[photospicker.PickingSession]:
        saved = self.store.get("picker_session")
        return photospicker.PickingSession.from_json(saved) if saved else None

    def handle(self, route: tuple[str, str]) -> tuple[str, dict[str, Any]]:
        if route == ("POST", "/start"):
            created = self.client.create_session(max_item_count=10)
            self.store["picker_session"] = created.to_json()
            return "200 OK", {"pickerUri": created.picker_uri_autoclose}
        session = self.session()
        if session is None:
            return "404 Not Found", {"error": "no picking session; POST /start first"}
        if route == ("GET", "/status"):
            fresh = self.client.get_session(session)
            if not fresh.media_items_set:
                interval = fresh.polling_config.poll_interval if fresh.polling_config else None
                return "200 OK", {"state": "waiting", "pollAfterSeconds": interval.total_seconds() if interval else 5}
            names = [item.media_file.filename for item in self.client.list_media_items(fresh)]
            return "200 OK", {"state": "picked", "files": names}
        if route == ("POST", "/finish"):
            self.client.delete_session(session)
            del self.store["picker_session"]
            return "200 OK", {"state": "deleted"}
        return "404 Not Found", {"error": "unknown route"}


def main() -> None:
    from wsgiref.simple_server import make_server

    from photospicker.testing import Emulator

    with Emulator(poll_interval=1.0) as emulator:
        client = photospicker.Client(token=emulator.add_user(), endpoint=emulator.picker_url, library_endpoint=emulator.library_url)
        print("serving on http://127.0.0.1:8000 (POST /start, GET /status, POST /finish)")
        make_server("127.0.0.1", 8000, PickerApp(client)).serve_forever()


if __name__ == "__main__":
    main()
