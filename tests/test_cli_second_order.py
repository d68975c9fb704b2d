"""``chainrule step --order N`` and ``chainrule newton``: second derivatives from the command.

Every expected number is derived by hand in the comment beside it.
"""

import math
import re
import shlex
import xml.etree.ElementTree as ET

import pytest

from tests.cli_helpers import ROOT, chainrule
from tests.test_cli_step import step_page_graph

QUARTIC = ["x**4 - 2*x**2", "--set", "x=2"]


def second_derivatives(out: str) -> dict[str, float]:
    """``∂²f/∂x∂y = 1.0`` lines: {"∂²f/∂x∂y": 1.0}."""
    return {
        name: float(number) for name, number in re.findall(r"^  (∂\S*f/\S+) = (\S+)$", out, re.M)
    }


def test_order_1_is_todays_step():
    plain = chainrule("step", "tanh(x*w)", "--set", "x=2", "--set", "w=0.5")
    first = chainrule("step", "tanh(x*w)", "--set", "x=2", "--set", "w=0.5", "--order", "1")
    assert plain.returncode == first.returncode == 0, plain.stderr + first.stderr
    assert first.stdout == plain.stdout


def test_order_2_steps_the_backward_pass_of_the_derivative():
    # f = x·y + x², at (3, 2): ∂f/∂x = y + 2x = 8 (a graph); its gradients are the second
    # derivatives ∂²f/∂x² = 2 and ∂²f/∂x∂y = 1
    result = chainrule("step", "x*y + x**2", "--set", "x=3", "--set", "y=2", "--order", "2")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "∂f/∂x of f = x*y + x**2, as a graph" in out
    assert "create_graph=True" in out
    assert re.search(r"∂f/∂x = .*8\.0", out)  # the root of the recorded pass, f′ = 8
    assert "made a node by create_graph" in out or "chain rule:" in out  # roles listed
    assert "Backward pass of ∂f/∂x: parent.grad += ∂node/∂parent × node.grad" in out
    assert "step 1/" in out
    assert "Second derivatives of f (the gradients of ∂f/∂x)" in out
    assert second_derivatives(out) == {"∂²f/∂x²": 2.0, "∂²f/∂x∂y": 1.0}


def test_wrt_picks_the_variable():
    # f = x·y + x²: ∂f/∂y = x = 3, the leaf itself; ∂²f/∂y∂x = 1, ∂²f/∂y² = 0
    args = ["x*y + x**2", "--set", "x=3", "--set", "y=2", "--order", "2", "--wrt", "y"]
    result = chainrule("step", *args)
    assert result.returncode == 0, result.stderr
    assert second_derivatives(result.stdout) == {"∂²f/∂y∂x": 1.0, "∂²f/∂y²": 0.0}


def test_order_2_of_tanh_gives_its_second_derivative():
    # t = tanh x: t″ = −2t(1 − t²)
    result = chainrule("step", "tanh(x)", "--set", "x=0.5", "--order", "2")
    assert result.returncode == 0, result.stderr
    t = math.tanh(0.5)
    (value,) = second_derivatives(result.stdout).values()
    assert value == pytest.approx(-2 * t * (1 - t * t), abs=1e-3)  # printed to 4 figures


def test_order_3_differentiates_twice_then_steps():
    # f = x⁴ at x = 2: f″ = 12x² = 48 is the graph; its gradient f‴ = 24x = 48
    result = chainrule("step", "x**4", "--set", "x=2", "--order", "3")
    assert result.returncode == 0, result.stderr
    assert "Backward pass of ∂²f/∂x²:" in result.stdout
    assert "Third derivatives of f (the gradients of ∂²f/∂x²)" in result.stdout
    assert second_derivatives(result.stdout) == {"∂³f/∂x³": 48.0}


def test_a_derivative_that_is_a_number_has_zero_second_derivatives():
    # f = 3x: ∂f/∂x = 3, a constant: nothing to step, ∂²f/∂x² = 0
    result = chainrule("step", "3*x", "--set", "x=1", "--order", "2")
    assert result.returncode == 0, result.stderr
    assert "step 1/" not in result.stdout
    assert second_derivatives(result.stdout) == {"∂²f/∂x²": 0.0}


@pytest.mark.parametrize(
    "args, message",
    [
        (["x*y", "--set", "x=1", "--set", "y=2", "--order", "2", "--wrt", "z"],
         "--wrt z: the expression has no variable z (its variables: x, y)"),
        (["x", "--set", "x=1", "--wrt", "x"], "for --order 2 or more"),
        (["x", "--set", "x=1", "--order", "5"], "the order is 1 (the gradient) to 4"),
        (["x", "--set", "x=1", "--order", "0"], "the order is 1 (the gradient) to 4"),
        (["x", "--set", "x=1", "--order", "two"], "'two' is not a whole number"),
        (["2*3", "--order", "2"], "no variable to differentiate by"),
    ],
)  # fmt: skip
def test_order_usage_errors_exit_2(args, message):
    result = chainrule("step", *args)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.needs_dot
