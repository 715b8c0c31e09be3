"""A deliberately hostile HTTP/1.1 server on a real socket, for tests.

Each request is answered by a script of raw writes, pauses and cuts that the
test chooses (what proxies, captive portals, rate limiters and broken CDN
nodes really send). Threads are daemons and every socket has a timeout, so a
test can never hang on the server.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class RawRequest:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass
class Write:
    data: bytes


@dataclass
class Sleep:
    seconds: float


@dataclass
class Drip:
    """Writes `chunk` every `every` seconds until `total` bytes (forever with None)."""

    chunk: bytes
    every: float
    total: int | None = None


@dataclass
class Close:
    pass




def respond(status: int, body: bytes | str = b"", headers: Iterable[tuple[str, str]] = ()) -> list[object]:
    data = body.encode() if isinstance(body, str) else body
    head = f"HTTP/1.1 {status} X\r\ncontent-length: {len(data)}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers)
    return [Write(head.encode() + b"\r\n" + data)]


def json_answer(status: int, value: object) -> list[object]:
    return respond(status, json.dumps(value), [("content-type", "application/json; charset=UTF-8")])


def google_error(status: int, name: str, message: str) -> list[object]:
    return json_answer(status, {"error": {"code": status, "message": message, "status": name}})


Handler = Callable[[RawRequest, int], list[object]]


@dataclass
class HostileServer:
    handler: Handler
    requests: list[RawRequest] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        buffer = b""
        with conn:
            while not self._stopped.is_set():
                try:
                    while b"\r\n\r\n" not in buffer:
                        chunk = conn.recv(65536)
                        if not chunk or len(buffer) > 1 << 20:
                            return
                        buffer += chunk
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    lines = head.decode("latin-1").split("\r\n")
                    method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
                    headers = {}
                    for line in lines[1:]:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                    length = int(headers.get("content-length", "0") or 0)
                    while len(buffer) < length:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        buffer += chunk
                    body, buffer = buffer[:length], buffer[length:]
                    request = RawRequest(method, target, headers, body)
                    with self._lock:
                        self.requests.append(request)
                        index = len(self.requests) - 1
                    for step in self.handler(request, index):
                        if not self._run(conn, step):
                            return
                except OSError:
                    return

    def _run(self, conn: socket.socket, step: object) -> bool:
        if isinstance(step, Write):
            conn.sendall(step.data)
        elif isinstance(step, Sleep):
            return not self._stopped.wait(step.seconds)
        elif isinstance(step, Drip):
            sent = 0
            while step.total is None or sent < step.total:
                piece = step.chunk if step.total is None else step.chunk[: step.total - sent]
                conn.sendall(piece)
                sent += len(piece)
                if self._stopped.wait(step.every):
                    return False
        elif isinstance(step, Close):
            conn.close()
            return False
        return True


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
