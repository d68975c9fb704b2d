"""The recorded backward pass in detail: roles and their words, messages, shortcuts (#20).

``test_engine_higher_order.py`` checks the numbers. These check what a learner reads and a
teacher relies on besides them: what each node the pass makes says it is (``Role``, its
edge and its sentence), the exact messages of every refusal, which products the pass does
not make (a local 1 is the upstream node itself, a local −1 one negation, a local 0 no node
at all), attrs passed through a formula's call of an op, and that each formula is compiled
once. They were written to catch the mutants ``make mutation`` found alive.
"""

import math

import pytest
from chainrule.engine import (
    Constant,
    GradcheckError,
    NoHigherDerivativeError,
    Value,
    define_op,
    formula,
    grad,
    gradgradcheck,
    hessian,
    no_grad,
)
from chainrule.engine.graph import topological_order
from chainrule.engine.higher_order import Role, _recorded

# --- Role: the edge each made node serves, and the sentence the pages end its caption with --


def product_xw() -> tuple[Value, Value, Value]:
    x, w = Value(2.0, "x"), Value(0.5, "w")
    n = x * w
    n.label = "n"
    return x, w, n


def test_a_roles_edge_names_the_node_and_the_operand_it_serves():
    x, w, n = product_xw()
    assert Role("local", n, 0).edge == "∂n/∂x"
    assert Role("product", n, 1).edge == "∂n/∂w"
    assert Role("sum", x, -1).edge == "∂/∂x"  # a sum serves a node, not an edge
    names = {n: "t1", x: "x_1", w: "w_1"}  # node_names(): the pages' names win over labels
    assert Role("local", n, 0).edge_named(names) == "∂t1/∂x_1"
    assert Role("product", n, 1).edge_named(names) == "∂t1/∂w_1"
    assert Role("sum", n, -1).edge_named(names) == "∂/∂t1"


def test_each_kind_of_role_describes_itself_in_words():
    x, w, n = product_xw()
    assert Role("local", n, 0).describe() == "∂n/∂x, made a node by create_graph"
    assert Role("product", n, 1).describe() == "chain rule: upstream × ∂n/∂w"
    assert Role("sum", n, -1).describe() == "chain rule: the paths into n added up"
    names = {n: "t1", x: "x_1", w: "w_1"}
    assert Role("local", n, 1).describe(names) == "∂t1/∂w_1, made a node by create_graph"
    assert Role("product", n, 0).describe(names) == "chain rule: upstream × ∂t1/∂x_1"
    assert Role("sum", n, -1).describe(names) == "chain rule: the paths into t1 added up"


# --- the roles the recorded pass gives, node by node ----------------------------------------


def role_of(node: Value) -> tuple[str, Value, int]:
    assert node.role is not None
    return node.role.kind, node.role.node, node.role.operand


def test_a_node_used_twice_gets_a_sum_and_each_product_names_its_operand():
    # o = n·n with n = x·w: ∂o/∂n = n + n (the two paths, one sum node S),
    # ∂o/∂x = w·S and ∂o/∂w = x·S (the products of n's two edges)
    x, w, n = product_xw()
    o = n * n
    dx, dw = grad(o, [x, w], create_graph=True)
    assert (dx.data, dw.data) == (2 * 1.0 * 0.5, 2 * 1.0 * 2.0)
    assert dx.parents[0] is w and dw.parents[0] is x
    total = dx.parents[1]
    assert dw.parents[1] is total and total.parents == (n, n)
    assert role_of(total)[0] == "sum" and role_of(total)[1:] == (n, -1)
    assert role_of(dx)[0] == "product" and role_of(dx)[1] is n and role_of(dx)[2] == 0
    assert role_of(dw)[0] == "product" and role_of(dw)[1] is n and role_of(dw)[2] == 1
    assert total.role.describe() == "chain rule: the paths into n added up"
    assert dx.role.describe() == "chain rule: upstream × ∂n/∂x"
    assert dw.role.describe() == "chain rule: upstream × ∂n/∂w"


