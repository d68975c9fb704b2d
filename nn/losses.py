"""Losses for one sample, and their mean over a batch.

    mse_loss(a^L, y)        C = ½ ‖a^L − y‖²                    the C of BP1: ∂C/∂a^L = a^L − y
    hinge_loss(s, y)        C = max(0, 1 − y·s)                 labels y = ±1
    bce_loss(s, y)          C = −y log σ(s) − (1 − y) log(1 − σ(s))   on a logit s, labels 0/1
    cross_entropy(z, i)     C = −log softmax(z)_i = log Σ_k e^{z_k} − z_i

    mean_loss(loss, outputs, targets)    C = (1/n) Σ_i loss(output_i, target_i)

Each loss is built from engine ops, so ``C.backward()`` differentiates it. Each
also registers, with :func:`decision_rule`, when a sample counts as correctly
classified: that is how ``fit`` and ``accuracy`` score predictions.

Targets are leaves of the loss graph. A number y becomes an engine
``Constant``, just as ``2`` does in ``2 * x``: it takes no gradient, and
diagrams draw it grey. A ``Value`` y is used as the leaf itself (checked
through its ``.data``), and backward gives it ∂C/∂y like any leaf. Both build
the same graph with the same numbers, but only the second hands you the
leaf, so you can write the next sample's label into it and re-run the graph
with :class:`engine.Replay` (``fit(..., replay=True)`` does exactly that).
``cross_entropy`` is the exception: its label is a class index, which picks a
logit and so shapes the graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import TypeVar

from ..engine import Constant, Value

Output = Value | Sequence[Value]
Target = float | Value | Sequence[float | Value]
Loss = Callable[[Output, Target], Value]
CorrectRule = Callable[[Output, Target], bool]
L = TypeVar("L", bound=Loss)

DECISION_RULES: dict[Loss, CorrectRule] = {}
"""For each loss, ``rule(output, target) -> bool``: is this prediction right?"""


def decision_rule(rule: CorrectRule) -> Callable[[L], L]:
    """Register ``rule`` as the way a loss's predictions are scored (see :data:`DECISION_RULES`)."""

    def register(loss: L) -> L:
        DECISION_RULES[loss] = rule
        return loss

    return register


def _within_half(output: Output, target: Target) -> bool:
    outputs, targets = _as_vector(output, "output"), _as_leaves(target, "target")
    return all(abs(a.data - y.data) < 0.5 for a, y in zip(outputs, targets, strict=True))


@decision_rule(_within_half)
def mse_loss(output: Output, target: Target) -> Value:
    """C = ½ Σ_j (a^L_j − y_j)², the seed's loss; right when every output is within ½ of y_j."""
    outputs = _as_vector(output, "mse_loss output")
    targets = _as_leaves(target, "mse_loss target")
    if len(outputs) != len(targets):
        raise ValueError(
            f"mse_loss needs one target per output: {len(outputs)} outputs, {len(targets)} targets"
        )
    total = (outputs[0] - targets[0]) ** 2
    for a, y in zip(outputs[1:], targets[1:], strict=True):
        total = total + (a - y) ** 2
    return 0.5 * total


@decision_rule(
    lambda score, label: (_scalar(score, "score").data > 0) == (_number(label, "label") > 0)
)
def hinge_loss(score: Output, label: float | Value) -> Value:
    """C = max(0, 1 − y·s) for a label y = ±1: zero once the score is on the right side by 1."""
    s = _scalar(score, "hinge_loss score")
    y = _leaf(label, "hinge_loss label")
    if y.data not in (-1.0, 1.0):
        raise ValueError(
            f"hinge_loss needs labels −1 or +1, got {label!r:.80}; "
            "turn 0/1 labels into ±1 with nn.signed_labels(y)"
        )
    return (1 - y * s).relu()


@decision_rule(
    lambda logit, label: (_scalar(logit, "logit").data > 0) == (_number(label, "label") > 0.5)
)
def bce_loss(logit: Output, label: float | Value) -> Value:
    """Binary cross-entropy on a logit s (σ(s) is the probability of class 1), label y in [0, 1].

    C = −y log σ(s) − (1 − y) log(1 − σ(s)) = log(1 + e^s) − y·s = softplus(s) − y·s,
    and ∂C/∂s = σ(s) − y. The engine's ``softplus`` op never overflows, and the
    graph has the same shape for every s and y (no branch on the data), so it
    can be replayed on new logits and labels.
    """
    s = _scalar(logit, "bce_loss logit")
    y = _leaf(label, "bce_loss label")
    if not 0.0 <= y.data <= 1.0:
        raise ValueError(f"bce_loss needs a label in [0, 1] (class 0 or 1), got {label!r}")
    return s.softplus() - y * s


