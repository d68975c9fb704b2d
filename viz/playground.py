"""The playground: TensorFlow Playground in one offline page, with every gradient visible.

Python makes a *configuration* and the page does the rest. The configuration holds
the options (data set, input features, hidden layers, activation, loss, optimiser,
learning rate, batch size, L1 and L2), the data Python generated, the network's initial
weights, the order of the mini-batches and the op table; the page's JavaScript
(``viz/web/playground/*.js``, assembled here into one inline script) trains on it
step by step, draws the decision boundary, the loss curves and every neuron, and shows
δ, ∂C/∂W and BP1–BP4 for any sample. For the configuration's options, k steps in the
page give the weights of k steps of :func:`python_training_steps` (which does what
``nn.fit`` does), and the page's BP1–BP4 give :func:`bp_reference`.

    >>> from chainrule.viz import playground_config
    >>> config = playground_config(dataset="circles", features=["x1sq", "x2sq"], hidden=[3])
    >>> config["config"]["hidden"], len(config["data"]["train"]), len(config["data"]["test"])
    ([3], 100, 100)
    >>> config["data"]["train"][0][2] in (0, 1)     # [x1, x2, label]
    True

The configuration, as JSON (the contract with the page's JavaScript):

    config        the options: dataset, samples, noise, trainRatio, features (ids of
                  nn.FEATURES), hidden (widths), activation (one name, or a list of
                  names when the hidden layers differ: one per hidden layer), init (a
                  name of nn.init.INITS), loss, optimizer, lr, batchSize, l1, l2, seed,
                  classes (2: one output; K from 3 to 5: K logits, loss cross_entropy)
    data          train and test: [x1, x2, label] per point: label 0 or 1, or for a
                  regression data set (reg-plane, reg-gauss) the real target y; own: true
                  when they are the learner's points (points=), not a generated data set's
    weights       MLP.save's "layers": weights[l - 1][j] = {"w": row j of W^l, "b": b^l_j}
    initWeights   for a new network, its weights from every initialisation of nn.init.INITS
                  by name (the same seed): the page's "compare" and its init menu start
                  from Python's own weights; {} when a model was given
    batchOrders   the first epochs' orders of the indices into data.train (nn.batch_orders),
                  from epoch trained.epochs on
    trained       {epochs, steps}, and Adam's moments {m, v}: where a run that continues
                  (chainrule train's) stopped; {epochs: 0, steps: 0} for a new one
    ops           the op table (engine.export_ops), for the page's twins of the kernels
    choices       every choice of the menus, from nn's own tables (nothing typed twice):
                  activation [{name, label, op}] (nn.activations.ACTIVATIONS, each the
                  engine op it is), loss and optimizer [{name, label}] (nn.losses.LOSSES,
                  nn.optim.OPTIMIZERS), dataset [names] (nn.datasets.DATASETS),
                  regression [the names of those whose targets are real numbers], init
                  [{name, label, formula, gain, fanIn, fanOut, bias}] (nn.init.INITS:
                  the page draws W from U(−r, r) with r = √gain / √(fanIn·n_in +
                  fanOut·n_out), and b too when bias, else 0)
    limits        every limit the page checks a value against (limits()): the page types none
    pytorch       what "Export to PyTorch" fills in (nn.pytorch_export.page_config()), so
                  the page writes chainrule export's bytes

How the page must train, to give Python's numbers: the network is
``MLP(len(features), [*hidden, 1], activation, output_activation="linear", init=init)``
(``activation`` one name, or one per hidden layer); its inputs
are ``nn.featurize([x1, x2], features)``. One step takes the next ``batchSize`` indices
of the epoch's order (the last batch of an epoch is shorter when ``batchSize`` does not
divide the number of training points), computes C as the mean of the loss over the batch
(``bce``: ``nn.bce_loss`` on the output as a logit, label 0/1; ``mse``: ``nn.mse_loss``,
target 0/1, or the real target of a regression data set, which trains only with ``mse``;
``hinge``: ``nn.hinge_loss`` with the label y turned into 2y − 1, as
``nn.signed_labels`` does), backpropagates, and moves every parameter with ``nn.SGD`` or
``nn.Adam`` (``lr``, ``l1``: λ₁·sign(p), then ``weight_decay=l2``: λ·p, added to the
gradient in that order), in ``model.parameters()`` order.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from itertools import islice
from numbers import Real
from pathlib import Path
from string import Template
from typing import Any

from ..engine import export_ops
from ..engine.i18n import catalogue, message, using_language
from ..nn import (
    MLP,
    Adam,
    BPQuantities,
    Optimizer,
    backprop_by_hand,
    batch_orders,
    check_features,
    featurize,
    mean_loss,
    pytorch_export,
    write_points,
)
from ..nn.activations import ACTIVATIONS, activation_label, activation_op
from ..nn.datasets import (
    DATASETS,
    MAX_CLASSES,
    MIN_CLASSES,
    MULTICLASS_DATASETS,
    REGRESSION_DATASETS,
    loss_for,
)
from ..nn.init import INITS, init_choices
from ..nn.losses import LABELS as LOSS_LABELS
from ..nn.losses import LOSSES, cross_entropy
from ..nn.optim import LABELS as OPTIMIZER_LABELS
from ..nn.optim import OPTIMIZERS
from ..nn.points_csv import task_label
from .markup import visible
from .page_assets import (
    OPS_SCRIPT,
    WEB,
    content_security_policy,
    messages_json,
    read_scripts,
    script_json,
)

DEFAULT_TITLE = None
"""No title given: the page's own, in its language (``playground.title`` of the catalogue)."""
MESSAGES = ("playground", "engine")
"""The catalogue's areas the page shows: its own words, and the kernels' MathError messages."""
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
SCRIPTS = (
    "i18n.js",
    "pyformat.js",
    "formula_runtime.js",
    OPS_SCRIPT,
    "backward.js",
    "playground/data.js",
    "playground/points.js",
    "playground/tape.js",
    "playground/dense.js",
    "playground/train.js",
    "playground/notation.js",
    "playground/config.js",
    "playground/hash.js",
    "playground/dom.js",
    "playground/own_data.js",
    "playground/classes.js",
    "playground/heatmap.js",
    "playground/curves.js",
    "playground/walk.js",
    "playground/network.js",
    "playground/inspector.js",
    "playground/controls.js",
    "playground/layers.js",
    "playground/compare.js",
    "playground/weight_editor.js",
    "playground/hovercard.js",
    "playground/draw.js",
    "playground/state.js",
    "playground/player.js",
    "playground/model.js",
    "playground/pytorch.js",
    "playground/weights.js",
    "playground/api.js",
    "playground/app.js",
)
"""The page's modules, in the order they build on each other."""

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 8
"""Playground's limits: at most 6 hidden layers of at most 8 neurons."""
MAX_MODEL_NEURONS = 16
"""A trained model given as ``model=`` may have layers this wide (``chainrule train``'s 16,16)."""
MIN_SAMPLES, MAX_SAMPLES = 10, 1000
POINTS_IN_ADDRESS = 200
"""A learner's own points live in the address up to this many; more, in a downloaded CSV."""
MAX_NOISE = 0.5
MIN_TRAIN_RATIO, MAX_TRAIN_RATIO = 0.1, 0.9
MAX_BATCH_SIZE = 30
MAX_EPOCHS_OF_ORDER = 500
MAX_SEED = 2**53 - 1
"""The largest seed JavaScript reads exactly from JSON (its largest safe integer)."""
MAX_LR = 10.0
MAX_L2 = MAX_L1 = 10.0
"""The learning rate is above 0 and at most 10, the L1 and L2 rates from 0 to 10 (the ladders)."""
SPEEDS = (1, 2, 5, 10, 30, 100, 300)
"""Play's speeds in epochs per second (the menu's ladder); "max" trains as fast as it goes."""
MIN_SPEED, MAX_SPEED = 1, 1000
DEFAULT_SPEED = 30
"""Play's speed when the address sets none: about TensorFlow Playground's pace."""
CROSS_ENTROPY = cross_entropy.__name__
"""The loss of K > 2 classes: K logits, softmax, then cross-entropy (``nn.cross_entropy``)."""
ALL_DATASETS = {**DATASETS, **MULTICLASS_DATASETS}
"""Every data set the page offers: nn's, and those of K classes only (blobs)."""
MAX_COMPARE_EPOCHS, DEFAULT_COMPARE_EPOCHS = 200, 20
"""How long "Compare initialisations" trains each network: 20 epochs, and at most 200."""


