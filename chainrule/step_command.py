"""``chainrule step EXPR``: an expression's forward values, then its backward pass step by step.

With ``--order N`` (N ≥ 2) the graph stepped through is not f's but its derivative
∂ᴺ⁻¹f/∂xᴺ⁻¹ (``--wrt x``), recorded as a graph of Values by ``grad(…, create_graph=True)``:
its forward listing is the backward pass of f written out as computations, and its own
backward pass ends with the N-th derivatives ∂ᴺf/∂xᴺ⁻¹∂v for every variable v.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from chainrule.engine import (
    BackwardStep,
    Value,
    describe_step,
    format_number,
    grad,
    name_of,
    node_names,
    topological_order,
)
from chainrule.engine.i18n import message
from chainrule.engine.narration import spelled
from chainrule.expression import Expression
from chainrule.outputs import Outputs, UsageError
from chainrule.terminal import Style

MAX_ORDER = 4
"""``--order`` goes up to this: each order multiplies the graph, and past the fourth
derivative of a classroom formula it is too large to read, let alone to draw."""

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def partial(times: int, wrt: str, then: str | None = None) -> str:
    """The name of a derivative: ``∂f/∂x``, ``∂²f/∂x²``, ``∂²f/∂x∂y``, ``∂³f/∂x²∂y``.

    ``times`` derivatives by ``wrt``, then (if given) one more by ``then``.
    """
    if then == wrt:
        times, then = times + 1, None
    total = times + (then is not None)

    def power(n: int) -> str:
        return str(n).translate(_SUPERSCRIPTS) if n > 1 else ""

    below = f"∂{wrt}{power(times)}" + (f"∂{then}" if then is not None else "")
    return f"∂{power(total)}f/{below}"


def differentiate(root: Value, leaf: Value, times: int, wrt: str) -> Value:
    """∂ᵗⁱᵐᵉˢroot/∂leafᵗⁱᵐᵉˢ as a graph of Values: ``grad(…, create_graph=True)``, repeated.

    A node the backward pass made is labelled with the derivative it is (``∂f/∂x``); a node
    that was there already (``∂(x·w)/∂x`` is the leaf ``w`` itself) keeps its name.
    """
    result = root
    for k in range(1, times + 1):
        before = set(topological_order(result))
        (result,) = grad(result, [leaf], create_graph=True)
        if result not in before and not result.is_constant and not result.label:
            result.label = partial(k, wrt)
    return result


def print_forward(
    root: Value, out: TextIO, style: Style, *, roles: bool = False
) -> dict[Value, str]:
    """Each value once, in the order it is computed (constants left out); returns the names.

    Every node has one name (:func:`engine.node_names`), the one the backward steps and the
    pictures use: its label, or ``t1``, ``t2`` … for a node without one, listed with what
    it computes (``t1 = x1w1 + x2w2 = -6.0``). A formula that is a bare number
    (``chainrule step -2``) shows just that number. With ``roles``, a node made by
    ``grad(…, create_graph=True)`` says what it is in the backward pass (its ``Role``).
    """
    print(style(message("terminal.step_forward"), "bold"), file=out)
    names = node_names(topological_order(root))
    nodes = list(names) or [root]
    shown = [names.get(v) or name_of(v) for v in nodes]
    width = min(max(len(name) for name in shown), 40)
    for v, name in zip(nodes, shown, strict=True):
        role = getattr(v, "role", None) if roles else None
        what = ""
        if v.op is not None and (not v.label or role is not None) and v in names:
            what = f"{_computes(v, names)} = "
        note = style(f"   ({role.describe()})", "dim") if role is not None else ""
        print(f"  {name:>{width}} = {what}{format_number(v.data)}{note}", file=out)
    return names


def print_gradients(root: Value, leaves: dict[str, Value], out: TextIO, style: Style) -> None:
    print(style(message("terminal.step_gradients", name=name_of(root)), "bold"), file=out)
    for name, leaf in leaves.items():
        print(f"  ∂f/∂{name} = {format_number(leaf.grad)}", file=out)


def print_higher(order: int, wrt: str, leaves: dict[str, Value], out: TextIO, style: Style) -> None:
    """The gradients of ∂ᴺ⁻¹f/∂xᴺ⁻¹: the N-th derivatives ∂ᴺf/∂xᴺ⁻¹∂v, one per variable."""
    heading = message(f"terminal.step_higher_{order}", partial=partial(order - 1, wrt))
    print(style(heading, "bold"), file=out)
    for name, leaf in leaves.items():
        print(f"  {partial(order - 1, wrt, name)} = {format_number(leaf.grad)}", file=out)


def _computes(v: Value, names: Mapping[Value, str]) -> str:
    """What an unlabelled node computes, as the page's caption writes it: ``x1w1 + x2w2``."""
    op = v.op
    if op is not None and op.infix and len(v.parents) == 2 and op.infix not in ("·", "^"):
        first, second = (name_of(p, 1, names) for p in v.parents)
        return f"{first} {op.infix} {second}"
    return spelled(v, names=names).removeprefix("(").removesuffix(")")


