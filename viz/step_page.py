"""The step-through page: forward, backward and summary frames over one picture, and what-if.

One self-contained HTML file per graph. Python does what only Python can: it
lays the graph out once with Graphviz (every number padded to a fixed width,
so nothing moves when it changes) and writes the recorded graph and the op
table as JSON. The page's JavaScript (``viz/web/*.js``, assembled here into
one inline script) does the rest: it recomputes every value, local derivative
and gradient from the leaves with JavaScript twins of the op table's kernels,
narrates each frame from the op table's formulas, and restyles the one SVG for
every frame. It works from ``file://``, loads nothing, and its
Content-Security-Policy allows no request and only its own script.

    >>> from chainrule.engine import Value
    >>> from chainrule.viz import step_through_page
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> page = step_through_page((x * w).tanh(), title="One neuron")
    >>> page.frame_count      # 4 forward (x, w, x·w, tanh), 3 backward (one an edge), 1 summary
    8
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from string import Template

from ..engine import Value, export_ops
from ..nn import MLP
from .diagram import DEFAULT_MAX_NODES
from .graph_diagram import GradientState, GraphScene, TextWidths
from .markup import shorten, visible
from .page_assets import OPS_SCRIPT, WEB, content_security_policy, read_scripts, script_json
from .rendering import svg_texts
from .style import FILL, OP_FILL, ROLE_MEANING, SIGN_MEANING
from .svg_layout import layout_boxes

DEFAULT_TITLE = "Backprop, one chain-rule step at a time"
SCRIPTS = (
    "pyformat.js",
    "formula_runtime.js",
    OPS_SCRIPT,
    "backward.js",
    "engine.js",
    "narration.js",
    "view.js",
    "page.js",
)
"""The page's modules, in the order they build on each other."""

NUMBER = 10
"""Characters kept for a number in the picture: ``-0.0005447`` fits, so values can change."""
WIDTHS = {"data": 5 + NUMBER, "grad": 6 + NUMBER, "local": 6 + NUMBER, "carried": 5 + 2 * NUMBER}
EDGE_FONT_SIZE = 11
"""Graphviz's font size of the edge labels (viz.diagram), in SVG units."""

_SVG_START = re.compile(r"<svg\b[^>]*>", re.S)
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')


