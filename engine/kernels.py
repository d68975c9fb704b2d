"""The arithmetic of the ops with edge cases, on plain floats: value, local derivatives, errors.

Each kernel returns the op's result and ∂out/∂operand for each operand, or
raises an error that names the op and the operand (``who``, shown with
``repr``). :class:`~engine.value.Value` and :class:`~engine.replay.Replay`
both call these, so a traced graph replays with bit-for-bit the same numbers.
The one-line ops (``+ - *``, negation, relu) are written inline where they
are used, because a function call would cost more than the op itself.
"""

from __future__ import annotations

import math

from .rules import CONSTANT_POWER, derivative


@derivative("/", "1/{b}", "−{a}/{b}²")
def divide(a: float, b: float, who: object) -> tuple[float, float, float]:
    """a / b: ∂/∂a = 1/b, ∂/∂b = −a/b²."""
    if b == 0.0:
        raise ZeroDivisionError(
            f"division by zero in a / b: b is {who!r}; the quotient and ∂/∂b = −a/b² "
            "are undefined there"
        )
    return a / b, 1.0 / b, -a / (b * b)


@derivative(CONSTANT_POWER, "{k}·{power}")
def constant_power(x: float, k: float, who: object) -> tuple[float, float]:
    """x ** k for a plain-number k: ∂/∂x = k·x^(k−1) (infinite at x = 0 when 0 < k < 1)."""
    if x == 0.0 and k < 0.0:
        raise ZeroDivisionError(f"x ** {k:g} is undefined at x = 0 (x is {who!r})")
    if x < 0.0 and not k.is_integer():
        raise ValueError(
            f"x ** {k:g} of a negative base is not a real number (x is {who!r}); "
            "use an integer exponent or a positive base"
        )
    try:
        out = x**k
        if k == 0.0:
            return out, 0.0
        if x == 0.0 and k < 1.0:
            return out, math.inf
        return out, k * x ** (k - 1.0)
    except OverflowError:
        raise OverflowError(f"x ** {k:g} overflows a float for x = {x!r} ({who!r})") from None


@derivative("**", "{b}·{a}^({b}−1)", "{out}·ln {a}")
def value_power(a: float, b: float, who: object) -> tuple[float, float, float]:
    """a ** b with b a Value: ∂/∂a = b·a^(b−1), ∂/∂b = a^b·ln a, so a must be > 0."""
    if a <= 0.0:
        raise ValueError(
            f"a ** b with a Value exponent needs a base a > 0 (∂/∂b = a^b·ln a), got a = {who!r}; "
            "for a constant exponent use a plain number, e.g. x ** 2"
        )
    try:
        out = a**b
        return out, b * a ** (b - 1.0), out * math.log(a)
    except OverflowError:
        raise OverflowError(f"a ** b overflows a float for a = {a!r}, b = {b!r}") from None


@derivative("exp", "{out}")
def exp(x: float, who: object) -> tuple[float, float]:
    """e^x, its own derivative."""
    try:
        out = math.exp(x)
    except OverflowError:
        raise OverflowError(
            f"exp overflow: exp of {who!r} exceeds the largest float (about 1.8e308, "
            "reached at x ≈ 709.78); scale the input down before exp"
        ) from None
    return out, out


@derivative("log", "1/{a}")
def log(x: float, who: object) -> tuple[float, float]:
    """ln x for x > 0: ∂/∂x = 1/x."""
    if x <= 0.0:
        raise ValueError(
            f"log needs a positive input, got {who!r}; ln x is only defined for x > 0 "
            "(add a small epsilon or clamp the input first)"
        )
    return math.log(x), 1.0 / x


@derivative("tanh", "1 − {out}²")
def tanh(x: float, who: object) -> tuple[float, float]:
    """tanh x: ∂/∂x = 1 − tanh² x."""
    t = math.tanh(x)
    return t, 1.0 - t * t


@derivative("sigmoid", "{out}·(1 − {out})")
def sigmoid(x: float, who: object) -> tuple[float, float]:
    """σ(x) = 1/(1 + e^−x), computed without overflow: ∂/∂x = σ(1 − σ)."""
    if x >= 0.0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        s = e / (1.0 + e)
    return s, s * (1.0 - s)


@derivative("softplus", "σ({a})")
def softplus(x: float, who: object) -> tuple[float, float]:
    """softplus(x) = ln(1 + e^x), a smooth relu: ∂/∂x = e^x/(1 + e^x) = σ(x).

    ln(1 + e^x) = x + ln(e^−x + 1), so it equals max(x, 0) + ln(1 + e^−|x|): the
    exp is then at most 1 and nothing overflows for any x. The slope σ(x) reuses
    that exp, written as the sigmoid kernel writes it: 1/(1 + e^−x) for x ≥ 0,
    e^x/(1 + e^x) for x < 0.
    """
    if x >= 0.0:
        e = math.exp(-x)
        return x + math.log1p(e), 1.0 / (1.0 + e)
    e = math.exp(x)
    return math.log1p(e), e / (1.0 + e)


UNARY = {"exp": exp, "log": log, "tanh": tanh, "sigmoid": sigmoid, "softplus": softplus}
"""The one-operand kernels by op name (negation and relu are inline)."""
