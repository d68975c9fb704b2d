"""``chainrule bp-check``: the four equations BP1–BP4 evaluated by hand next to autograd."""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from typing import TextIO

from chainrule.nn import MLP, BPCheck, bp_check
from chainrule.terminal import Style

TOLERANCE = 1e-12
"""Relative difference below which by-hand and autograd count as the same number."""


def print_bp_check(check: BPCheck, out: TextIO, style: Style) -> None:
    """Each quantity on two lines (80 columns): the equation with its numbers, then autograd's."""
    output_layer = max(line.layer for line in check.lines)
    for layer in range(output_layer, 0, -1):
        where = "output layer, δ by BP1" if layer == output_layer else "hidden layer, δ by BP2"
        print(style(f"Layer {layer} ({where}; ∂C/∂W by BP3, ∂C/∂b by BP4)", "bold"), file=out)
        for line in check.lines:
            if line.layer != layer:
                continue
            same = line.relative_error <= TOLERANCE
            mark = style("✓", "green") if same else style(f"≠ ({line.relative_error:.1e})", "red")
            print(
                f"  {style(line.equation, 'cyan')}  {line.symbol} = {line.formula}"
                f" = {line.substituted}{line.by_hand:.6g}",
                file=out,
            )
            print(f"       autograd: {line.node}.grad = {line.autograd:.6g}  {mark}", file=out)
    worst = check.max_relative_error
    verdict = "agree" if worst <= TOLERANCE else "DISAGREE"
    print(
        style(f"Largest relative difference: {worst:.2g} (by hand and autograd {verdict})", "bold"),
        file=out,
    )


def random_sample(model: MLP, seed: int) -> tuple[list[float], list[float]]:
    """An input x ∈ U(−1, 1)^nin and a target y ∈ U(0, 1)^nout, fixed by ``seed``."""
    rng = random.Random(seed)
    nout = len(model.layers[-1].neurons)
    return [rng.uniform(-1, 1) for _ in range(model.nin)], [rng.uniform(0, 1) for _ in range(nout)]


SOFTMAX_BP1 = (
    "  C = −log ŷ of the true class. BP1 for softmax with cross-entropy: ∂C/∂a^L = ŷ − y,\n"
    "  softmax's Jacobian and the log's 1/ŷ cancel; the logits are linear (σ' = 1), so\n"
    "  δ^L = ŷ − y: δᴸ = aᴸ − y when softmax is counted as the output's activation (aᴸ = ŷ)."
)
"""What bp-check --classes says of BP1 before the numbers."""


def run(
    layers: Sequence[int],
    activation: str,
    seed: int,
    out: TextIO = sys.stdout,
    classes: int | None = None,
) -> int:
    """Build a random MLP of the given sizes, then print BP1–BP4 against autograd; exit status.

    ``classes`` K: the output layer is K linear logits and C is softmax's cross-entropy for a
    random true class (``layers`` must end in K); otherwise every layer has ``activation`` and
    C = ½‖a^L − y‖² for a random y.
    """
    style = Style.for_stream(out)
    if classes is None:
        model = MLP(
            layers[0], list(layers[1:]), activation, output_activation=activation, seed=seed
        )
        x, y = random_sample(model, seed)
        check = bp_check(model, x, y)
        print(f"{model!r}, one sample, C = ½‖a^L − y‖² (seed {seed})", file=out)
        print(f"  x = [{', '.join(f'{v:.4g}' for v in x)}]", file=out)
        print(f"  y = [{', '.join(f'{v:.4g}' for v in y)}]", file=out)
    else:
        model = MLP(layers[0], list(layers[1:]), activation, seed=seed)  # linear logits
        x, _ = random_sample(model, seed)
        label = random.Random(seed).randrange(classes)
        check = bp_check(model, x, label, loss="cross_entropy")
        print(
            f"{model!r}, one sample of {classes} classes, C = cross-entropy of softmax "
            f"(seed {seed})",
            file=out,
        )
        print(f"  x = [{', '.join(f'{v:.4g}' for v in x)}], true class {label}", file=out)
        one_hot = ", ".join("1" if j == label else "0" for j in range(classes))
        y_hat = ", ".join(f"{v:.4g}" for v in check.by_hand.y_hat or [])
        print(f"  y = [{one_hot}] (one-hot), ŷ = softmax(a^L) = [{y_hat}]", file=out)
        print(SOFTMAX_BP1, file=out)
    print_bp_check(check, out, style)
    return 0 if check.max_relative_error <= TOLERANCE else 1
