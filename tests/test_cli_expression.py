"""The expression parser: the whitelist, the errors, and the graph it builds."""

import math

import pytest
from chainrule.engine import OPS, Constant, define_op, topological_order
from chainrule.engine.value import mul, neg, pow_, power, tanh

from chainrule.expression import ExpressionError, parse


def test_builds_the_graph_with_labels_and_shared_variables():
    expr = parse("tanh(x*w + b)")
    assert expr.variables == ("x", "w", "b")
    root, _ = expr.build({"x": 2.0, "w": -3.0, "b": 6.5})
    assert root.label == "tanh(x*w + b)" and root.op is tanh
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


def test_numbers_are_constants_and_only_variables_get_gradients():
    # f = 2·x − 1 at x = 4: ∂f/∂x = 2; the 2 and the 1 are constants, grad 0, no step
    root, leaves = parse("2*x - 1").build({"x": 4.0})
    two, one = root.parents[0].parents[0], root.parents[1]
    assert isinstance(two, Constant) and isinstance(one, Constant)
    assert (two.data, one.data) == (2.0, 1.0)
    assert not leaves["x"].is_constant
    steps = list(root.backward_steps())
    assert [step.parent for step in steps] == [root.parents[0], leaves["x"]]
    assert leaves["x"].grad == 2.0 and two.grad == one.grad == 0.0


def test_a_minus_before_a_number_is_one_negative_constant():
    root, leaves = parse("x * -2").build({"x": 3.0})
    assert root.op is mul and root.parents[0] is leaves["x"]
    constant = root.parents[1]
    assert isinstance(constant, Constant) and constant.data == -2.0
    assert all(node.op is not neg for node in topological_order(root))
    root.backward()
    assert leaves["x"].grad == -2.0  # ∂(−2x)/∂x
    # a minus before a variable or a sum is still an operation
    negated, _ = parse("-x").build({"x": 3.0})
    assert negated.op is neg
    assert parse("-(x + 1)").build({"x": 3.0})[0].op is neg


@pytest.mark.parametrize(
    "source, x, value, grad",
    [
        ("x**2", -3.0, 9.0, -6.0),  # ∂x²/∂x = 2x = −6
        ("x**2", 0.0, 0.0, 0.0),  # 2·0 = 0
        ("x**3", -2.0, -8.0, 12.0),  # 3x² = 12
        ("x**-1", -2.0, -0.5, -0.25),  # −x⁻² = −1/4
        ("x ** -2", 2.0, 0.25, -0.25),  # −2x⁻³ = −2/8
    ],
)
def test_a_number_exponent_is_the_power_op_so_any_real_base_works(source, x, value, grad):
    root, leaves = parse(source).build({"x": x})
    assert root.op is power and len(root.parents) == 1
    assert root.attrs == (float(source.split("**")[1]),)
    root.backward()
    assert (root.data, leaves["x"].grad) == (value, grad)


def test_powers_of_numbers_and_of_a_constant_base():
    squared, _ = parse("(-2)**2").build({})
    assert squared.op is power and squared.attrs == (2.0,) and squared.data == 4.0
    assert squared.parents[0].is_constant and squared.parents[0].data == -2.0
    assert list(squared.backward_steps()) == []
    # f = ½(a − y)² at a = 0.3, y = 1: ∂f/∂a = a − y = −0.7, ∂f/∂y = −(a − y) = 0.7
    root, leaves = parse("0.5*(a - y)**2").build({"a": 0.3, "y": 1.0})
    root.backward()
    assert root.data == pytest.approx(0.245, rel=1e-12)
    assert leaves["a"].grad == pytest.approx(-0.7, rel=1e-12)
    assert leaves["y"].grad == pytest.approx(0.7, rel=1e-12)
    # a number to a variable power is the pow op: ∂(2^x)/∂x = 2^x·ln 2
    root, leaves = parse("2**x").build({"x": 3.0})
    assert root.op is pow_ and root.parents[0].is_constant
    root.backward()
    assert leaves["x"].grad == pytest.approx(8 * math.log(2), rel=1e-12)


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
        ("x // 2", "the operator // is not allowed"),
        ("~x", "operator at this position"),
        ("log(x, 2)", r"log\(\) takes 1 argument\(s\), as in log\(x\)"),
        ("exp(x=1)", r"exp\(\) takes 1 argument\(s\), as in exp\(x\)"),
        ("power(x, y)", r"power\(\)'s k must be a number, as in power\(x, 2\)"),
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


@pytest.mark.parametrize(
    "source, column, words",
    [
        ("x ^ 2", 2, "write powers with **, as in x ** 2"),
        ("(x + 1)^3", 7, "as in (x + 1) ** 3"),
        ("tanh(x) % 2", 8, "the operator % is not allowed"),
        ("2 * (x // 3)", 7, "the operator // is not allowed"),
        ("x*", 2, "the expression ends with *"),
        ("x ** ", 4, "the expression ends with **"),
        ("tanh(x", 4, "'(' was never closed"),
        ("x +* 2", 3, "invalid syntax"),
    ],
)
def test_the_caret_points_at_the_offending_column(source, column, words):
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    assert caught.value.column == column
    message, shown, caret = str(caught.value).splitlines()
    assert words in message
    assert shown == f"  {source.strip()}" and caret == "  " + " " * column + "^"


def test_missing_values_are_named():
    with pytest.raises(
        ExpressionError, match="no value for variables w, b: give one with --set w="
    ):
        parse("x*w + b").build({"x": 1.0})


def test_every_op_of_the_table_is_a_function_of_the_expression_language(table):
    # the list of functions is the op table: a learner's op is one as soon as it is defined
    define_op("cube", value="a**3", grads=["3*a**2"])
    for name, op in OPS.items():
        call = f"{name}({', '.join(['x', 'y'][: op.arity] + ['2'] * len(op.attrs))})"
        root, _ = parse(call).build({"x": 1.5, "y": 0.5})
        assert root.op is op, call
    assert parse("cube(x)").build({"x": 2.0})[0].data == 8.0
