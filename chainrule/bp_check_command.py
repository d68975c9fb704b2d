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


def run(layers: Sequence[int], activation: str, seed: int, out: TextIO = sys.stdout) -> int:
    """Build a random MLP of the given sizes, then print BP1–BP4 against autograd; exit status."""
    style = Style.for_stream(out)
    model = MLP(layers[0], list(layers[1:]), activation, output_activation=activation, seed=seed)
    x, y = random_sample(model, seed)
    check = bp_check(model, x, y)
    print(f"{model!r}, one sample, C = ½‖a^L − y‖² (seed {seed})", file=out)
    print(f"  x = [{', '.join(f'{v:.4g}' for v in x)}]", file=out)
    print(f"  y = [{', '.join(f'{v:.4g}' for v in y)}]", file=out)
    print_bp_check(check, out, style)
    return 0 if check.max_relative_error <= TOLERANCE else 1
