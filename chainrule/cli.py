"""The ``chainrule`` command: demo, step, newton, train, predict, export, bp-check, playground,
exercises, bugs.

Exit status:

    0    success
    1    a math error in the user's formula or data (an engine ``MathError``, e.g. ``log``
         of a negative number), or a training run that diverged (``TrainingDivergedError``);
         for ``newton``, f″ = 0 at an iterate (no Newton step) or a step out of the floats;
         for ``exercises check``, exercises that do not all pass
    2    a usage error: bad arguments or sizes beyond the limits, an expression that is not
         allowed, a bad model file, an output path that cannot be written or that exists
         without ``--force`` (all checked before any work), or a write that failed
    130  interrupted (Ctrl-C)

Only chainrule's own error types are mapped to 1 and 2. Anything else is a bug in
chainrule and ends with its traceback: a user's mistake never does.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import shlex
import sys
import unicodedata
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from chainrule import bp_check_command, bugs, export_command, training
from chainrule.engine import MathError, no_grad
from chainrule.engine.i18n import (
    LANGUAGES,
    LanguageError,
    language_from_environment,
    message,
    set_language,
)
from chainrule.expression import Expression, ExpressionError, functions, parse
from chainrule.nn import FEATURES, MLP, PointsFileError, featurize
from chainrule.nn.activations import ACTIVATIONS
from chainrule.nn.datasets import (
    DATASETS,
    MAX_CLASSES,
    MIN_CLASSES,
    MULTICLASS_DATASETS,
    REGRESSION_DATASETS,
    loss_for,
)
from chainrule.nn.init import INITS
from chainrule.nn.losses import LOSSES
from chainrule.nn.optim import OPTIMIZERS
from chainrule.outputs import Outputs, UsageError, check_output_folder
from chainrule.terminal import padded
from chainrule.viz import playground

if TYPE_CHECKING:
    from chainrule.exercises import ExerciseResult

USAGE_ERROR = 2
MATH_ERROR = 1
INTERRUPTED = 130

# Limits of `chainrule train` (and bp-check's widths): a teaching run needs far less, and
# beyond them a run takes gigabytes or hours instead of seconds.
MAX_EPOCHS = 10_000
MAX_SAMPLES = 10_000
MAX_BATCH_SIZE = 10_000
MAX_WIDTH = 64
MAX_HIDDEN_LAYERS = 6
MAX_NOISE = 10.0

__all__ = ["MATH_ERROR", "USAGE_ERROR", "UsageError", "build_parser", "main"]


def _assignment(text: str) -> tuple[str, float]:
    """Parse ``NAME=VALUE`` from ``--set`` (the number with float(), never eval).

    The name is normalised as Python normalises identifiers (NFKC), so ``--set 𝑥=3`` and
    ``--set x=3`` both give the variable ``x`` its value.
    """
    name, sep, number = text.partition("=")
    name = unicodedata.normalize("NFKC", name.strip())
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, e.g. x=2.5, got {text!r}")
    try:
        value = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: {number.strip()!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{name}: the value must be a finite number")
    return name, value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r}: give a finite number")
    return value


def _noise(text: str) -> float:
    value = _finite(text)
    if not 0 <= value <= MAX_NOISE:
        raise argparse.ArgumentTypeError(f"{text!r}: the noise is between 0 and {MAX_NOISE:g}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r}: must be a positive float")
    return value


def _count(what: str, most: int) -> Callable[[str], int]:
    """A whole number from 1 to ``most``, e.g. ``--epochs``: a clear message beyond."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not int") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{text!r}: must be a positive int")
        if value > most:
            raise argparse.ArgumentTypeError(f"{text!r}: at most {most:,} {what}")
        return value

    return parse


def _activations(text: str) -> tuple[str, ...]:
    """``"relu,tanh"`` → ("relu", "tanh"): one name for every hidden layer, or one per layer."""
    names = tuple(part.strip() for part in text.split(","))
    for name in names:
        if name not in ACTIVATIONS:
            raise argparse.ArgumentTypeError(
                f"{text!r}: unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)} "
                "(one for every hidden layer, or one per hidden layer: relu,tanh)"
            )
    return names


