"""Pages that lay their graph out in the browser, where Python has no Graphviz ``dot``.

The pages here are written with ``layout="browser"``, so these tests check the browser's
layout on any machine; they are marked ``pages``, so ``make test`` runs them again with
``--without-dot`` (tests/conftest.py), where ``"auto"`` must choose the browser by itself.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from chainrule.engine import Value, grad
from chainrule.nn import MLP, mse_loss
from chainrule.viz import draw_graph, draw_network, step_through_page, write_step_through
from chainrule.viz.browser_layout import VIZJS, VIZJS_SHA256, in_browser
from chainrule.viz.page_assets import WEB
from chainrule.viz.svg_layout import layout_boxes

from chainrule import bugs
from chainrule.bugs.page import gallery_page
from tests.cli_helpers import chainrule
from tests.page_helpers import open_page, wait_for

pytestmark = pytest.mark.pages


def api(browser, call: str, *args: object) -> object:
    return browser.execute_script(f"return window.chainrule.{call}", *args)


def severe(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def neuron(x0: float = 2.0, w0: float = -3.0, b0: float = 0.5) -> tuple[Value, list[Value]]:
    x, w, b = Value(x0, "x"), Value(w0, "w"), Value(b0, "b")
    o = (x * w + b).tanh()
    o.label = "o"
    return o, [x, w, b]


def derivative(x0: float = 0.5, w0: float = -1.5) -> tuple[Value, Value, Value]:
    """∂o/∂x of o = tanh(x·w) as a graph (grad with create_graph), and x and w."""
    x, w = Value(x0, "x"), Value(w0, "w")
    (first,) = grad((x * w).tanh(), [x], create_graph=True)
    first.label = "∂o/∂x"
    return first, x, w


def test_the_vendored_viz_js_is_the_pinned_one_with_its_licence():
    assert hashlib.sha256((WEB / VIZJS).read_bytes()).hexdigest() == VIZJS_SHA256
    assert "scripts/update_vizjs.sh" in (WEB.parent / "browser_layout.py").read_text()
    assert VIZJS_SHA256 in (WEB.parent.parent / "scripts" / "update_vizjs.sh").read_text()
    licence = (WEB / "vendor" / "LICENSE-viz-js.txt").read_text(encoding="utf-8")
    assert "MIT" in licence and "Michael Daines" in licence and "3.31.0" in licence


def test_layout_must_be_one_of_three(monkeypatch):
    with pytest.raises(ValueError, match="unknown layout 'svg'"):
        step_through_page(neuron()[0], layout="svg")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert in_browser("auto") and in_browser("browser") and not in_browser("dot")


def test_a_browser_page_carries_its_dot_source_and_may_compile_webassembly_only():
    page = step_through_page(neuron()[0], layout="browser").html
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert re.fullmatch(
        r"default-src 'none'; style-src 'unsafe-inline'; "
        r"script-src 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval'",
        policy,
    )
    assert page.count("<script>") == 1 and '<div id="picture" class="opening"></div>' in page
    (source,) = json.loads(re.search(r'id="chainrule-dot">(.*?)</script>', page, re.S).group(1))
    assert source.startswith("digraph") and ">x<" in source
    graph = json.loads(re.search(r'id="chainrule-graph">(.*?)</script>', page, re.S).group(1))
    assert "boxes" not in graph  # the browser measures them


@pytest.mark.needs_dot
def test_with_dot_a_page_is_laid_out_by_python_and_carries_no_viz_js():
    page = step_through_page(neuron()[0]).html
    assert "<svg" in page and 'id="chainrule-dot"' not in page and "wasm-unsafe-eval" not in page
    assert len(page.encode("utf-8")) < 200_000


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("browser-layout")
    model = MLP(2, [3, 1], seed=3)
    loss = mse_loss(model([0.5, -1.0]), Value(0.25, "y"))
    return {
        "neuron": write_step_through(neuron()[0], folder / "neuron.html", layout="browser"),
        "mlp": write_step_through(loss, folder / "mlp.html", model=model, layout="browser"),
        "second": write_step_through(derivative()[0], folder / "second.html", layout="browser"),
        "cjk": write_step_through(cjk_neuron(), folder / "cjk.html", layout="browser"),
    }


def cjk_neuron() -> Value:
    """A neuron whose names are Chinese, as a learner of docs/backprop.zh.md would write it."""
    x, w, b = Value(2.0, "输入"), Value(-3.0, "权重"), Value(0.5, "偏置")
    total = x * w + b
    total.label = "加权和"
    o = total.tanh()
    o.label = "激活值"
    return o


def test_the_page_lays_itself_out_and_steps_through_every_frame(browser, pages):
    open_page(browser, pages["neuron"])
    count = api(browser, "frameCount()")
    assert count == step_through_page(neuron()[0]).frame_count
    phases = [
        api(browser, "goto(arguments[0]) && window.chainrule.frame().phase", k)
        for k in range(1, count)
    ]
    assert phases[-1] == "summary" and "backward" in phases
    ids = browser.execute_script(
        "return [...document.querySelectorAll('#picture svg g.node')].map(g => g.id)"
    )
    values = {f"v{i}" for i in range(6)}  # x, w, x·w, b, x·w + b, o: each Value's box
    assert values <= set(ids) and all(i in values or i.startswith("op") for i in ids)
    assert (
        browser.execute_script(
            "return document.querySelector('#picture svg').hasAttribute('width')"
        )
        is False
    )
    assert severe(browser) == []


def test_what_if_equals_python_within_1e_12(browser, pages):
    open_page(browser, pages["neuron"])
    rng = random.Random(21)
    for _ in range(10):
        leaves = {"x": rng.uniform(-2, 2), "w": rng.uniform(-2, 2), "b": rng.uniform(-1, 1)}
        for name, value in leaves.items():
            assert api(browser, "setLeaf(arguments[0], arguments[1])", name, value) is None
        o, nodes = neuron(leaves["x"], leaves["w"], leaves["b"])
        o.backward()
        shown, grads = api(browser, "values()"), api(browser, "grads()")
        assert math.isclose(shown["o"], o.data, rel_tol=1e-12, abs_tol=1e-300)
        for node in nodes:
            assert math.isclose(grads[node.label], node.grad, rel_tol=1e-12, abs_tol=1e-300)


def test_the_boxes_javascript_measures_are_pythons(browser, pages):
    open_page(browser, pages["mlp"])
    svg, measured = browser.execute_script(
        "const svg = document.querySelector('#picture svg');"
        "return [new XMLSerializer().serializeToString(svg), chainrule_layout.boxes(svg)]"
    )
    boxes, labels = layout_boxes(svg)
    assert set(measured["boxes"]) == set(boxes) and len(boxes) > 50
    assert set(measured["labels"]) == set(labels) and labels
    for ours, theirs in ((boxes, measured["boxes"]), (labels, measured["labels"])):
        for name, box in ours.items():
            assert all(abs(a - b) <= 0.11 for a, b in zip(box, theirs[name], strict=True)), name


@pytest.mark.parametrize("which", ["neuron", "mlp", "second", "cjk"])
def test_every_node_label_is_inside_its_box(browser, pages, which):
    """viz-js measures text without the browser's fonts: wide CJK names must still fit."""
    open_page(browser, pages[which])
    api(browser, "fit()")
    outside = browser.execute_script(
        "const out = [];"
        "document.querySelectorAll('#picture svg g.node').forEach(g => {"
        "  const shape = g.querySelector('polygon, ellipse, path').getBBox();"
        "  g.querySelectorAll('text').forEach(t => {"
        "    const b = t.getBBox();"
        "    if (b.width && (b.x < shape.x - 1 || b.y < shape.y - 1 ||"
        "        b.x + b.width > shape.x + shape.width + 1 ||"
        "        b.y + b.height > shape.y + shape.height + 1)) {"
        "      out.push([g.id, t.textContent, [b.x, b.y, b.width, b.height],"
        "                [shape.x, shape.y, shape.width, shape.height]]); } }); });"
        "return out"
    )
    assert outside == []
    assert browser.get_screenshot_as_png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_second_order_page_marks_its_backward_made_nodes_and_what_if_works(browser, pages):
    open_page(browser, pages["second"])
    roles = browser.execute_script(
        "return [...document.querySelectorAll('#picture svg g.backward-made')]"
        ".map(g => g.getAttribute('data-role'))"
    )
    assert roles and None not in roles and "local" in roles
    x0, w0 = 0.8, 1.3
    assert api(browser, "setLeaf('x', arguments[0])", x0) is None
    assert api(browser, "setLeaf('w', arguments[0])", w0) is None
    first, x, w = derivative(x0, w0)
    d_dx, d_dw = grad(first, [x, w])
    grads = api(browser, "grads()")
    assert math.isclose(grads["x"], d_dx.data, rel_tol=1e-12)
    assert math.isclose(grads["w"], d_dw.data, rel_tol=1e-12)
    assert severe(browser) == []


