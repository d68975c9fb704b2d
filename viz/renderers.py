"""Which program draws a diagram: Graphviz's ``dot`` when it is on PATH, else pygraphviz.

A diagram is DOT source text; turning it into SVG or PNG needs Graphviz's layout. Two
things can do it, tried in this order:

1. the ``dot`` program on PATH (``apt-get install graphviz``, ``brew install graphviz``,
   ``winget install graphviz``): what chainrule has always used;
2. pygraphviz, installed by chainrule's extra: ``pip install "chainrule[render]"``. Its
   wheels carry Graphviz's own libraries, so it lays out and draws in this Python process
   with nothing else installed: no root, no system package, no compiler.

:func:`find` returns the first of them this machine has, or ``None``;
:mod:`viz.rendering` turns ``None`` into an error saying what to install.

Why pygraphviz rather than graphviz-pure (a Rust port of Graphviz, one wheel for every
Python): measured on chainrule's own diagrams (``scripts/compare_renderers.py``, the
README's "Drawing without Graphviz"), pygraphviz's pictures are dot's, while graphviz-pure
has no font metrics for monospace, so the numbers in every box spill out of it.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

EXTRA = 'pip install "chainrule[render]"'
"""The command that installs the in-process renderer."""


@dataclass(frozen=True)
class Renderer:
    """A way to draw: its ``name`` for messages, and ``draw(source, format) -> bytes``."""

    name: str
    draw: Callable[[str, str], bytes]


def find() -> Renderer | None:
    """``dot`` if it is on PATH, else pygraphviz if it is installed, else ``None``."""
    dot = shutil.which("dot")
    if dot is not None:
        return Renderer(f"Graphviz's dot ({dot})", functools.partial(run_dot, dot))
    if has_pygraphviz():
        return Renderer("pygraphviz (chainrule[render])", draw_in_process)
    return None


def has_pygraphviz() -> bool:
    """True when pygraphviz imports (``sys.modules["pygraphviz"] = None`` hides it, as in tests)."""
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        return False
    return True


def run_dot(dot: str, source: str, format: str) -> bytes:
    """``source`` drawn by the ``dot`` program at path ``dot``, as ``format`` (``"svg"``…)."""
    result = subprocess.run(
        [dot, f"-T{format}"], input=source.encode("utf-8"), capture_output=True, check=False
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"Graphviz dot failed (exit {result.returncode}): {message}")
    return result.stdout


def draw_in_process(source: str, format: str) -> bytes:
    """``source`` laid out with dot's algorithm by pygraphviz's Graphviz, in this process."""
    import pygraphviz

    try:
        return pygraphviz.AGraph(string=source).draw(format=format, prog="dot")
    except ValueError as error:  # pygraphviz's DotError is one too
        raise RuntimeError(f"pygraphviz could not draw the diagram: {error}") from error