def _sizes(most: int, describe: str) -> Callable[[str], tuple[int, ...]]:
    """``"16,16"`` → (16, 16): at most ``most`` layer sizes, each from 1 to ``MAX_WIDTH``."""

    def parse(text: str) -> tuple[int, ...]:
        try:
            sizes = tuple(int(part) for part in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r}: give sizes as whole numbers separated by commas, e.g. 16,16"
            ) from None
        if not all(size > 0 for size in sizes):
            raise argparse.ArgumentTypeError(f"{text!r}: every size must be at least 1")
        if max(sizes) > MAX_WIDTH:
            raise argparse.ArgumentTypeError(
                f"{text!r}: a layer has at most {MAX_WIDTH} neurons (a teaching network needs "
                "a few; more only makes every step slower)"
            )
        if len(sizes) > most:
            raise argparse.ArgumentTypeError(f"{text!r}: at most {describe}")
        return sizes

    return parse


def _order(text: str) -> int:
    """``--order``: 1 (the gradient) up to ``step_command.MAX_ORDER``."""
    from chainrule.step_command import MAX_ORDER

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_ORDER:
        raise argparse.ArgumentTypeError(
            f"{text!r}: the order is 1 (the gradient) to {MAX_ORDER} (--order N steps through "
            f"the backward pass of the (N−1)-th derivative, a graph that grows with N)"
        )
    return value


def _set_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--set",
        dest="assignments",
        metavar="NAME=VALUE",
        type=_assignment,
        action="append",
        default=[],
        help="the value of a variable (repeat for each variable)",
    )


