"""The command line read in the learner's language: ``--help`` and its errors in Chinese too.

Three things make ``chainrule step --help --lang zh`` Chinese from its first word to its last:

1. **The language is chosen before the parser is built** (:func:`language_asked`). argparse
   acts on ``-h`` as soon as it meets it, before it has read a ``--lang`` written after it,
   and ``build_parser()`` writes every help text with ``message()`` when it is called. So
   ``chainrule.cli.main`` looks for ``--lang`` in the arguments first, sets that language,
   and only then builds and runs the parser.
2. **argparse's own words** (``options:``, ``error:``, ``invalid choice`` …) go through
   :func:`speaking_argparse`. argparse marks every one of them for gettext: it writes
   ``_('options')``, where ``_`` is its module's name for :func:`gettext.gettext`, looked up
   each time a word is written. Python ships no Chinese catalogue for them, and gettext's
   catalogues belong to the whole process (the locale, ``.mo`` files on disk), not to
   chainrule's ``--lang``. So while chainrule reads its command line, ``_`` is a function
   that looks argparse's word up in :data:`ARGPARSE_WORDS` and writes it from the catalogue
   (``engine/messages/cli.json``) in the current language; afterwards it is gettext's
   again, and no other parser in the process is touched. Subclasses alone could not do
   it: "argument --set:" and "the following arguments are required" are written inside
   argparse before ``error()`` sees the sentence.
3. **Columns, not characters** (:class:`HelpFormatter`): argparse wraps help at a width
   counted in characters, and a Chinese character takes two terminal columns; Chinese
   help is wrapped by columns instead.

English is left byte for byte as argparse writes it: the catalogue's English of each word
is argparse's own text (``tests/test_cli_help_chinese.py`` checks it against argparse's
source), and English help is wrapped by argparse itself. A word a newer Python adds or
rewords is not in the table, so it stays English: a Chinese run may then show one English
phrase, never an error.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from chainrule.engine.i18n import LANGUAGES, LanguageError, language_from_environment, message

ARGPARSE_WORDS = {
    "positional arguments": "cli.argparse_positionals",
    "options": "cli.argparse_options",
    "show this help message and exit": "cli.argparse_help",
    "%(prog)s: error: %(message)s\n": "cli.argparse_error",
    "argument %(argument_name)s: %(message)s": "cli.argparse_argument",
    "the following arguments are required: %s": "cli.argparse_required",
    "unrecognized arguments: %s": "cli.argparse_unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse_invalid_choice",
    "invalid %(type)s value: %(value)r": "cli.argparse_invalid_value",
    "expected one argument": "cli.argparse_expected_one",
    "expected at least one argument": "cli.argparse_expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse_ambiguous",
    "ignored explicit argument %r": "cli.argparse_explicit",
}
"""argparse's words a learner can meet reading chainrule's command line, each to its key.

Only these: argparse's other words are about a parser built wrongly (a bug of chainrule's,
in English like every developer's error). "usage: " is not here: :class:`HelpFormatter`
writes it, because its width matters to the lines below it.
"""

WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
"""A character that takes two terminal columns (Chinese, full-width punctuation …)."""

UNIT = re.compile(WIDE.pattern + r"|[^\s" + WIDE.pattern[1:-1] + r"]+")
"""What a line may break between: one wide character, or a Latin word (with its marks)."""

HEADING = re.compile(rf"^(\S*{WIDE.pattern}\S*):$", re.MULTILINE)
"""A section's heading in Chinese (位置参数:), which argparse ends with a Latin colon."""

NO_LINE_START = set("，。、；：？！）】」』”’》…")
"""Chinese punctuation that never begins a line: it stays after the character before it."""

NO_LINE_END = set("（【「『“‘《")
"""Chinese punctuation that never ends a line: it goes down with what it opens."""


