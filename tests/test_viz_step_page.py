"""The step-through page in headless Chromium, driven through its window.chainrule API.

Every number the page shows is checked against the Python engine: the JavaScript kernels
against the Python kernels on random inputs, and whole graphs (a neuron, a 2-3-1 MLP with
MSE) against a fresh Python backward pass for random leaf values, within 1e-12 relative.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from chainrule.engine import OPS, MathError, Value, apply, topological_order
from chainrule.engine.errors import refined
from chainrule.engine.i18n import LANGUAGES, using_language
from chainrule.engine.optable import BUILTIN
from chainrule.nn import MLP, mse_loss
from chainrule.viz import browser_layout, step_through_page, write_step_through
from chainrule.viz.page_assets import OPS_SCRIPT, WEB, read_scripts
from chainrule.viz.step_page import display_names

from tests.graphs import neuron_with_leaves
from tests.headless_chromium import emulate_screen
from tests.page_helpers import open_page

pytestmark = [pytest.mark.needs_chromium, pytest.mark.pages]

Build = Callable[[dict[str, float] | None], tuple[Value, dict[str, Value]]]


def neuron(values: dict[str, float] | None = None) -> tuple[Value, dict[str, Value]]:
    """o = tanh(x1·w1 + x2·w2 + b) at ``values`` (default: the classic point), leaves by name."""
    root, leaves = neuron_with_leaves()
    return _at(root, {leaf.label: leaf for leaf in leaves}, values)


def mlp_mse(values: dict[str, float] | None = None) -> tuple[Value, dict[str, Value]]:
    """A 2-3-1 tanh MLP with the MSE loss C = ½(a − y)² on one sample; leaves by name."""
    _, loss = mlp_model_and_loss()
    leaves = {n.label: n for n in topological_order(loss) if n.op is None and not n.is_constant}
    return _at(loss, leaves, values)


def mlp_model_and_loss() -> tuple[MLP, Value]:
    model = MLP(2, [3, 1], seed=1)
    output = model([Value(0.5, "x[0]"), Value(-1.5, "x[1]")])
    loss = mse_loss(output, Value(0.25, "y"))
    loss.label = "C"
    return model, loss


def _at(root: Value, leaves: dict[str, Value], values: dict[str, float] | None):
    """The graph computed again, op by op through the engine, at the leaves' new ``values``."""
    if not values:
        return root, leaves
    for name, value in values.items():
        leaves[name].data = value
    made: dict[Value, Value] = {}
    for node in topological_order(root):
        if node.op is None:
            made[node] = node
            continue
        attrs = dict(zip(node.op.attrs, node.attrs, strict=True))
        fresh = apply(node.op, *(made[p] for p in node.parents), **attrs)
        fresh.label = node.label
        made[node] = fresh
    return made[root], leaves


def python_grads(root: Value) -> dict[str, float]:
    root.backward()
    names = display_names(topological_order(root))
    return {names[n]: n.grad for n in topological_order(root) if not n.is_constant}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    root, _ = neuron()
    model, mlp = mlp_model_and_loss()
    return {
        "neuron": write_step_through(root, folder / "neuron.html", title="One neuron"),
        "mlp": write_step_through(mlp, folder / "mlp.html", title="2-3-1 MLP", model=model),
    }


def api(browser, call: str, *args):
    return browser.execute_script(f"return window.chainrule.{call};", *args)


def speak(browser, lang: str) -> None:
    """Have the open page say its errors in ``lang``: its language switch (viz/web/i18n.js),
    or, on a page written without i18n.js, the one thing the engine reads of it, the
    language."""
    browser.execute_script(
        "var lang = arguments[0];"
        "if (typeof chainrule_i18n === 'undefined') {"
        "  window.chainrule_i18n = { language: function () { return lang; } };"
        "} else { chainrule_i18n.setLanguage(lang); }",
        lang,
    )


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)


def test_forward_backward_and_summary_frames_match_the_graph(browser, pages):
    root, _ = neuron()
    order = topological_order(root)
    steps = sum(1 for n in order for p in n.parents if not p.is_constant)
    open_page(browser, pages["neuron"])
    count = api(browser, "frameCount()")
    assert count == len(order) + steps + 1 == 10 + 9 + 1
    phases = [api(browser, f"goto({k}), window.chainrule.frame().phase") for k in range(count)]
    assert phases == ["forward"] * len(order) + ["backward"] * steps + ["summary"]
    forward = captions(browser)[: len(order)]
    assert forward[0] == "x1 = 2.0, an input, a leaf"
    # every equation checks from its digits: -6.0 + 6.881 would be 0.881, not 0.8814
    assert "n = t3 + b = -6.0 + 6.8814 = 0.8814" in forward
    api(browser, "goto(arguments[0])", len(order))
    assert api(browser, "frame()")["caption"] == (
        "∂o/∂n = 1 − o² = 1 − 0.7071² = 0.5;  n.grad += 0.5 × 1.0 = 0.5"
    )
    api(browser, "goto(arguments[0])", count - 1)
    summary = api(browser, "frame()")["caption"]
    assert summary.startswith("∂o/∂leaf, largest |gradient| first")
    # largest |gradient| first (ties in the graph's order)
    assert summary.splitlines()[1] == "x1 -1.5, w1 1.0, x2 0.5, b 0.5, w2 0.0"


