"""The Python side of P4 in a process of its own (so its peak RSS is its own):
lists a picked session and times `Client.download_all` into a directory.

    python bench/p4_python_download.py PICKER_URL LIBRARY_URL TOKEN SESSION_ID DIR CONCURRENCY
"""

import json
import sys
import time

import photospicker


def main() -> None:
    picker_url, library_url, token, session_id, directory, concurrency = sys.argv[1:7]
    client = photospicker.Client(token=token, endpoint=picker_url, library_endpoint=library_url)
    items = list(client.list_media_items(session_id))
    started = time.perf_counter()
    paths = client.download_all(items, directory, concurrency=int(concurrency))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "bytes": sum(p.stat().st_size for p in paths), "files": len(paths)}))


if __name__ == "__main__":
    main()
