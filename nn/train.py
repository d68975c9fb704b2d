"""Training: mini-batch gradient descent on a loss, and scoring a model.

One step of ``fit`` on a batch B of samples:

    C = (1/|B|) Σ_{i∈B} loss(model(x_i), y_i)     forward, then C.backward()
    optimizer.step()                              p ← p − η·∂C/∂p (or Adam's rule)

An epoch is one pass over the data in a fresh random order, given by
:func:`batch_orders`.

Replay (``fit(..., replay=True)``): trace once, run many times. Every batch of
a given size builds a graph of the same shape; only the numbers in its leaves
(inputs, targets, weights) change. So fit builds that graph once per batch
size, on placeholder leaves for the batch's inputs and targets, and records it
as an :class:`engine.Replay`: its ops in topological order, as flat lists.
Every later batch writes its numbers into the placeholders and re-runs the
recording, forward and backward, as plain float arithmetic: no ``Value``
objects to create, no graph to walk or free. Tracing compilers get their speed
the same way: ``torch.compile`` and ``jax.jit`` run your Python once to record
what it computes, then run the recording. The weights come out bit-for-bit the
same as without replay.

Tracing compilers have a limit, and so does replay: the recording holds only if
the graph's shape does not depend on the data. An op whose local derivative
depends on the data is fine (``relu`` is re-evaluated each run), but a Python
``if`` on a ``.data``, or a number taken from the data into the graph as a
constant, is frozen at trace time. ``mse_loss``, ``hinge_loss`` and
``bce_loss`` do neither. ``cross_entropy`` does both (its label picks a logit),
so ``replay=True`` refuses it. A loss of your own gets its targets as ``Value``
leaves and must compute the same way whatever their numbers are.

Divergence: a learning rate far too large makes the weights and the loss grow
without bound. ``fit`` stops with :class:`TrainingDivergedError` (an engine
``MathError``) naming the epoch, what went wrong and the learning rate, as soon
as a batch's loss is not finite or exceeds ``divergence_factor`` times the mean
loss before training (at least 1), an op of the engine cannot compute a finite
number (its ``MathError`` is the error's ``__cause__``), or a step leaves a
parameter that is not finite. The model keeps the weights it had at that point.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from numbers import Real

from tqdm import tqdm

from ..engine import MathError, Replay, Value, no_grad
from ..engine.i18n import message
from .losses import (
    DECISION_RULES,
    CorrectRule,
    Loss,
    Output,
    Target,
    bce_loss,
    cross_entropy,
    mean_loss,
)
from .module import MLP, Input
from .optim import Adam, Optimizer

BatchRun = Callable[[list[int]], tuple[float, list[Output]]]
"""Forward and backward on the samples of one batch: returns C and the model's outputs."""

DIVERGENCE_FACTOR = 1e6
"""A batch loss this many times the loss before training (or 1, if larger) means divergence."""


