"""The Graphviz diagrams in Chinese (#23): their words come from the catalogue, and fit.

``draw_graph``, ``draw_network``, ``draw_legend`` and ``backward_frames`` take ``lang=``.
In Chinese, no run of English words is left in the SVG's texts (``scripts/find_english.py``,
allowing the nodes' own labels); in English the source is what it always was. Every text
lies inside the box drawn around it, measured in Chromium on the SVG that Graphviz's ``dot``
laid out (it measures Chinese with a CJK font, by fontconfig's fallback) and on the one
viz-js lays out in the browser (``viz/browser_layout.py``, which has no fonts at all).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from chainrule.engine import Value, grad
from chainrule.engine.i18n import LanguageError, language, message, using_language
from chainrule.nn import MLP, mse_loss
from chainrule.viz import (
    Diagram,
    GraphTooLargeError,
    backward_frames,
    draw_graph,
    draw_legend,
    draw_network,
    render,
)
from chainrule.viz.browser_layout import diagram_page

from tests.page_helpers import wait_for
from tests.test_i18n import find_english
from tests.test_viz_browser_layout import neuron as browser_neuron

SVG = "{http://www.w3.org/2000/svg}"
CJK = re.compile(r"[\u4e00-\u9fff]")


def neuron() -> Value:
    """o = tanh(x·w + b), the neuron of tests/test_viz_browser_layout.py."""
    return browser_neuron()[0]


def trained_model() -> MLP:
    model = MLP(2, [3, 1], seed=0)
    mse_loss(model([1.0, -2.0]), 1.0).backward()
    return model


def second_order() -> Value:
    """d/dx of x⁴ − 2x², a graph with backward-made nodes boxed by the op they serve."""
    x = Value(2.0, "x")
    (first,) = grad(x**4 - 2 * x**2, [x], create_graph=True)
    first.label = "dy/dx"
    return first


def mlp_graph(lang: str) -> Diagram:
    model = MLP(2, [2, 1], seed=1)
    loss = mse_loss(model([0.5, -1.0]), 0.25)
    loss.backward()
    return draw_graph(loss, model=model, legend=True, lang=lang)


def highlighted(lang: str) -> Diagram:
    o = neuron()
    o.backward()
    return draw_graph(o, legend=True, highlight=[o.parents[0]], lang=lang)


DIAGRAMS: dict[str, Callable[[str], Diagram]] = {
    "neuron, forward only": lambda lang: draw_graph(neuron(), legend=True, lang=lang),
    "neuron, highlighted": highlighted,
    "MLP graph by layer": mlp_graph,
    "second order": lambda lang: draw_graph(second_order(), legend=True, lang=lang),
    "network, forward only": lambda lang: draw_network(_forward_model(), target=1.0, lang=lang),
    "network after backward": lambda lang: draw_network(trained_model(), target=1.0, lang=lang),
    "legend": lambda lang: draw_legend(lang=lang),
    "a frame": lambda lang: backward_frames(neuron(), legend=True, lang=lang)[0],
}


def _forward_model() -> MLP:
    model = MLP(2, [3, 1], seed=0)
    model([1.0, -2.0])
    return model


def svg_texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


# The words


@pytest.mark.needs_dot
@pytest.mark.parametrize("which", DIAGRAMS)
def test_a_chinese_diagram_leaves_no_english_sentence(which: str, tmp_path: Path) -> None:
    svg = render(DIAGRAMS[which]("zh"), tmp_path / "zh.svg").read_text(encoding="utf-8")
    texts = svg_texts(svg)
    labels = {"dy", "dx", "linear", "tanh"}
    runs = find_english.english_runs("\n".join(texts), find_english.chainrule_names() | labels)
    assert not runs, f"English left in the {which} diagram: {runs}"
    assert any(CJK.search(t) for t in texts)


def test_lang_is_for_one_drawing_and_english_stays_as_it_was() -> None:
    with using_language("en"):
        english = draw_graph(second_order(), legend=True).source
    with using_language("zh"):
        assert draw_graph(second_order(), legend=True, lang="en").source == english
        assert language() == "zh"
        chinese = draw_graph(second_order(), legend=True).source
    assert language() == "en" and chinese != english
    assert message("diagram.backward_into_leaf", lang="zh", name="x") in chinese
    assert "backward into x: its paths added up" in english
    assert chinese.count("<TD") == english.count("<TD")  # the same picture, other words


def test_the_legend_and_layers_say_the_glossarys_words() -> None:
    legend = draw_legend(lang="zh").source
    for term in ("图例", "梯度 &gt; 0", "局部导数", "反向传播"):
        assert term in legend
    network = draw_network(trained_model(), target=1.0, lang="zh").source
    for term in ("误差 δ = ∂C/∂z", "偏置 b", "权重 W", "代价函数 C", "第 1 层：z¹ = W¹a⁰ + b¹"):
        assert term in network
    frames = backward_frames(neuron(), lang="zh")
    assert "第 1 步（共 5 步）" in frames[1].source and "链式法则" in frames[0].source


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(LanguageError, match="'fr'"):
        draw_legend(lang="fr")
    with pytest.raises(TypeError, match="draw_graph lang= takes 'en' or 'zh'"):
        draw_graph(neuron(), lang=1)  # type: ignore[arg-type]


def test_the_errors_a_learner_meets_are_chinese() -> None:
    with pytest.raises(ValueError, match="请先调用 model"):
        draw_network(MLP(2, [1], seed=0), lang="zh")
    with pytest.raises(GraphTooLargeError, match="这个图有 6 个节点，超过了上限 3"):
        draw_graph(neuron(), max_nodes=3, lang="zh")
    with pytest.raises(GraphTooLargeError, match="超过了上限 2"):
        draw_network(trained_model(), max_links=2, lang="zh")
    with pytest.raises(TypeError, match=r"对一个模型，请画它的输出或损失.*draw_network\(model\)"):
        draw_graph(trained_model(), lang="zh")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'up'：请用 'LR', 'TB', 'RL', 'BT' 之一"):
        draw_graph(neuron(), rankdir="up", lang="zh")
    o, stranger = neuron(), Value(1.0, "s")
    with pytest.raises(ValueError, match="s 不是这个图（o 的计算图）中的节点"):
        draw_graph(o, highlight=[stranger], lang="zh")
    with pytest.raises(ValueError, match="o 只有 1 个操作数（编号 0），没有操作数 1"):
        draw_graph(o, highlight=[(o, 1)], lang="zh")


# The fit, measured in Chromium

OUTSIDE = """
const scope = (group, element) => element.closest('g') === group;
const area = b => b.width * b.height;
const out = [];
for (const group of document.querySelectorAll('svg g.node, svg g.cluster, svg g.graph')) {
  const shapes = [...group.querySelectorAll('polygon, path, ellipse')]
    .filter(s => scope(group, s)).map(s => s.getBBox());
  for (const t of [...group.querySelectorAll('text')].filter(t => scope(group, t))) {
    const b = t.getBBox();
    if (!b.width) continue;
    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    const around = shapes.filter(s => s.x <= cx && cx <= s.x + s.width &&
                                      s.y <= cy && cy <= s.y + s.height)
      .sort((p, q) => area(p) - area(q))[0];
    if (!around || b.x < around.x - 1 || b.y < around.y - 1 ||
        b.x + b.width > around.x + around.width + 1 ||
        b.y + b.height > around.y + around.height + 1) {
      out.push([group.id, t.textContent, [b.x, b.y, b.width, b.height],
                around ? [around.x, around.y, around.width, around.height] : null]);
    }
  }
}
return out;
"""
"""Each text's box against the smallest shape of its node, cluster or graph around its
centre (a table cell, a node's frame, a cluster's frame, the canvas): outside by 1 pt, or
around nothing, it is reported."""


def texts_outside(browser) -> list[object]:
    wait_for(browser, "return document.querySelector('svg g.node, svg g.graph') !== null")
    return browser.execute_script(OUTSIDE)


@pytest.mark.needs_dot
@pytest.mark.parametrize("which", DIAGRAMS)
def test_every_chinese_text_is_inside_its_box_as_dot_laid_it_out(
    browser, which: str, tmp_path: Path
) -> None:
    path = render(DIAGRAMS[which]("zh"), tmp_path / "zh.svg")
    browser.get(path.as_uri())
    assert texts_outside(browser) == []


@pytest.mark.parametrize("which", DIAGRAMS)
def test_every_chinese_text_is_inside_its_box_as_the_browser_laid_it_out(
    browser, which: str, tmp_path: Path
) -> None:
    path = tmp_path / "zh.html"
    path.write_text(diagram_page(DIAGRAMS[which]("zh").source, which), encoding="utf-8")
    browser.get(path.as_uri())
    wait_for(browser, "return document.querySelector('#picture svg') !== null")
    assert texts_outside(browser) == []
