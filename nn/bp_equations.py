# ruff: noqa: E741, N802, N803, N806, N815
# (names follow the maths: W, L, C, dC_dW, and l for the layer number)
"""BP1–BP4 by hand: backprop for one sample, in matrix form, with plain floats.

This is the independent derivation the autograd engine is checked against
(docs/backprop.md). It uses lists of floats only: no ``Value``, no engine.

    forward    z^l = W^l a^{l-1} + b^l,   a^l = σ(z^l),   a^0 = x,   C = ½ ‖a^L − y‖²
    (BP1)      δ^L = (a^L − y) ⊙ σ'(z^L)
    (BP2)      δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ σ'(z^l)
    (BP3)      ∂C/∂W^l = δ^l (a^{l-1})^T,   i.e. ∂C/∂W^l_jk = δ^l_j · a^{l-1}_k
    (BP4)      ∂C/∂b^l = δ^l

Softmax with cross-entropy (``loss="cross_entropy"``, K classes): the output's K numbers
a^L are logits, ŷ = softmax(a^L) with ŷ_j = e^{a^L_j} / Σ_k e^{a^L_k} are the class
probabilities, and C = −Σ_j y_j log ŷ_j for a one-hot y (the true class i: C = −log ŷ_i).
Then ∂C/∂a^L_j = Σ_k (−y_k/ŷ_k)·ŷ_k([j = k] − ŷ_j) = ŷ_j − y_j: softmax's Jacobian and the
log's 1/ŷ cancel, so

    (BP1)      δ^L = (ŷ − y) ⊙ σ'(z^L),   and with a linear output (σ' = 1)  δ^L = ŷ − y,

the form ``δᴸ = aᴸ − y`` takes when softmax is counted as the output's activation (aᴸ = ŷ).
BP2–BP4 do not change: only the output's error is new.

Results are keyed by the layer number, so the code reads like the maths:
``delta[L]``, ``a[l - 1]``, ``dC_dW[l][j][k]``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Vector = list[float]
Matrix = list[Vector]


def _sigmoid(z: float) -> float:
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sigmoid_prime(z: float) -> float:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_prime(z: float) -> float:
    t = math.tanh(z)
    return 1.0 - t * t


SIGMA: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "tanh": (math.tanh, _tanh_prime),
    "relu": (lambda z: z if z > 0.0 else 0.0, lambda z: 1.0 if z > 0.0 else 0.0),
    "sigmoid": (_sigmoid, _sigmoid_prime),
    "linear": (lambda z: z, lambda z: 1.0),
}
"""For each activation name, the pair (σ, σ')."""


def matvec(W: Matrix, v: Vector) -> Vector:
    """W v: entry j is Σ_k W_jk v_k (summed in order k = 0, 1, …)."""
    out = []
    for row in W:
        total = row[0] * v[0]
        for k in range(1, len(row)):
            total += row[k] * v[k]
        out.append(total)
    return out


def transposed_matvec(W: Matrix, v: Vector) -> Vector:
    """W^T v: entry k is Σ_j W_jk v_j."""
    return [sum(W[j][k] * v[j] for j in range(len(W))) for k in range(len(W[0]))]


def hadamard(u: Vector, v: Vector) -> Vector:
    """u ⊙ v, the element-wise product."""
    return [ui * vi for ui, vi in zip(u, v, strict=True)]


def outer(u: Vector, v: Vector) -> Matrix:
    """u v^T: entry (j, k) is u_j v_k."""
    return [[uj * vk for vk in v] for uj in u]


@dataclass(frozen=True)
class BPQuantities:
    """Every quantity of the four equations for one sample, keyed by layer number l.

    ``dC_da[l]`` (∂C/∂a^l) and ``sigma_prime[l]`` (σ'(z^l)) are the two factors
    of δ^l = ∂C/∂a^l ⊙ σ'(z^l): ∂C/∂a^L = a^L − y in BP1 (ŷ − y for cross-entropy),
    (W^{l+1})^T δ^{l+1} in BP2. ``y_hat`` is ŷ = softmax(a^L) for cross-entropy, else None.
    """

    z: dict[int, Vector]
    a: dict[int, Vector]
    C: float
    dC_da: dict[int, Vector]
    sigma_prime: dict[int, Vector]
    delta: dict[int, Vector]
    dC_dW: dict[int, Matrix]
    dC_db: dict[int, Vector]
    y_hat: Vector | None = None

    @property
    def L(self) -> int:
        """The number of layers (the output layer's number)."""
        return len(self.z)


def backprop_by_hand(
    W: Sequence[Matrix],
    b: Sequence[Vector],
    activations: Sequence[str],
    x: Vector,
    y: Vector,
    loss: str = "mse",
) -> BPQuantities:
    """Forward pass, then BP1–BP4, for the MSE loss C = ½ ‖a^L − y‖² or softmax's cross-entropy.

    ``W[l - 1]`` is W^l (one row per neuron of layer l), ``b[l - 1]`` is b^l
    and ``activations[l - 1]`` names σ for layer l. ``loss="cross_entropy"`` reads the
    output as logits and ``y`` as the one-hot vector of the true class (see the module
    docstring): C = −log ŷ_i, and BP1's ∂C/∂a^L is ŷ − y.
    """
    _check_shapes(W, b, activations, x, y)
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"backprop_by_hand loss must be 'mse' or 'cross_entropy', got {loss!r}")
    L = len(W)
    z: dict[int, Vector] = {}
    a: dict[int, Vector] = {0: list(x)}
    for l in range(1, L + 1):
        sigma = SIGMA[activations[l - 1]][0]
        z[l] = [wa + bj for wa, bj in zip(matvec(W[l - 1], a[l - 1]), b[l - 1], strict=True)]
        a[l] = [sigma(zj) for zj in z[l]]
    y_hat = None
    if loss == "mse":
        C = 0.5 * sum((aj - yj) ** 2 for aj, yj in zip(a[L], y, strict=True))
        prediction = a[L]
    else:
        top = max(a[L])
        log_total = math.log(sum(math.exp(aj - top) for aj in a[L])) + top
        y_hat = prediction = [math.exp(aj - log_total) for aj in a[L]]  # softmax(a^L)
        C = log_total - sum(yj * aj for aj, yj in zip(a[L], y, strict=True))

    sigma_prime = {l: [SIGMA[activations[l - 1]][1](zj) for zj in z[l]] for l in range(1, L + 1)}
    dC_da: dict[int, Vector] = {L: [pj - yj for pj, yj in zip(prediction, y, strict=True)]}
    delta: dict[int, Vector] = {L: hadamard(dC_da[L], sigma_prime[L])}  # BP1
    for l in range(L - 1, 0, -1):
        dC_da[l] = transposed_matvec(W[l], delta[l + 1])  # W[l] is W^{l+1}
        delta[l] = hadamard(dC_da[l], sigma_prime[l])  # BP2
    dC_dW = {l: outer(delta[l], a[l - 1]) for l in range(1, L + 1)}  # BP3
    dC_db = {l: list(delta[l]) for l in range(1, L + 1)}  # BP4
    return BPQuantities(z, a, C, dC_da, sigma_prime, delta, dC_dW, dC_db, y_hat)


def _check_shapes(
    W: Sequence[Matrix], b: Sequence[Vector], activations: Sequence[str], x: Vector, y: Vector
) -> None:
    if not W or len(b) != len(W) or len(activations) != len(W):
        raise ValueError(
            f"backprop_by_hand needs one W, one b and one activation per layer (at least one): "
            f"got {len(W)} W, {len(b)} b, {len(activations)} activations"
        )
    width = len(x)
    for l in range(1, len(W) + 1):
        rows = W[l - 1]
        if not rows or any(len(row) != width for row in rows):
            raise ValueError(f"W^{l} must have rows of length {width} (the width of layer {l - 1})")
        if len(b[l - 1]) != len(rows):
            raise ValueError(f"b^{l} must have {len(rows)} entries, one per row of W^{l}")
        if activations[l - 1] not in SIGMA:
            raise ValueError(
                f"unknown activation {activations[l - 1]!r} for layer {l}; choose one of "
                + ", ".join(repr(name) for name in SIGMA)
            )
        width = len(rows)
    if len(y) != width:
        raise ValueError(f"y must have {width} entries, one per output, got {len(y)}")
