"""The tests of layer.py: BP1 and BP2 at random inputs, σ the sigmoid.

The right answer comes from chainrule itself, computed here: the layer's graph is built of
Values, and after `backward()` the grad of each z-node is its δ = ∂C/∂z; a central difference
of the plain cost gives each one again. For BP2 the cost is C = Σ_j δ^(l+1)_j·z^(l+1)_j, whose
∂C/∂z^(l+1) is exactly the δ^(l+1) given. A failure names the neuron, the inputs, the expected
and the received δ and the likely mistake, and draws the graph with the z-node you got wrong in
red, in diagrams/bp1.svg or diagrams/bp2.svg.

Each Mistake is (None; what it gives for neuron k, from your function's arguments and k; the
hint). Add your own.
"""

from pathlib import Path

import layer

from chainrule.exercises.checks import Mistake, check_bp1, check_bp2, random_inputs

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"


def back(w_next, delta_next, k):
    """((W^(l+1))ᵀ δ^(l+1))_k = Σ_j W_jk·δ_j."""
    return sum(w_next[j][k] * delta_next[j] for j in range(len(delta_next)))


def untransposed(w_next, b_next, delta_next, z, a, k):
    """Σ_j W_kj·δ_j·σ'(z_k): W^(l+1) without the transpose (possible when W is square)."""
    if len(w_next) != len(w_next[0]):
        return None
    return sum(w_next[k][j] * delta_next[j] for j in range(len(delta_next))) * a[k] * (1 - a[k])


def test_bp1():
    """BP1: δ of the output layer"""
    rng = random_inputs()
    mistakes = [
        Mistake(
            None,
            lambda z, a, y, k: a[k] - y[k],
            "this is ∂C/∂a^L_k = a_k − y_k alone: BP1 multiplies it by σ'(z^L_k) = "
            "a_k(1 − a_k) (the ⊙ σ'(z^L))",
        ),
        Mistake(
            None,
            lambda z, a, y, k: (y[k] - a[k]) * a[k] * (1 - a[k]),
            "a wrong sign: ∂C/∂a^L = a^L − y for C = ½‖a^L − y‖²",
        ),
        Mistake(
            None,
            lambda z, a, y, k: (a[k] - y[k]) * z[k] * (1 - z[k]),
            "σ'(z) = σ(z)(1 − σ(z)) = a(1 − a), not z(1 − z)",
        ),
        Mistake(None, lambda z, a, y, k: (a[k] - y[k]) * a[k], "σ'(z) is σ(z)(1 − σ(z)), not σ(z)"),
    ]
    check_bp1(layer.bp1, rng=rng, mistakes=mistakes, diagrams=DIAGRAMS)


def test_bp2():
    """BP2: δ of a hidden layer"""
    rng = random_inputs()
    mistakes = [
        Mistake(
            None,
            lambda w, b, d, z, a, k: back(w, d, k),
            "this is ((W^(l+1))ᵀ δ^(l+1))_k alone: BP2 multiplies it by σ'(z^l_k) = "
            "a_k(1 − a_k) (the ⊙ σ'(z^l))",
        ),
        Mistake(
            None,
            untransposed,
            "this uses W^(l+1) without the transpose: δ^l_k sums W[j][k]·δ[j] over j, the "
            "neurons of the next layer",
        ),
        Mistake(
            None,
            lambda w, b, d, z, a, k: back(w, d, k) * z[k] * (1 - z[k]),
            "σ'(z) = σ(z)(1 − σ(z)) = a(1 − a), not z(1 − z)",
        ),
        Mistake(
            None, lambda w, b, d, z, a, k: back(w, d, k) * a[k], "σ'(z) is σ(z)(1 − σ(z)), not σ(z)"
        ),
    ]
    check_bp2(layer.bp2, rng=rng, mistakes=mistakes, diagrams=DIAGRAMS)
