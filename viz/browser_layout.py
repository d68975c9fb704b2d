"""Pages that lay their graph out in the browser, for a machine without Graphviz's ``dot``.

Python lays a page's graph out with the ``dot`` program when it can. Where it cannot, the
page carries the DOT source instead (JSON in ``<script type="application/json"
id="chainrule-dot">``) and viz-js, Graphviz compiled to WebAssembly
(``viz/web/vendor/viz-global.js``, pinned by :data:`VIZJS_SHA256`, fetched by
``scripts/update_vizjs.sh``). The page lays the graph out when it opens (``layout.js``)
and shapes the SVG as Python would have, so everything after works the same.

``layout`` is one of :data:`LAYOUTS`: ``"auto"`` (``dot`` when it is on PATH, else the
browser), ``"dot"`` or ``"browser"``.

    >>> in_browser("browser"), in_browser("dot")
    (True, False)
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Sequence
from string import Template

from ..engine.i18n import language
from .page_assets import WEB, content_security_policy, messages_json, read_scripts, script_json
from .style import NUMBER_FONT

LAYOUTS = ("auto", "dot", "browser")
VIZJS = "vendor/viz-global.js"
"""viz-js 3.31.0's one classic script (its WebAssembly inlined), under ``viz/web``."""
VIZJS_SHA256 = "c9e0b310f9883910e01c66054b48b7ff4be3d8695141116635e72b0af152692e"
LAYOUT_SCRIPTS = (VIZJS, "layout.js")
"""What a page needs to lay itself out: viz-js, then ``chainrule_layout``."""
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
"""``<html lang>`` of a page written in each language (``i18n.js`` sets it on a switch)."""
FRAME_HEIGHT = 480
"""A notebook's frame for one diagram, in pixels (the diagram scales down to fit its width)."""


def in_browser(layout: str) -> bool:
    """Whether a page written with ``layout`` lays its graph out in the browser."""
    if layout not in LAYOUTS:
        raise ValueError(
            f"unknown layout {layout!r}: use one of {', '.join(map(repr, LAYOUTS))} "
            "(auto: Graphviz's dot when it is on PATH, else the browser)"
        )
    return layout == "browser" or (layout == "auto" and shutil.which("dot") is None)


def dot_element(sources: Sequence[str]) -> str:
    """The ``<script>`` element holding ``sources`` (DOT texts) for ``layout.js`` to read."""
    shown = script_json([measurable(source) for source in sources])
    return f'<script type="application/json" id="chainrule-dot">{shown}</script>'


def measurable(source: str) -> str:
    """``source`` with its numbers' font named so viz-js measures them as the browser draws them,
    and its Chinese texts made as wide, for viz-js, as the browser draws them.

    viz-js has no fonts: it measures a text from tables of a few PostScript fonts, chosen by
    the font's name, and takes any other name (``monospace``) for Times, narrower than every
    monospace face, so the numbers would overflow their boxes. ``Courier`` is measured at its
    fixed 0.6 em, and Graphviz's SVG asks for ``Courier,monospace``, which the browser draws
    in a monospace face of that width.

    A character outside ASCII is measured byte by byte, each UTF-8 byte a Helvetica space:
    a Chinese character (3 bytes) counts 0.83 em, but every CJK face draws it 1 em wide, so a
    label of Chinese words would overflow its box. :func:`cjk_padded` makes up the difference
    with word joiners, which Helvetica's table counts 0.83 em each and the browser draws as
    nothing (``layout.js`` removes them once the graph is laid out).
    """
    return cjk_padded(source.replace(f'FACE="{NUMBER_FONT}"', 'FACE="Courier"'))


CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
"""A Chinese character or a full-width punctuation mark: 1 em wide in every CJK face."""
TEXT_RUN = re.compile(r"[^<>]+")
"""Text between the tags of an HTML-like label: one line of a table cell, or a plain label."""
WORD_JOINER = "\u2060"
CJK_PER_JOINER = 5
"""How many CJK characters one word joiner makes up for: each is measured 1/6 em short
(0.83 em of the 1 em drawn), and a joiner counts 0.83 em, as much as five of them lack."""


def cjk_padded(source: str) -> str:
    """``source`` with a word joiner after each text run's Chinese, one per five characters.

    >>> cjk_padded('label=<<B>第 1 层：z¹</B>>').count(WORD_JOINER)
    1
    >>> cjk_padded('label=<<B>x</B>>') == 'label=<<B>x</B>>'
    True
    """

    def padded(run: re.Match[str]) -> str:
        count = len(CJK.findall(run.group()))
        return run.group() + WORD_JOINER * -(-count // CJK_PER_JOINER)

    return TEXT_RUN.sub(padded, source)


def diagram_page(source: str, title: str) -> str:
    """One DOT diagram as a self-contained page that lays itself out (a notebook shows it).

    If it cannot, it says so in the current language (the page's ``page.layout_failed``).
    """
    script = read_scripts(("i18n.js", *LAYOUT_SCRIPTS, "diagram.js"))
    template = Template((WEB / "diagram.html").read_text(encoding="utf-8"))
    return template.substitute(
        policy=content_security_policy(script, wasm=True),
        lang=HTML_LANG[language()],
        title=html.escape(title),
        messages=messages_json("page"),
        dot=dot_element([source]),
        script=script,
    )


def frame(page: str, title: str, height: int) -> str:
    """``page`` in a sandboxed ``<iframe>`` that may run the page's own script only."""
    return (
        f'<iframe title="{html.escape(title)}" srcdoc="{html.escape(page)}" '
        f'sandbox="allow-scripts" style="width:100%;height:{height}px;border:0"></iframe>'
    )
