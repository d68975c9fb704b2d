"""The three pages are accessible in both themes, on a wide screen and on a phone (#18).

axe-core (through axe-selenium-python, its bundled ``axe.min.js``, so nothing is fetched)
must find no serious or critical violation on the step-through page, the playground and the
bugs gallery, light and dark, at 1400×900 and 390×800. Selenium's ``execute_script`` runs
outside the page's Content-Security-Policy, so axe runs although the policy allows only the
page's own script.

axe cannot judge text drawn on SVG boxes, so the step page's picture is measured from a
screenshot: every ``<text>`` of the neuron's graph, at a forward frame, a backward frame and
the summary, in both themes, must have a contrast of at least 3:1 against its box (WCAG's
ratio, from the ink and background colours found in the text's own rectangle).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from chainrule.viz import write_playground, write_step_through
from PIL import Image
from selenium.webdriver.remote.webdriver import WebDriver

from chainrule import bugs
from tests.graphs import neuron
from tests.headless_chromium import emulate_screen

pytestmark = [pytest.mark.needs_chromium, pytest.mark.needs_dot]

THEMES = ("light", "dark")
SCREENS = {"wide": (1400, 900), "phone": (390, 800)}
BLOCKING = ("serious", "critical")
SVG_TEXT_CONTRAST = 3.0


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("a11y")
    assert bugs.main(["--html", str(folder / "bugs.html")]) == 0
    return {
        "step": write_step_through(neuron(), folder / "neuron.html", title="One neuron"),
        "playground": write_playground(folder / "playground.html"),
        "bugs": folder / "bugs.html",
    }


def use_theme(browser: WebDriver, theme: str) -> None:
    """Emulate a light or dark system (the browser fixture undoes it after the test)."""
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": theme}]},
    )


def blocking_violations(browser: WebDriver) -> list[dict]:
    """axe-core's serious and critical violations on the page open in ``browser``."""
    from axe_selenium_python import Axe

    axe = Axe(browser)
    assert Path(axe.script_url).is_file()  # the package's own copy: nothing is downloaded
    axe.inject()
    results = axe.run(options='{"resultTypes": ["violations"]}')
    assert browser.execute_script("return axe.version")  # axe-core 3.1.1 in 2.1.6
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def described(violations: list[dict]) -> str:
    """Each violation with the elements it was found on, as a failing assertion shows it."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["step", "playground", "bugs"])
def test_axe_finds_no_serious_or_critical_violation(browser, pages, name, theme, screen):
    width, height = SCREENS[screen]
    if screen == "phone":
        emulate_screen(browser, width, height)
    use_theme(browser, theme)
    browser.get(pages[name].as_uri())
    if name == "step":  # a backward frame: a lit edge, coloured gradients, every label filled
        browser.execute_script("window.chainrule.goto(window.chainrule.frameCount() - 3)")
    found = blocking_violations(browser)
    assert found == [], f"{name}, {theme}, {screen}:\n{described(found)}"


# --- the picture's text, measured in pixels ------------------------------------------------


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG's relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    dark, light = sorted((luminance(a), luminance(b)))
    return (light + 0.05) / (dark + 0.05)


def text_contrast(region: Image.Image) -> tuple[float, tuple, tuple]:
    """The contrast of the text in ``region``: its most common colour is the background, the
    pixel farthest from it in luminance is the ink."""
    colours = region.convert("RGB").getcolors(maxcolors=region.width * region.height)
    background = max(colours)[1]
    level = luminance(background)
    ink = max((colour for _, colour in colours), key=lambda c: abs(luminance(c) - level))
    return contrast(ink, background), ink, background


TEXTS = """
const picture = document.querySelector('#picture svg');
return Array.from(picture.querySelectorAll('text'))
  .filter(t => t.textContent.trim() !== '')
  .map(t => { const r = t.getBoundingClientRect();
              return {text: t.textContent.trim(), left: r.left, top: r.top,
                      right: r.right, bottom: r.bottom}; });
"""


def svg_text_contrasts(browser: WebDriver) -> list[tuple[str, float, tuple, tuple]]:
    """Each non-empty text of the picture, with its contrast, ink and background."""
    browser.find_element("id", "zoom-fit").click()
    browser.execute_script("document.getElementById('picture').scrollIntoView()")
    texts = browser.execute_script(TEXTS)
    shot = Image.open(io.BytesIO(browser.get_screenshot_as_png()))
    assert shot.size[0] >= 1000  # one screen pixel per CSS pixel, the picture on screen
    measured = []
    for t in texts:
        box = tuple(round(t[side]) for side in ("left", "top", "right", "bottom"))
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= shot.size[0] and box[3] <= shot.size[1]
        ratio, ink, background = text_contrast(shot.crop(box))
        measured.append((t["text"], ratio, ink, background))
    return measured


@pytest.mark.parametrize("theme", THEMES)
def test_every_text_of_the_picture_stands_out_from_its_box(browser, pages, theme):
    use_theme(browser, theme)
    browser.get(pages["step"].as_uri())
    count = browser.execute_script("return window.chainrule.frameCount()")
    phases = browser.execute_script(
        "return Array.from({length: arguments[0]}, (_, k) =>"
        " (window.chainrule.goto(k), window.chainrule.frame().phase))",
        count,
    )
    forward, backward = phases.index("forward") + 2, phases.index("backward") + 1
    assert phases[backward] == "backward" and phases[-1] == "summary"
    low = []
    seen = set()
    for frame in (forward, backward, count - 1):
        browser.execute_script("window.chainrule.goto(arguments[0])", frame)
        for text, ratio, ink, background in svg_text_contrasts(browser):
            seen.add(text.split()[0])
            if ratio < SVG_TEXT_CONTRAST:
                low.append(f"frame {frame}: {text!r} {ratio:.2f}:1 (ink {ink}, box {background})")
    assert {"grad", "local", "data"} <= seen
    assert low == [], f"{theme}: text below {SVG_TEXT_CONTRAST}:1\n" + "\n".join(low)


# --- two rules of axe-core 4 that the 3.1.1 bundled above does not have --------------------


@pytest.mark.parametrize("name", ["step", "playground"])
def test_a_named_button_says_its_visible_words_in_its_name(browser, pages, name):
    """label-content-name-mismatch: a speech user says what they see ("Prev"), so a button's
    aria-label holds its visible words."""
    browser.get(pages[name].as_uri())
    buttons = browser.execute_script(
        "return Array.from(document.querySelectorAll('button[aria-label]'))"
        ".map(b => [b.id, b.textContent, b.getAttribute('aria-label')])"
    )
    assert buttons
    mismatched = [
        (key, text, label)
        for key, text, label in buttons
        if not set(re.findall(r"\w+", text.lower())) <= set(re.findall(r"\w+", label.lower()))
    ]
    assert mismatched == []


def test_no_code_box_of_the_bugs_page_scrolls_sideways_on_a_phone(browser, pages):
    """scrollable-region-focusable: a box that scrolls must be reachable by keyboard; the
    gallery's code wraps on a phone instead."""
    emulate_screen(browser, 390, 800)
    browser.get(pages["bugs"].as_uri())
    scrolling = browser.execute_script(
        "return Array.from(document.querySelectorAll('pre'))"
        ".filter(p => p.scrollWidth > p.clientWidth).map(p => p.textContent.slice(0, 60))"
    )
    assert scrolling == []
