"""Checking gradients numerically, for the tests learners write themselves.

The central difference approximates a derivative from two evaluations:

    ∂f/∂x_i ≈ (f(x + ε·e_i) − f(x − ε·e_i)) / 2ε      error O(ε²) + O(machine ε · |f| / ε)

With ε = 1e-6 both error terms are around 1e-10 for well-scaled functions, so
a backprop gradient that is right agrees to many digits, and one that is wrong
(a forgotten factor, a sign slip) disagrees in the first digit.

:func:`gradcheck` returns a :class:`GradCheck` whose truth is its verdict and whose
text is the table, so the line a teacher writes first is right: ``assert gradcheck(f, 2.0)``
fails when backprop disagrees with the numbers. With ``raise_exception=True`` (PyTorch's
default) a mismatch raises :class:`GradcheckError`, an ``AssertionError`` carrying the
table. Bad arguments (no inputs, a non-number, ``f`` not returning one Value, ε ≤ 0) are a
``TypeError`` or ``ValueError`` at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import numeric
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
    """The numeric partial derivative ∂f/∂x_index at ``inputs``, by central difference.

    :func:`chainrule.engine.numeric.central_difference` on ``f`` read as a function of floats.
    """
    if not 0 <= index < len(inputs):
        raise IndexError(f"index {index} is out of range for {len(inputs)} inputs")

    def plain(point: list[float]) -> float:
        return _scalar_output(f, [Value(x) for x in point]).data

    # The graph is recorded (not no_grad()): f may differentiate inside itself, as a
    # gradient penalty does with grad(…, create_graph=True), and that needs the graph.
    return numeric.central_difference(plain, inputs, index, eps)


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
    """The outcome of :func:`gradcheck`: one :class:`InputCheck` per input.

    ``ok`` is True when every input agrees; ``str()`` is the table, each row
    marked ``ok`` or ``WRONG``, ending with the names of the wrong inputs.
    """

    inputs: tuple[InputCheck, ...]
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        """True when backprop and the central difference agree for every input."""
        return all(check.ok for check in self.inputs)

    def __bool__(self) -> bool:
        """The verdict, so that ``assert gradcheck(f, x)`` fails on a wrong derivative."""
        return self.ok

    @property
    def wrong(self) -> tuple[str, ...]:
        """The names of the inputs whose gradients disagree (empty when ``ok``)."""
        return tuple(check.name for check in self.inputs if not check.ok)

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
        if self.wrong:
            lines.append(f"WRONG: {', '.join(self.wrong)} (backprop disagrees with the numbers)")
        return "\n".join(lines)


class GradcheckError(AssertionError):
    """A gradient check that failed, raised with ``raise_exception=True``; its text is the table.

    ``result`` is the :class:`GradCheck` itself.
    """

    def __init__(self, result: GradCheck) -> None:
        super().__init__(str(result))
        self.result = result


def verdict(result: GradCheck, raise_exception: bool) -> GradCheck:
    """``result``, or a :class:`GradcheckError` raised when asked for and it is wrong."""
    if raise_exception and not result.ok:
        raise GradcheckError(result)
    return result


def gradcheck(
    f: Function,
    *inputs: float | Value,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    raise_exception: bool = False,
) -> GradCheck:
    """Compare backprop's ∂f/∂x_i with a central difference for every input x_i.

    ``f`` takes one Value per input and returns a Value. Returns a
    :class:`GradCheck`: its ``ok`` (and its truth) is False when any input is off,
    and ``print(result)`` lists, per input, the analytic gradient, the numeric
    one and their difference, naming the wrong inputs. Assert on it:
    ``assert gradcheck(f, x)``; or pass ``raise_exception=True`` to have a mismatch
    raise :class:`GradcheckError` with the table. Bad arguments raise
    ``TypeError``/``ValueError``. Values passed as inputs are read,
    never modified; an input that is a labelled Value keeps its label in the
    table (others are ``x0``, ``x1``, …).

    >>> from chainrule.engine import Value, gradcheck
    >>> gradcheck(lambda a, b: a * b + b.tanh(), 2.0, -0.5).ok
    True
    >>> def wrong_square(x):   # x², with 1·x instead of 2·x as its local derivative
    ...     return Value(x.data**2, parents=(x,), local_grads=(x.data,), op="square")
    >>> result = gradcheck(wrong_square, Value(3.0, "x"))
    >>> result.ok
    False
    >>> print(result)  # doctest: +ELLIPSIS
    gradcheck: |analytic − numeric| ≤ 1e-07 + 1e-05·|numeric|
      input            analytic        numeric      error
      x                       3              6          3  WRONG
    WRONG: x (backprop disagrees with the numbers)
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
    return verdict(GradCheck(tuple(checks), rtol, atol), raise_exception)
