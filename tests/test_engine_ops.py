"""Every op's gradients, derived by hand at fixed points (derivation in each comment)."""

import math

import pytest
from chainrule.engine import Constant, Value, fast
from chainrule.engine.errors import DomainError
from chainrule.engine.value import add, div, identity, pow_, power, softplus, sub


def leaves(*pairs):
    return [Value(x, name) for name, x in pairs]


def test_add():
    # c = a + b: ∂c/∂a = 1, ∂c/∂b = 1
    a, b = leaves(("a", 2.0), ("b", -3.0))
    c = a + b
    c.backward()
    assert c.data == -1.0
    assert (a.grad, b.grad) == (1.0, 1.0)
    assert c.parents == (a, b) and c.local_grads == (1.0, 1.0) and c.op is add


def test_sub():
    # c = a − b: ∂c/∂a = 1, ∂c/∂b = −1
    a, b = leaves(("a", 2.0), ("b", -3.0))
    c = a - b
    c.backward()
    assert c.data == 5.0
    assert (a.grad, b.grad) == (1.0, -1.0)
    assert c.op is sub


def test_mul():
    # c = a · b: ∂c/∂a = b = −3, ∂c/∂b = a = 2
    a, b = leaves(("a", 2.0), ("b", -3.0))
    c = a * b
    c.backward()
    assert c.data == -6.0
    assert (a.grad, b.grad) == (-3.0, 2.0)


def test_div():
    # c = a / b with a = 3, b = 2: ∂c/∂a = 1/b = 0.5, ∂c/∂b = −a/b² = −0.75
    a, b = leaves(("a", 3.0), ("b", 2.0))
    c = a / b
    c.backward()
    assert c.data == 1.5
    assert (a.grad, b.grad) == (0.5, -0.75)
    assert c.op is div


def test_neg():
    # c = −a: ∂c/∂a = −1
    (a,) = leaves(("a", 4.0))
    c = -a
    c.backward()
    assert c.data == -4.0 and a.grad == -1.0


def test_constant_power():
    # c = a³ at a = 2: ∂c/∂a = 3a² = 12; the exponent is a field of the node, not a parent
    (a,) = leaves(("a", 2.0))
    c = a**3
    c.backward()
    assert c.data == 8.0 and a.grad == 12.0
    assert c.parents == (a,) and c.op is power and c.attrs == (3.0,)


def test_fractional_and_negative_powers():
    # √a at a = 4: ∂/∂a = ½·a^(−½) = 0.25;  a^(−1) at a = 4: ∂/∂a = −a^(−2) = −1/16
    (a,) = leaves(("a", 4.0))
    c = a**0.5
    c.backward()
    assert c.data == 2.0 and a.grad == 0.25
    (b,) = leaves(("b", 4.0))
    d = b**-1
    d.backward()
    assert d.data == 0.25 and b.grad == -0.0625


def test_power_edge_cases():
    # a⁰ = 1 has derivative 0 everywhere; √a at a = 0 has an infinite slope, which no float holds
    (a,) = leaves(("a", 0.0))
    c = a**0
    c.backward()
    assert c.data == 1.0 and a.grad == 0.0
    (b,) = leaves(("b", 0.0))
    with pytest.raises(DomainError, match=r"infinite slope at x = 0.*\(in power of b = 0\.0\)"):
        b**0.5
    # a negative base with an integer exponent is fine: (−2)³ = −8, ∂/∂a = 3a² = 12
    (n,) = leaves(("n", -2.0))
    m = n**3
    m.backward()
    assert m.data == -8.0 and n.grad == 12.0


def test_value_power():
    # c = a^b with a = 2, b = 3: ∂c/∂a = b·a^(b−1) = 12, ∂c/∂b = a^b·ln a = 8 ln 2
    a, b = leaves(("a", 2.0), ("b", 3.0))
    c = a**b
    c.backward()
    assert c.data == 8.0
    assert a.grad == 12.0
    assert b.grad == pytest.approx(8 * math.log(2), rel=1e-15)
    assert c.parents == (a, b) and c.op is pow_


def test_number_to_value_power():
    # c = 2^x at x = 3: ∂c/∂x = 2^x·ln 2; the base 2 becomes a constant leaf
    (x,) = leaves(("x", 3.0))
    c = 2**x
    c.backward()
    assert c.data == 8.0
    assert x.grad == pytest.approx(8 * math.log(2), rel=1e-15)
    assert c.parents[0].data == 2.0 and c.parents[0].is_constant and c.parents[1] is x