def test_a_layout_that_fails_says_so_on_the_page(browser, pages, tmp_path):
    text = pages["neuron"].read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    dot = re.compile(r'(type="application/json" id="chainrule-dot">).*?(</script>)', re.S)
    broken.write_text(dot.sub(r'\1["digraph {"]\2', text), encoding="utf-8")
    browser.get(broken.as_uri())
    message = wait_for(
        browser,
        "const e = document.getElementById('error'); return !e.hidden && e.textContent",
    )
    assert message.startswith("This page could not draw its graph")
    assert browser.find_element("id", "error").is_displayed()


def test_the_bugs_page_lays_out_every_diagram(browser, tmp_path):
    chosen = [bugs.find("sub-sign"), bugs.find("relu-at-zero")]
    page = tmp_path / "bugs.html"
    page.write_text(gallery_page([(b, b.demo()) for b in chosen], layout="browser"), "utf-8")
    browser.get(page.as_uri())
    wait_for(browser, "return document.querySelector('[data-diagram]') === null")
    widths = browser.execute_script(
        "return [...document.querySelectorAll('section svg')]"
        ".filter(svg => svg.getClientRects().length)"  # the page's language's drawings
        ".map(svg => svg.getBoundingClientRect().width)"
    )
    assert len(widths) == sum(len(b.demo().wrong) + 1 for b in chosen)
    assert all(width > 100 for width in widths)
    ids = browser.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)) and {"legend-graph0", "legend-en-graph0"} & set(ids)
    assert browser.execute_script("return performance.getEntriesByType('resource')") == []
    assert severe(browser) == []


