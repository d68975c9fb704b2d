"""The fast path is only an optimisation: every number it makes is the plain engine's, to the bit.

Each comparison runs the same code twice: once inside ``fast.plain()`` (the plain engine of
``engine.value``, ``engine.backprop`` and ``engine.replay``, alone) and once with the fast
path swapped in, as it always is after ``import chainrule.engine``. The two share the op
table, not the code under test. Floats are compared by ``float.hex``, so −0.0 and 0.0
differ; errors by their type and message.
"""

import ast
from pathlib import Path

import pytest
from chainrule.engine import Replay, Value, fast, topological_order
from chainrule.engine.errors import MathError
from hypothesis import given, settings

from tests.expression_strategies import expressions, function_of, points

ROOT = Path(__file__).resolve().parent.parent


def bits(x: float) -> str:
    return float.hex(x)


def outcome(expr, point, new_point) -> object:
    """Everything one engine makes of ``expr``: the graph, grads twice, then a replay."""
    inputs = [Value(x, f"x{i}") for i, x in enumerate(point)]
    try:
        root = function_of(expr)(*inputs)
    except (ArithmeticError, ValueError) as error:  # MathErrors, or two plain numbers' 0 / 0
        return ("error at build", type(error).__name__, str(error))
    nodes = topological_order(root)
    position = {node: i for i, node in enumerate(nodes)}
    graph = [
        (
            node.op.name if node.op else None,
            node.attrs,
            node.is_constant,
            bits(node.data),
            [bits(g) for g in node.local_grads],
            [position[p] for p in node.parents],
        )
        for node in nodes
    ]
    grads = []
    for _ in range(2):  # twice: leaves accumulate, everything else is reset
        root.backward()
        grads.append([bits(node.grad) for node in nodes])
    replay = Replay(root)
    for leaf, x in zip(inputs, new_point, strict=True):
        leaf.data = x
    try:
        replayed = (bits(replay.run()), [bits(leaf.grad) for leaf in inputs])
    except MathError as error:
        replayed = (type(error).__name__, str(error))
    return graph, grads, replayed


def both(expr, point, new_point) -> tuple[object, object]:
    """(plain engine's outcome, fast path's outcome)."""
    with fast.plain():
        assert not fast.installed()
        plain = outcome(expr, point, new_point)
    assert fast.installed()
    return plain, outcome(expr, point, new_point)


@settings(max_examples=300, deadline=None)
@given(expressions, points, points)
def test_the_fast_path_gives_the_plain_engines_bits_and_errors(expr, point, new_point):
    plain, quick = both(expr, point, new_point)
    assert quick == plain


EDGE_POINTS = (0.0, -0.0, 1.0, -2.5, 1e-300, -1e300, 1e300)


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
def test_the_fast_path_matches_at_the_edges(op):
    # signed zeros, relu's kink, overflow: where an inline rewrite could slip
    for x0 in EDGE_POINTS:
        for y0 in EDGE_POINTS:
            for expr in ((op, ("x", 0), ("x", 1)), (op, ("relu", ("x", 0)), ("neg", ("x", 1)))):
                plain, quick = both(expr, [x0, y0, 1.0], [y0, x0, 1.0])
                assert quick == plain, (expr, x0, y0)


def test_the_comparison_can_fail(monkeypatch):
    # a fast path whose product is off by one bit is caught: the test compares real code
    expr = ("*", ("x", 0), ("x", 1))
    plain, quick = both(expr, [0.1, 0.7, 0.0], [0.3, 0.9, 0.0])
    assert quick == plain
    real_binary = fast._binary

    def off_by_one_bit(data, a, b, la, lb, op):
        return real_binary(data + abs(data) * 2.0**-52, a, b, la, lb, op)

    monkeypatch.setattr(fast, "_binary", off_by_one_bit)
    plain, quick = both(expr, [0.1, 0.7, 0.0], [0.3, 0.9, 0.0])
    assert quick != plain


def test_the_swap_is_one_visible_line_and_reversible():
    source = (ROOT / "engine" / "__init__.py").read_text(encoding="utf-8")
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "fast.install"
    ]
    assert len(calls) == 1
    fast_mul = Value.__mul__
    with fast.plain():
        assert Value.__mul__ is not fast_mul
        assert "apply" in Value.__mul__.__code__.co_names  # the plain method is apply's
    assert Value.__mul__ is fast_mul


def test_the_plain_engine_never_imports_the_fast_path():
    for name in ("value", "graph", "backprop", "optable", "formula", "replay", "checks"):
        tree = ast.parse((ROOT / "engine" / f"{name}.py").read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom | ast.Import)
            for alias in node.names
        }
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "fast" not in imported and "fast" not in modules, name
