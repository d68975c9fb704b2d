"""The fast path is only an optimisation: every number it makes is the plain code's, to the bit.

Plain: nodes made by ``apply`` (the op's kernel, then ``Value(…)``), the loop
of ``engine.backprop.backward``, and ``Replay(…, unroll=False)`` (a kernel call
per op). Fast: ``Value``'s operators, ``Value.backward()`` and ``Replay``'s
inline arithmetic. Floats are compared by ``float.hex``, so −0.0 and 0.0 differ.
"""

import re
from pathlib import Path

from chainrule.engine import Replay, Value, apply, backward, topological_order, zero_grad
from chainrule.engine.errors import MathError
from chainrule.engine.value import (
    add,
    div,
    exp,
    identity,
    log,
    mul,
    neg,
    pow_,
    power,
    relu,
    sigmoid,
    softplus,
    sub,
    tanh,
)
from hypothesis import assume, given, settings

from tests.expression_strategies import BINARY_FNS, expressions, forward, function_of, points

UNARY_OPS = {
    "neg": (neg, {}),
    "identity": (identity, {}),
    "exp": (exp, {}),
    "log": (log, {}),
    "tanh": (tanh, {}),
    "sigmoid": (sigmoid, {}),
    "softplus": (softplus, {}),
    "relu": (relu, {}),
    "square": (power, {"k": 2.0}),
    "sqrt": (power, {"k": 0.5}),
    "cube": (power, {"k": 3.0}),
}
BINARY_OPS = {"+": add, "-": sub, "*": mul, "/": div}
ERRORS = (ValueError, ZeroDivisionError, OverflowError)
ROOT = Path(__file__).resolve().parent.parent


def build_plain(expr, inputs):
    """``expression_strategies.build`` with every node made by ``apply``: the plain path."""
    kind = expr[0]
    if kind == "x":
        return inputs[expr[1]]
    if kind == "c":
        return expr[1]
    if kind in UNARY_OPS or kind == "inverse":
        operand = build_plain(expr[1], inputs)
        operand = operand if isinstance(operand, Value) else Value(operand)
        if kind == "inverse":  # 1 / v: the number 1 on the left becomes a constant
            return apply(div, 1, operand)
        op, attrs = UNARY_OPS[kind]
        return apply(op, operand, **attrs)
    a, b = build_plain(expr[1], inputs), build_plain(expr[2], inputs)
    if kind == "**" and not isinstance(b, Value):  # a plain-number exponent: x ** k
        return apply(power, a if isinstance(a, Value) else Value(a), k=b)
    if not isinstance(a, Value) and not isinstance(b, Value):
        return BINARY_FNS[kind](a, b)  # two plain numbers: plain arithmetic, no node
    return apply(pow_ if kind == "**" else BINARY_OPS[kind], a, b)


def plain_function_of(expr):
    def f(*inputs):
        out = build_plain(expr, list(inputs))
        return out if isinstance(out, Value) else Value(out)

    return f


def bits(x: float) -> str:
    return float.hex(x)


def same_graph(fast_root: Value, plain_root: Value) -> list[tuple[Value, Value]]:
    """The two graphs node by node, after checking they are the same, bit for bit."""
    fast_nodes, plain_nodes = topological_order(fast_root), topological_order(plain_root)
    assert len(fast_nodes) == len(plain_nodes)
    fast_at = {node: i for i, node in enumerate(fast_nodes)}
    plain_at = {node: i for i, node in enumerate(plain_nodes)}
    for f, p in zip(fast_nodes, plain_nodes, strict=True):
        assert (f.op, f.attrs, f.is_constant) == (p.op, p.attrs, p.is_constant)
        assert bits(f.data) == bits(p.data)
        assert [bits(g) for g in f.local_grads] == [bits(g) for g in p.local_grads]
        assert [fast_at[q] for q in f.parents] == [plain_at[q] for q in p.parents]
    return list(zip(fast_nodes, plain_nodes, strict=True))


@settings(max_examples=300, deadline=None)
@given(expressions, points)
def test_operators_and_backward_give_the_plain_codes_bits(expr, point):
    _, fast_root = forward(function_of(expr), point)
    plain_inputs = [Value(x, f"x{i}") for i, x in enumerate(point)]
    plain_root = plain_function_of(expr)(*plain_inputs)
    pairs = same_graph(fast_root, plain_root)
    for _ in range(2):  # twice: leaves accumulate, everything else is reset, in both
        fast_root.backward()
        backward(plain_root)
        for f, p in pairs:
            assert bits(f.grad) == bits(p.grad)


@settings(max_examples=200, deadline=None)
@given(expressions, points, points)
def test_replays_inline_arithmetic_gives_the_kernels_bits(expr, point, new_point):
    f = function_of(expr)
    runs = []
    for unroll in (True, False):
        inputs, root = forward(f, point)
        replay = Replay(root, unroll=unroll)
        for leaf, x in zip(inputs, new_point, strict=True):
            leaf.data = x
        try:
            value = replay.run()
        except ERRORS as error:
            runs.append(type(error))
            continue
        runs.append((bits(value), [bits(leaf.grad) for leaf in inputs]))
    assert runs[0] == runs[1]
    assume(not isinstance(runs[0], type))
    try:
        inputs, root = forward(f, new_point)
    except ERRORS:
        return
    zero_grad(inputs)
    root.backward()
    assert runs[0] == (bits(root.data), [bits(leaf.grad) for leaf in inputs])


def test_no_module_but_the_fast_path_touches_the_private_slots():
    slots = re.compile(r"\._(?:a|b|da|db|more)\b")
    allowed = {
        ROOT / "engine" / "fast.py",  # where the slots are defined
        ROOT / "benchmarks" / "bare_value.py",  # the benchmark floor: its own bare object
    }
    offenders = []
    for folder in ("engine", "nn", "viz", "chainrule", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), 1):
                if path not in allowed and slots.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
                if "._link(" in line and path.name not in ("fast.py", "value.py"):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


EDGE_POINTS = (0.0, -0.0, 1.0, -2.5, 1e-300, -1e300)


def test_replays_inline_ops_match_their_kernels_at_the_edges():
    # relu's kink at 0 and signed zeros are where an inline rewrite could slip
    makers = {
        "add": lambda x, y: x + y,
        "sub": lambda x, y: x - y,
        "mul": lambda x, y: x * y,
        "neg": lambda x, y: -x * y,
        "relu": lambda x, y: x.relu() * y,
        "identity": lambda x, y: x.identity() * y,
    }
    for name, make in makers.items():
        for x0 in EDGE_POINTS:
            for y0 in EDGE_POINTS:
                results = []
                for unroll in (True, False, None):
                    x, y = Value(1.0), Value(1.0)
                    root = make(x, y)
                    x.data, y.data = x0, y0
                    try:
                        if unroll is None:  # the dynamic engine, built at the point itself
                            root = make(x, y)
                            root.backward()
                            value = root.data
                        else:
                            value = Replay(root, unroll=unroll).run()
                    except MathError as error:  # e.g. −1e300 · −1e300 overflows, in all three
                        results.append(type(error))
                        continue
                    results.append((bits(value), bits(x.grad), bits(y.grad)))
                assert results[0] == results[1] == results[2], (name, x0, y0, results)
