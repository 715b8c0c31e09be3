"""The whole Picker flow as a script.

    python pick_script.py                 # against an embedded emulator, simulated user
    PHOTOS_TOKEN=ya29... python pick_script.py   # against Google: open the link yourself
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import photospicker
from photospicker.testing import Emulator


def run(client: photospicker.Client, dest: Path, emulator: Optional[Emulator] = None) -> list[Path]:
    with client.picking_session(max_item_count=20) as session:
        print("Pick your photos at", session.picker_uri)
        if emulator is not None:
            emulator.pick(session.id, count=3, after_seconds=1.0)
        client.wait_until_picked(session, timeout=600, on_poll=lambda e: print("  …" if not e.picked else "  picked"))
        items = [i for i in client.list_media_items(session) if i.media_type == photospicker.MediaType.PHOTO]
        return client.download_all(items, dest)


def main() -> None:
    token = os.environ.get("PHOTOS_TOKEN")
    if token:
        print(run(photospicker.Client(token=token), Path("picked-photos")))
        return
    with Emulator(poll_interval=0.3) as emulator:
        client = photospicker.Client(token=emulator.add_user(), endpoint=emulator.picker_url, library_endpoint=emulator.library_url)
        print(run(client, Path("picked-photos"), emulator))


if __name__ == "__main__":
    main()