def limits() -> dict[str, Any]:
    """The playground's limits, for the page (the configuration's "limits"): one source."""
    return {
        "samples": [MIN_SAMPLES, MAX_SAMPLES],
        "ownPoints": [1, MAX_SAMPLES],
        "pointsInAddress": POINTS_IN_ADDRESS,
        "noise": [0.0, MAX_NOISE],
        "trainRatio": [MIN_TRAIN_RATIO, MAX_TRAIN_RATIO],
        "hiddenLayers": MAX_HIDDEN_LAYERS,
        "neurons": MAX_NEURONS,
        "modelNeurons": MAX_MODEL_NEURONS,
        "batchSize": [1, MAX_BATCH_SIZE],
        "lr": [0.0, MAX_LR],
        "l1": [0.0, MAX_L1],
        "l2": [0.0, MAX_L2],
        "seed": [-MAX_SEED, MAX_SEED],
        "speed": [MIN_SPEED, MAX_SPEED],
        "speeds": list(SPEEDS),
        "defaultSpeed": DEFAULT_SPEED,
        "compareEpochs": [1, MAX_COMPARE_EPOCHS],
        "defaultCompareEpochs": DEFAULT_COMPARE_EPOCHS,
        "classes": [MIN_CLASSES, MAX_CLASSES],
    }


