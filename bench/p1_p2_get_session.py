"""P1 (Rust `get_session` vs raw reqwest + serde_json) and P2 (Python
`Client.get_session` vs the Rust client, requests, httpx and
google-api-python-client), every contender once per round, rounds interleaved."""

from __future__ import annotations

import google.oauth2.credentials
import googleapiclient.discovery
import httpx
import requests

import photospicker

import rust_bench
from harness import EmulatorProcess, Figure, Row, interleaved, median_call_seconds, ratio_figure

P1_TARGET = 1.05
P2_TARGET_RUST = 1.15
P2_TARGET_GOOGLE = 0.2


def measure(emulator: EmulatorProcess, rounds: int, calls: int) -> list[Row]:
    user = emulator.add_user(librarySize=20)
    token = user["token"]
    client = photospicker.Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url)
    session_id = client.create_session().id
    emulator.pick(session_id, count=3)
    url = f"{emulator.picker_url}/v1/sessions/{session_id}"
    headers = {"Authorization": f"Bearer {token}"}
    with_requests = requests.Session()
    with_httpx = httpx.Client()
    from_discovery = googleapiclient.discovery.build(
        "photospicker", "v1", discoveryServiceUrl=emulator.picker_url + "/$discovery/rest?version={apiVersion}",
        credentials=google.oauth2.credentials.Credentials(token), cache_discovery=False,
    )

    rust: dict[str, list[float]] = {"client": [], "raw": []}

    def rust_round() -> float:
        medians = rust_bench.run("p1", emulator.picker_url, token, session_id, calls, 1)
        rust["client"].append(medians["client"][0])
        rust["raw"].append(medians["raw"][0])
        return medians["client"][0]

    figures = interleaved(rounds, {
        "rust": rust_round,
        "photospicker": lambda: median_call_seconds(calls, lambda: client.get_session(session_id)),
        "requests": lambda: median_call_seconds(calls, lambda: with_requests.get(url, headers=headers).json()),
        "httpx": lambda: median_call_seconds(calls, lambda: with_httpx.get(url, headers=headers).json()),
        "google": lambda: median_call_seconds(calls, lambda: from_discovery.sessions().get(sessionId=session_id).execute()),
    })
    rust_client, raw = Figure(rust["client"]), Figure(rust["raw"])
    p1 = ratio_figure(rust_client.samples, raw.samples)
    py = figures["photospicker"]
    over_rust = ratio_figure(py.samples, rust_client.samples)
    versus = {name: ratio_figure(py.samples, figures[name].samples) for name in ("requests", "httpx", "google")}
    # What no binding can beat: the round trip of raw reqwest, against google's.
    floor = ratio_figure(raw.samples, figures["google"].samples)
    us = lambda f: f"{f.median * 1e6:.0f} µs"  # noqa: E731
    how = f"{rounds} interleaved rounds × median of {calls} sequential calls, warm connection"
    return [
        Row("P1", "Rust `get_session`, sequential", us(rust_client), f"raw reqwest + serde_json {us(raw)}",
            f"{p1.median:.2f}× ({p1.spread(digits=2)})", f"≤ {P1_TARGET}×", p1.median <= P1_TARGET, how),
        Row("P2", "Python `Client.get_session`", us(py),
            f"Rust client {us(rust_client)}; requests {us(figures['requests'])}; httpx {us(figures['httpx'])}; "
            f"google-api-python-client {us(figures['google'])}",
            f"{over_rust.median:.2f}× Rust ({over_rust.spread(digits=2)}); {versus['requests'].median:.2f}× requests; "
            f"{versus['httpx'].median:.2f}× httpx; {versus['google'].median:.2f}× google ({versus['google'].spread(digits=2)}); "
            f"the floor, raw reqwest, is {floor.median:.2f}× google",
            f"≤ {P2_TARGET_RUST}× Rust; ≤ {P2_TARGET_GOOGLE}× google",
            over_rust.median <= P2_TARGET_RUST and versus["google"].median <= P2_TARGET_GOOGLE, how),
    ]
