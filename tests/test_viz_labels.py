"""Every label is shown as visible text, whatever it holds: in DOT, SVG, PNG and the step page.

A label may hold anything a Python ``str`` can: NUL and other control
characters, a lone surrogate, a newline, twenty thousand characters. Graphviz
refuses some of them (control characters are not XML, a lone surrogate is not
UTF-8, an HTML-like label longer than 16,384 characters is a syntax error) and
silently swallows others (a newline, a tab). So before a label reaches any
picture, ``viz.markup`` makes it visible: ``\\n`` stays a line break, a C0
control character becomes its Unicode control picture (NUL → ␀, ESC → ␛), DEL
becomes ␡, a C1 control character its ``\\x85`` escape, a lone surrogate or a
noncharacter U+FFFD, and a label is cut with ``…`` past 60 characters a line
and 4 lines.

Likewise a gradient that is NaN or infinite (set by hand, or after a diverging
step) must not make an edge's ``penwidth`` NaN, which hides the edge.
"""

from __future__ import annotations

import html
import math
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chainrule.engine import Value
from chainrule.engine.narration import grouped
from chainrule.nn import MLP, mse_loss
from chainrule.viz import backward_frames, draw_graph, draw_network, render, write_step_through
from chainrule.viz.markup import MAX_LABEL_LINES, MAX_LINE_CHARS, shorten, text, visible
from chainrule.viz.rendering import svg_texts
from chainrule.viz.style import MAX_WIDTH, MIN_WIDTH, pen_width

SVG = "{http://www.w3.org/2000/svg}"

# label → the lines of visible text it must show, written out by hand
HOSTILE: dict[str, tuple[str, list[str]]] = {
    "nul": ("a\x00b", ["a␀b"]),
    "escape": ("\x1b[31mred", ["␛[31mred"]),
    "bell-tab-cr-del": ("t\tb\rc\x07d\x7fe", ["t␉b␍c␇d␡e"]),
    "c1": ("a\x85b\x9fc", ["a\\x85b\\x9fc"]),
    "surrogate": ("x\ud800y", ["x\ufffdy"]),
    "surrogate-pair": ("smile \ud83d\ude00", ["smile 😀"]),  # a pair is joined, not replaced
    "noncharacter": ("a\uffffb\ufffe", ["a\ufffdb\ufffd"]),
    "newline": ("first\nsecond", ["first", "second"]),
    "long": ("L" * 20_000, ["L" * 59 + "…"]),
    "many-lines": (
        "\n".join(f"line {i}" for i in range(10)),
        ["line 0", "line 1", "line 2", "line 3…"],
    ),
    "markup-and-backslash": ('<b>&"\\N', ['<b>&"\\N']),
}
IDS = list(HOSTILE)


def graph(label: str) -> Value:
    x = Value(2.0, label)
    out = x * Value(3.0, "k")
    out.label = "out"
    out.backward()
    return out


def svg_text_lines(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode("utf-8"))
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# --- the text itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", IDS)
def test_visible_and_shorten_give_the_lines_written_by_hand(name: str) -> None:
    label, lines = HOSTILE[name]
    assert shorten(label).split("\n") == lines


def test_the_limits_are_the_documented_ones() -> None:
    assert (MAX_LINE_CHARS, MAX_LABEL_LINES) == (60, 4)
    exact = "x" * MAX_LINE_CHARS
    assert shorten(exact) == exact  # 60 characters fit
    assert shorten(exact + "y") == "x" * (MAX_LINE_CHARS - 1) + "…"
    four = "a\nb\nc\nd"
    assert shorten(four) == four and shorten(four + "\ne") == "a\nb\nc\nd…"
    assert visible("a\n" * 1000).count("\n") == 1000  # visible() itself never shortens


def test_text_breaks_lines_and_leaves_no_character_xml_or_graphviz_refuses() -> None:
    markup = text("one\ntwo\x00\ud800\uffff")
    assert markup == "one<BR/>two␀\ufffd\ufffd"
    for name in IDS:
        escaped = text(shorten(HOSTILE[name][0]))
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", escaped)
        assert "\n" not in escaped
        escaped.encode("utf-8")  # no lone surrogate left