def _picture_options(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument("--html", type=Path, metavar="FILE", help=f"write {what}'s step page")
    command.add_argument(
        "--svg", type=Path, metavar="FILE.svg", help=f"write {what}'s final diagram (SVG)"
    )
    command.add_argument(
        "--png", type=Path, metavar="FILE.png", help=f"write {what}'s final diagram (PNG)"
    )


def _package_version() -> str:
    try:
        return version("chainrule")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainrule",
        description="Backpropagation you can step through: the chain rule, one edge at a time.",
    )
    parser.add_argument("--version", action="version", version=f"chainrule {_package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    step = commands.add_parser(
        "step",
        help="step through the backward pass of an expression",
        description=(
            "Build EXPR as a graph, print its forward values, then apply the chain rule one "
            "edge at a time. EXPR may use numbers, variables, + - * / **, unary minus, "
            f"parentheses and the functions {', '.join(functions())}."
        ),
    )
    step.add_argument("expression", metavar="EXPR", help='e.g. "tanh(x*w + b)"')
    _set_option(step)
    _picture_options(step, "the graph")
    step.add_argument(
        "--no-pause", action="store_true", help="print every step without waiting for Enter"
    )
    step.add_argument(
        "--order",
        type=_order,
        default=1,
        metavar="N",
        help="1 (default): f's backward pass. 2: ∂f/∂x as a graph (the backward pass recorded "
        "by grad(..., create_graph=True)) and its backward pass, ending with ∂²f/∂x∂v for each "
        "variable v; N: the same for the (N−1)-th derivative (at most 4)",
    )
    step.add_argument(
        "--wrt",
        metavar="NAME",
        help="with --order 2 or more: the variable x to differentiate by (default: the first)",
    )
    _force_option(step)

    newton = commands.add_parser(
        "newton",
        help="Newton's method x ← x − f′(x)/f″(x), f″ from the backward pass of f′",
        description="Run Newton's method on a formula of one variable: at every iterate f′ is "
        "the recorded backward pass of f (a graph) and f″ the backward pass of f′. Print x, "
        "f, f′ and f″ at each iterate; stop when f′ = 0 or x no longer changes. With "
        "--html/--svg/--png write the graph of f′ at iterate --at K.",
    )
    newton.add_argument("expression", metavar="EXPR", help='e.g. "x**4 - 2*x**2"')
    _set_option(newton)
    newton.add_argument(
        "--steps",
        type=_count("steps", 100),
        default=10,
        metavar="N",
        help="at most this many Newton steps (default: 10; at most 100)",
    )
    newton.add_argument(
        "--at",
        type=int,
        default=0,
        metavar="K",
        help="the iterate whose graph of f′ the pictures show (default: 0, the start)",
    )
    _picture_options(newton, "f′ at iterate K")
    _force_option(newton)

    demo = commands.add_parser(
        "demo",
        help="the teaching demo: a neuron step by step, BP1–BP4, training, pictures",
        description="Tell the story of backpropagation in under a minute and write the pictures.",
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("chainrule-demo"),
        metavar="DIR",
        help="where to write the files (default: ./chainrule-demo)",
    )
    _force_option(demo)

    train = commands.add_parser(
        "train",
        help="train an MLP on a toy data set and draw its decision boundary",
        description="Train an MLP on a 2-D toy data set, print loss and accuracy, and write "
        "the model (JSON), the decision boundary and the loss/accuracy curves (PNG).",
    )
    defaults = training.TrainingRun()
    train.add_argument(
        "--dataset", choices=tuple(DATASETS | MULTICLASS_DATASETS), default=defaults.dataset
    )
    train.add_argument(
        "--data",
        type=Path,
        metavar="POINTS.csv",
        help="train on your own points instead: a file of x1,x2,label lines, label 0 or 1 "
        "(the playground's Download CSV writes one); replaces --dataset, --samples, --noise",
    )
    hidden_sizes = _sizes(MAX_HIDDEN_LAYERS, f"{MAX_HIDDEN_LAYERS} hidden layers")
    train.add_argument(
        "--hidden",
        type=hidden_sizes,
        default=defaults.hidden,
        metavar="N,N,…",
        help=f"hidden layer sizes (default: 16,16; at most {MAX_HIDDEN_LAYERS} "
        f"layers of at most {MAX_WIDTH} neurons)",
    )
    train.add_argument(
        "--activation",
        type=_activations,
        default=defaults.activation,
        metavar="NAME[,NAME,…]",
        help=f"σ of the hidden layers: one of {', '.join(ACTIVATIONS)} for all of them, or one "
        f"per hidden layer, e.g. relu,tanh (default: {defaults.activation})",
    )
    train.add_argument(
        "--init",
        choices=tuple(INITS),
        default=defaults.init,
        help="how the weights start (nn.init): uniform U(±1/√n_in), xavier "
        "U(±√6/√(n_in + n_out)) or he U(±√6/√n_in), biases 0 for the last two "
        f"(default: {defaults.init})",
    )
    train.add_argument(
        "--loss",
        choices=tuple(LOSSES),
        help="default: bce, or mse (the only one allowed) for a regression data set, reg-…",
    )
    train.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default=defaults.optimizer)
    train.add_argument("--lr", type=_positive_float, help="learning rate (adam 0.03, sgd 0.1)")
    _penalty_options(train)
    train.add_argument(
        "--classes",
        type=int,
        metavar="K",
        help=f"K classes ({MIN_CLASSES}–{MAX_CLASSES}) of --dataset "
        f"{' or '.join(MULTICLASS_DATASETS)}: a softmax output of K logits, with cross-entropy",
    )
    train.add_argument(
        "--epochs",
        type=_count("epochs", MAX_EPOCHS),
        default=defaults.epochs,
        help=f"passes over the data (default: {defaults.epochs}; at most {MAX_EPOCHS:,})",
    )
    train.add_argument(
        "--batch-size",
        type=_count("samples per batch", MAX_BATCH_SIZE),
        default=defaults.batch_size,
        help=f"samples per step (default: {defaults.batch_size}; at most "
        f"{MAX_BATCH_SIZE:,}; more than --samples means one batch)",
    )
    train.add_argument(
        "--samples",
        type=_count("points", MAX_SAMPLES),
        default=defaults.samples,
        help=f"number of points in the data set (default: {defaults.samples}; "
        f"at most {MAX_SAMPLES:,})",
    )
    train.add_argument(
        "--noise",
        type=_noise,
        default=defaults.noise,
        help=f"noise added to the points (default: {defaults.noise:g}; at most {MAX_NOISE:g})",
    )
    train.add_argument("--seed", type=int, default=defaults.seed)
    train.add_argument(
        "--out",
        type=Path,
        default=Path("chainrule-train"),
        metavar="DIR",
        help="where to write the model and the pictures (default: ./chainrule-train)",
    )
    _force_option(train)
    train.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    train.add_argument(
        "--replay",
        action="store_true",
        help="trace each batch's graph once, then replay it: the same weights, faster",
    )

    predict = commands.add_parser(
        "predict",
        help="load a saved model and print its output for one input",
        description="Load MODEL.json (from `chainrule train`, MLP.save or the playground's "
        "Download model) and run one input: print the raw output, and for a classifier the "
        "probability (bce) and the class. A model on features (x₁², sin x₁, …) takes the "
        "point's x₁ x₂ and computes them.",
    )
    predict.add_argument("model", type=Path, metavar="MODEL.json")
    predict.add_argument(
        "inputs", type=_finite, nargs="+", metavar="X", help="x[0] x[1] … (for features: x₁ x₂)"
    )

    export = commands.add_parser(
        "export",
        help="write a saved model as a runnable PyTorch file and its .safetensors weights",
        description="Read MODEL.json (from `chainrule train`, MLP.save or the playground's "
        "Download model) and write OUT.py, an nn.Sequential of nn.Linear and activation "
        "modules in chainrule's order with the model's features, and OUT.safetensors next to "
        "it, the weights as float64 under state_dict's names (0.weight, 0.bias, …). "
        "PyTorch is needed only to run OUT.py.",
    )
    export.add_argument("model", type=Path, metavar="MODEL.json")
    export.add_argument(
        "--to", choices=export_command.TARGETS, required=True, help="the framework to write for"
    )
    export.add_argument("out", type=Path, metavar="OUT.py")
    _force_option(export)

    check = commands.add_parser(
        "bp-check",
        help="BP1–BP4 by hand next to autograd for one random sample",
        description="Build a random MLP, take one random sample with C = ½‖a^L − y‖², and print "
        "every δ, ∂C/∂W and ∂C/∂b from the four equations next to autograd's gradient.",
    )
    check.add_argument(
        "--layers",
        type=_sizes(
            MAX_HIDDEN_LAYERS + 2,
            f"{MAX_HIDDEN_LAYERS + 2} "
            f"sizes (input, up to {MAX_HIDDEN_LAYERS} hidden layers, output)",
        ),
        metavar="N,N,…",
        help="layer sizes from input to output (default: 2,3,1; at most "
        f"{MAX_HIDDEN_LAYERS + 2} sizes, each at most {MAX_WIDTH})",
    )
    check.add_argument("--activation", choices=tuple(ACTIVATIONS), default="sigmoid")
    check.add_argument("--seed", type=int, default=0)
    check.add_argument(
        "--classes",
        type=int,
        metavar="K",
        help=f"K classes ({MIN_CLASSES}–{MAX_CLASSES}): the output is K linear logits and C "
        "softmax's cross-entropy, whose BP1 is δᴸ = ŷ − y (--layers then ends in K; "
        "default 2,3,K)",
    )

    play = commands.add_parser(
        "playground",
        help="write the playground: TensorFlow Playground in one offline page, every gradient "
        "visible",
        description="Write one self-contained HTML page that trains an MLP on a 2-D data set "
        "as TensorFlow Playground does (data sets, features, hidden layers, activation, loss, "
        "optimizer, learning rate, batch size, L2; play, step, reset; decision boundary, loss "
        "curves, every neuron) and shows δ, ∂C/∂W and BP1–BP4 for any point. The options "
        "are where the page starts; every one can be changed in the page.",
    )
    play.add_argument(
        "--out",
        type=Path,
        default=Path("playground.html"),
        metavar="FILE",
        help="the page to write (default: ./playground.html)",
    )
    play.add_argument("--dataset", choices=tuple(DATASETS), default="moons")
    play.add_argument(
        "--features",
        default="x1,x2",
        metavar="ID,ID,…",
        help="input features, from " + ", ".join(FEATURES) + " (default: x1,x2)",
    )
    play.add_argument(
        "--hidden",
        type=_sizes(MAX_HIDDEN_LAYERS, f"{MAX_HIDDEN_LAYERS} hidden layers"),
        default=(4, 4),
        metavar="N,N,…",
        help=f"hidden layer sizes (default: 4,4; at most {MAX_HIDDEN_LAYERS} layers "
        f"of at most {playground.MAX_NEURONS} neurons)",
    )
    play.add_argument("--activation", choices=tuple(ACTIVATIONS), default="tanh")
    play.add_argument(
        "--loss",
        choices=tuple(LOSSES),
        help="default: bce, or mse (the only one allowed) for a regression data set, reg-…",
    )
    play.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default="sgd")
    play.add_argument(
        "--lr", type=_positive_float, default=0.03, help="learning rate (default: 0.03)"
    )
    play.add_argument(
        "--batch-size",
        type=int,
        default=10,
        help=f"samples per step (default: 10; at most {playground.MAX_BATCH_SIZE})",
    )
    _penalty_options(play)
    play.add_argument(
        "--samples",
        type=int,
        default=200,
        help=f"points in the data set (default: 200; {playground.MIN_SAMPLES} to "
        f"{playground.MAX_SAMPLES:,})",
    )
    play.add_argument(
        "--noise",
        type=_finite,
        default=0.1,
        help=f"noise added to the points (default: 0.1; at most {playground.MAX_NOISE:g})",
    )
    play.add_argument(
        "--train-ratio",
        type=_finite,
        default=0.5,
        help="the share of the points used for training, the rest for testing (default: 0.5)",
    )
    play.add_argument("--seed", type=int, default=0)
    _force_option(play)

    exercises = commands.add_parser(
        "exercises",
        help="pytest exercises for learners: write the local derivatives and backward passes",
        description="Write a folder of exercises (the local derivatives of * / **k exp log "
        "tanh sigmoid relu, a neuron's backward pass, BP1 and BP2) whose tests check the "
        "learner's code at random inputs, or run them and print the score.",
    )
    actions = exercises.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="write the exercises into DIR",
        description="Write README.md, ops.py, neuron.py, layer.py and their tests into DIR: "
        "the learner's version, where every function raises NotImplementedError, or with "
        "--solutions the teacher's, where every test passes.",
    )
    init.add_argument("folder", type=Path, metavar="DIR", help="the folder to write (created)")
    init.add_argument(
        "--solutions",
        action="store_true",
        help="write the teacher's version: every exercise solved",
    )
    _force_option(init)
    check_exercises = actions.add_parser(
        "check",
        help="run the exercises in DIR and print the score",
        description="Run each exercise in DIR in a process of its own, with this Python: "
        "the learner's function is called at random inputs and its answers are checked here, "
        "against chainrule's op table, backward() and central differences. Prints a line as "
        "each exercise finishes, then one line per exercise (✓ or ✗) and the total. Exit "
        "status 0 when every exercise passes, 1 otherwise.",
    )
    check_exercises.add_argument(
        "folder", type=Path, metavar="DIR", help="a folder written by `chainrule exercises init`"
    )
    check_exercises.add_argument(
        "--timeout",
        type=_positive_float,
        default=10.0,
        metavar="S",
        help="the seconds each exercise may take, importing its file included; then it is "
        "stopped, with every process it started (default: 10)",
    )
    bugs.add_parser(commands)
    _add_language_option(parser)
    return parser


