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
from chainrule.cli_language import Parser, language_while_parsing, speaking_argparse
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
        raise argparse.ArgumentTypeError(message("cli.set_expected", text=repr(text)))
    try:
        value = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(
            message("cli.set_not_a_number", name=name, number=repr(number.strip()))
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(message("cli.set_not_finite", name=name))
    return name, value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(message("cli.not_a_number", text=repr(text))) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(message("cli.not_finite", text=repr(text)))
    return value


def _noise(text: str) -> float:
    value = _finite(text)
    if not 0 <= value <= MAX_NOISE:
        raise argparse.ArgumentTypeError(
            message("cli.noise_range", text=repr(text), most=f"{MAX_NOISE:g}")
        )
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(message("cli.not_a_number", text=repr(text))) from None
    if not value > 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(message("cli.not_positive_float", text=repr(text)))
    return value


def _count(too_many: str, most: int) -> Callable[[str], int]:
    """A whole number from 1 to ``most``, e.g. ``--epochs``: beyond, the message ``too_many``
    (a key: "at most 10,000 epochs" is one sentence, worded differently in each language)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(message("cli.not_int", text=repr(text))) from None
        if value < 1:
            raise argparse.ArgumentTypeError(message("cli.not_positive_int", text=repr(text)))
        if value > most:
            raise argparse.ArgumentTypeError(message(too_many, text=repr(text), most=f"{most:,}"))
        return value

    return parse


def _activations(text: str) -> tuple[str, ...]:
    """``"relu,tanh"`` → ("relu", "tanh"): one name for every hidden layer, or one per layer."""
    names = tuple(part.strip() for part in text.split(","))
    for name in names:
        if name not in ACTIVATIONS:
            raise argparse.ArgumentTypeError(
                message(
                    "cli.unknown_activation",
                    text=repr(text),
                    name=repr(name),
                    choices=", ".join(ACTIVATIONS),
                )
            )
    return names


def _sizes(most: int, too_many: str) -> Callable[[str], tuple[int, ...]]:
    """``"16,16"`` → (16, 16): at most ``most`` layer sizes, each from 1 to ``MAX_WIDTH``;
    beyond ``most``, the message ``too_many`` (a key, filled with ``text`` and ``most``)."""

    def parse(text: str) -> tuple[int, ...]:
        try:
            sizes = tuple(int(part) for part in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(
                message("cli.sizes_not_whole", text=repr(text))
            ) from None
        if not all(size > 0 for size in sizes):
            raise argparse.ArgumentTypeError(message("cli.size_below_one", text=repr(text)))
        if max(sizes) > MAX_WIDTH:
            raise argparse.ArgumentTypeError(
                message("cli.layer_too_wide", text=repr(text), most=MAX_WIDTH)
            )
        if len(sizes) > most:
            raise argparse.ArgumentTypeError(
                message(too_many, text=repr(text), most=most, hidden=MAX_HIDDEN_LAYERS)
            )
        return sizes

    return parse


def _order(text: str) -> int:
    """``--order``: 1 (the gradient) up to ``step_command.MAX_ORDER``."""
    from chainrule.step_command import MAX_ORDER

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(message("cli.not_whole", text=repr(text))) from None
    if not 1 <= value <= MAX_ORDER:
        raise argparse.ArgumentTypeError(
            message("cli.order_range", text=repr(text), most=MAX_ORDER)
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
        help=message("cli.set_help"),
    )


def _picture_options(command: argparse.ArgumentParser, name: str) -> None:
    """--html, --svg and --png, their help the messages ``cli.NAME_html_help`` and so on."""
    for option, metavar in (("html", "FILE"), ("svg", "FILE.svg"), ("png", "FILE.png")):
        command.add_argument(
            f"--{option}", type=Path, metavar=metavar, help=message(f"cli.{name}_{option}_help")
        )


def _package_version() -> str:
    try:
        return version("chainrule")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="chainrule",
        description=message("cli.description"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"chainrule {_package_version()}",
        help=message("cli.version_help"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    step = commands.add_parser(
        "step",
        help=message("cli.step_help"),
        description=message("cli.step_description", functions=", ".join(functions())),
    )
    step.add_argument("expression", metavar="EXPR", help=message("cli.step_expr_help"))
    _set_option(step)
    _picture_options(step, "step")
    step.add_argument("--no-pause", action="store_true", help=message("cli.step_no_pause_help"))
    step.add_argument(
        "--order",
        type=_order,
        default=1,
        metavar="N",
        help=message("cli.step_order_help"),
    )
    step.add_argument(
        "--wrt",
        metavar="NAME",
        help=message("cli.step_wrt_help"),
    )
    _force_option(step)

    newton = commands.add_parser(
        "newton",
        help=message("cli.newton_help"),
        description=message("cli.newton_description"),
    )
    newton.add_argument("expression", metavar="EXPR", help=message("cli.newton_expr_help"))
    _set_option(newton)
    newton.add_argument(
        "--steps",
        type=_count("cli.at_most_steps", 100),
        default=10,
        metavar="N",
        help=message("cli.newton_steps_help"),
    )
    newton.add_argument(
        "--at",
        type=int,
        default=0,
        metavar="K",
        help=message("cli.newton_at_help"),
    )
    _picture_options(newton, "newton")
    _force_option(newton)

    demo = commands.add_parser(
        "demo",
        help=message("cli.demo_help"),
        description=message("cli.demo_description"),
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("chainrule-demo"),
        metavar="DIR",
        help=message("cli.demo_out_help"),
    )
    _force_option(demo)

    train = commands.add_parser(
        "train",
        help=message("cli.train_help"),
        description=message("cli.train_description"),
    )
    defaults = training.TrainingRun()
    train.add_argument(
        "--dataset", choices=tuple(DATASETS | MULTICLASS_DATASETS), default=defaults.dataset
    )
    train.add_argument(
        "--data",
        type=Path,
        metavar="POINTS.csv",
        help=message("cli.train_data_help"),
    )
    hidden_sizes = _sizes(MAX_HIDDEN_LAYERS, "cli.too_many_hidden")
    train.add_argument(
        "--hidden",
        type=hidden_sizes,
        default=defaults.hidden,
        metavar="N,N,…",
        help=message("cli.train_hidden_help", layers=MAX_HIDDEN_LAYERS, width=MAX_WIDTH),
    )
    train.add_argument(
        "--activation",
        type=_activations,
        default=defaults.activation,
        metavar="NAME[,NAME,…]",
        help=message(
            "cli.train_activation_help",
            choices=", ".join(ACTIVATIONS),
            default=defaults.activation,
        ),
    )
    train.add_argument(
        "--init",
        choices=tuple(INITS),
        default=defaults.init,
        help=message("cli.train_init_help", default=defaults.init),
    )
    train.add_argument("--loss", choices=tuple(LOSSES), help=message("cli.loss_help"))
    train.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default=defaults.optimizer)
    train.add_argument("--lr", type=_positive_float, help=message("cli.train_lr_help"))
    _penalty_options(train)
    train.add_argument(
        "--classes",
        type=int,
        metavar="K",
        help=message(
            "cli.train_classes_help",
            low=MIN_CLASSES,
            high=MAX_CLASSES,
            datasets=_alternatives(list(MULTICLASS_DATASETS)),
        ),
    )
    train.add_argument(
        "--epochs",
        type=_count("cli.at_most_epochs", MAX_EPOCHS),
        default=defaults.epochs,
        help=message("cli.train_epochs_help", default=defaults.epochs, most=f"{MAX_EPOCHS:,}"),
    )
    train.add_argument(
        "--batch-size",
        type=_count("cli.at_most_batch", MAX_BATCH_SIZE),
        default=defaults.batch_size,
        help=message(
            "cli.train_batch_help", default=defaults.batch_size, most=f"{MAX_BATCH_SIZE:,}"
        ),
    )
    train.add_argument(
        "--samples",
        type=_count("cli.at_most_points", MAX_SAMPLES),
        default=defaults.samples,
        help=message("cli.train_samples_help", default=defaults.samples, most=f"{MAX_SAMPLES:,}"),
    )
    train.add_argument(
        "--noise",
        type=_noise,
        default=defaults.noise,
        help=message("cli.noise_help", default=f"{defaults.noise:g}", most=f"{MAX_NOISE:g}"),
    )
    train.add_argument("--seed", type=int, default=defaults.seed)
    train.add_argument(
        "--out",
        type=Path,
        default=Path("chainrule-train"),
        metavar="DIR",
        help=message("cli.train_out_help"),
    )
    _force_option(train)
    train.add_argument(
        "--no-progress", action="store_true", help=message("cli.train_no_progress_help")
    )
    train.add_argument(
        "--replay",
        action="store_true",
        help=message("cli.train_replay_help"),
    )

    predict = commands.add_parser(
        "predict",
        help=message("cli.predict_help"),
        description=message("cli.predict_description"),
    )
    predict.add_argument("model", type=Path, metavar="MODEL.json")
    predict.add_argument(
        "inputs", type=_finite, nargs="+", metavar="X", help=message("cli.predict_inputs_help")
    )

    export = commands.add_parser(
        "export",
        help=message("cli.export_help"),
        description=message("cli.export_description"),
    )
    export.add_argument("model", type=Path, metavar="MODEL.json")
    export.add_argument(
        "--to", choices=export_command.TARGETS, required=True, help=message("cli.export_to_help")
    )
    export.add_argument("out", type=Path, metavar="OUT.py")
    _force_option(export)

    check = commands.add_parser(
        "bp-check",
        help=message("cli.bp_check_help"),
        description=message("cli.bp_check_description"),
    )
    check.add_argument(
        "--layers",
        type=_sizes(MAX_HIDDEN_LAYERS + 2, "cli.too_many_sizes"),
        metavar="N,N,…",
        help=message("cli.bp_check_layers_help", most=MAX_HIDDEN_LAYERS + 2, width=MAX_WIDTH),
    )
    check.add_argument("--activation", choices=tuple(ACTIVATIONS), default="sigmoid")
    check.add_argument("--seed", type=int, default=0)
    check.add_argument(
        "--classes",
        type=int,
        metavar="K",
        help=message("cli.bp_check_classes_help", low=MIN_CLASSES, high=MAX_CLASSES),
    )

    play = commands.add_parser(
        "playground",
        help=message("cli.playground_help"),
        description=message("cli.playground_description"),
    )
    play.add_argument(
        "--out",
        type=Path,
        default=Path("playground.html"),
        metavar="FILE",
        help=message("cli.playground_out_help"),
    )
    play.add_argument("--dataset", choices=tuple(DATASETS), default="moons")
    play.add_argument(
        "--features",
        default="x1,x2",
        metavar="ID,ID,…",
        help=message("cli.playground_features_help", features=", ".join(FEATURES)),
    )
    play.add_argument(
        "--hidden",
        type=_sizes(MAX_HIDDEN_LAYERS, "cli.too_many_hidden"),
        default=(4, 4),
        metavar="N,N,…",
        help=message(
            "cli.playground_hidden_help", layers=MAX_HIDDEN_LAYERS, width=playground.MAX_NEURONS
        ),
    )
    play.add_argument("--activation", choices=tuple(ACTIVATIONS), default="tanh")
    play.add_argument("--loss", choices=tuple(LOSSES), help=message("cli.loss_help"))
    play.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default="sgd")
    play.add_argument(
        "--lr", type=_positive_float, default=0.03, help=message("cli.playground_lr_help")
    )
    play.add_argument(
        "--batch-size",
        type=int,
        default=10,
        help=message("cli.playground_batch_help", most=playground.MAX_BATCH_SIZE),
    )
    _penalty_options(play)
    play.add_argument(
        "--samples",
        type=int,
        default=200,
        help=message(
            "cli.playground_samples_help",
            low=playground.MIN_SAMPLES,
            high=f"{playground.MAX_SAMPLES:,}",
        ),
    )
    play.add_argument(
        "--noise",
        type=_finite,
        default=0.1,
        help=message("cli.noise_help", default="0.1", most=f"{playground.MAX_NOISE:g}"),
    )
    play.add_argument(
        "--train-ratio",
        type=_finite,
        default=0.5,
        help=message("cli.playground_train_ratio_help"),
    )
    play.add_argument("--seed", type=int, default=0)
    _force_option(play)

    exercises = commands.add_parser(
        "exercises",
        help=message("cli.exercises_help"),
        description=message("cli.exercises_description"),
    )
    actions = exercises.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help=message("cli.exercises_init_help"),
        description=message("cli.exercises_init_description"),
    )
    init.add_argument(
        "folder", type=Path, metavar="DIR", help=message("cli.exercises_init_dir_help")
    )
    init.add_argument(
        "--solutions",
        action="store_true",
        help=message("cli.exercises_solutions_help"),
    )
    _force_option(init)
    check_exercises = actions.add_parser(
        "check",
        help=message("cli.exercises_check_help"),
        description=message("cli.exercises_check_description"),
    )
    check_exercises.add_argument(
        "folder", type=Path, metavar="DIR", help=message("cli.exercises_check_dir_help")
    )
    check_exercises.add_argument(
        "--timeout",
        type=_positive_float,
        default=10.0,
        metavar="S",
        help=message("cli.exercises_timeout_help"),
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
        help=message("cli.lang_help"),
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):
                _add_language_option(command, top=False)


def _force_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--force",
        action="store_true",
        help=message("cli.force_help"),
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
        help=message("cli.l1_help"),
    )
    parser.add_argument(
        "--l2",
        type=_finite,
        default=0.0,
        help=message("cli.l2_help"),
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
    argv = sys.argv[1:] if argv is None else list(argv)
    set_language(language_while_parsing(argv))
    with speaking_argparse():
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