def test_a_local_derivative_times_the_seed_stays_local():
    # o = tanh(n): ∂o/∂n is the local 1 − o² itself (× the seed 1 makes no node), so its
    # root keeps the role "local", and each product below it is n's
    x, w, n = product_xw()
    o = n.tanh()
    o.label = "o"
    dx, dw = grad(o, [x, w], create_graph=True)
    local = dx.parents[1]
    assert dw.parents[1] is local
    assert role_of(local)[0] == "local" and role_of(local)[1] is o and role_of(local)[2] == 0
    assert local.role.describe() == "∂o/∂n, made a node by create_graph"
    assert local.data == pytest.approx(1 - math.tanh(1.0) ** 2, abs=1e-15)
    made = [m for m in topological_order(local) if m.role is not None]
    assert {role_of(m) for m in made} == {("local", o, 0)}  # its whole graph is o's local
    assert role_of(dx)[0] == "product" and role_of(dx)[1] is n and role_of(dx)[2] == 0


# --- the products the pass does not make -----------------------------------------------------


def test_a_local_one_passes_the_upstream_node_on_and_a_local_minus_one_negates_it():
    # o = tanh(x − y): ∂o/∂x is the very node ∂o/∂(x − y); ∂o/∂y is one neg node of it
    x, y = Value(0.5, "x"), Value(0.25, "y")
    o = (x - y).tanh()
    dx, dy = grad(o, [x, y], create_graph=True)
    assert dx.role is not None and dx.role.kind == "local"  # the local 1 − o², not a product
    assert dy.op is not None and dy.op.name == "neg" and dy.parents[0] is dx
    assert dy.data == -dx.data == -(1 - math.tanh(0.25) ** 2)


def test_relus_off_side_makes_no_node():
    # relu(r)·2 at r = −1: relu's local derivative is the number 0, so r gets Constant(0.0),
    # no product of 0 and the upstream gradient
    r = Value(-1.0, "r")
    (dr,) = grad(r.relu() * 2.0, [r], create_graph=True)
    assert isinstance(dr, Constant) and dr.data == 0.0
    assert dr.parents == () and dr.role is None


def test_a_zero_local_derivative_skips_only_its_own_operand(table):
    # second(a, b) = b: ∂/∂a = 0 is skipped, ∂/∂b = 1 still flows: o = second(x, y)·y = y²
    second = define_op("second", value="b", grads=["0", "1"])
    x, y = Value(3.0, "x"), Value(5.0, "y")
    dx, dy = grad(second(x, y) * y, [x, y], create_graph=True)
    assert isinstance(dx, Constant) and dx.data == 0.0
    assert dy.data == 10.0
    assert grad(dy, [y])[0].data == 2.0


def test_a_local_derivative_that_is_a_number_multiplies_the_upstream_gradient(table):
    # scale(a, k) = k·a has the local derivative k, a number: f = scale(x, 3)·x = 3x²,
    # f′ = 3·x + scale(x, 3) = 6x = 12 at 2, f″ = 6
    scale = define_op("scale", value="k * a", grads=["k"], attrs=("k",))
    x = Value(2.0, "x")
    (d1,) = grad(scale(x, k=3.0) * x, [x], create_graph=True)
    (d2,) = grad(d1, [x])
    assert (d1.data, d2.data) == (12.0, 6.0)


# --- a formula's call of an op, with attrs --------------------------------------------------


def test_a_formula_may_call_an_op_with_attrs(table):
    # cube's derivative written with power: 3·power(a, 2) = 3a², the power node's attr k = 2;
    # the second derivative 6a, through that power node
    cube = define_op("cube", value="a**3", grads=["3 * power(a, 2)"])
    x = Value(2.0, "x")
    (d1,) = grad(cube(x), [x], create_graph=True)
    assert d1.data == 12.0 and hessian(cube, 2.0) == [[12.0]]
    assert d1.role is not None and d1.role.kind == "local"
    made = [m for m in topological_order(d1) if m.op is not None]
    assert [(m.op.name, m.attrs) for m in made] == [("power", (2.0,)), ("mul", ())]