def _add_language_option(parser: argparse.ArgumentParser, top: bool = True) -> None:
    """``--lang en|zh`` on ``parser`` and on every command and action under it.

    Only the top level has a default (None: the environment's language), so a command's
    ``--lang`` is never undone by a default of the parser above or below it.
    """
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None if top else argparse.SUPPRESS,
        help=message("cli.lang_help", lang="en"),
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):
                _add_language_option(command, top=False)


def _force_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--force",
        action="store_true",
        help="overwrite files that already exist (without it, an existing file is an error)",
    )


def _parse_with_values(args: argparse.Namespace) -> tuple[Expression, dict[str, float]]:
    """EXPR and its ``--set`` values, every name checked against the expression's variables."""
    expression = parse(args.expression)
    values = dict(args.assignments)
    unknown = [name for name in values if name not in expression.variables]
    if unknown:
        known = ", ".join(expression.variables) or message("terminal.none")
        raise UsageError(message("terminal.cli_set_unknown", name=unknown[0], known=known))
    return expression, values


def _run_step(args: argparse.Namespace) -> int:
    from chainrule import step_command

    expression, values = _parse_with_values(args)
    known = ", ".join(expression.variables) or message("terminal.none")
    wrt = args.wrt
    if wrt is not None:
        wrt = unicodedata.normalize("NFKC", wrt.strip())
        if args.order == 1:
            raise UsageError(message("terminal.cli_wrt_order_one", wrt=wrt))
        if wrt not in expression.variables:
            raise UsageError(message("terminal.cli_wrt_unknown", wrt=wrt, known=known))
    elif args.order > 1:
        if not expression.variables:
            raise UsageError(message("terminal.cli_order_no_variable", order=args.order))
        wrt = expression.variables[0]
    pictures = step_command.Pictures(html=args.html, svg=args.svg, png=args.png)
    return step_command.run(
        expression,
        values,
        pause=not args.no_pause,
        pictures=pictures,
        force=args.force,
        order=args.order,
        wrt=wrt,
    )