def step_text(
    number: int,
    total: int,
    step: BackwardStep,
    style: Style,
    names: Mapping[Value, str] | None = None,
) -> str:
    counter = message("terminal.step_number", number=number, total=total)
    return f"  {style(counter, 'cyan')}  {describe_step(step, names)}"


def walk_steps(
    steps: Sequence[BackwardStep],
    out: TextIO,
    style: Style,
    keys: TextIO | None,
    names: Mapping[Value, str] | None = None,
) -> bool:
    """Print the steps; with ``keys`` (a terminal), wait for Enter/b/q before each one.

    ``names`` are the nodes' names (what :func:`print_forward` returned). Returns False when
    the learner quit before the end.
    """
    total = len(steps)
    if keys is None:
        for i, step in enumerate(steps):
            print(step_text(i + 1, total, step, style, names), file=out)
        return True
    help_line = message("terminal.step_help")
    print(style(help_line, "dim"), file=out)
    current = -1
    while current < total - 1:
        out.write(style("> ", "dim"))
        out.flush()
        key = keys.readline()
        command = key.strip().lower()
        if not key or command == "q":
            print(message("terminal.step_stopped"), file=out)
            return False
        if command == "b":
            if current <= 0:
                print(message("terminal.step_at_first"), file=out)
                continue
            current -= 1
            back = step_text(current + 1, total, steps[current], style, names)
            print(back + "   ↩", file=out)
        elif command == "":
            current += 1
            print(step_text(current + 1, total, steps[current], style, names), file=out)
        else:
            print(message("terminal.step_unknown_key", key=repr(command), help=help_line), file=out)
    return True


@dataclass(frozen=True)
class Pictures:
    """The files ``chainrule step`` may write: the step-through page, the diagram (SVG, PNG)."""

    html: Path | None = None
    svg: Path | None = None
    png: Path | None = None

    def claim(self, outputs: Outputs) -> None:
        """Check every path before any work: suffixes, folders, existing files."""
        if self.svg is not None:
            _check_suffix("--svg", self.svg, "--png")
        if self.png is not None:
            _check_suffix("--png", self.png, "--svg")
        for option, path in (("--html", self.html), ("--svg", self.svg), ("--png", self.png)):
            if path is not None:
                outputs.claim(path, option)

    def __bool__(self) -> bool:
        return any(path is not None for path in (self.html, self.svg, self.png))


def _check_suffix(option: str, path: Path, other: str) -> None:
    """``--svg`` writes SVG and ``--png`` PNG: the path's suffix must say so."""
    kind, other_kind = option[2:], other[2:]
    if path.suffix.lower() == f".{kind}" or path.is_dir():  # a folder: the claim says so
        return
    if path.suffix.lower() == f".{other_kind}":
        hint = message(
            "terminal.step_wrong_suffix_other",
            other_kind=other_kind.upper(),
            other=other,
            path=path,
        )
    else:
        hint = message(
            "terminal.step_wrong_suffix_hint",
            other_kind=other_kind.upper(),
            other=other,
            suffix=other_kind,
        )
    raise UsageError(
        message(
            "terminal.step_wrong_suffix",
            option=option,
            path=path,
            kind=kind.upper(),
            suffix=kind,
            hint=hint,
        )
    )


