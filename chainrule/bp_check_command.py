"""``chainrule bp-check``: the four equations BP1–BP4 evaluated by hand next to autograd."""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from typing import TextIO

from chainrule.engine.i18n import message
from chainrule.nn import MLP, BPCheck, bp_check
from chainrule.terminal import Style

TOLERANCE = 1e-12
"""Relative difference below which by-hand and autograd count as the same number."""


def print_bp_check(check: BPCheck, out: TextIO, style: Style) -> None:
    """Each quantity on two lines (80 columns): the equation with its numbers, then autograd's."""
    output_layer = max(line.layer for line in check.lines)
    for layer in range(output_layer, 0, -1):
        which = "output" if layer == output_layer else "hidden"
        print(style(message(f"terminal.bp_layer_{which}", layer=layer), "bold"), file=out)
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
            autograd = message("terminal.bp_autograd", node=line.node, value=f"{line.autograd:.6g}")
            print(f"       {autograd}  {mark}", file=out)
    worst = check.max_relative_error
    verdict = "agree" if worst <= TOLERANCE else "disagree"
    print(style(message(f"terminal.bp_verdict_{verdict}", worst=f"{worst:.2g}"), "bold"), file=out)


def random_sample(model: MLP, seed: int) -> tuple[list[float], list[float]]:
    """An input x ∈ U(−1, 1)^nin and a target y ∈ U(0, 1)^nout, fixed by ``seed``."""
    rng = random.Random(seed)
    nout = len(model.layers[-1].neurons)
    return [rng.uniform(-1, 1) for _ in range(model.nin)], [rng.uniform(0, 1) for _ in range(nout)]


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
        print(message("terminal.bp_model_mse", model=repr(model), seed=seed), file=out)
        print(f"  x = [{', '.join(f'{v:.4g}' for v in x)}]", file=out)
        print(f"  y = [{', '.join(f'{v:.4g}' for v in y)}]", file=out)
    else:
        model = MLP(layers[0], list(layers[1:]), activation, seed=seed)  # linear logits
        x, _ = random_sample(model, seed)
        label = random.Random(seed).randrange(classes)
        check = bp_check(model, x, label, loss="cross_entropy")
        heading = message(
            "terminal.bp_model_classes", model=repr(model), classes=classes, seed=seed
        )
        print(heading, file=out)
        shown = ", ".join(f"{v:.4g}" for v in x)
        print(message("terminal.bp_true_class", x=shown, label=label), file=out)
        one_hot = ", ".join("1" if j == label else "0" for j in range(classes))
        y_hat = ", ".join(f"{v:.4g}" for v in check.by_hand.y_hat or [])
        print(message("terminal.bp_one_hot", one_hot=one_hot, y_hat=y_hat), file=out)
        print(message("terminal.bp_softmax_bp1"), file=out)
    print_bp_check(check, out, style)
    return 0 if check.max_relative_error <= TOLERANCE else 1