def _run_newton(args: argparse.Namespace) -> int:
    from chainrule import newton_command, step_command

    expression, values = _parse_with_values(args)
    variables = expression.variables
    if len(variables) != 1:
        named = (
            f"{len(variables)}: {', '.join(variables)}" if variables else message("terminal.none")
        )
        raise UsageError(
            message("terminal.cli_newton_one_variable", source=repr(expression.source), named=named)
        )
    (name,) = variables
    if name not in values:
        raise UsageError(message("terminal.cli_newton_no_start", name=name))
    if args.at < 0:
        raise UsageError(message("terminal.cli_newton_at_negative", at=args.at))
    pictures = step_command.Pictures(html=args.html, svg=args.svg, png=args.png)
    return newton_command.run(
        expression,
        name,
        values[name],
        steps=args.steps,
        pictures=pictures,
        at=args.at,
        force=args.force,
    )


def _run_demo(args: argparse.Namespace) -> int:
    from chainrule import demo

    return demo.run(args.out, force=args.force)


def _points_file(path: Path | None) -> training.PointsFile | None:
    """``--data``'s points, or a UsageError naming the file, its line and the problem."""
    if path is None:
        return None
    try:
        return training.PointsFile.load(path)
    except OSError as error:
        raise UsageError(
            message("terminal.cli_data_unreadable", path=path, reason=error.strerror or error)
        ) from None
    except PointsFileError as error:
        raise UsageError(f"--data {path}: {error}") from None


