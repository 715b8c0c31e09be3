"""``AsyncClient``: the asyncio face of the native Rust client.

This file is the one hand-written definition of the client's methods:
``_client.py`` (the blocking ``Client``) is generated from it by
``tests/client_twin.py`` (``await`` and ``async`` removed, ``*_async``
native calls made blocking, lines marked ``# async only`` dropped, lines
marked ``# sync: …`` replaced). Edit this file, then run
``python tests/client_twin.py --write``; a test fails while the two differ.
"""

from __future__ import annotations

import asyncio  # async only
import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any, Callable, Optional, Union

from photospicker._core import (
    Downloadable,
    PathLike,
    TokenProvider,  # async only
    _Base,
    _callback,
    _count,
    _dest,
    _downloadables,
    _flag,
    _ids,
    _item,
    _outcomes,
    _path,
    _request_id,
    _results,
    _seconds,
    _session_id,
)
from photospicker._native import PickedMediaItem, PickingSession
from photospicker.errors import NotFoundError
from photospicker.models import DownloadProgress, MediaItemResult, PollEvent

__all__ = ["AsyncClient"]


class AsyncClient(_Base):
    """The asyncio client: every method is a coroutine on one shared native
    runtime, cancellable like any task.

    ``AsyncClient(token=None, *, credentials=None, token_provider=None,
    endpoint=None, library_endpoint=None, timeout=60.0, retry=None,
    user_agent=None, connect_timeout=10.0, stall_timeout=20.0,
    min_throughput=1024, max_response_bytes=4194304,
    max_concurrent_requests=100)``

    Give exactly one of ``token`` (an OAuth access token), ``credentials``
    (google-auth credentials, refreshed when expired or after a 401) or
    ``token_provider`` (``provider(refresh: bool) -> str``, called again
    with ``refresh=True`` after a 401; may be a coroutine function).
    ``endpoint`` / ``library_endpoint`` point at another server (an
    emulator). ``timeout``: seconds one attempt may wait for the response's
    headers; ``connect_timeout``: seconds to connect; a body fails as
    stalled when it brings fewer than ``min_throughput`` bytes/s over
    ``stall_timeout`` seconds (and is retried, a download resuming where it
    stopped); API answers larger than ``max_response_bytes`` fail with
    ``ResponseTooLargeError``; at most ``max_concurrent_requests`` API
    requests are in flight at once, and as many downloads (more wait for a
    slot, within their deadline), which bounds the open connections. ``retry``: a ``Retry`` (``True``/``None``: the
    default policy, ``False``: none). A bad argument raises
    ``ValidationError``. Share one client: it is thread-safe.

    Every method raises ``ValidationError`` for a bad argument (before
    anything is sent), an ``ApiError`` subclass for the service's refusal
    (``NotFoundError``, ``PermissionDeniedError``, ``UnauthenticatedError``,
    ``ResourceExhaustedError`` …), ``TransportError`` (``DeadlineExceededError``
    …) when the service could not be reached in time, and ``AuthError``
    when no token could be obtained. Transient failures are retried first
    (see ``Retry``).
    """

    _loop: Optional[asyncio.AbstractEventLoop] = None  # async only

    def _adapt_provider(self, provider: Optional[Callable[[bool], Any]]) -> Optional[TokenProvider]:  # async only
        if provider is None or not asyncio.iscoroutinefunction(provider):  # async only
            return provider  # async only
        coroutine_function = provider  # async only

        def provide(refresh: bool) -> str:  # async only
            # Called on a native worker thread: run the coroutine on the caller's loop.  # async only
            loop = self._loop  # async only
            if loop is None or loop.is_closed():  # async only
                raise RuntimeError("the AsyncClient's event loop is not running")  # async only
            token: str = asyncio.run_coroutine_threadsafe(coroutine_function(refresh), loop).result(timeout=120)  # async only
            return token  # async only

        return provide  # async only

    def _bind(self) -> None:  # async only
        self._loop = asyncio.get_running_loop()  # async only

    async def create_session(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> PickingSession:
        """Creates a session; show its ``picker_uri`` to the user.

        ``max_item_count``: the most items the user may pick (1 to 2**31 - 1).
        ``request_id``: a UUID that makes the call idempotent (then it is
        retried like a read). Raises ``ValidationError``, ``ApiError``
        (``FailedPreconditionError`` when the user has no Google Photos
        account, ``ResourceExhaustedError`` when too many sessions are open),
        ``TransportError``, ``AuthError``."""
        self._bind()  # async only
        return await self._native.create_session_async(_count("max_item_count", max_item_count), _request_id(request_id))

    async def get_session(self, session_id: Union[PickingSession, str]) -> PickingSession:
        """Reads a session (one poll). Raises ``ValidationError``, ``NotFoundError``
        (unknown or deleted session), other ``ApiError``s, ``TransportError``, ``AuthError``."""
        self._bind()  # async only
        return await self._native.get_session_async(_session_id(session_id))

    async def delete_session(self, session_id: Union[PickingSession, str]) -> None:
        """Deletes a session. Raises ``ValidationError``, ``NotFoundError``,
        other ``ApiError``s, ``TransportError``, ``AuthError``."""
        self._bind()  # async only
        await self._native.delete_session_async(_session_id(session_id))

    async def wait_until_picked(
        self,
        session: Union[PickingSession, str],
        timeout: Optional[float] = None,
        on_poll: Optional[Callable[[PollEvent], Any]] = None,
    ) -> PickingSession:
        """Polls at the server's ``pollInterval`` until the user has picked;
        ``on_poll(event)`` receives a ``PollEvent`` after each poll.

        Raises ``PickingTimeoutError`` when the server's ``timeoutIn`` or your
        ``timeout`` (seconds) runs out, ``SessionExpiredError`` at
        ``expireTime``, ``ValidationError``, ``ApiError``, ``TransportError``,
        ``AuthError``, and whatever ``on_poll`` raises."""
        self._bind()  # async only
        return await self._native.wait_until_picked_async(_session_id(session), _seconds("timeout", timeout), _callback("on_poll", on_poll))

    async def list_media_items(self, session_id: Union[PickingSession, str], page_size: Optional[int] = None) -> AsyncIterator[PickedMediaItem]:
        """Every picked item, fetching pages as you iterate (``page_size``:
        items per request, 1 to 100). Raises ``ValidationError``,
        ``FailedPreconditionError`` (the user has not finished picking),
        ``NotFoundError``, other ``ApiError``s, ``TransportError``,
        ``DecodeError`` (an answer that is no valid page), ``AuthError``."""
        self._bind()  # async only
        items = self._native.list_media_items(_session_id(session_id), _count("page_size", page_size))
        while batch := await items.next_batch_async():
            for item in batch:
                yield item

    async def batch_get_media_items(self, ids: Iterable[str]) -> list[MediaItemResult]:
        """Library items by id (any number; 50 per request, concurrently), in
        your order: each result holds the item or its own error. Raises
        ``ValidationError``, ``ApiError`` (for the whole request),
        ``TransportError``, ``AuthError``."""
        self._bind()  # async only
        return _results(await self._native.batch_get_media_items_async(_ids(ids)))

    async def download(
        self, item: Downloadable, dest: PathLike, width: Optional[int] = None, height: Optional[int] = None, crop: bool = False, *, overwrite: bool = False
    ) -> Path:
        """Downloads ``item`` (a ``PickedMediaItem`` or ``MediaItem``) into the
        directory ``dest`` (under a safe file name) or to the file ``dest``;
        atomically: never a partial file.

        ``width`` / ``height`` (pixels) ask for a photo scaled to fit inside
        that box (aspect ratio kept); with ``crop=True`` it is scaled to fill
        the box and cropped to exactly ``width`` x ``height``. Without either
        the original bytes are downloaded (a video's full file).

        In a directory nothing already there is replaced unless ``overwrite``:
        a taken name gets the next number, ``IMG_0001 (2).jpg``. A file path
        ``dest`` is replaced (naming the file is asking for it).

        Raises ``ValidationError``, ``VideoNotReadyError`` (a video still
        processing), ``ApiError``, ``TransportError``, ``UnexpectedContentError``
        (an answer that is not the item's media), ``StorageError`` (the file
        could not be written), ``AuthError``."""
        self._bind()  # async only
        path, to_file = _dest(dest)
        native = await self._native.download_async(
            _item(item), path, to_file, _count("width", width), _count("height", height), _flag("crop", crop), _flag("overwrite", overwrite)
        )
        return Path(native)

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
        """Downloads every item into ``dest_dir``, ``concurrency`` at a time, and
        returns their paths in the order given; ``on_progress(event)``
        receives ``DownloadProgress`` events. ``width``, ``height``, ``crop``
        and names as in ``download``. Every item is tried: if some fail, one
        ``DownloadAllError`` is raised at the end carrying ``.succeeded``
        paths and ``.failed`` ``(item, error)`` pairs; with
        ``return_exceptions=True`` the list holds the exception in place of
        each failed item's path instead. A bad argument raises ``ValidationError``."""
        self._bind()  # async only
        listed = _downloadables(items)
        _flag("return_exceptions", return_exceptions)
        raw = await self._native.download_all_async(
            listed, _path("dest_dir", dest_dir), _count("concurrency", concurrency) or 8, _callback("on_progress", on_progress),
            _count("width", width), _count("height", height), _flag("crop", crop), _flag("overwrite", overwrite),
        )
        return _outcomes(listed, raw, return_exceptions)

    @contextlib.asynccontextmanager
    async def picking_session(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> AsyncIterator[PickingSession]:
        """A session (see ``create_session``) that is deleted on exit, also when the block raises or is cancelled."""
        session = await self.create_session(max_item_count, request_id)
        try:
            yield session
        finally:
            try:
                await asyncio.shield(self.delete_session(session.id))  # sync: self.delete_session(session.id)
            except NotFoundError:
                pass
