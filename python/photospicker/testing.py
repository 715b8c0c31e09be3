"""Test support: a local emulator of the Google Photos Picker API.

    from photospicker.testing import Emulator

    with Emulator() as emulator:
        token = emulator.add_user()
        ...  # point your client at emulator.picker_url / emulator.library_url
        emulator.pick(session_id, count=3)

``Emulator`` runs the ``photospicker-emulator`` program (``pip install
photospicker-emulator``, or ``cargo install photospicker-emulator``) on a free
loopback port and drives it through its control API over HTTP. No network
access is needed. The program is looked up in this order: the
``PHOTOSPICKER_EMULATOR_BINARY`` environment variable (a path), the
``photospicker-emulator`` Python distribution, then ``PATH``.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import sys
import time
import weakref
import urllib.error
import urllib.parse
import urllib.request
from types import TracebackType
from typing import Any, Dict, List, Optional, Sequence, Type

__all__ = ["Emulator", "emulator_binary", "BINARY_VARIABLE"]

BINARY_VARIABLE = "PHOTOSPICKER_EMULATOR_BINARY"
_PROGRAM = "photospicker-emulator"
# Control answers are small; the request log is the largest (about 150 bytes an entry).
_MAX_ANSWER_BYTES = 64 * 1024 * 1024
_CALL_TIMEOUT = 60.0
_FAULT_KINDS = ("status", "html", "latency", "reset", "truncate", "slow")
_LOG_FIELDS = ("method", "path", "route", "status")
# Never send control calls through a proxy from the environment: the emulator is local.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def emulator_binary() -> str:
    """The path of the ``photospicker-emulator`` program, or FileNotFoundError saying how to get it."""
    explicit = os.environ.get(BINARY_VARIABLE)
    if explicit:
        if not os.path.isfile(explicit):
            raise FileNotFoundError(f"{BINARY_VARIABLE}={explicit!r} is not a file")
        return explicit
    try:
        import photospicker_emulator  # the photospicker-emulator distribution
    except ImportError:
        pass
    else:
        return str(photospicker_emulator.binary())
    found = shutil.which(_PROGRAM)
    if found:
        return found
    raise FileNotFoundError(
        f"the {_PROGRAM} program was not found: `pip install photospicker-emulator` "
        f"(or `cargo install photospicker-emulator`, or set {BINARY_VARIABLE} to its path)"
    )


def _number(name: str, value: float) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 or value != value:
        raise ValueError(f"{name} must be a non-negative number")
    return repr(float(value)) if isinstance(value, float) else str(value)


class Emulator:
    """A local Picker + Library API emulator for tests (see the README's control API).

    Each instance is its own ``photospicker-emulator`` process, stopped by
    :meth:`stop` (or the ``with`` block's end, or when this process exits).
    Control methods raise ``LookupError`` for an unknown session, user or
    token, and ``ValueError`` for a refused request or a stopped emulator.

    ``accept_any_token=True`` adds a default user (token ``emulator-token``)
    whose token any unknown bearer token acts as — what an app pointed here
    with ``PHOTOSPICKER_EMULATOR_HOST`` (see :attr:`emulator_host`) needs.
    By default unknown tokens get Google's 401, as in production.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        picker_port: int = 0,
        library_port: int = 0,
        poll_interval: float = 5.0,
        picking_timeout: float = 1800.0,
        session_ttl: float = 3600.0,
        base_url_ttl: float = 3600.0,
        max_sessions_per_user: int = 20,
        library_size: int = 40,
        video_ratio: float = 0.2,
        video_bytes: int = 262144,
        media_cache_bytes: int = 268435456,
        request_log_size: int = 10000,
        page_sizes: Optional[Sequence[int]] = None,
        accept_any_token: bool = False,
        start_timeout: float = 60.0,
    ) -> None:
        arguments = [
            ("--host", str(host)),
            ("--port", _number("picker_port", picker_port)),
            ("--library-port", _number("library_port", library_port)),
            ("--poll-interval", _number("poll_interval", poll_interval)),
            ("--picking-timeout", _number("picking_timeout", picking_timeout)),
            ("--session-ttl", _number("session_ttl", session_ttl)),
            ("--base-url-ttl", _number("base_url_ttl", base_url_ttl)),
            ("--max-sessions-per-user", _number("max_sessions_per_user", max_sessions_per_user)),
            ("--library-size", _number("library_size", library_size)),
            ("--video-ratio", _number("video_ratio", video_ratio)),
            ("--video-bytes", _number("video_bytes", video_bytes)),
            ("--media-cache-bytes", _number("media_cache_bytes", media_cache_bytes)),
            ("--request-log-size", _number("request_log_size", request_log_size)),
        ]
        command = [emulator_binary(), "--stop-when-stdin-closes"]
        for flag, value in arguments:
            command += [flag, value]
        if page_sizes:
            command += ["--page-sizes", ",".join(_number("page_sizes", size) for size in page_sizes)]
        command += ["--token", "emulator-token"] if accept_any_token else ["--no-default-user"]
        self._lock = threading.Lock()
        _running.add(self)
        self._stderr = tempfile.TemporaryFile()
        self._process: Optional[subprocess.Popen[bytes]] = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr
        )
        try:
            printed = self._wait_until_ready(start_timeout)
        except BaseException:
            self.stop()
            raise
        self._picker_url = printed["picker_url"]
        self._library_url = printed["library_url"]
        self._emulator_host = printed["emulator_host"]
        self._control = printed["control_url"]

    def _wait_until_ready(self, timeout: float) -> Dict[str, str]:
        """Reads the ``key=value`` lines up to ``ready``; a thread reads, so the wait has a deadline."""
        assert self._process is not None and self._process.stdout is not None
        lines: "queue.Queue[Optional[str]]" = queue.Queue()
        stdout = self._process.stdout

        def read() -> None:
            # This thread owns the pipe: it drains it after `ready` until the program
            # ends, then closes it. Closing it from another thread while this one
            # reads aborts the interpreter at exit ("could not acquire lock").
            with stdout:
                for raw in stdout:
                    lines.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
            lines.put(None)

        threading.Thread(target=read, name="photospicker-emulator-stdout", daemon=True).start()
        printed: Dict[str, str] = {}
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"{_PROGRAM} did not print ready within {timeout} s") from None
            if line == "ready":
                return printed
            if line is None:
                code = self._process.wait(timeout=10)
                self._stderr.seek(0)
                why = self._stderr.read(64 * 1024).decode("utf-8", "replace").strip()
                if code == 2:
                    raise ValueError(why or f"{_PROGRAM} refused its arguments")
                raise OSError(why or f"{_PROGRAM} exited with status {code} before it was ready")
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                printed[key] = value

    # ---- the process ---------------------------------------------------

    @property
    def picker_url(self) -> str:
        """Base URL of the Picker API (also serves media bytes and the picker page)."""
        return self._picker_url

    @property
    def library_url(self) -> str:
        """Base URL of the Library API."""
        return self._library_url

    @property
    def emulator_host(self) -> str:
        """``host:port`` serving both APIs: the value for ``PHOTOSPICKER_EMULATOR_HOST``."""
        return self._emulator_host

    @property
    def running(self) -> bool:
        return self._process is not None

    def stop(self) -> None:
        """Stops the program; calling it again does nothing."""
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()  # --stop-when-stdin-closes: a clean stop
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        self._stderr.close()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.stop()

    def __del__(self) -> None:
        if sys.is_finalizing():
            return  # the atexit hook already stopped it, or the program's stdin closes with us
        if getattr(self, "_process", None) is not None:
            self.stop()

    def __repr__(self) -> str:
        return f"Emulator(picker_url={self._picker_url!r}, library_url={self._library_url!r}, running={self.running})"

    # ---- the control API -----------------------------------------------

    def _call(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        if self._process is None:
            raise ValueError("the emulator is stopped")
        data = None if body is None else json.dumps({k: v for k, v in body.items() if v is not None}).encode()
        request = urllib.request.Request(self._control + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with _OPENER.open(request, timeout=_CALL_TIMEOUT) as response:
                raw = response.read(_MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            with error:
                answer = error.read(64 * 1024)
            try:
                message = json.loads(answer)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = answer.decode("utf-8", "replace") or error.reason
            raise (LookupError if error.code == 404 else ValueError)(message) from None
        if len(raw) > _MAX_ANSWER_BYTES:
            raise ValueError(f"the emulator's answer to {method} {path} is larger than {_MAX_ANSWER_BYTES} bytes")
        return json.loads(raw) if raw else None

    def _user_of(self, token: str, *, valid: bool = False) -> str:
        found = self._call("POST", "/tokens/lookup", {"token": token})
        if valid and found["expired"]:
            raise LookupError("that token has expired")
        user_id: str = found["userId"]
        return urllib.parse.quote(user_id, safe="")

    def add_user(
        self,
        *,
        name: Optional[str] = None,
        token: Optional[str] = None,
        has_photos_account: bool = True,
        scopes: Optional[List[str]] = None,
        library_size: Optional[int] = None,
        video_ratio: Optional[float] = None,
        max_sessions: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> str:
        """Creates an emulated user and returns its bearer token."""
        options = {
            "name": name,
            "token": token,
            "hasPhotosAccount": has_photos_account,
            "scopes": scopes,
            "librarySize": library_size,
            "videoRatio": video_ratio,
            "maxSessions": max_sessions,
            "seed": seed,
        }
        created: str = self._call("POST", "/users", options)["token"]
        return created

    def expire_token(self, token: str) -> int:
        """Expires every token held by the user whose token ``token`` is: Google's
        APIs then answer 401 with ``ACCESS_TOKEN_EXPIRED``, as when a real token's
        hour is over. Returns how many tokens were expired."""
        expired: int = self._call("POST", f"/users/{self._user_of(token)}/expireToken")["expired"]
        return expired

    def issue_token(self, token: str) -> str:
        """A fresh valid token for the user whose token ``token`` is (what an OAuth
        refresh returns); older tokens keep working until expired."""
        fresh: str = self._call("POST", f"/users/{self._user_of(token)}/tokens")["token"]
        return fresh

    def library(self, token: str) -> List[Dict[str, Any]]:
        """The library of the user with ``token``: a list of dicts (id, type, mimeType, …)."""
        items: List[Dict[str, Any]] = self._call("GET", f"/users/{self._user_of(token, valid=True)}/items")["items"]
        return items

    def pick(
        self,
        session_id: str,
        count: Optional[int] = None,
        item_ids: Optional[List[str]] = None,
        after_seconds: Optional[float] = None,
        after_polls: Optional[int] = None,
    ) -> None:
        """Simulates the user picking: ``count`` items or exactly ``item_ids``, now,
        after ``after_seconds`` (emulated) or after ``after_polls`` more polls."""
        body = {"count": count, "itemIds": item_ids, "afterSeconds": after_seconds, "afterPolls": after_polls}
        self._call("POST", f"/sessions/{urllib.parse.quote(session_id, safe='')}/pick", body)

    def configure_session(
        self, session_id: str, *, poll_interval: Optional[float] = None, timeout: Optional[float] = None, page_sizes: Optional[List[int]] = None
    ) -> None:
        """Changes a live session's poll interval, remaining picking time (seconds)
        and/or the sizes of its mediaItems.list pages (used in turn; ``[]`` = full pages)."""
        body = {"pollIntervalSeconds": poll_interval, "timeoutSeconds": timeout, "pageSizes": page_sizes}
        self._call("POST", f"/sessions/{urllib.parse.quote(session_id, safe='')}/configure", body)

    def advance_clock(self, seconds: float) -> None:
        """Moves the emulator's clock forward by ``seconds``."""
        self._call("POST", "/clock/advance", {"seconds": seconds})

    def inject_faults(
        self,
        route: str = "*",
        kind: str = "status",
        *,
        status: Optional[int] = None,
        retry_after: Optional[int] = None,
        latency_ms: Optional[int] = None,
        after_bytes: Optional[int] = None,
        bytes_per_second: Optional[int] = None,
        times: Optional[int] = None,
        probability: Optional[float] = None,
        skip: int = 0,
    ) -> None:
        """Adds a fault rule for ``route`` (a route name or "*"); see the README."""
        if kind not in _FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        rule = {
            "route": route,
            "kind": kind,
            "status": status,
            "retryAfter": retry_after,
            "latencyMs": latency_ms,
            "afterBytes": after_bytes,
            "bytesPerSecond": bytes_per_second,
            "times": times,
            "probability": probability,
            "skip": skip,
        }
        self._call("POST", "/faults", rule)

    def clear_faults(self) -> None:
        """Removes every fault rule."""
        self._call("DELETE", "/faults")

    def requests(self, route: Optional[str] = None) -> List[Dict[str, Any]]:
        """The requests served on Google's routes: dicts with method, path, route, status."""
        query = "" if route is None else "?" + urllib.parse.urlencode({"route": route})
        log = self._call("GET", "/requests" + query)["requests"]
        return [{field: entry[field] for field in _LOG_FIELDS} for entry in log]

    def dropped_requests(self) -> int:
        """How many requests the log dropped because it was full (since the last clear)."""
        dropped: int = self._call("GET", "/requests")["dropped"]
        return dropped

    def clear_requests(self) -> None:
        """Empties the request log."""
        self._call("DELETE", "/requests")

    def reset(self) -> None:
        """Forgets users, sessions, faults and the log, and resets the clock."""
        self._call("POST", "/reset")


# Emulators still running when the interpreter exits are stopped before it
# finalises (a stop from `__del__` during finalisation could not wait safely).
_running: "weakref.WeakSet[Emulator]" = weakref.WeakSet()


@atexit.register
def _stop_running_emulators() -> None:
    for emulator in list(_running):
        emulator.stop()
