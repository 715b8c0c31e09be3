"""What ``Client`` and ``AsyncClient`` share: the constructor, ``Retry``, and
every argument check, done once in front of the native call (a bad argument
is a ``ValidationError`` before anything is sent)."""

from __future__ import annotations

import dataclasses
import logging
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Callable, Optional, Union

from photospicker import _native
from photospicker._native import MediaItem, PickedMediaItem, PickingSession
from photospicker.errors import DownloadAllError, ValidationError
from photospicker.models import MediaItemResult, Status

PathLike = Union[str, "os.PathLike[str]"]
Downloadable = Union[PickedMediaItem, MediaItem]
TokenProvider = Callable[[bool], str]

logger = logging.getLogger("photospicker")


@dataclasses.dataclass(frozen=True)
class Retry:
    """How failed requests are retried: only idempotent calls (reads, deletes,
    a create with a ``request_id``; a create without one only if it never
    connected). ``max_attempts`` counts requests. A server-asked delay
    (``Retry-After``, ``RetryInfo``) longer than ``max_backoff`` (or
    ``rate_limited_backoff`` after a 429) or past ``time_limit`` ends the call
    at once with the server's error, whose ``retry_delay`` says how long it
    asked for. ``time_limit`` (seconds, ``None``: none) bounds a whole call:
    no wait or attempt goes past it, an API call in flight is cut
    (``DeadlineExceededError``), a flowing download is only not retried past it.
    ``jitter_seed`` makes the waits reproducible (tests)."""

    max_attempts: int = 5
    initial_backoff: float = 1.0
    max_backoff: float = 32.0
    multiplier: float = 2.0
    rate_limited_backoff: float = 30.0
    jitter: bool = True
    time_limit: Optional[float] = 300.0
    jitter_seed: Optional[int] = None

    def __post_init__(self) -> None:
        _count("max_attempts", self.max_attempts)
        for name in ("initial_backoff", "max_backoff", "rate_limited_backoff"):
            _seconds(name, getattr(self, name))
        if not _is_number(self.multiplier) or not 1 <= self.multiplier < 1000:
            raise ValidationError(f"multiplier must be a number from 1 to 1000, not {self.multiplier!r}")
        _flag("jitter", self.jitter)
        _seconds("time_limit", self.time_limit)
        seed = self.jitter_seed
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64):
            raise ValidationError(f"jitter_seed must be an integer from 0 to 2**64 - 1, not {_shown(seed)}")

    @classmethod
    def disabled(cls) -> Retry:
        """Send every request once."""
        return cls(max_attempts=1)


def _credentials_provider(credentials: Any) -> TokenProvider:
    """A token provider refreshing google-auth credentials when expired or after a 401."""
    try:
        from google.auth.transport.requests import Request
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ValidationError("credentials= needs google-auth with requests: pip install 'photospicker[google-auth]'") from error

    request = Request()

    def provide(refresh: bool) -> str:
        if refresh or not credentials.valid:
            logger.debug("refreshing google-auth credentials")
            credentials.refresh(request)
        token: str = credentials.token
        return token

    return provide


