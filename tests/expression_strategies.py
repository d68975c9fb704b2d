"""Random expression trees over every op, shared by the property-based tests."""

from chainrule.engine import Value, topological_order
from chainrule.engine.value import div, log, pow_, power, relu
from hypothesis import assume
from hypothesis import strategies as st

N_INPUTS = 3

UNARY_FNS = {
    "neg": lambda v: -v,
    "identity": Value.identity,
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "softplus": Value.softplus,
    "relu": Value.relu,
    "square": lambda v: v**2,
    "sqrt": lambda v: v**0.5,
    "cube": lambda v: v**3,
    "inverse": lambda v: 1 / v,
}
BINARY_FNS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
}
# the forms an expression is made of: together they reach every built-in op (a test checks)
UNARY = tuple(UNARY_FNS)
BINARY = tuple(BINARY_FNS)

leaf = st.one_of(
    st.integers(0, N_INPUTS - 1).map(lambda i: ("x", i)),
    st.floats(-3.0, 3.0, allow_nan=False).map(lambda c: ("c", round(c, 3))),
)
expressions = st.recursive(
    leaf,
    lambda sub: st.one_of(
        st.tuples(st.sampled_from(UNARY), sub),
        st.tuples(st.sampled_from(BINARY), sub, sub),
    ),
    max_leaves=10,
)
points = st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=N_INPUTS, max_size=N_INPUTS)


def build(expr, inputs):
    """Evaluate an expression tree; constants stay plain floats, so `2 * x` and `x - 1` occur."""
    kind = expr[0]
    if kind == "x":
        return inputs[expr[1]]
    if kind == "c":
        return expr[1]
    if kind in UNARY_FNS:
        operand = build(expr[1], inputs)
        return UNARY_FNS[kind](operand if isinstance(operand, Value) else Value(operand))
    a, b = build(expr[1], inputs), build(expr[2], inputs)
    if kind == "**" and not isinstance(b, Value):
        a = a if isinstance(a, Value) else Value(a)  # a plain-number exponent: x ** k
    return BINARY_FNS[kind](a, b)


def function_of(expr):
    def f(*inputs):
        out = build(expr, list(inputs))
        return out if isinstance(out, Value) else Value(out)

    return f


def well_conditioned(root):
    for node in topological_order(root):
        if abs(node.data) > 1e3 or any(abs(g) > 1e3 for g in node.local_grads):
            return False
        operands = [p.data for p in node.parents]
        k = node.attrs[0] if node.op is power else None
        if node.op is relu and abs(operands[0]) < 1e-3:
            return False
        if (node.op in (log, pow_) or k == 0.5) and operands[0] < 1e-2:
            return False
        if (node.op is div or k == -1) and abs(operands[-1]) < 1e-2:
            return False
    return True


def forward(f, point):
    inputs = [Value(x, f"x{i}") for i, x in enumerate(point)]
    try:
        out = f(*inputs)
    except (ValueError, ZeroDivisionError, OverflowError):
        assume(False)
    assume(well_conditioned(out))
    return inputs, out
