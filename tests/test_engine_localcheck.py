"""check_local_grads: every edge checked against its op alone, so a wrong one is named, not just
noticed; kinks (relu at 0) and nodes without a kernel are left out and said so, never called
wrong."""

from __future__ import annotations

import math
import random

import pytest
from chainrule.engine import (
    OPS,
    EdgeCheck,
    LocalCheck,
    Value,
    check_local_grads,
    define_op,
    optable,
    topological_order,
)


def layered_graph(rng: random.Random, *, plant=None) -> tuple[Value, list[Value]]:
    """Three tanh neurons on four inputs, summed and squared: a graph of well over 50 nodes.

    ``plant(a, b)`` (if given) makes the node that multiplies the second neuron's pre-activation
    by a weight, so a test can put a wrong edge in the middle of the graph.
    """
    xs = [Value(rng.uniform(-1, 1), f"x{i}") for i in range(4)]
    total = Value(0.0, "zero")
    for j in range(3):
        ws = [Value(rng.uniform(-1, 1), f"w{j}{i}") for i in range(4)]
        n = sum((w * x for w, x in zip(ws, xs, strict=True)), Value(rng.uniform(-1, 1), f"b{j}"))
        n.label = f"n{j}"
        gain = Value(rng.uniform(0.5, 1.5), f"g{j}")
        scaled = plant(n, gain) if plant is not None and j == 1 else n * gain
        scaled.label = f"s{j}"
        total = total + scaled.tanh().exp().log() / 2.0
    root = (total - 0.25) ** 2 + total.sigmoid() - (-total).softplus() + total.relu().identity()
    return root, xs


def test_a_correct_graph_of_every_op_is_ok():
    root, _ = layered_graph(random.Random(1))
    a, b = Value(1.7, "a"), Value(0.6, "b")
    root = root + a**b + 2**a - b / a + (a - b).relu()
    result = check_local_grads(root)
    assert isinstance(result, LocalCheck)
    nodes = topological_order(root)
    assert len(nodes) >= 50
    assert {node.op.name for node in nodes if node.op} >= optable.BUILTIN  # every built-in op
    assert result.ok and result.first_wrong is None and result.wrong == ()
    assert len(result.edges) == sum(len(node.parents) for node in nodes)  # every edge looked at
    assert all(edge.status == "ok" for edge in result.edges)
    assert str(result).startswith("check_local_grads: all ")
    assert "WRONG" not in str(result)


def test_a_planted_wrong_edge_of_a_table_op_is_found_and_named_in_a_50_node_graph():
    def wrong_mul(n: Value, gain: Value) -> Value:
        # the product n·g, but with ∂/∂g recorded as g instead of n (a classic swap)
        return Value(
            n.data * gain.data, parents=(n, gain), local_grads=(gain.data, gain.data), op=OPS["mul"]
        )

    root, _ = layered_graph(random.Random(2), plant=wrong_mul)
    assert len(topological_order(root)) >= 50
    result = check_local_grads(root)
    assert result.ok is False  # no exception for a mismatch
    first = result.first_wrong
    assert isinstance(first, EdgeCheck) and result.wrong == (first,)  # only that edge
    n1 = next(node for node in topological_order(root) if node.label == "n1")
    g1 = next(node for node in topological_order(root) if node.label == "g1")
    assert first.node_name == "s1" and first.op == "mul"
    assert (first.operand, first.parent_name) == (1, "g1")
    assert first.inputs == (n1.data, g1.data)
    assert first.expected == pytest.approx(n1.data, rel=1e-6)  # ∂(n·g)/∂g = n
    assert first.got == g1.data
    assert first.edge == (first.node, 1) and first.node.label == "s1"
    text = str(result)
    sentence, header, row = text.splitlines()[:3]
    assert "∂s1/∂g1" in sentence and "operand 1 of mul" in sentence and "parent g1" in sentence
    assert f"{n1.data:.8g}" in sentence and f"{g1.data:.8g}" in sentence
    assert header.split() == ["node", "op", "operand", "parent", "inputs", "expected", "got"]
    assert row.split()[:4] == ["s1", "mul", "1", "g1"] and row.endswith("WRONG")


def test_a_define_op_whose_kernel_returns_a_wrong_derivative_is_found(table):
    @define_op("softsign_slip")
    def softsign_slip(x: float) -> tuple[float, float]:
        """x / (1 + |x|), whose slope is 1/(1 + |x|)²; the slip: 1/(1 + |x|)."""
        return x / (1 + abs(x)), 1 / (1 + abs(x))

    def plant(n: Value, gain: Value) -> Value:
        return softsign_slip(n) * gain

    root, _ = layered_graph(random.Random(3), plant=plant)
    assert len(topological_order(root)) >= 50
    result = check_local_grads(root)
    assert not result.ok and len(result.wrong) == 1
    first = result.first_wrong
    n1 = next(node for node in topological_order(root) if node.label == "n1")
    assert first.op == "softsign_slip" and first.parent_name == "n1" and first.operand == 0
    assert first.node_name == "softsign_slip(n1)"
    assert first.inputs == (n1.data,)
    assert first.expected == pytest.approx(1 / (1 + abs(n1.data)) ** 2, rel=1e-6)
    assert first.got == pytest.approx(1 / (1 + abs(n1.data)))
    assert "∂softsign_slip(n1)/∂n1" in str(result)


