"""Higher-order gradients: the backward pass recorded as a graph of Values.

``backward()`` adds floats: ``parent.grad += local × node.grad``. With
``grad(output, inputs, create_graph=True)`` the same chain rule is run on Values instead:

- each local derivative is the op's ``grads`` formula **evaluated on the node's own
  Values** (``1 − out²`` for tanh becomes the nodes ``out²`` and ``1 − out²``), so it is a
  computation like any other;
- it is multiplied by the upstream gradient, itself a Value (a *chain-rule product*);
- the contributions of several paths are added out of place (a *chain-rule sum*).

The result for each input is the root of a graph: ∂output/∂input, which ``grad`` or
``.backward()`` can differentiate again, to any order. Every node this makes knows its
:class:`Role`: whose local derivative it is, or which product or sum, for which edge of the
original graph. Diagrams and the step-through page use it to set the backward pass apart.

``.grad`` is untouched: it stays the float a learner knows from ``backward()``.

    >>> from chainrule.engine import Value, grad
    >>> x = Value(3.0, "x")
    >>> (dy,) = grad(x * x * x, [x], create_graph=True)     # 3x² = 27
    >>> (d2y,) = grad(dy, [x])                               # 6x = 18
    >>> dy.data, d2y.data
    (27.0, 18.0)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import formula
from .backprop import chain_rule_edges
from .grad_mode import is_grad_enabled
from .gradcheck import GradCheck, InputCheck, verdict
from .graph import topological_order
from .i18n import message
from .narration import name_of
from .numeric import central_difference
from .optable import OPS
from .value import Constant, Value, real


@dataclass(frozen=True, slots=True)
class Role:
    """What a node made by ``grad(…, create_graph=True)`` is, in the backward pass.

    ``kind``     ``"local"`` (part of the local derivative ∂node/∂parent), ``"product"``
                 (local derivative × upstream gradient) or ``"sum"`` (paths added up)
    ``node``     the node of the original graph whose edge this serves
    ``operand``  which of its parents (for ``"sum"``: -1, the node is the parent itself)
    """

    kind: str
    node: Value
    operand: int = -1

    @property
    def edge(self) -> str:
        """``∂o/∂n``: the derivative this node belongs to, in the names of the text."""
        return self.edge_named()

    def edge_named(self, names: Mapping[Value, str] | None = None) -> str:
        """:attr:`edge`, each node called by its name in ``names`` when it has one there
        (:func:`engine.node_names`: the names of the pages, ``t1`` …)."""
        node = name_of(self.node, names=names)
        if self.kind == "sum":
            return f"∂/∂{node}"
        return f"∂{node}/∂{name_of(self.node.parents[self.operand], names=names)}"

    def describe(self, names: Mapping[Value, str] | None = None) -> str:
        """In words: ``∂o/∂n, made a node by create_graph`` (nodes named as in ``names``)."""
        if self.kind == "local":
            return message("narration.role_local", edge=self.edge_named(names))
        if self.kind == "product":
            return message("narration.role_product", edge=self.edge_named(names))
        return message("narration.role_sum", node=name_of(self.node, names=names))

    @property
    def op(self) -> str:
        """The name of the op whose derivative this is."""
        return self.node.op.name if self.node.op is not None else ""


class NoHigherDerivativeError(ValueError):
    """An op given only as a Python function: nothing to evaluate its derivative on Values."""


def grad(output: Value, inputs: Sequence[Value], create_graph: bool = False) -> list[Value]:
    """∂output/∂input for each of ``inputs``, one Value each; ``.grad`` is left as it is.

    Without ``create_graph`` each result is a new leaf holding the number (the same numbers
    as ``backward()``). With it, each is the root of the recorded backward pass, so it can be
    differentiated again. An input the output does not depend on gets ``Constant(0.0)``.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad's output must be a Value, got {type(output).__name__}")
    inputs = list(inputs) if not isinstance(inputs, Value) else [inputs]
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad's inputs must be Values, got {type(x).__name__}: {x!r:.80}")
    if not is_grad_enabled():
        raise ValueError(
            "grad needs the graph of its output, but it was called inside no_grad(), where "
            "operations record no parents: call it outside the no_grad() block"
        )
    order = topological_order(output)
    if not create_graph:
        grads = _numbers(order)
        return [Value(grads.get(x, 0.0), _label(output, x)) for x in inputs]
    return _recorded(output, order, inputs)


