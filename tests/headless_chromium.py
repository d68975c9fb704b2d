"""Headless Chromium driven by Selenium, as the browser tests and the docs pictures use it.

Debian's ``chromium`` and ``chromium-driver`` at fixed paths, so Selenium
Manager never downloads a browser; the flags keep it off the network, which
this machine closes anyway, and give it a fresh profile each time.

:func:`missing` says what of that is absent (tests/conftest.py skips the
``needs_chromium`` tests with it locally, and fails them under CI). Selenium
itself is imported only when a browser is started.

The tests take one browser for the whole run through the ``browser`` fixture of
tests/conftest.py, which calls :func:`reset` before and after each test.
"""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
WINDOW = "1400,900"
"""The browser window's size in pixels, as the session's browser opens it and resets to."""
INSTALL = "apt-get install -y chromium chromium-driver (and pip install -e '.[dev]' for selenium)"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def missing() -> list[str]:
    """What a headless browser needs and this machine lacks (empty when it has it all)."""
    absent = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if importlib.util.find_spec("selenium") is None:
        absent.append("the selenium package")
    return absent


@contextmanager
def headless_chromium(window: str = WINDOW, *, console: bool = False) -> Iterator[WebDriver]:
    """A browser window of ``window`` pixels; ``console=True`` keeps the page's console log."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    if console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with tempfile.TemporaryDirectory() as profile:
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={window}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def emulate_screen(driver: WebDriver, width: int, height: int, *, mobile: bool = True) -> None:
    """Give the page a viewport of ``width`` × ``height`` CSS pixels, as a phone would.

    Headless Chromium's windows are never narrower than 500 pixels, so a 390-pixel
    phone needs the DevTools protocol's device emulation.
    """
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


def reset(driver: WebDriver) -> None:
    """Put the browser back as it opened: what one test changes never reaches the next.

    A blank page (no script of the last page still running), the window size of
    :data:`WINDOW`, no device emulation (:func:`emulate_screen`), no emulated media
    (a dark system, print), Chromium's own download behaviour, and an empty console log.
    """
    driver.get("about:blank")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})
    width, height = (int(n) for n in WINDOW.split(","))
    if driver.get_window_size() != {"width": width, "height": height}:
        driver.set_window_size(width, height)
    driver.get_log("browser")
