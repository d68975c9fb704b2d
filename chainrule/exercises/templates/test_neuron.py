"""The test of neuron.py: a neuron's gradients at random inputs.

The right answer comes from chainrule itself, computed here: the neuron's graph is built of
Values and `backward()` gives every gradient, and a central difference of the plain function
o = tanh(w·x + b) gives each one again. A failure names the gradient (∂o/∂w[i], ∂o/∂x[i] or
∂o/∂b), the inputs, the expected and the received number and the likely mistake, and draws the
neuron's graph with the leaf you got wrong in red, in diagrams/neuron.svg.

Each Mistake is (the gradient it concerns: "w", "x" or "b"; what it gives from (x, w, b, i),
i the index of the input; the hint). Add your own.
"""

import math
from pathlib import Path

import neuron

from chainrule.exercises.checks import Mistake, check_neuron, random_inputs

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"


def n_of(x, w, b):
    """n = w·x + b."""
    return sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b


def tanh_slope(n):
    """tanh'(n) = 1 − tanh²n."""
    return 1 - math.tanh(n) ** 2


def dn(part, x, w, i):
    """∂n/∂(one input): x_i for w_i, w_i for x_i, 1 for b."""
    return x[i] if part == "w" else w[i] if part == "x" else 1.0


def times(part, slope, hint):
    """The mistake ∂n/∂(input) × slope(n), for a wrong slope of tanh at n."""
    return Mistake(part, lambda x, w, b, i: dn(part, x, w, i) * slope(n_of(x, w, b)), hint)


def test_neuron():
    """a neuron's backward pass by hand: ∂o/∂w, ∂o/∂x, ∂o/∂b"""
    rng = random_inputs()
    alone = "alone: the chain rule multiplies it by ∂o/∂n = tanh'(n) = 1 − o²"
    mistakes = [
        times("w", lambda n: 1.0, f"this is ∂n/∂w_i = x_i {alone}"),
        times("x", lambda n: 1.0, f"this is ∂n/∂x_i = w_i {alone}"),
        times("b", lambda n: 1.0, f"this is ∂n/∂b = 1 {alone}"),
        Mistake(
            "w",
            lambda x, w, b, i: w[i] * tanh_slope(n_of(x, w, b)),
            "this is ∂o/∂x_i; ∂o/∂w_i = x_i·(1 − o²), as ∂n/∂w_i = x_i (w and x swapped?)",
        ),
        Mistake(
            "x",
            lambda x, w, b, i: x[i] * tanh_slope(n_of(x, w, b)),
            "this is ∂o/∂w_i; ∂o/∂x_i = w_i·(1 − o²), as ∂n/∂x_i = w_i (w and x swapped?)",
        ),
        *[
            times(
                part,
                lambda n: 1 - n**2,
                "1 − n² is not tanh'(n): tanh'(n) = 1 − tanh²n = 1 − o², with o = tanh n",
            )
            for part in ("w", "x", "b")
        ],
        *[
            times(
                part,
                lambda n: 1 - math.tanh(n),
                "1 − o is not tanh'(n): the tanh is squared, 1 − o²",
            )
            for part in ("w", "x", "b")
        ],
    ]
    check_neuron(neuron.neuron_backward, rng=rng, mistakes=mistakes, diagrams=DIAGRAMS)
