"""``chainrule train`` (and the demo's part 3): train an MLP on a toy data set and picture it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from chainrule import plots
from chainrule.engine import Value
from chainrule.nn import (
    MLP,
    SGD,
    Adam,
    History,
    accuracy,
    bce_loss,
    fit,
    hinge_loss,
    make_circles,
    make_gauss,
    make_moons,
    make_spiral,
    make_xor,
    mse_loss,
    signed_labels,
)
from chainrule.nn.losses import DECISION_RULES
from chainrule.terminal import Style

DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "gauss": make_gauss,
    "spiral": make_spiral,
}
LOSSES = {"bce": bce_loss, "hinge": hinge_loss, "mse": mse_loss}
OPTIMIZERS = {"adam": Adam, "sgd": SGD}
DEFAULT_LR = {"adam": 0.03, "sgd": 0.1}


@dataclass(frozen=True)
class TrainingRun:
    """What to train: every option of ``chainrule train``."""

    dataset: str = "moons"
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "tanh"
    loss: str = "bce"
    optimizer: str = "adam"
    lr: float | None = None
    epochs: int = 20
    batch_size: int = 10
    seed: int = 0
    samples: int = 100
    noise: float = 0.1
    replay: bool = False


@dataclass(frozen=True)
class TrainingResult:
    model: MLP
    history: History
    accuracy: float
    files: dict[str, Path]


def _predicts_positive(loss: Callable[..., Value]) -> Callable[[Value], bool]:
    """Class 1 is predicted where the loss's own decision rule calls label 1 right."""
    rule = DECISION_RULES[loss]
    return lambda output: rule(output, 1)


def train(
    run: TrainingRun, out_dir: Path, out: TextIO = sys.stdout, progress: bool = True
) -> TrainingResult:
    """Train as ``run`` says, print the outcome, write model.json and the two pictures."""
    style = Style.for_stream(out)
    points, labels = DATASETS[run.dataset](n=run.samples, noise=run.noise, seed=run.seed)
    loss = LOSSES[run.loss]
    targets: Sequence[float] = signed_labels(labels) if run.loss == "hinge" else labels
    model = MLP(2, [*run.hidden, 1], activation=run.activation, seed=run.seed)
    lr = run.lr if run.lr is not None else DEFAULT_LR[run.optimizer]
    optimizer = OPTIMIZERS[run.optimizer](model.parameters(), lr=lr)
    print(f"Training {model!r} on {run.dataset} ({run.samples} points):", file=out)
    print(
        f"  {run.loss} loss, {run.optimizer} lr={lr:g}, {run.epochs} epochs, "
        f"batches of {run.batch_size}, seed {run.seed}{', replayed' if run.replay else ''}",
        file=out,
    )
    history = fit(
        model, points, targets, loss=loss, optimizer=optimizer, epochs=run.epochs,
        batch_size=run.batch_size, seed=run.seed, progress=progress, replay=run.replay,
    )  # fmt: skip
    final = accuracy(model, points, targets, loss=loss)
    print(
        style(f"Final loss {history.loss[-1]:.4f}, training accuracy {final:.3f}", "bold"),
        file=out,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    title = f"{run.dataset}: {model!r}"
    files = {
        "model": out_dir / "model.json",
        "decision boundary": out_dir / "decision_boundary.png",
        "training curves": out_dir / "training_curves.png",
    }
    model.save(files["model"])
    plots.decision_boundary(
        model, points, targets, _predicts_positive(loss), files["decision boundary"], title
    )
    plots.training_curves(history, files["training curves"], title)
    return TrainingResult(model, history, final, files)
