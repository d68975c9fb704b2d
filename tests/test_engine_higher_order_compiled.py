"""The recorded backward pass, compiled, makes the very graph the straightforward one makes.

``grad(…, create_graph=True)`` takes each local derivative from the op's formula compiled
once (``formula.evaluator``) instead of walking its tree on every edge
(``formula.evaluate``). Both are kept; here they run side by side on the same graphs and
every node they make is compared: class, op, attrs, data and local derivatives bit for bit,
parents by position, and role (kind, the original node, the operand).
"""

import math
import random

import pytest
from chainrule.engine import OPS, Value, define_op, formula, grad, topological_order
from chainrule.engine.higher_order import _recorded
from chainrule.engine.optable import BUILTIN


def bits(x: float) -> str:
    return x.hex() if math.isfinite(x) else repr(x)


def made_by(results: list[Value]) -> list[Value]:
    """Every node of the results' graphs, each once, in a fixed order."""
    seen: set[Value] = set()
    nodes = []
    for root in results:
        for node in topological_order(root):
            if node not in seen:
                seen.add(node)
                nodes.append(node)
    return nodes


def described(results: list[Value]) -> list[tuple]:
    """Each node as plain data; parents as positions, so two graphs can be compared."""
    nodes = made_by(results)
    position = {node: i for i, node in enumerate(nodes)}
    rows = []
    for node in nodes:
        role = node.role
        rows.append(
            (
                type(node).__name__,
                node.op.name if node.op is not None else None,
                tuple(bits(x) for x in node.attrs),
                bits(node.data),
                tuple(bits(x) for x in node.local_grads),
                tuple(position[p] for p in node.parents),
                None if role is None else (role.kind, id(role.node), role.operand),
            )
        )
    roots = [position[r] for r in results]
    return [*rows, ("roots", *roots)]


def both_ways(output: Value, inputs: list[Value]) -> tuple[list[tuple], list[tuple]]:
    order = topological_order(output)
    plain = described(_recorded(output, order, inputs, compiled=False))
    compiled = described(_recorded(output, order, inputs, compiled=True))
    return plain, compiled


def operands(name: str, rng: random.Random) -> tuple[list[float], dict[str, float]]:
    op = OPS[name]
    point = [rng.uniform(0.3, 1.7) * rng.choice((1, -1)) for _ in range(op.arity)]
    if name in ("log", "pow"):
        point[0] = abs(point[0])
    attrs = {attr: rng.choice((0.0, 1.0, 2.0, 3.0, -1.0, 0.5)) for attr in op.attrs}
    if name == "power" and attrs["k"] == 0.5:
        point[0] = abs(point[0])
    return point, attrs


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_every_builtin_op_gives_the_same_nodes_and_roles_both_ways(name):
    op = OPS[name]
    rng = random.Random(name)
    for _ in range(8):
        point, attrs = operands(name, rng)
        leaves = [Value(x, f"x{i}") for i, x in enumerate(point)]
        out = op(*leaves, **attrs)
        out = out * out + leaves[0] * out  # shared nodes, so that sums are made too
        plain, compiled = both_ways(out, leaves)
        assert plain == compiled


def random_expression(rng: random.Random, leaves: list[Value], size: int) -> Value:
    """A random graph over ``leaves`` of every built-in op, with reuse and constants."""
    nodes = list(leaves)
    for _ in range(size):
        name = rng.choice(sorted(BUILTIN))
        op = OPS[name]
        args = [rng.choice(nodes) for _ in range(op.arity)]
        if rng.random() < 0.2:
            args[-1] = rng.choice((2.0, -0.5, 3.0))  # a constant operand
        attrs = {attr: rng.choice((2.0, 3.0, -1.0)) for attr in op.attrs}
        try:
            nodes.append(op(*args, **attrs))
        except (ArithmeticError, ValueError):
            continue  # outside the op's domain here: pick another
    return nodes[-1] * nodes[-2] + nodes[-3]


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_give_the_same_nodes_and_roles_at_second_and_third_order(seed):
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(0.2, 1.2), f"x{i}") for i in range(3)]
    out = random_expression(rng, leaves, 12)
    plain, compiled = both_ways(out, leaves)
    assert plain == compiled
    first = grad(out, leaves, create_graph=True)  # the compiled pass, differentiated again
    second = first[0] * first[1] + first[2]
    plain, compiled = both_ways(second, leaves)
    assert plain == compiled


def test_an_op_of_ones_own_with_attrs_conditions_and_calls_gives_the_same_both_ways(table):
    # every kind of formula node: num, name, neg, if, and/or/not, comparisons, calls
    # (of an op, and one inside a condition), + − × / **
    odd = define_op(
        "odd",
        value="a * k + b",
        grads=[
            "k if (a > 0 and not b < -1) or sigmoid(a) > 0.9 else -(k / 2) ** 2",
            "1 + 0 * out + (a >= b) * exp(b) - tanh(a) / 2",
        ],
        attrs=("k",),
    )
    rng = random.Random(5)
    for _ in range(20):
        a, b = Value(rng.uniform(-2, 2), "a"), Value(rng.uniform(-2, 2), "b")
        out = odd(a, b, k=rng.choice((2.0, -3.0)))
        out = out * a + out.tanh()
        plain, compiled = both_ways(out, [a, b])
        assert plain == compiled


def test_the_compiled_formula_is_evaluate_on_every_ops_grads():
    rng = random.Random(0)
    for name in sorted(BUILTIN):
        op = OPS[name]
        for tree in op.grad_trees:
            compiled = formula.evaluator(tree, ("a", "b", "out", *op.attrs))
            for _ in range(5):
                point, attrs = operands(name, rng)
                leaves = [Value(x) for x in point]
                out = op(*leaves, **attrs)
                env = {"a": leaves[0], "b": leaves[-1], "out": out, **attrs}
                call = lambda f, args: OPS[f](*args)  # noqa: E731
                walked = formula.evaluate(tree, env, call)
                fast = compiled(call, leaves[0], leaves[-1], out, *attrs.values())
                assert type(walked) is type(fast)
                assert bits(getattr(walked, "data", walked)) == bits(getattr(fast, "data", fast))
