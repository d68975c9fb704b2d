"""What runs in the browser, timed in headless Chromium: the pages' engine and the page itself.

W1 in the page: the pages' engine (the JavaScript kernels generated from the op
table, viz/web/backward.js and viz/web/playground/tape.js) records W1's
graph once and runs it forward and backward, as ``Replay`` does in Python; its loss
and gradients are checked against chainrule's before it is timed.

Opening the step-through page of a 300-node graph: the page is written once
(Graphviz lays it out in Python); each round opens it from ``file://`` in a
fresh tab and reads the ``chainrule-ready`` performance mark, which the page's
script sets when the picture is painted and ``window.chainrule`` is ready.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from chainrule.engine import Value, topological_order
from chainrule.nn import MLP, mse_loss
from chainrule.viz import write_step_through
from chainrule.viz.page_assets import OPS_SCRIPT, read_scripts

TARGET_SECONDS = 2.0
ENGINE_SCRIPTS = (
    "pyformat.js",
    "formula_runtime.js",
    OPS_SCRIPT,
    "backward.js",
    "playground/data.js",
    "playground/tape.js",
)

W1_IN_PAGE = """
const [points, labels, parameters, rounds] = arguments;
const tape = new chainrule_tape.Tape();
const layers = parameters.map(layer => layer.map(row => row.map(() => tape.leaf())));
const last = layers.length - 1;
const inputs = [];
const losses = [];
points.forEach((point, i) => {
  let a = [tape.leaf(), tape.leaf()];
  inputs.push(a);
  layers.forEach((layer, depth) => {
    a = layer.map(row => {
      let z = row[row.length - 1];
      for (let k = 0; k < row.length - 1; k += 1) {
        z = tape.apply("add", [z, tape.apply("mul", [row[k], a[k]])]);
      }
      return depth === last ? z : tape.apply("relu", [z]);
    });
  });
  const scaled = tape.apply("mul", [tape.constant(-labels[i]), a[0]]);
  losses.push(tape.apply("relu", [tape.apply("add", [tape.constant(1.0), scaled])]));
});
let total = losses[0];
for (let i = 1; i < losses.length; i += 1) { total = tape.apply("add", [total, losses[i]]); }
const loss = tape.apply("mul", [total, tape.constant(1.0 / losses.length)]);
function run() {  // write the leaves, then forward and backward
  layers.forEach((layer, l) => layer.forEach((row, j) => row.forEach((node, k) => {
    tape.values[node] = parameters[l][j][k];
  })));
  inputs.forEach((a, i) => { tape.values[a[0]] = points[i][0]; tape.values[a[1]] = points[i][1]; });
  tape.forward();
  tape.backward(loss);
}
run();
const result = [tape.values[loss], layers.flat(2).map(node => tape.grads[node])];
const seconds = [];
for (let r = 0; r < rounds; r += 1) {
  const start = performance.now();
  run();
  seconds.push((performance.now() - start) / 1000);
}
return [result, seconds];
"""


def graph_of_about_300_nodes() -> Value:
    """The MSE loss of MLP(2, [8, 7, 1]) on one sample: 278 nodes, under the 300 the viz allows."""
    model = MLP(2, [8, 7, 1], seed=0)
    loss = mse_loss(model([0.5, -1.0]), 0.25)
    loss.label = "C"
    return loss


def _browser_ready() -> bool:
    try:
        from tests.headless_chromium import missing
    except ImportError:
        return False
    return not missing()


def w1_in_page(points, labels, parameters, rounds: int) -> tuple[tuple, list[float]] | None:
    """W1 in the pages' engine: ((loss, gradients), seconds per forward + backward), or None."""
    if not _browser_ready():
        return None
    from tests.headless_chromium import headless_chromium

    engine = read_scripts(ENGINE_SCRIPTS)
    with headless_chromium("800,600") as browser:
        browser.get("about:blank")
        (loss, grads), seconds = browser.execute_script(
            engine + "\n" + W1_IN_PAGE, [list(p) for p in points], labels, parameters, rounds
        )
    return (loss, grads), seconds


def page_open_seconds(rounds: int) -> tuple[int, list[float]] | None:
    """(nodes, seconds per round) to open the page, or None without Chromium and Selenium."""
    if not _browser_ready():
        return None
    from tests.headless_chromium import headless_chromium

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


def playground_epochs_per_second(seconds: float = 3.0) -> tuple[float, float] | None:
    """Epochs per second of MLP(2, [8, 8, 1]) on 200 training points in the playground page.

    Measured twice: through ``window.chainrule.train`` alone, and while the page plays at its
    speed "max" (training and redrawing its heatmaps, curves and network, as a learner sees it).
    """
    if not _browser_ready():
        return None
    import time

    from chainrule.viz import write_playground

    from tests.headless_chromium import headless_chromium

    with tempfile.TemporaryDirectory() as folder:
        page = write_playground(Path(folder) / "fast.html", hidden=(8, 8), samples=400)
        with headless_chromium("1400,900") as browser:
            browser.get(page.as_uri())
            trained = browser.execute_script(  # 100 epochs of 20 batches in one call
                "const t0 = performance.now(), e0 = window.chainrule.epoch();"
                "window.chainrule.train(2000);"
                "return (window.chainrule.epoch() - e0) / ((performance.now() - t0) / 1000);"
            )
            start = browser.execute_script("return window.chainrule.epoch()")
            browser.execute_script("window.chainrule.speed('max'); window.chainrule.play()")
            time.sleep(seconds)
            playing = (browser.execute_script("return window.chainrule.epoch()") - start) / seconds
            browser.execute_script("window.chainrule.pause()")
    return trained, playing


def playground_report(speed: tuple[float, float] | None) -> list[str]:
    """RESULTS.md's lines for the playground's training speed (issue #13: 20 epochs/s)."""
    lines = ["## The playground: training speed", ""]
    if speed is None:
        return [*lines, "Not measured: headless Chromium (and Selenium) are not installed."]
    trained, playing = speed
    met = "met" if min(trained, playing) >= 20 else "**not met**"
    return [
        *lines,
        f"MLP(2, [8, 8, 1]) on 200 training points (moons, batches of 10): {trained:.0f} epochs "
        f"per second through `window.chainrule.train`, {playing:.0f} while playing and drawing, "
        f"in headless Chromium; target at least 20 (issue #13): {met}.",
    ]
