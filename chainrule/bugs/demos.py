"""The demos of the mistakes in the backward loop: each computes wrong beside right.

Each demo builds its graph twice, runs the broken code (:mod:`chainrule.bugs.broken`) on
one copy and chainrule's ``Value.backward`` on the other, and returns the two
:class:`~chainrule.bugs.runs.Run`\\ s as an :class:`~chainrule.bugs.runs.Outcome`, with the
why in words. Every number in the words is read from the runs, never typed in; the words
around the numbers are the catalogue's (``engine/messages/bugs.json``), each sentence a
:class:`~chainrule.bugs.runs.Text`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from chainrule.bugs.broken import (
    backward_depth_first,
    backward_overwriting,
    backward_recursive,
    backward_without_reset,
    train_without_zero_grad,
)
from chainrule.bugs.runs import Outcome, PythonSaid, Run, Text, derivative, run_of
from chainrule.engine import Value, format_number, topological_order, zero_grad

CHAIN_OPS = 2_000
"""The length of the chain that the recursive walk cannot get to the end of."""
SAMPLE_OPS = 4
"""The length of the same chain as drawn: 2,000 ops are far too many for a diagram."""


def overwrite_demo() -> Outcome:
    """``b = a + a``: with ``=``, the second edge into a overwrites the first one's share."""

    def build() -> tuple[Value, Value]:
        a = Value(3.0, "a")
        b = a + a
        b.label = "b"
        return a, b

    row = derivative("b", "a")
    a, b = build()
    backward_overwriting(b)
    wrong = run_of(Text("bugs.engine.broken", how="parent.grad = …"), b, {row: a})
    a, b = build()
    b.backward()
    right = run_of(Text("bugs.engine.chainrule", how="parent.grad += …"), b, {row: a})
    share = b.local_grads[1] * b.grad
    why = Text(
        "bugs.overwrite-grad.why",
        share=format_number(share),
        right=format_number(right.grads[row] or 0.0),
        wrong=format_number(wrong.grads[row] or 0.0),
    )
    graph = Text("bugs.graph_with", graph="b = a + a", values=f"a = {format_number(a.data)}")
    return Outcome(graph, (wrong,), right, why, row)


def depth_first_demo() -> Outcome:
    """A diamond (h feeds p and q): a depth-first walk serves x before h is complete."""

    def build() -> tuple[dict[str, Value], Value]:
        x = Value(2.0, "x")
        h = x * 3
        p = h * 2
        q = h + 1
        out = p * q
        for node, name in ((h, "h"), (p, "p"), (q, "q"), (out, "L")):
            node.label = name
        return {"p": p, "q": q, "h": h, "x": x}, out

    nodes, out = build()
    backward_depth_first(out)
    rows = {derivative("L", name): node for name, node in nodes.items()}
    wrong = run_of(Text("bugs.engine.depth_first"), out, rows)
    h, x = nodes["h"], nodes["x"]
    x_share = h.local_grads[0] * h.grad
    nodes, out = build()
    out.backward()
    rows = {derivative("L", name): node for name, node in nodes.items()}
    right = run_of(Text("bugs.engine.topological"), out, rows)
    p, x = nodes["p"], nodes["x"]
    partial = p.local_grads[0] * p.grad
    key = derivative("L", "x")
    got = format_number(wrong.grads[key] or 0.0)
    wrong.caption = Text(
        "bugs.no-topo-order.caption",
        complete=format_number(x_share),
        got=got,
        partial=format_number(partial),
    )
    why = Text(
        "bugs.no-topo-order.why",
        partial=format_number(partial),
        wrong=got,
        right=format_number(x.grad),
    )
    graph = Text("bugs.no-topo-order.graph", x=format_number(x.data), out=format_number(out.data))
    return Outcome(graph, (wrong,), right, why, key)


def chain(ops: int) -> tuple[Value, Value]:
    """``v = x + x + … + x`` as a chain of ``ops`` additions, each one level deeper."""
    x = Value(1.0, "x")
    v = x
    for _ in range(ops):
        v = v + x
    v.label = "v"
    return x, v


def recursive_demo() -> Outcome:
    """A chain of :data:`CHAIN_OPS` additions: the recursive walk runs out of Python stack."""
    row = derivative("v", "x")
    limit = sys.getrecursionlimit()
    x, v = chain(CHAIN_OPS)
    sample_x, sample = chain(SAMPLE_OPS)
    shape = Text("bugs.recursive-walk.shape", sample=SAMPLE_OPS, ops=f"{CHAIN_OPS:,}")
    try:
        backward_recursive(v)
    except RecursionError as error:
        wrong = Run(
            Text("bugs.engine.recursive"),
            {row: None},
            sample,
            {row: sample_x},
            error=python_error(error),
            caption=Text("bugs.recursive-walk.failed", shape=shape),
        )
    else:  # an interpreter whose recursion limit was raised gets to the end
        backward_recursive(sample)
        wrong = Run(
            Text("bugs.engine.recursive"),
            {row: x.grad},
            sample,
            {row: sample_x},
            caption=Text("bugs.recursive-walk.got_through", shape=shape, limit=f"{limit:,}"),
        )
    x, v = chain(CHAIN_OPS)
    v.backward()
    nodes = len(topological_order(v))
    sample_x, sample = chain(SAMPLE_OPS)
    sample.backward()
    right = Run(
        Text("bugs.engine.iterative"),
        {row: x.grad},
        sample,
        {row: sample_x},
        caption=Text(
            "bugs.recursive-walk.right_caption", shape=shape, grad=format_number(sample_x.grad)
        ),
    )
    verdict = Text(
        "bugs.recursive-walk.dies" if wrong.error else "bugs.recursive-walk.raised",
        ops=f"{CHAIN_OPS:,}",
    )
    why = Text(
        "bugs.recursive-walk.why",
        limit=f"{limit:,}",
        verdict=verdict,
        nodes=f"{nodes:,}",
        grad=format_number(x.grad),
        times=f"{CHAIN_OPS + 1:,}",
    )
    graph = Text("bugs.recursive-walk.graph", ops=f"{CHAIN_OPS:,}", x=format_number(x.data))
    return Outcome(graph, (wrong,), right, why, row)


