"""The demos of the mistakes in an op's local derivative, and the one convention.

Each builds its small graph twice: once with the broken op (:mod:`chainrule.bugs.broken`),
once with chainrule's, and returns both runs as an :class:`~chainrule.bugs.runs.Outcome`;
the wrong edge of each wrong run is named, for the page to draw in red.

What they say of chainrule's ops, their code and their derivatives, is read from the op
table (``OPS``), never typed in: :func:`kernel_code`, :func:`local_derivative` and
:func:`right_code` show what ``engine/value.py`` runs. The words around them are the
catalogue's (``engine/messages/bugs.json``), each a :class:`~chainrule.bugs.runs.Text`.
"""

from __future__ import annotations

import json

from chainrule.bugs.broken import broken_sub, broken_tanh, relu_with_slope_at_zero
from chainrule.bugs.runs import Outcome, Run, Text, derivative, either, run_of
from chainrule.engine import OPS, Value, format_number
from chainrule.engine.narration import formula


def kernel_code(name: str) -> str:
    """Op ``name``'s definition as ``engine/value.py`` writes it: its value and grads formulas.

    >>> kernel_code("sub")
    'value="a - b", grads=["1", "-1"]'
    """
    op = OPS[name]
    return f"value={json.dumps(op.value_formula)}, grads={json.dumps(list(op.grad_formulas))}"


def operand_names(name: str) -> list[str]:
    """How the gallery names an op's operands: ``x`` alone, or ``a`` and ``b``."""
    return ["x"] if OPS[name].arity == 1 else ["a", "b"]


def local_derivative(name: str, operand: int = 0) -> str:
    """The op table's formula of ∂out/∂operand for op ``name``, its operands named as above.

    >>> local_derivative("tanh"), local_derivative("sub", 1)
    ('1 − tanh(x)²', '−1')
    """
    args = operand_names(name)
    names = {"a": args[0], "b": args[-1], "out": f"{name}({', '.join(args)})"}
    return OPS[name].formulas[operand].format(**names)


def right_code(name: str) -> Text:
    """Op ``name``'s definition, then where it is and each local derivative, from the op table.

    >>> print(right_code("sub"))
    value="a - b", grads=["1", "-1"]   (engine/value.py's sub: ∂/∂a = 1, ∂/∂b = −1)
    """
    each = ", ".join(
        f"∂/∂{arg} = {local_derivative(name, i)}" for i, arg in enumerate(operand_names(name))
    )
    return Text("bugs.right_code", definition=kernel_code(name), op=name, each=each)


def relu_slope_at_zero() -> float:
    """The slope chainrule's relu takes at exactly 0, from its kernel."""
    return OPS["relu"].kernel(0.0)[1]


def sub_demo() -> Outcome:
    """``d = a − b`` recorded with add's local derivatives: ∂d/∂b has the wrong sign."""

    def build() -> tuple[Value, Value]:
        return Value(5.0, "a"), Value(3.0, "b")

    rows = (derivative("d", "a"), derivative("d", "b"))
    a, b = build()
    d = broken_sub(a, b)
    d.label = "d"
    d.backward()
    broken = Text("bugs.engine.broken", how="local_grads (1, 1)")
    wrong = run_of(broken, d, dict(zip(rows, (a, b), strict=True)), edges=[(d, 1)])
    a, b = build()
    d = a - b
    d.label = "d"
    d.backward()
    grads = ", ".join(OPS["sub"].formulas)
    chainrule = Text("bugs.engine.chainrule", how=f"local_grads ({grads})")
    right = run_of(chainrule, d, dict(zip(rows, (a, b), strict=True)))
    why = Text(
        "bugs.sub-sign.why",
        right=format_number(right.grads[rows[1]] or 0.0),
        wrong=format_number(wrong.grads[rows[1]] or 0.0),
    )
    values = f"a = {format_number(a.data)}, b = {format_number(b.data)}"
    graph = Text("bugs.graph_with", graph="d = a − b", values=values)
    return Outcome(graph, (wrong,), right, why, rows[1])


def tanh_demo() -> Outcome:
    """``o = tanh(x·w)`` with tanh' written with the input: every gradient below is wrong."""

    def build() -> tuple[Value, Value, Value]:
        x, w = Value(1.0, "x"), Value(2.0, "w")
        n = x * w
        n.label = "n"
        return x, w, n

    rows = tuple(derivative("o", name) for name in ("n", "w", "x"))
    x, w, n = build()
    o = broken_tanh(n)
    o.label = "o"
    o.backward()
    broken = Text("bugs.engine.broken", how="1 − x²")
    wrong = run_of(broken, o, dict(zip(rows, (n, w, x), strict=True)), edges=[(o, 0)])
    x, w, n = build()
    o = n.tanh()
    o.label = "o"
    o.backward()
    chainrule = Text("bugs.engine.chainrule", how=local_derivative("tanh"))
    right = run_of(chainrule, o, dict(zip(rows, (n, w, x), strict=True)))
    why = Text(
        "bugs.tanh-derivative.why",
        formula=formula(o, 0),
        n=format_number(n.data),
        numbers=formula(o, 0, numbers=True),
        right=format_number(right.grads[rows[0]] or 0.0),
        wrong=format_number(wrong.grads[rows[0]] or 0.0),
    )
    values = f"x = {format_number(x.data)}, w = {format_number(w.data)}"
    graph = Text("bugs.graph_with", graph="o = tanh(n), n = x·w", values=values)
    return Outcome(graph, (wrong,), right, why, rows[1])


def relu_demo() -> Outcome:
    """``y = relu(x·w + b)`` at exactly 0: each slope there gives other, valid, gradients."""

    def build() -> tuple[dict[str, Value], Value]:
        x, w, b = Value(2.0, "x"), Value(1.5, "w"), Value(-3.0, "b")
        n = x * w + b
        n.label = "n"
        return {"n": n, "w": w, "b": b, "x": x}, n

    def with_slope(at_zero: float, shown: str) -> Run:
        nodes, n = build()
        y = relu_with_slope_at_zero(n, at_zero)
        y.label = "y"
        y.backward()
        rows = {derivative("y", name): node for name, node in nodes.items()}
        return run_of(
            f"relu'(0) = {shown}", y, rows, params=(nodes["w"], nodes["b"]), edges=[(y, 0)]
        )

    wrong = (with_slope(1.0, "1"), with_slope(0.5, "½"))
    nodes, n = build()
    y = n.relu()
    y.label = "y"
    y.backward()
    rows = {derivative("y", name): node for name, node in nodes.items()}
    chosen = f"{relu_slope_at_zero():g}"
    chainrule = Text("bugs.engine.chainrule_pytorch", how=f"relu'(0) = {chosen}")
    right = run_of(chainrule, y, rows, params=(nodes["w"], nodes["b"]))
    key = derivative("y", "w")
    why = Text(
        "bugs.relu-at-zero.why",
        chosen=chosen,
        n=format_number(n.data),
        wrong=either([format_number(run.grads[key] or 0.0) for run in wrong]),
        right=format_number(right.grads[key] or 0.0),
    )
    graph = Text(
        "bugs.relu-at-zero.graph",
        **{name: format_number(nodes[name].data) for name in ("x", "w", "b", "n")},
    )
    return Outcome(graph, wrong, right, why, key)