def captions(browser) -> list[str]:
    """Every frame's caption, in order."""
    return browser.execute_script(
        "const api = window.chainrule, out = [];"
        "for (let k = 0; k < api.frameCount(); k += 1) { api.goto(k); out.push(api.frame()); }"
        "api.goto(0); return out.map(f => f.caption);"
    )


def test_a_permalink_opens_at_its_step_and_the_address_follows(browser, pages):
    open_page(browser, pages["neuron"], "#step=12")
    assert api(browser, "frame()")["index"] == 12
    api(browser, "goto(3)")
    assert browser.execute_script("return location.hash") == "#step=3"


@pytest.mark.parametrize("build", [neuron, mlp_mse], ids=["neuron", "mlp"])
def test_what_if_gives_pythons_gradients_for_random_leaf_values(browser, pages, build: Build):
    page = pages["neuron" if build is neuron else "mlp"]
    open_page(browser, page)
    leaves = api(browser, "leaves()")
    _, python_leaves = build(None)
    assert sorted(leaves) == sorted(python_leaves)
    rng = random.Random(7)
    for _ in range(20):
        values = {name: rng.uniform(-2.0, 2.0) for name in leaves}
        for name, value in values.items():
            assert api(browser, "setLeaf(arguments[0], arguments[1])", name, value) is None
        root, _ = build(values)
        expected = python_grads(root)
        got = api(browser, "grads()")
        assert set(got) == set(expected)
        for name in expected:
            assert close(got[name], expected[name]), (name, got[name], expected[name])
    api(browser, "reset()")
    original, _ = build(None)
    assert close(api(browser, "values()")[original.label], original.data)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_domain_error_shows_pythons_message_and_the_page_stays_usable(browser, tmp_path, lang):
    x, w = Value(2.0, "x"), Value(3.0, "w")
    y = (x * w).log()
    y.label = "y"
    page = write_step_through(y, tmp_path / "log.html")
    open_page(browser, page)
    speak(browser, lang)
    error = api(browser, "setLeaf('x', -1)")
    with pytest.raises(MathError) as python, using_language(lang):
        (Value(-1.0, "x") * Value(3.0, "w")).log()
    assert error["kind"] == type(python.value).__name__ == "DomainError"
    assert error["message"] == str(python.value)
    assert api(browser, "error()") == f"DomainError: {python.value}"
    api(browser, "goto(4)")
    assert api(browser, "frame()")["index"] == 4
    assert api(browser, "setLeaf('x', 1)") is None and api(browser, "error()") is None
    assert close(api(browser, "grads()")["x"], 1 / 1.0)  # ∂ log(x·w)/∂x = 1/x