def _penalty_options(parser: argparse.ArgumentParser) -> None:
    """--l1 and --l2: the rates of the penalties whose gradients the optimiser adds."""
    parser.add_argument(
        "--l1",
        type=_finite,
        default=0.0,
        help="L1 regularisation: λ₁·sign(p) added to each gradient (default: 0)",
    )
    parser.add_argument(
        "--l2",
        type=_finite,
        default=0.0,
        help="L2 regularisation, as weight decay: λ·p added to each gradient (default: 0)",
    )


def _loss_of(args: argparse.Namespace) -> str:
    """--loss, or the data set's own (mse for regression); a usage error if they disagree."""
    try:
        return loss_for(args.dataset, args.loss)
    except ValueError as error:
        raise UsageError(f"--loss: {error}") from None


def _classes_run(args: argparse.Namespace) -> dict[str, object]:
    """--classes K's options for the run (loss cross-entropy), or a usage error; {} without it."""
    if args.classes is None:
        if args.dataset not in DATASETS:
            raise UsageError(message("terminal.cli_dataset_needs_classes", dataset=args.dataset))
        return {"loss": _loss_of(args)}
    _check_classes(args.classes)
    if args.dataset not in MULTICLASS_DATASETS:
        raise UsageError(
            message(
                "terminal.cli_classes_dataset",
                choices=_alternatives(list(MULTICLASS_DATASETS)),
                dataset=args.dataset,
            )
        )
    if args.loss is not None:
        raise UsageError(message("terminal.cli_classes_loss"))
    if args.replay:
        raise UsageError(message("terminal.cli_classes_replay"))
    return {"loss": "cross_entropy", "classes": args.classes}


def _check_classes(classes: int) -> None:
    """A usage error unless ``--classes`` K is one the commands can train and check."""
    if not MIN_CLASSES <= classes <= MAX_CLASSES:
        raise UsageError(
            message(
                "terminal.cli_classes_range", low=MIN_CLASSES, high=MAX_CLASSES, classes=classes
            )
        )


def _alternatives(names: list[str]) -> str:
    """``spiral or blobs``: the choices, in the current language."""
    return message("terminal.cli_or", first=", ".join(names[:-1]), second=names[-1])


def _run_train(args: argparse.Namespace) -> int:
    if args.l1 < 0 or args.l2 < 0:
        raise UsageError(
            message("terminal.cli_penalties_negative", l1=f"{args.l1:g}", l2=f"{args.l2:g}")
        )
    if args.data is not None and args.classes is not None:
        raise UsageError(
            message(
                "terminal.cli_data_and_classes", choices=_alternatives(list(MULTICLASS_DATASETS))
            )
        )
    activation = args.activation[0] if len(args.activation) == 1 else args.activation
    if not isinstance(activation, str) and len(activation) != len(args.hidden):
        raise UsageError(
            message(
                "terminal.cli_activation_count",
                count=len(activation),
                activations=",".join(activation),
                layers=len(args.hidden),
                hidden=",".join(map(str, args.hidden)),
            )
        )
    run = training.TrainingRun(
        dataset=args.dataset,
        hidden=args.hidden,
        activation=activation,
        init=args.init,
        **_classes_run(args),
        optimizer=args.optimizer,
        lr=args.lr,
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
        samples=args.samples,
        noise=args.noise,
        replay=args.replay,
        data=_points_file(args.data),
        l1=args.l1,
        l2=args.l2,
    )
    outputs = Outputs(force=args.force)
    beyond_playground = training.playground_problem(run)
    files = training.claim_files(
        args.out,
        outputs,
        playground_page=not beyond_playground,
        regression=args.dataset in REGRESSION_DATASETS,
    )
    with outputs:
        training.train(run, files, outputs, progress=not args.no_progress)
        outputs.commit()
    for what, path in files.items():
        print(f"  {padded(message('terminal.train_file_' + what.replace(' ', '_')), 18)} {path}")
    if beyond_playground:
        skipped = message("terminal.train_playground_skipped", problem=beyond_playground)
        print(f"  {padded(message('terminal.train_file_playground'), 18)} {skipped}")
    return 0


