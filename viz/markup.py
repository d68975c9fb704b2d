r"""Graphviz HTML-like labels, built from escaped, visible text only.

Every string that comes from a user (a ``Value`` label, an op name, a title)
goes through :func:`text` before it reaches a label, so ``<``, ``>``, ``&``
and quotes are shown as characters and never parsed as markup, by Graphviz
or later by a browser showing the SVG. Every label is HTML-like, never a
plain DOT string, so the same escaping holds everywhere.

**Every label is shown as visible text**, whatever the ``str`` holds
(:func:`visible`, then :func:`shorten`), in SVG, PNG and the step-through page:

* ``\n`` stays a line break (``<BR/>`` in a diagram, a new line in the page);
* every other C0 control character is shown as its Unicode control picture,
  U+2400 + its code: NUL → ␀, TAB → ␉, CR → ␍, ESC → ␛; DEL → ␡;
* a C1 control character (U+0080–U+009F) is shown as its escape, ``\x85``;
* a lone surrogate (``"\ud800"``, not UTF-8 at all) and the noncharacters
  U+FFFE and U+FFFF (not XML) become U+FFFD �; a surrogate *pair* is joined
  into the character it encodes;
* a label is cut with ``…`` past :data:`MAX_LINE_CHARS` (60) characters on a
  line and past :data:`MAX_LABEL_LINES` (4) lines, so a box stays readable and
  a label never reaches Graphviz's limit of 16,384 characters per HTML-like
  label. A caption (a step's sentence, which names nodes) shortens each
  label it names the same way, and is itself cut past
  :data:`MAX_CAPTION_LINE_CHARS` (400) characters a line and
  :data:`MAX_CAPTION_LINES` (6) lines.

Without this, Graphviz refuses a control character (it is not XML), the
encoder refuses a lone surrogate, a label over 16,384 characters is a syntax
error, and a newline or a tab silently vanishes.

    >>> from chainrule.viz.markup import shorten, text
    >>> shorten("bell\x07 and\nnew line")
    'bell␇ and\nnew line'
    >>> text("<b>\x00")
    '&lt;b&gt;␀'
    >>> shorten("x" * 100)[-3:], len(shorten("x" * 100))
    ('xx…', 60)
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MAX_LINE_CHARS = 60
"""A label's line is cut to this many characters, the last one ``…``."""
MAX_LABEL_LINES = 4
"""A label shows this many lines at most; the last one shown ends in ``…`` when more follow."""
MAX_CAPTION_LINE_CHARS = 400
"""A caption's line is cut to this many characters (the labels in it are cut first)."""
MAX_CAPTION_LINES = 6
"""A caption shows this many lines at most."""
ELLIPSIS = "…"

_VISIBLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20) if code != 0x0A}
_VISIBLE[0x7F] = "\u2421"  # ␡
_VISIBLE.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
_VISIBLE.update({0xFFFE: "\ufffd", 0xFFFF: "\ufffd"})
_INVISIBLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def visible(value: str) -> str:
    """``value`` with every character made visible (see the module's list); never shortened.

    A surrogate pair is joined into its character and a lone surrogate is
    replaced by U+FFFD, so the result always encodes as UTF-8.
    """
    if _INVISIBLE.search(value) is None:  # the usual case, and the fast one
        return value
    joined = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.translate(_VISIBLE)


def shorten(value: str, *, line_chars: int = MAX_LINE_CHARS, lines: int = MAX_LABEL_LINES) -> str:
    r"""``value`` made :func:`visible` and cut with ``…`` past ``line_chars`` a line and ``lines``.

    Lines are split at ``\n`` only. A line over ``line_chars`` keeps its first
    ``line_chars - 1`` characters and ``…``; past ``lines`` lines, the last
    line shown ends in ``…``.
    """
    parts = visible(value).split("\n")
    shown = [_cut(part, line_chars) for part in parts[:lines]]
    last = shown[-1]
    if len(parts) > lines and not last.endswith(ELLIPSIS):
        shown[-1] = (last if len(last) < line_chars else last[: line_chars - 1]) + ELLIPSIS
    return "\n".join(shown)


def _cut(line: str, limit: int) -> str:
    return line if len(line) <= limit else line[: limit - 1] + ELLIPSIS


def renames(names: Iterable[str]) -> list[tuple[str, str]]:
    """(name, as shown) for each of ``names`` that :func:`shorten` changes, the longest first."""
    changed = {name for name in names if name and shorten(name) != name}
    return [(name, shorten(name)) for name in sorted(changed, key=len, reverse=True)]


def caption(value: str, names: Iterable[tuple[str, str]] = ()) -> str:
    """A sentence as shown: each name in it shortened like a label, then the whole cut.

    ``names`` (from :func:`renames`) pairs the labels and op names the
    sentence may quote verbatim, e.g. a step's ``x.grad += …``, with their
    shortened form. The result is visible and at most :data:`MAX_CAPTION_LINES`
    lines of :data:`MAX_CAPTION_LINE_CHARS` characters.
    """
    for name, shown in names:
        value = value.replace(name, shown)
    return shorten(value, line_chars=MAX_CAPTION_LINE_CHARS, lines=MAX_CAPTION_LINES)


def text(value: str) -> str:
    r"""``value`` made :func:`visible` and escaped for an HTML-like label; ``\n`` is ``<BR/>``.

    Besides the HTML escapes, backslashes are doubled: Graphviz expands
    ``\N`` (the node's name), ``\G`` and friends even inside HTML-like labels.
    This never shortens: a user's label goes through :func:`user_text`.
    """
    escaped = html.escape(visible(value), quote=True).replace("\\", "\\\\")
    return escaped.replace("\n", "<BR/>")


def user_text(value: str) -> str:
    """A label a user wrote (a Value's label, an op's name): :func:`shorten`, then :func:`text`."""
    return text(shorten(value))


NBSP = "&#160;"


def padded(value: str, width: int) -> str:
    """``value`` escaped and padded with non-breaking spaces to ``width`` characters.

    In a monospace font, equal character counts make equal widths, so a cell
    whose number changes from frame to frame keeps its size and the layout
    does not move.
    """
    return text(value) + NBSP * max(width - len(value), 0)


def font(content: str, *, colour: str | None = None, face: str | None = None) -> str:
    """``content`` (already markup) in a ``<FONT>`` element."""
    attributes = "".join(
        f' {name}="{value}"' for name, value in (("COLOR", colour), ("FACE", face)) if value
    )
    return f"<FONT{attributes}>{content}</FONT>" if attributes else content


def cell(content: str, **attributes: object) -> str:
    """A ``<TD>`` holding ``content`` (already markup); keyword attributes are upper-cased."""
    spelled = "".join(f' {name.upper()}="{value}"' for name, value in attributes.items())
    return f"<TD{spelled}>{content}</TD>"


def table(rows: list[list[str]], *, lines: str, border: int = 0, bgcolor: str | None = None) -> str:
    """A ``<TABLE>`` of ``rows`` of cells, with thin cell borders of colour ``lines``."""
    background = f' BGCOLOR="{bgcolor}"' if bgcolor else ""
    body = "".join("<TR>" + "".join(row) + "</TR>" for row in rows)
    return (
        f'<TABLE BORDER="{border}" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" '
        f'COLOR="{lines}"{background}>{body}</TABLE>'
    )


def label(markup: str) -> str:
    """``markup`` as a DOT HTML-like label (the ``graphviz`` package passes ``<…>`` through)."""
    return f"<{markup}>"
