"""The tests of ops.py: each local derivative at random inputs.

Every test computes the right answer itself, twice: with chainrule's op table (the kernel of
chainrule.engine.OPS[name], which returns an op's value and its local derivatives) and with a
central difference of the op alone, (out(x + h) − out(x − h)) / 2h. There is no list of
answers here. A failure says which op and which operand, at which inputs, what was expected
and what your function returned, and the likely mistake when it recognises a common one; it
also draws the op with your number on the red edge, in diagrams/<op>.svg.

Each Mistake is (the operand it concerns or None for any, what the mistake gives from the same
arguments as your function, the hint). Add your own.
"""

import math
from pathlib import Path

import ops

from chainrule.exercises.checks import Mistake, check_op, random_inputs

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"


def test_mul():
    """local derivatives of a·b"""
    rng = random_inputs()
    points = [(rng.uniform(-3, 3), rng.uniform(-3, 3)) for _ in range(5)]
    mistakes = [
        Mistake(0, lambda a, b: a, "∂(a·b)/∂a is the other operand, b; this is a itself"),
        Mistake(1, lambda a, b: b, "∂(a·b)/∂b is the other operand, a; this is b itself"),
        Mistake(None, lambda a, b: a * b, "this is the product a·b itself, not its slope"),
    ]
    check_op("mul", ops.d_mul, points, rng=rng, mistakes=mistakes, diagrams=DIAGRAMS)


def test_div():
    """local derivatives of a/b"""
    rng = random_inputs()
    points = [(rng.uniform(-3, 3), rng.sign() * rng.uniform(0.5, 3)) for _ in range(5)]
    mistakes = [
        Mistake(
            1,
            lambda a, b: a / b**2,
            "a wrong sign: ∂(a/b)/∂b = −a/b² (a larger b makes a/b smaller when a/b > 0)",
        ),
        Mistake(1, lambda a, b: -1 / b**2, "a factor is missing: ∂(a/b)/∂b = −a/b², not −1/b²"),
        Mistake(1, lambda a, b: 1 / b**2, "∂(a/b)/∂b is −a/b²: both the sign and the factor a"),
        Mistake(0, lambda a, b: b, "this is ∂(a·b)/∂a; for a/b, ∂/∂a is 1/b"),
        Mistake(0, lambda a, b: 1 / b**2, "∂(a/b)/∂a is 1/b: a appears only once, to the power 1"),
    ]
    check_op("div", ops.d_div, points, rng=rng, mistakes=mistakes, diagrams=DIAGRAMS)


def test_power():
    """local derivative of x^k"""
    rng = random_inputs()
    points = []
    for _ in range(5):
        k = rng.choice([2.0, 3.0, 4.0, -1.0, -2.0, 0.5, 1.5, 2.5])
        x = rng.uniform(0.3, 2.5) if not k.is_integer() else rng.sign() * rng.uniform(0.3, 2.5)
        points.append((x, k))
    mistakes = [
        Mistake(0, lambda x, k: x**k, "this is x^k itself: the power rule gives k·x^(k−1)"),
        Mistake(0, lambda x, k: k * x**k, "the exponent drops by one: k·x^(k−1), not k·x^k"),
        Mistake(0, lambda x, k: x ** (k - 1), "the factor k is missing: k·x^(k−1)"),
        Mistake(0, lambda x, k: (k - 1) * x ** (k - 1), "the factor is k, not k − 1: k·x^(k−1)"),
    ]
    check_op("power", ops.d_power, points, rng=rng, mistakes=mistakes, diagrams=DIAGRAMS)


def test_exp():
    """local derivative of e^x"""
    rng = random_inputs()
    points = [(rng.uniform(-3, 3),) for _ in range(5)]
    mistakes = [
        Mistake(
            0,
            lambda x, out: x * math.exp(x - 1),
            "e^x is not a power of x, so the power "
            "rule does not apply: (e^x)' = e^x, the op's value out",
        ),
        Mistake(0, lambda x, out: x, "this is x: (e^x)' = e^x, the op's value out"),
        Mistake(0, lambda x, out: 1.0, "(e^x)' is not 1: it is e^x itself, the op's value out"),
    ]
    check_op(
        "exp", ops.d_exp, points, rng=rng, with_value=True, mistakes=mistakes, diagrams=DIAGRAMS
    )


