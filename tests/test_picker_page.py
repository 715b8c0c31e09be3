"""The picker page in a real headless browser (Debian's chromium and
chromium-driver, installed by scripts/test.sh): select items, press Done, and
see the session report `mediaItemsSet`."""

from __future__ import annotations


import pytest
import requests
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from photospicker.testing import Emulator



def new_session(emulator: Emulator, token: str, max_items: int) -> dict[str, object]:
    response = requests.post(
        f"{emulator.picker_url}/v1/sessions",
        json={"pickingConfig": {"maxItemCount": str(max_items)}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    return dict(response.json())


def get_session(emulator: Emulator, token: str, session_id: object) -> dict[str, object]:
    url = f"{emulator.picker_url}/v1/sessions/{session_id}"
    return dict(requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10).json())


def test_select_and_done_completes_the_session(emulator: Emulator, browser: webdriver.Chrome) -> None:
    token = emulator.add_user(library_size=12)
    session = new_session(emulator, token, max_items=2)
    assert "mediaItemsSet" not in get_session(emulator, token, session["id"])  # false is left out
    browser.get(str(session["pickerUri"]))
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[name=item]")
    assert len(boxes) == 12
    images = browser.find_elements(By.TAG_NAME, "img")
    WebDriverWait(browser, 10).until(lambda _: all(img.get_property("naturalWidth") for img in images[:4]))
    boxes[3].click()
    boxes[1].click()
    assert not boxes[5].is_enabled(), "the page stops at maxItemCount"
    assert browser.find_element(By.ID, "count").text == "2 selected"
    chosen = [boxes[1].get_attribute("value"), boxes[3].get_attribute("value")]
    browser.find_element(By.ID, "done").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "status").text == "Done")
    assert get_session(emulator, token, session["id"])["mediaItemsSet"] is True
    listed = requests.get(
        f"{emulator.picker_url}/v1/mediaItems", params={"sessionId": session["id"]},
        headers={"Authorization": f"Bearer {token}"}, timeout=10,
    ).json()
    assert sorted(item["id"] for item in listed["mediaItems"]) == sorted(chosen)
    browser.get(str(session["pickerUri"]))
    assert "Session finished" in browser.find_element(By.ID, "status").text
    assert not browser.find_elements(By.CSS_SELECTOR, "input[name=item]"), "after Done the page accepts no picks"


def test_autoclose_closes_the_tab(emulator: Emulator, browser: webdriver.Chrome) -> None:
    token = emulator.add_user(library_size=4)
    session = new_session(emulator, token, max_items=5)
    browser.get(emulator.picker_url + "/emulator/v1")
    opener = browser.current_window_handle
    browser.execute_script("window.open(arguments[0], 'picker')", f"{session['pickerUri']}/autoclose")
    picker = next(h for h in browser.window_handles if h != opener)
    browser.switch_to.window(picker)
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "input[name=item]"))
    browser.find_elements(By.CSS_SELECTOR, "input[name=item]")[0].click()
    browser.find_element(By.ID, "done").click()
    WebDriverWait(browser, 10).until(lambda b: picker not in b.window_handles)
    browser.switch_to.window(opener)
    assert get_session(emulator, token, session["id"])["mediaItemsSet"] is True