def language_asked(argv: Sequence[str]) -> str | None:
    """The language ``--lang`` asks for in ``argv``, read before any parser is built.

    ``--lang zh`` and ``--lang=zh`` anywhere before ``--`` (before or after the command, as
    argparse takes it), and an abbreviation argparse would take (``--lan zh``); the last one
    wins, as in argparse. ``None`` when there is none, or when its value is not a language:
    the parser then says so itself (its "invalid choice"), in the environment's language.

        >>> language_asked(["step", "x", "--help", "--lang", "zh"])
        'zh'
        >>> language_asked(["--lang=zh", "step", "x"])
        'zh'
        >>> language_asked(["step", "x", "--lang", "fr"]) is None
        True
    """
    asked = None
    for index, token in enumerate(argv):
        if token == "--":
            break
        name, equals, value = token.partition("=")
        if len(name) < 3 or not "--lang".startswith(name):
            continue
        if not equals:
            value = argv[index + 1] if index + 1 < len(argv) else ""
        if value in LANGUAGES:
            asked = value
    return asked


def language_while_parsing(argv: Sequence[str]) -> str:
    """The language of ``--help`` and of the errors met reading ``argv``, known before parsing.

    ``--lang`` (:func:`language_asked`), else the environment's. A bad ``CHAINRULE_LANG``
    reads the command line in English; the command reports it once it is known, as a
    usage error of that command.
    """
    try:
        return language_asked(argv) or language_from_environment()
    except LanguageError:
        return "en"


def translated(word: str) -> str:
    """argparse's ``word`` in the current language, or as it is if it is not in the table."""
    key = ARGPARSE_WORDS.get(word)
    return word if key is None else message(key)


@contextmanager
def speaking_argparse() -> Iterator[None]:
    """argparse's words in the current language inside the block (see the module's notes).

    Building the parser belongs inside too: argparse writes its group titles ("options")
    and ``-h``'s help when a parser is made.
    """
    names = vars(argparse)
    gettext = names["_"]
    names["_"] = translated
    try:
        yield
    finally:
        names["_"] = gettext


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a Chinese character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken between words or characters.

    Chinese breaks between any two characters, Latin text only at its spaces; a closing
    mark (，。）) never begins a line (the character before it goes down with it) and an
    opening one (（“) never ends one, as Chinese typesetting wants.

        >>> wrapped("一二三四，五六", 8)
        ['一二三', '四，五六']
        >>> wrapped("put 梯度 here", 8)
        ['put 梯度', 'here']
    """
    lines: list[list[str]] = [[]]
    position = 0
    for match in UNIT.finditer(text):
        unit = match.group()
        space = " " if match.start() > position else ""
        position = match.end()
        line = lines[-1]
        if not line or columns("".join(line) + space + unit) <= width:
            line.append(space + unit if line else unit)
            continue
        carried: list[str] = []
        if unit in NO_LINE_START:  # the word before it goes down with it
            while len(line) > 1 and line[-1].strip() in NO_LINE_START:
                carried.insert(0, line.pop())
            if len(line) > 1:
                carried.insert(0, line.pop())
        while len(line) > 1 and line[-1].strip() in NO_LINE_END:
            carried.insert(0, line.pop())
        if carried:
            lines.append([carried[0].lstrip(), *carried[1:], space + unit])
        else:
            lines.append([unit])
    return ["".join(line) for line in lines if line]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, measuring in terminal columns where a text has wide characters.

    English goes through argparse's own wrapping untouched, so its help is byte for byte
    what argparse writes. A Chinese heading ends with a Chinese colon; the usage line's
    prefix is the catalogue's ("usage: ", 用法：), and its wrapped lines are lined up under
    what follows it, however wide it is.
    """

    def format_help(self) -> str:
        """The help, each Chinese heading ending with a Chinese colon (选项：)."""
        return HEADING.sub(r"\1：", super().format_help())

    def _split_lines(self, text: str, width: int) -> list[str]:
        if not WIDE.search(text):
            return super()._split_lines(text, width)
        return wrapped(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if not WIDE.search(text):
            return super()._fill_text(text, width, indent)
        lines = wrapped(self._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)

    def _format_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None,
    ) -> str:
        if prefix is None:
            prefix = message("cli.argparse_usage")
        shift = " " * (columns(prefix) - len(prefix))
        self._width -= len(shift)  # the lines below the prefix move right: wrap them shorter
        try:
            text = super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width += len(shift)
        first, *rest = text.split("\n")
        return "\n".join([first, *(shift + line if line else line for line in rest)])


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help is laid out by :class:`HelpFormatter`, and so are its
    commands' (argparse makes a command's parser of its parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
