"""Data you make yourself: points as ``x1,x2,label`` lines of a CSV file.

One point per line: its two inputs x₁ and x₂ and its label, the target y the network
learns. The label is any number here; the task decides which numbers it accepts
(``classes=2``: a class index 0 or 1; ``classes=None``: any real number, a regression
target), and says so, with the line, when one does not fit.

    >>> read_points("x1,x2,label\\n0.5,-1,1\\n\\n-0.25,0.75,0\\n")
    [[0.5, -1.0, 1], [-0.25, 0.75, 0]]
    >>> read_points("0.5,-1,2")
    Traceback (most recent call last):
    ...
    chainrule.nn.points_csv.PointsFileError: line 1: label 2 is not a class of this task: ...

The format, exactly (the playground's ``points.js`` reads it the same way, and a test
checks the two agree on a table of good and bad files):

- lines end in ``\\n``, ``\\r\\n`` or ``\\r``; a byte-order mark at the start is ignored;
- a line of spaces and tabs only is skipped;
- the first line that is not blank may be the header ``x1,x2,label`` (any case);
- every other line is three numbers separated by commas, with spaces or tabs around them
  allowed: digits with an optional sign, decimal point and exponent (``-1.5e-3``), never
  ``nan``, ``inf``, ``0x10`` or ``1_000``; a number too large for a float is refused;
- a file without points is refused.

Nothing is loaded half: the first problem raises :class:`PointsFileError`, naming its line.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

from ..engine.i18n import message

HEADER = ("x1", "x2", "label")
"""The header :func:`write_points` writes, and :func:`read_points` skips."""
NAMES = HEADER
"""The three values of a line, as a message names them."""

_LINE_END = re.compile(r"\r\n|\n|\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SPACE = " \t"
_SHOWN = 40
"""A line quoted in a message is cut to this many characters."""

Point = list[float]
"""[x1, x2, label]: the label an int when it is a whole number, as a class index is."""


class PointsFileError(ValueError):
    """A points file that cannot be read: ``line`` is its 1-based line number (0: the file).

    The message is in the language of the moment (``engine/messages/playground.json``, whose
    words the playground's ``points.js`` says too).
    """

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(
            message("playground.points_line", line=line, problem=problem) if line else problem
        )


def label_rule(classes: int | None) -> str:
    """Which labels a task takes, in words: "0 or 1", "0, 1 or 2", …, or "any number"."""
    if classes is None:
        return message("playground.points_any_number")
    indices = [str(k) for k in range(classes)]
    return message("playground.points_or", first=", ".join(indices[:-1]), last=indices[-1])


def _quoted(text: str) -> str:
    """The text in double quotes as JSON writes it (and JSON.stringify), cut to _SHOWN."""
    cut = text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
    return json.dumps(cut, ensure_ascii=False)


def _number(field: str, name: str, line: int) -> float:
    text = field.strip(_SPACE)
    if not _NUMBER.fullmatch(text):
        raise PointsFileError(
            line, message("playground.points_not_a_number", name=name, text=_quoted(text))
        )
    value = float(text)
    if not math.isfinite(value):
        raise PointsFileError(line, message("playground.points_too_large", name=name, text=text))
    return value


def task_label(value: float, classes: int | None, text: str | None = None) -> float:
    """``value`` as a label of the task (an int for a class), or ``ValueError`` saying why not.

    ``text`` is how the value was written, for the message (``repr`` of it otherwise).
    """
    if classes is None or (float(value).is_integer() and 0 <= value < classes):
        return value if classes is None else int(value)
    shown = repr(value) if text is None else text
    raise ValueError(
        message("playground.points_not_a_class", label=shown, labels=label_rule(classes))
    )


def _label(value: float, text: str, classes: int | None, line: int) -> float:
    try:
        return task_label(value, classes, text)
    except ValueError as error:
        raise PointsFileError(line, str(error)) from None


def read_points(text: str, *, classes: int | None = 2) -> list[Point]:
    """The points of a CSV text of ``x1,x2,label`` lines (the format: see the module).

    ``classes`` is the task's number of classes (a label must be a whole number from 0 to
    ``classes`` − 1), or None for a regression task, whose labels are any number. Raises
    :class:`PointsFileError` naming the first bad line; returns nothing half read.
    """
    if classes is not None and (
        isinstance(classes, bool) or not isinstance(classes, int) or classes < 2
    ):
        raise ValueError(f"classes must be a whole number ≥ 2 or None, got {classes!r:.40}")
    lines = _LINE_END.split(text.removeprefix("\ufeff"))
    points: list[Point] = []
    seen_line = False
    for number, line in enumerate(lines, start=1):
        if not line.strip(_SPACE):
            continue
        fields = line.split(",")
        first = not seen_line
        seen_line = True
        if first and [f.strip(_SPACE).lower() for f in fields] == list(HEADER):
            continue
        if len(fields) != len(NAMES):
            raise PointsFileError(
                number, message("playground.points_count", count=len(fields), line=_quoted(line))
            )
        x1, x2, y = (_number(f, name, number) for f, name in zip(fields, NAMES, strict=True))
        points.append([x1, x2, _label(y, fields[2].strip(_SPACE), classes, number)])
    if not points:
        raise PointsFileError(0, message("playground.points_none"))
    return points


def load_points(path: Path, *, classes: int | None = 2) -> list[Point]:
    """:func:`read_points` of a file (UTF-8); an unreadable file raises ``OSError``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise PointsFileError(
            0, message("playground.points_not_utf8", path=path, reason=error.reason)
        ) from None
    return read_points(text, classes=classes)


def write_points(points: Sequence[Sequence[float]]) -> str:
    """The CSV text of points [x1, x2, label]: the header, then one line per point.

    Numbers are written as ``repr`` writes them, the shortest text that reads back as the
    same float, so ``read_points(write_points(p)) == p`` bit for bit.
    """
    lines = [",".join(HEADER)]
    for i, point in enumerate(points):
        if len(point) != len(NAMES):
            raise ValueError(f"point {i} must be [x1, x2, label], got {point!r:.80}")
        for value in point:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"point {i} must hold numbers, got {value!r:.40}")
            if not math.isfinite(value):
                raise ValueError(f"point {i} must hold finite numbers, got {value!r}")
        lines.append(",".join(repr(v) for v in point))
    return "\n".join(lines) + "\n"
