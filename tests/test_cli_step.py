"""``chainrule step``: through a pipe, through a terminal (Enter, b, q), and its errors."""

import json
import math
import re
import xml.etree.ElementTree as ET

import pytest
from chainrule.engine import OPS

from tests.cli_helpers import Terminal, chainrule

NEURON = ["step", "tanh(x*w + b)", "--set", "x=2", "--set", "w=-3", "--set", "b=6.88"]


def test_piped_output_prints_forward_values_every_step_and_the_gradients():
    result = chainrule(*NEURON)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "x*w + b = 0.88" in out
    assert "tanh(x*w + b) = 0.7064" in out
    assert out.count("step ") == 5  # tanh, +, + (b), * (x), * (w): one line per edge
    assert "step 1/5  (x*w + b).grad += 0.501 × 1.0 = 0.501" in out
    assert "(∂tanh(x*w + b)/∂(x*w + b) = 1 − tanh(x*w + b)² = 1 − 0.7064² = 0.501)" in out
    assert "step 5/5  w.grad += 2.0 × 0.501 = 1.002   (∂(x*w)/∂w = x)" in out
    assert "∂f/∂w = 1.002" in out
    assert "\033[" not in out  # no colour when stdout is not a terminal


def test_interactive_stepping_with_enter_back_and_quit():
    term = Terminal(*NEURON, NO_COLOR="1")
    term.read_until("Enter: next step   b: back one step   q: quit")
    term.read_until("> ")
    term.send("\n")
    assert "step 1/5" in term.read_until("> ")
    term.send("\n")
    assert "step 2/5" in term.read_until("> ")
    term.send("b\n")
    back = term.read_until("> ")
    assert "step 1/5" in back and "↩" in back
    term.send("\n")
    assert "step 2/5" in term.read_until("> ")
    term.send("q\n")
    assert term.finish() == 0
    assert "stopped before the end" in term.output
    assert "step 3/5" not in term.output


def test_interactive_stepping_to_the_end_prints_the_gradients_in_colour():
    term = Terminal(*NEURON)
    for _ in range(5):
        term.read_until("> ")
        term.send("\n")
    assert term.finish() == 0
    assert "∂f/∂w = 1.002" in term.output
    assert "\033[" in term.output  # a terminal without NO_COLOR gets colour


def test_no_pause_on_a_terminal_prints_everything_at_once():
    term = Terminal(*NEURON, "--no-pause", NO_COLOR="1")
    assert term.finish() == 0
    assert "step 5/5" in term.output and "> " not in term.output
    assert "\033[" not in term.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["step", "__import__('os').system('true')"], "only the named functions can be called"),
        (["step", "x.__class__"], "attribute access"),
        (["step", "open('f')"], "unknown function 'open'"),
        (["step", "[x for x in y]"], "comprehensions"),
        (["step", '"abc"'], "strings are not allowed"),
        (["step", "lambda: 1"], "lambda"),
        (["step", ""], "empty"),
        (["step", "(" * 10_000 + "x" + ")" * 10_000], "characters long"),
        (["step", "x*w", "--set", "x=1"], "no value for variable w"),
        (["step", "x", "--set", "x=1", "--set", "y=2"], "has no variable y"),
        (["step", "x", "--set", "x"], "expected NAME=VALUE"),
        (["step", "x", "--set", "x=abc"], "'abc' is not a number"),
        (["step", "x", "--set", "x=nan"], "finite"),
        (["step", "foo(x)", "--set", "x=1"], "the functions are " + ", ".join(OPS)),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(args, message):
    result = chainrule(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_syntax_errors_show_a_caret_under_the_position():
    result = chainrule("step", "x +* 2", "--set", "x=1")
    assert result.returncode == 2
    assert "  x +* 2\n     ^" in result.stderr


@pytest.mark.parametrize(
    "expr, value, message",
    [
        ("log(x)", "-1", "log needs a positive input"),
        ("1 / x", "0", "division by zero"),
        ("exp(x)", "1000", "exp overflow"),
    ],
)
def test_math_errors_exit_1_naming_the_op_and_value(expr, value, message):
    result = chainrule("step", expr, "--set", f"x={value}")
    assert result.returncode == 1
    assert "math error" in result.stderr and message in result.stderr
    assert value in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, lines",
    [
        # f = x² at x = −3: ∂f/∂x = 2x = −6 (the 2 is a constant exponent, not a Value base)
        (["x**2", "--set", "x=-3"], ["x² = 9.0", "∂f/∂x = -6.0"]),
        # f = x² at x = 0: ∂f/∂x = 2·0 = 0
        (["x**2", "--set", "x=0"], ["x² = 0.0", "∂f/∂x = 0.0"]),
        # f = x³ at x = −2: ∂f/∂x = 3x² = 12
        (["x**3", "--set", "x=-2"], ["x³ = -8.0", "∂f/∂x = 12.0"]),
        # f = ½(a − y)² at a = 0.3, y = 1: ∂f/∂a = a − y = −0.7, ∂f/∂y = y − a = 0.7
        (
            ["0.5*(a - y)**2", "--set", "a=0.3", "--set", "y=1"],
            ["0.5*(a - y)² = 0.245", "∂f/∂a = -0.7", "∂f/∂y = 0.7"],
        ),
        # a number alone, squared: no variable, so no step and no gradient
        (["(-2)**2"], ["(-2)² = 4.0"]),
        # the minus belongs to the number: f = x·(−2), ∂f/∂x = −2, one step
        (
            ["x * -2", "--set", "x=3"],
            ["x * -2 = -6.0", "step 1/1  x.grad += -2.0 × 1.0", "∂f/∂x = -2.0"],
        ),
    ],
)
def test_numbers_are_constants_so_powers_of_negative_and_zero_bases_work(args, lines):
    result = chainrule("step", *args)
    assert result.returncode == 0, result.stderr
    for line in lines:
        assert line in result.stdout
    if len(args) == 1:
        assert "step 1/" not in result.stdout and "∂f/∂" not in result.stdout


