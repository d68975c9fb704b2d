"""Good and bad points files, for nn.read_points and the playground's points.js alike.

Each case is (name, text, classes, expected): expected is the points read, or the error
message (with its line) that both readers must give, word for word.
"""

from __future__ import annotations

from typing import Any

GOOD: list[tuple[str, str, int | None, list[list[Any]]]] = [
    ("plain lines", "0.5,-1,1\n-0.25,0.75,0\n", 2, [[0.5, -1.0, 1], [-0.25, 0.75, 0]]),
    ("header, CRLF, no final newline", "x1,x2,label\r\n1,2,0\r\n3,4,1", 2, [[1, 2, 0], [3, 4, 1]]),
    ("header in any case, spaced", " X1 ,\tx2, LABEL\n1,2,1\n", 2, [[1, 2, 1]]),
    (
        "blank lines and a byte-order mark",
        "\ufeff\n  \n1,2,1\n\t\n\r-1,-2,0",
        2,
        [[1, 2, 1], [-1, -2, 0]],
    ),
    (
        "exponents, signs, bare points",
        "+1e-3,-.5,1\n2.,1E+2,0.0\n",
        2,
        [[0.001, -0.5, 1], [2.0, 100.0, 0]],
    ),
    ("shortest round trip", "0.1,0.30000000000000004,1\n", 2, [[0.1, 0.30000000000000004, 1]]),
    ("three classes", "0,0,2\n1,1,0\n", 3, [[0, 0, 2], [1, 1, 0]]),
    ("regression targets", "0,0,-2.5\n1,1,7e3\n", None, [[0, 0, -2.5], [1, 1, 7000.0]]),
]

BAD: list[tuple[str, str, int | None, str]] = [
    ("empty file", "", 2, "the file has no points: write one x1,x2,label line per point"),
    (
        "header only",
        "x1,x2,label\n\n",
        2,
        "the file has no points: write one x1,x2,label line per point",
    ),
    (
        "two values",
        "1,2,1\n3,4\n",
        2,
        'line 2: expected 3 values x1,x2,label separated by commas, got 2: "3,4"',
    ),
    (
        "four values",
        "\n1,2,1,0",
        2,
        'line 2: expected 3 values x1,x2,label separated by commas, got 4: "1,2,1,0"',
    ),
    (
        "semicolons",
        "1;2;1",
        2,
        'line 1: expected 3 values x1,x2,label separated by commas, got 1: "1;2;1"',
    ),
    ("a word", "1,2,1\r\n1,two,0", 2, 'line 2: x2 "two" is not a number'),
    ("an empty value", "1,,0", 2, 'line 1: x2 "" is not a number'),
    ("nan", "nan,1,1", 2, 'line 1: x1 "nan" is not a number'),
    ("infinity", "1,Infinity,1", 2, 'line 1: x2 "Infinity" is not a number'),
    ("hexadecimal", "0x10,1,1", 2, 'line 1: x1 "0x10" is not a number'),
    ("underscores", "1_000,1,1", 2, 'line 1: x1 "1_000" is not a number'),
    ("too large", "1e400,1,1", 2, "line 1: x1 1e400 is too large for a number"),
    (
        "a class too many",
        "1,2,1\n1,2,2",
        2,
        "line 2: label 2 is not a class of this task: its labels are 0 or 1",
    ),
    (
        "a fraction for a class",
        "1,2,0.5",
        3,
        "line 1: label 0.5 is not a class of this task: its labels are 0, 1 or 2",
    ),
    (
        "a negative class",
        "1,2,-1",
        2,
        "line 1: label -1 is not a class of this task: its labels are 0 or 1",
    ),
    ("a header after the first line", "1,2,1\nx1,x2,label", 2, 'line 2: x1 "x1" is not a number'),
    (
        "a long line, cut",
        "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20",
        2,
        "line 1: expected 3 values x1,x2,label separated by commas, got 20: "
        '"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,1…"',
    ),
    ("quotes in a value", '1,"2",1', 2, 'line 1: x2 "\\"2\\"" is not a number'),
]
