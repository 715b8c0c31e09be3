"""The ``photospicker`` command driven as a person drives it: in a
pseudo-terminal (pexpect), against real emulators on loopback, with Ctrl-C
pressed while waiting and while downloading. Uses the Rust binary built by
cargo (``PHOTOSPICKER_CLI`` may name another build)."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator, Optional

import pexpect
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
PICKER_SCOPE = "https://www.googleapis.com/auth/photospicker.mediaitems.readonly"
LIBRARY_SCOPE = "https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata"


@pytest.fixture(scope="module")
def cli() -> str:
    if os.environ.get("PHOTOSPICKER_CLI"):
        return os.environ["PHOTOSPICKER_CLI"]
    subprocess.run(["cargo", "build", "-q", "-p", "photospicker-cli"], cwd=ROOT, check=True, timeout=1800)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / "debug" / "photospicker")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHOTOSPICKER_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "120", "LINES": "60"})
    env.update(extra)
    return env


class RunningEmulator:
    """`photospicker emulator --json` in the background, and its control API."""

    def __init__(self, cli: str, auto_pick_after: Optional[float]) -> None:
        args = [cli, "emulator", "--json"]
        if auto_pick_after is not None:
            args += ["--auto-pick-after", str(auto_pick_after)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=clean_env())
        assert self.process.stdout is not None
        ready = json.loads(self.process.stdout.readline())
        assert ready["event"] == "ready", ready
        self.url: str = ready["pickerUrl"]
        self.control: str = ready["controlUrl"]
        self.token: str = ready["token"]

    def sessions(self) -> list[dict[str, Any]]:
        return list(requests.get(f"{self.control}/sessions", timeout=10).json()["sessions"])

    def requests_log(self) -> list[dict[str, Any]]:
        return list(requests.get(f"{self.control}/requests", timeout=10).json()["requests"])

    def add_user(self, **options: Any) -> str:
        answer = requests.post(f"{self.control}/users", json=options, timeout=10)
        answer.raise_for_status()
        return str(answer.json()["token"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def emulator(cli: str) -> Iterator[RunningEmulator]:
    running = RunningEmulator(cli, auto_pick_after=None)
    yield running
    running.stop()


@pytest.fixture
def picking_emulator(cli: str) -> Iterator[RunningEmulator]:
    running = RunningEmulator(cli, auto_pick_after=1.0)
    yield running
    running.stop()


def spawn(cli: str, *args: str, cwd: Path, env: Optional[dict[str, str]] = None) -> pexpect.spawn:
    return pexpect.spawn(cli, list(args), cwd=str(cwd), env=env or clean_env(), encoding="utf-8", timeout=60, dimensions=(60, 120))


def finish(child: pexpect.spawn) -> tuple[str, int]:
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    return child.before or "", child.exitstatus if child.exitstatus is not None else -(child.signalstatus or 0)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_manifest(out: Path, expect_items: int) -> dict[str, Any]:
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["version"] == 1
    assert len(manifest["items"]) == expect_items
    for entry in manifest["items"]:
        path = Path(entry["path"])
        assert path.parent == out.resolve()
        assert path.name == entry["file"]
        assert path.stat().st_size == entry["size"] > 0
        assert sha256(path) == entry["sha256"]
        assert entry["mimeType"] and entry["mediaType"] in ("PHOTO", "VIDEO") and entry["createTime"].endswith("Z")
    on_disk = sorted(p.name for p in out.iterdir())
    assert on_disk == sorted([*(e["file"] for e in manifest["items"]), "manifest.json"]), "no stray or partial file"
    return dict(manifest)


def emulator_bytes(emulator: RunningEmulator, item_ids: list[str]) -> dict[str, str]:
    """The SHA-256 of each item's bytes, fetched from the emulator in a session of our own."""
    auth = {"Authorization": f"Bearer {emulator.token}"}
    session = requests.post(f"{emulator.url}/v1/sessions", json={}, headers=auth, timeout=10).json()
    try:
        requests.post(f"{emulator.control}/sessions/{session['id']}/pick", json={"itemIds": item_ids}, timeout=10).raise_for_status()
        listing = requests.get(f"{emulator.url}/v1/mediaItems", params={"sessionId": session["id"], "pageSize": 100}, headers=auth, timeout=10).json()
        hashes = {}
        for item in listing["mediaItems"]:
            suffix = "=dv" if item["type"] == "VIDEO" else "=d"
            body = requests.get(item["mediaFile"]["baseUrl"] + suffix, headers=auth, timeout=30)
            body.raise_for_status()
            hashes[item["id"]] = hashlib.sha256(body.content).hexdigest()
        return hashes
    finally:
        requests.delete(f"{emulator.url}/v1/sessions/{session['id']}", headers=auth, timeout=10)