# --- with Graphviz ------------------------------------------------------------------------------


@pytest.mark.needs_dot
@pytest.mark.parametrize("name", IDS)
def test_svg_and_png_render_and_show_the_label(name: str, tmp_path: Path) -> None:
    label, lines = HOSTILE[name]
    diagram = draw_graph(graph(label), legend=True)
    svg = render(diagram, tmp_path / "graph.svg")
    texts = svg_text_lines(svg.read_text(encoding="utf-8"))
    for line in lines:
        assert line in texts, (line, texts)
    assert "out" in texts and "grad 3.0" in texts  # the rest of the picture is still there
    png = render(diagram, tmp_path / "graph.png")
    width, height = png_size(png.read_bytes())
    assert width > 0 and height > 0


@pytest.mark.needs_dot
def test_every_hostile_label_at_once_in_frames_and_the_network_view() -> None:
    # one graph holding them all: leaves, an op's name, the root; frames captioned with them
    leaves = [Value(float(i + 1), label) for i, (label, _) in enumerate(HOSTILE.values())]
    total = leaves[0]
    for leaf in leaves[1:]:
        total = total + leaf
    odd = Value(total.data * 2.0, parents=(total,), local_grads=(2.0,), op="op\x00\n\ud800")
    odd.label = "L" * 20_000
    frames = backward_frames(odd)
    svgs = svg_texts(frames)
    assert len(svgs) == len(frames)
    last = svg_text_lines(svgs[-1])
    for _, lines in HOSTILE.values():
        for line in lines:
            assert line in last
    assert "op␀" in last and "\ufffd" in last  # the op's name, two lines
    caption = " ".join(last)
    assert "Step" in caption and "L" * 59 + "…" in caption and "L" * 60 not in caption

    model = MLP(2, [2, 1], seed=0)
    loss = mse_loss(model([0.5, -1.0]), 1.0)
    loss.backward()
    model.inputs[0].label = "x\x00\ud800\n" + "y" * 100
    model.layers[0].neurons[0].w[0].label = "W\x1b"
    (svg,) = svg_texts([draw_network(model)])
    texts = " ".join(svg_text_lines(svg))
    assert "x␀\ufffd" in texts and "y" * 59 + "…" in texts and "W␛ = " in texts


# --- NaN and infinite gradients -----------------------------------------------------------------


