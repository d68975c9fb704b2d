"""The colour legend shared by every chainrule diagram.

Nodes are filled by the *role* the value plays:

    output     amber   the root: the value being differentiated (the cost C, or ŷ)
    parameter  green   a leaf the model learns: the W^l_{jk}, b^l_j of the model= drawn,
                       or exactly the leaves passed as params=
    input      violet  any other leaf, named or not: x_k, targets y, the x1 of an example
    constant   grey    a number written in the formula (an engine ``Constant``), such as the
                       3 in 3 * x or the ½ of MSE: no grad, and no gradient flows into it
    computed   white   a result of an operation: z^l_j, a^l_j and every intermediate
    backward   cyan    made by the backward pass of ``grad(…, create_graph=True)``: a local
                       derivative, a chain-rule product or sum, drawn boxed with the others
                       serving the same op of the original graph ("backward of o = tanh(n)");
                       the derivative's root keeps the output's amber on its name

Edges and gradient numbers are coloured by the *sign* of the gradient they carry:

    blue       gradient > 0   (increasing this input increases C)
    orange     gradient < 0   (increasing this input decreases C)
    grey       gradient = 0, or no backward pass yet
    magenta    the chain-rule step being applied (step-through frames only)
    red        what ``draw_graph(root, highlight=[…])`` points at, drawn with a thick pen:
               a wrong local derivative, found by ``check_local_grads`` or an exercise

and an edge's width grows with |gradient|, relative to the largest finite one
in the picture. A gradient that is not a number is grey and thin, an infinite
one is drawn at full width: every width written into DOT is a finite number,
as an edge with ``penwidth=nan`` would vanish. The same colours mean the same
things in :func:`viz.draw_graph`, :func:`viz.draw_network` and the
step-through page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import Enum

from ..engine.i18n import message
from .markup import cell, table, text


class Role(Enum):
    """What a node is, as far as the picture is concerned (its fill colour)."""

    OUTPUT = "output"
    PARAMETER = "parameter"
    INPUT = "input"
    CONSTANT = "constant"
    COMPUTED = "computed"


FILL: dict[Role, str] = {
    Role.OUTPUT: "#fde68a",
    Role.PARAMETER: "#bbf7d0",
    Role.INPUT: "#e9d5ff",
    Role.CONSTANT: "#e5e7eb",
    Role.COMPUTED: "#ffffff",
}

ROLE_KEYS: dict[Role, str] = {
    Role.OUTPUT: "diagram.role_output",
    Role.PARAMETER: "diagram.role_parameter",
    Role.INPUT: "diagram.role_input",
    Role.CONSTANT: "diagram.role_constant",
    Role.COMPUTED: "diagram.role_computed",
}
"""What each fill means, as the key of its message (``engine/messages/diagram.json``):
``message(ROLE_KEYS[role])`` is the text in the current language, and a page can name the
key in ``data-i18n`` to switch it in place."""

OP_FILL = "#f3f4f6"
BACKWARD_FILL = "#a5f3fc"
"""The fill of every node a recorded backward pass made (``node.role`` is not None)."""
BACKWARD_CLUSTER = "#ecfeff"
BACKWARD_FRAME = "#0e7490"
BACKWARD_KEY = "diagram.role_backward"
"""The message that says what the cyan of the backward-made nodes means."""
POSITIVE = "#1d4ed8"
NEGATIVE = "#c2410c"
NEUTRAL = "#5b6472"
ACTIVE = "#c026d3"
HIGHLIGHT = "#dc2626"
HIGHLIGHT_KEY = "diagram.role_highlighted"
"""The message that says what the red of ``highlight=`` means."""
FRAME = "#4b5563"
FONT = "Helvetica"
"""The diagrams' font. Graphviz measures a label with pango, whose fontconfig falls back,
character by character, to a face that has it: Chinese words are measured in the system's
CJK face (``fonts-noto-cjk``, which ``scripts/bootstrap.sh`` installs with Graphviz), 1 em
each, as the browser draws them from the SVG's ``Helvetica,sans-Serif``. So no CJK face is
named here, and the English pictures stay as they were (tests/test_viz_diagram_chinese.py
measures the fit)."""
NUMBER_FONT = "monospace"

SIGN_KEYS: tuple[tuple[str, str], ...] = (
    (POSITIVE, "diagram.sign_positive"),
    (NEGATIVE, "diagram.sign_negative"),
    (NEUTRAL, "diagram.sign_zero"),
    (ACTIVE, "diagram.sign_active"),
)
"""Each edge colour and the key of the message saying what it means."""

MIN_WIDTH = 1.0
MAX_WIDTH = 5.0
HIGHLIGHT_WIDTH = MAX_WIDTH + 1.0
"""A highlighted edge is drawn wider than any gradient's edge can be (a node's frame: 4)."""


def sign_colour(gradient: float) -> str:
    """Blue for a positive gradient, orange for a negative one, grey for zero (and NaN)."""
    if gradient > 0.0:
        return POSITIVE
    if gradient < 0.0:
        return NEGATIVE
    return NEUTRAL


def pen_width(gradient: float, largest: float) -> float:
    """An edge width between 1 and 5 points, growing linearly with |gradient| / ``largest``.

    Always a finite number in [1, 5], whatever the numbers: a NaN gradient
    gets the thinnest width and an infinite one the widest; with ``largest``
    not a positive finite number, every finite gradient gets the thinnest.

        >>> pen_width(2.0, 4.0), pen_width(float("nan"), 4.0), pen_width(float("inf"), 4.0)
        (3.0, 1.0, 5.0)
    """
    if math.isnan(gradient):
        return MIN_WIDTH
    if math.isinf(gradient):
        return MAX_WIDTH
    if not (math.isfinite(largest) and largest > 0.0):
        return MIN_WIDTH
    share = min(abs(gradient) / largest, 1.0)
    return round(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * share, 2)


def largest_magnitude(numbers: Iterable[float]) -> float:
    """The largest |number| among the finite ones (0 when there are none): full edge width.

    NaN and infinities are left out, so one overflowed gradient does not make
    every other edge the thinnest (and ``max`` is not fooled by NaN's order).
    """
    return max((abs(n) for n in numbers if math.isfinite(n)), default=0.0)


def legend_table(*, highlighted: bool = False, backward: bool = False) -> str:
    """The legend as a Graphviz HTML-like table (the colours above, with their meanings),
    written in the current language (:func:`engine.i18n.message`).

    ``highlighted`` adds the entry for the red of ``draw_graph(…, highlight=[…])``,
    ``backward`` the one for the nodes a recorded backward pass made.
    """
    rows = [[cell(f"<B>{text(message('diagram.legend_title'))}</B>", colspan=2)]]
    for role, key in ROLE_KEYS.items():
        rows.append(
            [cell("&#160;" * 4, bgcolor=FILL[role]), cell(text(message(key)), align="LEFT")]
        )
    if backward:
        meaning = text(message(BACKWARD_KEY))
        rows.append([cell("&#160;" * 4, bgcolor=BACKWARD_FILL), cell(meaning, align="LEFT")])
    operation = text(message("diagram.legend_operation"))
    rows.append(
        [cell(text(message("diagram.legend_op")), bgcolor=OP_FILL), cell(operation, align="LEFT")]
    )
    for colour, key in SIGN_KEYS:
        swatch = f'<FONT COLOR="{colour}">━━━</FONT>'
        rows.append([cell(swatch), cell(text(message(key)), align="LEFT")])
    if highlighted:
        swatch = f'<FONT COLOR="{HIGHLIGHT}"><B>━━━</B></FONT>'
        rows.append([cell(swatch), cell(text(message(HIGHLIGHT_KEY)), align="LEFT")])
    rows.append([cell(text(message("diagram.legend_edges")), colspan=2, align="LEFT")])
    return table(rows, lines=FRAME, border=1)


# The colours of a page around the diagrams, as CSS custom properties: name → (light, dark).
# A page's style sheet (viz/web/*.css) writes var(--name) and never a colour of its own;
# page_assets.style_sheet puts css_custom_properties() in front of it. The diagrams stay on a
# light card in the dark theme, so "card-ink" is dark in both.
PAGE_COLOURS: dict[str, tuple[str, str]] = {
    "ink": ("#111827", "#e5e7eb"),
    "paper": ("#ffffff", "#111827"),
    "rule": ("#d1d5db", "#d1d5db"),
    "card": ("#ffffff", "#f9fafb"),
    "card-ink": ("#111827", "#111827"),
    "card-frame": ("#e5e7eb", "#e5e7eb"),
    "wrong": (HIGHLIGHT, HIGHLIGHT),
    # red text on the paper itself: the highlight's red reads 3.7:1 on the dark paper
    "wrong-ink": (HIGHLIGHT, "#f87171"),
    "wrong-tint": ("#fef2f2", "#fef2f2"),
    "wrong-frame": ("#fca5a5", "#fca5a5"),
    "right": ("#16a34a", "#16a34a"),
    "right-tint": ("#f0fdf4", "#f0fdf4"),
    "right-frame": ("#86efac", "#86efac"),
    "convention": ("#d97706", "#d97706"),
    "convention-tint": ("#fffbeb", "#fffbeb"),
    "convention-ink": ("#b45309", "#fbbf24"),
}


def css_custom_properties() -> str:
    """:data:`PAGE_COLOURS` as CSS: each ``--name: colour;`` on ``:root``, light then dark.

    >>> print(css_custom_properties().splitlines()[1])
      --ink: #111827;
    """

    def root(theme: int) -> str:
        lines = "".join(f"  --{name}: {pair[theme]};\n" for name, pair in PAGE_COLOURS.items())
        return f":root {{\n{lines}}}\n"

    return f"{root(0)}@media (prefers-color-scheme: dark) {{\n{root(1)}}}\n"
