"""The object every drawing function returns, and the checks they share."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import graphviz

from ..engine import Value
from ..nn import MLP
from . import browser_layout, rendering
from .style import FONT

RANKDIRS = ("LR", "TB", "RL", "BT")

DEFAULT_MAX_NODES = 300
"""Above this many Value nodes a graph is refused: nobody can read it, and layout gets slow."""


class GraphTooLargeError(ValueError):
    """The graph has more nodes than the drawing function's ``max_nodes``."""


class Diagram(graphviz.Digraph):
    """A ``graphviz.Digraph`` (``.source``, ``.render()``, inline display in notebooks).

    Where the ``dot`` program is missing, ``.render()`` and ``.pipe()`` raise
    :class:`~viz.rendering.GraphvizNotFoundError`, which says where the DOT source was
    saved and how to install Graphviz, instead of the ``graphviz`` package's bare
    ``ExecutableNotFound``; a notebook shows the diagram all the same, laid out in the
    browser (:mod:`viz.browser_layout`).
    """

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """What a notebook shows: Graphviz's SVG, or without ``dot`` a page that lays it out.

        The page (the DOT source and viz-js, about 1.4 MB) sits in a sandboxed frame that
        may run its own script only, as :class:`~viz.StepThroughPage` does.
        """
        if shutil.which("dot") is not None:
            return super()._repr_mimebundle_(*args, **kwargs)
        title = "a chainrule diagram"
        page = browser_layout.diagram_page(self.source, title)
        return {"text/html": browser_layout.frame(page, title, browser_layout.FRAME_HEIGHT)}

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            format = kwargs.get("format") or self.format
            raise rendering.not_found_error(format, self.source, Path(self.filepath)) from None

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            format = kwargs.get("format") or self.format
            dot_path = rendering.temporary_dot_path()
            raise rendering.not_found_error(format, self.source, dot_path) from None


def new_diagram(rankdir: str, *, graph_id: str = "") -> Diagram:
    """An empty diagram with chainrule's fonts and spacing, laid out in direction ``rankdir``."""
    check_rankdir(rankdir)
    diagram = Diagram(
        graph_attr={
            "rankdir": rankdir,
            "fontname": FONT,
            "nodesep": "0.3",
            "ranksep": "0.45",
            "labeljust": "l",
        },
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={"fontname": FONT, "fontsize": "11", "arrowsize": "0.7"},
    )
    if graph_id:
        diagram.attr(id=graph_id)
    return diagram


def check_rankdir(rankdir: object) -> None:
    """Raise ``ValueError`` unless ``rankdir`` is one of Graphviz's four directions."""
    if rankdir not in RANKDIRS:
        raise ValueError(
            f"unknown rankdir {rankdir!r}: use one of {', '.join(map(repr, RANKDIRS))} "
            "(LR reads left to right like the forward pass)"
        )


def check_root(root: object, caller: str) -> Value:
    """``root`` if it is a :class:`~engine.Value`, else a ``TypeError`` naming ``caller``."""
    if not isinstance(root, Value):
        hint = (
            "; for a model, draw its output or loss (a Value), or use draw_network(model)"
            if isinstance(root, MLP)
            else ""
        )
        raise TypeError(
            f"{caller} takes the root Value of a computation (e.g. the loss), "
            f"got {type(root).__name__}: {root!r:.80}{hint}"
        )
    return root


def check_size(count: int, max_nodes: int, caller: str) -> None:
    """Refuse a graph of ``count`` nodes over ``max_nodes``, naming the ways out."""
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    if count > max_nodes:
        raise GraphTooLargeError(
            f"{caller}: this graph has {count} nodes, over the limit of {max_nodes} "
            "(a diagram that size is unreadable and slow to lay out). Options: raise the "
            f"limit with {caller}(root, max_nodes={count}); for an MLP, draw the neuron-level "
            "view with draw_network(model); or draw the graph of one sample (one forward "
            "pass and its loss) instead of a whole batch or training run."
        )
