"""Graphviz HTML-like labels, built from escaped text only.

Every string that comes from a user (a ``Value`` label, an op name, a title)
goes through :func:`text` before it reaches a label, so ``<``, ``>``, ``&``
and quotes are shown as characters and never parsed as markup, by Graphviz
or later by a browser showing the SVG. Every label is HTML-like, never a
plain DOT string, so the same escaping holds everywhere.
"""

from __future__ import annotations

import html

NBSP = "&#160;"


def text(value: str) -> str:
    """``value`` escaped for an HTML-like label.

    Besides the HTML escapes, backslashes are doubled: Graphviz expands
    ``\\N`` (the node's name), ``\\G`` and friends even inside HTML-like labels.
    """
    return html.escape(value, quote=True).replace("\\", "\\\\")


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
