"""The terminal: the one-line listing of every bug, and one bug explained.

Plain text for a pipe, coloured for a terminal (:class:`chainrule.terminal.Style` decides);
the numbers are the demos', wrapped to :data:`WIDTH` columns.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TextIO

from chainrule.bugs.broken import SOURCE, marked_line
from chainrule.bugs.gallery import Bug
from chainrule.bugs.runs import Outcome, gradient_table, number_text
from chainrule.terminal import Style

WIDTH = 88
"""The terminal text is wrapped to this many columns."""


def headline(bug: Bug, outcome: Outcome) -> str:
    """One line: the mistake and its key number next to the right one (both computed)."""
    key = outcome.key
    right = f"{key} = {number_text(outcome.right.grads[key])}"
    wrong = [run.error.partition(":")[0] if run.error else None for run in outcome.wrong]
    if all(wrong):
        return f"{bug.title}: {' or '.join(w for w in wrong if w)}, not {right}"
    numbers = " or ".join(number_text(run.grads[key]) for run in outcome.wrong)
    right_number = number_text(outcome.right.grads[key])
    if bug.convention:
        return f"{bug.title}: {key} = {numbers} or {right_number} (chainrule), all valid"
    return f"{bug.title}: {key} = {numbers}, not {right_number}"


def print_list(outcomes: Sequence[tuple[Bug, Outcome]], out: TextIO, style: Style) -> None:
    """Every bug on one line: its name, its mistake, and its key number beside the right one."""
    print(
        style("Classic backprop bugs, each computed by code broken on purpose:", "bold"), file=out
    )
    width = max(len(bug.name) for bug, _ in outcomes)
    for bug, outcome in outcomes:
        print(f"  {style(bug.name.ljust(width), 'cyan')}  {headline(bug, outcome)}", file=out)
    print(
        "`chainrule bugs NAME` explains one; `chainrule bugs --html FILE` draws them all.",
        file=out,
    )


def explain(bug: Bug, outcome: Outcome, out: TextIO, style: Style) -> None:
    """The whole story of one bug: its graph, the broken line, the numbers side by side, why."""

    def heading(text: str) -> None:
        print(style(text, "bold"), file=out)

    kind = "a convention, not a bug" if bug.convention else "a classic backprop bug"
    heading(f"{bug.name}: {bug.title}  ({kind})")
    print(file=out)
    heading("The graph")
    for line in textwrap.wrap(outcome.graph, WIDTH - 2):
        print(f"  {line}", file=out)
    what = "the choice at 0" if bug.convention else "broken on purpose"
    heading(f"The code ({SOURCE}, {bug.broken.__name__}, {what})")
    print(f"  {style(marked_line(bug), 'red')}", file=out)
    print(f"  {'chainrule' if bug.convention else 'right'}: {bug.fix}", file=out)
    heading("The gradients")
    table = gradient_table(outcome)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for number, row in enumerate(table):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        line = "  " + "   ".join(cells).rstrip()
        if number and row[-1] == "differs":
            line = line.removesuffix("differs") + style("differs", "red")
        print(line, file=out)
    for run in outcome.wrong:
        if run.error:
            print(f"  {run.engine}: {style(run.error, 'red')}", file=out)
    heading("Why")
    for line in textwrap.wrap(outcome.why, WIDTH - 2):
        print(f"  {line}", file=out)
