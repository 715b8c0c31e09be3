"""The clients after ``fork()``, as preforking servers use them (gunicorn
``--preload``, Celery prefork, ``multiprocessing`` with the fork start method):
a process that made calls forks, and its children call too, with the inherited
client and with new ones. Every wait has a deadline; a child that hangs is killed
and fails its test."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from photospicker import AsyncClient, Client, Retry
from photospicker.testing import Emulator

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")

# Generous: a child that has not finished by then hangs (the bug was a hang forever).
CHILD_DEADLINE = 60.0
QUICK_RETRY = Retry(initial_backoff=0.01, max_backoff=0.05, rate_limited_backoff=0.01, jitter=False)


@pytest.fixture()
def token(emulator: Emulator) -> str:
    return emulator.add_user()


def make_client(emulator: Emulator, token: str) -> Client:
    return Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url, retry=QUICK_RETRY)


def make_async_client(emulator: Emulator, token: str) -> AsyncClient:
    return AsyncClient(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url, retry=QUICK_RETRY)


def exit_status_of_forked(child: Callable[[], None]) -> int:
    """Runs ``child`` in a forked process and returns its exit status (0: it
    returned, 1: it raised); kills it if it has not finished by the deadline."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            child()
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            # Never return into pytest: its fixtures and teardown are the parent's.
            os._exit(status)
    deadline = time.monotonic() + CHILD_DEADLINE
    while time.monotonic() < deadline:
        done, wait_status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(wait_status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"the forked child did not finish within {CHILD_DEADLINE} s (killed)")


def test_the_inherited_client_works_in_a_forked_child_after_the_parent_called(emulator: Emulator, token: str) -> None:
    client = make_client(emulator, token)
    session = client.create_session()

    def child() -> None:
        assert client.get_session(session.id).id == session.id
        created = client.create_session()
        assert client.get_session(created).id == created.id
        client.delete_session(created)

    assert exit_status_of_forked(child) == 0
    # The parent's connections were not disturbed by the child's calls.
    assert client.get_session(session.id).id == session.id
    assert len(emulator.requests("sessions.delete")) == 1


def test_a_new_client_works_in_a_forked_child_that_dropped_the_inherited_one(emulator: Emulator, token: str) -> None:
    inherited = make_client(emulator, token)
    session = inherited.create_session()
    emulator.pick(session.id, count=2)  # the emulator serves from the parent: set up here
    kept = [inherited]

    def child() -> None:
        # Dropping the parent's client, never used here, must neither block nor disturb the parent.
        kept.clear()
        gc.collect()
        fresh = make_client(emulator, token)
        assert fresh.get_session(session.id).media_items_set
        assert len(list(fresh.list_media_items(session.id))) == 2

    assert exit_status_of_forked(child) == 0
    assert inherited.get_session(session.id).id == session.id


def test_a_child_forked_from_a_child_works_too(emulator: Emulator, token: str) -> None:
    client = make_client(emulator, token)
    session = client.create_session()

    def grandchild() -> None:
        assert client.get_session(session.id).id == session.id

    def child() -> None:
        assert client.get_session(session.id).id == session.id
        status = exit_status_of_forked(grandchild)
        assert status == 0, f"the grandchild exited with {status}"
        assert client.get_session(session.id).id == session.id

    assert exit_status_of_forked(child) == 0


def test_the_async_client_works_in_a_forked_child(emulator: Emulator, token: str) -> None:
    inherited = make_async_client(emulator, token)
    session = asyncio.run(inherited.create_session())

    async def calls_in_the_child() -> None:
        assert (await inherited.get_session(session.id)).id == session.id
        fresh = make_async_client(emulator, token)
        both = await asyncio.gather(fresh.get_session(session.id), inherited.get_session(session.id))
        assert [s.id for s in both] == [session.id, session.id]

    assert exit_status_of_forked(lambda: asyncio.run(asyncio.wait_for(calls_in_the_child(), CHILD_DEADLINE / 2))) == 0
    assert asyncio.run(inherited.get_session(session.id)).id == session.id


def test_the_async_client_works_under_uvloop_in_a_process_and_in_its_forked_child(emulator: Emulator, token: str) -> None:
    uvloop = pytest.importorskip("uvloop")
    client = make_async_client(emulator, token)
    sessions = [make_client(emulator, token).create_session().id for _ in range(2)]
    for session in sessions:  # the emulator serves from the parent: set up here
        emulator.pick(session, count=3)

    async def round_trip(session: str) -> None:
        assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
        items = [item async for item in client.list_media_items(session)]
        assert len(items) == 3
        await client.delete_session(session)

    uvloop.run(asyncio.wait_for(round_trip(sessions[0]), CHILD_DEADLINE / 2))
    assert exit_status_of_forked(lambda: uvloop.run(asyncio.wait_for(round_trip(sessions[1]), CHILD_DEADLINE / 2))) == 0
    assert len(emulator.requests("sessions.delete")) == 2


# The pool's workers inherit these by fork (nothing is pickled but the ids).
_INHERITED: dict[str, object] = {}