@dataclass(frozen=True)
class StepThroughPage:
    """A step-through page: ``html`` to save with :meth:`write`, or to show in a notebook."""

    title: str
    html: str
    frame_count: int

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (``.html`` added if it has no suffix); return the path."""
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.html, encoding="utf-8")
        return target

    def _repr_html_(self) -> str:
        """Jupyter shows the page inline, in a sandboxed frame that may run its own script only."""
        return (
            f'<iframe title="{html.escape(self.title)}" srcdoc="{html.escape(self.html)}" '
            'sandbox="allow-scripts" style="width:100%;height:820px;border:0"></iframe>'
        )


def step_through_page(
    root: Value,
    *,
    model: MLP | None = None,
    params: Iterable[Value] | None = None,
    title: str = DEFAULT_TITLE,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> StepThroughPage:
    """The step-through page of ``root``'s graph (the graph is read, never changed).

    Options are those of :func:`viz.draw_graph`. Nodes without a label get short
    automatic names (``t1``, ``t2`` …), shown in their boxes and used in the captions.
    """
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}: {title!r:.80}")
    title = visible(title)
    scene = GraphScene(
        root,
        model=model,
        params=params,
        rankdir=rankdir,
        max_nodes=max_nodes,
        caller="step_through_page",
    )
    names = display_names(scene.order)
    widths = TextWidths(
        grads={n: WIDTHS["grad"] for n in scene.order if not n.is_constant},
        carried={
            (n, k): WIDTHS["carried"]
            for n in scene.order
            for k, p in enumerate(n.parents)
            if not p.is_constant
        },
        data=WIDTHS["data"],
        local=WIDTHS["local"],
    )
    diagram = scene.draw(GradientState(grads={}, carried={}), widths=widths, names=names)
    (svg,) = svg_texts([diagram])
    boxes, labels = layout_boxes(svg)
    graph = {
        "nodes": [_node_record(node, scene, names) for node in scene.order],
        "ops": export_ops()["ops"],
        "widths": WIDTHS,
        "fontSize": EDGE_FONT_SIZE,
        "boxes": boxes,  # where Graphviz put each node and edge: the page frames them unmeasured
        "labels": labels,
    }
    steps = sum(1 for n in scene.order for p in n.parents if not p.is_constant)
    return StepThroughPage(title, _page(title, _inline(svg), graph), len(scene.order) + steps + 1)


def write_step_through(
    root: Value,
    path: str | os.PathLike[str],
    *,
    model: MLP | None = None,
    params: Iterable[Value] | None = None,
    title: str = DEFAULT_TITLE,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Path:
    """Write :func:`step_through_page` of ``root`` to ``path`` and return the path written.

    >>> import tempfile
    >>> from chainrule.engine import Value
    >>> from chainrule.viz import write_step_through
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> folder = tempfile.mkdtemp()
    >>> write_step_through((x * w).tanh(), f"{folder}/neuron").name
    'neuron.html'
    """
    page = step_through_page(
        root, model=model, params=params, title=title, rankdir=rankdir, max_nodes=max_nodes
    )
    return page.write(path)


def display_names(order: list[Value]) -> dict[Value, str]:
    """A unique name for every node but the constants: its label, or ``t1``, ``t2`` … in order.

    A label is shown as ``draw_graph`` shows it (visible, cut with ``…``); one
    that two nodes share gets ``_2``, ``_3`` … on its later nodes.
    """
    names: dict[Value, str] = {}
    taken: set[str] = {shorten(node.label) for node in order if node.label}
    seen: dict[str, int] = {}
    auto = 0
    for node in order:
        if node.is_constant:
            continue
        if node.label:
            label = shorten(node.label)
            seen[label] = seen.get(label, 0) + 1
            name = label if seen[label] == 1 else f"{label}_{seen[label]}"
        else:
            auto += 1
            name = f"t{auto}"
            while name in taken:
                auto += 1
                name = f"t{auto}"
        taken.add(name)
        names[node] = name
    return names


def _node_record(node: Value, scene: GraphScene, names: dict[Value, str]) -> dict[str, object]:
    op = node.op
    return {
        "name": names.get(node, ""),
        "label": node.label,
        "labelRepr": repr(node.label),
        "op": op.name if op is not None else None,
        "registered": bool(op is not None and op.registered),
        "parents": [scene.index[p] for p in node.parents],
        "attrs": list(node.attrs),
        "data": node.data,
        "localGrads": list(node.local_grads),
        "constant": node.is_constant,
        "role": scene.roles[node].value,
    }


def _page(title: str, svg: str, graph: dict[str, object]) -> str:
    script = read_scripts(SCRIPTS)
    template = Template((WEB / "page.html").read_text(encoding="utf-8"))
    return template.substitute(
        policy=content_security_policy(script),
        title=html.escape(title),
        style=(WEB / "page.css").read_text(encoding="utf-8"),
        svg=svg,
        legend=_legend(),
        graph=script_json(graph),
        script=script,
    )


def _inline(svg: str) -> str:
    """Graphviz's SVG document as an element to put in HTML: no XML prolog, no fixed size."""
    start = _SVG_START.search(svg)
    if start is None:
        raise RuntimeError("Graphviz returned no <svg> element")
    opening = _SIZE.sub("", start.group())
    return opening + svg[start.end() :].strip()


def _legend() -> str:
    items = [
        f'<li><span class="swatch" style="background:{FILL[role]}"></span>'
        f"{html.escape(meaning)}</li>"
        for role, meaning in ROLE_MEANING.items()
    ]
    items.append(
        f'<li><span class="swatch" style="background:{OP_FILL};border-radius:50%"></span>'
        "an operation</li>"
    )
    items += [
        f'<li><span class="line{" dashed" if colour == SIGN_MEANING[-1][0] else ""}" '
        f'style="border-color:{colour}"></span>{html.escape(meaning)}</li>'
        for colour, meaning in SIGN_MEANING
    ]
    items.append(
        "<li>grads carry their sign as text (+0.5, -1.5); edge label: local ∂out/∂in, then "
        "× upstream grad = gradient carried (edge width grows with it)</li>"
    )
    return '<ul class="legend" aria-label="legend">' + "".join(items) + "</ul>"
