"""Report every run of English words left in text meant to be Chinese (#23).

    chainrule step "tanh(x*w + b)" --set x=2 --no-pause --lang zh | python scripts/find_english.py

A *run* is two or more Latin words in a row, with only spaces and sentence punctuation
between them: "the output", "Backward pass:". What may stay in a Chinese text is not a run:

* identifiers: a word with a digit, ``_``, ``.``, ``(``, ``/``, ``=`` or a leading ``-`` in
  it (``x.grad``, ``tanh(n)``, ``W1``, ``ops.py``, ``--lang``); a word in capitals (``MSE``,
  ``BP``, ``CSV``); a one-letter name; and the names chainrule's own tables give (its ops,
  commands, activations, losses, datasets …, :func:`chainrule_names`) or the caller allows
  (``--allow``: a run's node labels);
* numbers and formulas: no letters, or one letter at a time.

A single English word between Chinese ones is allowed (a name is often one word); two in a
row are a sentence left untranslated. Prints each run with its line, and exits 1 if there
is any.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

CJK = re.compile(r"([\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")
"""A Chinese character or a full-width punctuation mark: either ends a run."""

WORD = re.compile(r"^[\"'“‘«(\[]*([A-Za-z]+(?:['’-][A-Za-z]+)*)[\"'”’».,:;!?)\]]*$")
"""A Latin word, with the quotes and sentence punctuation that may surround it."""

IDENTIFIER_MARK = re.compile(r"[0-9_./=(\\]|^-")


def chainrule_names() -> set[str]:
    """Every name chainrule's own tables give: ops, commands, activations, losses …

    Read from the tables themselves (the op table, the command line's parser, ``nn``'s
    registries), so a new op or command is allowed without an edit here.
    """
    import argparse as _argparse

    from chainrule.engine import OPS
    from chainrule.nn.activations import ACTIVATIONS
    from chainrule.nn.datasets import DATASETS
    from chainrule.nn.init import INITS
    from chainrule.nn.losses import LOSSES
    from chainrule.nn.optim import OPTIMIZERS

    from chainrule.cli import build_parser

    names = {"chainrule", "pytest", "python", "grad", "data"}
    names.update(OPS, ACTIVATIONS, DATASETS, INITS, LOSSES, OPTIMIZERS)
    parsers = [build_parser()]
    while parsers:
        parser = parsers.pop()
        for action in parser._actions:
            if isinstance(action, _argparse._SubParsersAction):
                names.update(action.choices)
                parsers.extend(action.choices.values())
    return {part for name in names for part in re.split(r"[-_ ]", name) if part} | names


def is_identifier(chunk: str, word: str, allowed: set[str]) -> bool:
    return (
        len(word) == 1
        or word.isupper()
        or word in allowed
        or word.lower() in allowed
        or bool(IDENTIFIER_MARK.search(chunk.strip("\"'“”‘’.,:;!?")))
    )


def english_runs(text: str, allowed: Iterable[str] = ()) -> list[tuple[int, str]]:
    """``(line number, run)`` for every run of two or more English words in ``text``."""
    allowed = set(allowed)
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        run: list[str] = []
        for chunk in [*CJK.sub(r" \1 ", line).split(), ""]:
            match = WORD.match(chunk)
            if match and not is_identifier(chunk, match.group(1), allowed):
                run.append(chunk)
                continue
            if len(run) >= 2:
                found.append((number, " ".join(run)))
            run = []
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="files to read (default: standard input)")
    parser.add_argument("--allow", action="append", default=[], help="a name that may appear")
    args = parser.parse_args(argv)
    texts = [Path(f).read_text(encoding="utf-8") for f in args.files] or [sys.stdin.read()]
    allowed = chainrule_names() | set(args.allow)
    runs = [run for text in texts for run in english_runs(text, allowed)]
    for number, run in runs:
        print(f"line {number}: {run}")
    return 1 if runs else 0


if __name__ == "__main__":
    sys.exit(main())
