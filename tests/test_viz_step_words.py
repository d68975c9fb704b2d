"""The step-through page's words (#18): captions that check, what-if read as ``--set`` reads it,
the MLP page in the learner's order, and one name per node in the terminal, the SVG and the page.
"""

from __future__ import annotations

import argparse
import io
import math
import re
from pathlib import Path

import pytest
from chainrule.engine import Value, format_number, topological_order
from chainrule.nn import MLP, mse_loss
from chainrule.viz import draw_graph, write_step_through
from chainrule.viz.rendering import svg_texts

from chainrule.cli import _assignment
from chainrule.demo import neuron_with_parameters
from chainrule.step_command import print_forward, walk_steps
from chainrule.terminal import Style
from tests.graphs import neuron_with_leaves

pytestmark = [pytest.mark.needs_dot, pytest.mark.needs_chromium]


def demo_neuron() -> Value:
    """``chainrule demo``'s neuron: every node labelled but x1·w1 + x2·w2 (t1)."""
    root, _ = neuron_with_parameters()
    return root


def mlp() -> tuple[MLP, Value]:
    model = MLP(2, [3, 1], seed=1)
    loss = mse_loss(model([Value(0.5, "x[0]"), Value(-1.5, "x[1]")]), Value(0.25, "y"))
    loss.label = "C"
    return model, loss


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("words")
    model, loss = mlp()
    square = Value(0.3, "a") - Value(1.0, "y")
    square.label = "a - y"
    return {
        "neuron": write_step_through(demo_neuron(), folder / "neuron.html", title="neuron"),
        "mlp": write_step_through(loss, folder / "mlp.html", title="2-3-1 MLP", model=model),
        "power": write_step_through(square**2, folder / "power.html", title="power"),
    }


def open_page(browser, path: Path) -> None:
    browser.get(path.as_uri())
    browser.execute_script("return window.chainrule.frameCount()")


def api(browser, call: str, *args):
    return browser.execute_script(f"return window.chainrule.{call};", *args)


def captions(browser) -> list[str]:
    return browser.execute_script(
        "const api = window.chainrule, out = [];"
        "for (let k = 0; k < api.frameCount(); k += 1) { api.goto(k); out.push(api.frame()); }"
        "api.goto(0); return out.map(f => f.caption);"
    )


# --- 2. captions whose arithmetic checks --------------------------------------------------------


def test_a_caption_shows_the_digits_its_equation_needs(browser, pages):
    open_page(browser, pages["neuron"])
    assert api(browser, "setLeaf('x1', '1.5')") is None
    assert api(browser, "setLeaf('w1', '0.5')") is None
    texts = captions(browser)
    first = texts[api(browser, "frameCount()") - 10]  # the first backward frame: 9 steps, summary
    assert first == (
        "∂o/∂n = 1 − o² = 1 − 0.99999952956² = 9.409e-07;  n.grad += 9.409e-07 × 1.0 = 9.409e-07"
    )
    for text in texts:  # every product and sum, recomputed from its digits, gives what it shows
        for left, op, right, result in re.findall(
            r"(-?[\d.e+-]+) ([×+]) (-?[\d.e+-]+) = (-?[\d.e+-]+)", text
        ):
            again = float(left) * float(right) if op == "×" else float(left) + float(right)
            assert format_number(again) == result, text


def test_the_power_rule_is_written_with_its_number(browser, pages):
    open_page(browser, pages["power"])
    texts = captions(browser)
    assert any("∂t1/∂(a - y) = 2·(a - y) = 2·(-0.7) = -1.4" in text for text in texts), texts
    assert not any("^(" in text for text in texts)
    oval = browser.execute_script("return document.querySelector('#picture g.node[id^=op] text')")
    assert oval is not None
    svg = browser.execute_script("return document.querySelector('#picture svg').textContent")
    assert "x²" in svg and "x^2" not in svg


# --- 4. what-if read exactly as --set reads it --------------------------------------------------