def _argmax_is(logits: Output, label: int) -> bool:
    values = [z.data for z in _as_vector(logits, "logits")]
    return values.index(max(values)) == label


@decision_rule(_argmax_is)
def cross_entropy(logits: Output, label: int) -> Value:
    """C = log Σ_k e^{z_k} − z_i for the true class i (0-based), i.e. −log softmax(z)_i.

    The largest logit m is subtracted first (log Σ e^{z_k} = m + log Σ e^{z_k − m}),
    so every exp is at most 1; m is a constant, so gradients are unchanged:
    ∂C/∂z_k = softmax(z)_k − [k = i].

    The graph depends on the data: the label picks which logit is subtracted, and
    m is read from the logits when the graph is built. So it cannot be traced once
    and replayed on other samples, and ``fit(..., replay=True)`` refuses it.
    """
    zs = _as_vector(logits, "cross_entropy logits")
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < len(zs):
        raise ValueError(
            f"cross_entropy needs a class index from 0 to {len(zs) - 1} (one per logit), "
            f"got {label!r:.80}"
        )
    m = max(z.data for z in zs)
    total = (zs[0] - m).exp()
    for z in zs[1:]:
        total = total + (z - m).exp()
    return total.log() + m - zs[label]


LOSSES: dict[str, Loss] = {"bce": bce_loss, "mse": mse_loss, "hinge": hinge_loss}
"""The two-class losses by the names the command line and the playground use."""

LABELS: dict[str, str] = {"bce": "cross-entropy", "mse": "squared error"}
"""How a page's menu writes a loss whose name is an abbreviation (else the name)."""

FORMULAS: dict[Loss, str] = {
    mse_loss: "C = ½ ‖a^L − y‖²",
    hinge_loss: "C = max(0, 1 − y·a^L)",
    bce_loss: "C = softplus(a^L) − y·a^L",
    cross_entropy: "C = log Σₖ exp(a^L_k) − a^L_y",
}
"""Each loss's formula in the notation of docs/backprop.md, for pictures (``draw_network``)."""


def mean_loss(loss: Loss, outputs: Sequence[Output], targets: Sequence[Target]) -> Value:
    """C = (1/n) Σ_i loss(output_i, target_i): the loss of a batch of n samples."""
    if len(outputs) != len(targets):
        raise ValueError(
            f"mean_loss needs one target per output: {len(outputs)} outputs, {len(targets)} targets"
        )
    if not outputs:
        raise ValueError("mean_loss of an empty batch is undefined: give at least one sample")
    total = loss(outputs[0], targets[0])
    for output, target in zip(outputs[1:], targets[1:], strict=True):
        total = total + loss(output, target)
    return total / len(outputs)


def _as_vector(output: Output, what: str) -> list[Value]:
    items = [output] if isinstance(output, Value) else output
    if not isinstance(items, Sequence) or not items:
        raise TypeError(f"{what} must be a Value or a non-empty list of Values, got {output!r:.80}")
    for item in items:
        if not isinstance(item, Value):
            raise TypeError(
                f"{what} must be Values (a model's output), got {type(item).__name__}: {item!r:.80}"
            )
    return list(items)


def _scalar(output: Output, what: str) -> Value:
    outputs = _as_vector(output, what)
    if len(outputs) != 1:
        raise ValueError(f"{what} must be one Value (a model with one output), got {len(outputs)}")
    return outputs[0]


def _number(x: object, what: str) -> float:
    """``x`` as a finite float; a ``Value`` stands for its ``.data``."""
    number = x.data if isinstance(x, Value) else x
    if isinstance(number, bool) or not isinstance(number, Real):
        raise TypeError(f"{what} must be a number, got {type(x).__name__}: {x!r:.80}")
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite, got {x!r}")
    return float(number)


def _leaf(x: object, what: str) -> Value:
    """A target as a leaf of the loss graph: a ``Value`` as it is, a number as a ``Constant``."""
    number = _number(x, what)
    return x if isinstance(x, Value) else Constant(number)


def _as_leaves(target: Target, what: str) -> list[Value]:
    if isinstance(target, (Real, Value)):
        return [_leaf(target, what)]
    if isinstance(target, (str, bytes)) or not isinstance(target, Sequence):
        raise TypeError(f"{what} must be a number or a list of numbers, got {target!r:.80}")
    return [_leaf(y, what) for y in target]
