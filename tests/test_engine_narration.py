"""narration.py's words, exactly: node names, powers, depth, the digits an equation needs.

``test_engine_steps.py`` reads whole steps; here each piece a learner reads is pinned on its
own, with the edge cases a page or ``chainrule step`` meets: x ** 10, x ** 0, a label that
looks like ``t1``, the same label twice, a constant among the nodes, a formula whose numbers
cannot be recomputed.
"""

import pytest
from chainrule.engine import Value, agreeing, define_op, name_of, node_names, topological_order
from chainrule.engine.narration import describe_step, formula, grouped, spelled


def test_powers_are_written_with_superscripts_from_0_to_9_and_a_caret_otherwise():
    x = Value(2.0, "x")
    assert [name_of(x**k) for k in (0, 2, 9)] == ["x⁰", "x²", "x⁹"]
    # beyond one digit, negative or fractional: the exponent after ^, without a trailing .0
    assert [name_of(x**k) for k in (10, -1, 0.5, -0.5)] == ["x^10", "x^-1", "x^0.5", "x^-0.5"]


def test_unlabelled_nodes_are_spelled_two_levels_deep_and_the_rest_is_an_ellipsis():
    x, w, b = Value(2.0, "x"), Value(3.0, "w"), Value(1.0, "b")
    n = x * w + b
    assert name_of(n) == "((x·w)+b)"
    assert name_of(n.tanh()) == "tanh((…+b))"  # depth 2 by default
    assert name_of(n.tanh(), depth=3) == "tanh(((x·w)+b))"
    assert name_of(n.tanh(), depth=1) == "tanh(…)"
    assert name_of(-x) == "(−x)"  # one operand, no attr: the infix before it
    assert name_of(Value(-1.5)) == "-1.5"  # a leaf without a label: its number


def test_spelled_writes_one_level_and_a_leaf_as_its_number():
    # chainrule step writes a node as its op over its operands' names, one level deep
    x, w, b = Value(2.0, "x"), Value(3.0, "w"), Value(1.0, "b")
    n = x * w + b
    assert spelled(n) == "(…+b)"
    assert spelled(n, 2) == "((x·w)+b)"
    assert spelled(Value(2.5)) == "2.5"


def test_names_are_used_for_the_operands_of_a_node_they_do_not_name():
    # names for the graph of n, then a node made after it: its operands keep their names
    x, w = Value(2.0), Value(3.0)
    n = x * w
    names = node_names(topological_order(n))
    assert names == {x: "t1", w: "t2", n: "t3"}
    assert name_of(n.tanh(), names=names) == "tanh(t3)"
    assert name_of(n * 2 + 1, names=names) == "((t3·2.0)+1.0)"
    assert spelled(n.tanh() * w, 2, names) == "(tanh(t3)·t2)"


def test_an_infix_op_with_one_attr_writes_the_attr_after_its_operand(table):
    scale = define_op("scale", value="k*a", grads=["k"], attrs=("k",), infix="×")
    assert name_of(scale(Value(2.0, "x"), k=3.0)) == "x×3"
    assert name_of(scale(Value(2.0, "x"), k=0.25)) == "x×0.25"
    # two attrs fit no infix pattern: the op's name, as a function of its operand
    lerp = define_op("lerp", value="j*a + k", grads=["j"], attrs=("j", "k"), infix="~")
    assert name_of(lerp(Value(2.0, "x"), j=2.0, k=1.0)) == "lerp(x)"


def test_node_names_number_the_unlabelled_and_skip_labels_and_constants():
    # the constant 2.0 comes first in the order; every node after it is still named
    x = Value(2.0, "x")
    y = 2 * x + x * 3
    y.label = "y"
    order = topological_order(y)
    assert order[0].is_constant
    assert list(node_names(order).values()) == ["x", "t1", "t2", "y"]


def test_node_names_give_a_repeated_label_a_suffix_and_skip_a_taken_t_name():
    first, second, third = Value(1.0, "x"), Value(2.0, "x"), Value(3.0, "x")
    t1 = Value(4.0, "t1")  # a learner's label that looks like an automatic name
    z = (first + second) * (third + t1)
    names = node_names(topological_order(z))
    assert [names[v] for v in (first, second, third, t1)] == ["x", "x_2", "x_3", "t1"]
    assert sorted(name for node, name in names.items() if not node.label) == ["t2", "t3", "t4"]
    # shown() may shorten labels; the shortened ones are what repeat and what is taken
    names = node_names(topological_order(z), shown=lambda label: label[:1])
    assert [names[v] for v in (first, second, third, t1)] == ["x", "x_2", "x_3", "t"]