def test_order_2_writes_the_page_and_the_diagram_of_the_derivative(tmp_path):
    html, svg = tmp_path / "d.html", tmp_path / "d.svg"
    args = ["tanh(x*w)", "--set", "x=2", "--set", "w=0.5", "--order", "2"]
    result = chainrule("step", *args, "--html", str(html), "--svg", str(svg))
    assert result.returncode == 0, result.stderr
    assert f"wrote {html}" in result.stdout and f"wrote {svg}" in result.stdout
    page = html.read_text(encoding="utf-8")
    assert "<title>∂f/∂x of tanh(x*w)</title>" in page
    nodes = step_page_graph(page)["nodes"]
    # the root is ∂f/∂x = w·(1 − tanh(xw)²) = 0.5·(1 − tanh(1)²)
    assert nodes[-1]["data"] == pytest.approx(0.5 * (1 - math.tanh(1.0) ** 2), rel=1e-12)
    assert ET.parse(svg).getroot().tag.endswith("svg")


def test_newton_on_the_quartic_prints_the_iterates_to_one():
    # f = x⁴ − 2x², f′ = 4x³ − 4x, f″ = 12x² − 4; from 2: 2 − 24/44 = 1.4545…, … → 1
    result = chainrule("newton", *QUARTIC)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "x: 2.0000 → 1.4545 → 1.1510 → 1.0253 → 1.0009 → 1.0000" in out
    rows = {
        int(k): [float(v) for v in rest.split()]
        for k, rest in re.findall(r"^\s+(\d+)\s+(\S+\s+\S+\s+\S+\s+\S+)$", out, re.M)
    }
    assert rows[0] == [2.0, 8.0, 24.0, 44.0]  # f(2) = 16 − 8, f′(2) = 32 − 8, f″(2) = 48 − 4
    assert rows[1][0] == pytest.approx(2 - 24 / 44, abs=1e-14)
    assert abs(rows[7][0] - 1.0) < 1e-12
    assert "is a stationary point of f, a minimum (f″ > 0)" in out


def test_newton_steps_limits_the_table():
    result = chainrule("newton", *QUARTIC, "--steps", "2")
    assert result.returncode == 0, result.stderr
    assert "x: 2.0000 → 1.4545 → 1.1510   (4 places)" in result.stdout
    assert "not yet 0: more --steps may get closer" in result.stdout


def test_newton_where_f_second_is_zero_exits_1_with_a_message():
    # f = x³ − 3x at 0: f′ = −3, f″ = 6x = 0, no Newton step
    result = chainrule("newton", "x**3 - 3*x", "--set", "x=0")
    assert result.returncode == 1
    assert "f″(x) = 0 at x = 0 (iterate 0)" in result.stderr
    assert "start from another x" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["x*y", "--set", "x=1", "--set", "y=2"], "one variable; 'x*y' has 2: x, y"),
        (["3"], "has none"),
        (["x**2"], "no start for x: give one with --set x=NUMBER"),
        (["x**2", "--set", "y=1"], "has no variable y"),
        (["x**2", "--set", "x=1", "--steps", "0"], "must be a positive int"),
        (["x**2", "--set", "x=1", "--steps", "101"], "at most 100 steps"),
        (["x**2", "--set", "x=1", "--at", "11"], "--at 11: there are only iterates 0 to 10"),
        (["x**2", "--set", "x=1", "--at", "-1"], "numbered from 0"),
    ],
)
def test_newton_usage_errors_exit_2(args, message):
    result = chainrule("newton", *args)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_newton_math_errors_exit_1():
    result = chainrule("newton", "log(x)", "--set", "x=-1")
    assert result.returncode == 1
    assert "math error" in result.stderr and "log needs a positive input" in result.stderr


@pytest.mark.needs_dot
def test_newton_writes_the_graph_of_f_prime_at_an_iterate(tmp_path):
    html, svg = tmp_path / "k1.html", tmp_path / "k1.svg"
    args = [*QUARTIC, "--html", str(html), "--svg", str(svg), "--at", "1"]
    result = chainrule("newton", *args)
    assert result.returncode == 0, result.stderr
    assert f"wrote {html}" in result.stdout and f"wrote {svg}" in result.stdout
    page = html.read_text(encoding="utf-8")
    assert "iterate 1)</title>" in page
    nodes = step_page_graph(page)["nodes"]
    x1 = 2 - 24 / 44
    assert nodes[-1]["data"] == pytest.approx(4 * x1**3 - 4 * x1, rel=1e-12)  # f′ at x₁
    again = chainrule("newton", *args)
    assert again.returncode == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(
    "command", ['chainrule step "x**3" --set x=2 --order 2', 'chainrule newton "x**4 - 2*x**2"']
)
def test_the_readmes_transcripts_are_what_the_commands_print(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```text\n\$ (" + re.escape(command) + r".*?)\n(.*?)```", readme, re.S)
    assert match, f"the README has no transcript of {command}"
    result = chainrule(*shlex.split(match.group(1))[1:], NO_COLOR="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == match.group(2)