def python_error(error: RecursionError) -> Text:
    """The RecursionError as the learner reads it: its name, then what Python said.

    Python says it in English only (``maximum recursion depth exceeded…``, a little
    differently from version to version): its own words in English, the catalogue's
    meaning of them in Chinese (:class:`~chainrule.bugs.runs.PythonSaid`).
    """
    detail = PythonSaid(str(error), "bugs.recursive-walk.error")
    return Text("bugs.python_error", kind=type(error).__name__, detail=detail)


BATCHES = ((1.0, 3.0), (2.0, 2.0))
"""Two training samples (x, y) for loss = (w·x − y)², one per SGD step."""
LEARNING_RATE = 0.1


def zero_grad_demo() -> Outcome:
    """Two SGD steps on (w·x − y)²: without zero_grad, step 2's grad holds step 1's too."""
    rows = ("∂loss1/∂w", "∂loss2/∂w")
    w = Value(1.0, "w")
    steps = train_without_zero_grad(w, BATCHES, LEARNING_RATE)
    wrong = Run(
        Text("bugs.engine.no_zero_grad"),
        {row: grad for row, (_, grad) in zip(rows, steps, strict=True)},
        steps[-1][0],
        {rows[-1]: w},
        params=(w,),
        caption=Text("bugs.no-zero-grad.caption"),
    )
    w = Value(1.0, "w")
    grads, loss = [], None
    for step, (x, y) in enumerate(BATCHES):
        if step:
            w.data -= LEARNING_RATE * w.grad
        loss = (w * x - y) ** 2
        loss.label = f"loss{step + 1}"
        zero_grad([w])
        loss.backward()
        grads.append(w.grad)
    assert loss is not None
    right = Run(
        "chainrule + zero_grad([w])",
        dict(zip(rows, grads, strict=True)),
        loss,
        {rows[-1]: w},
        params=(w,),
        caption=Text("bugs.no-zero-grad.caption"),
    )
    first, second, summed = grads[0], grads[1], wrong.grads[rows[-1]] or 0.0
    flipped = (summed > 0) != (second > 0)
    why = Text(
        "bugs.no-zero-grad.why_flipped" if flipped else "bugs.no-zero-grad.why",
        first=format_number(first),
        second=format_number(second),
        summed=format_number(summed),
    )
    samples = [f"({format_number(x)}, {format_number(y)})" for x, y in BATCHES]
    then = samples[0]
    for sample in samples[1:]:
        then = Text("bugs.then", first=then, second=sample)
    graph = Text("bugs.no-zero-grad.graph", lr=f"{LEARNING_RATE:g}", samples=then)
    return Outcome(graph, (wrong,), right, why, rows[-1])


def stale_demo() -> Outcome:
    """backward() twice on one neuron: without the reset, the intermediates' grads double."""

    def build() -> tuple[dict[str, Value], Value]:
        x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(6.8813735870195432, "b")
        xw = x * w
        n = xw + b
        o = n.tanh()
        xw.label, n.label, o.label = "xw", "n", "o"
        return {"n": n, "xw": xw, "x": x, "w": w, "b": b}, o

    def twice(backward: Callable[[Value], None]) -> tuple[dict[str, Value], Value]:
        nodes, o = build()
        backward(o)
        zero_grad([nodes["x"], nodes["w"], nodes["b"]])  # the leaves are reset
        backward(o)
        return nodes, o

    nodes, o = twice(backward_without_reset)
    rows = {derivative("o", name): node for name, node in nodes.items()}
    wrong = run_of(
        Text("bugs.engine.no_reset"),
        o,
        rows,
        params=(nodes["w"], nodes["b"]),
        caption=Text("bugs.stale-intermediates.caption"),
    )
    nodes, o = twice(Value.backward)
    rows = {derivative("o", name): node for name, node in nodes.items()}
    right = run_of(
        "chainrule",
        o,
        rows,
        params=(nodes["w"], nodes["b"]),
        caption=Text("bugs.stale-intermediates.caption"),
    )
    n, xw, x = (derivative("o", name) for name in ("n", "xw", "x"))
    show = {row: format_number(wrong.grads[row] or 0.0) for row in (n, xw, x)}
    ok = {row: format_number(right.grads[row] or 0.0) for row in (n, xw, x)}
    why = Text(
        "bugs.stale-intermediates.why",
        n_right=ok[n],
        n_wrong=show[n],
        xw_right=ok[xw],
        xw_wrong=show[xw],
        x_right=ok[x],
        x_wrong=show[x],
    )
    graph = Text(
        "bugs.graph_with",
        graph="o = tanh(n), n = xw + b, xw = x·w",
        values="x = 2.0, w = -3.0, b = 6.881",
    )
    return Outcome(graph, (wrong,), right, why, n)
