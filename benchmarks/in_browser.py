"""What runs in the browser, timed in headless Chromium: the pages' engine and the page itself.

W1 in the page: the pages' engine (the JavaScript kernels generated from the op
table, viz/web/backward.js and viz/web/playground/tape.js) records W1's
graph once and runs it forward and backward, as ``Replay`` does in Python; its loss
and gradients are checked against chainrule's before it is timed.

Opening the step-through page of a 300-node graph: the page is written once
(Graphviz lays it out in Python); each round opens it from ``file://`` in a
fresh tab and reads the ``chainrule-ready`` performance mark, which the page's
script sets when the picture is painted and ``window.chainrule`` is ready.

Pages with and without ``dot`` (issue #21): the neuron page of ``chainrule demo``, an MLP's
page and the page of about 300 nodes, each written laid out by Graphviz in Python and laid out
in the browser by viz-js; their size, and their time to open, which in the browser includes
compiling viz-js and laying the graph out.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from chainrule.engine import Value, topological_order
from chainrule.nn import MLP, mse_loss
from chainrule.viz import write_step_through
from chainrule.viz.page_assets import OPS_SCRIPT, read_scripts

TARGET_SECONDS = 2.0
ENGINE_SCRIPTS = (
    "i18n.js",  # tape.js says a training overflow in the page's language
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


RESPONSIVE_SIZES = {305: (8, 8, 1), 985: (16, 16, 1)}
"""The step-through pages issue #18 times: nodes → the hidden layers of the MLP that makes them."""
RESPONSIVE_TARGETS_MS = {
    305: {"open": 300.0, "goto": 16.0, "setLeaf": 16.0},
    985: {"open": 600.0, "goto": 50.0, "setLeaf": 50.0},
}
"""Issue #18's targets: milliseconds until the next frame is painted, by nodes and action."""

PAINTED = """
const done = arguments[arguments.length - 1];
const start = performance.now();
window.chainrule[arguments[0]].apply(null, arguments[1]);
requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
"""
"""Run one action and answer the milliseconds until the frame after it is painted: rAF runs
before the frame's style, layout and paint, and a timeout set there runs after them."""

FIRST_PAINT = """
(function watch() {
  if (window.chainrule) {  // the page's script has run: the next frame is its first picture
    requestAnimationFrame(() => setTimeout(() => {
      window.chainrule_painted = performance.now();
    }, 0));
  } else {
    requestAnimationFrame(watch);
  }
}());
"""
"""Injected before the page's own script: when the page's first picture was painted."""


def mlp_page_graph(hidden: tuple[int, ...]) -> Value:
    """The MSE loss of MLP(2, hidden) on one sample (305 nodes for (8, 8, 1), 985 for
    (16, 16, 1))."""
    model = MLP(2, list(hidden), seed=0)
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


def responsiveness(rounds: int) -> dict[int, dict[str, list[float]]] | None:
    """Seconds until the next frame is painted, by page size: opening the page, ``goto`` from
    the second frame to the last backward step, and ``setLeaf`` there; None without Chromium.
    """
    if not _browser_ready():
        return None
    from tests.headless_chromium import headless_chromium

    results: dict[int, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as folder, headless_chromium("1400,900") as browser:
        browser.set_script_timeout(60)
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_PAINT})
        for hidden in RESPONSIVE_SIZES.values():
            root = mlp_page_graph(hidden)
            nodes = len(topological_order(root))
            page = write_step_through(root, Path(folder) / f"page{nodes}.html", max_nodes=nodes)
            times: dict[str, list[float]] = {"open": [], "goto": [], "setLeaf": []}
            for r in range(rounds):
                browser.get("about:blank")
                browser.get(page.as_uri())
                _settle(browser)
                times["open"].append(browser.execute_script("return window.chainrule_painted"))
                late = browser.execute_script("return window.chainrule.frameCount() - 2")
                leaf = browser.execute_script("return window.chainrule.leaves()[0]")
                browser.execute_script("window.chainrule.goto(1)")
                _settle(browser)
                times["goto"].append(browser.execute_async_script(PAINTED, "goto", [late]))
                _settle(browser)
                value = 0.3 + 0.1 * r
                times["setLeaf"].append(
                    browser.execute_async_script(PAINTED, "setLeaf", [leaf, value])
                )
            results[nodes] = {
                name: [ms / 1000.0 for ms in ms_list] for name, ms_list in times.items()
            }
    return results


def _settle(browser) -> None:
    """Wait until the page has painted every element, out of view too (at most 10 s)."""
    import time

    for _ in range(100):
        view = browser.execute_script("return window.chainrule.view && window.chainrule.view()")
        if not view or view.get("painted", True):
            break
        time.sleep(0.1)
    time.sleep(0.2)


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000.0


def responsiveness_targets(result: dict[int, dict[str, list[float]]] | None) -> list[str]:
    """Issue #18's rows of the targets table, each marked met or not (not measured: None)."""
    rows = []
    for nodes, targets in RESPONSIVE_TARGETS_MS.items():
        times = (result or {}).get(nodes)
        for action, limit in targets.items():
            what = ACTIONS[action]
            if not times or not times.get(action):
                rows.append(f"| {nodes}-node page: {what} ≤ {limit:.0f} ms | not measured |")
                continue
            median = median_ms(times[action])
            met = "met" if median <= limit else "**not met**"
            rows.append(f"| {nodes}-node page: {what} ≤ {limit:.0f} ms ({median:.1f} ms) | {met} |")
    return rows


