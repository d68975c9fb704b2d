"""The step-through page: forward, backward and summary frames over one picture, and what-if.

One self-contained HTML file per graph. Python does what only Python can: it
lays the graph out once with Graphviz (every number padded to a fixed width,
so nothing moves when it changes) and writes the recorded graph and the op
table as JSON. The page's JavaScript (``viz/web/*.js``, assembled here into
one inline script) does the rest: it recomputes every value, local derivative
and gradient from the leaves with JavaScript twins of the op table's kernels,
narrates each frame from the op table's formulas, and restyles the one SVG for
every frame. Without ``dot`` (or with ``layout="browser"``) the page carries the DOT
source and lays the graph out itself when it opens (:mod:`viz.browser_layout`), into the
same SVG. A graph made by ``grad(…, create_graph=True)`` steps like any other: its
forward frames say what each backward-made node is (``∂o/∂n, made a node by
create_graph``), its backward frames step the derivative's own backward pass (the next
order), and each backward-made node's box is marked ``class="… backward-made role-local"``
and ``data-role="local"`` (``product``, ``sum``). It works from ``file://``, loads nothing, and its
Content-Security-Policy allows no request and only its own script.

Every word on the page is a message of the catalogue (``engine/messages/page.json`` for
its controls and legend, ``captions.json`` for its captions): the page is written in one
language (``lang=``, else the current one) and carries both, so its English / 中文 switch
(``viz/web/i18n.js``) writes every text again in place, and ``lang=`` in its address
chooses.

    >>> from chainrule.engine import Value
    >>> from chainrule.viz import step_through_page
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> page = step_through_page((x * w).tanh(), title="One neuron")
    >>> page.frame_count      # 4 forward (x, w, x·w, tanh), 3 backward (one an edge), 1 summary
    8
"""

from __future__ import annotations

import heapq
import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from string import Template

from ..engine import Value, export_ops, node_names
from ..engine.i18n import export_messages, language, message, recording, using_language
from ..engine.narration import name_of
from ..nn import MLP
from .browser_layout import HTML_LANG, LAYOUT_SCRIPTS, dot_element, frame, in_browser
from .diagram import DEFAULT_MAX_NODES
from .graph_diagram import GradientState, GraphScene, TextWidths
from .markup import shorten, visible
from .page_assets import (
    OPS_SCRIPT,
    WEB,
    content_security_policy,
    read_scripts,
    script_json,
)
from .rendering import svg_texts
from .style import ACTIVE, BACKWARD_FILL, FILL, OP_FILL, ROLE_KEYS, SIGN_KEYS
from .svg_layout import layout_boxes

SCRIPTS = (
    "i18n.js",
    "pyformat.js",
    "formula_runtime.js",
    OPS_SCRIPT,
    "backward.js",
    "engine.js",
    "narration.js",
    "view.js",
    "page.js",
    "start.js",
)
"""The page's modules, in the order they build on each other (``start.js`` starts it)."""
MESSAGES = ("page", "captions", "engine")
"""The catalogue's areas the page shows: its controls, its captions, the engine's errors;
and of the diagrams' area, the legend's meanings (:func:`_messages`)."""

NUMBER = 10
"""Characters kept for a number in the picture: ``-0.0005447`` fits, so values can change."""
WIDTHS = {"data": 5 + NUMBER, "grad": 6 + NUMBER, "local": 6 + NUMBER, "carried": 5 + 2 * NUMBER}
FRAME_HEIGHT = 820
"""The height of a notebook's frame around the page, in pixels."""
EDGE_FONT_SIZE = 11
"""Graphviz's font size of the edge labels (viz.diagram), in SVG units."""

_SVG_START = re.compile(r"<svg\b[^>]*>", re.S)
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_DASH = "(?:-|&#45;)"
_MADE = re.compile(rf'(<g id="v\d+" class="node[^"]*\bbackward{_DASH}made role{_DASH}(\w+)")')
"""A backward-made node's box in Graphviz's SVG (which writes a class's ``-`` as ``&#45;``)."""


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
        return frame(self.html, self.title, FRAME_HEIGHT)