def test_exp():
    # c = e^a: ∂c/∂a = e^a
    (a,) = leaves(("a", 1.5))
    c = a.exp()
    c.backward()
    assert c.data == math.exp(1.5) and a.grad == math.exp(1.5)


def test_log():
    # c = ln a at a = 4: ∂c/∂a = 1/a = 0.25
    (a,) = leaves(("a", 4.0))
    c = a.log()
    c.backward()
    assert c.data == math.log(4.0) and a.grad == 0.25


def test_tanh():
    # c = tanh a at a = artanh(0.6): ∂c/∂a = 1 − tanh² a = 1 − 0.36 = 0.64
    (a,) = leaves(("a", math.atanh(0.6)))
    c = a.tanh()
    c.backward()
    assert c.data == pytest.approx(0.6, rel=1e-15)
    assert a.grad == pytest.approx(0.64, rel=1e-15)


def test_sigmoid():
    # σ(0) = ½, σ'(0) = σ(1 − σ) = ¼;  σ(ln 3) = 3/4, σ' = 3/16
    (a,) = leaves(("a", 0.0))
    c = a.sigmoid()
    c.backward()
    assert (c.data, a.grad) == (0.5, 0.25)
    (b,) = leaves(("b", math.log(3.0)))
    d = b.sigmoid()
    d.backward()
    assert d.data == pytest.approx(0.75, rel=1e-15)
    assert b.grad == pytest.approx(3 / 16, rel=1e-15)


def test_sigmoid_is_stable_for_large_inputs():
    # σ(±800) must not overflow: σ(800) = 1, σ(−800) = e^−800 ≈ 0, both with slope ≈ 0
    assert Value(800.0).sigmoid().data == 1.0
    low = Value(-800.0).sigmoid()
    assert low.data == 0.0 and low.local_grads == (0.0,)


def test_softplus():
    # softplus(a) = ln(1 + e^a), ∂/∂a = e^a/(1 + e^a) = σ(a)
    # a = 0: ln 2, σ(0) = ½;  a = ln 3: ln 4, σ = 3/4;  a = −ln 3: ln(4/3), σ = 1/4
    for x, out, slope in (
        (0.0, math.log(2.0), 0.5),
        (math.log(3.0), math.log(4.0), 0.75),
        (-math.log(3.0), math.log(4.0 / 3.0), 0.25),
    ):
        a = Value(x, "a")
        c = a.softplus()
        c.backward()
        assert c.data == pytest.approx(out, rel=1e-15)
        assert a.grad == pytest.approx(slope, rel=1e-15)
        assert c.op is softplus and c.parents == (a,)


def test_softplus_is_stable_for_large_inputs():
    # ln(1 + e^1000) would overflow e^1000; it is 1000 + ln(1 + e^−1000) = 1000, slope σ = 1.
    # ln(1 + e^−1000) = 0 to the last bit, slope σ(−1000) = e^−1000 = 0.
    high = Value(1000.0).softplus()
    assert (high.data, high.local_grads) == (1000.0, (1.0,))
    low = Value(-1000.0).softplus()
    assert (low.data, low.local_grads) == (0.0, (0.0,))


def test_softplus_minus_its_mirror_is_the_identity():
    # ln(1 + e^x) − ln(1 + e^−x) = ln(e^x) = x, and σ(x) + σ(−x) = 1
    for x in (-3.5, -0.2, 0.7, 12.0):
        up, down = Value(x).softplus(), Value(-x).softplus()
        assert up.data - down.data == pytest.approx(x, rel=1e-14)
        assert up.local_grads[0] + down.local_grads[0] == pytest.approx(1.0, rel=1e-15)


def test_identity():
    # c = a as a node of its own: ∂c/∂a = 1
    (a,) = leaves(("a", -2.5))
    c = a.identity()
    c.backward()
    assert (c.data, a.grad, c.op, c.parents) == (-2.5, 1.0, identity, (a,))


def test_relu():
    # relu'(z) = 1 for z > 0, 0 for z < 0, and 0 at z = 0 (the PyTorch convention)
    for z, out, slope in ((2.5, 2.5, 1.0), (-1.0, 0.0, 0.0), (0.0, 0.0, 0.0)):
        a = Value(z)
        c = a.relu()
        c.backward()
        assert (c.data, a.grad) == (out, slope)


