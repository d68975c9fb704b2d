"""The ``chainrule`` command: ``demo``, ``step``, ``train``, ``predict`` and ``bp-check``.

Exit status: 0 on success, 2 for usage errors (bad arguments, an expression
that is not allowed), 1 for math errors (e.g. ``log`` of a negative number).
A Python traceback is never the answer to a user's mistake.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from chainrule import bp_check_command, training
from chainrule.engine import no_grad
from chainrule.expression import FUNCTIONS, ExpressionError, parse
from chainrule.nn import MLP

USAGE_ERROR = 2
MATH_ERROR = 1


class UsageError(Exception):
    """A mistake in the command line, reported with exit status 2."""


def _assignment(text: str) -> tuple[str, float]:
    """Parse ``NAME=VALUE`` from ``--set`` (the number with float(), never eval)."""
    name, sep, number = text.partition("=")
    name = name.strip()
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


def _non_negative(text: str) -> float:
    value = _finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be ≥ 0")
    return value


def _positive(kind: type) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind.__name__}") from None
        if not value > 0 or not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r}: must be a positive {kind.__name__}")
        return value

    return parse


def _sizes(text: str) -> tuple[int, ...]:
    """``"16,16"`` → (16, 16): layer sizes, each a positive whole number."""
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give sizes as whole numbers separated by commas, e.g. 16,16"
        ) from None
    if not all(size > 0 for size in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: every size must be at least 1")
    return sizes


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
            f"parentheses and the functions {', '.join(FUNCTIONS)}."
        ),
    )
    step.add_argument("expression", metavar="EXPR", help='e.g. "tanh(x*w + b)"')
    step.add_argument(
        "--set",
        dest="assignments",
        metavar="NAME=VALUE",
        type=_assignment,
        action="append",
        default=[],
        help="the value of a variable (repeat for each variable)",
    )
    step.add_argument("--html", type=Path, metavar="FILE", help="write the step-through player")
    step.add_argument("--svg", type=Path, metavar="FILE", help="write the final diagram")
    step.add_argument(
        "--no-pause", action="store_true", help="print every step without waiting for Enter"
    )

    demo = commands.add_parser(
        "demo",
        help="the teaching demo: a neuron step by step, BP1–BP4, training, pictures",
        description="Tell the story of backpropagation in under a minute and write the pictures.",
    )
    demo.add_argument("--out", type=Path, default=Path("chainrule-demo"), metavar="DIR",
                      help="where to write the files (default: ./chainrule-demo)")  # fmt: skip

    train = commands.add_parser(
        "train",
        help="train an MLP on a toy data set and draw its decision boundary",
        description="Train an MLP on a 2-D toy data set, print loss and accuracy, and write "
        "the model (JSON), the decision boundary and the loss/accuracy curves (PNG).",
    )
    defaults = training.TrainingRun()
    train.add_argument("--dataset", choices=training.DATASETS, default=defaults.dataset)
    train.add_argument("--hidden", type=_sizes, default=defaults.hidden, metavar="N,N,…",
                       help="hidden layer sizes (default: 16,16)")  # fmt: skip
    train.add_argument("--activation", choices=("tanh", "relu", "sigmoid"),
                       default=defaults.activation)  # fmt: skip
    train.add_argument("--loss", choices=training.LOSSES, default=defaults.loss)
    train.add_argument("--optimizer", choices=training.OPTIMIZERS, default=defaults.optimizer)
    train.add_argument("--lr", type=_positive(float), help="learning rate (adam 0.03, sgd 0.1)")
    train.add_argument("--epochs", type=_positive(int), default=defaults.epochs)
    train.add_argument("--batch-size", type=_positive(int), default=defaults.batch_size)
    train.add_argument("--samples", type=_positive(int), default=defaults.samples,
                       help="number of points in the data set")  # fmt: skip
    train.add_argument("--noise", type=_non_negative, default=defaults.noise)
    train.add_argument("--seed", type=int, default=defaults.seed)
    train.add_argument("--out", type=Path, default=Path("chainrule-train"), metavar="DIR")
    train.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    train.add_argument(
        "--replay",
        action="store_true",
        help="trace each batch's graph once, then replay it: the same weights, faster",
    )

    predict = commands.add_parser(
        "predict",
        help="load a saved model and print its output for one input",
        description="Load MODEL.json (from `chainrule train` or MLP.save) and run one input.",
    )
    predict.add_argument("model", type=Path, metavar="MODEL.json")
    predict.add_argument("inputs", type=_finite, nargs="+", metavar="X", help="x[0] x[1] …")

    check = commands.add_parser(
        "bp-check",
        help="BP1–BP4 by hand next to autograd for one random sample",
        description="Build a random MLP, take one random sample with C = ½‖a^L − y‖², and print "
        "every δ, ∂C/∂W and ∂C/∂b from the four equations next to autograd's gradient.",
    )
    check.add_argument("--layers", type=_sizes, default=(2, 3, 1), metavar="N,N,…",
                       help="layer sizes from input to output (default: 2,3,1)")  # fmt: skip
    check.add_argument("--activation", choices=("sigmoid", "tanh", "relu", "linear"),
                       default="sigmoid")  # fmt: skip
    check.add_argument("--seed", type=int, default=0)
    return parser


def _run_step(args: argparse.Namespace) -> int:
    from chainrule import step_command

    expression = parse(args.expression)
    values = dict(args.assignments)
    unknown = [name for name in values if name not in expression.variables]
    if unknown:
        known = ", ".join(expression.variables) or "none"
        raise UsageError(
            f"--set {unknown[0]}: the expression has no variable {unknown[0]} "
            f"(its variables: {known})"
        )
    return step_command.run(
        expression, values, pause=not args.no_pause, html=args.html, svg=args.svg
    )


def _run_demo(args: argparse.Namespace) -> int:
    from chainrule import demo

    return demo.run(args.out)


def _run_train(args: argparse.Namespace) -> int:
    run = training.TrainingRun(
        dataset=args.dataset, hidden=args.hidden, activation=args.activation, loss=args.loss,
        optimizer=args.optimizer, lr=args.lr, epochs=args.epochs, batch_size=args.batch_size,
        seed=args.seed, samples=args.samples, noise=args.noise, replay=args.replay,
    )  # fmt: skip
    result = training.train(run, args.out, progress=not args.no_progress)
    for what, path in result.files.items():
        print(f"  {what:<18} {path}")
    return 0


def _run_predict(args: argparse.Namespace) -> int:
    try:
        model = MLP.load(args.model)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if len(args.inputs) != model.nin:
        raise UsageError(f"{args.model} takes {model.nin} inputs, got {len(args.inputs)}")
    with no_grad():
        output = model(args.inputs)
    outputs = output if isinstance(output, list) else [output]
    print(f"{model!r} at x = [{', '.join(f'{x:g}' for x in args.inputs)}]:")
    for j, a in enumerate(outputs):
        print(f"  a[{len(model.layers)}][{j}] = {a.data:.6g}")
    return 0


def _run_bp_check(args: argparse.Namespace) -> int:
    if len(args.layers) < 2:
        raise UsageError("--layers needs at least an input and an output size, e.g. 2,3,1")
    return bp_check_command.run(args.layers, args.activation, args.seed)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    runners = {
        "step": _run_step,
        "demo": _run_demo,
        "train": _run_train,
        "predict": _run_predict,
        "bp-check": _run_bp_check,
    }
    try:
        return runners[args.command](args)
    except (UsageError, ExpressionError) as error:
        print(f"chainrule {args.command}: {error}", file=sys.stderr)
        return USAGE_ERROR
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        print(f"chainrule {args.command}: math error: {error}", file=sys.stderr)
        return MATH_ERROR
    except BrokenPipeError:  # e.g. `chainrule bp-check | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs advise
        return 0
    except (RuntimeError, OSError) as error:
        print(f"chainrule {args.command}: {error}", file=sys.stderr)
        return MATH_ERROR
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
