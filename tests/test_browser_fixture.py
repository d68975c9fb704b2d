"""The shared browser (tests/conftest.py) starts every test in the same state.

The first test leaves a dark system, a phone's screen, a page and console errors behind;
the next, in the same browser, must see none of it.
"""

from __future__ import annotations

import pytest

from tests.headless_chromium import WINDOW, emulate_screen

pytestmark = [pytest.mark.needs_chromium]

STATE = """
return {
  dark: matchMedia('(prefers-color-scheme: dark)').matches,
  print: matchMedia('print').matches,
  width: innerWidth,
  url: location.href,
};
"""


def test_a_test_may_leave_the_browser_dark_narrow_and_noisy(browser):
    emulate_screen(browser, 390, 800, mobile=False)
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"media": "print", "features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    browser.get("data:text/html,<script>console.error('left behind')</script>")
    state = browser.execute_script(STATE)
    assert state["dark"] and state["print"] and state["width"] == 390


def test_the_next_test_gets_it_back_as_it_opened(browser, chromium_session):
    assert browser is chromium_session  # one browser for the run
    state = browser.execute_script(STATE)
    assert state == {"dark": False, "print": False, "width": state["width"], "url": "about:blank"}
    assert state["width"] > 1000  # the desktop window, not the phone's 390 pixels
    width, height = (int(n) for n in WINDOW.split(","))
    assert browser.get_window_size() == {"width": width, "height": height}
    assert browser.get_log("browser") == []