def test_no_step_goes_into_a_number_of_the_formula():
    # f = x·x + 3·x at x = 2: ∂f/∂x = 2x + 3 = 7, in 5 steps (+ → x·x, + → 3·x, 3·x → x,
    # and x·x → x twice); the edge 3·x → 3 carries nothing and is no step
    result = chainrule("step", "x*x + 3*x", "--set", "x=2")
    assert result.returncode == 0, result.stderr
    steps = [line.split("  ", 2)[2] for line in result.stdout.splitlines() if "  step " in line]
    assert len(steps) == 5 and "step 5/5" in result.stdout
    assert not [step for step in steps if step.startswith("3.0.grad +=")]
    assert "  step 3/5  x.grad += 3.0 × 1.0 = 3.0   (∂(3*x)/∂x = 3.0)" in result.stdout
    assert "∂f/∂x = 7.0" in result.stdout


def test_a_bare_number_is_its_own_forward_pass():
    result = chainrule("step", "-2")
    assert result.returncode == 0, result.stderr
    assert "-2.0 = -2.0" in result.stdout and "step " not in result.stdout


def test_help_and_version():
    assert "--no-pause" in chainrule("step", "--help").stdout
    version = chainrule("--version")
    assert version.returncode == 0 and version.stdout.startswith("chainrule ")


def step_page_graph(html: str) -> dict:
    """The graph a step-through page (viz/step_page.py) embeds, after checking it is one."""
    assert html.count("<svg") == 1 and "window.chainrule = {" in html
    data = re.search(
        r'<script type="application/json" id="chainrule-graph">(.*?)</script>', html, re.S
    )
    return json.loads(data.group(1))


@pytest.mark.needs_dot
def test_html_and_svg_outputs(tmp_path):
    html, svg = tmp_path / "steps.html", tmp_path / "final.svg"
    result = chainrule(*NEURON, "--html", str(html), "--svg", str(svg))
    assert result.returncode == 0, result.stderr
    assert f"wrote {html}" in result.stdout and f"wrote {svg}" in result.stdout
    page = html.read_text(encoding="utf-8")
    assert "<title>tanh(x*w + b)</title>" in page
    nodes = step_page_graph(page)["nodes"]
    assert [(node["name"], node["data"]) for node in nodes] == [
        ("x", 2.0),
        ("w", -3.0),
        ("x*w", -6.0),
        ("b", 6.88),
        ("x*w + b", 2.0 * -3.0 + 6.88),
        ("tanh(x*w + b)", math.tanh(2.0 * -3.0 + 6.88)),
    ]
    steps = sum(1 for node in nodes for p in node["parents"] if not nodes[p]["constant"])
    assert steps == 5  # as many backward frames as the printed steps
    drawing = ET.parse(svg).getroot()
    assert drawing.tag.endswith("svg")
    text = "".join(drawing.itertext())
    assert "x*w + b" in text and "1.002" in text  # labels and w's gradient


@pytest.mark.needs_dot
@pytest.mark.needs_chromium
def test_the_html_page_steps_through_what_the_terminal_printed(browser, tmp_path):
    html = tmp_path / "steps.html"
    result = chainrule("step", "x*x + 3*x", "--set", "x=2", "--html", str(html))
    assert result.returncode == 0, result.stderr
    browser.get(html.as_uri())
    api = "return window.chainrule."
    assert browser.title == "x*x + 3*x"
    # x, x*x, 3 (a constant), 3*x, the sum: 5 forward, 5 backward (as printed), a summary
    assert browser.execute_script(api + "frameCount()") == 5 + 5 + 1
    assert browser.execute_script(api + "leaves()") == ["x"]
    assert browser.execute_script(api + "grads()")["x"] == 7.0  # "∂f/∂x = 7.0"
    captions = browser.execute_script(
        "const api = window.chainrule, out = [];"
        "for (let k = 0; k < api.frameCount(); k += 1) { api.goto(k); out.push(api.frame()); }"
        "return out.map(f => f.caption);"
    )
    # the terminal's five steps (none into the number 3), in its order, with its numbers
    printed = re.findall(r"step \d/5  \(?(.+?)\)?\.grad \+= (\S+ × \S+ = \S+)", result.stdout)
    shown = [
        re.search(r";  \(?(.+?)\)?\.grad \+= (\S+ × \S+ = \S+)", c).groups() for c in captions[5:10]
    ]
    assert len(printed) == 5 and shown == printed
    assert captions[-1].endswith(
        "raising a leaf by 0.01 changes x*x + 3*x by about 0.01 × its gradient\nx 7.0"
    )
