"""``chainrule newton EXPR --set x=X0``: Newton's method, f′ and f″ from the recorded backward pass.

Each iterate takes f′(x) from ``grad(f, [x], create_graph=True)``, a graph, and f″(x) from
the backward pass of that graph, then steps x ← x − f′(x)/f″(x): the second derivative of
a formula, put to work. The table shows f, f′ and f″ at every iterate; ``--html``/``--svg``/
``--png`` with ``--at K`` write the graph of f′ at iterate K, whose backward pass gives f″.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import TextIO

from chainrule.engine import Value, format_number, grad, topological_order
from chainrule.engine.i18n import message
from chainrule.expression import Expression
from chainrule.outputs import Outputs, UsageError
from chainrule.step_command import Pictures, differentiate, report_written, stage_pictures
from chainrule.terminal import Style

DEFAULT_STEPS = 10
MAX_STEPS = 100
MATH_ERROR = 1


@dataclass(frozen=True)
class Iterate:
    """One row of the table: x and f, f′, f″ there."""

    k: int
    x: float
    f: float
    d1: float
    d2: float


def evaluate(expression: Expression, name: str, x: float, k: int = 0) -> Iterate:
    """Iterate ``k``: f(x), f′(x) (a graph) and f″(x) (its backward pass), as numbers."""
    root, leaves = expression.build({name: x})
    leaf = leaves[name]
    (d1,) = grad(root, [leaf], create_graph=True)
    (d2,) = grad(d1, [leaf])
    return Iterate(k, x, root.data, d1.data, d2.data)


def run(
    expression: Expression,
    name: str,
    x0: float,
    *,
    steps: int = DEFAULT_STEPS,
    pictures: Pictures | None = None,
    at: int = 0,
    force: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """The whole ``newton`` command after parsing; returns the exit status.

    Stops early when f′(x) = 0 (x is a stationary point: the step is 0) or when a step no
    longer changes x. f″(x) = 0 (no Newton step) and an iterate that is not finite end with
    a message and exit status 1.
    """
    style = Style.for_stream(out)
    pictures = pictures or Pictures()
    outputs = Outputs(force=force)
    pictures.claim(outputs)
    if at > steps:
        raise UsageError(message("terminal.newton_at_too_far", at=at, steps=steps))
    if pictures:
        _check_size(expression, name, x0)
    heading = message("terminal.newton_heading", source=expression.source, name=name, x0=f"{x0:g}")
    print(style(heading, "bold"), file=out)
    print(message("terminal.newton_rule", name=name), file=out)
    header = f"{'k':>4}  {name:>22}  {'f':>14}  {'f′':>14}  {'f″':>14}"
    print(style(header, "bold"), file=out)
    iterates: list[Iterate] = []
    x = x0
    problem = ""
    settled = False
    for k in range(steps + 1):
        row = evaluate(expression, name, x, k)
        iterates.append(row)
        print(
            f"{k:>4}  {row.x:>22.15g}  {row.f:>14.6g}  {row.d1:>14.6g}  {row.d2:>14.6g}",
            file=out,
        )
        if k == steps or row.d1 == 0.0:
            break
        if row.d2 == 0.0:
            problem = message("terminal.newton_flat", name=name, x=f"{row.x:.15g}", k=k)
            break
        following = row.x - row.d1 / row.d2
        if not math.isfinite(following):
            problem = message(
                "terminal.newton_leaves_floats",
                name=name,
                x=f"{row.x:.15g}",
                k=k,
                d1=f"{row.d1:g}",
                d2=f"{row.d2:g}",
            )
            break
        if following == row.x:
            settled = True  # f′ is a rounding error away from 0: the step is below a float's
            break
        x = following
    path = " → ".join(f"{row.x:.4f}" for row in iterates)
    print(message("terminal.newton_path", name=name, path=path))
    last = iterates[-1]
    if problem:
        print(f"chainrule newton: {problem}", file=err)
        return MATH_ERROR
    print(_verdict(name, last, settled), file=out)
    if pictures:
        shown = iterates[min(at, len(iterates) - 1)]
        return _write(expression, name, shown, at, pictures, outputs, out)
    return 0


def _verdict(name: str, last: Iterate, settled: bool) -> str:
    numbers = {"name": name, "x": f"{last.x:.15g}", "k": last.k}
    if last.d1 != 0.0:
        key = "terminal.newton_settled" if settled else "terminal.newton_not_yet"
        return message(key, d1=format_number(last.d1), **numbers)
    kind = "minimum" if last.d2 > 0 else "maximum" if last.d2 < 0 else "neither"
    return message(f"terminal.newton_{kind}", **numbers)


def _check_size(expression: Expression, name: str, x: float) -> None:
    """Refuse, before any step, a graph of f′ too large to draw."""
    from chainrule.viz import DEFAULT_MAX_NODES

    root, leaves = expression.build({name: x})
    count = len(topological_order(differentiate(root, leaves[name], 1, name)))
    if count > DEFAULT_MAX_NODES:
        raise UsageError(
            message(
                "terminal.newton_too_many_nodes", name=name, count=count, limit=DEFAULT_MAX_NODES
            )
        )


def _write(
    expression: Expression,
    name: str,
    shown: Iterate,
    at: int,
    pictures: Pictures,
    outputs: Outputs,
    out: TextIO,
) -> int:
    """Write the graph of f′ at iterate ``at`` (the last reached, if it stopped before).

    Returns the exit status: 1 if a picture could not be drawn here (see ``report_written``).
    """

    def build() -> Value:
        root, leaves = expression.build({name: shown.x})
        return differentiate(root, leaves[name], 1, name)

    if shown.k != at:
        print(message("terminal.newton_not_reached", at=at, k=shown.k), file=out)
    title = message(
        "terminal.newton_title",
        name=name,
        source=expression.source,
        x=f"{shown.x:.15g}",
        k=shown.k,
    )
    with outputs:
        stage_pictures(build, title, pictures, outputs)
        return report_written(outputs, out)
