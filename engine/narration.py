"""Backprop in words: names for nodes, the op table's formulas filled in, one sentence per step.

    n.grad += 0.5 × 1.0 = 0.5   (∂o/∂n = 1 − o² = 1 − 0.70710678² = 0.5)

The formula comes from the op table (``engine.optable``): each op writes its
local derivatives with placeholders, ``{a}``/``{b}`` for its operands,
``{out}`` for its value and each attr by name (``{k}``). :func:`formula` fills
them with names (``1 − o²``) or with numbers (``1 − 0.7071²``). An op without
formulas (a hand-made node, or a learner's op defined without them) shows the
number itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .backprop import BackwardStep
    from .value import Value

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_number(x: float, digits: int = 4) -> str:
    """A short, readable float: four significant digits, ``3.0`` rather than ``3``."""
    text = f"{x:.{digits}g}"
    if text.lstrip("-").isdigit():
        text += ".0"
    return text


def agreeing(
    numbers: Sequence[float], compute: Callable[[list[float]], float | None], result: float
) -> list[str]:
    """``numbers`` written with just enough digits for ``compute`` of them to show ``result``.

    A caption's equation must check: recomputed from the digits shown, it gives the result
    shown (four significant digits). So each number starts at four significant digits and
    all get one more until it does: ``1 − 0.99999952956² = 9.409e-07``, never
    ``1 − 1.0² = 9.409e-07``. At 17 digits a float is exact, so that is the most it takes.
    The pages' captions follow the same rule (``viz/web/narration.js``).
    """
    target = format_number(result)
    for digits in range(4, 18):
        texts = [format_number(x, digits) for x in numbers]
        try:
            again = compute([float(text) for text in texts])
        except (ArithmeticError, ValueError):
            continue
        if again is not None and format_number(again) == target:
            return texts
    return [format_number(x, 17) for x in numbers]


def power_text(base: str, exponent: float) -> str:
    """``x²`` for a whole exponent 0 to 9, else ``x^0.5``.

    How the ovals, the captions and the terminal write x ** k.
    """
    if exponent.is_integer() and 0 <= exponent <= 9:
        return base + str(int(exponent)).translate(SUPERSCRIPT)
    return f"{base}^{_attr(exponent)}"


def name_of(v: Value, depth: int = 2, names: Mapping[Value, str] | None = None) -> str:
    """A short name for ``v`` in text: its name in ``names``, its label, a leaf's value, or
    its op over its operands.

    Unlabelled results are spelled out ``depth`` levels deep, e.g. ``((x1·w1)+b)``,
    and ``…`` stands for anything deeper. ``names`` (:func:`node_names`) gives every node
    one name, the one the pages and ``chainrule step`` use.
    """
    if names is not None and v in names:
        return names[v]
    if v.label:
        return v.label
    if v.op is None:
        return format_number(v.data)
    if depth == 0:
        return "…"
    return spelled(v, depth, names)


def spelled(v: Value, depth: int = 1, names: Mapping[Value, str] | None = None) -> str:
    """``v``'s op over its operands' names: ``(x1w1+x2w2)``, ``x²``, ``tanh(n)``."""
    operands = [name_of(p, depth - 1, names) for p in v.parents]
    op = v.op
    if op is None:
        return format_number(v.data)
    if op.infix:  # between two operands, before an attr (x²), or before one operand (−x)
        if len(operands) == 2:
            return f"({operands[0]}{op.infix}{operands[1]})"
        if len(operands) == 1 and len(v.attrs) == 1:
            if op.infix == "^":
                return power_text(operands[0], v.attrs[0])
            return f"{operands[0]}{op.infix}{_attr(v.attrs[0])}"
        if len(operands) == 1 and not v.attrs:
            return f"({op.infix}{operands[0]})"
    return f"{op.name}({', '.join(operands)})"


def node_names(order: Sequence[Value], shown: Callable[[str], str] = str) -> dict[Value, str]:
    """One name for every node but the constants: its label, or ``t1``, ``t2`` … in order.

    ``order`` is the graph in topological order. A label is written ``shown(label)`` (the
    pages cut long ones); one that two nodes share gets ``_2``, ``_3`` … on its later nodes,
    skipping any that is another node's label, so no two nodes share a name.
    The terminal (``chainrule step``), the diagrams and the step-through page all use these
    names, so ``t1`` is ``t1`` everywhere.
    """
    names: dict[Value, str] = {}
    taken = {shown(node.label) for node in order if node.label}
    seen: dict[str, int] = {}
    auto = 0
    for node in order:
        if node.is_constant:
            continue
        if node.label:
            label = shown(node.label)
            seen[label] = seen.get(label, 0) + 1
            name = label if seen[label] == 1 else f"{label}_{seen[label]}"
            while seen[label] > 1 and name in taken:  # another node's own label: x, x, x_2
                seen[label] += 1
                name = f"{label}_{seen[label]}"
        else:
            auto += 1
            name = f"t{auto}"
            while name in taken:
                auto += 1
                name = f"t{auto}"
        taken.add(name)
        names[node] = name
    return names


def grouped(name: str) -> str:
    """``name`` in parentheses when it has an operator outside parentheses: ``(x*w + b).grad``."""
    depth = 0
    for char in name:
        depth += (char == "(") - (char == ")")
        if depth == 0 and char in "+-−*/·^ ":
            return f"({name})"
    return name


def formula(
    node: Value,
    operand: int,
    *,
    numbers: bool = False,
    names: Mapping[Value, str] | None = None,
) -> str:
    """The op table's formula for ∂node/∂(parent number ``operand``), or ``""`` if it has none.

    With names: ``1 − o²``; an attr is its number, simplified (``2·x`` for x ** 2). With
    ``numbers=True``, each placeholder is the current value, negative ones in parentheses,
    with enough digits that the formula recomputed from them gives the local derivative
    shown (:func:`agreeing`): ``1 − 0.7071²``.
    """
    op = node.op
    if op is None or operand >= len(op.formulas):
        return ""
    template = op.shown_formula(operand, node.attrs)
    parents = node.parents
    keys = ("a", "b", "out")
    values = {"a": parents[0], "b": parents[-1], "out": node}
    if not numbers:
        fill = {key: grouped(name_of(values[key], names=names)) for key in keys}
    else:
        attrs = dict(zip(op.attrs, node.attrs, strict=True))
        data = [values[key].data for key in keys]

        def compute(shown: list[float]) -> float | None:
            return op.shown_number(operand, {**dict(zip(keys, shown, strict=True)), **attrs})

        local = node.local_grads[operand]
        texts = agreeing(data, compute, local) if compute(data) is not None else None
        texts = texts or [format_number(x) for x in data]
        fill = {
            key: f"({text})" if number < 0 else text
            for key, text, number in zip(keys, texts, data, strict=True)
        }
    fill.update({name: _attr(value) for name, value in zip(op.attrs, node.attrs, strict=True)})
    return template.format(**fill)


def _attr(value: float) -> str:
    return format_number(value).removesuffix(".0")


def describe_step(step: BackwardStep, names: Mapping[Value, str] | None = None) -> str:
    """``parent.grad += local × upstream = contribution [→ total]   (∂node/∂parent = formula)``.

    The formula is written with names, then with numbers when they say more
    (``1 − o² = 1 − 0.70710678² = 0.5``). Every equation checks: its numbers have the
    digits that give the result shown (:func:`agreeing`), as in the pages' captions.
    """
    node = grouped(name_of(step.node, names=names))
    parent = grouped(name_of(step.parent, names=names))
    local, upstream = agreeing(
        [step.local_grad, step.upstream_grad], lambda xs: xs[0] * xs[1], step.contribution
    )
    text = f"{parent}.grad += {local} × {upstream} = {format_number(step.contribution)}"
    if step.parent_grad != step.contribution:
        text += f" → {format_number(step.parent_grad)}"
    local_text = format_number(step.local_grad)
    written = formula(step.node, step.operand, names=names)
    if not written:
        written = local_text
    else:
        numeric = formula(step.node, step.operand, numbers=True)  # numbers: no names
        if numeric not in (written, local_text, f"({local_text})"):
            written += f" = {numeric} = {local_text}"
    return f"{text}   (∂{node}/∂{parent} = {written})"