def playground_config(
    *,
    dataset: str = "moons",
    samples: int = 200,
    noise: float = 0.1,
    train_ratio: float = 0.5,
    features: Sequence[str] = ("x1", "x2"),
    hidden: Sequence[int] = (4, 4),
    activation: str | Sequence[str] = "tanh",
    init: str = "uniform",
    loss: str | None = None,
    optimizer: str = "sgd",
    lr: float = 0.03,
    batch_size: int = 10,
    l2: float = 0.0,
    seed: int = 0,
    points: Sequence[Sequence[float]] | None = None,
    l1: float = 0.0,
    model: MLP | None = None,
    epochs_of_order: int = 20,
    trained_epochs: int = 0,
    optimizer_state: Optimizer | None = None,
    classes: int = 2,
) -> dict[str, Any]:
    """The playground's configuration (see the module docstring), ready for ``json.dumps``.

    ``samples`` points of ``dataset`` (``nn.make_moons`` and its siblings, with ``noise``
    and ``seed``) are split in the order the generator returns them (already shuffled):
    the first ``round(train_ratio · samples)`` are for training, the rest for testing.
    Labels are 0/1 as the generators give them; for ``loss="hinge"`` the page, like
    ``nn.signed_labels``, trains on 2y − 1. ``points`` ([x1, x2, label] each, label 0 or 1,
    at most 1,000 of them: ``nn.read_points``'s rows) replace the generated data: they are
    split in their own order, and the page starts with them as the learner's own data.
    ``nn.signed_labels``, trains on 2y − 1. A regression data set (``nn.datasets.
    REGRESSION_DATASETS``: ``"reg-plane"``, ``"reg-gauss"``) gives real targets, learnt with
    ``loss="mse"``, the loss it defaults to (a classification set defaults to ``"bce"``).

    The network is ``MLP(len(features), [*hidden, 1], activation=activation,
    output_activation="linear", seed=seed, init=init)`` (``activation`` one name of
    ``nn.ACTIVATIONS``, or a list of them, one per hidden layer; ``init`` one of
    ``nn.init.INITS``), unless ``model`` (an ``nn.MLP`` with
    ``len(features)`` inputs, one linear output, at most 6 hidden layers of at most 16
    neurons) is given: then its weights, hidden widths, activations and init are used
    and ``hidden``, ``activation`` and ``init`` are ignored. ``batchOrders`` holds the first
    ``epochs_of_order`` epochs of ``nn.batch_orders(len(train), seed)``.

    A run that continues (``chainrule train``'s): ``trained_epochs`` epochs that ``nn.fit``
    already trained ``model`` on this configuration's training points (with its seed and
    batch size), and ``optimizer_state``, the optimiser it trained with (an ``nn.SGD``
    without momentum or an ``nn.Adam``, no schedule): the page starts at that epoch, with
    the epochs' orders from there on and Adam's moments and step count, so its next steps
    are the run's own next steps. ``train_ratio`` may then be 1 (``fit`` trained on all).

    ``classes=K`` from 3 to 5 learns K classes: ``dataset`` must be one of
    ``nn.datasets.MULTICLASS_DATASETS`` (spiral, blobs), made with ``classes=K``; the output
    layer has K linear neurons, the logits, and the loss is ``"cross_entropy"`` (softmax
    then cross-entropy, ``nn.cross_entropy``), the only one allowed. ``classes=2`` (the
    default) is the one-output network above; blobs and cross_entropy need ``classes`` ≥ 3.

    Every option is checked, within Playground's limits (:func:`limits`): 10–1000 samples,
    noise 0–0.5 (a standard deviation), train_ratio 0.1–0.9, at most 6 hidden layers of at
    most 8 neurons, batch_size 1–30, 0 < lr ≤ 10, 0 ≤ l1 ≤ 10, 0 ≤ l2 ≤ 10. A bad one raises
    ``ValueError`` (or ``TypeError`` for a value of the wrong type) saying what is allowed.
    """
    _choice(dataset, ALL_DATASETS, "dataset")
    _whole(classes, "classes", MIN_CLASSES, MAX_CLASSES)
    loss = _loss_of_classes(dataset, classes, loss, points)
    _whole(samples, "samples", MIN_SAMPLES, MAX_SAMPLES)
    noise = _number(noise, "noise", 0.0, MAX_NOISE)
    _whole(trained_epochs, "trained_epochs", 0, 10**7)
    if trained_epochs and train_ratio == 1:
        train_ratio = 1.0  # a run that continues may have trained on every point
    else:
        train_ratio = _number(train_ratio, "train_ratio", MIN_TRAIN_RATIO, MAX_TRAIN_RATIO)
    ids = list(check_features(features))
    if loss is None or loss != CROSS_ENTROPY:
        if loss is not None:
            _choice(loss, LOSSES, "loss")
        loss = loss_for(dataset, loss)
    _choice(optimizer, OPTIMIZERS, "optimizer")
    lr = _number(lr, "lr", 0.0, MAX_LR, positive=True)
    _whole(batch_size, "batch_size", 1, MAX_BATCH_SIZE)
    l2 = _number(l2, "l2", 0.0, MAX_L2)
    l1 = _number(l1, "l1", 0.0, MAX_L1)
    _whole(seed, "seed", -MAX_SEED, MAX_SEED)
    _whole(epochs_of_order, "epochs_of_order", 1, MAX_EPOCHS_OF_ORDER)
    if trained_epochs and model is None:
        raise ValueError("trained_epochs needs the model that was trained (model=)")
    starts: dict[str, Any] = {}
    if model is None:
        widths = _hidden(hidden, MAX_NEURONS, "hidden")
        for name in [activation] if isinstance(activation, str) else activation:
            _choice(name, ACTIVATIONS, "activation")
        _choice(init, INITS, "init")
        outputs = _outputs(classes)
        model = MLP(len(ids), [*widths, outputs], activation=activation, seed=seed, init=init)
        starts = {
            name: _weights(
                MLP(len(ids), [*widths, outputs], activation=activation, seed=seed, init=name)
            )
            for name in INITS
        }
    else:
        _check_model(model, len(ids), classes)
    trained = _trained(trained_epochs, optimizer_state, optimizer, lr, (l1, l2), model)
    if points is None:
        extra = {"classes": classes} if classes > 2 else {}
        made, labels = ALL_DATASETS[dataset](n=samples, noise=noise, seed=seed, **extra)
        rows = [[x1, x2, label] for (x1, x2), label in zip(made, labels, strict=True)]
    else:
        rows = _own_points(points)
    n_train = round(train_ratio * len(rows))
    return {
        "config": {
            "dataset": dataset,
            "samples": samples,
            "noise": noise,
            "trainRatio": train_ratio,
            "features": ids,
            "hidden": list(model.nouts[:-1]),
            "activation": activation_setting(model),
            "init": model.init,
            "loss": loss,
            "optimizer": optimizer,
            "lr": lr,
            "batchSize": batch_size,
            "l1": l1,
            "l2": l2,
            "seed": seed,
            "classes": classes,
        },
        "data": {"train": rows[:n_train], "test": rows[n_train:], "own": points is not None},
        "weights": _weights(model),
        "initWeights": starts,
        "batchOrders": list(
            islice(batch_orders(n_train, seed), trained_epochs, trained_epochs + epochs_of_order)
        ),
        "trained": trained,
        "ops": export_ops()["ops"],
        "choices": choices(),
        "limits": limits(),
        "pytorch": pytorch_export.page_config(),
    }


