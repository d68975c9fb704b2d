"""``chainrule bugs [NAME] [--html FILE] [--force]``: a gallery of classic backprop mistakes.

Each mistake is shown on a small graph next to the right answer. The wrong numbers are
*computed*, never typed in: every bug is implemented for real in :mod:`chainrule.bugs.broken`,
in a small, self-contained function that is **broken on purpose**, a copy of chainrule's
backward loop (``engine/backprop.py``) or of an op's local derivative (``engine/value.py``)
with one mistake in it, marked ``# BROKEN ON PURPOSE``. The right numbers come from
chainrule's own engine (``Value.backward``), run on a fresh copy of the same graph.

    overwrite-grad        ``=`` instead of ``+=``: ``b = a + a`` gives ∂b/∂a = 1, not 2
    no-topo-order         a naive depth-first walk passes a gradient on before it is complete
    recursive-walk        a recursive walk hits RecursionError on a 2,000-op chain
    no-zero-grad          a training loop that never zeroes w.grad: step 2 gets steps 1 + 2
    stale-intermediates   leaves zeroed, intermediates not: a second backward doubles them
    sub-sign              a − b recorded with add's local derivatives: b's sign is lost
    tanh-derivative       tanh' written as 1 − x², with the input instead of the output
    relu-at-zero          relu'(0) = 0, ½ or 1: a convention, not a bug

``chainrule bugs`` lists them, one line each; ``chainrule bugs NAME`` explains one (the
graph, the broken line of code, the wrong gradients next to the right ones, and why);
``--html FILE`` writes one self-contained page (nothing loaded; its
Content-Security-Policy allows no request) with both diagrams of every bug, the wrong
gradients framed in red. Its one inline script switches its language in place (and, if
Graphviz's ``dot`` is missing, lays the diagrams out when the page opens).

Every sentence is the catalogue's (``engine/messages/bugs.json``), in English or Chinese
(``--lang``, else ``CHAINRULE_LANG``, else the locale); the numbers are the same in both.

The package, by concern (each module's docstring says more):

    broken      the code broken on purpose, each mistake on a marked line
    runs        what a demo returns: each engine's gradients on the same graph
    demos       the demos of the mistakes in the backward loop
    op_demos    the demos of the mistakes in an op's local derivative
    gallery     every bug in show order, and :func:`find`
    terminal    the one-line listing, and one bug explained (wrapped by terminal columns)
    page        the HTML gallery, assembled from viz's page assets, in both languages

The command is registered in :mod:`chainrule.cli` through :func:`add_parser` and
:func:`run`; :func:`main` runs it on its own, with the same exit statuses (2 for a usage
error, such as an unknown NAME, which lists the names); so does ``python -m chainrule.bugs``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from chainrule.bugs.broken import (
    BROKEN,
    CONVENTION,
    backward_depth_first,
    backward_overwriting,
    backward_recursive,
    backward_without_reset,
    broken_sub,
    broken_tanh,
    marked_line,
    recursive_topological_order,
    relu_with_slope_at_zero,
    train_without_zero_grad,
)
from chainrule.bugs.demos import BATCHES, CHAIN_OPS, LEARNING_RATE, SAMPLE_OPS, chain
from chainrule.bugs.gallery import GALLERY, NAMES, Bug, find
from chainrule.bugs.page import RANKDIR, Figure, diagram, figures, gallery_page
from chainrule.bugs.runs import Outcome, Run
from chainrule.bugs.terminal import explain, print_list
from chainrule.cli_language import Parser, language_while_parsing, speaking_argparse
from chainrule.engine.i18n import (
    LANGUAGES,
    LanguageError,
    language_from_environment,
    message,
    using_language,
)
from chainrule.outputs import Outputs, UsageError
from chainrule.terminal import Style

__all__ = [
    "BATCHES",
    "BROKEN",
    "CHAIN_OPS",
    "CONVENTION",
    "GALLERY",
    "LEARNING_RATE",
    "NAMES",
    "RANKDIR",
    "SAMPLE_OPS",
    "USAGE_ERROR",
    "Bug",
    "Figure",
    "Outcome",
    "Run",
    "add_parser",
    "backward_depth_first",
    "backward_overwriting",
    "backward_recursive",
    "backward_without_reset",
    "broken_sub",
    "broken_tanh",
    "chain",
    "diagram",
    "figures",
    "find",
    "gallery_page",
    "main",
    "marked_line",
    "recursive_topological_order",
    "relu_with_slope_at_zero",
    "run",
    "train_without_zero_grad",
]

USAGE_ERROR = 2


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``chainrule bugs`` and its options on the ``chainrule`` command's subparsers."""
    parser = commands.add_parser(
        "bugs",
        help=message("cli.bugs_help"),
        description=message("cli.bugs_description"),
    )
    parser.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help=message("cli.bugs_name_help", names=", ".join(NAMES)),
    )
    parser.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help=message("cli.bugs_html_help"),
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=message("cli.force_help"),
    )


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``chainrule bugs`` after parsing; returns the exit status.

    A usage error (an unknown NAME, an --html path that cannot be written) is
    raised as :class:`~chainrule.outputs.UsageError` before any work, for the caller to
    report with exit status 2 as ``chainrule.cli.main`` does.
    """
    out = sys.stdout if out is None else out
    chosen = [find(args.name)] if args.name is not None else list(GALLERY)
    outputs = Outputs(force=args.force)
    path = outputs.claim(args.html, "--html") if args.html is not None else None
    outcomes = [(bug, bug.demo()) for bug in chosen]
    style = Style.for_stream(out)
    if args.name is None:
        print_list(outcomes, out, style)
    else:
        explain(*outcomes[0], out, style)
    if path is not None:
        page = gallery_page(outcomes)
        with outputs:
            outputs.stage(path, lambda target: target.write_text(page, encoding="utf-8"))
            for written in outputs.commit():
                print(message("bugs.wrote", path=written), file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``chainrule bugs ARGV`` on its own, as ``chainrule.cli.main`` would; the exit status.

    ``argv`` is what follows ``bugs``, e.g. ``["relu-at-zero", "--html", "page.html"]``; its
    ``--lang en|zh`` chooses the language as the command line's does (else ``CHAINRULE_LANG``,
    else the locale).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    with using_language(language_while_parsing(argv)), speaking_argparse():
        parser = Parser(prog="chainrule")
        commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
        add_parser(commands)
        commands.choices["bugs"].add_argument(
            "--lang", choices=LANGUAGES, help=message("cli.lang_help")
        )
        args = parser.parse_args(["bugs", *argv])
    try:
        with using_language(args.lang or language_from_environment()):
            return run(args)
    except (UsageError, LanguageError) as error:
        print(f"chainrule bugs: {error}", file=sys.stderr)
        return USAGE_ERROR