class TrainingDivergedError(MathError):
    """Training blew up: the loss or a weight stopped being a (reasonable) finite number.

    ``epoch`` (1-based) of ``epochs`` is where it happened, ``reason`` says what
    went wrong and ``lr`` is the optimiser's learning rate; the message ends by
    suggesting a smaller one.
    """

    def __init__(self, epoch: int, epochs: int, reason: str, lr: float | None) -> None:
        if lr is None:
            said = message("engine.training_diverged", epoch=epoch, epochs=epochs, reason=reason)
        else:
            said = message(
                "engine.training_diverged_lr",
                epoch=epoch,
                epochs=epochs,
                reason=reason,
                lr=f"{lr:g}",
            )
        super().__init__(said)
        self.epoch, self.epochs, self.reason, self.lr = epoch, epochs, reason, lr


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
    replay: bool = False,
    divergence_factor: float | None = DIVERGENCE_FACTOR,
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

    ``replay=True`` trains on one traced graph per batch size (see the module
    docstring): the same weights and history, several times faster. It reads
    inputs and targets as numbers, and leaves ``model.inputs`` and each
    neuron's ``z`` and ``a`` as they were traced rather than from the last batch.

    A run that diverges raises :class:`TrainingDivergedError` (see the module
    docstring): a non-finite loss or parameter, an engine ``MathError`` during
    an epoch, or a batch loss above ``divergence_factor`` × max(1, the mean
    loss before training); ``divergence_factor=None`` switches the last check off.
    """
    rule = _rule(loss, correct)
    if replay:
        _check_replayable(loss)
    _check_count(epochs, "fit epochs")
    _check_count(batch_size, "fit batch_size")
    if len(inputs) != len(targets):
        raise ValueError(
            f"fit needs one target per input: {len(inputs)} inputs, {len(targets)} targets"
        )
    if not inputs:
        raise ValueError("fit got no samples to train on")
    if divergence_factor is not None and not divergence_factor > 0:
        raise ValueError(f"fit divergence_factor must be > 0 or None, got {divergence_factor!r}")
    initial_loss = _check_samples(model, inputs, targets, loss, rule)
    if optimizer is None:
        optimizer = Adam(model.parameters(), lr=0.01)
    run_batch: BatchRun
    if replay:
        run_batch = _ReplayedBatches(model, loss, inputs, targets)
    else:
        run_batch = partial(_backprop_batch, model, loss, inputs, targets)
    orders = batch_orders(len(inputs), seed)
    history = History()
    named = model.named_parameters()
    lr = getattr(optimizer, "lr", None)
    with tqdm(range(epochs), desc="fit", unit="epoch", disable=not progress) as bar:
        for epoch in bar:
            order = next(orders)
            total_loss, right = 0.0, 0
            for start in range(0, len(order), batch_size):
                batch = order[start : start + batch_size]
                try:
                    optimizer.zero_grad()
                    cost, outputs = run_batch(batch)  # every parameter's grad is now ∂C/∂p
                    problem = _loss_problem(cost, divergence_factor, initial_loss)
                    if not problem:
                        optimizer.step()
                        problem = _parameter_problem(named)
                except TrainingDivergedError:
                    raise
                except MathError as error:
                    reason = message("engine.training_loss_failed", error=error)
                    raise TrainingDivergedError(epoch + 1, epochs, reason, lr) from error
                if problem:
                    raise TrainingDivergedError(epoch + 1, epochs, problem, lr)
                total_loss += cost * len(batch)
                right += sum(rule(o, targets[i]) for o, i in zip(outputs, batch, strict=True))
            history.loss.append(total_loss / len(order))
            history.accuracy.append(right / len(order))
            bar.set_postfix(
                {"loss": f"{history.loss[-1]:.4f}", "accuracy": f"{history.accuracy[-1]:.3f}"}
            )
    return history


def batch_orders(n: int, seed: int | None) -> Iterator[list[int]]:
    """Each epoch's order of the sample indices 0 … n−1, as ``fit`` visits them: endless.

    The first epoch's order is ``list(range(n))`` shuffled by ``random.Random(seed)``,
    and every later epoch shuffles the order before it again with the same generator.
    Each order is a new list; ``fit`` cuts it into batches of ``batch_size`` (the last one
    shorter when ``batch_size`` does not divide n).

    >>> from itertools import islice
    >>> list(islice(batch_orders(4, seed=0), 2))
    [[2, 0, 1, 3], [2, 0, 3, 1]]
    """
    _check_count(n, "batch_orders n (the number of samples)")
    return _orders(n, random.Random(seed).shuffle)


def _orders(n: int, shuffle: Callable[[list[int]], None]) -> Iterator[list[int]]:
    order = list(range(n))
    while True:
        shuffle(order)
        yield list(order)


def _loss_problem(cost: float, factor: float | None, initial: float) -> str:
    """Why a batch's loss ``cost`` means that training diverged, or "" when it does not."""
    if not math.isfinite(cost):
        return message("engine.training_loss_not_finite", loss=repr(cost))
    if factor is not None and abs(cost) > factor * max(1.0, initial):
        times = f"{factor:,.0f}" if 1 <= factor <= 1e12 else f"{factor:g}"
        return message(
            "engine.training_loss_exploded",
            loss=f"{cost:.3g}",
            times=times,
            initial=f"{initial:.4g}",
        )
    return ""


def _parameter_problem(named: list[tuple[str, Value]]) -> str:
    """The first parameter that is not a finite number, as a reason; "" when all are."""
    for name, p in named:
        if not math.isfinite(p.data):
            return message("engine.training_parameter_not_finite", name=name, value=repr(p.data))
    return ""


def _backprop_batch(
    model: MLP,
    loss: Loss,
    inputs: Sequence[Sequence[Input]],
    targets: Sequence[Target],
    batch: list[int],
) -> tuple[float, list[Output]]:
    """Build the batch's graph anew and backprop through it: C and the model's outputs."""
    outputs = [model(inputs[i]) for i in batch]
    cost = mean_loss(loss, outputs, [targets[i] for i in batch])
    cost.backward()
    return cost.data, outputs


@dataclass
class _Trace:
    """The loss graph of one batch size, recorded: fill the placeholders, then replay."""

    replay: Replay
    placeholders: list[list[Value]]
    """Per sample of the batch: one leaf per input number, then one per target number."""
    outputs: list[Output]
    """Per sample: the model's output nodes in the traced graph."""


