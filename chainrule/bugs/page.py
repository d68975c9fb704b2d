"""The gallery page: every bug with its broken line, its table and its diagrams, side by side.

One self-contained HTML file: no script, nothing loaded (its Content-Security-Policy allows
no request), so it opens from ``file://`` anywhere. Without Graphviz's ``dot`` (or with
``layout="browser"``) the page carries each diagram's DOT source and one script, viz-js and
``viz/web/bugs.js``, which lay the diagrams out when it opens (:mod:`viz.browser_layout`).
It is assembled as viz assembles its pages: the template ``viz/web/bugs.html``, the style
sheet ``viz/web/bugs.css`` with :mod:`viz.style`'s colours in front of it, and the policy,
all through :mod:`viz.page_assets`. Each wrong diagram is ``draw_graph`` with the differing
nodes and the wrong edges as its ``highlight``, in the same red as the page's marks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from string import Template

from chainrule.bugs.broken import SOURCE, marked_line
from chainrule.bugs.gallery import Bug
from chainrule.bugs.runs import Outcome, Run, gradient_table
from chainrule.engine import Value
from chainrule.viz import Diagram, draw_graph, draw_legend
from chainrule.viz.browser_layout import LAYOUT_SCRIPTS, dot_element, in_browser
from chainrule.viz.page_assets import WEB, content_security_policy, read_scripts, style_sheet
from chainrule.viz.rendering import svg_texts

RANKDIR = "TB"
"""Diagrams top to bottom, so that two fit side by side."""
TITLE = "Classic backprop bugs, each next to the right answer"

_SVG_START = re.compile(r"<svg\b", re.S)
_ID = re.compile(r'\bid="([^"]*)"')


@dataclass(frozen=True)
class Figure:
    """One diagram of the page: a run's graph, its wrong gradients and local derivatives marked.

    ``marked`` are the nodes whose grad differs from chainrule's, ``edges`` the edges
    ``(node, operand)`` whose local derivative is the wrong one.
    """

    run: Run
    wrong: bool
    marked: tuple[Value, ...]
    edges: tuple[tuple[Value, int], ...] = ()


def figures(outcome: Outcome) -> list[Figure]:
    """Each wrong run (what differs marked), then chainrule's run (nothing marked)."""
    shown = [
        Figure(run, True, tuple(run.nodes[row] for row in outcome.differing(run)), run.edges)
        for run in outcome.wrong
    ]
    return [*shown, Figure(outcome.right, False, ())]


def diagram(figure: Figure) -> Diagram:
    """``draw_graph`` of the figure's run, with its marked nodes (and edges) in red."""
    run = figure.run
    marks = [*figure.marked, *figure.edges]
    return draw_graph(run.root, params=run.params, rankdir=RANKDIR, highlight=marks)


def inline_svg(svg: str, prefix: str) -> str:
    """Graphviz's SVG as an element of the page: no XML prolog, every id made unique."""
    start = _SVG_START.search(svg)
    if start is None:
        raise RuntimeError("Graphviz returned no <svg> element")
    return _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg[start.start() :].strip())


