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
from chainrule.expression import Expression
from chainrule.outputs import Outputs, UsageError
from chainrule.step_command import Pictures, differentiate, require_dot, stage_pictures
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
    if pictures.need_dot():
        require_dot()
    if at > steps:
        raise UsageError(f"--at {at}: there are only iterates 0 to {steps} (--steps {steps})")
    if pictures:
        _check_size(expression, name, x0)
    print(
        style(f"Newton's method on f = {expression.source} from {name} = {x0:g}", "bold"),
        file=out,
    )
    print(
        f"  {name} ← {name} − f′({name})/f″({name}); f′ is grad(f, [{name}], "
        f"create_graph=True), a graph, and f″ its backward pass",
        file=out,
    )
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
            problem = (
                f"f″({name}) = 0 at {name} = {row.x:.15g} (iterate {k}): the Newton step "
                f"−f′/f″ divides by zero (f is straight there, no parabola to jump to the "
                f"bottom of); start from another {name}"
            )
            break
        following = row.x - row.d1 / row.d2
        if not math.isfinite(following):
            problem = (
                f"the step from {name} = {row.x:.15g} (iterate {k}) leaves the floats: "
                f"f′/f″ = {row.d1:g}/{row.d2:g}; start from another {name}"
            )
            break
        if following == row.x:
            settled = True  # f′ is a rounding error away from 0: the step is below a float's
            break
        x = following
    print(f"  {name}: " + " → ".join(f"{row.x:.4f}" for row in iterates) + "   (4 places)")
    last = iterates[-1]
    if problem:
        print(f"chainrule newton: {problem}", file=err)
        return MATH_ERROR
    print(_verdict(name, last, settled), file=out)
    if pictures:
        shown = iterates[min(at, len(iterates) - 1)]
        _write(expression, name, shown, at, pictures, outputs, out)
    return 0


def _verdict(name: str, last: Iterate, settled: bool) -> str:
    if last.d1 != 0.0 and settled:
        return (
            f"{name} = {last.x:.15g} no longer changes after {last.k} steps: f′ = "
            f"{format_number(last.d1)} is rounding, and the step −f′/f″ is below a float's "
            "precision"
        )
    if last.d1 != 0.0:
        return (
            f"after {last.k} steps: {name} = {last.x:.15g}, f′ = {format_number(last.d1)} "
            f"(not yet 0: more --steps may get closer, if f has a stationary point)"
        )
    kind = (
        "a minimum (f″ > 0)"
        if last.d2 > 0
        else "a maximum (f″ < 0)"
        if last.d2 < 0
        else "f″ = 0 there, so it may be neither a minimum nor a maximum"
    )
    return f"f′ = 0 after {last.k} steps: {name} = {last.x:.15g} is a stationary point of f, {kind}"


def _check_size(expression: Expression, name: str, x: float) -> None:
    """Refuse, before any step, a graph of f′ too large to draw."""
    from chainrule.viz import DEFAULT_MAX_NODES

    root, leaves = expression.build({name: x})
    count = len(topological_order(differentiate(root, leaves[name], 1, name)))
    if count > DEFAULT_MAX_NODES:
        raise UsageError(
            f"the graph of ∂f/∂{name} has {count} nodes, too many to draw (the limit is "
            f"{DEFAULT_MAX_NODES}); leave out --html/--svg/--png"
        )


def _write(
    expression: Expression,
    name: str,
    shown: Iterate,
    at: int,
    pictures: Pictures,
    outputs: Outputs,
    out: TextIO,
) -> None:
    """The graph of f′ at iterate ``at`` (the last one reached, if it stopped before)."""

    def build() -> Value:
        root, leaves = expression.build({name: shown.x})
        return differentiate(root, leaves[name], 1, name)

    if shown.k != at:
        print(
            f"iterate {at} is not reached (Newton stopped at iterate {shown.k}, where the step "
            f"is 0): the pictures show iterate {shown.k}, which every later one equals",
            file=out,
        )
    title = f"∂f/∂{name} of {expression.source} at {name} = {shown.x:.15g} (iterate {shown.k})"
    with outputs:
        stage_pictures(build, title, pictures, outputs)
        for path in outputs.commit():
            print(f"wrote {path}", file=out)