def test_an_attr_computed_from_values_is_passed_to_the_op_as_its_number(table):
    # lift(a, b) = a**b with ∂/∂a = b·power(a, b − 1): the attr b − 1 is a Value here,
    # and the op power gets its number (attrs are constants: nothing flows through them)
    lift = define_op("lift", value="a**b", grads=["b * power(a, b - 1)", "out * log(a)"])
    x, y = Value(2.0, "x"), Value(3.0, "y")
    (dx,) = grad(lift(x, y), [x], create_graph=True)
    assert dx.data == 12.0  # 3·2²
    powered = next(m for m in topological_order(dx) if m.op is not None and m.op.name == "power")
    assert powered.attrs == (2.0,) and powered.parents == (x,)
    assert grad(dx, [x])[0].data == 12.0  # 3·2·2


def test_a_formula_calling_a_math_function_that_is_no_op_says_which(table):
    # log1p may be called in a formula, but it is no op: there is nothing to record
    ramp = define_op("ramp", value="(1 + a) * log1p(a) - a", grads=["log1p(a)"])
    x = Value(0.5, "x")
    with pytest.raises(NoHigherDerivativeError) as caught:
        grad(ramp(x), [x], create_graph=True)
    assert str(caught.value) == (
        "a local derivative calls log1p(), which is a math function but not an op: "
        "define an op 'log1p' with formulas to take higher derivatives through it"
    )


def test_an_op_redefined_with_fewer_attrs_than_a_formula_passes_fails_loudly(table):
    # use(a) calls scale(a, 2); scale is then defined again without its attr k: the call's
    # 2 has no attr to go to, and is refused rather than silently dropped
    define_op("scale", value="k * a", grads=["k"], attrs=("k",))
    use = define_op("use", value="2 * a", grads=["scale(a, 2)"])
    define_op("scale", value="a", grads=["1"])
    x = Value(1.5, "x")
    with pytest.raises(ValueError):
        grad(use(x) * x, [x], create_graph=True)


# --- each formula compiled once; the tree walked only when asked for -------------------------


def counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count formula.evaluator's compilations, the calls of what it compiles, and
    formula.evaluate's walks of a tree, as the recorded pass makes them."""
    counts = {"compiled": 0, "called": 0, "walked": 0}
    evaluator, evaluate = formula.evaluator, formula.evaluate

    def counted_evaluator(*args, **kwargs):
        counts["compiled"] += 1
        compiled = evaluator(*args, **kwargs)

        def called(*a, **k):
            counts["called"] += 1
            return compiled(*a, **k)

        return called

    def counted_evaluate(*args, **kwargs):
        counts["walked"] += 1
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(formula, "evaluator", counted_evaluator)
    monkeypatch.setattr(formula, "evaluate", counted_evaluate)
    return counts


def test_each_formula_is_compiled_once_and_a_number_is_never_called(table, monkeypatch):
    # wave(a) = a³/3 + 2a: ∂/∂a = a² + 2; shift(a) = a + 7: ∂/∂a = 1, a number. Four wave
    # nodes and four shift nodes: two formulas compiled, once each; the number's never run
    wave = define_op("wave", value="a**3 / 3 + 2 * a", grads=["a**2 + 2"])
    shift = define_op("shift", value="a + 7", grads=["1"])
    counts = counting(monkeypatch)
    x = Value(1.0, "x")
    out = x
    for _ in range(4):
        out = shift(wave(out))
    grad(out, [x], create_graph=True)
    assert counts == {"compiled": 2, "called": 4, "walked": 0}
    grad(out, [x], create_graph=True)  # compiled already: no compilation, the same calls
    assert counts == {"compiled": 2, "called": 8, "walked": 0}


