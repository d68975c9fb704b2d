"""The demos of the mistakes in the backward loop: each computes wrong beside right.

Each demo builds its graph twice, runs the broken code (:mod:`chainrule.bugs.broken`) on
one copy and chainrule's ``Value.backward`` on the other, and returns the two
:class:`~chainrule.bugs.runs.Run`\\ s as an :class:`~chainrule.bugs.runs.Outcome`, with the
why in words. Every number in the words is read from the runs, never typed in.
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
from chainrule.bugs.runs import Outcome, Run, derivative, run_of
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
    wrong = run_of("broken: parent.grad = …", b, {row: a})
    a, b = build()
    b.backward()
    right = run_of("chainrule: parent.grad += …", b, {row: a})
    share = b.local_grads[1] * b.grad
    why = (
        f"a is used twice, so two edges lead from b back into a, each carrying "
        f"{format_number(share)} (local 1 × ∂b/∂b = 1). `+=` adds the shares: "
        f"∂b/∂a = {format_number(right.grads[row] or 0.0)}. `=` overwrites the first share "
        f"with the second and leaves {format_number(wrong.grads[row] or 0.0)}. Every value "
        "used more than once (x * x, a weight shared by every sample of a batch, a hidden "
        "neuron feeding several neurons) loses all but one of its contributions."
    )
    return Outcome(f"b = a + a, with a = {format_number(a.data)}", (wrong,), right, why, row)


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
    wrong = run_of("broken: naive depth-first order", out, rows)
    h, x = nodes["h"], nodes["x"]
    x_share = h.local_grads[0] * h.grad
    nodes, out = build()
    out.backward()
    rows = {derivative("L", name): node for name, node in nodes.items()}
    right = run_of("chainrule: reverse topological order", out, rows)
    p, x = nodes["p"], nodes["x"]
    partial = p.local_grads[0] * p.grad
    wrong.caption = (
        f"the edge from x shows what h's complete grad carries ({format_number(x_share)}); "
        f"x got {format_number(wrong.grads[derivative('L', 'x')] or 0.0)}, sent when h held "
        f"only {format_number(partial)}"
    )
    key = derivative("L", "x")
    why = (
        "h feeds both p and q: the graph is a diamond. The naive walk goes from L down p to h "
        f"and passes h's gradient on to x at once, when h holds only p's share, "
        f"{format_number(partial)}. q's share reaches h later, after x has been served, "
        f"and the walk never visits h again: x gets {format_number(wrong.grads[key] or 0.0)} "
        f"instead of {format_number(x.grad)}. A node may pass its gradient on only when every "
        "node that uses it is done, which is what reverse topological order guarantees."
    )
    graph = (
        f"x = {format_number(x.data)}; h = x·3; p = h·2; q = h + 1; L = p·q "
        f"= {format_number(out.data)}   (a diamond: h feeds p and q)"
    )
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
    shape = f"the same chain with {SAMPLE_OPS} ops ({CHAIN_OPS:,} are too many to draw)"
    try:
        backward_recursive(v)
    except RecursionError as error:
        wrong = Run(
            "broken: recursive walk",
            {row: None},
            sample,
            {row: sample_x},
            error=f"RecursionError: {error}",
            caption=f"{shape}: the walk failed before the first chain-rule step, so no "
            "gradient was computed",
        )
    else:  # an interpreter whose recursion limit was raised gets to the end
        backward_recursive(sample)
        wrong = Run(
            "broken: recursive walk",
            {row: x.grad},
            sample,
            {row: sample_x},
            caption=f"{shape}; this Python allows {limit:,} nested calls, so it got through",
        )
    x, v = chain(CHAIN_OPS)
    v.backward()
    nodes = len(topological_order(v))
    sample_x, sample = chain(SAMPLE_OPS)
    sample.backward()
    right = Run(
        "chainrule: iterative walk",
        {row: x.grad},
        sample,
        {row: sample_x},
        caption=f"{shape}; ∂v/∂x is {format_number(sample_x.grad)} here, one per x",
    )
    if wrong.error:
        verdict = (
            f"a chain of {CHAIN_OPS:,} operations is deeper than that, so the walk dies before "
            "backprop starts."
        )
    else:
        verdict = f"this interpreter's limit was raised past {CHAIN_OPS:,}: a deeper chain fails."
    why = (
        "A recursive topological sort makes one nested Python call per level of the graph, "
        f"and Python allows {limit:,} (sys.getrecursionlimit()): {verdict} Deep graphs are "
        "ordinary: an RNN unrolled over a long sequence, a long training loop on one graph. "
        f"chainrule's topological_order keeps its own stack, so it orders all {nodes:,} nodes "
        f"and gives ∂v/∂x = {format_number(x.grad)} (v is x added {CHAIN_OPS + 1:,} times); "
        "raising the recursion limit only moves the wall, and past it Python can crash."
    )
    graph = f"v = x + x + … + x: a chain of {CHAIN_OPS:,} additions, x = {format_number(x.data)}"
    return Outcome(graph, (wrong,), right, why, row)


BATCHES = ((1.0, 3.0), (2.0, 2.0))
"""Two training samples (x, y) for loss = (w·x − y)², one per SGD step."""
LEARNING_RATE = 0.1


def zero_grad_demo() -> Outcome:
    """Two SGD steps on (w·x − y)²: without zero_grad, step 2's grad holds step 1's too."""
    rows = ("∂loss1/∂w", "∂loss2/∂w")
    w = Value(1.0, "w")
    steps = train_without_zero_grad(w, BATCHES, LEARNING_RATE)
    wrong = Run(
        "broken: no zero_grad",
        {row: grad for row, (_, grad) in zip(rows, steps, strict=True)},
        steps[-1][0],
        {rows[-1]: w},
        params=(w,),
        caption="step 2's graph",
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
        caption="step 2's graph",
    )
    first, second, summed = grads[0], grads[1], wrong.grads[rows[-1]] or 0.0
    flipped = (summed > 0) != (second > 0)
    why = (
        "Leaves keep adding to their grad across backward() calls until you zero them (as in "
        "PyTorch), so a training loop must zero its parameters' grads before each backward. "
        f"Without it, step 2's w.grad is step 1's {format_number(first)} plus step 2's own "
        f"{format_number(second)}: {format_number(summed)}"
        + (", with the opposite sign: SGD moves w the wrong way." if flipped else ".")
        + " Each later step adds all the steps before it."
    )
    graph = (
        f"loss_k = (w·x − y)² at step k, w = 1.0, one SGD step (lr {LEARNING_RATE:g}) per "
        "sample (x, y): "
        + " then ".join(f"({format_number(x)}, {format_number(y)})" for x, y in BATCHES)
    )
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
        "broken: no reset",
        o,
        rows,
        params=(nodes["w"], nodes["b"]),
        caption="after the second backward pass",
    )
    nodes, o = twice(Value.backward)
    rows = {derivative("o", name): node for name, node in nodes.items()}
    right = run_of(
        "chainrule",
        o,
        rows,
        params=(nodes["w"], nodes["b"]),
        caption="after the second backward pass",
    )
    n, xw, x = (derivative("o", name) for name in ("n", "xw", "x"))
    show = {row: format_number(wrong.grads[row] or 0.0) for row in (n, xw, x)}
    ok = {row: format_number(right.grads[row] or 0.0) for row in (n, xw, x)}
    why = (
        "backward() twice on the same graph, with the leaves x, w, b zeroed in between. An "
        "engine that seeds o.grad = 1 and only ever adds finds n.grad still holding "
        f"{ok[n]} from the first pass, so n ends at {show[n]}: doubled. xw, one level further, "
        f"adds n's doubled share to its own stale {ok[xw]}: {show[xw]}. The leaves were reset, "
        f"but they are computed from those stale grads, so x gets {show[x]} instead of {ok[x]}. "
        "chainrule sets every operation's grad to 0 at the start of each backward pass (leaves "
        "still accumulate, as in PyTorch), so a second pass gives the same numbers as the first."
    )
    graph = "o = tanh(n), n = xw + b, xw = x·w, with x = 2.0, w = -3.0, b = 6.881"
    return Outcome(graph, (wrong,), right, why, n)
