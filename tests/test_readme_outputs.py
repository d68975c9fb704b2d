"""Every ``print(...)`` in the README's Python code says, in its comment, what it prints, truly.

Each ```python block of README.md that prints is run as written (in a subprocess of its own,
in a temporary folder: a block may define an op or write a file), with ``print`` recorded by
the line that called it. Each print's comment is then checked against what that line
printed, by the convention of CONTRIBUTING.md ("Output comments in the README"):

    print(x)       # 0.98                 exactly the text printed
    print(x)       # BP1 says δ = …       the text printed begins so (a long line)
    print(x)       # ≈ 0.0905             a number, equal to this at the digits written
    print(x)       # < 1e-12              a number below this bound (rounding differs by machine)
    print(step)    # first: TEXT          in a loop: the first line it prints (``last:`` the last)
    print(x)       # CLAIM — why          after " — ", prose that is not checked

A print without such a comment fails too: the comment is how the reader knows the output.
"""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
PRINT = re.compile(r"(?<![\w.])print\(")
PROSE = " — "

HARNESS = """
import builtins, json, sys

records = []
real = builtins.print


def recording(*args, sep=" ", end="\\n", file=None, flush=False):
    if file is None:
        frame = sys._getframe(1)
        if frame.f_code.co_filename == "<readme>":
            records.append([frame.f_lineno, (sep or " ").join(map(str, args))])
    real(*args, sep=sep, end=end, file=file, flush=flush)


builtins.print = recording
source = open(sys.argv[1], encoding="utf-8").read()
try:
    exec(compile(source, "<readme>", "exec"), {"__name__": "__main__"})
finally:
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(records, out)
"""


@dataclass(frozen=True)
class Block:
    line: int  # the README line of the block's first line of code
    code: str

    def __str__(self) -> str:
        return f"README.md:{self.line}"


def printing_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    blocks = []
    for match in BLOCK.finditer(text):
        if PRINT.search(match.group(1)):
            line = text.count("\n", 0, match.start(1)) + 1
            blocks.append(Block(line, match.group(1)))
    return blocks


def comments(code: str) -> dict[int, str]:
    """Line number (1-based, in the block) → the text of its comment, without ``#``."""
    found = {}
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT:
            found[token.start[0]] = token.string[1:].strip()
    return found


def print_lines(code: str) -> list[int]:
    """The lines of the block that call print (by its tokens: not in strings or comments)."""
    lines = []
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    for before, token, after in zip(tokens, tokens[1:], tokens[2:], strict=False):
        called = token.type == tokenize.NAME and token.string == "print" and after.string == "("
        if called and before.string != ".":
            lines.append(token.start[0])
    return lines


def same(got: str, expected: str) -> bool:
    """``got`` is ``expected``, or begins with it when it ends in "…"."""
    if expected.endswith("…"):
        return got.startswith(expected.removesuffix("…").rstrip())
    return got == expected


def check_claim(claim: str, printed: list[str]) -> str:
    """Why ``claim`` (a comment, prose after " — " removed) is false of ``printed``; "" if true."""
    claim = claim.split(PROSE)[0].strip()
    if not printed:
        return "this line printed nothing"
    for prefix, pick in (("first:", 0), ("last:", -1)):
        if claim.startswith(prefix):
            expected = claim.removeprefix(prefix).strip()
            got = printed[pick]
            return (
                ""
                if same(got, expected)
                else f"{prefix} {got!r} printed, the comment says {expected!r}"
            )
    if len(printed) != 1:
        return f"it printed {len(printed)} lines: say which with 'first:' or 'last:'"
    (got,) = printed
    for sign in ("≈", "<"):
        if claim.startswith(sign):
            text = claim.removeprefix(sign).strip()
            try:
                bound, number = Decimal(text), float(got)
            except (InvalidOperation, ValueError):
                return f"{sign} needs numbers: the comment says {text!r}, {got!r} printed"
            if sign == "<":
                return "" if number < float(bound) else f"{got} printed, not < {text}"
            half_unit = Decimal(5).scaleb(bound.as_tuple().exponent - 1)  # ½ of the last digit
            close = abs(Decimal(repr(number)) - bound) <= half_unit
            return "" if close and math.isfinite(number) else f"{got} printed, not ≈ {text}"
    return "" if same(got, claim) else f"{got!r} printed, the comment says {claim!r}"


def test_the_convention_catches_false_comments() -> None:
    assert check_claim("0.98", ["0.98"]) == ""
    assert check_claim("0.0 — the tests allow 1e-12", ["4.7e-16"])  # the README's old slip
    assert check_claim("< 1e-12 — rounding", ["4.7e-16"]) == ""
    assert check_claim("< 1e-16", ["4.7e-16"])
    assert check_claim("≈ 0.0905", ["0.09050179011"]) == ""
    assert check_claim("≈ 0.0905", ["0.0906"])
    assert check_claim("≈ 5e-16", ["4.7e-16"]) == "" and check_claim("≈ 5e-16", ["4.4e-16"])
    assert check_claim("first: a", ["a", "b"]) == "" and check_claim("last: a", ["a", "b"])
    assert check_claim("a", ["a", "a"])  # a loop's print must say which line it means
    assert check_claim("a", [])
    assert check_claim("BP1 says δ = … — one line each", ["BP1 says δ = 5.1"]) == ""
    assert check_claim("BP1 says δ = …", ["BP2 says δ = 5.1"])


def test_the_readme_has_printing_blocks_and_every_print_has_a_comment() -> None:
    blocks = printing_blocks()
    assert len(blocks) >= 4, [str(block) for block in blocks]
    for block in blocks:
        notes = comments(block.code)
        for line in print_lines(block.code):
            assert notes.get(line), (
                f"README.md:{block.line + line - 1}: this print has no comment saying what it "
                "prints (see CONTRIBUTING.md, 'Output comments in the README')"
            )


@pytest.mark.parametrize("block", printing_blocks(), ids=str)
def test_every_print_comment_in_the_readme_is_true(block: Block, tmp_path: Path) -> None:
    script, harness, report = tmp_path / "block.py", tmp_path / "harness.py", tmp_path / "out.json"
    script.write_text(block.code, encoding="utf-8")
    harness.write_text(HARNESS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(harness), str(script), str(report)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f"{block} fails:\n{result.stderr[-3000:]}"
    printed: dict[int, list[str]] = {}
    for line, output in json.loads(report.read_text(encoding="utf-8")):
        printed.setdefault(line, []).append(output)
    notes = comments(block.code)
    wrong = []
    for line in print_lines(block.code):
        problem = check_claim(notes.get(line, ""), printed.get(line, []))
        if problem:
            wrong.append(f"README.md:{block.line + line - 1}: {problem}")
    assert not wrong, "\n".join(wrong)
