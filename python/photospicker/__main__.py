"""``python -m photospicker demo [DIR]``: the whole Picker flow against an
embedded emulator with a simulated user — create, show the link, wait with
visible progress, list, download, delete — printing what it does."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Optional

from photospicker import Client, DownloadProgress, PollEvent
from photospicker.testing import Emulator


def _seconds(span: Optional[timedelta]) -> str:
    """A wait as a person reads it: `0.5 s`, `29 min 59 s`."""
    if span is None:
        return "never"
    seconds = span.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


def demo(dest: Path, count: int) -> int:
    with Emulator(poll_interval=0.5) as emulator:
        token = emulator.add_user(name="demo-user", library_size=24)
        print(f"emulator: Picker API {emulator.picker_url}, Library API {emulator.library_url}")
        client = Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url)
        print(f"client:   {client!r}")
        with client.picking_session(max_item_count=10) as session:
            print(f"1. created session {session.id} (expires {session.expire_time:%H:%M:%S} UTC)")
            print(f"2. the user would open {session.picker_uri}")
            print(f"   a simulated user picks {count} items in about 2 seconds")
            emulator.pick(session.id, count=count, after_seconds=2.0)

            def show(event: PollEvent) -> None:
                if event.picked:
                    print(f"   poll {event.polls}: picked")
                else:
                    print(f"   poll {event.polls}: waiting (next poll in {_seconds(event.next_poll_in)}, server gives up in {_seconds(event.timeout_in)})")

            print("3. waiting for the user")
            client.wait_until_picked(session, timeout=60, on_poll=show)
            items = list(client.list_media_items(session))
            print(f"4. listed {len(items)} items")
            for item in items:
                meta = item.media_file.metadata
                print(f"   {item.media_type.value:5} {item.media_file.filename} {meta.width}x{meta.height} {item.create_time:%Y-%m-%d}")

            def progress(event: DownloadProgress) -> None:
                if event.kind == "finished":
                    print(f"   saved {event.path} ({event.bytes} bytes)")
                elif event.kind == "failed":
                    print(f"   failed #{event.index}: {event.error}")

            downloadable = [i for i in items if not i.video_not_ready]
            print(f"5. downloading {len(downloadable)} items into {dest}/")
            client.download_all(downloadable, dest, concurrency=4, on_progress=progress)
        print(f"6. deleted session {session.id}")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m photospicker", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("demo", help="run the whole flow against an embedded emulator")
    run.add_argument("dest", nargs="?", default="picked-photos", type=Path, help="where to save the photos (default: picked-photos)")
    run.add_argument("--count", type=int, default=5, help="how many items the simulated user picks")
    args = parser.parse_args(argv)
    return demo(args.dest, args.count)


if __name__ == "__main__":
    sys.exit(main())