def gallery_page(outcomes: Sequence[tuple[Bug, Outcome]], *, layout: str = "auto") -> str:
    """One self-contained HTML page: every bug with its table and its diagrams, side by side.

    Every diagram (the legend's too) is rendered in one batch of Graphviz calls, or, laid out
    in the browser (``layout``, as :func:`viz.step_through_page`'s), when the page opens.
    """
    browser = in_browser(layout)
    plan = [(bug, outcome, figures(outcome)) for bug, outcome in outcomes]
    diagrams = [draw_legend()] + [diagram(f) for _, _, shown in plan for f in shown]
    svgs = [] if browser else svg_texts(diagrams)

    def picture(index: int, prefix: str) -> str:
        if browser:  # a place for bugs.js to put the diagram, its ids prefixed as below
            return f'<div data-diagram="{index}" data-prefix="{html.escape(prefix)}"></div>'
        return inline_svg(svgs[index], prefix)

    indices = iter(range(len(diagrams)))
    legend = picture(next(indices), "legend-")
    sections = []
    for bug, outcome, shown in plan:
        pictures = [
            _figure_html(outcome, figure, picture(next(indices), f"{bug.name}-{number}-"))
            for number, figure in enumerate(shown)
        ]
        sections.append(_section_html(bug, outcome, pictures))
    contents = "".join(
        f'<li><a href="#{bug.name}">{_with_code(bug.title)}</a></li>' for bug, _ in outcomes
    )
    script = read_scripts((*LAYOUT_SCRIPTS, "bugs.js")) if browser else None
    template = Template((WEB / "bugs.html").read_text(encoding="utf-8"))
    return template.substitute(
        policy=content_security_policy(script, wasm=browser),
        dot=dot_element([d.source for d in diagrams]) if browser else "",
        script=f"<script>{script}</script>" if script else "",
        title=html.escape(TITLE),
        style=style_sheet("bugs.css"),
        source=html.escape(SOURCE),
        contents=contents,
        legend=legend,
        sections="\n".join(sections),
    )


def _figure_html(outcome: Outcome, figure: Figure, svg: str) -> str:
    """A diagram in its frame, under a caption: which engine, what differs, the note."""
    run = figure.run
    notes = [f"<strong>{html.escape(run.engine)}</strong>"]
    if run.error:
        notes.append(f'<span class="error">{html.escape(run.error)}</span>')
    if figure.wrong:
        rows = outcome.differing(figure.run)
        if rows:
            notes.append("framed in red: " + html.escape(", ".join(rows)) + " differ")
        if figure.edges:
            notes.append("the red edge: the wrong local derivative")
    if run.caption:
        notes.append(html.escape(run.caption))
    kind = "wrong" if figure.wrong else "right"
    return f'<figure class="{kind}"><figcaption>{"<br>".join(notes)}</figcaption>\n{svg}\n</figure>'


def _section_html(bug: Bug, outcome: Outcome, pictures: list[str]) -> str:
    """One bug's section: the graph, the broken and the right line, the table, why, diagrams."""
    table = gradient_table(outcome)
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in table[0][:-1])
    body = []
    for row in table[1:]:
        differs = row[-1] == "differs"
        cells = [f"<td>{html.escape(row[0])}</td>"]
        for i, cell in enumerate(row[1:-1]):
            wrong_column = i < len(outcome.wrong)
            mark = ' class="differs"' if differs and wrong_column else ""
            cells.append(f"<td{mark}>{html.escape(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    kind = "convention" if bug.convention else "bug"
    label = "The choice at 0 (a convention, not a bug)" if bug.convention else "The broken line"
    fixed = "chainrule's choice" if bug.convention else "Right"
    return (
        f'<section id="{bug.name}" class="{kind}">\n'
        f"<h2>{_with_code(bug.title)} <small>(<code>chainrule bugs {bug.name}</code>)"
        "</small></h2>\n"
        f"<p><strong>The graph:</strong> {html.escape(outcome.graph)}</p>\n"
        f"<p><strong>{html.escape(label)}</strong> "
        f"(<code>{html.escape(bug.broken.__name__)}</code> in {html.escape(SOURCE)}):</p>\n"
        f"<pre><code>{html.escape(marked_line(bug))}</code></pre>\n"
        f"<p><strong>{fixed}:</strong></p>\n"
        f'<pre class="right"><code>{html.escape(bug.fix)}</code></pre>\n'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>\n"
        f"<p>{html.escape(outcome.why)}</p>\n"
        f'<div class="pair">{"".join(pictures)}</div>\n</section>'
    )


def _with_code(title: str) -> str:
    """A title escaped for HTML, its `backquoted` parts set as code, as the terminal writes them."""
    parts = html.escape(title).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