def test_the_active_edge_label_is_legible_on_the_mlp_page(browser, pages):
    open_page(browser, pages["mlp"])
    count = api(browser, "frameCount()")
    nodes = (
        count
        - 1
        - sum(1 for n in topological_order(mlp_mse()[0]) for p in n.parents if not p.is_constant)
    )
    for k in (nodes, nodes + 7, count - 2):
        api(browser, "goto(arguments[0])", k)
        heights = browser.execute_script(
            "return Array.from(document.querySelectorAll('g.edge.active text'))"
            ".map(t => t.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 10, (k, heights)


def test_the_mlp_page_is_small_and_loads_nothing(browser, pages):
    # laid out by Python under 1 MB; carrying viz-js to lay itself out, under 2 MB (#21)
    limit = 2_000_000 if browser_layout.in_browser("auto") else 1_000_000
    assert pages["mlp"].stat().st_size <= limit
    vendored = (WEB / browser_layout.VIZJS).read_text(encoding="utf-8")  # names, never loads,
    text = pages["mlp"].read_text(encoding="utf-8").replace(vendored, "")  # its sites' URLs
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text
    open_page(browser, pages["mlp"])
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_carries_the_op_tables_kernels_and_speaks_its_language(browser, pages, lang):
    # every op of the table with JavaScript, and no other; tests/test_engine_javascript.py
    # compares each of them with Python's at many numbers, in a harness of these scripts
    open_page(browser, pages["neuron"])
    speak(browser, lang)
    in_page = browser.execute_script("return Object.keys(chainrule_ops.kernels)")
    assert in_page == [name for name, op in OPS.items() if op.javascript]
    assert all(OPS[name].javascript for name in BUILTIN)
    got = browser.execute_script(
        "try { chainrule_ops.kernels.log(0); } catch (e) { return [e.kind, e.message]; }"
    )
    with pytest.raises(ValueError) as python, using_language(lang):
        OPS["log"].kernel(0.0)
    assert got == [refined(python.value).__name__, str(python.value)]


def test_python_number_formatting_is_reproduced(browser, pages):
    open_page(browser, pages["neuron"])
    rng = random.Random(5)
    numbers = [0.0, -0.0, 1.0, -2.5, 1e16, 1e-5, 123456.0, 0.0001, 1e308, 5e-324]
    numbers += [rng.uniform(-1, 1) * 10 ** rng.randint(-12, 20) for _ in range(200)]
    got = browser.execute_script(
        "return arguments[0].map(x => [chainrule_pyformat.repr(x),"
        " chainrule_pyformat.formatG(x, 6), chainrule_pyformat.number(x)])",
        numbers,
    )
    from chainrule.engine import format_number

    assert got == [[repr(x), format(x, "g"), format_number(x)] for x in numbers]


def test_keys_step_jump_and_play(browser, pages):
    from selenium.webdriver.common.keys import Keys

    open_page(browser, pages["neuron"])
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.END)
    assert api(browser, "frame()")["phase"] == "summary"
    body.send_keys(Keys.HOME)
    body.send_keys(Keys.ARROW_RIGHT)
    assert api(browser, "frame()")["index"] == 1
    body.send_keys(Keys.SPACE)
    assert browser.find_element("id", "play").get_attribute("aria-pressed") == "true"
    body.send_keys(Keys.SPACE)
    assert browser.find_element("id", "play").get_attribute("aria-pressed") == "false"


def test_a_narrow_screen_wraps_and_swipes(browser, pages):
    phone = browser  # the fixture undoes the phone's screen after the test
    emulate_screen(phone, 390, 800)
    open_page(phone, pages["mlp"])
    hint = phone.find_element("css selector", ".hint.keys")
    assert not hint.is_displayed()
    width = phone.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390
    phone.execute_script(
        "const c = document.getElementById('caption');"
        "c.dispatchEvent(new PointerEvent('pointerdown', {clientX: 300, bubbles: true}));"
        "c.dispatchEvent(new PointerEvent('pointerup', {clientX: 100, bubbles: true}));"
    )
    assert api(phone, "frame()")["index"] == 1


def test_the_page_shows_inline_in_a_notebook():
    root, _ = neuron()
    page = step_through_page(root, title="One <neuron>")
    frame = page._repr_html_()
    assert frame.startswith("<iframe") and "srcdoc=" in frame and "One &lt;neuron&gt;" in frame
    assert page.frame_count == 20


@pytest.mark.needs_dot  # in the SVG Python laid out; the browser's: test_viz_browser_layout
def test_unnamed_intermediates_get_short_names_shown_in_their_boxes():
    x = Value(2.0, "x")
    y = (x * x + 3 * x).tanh()
    names = display_names(topological_order(y))
    assert sorted(names.values()) == ["t1", "t2", "t3", "t4", "x"]
    page = step_through_page(y).html
    assert all(f">{name}<" in page for name in ("t1", "t2", "t3", "t4"))


def test_colour_is_never_the_only_signal_and_a_dark_theme_follows_the_system(browser, pages):
    open_page(browser, pages["neuron"])
    api(browser, "goto(11)")  # a backward step
    active = browser.execute_script(
        "return document.querySelector('g.edge.active path').getAttribute('stroke-dasharray')"
    )
    assert active  # the active edge is dashed as well as magenta
    grads = browser.execute_script(
        "return Array.from(document.querySelectorAll('#picture text'))"
        ".map(t => t.textContent).filter(t => t.startsWith('grad'))"
    )
    assert any(g.startswith("grad +") for g in grads) or any(g.startswith("grad -") for g in grads)
    caption = browser.find_element("id", "caption")
    assert caption.get_attribute("aria-live") == "polite"
    light = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    dark = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert light == "rgb(249, 250, 251)" and dark == "rgb(17, 24, 39)"