def test_log():
    """local derivative of ln x"""
    rng = random_inputs()
    points = [(rng.uniform(0.2, 5),) for _ in range(5)]
    mistakes = [
        Mistake(0, lambda x: x, "this is x, log' is 1/x"),
        Mistake(0, lambda x: math.log(x), "this is ln x itself, not its slope 1/x"),
        Mistake(0, lambda x: -1 / x**2, "−1/x² is the slope of 1/x; the slope of ln x is 1/x"),
        Mistake(0, lambda x: math.exp(x), "e^x is the slope of exp; the slope of ln x is 1/x"),
    ]
    check_op("log", ops.d_log, points, rng=rng, mistakes=mistakes, diagrams=DIAGRAMS)


def test_tanh():
    """local derivative of tanh x"""
    rng = random_inputs()
    points = [(rng.uniform(-2.5, 2.5),) for _ in range(5)]
    mistakes = [
        Mistake(0, lambda x, t: 1 - x**2, "this is 1 − x², tanh' is 1 − tanh²x: use t = tanh x"),
        Mistake(0, lambda x, t: 1 - t, "the tanh is squared: tanh' = 1 − tanh²x = 1 − t²"),
        Mistake(0, lambda x, t: t, "this is tanh x itself, not its slope 1 − tanh²x"),
        Mistake(0, lambda x, t: t**2 - 1, "a wrong sign: tanh' = 1 − tanh²x, which is > 0"),
    ]
    check_op(
        "tanh", ops.d_tanh, points, rng=rng, with_value=True, mistakes=mistakes, diagrams=DIAGRAMS
    )


def test_sigmoid():
    """local derivative of σ(x)"""
    rng = random_inputs()
    points = [(rng.uniform(-4, 4),) for _ in range(5)]
    mistakes = [
        Mistake(0, lambda x, s: s, "this is σ(x) itself: σ'(x) = σ(x)(1 − σ(x))"),
        Mistake(0, lambda x, s: x * (1 - x), "this is x(1 − x): σ' = s(1 − s) with s = σ(x)"),
        Mistake(0, lambda x, s: 1 - s, "a factor is missing: σ'(x) = σ(x)(1 − σ(x))"),
        Mistake(0, lambda x, s: s * (1 + s), "σ'(x) = σ(x)(1 − σ(x)), with a minus"),
    ]
    check_op(
        "sigmoid",
        ops.d_sigmoid,
        points,
        rng=rng,
        with_value=True,
        mistakes=mistakes,
        diagrams=DIAGRAMS,
    )


def test_relu():
    """local derivative of relu(x)"""
    rng = random_inputs()
    points = [(rng.uniform(0.1, 3),), (-rng.uniform(0.1, 3),), (0.0,), (rng.uniform(-3, 3),)]
    mistakes = [
        Mistake(
            0,
            lambda x: 1.0 if x == 0 else None,
            "a wrong value at 0: relu has a kink "
            "there, and chainrule (like PyTorch) takes relu'(0) = 0 (x > 0, not x >= 0)",
        ),
        Mistake(
            0,
            lambda x: 0.5 if x == 0 else None,
            "a wrong value at 0: 0.5 averages the two sides, but the convention is relu'(0) = 0",
        ),
        Mistake(
            0, lambda x: x if x > 0 else None, "this is relu(x) itself: its slope is 1 for x > 0"
        ),
        Mistake(
            0,
            lambda x: 1.0 if x < 0 else None,
            "the sides are swapped: relu'(x) is 0 for x < 0 (flat) and 1 for x > 0",
        ),
    ]
    check_op("relu", ops.d_relu, points, rng=rng, mistakes=mistakes, diagrams=DIAGRAMS)
