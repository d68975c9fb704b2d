"""Measure the two candidates for rendering without `dot` against `dot` itself (issue #21).

    .venv/bin/pip install pygraphviz==2.0 graphviz-pure==0.2.2
    .venv/bin/python scripts/compare_renderers.py

Four of chainrule's diagrams go through each renderer: the demo's neuron graph after
backward, the demo's 2-3-1 network view with its cost, a backward frame with a highlighted
edge, and a second-order graph with the colour legend (HTML-like labels in clusters and a
table). For each it prints the size of the drawing next to `dot`'s, whether every
``<g>`` keeps the id and class `dot` gives it (the step page and the tests find nodes by
them), and how long the rendering took; then it checks each renders PNG. Each SVG is
screenshotted in headless Chromium and the three are stacked, `dot`'s on top, into
docs/images/renderers/<diagram>.png, to look at.
"""

from __future__ import annotations

import io
import subprocess
import sys
import sysconfig
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# importable once the repository is on the path
from chainrule.engine import Value, grad  # noqa: E402
from chainrule.nn import MLP, bp_check  # noqa: E402
from chainrule.viz import backward_frames, draw_graph, draw_network  # noqa: E402
from chainrule.viz.diagram import Diagram  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from chainrule import bp_check_command, demo  # noqa: E402
from tests.headless_chromium import headless_chromium  # noqa: E402

OUT = ROOT / "docs" / "images" / "renderers"
WIDTH = 760
"""Each screenshot is scaled to this many pixels wide, so the three line up."""


def diagrams() -> dict[str, Diagram]:
    """The four diagrams compared, by the name of their picture."""
    o, params = demo.neuron_with_parameters()
    o.backward()
    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
    x, y = bp_check_command.random_sample(model, seed=1)
    bp_check(model, x, y)  # leaves the gradients on the model, as in the demo
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    product = a * b
    product.label = "c"
    frames = backward_frames((product + a).tanh(), highlight=[product, (product, 0)])
    w = Value(0.5, "w")
    neuron = (Value(1.5, "x") * w).tanh()
    neuron.label = "o"
    (derivative,) = grad(neuron, [w], create_graph=True)
    derivative.backward()
    return {
        "neuron": draw_graph(o, params=params),
        "network": draw_network(model, target=y),
        "backward_frame": frames[3],
        "second_order_legend": draw_graph(derivative, legend=True),
    }


def with_dot(source: str, format: str) -> bytes:
    return _run(["dot", f"-T{format}"], source)


def with_graphviz_pure(source: str, format: str) -> bytes:
    program = Path(sysconfig.get_path("scripts")) / "graphviz-pure"
    return _run([str(program), f"-T{format}"], source)


def with_pygraphviz(source: str, format: str) -> bytes:
    import pygraphviz

    return pygraphviz.AGraph(string=source).draw(format=format, prog="dot")


def _run(command: list[str], source: str) -> bytes:
    return subprocess.run(
        command, input=source.encode("utf-8"), capture_output=True, check=True
    ).stdout


RENDERERS: dict[str, Callable[[str, str], bytes]] = {
    "dot": with_dot,
    "pygraphviz": with_pygraphviz,
    "graphviz-pure": with_graphviz_pure,
}


def groups(svg: bytes) -> set[tuple[str, str]]:
    """Every ``<g>``'s (id, class): what the pages and the tests look elements up by."""
    root = ET.fromstring(svg[svg.find(b"<svg") :])
    return {
        (element.get("id", ""), element.get("class", ""))
        for element in root.iter("{http://www.w3.org/2000/svg}g")
    }


def size(svg: bytes) -> tuple[float, float]:
    root = ET.fromstring(svg[svg.find(b"<svg") :])
    return float(root.get("width", "0pt")[:-2]), float(root.get("height", "0pt")[:-2])


def screenshot(driver, svg: bytes, folder: Path) -> Image.Image:
    path = folder / "shot.svg"
    path.write_bytes(svg)
    driver.get(path.as_uri())
    picture = Image.open(io.BytesIO(driver.find_element("tag name", "svg").screenshot_as_png))
    scale = WIDTH / picture.width
    return picture.convert("RGB").resize((WIDTH, round(picture.height * scale)))


def stacked(shots: dict[str, Image.Image]) -> Image.Image:
    """The screenshots one above the other, each under its renderer's name."""
    caption = 18
    height = sum(shot.height + caption for shot in shots.values())
    sheet = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(sheet)
    top = 0
    for name, shot in shots.items():
        draw.rectangle((0, top, WIDTH, top + caption - 1), fill="#eeeeee")
        draw.text((6, top + 3), name, fill="black")
        sheet.paste(shot, (0, top + caption))
        top += caption + shot.height
    return sheet


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    print("| diagram | renderer | size (pt) | <g> ids and classes as dot's | time (ms) | PNG |")
    print("| --- | --- | --- | --- | --- | --- |")
    with headless_chromium("2400,1600") as driver, tempfile.TemporaryDirectory() as folder:
        for name, diagram in diagrams().items():
            reference = with_dot(diagram.source, "svg")
            shots = {}
            for renderer, run in RENDERERS.items():
                start = time.perf_counter()
                svg = run(diagram.source, "svg")
                elapsed = (time.perf_counter() - start) * 1000
                png = run(diagram.source, "png")
                width, height = size(svg)
                missing = groups(reference) - groups(svg)
                same = "yes" if not missing else f"{len(missing)} differ"
                is_png = "yes" if png.startswith(b"\x89PNG\r\n\x1a\n") else "no"
                print(
                    f"| {name} | {renderer} | {width:.0f} × {height:.0f} | {same} "
                    f"| {elapsed:.0f} | {is_png} |"
                )
                shots[renderer] = screenshot(driver, svg, Path(folder))
            picture = stacked(shots).convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
            picture.save(OUT / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main()
