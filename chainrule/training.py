"""``chainrule train`` (and the demo's part 3): train an MLP on a toy data set and picture it.

A regression data set (``reg-plane``, ``reg-gauss``) trains with mse on its real targets and
is pictured as the model's prediction ŷ over the plane (``predictions.png``) instead of a
decision boundary. ``--l1`` and ``--l2`` are the optimiser's L1 and L2 rates.

``--classes K`` (2 to 5) trains a softmax output of K logits with cross-entropy on the
K-class spiral or blobs (``nn.datasets.MULTICLASS_DATASETS``), and pictures the class each
region of the plane is given, its colour fainter where the model is less sure. Its
playground (``classes=K``) goes on with the K logits for K ≥ 3; the playground's two classes
are one output, so a ``--classes 2`` run of two logits writes none and says why.

``chainrule train`` also writes the playground (``viz.write_playground``) that continues the
run: the trained model, every point of the run's data set as training points, its seed,
batch size and options, its epoch count and its optimiser's state, so a learner goes on
training it in the browser, every gradient visible, with the run's own next steps. A run
beyond the playground's limits (more than 1,000 points, noise over 0.5, batches over 30,
layers over 16 neurons, a learning rate over 10) writes none and says why.

``chainrule train --data points.csv`` trains on the points of a file of ``x1,x2,label``
lines (``nn.read_points``: the format the playground uploads and downloads) instead of a
generated data set; its playground starts with those points as the learner's own data.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from chainrule import plots
from chainrule.engine import Value, no_grad
from chainrule.engine.i18n import message
from chainrule.nn import (
    MLP,
    History,
    accuracy,
    fit,
    load_points,
    signed_labels,
)
from chainrule.nn.datasets import DATASETS, MULTICLASS_DATASETS, REGRESSION_DATASETS
from chainrule.nn.losses import DECISION_RULES, LOSSES, Loss, cross_entropy, mean_loss
from chainrule.nn.optim import OPTIMIZERS, Optimizer
from chainrule.outputs import Outputs, check_output_folder
from chainrule.terminal import Style
from chainrule.viz import playground

DEFAULT_LR = {"adam": 0.03, "sgd": 0.1}
FILES = {
    "model": "model.json",
    "decision boundary": "decision_boundary.png",
    "training curves": "training_curves.png",
}
"""What a training run writes into its folder."""
REGRESSION_FILES = {
    "model": "model.json",
    "predictions": "predictions.png",
    "training curves": "training_curves.png",
}
"""What a regression run writes: its predictions ŷ over the plane, not a decision boundary."""
PLAYGROUND = "playground.html"
"""The playground page a training run writes too, when it fits the playground's limits."""


@dataclass(frozen=True)
class PointsFile:
    """The points of ``--data FILE``, read and checked (``nn.load_points``)."""

    name: str
    points: tuple[tuple[float, float, int], ...]

    @classmethod
    def load(cls, path: Path) -> PointsFile:
        """The file's points, for a two-class task; a bad file raises ``nn.PointsFileError``."""
        rows = load_points(path, classes=2)
        return cls(path.name, tuple((x1, x2, int(label)) for x1, x2, label in rows))