def _run_predict(args: argparse.Namespace) -> int:
    try:
        model = MLP.load(args.model)
    except ValueError as error:
        raise UsageError(str(error)) from None
    point = [float(x) for x in args.inputs]
    shown = f"x = [{', '.join(f'{x:g}' for x in point)}]"
    if model.features is not None:
        if len(point) != 2:
            labels = ", ".join(FEATURES[f][0] for f in model.features)
            raise UsageError(
                message(
                    "terminal.predict_shape_features",
                    model=args.model,
                    labels=labels,
                    count=len(point),
                )
            )
        inputs = featurize(point, model.features)
    else:
        if len(point) != model.nin:
            raise UsageError(
                message("terminal.predict_shape", model=args.model, nin=model.nin, count=len(point))
            )
        inputs = point
    with no_grad():
        output = model(inputs)
    outputs = [a.data for a in (output if isinstance(output, list) else [output])]
    print(message("terminal.predict_heading", model=repr(model), shown=shown))
    if model.features is not None:
        features = ", ".join(
            f"{FEATURES[f][0]} = {x:.6g}" for f, x in zip(model.features, inputs, strict=True)
        )
        print(message("terminal.predict_features", features=features))
    for line in prediction_lines(outputs, model.loss, len(model.layers)):
        print(f"  {line}")
    return 0


def prediction_lines(outputs: Sequence[float], loss: str | None, layers: int) -> list[str]:
    """What ``chainrule predict`` says of a model's outputs: raw, then as a classifier's.

    ``loss`` is the file's (``MLP.loss``): it says how to read the output. A file without one
    (from before chainrule saved it, or from the playground) with one output is read as
    ``bce``, the loss ``chainrule train`` and the playground start with, and says so.
    """

    def raw_output(j: int, a: float) -> str:
        return message("terminal.predict_raw", layer=layers, j=j, value=f"{a:.6g}")

    if len(outputs) > 1:
        lines = [raw_output(j, a) for j, a in enumerate(outputs)]
        top = max(outputs)
        exps = [math.exp(a - top) for a in outputs]
        probabilities = ", ".join(f"{e / sum(exps):.4f}" for e in exps)
        best = outputs.index(top)
        said = message("terminal.predict_softmax", probabilities=probabilities, best=best)
        return [*lines, said]
    (a,) = outputs
    raw = raw_output(0, a)
    if loss in ("mse", "hinge"):
        threshold = 0.5 if loss == "mse" else 0
        label, sign = int(a > threshold), ">" if a > threshold else "≤"
        return [
            message(f"terminal.predict_{loss}_raw", raw=raw),
            message(f"terminal.predict_{loss}_class", label=label, sign=sign),
        ]
    how = "terminal.predict_bce" if loss == "bce" else "terminal.predict_default_bce"
    probability = 0.5 * (1.0 + math.tanh(0.5 * a))  # σ(a), without overflow for any a
    return [
        message(how, raw=raw),
        message("terminal.predict_probability", a=f"{a:.6g}", probability=f"{probability:.4f}"),
        message("terminal.predict_class", label=int(a > 0), sign=">" if a > 0 else "≤"),
    ]


def _run_bp_check(args: argparse.Namespace) -> int:
    layers = args.layers
    if args.classes is not None:
        _check_classes(args.classes)
        layers = (2, 3, args.classes) if layers is None else layers
        if layers[-1] != args.classes:
            raise UsageError(
                message(
                    "terminal.cli_layers_classes",
                    classes=args.classes,
                    layers=",".join(map(str, layers)),
                )
            )
    layers = (2, 3, 1) if layers is None else layers
    if len(layers) < 2:
        raise UsageError(message("terminal.cli_layers_short"))
    return bp_check_command.run(layers, args.activation, args.seed, classes=args.classes)


def _run_playground(args: argparse.Namespace) -> int:
    outputs = Outputs(force=args.force)
    path = outputs.claim(args.out, "--out")
    try:
        page = playground.playground_page(
            dataset=args.dataset,
            samples=args.samples,
            noise=args.noise,
            train_ratio=args.train_ratio,
            features=[f.strip() for f in args.features.split(",")],
            hidden=args.hidden,
            activation=args.activation,
            loss=_loss_of(args),
            optimizer=args.optimizer,
            lr=args.lr,
            batch_size=args.batch_size,
            l1=args.l1,
            l2=args.l2,
            seed=args.seed,
        )
    except ValueError as error:
        raise UsageError(str(error)) from None
    with outputs:
        outputs.stage(path, lambda temporary: temporary.write_text(page, encoding="utf-8"))
        outputs.commit()
    print(f"wrote {path}")
    return 0


