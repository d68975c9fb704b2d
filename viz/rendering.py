"""Rendering diagrams to SVG and PNG, with Graphviz's ``dot`` or without it, or a clear error.

:func:`render` (and :class:`~viz.diagram.Diagram`'s ``.render()`` and ``.pipe()``) draw
with the first of these the machine has (:mod:`viz.renderers`):

1. the Graphviz program ``dot`` on PATH (``apt-get install graphviz``, ``brew install
   graphviz``, ``winget install graphviz``);
2. pygraphviz, from chainrule's extra ``pip install "chainrule[render]"``: Graphviz's own
   libraries inside a wheel, drawing in this process, so pip alone is enough on Linux,
   macOS and Windows.

With neither, the DOT source is written to a ``.dot`` file and
:class:`GraphvizNotFoundError` says where, and which of the two to install on this system.

:func:`svg_texts` (the step-through and bugs pages) needs ``dot`` itself: many diagrams (the
frames of a step-through) go to one ``dot`` process, not one process each.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import graphviz

from ..engine.i18n import message
from . import renderers
from .renderers import run_dot

FORMATS = ("svg", "png")

Diagrammable = graphviz.Digraph | graphviz.Graph


GRAPHVIZ_COMMANDS = {
    "linux": "sudo apt-get install graphviz",
    "darwin": "brew install graphviz",
    "win32": "winget install graphviz",
}
"""The command that installs Graphviz's program, by ``sys.platform``."""


def install_hint() -> str:
    """How to get the ``dot`` program, for what needs it itself (:func:`svg_texts`)."""
    commands = GRAPHVIZ_COMMANDS
    return message(
        "diagram.install_graphviz",
        linux=commands["linux"],
        darwin=commands["darwin"],
        windows=commands["win32"],
    )


def render_hint(platform: str = sys.platform) -> str:
    """What to install so that :func:`render` works on ``platform``: either of two things.

        >>> print(render_hint("darwin"))
        Install either Graphviz's program (`brew install graphviz`) or, with pip alone, \
chainrule's [render] extra (`pip install "chainrule[render]"`).
    """
    command = GRAPHVIZ_COMMANDS.get(platform)
    program = f"`{command}`" if command else message("diagram.graphviz_download")
    return message("diagram.render_hint", program=program, extra=renderers.EXTRA)


class GraphvizNotFoundError(RuntimeError):
    """Nothing on this machine can draw the diagram: no ``dot`` (nor pygraphviz, for SVG/PNG).

    ``dot_path`` is where the DOT source was saved, to render later or elsewhere;
    ``hint`` is the message's last sentence, what to install (default :func:`install_hint`).
    """

    def __init__(self, text: str, dot_path: Path, hint: str | None = None) -> None:
        super().__init__(text)
        self.dot_path = dot_path
        self.hint = install_hint() if hint is None else hint


def render(diagram: Diagrammable, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write ``diagram`` to ``path`` as SVG or PNG and return the path written.

    ``format`` is ``"svg"`` or ``"png"``; when it is ``None`` it is read from
    the path's suffix (``.svg``/``.png``), defaulting to SVG. A path without a
    suffix gets one. Parent folders are created.

        >>> import tempfile
        >>> from pathlib import Path
        >>> from chainrule.engine import Value
        >>> from chainrule.viz import draw_graph, render
        >>> with tempfile.TemporaryDirectory() as folder:   # or any folder of yours
        ...     written = render(draw_graph(Value(2.0, "x") * 3), Path(folder) / "x3")
        ...     print(written.name, written.read_text().startswith("<?xml"))
        x3.svg True
    """
    if not isinstance(diagram, graphviz.Graph | graphviz.Digraph):
        raise TypeError(
            "render takes a diagram from draw_graph, draw_network or backward_frames "
            f"(a graphviz.Digraph), got {type(diagram).__name__}: {diagram!r:.80}"
        )
    target = Path(path)
    chosen = _format_for(target, format)
    if not target.suffix:
        target = target.with_suffix(f".{chosen}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(draw(diagram.source, chosen, target.with_suffix(".dot")))
    return target


def draw(source: str, format: str, dot_path: Path | None = None) -> bytes:
    """``source`` as ``format`` bytes, by ``dot`` or else pygraphviz (:mod:`viz.renderers`).

    With neither, ``source`` is saved to ``dot_path`` (a temporary file when ``None``) and
    :class:`GraphvizNotFoundError` says what to install.
    """
    renderer = renderers.find()
    if renderer is None:
        path = dot_path or temporary_dot_path()
        raise not_found_error(format, source, path, extra_would_do=True)
    return renderer.draw(source, format)


def svg_texts(diagrams: Sequence[Diagrammable], dot_path: Path | None = None) -> list[str]:
    """The SVG text of each diagram, all from a single ``dot`` run.

    Without ``dot``, the DOT sources are written to ``dot_path`` (a
    temporary file when ``None``) and :class:`GraphvizNotFoundError` is raised.
    """
    sources = [diagram.source for diagram in diagrams]
    dot = shutil.which("dot")
    if dot is None:
        raise not_found_error("svg", "\n".join(sources), dot_path or temporary_dot_path())
    output = run_dot(dot, "\n".join(sources), "svg").decode("utf-8")
    svgs = [part for part in re.split(r"(?=<\?xml )", output) if part.strip()]
    if len(svgs) != len(sources):
        raise RuntimeError(
            f"Graphviz dot returned {len(svgs)} SVG documents for {len(sources)} diagrams"
        )
    return svgs


def _format_for(path: Path, format: str | None) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if format is None:
        format = suffix if suffix in FORMATS else "svg"
    if format not in FORMATS:
        raise ValueError(
            message("diagram.unknown_format", format=repr(format), formats=", ".join(FORMATS))
        )
    if suffix and suffix != format:
        raise ValueError(
            message(
                "diagram.format_disagrees",
                path=repr(str(path)),
                suffix=suffix,
                format=repr(format),
                wanted=format,
                suffix_repr=repr(suffix),
            )
        )
    return format


def not_found_error(
    format: str, source: str, dot_path: Path, *, extra_would_do: bool = False
) -> GraphvizNotFoundError:
    """Save ``source`` to ``dot_path`` and build the error that says so, and what to install.

    ``extra_would_do``: pygraphviz (the [render] extra) could draw this instead of ``dot``,
    so the message offers both.
    """
    dot_path.parent.mkdir(parents=True, exist_ok=True)
    dot_path.write_text(source, encoding="utf-8")
    hint = render_hint() if extra_would_do else install_hint()
    key = "diagram.dot_and_extra_missing" if extra_would_do else "diagram.dot_missing"
    command = f"dot -T{format} {dot_path} -o diagram.{format}"
    text = message(key, format=format.upper(), path=dot_path, command=command, hint=hint)
    return GraphvizNotFoundError(text, dot_path, hint)


def temporary_dot_path() -> Path:
    """A new, empty ``chainrule-*.dot`` file in the temporary folder."""
    handle, name = tempfile.mkstemp(prefix="chainrule-", suffix=".dot")
    os.close(handle)
    return Path(name)
