"""Terminal output: colour only for a TTY, and never when NO_COLOR is set (no-color.org);
columns lined up in any language."""

from __future__ import annotations

import os
import unicodedata
from typing import TextIO

_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


class Style:
    """Wraps text in ANSI colour codes when ``enabled``; plain text otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        wants = not os.environ.get("NO_COLOR")
        return cls(wants and hasattr(stream, "isatty") and stream.isatty())

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(_CODES[s] for s in styles)
        return f"\033[{codes}m{text}\033[0m"


def padded(text: str, columns: int) -> str:
    """``text`` and the spaces that fill ``columns`` terminal columns, as ``f"{text:<columns}"``
    does for English: a Chinese character takes two columns, so 决策边界 fills eight."""
    width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * (columns - width)