def test_numbers_on_either_side():
    # f = 2·x + 1 − x/4 + 3/x − (1 − x) at x = 2
    # ∂f/∂x = 2 − 1/4 − 3/x² + 1 = 2 − 0.25 − 0.75 + 1 = 2
    x = Value(2.0, "x")
    f = 2 * x + 1 - x / 4 + 3 / x - (1 - x)
    f.backward()
    assert f.data == 2 * 2 + 1 - 0.5 + 1.5 - (1 - 2)
    assert x.grad == 2.0


def test_numbers_become_constants_in_operand_order():
    x = Value(5.0, "x")
    c = 1 - x
    assert c.parents[1] is x
    one = c.parents[0]
    assert isinstance(one, Constant) and one.data == 1.0 and one.parents == ()
    assert c.local_grads == (1.0, -1.0)


def test_a_constant_is_drawn_but_takes_no_gradient_and_no_step():
    # f = x·x + 3·x at x = 2: ∂f/∂x = 2x + 3 = 7; the 3 is a constant, not a variable
    x = Value(2.0, "x")
    f = x * x + 3 * x
    f.backward()
    three = f.parents[1].parents[0]
    assert isinstance(three, Constant) and three.data == 3.0
    assert x.grad == 7.0 and three.grad == 0.0
    assert all(not step.parent.is_constant for step in f.backward_steps())
    three.grad = 5.0  # a constant ignores what it is given
    assert three.grad == 0.0


def test_a_value_the_user_makes_is_a_leaf_that_gets_gradients():
    # f = c·x with c = Value(3.0): unlike the literal 3, c is a variable: ∂f/∂c = x = 2
    c, x = Value(3.0), Value(2.0, "x")
    f = c * x
    f.backward()
    assert not c.is_constant and c.grad == 2.0 and x.grad == 3.0


def test_a_constant_exponent_is_the_power_op_whatever_the_sign_of_the_base():
    # (x²)' = 2x at x = −3, 0, 3; (x³)' = 3x² at x = −2; 0.5·(a − y)² at a = 0.3, y = 1:
    # ∂/∂a = a − y = −0.7
    for x0, slope in ((-3.0, -6.0), (0.0, 0.0), (3.0, 6.0)):
        for k in (2, Constant(2.0)):
            x = Value(x0)
            y = x**k
            y.backward()
            assert (y.op, y.attrs, y.data, x.grad) == (power, (2.0,), x0 * x0, slope)
    x = Value(-2.0)
    (x**3).backward()
    assert x.grad == 12.0
    a, target = Value(0.3, "a"), Value(1.0, "y")
    loss = 0.5 * (a - target) ** 2
    loss.backward()
    assert a.grad == pytest.approx(-0.7, rel=1e-15) and target.grad == pytest.approx(0.7)


def test_ints_are_accepted_and_stored_as_floats():
    v = Value(3)
    assert isinstance(v.data, float) and v.data == 3.0
    assert isinstance((v * 2).data, float)


def test_a_constant_exponent_is_kept_exactly_as_a_field_of_the_node():
    k = 1.0 + 0.531  # 1.5310000000000001: printing it with "%g" would round it
    node = Value(2.0) ** k
    assert node.op is power and node.attrs == (k,) and node.parents[0].data == 2.0


def test_a_constant_reads_as_the_call_that_makes_it():
    assert repr(Constant(2.0)) == "Constant(2.0)"
    assert repr(Constant(0.5, "half")) == "Constant(0.5, label='half')"


def test_the_plain_power_operator_picks_power_for_a_constant_and_pow_for_a_value():
    with fast.plain():
        x = Value(3.0, "x")
        squared = x ** Constant(2.0)
        assert (squared.op, squared.attrs, squared.parents, squared.data) == (
            power,
            (2.0,),
            (x,),
            9.0,
        )
        raised = x ** Value(2.0)
        assert raised.op is pow_ and raised.data == 9.0
        assert x.__pow__(True) is NotImplemented
        assert x.__pow__("2") is NotImplemented


def test_a_number_to_a_value_power_is_pow_and_anything_else_is_refused():
    x = Value(3.0, "x")
    raised = 2.0**x
    assert raised.op is pow_ and raised.data == 8.0 and raised.parents[1] is x
    assert x.__rpow__("2") is NotImplemented
    with fast.plain():
        assert x.__rpow__("2") is NotImplemented