def test_the_demo_shows_a_qr_code_downloads_real_photos_and_a_video_and_writes_a_manifest(cli: str, tmp_path: Path) -> None:
    out = tmp_path / "photos"
    child = spawn(cli, "demo", "--out", str(out), cwd=tmp_path)
    child.expect("a local emulator of Google Photos runs at http://127.0.0.1:")
    child.expect(r"http://127\.0\.0\.1:\d+/picker/\S+")
    child.expect("scan this QR code")
    child.expect("█▀▀▀▀▀█|█ ▄▄▄▄▄ █")
    child.expect("You picked 3 photos and 1 video.")
    child.expect("Downloaded 3 photos and 1 video")
    child.expect("Session deleted.")
    _, status = finish(child)
    assert status == 0
    manifest = check_manifest(out, expect_items=4)
    kinds = [e["mediaType"] for e in manifest["items"]]
    assert kinds.count("VIDEO") == 1
    video = next(out / e["file"] for e in manifest["items"] if e["mediaType"] == "VIDEO")
    assert video.read_bytes()[4:8] == b"ftyp", "a real MP4"
    photo = next(out / e["file"] for e in manifest["items"] if e["mediaType"] == "PHOTO")
    assert photo.read_bytes()[:2] == b"\xff\xd8", "a real JPEG"


def test_pick_downloads_what_the_simulated_user_picked_with_the_emulators_exact_bytes(cli: str, picking_emulator: RunningEmulator, tmp_path: Path) -> None:
    out = tmp_path / "picked"
    child = spawn(cli, "pick", "--base-url", picking_emulator.url, "--out", str(out), cwd=tmp_path, env=clean_env(PHOTOSPICKER_TOKEN=picking_emulator.token))
    child.expect("Open this link")
    child.expect("Waiting for you to pick… .*left")
    child.expect("You picked 3 photos and 1 video.")
    child.expect("Session deleted.")
    _, status = finish(child)
    assert status == 0
    manifest = check_manifest(out, expect_items=4)
    expected = emulator_bytes(picking_emulator, [e["id"] for e in manifest["items"]])
    assert {e["id"]: e["sha256"] for e in manifest["items"]} == expected
    assert picking_emulator.sessions() == [], "the session was deleted"


@pytest.mark.parametrize("stop", ["ctrl-c", "SIGTERM", "SIGHUP"])
def test_ctrl_c_while_waiting_deletes_the_session_and_leaves_no_files(cli: str, emulator: RunningEmulator, tmp_path: Path, stop: str) -> None:
    out = tmp_path / "picked"
    child = spawn(cli, "pick", "--base-url", emulator.url, "--token", emulator.token, "--out", str(out), cwd=tmp_path)
    child.expect("Waiting for you to pick")
    assert len(emulator.sessions()) == 1
    if stop == "ctrl-c":
        child.sendintr()
    else:  # kill, `timeout`, a cancelled CI job, a closed terminal: cleaned up the same way
        child.kill(getattr(signal, stop))
    child.expect("interrupted: the session was deleted and no partial files were left")
    _, status = finish(child)
    assert status == 130
    assert emulator.sessions() == []
    assert not out.exists()


