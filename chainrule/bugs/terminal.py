"""The terminal: the one-line listing of every bug, and one bug explained.

Plain text for a pipe, coloured for a terminal (:class:`chainrule.terminal.Style` decides);
the numbers are the demos', wrapped to :data:`WIDTH` columns. The words are the catalogue's
(``engine/messages/bugs.json``) in the language of the moment. A Chinese character takes two
columns of a terminal and a Chinese sentence has no spaces to break at, so :func:`wrap` and
:func:`pad` count columns, not characters (for English text they are ``textwrap.wrap`` and
``str.ljust``).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from chainrule.bugs.broken import SOURCE, shown_line
from chainrule.bugs.gallery import Bug
from chainrule.bugs.runs import Outcome, Text, differs, either, gradient_table, number_text
from chainrule.engine.i18n import message
from chainrule.terminal import Style

WIDTH = 88
"""The terminal text is wrapped to this many columns."""

WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
"""A character of the scripts (and full-width punctuation) a terminal draws two columns wide."""
_PIECES = re.compile(
    rf"\s+|{WIDE.pattern}|[^\s\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
)
_NO_LINE_START = set("，。、；：？！）」』”’")
"""Chinese punctuation that closes a phrase: it never starts a line."""
_NO_LINE_END = "（「『“‘"
"""Chinese punctuation that opens a phrase: it goes to the next line with what it opens."""


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a wide (CJK) character, else one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns (``str.ljust``, counting columns)."""
    return text + " " * max(width - columns(text), 0)


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` columns.

    English is cut at spaces (``textwrap.wrap``); a text with Chinese in it may also be cut
    between two Chinese characters, never inside a Latin word, number or formula term; a
    closing punctuation mark never starts a line (the character before it comes along) and
    an opening one never ends it.
    """
    if not WIDE.search(text):
        return textwrap.wrap(text, width)
    lines: list[str] = []
    line: list[str] = []  # the pieces of the line being filled
    for piece in _PIECES.findall(text):
        if piece.isspace() and not line:
            continue
        if not piece.isspace() and line and columns("".join(line) + piece) > width:
            carried = [piece]  # what starts the next line
            if piece in _NO_LINE_START and len(line) > 1:
                carried.insert(0, line.pop())  # its last character comes with it
            while line and (line[-1].isspace() or line[-1] in _NO_LINE_END):
                opening = line.pop()
                carried[:0] = [] if opening.isspace() else [opening]
            lines.append("".join(line))
            line = carried
        else:
            line.append(piece)
    return [*lines, "".join(line).rstrip()] if "".join(line).strip() else lines


def headline(bug: Bug, outcome: Outcome) -> str:
    """One line: the mistake and its key number next to the right one (both computed)."""
    key = outcome.key
    right = f"{key} = {number_text(outcome.right.grads[key])}"
    # an error's name is what comes before its colon (an English or a Chinese one)
    wrong = [re.split("[:：]", run.error)[0] if run.error else None for run in outcome.wrong]
    if all(wrong):
        errors = either([w for w in wrong if w])
        return Text("bugs.list.failed", title=bug.title, errors=errors, right=right)
    numbers = either([number_text(run.grads[key]) for run in outcome.wrong])
    right_number = number_text(outcome.right.grads[key])
    kind = "bugs.list.convention" if bug.convention else "bugs.list.wrong"
    return Text(kind, title=bug.title, key=key, numbers=numbers, right=right_number)


def print_list(outcomes: Sequence[tuple[Bug, Outcome]], out: TextIO, style: Style) -> None:
    """Every bug on one line: its name, its mistake, and its key number beside the right one."""
    print(style(message("bugs.list.heading"), "bold"), file=out)
    width = max(len(bug.name) for bug, _ in outcomes)
    for bug, outcome in outcomes:
        print(f"  {style(bug.name.ljust(width), 'cyan')}  {headline(bug, outcome)}", file=out)
    print(message("bugs.list.footer"), file=out)


def explain(bug: Bug, outcome: Outcome, out: TextIO, style: Style) -> None:
    """The whole story of one bug: its graph, the broken line, the numbers side by side, why."""

    def heading(text: str) -> None:
        print(style(text, "bold"), file=out)

    kind = "convention" if bug.convention else "bug"
    heading(message(f"bugs.explain.{kind}", name=bug.name, title=bug.title))
    print(file=out)
    heading(message("bugs.explain.graph"))
    for line in wrap(outcome.graph, WIDTH - 2):
        print(f"  {line}", file=out)
    code = "code_convention" if bug.convention else "code_bug"
    heading(message(f"bugs.explain.{code}", source=SOURCE, function=bug.broken.__name__))
    print(f"  {style(shown_line(bug), 'red')}", file=out)
    right = "chainrule" if bug.convention else "right"
    print(f"  {message(f'bugs.explain.{right}', fix=bug.fix)}", file=out)
    heading(message("bugs.explain.gradients"))
    table = gradient_table(outcome)
    widths = [max(columns(row[i]) for row in table) for i in range(len(table[0]))]
    for number, row in enumerate(table):
        cells = [pad(cell, width) for cell, width in zip(row, widths, strict=True)]
        line = "  " + "   ".join(cells).rstrip()
        if number and differs(row):
            line = line.removesuffix(row[-1]) + style(row[-1], "red")
        print(line, file=out)
    for run in outcome.wrong:
        if run.error:
            error = style(run.error, "red")
            print(f"  {message('bugs.explain.error', engine=run.engine, error=error)}", file=out)
    heading(message("bugs.explain.why"))
    for line in wrap(outcome.why, WIDTH - 2):
        print(f"  {line}", file=out)
