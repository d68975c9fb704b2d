"""Graphs several test files share."""

from chainrule.engine import Value


def neuron_with_leaves() -> tuple[Value, tuple[Value, ...]]:
    """o = tanh(x1·w1 + x2·w2 + b) at the classic point (o = 1/√2), and (x1, x2, w1, w2, b).

    5 leaves, 4 operations, 9 edges: 9 backward steps, so 10 step-through frames.
    """
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, (x1, x2, w1, w2, b)


def neuron() -> Value:
    """The root o of :func:`neuron_with_leaves`."""
    return neuron_with_leaves()[0]