ACTIONS = {
    "open": "opening the page",
    "goto": "`goto` to a late frame",
    "setLeaf": "`setLeaf` (what-if)",
}


def responsiveness_report(result: dict[int, dict[str, list[float]]] | None) -> list[str]:
    """RESULTS.md's section for the step page at size (issue #18): one row per page."""
    lines = ["## The step-through page at size: until the next frame is painted", ""]
    if result is None:
        return [*lines, "Not measured: headless Chromium (and Selenium) are not installed."]
    lines += [
        "The MSE loss of MLP(2, [8, 8, 1]) and of MLP(2, [16, 16, 1]) on one sample, in "
        "headless Chromium at 1400 × 900; each time runs until the frame after the action is "
        "painted (medians, with min–max).",
        "",
        "| page | " + " | ".join(ACTIONS.values()) + " |",
        "| --- |" + " ---: |" * len(ACTIONS),
    ]
    for nodes, times in result.items():
        cells = [
            f"{median_ms(times[a]):.1f} ms ({min(times[a]) * 1000:.0f}–{max(times[a]) * 1000:.0f})"
            for a in ACTIONS
        ]
        lines.append(f"| {nodes} nodes | " + " | ".join(cells) + " |")
    return lines


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


LAYOUT_TARGET = {"bytes": 2_000_000, "seconds": 1.5}
"""Issue #21's targets for the MLP page laid out in the browser: its size and time to open."""


def mlp_page() -> Value:
    """The MSE loss of MLP(2, [3, 1]) on one sample, as the step-through page's tests draw it."""
    model = MLP(2, [3, 1], seed=1)
    loss = mse_loss(model([0.5, -1.0]), Value(0.25, "y"))
    loss.label = "C"
    return loss


def _layout_pages() -> dict[str, Callable[[], Value]]:
    from chainrule.demo import neuron_with_parameters

    return {
        "neuron (the demo's)": lambda: neuron_with_parameters()[0],
        "MLP(2, [3, 1])": mlp_page,
        "MLP(2, [8, 7, 1])": graph_of_about_300_nodes,
    }


def page_layouts(rounds: int) -> dict[str, dict[str, object]] | None:
    """Each page's nodes and, by layout ("dot", "browser"), its bytes and seconds to open.

    A layout that cannot be written here (``dot`` without Graphviz) is left out; None without
    Chromium and Selenium.
    """
    if not _browser_ready():
        return None
    from tests.headless_chromium import headless_chromium

    layouts = ["browser"] if shutil.which("dot") is None else ["dot", "browser"]
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder, headless_chromium("1400,900") as browser:
        for number, (name, build) in enumerate(_layout_pages().items()):
            root = build()
            entry: dict[str, object] = {"nodes": len(topological_order(root))}
            for layout in layouts:
                page = write_step_through(
                    root, Path(folder) / f"{number}{layout}.html", layout=layout
                )
                seconds = [_open_seconds(browser, page) for _ in range(rounds)]
                entry[layout] = {"bytes": page.stat().st_size, "seconds": seconds}
            results[name] = entry
    return results


def _open_seconds(browser, page: Path) -> float:
    """Seconds from navigating to ``page`` to its ``chainrule-ready`` mark (at most 30 s)."""
    browser.get("about:blank")
    browser.get(page.as_uri())
    read = "return performance.getEntriesByName('chainrule-ready').map(m => m.startTime)"
    for _ in range(1500):
        ready = browser.execute_script(read)
        if ready:
            return ready[0] / 1000.0
        time.sleep(0.02)
    raise RuntimeError(f"{page.name} was not ready after 30 s")


def layout_report(result: dict[str, dict[str, object]] | None) -> list[str]:
    """RESULTS.md's section for pages with and without ``dot``, the MLP page's targets marked."""
    lines = ["## The step-through page with and without Graphviz's dot", ""]
    if result is None:
        return [*lines, "Not measured: headless Chromium (and Selenium) are not installed."]
    lines += [
        "Each page written laid out by Graphviz (`dot`, in Python) and by viz-js in the browser "
        "(no `dot`); its size, and the time from navigating to it from `file://` until it is "
        "ready to step (the `chainrule-ready` mark), in headless Chromium at 1400 × 900 "
        "(medians, with min–max).",
        "",
        "| page | nodes | with dot: size | with dot: open | without dot: size | "
        "without dot: open |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, entry in result.items():
        cells = [_layout_cells(entry.get(layout)) for layout in ("dot", "browser")]
        lines.append(f"| {name} | {entry['nodes']} | " + " | ".join(cells) + " |")
    mlp = result.get("MLP(2, [3, 1])", {}).get("browser")
    if mlp:
        size, median = mlp["bytes"], statistics.median(mlp["seconds"])
        met = size <= LAYOUT_TARGET["bytes"] and median < LAYOUT_TARGET["seconds"]
        lines += [
            "",
            f"Target (issue #21): the MLP page without dot at most "
            f"{LAYOUT_TARGET['bytes'] / 1e6:.0f} MB ({size / 1e6:.2f} MB) and open in under "
            f"{LAYOUT_TARGET['seconds']} s ({median * 1000:.0f} ms): "
            f"{'met' if met else '**not met**'}.",
        ]
    return lines


def _layout_cells(measured: object) -> str:
    if not isinstance(measured, dict):
        return "not measured | not measured"
    seconds = measured["seconds"]
    spread = f"{min(seconds) * 1000:.0f}–{max(seconds) * 1000:.0f}"
    median = median_ms(seconds)
    return f"{measured['bytes'] / 1e6:.2f} MB | {median:.0f} ms ({spread})"
