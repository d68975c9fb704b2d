"""The step-through page in a real browser: headless Chromium driven by Selenium.

Here the controls are used as a reader uses them (buttons, keys, slider, Play), and a
hostile label is shown; test_viz_step_page.py checks the numbers through window.chainrule.
Uses Debian's ``chromium`` and ``chromium-driver`` at fixed paths, so Selenium
Manager never downloads a browser. Marked ``needs_chromium`` and ``needs_dot``:
skipped when they are absent locally; under CI (``CI`` set) their absence is a
failure instead (tests/conftest.py), whose ``browser`` fixture is the one browser shared
by every test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chainrule.engine import MathError, Value
from chainrule.viz import write_step_through
from PIL import Image, ImageChops
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.graphs import neuron

pytestmark = [pytest.mark.needs_chromium, pytest.mark.needs_dot]

INJECTION = '"><script>window.pwned = 1; alert(1)</script>'
IMAGE = "<img src=x onerror=window.pwned=2>"
ACTIVE = "#c026d3"  # the active node's frame and the active edge (viz/web/view.js)


def open_player(browser: WebDriver, root: Value, folder: Path, **options: object) -> None:
    page = write_step_through(root, folder / "player.html", **options)
    browser.get(page.as_uri())
    browser.execute_script("return window.chainrule.frameCount()")  # the script ran
    browser.get_log("browser")  # start each test with an empty console


def state(browser: WebDriver) -> dict[str, object]:
    """What the reader sees: counter, caption, the highlighted node or edge, the buttons."""
    return browser.execute_script(
        """
        const frame = window.chainrule.frame();
        const edges = document.querySelectorAll("#picture svg g.edge.active");
        const lit = Array.from(document.querySelectorAll("#picture svg g.node[id^=v]"))
          .filter(g => g.querySelector("path")?.getAttribute("stroke") === arguments[0]);
        return {
          index: frame.index,
          phase: frame.phase,
          counter: document.getElementById("counter").textContent,
          caption: document.getElementById("caption").textContent,
          apiCaption: frame.caption,
          active: Array.from(edges, e => e.id),
          lit: lit.map(g => g.id),
          slider: document.getElementById("slider").value,
          previous: document.getElementById("previous").disabled,
          next: document.getElementById("next").disabled,
          hash: location.hash,
        };
        """,
        ACTIVE,
    )


def console_errors(browser: WebDriver) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_next_button_and_right_arrow_step_forward(browser: WebDriver, tmp_path: Path) -> None:
    open_player(browser, neuron(), tmp_path)  # 10 nodes, 9 edges: 20 frames
    start = state(browser)
    assert start["index"] == 0 and start["counter"] == "Forward 1 / 10"
    assert start["caption"] == start["apiCaption"] == "x1 = 2.0, an input, a leaf"
    assert start["active"] == [] and start["lit"] == ["v0"] and start["hash"] == "#step=0"

    browser.find_element(By.ID, "next").click()
    first = state(browser)
    assert first["index"] == 1 and first["counter"] == "Forward 2 / 10"
    assert first["caption"] == "w1 = -3.0, an input, a leaf"
    assert first["lit"] == ["v1"] and first["slider"] == "1" and first["hash"] == "#step=1"

    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    second = state(browser)
    assert second["index"] == 2 and second["counter"] == "Forward 3 / 10"
    assert second["caption"] == "t1 = x1·w1 = 2.0·(-3.0) = -6.0"
    assert second["lit"] == ["v2"]

    # into the backward pass: every step lights one edge, a different one each time
    browser.execute_script("window.chainrule.goto(9)")
    browser.find_element(By.ID, "next").click()
    backward = state(browser)
    assert backward["index"] == 10 and backward["counter"] == "Backward 1 / 9"
    assert backward["caption"] == "∂o/∂n = 1 − o² = 1 − 0.7071² = 0.5;  n.grad += 0.5 × 1.0 = 0.5"
    assert backward["active"] == ["e9_0"] and backward["lit"] == ["v8", "v9"]
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    after = state(browser)
    assert after["index"] == 11 and after["counter"] == "Backward 2 / 9"
    assert after["caption"].startswith("∂n/∂t3 = 1;  t3.grad += ")
    assert len(after["active"]) == 1 and after["active"] != backward["active"]
    assert console_errors(browser) == []


def test_previous_at_the_start_and_next_at_the_end_change_nothing(
    browser: WebDriver, tmp_path: Path
) -> None:
    open_player(browser, neuron(), tmp_path)
    body = browser.find_element(By.TAG_NAME, "body")
    start = state(browser)
    assert start["previous"] is True and start["next"] is False
    browser.find_element(By.ID, "previous").click()
    body.send_keys(Keys.ARROW_LEFT)
    assert state(browser) == start

    for _ in range(23):  # three presses past the last frame
        body.send_keys(Keys.ARROW_RIGHT)
    end = state(browser)
    assert end["index"] == 19 and end["phase"] == "summary" and end["counter"] == "Summary"
    assert end["caption"].startswith("∂o/∂leaf, largest |gradient| first")
    assert "w1+1.0 ↑" in end["caption"]  # the Summary's table: leaf, gradient, its sign
    assert end["next"] is True and end["previous"] is False
    browser.find_element(By.ID, "next").click()
    body.send_keys(Keys.ARROW_RIGHT)
    body.send_keys(Keys.END)
    assert state(browser) == end

    body.send_keys(Keys.ARROW_LEFT)
    back = state(browser)
    assert back["index"] == 18 and back["counter"] == "Backward 9 / 9" and back["next"] is False
    assert console_errors(browser) == []


def test_slider_and_play_pause_move_through_the_frames(browser: WebDriver, tmp_path: Path) -> None:
    x = Value(3.0, "x")
    open_player(browser, x * x, tmp_path)  # x, x·x; two steps into x; summary: frames 0 … 4
    assert browser.execute_script("return window.chainrule.frameCount()") == 5
    assert browser.find_element(By.ID, "slider").get_attribute("max") == "4"
    browser.execute_script(
        "const s = document.getElementById('slider'); s.value = '2';"
        "s.dispatchEvent(new Event('input'));"
    )
    moved = state(browser)
    assert moved["index"] == 2 and moved["counter"] == "Backward 1 / 2"
    assert moved["caption"] == "∂t1/∂x = x = 3.0;  x.grad += 3.0 × 1.0 = 3.0"

    play = browser.find_element(By.ID, "play")
    play.click()
    assert "Pause" in play.text and play.get_attribute("aria-pressed") == "true"
    WebDriverWait(browser, 10).until(lambda b: state(b)["index"] == 4)
    assert "Play" in play.text  # stops by itself at the last frame
    assert play.get_attribute("aria-pressed") == "false"
    play.click()  # playing again from the end starts over
    assert state(browser)["index"] == 0 and "Pause" in play.text
    play.click()
    assert "Play" in play.text
    assert state(browser)["index"] == 0
    assert console_errors(browser) == []


def test_an_injected_label_is_shown_as_text_and_never_runs(
    browser: WebDriver, tmp_path: Path
) -> None:
    x = Value(2.0, INJECTION)
    y = x.log() * Value(3.0, IMAGE)  # log, so a what-if can fail and show an error
    y.label = "</script><script>window.pwned = 3</script>"
    open_player(browser, y, tmp_path, title=INJECTION)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018  (reading it is what raises)
    assert browser.title == INJECTION
    assert browser.find_element(By.TAG_NAME, "h1").text == INJECTION
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('#picture svg text'), t => t.textContent)"
    )
    assert {INJECTION, IMAGE, y.label} <= set(labels)
    # the graph's JSON survives its labels: it parses and holds them exactly
    recorded = browser.execute_script(
        "return JSON.parse(document.getElementById('chainrule-graph').textContent)"
        ".nodes.map(n => n.label)"
    )
    assert recorded == [INJECTION, "", IMAGE, y.label]
    captions = [
        browser.execute_script(
            "window.chainrule.goto(arguments[0]);"
            "return document.getElementById('caption').textContent",
            k,
        )
        for k in range(browser.execute_script("return window.chainrule.frameCount()"))
    ]
    assert captions[:4] == [
        f"{INJECTION} = 2.0, an input, a leaf",
        f"t1 = log({INJECTION}) = log(2.0) = 0.6931",
        f"{IMAGE} = 3.0, an input, a leaf",
        f"{y.label} = t1·({IMAGE}) = 0.6931·3.0 = 2.079",  # an operand with spaces is grouped
    ]
    # in ∂…/∂… a name with spaces or operators is grouped, as the terminal's steps do
    assert captions[-1].startswith(f"∂({y.label})/∂leaf")
    assert f"{INJECTION}+1.5 ↑" in captions[-1]
    fields = browser.execute_script(
        "return Array.from(document.querySelectorAll('#leaves label span'), s => s.textContent)"
    )
    assert fields == [INJECTION, IMAGE]
    # an error naming the hostile leaf is shown as text too
    error = browser.execute_script("return window.chainrule.setLeaf(arguments[0], -1)", INJECTION)
    with pytest.raises(MathError) as python:
        Value(-1.0, INJECTION).log()
    assert (error["kind"], error["message"]) == ("DomainError", str(python.value))
    shown = browser.find_element(By.ID, "error")
    assert shown.is_displayed() and shown.text == f"DomainError: {error['message']}"
    assert INJECTION in shown.text
    assert browser.execute_script("return window.chainrule.setLeaf(arguments[0], 1)", IMAGE) is None

    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert browser.execute_script("return document.scripts.length") == 3  # script, graph, messages
    assert (
        browser.execute_script(
            "return document.querySelectorAll('script:not([type=\"application/json\"])').length"
        )
        == 1
    )
    assert browser.execute_script("return document.images.length") == 0
    assert browser.execute_script("return document.querySelectorAll('img, b, iframe').length") == 0
    assert console_errors(browser) == []


def test_screenshot_shows_a_drawn_page(browser: WebDriver, tmp_path: Path) -> None:
    open_player(browser, neuron(), tmp_path)
    browser.execute_script("window.chainrule.goto(10)")  # the first backward step
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