class _ReplayedBatches:
    """A :data:`BatchRun` that traces each batch size's graph once, then replays it."""

    def __init__(
        self,
        model: MLP,
        loss: Loss,
        inputs: Sequence[Sequence[Input]],
        targets: Sequence[Target],
    ) -> None:
        self.model, self.loss = model, loss
        target_numbers = [_numbers(y, "targets") for y in targets]
        lengths = sorted({len(y) for y in target_numbers})
        if len(lengths) > 1:
            raise ValueError(
                "fit(replay=True) writes each sample's target into the same placeholder "
                f"leaves, so every target needs as many numbers; got lengths {lengths}"
            )
        self.vector_targets = not isinstance(targets[0], (Real, Value))
        self.samples = [
            _numbers(x, "inputs") + y for x, y in zip(inputs, target_numbers, strict=True)
        ]
        self.traces: dict[int, _Trace] = {}

    def __call__(self, batch: list[int]) -> tuple[float, list[Output]]:
        trace = self.traces.get(len(batch))
        if trace is None:
            trace = self.traces[len(batch)] = self._trace(batch)
        for leaves, i in zip(trace.placeholders, batch, strict=True):
            for leaf, number in zip(leaves, self.samples[i], strict=True):
                leaf.data = number
        cost = trace.replay.run()
        return cost, [_replayed(trace.replay, output) for output in trace.outputs]

    def _trace(self, batch: list[int]) -> _Trace:
        """Build the batch's loss graph on placeholder leaves and record it."""
        placeholders = [[Value(number) for number in self.samples[i]] for i in batch]
        nin = self.model.nin
        outputs = [self.model(leaves[:nin]) for leaves in placeholders]
        targets = [leaves[nin:] if self.vector_targets else leaves[nin] for leaves in placeholders]
        name = getattr(self.loss, "__name__", repr(self.loss))
        hint = (
            f"fit(replay=True) gives the loss its targets as Value leaves (placeholders that "
            f"each batch overwrites), and {name} failed on them"
        )
        try:
            cost = mean_loss(self.loss, outputs, targets)
        except MathError:
            raise
        except TypeError as error:
            raise TypeError(f"{hint}: {error}") from error
        except ValueError as error:
            raise ValueError(f"{hint}: {error}") from error
        try:
            replay = Replay(cost)
        except ValueError as error:
            raise ValueError(
                f"fit(replay=True) cannot trace the loss {name}: {error}; or train with "
                "replay=False"
            ) from error
        return _Trace(replay, placeholders, outputs)


def _replayed(replay: Replay, output: Output) -> Output:
    """A traced output's numbers from the latest replay, as new Values for the decision rule."""
    if isinstance(output, Value):
        return Value(replay.value_of(output))
    return [Value(replay.value_of(node)) for node in output]


def _numbers(sample: object, what: str) -> list[float]:
    """A sample's inputs or target as the numbers to write into its placeholder leaves."""
    is_list = isinstance(sample, Sequence) and not isinstance(sample, (str, bytes))
    numbers = []
    for item in sample if is_list else [sample]:
        number = item.data if isinstance(item, Value) else item
        if isinstance(number, bool) or not isinstance(number, Real):
            raise TypeError(
                f"fit(replay=True) writes {what} into Value leaves, so each must be a number, "
                f"a Value or a list of them; got {type(sample).__name__}: {sample!r:.80}"
            )
        numbers.append(float(number))
    return numbers


def _check_replayable(loss: Loss) -> None:
    """Refuse, before any work, the built-in loss whose graph depends on the data."""
    if loss is cross_entropy:
        raise ValueError(
            "fit(replay=True) cannot replay cross_entropy: its graph depends on the data (the "
            "label picks which logit is subtracted, and the largest logit enters as a "
            "constant), so no single traced graph fits every batch. Replay supports mse_loss, "
            "hinge_loss and bce_loss, and losses of your own whose graph has the same shape "
            "for every sample; train cross_entropy with replay=False"
        )


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
) -> float:
    """One forward pass per sample without a graph; an error names the sample at fault.

    Returns the mean loss over the samples, the yardstick for divergence. An
    engine ``MathError`` keeps its type (a mistake in the data, not in the code).
    """
    mean = 0.0
    with no_grad():
        for i, (x, target) in enumerate(zip(inputs, targets, strict=True)):
            try:
                output = model(x)
                cost = loss(output, target)
                rule(output, target)
            except MathError as error:
                raise type(error)(f"sample {i}: {error}") from error
            except TypeError as error:
                raise TypeError(f"sample {i}: {error}") from error
            except ValueError as error:
                raise ValueError(f"sample {i}: {error}") from error
            number = cost.data if isinstance(cost, Value) else cost
            if isinstance(number, Real) and math.isfinite(number):
                mean += float(number) / len(inputs)  # a mean term by term cannot overflow
    return abs(mean)
