"""Replay: record a graph once, then re-run its forward and backward passes on new numbers.

Training evaluates the same graph *shape* at every step; only the numbers in
its leaves (inputs, labels, weights) change. A :class:`Replay` records the
ops of a graph once, in topological order, as flat lists of integers, and
each :meth:`Replay.run` recomputes every value and gradient from the leaves'
current ``data`` without creating a single ``Value``. This is the idea behind
tracing compilers such as ``torch.compile`` and ``jax.jit``: pay for the
graph once, then run straight-line arithmetic.

Every node is recomputed by its op's kernel from the op table, so only nodes
of registered ops can be replayed: a node made by hand with
``Value(…, op="+")`` carries numbers but no kernel, and is refused by
identity (its op is not the table's ``add``), never guessed from its name.
The loops themselves are ``engine.fast``'s, which inline the hot ops
(``+ − ×``, negation, relu, identity) to the same bits as their kernels.

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

from . import fast
from .graph import topological_order
from .value import Value, add, identity, mul, neg, relu, sub

_INLINE = {mul: fast.MUL, add: fast.ADD, sub: fast.SUB, neg: fast.NEG, relu: fast.RELU,
           identity: fast.IDENTITY}  # fmt: skip
"""The ops whose arithmetic the fast loops write inline instead of calling the kernel."""


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

    ``unroll=False`` runs every op through its kernel (the same numbers, slower):
    it is how the tests check the inline arithmetic.
    """

    def __init__(self, root: Value, *, unroll: bool = True) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"Replay traces the graph of a Value, got {type(root).__name__}")
        nodes = topological_order(root)
        position = {node: i for i, node in enumerate(nodes)}
        program: list[fast.Instruction] = []
        for i, node in enumerate(nodes):
            op = node.op
            if op is None:
                continue
            if not op.registered:
                raise ValueError(
                    f"cannot replay the op {op.name!r} of {node!r}: that node was made by hand "
                    "(Value(…, parents=…, local_grads=…, op=…)), so nothing can recompute its "
                    "local derivatives; define the op with define_op to replay it"
                )
            operands = tuple(position[p] for p in node.parents)
            code = fast.replay_code(op, _INLINE, unroll)
            program.append(fast.instruction(code, op, i, operands, node.attrs))
        self.nodes = nodes
        self._position = position
        self.leaves = [(i, node) for i, node in enumerate(nodes) if node.op is None]
        self._program = program
        self._data = [node.data for node in nodes]
        self._locals: list[object] = [list(node.local_grads) for node in nodes]
        self.value = root.data
        """The root's value after the latest :meth:`run` or :meth:`forward`."""

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
        for i, leaf in self.leaves:
            d[i] = leaf.data
        fast.replay_forward(self._program, d, self._locals, self.nodes)
        self.value = d[-1]
        return self.value

    def backward(self) -> None:
        """Backprop through the recorded ops; leaves' ``grad`` accumulate, as with ``backward()``.

        Uses the values of the latest :meth:`forward`. Intermediate ``Value``
        objects are not touched: their ``data`` and ``grad`` stay as traced.
        """
        g = [0.0] * len(self._data)
        for i, leaf in self.leaves:
            g[i] = leaf.grad
        if self._program:
            g[-1] = 1.0
        else:
            g[-1] += 1.0
        fast.replay_backward(self._program, self._data, self._locals, g)
        for i, leaf in self.leaves:
            leaf.grad = g[i]  # a constant ignores it

    def run(self) -> float:
        """:meth:`forward` then :meth:`backward`; returns the root's value."""
        value = self.forward()
        self.backward()
        return value