def _loss_of_classes(dataset: str, classes: int, loss: str | None, points: object) -> str | None:
    """The loss for ``classes``: cross_entropy for K > 2 (on a set of K classes), else ``loss``.

    Mirrors ``chainrule train --classes``: K classes need spiral or blobs, and no other
    loss; two classes keep the one-output network, which blobs and cross_entropy do not fit.
    """
    if classes == 2:
        if dataset not in DATASETS:
            raise ValueError(
                f"dataset {dataset!r} is made of 3 to {MAX_CLASSES} classes: give classes=3 "
                f"or more, or a data set of two classes ({', '.join(DATASETS)})"
            )
        if loss == CROSS_ENTROPY:
            raise ValueError(
                f"loss {CROSS_ENTROPY!r} is softmax's over K logits: give classes=3 to "
                f"{MAX_CLASSES}, or for two classes the loss bce (the same loss on one logit)"
            )
        return loss
    if dataset not in MULTICLASS_DATASETS:
        raise ValueError(
            f"classes={classes} needs a data set of K classes ({', '.join(MULTICLASS_DATASETS)}), "
            f"got {dataset!r}"
        )
    if loss not in (None, CROSS_ENTROPY):
        raise ValueError(
            f"classes={classes} trains K logits with softmax cross-entropy only; got "
            f"loss={loss!r}: leave the loss out"
        )
    if points is not None:
        raise ValueError(f"classes={classes}: own points are of two classes, 0 and 1")
    return CROSS_ENTROPY


