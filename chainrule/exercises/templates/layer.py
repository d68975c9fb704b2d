"""BP1 and BP2 for one layer: δ, the error of a layer, as docs/backprop.md derives it.

The notation of backprop.md: layer l computes, neuron by neuron,

    z^l = W^l a^(l−1) + b^l              (pre-activation)
    a^l = σ(z^l)                         (activation; σ is the sigmoid here)

W^l_jk is the weight from neuron k of layer l−1 to neuron j of layer l. The cost of one
sample is C = ½‖a^L − y‖², L being the output layer, and the error of layer l is

    δ^l = ∂C/∂z^l                        (one number per neuron of layer l)

⊙ is the element-wise product, and σ'(z) = σ(z)(1 − σ(z)), so σ'(z^l_k) = a^l_k(1 − a^l_k).

    (BP1)  δ^L = ∂C/∂a^L ⊙ σ'(z^L)
    (BP2)  δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)

Vectors are lists of floats, a matrix a list of rows: w_next[j][k] is W^(l+1)_jk. Write
`bp1` and `bp2`. Then: pytest FOLDER/test_layer.py
"""

import math


def sigmoid(z: float) -> float:
    """σ(z) = 1 / (1 + e^−z), given for you."""
    return 1.0 / (1.0 + math.exp(-z))


def bp1(z: list[float], a: list[float], y: list[float]) -> list[float]:
    """BP1: δ^L of the output layer, for C = ½‖a^L − y‖² = ½ Σ_j (a_j − y_j)².

    z is z^L, a is a^L = σ(z^L), y the target; return δ^L, one number per output neuron.
    """
    # solution
    return [(aj - yj) * aj * (1.0 - aj) for aj, yj in zip(a, y, strict=True)]
    # end of solution


def bp2(
    w_next: list[list[float]],
    b_next: list[float],
    delta_next: list[float],
    z: list[float],
    a: list[float],
) -> list[float]:
    """BP2: δ^l of a hidden layer l, from the next layer's weights and error.

    w_next is W^(l+1) (one row per neuron of layer l+1, one column per neuron of layer l),
    b_next is b^(l+1), delta_next is δ^(l+1), z is z^l and a is a^l = σ(z^l). Return δ^l,
    one number per neuron of layer l. (Does b^(l+1) matter? BP2 says.)
    """
    # solution
    delta = []
    for k in range(len(z)):
        back = sum(w_next[j][k] * delta_next[j] for j in range(len(delta_next)))  # (Wᵀδ)_k
        delta.append(back * a[k] * (1.0 - a[k]))  # ⊙ σ'(z_k) = a_k(1 − a_k)
    return delta
    # end of solution
