from types import TracebackType
from os import PathLike
from typing import Any, Awaitable, Callable, Optional, Union

from typing_extensions import Self, final

__version__: str
__all__ = ["__version__", "set_log_level", "run_cli", "Emulator", "NativeClient", "NativeItems"]

def set_log_level(level: int) -> None: ...
def run_cli(argv: list[str]) -> int: ...

@final
class Emulator:
    def __new__(
        cls,
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
        page_sizes: Optional[list[int]] = None,
    ) -> Self: ...
    @property
    def picker_url(self) -> str: ...
    @property
    def library_url(self) -> str: ...
    def add_user(
        self,
        *,
        name: Optional[str] = None,
        token: Optional[str] = None,
        has_photos_account: bool = True,
        scopes: Optional[list[str]] = None,
        library_size: Optional[int] = None,
        video_ratio: Optional[float] = None,
        max_sessions: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> str: ...
    def library(self, token: str) -> list[dict[str, Any]]: ...
    def expire_token(self, token: str) -> int: ...
    def issue_token(self, token: str) -> str: ...
    def pick(
        self,
        session_id: str,
        count: Optional[int] = None,
        item_ids: Optional[list[str]] = None,
        after_seconds: Optional[float] = None,
        after_polls: Optional[int] = None,
    ) -> None: ...
    def configure_session(
        self,
        session_id: str,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
        page_sizes: Optional[list[int]] = None,
    ) -> None: ...
    def advance_clock(self, seconds: float) -> None: ...
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
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def requests(self, route: Optional[str] = None) -> list[dict[str, Any]]: ...
    def dropped_requests(self) -> int: ...
    def clear_requests(self) -> None: ...
    def reset(self) -> None: ...
    def stop(self) -> None: ...
    def __enter__(self) -> "Emulator": ...
    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> bool: ...

_ItemArgs = tuple[str, Optional[str], bool]
# One download_all outcome: the path, or the exception the item failed with.
_Outcome = tuple[Optional[str], Optional[BaseException]]
_Batch = list[tuple[str, Optional[str]]]
_Result = tuple[Optional[str], Optional[tuple[int, str]], Optional[str]]
_Path = Union[str, PathLike[str]]

@final
class NativeItems:
    def next_batch(self) -> _Batch: ...
    def next_batch_async(self) -> Awaitable[_Batch]: ...

@final
class NativeClient:
    def __new__(
        cls,
        *,
        token: Optional[str] = None,
        token_provider: Optional[Callable[[bool], str]] = None,
        endpoint: Optional[str] = None,
        library_endpoint: Optional[str] = None,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        stall_timeout: float = 20.0,
        min_throughput: int = 1024,
        max_response_bytes: int = 4194304,
        user_agent: Optional[str] = None,
        max_attempts: int = 5,
        initial_backoff: float = 1.0,
        max_backoff: float = 32.0,
        multiplier: float = 2.0,
        rate_limited_backoff: float = 30.0,
        jitter: bool = True,
        time_limit: Optional[float] = None,
        jitter_seed: Optional[int] = None,
    ) -> Self: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def library_endpoint(self) -> str: ...
    def create_session(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> str: ...
    def create_session_async(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> Awaitable[str]: ...
    def get_session(self, session_id: str) -> str: ...
    def get_session_async(self, session_id: str) -> Awaitable[str]: ...
    def delete_session(self, session_id: str) -> None: ...
    def delete_session_async(self, session_id: str) -> Awaitable[None]: ...
    def wait_until_picked(
        self, session_id: str, timeout: Optional[float] = None, on_poll: Optional[Callable[..., None]] = None
    ) -> str: ...
    def wait_until_picked_async(
        self, session_id: str, timeout: Optional[float] = None, on_poll: Optional[Callable[..., None]] = None
    ) -> Awaitable[str]: ...
    def list_media_items(self, session_id: str, page_size: Optional[int] = None) -> NativeItems: ...
    def batch_get_media_items(self, ids: list[str]) -> list[_Result]: ...
    def batch_get_media_items_async(self, ids: list[str]) -> Awaitable[list[_Result]]: ...
    def download(
        self,
        item_json: str,
        session_id: Optional[str],
        library: bool,
        dest: _Path,
        to_file: bool,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        overwrite: bool = False,
    ) -> str: ...
    def download_async(
        self,
        item_json: str,
        session_id: Optional[str],
        library: bool,
        dest: _Path,
        to_file: bool,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        overwrite: bool = False,
    ) -> Awaitable[str]: ...
    def download_all(
        self,
        items: list[_ItemArgs],
        dest_dir: _Path,
        concurrency: Optional[int] = None,
        on_progress: Optional[Callable[..., None]] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        overwrite: bool = False,
    ) -> list[_Outcome]: ...
    def download_all_async(
        self,
        items: list[_ItemArgs],
        dest_dir: _Path,
        concurrency: Optional[int] = None,
        on_progress: Optional[Callable[..., None]] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        overwrite: bool = False,
    ) -> Awaitable[list[_Outcome]]: ...