def _outputs(classes: int) -> int:
    """The output layer's width: one logit for two classes, K logits for K > 2."""
    return classes if classes > 2 else 1


def _own_points(points: Sequence[Sequence[float]]) -> list[list[float]]:
    """The learner's points as the page takes them: 1 to 1,000 of [x1, x2, label 0 or 1]."""
    if not 1 <= len(points) <= MAX_SAMPLES:
        raise ValueError(
            f"points: the playground takes 1 to {MAX_SAMPLES} points, got {len(points)}"
        )
    write_points(points)  # checks that each is three finite numbers, naming the point
    rows = []
    for i, (x1, x2, label) in enumerate(points):
        try:
            rows.append([float(x1), float(x2), task_label(label, 2)])
        except ValueError as error:
            raise ValueError(f"points: point {i}: {error}") from None
    return rows


def _trained(
    epochs: int,
    state: Optimizer | None,
    optimizer: str,
    lr: float,
    penalties: tuple[float, float],
    model: MLP,
) -> dict[str, Any]:
    """The configuration's "trained": {epochs, steps} and, for Adam, its moments m and v."""
    if state is None:
        if epochs:
            raise ValueError(
                "trained_epochs needs the optimizer it trained with (optimizer_state=)"
            )
        return {"epochs": 0, "steps": 0}
    kind = OPTIMIZERS[optimizer]
    if type(state) is not kind:
        raise TypeError(
            f"optimizer_state must be an nn.{kind.__name__} (optimizer={optimizer!r}), got "
            f"{type(state).__name__}"
        )
    if state.schedule is not None or getattr(state, "momentum", 0.0) != 0.0:
        raise ValueError("the playground continues no lr schedule and no momentum")
    l1, l2 = penalties
    if state.lr != lr or state.weight_decay != l2 or state.l1 != l1:
        raise ValueError(
            f"optimizer_state trained with lr={state.lr:g}, l1={state.l1:g}, "
            f"weight_decay={state.weight_decay:g}; the playground is given lr={lr:g}, "
            f"l1={l1:g}, l2={l2:g}"
        )
    if [id(p) for p in state.params] != [id(p) for p in model.parameters()]:
        raise ValueError("optimizer_state must be the optimizer of the model given (model=)")
    trained: dict[str, Any] = {"epochs": epochs, "steps": state.steps}
    if isinstance(state, Adam):
        if state.betas != (0.9, 0.999) or state.eps != 1e-8:
            raise ValueError("the playground's Adam has betas (0.9, 0.999) and eps 1e-8")
        trained["m"] = list(state.m)
        trained["v"] = list(state.v)
    return trained


