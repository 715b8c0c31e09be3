"""Runs one emulator (the release build compiled into the installed wheel) in a
process of its own, so that no benchmarked client shares its interpreter or its
cores' accounting. Prints one JSON line with its URLs, then serves until stdin
closes.

    python bench/emulator_host.py '{"video_bytes": 6291456}'
"""

import json
import sys

from photospicker.testing import Emulator


def main() -> None:
    options = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    with Emulator(**options) as emulator:
        print(json.dumps({"picker_url": emulator.picker_url, "library_url": emulator.library_url}), flush=True)
        sys.stdin.read()  # until the driver closes our stdin (or dies)


if __name__ == "__main__":
    main()