def _label(output: Value, x: Value) -> str:
    return f"∂{name_of(output)}/∂{name_of(x)}"


def _numbers(order: list[Value]) -> dict[Value, float]:
    """The float gradients of the root ``order[-1]``: ``backward()``'s edges, into a table."""
    grads: dict[Value, float] = {order[-1]: 1.0}
    for node, _, parent, local in chain_rule_edges(order):
        upstream = grads.get(node)
        if upstream is not None:  # else no path from the root reaches it
            grads[parent] = grads.get(parent, 0.0) + local * upstream
    return grads


def _recorded(
    output: Value, order: list[Value], inputs: list[Value], compiled: bool = True
) -> list[Value]:
    """The chain rule on Values, from ``output`` down ``order`` (its topological order).

    ``compiled`` (the default) takes each local derivative from :func:`_compiled_derivative`
    (the op's formula compiled once) instead of :func:`_local_derivative` (its tree walked
    for every edge): the same nodes, bit for bit, with the same roles
    (``tests/test_engine_higher_order_compiled.py`` runs both).
    """
    local_derivative = _compiled_derivative if compiled else _local_derivative
    known: set[Value] = set(order)
    grads: dict[Value, Value] = {}
    for node in reversed(order):
        if node is output:
            upstream: Value | None = None  # the seed ∂output/∂output = 1, not a node
        elif node in grads:
            upstream = grads[node]
        else:
            continue  # no path from the output reaches it
        parents = node.parents
        for k, parent in enumerate(parents):
            if parent.is_constant:
                continue
            local = local_derivative(node, parents, k, known)
            if local.__class__ is float and local == 0.0:
                continue  # a zero local derivative carries nothing (relu's off side)
            contribution = _mark(_times(local, upstream), "product", node, k, known)
            if parent in grads:
                total = grads[parent] + contribution
                contribution = _mark(total, "sum", parent, -1, known)
            grads[parent] = contribution
    results = []
    for x in inputs:
        if x is output:
            results.append(Constant(1.0))
        else:
            results.append(grads.get(x) or Constant(0.0))
    return results


def _times(local: Value | float, upstream: Value | None) -> Value:
    """local × upstream, without a node for a factor of 1 (the seed, or a local 1 or −1)."""
    if upstream is None:
        return local if isinstance(local, Value) else Constant(local)
    if isinstance(local, float):
        if local == 1.0:
            return upstream
        if local == -1.0:
            return -upstream
    return local * upstream


def _local_derivative(
    node: Value, parents: tuple[Value, ...], k: int, known: set[Value]
) -> Value | float:
    """∂node/∂parents[k] as the op's formula evaluated on the node's own Values."""
    op = _with_formulas(node)
    env: dict[str, Any] = {"a": parents[0], "b": parents[-1], "out": node}
    env.update(zip(op.attrs, node.attrs, strict=True))
    made = formula.evaluate(op.grad_trees[k], env, _call_op)
    if isinstance(made, Value):
        return _mark(made, "local", node, k, known)
    return made  # a number: the node's local derivative, checked finite when it was made


def _with_formulas(node: Value) -> Any:
    """The op of a node with parents (which always has one), if it has grads formulas to
    evaluate on Values."""
    op: Any = node.op
    if not op.grad_trees:
        raise NoHigherDerivativeError(
            f"op {op.name!r} has no formulas to evaluate on Values (it was given as a Python "
            f"function, or the node was made by hand): define it with formulas to take higher "
            f"derivatives, e.g. define_op({op.name!r}, value='…', grads=['…'])"
        )
    return op


_COMPILED: dict[int, tuple[formula.Node, float | None, Callable[..., Any]]] = {}
"""``id(tree)`` → (tree, its number if it is one, :func:`formula.evaluator` of it). Holding
the tree keeps its id from being reused; an op whose grads are replaced gets new entries."""


