from __future__ import annotations

from collections.abc import Iterator

import os
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from photospicker.testing import Emulator


@pytest.fixture()
def emulator() -> Iterator[Emulator]:
    with Emulator(poll_interval=0.05) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """Headless chromium from Debian's packages (scripts/test.sh installs it)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "scripts/test.sh installs chromium and chromium-driver"
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download anything
    options = Options()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    with webdriver.Chrome(service=Service(executable_path=driver), options=options) as chrome:
        chrome.set_script_timeout(30)
        yield chrome
