"""Checking gradients numerically, for the tests learners write themselves.

The central difference approximates a derivative from two evaluations:

    ∂f/∂x_i ≈ (f(x + ε·e_i) − f(x − ε·e_i)) / 2ε      error O(ε²) + O(machine ε · |f| / ε)

With ε = 1e-6 both error terms are around 1e-10 for well-scaled functions, so
a backprop gradient that is right agrees to many digits, and one that is wrong
(a forgotten factor, a sign slip) disagrees in the first digit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .grad_mode import no_grad
from .value import Value, real

Function = Callable[..., Value]


def _scalar_output(f: Function, inputs: list[Value]) -> Value:
    out = f(*inputs)
    if not isinstance(out, Value):
        raise TypeError(
            f"gradcheck needs f to return one Value (a scalar), got {type(out).__name__}: "
            f"{out!r:.80}; reduce a list of outputs to one number first, e.g. with sum()"
        )
    return out


def central_difference(f: Function, *inputs: float, index: int, eps: float = 1e-6) -> float:
    """The numeric partial derivative ∂f/∂x_index at ``inputs``, by central difference."""
    if not 0 <= index < len(inputs):
        raise IndexError(f"index {index} is out of range for {len(inputs)} inputs")
    with no_grad():
        up = [Value(x) for x in inputs]
        down = [Value(x) for x in inputs]
        up[index] = Value(inputs[index] + eps)
        down[index] = Value(inputs[index] - eps)
        return (_scalar_output(f, up).data - _scalar_output(f, down).data) / (2.0 * eps)


@dataclass(frozen=True, slots=True)
class InputCheck:
    """One input's comparison: backprop's gradient next to the numeric one."""

    name: str
    analytic: float
    numeric: float
    error: float
    ok: bool


@dataclass(frozen=True, slots=True)
class GradCheck:
    """The outcome of :func:`gradcheck`: one :class:`InputCheck` per input."""

    inputs: tuple[InputCheck, ...]
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.inputs)

    def __str__(self) -> str:
        lines = [
            f"gradcheck: |analytic − numeric| ≤ {self.atol:g} + {self.rtol:g}·|numeric|",
            f"  {'input':<10} {'analytic':>14} {'numeric':>14} {'error':>10}",
        ]
        for c in self.inputs:
            mark = "ok" if c.ok else "WRONG"
            lines.append(
                f"  {c.name:<10} {c.analytic:>14.8g} {c.numeric:>14.8g} {c.error:>10.2g}  {mark}"
            )
        return "\n".join(lines)


def gradcheck(
    f: Function, *inputs: float | Value, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7
) -> GradCheck:
    """Compare backprop's ∂f/∂x_i with a central difference for every input x_i.

    ``f`` takes one Value per input and returns a Value. Raises
    ``AssertionError`` listing, per input, the analytic gradient, the numeric
    one and their difference when any input is off; returns the comparison
    when all agree. Values passed as inputs are read, never modified.

    >>> from chainrule.engine import gradcheck
    >>> gradcheck(lambda a, b: a * b + b.tanh(), 2.0, -0.5).ok
    True
    """
    if not inputs:
        raise ValueError(
            "gradcheck needs at least one input value to differentiate with respect to"
        )
    if real(eps, "gradcheck eps") <= 0:
        raise ValueError(f"gradcheck eps must be positive, got {eps!r}")
    for name, tolerance in (("rtol", rtol), ("atol", atol)):
        if real(tolerance, f"gradcheck {name}") < 0:
            raise ValueError(f"gradcheck {name} must be ≥ 0, got {tolerance!r}")
    points = [
        x.data if isinstance(x, Value) else real(x, f"gradcheck input {i}")
        for i, x in enumerate(inputs)
    ]
    names = [x.label if isinstance(x, Value) and x.label else f"x{i}" for i, x in enumerate(inputs)]
    leaves = [Value(x, name) for x, name in zip(points, names, strict=True)]
    _scalar_output(f, leaves).backward()
    checks = []
    for i, leaf in enumerate(leaves):
        numeric = central_difference(f, *points, index=i, eps=eps)
        error = abs(leaf.grad - numeric)
        checks.append(
            InputCheck(names[i], leaf.grad, numeric, error, error <= atol + rtol * abs(numeric))
        )
    result = GradCheck(tuple(checks), rtol, atol)
    if not result.ok:
        raise AssertionError(f"backprop disagrees with the central difference\n{result}")
    return result