@pytest.mark.parametrize("gradient", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("largest", [0.0, 2.0, math.inf, math.nan])
def test_pen_width_is_always_a_finite_width_in_range(gradient: float, largest: float) -> None:
    assert MIN_WIDTH <= pen_width(gradient, largest) <= MAX_WIDTH
    assert MIN_WIDTH <= pen_width(1.0, largest) <= MAX_WIDTH


def non_finite_graph() -> tuple[Value, Value, Value]:
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = x * w
    out = y.tanh()
    out.label = "out"
    out.backward()
    y.grad = math.inf  # set by hand, as after a step that overflowed
    x.grad = math.nan
    return out, x, y


def pen_widths(source: str) -> list[str]:
    return re.findall(r"\bpenwidth=\"?([^\s\"\]]+)", source)


def test_nan_and_inf_gradients_keep_every_pen_width_finite_in_dot() -> None:
    out, _, _ = non_finite_graph()
    source = draw_graph(out).source
    widths = pen_widths(source)
    assert widths and all(math.isfinite(float(width)) for width in widths), widths
    assert "grad inf" in source and "grad nan" in source  # the numbers are shown as text
    assert "× inf = -inf" in source  # x's edge into x·w: local w = −3, upstream inf

    model = MLP(2, [2, 1], seed=0)
    mse_loss(model([0.5, -1.0]), 1.0).backward()
    model.layers[0].neurons[0].w[0].grad = math.nan
    model.layers[0].neurons[0].w[1].grad = -math.inf
    network = draw_network(model).source
    assert all(math.isfinite(float(width)) for width in pen_widths(network))
    assert "∂C/∂W = nan" in network and "∂C/∂W = -inf" in network


@pytest.mark.needs_dot
def test_nan_and_inf_gradients_draw_visible_edges(tmp_path: Path) -> None:
    out, _, _ = non_finite_graph()
    svg = render(draw_graph(out), tmp_path / "graph.svg").read_text(encoding="utf-8")
    strokes = re.findall(r'stroke-width="([^"]+)"', svg)
    assert strokes and all(math.isfinite(float(s)) and float(s) > 0 for s in strokes), strokes
    root = ET.fromstring(svg.encode("utf-8"))
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == 5 and all(edge.find(f"{SVG}path") is not None for edge in edges)
    texts = svg_text_lines(svg)
    assert "grad inf" in texts and "grad nan" in texts


# --- the step-through page, as text and in a real browser ---------------------------------------


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""What a written page never holds: C0 (but tab and line breaks), DEL, C1, lone surrogates."""


@pytest.mark.needs_dot
@pytest.mark.parametrize("name", IDS)
def test_step_through_page_is_written_for_every_hostile_label(name: str, tmp_path: Path) -> None:
    label, lines = HOSTILE[name]
    page = write_step_through(graph(label), tmp_path / f"{name}.html", title=label)
    html_text = page.read_text(encoding="utf-8")
    found = CONTROL_CHARACTERS.search(html_text)
    assert found is None, html_text[max(found.start() - 60, 0) : found.end() + 20]
    for line in lines:  # the leaf's box in the one SVG shows the label, visible and cut
        assert f">{html.escape(line, quote=False)}</text>" in html_text.replace("&quot;", '"')


@pytest.mark.needs_chromium
@pytest.mark.needs_dot
@pytest.mark.parametrize("name", IDS)
def test_step_through_page_shows_the_label_in_captions_and_svg(
    browser, name: str, tmp_path: Path
) -> None:
    label, lines = HOSTILE[name]
    shown_name = "\n".join(lines)  # the name in the captions: the label as its box shows it
    page = write_step_through(graph(label), tmp_path / "player.html", title=label)
    browser.get(page.as_uri())
    shown = browser.execute_script(
        """
        const api = window.chainrule;
        const captions = [];
        for (let k = 0; k < api.frameCount(); k += 1) {
          api.goto(k);
          captions.push(document.getElementById("caption").textContent);
        }
        return {
          captions: captions,
          svg: Array.from(document.querySelectorAll("#picture svg text"), t => t.textContent),
          fields: Array.from(document.querySelectorAll("#leaves label span"), s => s.textContent),
          leaves: api.leaves(),
          title: document.title,
          heading: document.querySelector("h1").textContent,
        };
        """
    )
    for line in lines:
        assert line in shown["svg"], (line, shown["svg"])
    # frames: x, k, out forward; out → x, out → k backward; the summary
    forward, _, _, step, _, summary = shown["captions"]
    assert forward == f"{shown_name} = 2.0, an input, a leaf"
    named = grouped(shown_name)  # in ∂…/∂… and .grad, grouped as the terminal's steps are
    assert step == f"∂out/∂{named} = k = 3.0;  {named}.grad += 3.0 × 1.0 = 3.0"
    assert summary.startswith("∂out/∂leaf, largest |gradient| first")
    assert f"{shown_name}+3.0 ↑" in summary  # the Summary's table: leaf, gradient, sign
    assert shown["leaves"] == shown["fields"] == [shown_name, "k"]
    if shown_name != label:  # never the raw label, nor more of it than the box shows
        assert not any(label in caption for caption in shown["captions"])
    # the title is the label too: made visible (never cut: a title is no label)
    assert lines[0].removesuffix("…") in shown["heading"]
    assert lines[0].removesuffix("…") in shown["title"]
    controls = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
    assert not controls.search(
        "".join(shown["captions"]) + shown["heading"] + "".join(shown["svg"] + shown["fields"])
    )
