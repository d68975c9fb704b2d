"""Regenerate the README's pictures: docs/images/neuron_graph.svg and docs/images/step_through.png.

    .venv/bin/python scripts/make_docs_images.py

The graph is the neuron o = tanh(x1·w1 + x2·w2 + b) after backward; the
screenshot is the step-through player of the same neuron, in headless
Chromium (Debian's ``chromium`` and ``chromium-driver``), a few steps in.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import Value  # noqa: E402  (importable once the repository is on the path)
from viz import draw_graph, render, write_step_through  # noqa: E402

IMAGES = ROOT / "docs" / "images"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
STEPS_SHOWN = 8


def neuron() -> tuple[Value, list[Value]]:
    """o = tanh(x1·w1 + x2·w2 + b), every node labelled; returns o and the parameters."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [w1, w2, b]


def screenshot(page: Path, png: Path) -> None:
    """Open ``page`` from disk in headless Chromium, step ``STEPS_SHOWN`` times, save ``png``."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory() as profile:
        for flag in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--window-size=1280,820",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            driver.get(page.as_uri())
            for _ in range(STEPS_SHOWN):
                driver.find_element(By.ID, "next").click()
            driver.save_screenshot(str(png))
        finally:
            driver.quit()


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    o, params = neuron()
    o.backward()
    print(render(draw_graph(o, params=params), IMAGES / "neuron_graph.svg"))

    o, params = neuron()
    with tempfile.TemporaryDirectory() as folder:
        page = write_step_through(
            o, Path(folder) / "neuron.html", title="o = tanh(x1·w1 + x2·w2 + b)", params=params
        )
        screenshot(page, IMAGES / "step_through.png")
    print(IMAGES / "step_through.png")


if __name__ == "__main__":
    main()