def _native_client(
    token: Optional[str],
    credentials: Any,
    token_provider: Optional[TokenProvider],
    endpoint: Optional[str],
    library_endpoint: Optional[str],
    timeout: float,
    retry: Union[Retry, bool, None],
    user_agent: Optional[str],
    limits: dict[str, Any],
) -> _native.NativeClient:
    for name, value in (("timeout", timeout), ("connect_timeout", limits["connect_timeout"]), ("stall_timeout", limits["stall_timeout"])):
        if not _is_number(value) or not 0 < value < 86400:
            raise ValidationError(f"{name} must be a number of seconds between 0 and 86400, not {_shown(value)}")
    for name in ("min_throughput", "max_response_bytes"):
        value = limits[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
            raise ValidationError(f"{name} must be a non-negative integer below 2**63, not {_shown(value)}")
    slots = limits["max_concurrent_requests"]
    if isinstance(slots, bool) or not isinstance(slots, int) or not 1 <= slots < 2**63:
        raise ValidationError(f"max_concurrent_requests must be a positive integer below 2**63, not {_shown(slots)}")
    for name, text in (("token", token), ("endpoint", endpoint), ("library_endpoint", library_endpoint)):
        if text is not None:
            _str(name, text)
    if user_agent is not None:
        _str("user_agent", user_agent)  # its content is checked once, by the Rust builder
    if token_provider is not None:
        _callable("token_provider", token_provider)
    given = [name for name, value in (("token", token), ("credentials", credentials), ("token_provider", token_provider)) if value is not None]
    # With PHOTOSPICKER_EMULATOR_HOST set, no credentials is fine: the Rust
    # builder sends the emulator's placeholder token.
    if len(given) > 1 or (not given and not os.environ.get("PHOTOSPICKER_EMULATOR_HOST")):
        raise ValidationError(f"give exactly one of token=, credentials= or token_provider= (got {given or 'none'})")
    if credentials is not None:
        token_provider = _credentials_provider(credentials)
    if retry is None or retry is True:
        retry = Retry()
    elif retry is False:
        retry = Retry.disabled()
    if not isinstance(retry, Retry):
        raise ValidationError(f"retry must be a Retry, a bool or None, not {type(retry).__name__}")
    return _native.NativeClient(
        token=token,
        token_provider=token_provider,
        endpoint=endpoint,
        library_endpoint=library_endpoint,
        timeout=timeout,
        user_agent=user_agent,
        **limits,
        **dataclasses.asdict(retry),
    )


_MAX_COUNT = 2**31 - 1


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    # An int is finite, and math.isfinite cannot take one beyond float range.
    return isinstance(value, int) or math.isfinite(value)


def _count(name: str, value: Optional[int], low: int = 1) -> Optional[int]:
    """Refuses a bad size or count before it reaches the native layer (which
    refuses them too, with the same ``ValidationError``)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= _MAX_COUNT:
        raise ValidationError(f"{name} must be a whole number from {low} to {_MAX_COUNT}, not {_shown(value)}")
    return value


def _seconds(name: str, value: Optional[float]) -> Optional[float]:
    if value is None:
        return None
    if not _is_number(value) or not 0 <= value < 10**9:
        raise ValidationError(f"{name} must be a non-negative, finite number of seconds below 10**9, not {_shown(value)}")
    return float(value)


def _shown(value: object) -> str:
    """A refused value for an error message, cut short (it may be huge)."""
    try:
        text = repr(value)
    except ValueError:  # an int too long to print
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:60] + "…"


def _str(name: str, value: object) -> str:
    """A str the native layer can hold (UTF-8: no lone surrogates). What an id
    may contain is the Rust client's rule (one place), which refuses bad ones
    before anything is sent."""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a str, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Not shown: the value may be a token.
        raise ValidationError(f"{name} must be valid Unicode text (it holds a lone surrogate)") from None
    return value


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{name} must be a bool, not {_shown(value)}")
    return value


def _callable(name: str, value: Any) -> None:
    if not callable(value):
        raise ValidationError(f"{name} must be callable, not {_shown(value)}")


def _path(name: str, value: object) -> Path:
    """A ``str`` or ``os.PathLike`` naming a local path the OS can take."""
    if not isinstance(value, (str, os.PathLike)):
        raise ValidationError(f"{name} must be a str or an os.PathLike, not {type(value).__name__}")
    text = os.fspath(value)
    if not isinstance(text, str):
        raise ValidationError(f"{name} must name a path as a str, not {type(text).__name__}")
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        raise ValidationError(f"{name} cannot be encoded as a file name: {_shown(text)}") from None
    if "\0" in text:
        raise ValidationError(f"{name} must not contain a NUL character: {_shown(text)}")
    return Path(text)


def _ids(ids: Iterable[str]) -> list[str]:
    # A str is an iterable of letters: batch_get_media_items("abc") must not ask for a, b and c.
    if isinstance(ids, (str, bytes, bytearray)):
        raise ValidationError(f"ids must be an iterable of id strings, not a single {type(ids).__name__}")
    try:
        listed = list(ids)
    except TypeError as error:
        raise ValidationError(f"ids must be an iterable of id strings, not {type(ids).__name__}") from error
    return [_str(f"ids[{index}]", value) for index, value in enumerate(listed)]


def _item(item: Downloadable) -> Downloadable:
    if not isinstance(item, (PickedMediaItem, MediaItem)):
        raise ValidationError(f"expected a PickedMediaItem or a MediaItem, not {type(item).__name__}")
    return item


def _callback(name: str, value: Optional[Callable[..., Any]]) -> Optional[Callable[..., Any]]:
    """A callback (``on_poll``, ``on_progress``) refused before anything is sent unless callable."""
    if value is not None:
        _callable(name, value)
    return value


def _downloadables(items: Sequence[Downloadable]) -> list[Downloadable]:
    if isinstance(items, (str, bytes, bytearray)):
        raise ValidationError(f"items must be a sequence of media items, not a {type(items).__name__}")
    try:
        listed = list(items)
    except TypeError as error:
        raise ValidationError(f"items must be a sequence of media items, not {type(items).__name__}") from error
    return [_item(item) for item in listed]


def _dest(dest: PathLike) -> tuple[Path, bool]:
    """A directory (existing, or written with a trailing separator) or a file path."""
    path = _path("dest", dest)
    as_dir = path.is_dir() or os.fspath(dest).endswith((os.sep, "/"))
    return path, not as_dir


def _outcomes(items: Sequence[Downloadable], raw: list[Any], return_exceptions: bool) -> list[Any]:
    """One outcome per item; unless ``return_exceptions``, a single ``DownloadAllError`` if any failed."""
    results: list[Any] = [Path(path) if error is None else error for path, error in raw]
    if not return_exceptions and any(isinstance(r, BaseException) for r in results):
        raise DownloadAllError(results, list(items))
    return results


def _session_id(session: Union[PickingSession, str]) -> str:
    return session.id if isinstance(session, PickingSession) else _str("session_id", session)


def _request_id(request_id: Optional[str]) -> Optional[str]:
    return None if request_id is None else _str("request_id", request_id)


def _results(raw: list[tuple[Optional[MediaItem], Optional[tuple[int, str]], Optional[str]]]) -> list[MediaItemResult]:
    return [
        MediaItemResult(
            media_item=item,
            status=None if status is None else Status(code=status[0], message=status[1]),
            unpaired=unpaired,
        )
        for item, status, unpaired in raw
    ]


class _Base:
    _native: _native.NativeClient

    def __init__(
        self,
        token: Optional[str] = None,
        *,
        credentials: Any = None,
        token_provider: Optional[Callable[[bool], Any]] = None,
        endpoint: Optional[str] = None,
        library_endpoint: Optional[str] = None,
        timeout: float = 60.0,
        retry: Union[Retry, bool, None] = None,
        user_agent: Optional[str] = None,
        connect_timeout: float = 10.0,
        stall_timeout: float = 20.0,
        min_throughput: int = 1024,
        max_response_bytes: int = 4 * 1024 * 1024,
        max_concurrent_requests: int = 100,
    ) -> None:
        """``timeout``: seconds one attempt may wait for the response's headers;
        ``connect_timeout``: seconds to connect; a body fails as stalled when it
        brings fewer than ``min_throughput`` bytes/s over ``stall_timeout``
        seconds (and is retried, a download resuming where it stopped); API
        answers larger than ``max_response_bytes`` fail with
        ``ResponseTooLargeError``; at most ``max_concurrent_requests`` API
        requests are in flight at once, and as many downloads (more wait for a
        slot), which bounds the open connections. See ``Retry`` for retries and the time limit."""
        # Rust events below this level are not even formatted; INFO (retries) always passes.
        _native.set_log_level(min(logger.getEffectiveLevel(), logging.INFO))
        limits = {"connect_timeout": connect_timeout, "stall_timeout": stall_timeout, "min_throughput": min_throughput, "max_response_bytes": max_response_bytes,
                  "max_concurrent_requests": max_concurrent_requests}
        self._native = _native_client(token, credentials, self._adapt_provider(token_provider), endpoint, library_endpoint, timeout, retry, user_agent, limits)

    def _adapt_provider(self, provider: Optional[Callable[[bool], Any]]) -> Optional[TokenProvider]:
        return provider

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self._native.endpoint!r}, library_endpoint={self._native.library_endpoint!r}, token=<redacted>)"


