"""The step-through player in a real browser: headless Chromium driven by Selenium.

Uses Debian's ``chromium`` and ``chromium-driver`` at fixed paths, so Selenium
Manager never downloads a browser. Marked ``needs_chromium`` and ``needs_dot``:
skipped when they are absent locally; under CI (``CI`` set) their absence is a
failure instead (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chainrule.engine import Value
from chainrule.viz import write_step_through
from PIL import Image, ImageChops
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.graphs import neuron
from tests.headless_chromium import headless_chromium

pytestmark = [pytest.mark.needs_chromium, pytest.mark.needs_dot]

INJECTION = '"><script>window.pwned = 1; alert(1)</script>'


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with headless_chromium(console=True) as driver:
        yield driver


def open_player(browser: WebDriver, root: Value, folder: Path, **options: object) -> None:
    page = write_step_through(root, folder / "player.html", **options)
    browser.get(page.as_uri())
    browser.get_log("browser")  # start each test with an empty console


def state(browser: WebDriver) -> dict[str, object]:
    """What the reader sees: counter, caption, the highlighted edge, how many frames show."""
    return browser.execute_script(
        """
        const shown = document.querySelectorAll(".frame:not([hidden])");
        const active = shown[0].querySelector("g.edge.active");
        return {
          counter: document.getElementById("counter").textContent,
          caption: shown[0].querySelector("figcaption").textContent,
          active: active ? active.id : null,
          shown: shown.length,
          previous: document.getElementById("previous").disabled,
          next: document.getElementById("next").disabled,
        };
        """
    )


def console_errors(browser: WebDriver) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_next_button_and_right_arrow_step_forward(browser: WebDriver, tmp_path: Path) -> None:
    open_player(browser, neuron(), tmp_path)
    start = state(browser)
    assert start["counter"] == "Step 0 / 9"
    assert start["caption"].startswith("Forward pass done")
    assert start["active"] is None and start["shown"] == 1

    browser.find_element(By.ID, "next").click()
    first = state(browser)
    assert first["counter"] == "Step 1 / 9"
    assert first["caption"].startswith("Step 1 of 9: n.grad += 0.5 × 1.0 = 0.5")
    assert first["active"] and first["active"].startswith("f1-e")

    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    second = state(browser)
    assert second["counter"] == "Step 2 / 9"
    assert second["caption"].startswith("Step 2 of 9:") and second["caption"] != first["caption"]
    assert second["active"].startswith("f2-e") and second["active"][3:] != first["active"][3:]
    assert second["shown"] == 1
    assert console_errors(browser) == []


def test_previous_at_the_start_and_next_at_the_end_change_nothing(
    browser: WebDriver, tmp_path: Path
) -> None:
    open_player(browser, neuron(), tmp_path)
    body = browser.find_element(By.TAG_NAME, "body")
    assert state(browser)["previous"] is True
    browser.find_element(By.ID, "previous").click()
    body.send_keys(Keys.ARROW_LEFT)
    assert state(browser)["counter"] == "Step 0 / 9"

    for _ in range(12):  # three presses past the last step
        body.send_keys(Keys.ARROW_RIGHT)
    end = state(browser)
    assert end["counter"] == "Step 9 / 9"
    assert end["caption"].startswith("Step 9 of 9:")
    assert end["next"] is True and end["shown"] == 1
    browser.find_element(By.ID, "next").click()
    assert state(browser) == end

    body.send_keys(Keys.ARROW_LEFT)
    assert state(browser)["counter"] == "Step 8 / 9"
    assert console_errors(browser) == []


def test_slider_and_play_pause_move_through_the_frames(browser: WebDriver, tmp_path: Path) -> None:
    x = Value(3.0, "x")
    open_player(browser, x * x, tmp_path)  # 2 steps: frames 0, 1, 2
    browser.execute_script(
        "const s = document.getElementById('slider'); s.value = '1';"
        "s.dispatchEvent(new Event('input'));"
    )
    assert state(browser)["counter"] == "Step 1 / 2"

    play = browser.find_element(By.ID, "play")
    play.click()
    assert "Pause" in play.text
    WebDriverWait(browser, 5).until(lambda b: state(b)["counter"] == "Step 2 / 2")
    assert "Play" in play.text  # stops by itself at the last step
    play.click()  # playing again from the end starts over
    assert state(browser)["counter"] == "Step 0 / 2"
    play.click()
    assert "Play" in play.text
    assert state(browser)["counter"] == "Step 0 / 2"


def test_an_injected_label_is_shown_as_text_and_never_runs(
    browser: WebDriver, tmp_path: Path
) -> None:
    x = Value(2.0, INJECTION)
    y = x * Value(3.0, "<img src=x onerror=window.pwned=2>")
    open_player(browser, y, tmp_path, title=INJECTION)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018  (reading it is what raises)
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert browser.title == INJECTION
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('.frame:not([hidden]) svg text'),"
        " t => t.textContent)"
    )
    assert INJECTION in labels and "<img src=x onerror=window.pwned=2>" in labels
    assert browser.execute_script("return document.scripts.length") == 1
    assert browser.execute_script("return document.images.length") == 0


def test_screenshot_shows_a_drawn_page(browser: WebDriver, tmp_path: Path) -> None:
    open_player(browser, neuron(), tmp_path)
    for _ in range(3):
        browser.find_element(By.ID, "next").click()
    shot = tmp_path / "player.png"
    assert browser.save_screenshot(str(shot))
    image = Image.open(shot).convert("RGB")
    assert image.size[0] > image.size[1]  # the landscape window the browser was opened with
    background = Image.new(
        "RGB", image.size, image.getpixel((image.size[0] - 1, image.size[1] - 1))
    )
    changed = ImageChops.difference(image, background).convert("L").point(lambda v: 255 * (v > 0))
    assert changed.histogram()[255] / (image.size[0] * image.size[1]) > 0.05  # not a blank page
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50
    assert any(abs(r - 0xC0) < 24 and g < 80 and abs(b - 0xD3) < 24 for _, (r, g, b) in colours)
