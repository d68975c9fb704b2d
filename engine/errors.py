"""The engine's own errors: an op was given numbers outside its domain, or its result is not finite.

Each is also the standard exception it refines, so ``except ValueError``
still catches a ``log`` of a negative number; and each is a
:class:`MathError`, so a program (the ``chainrule`` command, for one) can tell
a mistake in the user's formula or data from a bug:

    MathError
    ├── DomainError          (a ValueError)         log(−1), a ** b with a ≤ 0, a NaN
    ├── NumberOverflowError  (an OverflowError)     exp(800), 1e308 · 10, a slope that overflows
    └── DivisionByZeroError  (a ZeroDivisionError)  a / 0, 0 ** −1

The message names the op and its operands, e.g. ``log needs a positive input …
(in log of x = -1.0)``, and nothing is
created or changed when one is raised.
"""

from __future__ import annotations


class MathError(Exception):
    """An op could not compute a finite value and finite local derivatives for its operands."""


class DomainError(MathError, ValueError):
    """The operands are outside the op's domain, or the result is not a number (NaN)."""


class NumberOverflowError(MathError, OverflowError):
    """The op's value or a local derivative is too large for a float."""


class DivisionByZeroError(MathError, ZeroDivisionError):
    """A division by an exact zero."""


def refined(error: Exception) -> type[MathError]:
    """The engine's error type for an exception a kernel raised."""
    if isinstance(error, ZeroDivisionError):
        return DivisionByZeroError
    if isinstance(error, ArithmeticError):  # OverflowError, FloatingPointError
        return NumberOverflowError
    return DomainError