def run(
    expression: Expression,
    values: dict[str, float],
    *,
    pause: bool,
    pictures: Pictures | None = None,
    force: bool = False,
    out: TextIO = sys.stdout,
    order: int = 1,
    wrt: str | None = None,
) -> int:
    """The whole ``step`` command after parsing; returns the exit status.

    Every output is checked before the forward pass is printed: its path (see
    :mod:`chainrule.outputs`) and the size of the graph, which must not be over
    ``chainrule.viz.DEFAULT_MAX_NODES`` nodes to be drawn. An SVG or PNG that cannot be
    drawn here (no ``dot``, no pygraphviz) is skipped and the status is 1
    (``report_written``); a page lays itself out in the browser without them. With ``order``
    N ≥ 2 the graph is that of ∂ᴺ⁻¹f/∂wrtᴺ⁻¹ (``wrt``: a variable of the expression, checked
    by the caller).
    """
    style = Style.for_stream(out)
    pictures = pictures or Pictures()
    outputs = Outputs(force=force)
    pictures.claim(outputs)
    if order > 1 and wrt is None:
        raise UsageError(message("terminal.step_order_needs_wrt", order=order))

    def build() -> tuple[Value, dict[str, Value]]:
        root, leaves = expression.build(values)
        if order > 1 and wrt is not None:
            root = differentiate(root, leaves[wrt], order - 1, wrt)
        return root, leaves

    root, leaves = build()
    derivative = partial(order - 1, str(wrt))
    what = message("terminal.step_this_expression") if order == 1 else derivative
    if pictures:
        from chainrule.viz import DEFAULT_MAX_NODES

        count = len(topological_order(root))
        if count > DEFAULT_MAX_NODES:
            raise UsageError(
                message(
                    "terminal.step_too_many_nodes", what=what, count=count, limit=DEFAULT_MAX_NODES
                )
            )
    if order > 1:
        heading = message(
            "terminal.step_as_graph", what=derivative, source=expression.source, wrt=wrt
        )
        print(style(heading, "bold"), file=out)
    names = print_forward(root, out, style, roles=order > 1)
    rule = "parent.grad += ∂node/∂parent × node.grad"
    if order == 1:
        heading = message("terminal.step_backward", rule=rule)
    else:
        heading = message("terminal.step_backward_of", what=derivative, rule=rule)
    print(style("\n" + heading, "bold"), file=out)
    keys = sys.stdin if pause and sys.stdin.isatty() else None
    finished = walk_steps(list(root.backward_steps()), out, style, keys, names)
    if finished:
        print(file=out)
        if order == 1:
            print_gradients(root, leaves, out, style)
        else:
            print_higher(order, str(wrt), leaves, out, style)
    if pictures:
        title = (
            expression.source
            if order == 1
            else message("terminal.step_title_higher", what=derivative, source=expression.source)
        )
        with outputs:
            stage_pictures(lambda: build()[0], title, pictures, outputs)
            return report_written(outputs, out)
    return 0


def report_written(outputs: Outputs, out: TextIO) -> int:
    """Commit, print each file written and those skipped; 1 if any named file was skipped.

    Every file of ``step`` and ``newton`` was asked for by name, so one that could not be
    drawn here (no ``dot``, no pygraphviz) is a failure, after the others are written.
    """
    for path in outputs.commit():
        print(message("terminal.wrote", path=path), file=out)
    if outputs.skipped:
        print(outputs.skipped_text(), file=out)
        return 1
    return 0


def stage_pictures(
    build: Callable[[], Value], title: str, pictures: Pictures, outputs: Outputs
) -> None:
    """Stage the page and the diagrams of a fresh graph from ``build()`` each.

    Those that cannot be drawn here are skipped (:meth:`Outputs.stage_picture`).
    """
    from chainrule.viz import draw_graph, render, write_step_through

    if pictures.html is not None:
        fresh = build()
        outputs.stage_picture(
            pictures.html,
            lambda path: write_step_through(fresh, path, title=title),
            suffix=".html",
        )
    for path, format in ((pictures.svg, "svg"), (pictures.png, "png")):
        if path is not None:
            drawn = build()
            drawn.backward()
            diagram = draw_graph(drawn)
            outputs.stage_picture(
                path, lambda target, d=diagram, f=format: render(d, target, format=f)
            )
