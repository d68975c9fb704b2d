"""The gallery page: every bug with its broken line, its table and its diagrams, side by side.

One self-contained HTML file: nothing loaded (its Content-Security-Policy allows no
request), so it opens from ``file://`` anywhere. Without Graphviz's ``dot`` (or with
``layout="browser"``) the page carries each diagram's DOT source, and its script lays the
diagrams out with viz-js when it opens (:mod:`viz.browser_layout`).

It speaks English and Chinese (``lang=``, else the current language; ``?lang=zh`` in the
address wins), with a switch that changes every text in place. The switch is one small
inline script, allowed by its hash like every page's: ``viz/web/i18n.js`` then
``viz/web/bugs.js``. A script-free switch (radio buttons and CSS) was the other choice, but
CSS cannot read ``lang=`` from the address nor set ``<html lang>`` and ``aria-pressed``, and
the pages already share i18n.js. Each fixed text (a heading, a label) is a ``data-i18n``
element that i18n.js fills from the embedded catalogue; each sentence computed by a demo,
with its numbers in it, is written in both languages (:class:`~chainrule.bugs.runs.Text`'s
``in_language``), one ``<span data-lang>`` each, and the style sheet shows the one that
matches ``<html lang>``: the page keeps no state that a switch could lose, and no demo's
sentence is rebuilt in JavaScript.
It is assembled as viz assembles its pages: the template ``viz/web/bugs.html``, the style
sheet ``viz/web/bugs.css`` with :mod:`viz.style`'s colours in front of it, and the policy,
all through :mod:`viz.page_assets`. Each wrong diagram is ``draw_graph`` with the differing
nodes and the wrong edges as its ``highlight``, in the same red as the page's marks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from string import Template

from chainrule.bugs.broken import BROKEN, SOURCE, shown_line
from chainrule.bugs.gallery import Bug
from chainrule.bugs.runs import Outcome, Run, Text, differs, gradient_table, in_language
from chainrule.engine import Value
from chainrule.engine.i18n import LANGUAGES, catalogue, fill, language, message, using_language
from chainrule.viz import Diagram, draw_graph, draw_legend
from chainrule.viz.browser_layout import LAYOUT_SCRIPTS, dot_element, in_browser
from chainrule.viz.page_assets import (
    WEB,
    content_security_policy,
    messages_json,
    read_scripts,
    style_sheet,
)
from chainrule.viz.rendering import svg_texts

RANKDIR = "TB"
"""Diagrams top to bottom, so that two fit side by side."""
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
"""Each language as ``<html lang>`` says it (as ``viz/web/i18n.js`` writes it)."""

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


def gallery_page(
    outcomes: Sequence[tuple[Bug, Outcome]], *, layout: str = "auto", lang: str | None = None
) -> str:
    """One self-contained HTML page: every bug with its table and its diagrams, side by side.

    Every diagram (the legend's too) is rendered in one batch of Graphviz calls, or, laid out
    in the browser (``layout``, as :func:`viz.step_through_page`'s), when the page opens. The
    page opens in ``lang`` (default: the current language) and switches in place.
    """
    with using_language(lang) as written:
        return _page(outcomes, in_browser(layout), written)


def _page(outcomes: Sequence[tuple[Bug, Outcome]], browser: bool, written: str) -> str:
    plan = [(bug, outcome, figures(outcome)) for bug, outcome in outcomes]
    groups = [_per_language(draw_legend)]
    groups += [_per_language(partial(diagram, f)) for _, _, shown in plan for f in shown]
    diagrams = [drawn for group in groups for drawn in group.values()]
    svgs = [] if browser else svg_texts(diagrams)
    indices = iter(range(len(diagrams)))

    def picture(prefix: str) -> str:
        index = next(indices)
        if browser:  # a place for bugs.js to put the diagram, its ids prefixed as below
            return f'<div data-diagram="{index}" data-prefix="{html.escape(prefix)}"></div>'
        return inline_svg(svgs[index], prefix)

    def pictures(group: dict[str | None, Diagram], prefix: str) -> str:
        if None in group:
            return picture(prefix)
        return "".join(_in(lang, "div", picture(f"{prefix}{lang}-")) for lang in group)

    groups_left = iter(groups)
    legend = pictures(next(groups_left), "legend-")
    sections = []
    for bug, outcome, shown in plan:
        drawn = [
            _figure_html(outcome, figure, pictures(next(groups_left), f"{bug.name}-{number}-"))
            for number, figure in enumerate(shown)
        ]
        sections.append(_section_html(bug, outcome, drawn))
    contents = "".join(
        f'<li><a href="#{bug.name}">{_both(bug.title, _with_code)}</a></li>' for bug, _ in outcomes
    )
    script = read_scripts(("i18n.js", *(LAYOUT_SCRIPTS if browser else ()), "bugs.js"))
    template = Template((WEB / "bugs.html").read_text(encoding="utf-8"))
    source, marker = html.escape(SOURCE), f"<code>{html.escape(BROKEN)}</code>"
    intro = {
        lang: _html_message(
            "bugs.page.intro",
            lang,
            source=source,
            marker=marker,
            red_frame=f'<span class="mark">{_html_message("bugs.page.red_frame", lang)}</span>',
        )
        for lang in LANGUAGES
    }
    return template.substitute(
        lang=HTML_LANG[written],
        policy=content_security_policy(script, wasm=browser),
        dot=dot_element([d.source for d in diagrams]) if browser else "",
        script=f"<script>{script}</script>",
        messages=messages_json("bugs", "page"),  # page: layout.js's failure, in its language
        title=_static("bugs.page.title", "title"),
        heading=_static("bugs.page.title", "h1"),
        language=html.escape(message("bugs.page.language"), quote=True),
        style=style_sheet("bugs.css"),
        intro="".join(_in(lang, "span", text) for lang, text in intro.items()),
        contents_label=html.escape(message("bugs.page.contents"), quote=True),
        legend_label=html.escape(message("bugs.page.legend"), quote=True),
        contents=contents,
        legend=legend,
        sections="\n".join(sections),
    )


def _per_language(draw: Callable[[], Diagram]) -> dict[str | None, Diagram]:
    """``draw()`` in each language, or once (under ``None``) if its text is the same in both.

    A diagram's words (the legend's, a note in a graph) are drawn in the language of the
    moment; the page shows the drawing of the language it speaks, as it does a sentence.
    """
    drawn = {}
    for lang in LANGUAGES:
        with using_language(lang):
            drawn[lang] = draw()
    if len({each.source for each in drawn.values()}) == 1:
        return {None: drawn[language()]}
    return dict(drawn)


def _figure_html(outcome: Outcome, figure: Figure, svg: str) -> str:
    """A diagram in its frame, under a caption: which engine, what differs, the note."""
    run = figure.run
    notes = [f"<strong>{_both(run.engine)}</strong>"]
    if run.error:
        notes.append(f'<span class="error">{_both(run.error)}</span>')
    if figure.wrong:
        rows = outcome.differing(figure.run)
        if rows:
            notes.append(_both(Text("bugs.page.framed", rows=", ".join(rows))))
        if figure.edges:
            notes.append(_static("bugs.page.red_edge", "span"))
    if run.caption:
        notes.append(_both(run.caption))
    kind = "wrong" if figure.wrong else "right"
    return f'<figure class="{kind}"><figcaption>{"<br>".join(notes)}</figcaption>\n{svg}\n</figure>'


def _section_html(bug: Bug, outcome: Outcome, pictures: list[str]) -> str:
    """One bug's section: the graph, the broken and the right line, the table, why, diagrams."""
    table = gradient_table(outcome)
    head = "".join(f"<th>{_both(cell)}</th>" for cell in table[0][:-1])
    body = []
    for row in table[1:]:
        cells = [f"<td>{html.escape(row[0])}</td>"]
        for i, cell in enumerate(row[1:-1]):
            wrong_column = i < len(outcome.wrong)
            mark = ' class="differs"' if differs(row) and wrong_column else ""
            cells.append(f"<td{mark}>{html.escape(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    kind = "convention" if bug.convention else "bug"
    label = "bugs.page.choice" if bug.convention else "bugs.page.broken_line"
    fixed = "bugs.page.chainrule_choice" if bug.convention else "bugs.page.right"
    where = {
        lang: _html_message(
            "bugs.page.where",
            lang,
            function=f"<code>{html.escape(bug.broken.__name__)}</code>",
            source=html.escape(SOURCE),
        )
        for lang in LANGUAGES
    }
    return (
        f'<section id="{bug.name}" class="{kind}">\n'
        f"<h2>{_both(bug.title, _with_code)} <small>(<code>chainrule bugs {bug.name}</code>)"
        "</small></h2>\n"
        f"<p>{_static('bugs.page.graph', 'strong')} {_both(outcome.graph)}</p>\n"
        f"<p>{_static(label, 'strong')} "
        + "".join(_in(lang, "span", text) for lang, text in where.items())
        + "</p>\n"
        f"<pre><code>{_both(shown_line(bug))}</code></pre>\n"
        f"<p>{_static(fixed, 'strong')}</p>\n"
        f'<pre class="right"><code>{_both(bug.fix)}</code></pre>\n'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>\n"
        f"<p>{_both(outcome.why)}</p>\n"
        f'<div class="pair">{"".join(pictures)}</div>\n</section>'
    )


def _static(key: str, tag: str) -> str:
    """``<tag data-i18n=key>``: a fixed text, written in the page's language.

    i18n.js writes it again in the language the learner switches to.
    """
    return f'<{tag} data-i18n="{key}">{html.escape(message(key))}</{tag}>'


def _in(lang: str, tag: str, inner: str) -> str:
    """``inner`` (HTML) as the page's text in ``lang``: shown only while the page speaks it."""
    return f'<{tag} lang="{HTML_LANG[lang]}" data-lang="{lang}">{inner}</{tag}>'


def _both(text: str, render: Callable[[str], str] = html.escape) -> str:
    """A demo's sentence in every language (one ``data-lang`` span each), or code as it is."""
    if not isinstance(text, Text):
        return render(text)
    return "".join(_in(lang, "span", render(in_language(text, lang))) for lang in LANGUAGES)


def _html_message(key: str, lang: str, **markup: str) -> str:
    """The message ``key`` in ``lang``, escaped, its placeholders filled with ``markup`` (HTML)."""
    return fill(html.escape(catalogue()[key][lang]), markup)


def _with_code(title: str) -> str:
    """A title escaped for HTML, its `backquoted` parts set as code, as the terminal writes them."""
    parts = html.escape(title).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