def step_through_page(
    root: Value,
    *,
    model: MLP | None = None,
    params: Iterable[Value] | None = None,
    title: str | None = None,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
    layout: str = "auto",
    lang: str | None = None,
) -> StepThroughPage:
    """The step-through page of ``root``'s graph (the graph is read, never changed).

    Options are those of :func:`viz.draw_graph`. Nodes without a label get short
    automatic names (``t1``, ``t2`` …), shown in their boxes and used in the captions.
    ``layout``: ``"dot"`` lays the graph out here with Graphviz, ``"browser"`` when the page
    opens, ``"auto"`` with ``dot`` when it is on PATH (see :mod:`viz.browser_layout`).
    ``lang`` (``"en"`` or ``"zh"``; default the current language, :func:`chainrule.set_language`)
    is the language the page opens in; it carries both, and its switch changes every text in
    place. ``title`` defaults to the page's own, in that language.
    """
    with using_language(lang):
        browser = in_browser(layout)
        if title is not None and not isinstance(title, str):
            raise TypeError(f"title must be a str, got {type(title).__name__}: {title!r:.80}")
        own_title = title is not None
        title = visible(title) if title is not None else message("page.default_title")
        scene = GraphScene(
            root,
            model=model,
            params=params,
            rankdir=rankdir,
            max_nodes=max_nodes,
            caller="step_through_page",
        )
        names = display_names(scene.order)  # topological_order's: the names chainrule step prints
        scene.reorder(learner_order(scene.order, scene.layers))
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
        with recording() as written:
            diagram = scene.draw(GradientState(grads={}, carried={}), widths=widths, names=names)
        graph: dict[str, object] = {
            # the picture's words (cluster titles) in both languages, for the switch; by their
            # words alone, as Graphviz may write a run of spaces with no-break ones
            "pictureTexts": {
                " ".join(text.split()): both
                for text, both in written.items()
                if len(set(both.values())) > 1
            },
            "nodes": [_node_record(node, scene, names) for node in scene.order],
            "ops": export_ops()["ops"],
            "widths": WIDTHS,
            "fontSize": EDGE_FONT_SIZE,
        }
        steps = sum(1 for n in scene.order for p in n.parents if not p.is_constant)
        if browser:  # layout.js lays it out, shapes the SVG and measures the boxes as below
            page = _page(title, own_title, "", graph, backward=bool(scene.made), dot=diagram.source)
        else:
            (svg,) = svg_texts([diagram])
            # where Graphviz put each node and edge: the page frames them unmeasured
            graph["boxes"], graph["labels"] = layout_boxes(svg)
            svg = _MADE.sub(r'\1 data-role="\2"', _inline(svg))
            page = _page(title, own_title, svg, graph, backward=bool(scene.made))
        return StepThroughPage(title, page, len(scene.order) + steps + 1)


def write_step_through(
    root: Value,
    path: str | os.PathLike[str],
    *,
    model: MLP | None = None,
    params: Iterable[Value] | None = None,
    title: str | None = None,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
    layout: str = "auto",
    lang: str | None = None,
) -> Path:
    """Write :func:`step_through_page` of ``root`` to ``path`` (in ``lang``, default the
    current language) and return the path written.

    >>> import tempfile
    >>> from chainrule.engine import Value
    >>> from chainrule.viz import write_step_through
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> folder = tempfile.mkdtemp()
    >>> write_step_through((x * w).tanh(), f"{folder}/neuron").name
    'neuron.html'
    """
    page = step_through_page(
        root,
        model=model,
        params=params,
        title=title,
        rankdir=rankdir,
        max_nodes=max_nodes,
        layout=layout,
        lang=lang,
    )
    return page.write(path)