def test_the_first_wrong_edge_is_the_first_in_topological_order():
    x = Value(0.7, "x")
    # power with k = 1 is x itself: its slope is 1, so both planted edges are wrong
    early = Value(x.data, parents=(x,), local_grads=(2.0,), op=OPS["power"], attrs=(1.0,))
    early.label = "early"
    late = Value(math.exp(early.data), parents=(early,), local_grads=(1.0,), op=OPS["exp"])
    late.label = "late"
    result = check_local_grads(late * 2)
    assert [edge.node_name for edge in result.wrong] == ["early", "late"]
    assert result.first_wrong.node_name == "early" and result.first_wrong.attrs == (1.0,)
    assert "2 of the" in str(result)


@pytest.mark.parametrize("shift", [0.0, 1e-9, -1e-9, 3e-7, -3e-7, 6e-7, -6e-7, 9e-7])
def test_relu_at_or_next_to_its_kink_is_skipped_never_wrong(shift):
    x = Value(shift, "x")
    result = check_local_grads(x.relu() * 3)
    (relu_edge,) = [edge for edge in result.edges if edge.op == "relu"]
    assert relu_edge.status == "kink" and result.ok
    assert relu_edge in result.skipped and "not differentiable" in relu_edge.note
    assert "not checked" in str(result)


def test_relu_at_zero_from_an_exact_cancellation_is_skipped_and_a_real_slip_is_still_found():
    x = Value(1.5, "x")
    kink = (x - x).relu()  # relu at exactly 0: no slope to check against
    wrong = Value(x.data, parents=(x,), local_grads=(0.5,), op=OPS["relu"])  # relu'(1.5) = 1
    wrong.label = "slip"
    result = check_local_grads(kink + wrong)
    assert [edge.status for edge in result.edges if edge.op == "relu"] == ["kink", "wrong"]
    assert result.first_wrong.node_name == "slip"


@pytest.mark.parametrize(
    "make, slope",
    [
        (lambda x: (x - 0.3) ** 2, lambda u: 2 * u),  # u = x − 0.3 = 1e-4: slope ≈ 0, curved
        (lambda x: (x * 0.01).log(), lambda u: 1 / u),  # u = 0.003: slope 333, very curved
        (lambda x: (x * 8).exp(), math.exp),
    ],
)
def test_curvature_is_not_a_kink_and_a_small_slip_there_is_wrong(make, slope):
    # the one-sided differences of these ops disagree by their curvature, which shrinks with
    # the step: they are checked, not skipped, and a 1 % slip is caught
    node = make(Value(0.3001, "x"))
    result = check_local_grads(node)
    assert result.ok and all(edge.status == "ok" for edge in result.edges)
    u = node.parents[0].data
    local = node.local_grads[0]
    planted = Value(
        node.data, parents=node.parents, local_grads=(local * 1.01,), op=node.op, attrs=node.attrs
    )
    first = check_local_grads(planted).first_wrong
    assert first is not None and first.operand == 0 and first.status == "wrong"
    assert first.expected == pytest.approx(slope(u), rel=1e-6)
    assert first.got == local * 1.01


def test_large_operands_are_checked_with_a_step_to_their_scale():
    x = Value(3e10, "x")
    assert check_local_grads((x + 1.0) * 2 - x / 7).ok


def test_a_hand_made_node_has_no_kernel_so_it_is_reported_not_checked():
    x = Value(2.0, "x")
    cube = Value(8.0, parents=(x,), local_grads=(5.0,), op="cube")  # wrong, but uncheckable
    result = check_local_grads(cube * x)
    assert result.ok and [node.name for node in result.unchecked] == ["cube(x)"]
    assert "by hand" in result.unchecked[0].reason
    assert len(result.edges) == 2  # the product's two edges are checked
    assert "1 node made by hand" in str(result) and "cube(x)" in str(result)


def test_a_node_whose_operands_changed_since_is_stale_not_wrong():
    x, w = Value(2.0, "x"), Value(3.0, "w")
    y = (x * w).tanh()
    x.data = 5.0  # the product's value and local derivatives belong to x = 2
    result = check_local_grads(y)
    assert result.ok
    assert [node.op for node in result.unchecked] == ["mul"]  # tanh's operand is still 6
    assert "changed" in result.unchecked[0].reason
    assert [(edge.op, edge.status) for edge in result.edges] == [("tanh", "ok")]


def test_an_edge_where_the_op_is_undefined_a_step_away_is_skipped():
    x = Value(2e-7, "x")
    result = check_local_grads(x.log())
    (edge,) = result.edges
    assert edge.status == "undefined" and edge.expected is None and result.ok
    assert math.isnan(edge.error) and "not defined" in edge.note


def test_bad_arguments_are_refused_at_once():
    with pytest.raises(TypeError, match="root Value"):
        check_local_grads(3.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="eps must be positive"):
        check_local_grads(Value(1.0), eps=0.0)
    with pytest.raises(ValueError, match="rtol must be ≥ 0"):
        check_local_grads(Value(1.0), rtol=-1.0)


def test_it_is_exported_next_to_gradcheck():
    import chainrule.engine as engine

    assert {"check_local_grads", "LocalCheck", "EdgeCheck"} <= set(engine.__all__)
    leaf = check_local_grads(Value(1.0))
    assert leaf.ok and leaf.edges == () and leaf.unchecked == ()
