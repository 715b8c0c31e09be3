"""A web app on another origin drives the emulator from browser JavaScript, as
real Picker web apps do with Google: headless chromium (Debian's chromium and
chromium-driver, installed by scripts/test.sh) loads a page from a second local
server, and the page's `fetch` calls run the whole flow with a bearer token —
create, pick (control API), poll, list, thumbnail bytes from `baseUrl`. Without
CORS answers the browser refuses every one of these calls."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from selenium import webdriver

from photospicker.testing import Emulator

PAGE = b"<!DOCTYPE html><html><head><meta charset=utf-8><title>A Picker web app</title></head><body>app</body></html>"

FLOW = """
const [api, token, done] = arguments;
const auth = {Authorization: `Bearer ${token}`};
const json = {'Content-Type': 'application/json'};
(async () => {
  const createdAnswer = await fetch(`${api}/v1/sessions`, {
    method: 'POST', headers: {...auth, ...json, 'X-Goog-Api-Client': 'gl-js/ fire/10'},
    body: JSON.stringify({pickingConfig: {maxItemCount: '3'}}),
  });
  const created = await createdAnswer.json();
  const picked = await fetch(`${api}/emulator/v1/sessions/${created.id}/pick`, {
    method: 'POST', headers: json, body: JSON.stringify({count: 2, afterPolls: 1}),
  });
  let session = null, polls = 0;
  while (polls < 20) {
    polls += 1;
    session = await (await fetch(`${api}/v1/sessions/${created.id}`, {headers: auth})).json();
    if (session.mediaItemsSet) break;
  }
  const list = await (await fetch(`${api}/v1/mediaItems?sessionId=${created.id}`, {headers: auth})).json();
  const thumb = await fetch(`${list.mediaItems[0].mediaFile.baseUrl}=w64-h64-c`, {headers: auth});
  const bytes = new Uint8Array(await thumb.arrayBuffer());
  const denied = await fetch(`${api}/v1/sessions`, {method: 'POST', headers: {Authorization: 'Bearer ya29.unknown'}});
  const deleted = await fetch(`${api}/v1/sessions/${created.id}`, {method: 'DELETE', headers: auth});
  done({
    origin: location.origin, createdStatus: createdAnswer.status, pickStatus: picked.status, polls,
    mediaItemsSet: session.mediaItemsSet, listed: list.mediaItems.length,
    thumbStatus: thumb.status, thumbType: thumb.headers.get('content-type'),
    jpeg: bytes.length > 2 && bytes[0] === 0xFF && bytes[1] === 0xD8,
    deniedStatus: denied.status, deniedBody: await denied.json(),
    challenge: denied.headers.get('www-authenticate'), deletedStatus: deleted.status,
  });
})().catch((error) => done({error: String(error)}));
"""


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture()
def app_origin() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)



def test_a_page_on_another_origin_runs_the_whole_flow_with_fetch(
    emulator: Emulator, app_origin: str, browser: webdriver.Chrome
) -> None:
    token = emulator.add_user(library_size=6, video_ratio=0.0)
    browser.get(app_origin)
    result = browser.execute_async_script(FLOW, emulator.picker_url, token)
    assert "error" not in result, result
    assert result["origin"] == app_origin and not emulator.picker_url.startswith(app_origin)
    assert result["createdStatus"] == 200 and result["pickStatus"] == 200
    assert result["mediaItemsSet"] is True and result["polls"] == 2
    assert result["listed"] == 2
    assert result["thumbStatus"] == 200 and result["thumbType"] == "image/jpeg" and result["jpeg"]
    assert result["deniedStatus"] == 401, "error answers are readable from the page"
    assert result["deniedBody"]["error"]["status"] == "UNAUTHENTICATED"
    assert result["challenge"] == 'Bearer realm="https://accounts.google.com/", error="invalid_token"'
    assert result["deletedStatus"] == 200
    routes = [entry["route"] for entry in emulator.requests()]
    assert routes.count("sessions.create") == 2 and "mediaItems.list" in routes and "media" in routes
