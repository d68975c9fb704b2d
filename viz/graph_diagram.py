"""``draw_graph``: the computation graph of a Value, with every gradient that flows through it.

Each value is a box ``label | data | grad``; each operation is an oval between
its operands and its result, so ``c = a * b`` is drawn ``a → (×) → c ← b``.
The edge from an operand into an operation is where the chain rule happens:
its label gives the local derivative ``∂out/∂in`` and, after backward, the
gradient it carried back, ``local × upstream`` (``upstream`` being ``∂C/∂out``).
``x * x`` uses ``x`` twice, so it is drawn with two edges, each carrying its share.

A constant (the 2 in ``2 * x``) is a grey box with its number and no grad:
it takes no gradient, so the edge from it is thin and grey and shows only its
local derivative. Given ``model=`` (an ``nn.MLP``), the graph is boxed one
layer each, read from the model's own objects (:mod:`viz.layers`).

A graph made by ``grad(…, create_graph=True)`` holds the original computation and the
nodes its recorded backward pass made (``node.role`` set): those are filled cyan and boxed,
one box per op of the original graph whose derivative they serve ("backward of
o = tanh(n)"), so the computation and its derivative are told apart at a glance.

Colours follow the legend of :mod:`viz.style`; ``legend=True`` draws it. ``highlight=``
draws chosen nodes and edges in red with a thick pen, e.g. the wrong local derivative that
``check_local_grads`` found: ``draw_graph(root, highlight=[result.first_wrong.edge])``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..engine import (
    BackwardStep,
    EdgeCheck,
    Value,
    format_number,
    name_of,
    node_names,
    topological_order,
)
from ..engine import Role as BackwardRole
from ..engine.i18n import message
from ..engine.narration import power_text, spelled
from ..nn import MLP
from .diagram import (
    DEFAULT_MAX_NODES,
    Diagram,
    check_rankdir,
    check_root,
    check_size,
    in_language,
    new_diagram,
)
from .layers import check_model, layer_title, layers_of
from .markup import caption as shown_caption
from .markup import cell, font, label, padded, shorten, table, text, user_text
from .style import (
    ACTIVE,
    BACKWARD_CLUSTER,
    BACKWARD_FILL,
    BACKWARD_FRAME,
    FILL,
    FRAME,
    HIGHLIGHT,
    HIGHLIGHT_WIDTH,
    NEUTRAL,
    NUMBER_FONT,
    OP_FILL,
    Role,
    largest_magnitude,
    legend_table,
    pen_width,
    sign_colour,
)

FORWARD_ONLY = "diagram.forward_only"
"""The key of the caption of a graph drawn before any backward pass."""
ORIGINAL_TITLE = "diagram.original_title"
"""The key of the title of the box around the original graph's nodes, in a graph with
backward-made ones."""

Edge = tuple[Value, int]
"""An edge into an operation: (the result node, the operand's position among its parents)."""

Highlight = Value | Edge | EdgeCheck
"""What ``highlight=`` takes: a node, an edge ``(node, operand)``, or an edge that
``check_local_grads`` reported (an ``EdgeCheck``)."""


@dataclass(frozen=True)
class GradientState:
    """How much of backprop a picture shows.

    ``grads``    the grad of each node known so far (a missing node has none yet)
    ``carried``  for each edge done, (upstream grad, gradient carried = local × upstream);
                 an edge from a constant carries nothing and is never here
    ``active``   the step being applied, highlighted (step-through frames only)
    """

    grads: Mapping[Value, float]
    carried: Mapping[Edge, tuple[float, float]]
    active: BackwardStep | None = None


@dataclass(frozen=True)
class TextWidths:
    """Characters reserved for each changing number, so every frame has the same layout.

    ``grads`` and ``carried`` per node and edge; ``data`` and ``local`` for every
    node's data cell and every edge's first line (0: as wide as the number).
    """

    grads: Mapping[Value, int] = field(default_factory=dict)
    carried: Mapping[Edge, int] = field(default_factory=dict)
    data: int = 0
    local: int = 0


@in_language
def draw_graph(
    root: Value,
    *,
    model: MLP | None = None,
    rankdir: str = "LR",
    params: Iterable[Value] | None = None,
    legend: bool = False,
    max_nodes: int = DEFAULT_MAX_NODES,
    highlight: Iterable[Highlight] = (),
    caption: str = "",
    lang: str | None = None,
) -> Diagram:
    """Draw the computation graph that produced ``root``, with data, grads and edge gradients.

    ``model``      the ``nn.MLP`` that built the graph: box it one layer each, and colour
                   ``model.parameters()`` as parameters (unless ``params`` says otherwise)
    ``rankdir``    ``"LR"`` (inputs left, as the forward pass goes), ``"TB"``, ``"RL"``, ``"BT"``
    ``params``     the leaves to colour as parameters (default: the model's, or none)
    ``legend``     draw the colour legend above the graph
    ``max_nodes``  refuse (``GraphTooLargeError``) a graph with more Value nodes than this
    ``highlight``  nodes (Values) and edges (``(node, operand)``: the edge from
                   ``node.parents[operand]`` into ``node``'s op; or an ``EdgeCheck`` of
                   ``check_local_grads``) to draw in red with a thick pen; with ``legend=True``
                   the legend says what red means. An item that is not one of these is a
                   ``TypeError``, a node outside the graph or an operand it does not have a
                   ``ValueError``.
    ``caption``    a sentence shown above the graph (shown as text, cut like a label)
    ``lang``       the language of the diagram's words, ``"en"`` or ``"zh"`` (default: the
                   current one, :func:`engine.i18n.language`); numbers, names and formulas
                   are the same in both, and so are the rows ``data``, ``grad`` and the
                   edges' ``local``, named as in the code (``x.data``, ``x.grad``)

    Every label (and a hand-made op's name) is shown as visible text, whatever
    it holds (:mod:`viz.markup`): ``\\n`` breaks the line, other control
    characters show as control pictures (␀, ␛) or ``\\x85`` escapes, a lone
    surrogate as U+FFFD, and a label is cut with ``…`` past 60 characters a
    line and 4 lines (``markup.MAX_LINE_CHARS``, ``markup.MAX_LABEL_LINES``).
    A NaN or infinite grad is drawn as its text (``grad inf``) on an edge of
    finite width.

    Before any backward pass (``root.grad == 0``) the diagram says it is
    forward-only instead of showing zero gradients. Drawing reads the graph and
    never changes a node.

        >>> from chainrule.engine import Value
        >>> from chainrule.viz import draw_graph
        >>> x = Value(3.0, "x")
        >>> y = x * x
        >>> y.backward()
        >>> "× 1.0 = 3.0" in draw_graph(y).source   # each of the two edges carries 3
        True
    """
    scene = GraphScene(
        root, model=model, params=params, rankdir=rankdir, max_nodes=max_nodes, highlight=highlight
    )
    if not isinstance(caption, str):
        raise TypeError(f"draw_graph caption= takes a str, got {type(caption).__name__}")
    if root.grad == 0.0:
        forward = message(FORWARD_ONLY)
        shown = f"{caption}\n{forward}" if caption else forward
        return scene.draw(None, caption=shown, legend=legend)
    state = GradientState(
        grads={node: node.grad for node in scene.order if not node.is_constant},
        carried={
            (node, operand): (node.grad, local * node.grad)
            for node in scene.order
            for operand, (parent, local) in enumerate(
                zip(node.parents, node.local_grads, strict=True)
            )
            if not parent.is_constant
        },
    )
    return scene.draw(state, caption=caption, legend=legend)


@in_language
def draw_legend(*, lang: str | None = None) -> Diagram:
    """The colour legend on its own (see :mod:`viz.style` for what each colour means),
    in ``lang`` (``"en"`` or ``"zh"``; default: the current language)."""
    diagram = new_diagram("LR")
    diagram.node("legend", label=label(legend_table()), shape="plain")
    return diagram


class GraphScene:
    """A graph prepared for drawing (ids, roles, layers), to draw once or once per frame."""

    def __init__(
        self,
        root: Value,
        *,
        model: MLP | None = None,
        params: Iterable[Value] | None,
        rankdir: str,
        max_nodes: int,
        caller: str = "draw_graph",
        highlight: Iterable[Highlight] = (),
    ) -> None:
        self.root = check_root(root, caller)
        model = check_model(model, caller)
        check_rankdir(rankdir)
        self.order = topological_order(root)
        check_size(len(self.order), max_nodes, caller)
        self.rankdir = rankdir
        self.index = {node: i for i, node in enumerate(self.order)}
        chosen = _parameter_set(params, caller)
        if chosen is None:
            chosen = set(model.parameters()) if model is not None else set()
        self.roles = _roles(self.order, root, chosen)
        self.made: dict[Value, BackwardRole] = {
            node: node.role for node in self.order if node.role is not None
        }
        """The nodes a recorded backward pass made, each with its role there."""
        self.layers = layers_of(self.order, model) if model is not None else {}
        self.highlighted_nodes, self.highlighted_edges = _highlights(highlight, self, caller)

    def reorder(self, order: list[Value]) -> None:
        """Use ``order`` (the same nodes, another topological order) for ids and drawing."""
        if set(order) != set(self.order) or len(order) != len(self.order):
            raise ValueError("reorder takes the same nodes in another order")
        self.order = order
        self.index = {node: i for i, node in enumerate(order)}

    def draw(
        self,
        state: GradientState | None,
        *,
        caption: str = "",
        legend: bool = False,
        widths: TextWidths | None = None,
        largest: float | None = None,
        prefix: str = "",
        names: Mapping[Value, str] | None = None,
    ) -> Diagram:
        """One picture of the graph.

        ``state`` None draws the forward pass only. ``widths`` (frames) keeps a
        grad cell on every node and pads every number to a fixed width.
        ``largest`` is the gradient drawn at full edge width (default: the
        largest in ``state``). ``prefix`` starts every SVG id, so many frames
        can share one HTML page. ``names`` gives each node the name shown in its box
        (default :func:`engine.node_names`: its label, or ``t1``, ``t2`` … as in
        ``chainrule step`` and the step-through page).
        """
        diagram = new_diagram(self.rankdir, graph_id=f"{prefix}graph")
        highlighted = bool(self.highlighted_nodes or self.highlighted_edges)
        heading = _heading(caption, legend, highlighted=highlighted, backward=bool(self.made))
        if heading:
            diagram.attr(label=label(heading), labelloc="t")
        if largest is None:
            largest = _largest(state)
        if names is None:
            names = node_names(self.order, shorten)
        painter = _Painter(self, state, widths, largest, prefix, names)
        last_layer = max(self.layers.values(), default=0)
        for layer in sorted(set(self.layers.values())):
            with diagram.subgraph(name=f"cluster_layer{layer}") as box:
                box.attr(
                    id=f"{prefix}layer{layer}",
                    label=label(text(layer_title(layer, last_layer))),
                    style="rounded",
                    color="#cbd5e1",
                    bgcolor="#f8fafc",
                    fontsize="11",
                )
                painter.nodes(
                    box,
                    [n for n in self.order if self.layers.get(n) == layer and n not in self.made],
                )
        for k, (served, members) in enumerate(self.backward_groups().items()):
            with diagram.subgraph(name=f"cluster_backward{k}") as box:
                box.attr(
                    id=f"{prefix}backward{k}",
                    label=label(text(backward_title(served, names))),
                    style="rounded,filled",
                    color=BACKWARD_FRAME,
                    fillcolor=BACKWARD_CLUSTER,
                    fontcolor=BACKWARD_FRAME,
                    fontsize="11",
                    **{"class": "backward-of"},
                )
                painter.nodes(box, members)
        rest = [n for n in self.order if n not in self.layers and n not in self.made]
        if self.made and rest:  # the original computation, told apart from its derivative
            with diagram.subgraph(name="cluster_original") as box:
                box.attr(
                    id=f"{prefix}original",
                    label=label(text(message(ORIGINAL_TITLE))),
                    style="rounded,dashed",
                    color=NEUTRAL,
                    fontcolor=NEUTRAL,
                    fontsize="11",
                    **{"class": "original"},
                )
                painter.nodes(box, rest)
        else:
            painter.nodes(diagram, rest)
        painter.edges(diagram)
        return diagram

    def backward_groups(self) -> dict[Value, list[Value]]:
        """The backward-made nodes grouped by the node of the original graph they serve
        (``role.node``), in the order the groups start in :attr:`order`."""
        groups: dict[Value, list[Value]] = {}
        for node in self.order:
            role = self.made.get(node)
            if role is not None:
                groups.setdefault(role.node, []).append(node)
        return groups


def backward_title(served: Value, names: Mapping[Value, str]) -> str:
    """What the box of the backward-made nodes serving ``served`` says: ``backward of
    o = tanh(n)``, or for a leaf ``backward into x: its paths added up`` (in Chinese
    ``o = tanh(n) 的反向传播``: the formula stays, the words around it are translated).

    ``served`` may be outside the graph drawn (the derivative of x⁴ does not use x⁴): it is
    then spelled out deeper, ``backward of x⁴−(2.0·x²)``.
    """
    name = name_of(served, names=names)
    if served.op is None:
        return message("diagram.backward_into_leaf", name=name)
    expression = spelled(served, 1 if served in names else 3, names)
    if expression.startswith("(") and expression.endswith(")"):
        expression = expression[1:-1]
    if served not in names and not served.label:
        return message("diagram.backward_of_expression", expression=expression)
    return message("diagram.backward_of_named", name=name, expression=expression)


class _Painter:
    """Writes the nodes and edges of one picture of a :class:`GraphScene`."""

    def __init__(
        self,
        scene: GraphScene,
        state: GradientState | None,
        widths: TextWidths | None,
        largest: float,
        prefix: str,
        names: Mapping[Value, str],
    ) -> None:
        self.scene, self.widths, self.largest, self.prefix = scene, widths, largest, prefix
        self.names = names
        self.show_grads = state is not None
        self.grads = state.grads if state else {}
        self.carried = state.carried if state else {}
        active = state.active if state else None
        self.active_node = active.node if active else None
        self.active_nodes = {active.node, active.parent} if active else set()
        self.active_edge = (active.node, active.operand) if active else None

    def nodes(self, diagram: Diagram, nodes: list[Value]) -> None:
        for node in nodes:
            i = self.scene.index[node]
            highlight = _highlight(node in self.active_nodes)
            if node in self.scene.highlighted_nodes and node not in self.active_nodes:
                highlight = _marked()
            role = self.scene.made.get(node)
            if role is not None:  # the page and the tests find them by class
                made = f"backward-made role-{role.kind}"
                highlight = {**highlight, "class": f"{highlight.get('class', '')} {made}".strip()}
            diagram.node(
                f"v{i}",
                label=label(self._value_table(node)),
                shape="box",
                style="rounded",
                margin="0.03",
                id=f"{self.prefix}v{i}",
                **highlight,
            )
            if node.parents:
                diagram.node(
                    f"op{i}",
                    label=label(user_text(op_symbol(node))),
                    shape="oval",
                    style="filled",
                    fillcolor=OP_FILL,
                    margin="0.04,0.02",
                    height="0.3",
                    id=f"{self.prefix}op{i}",
                    **_highlight(node is self.active_node, FRAME),
                )

    def edges(self, diagram: Diagram) -> None:
        for node in self.scene.order:
            i = self.scene.index[node]
            pairs = zip(node.parents, node.local_grads, strict=True)
            for operand, (parent, local) in enumerate(pairs):
                if parent.is_constant:  # no gradient flows into a constant: grey and thin
                    edge_label, style = _local_label(local), {"color": NEUTRAL, "penwidth": "1"}
                else:
                    edge_label = self._edge_label((node, operand), local)
                    style = self._edge_style((node, operand))
                edge = (node, operand)
                if edge in self.scene.highlighted_edges and edge != self.active_edge:
                    style = {**_marked(HIGHLIGHT_WIDTH), "fontcolor": HIGHLIGHT}
                    edge_label += '<BR/><FONT POINT-SIZE="4"> </FONT>'  # clear of the thick pen
                diagram.edge(
                    f"v{self.scene.index[parent]}",
                    f"op{i}",
                    label=label(edge_label),
                    id=f"{self.prefix}e{i}_{operand}",
                    **style,
                )
            if node.parents:
                flow = self._flow_style(self.grads.get(node))
                diagram.edge(f"op{i}", f"v{i}", id=f"{self.prefix}o{i}", **flow)

    def _value_table(self, node: Value) -> str:
        cells = []
        name = self.names.get(node, node.label)
        if name:
            cells.append(cell(f"<B>{user_text(name)}</B>"))
        data_width = self.widths.data if self.widths else 0
        data = padded(f"data {format_number(node.data)}", data_width)
        cells.append(cell(font(data, face=NUMBER_FONT)))
        grad = self.grads.get(node)
        shows_grad = not node.is_constant and (grad is not None or self.widths is not None)
        if self.show_grads and shows_grad:
            width = self.widths.grads.get(node, 0) if self.widths else 0
            colour = NEUTRAL if grad is None else sign_colour(grad)
            content = padded(grad_text(grad), width)
            cells.append(cell(font(content, colour=colour, face=NUMBER_FONT)))
        role = self.scene.roles[node]
        if node not in self.scene.made:
            return table([[c] for c in cells], lines=FRAME, bgcolor=FILL[role])
        if name and role is Role.OUTPUT:  # the derivative's root: the output's amber on its name
            cells[0] = cell(f"<B>{user_text(name)}</B>", bgcolor=FILL[role])
        return table([[c] for c in cells], lines=FRAME, bgcolor=BACKWARD_FILL)

    def _edge_label(self, edge: Edge, local: float) -> str:
        lines = [padded(f"local {format_number(local)}", self.widths.local if self.widths else 0)]
        entry = self.carried.get(edge)
        width = self.widths.carried.get(edge, 0) if self.widths else 0
        if entry is not None or width:
            lines.append(padded(carried_text(entry), width))
        return font("<BR/>".join(lines), face=NUMBER_FONT)

    def _edge_style(self, edge: Edge) -> dict[str, str]:
        entry = self.carried.get(edge)
        if edge == self.active_edge:
            width = max(pen_width(entry[1], self.largest), 3.0)
            return {"color": ACTIVE, "penwidth": str(width), "fontcolor": ACTIVE, "class": "active"}
        return self._flow_style(None if entry is None else entry[1])

    def _flow_style(self, gradient: float | None) -> dict[str, str]:
        if gradient is None:
            return {"color": NEUTRAL}
        return {
            "color": sign_colour(gradient),
            "penwidth": str(pen_width(gradient, self.largest)),
        }


def grad_text(grad: float | None) -> str:
    """What a node's grad cell says: ``grad 0.5``, or ``grad —`` while it is not known yet."""
    return "grad —" if grad is None else f"grad {format_number(grad)}"


def carried_text(entry: tuple[float, float] | None) -> str:
    """An edge's second line: ``× upstream = carried``, empty until the edge is done."""
    if entry is None:
        return ""
    upstream, carried = entry
    return f"× {format_number(upstream)} = {format_number(carried)}"


def _local_label(local: float) -> str:
    """An edge from a constant: its local derivative only, as no gradient is carried back."""
    return font(text(f"local {format_number(local)}"), face=NUMBER_FONT)


def op_symbol(node: Value) -> str:
    """What the oval of ``node``'s op says: the op's symbol, or ``x²`` for x ** 2.

    An op written between operands that has one fixed number (``power``'s
    exponent ``k``) shows that number: ``x²`` (a power is written as in the captions,
    :func:`engine.narration.power_text`), else ``x`` + its infix + the number.
    """
    op = node.op
    if op is None:
        return "?"
    if op.infix == "^" and len(node.attrs) == 1:
        return power_text("x", node.attrs[0])
    if op.infix and len(node.attrs) == 1:
        return f"x{op.infix}{format_number(node.attrs[0]).removesuffix('.0')}"
    return op.symbol or op.name or "?"


def _highlight(active: bool, colour: str = "transparent") -> dict[str, str]:
    if active:
        return {"color": ACTIVE, "penwidth": "3", "class": "active"}
    return {"color": colour, "penwidth": "1"}


def _marked(width: float = 4.0) -> dict[str, str]:
    """The style of a highlighted node or edge: red, with a thick pen."""
    return {"color": HIGHLIGHT, "penwidth": str(width), "class": "highlighted"}


def _heading(
    caption: str, legend: bool, *, highlighted: bool = False, backward: bool = False
) -> str:
    rows = []
    if caption:
        rows.append([cell(text(shown_caption(caption)), align="LEFT")])
    if legend:
        rows.append([cell(legend_table(highlighted=highlighted, backward=backward))])
    if not rows:
        return ""
    return (
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
        + "".join("<TR>" + "".join(row) + "</TR>" for row in rows)
        + "</TABLE>"
    )


def _largest(state: GradientState | None) -> float:
    if state is None:
        return 0.0
    values = [carried for _, carried in state.carried.values()]
    return largest_magnitude([*values, *state.grads.values()])


def _parameter_set(params: Iterable[Value] | None, caller: str) -> set[Value] | None:
    if params is None:
        return None
    if isinstance(params, Value):
        raise TypeError(f"{caller} params= takes an iterable of Values, e.g. [w1, w2, b]")
    chosen = set()
    for param in params:
        if not isinstance(param, Value):
            raise TypeError(
                f"{caller} params= must hold Values, got {type(param).__name__}: {param!r:.80}"
            )
        chosen.add(param)
    return chosen


def _roles(order: list[Value], root: Value, params: set[Value]) -> dict[Value, Role]:
    """Each node's fill: the root, results, constants, the parameters, and inputs (the rest)."""
    roles = {}
    for node in order:
        if node is root:
            role = Role.OUTPUT
        elif node.parents:
            role = Role.COMPUTED
        elif node.is_constant:
            role = Role.CONSTANT
        elif node in params:
            role = Role.PARAMETER
        else:
            role = Role.INPUT
        roles[node] = role
    return roles


HIGHLIGHT_USAGE = (
    "highlight= takes a list of Values (nodes) and (node, operand) pairs (edges), "
    "e.g. highlight=[w] or highlight=[(y, 0)]"
)


def _highlights(
    highlight: Iterable[Highlight] | None, scene: GraphScene, caller: str
) -> tuple[frozenset[Value], frozenset[Edge]]:
    """The nodes and edges ``highlight=`` names, checked against the graph being drawn."""
    if highlight is None:
        return frozenset(), frozenset()
    if isinstance(highlight, Value | EdgeCheck | str) or not isinstance(highlight, Iterable):
        raise TypeError(
            f"{caller} {HIGHLIGHT_USAGE}; got {type(highlight).__name__}: {highlight!r:.80}"
            + ("; put one Value in a list" if isinstance(highlight, Value) else "")
        )
    nodes: set[Value] = set()
    edges: set[Edge] = set()
    for item in highlight:
        if isinstance(item, EdgeCheck):
            item = item.edge
        if isinstance(item, Value):
            _check_in_graph(item, scene, caller)
            nodes.add(item)
            continue
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise TypeError(
                f"{caller} {HIGHLIGHT_USAGE}; an item was {type(item).__name__}: {item!r:.80}"
                + ("; for one edge write highlight=[(node, operand)]" if _is_int(item) else "")
            )
        node, operand = item
        if not isinstance(node, Value) or not _is_int(operand):
            raise TypeError(
                f"{caller} highlight=: an edge is (node, operand), a Value and an int, got "
                f"({type(node).__name__}, {type(operand).__name__}): {item!r:.80}"
            )
        _check_in_graph(node, scene, caller)
        count = len(node.parents)
        if not 0 <= operand < count:
            key = {0: "diagram.highlight_leaf", 1: "diagram.highlight_one_operand"}.get(
                count, "diagram.highlight_operands"
            )
            raise ValueError(
                message(
                    key,
                    caller=caller,
                    name=name_of(node),
                    count=count,
                    last=count - 1,
                    operand=operand,
                )
            )
        edges.add((node, operand))
    return frozenset(nodes), frozenset(edges)


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _check_in_graph(node: Value, scene: GraphScene, caller: str) -> None:
    if node not in scene.index:
        raise ValueError(
            message(
                "diagram.highlight_not_in_graph",
                caller=caller,
                name=name_of(node),
                root=name_of(scene.root),
            )
        )