PARSE_TABLE = [
    "1.5",
    " 2 ",
    "-3",
    "+4.25",
    "1e3",
    "1E-3",
    "1_000",
    "1_000.5_5",
    "1e1_0",
    "1__0",
    "_1",
    "1_",
    "0x10",
    "0b1",
    "abc",
    "",
    "  ",
    "1e400",
    "-1e400",
    "inf",
    "-Infinity",
    "nan",
    "1.",
    ".5",
    ".",
    "1e",
    "١٢",
    "\u00a01.5\u2003",
    "1,5",
    "\u22121",
    "1 2",
    "\t7\n",
    None,
    True,
    False,
    16,
    -0.5,
    1e300,
    [],
]


def python_reads(value: object) -> float | None:
    """What ``chainrule step --set x1=VALUE`` makes of ``value`` (None: it refuses it)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = value if isinstance(value, str) else repr(float(value))
    try:
        return _assignment(f"x1={text}")[1]
    except argparse.ArgumentTypeError:
        return None


def test_set_leaf_accepts_and_refuses_what_python_does(browser, pages):
    open_page(browser, pages["neuron"])
    accepted = 0
    for value in PARSE_TABLE:
        api(browser, "reset()")
        expected = python_reads(value)
        error = api(browser, "setLeaf('x1', arguments[0])", value)
        got = api(browser, "values()")["x1"]
        if expected is None:
            assert error is not None and error["kind"] == "ValueError", value
            assert error["message"].startswith("x1: "), value
            assert got == 2.0, value  # the graph keeps its value
        else:
            accepted += 1
            assert error is None, (value, error)
            assert got == expected and math.copysign(1, got) == math.copysign(1, expected), value
    assert 10 < accepted < len(PARSE_TABLE) - 10


def test_a_refused_entry_keeps_its_text_and_says_why_beside_the_field(browser, pages):
    open_page(browser, pages["neuron"])
    field = browser.find_element("css selector", "#leaves input[aria-label='value of x1']")
    assert field.get_attribute("value") == "2.0"
    field.clear()
    field.send_keys("abc")
    browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", field)
    assert field.get_attribute("value") == "abc"
    note = browser.find_element("id", field.get_attribute("aria-describedby"))
    assert note.is_displayed() and note.text == "x1: 'abc' is not a number"
    assert api(browser, "values()")["x1"] == 2.0 and api(browser, "error()") == note.text
    field.clear()
    field.send_keys("1_000")
    browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", field)
    assert not note.is_displayed() and api(browser, "values()")["x1"] == 1000.0
    assert field.get_attribute("value") == "1_000" and api(browser, "error()") is None


def test_a_math_error_names_the_leaf_not_a_python_repr(browser, tmp_path):
    x = Value(2.0, "x")
    page = write_step_through(x.log(), tmp_path / "log.html")
    open_page(browser, page)
    error = api(browser, "setLeaf('x', '-1')")
    assert error["message"].endswith("(in log of x = -1.0)")
    assert "Value(" not in api(browser, "error()")


# --- 5. the MLP page in the learner's order -----------------------------------------------------


def test_the_mlp_forward_frames_go_inputs_layer_by_layer_then_the_loss(browser, pages):
    open_page(browser, pages["mlp"])
    _, loss = mlp()
    nodes = len(topological_order(loss))
    forward = captions(browser)[:nodes]
    assert forward[0].startswith("x[0] = 0.5") and forward[1].startswith("x[1] = -1.5")

    def first(prefix: str) -> int:
        return next(k for k, text in enumerate(forward) if text.startswith(prefix))

    def last(prefix: str) -> int:
        return max(k for k, text in enumerate(forward) if text.startswith(prefix))

    assert last("W[1]") < first("W[2]") and last("b[1]") < first("W[2]")
    assert first("0.5 is a constant") > last("W[2]") and first("y = ") > last("b[2]")
    assert forward[-1].startswith("C = ")
    # inside layer 1, neuron by neuron: each neuron's weights before the next neuron's
    assert last("W[1][0]") < first("W[1][1]") < last("W[1][1]") < first("W[1][2]")


def test_the_mlp_what_if_list_goes_layer_by_layer(browser, pages):
    open_page(browser, pages["mlp"])
    leaves = api(browser, "leaves()")
    assert leaves[:2] == ["x[0]", "x[1]"]
    layer = [int(re.match(r"[Wb]\[(\d)\]", name).group(1)) for name in leaves[2:-1]]
    assert layer == sorted(layer) and leaves[-1] == "y"


def test_the_mlp_summary_is_a_sorted_table_by_layer_that_leaves_the_graph_in_view(browser, pages):
    open_page(browser, pages["mlp"])
    browser.set_window_size(1400, 900)
    api(browser, "goto(window.chainrule.frameCount() - 1)")
    groups = browser.execute_script(
        "return Array.from(document.querySelectorAll('#caption .summary-group'))"
        ".map(g => g.textContent)"
    )
    assert groups == ["inputs", "layer 1", "output layer 2", "loss"]
    rows = browser.execute_script(
        "const out = []; let group = null;"
        "for (const el of document.querySelectorAll('#caption .summary-table > span')) {"
        "  if (el.classList.contains('summary-group')) { group = []; out.push(group); }"
        "  else { group.push([el.dataset.leaf, window.chainrule.grads()[el.dataset.leaf]]); } }"
        "return out;"
    )
    for group in rows:
        sizes = [abs(grad) for _, grad in group]
        assert sizes == sorted(sizes, reverse=True), group
    assert all(name.startswith(("W[1]", "b[1]")) for name, _ in rows[1])
    caption = browser.execute_script(
        "return document.getElementById('caption').getBoundingClientRect().height"
    )
    picture = browser.execute_script(
        "return document.getElementById('picture').getBoundingClientRect().top"
    )
    assert caption < 200 and picture < 450, (caption, picture)  # the graph stays in view


# --- 6. one name per node -----------------------------------------------------------------------


def test_one_name_per_node_in_the_terminal_the_svg_and_the_page(browser, pages):
    out = io.StringIO()
    root = demo_neuron()
    names = print_forward(root, out, Style(False))
    walk_steps(list(root.backward_steps()), out, Style(False), None, names)
    terminal = out.getvalue()
    assert "t1 = x1w1 + x2w2 = -6.0" in terminal  # the forward listing has it …
    assert "t1.grad += 1.0 × 0.5 = 0.5" in terminal  # … and the backward pass names it so
    assert "(x1w1+x2w2).grad" not in terminal
    (svg,) = svg_texts([draw_graph(demo_neuron())])
    assert ">t1</text>" in svg  # its box in the diagram
    open_page(browser, pages["neuron"])
    assert "t1" in api(browser, "values()")
    page_svg = browser.execute_script("return document.querySelector('#picture svg').outerHTML")
    assert ">t1</text>" in page_svg
    texts = captions(browser)
    assert any(text.startswith("t1 = x1w1 + x2w2 = ") for text in texts)
    assert any("t1.grad += 1.0 × 0.5 = 0.5" in text for text in texts)


def test_the_tests_neuron_names_agree_too():
    root, _ = neuron_with_leaves()
    out = io.StringIO()
    names = print_forward(root, out, Style(False))
    assert sorted(v for v in names.values() if v.startswith("t")) == ["t1", "t2", "t3"]


def test_the_page_and_the_terminal_choose_the_same_digits(browser, pages):
    import random

    from chainrule.engine import agreeing

    open_page(browser, pages["neuron"])
    rng = random.Random(18)
    cases = []
    for _ in range(300):
        a = rng.choice([1.0, -1.0]) * 10 ** rng.uniform(-8, 8)
        b = rng.choice([1.0, -1.0]) * 10 ** rng.uniform(-8, 8)
        cases.append([a, b, 1.0 - a * a])
    got = browser.execute_script(
        "return arguments[0].map(c => [chainrule_pyformat.agreeing([c[0], c[1]],"
        " xs => xs[0] * xs[1], c[0] * c[1]), chainrule_pyformat.agreeing([c[0]],"
        " xs => 1 - xs[0] * xs[0], c[2])]);",
        cases,
    )
    for (a, b, square), (product, tanh_like) in zip(cases, got, strict=True):
        assert agreeing([a, b], lambda xs: xs[0] * xs[1], a * b) == product
        assert agreeing([a], lambda xs: 1 - xs[0] * xs[0], square) == tanh_like