def test_no_two_nodes_share_a_name_when_a_suffix_is_another_nodes_label():
    x, x_again, x_2 = Value(1.0, "x"), Value(2.0, "x"), Value(3.0, "x_2")
    out = (x + x_again) * x_2
    names = node_names(topological_order(out))
    assert len(set(names.values())) == len(names)
    assert (names[x], names[x_again], names[x_2]) == ("x", "x_3", "x_2")


def test_grouped_parenthesises_an_operator_outside_parentheses_only():
    assert grouped("x") == "x"
    assert grouped("Xw") == "Xw"  # a capital X is a name, not an operator
    assert grouped("tanh(x+1)") == "tanh(x+1)"
    assert grouped("(x+1)") == "(x+1)"
    assert grouped("(x+1)*2") == "((x+1)*2)"  # the * comes after the parenthesis closes
    assert grouped("x w") == "(x w)"


def test_formula_of_a_node_without_formulas_is_empty():
    x = Value(2.0, "x")
    assert formula(x, 0) == ""  # a leaf has no op
    made = Value(8.0, "y", parents=(x,), local_grads=(12.0,))  # a hand-made node, no op
    assert formula(made, 0) == "" and formula(made, 0, numbers=True) == ""
    (step,) = made.backward_steps()
    assert str(step) == "x.grad += 12.0 × 1.0 = 12.0   (∂y/∂x = 12.0)"


def test_zero_is_written_without_parentheses_and_negatives_with_them():
    o = Value(0.0, "t").tanh()
    o.label = "o"
    assert formula(o, 0, numbers=True) == "1 − 0.0²"
    (step,) = o.backward_steps()
    assert str(step) == "t.grad += 1.0 × 1.0 = 1.0   (∂o/∂t = 1 − o² = 1 − 0.0² = 1.0)"
    o = Value(-0.5, "t").tanh()
    assert formula(o, 0, numbers=True) == "1 − (-0.46212)²"  # five digits: 1 − 0.4621² is 0.7865


def test_a_formula_that_cannot_be_recomputed_shows_four_digits():
    # −a/b² with b = 1e-200: b² underflows to 0, so the shown formula cannot be recomputed
    # (the kernel computes −out/b); its numbers are written as usual, not to 17 digits
    a, b = Value(1e-200, "a"), Value(1e-200, "b")
    q = a / b
    q.label = "q"
    assert formula(q, 1, numbers=True) == "−1e-200/1e-200²"
    texts = [str(step) for step in q.backward_steps()]
    assert texts[1] == (
        "b.grad += -1e+200 × 1.0 = -1e+200   (∂q/∂b = −a/b² = −1e-200/1e-200² = -1e+200)"
    )


def test_a_formula_that_does_not_need_the_digits_still_shows_four():
    # relu's slope is 1 however few digits of a are shown; they start at four
    a = Value(0.123456, "a")
    out = a.relu()
    out.label = "out"
    (step,) = out.backward_steps()
    assert str(step).endswith("(∂out/∂a = 1 if a > 0 else 0 = 1 if 0.1235 > 0 else 0 = 1.0)")
    assert agreeing([1.23456], lambda xs: 1.0, 1.0) == ["1.235"]


def test_agreeing_skips_digits_whose_numbers_cannot_be_computed():
    # at four digits 1.00001 reads 1.0 and 1/(x − 1) divides by zero; six digits work
    assert agreeing([1.00001], lambda xs: 1 / (xs[0] - 1), 1 / (1.00001 - 1)) == ["1.00001"]


@pytest.mark.parametrize("compute", [lambda xs: None, lambda xs: xs[0] + 1])
def test_agreeing_gives_17_digits_when_no_digits_agree(compute):
    # 17 significant digits write any float exactly: the most the numbers can say
    assert agreeing([0.1, 2.0], compute, 0.25) == ["0.10000000000000001", "2.0"]


def test_describe_step_uses_the_names_given_for_node_parent_and_formula():
    x = Value(0.5)
    o = (x * 2).tanh()
    names = node_names(topological_order(o))
    assert names[o] == "t3"
    first = next(o.backward_steps())
    assert describe_step(first, names) == (
        "t2.grad += 0.42 × 1.0 = 0.42   (∂t3/∂t2 = 1 − t3² = 1 − 0.7616² = 0.42)"
    )
