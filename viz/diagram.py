"""The object every drawing function returns, and the checks they share."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import graphviz

from ..engine import Value
from ..engine.i18n import message, using_language
from ..nn import MLP
from . import browser_layout, rendering
from .style import FONT

RANKDIRS = ("LR", "TB", "RL", "BT")

DEFAULT_MAX_NODES = 300
"""Above this many Value nodes a graph is refused: nobody can read it, and layout gets slow."""


P = ParamSpec("P")
R = TypeVar("R")


def in_language(draw: Callable[P, R]) -> Callable[P, R]:
    """``draw`` (which takes ``lang=``) run in that language: the words of the diagram it
    draws, and of the errors it raises, are written in ``lang`` (``"en"`` or ``"zh"``;
    ``None``, the default, keeps the current one, :func:`engine.i18n.language`).

    Every text is looked up by :func:`engine.i18n.message` while the diagram is drawn, so a
    drawing function only has to say which language: ``draw_graph(root, lang="zh")``.
    """

    @functools.wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        lang = kwargs.get("lang")
        if lang is not None and not isinstance(lang, str):
            raise TypeError(f"{draw.__name__} lang= takes 'en' or 'zh', got {lang!r:.80}")
        with using_language(lang):
            return draw(*args, **kwargs)

    return drawn


class GraphTooLargeError(ValueError):
    """The graph has more nodes than the drawing function's ``max_nodes``."""


class Diagram(graphviz.Digraph):
    """A ``graphviz.Digraph`` (``.source``, ``.render()``, inline display in notebooks).

    Where the ``dot`` program is missing, ``.render()`` and ``.pipe()`` draw SVG and PNG
    with pygraphviz instead when chainrule's [render] extra is installed (see
    :mod:`viz.renderers`). With neither, or for another format, they raise
    :class:`~viz.rendering.GraphvizNotFoundError`, which says where the DOT source was
    saved and what to install, instead of the ``graphviz`` package's bare
    ``ExecutableNotFound``. A notebook shows the diagram all the same without ``dot``,
    laid out in the browser (:mod:`viz.browser_layout`).
    """

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """What a notebook shows: Graphviz's SVG, or without ``dot`` a page that lays it out.

        The page (the DOT source and viz-js, about 1.4 MB) sits in a sandboxed frame that
        may run its own script only, as :class:`~viz.StepThroughPage` does.
        """
        if shutil.which("dot") is not None:
            return super()._repr_mimebundle_(*args, **kwargs)
        title = message("diagram.notebook_title")
        page = browser_layout.diagram_page(self.source, title)
        return {"text/html": browser_layout.frame(page, title, browser_layout.FRAME_HEIGHT)}

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """Save the source and draw it next to it; returns the drawing's path, as graphviz does.

        Without ``dot``, the drawing is ``outfile`` or the source's path plus ``.svg`` or
        ``.png``, as graphviz names it; ``cleanup=True`` removes the source afterwards
        (``view=`` opens nothing then).
        """
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            source_path = Path(self.filepath)  # graphviz saved it before looking for dot
            outfile = kwargs.get("outfile")
            format = kwargs.get("format") or (
                Path(outfile).suffix.lstrip(".") if outfile else self.format
            )
            if outfile is None:
                target = Path(f"{source_path}.{format}")
            elif kwargs.get("directory") is None:
                target = Path(self.directory, outfile)
            else:
                target = Path(outfile)
            target.write_bytes(self._draw_without_dot(format, source_path))
            if kwargs.get("cleanup"):
                source_path.unlink()
            return str(target)

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """The drawing as bytes (or text, given ``encoding``), by ``dot`` or else pygraphviz."""
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            format = kwargs.get("format") or (args[0] if args else None) or self.format
            drawing = self._draw_without_dot(format, None)
            encoding = kwargs.get("encoding")
            return drawing.decode(encoding) if encoding else drawing

    def _draw_without_dot(self, format: str, dot_path: Path | None) -> bytes:
        """``dot`` is missing: draw as :func:`~viz.rendering.render` does, or raise its error.

        Only ``dot`` draws formats other than SVG and PNG. ``dot_path`` is where the source
        is saved for the error (a temporary file when ``None``).
        """
        if format not in rendering.FORMATS:
            path = dot_path or rendering.temporary_dot_path()
            raise rendering.not_found_error(format, self.source, path)
        return rendering.draw(self.source, format, dot_path)


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
        choices = ", ".join(map(repr, RANKDIRS))
        raise ValueError(message("diagram.unknown_rankdir", rankdir=repr(rankdir), choices=choices))


def check_root(root: object, caller: str) -> Value:
    """``root`` if it is a :class:`~engine.Value`, else a ``TypeError`` naming ``caller``."""
    if not isinstance(root, Value):
        key = "diagram.model_not_a_root" if isinstance(root, MLP) else "diagram.not_a_root"
        kind, shown = type(root).__name__, f"{root!r:.80}"
        raise TypeError(message(key, caller=caller, kind=kind, shown=shown))
    return root


def check_size(count: int, max_nodes: int, caller: str) -> None:
    """Refuse a graph of ``count`` nodes over ``max_nodes``, naming the ways out."""
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    if count > max_nodes:
        raise GraphTooLargeError(
            message("diagram.too_large", caller=caller, count=count, limit=max_nodes)
        )