def choices() -> dict[str, list[Any]]:
    """The menus' choices, read from nn's tables when called: the configuration's "choices"."""
    return {
        "activation": [
            {"name": name, "label": activation_label(name), "op": activation_op(name)}
            for name in ACTIVATIONS
        ],
        "loss": [{"name": name, "label": LOSS_LABELS.get(name, name)} for name in LOSSES]
        + [{"name": CROSS_ENTROPY, "label": "softmax cross-entropy"}],
        "optimizer": [
            {"name": name, "label": OPTIMIZER_LABELS.get(name, name)} for name in OPTIMIZERS
        ],
        "dataset": list(ALL_DATASETS),
        "multiclass": list(MULTICLASS_DATASETS),
        "multiclassLoss": CROSS_ENTROPY,
        "twoClasses": list(DATASETS),
        "init": init_choices(),
        "regression": list(REGRESSION_DATASETS),
    }


def activation_setting(model: MLP) -> str | list[str]:
    """The configuration's "activation": one name when every hidden layer has the same σ.

    Otherwise the list, one name per hidden layer, as the page keeps it (a network without
    hidden layers keeps the name it was given, so the menu still shows one).
    """
    names = model.hidden_activations
    if len(set(names)) > 1:
        return list(names)
    if names:
        return names[0]
    return model.activation if isinstance(model.activation, str) else "tanh"


def _options_html(entries: list[dict[str, Any]], menu: str = "") -> str:
    """A menu's ``<option>`` elements, one per choice, escaped.

    A label the catalogue words (``playground.label_<menu>_<name>``: "squared error", not a
    name such as "ReLU") is written in the page's language and said again when it changes.
    """
    options = []
    for entry in entries:
        key = f"playground.label_{menu}_{entry['name']}"
        worded = key in catalogue()
        label = message(key) if worded else entry["label"]
        said = f' data-i18n="{html.escape(key)}"' if worded else ""
        options.append(
            f'<option value="{html.escape(entry["name"])}"{said}>{html.escape(label)}</option>'
        )
    return "\n".join(options)


def playground_model(config: dict[str, Any]) -> MLP:
    """The network of a configuration, with its initial weights (``config["weights"]``)."""
    options = _options(config)
    nin, hidden = len(options["features"]), options["hidden"]
    widths = [*hidden, _outputs(options.get("classes", 2))]
    model = MLP(nin, widths, activation=options["activation"], seed=0)
    layers = config["weights"]
    if not isinstance(layers, list) or [len(layer) for layer in layers] != widths:
        raise ValueError(f'the configuration\'s "weights" must have layers of widths {widths}')
    for layer, neurons in zip(model.layers, layers, strict=True):
        for neuron, saved in zip(layer.neurons, neurons, strict=True):
            if len(saved["w"]) != len(neuron.w):
                raise ValueError(
                    f"the configuration's weights of {neuron!r} must be {len(neuron.w)} numbers"
                )
            for w, value in zip(neuron.w, saved["w"], strict=True):
                w.data = float(value)
            neuron.b.data = float(saved["b"])
    return model


def python_training_steps(config: dict[str, Any], steps: int) -> list[float]:
    """Every weight and bias (``model.parameters()`` order) after ``steps`` steps in Python.

    The steps are ``nn.fit``'s, one per mini-batch, from the configuration's "trained"
    state (a run that continues goes on from its epoch, step count and Adam's moments):
    the configuration's network (:func:`playground_model`), its training points through
    ``nn.featurize``, the epochs' orders from ``nn.batch_orders(len(train), seed)`` cut
    into batches of ``batchSize``, C = ``nn.mean_loss`` of the loss over the batch,
    ``C.backward()``, then one step of
    ``nn.SGD`` or ``nn.Adam`` with ``l1`` and ``weight_decay=l2``. For whole epochs this gives
    exactly the weights ``nn.fit`` gives; the page's k steps are compared with it.
    """
    _whole(steps, "steps", 0, 10**7)
    options = _options(config)
    model = playground_model(config)
    trained = config.get("trained", {"epochs": 0, "steps": 0})
    train = config["data"]["train"]
    inputs = [featurize(row[:2], options["features"]) for row in train]
    targets = [2 * row[2] - 1 if options["loss"] == "hinge" else row[2] for row in train]
    loss = cross_entropy if options["loss"] == CROSS_ENTROPY else LOSSES[options["loss"]]
    optimizer = _optimizer(model, options)
    optimizer.steps = trained["steps"]
    if isinstance(optimizer, Adam) and "m" in trained:
        optimizer.m, optimizer.v = list(trained["m"]), list(trained["v"])
    batch_size = options["batchSize"]
    done = 0
    orders = islice(batch_orders(len(train), options["seed"]), trained["epochs"], None)
    while done < steps:
        order = next(orders)
        for start in range(0, len(order), batch_size):
            if done == steps:
                break
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            outputs = [model(inputs[i]) for i in batch]
            cost = mean_loss(loss, outputs, [targets[i] for i in batch])
            cost.backward()
            optimizer.step()
            done += 1
    return [p.data for p in model.parameters()]


