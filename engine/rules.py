"""Each op's local derivatives, written the way a person would say them.

Every operation of :class:`~engine.value.Value` registers, right above the
method or kernel (``engine.kernels``) that computes it, one formula per
operand: ``∂out/∂a`` and ``∂out/∂b``. The engine itself never reads these
strings (it multiplies the numbers in ``local_grads``); they exist so that a
backward step can be narrated as the chain rule, e.g. ``(∂c/∂a = b)``.

Placeholders: ``{out}`` the op's result, ``{a}`` and ``{b}`` its operands in
order, ``{k}`` a constant exponent and ``{power}`` the operand to the power ``k − 1``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

FORMULAS: dict[str, tuple[str, ...]] = {}

CONSTANT_POWER = "**k"
"""Key under which ``x ** k`` (a plain-number exponent) is registered."""


def derivative(op: str, *formulas: str) -> Callable[[F], F]:
    """Register how the local derivative of ``op`` reads, one formula per operand."""

    def register(method: F) -> F:
        FORMULAS[op] = formulas
        return method

    return register


def format_number(x: float) -> str:
    """A short, readable float: four significant digits, ``3.0`` rather than ``3``."""
    text = f"{x:.4g}"
    if text.lstrip("-").isdigit():
        text += ".0"
    return text


def local_grad_formula(op: str, operand: int, out: str, operands: list[str]) -> str:
    """The formula for ``∂out/∂(operand number ``operand``)`` of ``op``.

    ``out`` and ``operands`` are the names to print. Ops registered by users
    through ``Value(..., op=...)`` have no formula; the number is shown instead.
    """
    key = op
    constant_exponent = ""
    if op.startswith("**") and op != "**":
        key, constant_exponent = CONSTANT_POWER, op[2:]
    formulas = FORMULAS.get(key)
    if formulas is None or operand >= len(formulas):
        return ""
    names = {"out": out, "a": operands[0], "b": operands[-1]}
    if constant_exponent:
        k1 = format_number(float(constant_exponent) - 1).removesuffix(".0")
        names["k"] = constant_exponent
        names["power"] = {"1": names["a"], "0": "1"}.get(k1, f"{names['a']}^{k1}")
    return formulas[operand].format(**names)
