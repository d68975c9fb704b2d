"""The expression parser: the whitelist, the errors, and the graph it builds."""

import math

import pytest

from chainrule.expression import ExpressionError, parse


def test_builds_the_graph_with_labels_and_shared_variables():
    expr = parse("tanh(x*w + b)")
    assert expr.variables == ("x", "w", "b")
    root, _ = expr.build({"x": 2.0, "w": -3.0, "b": 6.5})
    assert root.label == "tanh(x*w + b)" and root.op == "tanh"
    assert root.data == math.tanh(2.0 * -3.0 + 6.5)
    assert root.parents[0].label == "x*w + b"
    square, leaves = parse("x * x").build({"x": 3.0})
    assert square.parents == (leaves["x"], leaves["x"])


def test_the_built_graph_has_the_right_gradients():
    # f = x/y − y² + 2^x + σ(x)·relu(y) + ln y + e^(−x) at x = 0.7, y = 1.3 (relu(y) = y):
    # ∂f/∂x = 1/y + 2^x ln 2 + σ(x)(1 − σ(x))·y − e^(−x)
    # ∂f/∂y = −x/y² − 2y + σ(x) + 1/y
    expr = parse("x/y - y**2 + 2**x + sigmoid(x)*relu(y) + log(y) + exp(-x)")
    root, leaves = expr.build({"x": 0.7, "y": 1.3})
    root.backward()
    s = 1 / (1 + math.exp(-0.7))
    expected_x = 1 / 1.3 + 2**0.7 * math.log(2) + s * (1 - s) * 1.3 - math.exp(-0.7)
    assert leaves["x"].grad == pytest.approx(expected_x, rel=1e-12)
    assert leaves["y"].grad == pytest.approx(-0.7 / 1.3**2 - 2 * 1.3 + s + 1 / 1.3, rel=1e-12)


@pytest.mark.parametrize(
    "source, message",
    [
        ("__import__('os').system('true')", "only the named functions can be called"),
        ("x.__class__", "attribute access"),
        ("open('f')", "unknown function 'open'"),
        ("[x for x in y]", "comprehensions"),
        ('"abc"', "strings are not allowed"),
        ("lambda: 1", "lambda"),
        ("", "empty"),
        ("   ", "empty"),
        ("x[0]", "indexing"),
        ("x < 1", "comparisons"),
        ("x // 2", "operator at this position"),
        ("~x", "operator at this position"),
        ("log(x, 2)", "exactly one argument"),
        ("exp(x=1)", "exactly one argument"),
        ("exp + 1", "exp is a function"),
        ("True + x", "True are not allowed"),
        ("x; y", "syntax error"),
        ("(" * 10_000 + "x" + ")" * 10_000, "characters long"),
    ],
)
def test_refuses_with_a_clear_message(source, message):
    with pytest.raises(ExpressionError, match=message):
        parse(source)


@pytest.mark.parametrize(
    "source", ["(" * 400 + "x" + ")" * 400, "-" * 900 + "x", "tanh(" * 150 + "x" + ")" * 150]
)
def test_deep_nesting_within_the_length_limit_never_crashes(source):
    try:
        expr = parse(source)
    except ExpressionError as error:
        assert "nested" in str(error) or "syntax error" in str(error)
    else:
        root, leaves = expr.build({"x": 0.5})
        root.backward()
        assert math.isfinite(leaves["x"].grad)


def test_syntax_errors_point_at_the_position():
    with pytest.raises(ExpressionError) as caught:
        parse("x +* 2")
    lines = str(caught.value).splitlines()
    assert lines[0] == "syntax error: invalid syntax"
    assert lines[1] == "  x +* 2"
    assert lines[2] == "     ^"


def test_missing_values_are_named():
    with pytest.raises(
        ExpressionError, match="no value for variables w, b: give one with --set w="
    ):
        parse("x*w + b").build({"x": 1.0})