def test_zoom_buttons_and_fit_change_the_view(browser, pages):
    open_page(browser, pages["mlp"])
    view_box = "return document.querySelector('#picture svg').getAttribute('viewBox')"
    browser.find_element("id", "zoom-fit").click()
    full = [float(v) for v in browser.execute_script(view_box).split()]
    browser.find_element("id", "zoom-in").click()
    zoomed = [float(v) for v in browser.execute_script(view_box).split()]
    assert zoomed[2] < full[2] and zoomed[3] < full[3]
    browser.find_element("id", "zoom-out").click()
    browser.find_element("id", "zoom-out").click()
    assert float(browser.execute_script(view_box).split()[2]) > zoomed[2]
    # the wheel zooms in; a drag 100 px to the left moves the view to the right
    svg = "const svg = document.querySelector('#picture svg');"
    before = [float(v) for v in browser.execute_script(view_box).split()]
    browser.execute_script(
        svg + "svg.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: 400,"
        " clientY: 400, bubbles: true, cancelable: true}));"
    )
    wheeled = [float(v) for v in browser.execute_script(view_box).split()]
    assert wheeled[2] < before[2]
    browser.execute_script(
        svg + "const at = (type, x) => svg.dispatchEvent(new PointerEvent(type,"
        " {pointerId: 7, clientX: x, clientY: 400, bubbles: true}));"
        "at('pointerdown', 400); at('pointermove', 300); at('pointerup', 300);"
    )
    dragged = [float(v) for v in browser.execute_script(view_box).split()]
    assert dragged[0] > wheeled[0] and dragged[2] == wheeled[2]


def test_a_learners_op_without_a_javascript_twin_steps_through_its_recorded_numbers(
    browser, tmp_path
):
    from chainrule.engine import define_op

    cube = define_op("cube_page", lambda x: (x**3, 3 * x**2), formulas=("3·{a}²",))
    try:
        x = Value(2.0, "x")
        y = cube(x)
        y.label = "y"
        page = write_step_through(y, tmp_path / "cube.html")
    finally:
        del OPS["cube_page"]
    open_page(browser, page)
    api(browser, "goto(2)")
    assert (
        api(browser, "frame()")["caption"]
        == "∂y/∂x = 3·x² = 3·2.0² = 12.0;  x.grad += 12.0 × 1.0 = 12.0"
    )
    assert api(browser, "grads()") == {"x": 12.0, "y": 1.0}
    refused = api(browser, "setLeaf('x', 3)")
    assert refused["kind"] == "NoKernel" and "cube_page" in refused["message"]


def test_ops_and_leaves_named_like_javascripts_object_members_step_through(browser, tmp_path):
    """Ops and a leaf named constructor, toString, valueOf, __proto__ (#17): no lookup by
    name reaches Object.prototype, so the page steps through them like any other."""
    from chainrule.engine import define_op

    names = ("constructor", "toString", "valueOf", "__proto__")
    made = [define_op(name, value="2 * a", grads=["2"]) for name in names]
    try:
        node = Value(1.5, "__proto__")
        for op in made:
            node = apply(op, node)
        node.label = "out"
        page = write_step_through(node, tmp_path / "members.html")
    finally:
        for name in names:
            del OPS[name]
    open_page(browser, page)
    assert api(browser, "frameCount()") == 5 + 4 + 1
    api(browser, "goto(1)")
    assert (
        api(browser, "frame()")["caption"] == "t1 = constructor(__proto__) = constructor(1.5) = 3.0"
    )
    api(browser, "goto(8)")  # the last backward step: into the leaf
    assert (
        api(browser, "frame()")["caption"]
        == "∂t1/∂__proto__ = 2;  __proto__.grad += 2.0 × 8.0 = 16.0"
    )
    # JSON: WebDriver's own conversion of an object drops a key named __proto__
    grads = json.loads(browser.execute_script("return JSON.stringify(window.chainrule.grads())"))
    assert grads["__proto__"] == 16.0 and grads["out"] == 1.0
    # what-if: the ops' kernels came from the table, so the page recomputes them
    assert api(browser, "setLeaf('__proto__', 3)") is None
    grads = json.loads(browser.execute_script("return JSON.stringify(window.chainrule.grads())"))
    values = json.loads(browser.execute_script("return JSON.stringify(window.chainrule.values())"))
    assert grads["__proto__"] == 16.0 and values["out"] == 48.0
    tape = read_scripts(
        ("pyformat.js", "formula_runtime.js", OPS_SCRIPT, "backward.js", "playground/tape.js")
    )
    applied = browser.execute_script(
        tape + "\ntry { new chainrule_tape.Tape().apply('toString', [0]); return 'applied'; }"
        " catch (error) { return error.message; }"
    )
    assert applied == "the op toString has no JavaScript kernel"


def test_a_learners_formula_op_gets_what_if_in_the_page(browser, tmp_path, table):
    """The page of cube(x)·1.5 recomputes in JavaScript: its kernel came from the formulas."""
    from chainrule.engine import define_op

    cube = define_op("cube", value="a**3", grads=["3*a**2"])
    x = Value(2.0, "x")
    page = write_step_through(cube(x) * 1.5, tmp_path / "cube.html")
    open_page(browser, page)
    assert api(browser, "setLeaf('x', 3)") is None
    assert api(browser, "grads()")["x"] == 40.5  # 1.5 · 3 · 3²
    assert api(browser, "values()")["x"] == 3.0
