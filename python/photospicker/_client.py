"""``Client`` (blocking, releases the GIL) and ``AsyncClient`` (asyncio), both
thin faces of the native Rust client."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import os
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable, Literal, Optional, Union, overload

from photospicker import _native
from photospicker.errors import DownloadAllError, NotFoundError, PhotosPickerError, ValidationError
from photospicker.models import (
    DownloadProgress,
    MediaItem,
    MediaItemResult,
    PickedMediaItem,
    PickingSession,
    PollEvent,
    Status,
)

__all__ = ["Client", "AsyncClient", "Retry"]

logger = logging.getLogger("photospicker")

PathLike = Union[str, "os.PathLike[str]"]
Downloadable = Union[PickedMediaItem, MediaItem]
TokenProvider = Callable[[bool], str]


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
    for name, text in (("token", token), ("endpoint", endpoint), ("library_endpoint", library_endpoint)):
        if text is not None:
            _str(name, text)
    if user_agent is not None:
        _str("user_agent", user_agent)  # its content is checked once, by the Rust builder
    if token_provider is not None:
        _callable("token_provider", token_provider)
    given = [name for name, value in (("token", token), ("credentials", credentials), ("token_provider", token_provider)) if value is not None]
    if len(given) != 1:
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


def _downloadables(items: Sequence[Downloadable]) -> list[Downloadable]:
    if isinstance(items, (str, bytes, bytearray)):
        raise ValidationError(f"items must be a sequence of media items, not a {type(items).__name__}")
    try:
        return list(items)
    except TypeError as error:
        raise ValidationError(f"items must be a sequence of media items, not {type(items).__name__}") from error


def _item_args(item: Downloadable) -> tuple[str, Optional[str], bool]:
    if isinstance(item, PickedMediaItem):
        return item.to_json(), item.session_id, False
    if isinstance(item, MediaItem):
        return item.to_json(), None, True
    raise ValidationError(f"expected a PickedMediaItem or a MediaItem, not {type(item).__name__}")


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


def _poll_callback(on_poll: Optional[Callable[[PollEvent], Any]]) -> Optional[Callable[..., None]]:
    if on_poll is None:
        return None
    _callable("on_poll", on_poll)

    def forward(kind: str, session: str, polls: int, next_poll_in: Optional[float], timeout_in: Optional[float]) -> None:
        on_poll(
            PollEvent(
                session=PickingSession.from_json(session),
                polls=polls,
                picked=kind == "picked",
                next_poll_in=None if next_poll_in is None else timedelta(seconds=next_poll_in),
                timeout_in=None if timeout_in is None else timedelta(seconds=timeout_in),
            )
        )

    return forward


def _progress_callback(on_progress: Optional[Callable[[DownloadProgress], Any]]) -> Optional[Callable[..., None]]:
    if on_progress is None:
        return None
    _callable("on_progress", on_progress)

    def forward(kind: str, index: int, size: int, total: Optional[int], path: Optional[str], error: Optional[str]) -> None:
        on_progress(DownloadProgress(kind, index, size, total, None if path is None else str(path), error))

    return forward


def _picked(batch: list[tuple[str, Optional[str]]]) -> list[PickedMediaItem]:
    return [dataclasses.replace(PickedMediaItem.from_json(text), session_id=session) for text, session in batch]


def _results(raw: list[tuple[Optional[str], Optional[tuple[int, str]], Optional[str]]]) -> list[MediaItemResult]:
    return [
        MediaItemResult(
            media_item=None if item is None else MediaItem.from_json(item),
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
    ) -> None:
        """``timeout``: seconds one attempt may wait for the response's headers;
        ``connect_timeout``: seconds to connect; a body fails as stalled when it
        brings fewer than ``min_throughput`` bytes/s over ``stall_timeout``
        seconds (and is retried, a download resuming where it stopped); API
        answers larger than ``max_response_bytes`` fail with
        ``ResponseTooLargeError``. See ``Retry`` for retries and the time limit."""
        # Rust events below this level are not even formatted; INFO (retries) always passes.
        _native.set_log_level(min(logger.getEffectiveLevel(), logging.INFO))
        limits = {"connect_timeout": connect_timeout, "stall_timeout": stall_timeout, "min_throughput": min_throughput, "max_response_bytes": max_response_bytes}
        self._native = _native_client(token, credentials, self._adapt_provider(token_provider), endpoint, library_endpoint, timeout, retry, user_agent, limits)

    def _adapt_provider(self, provider: Optional[Callable[[bool], Any]]) -> Optional[TokenProvider]:
        return provider

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self._native.endpoint!r}, library_endpoint={self._native.library_endpoint!r}, token=<redacted>)"


class Client(_Base):
    """The blocking client. Every network call releases the GIL; a wait or a
    download can be interrupted with Ctrl-C. Thread-safe: share one."""

    def create_session(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> PickingSession:
        """Creates a session; show its ``picker_uri`` to the user."""
        return PickingSession.from_json(self._native.create_session(_count("max_item_count", max_item_count), _request_id(request_id)))

    def get_session(self, session_id: Union[PickingSession, str]) -> PickingSession:
        """Reads a session (one poll)."""
        return PickingSession.from_json(self._native.get_session(_session_id(session_id)))

    def delete_session(self, session_id: Union[PickingSession, str]) -> None:
        """Deletes a session."""
        self._native.delete_session(_session_id(session_id))

    def wait_until_picked(
        self,
        session: Union[PickingSession, str],
        timeout: Optional[float] = None,
        on_poll: Optional[Callable[[PollEvent], Any]] = None,
    ) -> PickingSession:
        """Polls at the server's ``pollInterval`` until the user has picked.

        Raises ``PickingTimeoutError`` when the server's ``timeoutIn`` or your
        ``timeout`` (seconds) runs out, ``SessionExpiredError`` at ``expireTime``."""
        return PickingSession.from_json(self._native.wait_until_picked(_session_id(session), _seconds("timeout", timeout), _poll_callback(on_poll)))

    def list_media_items(self, session_id: Union[PickingSession, str], page_size: Optional[int] = None) -> Iterator[PickedMediaItem]:
        """Every picked item, fetching pages as you iterate."""
        items = self._native.list_media_items(_session_id(session_id), _count("page_size", page_size))
        while batch := items.next_batch():
            yield from _picked(batch)

    def batch_get_media_items(self, ids: Iterable[str]) -> list[MediaItemResult]:
        """Library items by id (any number; 50 per request, concurrently), in your order."""
        return _results(self._native.batch_get_media_items(_ids(ids)))

    def download(
        self, item: Downloadable, dest: PathLike, width: Optional[int] = None, height: Optional[int] = None, crop: bool = False, *, overwrite: bool = False
    ) -> Path:
        """Downloads ``item`` into the directory ``dest`` (under a safe file name) or
        to the file ``dest``; atomically: never a partial file.

        In a directory nothing already there is replaced unless ``overwrite``:
        a taken name gets the next number, ``IMG_0001 (2).jpg``. A file path
        ``dest`` is replaced (naming the file is asking for it)."""
        path, to_file = _dest(dest)
        return Path(self._native.download(*_item_args(item), path, to_file, _count("width", width), _count("height", height), _flag("crop", crop), _flag("overwrite", overwrite)))

    def download_all(
        self,
        items: Sequence[Downloadable],
        dest_dir: PathLike,
        concurrency: int = 8,
        on_progress: Optional[Callable[[DownloadProgress], Any]] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        *,
        overwrite: bool = False,
        return_exceptions: bool = False,
    ) -> list[Any]:
        """Downloads every item into ``dest_dir``, ``concurrency`` at a time, and
        returns their paths in the order given. Every item is tried: if some
        fail, one ``DownloadAllError`` is raised at the end carrying
        ``.succeeded`` paths and ``.failed`` ``(item, error)`` pairs; with
        ``return_exceptions=True`` the list holds the exception in place of
        each failed item's path instead. Names are numbered as in ``download``."""
        listed = _downloadables(items)
        args = [_item_args(item) for item in listed]
        _flag("return_exceptions", return_exceptions)
        raw = self._native.download_all(
            args, _path("dest_dir", dest_dir), _count("concurrency", concurrency) or 8, _progress_callback(on_progress),
            _count("width", width), _count("height", height), _flag("crop", crop), _flag("overwrite", overwrite),
        )
        return _outcomes(listed, raw, return_exceptions)

    @contextlib.contextmanager
    def picking_session(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> Iterator[PickingSession]:
        """A session that is deleted on exit, also when the block raises."""
        session = self.create_session(max_item_count, request_id)
        try:
            yield session
        finally:
            try:
                self.delete_session(session.id)
            except NotFoundError:
                pass


class AsyncClient(_Base):
    """The asyncio client: every method is a coroutine on one shared native
    runtime, cancellable like any task. ``token_provider`` may be a coroutine function."""

    _loop: Optional[asyncio.AbstractEventLoop] = None

    def _adapt_provider(self, provider: Optional[Callable[[bool], Any]]) -> Optional[TokenProvider]:
        if provider is None or not asyncio.iscoroutinefunction(provider):
            return provider
        coroutine_function = provider

        def provide(refresh: bool) -> str:
            # Called on a native worker thread: run the coroutine on the caller's loop.
            loop = self._loop
            if loop is None or loop.is_closed():
                raise RuntimeError("the AsyncClient's event loop is not running")
            token: str = asyncio.run_coroutine_threadsafe(coroutine_function(refresh), loop).result(timeout=120)
            return token

        return provide

    def _bind(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def create_session(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> PickingSession:
        """Creates a session; show its ``picker_uri`` to the user."""
        self._bind()
        return PickingSession.from_json(await self._native.create_session_async(_count("max_item_count", max_item_count), _request_id(request_id)))

    async def get_session(self, session_id: Union[PickingSession, str]) -> PickingSession:
        """Reads a session (one poll)."""
        self._bind()
        return PickingSession.from_json(await self._native.get_session_async(_session_id(session_id)))

    async def delete_session(self, session_id: Union[PickingSession, str]) -> None:
        """Deletes a session."""
        self._bind()
        await self._native.delete_session_async(_session_id(session_id))

    async def wait_until_picked(
        self,
        session: Union[PickingSession, str],
        timeout: Optional[float] = None,
        on_poll: Optional[Callable[[PollEvent], Any]] = None,
    ) -> PickingSession:
        """Polls at the server's ``pollInterval`` until the user has picked."""
        self._bind()
        return PickingSession.from_json(await self._native.wait_until_picked_async(_session_id(session), _seconds("timeout", timeout), _poll_callback(on_poll)))

    async def list_media_items(self, session_id: Union[PickingSession, str], page_size: Optional[int] = None) -> AsyncIterator[PickedMediaItem]:
        """Every picked item, fetching pages as you iterate."""
        self._bind()
        items = self._native.list_media_items(_session_id(session_id), _count("page_size", page_size))
        while batch := await items.next_batch_async():
            for item in _picked(batch):
                yield item

    async def batch_get_media_items(self, ids: Iterable[str]) -> list[MediaItemResult]:
        """Library items by id (any number; 50 per request, concurrently), in your order."""
        self._bind()
        return _results(await self._native.batch_get_media_items_async(_ids(ids)))

    async def download(
        self, item: Downloadable, dest: PathLike, width: Optional[int] = None, height: Optional[int] = None, crop: bool = False, *, overwrite: bool = False
    ) -> Path:
        """Downloads ``item`` into the directory ``dest`` or to the file ``dest``, atomically (see ``Client.download``)."""
        self._bind()
        path, to_file = _dest(dest)
        return Path(await self._native.download_async(*_item_args(item), path, to_file, _count("width", width), _count("height", height), _flag("crop", crop), _flag("overwrite", overwrite)))

    async def download_all(
        self,
        items: Sequence[Downloadable],
        dest_dir: PathLike,
        concurrency: int = 8,
        on_progress: Optional[Callable[[DownloadProgress], Any]] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        *,
        overwrite: bool = False,
        return_exceptions: bool = False,
    ) -> list[Any]:
        """Downloads every item into ``dest_dir``, ``concurrency`` at a time (see ``Client.download_all``)."""
        self._bind()
        listed = _downloadables(items)
        args = [_item_args(item) for item in listed]
        _flag("return_exceptions", return_exceptions)
        raw = await self._native.download_all_async(
            args, _path("dest_dir", dest_dir), _count("concurrency", concurrency) or 8, _progress_callback(on_progress),
            _count("width", width), _count("height", height), _flag("crop", crop), _flag("overwrite", overwrite),
        )
        return _outcomes(listed, raw, return_exceptions)

    @contextlib.asynccontextmanager
    async def picking_session(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> AsyncIterator[PickingSession]:
        """A session that is deleted on exit, also when the block raises or is cancelled."""
        session = await self.create_session(max_item_count, request_id)
        try:
            yield session
        finally:
            try:
                await asyncio.shield(self.delete_session(session.id))
            except NotFoundError:
                pass