def _run_exercises(args: argparse.Namespace) -> int:
    from chainrule import exercises

    if args.action == "init":
        return _init_exercises(args, exercises)
    return _check_exercises(args, exercises)


def _init_exercises(args: argparse.Namespace, exercises: ModuleType) -> int:
    folder = check_output_folder(args.folder, "exercises init")
    outputs = Outputs(force=args.force)
    texts = exercises.exercise_files(solutions=args.solutions, folder=str(folder))
    paths = {name: outputs.claim(folder / name, "exercises init") for name in texts}
    with outputs:
        for name, path in paths.items():
            text = texts[name]
            outputs.stage(path, lambda temporary, text=text: temporary.write_text(text, "utf-8"))
        outputs.commit()
    wrote = "exercises.init.wrote_teacher" if args.solutions else "exercises.init.wrote_learner"
    print(message(wrote, count=len(paths), folder=folder))
    for name, what in (
        ("README.md", "readme"),
        ("ops.py", "ops"),
        ("neuron.py", "neuron"),
        ("layer.py", "layer"),
        ("test_ops.py, test_neuron.py, test_layer.py", "tests"),
    ):
        print(f"  {name:<44} {message('exercises.init.' + what)}")
    print(message("exercises.init.run", folder=shlex.quote(str(folder))))
    return 0


def _check_exercises(args: argparse.Namespace, exercises: ModuleType) -> int:
    folder = args.folder
    if not folder.is_dir():
        what = "not_found" if not folder.exists() else "not_a_folder"
        raise UsageError(message(f"exercises.check.{what}", folder=folder))
    if not any((folder / name).is_file() for name in exercises.LEARNER_FILES):
        raise UsageError(
            message(
                "exercises.check.not_exercises",
                folder=folder,
                files=", ".join(exercises.LEARNER_FILES),
            )
        )
    if importlib.util.find_spec("pytest") is None:
        raise UsageError(
            message(
                "exercises.check.no_pytest",
                python=sys.executable,
                command=f"{sys.executable} -m pip install pytest",
            )
        )
    from chainrule.exercises import grader
    from chainrule.exercises.checks import random_inputs

    if not grader.supported():
        raise UsageError(
            message("exercises.check.no_process_groups", folder=shlex.quote(str(folder)))
        )

    try:
        random_inputs()  # CHAINRULE_SEED, when set, must be a whole number
    except ValueError as error:
        raise UsageError(str(error)) from None
    print(
        message("exercises.check.running", folder=folder, seconds=f"{args.timeout:g}"), flush=True
    )

    def progress(index: int, total: int, result: ExerciseResult) -> None:
        print(f"[{index}/{total}] {result.exercise.name} … {result.verdict}", flush=True)

    score = exercises.run_check(folder, timeout=args.timeout, progress=progress)
    for line in score.lines():
        print(f"  {line}")
    print(message("exercises.check.score", passed=score.passed, total=score.total))
    if not score.all_passed:
        print(message("exercises.check.full_messages", folder=shlex.quote(str(folder))))
    return 0 if score.all_passed else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        set_language(args.lang or language_from_environment())
    except LanguageError as error:
        print(f"chainrule {args.command}: {error}", file=sys.stderr)
        return USAGE_ERROR
    runners = {
        "step": _run_step,
        "newton": _run_newton,
        "demo": _run_demo,
        "train": _run_train,
        "predict": _run_predict,
        "export": lambda args: export_command.run(args.model, args.out, args.force),
        "bp-check": _run_bp_check,
        "playground": _run_playground,
        "exercises": _run_exercises,
        "bugs": bugs.run,
    }
    try:
        return runners[args.command](args)
    except (UsageError, ExpressionError) as error:
        print(f"chainrule {args.command}: {error}", file=sys.stderr)
        return USAGE_ERROR
    except MathError as error:  # the engine's, and nn's TrainingDivergedError
        print(
            f"chainrule {args.command}: {message('cli.math_error', detail=error)}", file=sys.stderr
        )
        return MATH_ERROR
    except BrokenPipeError:  # e.g. `chainrule bp-check | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs advise
        return 0
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return INTERRUPTED
