"""What the engine checks of every kernel's answer, wherever a kernel runs.

A kernel (``engine.optable``) takes plain floats and returns ``(value, ∂value/∂a, …)``.
Before a node is made from that answer (by ``apply``, a ``Replay`` or the fast path),
the answer must be one number per slot, each finite. Otherwise the engine raises its own
:class:`~engine.errors.MathError`, naming the op and its operands, and makes nothing:

- the kernel raised (``log`` of −1, a division by 0): :func:`op_error`;
- a number is inf or NaN (``exp(800)``): :func:`not_finite`;
- it returned the wrong count (a ``ValueError``) or something that is not a number (a
  ``TypeError``), naming the op: a mistake in the kernel, not a MathError of the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import DomainError, MathError, NumberOverflowError, refined
from .i18n import language, message

if TYPE_CHECKING:
    from .optable import OpRecord

ARITHMETIC_ERRORS = (ArithmeticError, ValueError)
"""What a kernel raises for inputs outside its op's domain (ZeroDivisionError and
OverflowError are ArithmeticErrors); the engine raises them again as its own
:class:`~engine.errors.MathError`, naming the op and its operands."""

_isfinite = math.isfinite

PYTHON_DIVISION_BY_ZERO = "float division by zero"
"""What Python says of ``x / 0.0`` (a learner's kernel, or a formula without a domain for
it); :func:`op_error` says it in the current language (``engine.float_division_by_zero``)."""


Operands = Callable[[], Sequence[object]]
"""The operands as an error message shows them, asked for only when there is an error."""


def checked(
    op: OpRecord, result: Any, operands: Operands, attrs: Sequence[float] = ()
) -> tuple[float, ...]:
    """The kernel's ``result`` as ``arity + 1`` finite floats, or the error that says why not."""
    exact = result.__class__ is tuple and len(result) == op.arity + 1
    if exact and all(x.__class__ is float for x in result):
        if not all(map(_isfinite, result)):
            raise not_finite(op, result, operands(), attrs)
        return result
    return _converted(op, result, operands, attrs)


def _converted(
    op: OpRecord, result: Any, operands: Operands, attrs: Sequence[float]
) -> tuple[float, ...]:
    """The slow path of :func:`checked`: a list, ints, or something wrong."""
    expected = op.arity + 1
    if not isinstance(result, tuple | list) or len(result) != expected:
        raise ValueError(
            f"the kernel of op {op.name!r} must return {expected} numbers (the value, then "
            f"∂value/∂ each operand), got {result!r:.80}"
        )
    numbers = []
    for x in result:
        if isinstance(x, bool) or not isinstance(x, int | float):
            raise TypeError(
                f"the kernel of op {op.name!r} returned {type(x).__name__} {x!r:.40}; "
                "it must return plain numbers"
            )
        try:
            numbers.append(float(x))
        except OverflowError:
            numbers.append(math.inf)  # an int beyond any float, e.g. 10**400
    if not all(map(_isfinite, numbers)):
        raise not_finite(op, numbers, operands(), attrs)
    return tuple(numbers)


def op_error(op: OpRecord, error: Exception, operands: Sequence[object]) -> MathError:
    """``error`` from ``op``'s kernel as the engine's own error, naming the op and its operands.

    Python's own words for ``x / 0.0`` are said in the current language, as the pages do.
    """
    detail = str(error) or type(error).__name__
    if isinstance(error, ZeroDivisionError) and detail == PYTHON_DIVISION_BY_ZERO:
        detail = message("engine.float_division_by_zero")
    return refined(error)(message("engine.located", detail=detail, where=where(op, operands)))


def not_finite(
    op: OpRecord, numbers: Sequence[float], operands: Sequence[object], attrs: Sequence[float] = ()
) -> MathError:
    """The error for an op whose value or a local derivative (``numbers``) is inf or NaN.

    NaN is a :class:`DomainError`; inf a :class:`NumberOverflowError`, in the op's own words
    when it has some (``op.overflow``).
    """
    value, *local_grads = numbers
    names = operand_names(len(operands))
    if not _isfinite(value):
        what = message("engine.its_value", value=repr(value))
    else:
        i = next(i for i, g in enumerate(local_grads) if not _isfinite(g))
        what = message("engine.its_local_derivative", operand=names[i], value=repr(local_grads[i]))
    at = where(op, operands)
    if any(x != x for x in numbers):  # NaN is the one float not equal to itself
        return DomainError(message("engine.not_a_number", op=op.name, what=what, where=at))
    if op.overflow:
        own = message("engine.located", detail=_say_overflow(op, attrs), where=at)
        return NumberOverflowError(own)
    return NumberOverflowError(message("engine.overflows", op=op.name, what=what, where=at))


def _say_overflow(op: OpRecord, attrs: Sequence[float]) -> str:
    """The op's own overflow message, its attrs filled in as numbers (``x ** 2 overflows…``)."""
    words = op.overflow[language()]
    for name, number in zip(op.attrs, attrs, strict=True):
        words = words.replace("{" + name + "}", format(number, "g"))
    return words


def operand_names(count: int) -> tuple[str, ...]:
    """How messages name the operands: ``x`` alone, or ``a``, ``b`` (an op takes one or two)."""
    return ("x",) if count == 1 else ("a", "b")[:count]


def where(op: OpRecord, operands: Sequence[object]) -> str:
    """``in log of x = -1.0``: the op and its operands, for an error message.

    An operand is named by its label and shown by its number (``x = -1.0``), or by its
    number alone when it has no label: ``in div of 1.0 and y = 0.0``. The pages write it so
    too (``viz/web/engine.js``).
    """
    shown = [_operand_text(operand) for operand in operands]
    if len(shown) == 1:
        return message("engine.where_one", op=op.name, operand=shown[0])
    return message("engine.where_two", op=op.name, first=shown[0], second=shown[1])


def _operand_text(operand: object) -> str:
    data = getattr(operand, "data", operand)
    number = repr(float(data)) if isinstance(data, int | float) else repr(data)
    label = getattr(operand, "label", "")
    return f"{label} = {number}" if label else number
