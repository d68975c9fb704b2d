"""Regenerate the README's pictures in docs/images: the neuron's graph, the player, moons.

    .venv/bin/python scripts/make_docs_images.py

The graph is the neuron o = tanh(x1·w1 + x2·w2 + b) after backward; the
screenshot is the step-through player of the same neuron, in headless
Chromium (Debian's ``chromium`` and ``chromium-driver``), a few steps in; the
decision boundary is the demo's MLP trained on moons.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# importable once the repository is on the path
from chainrule.viz import draw_graph, render, write_step_through  # noqa: E402

from chainrule.demo import neuron_with_parameters  # noqa: E402
from chainrule.training import TrainingRun, train  # noqa: E402
from tests.headless_chromium import headless_chromium  # noqa: E402

IMAGES = ROOT / "docs" / "images"
STEPS_SHOWN = 8


def screenshot(page: Path, png: Path) -> None:
    """Open ``page`` from disk in headless Chromium, step ``STEPS_SHOWN`` times, save ``png``."""
    with headless_chromium("1280,820") as driver:
        driver.get(page.as_uri())
        for _ in range(STEPS_SHOWN):
            driver.find_element(By.ID, "next").click()
        driver.save_screenshot(str(png))


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    o, params = neuron_with_parameters()  # the demo's neuron and its w1, w2, b
    o.backward()
    print(render(draw_graph(o, params=params), IMAGES / "neuron_graph.svg"))

    o, params = neuron_with_parameters()
    with tempfile.TemporaryDirectory() as folder:
        page = write_step_through(
            o, Path(folder) / "neuron.html", title="o = tanh(x1·w1 + x2·w2 + b)", params=params
        )
        screenshot(page, IMAGES / "step_through.png")
    print(IMAGES / "step_through.png")

    with tempfile.TemporaryDirectory() as folder:
        result = train(TrainingRun(), Path(folder), progress=False)
        boundary = IMAGES / "decision_boundary.png"
        boundary.write_bytes(result.files["decision boundary"].read_bytes())
    print(boundary)


if __name__ == "__main__":
    main()