def test_the_plain_pass_walks_the_tree_and_compiles_nothing(table, monkeypatch):
    wave = define_op("wave", value="a**3 / 3 + 2 * a", grads=["a**2 + 2"])
    counts = counting(monkeypatch)
    x = Value(1.0, "x")
    out = wave(wave(x))
    (d,) = _recorded(out, topological_order(out), [x], compiled=False)
    assert (counts["compiled"], counts["called"]) == (0, 0)
    assert counts["walked"] >= 2  # each edge's tree walked, node by node
    assert d.data == pytest.approx((wave(x).data ** 2 + 2) * 3)


# --- the refusals, word for word ----------------------------------------------------------


def test_grad_says_what_it_was_given_instead_of_values():
    x = Value(2.0, "x")
    with pytest.raises(TypeError) as caught:
        grad(3.0, [x])
    assert str(caught.value) == "grad's output must be a Value, got float"
    with pytest.raises(TypeError) as caught:
        grad(x * x, [x, 2.5])
    assert str(caught.value) == "grad's inputs must be Values, got float: 2.5"


def test_grad_takes_one_value_as_its_inputs():
    x = Value(2.0, "x")
    (dx,) = grad(x * x, x)
    assert dx.data == 4.0
    (dx,) = grad(x * x, x, create_graph=True)
    assert dx.data == 4.0


def test_grad_inside_no_grad_says_where_to_call_it():
    x = Value(2.0, "x")
    with no_grad(), pytest.raises(ValueError) as caught:
        grad(x * x, [x])
    assert str(caught.value) == (
        "grad needs the graph of its output, but it was called inside no_grad(), where "
        "operations record no parents: call it outside the no_grad() block"
    )


def test_hessian_names_its_leaves_and_its_refusals():
    seen = []

    def f(a: Value, b: Value) -> Value:
        seen.extend((a.label, b.label))
        return a * b

    assert hessian(f, 1.0, 2.0) == [[0.0, 1.0], [1.0, 0.0]]
    assert seen == ["x0", "x1"]
    with pytest.raises(TypeError) as caught:
        hessian(lambda a: 1.0, 1.0)
    assert str(caught.value) == "hessian needs f to return one Value, got float"
    with pytest.raises(ValueError) as caught:
        hessian(lambda a, b: a * b, 1.0, math.nan)
    assert str(caught.value) == "hessian input 1 needs a finite number, got nan"


def test_gradgradcheck_refusals_word_for_word():
    with pytest.raises(ValueError) as caught:
        gradgradcheck(lambda a: a * a)
    assert str(caught.value) == "gradgradcheck needs at least one input"
    with pytest.raises(ValueError) as caught:
        gradgradcheck(lambda a: a * a, math.inf)
    assert str(caught.value) == "gradgradcheck input 0 needs a finite number, got inf"


# --- gradgradcheck's options --------------------------------------------------------------


def test_gradgradcheck_uses_the_eps_it_is_given_and_raises_when_asked():
    # f = x⁴ at 1, eps 0.5: (f′(1.5) − f′(0.5)) / 1 = 4·3.375 − 4·0.125 = 13, not f″ = 12
    result = gradgradcheck(lambda a: a**4, 1.0, eps=0.5)
    (row,) = result.inputs
    assert (row.name, row.analytic, row.numeric, row.error) == ("∂²f/∂x0∂x0", 12.0, 13.0, 1.0)
    assert not result.ok
    with pytest.raises(GradcheckError):
        gradgradcheck(lambda a: a**4, 1.0, eps=0.5, raise_exception=True)
    assert gradgradcheck(lambda a: a**4, 1.0, raise_exception=True).ok


def test_gradgradcheck_passes_an_exact_agreement_with_no_tolerance_at_all():
    # f = x² at 1, eps 0.5: (f′(1.5) − f′(0.5)) / 1 = 3 − 1 = 2 = f″ exactly: error 0 ≤ 0
    result = gradgradcheck(lambda a: a * a, 1.0, eps=0.5, rtol=0.0, atol=0.0)
    assert result.inputs[0].error == 0.0 and result.ok
