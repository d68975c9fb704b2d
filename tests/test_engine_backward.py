"""Backprop semantics: reuse, accumulation, repeated calls, zeroing, no_grad, deep graphs."""

import gc
import math

import pytest
from chainrule.engine import Value, no_grad, topological_order, zero_grad
from chainrule.engine.fast import operation_order
from chainrule.engine.grad_mode import is_grad_enabled


def test_square_records_the_parent_twice():
    # y = x·x: two edges from x, each carrying x·1, so ∂y/∂x = 2x = 6
    x = Value(3.0, "x")
    y = x * x
    assert y.parents == (x, x)
    y.backward()
    assert x.grad == 6.0


def test_reused_nodes_sum_their_contributions():
    # b = a + a, c = b + b: ∂c/∂b = 2 and ∂b/∂a = 2, so ∂c/∂a = 4
    a = Value(1.0, "a")
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad, c.grad) == (4.0, 2.0, 1.0)


def test_diamond():
    # d = (a·b) + (a + b) at a = 2, b = 3: ∂d/∂a = b + 1 = 4, ∂d/∂b = a + 1 = 3
    a, b = Value(2.0), Value(3.0)
    d = a * b + (a + b)
    d.backward()
    assert (a.grad, b.grad) == (4.0, 3.0)


def test_leaves_accumulate_and_intermediates_do_not():
    # c = (a·b)·2 with a = 2, b = 3: ∂c/∂a = 2b = 6, ∂c/∂(a·b) = 2
    a, b = Value(2.0), Value(3.0)
    ab = a * b
    c = ab * 2
    c.backward()
    c.backward()
    assert a.grad == 12.0  # 6 + 6: leaves accumulate, as in PyTorch
    assert ab.grad == 2.0  # intermediate: the latest pass only
    assert c.grad == 1.0
    zero_grad([a, b])
    c.backward()
    assert (a.grad, b.grad) == (6.0, 4.0)


def test_zero_grad_on_a_root_clears_the_whole_graph():
    a, b = Value(2.0), Value(3.0)
    c = (a * b).tanh()
    c.backward()
    zero_grad(c)
    assert all(node.grad == 0.0 for node in topological_order(c))


def test_backward_of_a_leaf_accumulates_one():
    x = Value(4.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_topological_order_puts_parents_first_and_visits_each_node_once():
    x = Value(2.0, "x")
    w = x * x + x
    y = w * x * w
    order = topological_order(y)
    assert order[-1] is y
    assert len(order) == len(set(order))
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    assert topological_order(y) == order  # deterministic


def test_operation_order_skips_leaves_even_among_extra_parents_of_a_hand_made_op():
    x, y, z = Value(1.0, "x"), Value(2.0, "y"), Value(3.0, "z")
    xy = x * y
    yz = y + z
    total = Value(6.0, parents=(x, xy, z, yz), local_grads=(1.0, 1.0, 1.0, 1.0), op="sum")
    assert operation_order(total) == [xy, yz, total]
    assert operation_order(x) == []
    assert [node for node in topological_order(total) if node.parents] == [xy, yz, total]


@pytest.mark.slow  # about 4 s: a million Value nodes built, walked and freed
def test_a_million_op_chain_builds_and_backprops_without_recursion_error():
    # v_{n+1} = v_n · 1 + 0: ∂v_N/∂v_0 = 1; the graph is 1,000,000 ops deep
    v0 = Value(0.5)
    v = v0
    for _ in range(500_000):
        v = v * 1.0 + 0.0
    v.backward()
    assert v0.grad == 1.0
    assert len(topological_order(v)) == 1 + 4 * 500_000


def test_graphs_hold_no_reference_cycles():
    # Reference counting alone must free a graph: the cyclic GC finds nothing.
    gc.collect()
    gc.disable()
    try:
        x = Value(0.3)
        y = ((x * x + 1).tanh() * x).exp() / (x + 2)
        y.backward()
        list(y.backward_steps())
        del x, y
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_no_grad_records_no_parents_and_restores_the_mode():
    x = Value(2.0)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = (x * x).tanh()
        assert y.parents == () and y.local_grads == () and y.op is None
        assert Value(1.0, parents=[x], local_grads=[1.0], op="id").parents == ()
    assert is_grad_enabled()
    assert (x * x).parents == (x, x)


def test_no_grad_restores_the_mode_after_an_exception():
    try:
        with no_grad():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert is_grad_enabled()


def test_a_hand_made_op_backprops_like_a_built_in_one():
    # cube(x) = x³ declared with its local derivative 3x²; at x = 2: 12
    x = Value(2.0, "x")
    y = Value(x.data**3, "y", parents=(x,), local_grads=(3 * x.data**2,), op="cube")
    y.backward()
    assert x.grad == 12.0


def test_repr():
    assert repr(Value(2.0, "x")) == "Value(data=2.0, grad=0.0, label='x')"
    assert repr(Value(2)) == "Value(data=2.0, grad=0.0)"


def test_topological_order_when_one_operand_depends_on_the_other():
    # n = z · tanh(z): both operands of n are non-leaves and the second needs the first,
    # so z must come before tanh(z) even though n lists z first and tanh(z) second
    a, b = Value(0.5), Value(-1.5)
    z = a * b
    t = z.tanh()
    n = z * t
    m = t * z
    for root in (n, m, n + m):
        order = topological_order(root)
        position = {node: i for i, node in enumerate(order)}
        assert len(position) == len(order) == len(set(order))
        for node in order:
            assert all(position[p] < position[node] for p in node.parents)
    n.backward()
    # ∂n/∂z = tanh z + z(1 − tanh² z); ∂n/∂a = ∂n/∂z · b
    expected = math.tanh(z.data) + z.data * (1 - math.tanh(z.data) ** 2)
    assert z.grad == pytest.approx(expected, rel=1e-15)
    assert a.grad == pytest.approx(expected * b.data, rel=1e-15)


def test_a_hand_made_op_with_three_parents():
    # f(a, b, c) = a·b·c declared directly: ∂f/∂a = bc, ∂f/∂b = ac, ∂f/∂c = ab
    a, b, c = Value(2.0, "a"), Value(3.0, "b"), Value(5.0, "c")
    f = Value(30.0, "f", parents=(a, b, c), local_grads=(15, 10, 6), op="abc")
    assert f.parents == (a, b, c) and f.local_grads == (15.0, 10.0, 6.0)
    g = f * a  # a is reached twice: through f and directly
    g.backward()
    assert topological_order(g)[:3] == [a, b, c]
    assert (a.grad, b.grad, c.grad) == (15.0 * 2.0 + 30.0, 10.0 * 2.0, 6.0 * 2.0)
    assert [s.parent for s in g.backward_steps()] == [f, a, a, b, c]


def test_parents_and_local_grads_are_immutable_tuples():
    x = Value(1.0)
    y = x * 2
    for edges in (y.parents, y.local_grads):
        assert isinstance(edges, tuple)
        with pytest.raises(TypeError):
            edges[0] = None  # type: ignore[index]
    assert y.parents[0] is x
