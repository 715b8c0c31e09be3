from __future__ import annotations

from collections.abc import Iterator

import pytest

from photospicker.testing import Emulator


@pytest.fixture()
def emulator() -> Iterator[Emulator]:
    with Emulator(poll_interval=0.05) as running:
        yield running
