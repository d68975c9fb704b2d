"""How long the step-through page of a 300-node graph takes to open in headless Chromium.

The page is written once (Graphviz lays it out in Python); each round opens it
from ``file://`` in a fresh tab and reads the ``chainrule-ready`` performance
mark, which the page's script sets when the picture is painted and
``window.chainrule`` is ready: milliseconds since navigation started.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from chainrule.engine import Value, topological_order
from chainrule.nn import MLP, mse_loss
from chainrule.viz import write_step_through

TARGET_SECONDS = 2.0


def graph_of_about_300_nodes() -> Value:
    """The MSE loss of MLP(2, [8, 7, 1]) on one sample: 278 nodes, under the 300 the viz allows."""
    model = MLP(2, [8, 7, 1], seed=0)
    loss = mse_loss(model([0.5, -1.0]), 0.25)
    loss.label = "C"
    return loss


def page_open_seconds(rounds: int) -> tuple[int, list[float]] | None:
    """(nodes, seconds per round) to open the page, or None without Chromium and Selenium."""
    try:
        from tests.headless_chromium import headless_chromium, missing
    except ImportError:
        return None
    if missing():
        return None
    root = graph_of_about_300_nodes()
    with tempfile.TemporaryDirectory() as folder:
        page = write_step_through(root, Path(folder) / "page.html")
        seconds = []
        with headless_chromium("1400,900") as browser:
            for _ in range(rounds):
                browser.get("about:blank")
                browser.get(page.as_uri())
                ready = browser.execute_script(
                    "return performance.getEntriesByName('chainrule-ready')[0].startTime"
                )
                seconds.append(ready / 1000.0)
    return len(topological_order(root)), seconds


def report(result: tuple[int, list[float]] | None) -> list[str]:
    """RESULTS.md's section for the page, with its target marked met or not."""
    lines = ["## The step-through page: time to open", ""]
    if result is None:
        return [*lines, "Not measured: headless Chromium (and Selenium) are not installed."]
    nodes, seconds = result
    median = statistics.median(seconds)
    met = "met" if median < TARGET_SECONDS else "**not met**"
    return [
        *lines,
        f"A {nodes}-node graph (the MSE loss of MLP(2, [8, 7, 1]) on one sample) opens from "
        f"`file://` and is ready to step in {median * 1000:.0f} ms (median of {len(seconds)}, "
        f"{min(seconds) * 1000:.0f}–{max(seconds) * 1000:.0f} ms) in headless Chromium; target "
        f"under {TARGET_SECONDS:.0f} s (issue #12): {met}.",
    ]
