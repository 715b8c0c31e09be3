from types import TracebackType
from typing import Any, Optional

__version__: str

class Emulator:
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
    ) -> None: ...
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
    def pick(
        self,
        session_id: str,
        count: Optional[int] = None,
        item_ids: Optional[list[str]] = None,
        after_seconds: Optional[float] = None,
        after_polls: Optional[int] = None,
    ) -> None: ...
    def configure_session(
        self, session_id: str, *, poll_interval: Optional[float] = None, timeout: Optional[float] = None
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
        times: Optional[int] = None,
        probability: Optional[float] = None,
        skip: int = 0,
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def requests(self, route: Optional[str] = None) -> list[dict[str, Any]]: ...
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