def learner_order(order: list[Value], layers: dict[Value, int]) -> list[Value]:
    """The graph (``order``, topological) in the order a learner reads it forward.

    First the inputs (the model's layer 0, or any leaf that feeds more than one node), then
    the operations layer by layer (``layers``, from ``model=``; without a model, by distance
    from the leaves), neuron by neuron inside a layer, the loss last. Every other leaf (a
    weight, a bias, a constant such as the ½ of a loss, a target) comes just before the
    first operation that uses it. The order stays topological.
    """
    index = {node: i for i, node in enumerate(order)}
    height: dict[Value, int] = {}
    users: dict[Value, set[Value]] = {}
    for node in order:
        height[node] = 1 + max((height[p] for p in node.parents), default=-1)
        for parent in node.parents:
            users.setdefault(parent, set()).add(node)
    last = len(order)

    def key(node: Value) -> tuple[int, int]:
        stage = layers.get(node, last) if layers else height[node]
        return (stage, index[node])

    result = [
        node
        for node in order
        if not node.parents
        and not node.is_constant
        and (layers.get(node) == 0 or len(users.get(node, ())) > 1)
    ]
    placed = set(result)
    waiting = {node: sum(1 for p in set(node.parents) if p.parents) for node in order}
    ready = [(key(n), n) for n in order if n.parents and waiting[n] == 0]
    heapq.heapify(ready)
    while ready:
        _, node = heapq.heappop(ready)
        for parent in node.parents:
            if parent not in placed:
                placed.add(parent)
                result.append(parent)
        placed.add(node)
        result.append(node)
        for user in users.get(node, ()):
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, (key(user), user))
    result += [node for node in order if node not in placed]  # a root that is a leaf
    return result


def display_names(order: list[Value]) -> dict[Value, str]:
    """A unique name for every node but the constants: its label, or ``t1``, ``t2`` … in order.

    :func:`engine.node_names`, each label shown as ``draw_graph`` shows it (visible, cut
    with ``…``): the names of ``chainrule step``, of the diagrams and of this page agree.
    """
    return node_names(order, shorten)


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
        "formulas": [op.shown_formula(k, node.attrs) for k in range(len(op.formulas))]
        if op is not None
        else [],
        "data": node.data,
        "localGrads": list(node.local_grads),
        "constant": node.is_constant,
        "role": scene.roles[node].value,
        "group": _group(node, scene),
        "backward": _backward_record(node, scene, names),
    }


def _backward_record(
    node: Value, scene: GraphScene, names: dict[Value, str]
) -> dict[str, str] | None:
    """For a node a recorded backward pass made: its role's kind, its edge (``∂o/∂n``) and
    the node it serves, in the page's names, for the captions to say what it is in either
    language (``∂o/∂n, made a node by create_graph``, as ``role.describe``); else None."""
    role = scene.made.get(node)
    if role is None:
        return None
    return {
        "kind": role.kind,
        "edge": role.edge_named(names),
        "node": name_of(role.node, names=names),
        "op": role.op,
    }


def _group(node: Value, scene: GraphScene) -> dict[str, object] | None:
    """Where the Summary lists a leaf: ``{"kind": "layer", "layer": 1}`` (``layer 1``), kind
    ``output`` (``output layer 2``), ``inputs`` or ``loss``, each a message of the captions
    (``captions.group_layer`` …); None for a graph drawn without ``model=``."""
    if not scene.layers:
        return None
    layer = scene.layers.get(node)
    if layer is None:
        return {"kind": "loss"}
    if layer == 0:
        return {"kind": "inputs"}
    last = max(scene.layers.values())
    return {"kind": "output" if layer == last else "layer", "layer": layer}


def _page(
    title: str,
    own_title: bool,
    svg: str,
    graph: dict[str, object],
    *,
    backward: bool = False,
    dot: str = "",
) -> str:
    """The page: ``svg`` laid out by Python, or (``svg`` empty) the ``dot`` source to lay out.

    Written in the current language; a title of the page's own (not ``own_title``) is a
    message, so the switch changes it too.
    """
    script = read_scripts((*LAYOUT_SCRIPTS, *SCRIPTS) if dot else SCRIPTS)
    template = Template(_written((WEB / "page.html").read_text(encoding="utf-8")))
    return template.substitute(
        policy=content_security_policy(script, wasm=bool(dot)),
        lang=HTML_LANG[language()],
        title=html.escape(title),
        title_key="" if own_title else ' data-i18n="page.default_title"',
        style=(WEB / "page.css").read_text(encoding="utf-8"),
        svg=svg,
        legend=_legend(backward=backward),
        messages=_messages(),
        graph=script_json(graph),
        dot=dot_element([dot]) if dot else "",
        script=script,
    )


