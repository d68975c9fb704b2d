"""``chainrule step EXPR``: an expression's forward values, then its backward pass step by step."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from chainrule.engine import BackwardStep, Value, format_number, name_of, topological_order
from chainrule.expression import Expression
from chainrule.terminal import Style

HELP_LINE = "Enter: next step   b: back one step   q: quit"


def print_forward(root: Value, out: TextIO, style: Style) -> None:
    """Each computed value once, in the order it is computed (constants left out).

    A formula that is a bare number (``chainrule step -2``) shows just that number.
    """
    print(style("Forward pass", "bold"), file=out)
    nodes = [v for v in topological_order(root) if v.label] or [root]
    names = [name_of(v) for v in nodes]
    width = min(max(len(name) for name in names), 40)
    for v, name in zip(nodes, names, strict=True):
        print(f"  {name:>{width}} = {format_number(v.data)}", file=out)


def print_gradients(root: Value, leaves: dict[str, Value], out: TextIO, style: Style) -> None:
    print(style(f"Gradients of {name_of(root)}", "bold"), file=out)
    for name, leaf in leaves.items():
        print(f"  ∂f/∂{name} = {format_number(leaf.grad)}", file=out)


def step_text(number: int, total: int, step: BackwardStep, style: Style) -> str:
    return f"  {style(f'step {number}/{total}', 'cyan')}  {step}"


def walk_steps(
    steps: Sequence[BackwardStep], out: TextIO, style: Style, keys: TextIO | None
) -> bool:
    """Print the steps; with ``keys`` (a terminal), wait for Enter/b/q before each one.

    Returns False when the learner quit before the end.
    """
    total = len(steps)
    if keys is None:
        for i, step in enumerate(steps):
            print(step_text(i + 1, total, step, style), file=out)
        return True
    print(style(HELP_LINE, "dim"), file=out)
    current = -1
    while current < total - 1:
        out.write(style("> ", "dim"))
        out.flush()
        key = keys.readline()
        command = key.strip().lower()
        if not key or command == "q":
            print("stopped before the end of the backward pass", file=out)
            return False
        if command == "b":
            if current <= 0:
                print("  (already at the first step)", file=out)
                continue
            current -= 1
            print(step_text(current + 1, total, steps[current], style) + "   ↩", file=out)
        elif command == "":
            current += 1
            print(step_text(current + 1, total, steps[current], style), file=out)
        else:
            print(f"  unknown key {command!r}; {HELP_LINE}", file=out)
    return True


def run(
    expression: Expression,
    values: dict[str, float],
    *,
    pause: bool,
    html: Path | None,
    svg: Path | None,
    out: TextIO = sys.stdout,
) -> int:
    """The whole ``step`` command after parsing; returns the exit status."""
    style = Style.for_stream(out)
    root, leaves = expression.build(values)
    print_forward(root, out, style)
    print(style("\nBackward pass: parent.grad += ∂node/∂parent × node.grad", "bold"), file=out)
    keys = sys.stdin if pause and sys.stdin.isatty() else None
    finished = walk_steps(list(root.backward_steps()), out, style, keys)
    if finished:
        print(file=out)
        print_gradients(root, leaves, out, style)
    if html is not None or svg is not None:
        from chainrule.viz import draw_graph, render, write_step_through

        if html is not None:
            write_step_through(expression.build(values)[0], html, title=expression.source)
            print(f"wrote {html}", file=out)
        if svg is not None:
            fresh, _ = expression.build(values)
            fresh.backward()
            render(draw_graph(fresh), svg, format="svg")
            print(f"wrote {svg}", file=out)
    return 0