def bp_reference(config: dict[str, Any], sample_index: int) -> BPQuantities:
    """BP1–BP4 by hand (``nn.backprop_by_hand``) for training point ``sample_index``.

    The configuration's initial weights, the point's features as the input and its
    label (0 or 1) as the target y of C = ½‖a^L − y‖²: the numbers the page's BP1–BP4
    show for that point before any step (for the loss ``mse``, whose C this is). With
    K classes (loss ``cross_entropy``) y is the label's one-hot vector and C softmax's
    cross-entropy, so BP1 is δᴸ = ŷ − y.
    """
    options = _options(config)
    train = config["data"]["train"]
    _whole(sample_index, "sample_index", 0, len(train) - 1)
    row = train[sample_index]
    layers = config["weights"]
    W = [[list(neuron["w"]) for neuron in layer] for layer in layers]  # noqa: N806
    b = [[neuron["b"] for neuron in layer] for layer in layers]
    activations = [*playground_model(config).hidden_activations, "linear"]
    x = featurize(row[:2], options["features"])
    if options["loss"] == CROSS_ENTROPY:
        one_hot = [float(k == row[2]) for k in range(options["classes"])]
        return backprop_by_hand(W, b, activations, x, one_hot, loss=CROSS_ENTROPY)
    return backprop_by_hand(W, b, activations, x, [float(row[2])])


def playground_page(
    *, title: str | None = DEFAULT_TITLE, lang: str | None = None, **options: Any
) -> str:
    """The playground as one self-contained HTML page, for :func:`playground_config`'s options.

    It works from ``file://``, loads nothing, and its Content-Security-Policy allows no
    request and only its own inline script (by its SHA-256). It is written in ``lang``
    (``"en"`` or ``"zh"``; default the current language, ``chainrule.set_language``) and
    carries both, so its switch, or ``lang=`` in the address, changes every text in place.
    """
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}: {title!r:.80}")
    config = playground_config(**options)
    with using_language(lang) as written:
        return _page(config, title, written)


def _page(config: dict[str, Any], title: str | None, written: str) -> str:
    """The page of ``config`` in the language ``written``: the template filled in."""
    menus = config["choices"]
    script = read_scripts(SCRIPTS)
    template = Template((WEB / "playground" / "page.html").read_text(encoding="utf-8"))
    heading = html.escape(visible(message("playground.title") if title is None else title))
    return template.substitute(
        lang=HTML_LANG[written],
        title=heading,
        heading=(
            heading if title is not None else f'<span data-i18n="playground.title">{heading}</span>'
        ),
        messages=messages_json(*MESSAGES),
        policy=content_security_policy(script),
        style=(WEB / "playground" / "page.css").read_text(encoding="utf-8"),
        config=script_json(config),
        script=script,
        activations=_options_html(menus["activation"]),
        inits=_options_html(menus["init"], "init"),
        losses=_options_html(menus["loss"], "loss"),
        optimizers=_options_html(menus["optimizer"]),
    )