def test_ctrl_c_while_downloading_deletes_the_session_and_leaves_no_partial_or_finished_files(cli: str, picking_emulator: RunningEmulator, tmp_path: Path) -> None:
    # Media drips at 64 KiB/s, so the downloads are surely under way when Ctrl-C comes.
    slow = {"route": "media", "kind": "slow", "bytesPerSecond": 65536}
    requests.post(f"{picking_emulator.control}/faults", json=slow, timeout=10).raise_for_status()
    out = tmp_path / "picked"
    out.mkdir()
    (out / "mine.txt").write_text("not the CLI's")
    child = spawn(cli, "pick", "--base-url", picking_emulator.url, "--token", picking_emulator.token, "--out", str(out), cwd=tmp_path)
    child.expect("You picked 3 photos and 1 video.")
    child.expect("items")  # the progress bar is drawn
    time.sleep(1.0)
    child.sendintr()
    child.expect("interrupted: the session was deleted and no partial files were left")
    _, status = finish(child)
    assert status == 130
    assert picking_emulator.sessions() == []
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"], "only what was there before"
    media = [r for r in picking_emulator.requests_log() if r["route"] == "media"]
    assert media, "the download had started"


def test_json_prints_one_event_per_line_from_session_to_done(cli: str, picking_emulator: RunningEmulator, tmp_path: Path) -> None:
    out = tmp_path / "picked"
    result = subprocess.run(
        [cli, "pick", "--json", "--base-url", picking_emulator.url, "--token", picking_emulator.token, "--out", str(out)],
        capture_output=True, text=True, timeout=120, env=clean_env(),
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "session" and kinds[-1] == "done"
    assert "waiting" in kinds and kinds.index("picked") < kinds.index("listed") < kinds.index("downloaded")
    assert kinds.count("downloaded") == 4
    assert kinds.index("manifest") < kinds.index("deleted") < kinds.index("done")
    waiting = next(e for e in events if e["event"] == "waiting")
    assert waiting["timeoutInSeconds"] > 0 and waiting["nextPollInSeconds"] > 0
    done = events[-1]
    assert done["files"] == 4 and done["failed"] == 0 and Path(done["manifest"]) == out / "manifest.json"
    assert "█" not in result.stdout and result.stderr == ""
    check_manifest(out, expect_items=4)


def test_the_step_by_step_commands_take_a_script_from_session_to_files(cli: str, emulator: RunningEmulator, tmp_path: Path) -> None:
    env = clean_env(PHOTOSPICKER_EMULATOR_HOST=emulator.url.removeprefix("http://"))

    def run(*args: str) -> list[dict[str, Any]]:
        result = subprocess.run([cli, *args, "--json"], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        return [json.loads(line) for line in result.stdout.splitlines()]

    session = run("session", "create", "--max", "5")[0]
    assert session["event"] == "session" and session["maxItemCount"] == 5
    requests.post(f"{emulator.control}/sessions/{session['id']}/pick", json={"count": 2}, timeout=10).raise_for_status()
    assert run("session", "wait", session["id"])[-1]["event"] == "picked"
    assert run("session", "get", session["id"])[0]["mediaItemsSet"] is True
    listing = run("items", "list", session["id"], "--all")[0]
    assert len(listing["mediaItems"]) == 2
    (tmp_path / "items.json").write_text(json.dumps(listing))
    wanted = listing["mediaItems"][1]["id"]
    events = run("download", wanted, "--from", "items.json", "--out", "files")
    assert events[-1]["event"] == "done" and events[-1]["files"] == 1
    manifest = check_manifest(tmp_path / "files", expect_items=1)
    assert manifest["items"][0]["id"] == wanted
    run("download", "--session", session["id"], "--out", "all")
    first = check_manifest(tmp_path / "all", expect_items=2)
    run("download", "--from", str(tmp_path / "all" / "manifest.json"), "--out", "again")
    again = check_manifest(tmp_path / "again", expect_items=2)
    assert [e["sha256"] for e in again["items"]] == [e["sha256"] for e in first["items"]]
    assert again["sessionId"] == session["id"]
    assert run("session", "delete", session["id"])[0] == {"event": "deleted", "sessionId": session["id"]}
    assert emulator.sessions() == []


def test_dry_run_prints_the_requests_and_sends_none(cli: str, emulator: RunningEmulator, tmp_path: Path) -> None:
    result = subprocess.run([cli, "pick", "--dry-run", "--max", "3", "--base-url", emulator.url], capture_output=True, text=True, timeout=60, env=clean_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"POST   {emulator.url}/v1/sessions" in result.stdout
    assert '"maxItemCount":"3"' in result.stdout
    assert f"DELETE {emulator.url}/v1/sessions/SESSION_ID" in result.stdout
    assert emulator.requests_log() == []
    assert not (tmp_path / "picked-photos").exists()


class ServiceDisabled(http.server.BaseHTTPRequestHandler):
    """Google's answer when the Picker API is not enabled in the token's project."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.dumps({"error": {
            "code": 403,
            "message": "Photos Picker API has not been used in project 123 before or it is disabled.",
            "status": "PERMISSION_DENIED",
            "details": [{
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
                "metadata": {"activationUrl": "https://console.developers.google.com/apis/api/photospicker.googleapis.com/overview?project=123"},
            }],
        }}).encode()
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(403)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_failing(cli: str, *args: str, env: Optional[dict[str, str]] = None, cwd: Path) -> tuple[int, list[str]]:
    result = subprocess.run([cli, *args], capture_output=True, text=True, timeout=120, env=env or clean_env(), cwd=cwd)
    lines = result.stderr.strip().splitlines()
    for forbidden in ("Some(", "Error::", "panicked", "None"):
        assert forbidden not in result.stderr, result.stderr
    return result.returncode, lines


def test_each_class_of_error_is_one_line_with_a_hint_and_its_own_exit_code(cli: str, emulator: RunningEmulator, tmp_path: Path) -> None:
    pick = ["pick", "--base-url", emulator.url, "--out", str(tmp_path / "never")]

    status, lines = run_failing(cli, *pick, cwd=tmp_path)
    assert status == 3 and lines[0] == "error: no access token" and "PHOTOSPICKER_TOKEN" in lines[1], lines

    status, lines = run_failing(cli, *pick, "--token", "not-a-token", cwd=tmp_path)
    assert status == 3 and lines[0].startswith("error: the token was refused") and lines[1].startswith("hint:"), lines

    library_only = emulator.add_user(scopes=[LIBRARY_SCOPE])
    status, lines = run_failing(cli, *pick, "--token", library_only, cwd=tmp_path)
    assert status == 3 and lines == [
        f"error: the token lacks the Picker scope {PICKER_SCOPE}",
        "hint: run `photospicker auth login` again and allow access to your photos",
    ]

    no_photos = emulator.add_user(hasPhotosAccount=False)
    status, lines = run_failing(cli, *pick, "--token", no_photos, cwd=tmp_path)
    assert status == 4 and lines[0] == "error: this Google account has no Google Photos account" and lines[1].startswith("hint:"), lines

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ServiceDisabled)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, lines = run_failing(cli, "pick", "--base-url", f"http://127.0.0.1:{server.server_address[1]}", "--token", "t", cwd=tmp_path)
    finally:
        server.shutdown()
    assert status == 4 and lines[0] == "error: the Photos Picker API is not enabled in the Google Cloud project of this token", lines
    assert "https://console.developers.google.com/apis/api/photospicker.googleapis.com/overview?project=123" in lines[1]

    status, lines = run_failing(cli, "pick", "--base-url", f"http://127.0.0.1:{free_port()}", "--token", "t", cwd=tmp_path)
    assert status == 5 and lines[0].startswith("error: cannot reach the emulator at http://127.0.0.1:"), lines
    assert lines[1] == "hint: is it running? start one with `photospicker emulator`, or use `photospicker demo`"

    status, lines = run_failing(cli, "session", "get", "no-such-session", "--base-url", emulator.url, "--token", emulator.token, cwd=tmp_path)
    assert status == 4 and lines[0].startswith("error: no such session"), lines

    status, lines = run_failing(cli, "pick", "--crop", cwd=tmp_path)
    assert status == 2 and "--size" in "\n".join(lines)

    assert not (tmp_path / "never").exists()
    assert emulator.sessions() == []


def test_errors_are_json_events_with_json(cli: str, tmp_path: Path) -> None:
    result = subprocess.run([cli, "pick", "--json", "--base-url", f"http://127.0.0.1:{free_port()}"], capture_output=True, text=True, timeout=60, env=clean_env(), cwd=tmp_path)
    assert result.returncode == 3
    event = json.loads(result.stdout)
    assert event == {"event": "error", "kind": "not_authorized", "exitCode": 3, "message": "no access token", "hint": event["hint"]}
    assert "PHOTOSPICKER_TOKEN" in event["hint"]


def test_the_help_documents_every_exit_code(cli: str, tmp_path: Path) -> None:
    result = subprocess.run([cli, "--help"], capture_output=True, text=True, timeout=60, env=clean_env(), cwd=tmp_path)
    assert result.returncode == 0
    for code in ("0", "1", "2", "3", "4", "5", "6", "7", "130"):
        assert f"\n  {code} " in result.stdout, code
    for command in ("pick", "session", "items", "download", "demo", "emulator"):
        assert f"  {command} " in result.stdout


def test_pick_gives_up_after_its_timeout_and_still_deletes_the_session(cli: str, emulator: RunningEmulator, tmp_path: Path) -> None:
    status, lines = run_failing(cli, "pick", "--timeout", "1", "--base-url", emulator.url, "--token", emulator.token, cwd=tmp_path)
    assert status == 6 and lines[0] == "error: nothing was picked in time" and lines[1].startswith("hint:"), lines
    assert emulator.sessions() == []
    assert not (tmp_path / "picked-photos").exists()


def console_script() -> str:
    """The wheel's `photospicker`, installed next to this Python."""
    pytest.importorskip("photospicker._native")
    found = shutil.which("photospicker", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the installed wheel has no photospicker console script")
    return found


@pytest.fixture(scope="module")
def emulator_binary() -> Path:
    subprocess.run(["cargo", "build", "-q", "-p", "photospicker-emulator", "--bin", "photospicker-emulator"], cwd=ROOT, check=True, timeout=1800)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "photospicker-emulator"


def test_the_wheels_console_script_runs_the_demo_with_the_emulator_found_on_path(emulator_binary: Path, tmp_path: Path) -> None:
    script = console_script()
    out = tmp_path / "photos"
    env = clean_env(PATH=f"{emulator_binary.parent}{os.pathsep}{os.defpath}")
    child = pexpect.spawn(script, ["demo", "--out", str(out)], cwd=str(tmp_path), env=env, encoding="utf-8", timeout=60, dimensions=(60, 120))
    child.expect("scan this QR code")
    child.expect("You picked 3 photos and 1 video.")
    child.expect("Session deleted.")
    _, status = finish(child)
    assert status == 0
    check_manifest(out, expect_items=4)


def test_ctrl_c_reaches_the_wheels_console_script_which_deletes_its_session(emulator: RunningEmulator, tmp_path: Path) -> None:
    script = console_script()
    child = spawn(script, "pick", "--base-url", emulator.url, "--token", emulator.token, "--out", str(tmp_path / "p"), cwd=tmp_path)
    child.expect("Waiting for you to pick")
    child.sendintr()
    child.expect("interrupted: the session was deleted")
    output, status = finish(child)
    assert status == 130
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    assert emulator.sessions() == []


def test_the_wheels_console_script_without_an_emulator_says_how_to_install_one(tmp_path: Path) -> None:
    script = console_script()
    result = subprocess.run([script, "demo"], capture_output=True, text=True, timeout=60, env=clean_env(PATH=os.defpath), cwd=tmp_path)
    assert result.returncode == 5, result.stderr
    assert result.stderr.splitlines() == [
        "error: no emulator: photospicker-emulator is not on PATH",
        "hint: install it: `pip install photospicker-emulator` or `cargo install photospicker-emulator`",
    ]


def test_an_out_that_cannot_hold_files_is_refused_before_a_session_is_created(cli: str, emulator: RunningEmulator, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("x")
    for out in (not_a_dir, not_a_dir / "below"):
        child = spawn(cli, "pick", "--base-url", emulator.url, "--token", emulator.token, "--out", str(out), cwd=tmp_path)
        output, status = finish(child)
        assert status == 7, output
        assert "pass --out with a directory you can write to" in output
    assert not [r for r in emulator.requests_log() if r["route"] == "sessions.create"]
