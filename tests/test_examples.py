"""The examples in python/examples run against the emulator."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from photospicker import Client
from photospicker.testing import Emulator

EXAMPLES = Path(__file__).resolve().parent.parent / "python" / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def call(app: Any, method: str, path: str) -> tuple[str, Any]:
    answer: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"] = status

    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": io.BytesIO()}, start_response))
    return answer["status"], json.loads(body)


def test_wsgi_example_keeps_the_session_between_requests(photospicker_emulator: Emulator, photospicker_client: Client) -> None:
    app = load("wsgi_app").PickerApp(photospicker_client)
    status, started = call(app, "POST", "/start")
    assert status == "200 OK" and started["pickerUri"].endswith("/autoclose")
    assert call(app, "GET", "/status")[1]["state"] == "waiting"
    session_id = json.loads(app.store["picker_session"])["id"]
    photospicker_emulator.pick(session_id, count=2)
    picked = call(app, "GET", "/status")[1]
    assert picked["state"] == "picked" and len(picked["files"]) == 2
    assert call(app, "POST", "/finish")[1] == {"state": "deleted"}
    assert call(app, "GET", "/status")[0] == "404 Not Found"


def test_script_example(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    paths = load("pick_script").run(photospicker_client, tmp_path, photospicker_emulator)
    assert paths and all(p.parent == tmp_path and p.stat().st_size > 0 for p in paths)