_EMPTY_MESSAGE = re.compile(r'(\bdata-i18n="([\w.]+)"[^>]*>)(?=</)')
"""An empty element of ``page.html`` whose text is the message its ``data-i18n`` names."""
_MESSAGE_ATTRIBUTES = re.compile(r'\bdata-i18n-attr="([^"]*)"')
"""``data-i18n-attr="aria-label:page.zoom_in title:page.fit_tip"``: attributes from messages."""


def _written(template: str) -> str:
    """``page.html`` in the current language: each empty ``data-i18n`` element's text, and
    each ``data-i18n-attr``'s attributes, written from the catalogue.

    The page opens in it before any script runs; ``i18n.js`` writes the same texts and
    attributes again on a switch.
    """

    def escaped(key: str) -> str:  # for an attribute and for string.Template alike
        return html.escape(message(key)).replace("$", "$$")

    def attributes(match: re.Match[str]) -> str:
        pairs = (pair.split(":", 1) for pair in match.group(1).split())
        return match.group(0) + "".join(f' {name}="{escaped(key)}"' for name, key in pairs)

    texts = _EMPTY_MESSAGE.sub(lambda match: match.group(1) + escaped(match.group(2)), template)
    return _MESSAGE_ATTRIBUTES.sub(attributes, texts)


def _messages() -> str:
    """The page's messages as ``viz.page_assets.messages_json`` writes them: its areas, and
    the legend's meanings from the diagrams' (``viz.style.ROLE_KEYS``, ``SIGN_KEYS``), which
    say the same there; only those, so the page carries no other text of the diagrams'."""
    exported = export_messages(*MESSAGES)
    legend = {*ROLE_KEYS.values(), *(key for _, key in SIGN_KEYS)}
    for lang, texts in export_messages("diagram").items():
        exported[lang].update((key, text) for key, text in texts.items() if key in legend)
    return script_json({"language": language(), "messages": exported})


def _inline(svg: str) -> str:
    """Graphviz's SVG document as an element to put in HTML: no XML prolog, no fixed size."""
    start = _SVG_START.search(svg)
    if start is None:
        raise RuntimeError("Graphviz returned no <svg> element")
    opening = _SIZE.sub("", start.group())
    return opening + svg[start.end() :].strip()


def _legend(*, backward: bool = False) -> str:
    """The legend: a swatch and its meaning per line, each meaning a message (the diagrams'
    legend's where it says the same)."""

    def item(swatch: str, key: str) -> str:
        return f'<li>{swatch}<span data-i18n="{key}">{html.escape(message(key))}</span></li>'

    items = [
        item(f'<span class="swatch" style="background:{FILL[role]}"></span>', key)
        for role, key in ROLE_KEYS.items()
    ]
    if backward:
        swatch = f'<span class="swatch backward-made" style="background:{BACKWARD_FILL}"></span>'
        items.append(item(swatch, "page.legend_backward_made"))
    swatch = f'<span class="swatch" style="background:{OP_FILL};border-radius:50%"></span>'
    items.append(item(swatch, "page.legend_operation"))
    items += [
        item(
            f'<span class="line{" dashed" if colour == ACTIVE else ""}" '
            f'style="border-color:{colour}"></span>',
            key,
        )
        for colour, key in SIGN_KEYS
    ]
    items.append(item("", "page.legend_edges"))
    return (
        '<ul class="legend" data-i18n-attr="aria-label:page.legend" '
        f'aria-label="{html.escape(message("page.legend"))}">' + "".join(items) + "</ul>"
    )
