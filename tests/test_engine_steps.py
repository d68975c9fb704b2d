"""backward_steps(): the chain rule one edge at a time, in backward()'s exact order."""

import math
import re

from chainrule.engine import Value, format_number

from tests.graphs import neuron_with_leaves


def test_one_step_per_edge_with_the_chain_rule_numbers():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    c = a * b
    c.label = "c"
    steps = list(c.backward_steps())
    assert [(s.node, s.parent, s.operand) for s in steps] == [(c, a, 0), (c, b, 1)]
    first = steps[0]
    # ∂c/∂a = b = 3, upstream ∂c/∂c = 1, contribution 3, a.grad afterwards 3
    assert (first.local_grad, first.upstream_grad, first.contribution, first.parent_grad) == (
        3.0,
        1.0,
        3.0,
        3.0,
    )
    assert str(first) == "a.grad += 3.0 × 1.0 = 3.0   (∂c/∂a = b)"
    assert str(steps[1]) == "b.grad += 2.0 × 1.0 = 2.0   (∂c/∂b = a)"


def test_each_step_is_applied_when_it_is_yielded():
    o, (x1, _, w1, _, _) = neuron_with_leaves()
    steps = o.backward_steps()
    first = next(steps)  # o → n: ∂o/∂n = 1 − o² = 0.5
    assert first.parent.label == "n"
    assert first.parent.grad == first.parent_grad
    assert math.isclose(first.parent_grad, 0.5, rel_tol=1e-12)
    assert x1.grad == 0.0 and w1.grad == 0.0  # not reached yet
    assert "(∂o/∂n = 1 − o² = 1 − 0.7071² = 0.5)" in str(first)


def test_exhausting_the_steps_gives_exactly_backwards_grads():
    o1, leaves1 = neuron_with_leaves()
    o1.backward()
    o2, leaves2 = neuron_with_leaves()
    steps = list(o2.backward_steps())
    assert len(steps) == 9  # 1 tanh edge + 2 + 2 additions + 2 × 2 products
    assert [v.grad for v in leaves1] == [v.grad for v in leaves2]


def test_steps_follow_backwards_order_and_show_accumulation():
    # y = x·x: the second edge adds to what the first left, and the text shows the total
    x = Value(3.0, "x")
    y = x * x
    y.label = "y"
    first, second = y.backward_steps()
    assert (first.parent_grad, second.parent_grad) == (3.0, 6.0)
    assert str(second) == "x.grad += 3.0 × 1.0 = 3.0 → 6.0   (∂y/∂x = x)"


def test_formulas_for_every_op():
    a, b = Value(2.0, "a"), Value(4.0, "b")
    cases = {
        "a + b": (a + b, "1", "1"),
        "a - b": (a - b, "1", "−1"),
        "a / b": (a / b, "1/b", "−a/b²"),
        "a ** b": (a**b, "b·a^(b − 1)", "out·ln a"),
    }
    for name, (out, first, second) in cases.items():
        out.label = "out"
        texts = [str(s) for s in out.backward_steps()]
        assert texts[0].endswith(f"= {first})") or f"= {first} = " in texts[0], name
        assert texts[1].endswith(f"= {second})") or f"= {second} = " in texts[1], name
    unary = {
        "exp": (a.exp(), "out"),
        "log": (a.log(), "1/a"),
        "tanh": (a.tanh(), "1 − out²"),
        "sigmoid": (a.sigmoid(), "out·(1 − out)"),
        "softplus": (a.softplus(), "σ(a)"),
        "relu": (a.relu(), "1 if a > 0 else 0"),
        "neg": (-a, "−1"),
        "identity": (a.identity(), "1"),
        "square": (a**2, "2·a"),
        "cube": (a**3, "3·a²"),
        "sqrt": (a**0.5, "0.5·a^(−0.5)"),
    }
    for name, (out, formula) in unary.items():
        out.label = "out"
        (step,) = out.backward_steps()
        text = str(step)
        assert text.endswith(f"(∂out/∂a = {formula})") or f"(∂out/∂a = {formula} = " in text, name


def test_unlabelled_nodes_are_named_by_their_expression():
    x, w = Value(2.0, "x"), Value(-1.0, "w")
    y = (x * w + 1).tanh()
    y.label = "y"
    texts = [str(s) for s in y.backward_steps()]
    assert texts[0].startswith("((x·w)+1.0).grad")
    assert "(∂y/∂((x·w)+1.0) = 1 − y² = 1 − (-0.7616)² = 0.42)" in texts[0]


def test_a_hand_made_op_shows_its_number():
    x = Value(2.0, "x")
    y = Value(8.0, "y", parents=(x,), local_grads=(12.0,), op="cube")
    (step,) = y.backward_steps()
    assert str(step) == "x.grad += 12.0 × 1.0 = 12.0   (∂y/∂x = 12.0)"


def test_labels_with_operators_are_parenthesised_in_the_text():
    x, w = Value(2.0, "x"), Value(3.0, "w")
    xw = x * w
    xw.label = "x*w"
    y = 1 / xw
    y.label = "y"
    texts = [str(s) for s in y.backward_steps()]  # none into the constant 1
    assert texts[0] == (
        "(x*w).grad += -0.02778 × 1.0 = -0.02778   (∂y/∂(x*w) = −1.0/(x*w)² = −1.0/6.0² = -0.02778)"
    )
    # the product checks: 3.0 × -0.02778 would be -0.08334, so one more digit
    assert texts[1].startswith("x.grad += 3.0 × -0.027778 = -0.08333")


def test_every_equation_checks_from_the_digits_it_shows():
    # #18: after what-if x1 = 1.5, w1 = 0.5 the demo neuron's o is 0.99999953, so 1 − o² is
    # 9.409e-07: four digits of o (1.0) would not give it; the text shows enough of them
    from chainrule.engine import agreeing, node_names, topological_order
    from chainrule.engine.narration import describe_step

    x1, x2, w1, w2 = Value(1.5, "x1"), Value(0.0, "x2"), Value(0.5, "w1"), Value(1.0, "w2")
    n = x1 * w1 + x2 * w2 + Value(6.8813735870195432, "b")
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    names = node_names(topological_order(o))
    texts = [describe_step(step, names) for step in o.backward_steps()]
    assert "(∂o/∂n = 1 − o² = 1 − 0.99999952956² = 9.409e-07)" in texts[0]
    assert "t3.grad += 1.0 × 9.409e-07 = 9.409e-07" in texts[1]  # one name, t3, as the page
    for text in texts:  # every product, recomputed from what it shows, gives what it shows
        local, upstream, result = re.search(r"\+= (\S+) × (\S+) = (\S+)", text).groups()
        assert format_number(float(local) * float(upstream)) == result, text
    assert agreeing([0.1, 0.2], sum, 0.30000000000000004) == ["0.1", "0.2"]
    assert agreeing([1 / 3, 3000.0], lambda xs: xs[0] * xs[1], 1000.0) == ["0.33333", "3000.0"]