@dataclass(frozen=True)
class TrainingRun:
    """What to train: every option of ``chainrule train``."""

    dataset: str = "moons"
    hidden: tuple[int, ...] = (16, 16)
    activation: str | tuple[str, ...] = "tanh"
    """σ of every hidden layer, or one name per hidden layer."""
    init: str = "uniform"
    """How the weights start: a name of ``nn.init.INITS``."""
    loss: str = "bce"
    optimizer: str = "adam"
    lr: float | None = None
    epochs: int = 20
    batch_size: int = 10
    seed: int = 0
    samples: int = 100
    noise: float = 0.1
    replay: bool = False
    l1: float = 0.0
    l2: float = 0.0
    classes: int | None = None
    """K softmax logits with cross-entropy (``--classes``); None: one output and ``loss``."""
    data: PointsFile | None = None
    """Points from a file, used instead of ``dataset``, ``samples`` and ``noise``."""

    @property
    def data_name(self) -> str:
        """What the run trains on: the data set's name, or the points file's."""
        return self.data.name if self.data else self.dataset

    @property
    def size(self) -> int:
        """The number of points the run trains on."""
        return len(self.data.points) if self.data else self.samples

    def points_and_labels(self) -> tuple[list[list[float]], list[Any]]:
        """The run's points [x₁, x₂] and their labels: the file's, or generated (of K
        classes when ``classes`` says so)."""
        if self.data is not None:
            return [[x1, x2] for x1, x2, _ in self.data.points], [y for *_, y in self.data.points]
        if self.classes is None:
            return DATASETS[self.dataset](n=self.samples, noise=self.noise, seed=self.seed)
        make = MULTICLASS_DATASETS[self.dataset]
        return make(n=self.samples, noise=self.noise, seed=self.seed, classes=self.classes)


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


def claim_files(
    out_dir: Path,
    outputs: Outputs,
    option: str = "--out",
    *,
    playground_page: bool = False,
    regression: bool = False,
) -> dict[str, Path]:
    """Check, before any work, that the run's files can be written in ``out_dir``; claim them.

    ``playground_page=True`` claims :data:`PLAYGROUND` too, as ``files["playground"]``:
    :func:`train` then writes the playground from the trained model. ``regression=True``
    claims :data:`REGRESSION_FILES` instead of :data:`FILES`.
    """
    check_output_folder(out_dir, option)
    names = (REGRESSION_FILES if regression else FILES) | (
        {"playground": PLAYGROUND} if playground_page else {}
    )
    files = {what: outputs.claim(out_dir / name, option) for what, name in names.items()}
    plots.check_available()
    return files


def learning_rate(run: TrainingRun) -> float:
    """The run's learning rate: ``--lr``, or the optimiser's default."""
    return run.lr if run.lr is not None else DEFAULT_LR[run.optimizer]


def make_optimizer(run: TrainingRun, model: MLP) -> Optimizer:
    """The run's optimiser on the model's parameters: its lr, L1 and L2 (as weight decay)."""
    return OPTIMIZERS[run.optimizer](
        model.parameters(), lr=learning_rate(run), weight_decay=run.l2, l1=run.l1
    )


def playground_options(run: TrainingRun) -> dict[str, Any]:
    """The options of ``viz.playground_config`` that continue ``run`` (its model aside).

    The same points, all of them for training as ``fit`` trained on all, the same batch
    size (at most the number of points, as :func:`train` uses it), seed and optimiser, and
    the epochs trained: the page goes on from the run's last epoch. A ``--classes K`` run
    goes on with K classes (its loss is softmax cross-entropy, the page's only one for K).
    """
    return {
        "classes": run.classes or 2,
        "dataset": run.dataset,
        "samples": run.samples,
        "noise": run.noise,
        "points": [list(p) for p in run.data.points] if run.data else None,
        "train_ratio": 1.0,
        "loss": None if run.classes else run.loss,
        "optimizer": run.optimizer,
        "lr": learning_rate(run),
        "batch_size": min(run.batch_size, run.size),
        "seed": run.seed,
        "l1": run.l1,
        "l2": run.l2,
        "trained_epochs": run.epochs,
    }


def playground_problem(run: TrainingRun) -> str:
    """Why the playground cannot continue ``run`` (beyond its limits), or "" when it can."""
    if run.classes == 2:
        return message("terminal.train_two_logits")
    outputs = run.classes or 1
    model = MLP(2, [*run.hidden, outputs], activation=run.activation, seed=run.seed, init=run.init)
    optimizer = make_optimizer(run, model)
    try:
        playground.playground_config(
            **playground_options(run), model=model, optimizer_state=optimizer
        )
    except ValueError as error:
        return str(error)
    return ""


