"""Where Graphviz put each node and edge, read from its SVG, so the page frames them unmeasured.

The step-through page zooms and pans to the active node and edge. Asking the browser where
they are (``getBBox``, ``getBoundingClientRect``) forces a layout of thousands of texts on
every step, so Python reads the boxes once from the SVG Graphviz wrote and puts them in the
page's JSON, in the SVG's viewBox units.

A text's box is estimated from its characters: Graphviz writes where a text starts (or its
middle) and its font size, not its width, so a character is taken as ``CHAR_WIDTH`` of the
font size (monospace fonts are about 0.6 em; the padding spaces count, as the browser draws
them too).

    >>> svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">'
    ...        '<g id="graph" class="graph" transform="translate(4 46)">'
    ...        '<g id="v0" class="node"><path d="M0,-40L50,-40L50,-10L0,-10Z"/></g>'
    ...        '<g id="e1_0" class="edge"><path d="M50,-25C60,-25 70,-25 80,-25"/>'
    ...        '<text text-anchor="middle" x="65" y="-30" font-size="10.00">ab</text></g>'
    ...        '</g></svg>')
    >>> boxes, labels = layout_boxes(svg)
    >>> boxes["v0"]
    [4.0, 6.0, 54.0, 36.0]
    >>> labels["e1_0"]    # two characters of 10 units, centred on x = 65 + 4
    [62.8, 7.5, 75.2, 19.0]
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

CHAR_WIDTH = 0.62
"""A character's width in ems, a little over a monospace font's 0.6, so a box errs large."""

Box = list[float]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_TRANSLATE = re.compile(r"translate\(\s*(-?[\d.]+)[ ,]+(-?[\d.]+)\s*\)")


def layout_boxes(svg: str) -> tuple[dict[str, Box], dict[str, Box]]:
    """Each node's and edge's box ``[x0, y0, x1, y1]`` by SVG id, and each edge label's.

    ``boxes`` holds every ``<g class="node">`` and ``<g class="edge">`` with an id (shapes
    and texts together); ``labels`` the texts of the edges alone.
    """
    start = svg.find("<svg")
    root = ET.fromstring(svg[start:] if start >= 0 else svg)
    dx = dy = 0.0
    boxes: dict[str, Box] = {}
    labels: dict[str, Box] = {}
    for group in root.iter():
        if _local(group.tag) != "g":
            continue
        classes = group.get("class", "").split()
        kind = classes[0] if classes else ""  # "node backward-made role-local" is a node too
        if kind == "graph":
            move = _TRANSLATE.search(group.get("transform", ""))
            if move:
                dx, dy = float(move.group(1)), float(move.group(2))
            continue
        name = group.get("id")
        if kind not in ("node", "edge") or not name:
            continue
        shapes = _union(_shape_box(element) for element in group.iter())
        texts = _union(_text_box(element) for element in group.iter())
        whole = _union([shapes, texts])
        if whole is not None:
            boxes[name] = _moved(whole, dx, dy)
        if kind == "edge" and texts is not None:
            labels[name] = _moved(texts, dx, dy)
    return boxes, labels


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _union(boxes) -> Box | None:
    present = [box for box in boxes if box is not None]
    if not present:
        return None
    return [
        min(b[0] for b in present),
        min(b[1] for b in present),
        max(b[2] for b in present),
        max(b[3] for b in present),
    ]


def _moved(box: Box, dx: float, dy: float) -> Box:
    x0, y0, x1, y1 = box
    return [round(x0 + dx, 1), round(y0 + dy, 1), round(x1 + dx, 1), round(y1 + dy, 1)]


def _shape_box(element: ET.Element) -> Box | None:
    """The box of a path's points (a Bézier curve stays inside its control points), a polygon's
    or an ellipse's; None for anything else."""
    tag = _local(element.tag)
    if tag == "ellipse":
        cx, cy = float(element.get("cx", 0)), float(element.get("cy", 0))
        rx, ry = float(element.get("rx", 0)), float(element.get("ry", 0))
        return [cx - rx, cy - ry, cx + rx, cy + ry]
    points = element.get("d") if tag == "path" else None
    if tag in ("polygon", "polyline"):
        points = element.get("points")
    if not points:
        return None
    numbers = [float(n) for n in _NUMBER.findall(points)]
    xs, ys = numbers[0::2], numbers[1::2]
    if not xs or not ys:
        return None
    return [min(xs), min(ys), max(xs), max(ys)]


def _text_box(element: ET.Element) -> Box | None:
    if _local(element.tag) != "text":
        return None
    size = float(element.get("font-size", "14"))
    width = len("".join(element.itertext())) * size * CHAR_WIDTH
    x, y = float(element.get("x", 0)), float(element.get("y", 0))
    anchor = element.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return [left, y - size * 0.85, left + width, y + size * 0.3]
