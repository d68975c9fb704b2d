"""Opening a chainrule page in the test browser, laid out by Python or in the browser.

A page Python laid out with Graphviz starts as its script runs; one that lays itself out
(without ``dot``, or ``layout="browser"``) starts once viz-js has laid its graph out, a
moment after the page has loaded. :func:`open_page` waits for either, so a test reads
``window.chainrule`` the same way in both.
"""

from __future__ import annotations

import time
from pathlib import Path

TIMEOUT = 30.0
"""Seconds a page may take to lay itself out before the test fails (it takes under one)."""


def wait_for(browser, script: str) -> object:
    """Poll ``script`` until it returns something true, and return that (fail after TIMEOUT)."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        result = browser.execute_script(script)
        if result or time.monotonic() > deadline:
            assert result, f"the page never got to: {script}"
            return result
        time.sleep(0.05)


def open_page(browser, path: Path, fragment: str = "") -> None:
    """Open the step-through page at ``path`` (``#step=N`` in ``fragment``) until it is ready.

    Fails with the page's message if it could not lay its graph out.
    """
    browser.get(path.as_uri() + fragment)
    wait_for(
        browser,
        "return window.chainrule !== undefined || !document.getElementById('error').hidden",
    )
    shown = browser.execute_script("return document.getElementById('error').textContent")
    assert browser.execute_script("return window.chainrule !== undefined"), shown