def test_without_dot_notebooks_show_diagrams_laid_out_in_the_browser(
    browser, monkeypatch, tmp_path
):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    model = MLP(2, [2, 1], seed=1)
    model([0.5, -1.0])
    shown = {
        "graph": draw_graph(neuron()[0])._repr_mimebundle_(),
        "network": draw_network(model)._repr_mimebundle_(),
    }
    for bundle in shown.values():
        assert list(bundle) == ["text/html"]
        assert 'sandbox="allow-scripts"' in bundle["text/html"]
        assert "chainrule-dot" in bundle["text/html"] and "wasm-unsafe-eval" in bundle["text/html"]
    step = step_through_page(neuron()[0])._repr_html_()
    assert "chainrule-dot" in step and "srcdoc=" in step
    frame = tmp_path / "frame.html"
    notebook = '<!DOCTYPE html><meta charset="utf-8">' + shown["network"]["text/html"]
    frame.write_text(notebook, encoding="utf-8")  # UTF-8, as a notebook's page is
    browser.get(frame.as_uri())
    browser.switch_to.frame(browser.find_element("tag name", "iframe"))
    count = wait_for(browser, "return document.querySelectorAll('svg g.node').length")
    assert count >= 5
    browser.switch_to.default_content()
    assert severe(browser) == []


def test_chainrule_step_order_2_writes_a_page_without_dot(browser, tmp_path):
    empty = tmp_path / "empty-bin"  # a PATH with no dot on it
    empty.mkdir()
    newton = tmp_path / "newton.html"
    quartic = ["x**4 - 2*x**2", "--set", "x=2", "--html", str(newton)]
    assert chainrule("newton", *quartic, PATH=str(empty)).returncode == 0
    assert 'id="chainrule-dot"' in newton.read_text(encoding="utf-8")
    page = tmp_path / "d.html"
    args = ["tanh(x*w)", "--set", "x=2", "--set", "w=0.5", "--order", "2", "--html", str(page)]
    result = chainrule("step", *args, PATH=str(empty))
    assert result.returncode == 0, result.stderr
    assert f"wrote {page}" in result.stdout
    open_page(browser, page)
    first, x, w = derivative(2.0, 0.5)
    d_dx, d_dw = grad(first, [x, w])
    grads = api(browser, "grads()")
    assert math.isclose(grads["x"], d_dx.data, rel_tol=1e-12)
    assert math.isclose(grads["w"], d_dw.data, rel_tol=1e-12)


def test_the_without_dot_path_keeps_every_program_but_dot(tmp_path):
    from tests.conftest import path_without_dot

    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("dot", "neato", "python9"):
        (tools / name).write_text("#!/bin/sh\n")
        (tools / name).chmod(0o755)
    folder = tmp_path / "filtered"
    folder.mkdir()
    path = path_without_dot(os.pathsep.join([str(tools), str(tmp_path / "none")]), folder)
    assert shutil.which("dot", path=path) is None
    assert shutil.which("neato", path=path) and shutil.which("python9", path=path)
    assert path.split(os.pathsep)[1] == str(tmp_path / "none")