def _compiled_derivative(
    node: Value, parents: tuple[Value, ...], k: int, known: set[Value]
) -> Value | float:
    """:func:`_local_derivative`, with the op's formula compiled once instead of walked."""
    op = _with_formulas(node)
    tree = op.grad_trees[k]
    entry = _COMPILED.get(id(tree))
    if entry is None:
        number = tree.value if tree.kind == "num" else None  # the parser keeps finite floats
        entry = (tree, number, formula.evaluator(tree, ("a", "b", "out", *op.attrs)))
        _COMPILED[id(tree)] = entry
    if entry[1] is not None:
        return entry[1]  # add's 1, sub's −1: no call, no node
    if op.attrs:
        made = entry[2](_call_op, parents[0], parents[-1], node, *node.attrs)
    else:
        made = entry[2](_call_op, parents[0], parents[-1], node)
    if isinstance(made, Value):
        return _mark(made, "local", node, k, known)
    return made  # a number: the node's local derivative, checked finite when it was made


def _call_op(name: str, args: list[Any]) -> Value:
    """A function call in a formula, on Values: the registered op of that name."""
    op = OPS.get(name)
    if op is None:
        raise NoHigherDerivativeError(
            f"a local derivative calls {name}(), which is a math function but not an op: "
            f"define an op {name!r} with formulas to take higher derivatives through it"
        )
    attrs = {
        attr: getattr(v, "data", v) for attr, v in zip(op.attrs, args[op.arity :], strict=True)
    }
    return op(*args[: op.arity], **attrs)


def _mark(root: Value, kind: str, node: Value, operand: int, known: set[Value]) -> Value:
    """Give ``Role(kind, node, operand)`` to every node of ``root``'s graph not seen before;
    return ``root``. (A root seen before, such as an operand, makes no Role at all.)"""
    if root in known:
        return root
    role = Role(kind, node, operand)
    known.add(root)
    stack = [root]
    while stack:
        made = stack.pop()
        made.role = role
        for parent in made.parents:
            if parent not in known:  # checked before it is pushed, so each is pushed once
                known.add(parent)
                stack.append(parent)
    return root


# --- Hessians and checking second derivatives ----------------------------------------------


def hessian(f: Callable[..., Value], *inputs: float) -> list[list[float]]:
    """The matrix of second derivatives ∂²f/∂xᵢ∂xⱼ at ``inputs``, as floats.

    ``f`` takes one Value per input and returns a Value. Row i is ``grad`` of ∂f/∂xᵢ (made
    with ``create_graph=True``), so every number comes from the recorded backward pass.
    """
    leaves = [Value(real(x, f"hessian input {i}"), f"x{i}") for i, x in enumerate(inputs)]
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"hessian needs f to return one Value, got {type(out).__name__}")
    first = grad(out, leaves, create_graph=True)
    return [[g.data for g in grad(row, leaves)] for row in first]


def gradgradcheck(
    f: Callable[..., Value],
    *inputs: float,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    raise_exception: bool = False,
) -> GradCheck:
    """Compare :func:`hessian` with central differences of the first derivatives.

    Each ∂²f/∂xᵢ∂xⱼ from the recorded backward pass is set against
    (∂f/∂xᵢ(x + ε·eⱼ) − ∂f/∂xᵢ(x − ε·eⱼ)) / 2ε, the gradient taken by ``grad`` at each
    shifted point. The result is a :class:`GradCheck`, as for ``gradcheck``: one row per pair,
    true when every pair agrees; ``raise_exception=True`` raises ``GradcheckError`` instead.
    """
    if not inputs:
        raise ValueError("gradgradcheck needs at least one input")
    point = [real(x, f"gradgradcheck input {i}") for i, x in enumerate(inputs)]
    analytic = hessian(f, *point)
    rows = []
    for i in range(len(point)):

        def first(at: list[float], i: int = i) -> float:
            leaves = [Value(x) for x in at]
            return grad(f(*leaves), leaves)[i].data

        for j in range(len(point)):
            numeric = central_difference(first, point, j, eps)
            error = abs(analytic[i][j] - numeric)
            name = f"∂²f/∂x{i}∂x{j}"
            ok = error <= atol + rtol * abs(numeric)
            rows.append(InputCheck(name, analytic[i][j], numeric, error, ok))
    return verdict(GradCheck(tuple(rows), rtol, atol), raise_exception)
