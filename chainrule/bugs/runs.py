"""What a bug shows: each engine's gradients on the same graph, and the graph as it left it.

A demo (:mod:`chainrule.bugs.demos`, :mod:`chainrule.bugs.op_demos`) runs the broken code
on one copy of its graph and chainrule's engine on another, and returns an
:class:`Outcome`: the wrong :class:`Run` (or runs) beside the right one. The terminal and
the page both show an outcome as :func:`gradient_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chainrule.engine import Value, format_number


@dataclass
class Run:
    """One engine's answer on a bug's graph.

    ``engine``   the column heading: which code computed it
    ``grads``    each quantity of the table, by row name (None: never computed)
    ``root``     the graph to draw, its grads as this engine left them
    ``nodes``    the node of ``root``'s graph that each row is the grad of (to frame it)
    ``params``   the leaves drawn as parameters (green)
    ``error``    what the engine raised instead of finishing, if it did
    ``caption``  a note under its diagram
    ``edges``    the edges ``(node, operand)`` whose local derivative is wrong in this run
    """

    engine: str
    grads: dict[str, float | None]
    root: Value
    nodes: dict[str, Value]
    params: tuple[Value, ...] = ()
    error: str = ""
    caption: str = ""
    edges: tuple[tuple[Value, int], ...] = ()


def run_of(
    engine: str,
    root: Value,
    nodes: dict[str, Value],
    *,
    params: Sequence[Value] = (),
    caption: str = "",
    edges: Sequence[tuple[Value, int]] = (),
) -> Run:
    """A :class:`Run` whose gradients are the grads its nodes hold now."""
    grads: dict[str, float | None] = {row: node.grad for row, node in nodes.items()}
    return Run(engine, grads, root, dict(nodes), tuple(params), "", caption, tuple(edges))


@dataclass(frozen=True)
class Outcome:
    """A bug on its graph: the wrong run(s), chainrule's run, and why they differ.

    ``graph`` is the graph in words with its numbers; ``key`` the row the one-line listing
    shows.
    """

    graph: str
    wrong: tuple[Run, ...]
    right: Run
    why: str
    key: str

    def differing(self, run: Run) -> list[str]:
        """The rows where ``run`` does not give chainrule's number."""
        right = self.right.grads
        return [row for row, grad in run.grads.items() if grad is None or grad != right[row]]


def derivative(root: str, node: str) -> str:
    """The row name of a gradient: ``∂b/∂a``."""
    return f"∂{root}/∂{node}"


def number_text(grad: float | None) -> str:
    """A gradient as the table shows it: ``—`` for one that was never computed."""
    return "—" if grad is None else format_number(grad)


def gradient_table(outcome: Outcome) -> list[list[str]]:
    """The rows of the table: quantity, each wrong run's number, chainrule's, and a verdict."""
    runs = [*outcome.wrong, outcome.right]
    table = [["", *(run.engine for run in runs), ""]]
    for row in outcome.right.grads:
        differs = any(row in outcome.differing(run) for run in outcome.wrong)
        cells = [number_text(run.grads[row]) for run in runs]
        table.append([row, *cells, "differs" if differs else "same"])
    return table