def _session_id_with_the_inherited_client(session_id: str) -> tuple[int, str]:
    client = _INHERITED["client"]
    assert isinstance(client, Client)
    return os.getpid(), client.get_session(session_id).id


def _session_id_with_a_new_client(session_id: str) -> tuple[int, str]:
    client = make_client(_INHERITED["emulator"], _INHERITED["token"])  # type: ignore[arg-type]
    return os.getpid(), client.get_session(session_id).id


def test_a_fork_pool_maps_calls_with_the_inherited_and_new_clients(emulator: Emulator, token: str) -> None:
    client = make_client(emulator, token)
    sessions = [client.create_session().id for _ in range(3)]
    _INHERITED.update(client=client, emulator=emulator, token=token)
    try:
        with multiprocessing.get_context("fork").Pool(processes=2) as pool:
            inherited = pool.map_async(_session_id_with_the_inherited_client, sessions * 3).get(timeout=CHILD_DEADLINE)
            fresh = pool.map_async(_session_id_with_a_new_client, sessions * 3).get(timeout=CHILD_DEADLINE)
    finally:
        _INHERITED.clear()
    assert [session for _, session in inherited] == sessions * 3
    assert [session for _, session in fresh] == sessions * 3
    assert os.getpid() not in {pid for pid, _ in inherited + fresh}
    assert client.get_session(sessions[0]).id == sessions[0]


GUNICORN_APP = '''
"""A WSGI app preloaded by gunicorn's master, which calls the API before forking its workers."""
import os
import time
from pathlib import Path

from photospicker import Client

def make_client():
    return Client(token=os.environ["FORK_TEST_TOKEN"], endpoint=os.environ["FORK_TEST_PICKER_URL"],
                  library_endpoint=os.environ["FORK_TEST_LIBRARY_URL"])

CLIENT = make_client()
PRELOADED = CLIENT.create_session()  # in the master, before the fork
FLAGS = Path(os.environ["FORK_TEST_FLAGS"])

def wait_for(flag):
    deadline = time.monotonic() + 30
    while not (FLAGS / flag).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(flag)
        time.sleep(0.01)

def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/hold":  # keeps this worker busy until /release arrives at the other one
        (FLAGS / "holding").touch()
        wait_for("released")
    elif path == "/release":
        (FLAGS / "released").touch()
    inherited = CLIENT.get_session(PRELOADED.id).id
    fresh = make_client().get_session(PRELOADED.id).id
    body = f"{os.getpid()} {inherited} {fresh}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''


@pytest.fixture()
def gunicorn_server(emulator: Emulator, token: str, tmp_path: Path) -> Iterator[tuple[str, int, Path]]:
    """gunicorn --preload with 2 sync workers serving the app above, on a
    socket bound here (no port race); yields its URL, master pid and flag folder."""
    pytest.importorskip("gunicorn")
    (tmp_path / "fork_app.py").write_text(GUNICORN_APP)
    flags = tmp_path / "flags"
    flags.mkdir()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    env = dict(os.environ, FORK_TEST_TOKEN=token, FORK_TEST_PICKER_URL=emulator.picker_url,
               FORK_TEST_LIBRARY_URL=emulator.library_url, FORK_TEST_FLAGS=str(flags))
    command = [sys.executable, "-m", "gunicorn", "--preload", "--workers", "2", "--worker-class", "sync",
               "--timeout", "60", "--config", "/dev/null", "--chdir", str(tmp_path),
               "--bind", f"fd://{listener.fileno()}", "fork_app:app"]
    server = subprocess.Popen(command, env=env, cwd=tmp_path, pass_fds=[listener.fileno()],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    listener.close()
    try:
        yield f"http://127.0.0.1:{port}", server.pid, flags
    finally:
        server.terminate()
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate(timeout=30)
        print(output.decode(errors="replace"))  # shown if the test failed


def test_a_gunicorn_preload_app_serves_requests_that_call_the_client_from_both_workers(gunicorn_server: tuple[str, int, Path]) -> None:
    url, master, flags = gunicorn_server
    # Connections queue on the bound socket until a worker accepts them.
    first = requests.get(f"{url}/", timeout=CHILD_DEADLINE)
    assert first.status_code == 200, first.text
    worker, inherited, fresh = first.text.split()
    assert int(worker) != master and inherited == fresh

    # One worker holds a request until the other one serves /release: both call.
    held: dict[str, requests.Response] = {}
    holder = threading.Thread(target=lambda: held.update(response=requests.get(f"{url}/hold", timeout=CHILD_DEADLINE)))
    holder.start()
    deadline = time.monotonic() + CHILD_DEADLINE
    while not (flags / "holding").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    released = requests.get(f"{url}/release", timeout=CHILD_DEADLINE)
    holder.join(timeout=CHILD_DEADLINE)
    assert not holder.is_alive(), "the held request did not finish"
    answers = [held["response"], released]
    assert [answer.status_code for answer in answers] == [200, 200], [answer.text for answer in answers]
    workers = {int(answer.text.split()[0]) for answer in answers}
    assert len(workers) == 2 and master not in workers
    assert {tuple(answer.text.split()[1:]) for answer in answers} == {(inherited, inherited)}
