"""The four equations next to autograd, number by number, for teaching.

    >>> from chainrule.nn import MLP, bp_check
    >>> check = bp_check(MLP(2, [2, 1], seed=0), x=[0.5, -1.0], y=[1.0])
    >>> print(check.lines[3])
    BP4 says ∂C/∂b²₀ = δ²₀ = -1.03887; autograd gives b[2][0].grad = -1.03887

``print(check)`` shows every line, layer by layer from the output down, e.g.
``BP3 says ∂C/∂W²₀₁ = δ²₀·a¹₁ = (-1.03887)·(-0.310284) = 0.322345; autograd
gives W[2][0][1].grad = 0.322345``, and ends with the largest relative
difference between the two columns.

``bp_check`` runs the model and ``C = mse_loss(model(x), y)`` through the
engine (zeroing the model's grads first, then ``C.backward()``), computes the
same quantities with :func:`nn.bp_equations.backprop_by_hand` from the weights
alone, and pairs them up. ``loss="cross_entropy"`` does the same for
``C = cross_entropy(model(x), y)`` with y the true class: the output's logits go through
softmax, ŷ = softmax(a^L), and BP1 reads δ^L = (ŷ − y)·σ'(z^L) for the one-hot y.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

from ..engine import Value
from .bp_equations import BPQuantities, backprop_by_hand
from .losses import cross_entropy, mse_loss
from .module import MLP, Input

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class BPLine:
    """One quantity both ways: what equation ``equation`` gives and what autograd's node holds."""

    equation: str
    layer: int
    symbol: str
    formula: str
    substituted: str
    by_hand: float
    autograd: float
    node: str

    @property
    def relative_error(self) -> float:
        """|autograd − by hand| / max(|autograd|, |by hand|), 0 when both are 0."""
        scale = max(abs(self.autograd), abs(self.by_hand))
        return abs(self.autograd - self.by_hand) / scale if scale else 0.0

    def __str__(self) -> str:
        return (
            f"{self.equation} says {self.symbol} = {self.formula} = {self.substituted}"
            f"{self.by_hand:.6g}; "
            f"autograd gives {self.node}.grad = {self.autograd:.6g}"
        )


@dataclass(frozen=True)
class BPCheck:
    """Every δ^l_j, ∂C/∂W^l_jk and ∂C/∂b^l_j of one sample, by hand and by autograd."""

    lines: tuple[BPLine, ...]
    by_hand: BPQuantities

    @property
    def max_relative_error(self) -> float:
        """The largest disagreement over all lines, relative to the values compared."""
        return max(line.relative_error for line in self.lines)

    def __str__(self) -> str:
        L = self.by_hand.L  # noqa: N806 (the output layer's number)
        text = []
        for layer in range(L, 0, -1):
            s = _sup(layer)
            where = "output" if layer == L else "hidden"
            source = "BP1" if layer == L else "BP2"
            text.append(
                f"Layer {layer} ({where}): δ{s} by {source}, ∂C/∂W{s} by BP3, ∂C/∂b{s} by BP4"
            )
            text += [f"  {line}" for line in self.lines if line.layer == layer]
        text.append(f"Largest relative difference: {self.max_relative_error:.2g}")
        return "\n".join(text)


def bp_check(
    model: MLP, x: Sequence[Input], y: float | Sequence[float], loss: str = "mse"
) -> BPCheck:
    """Compare autograd with BP1–BP4 on one sample, for C = ½ ‖a^L − y‖² (``loss="mse"``)
    or, with ``loss="cross_entropy"`` and y the true class (an int), softmax's cross-entropy.
    """
    model.zero_grad()
    if loss == "cross_entropy":
        cost = cross_entropy(model(x), y)  # checks that y is a class index of the outputs
        target = [1.0 if j == y else 0.0 for j in range(model.nouts[-1])]  # one-hot
    elif loss == "mse":
        cost = mse_loss(model(x), y)
        target = [float(y)] if isinstance(y, Real) else [float(yj) for yj in y]
    else:
        raise ValueError(f"bp_check loss must be 'mse' or 'cross_entropy', got {loss!r:.80}")
    cost.backward()
    inputs = [xk.data for xk in model.inputs or []]
    W = [[[w.data for w in n.w] for n in layer.neurons] for layer in model.layers]  # noqa: N806
    b = [[n.b.data for n in layer.neurons] for layer in model.layers]
    sigmas = [layer.activation for layer in model.layers]
    ref = backprop_by_hand(W, b, sigmas, inputs, target, loss)
    lines = []
    for layer in range(ref.L, 0, -1):
        neurons = model.layers[layer - 1].neurons
        lines += [_delta_line(ref, layer, j, n.z.grad) for j, n in enumerate(neurons)]
        for j, neuron in enumerate(neurons):
            for k, w in enumerate(neuron.w):
                lines.append(_weight_line(ref, layer, j, k, w))
            lines.append(_bias_line(ref, layer, j, neuron.b))
    return BPCheck(tuple(lines), ref)


def _sup(n: int) -> str:
    return str(n).translate(_SUPERSCRIPT)


def _sub(*indices: int) -> str:
    separator = "," if any(i >= 10 for i in indices) else ""
    return separator.join(str(i).translate(_SUBSCRIPT) for i in indices)


def _activation(layer: int, k: int) -> str:
    """a^{l-1}_k as printed: x_k for the input layer."""
    return f"x{_sub(k)}" if layer == 1 else f"a{_sup(layer - 1)}{_sub(k)}"


def _num(x: float) -> str:
    return f"({x:.6g})" if x < 0 else f"{x:.6g}"


def _delta_line(ref: BPQuantities, layer: int, j: int, z_grad: float) -> BPLine:
    s, sj = _sup(layer), _sub(j)
    if layer == ref.L:
        prediction = f"a{s}{sj}" if ref.y_hat is None else f"ŷ{sj}"
        equation, formula = "BP1", f"({prediction} − y{sj})·σ'(z{s}{sj})"
    else:
        s1 = _sup(layer + 1)
        equation, formula = "BP2", f"(Σᵢ W{s1}ᵢ{sj} δ{s1}ᵢ)·σ'(z{s}{sj})"
    substituted = f"{_num(ref.dC_da[layer][j])}·{_num(ref.sigma_prime[layer][j])} = "
    return BPLine(
        equation,
        layer,
        f"δ{s}{sj}",
        formula,
        substituted,
        ref.delta[layer][j],
        z_grad,
        f"z[{layer}][{j}]",
    )


def _weight_line(ref: BPQuantities, layer: int, j: int, k: int, w: Value) -> BPLine:
    s = _sup(layer)
    formula = f"δ{s}{_sub(j)}·{_activation(layer, k)}"
    substituted = f"{_num(ref.delta[layer][j])}·{_num(ref.a[layer - 1][k])} = "
    return BPLine(
        "BP3",
        layer,
        f"∂C/∂W{s}{_sub(j, k)}",
        formula,
        substituted,
        ref.dC_dW[layer][j][k],
        w.grad,
        w.label,
    )


def _bias_line(ref: BPQuantities, layer: int, j: int, b: Value) -> BPLine:
    s, sj = _sup(layer), _sub(j)
    return BPLine(
        "BP4", layer, f"∂C/∂b{s}{sj}", f"δ{s}{sj}", "", ref.dC_db[layer][j], b.grad, b.label
    )