def write_playground(
    path: str | os.PathLike[str],
    *,
    title: str | None = DEFAULT_TITLE,
    lang: str | None = None,
    **options: Any,
) -> Path:
    """Write :func:`playground_page` to ``path`` (``.html`` added if it has no suffix).

    Returns the path written. ``lang`` is the language it opens in (default: the current
    one, so ``chainrule playground --lang zh`` writes it in Chinese); the options are
    :func:`playground_config`'s.
    """
    page = playground_page(title=title, lang=lang, **options)
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(".html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target


def _weights(model: MLP) -> list[list[dict[str, Any]]]:
    """MLP.save's "layers": layers[l - 1][j] = {"w": row j of W^l, "b": b^l_j}."""
    return [
        [{"w": [w.data for w in neuron.w], "b": neuron.b.data} for neuron in layer.neurons]
        for layer in model.layers
    ]


def _optimizer(model: MLP, options: dict[str, Any]) -> Optimizer:
    kind = OPTIMIZERS[options["optimizer"]]
    return kind(model.parameters(), lr=options["lr"], weight_decay=options["l2"], l1=options["l1"])


def _options(config: object) -> dict[str, Any]:
    """The options of a configuration made by :func:`playground_config`, checked for shape."""
    keys = ("config", "data", "weights")
    if not isinstance(config, dict) or not all(key in config for key in keys):
        raise ValueError(
            'expected a configuration made by playground_config, with "config", "data" and '
            f'"weights"; got {config!r:.80}'
        )
    options = config["config"]
    needed = ("features", "hidden", "activation", "loss", "optimizer", "lr", "batchSize")
    missing = [key for key in (*needed, "l1", "l2", "seed") if key not in options]
    if missing:
        raise ValueError(f"the configuration's options lack {', '.join(missing)}")
    return options


def _check_model(model: object, nin: int, classes: int) -> None:
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an nn.MLP, got {type(model).__name__}: {model!r:.80}")
    if model.nin != nin:
        raise ValueError(
            f"the model {model!r} takes {model.nin} inputs, but {nin} features are chosen; "
            "give as many features as the model has inputs"
        )
    outputs = _outputs(classes)
    if model.nouts[-1] != outputs or model.output_activation != "linear":
        ends = "one linear output neuron" if outputs == 1 else f"{outputs} linear logits"
        raise ValueError(
            f"the playground's network ends in {ends} for classes={classes}; the model "
            f"{model!r} does not"
        )
    _hidden(model.nouts[:-1], MAX_MODEL_NEURONS, f"the model {model!r}'s hidden layers")
    for name in model.hidden_activations:
        _choice(name, ACTIVATIONS, f"the model {model!r}'s activation")
    for name, p in model.named_parameters():
        if not math.isfinite(p.data):
            raise ValueError(f"the model's parameter {name} is {p.data!r}, not a finite number")


def _hidden(hidden: object, most: int, what: str) -> list[int]:
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
        raise TypeError(
            f"{what} must be a list of layer widths, e.g. [4, 4]; got {type(hidden).__name__}: "
            f"{hidden!r:.80}"
        )
    widths = list(hidden)
    if len(widths) > MAX_HIDDEN_LAYERS:
        raise ValueError(
            f"{what}: at most {MAX_HIDDEN_LAYERS} hidden layers in the playground, got "
            f"{len(widths)}"
        )
    for width in widths:
        if isinstance(width, bool) or not isinstance(width, int):
            raise TypeError(f"{what}: a layer's width must be a whole number, got {width!r:.80}")
        if not 1 <= width <= most:
            raise ValueError(
                f"{what}: a layer has from 1 to {most} neurons in the playground, got {width}"
            )
    return widths


def _choice(value: object, choices: Sequence[str] | dict[str, object], what: str) -> None:
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(choices)
        raise ValueError(f"{what}: unknown choice {value!r:.80}; choose one of {allowed}")


def _whole(value: object, what: str, least: int, most: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a whole number, got {type(value).__name__}: {value!r:.80}")
    if not least <= value <= most:
        raise ValueError(f"{what} must be from {least:,} to {most:,}, got {value:,}")


def _number(value: object, what: str, least: float, most: float, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{what} must be a number, got {type(value).__name__}: {value!r:.80}")
    number = float(value)
    if not math.isfinite(number) or number < least or number > most or (positive and number <= 0):
        if positive:
            bound = "a finite number > 0" + ("" if most == math.inf else f" and at most {most:g}")
        elif most == math.inf:
            bound = f"a finite number ≥ {least:g}"
        else:
            bound = f"from {least:g} to {most:g}"
        raise ValueError(f"{what} must be {bound}, got {value!r}")
    return number
