"""The least an engine with one Python object per node can be: W4's floor.

``BareValue`` keeps six slots (the number, its gradient, two parents and the
two local derivatives), each set by an assignment of its own as in
chainrule's ``_binary``, knows ``+`` and ``*`` only, and backprops over
chainrule's own walk (``engine.fast.operation_order``), so the gap between
the two is what chainrule's nodes cost. It has no labels, no op names, no
input checks, no grad mode and no other ops: nothing a teaching engine needs
beyond the arithmetic.

Any engine whose every node is a Python object allocates at least this object
per node, and CPython's cyclic garbage collector walks every live object
(the graph's and the rest of the process's) at each full collection, which
comes once per ~85,000 allocations. Its W4 time is therefore a floor for
such engines, chainrule included; how close chainrule gets shows what its
teaching features cost.
"""

from __future__ import annotations

from chainrule.engine.fast import operation_order

_new = object.__new__


class BareValue:
    """A scalar: ``data``, ``grad``, parents ``_a``, ``_b`` and ∂self/∂parent ``_da``, ``_db``."""

    __slots__ = ("_a", "_b", "_da", "_db", "data", "grad")
    _more = None  # never more than two parents; a class attribute costs no node anything

    def __init__(self, data: float) -> None:
        self.data = data
        self.grad = 0.0
        self._a = self._b = None

    def __add__(self, other: BareValue) -> BareValue:
        out = _new(BareValue)
        out.data = self.data + other.data
        out.grad = 0.0
        out._a = self
        out._b = other
        out._da = out._db = 1.0
        return out

    def __mul__(self, other: BareValue) -> BareValue:
        out = _new(BareValue)
        out.data = self.data * other.data
        out.grad = 0.0
        out._a = self
        out._b = other
        out._da = other.data
        out._db = self.data
        return out

    def backward(self) -> None:
        """grad = ∂self/∂node for every node, leaves accumulating, as in chainrule."""
        order = operation_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0 if order else self.grad + 1.0
        for node in reversed(order):
            node._a.grad += node._da * node.grad
            node._b.grad += node._db * node.grad
