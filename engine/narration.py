"""Backprop in words: names for nodes, the op table's formulas filled in, one sentence per step.

    n.grad += 0.5 × 1.0 = 0.5   (∂o/∂n = 1 − o²)

The formula comes from the op table (``engine.optable``): each op writes its
local derivatives with placeholders, ``{a}``/``{b}`` for its operands,
``{out}`` for its value and each attr by name (``{k}``). :func:`formula` fills
them with names (``1 − o²``) or with numbers (``1 − 0.7071²``). An op without
formulas (a hand-made node, or a learner's op defined without them) shows the
number itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .backprop import BackwardStep
    from .value import Value


def format_number(x: float) -> str:
    """A short, readable float: four significant digits, ``3.0`` rather than ``3``."""
    text = f"{x:.4g}"
    if text.lstrip("-").isdigit():
        text += ".0"
    return text


def name_of(v: Value, depth: int = 2) -> str:
    """A short name for ``v`` in text: its label, a leaf's value, or its op over its operands.

    Unlabelled results are spelled out ``depth`` levels deep, e.g. ``((x1·w1)+b)``,
    and ``…`` stands for anything deeper.
    """
    if v.label:
        return v.label
    if v.op is None:
        return format_number(v.data)
    if depth == 0:
        return "…"
    operands = [name_of(p, depth - 1) for p in v.parents]
    op = v.op
    if op.infix:  # between two operands, before an attr (x^2), or before one operand (−x)
        if len(operands) == 2:
            return f"({operands[0]}{op.infix}{operands[1]})"
        if len(operands) == 1 and len(v.attrs) == 1:
            return f"{operands[0]}{op.infix}{_attr(v.attrs[0])}"
        if len(operands) == 1 and not v.attrs:
            return f"({op.infix}{operands[0]})"
    return f"{op.name}({', '.join(operands)})"


def grouped(name: str) -> str:
    """``name`` in parentheses when it has an operator outside parentheses: ``(x*w + b).grad``."""
    depth = 0
    for char in name:
        depth += (char == "(") - (char == ")")
        if depth == 0 and char in "+-−*/·^ ":
            return f"({name})"
    return name


def formula(node: Value, operand: int, *, numbers: bool = False) -> str:
    """The op table's formula for ∂node/∂(parent number ``operand``), or ``""`` if it has none.

    With names: ``1 − o²``. With ``numbers=True``, each placeholder is the
    current value, negative ones in parentheses: ``1 − 0.7071²``.
    """
    op = node.op
    if op is None or operand >= len(op.formulas):
        return ""
    parents = node.parents

    def show(value: Value | float) -> str:
        if not numbers:
            return grouped(name_of(value)) if not isinstance(value, float) else _attr(value)
        number = value if isinstance(value, float) else value.data
        text = format_number(number)
        return f"({text})" if number < 0 else text

    names = {"out": show(node), "a": show(parents[0]), "b": show(parents[-1])}
    names.update({name: show(value) for name, value in zip(op.attrs, node.attrs, strict=True)})
    return op.formulas[operand].format(**names)


def _attr(value: float) -> str:
    return format_number(value).removesuffix(".0")


def describe_step(step: BackwardStep) -> str:
    """``parent.grad += local × upstream = contribution [→ total]   (∂node/∂parent = formula)``."""
    node, parent = grouped(name_of(step.node)), grouped(name_of(step.parent))
    text = (
        f"{parent}.grad += {format_number(step.local_grad)} × "
        f"{format_number(step.upstream_grad)} = {format_number(step.contribution)}"
    )
    if step.parent_grad != step.contribution:
        text += f" → {format_number(step.parent_grad)}"
    written = formula(step.node, step.operand) or format_number(step.local_grad)
    return f"{text}   (∂{node}/∂{parent} = {written})"
