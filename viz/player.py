"""``write_step_through``: backprop as one self-contained HTML page to step through.

The page holds every frame of :func:`viz.backward_frames` as inline SVG, one
shown at a time, with its chain-rule caption above it. Previous/Next, the
left/right arrow keys, a slider and Play/Pause move between frames; the
counter says which step is shown. It opens from disk (``file://``) with no
server and makes no network request.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..engine import Value
from ..nn import MLP
from .diagram import DEFAULT_MAX_NODES
from .frames import step_through
from .markup import visible
from .player_page import PAGE, SCRIPT, STYLE, content_security_policy
from .rendering import svg_texts
from .style import FILL, OP_FILL, ROLE_MEANING, SIGN_MEANING

DEFAULT_TITLE = "Backprop, one chain-rule step at a time"

_SVG_START = re.compile(r"<svg\b[^>]*>", re.S)
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')


def write_step_through(
    root: Value,
    path: str | os.PathLike[str],
    *,
    model: MLP | None = None,
    title: str = DEFAULT_TITLE,
    rankdir: str = "LR",
    params: Iterable[Value] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Path:
    """Run backward on ``root`` step by step and write the step-through player to ``path``.

    Returns the path written (``.html`` is added when it has no suffix). Like
    :func:`viz.backward_frames`, this *is* the backward pass: afterwards every
    grad is what ``root.backward()`` leaves. Options are those of ``draw_graph``.
    Labels show as in ``draw_graph`` (visible, cut with ``…`` past 60 characters a
    line and 4 lines), in the pictures and in the captions; the title is made
    visible the same way but never cut.

        >>> import tempfile
        >>> from pathlib import Path
        >>> from chainrule.engine import Value
        >>> from chainrule.viz import write_step_through
        >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
        >>> with tempfile.TemporaryDirectory() as folder:   # or any folder of yours
        ...     page = write_step_through((x * w).tanh(), Path(folder) / "neuron", title="Neuron")
        ...     print(page.name, "<title>Neuron</title>" in page.read_text(encoding="utf-8"))
        neuron.html True
        >>> w.grad   # ∂tanh(x·w)/∂w = x·(1 − tanh²(x·w)), as after backward()
        4.9153...e-05
    """
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}: {title!r:.80}")
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(".html")
    frames = step_through(
        root,
        model=model,
        rankdir=rankdir,
        params=params,
        max_nodes=max_nodes,
        captions_in_diagrams=False,
        caller="write_step_through",
    )
    svgs = svg_texts(frames.diagrams, dot_path=target.with_suffix(".dot"))
    figures = "\n".join(
        _figure(number, svg, caption)
        for number, (svg, caption) in enumerate(zip(svgs, frames.captions, strict=True))
    )
    page = PAGE.substitute(
        policy=content_security_policy(SCRIPT),
        title=html.escape(visible(title)),
        style=STYLE,
        last=len(svgs) - 1,
        frames=figures,
        legend=_legend(),
        script=SCRIPT,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target


def _figure(number: int, svg: str, caption: str) -> str:
    hidden = " hidden" if number else ""
    return (
        f'<figure class="frame" id="frame-{number}" data-step="{number}"{hidden}>'
        f"<figcaption>{html.escape(caption)}</figcaption>"
        f'<div class="picture">{_inline(svg)}</div></figure>'
    )


def _inline(svg: str) -> str:
    """Graphviz's SVG document as an element to put in HTML: no XML prolog, no fixed size."""
    start = _SVG_START.search(svg)
    if start is None:
        raise RuntimeError("Graphviz returned no <svg> element")
    opening = _SIZE.sub("", start.group())
    return opening + svg[start.end() :].strip()


def _legend() -> str:
    items = [
        f'<li><span class="swatch" style="background:{FILL[role]}"></span>'
        f"{html.escape(meaning)}</li>"
        for role, meaning in ROLE_MEANING.items()
    ]
    items.append(
        f'<li><span class="swatch" style="background:{OP_FILL};border-radius:50%"></span>'
        "an operation</li>"
    )
    items += [
        f'<li><span class="line" style="border-color:{colour}"></span>{html.escape(meaning)}</li>'
        for colour, meaning in SIGN_MEANING
    ]
    items.append(
        "<li>edge label: local ∂out/∂in, then × upstream grad = gradient carried "
        "(edge width grows with it; an edge from a constant carries none)</li>"
    )
    return '<ul class="legend" aria-label="legend">' + "".join(items) + "</ul>"