def train(
    run: TrainingRun,
    files: dict[str, Path],
    outputs: Outputs,
    out: TextIO = sys.stdout,
    progress: bool = True,
) -> TrainingResult:
    """Train as ``run`` says, print the outcome, and stage the model and the two pictures.

    ``files`` come from :func:`claim_files`; ``outputs.commit()`` puts them in place.
    A run that diverges raises :class:`~chainrule.nn.TrainingDivergedError`.
    """
    style = Style.for_stream(out)
    points, labels = run.points_and_labels()
    loss: Loss = cross_entropy if run.classes is not None else LOSSES[run.loss]
    targets: Sequence[float] = signed_labels(labels) if run.loss == "hinge" else labels
    outputs_count = 1 if run.classes is None else run.classes
    model = MLP(
        2, [*run.hidden, outputs_count], activation=run.activation, seed=run.seed, init=run.init
    )
    lr = learning_rate(run)
    optimizer = make_optimizer(run, model)
    batch_size = min(run.batch_size, run.size)
    heading = message(
        "terminal.train_heading", model=repr(model), data=run.data_name, size=run.size
    )
    print(heading, file=out)
    settings = "terminal.train_settings_replayed" if run.replay else "terminal.train_settings"
    print(
        message(
            settings,
            loss=run.loss,
            optimizer=run.optimizer,
            lr=f"{lr:g}",
            penalties=_penalties(run),
            epochs=run.epochs,
            batch=batch_size,
            seed=run.seed,
        ),
        file=out,
    )
    if batch_size < run.batch_size:
        print(message("terminal.train_one_batch", batch=run.batch_size, size=run.size), file=out)
    history = fit(
        model,
        points,
        targets,
        loss=loss,
        optimizer=optimizer,
        epochs=run.epochs,
        batch_size=batch_size,
        seed=run.seed,
        progress=progress,
        replay=run.replay,
    )
    final = accuracy(model, points, targets, loss=loss)
    with no_grad():
        final_loss = mean_loss(loss, [model(x) for x in points], targets).data
    # The bar and the curves show each epoch as fit measured it: every batch scored as it was
    # trained on, before its step. The model after the last step can score otherwise.
    last = message(
        "terminal.train_last_epoch",
        loss=f"{history.loss[-1]:.4f}",
        accuracy=f"{history.accuracy[-1]:.3f}",
    )
    print(last, file=out)
    summary = message(
        "terminal.train_final", count=len(points), loss=f"{final_loss:.4f}", accuracy=f"{final:.3f}"
    )
    print(style(summary, "bold"), file=out)
    title = f"{run.data_name}: {model!r}"
    if run.classes is None:  # K logits need no name: predict reads them through softmax
        model.loss = run.loss  # saved with it: chainrule predict reads the output by it
    outputs.stage(files["model"], model.save)
    if run.dataset in REGRESSION_DATASETS:
        outputs.stage(
            files["predictions"],
            lambda path: plots.predictions(model, points, targets, path, title),
        )
    elif run.classes is not None:
        outputs.stage(
            files["decision boundary"],
            lambda path: plots.class_regions(model, points, labels, run.classes, path, title),
        )
    else:
        outputs.stage(
            files["decision boundary"],
            lambda path: plots.decision_boundary(
                model, points, targets, _predicts_positive(loss), path, title
            ),
        )
    outputs.stage(
        files["training curves"],
        lambda path: plots.training_curves(history, path, title, final=(final_loss, final)),
    )
    if "playground" in files:
        page = playground.playground_page(
            **playground_options(run),
            model=model,
            optimizer_state=optimizer,
            title=message("playground.trained_title", model=repr(model), data=run.data_name),
        )
        outputs.stage(files["playground"], lambda path: path.write_text(page, encoding="utf-8"))
    return TrainingResult(model, history, final, files)


def _penalties(run: TrainingRun) -> str:
    """The run's L1 and L2 rates as the first line of its report writes them ("" for none)."""
    return "".join(f" {name}={rate:g}" for name, rate in (("l1", run.l1), ("l2", run.l2)) if rate)
