"""Replay: record a graph once, then re-run its forward and backward passes on new numbers.

Training evaluates the same graph *shape* at every step; only the numbers in
its leaves (inputs, labels, weights) change. A :class:`Replay` records the
ops of a graph once, in topological order, as flat lists of integers, and
each :meth:`Replay.run` recomputes every value and gradient from the leaves'
current ``data`` without creating a single ``Value``. This is the idea behind
tracing compilers such as ``torch.compile`` and ``jax.jit``: pay for the
graph once, then run straight-line arithmetic.

What changes between runs is read from the leaves; what the graph does is
fixed at trace time. Data-dependent *local derivatives* are re-evaluated each
run (``relu`` passes the gradient only where its input is positive *now*),
but Python-level branching in the code that built the graph is not: trace
again if the structure would change.

The gradients are the dynamic engine's to the last bit: the same kernels,
the same edges in the same order, and leaves accumulating onto their
existing ``grad`` exactly as ``backward()`` does.
"""

from __future__ import annotations

from . import kernels
from .graph import topological_order
from .value import Value

_MUL, _ADD, _SUB, _RELU, _NEG, _DIV, _VALUE_POWER, _CONSTANT_POWER, _UNARY, _IDENTITY = range(10)
_CODES = {
    "*": _MUL,
    "+": _ADD,
    "-": _SUB,
    "relu": _RELU,
    "neg": _NEG,
    "/": _DIV,
    "**": _VALUE_POWER,
    "identity": _IDENTITY,
}


class Replay:
    """A traced graph that recomputes values and gradients from its leaves' current data.

    >>> from chainrule.engine import Value, Replay
    >>> x, w = Value(2.0, "x"), Value(3.0, "w")
    >>> replay = Replay(x * w)
    >>> x.data = 5.0
    >>> replay.run()            # forward and backward: returns the root's new value
    15.0
    >>> w.grad                  # ∂(x·w)/∂w = x = 5
    5.0
    """

    def __init__(self, root: Value) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"Replay traces the graph of a Value, got {type(root).__name__}")
        nodes = topological_order(root)
        position = {node: i for i, node in enumerate(nodes)}
        program = []
        for i, node in enumerate(nodes):
            if not node.parents:
                continue
            operands = [position[p] for p in node.parents]
            program.append((*self._instruction(node), i, operands[0], operands[-1]))
        self.nodes = nodes
        self._position = position
        self.leaves = [(i, node) for i, node in enumerate(nodes) if not node.parents]
        self._program = program
        self._backward_program = program[::-1]
        self._data = [node.data for node in nodes]
        # one float per one-operand op, a pair for / and **: what the kernels return
        self._locals = [g[0] if len(g) == 1 else g for g in (node.local_grads for node in nodes)]
        self.value = root.data
        """The root's value after the latest :meth:`run` or :meth:`forward`."""

    @staticmethod
    def _instruction(node: Value) -> tuple[int, object]:
        """(code, argument) for one recorded op: the kernel or constant exponent it needs."""
        op = node.op
        if op in _CODES:
            return _CODES[op], None
        if op in kernels.UNARY:
            return _UNARY, kernels.UNARY[op]
        if op.startswith("**"):
            return _CONSTANT_POWER, float(op[2:])
        raise ValueError(
            f"cannot replay the op {op!r} of {node!r}: it is not a built-in op, so its local "
            "derivatives cannot be recomputed; replay graphs of built-in ops only"
        )

    def __len__(self) -> int:
        """The number of nodes in the traced graph."""
        return len(self.nodes)

    def value_of(self, node: Value) -> float:
        """A traced node's value in the latest :meth:`run` or :meth:`forward`.

        Only leaves are read and written by a replay; every other node keeps the
        ``data`` it had when traced. This reads its replayed value instead, e.g. a
        model's output inside a traced loss.
        """
        position = self._position.get(node)
        if position is None:
            raise ValueError(f"{node!r} is not a node of this traced graph")
        return self._data[position]

    def forward(self) -> float:
        """Recompute every node's value from the leaves' current ``data``; return the root's."""
        d = self._data
        loc = self._locals
        for i, leaf in self.leaves:
            d[i] = leaf.data
        nodes = self.nodes
        for code, argument, o, a, b in self._program:
            if code == _MUL:
                d[o] = d[a] * d[b]
            elif code == _ADD:
                d[o] = d[a] + d[b]
            elif code == _RELU:
                x = d[a]
                d[o] = x if x > 0.0 else 0.0
            elif code == _SUB:
                d[o] = d[a] - d[b]
            elif code == _NEG:
                d[o] = -d[a]
            elif code == _IDENTITY:
                d[o] = d[a]
            elif code == _UNARY:
                d[o], loc[o] = argument(d[a], nodes[a])
            elif code == _CONSTANT_POWER:
                d[o], loc[o] = kernels.constant_power(d[a], argument, nodes[a])
            elif code == _DIV:
                d[o], *loc[o] = kernels.divide(d[a], d[b], nodes[b])
            else:
                d[o], *loc[o] = kernels.value_power(d[a], d[b], nodes[a])
        self.value = d[-1]
        return self.value

    def backward(self) -> None:
        """Backprop through the recorded ops; leaves' ``grad`` accumulate, as with ``backward()``.

        Uses the values of the latest :meth:`forward`. Intermediate ``Value``
        objects are not touched: their ``data`` and ``grad`` stay as traced.
        """
        d = self._data
        loc = self._locals
        g = [0.0] * len(d)
        for i, leaf in self.leaves:
            g[i] = leaf.grad
        if self._program:
            g[-1] = 1.0
        else:
            g[-1] += 1.0
        for code, _, o, a, b in self._backward_program:
            upstream = g[o]
            if code == _MUL:
                g[a] += d[b] * upstream
                g[b] += d[a] * upstream
            elif code == _ADD:
                g[a] += upstream
                g[b] += upstream
            elif code == _RELU:
                g[a] += (1.0 if d[a] > 0.0 else 0.0) * upstream
            elif code == _SUB:
                g[a] += upstream
                g[b] += -1.0 * upstream
            elif code == _NEG:
                g[a] += -1.0 * upstream
            elif code == _IDENTITY:
                g[a] += upstream
            elif code in (_DIV, _VALUE_POWER):
                local_a, local_b = loc[o]
                g[a] += local_a * upstream
                g[b] += local_b * upstream
            else:
                g[a] += loc[o] * upstream
        for i, leaf in self.leaves:
            leaf.grad = g[i]

    def run(self) -> float:
        """:meth:`forward` then :meth:`backward`; returns the root's value."""
        value = self.forward()
        self.backward()
        return value
