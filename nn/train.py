"""Training: mini-batch gradient descent on a loss, and scoring a model.

One step of ``fit`` on a batch B of samples:

    C = (1/|B|) Σ_{i∈B} loss(model(x_i), y_i)     forward, then C.backward()
    optimizer.step()                              p ← p − η·∂C/∂p (or Adam's rule)

An epoch is one pass over the data in a fresh random order.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from tqdm import tqdm

from engine import no_grad
from nn.losses import DECISION_RULES, CorrectRule, Loss, Target, bce_loss, mean_loss
from nn.module import MLP, Input
from nn.optim import Adam, Optimizer


@dataclass
class History:
    """Per-epoch mean loss and accuracy, measured on the fly over each epoch's batches."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


def fit(
    model: MLP,
    inputs: Sequence[Sequence[Input]],
    targets: Sequence[Target],
    *,
    loss: Loss = bce_loss,
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int = 32,
    seed: int | None = 0,
    progress: bool = True,
    correct: CorrectRule | None = None,
) -> History:
    """Train ``model`` on (inputs[i], targets[i]) pairs and return the per-epoch history.

    ``optimizer`` defaults to ``Adam(model.parameters(), lr=0.01)``; ``seed``
    fixes the order of the samples. ``correct(output, target)`` decides
    whether a prediction is right; by default the loss's own rule (logit > 0
    for ``bce_loss``, the sign for ``hinge_loss``, the largest logit for
    ``cross_entropy``, within ½ of the target for ``mse_loss``). A tqdm bar
    shows the loss and accuracy of each epoch; ``progress=False`` hides it.

    Every sample goes through the model and the loss once before the first
    step, so bad data raises before any weight has changed.
    """
    rule = _rule(loss, correct)
    _check_count(epochs, "fit epochs")
    _check_count(batch_size, "fit batch_size")
    if len(inputs) != len(targets):
        raise ValueError(
            f"fit needs one target per input: {len(inputs)} inputs, {len(targets)} targets"
        )
    if not inputs:
        raise ValueError("fit got no samples to train on")
    _check_samples(model, inputs, targets, loss, rule)
    if optimizer is None:
        optimizer = Adam(model.parameters(), lr=0.01)
    order = list(range(len(inputs)))
    shuffle = random.Random(seed).shuffle
    history = History()
    bar = tqdm(range(epochs), desc="fit", unit="epoch", disable=not progress)
    for _ in bar:
        shuffle(order)
        total_loss, right = 0.0, 0
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            outputs = [model(inputs[i]) for i in batch]
            batch_targets = [targets[i] for i in batch]
            cost = mean_loss(loss, outputs, batch_targets)
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
            total_loss += cost.data * len(batch)
            right += sum(rule(o, t) for o, t in zip(outputs, batch_targets, strict=True))
        history.loss.append(total_loss / len(order))
        history.accuracy.append(right / len(order))
        bar.set_postfix(
            {"loss": f"{history.loss[-1]:.4f}", "accuracy": f"{history.accuracy[-1]:.3f}"}
        )
    return history


def accuracy(
    model: MLP,
    inputs: Sequence[Sequence[Input]],
    targets: Sequence[Target],
    *,
    loss: Loss = bce_loss,
    correct: CorrectRule | None = None,
) -> float:
    """The fraction of samples the model gets right, by ``correct`` or the loss's rule."""
    rule = _rule(loss, correct)
    if len(inputs) != len(targets) or not inputs:
        raise ValueError(
            f"accuracy needs one target per input and at least one sample: "
            f"{len(inputs)} inputs, {len(targets)} targets"
        )
    with no_grad():
        right = sum(rule(model(x), t) for x, t in zip(inputs, targets, strict=True))
    return right / len(inputs)


def _rule(loss: Loss, correct: CorrectRule | None) -> CorrectRule:
    if correct is not None:
        return correct
    if loss in DECISION_RULES:
        return DECISION_RULES[loss]
    name = getattr(loss, "__name__", repr(loss))
    raise ValueError(
        f"no rule for scoring predictions of the loss {name}: pass correct=, a function "
        "(output, target) -> bool, or register one with nn.losses.decision_rule"
    )


def _check_count(n: object, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be an int, got {type(n).__name__}: {n!r:.80}")
    if n < 1:
        raise ValueError(f"{what} must be ≥ 1, got {n}")


def _check_samples(
    model: MLP,
    inputs: Sequence[Sequence[Input]],
    targets: Sequence[Target],
    loss: Loss,
    rule: CorrectRule,
) -> None:
    """One forward pass per sample without a graph; an error names the sample at fault."""
    with no_grad():
        for i, (x, target) in enumerate(zip(inputs, targets, strict=True)):
            try:
                output = model(x)
                loss(output, target)
                rule(output, target)
            except TypeError as error:
                raise TypeError(f"sample {i}: {error}") from error
            except ValueError as error:
                raise ValueError(f"sample {i}: {error}") from error
