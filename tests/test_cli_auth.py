"""`photospicker auth login|status|logout` driven in a pseudo-terminal against
the emulator's OAuth endpoints (PHOTOSPICKER_EMULATOR_HOST): the device flow
approved through the control API, the loopback flow with the test as the
browser, the stored login used by later commands, and logout."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import requests

from test_cli import RunningEmulator, clean_env, cli, emulator, finish, spawn  # noqa: F401  (fixtures)



def env_for(emulator: RunningEmulator, config: Path) -> dict[str, str]:
    host = emulator.url.removeprefix("http://")
    return clean_env(PHOTOSPICKER_EMULATOR_HOST=host, XDG_CONFIG_HOME=str(config), HOME=str(config))


def stored_login(config: Path) -> Path:
    return config / "photospicker" / "login-emulator.json"


def test_device_login_is_approved_on_another_device_then_stored_0600_and_used_by_later_commands(cli: str, emulator: RunningEmulator, tmp_path: Path) -> None:
    config = tmp_path / "config"
    env = env_for(emulator, config)
    child = spawn(cli, "auth", "login", "--device", cwd=tmp_path, env=env)
    child.expect(r"enter the code:\s+([A-Z0-9-]+)")
    user_code = child.match.group(1)
    approved = requests.post(f"{emulator.control}/oauth/device", json={"userCode": user_code, "approve": True}, timeout=10)
    assert approved.status_code == 200, approved.text
    output, status = finish(child)
    assert status == 0, output
    assert "Logged in" in output

    login = stored_login(config)
    assert stat.S_IMODE(login.stat().st_mode) == 0o600
    refresh_token = __import__("json").loads(login.read_text())["refresh_token"]

    child = spawn(cli, "auth", "status", cwd=tmp_path, env=env)
    output, status = finish(child)
    assert status == 0 and "Logged in" in output and refresh_token not in output

    # No --token: the stored login is used (an emulator login wins over the default user's token).
    child = spawn(cli, "session", "create", "--json", cwd=tmp_path, env=env)
    output, status = finish(child)
    assert status == 0, output
    assert any(r["path"] == "/v1/sessions" and r["method"] == "POST" and r["status"] == 200 for r in emulator.requests_log())

    child = spawn(cli, "auth", "logout", cwd=tmp_path, env=env)
    output, status = finish(child)
    assert status == 0 and "revoked and deleted" in output, output
    assert not login.exists()


def test_loopback_login_comes_back_through_the_browser_redirect(cli: str, emulator: RunningEmulator, tmp_path: Path) -> None:
    config = tmp_path / "config"
    env = env_for(emulator, config)
    assert requests.post(f"{emulator.control}/oauth/approval", json={"approval": "approve"}, timeout=10).status_code == 200
    child = spawn(cli, "auth", "login", cwd=tmp_path, env=env)
    child.expect(r"(http://\S+/o/oauth2/\S+)")
    url = child.match.group(1)
    # The test is the browser: the consent page approves at once and redirects to the CLI's loopback port.
    answer = requests.get(url, timeout=30)
    assert answer.status_code == 200, answer.text
    output, status = finish(child)
    assert status == 0, output
    assert stat.S_IMODE(stored_login(config).stat().st_mode) == 0o600


def test_a_denied_device_login_exits_3_with_a_hint_and_stores_nothing(cli: str, emulator: RunningEmulator, tmp_path: Path) -> None:
    config = tmp_path / "config"
    child = spawn(cli, "auth", "login", "--device", cwd=tmp_path, env=env_for(emulator, config))
    child.expect(r"enter the code:\s+([A-Z0-9-]+)")
    requests.post(f"{emulator.control}/oauth/device", json={"userCode": child.match.group(1), "approve": False}, timeout=10)
    output, status = finish(child)
    assert status == 3, output
    assert re.search(r"auth login", output)
    assert not stored_login(config).exists()
