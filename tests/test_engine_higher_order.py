"""Higher-order gradients: grad(create_graph=True), hessian and gradgradcheck.

Every expected value is derived by hand in the comment beside it, and also checked against
central differences, so a slip in either the derivation or the engine shows.
"""

import math
import random

import pytest
from chainrule.engine import (
    OPS,
    Constant,
    NoHigherDerivativeError,
    Value,
    define_op,
    grad,
    gradcheck,
    gradgradcheck,
    hessian,
    topological_order,
)
from chainrule.engine.numeric import central_difference
from chainrule.engine.optable import BUILTIN


def newton(f, x: float, steps: int) -> list[float]:
    """Newton's iterates x ← x − f′(x)/f″(x), f′ and f″ from the recorded backward pass."""
    iterates = [x]
    for _ in range(steps):
        v = Value(x, "x")
        (d1,) = grad(f(v), [v], create_graph=True)
        (d2,) = grad(d1, [v])
        x = x - d1.data / d2.data
        iterates.append(x)
    return iterates


def test_newton_on_a_quartic_from_two():
    # f = x⁴ − 2x², f′ = 4x³ − 4x, f″ = 12x² − 4; from x = 2: 2 − 24/44 = 1.4545…
    iterates = newton(lambda x: x**4 - 2 * x**2, 2.0, 7)
    expected = [2.0, 1.4545, 1.1510, 1.0253, 1.0009, 1.0000]
    assert [round(x, 4) for x in iterates[:6]] == expected
    assert iterates[1] == pytest.approx(2 - 24 / 44, abs=1e-15)
    assert abs(iterates[7] - 1.0) < 1e-12


def test_double_backprop_through_the_gradient_itself():
    # y = x², g = ∂y/∂x = 2x (a graph), z = g³ + y: ∂z/∂x = 3g²·2 + 2x = 3·16·2 + 4 = 100 at 2
    x = Value(2.0, "x")
    y = x**2
    (g,) = grad(y, [x], create_graph=True)
    z = g**3 + y
    (dz,) = grad(z, [x])
    assert g.data == 4.0 and dz.data == 100.0
    z.backward()  # .backward() works on it too, and .grad stays a float
    assert x.grad == 100.0
    numeric = central_difference(lambda p: (2 * p[0]) ** 3 + p[0] ** 2, [2.0], 0)
    assert numeric == pytest.approx(100.0, rel=1e-7)


def test_a_hessian_of_xy_plus_exp_xy():
    # f = xy + e^{xy}: f_xx = y²e^{xy} = 4e², f_xy = 1 + e^{xy} + xy·e^{xy} = 1 + 3e²,
    # f_yy = x²e^{xy} = e², at (1, 2)
    h = hessian(lambda x, y: x * y + (x * y).exp(), 1.0, 2.0)
    e2 = math.exp(2.0)
    assert h == [
        [pytest.approx(4 * e2, rel=1e-14), pytest.approx(1 + 3 * e2, rel=1e-14)],
        [pytest.approx(1 + 3 * e2, rel=1e-14), pytest.approx(e2, rel=1e-14)],
    ]
    assert gradgradcheck(lambda x, y: x * y + (x * y).exp(), 1.0, 2.0).ok


@pytest.mark.parametrize("x0", [-1.3, -0.2, 0.0, 0.4, 1.1])
def test_the_third_derivative_of_tanh(x0):
    # t = tanh x: t′ = 1 − t², t″ = −2t(1 − t²), t‴ = −2(1 − t²)(1 − 3t²)
    x = Value(x0, "x")
    (d1,) = grad(x.tanh(), [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    t = math.tanh(x0)
    assert d1.data == pytest.approx(1 - t * t, abs=1e-15)
    assert d2.data == pytest.approx(-2 * t * (1 - t * t), abs=1e-14)
    assert d3.data == pytest.approx(-2 * (1 - t * t) * (1 - 3 * t * t), abs=1e-13)
    second = central_difference(
        lambda p: -2 * math.tanh(p[0]) * (1 - math.tanh(p[0]) ** 2), [x0], 0
    )
    assert d3.data == pytest.approx(second, abs=1e-7)


def sample(name: str, rng: random.Random) -> tuple[list[float], dict[str, float]]:
    """A point inside the op's domain, away from relu's kink, and its attrs."""
    op = OPS[name]
    point = [rng.uniform(0.3, 1.7) * rng.choice((1, -1)) for _ in range(op.arity)]
    if name in ("log", "pow"):
        point[0] = abs(point[0])
    return point, {attr: 3.0 for attr in op.attrs}


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_every_builtin_ops_second_derivatives_pass_gradgradcheck(name):
    # the table is iterated: a new built-in op is checked here the moment it is defined
    op = OPS[name]
    rng = random.Random(name)
    for _ in range(5):
        point, attrs = sample(name, rng)

        def f(*operands, attrs=attrs):
            out = op(*operands, **attrs)
            return out * out  # a non-linear use, so that the mixed terms are not all zero

        result = gradgradcheck(f, *point)
        assert result.ok, (name, point, str(result))


def test_without_create_graph_grad_gives_backwards_numbers_and_leaves_grad_alone():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    out = (x * w).tanh()
    dx, dw = grad(out, [x, w])
    assert (dx.parents, dw.parents) == ((), ())  # plain numbers, no graph
    assert x.grad == 0.0 and w.grad == 0.0
    out.backward()
    assert (dx.data, dw.data) == (x.grad, w.grad)
    assert (dx.label, dw.label) == ("∂tanh((x·w))/∂x", "∂tanh((x·w))/∂w")


def test_every_node_the_recorded_pass_makes_knows_its_role():
    x, w = Value(2.0, "x"), Value(0.5, "w")
    o = (x * w).tanh()
    o.label = "o"
    forward = set(topological_order(o))
    (dw,) = grad(o, [w], create_graph=True)
    made = [n for n in topological_order(dw) if n not in forward]
    assert made and all(n.role is not None for n in made)
    assert {n.role.kind for n in made} >= {"local", "product"}
    local = next(n for n in made if n.role.kind == "local" and n.role.op == "tanh")
    assert local.role.describe().endswith(", made a node by create_graph")
    assert all(n.role is None for n in forward)  # the original graph is untouched
    assert dw.data == pytest.approx(2.0 * (1 - math.tanh(1.0) ** 2))


def test_an_input_the_output_does_not_reach_gets_zero():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    (gy,) = grad(x * 3, [y], create_graph=True)
    assert isinstance(gy, Constant) and gy.data == 0.0
    assert grad(x, [x], create_graph=True)[0].data == 1.0


def test_an_op_given_as_a_python_function_says_to_use_formulas(table):
    cube = define_op("pycube", lambda x: (x**3, 3 * x**2))
    x = Value(2.0, "x")
    with pytest.raises(NoHigherDerivativeError, match=r"op 'pycube'.*define it with formulas"):
        grad(cube(x), [x], create_graph=True)
    assert grad(cube(x), [x])[0].data == 12.0  # first order still works


def test_a_learners_formula_op_has_higher_derivatives(table):
    cube = define_op("cube", value="a**3", grads=["3*a**2"])
    # x³: second derivative 6x = 12 at 2, third 6
    x = Value(2.0, "x")
    (d1,) = grad(cube(x), [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    assert (d1.data, d2.data, d3.data) == (12.0, 12.0, 6.0)


def test_gradgradcheck_catches_a_wrong_second_derivative(table):
    # the recorded pass evaluates 3a² + a where the kernel computes 3a²: its second
    # derivative 6a + 1 disagrees with the differences of the first derivatives, 6a
    from chainrule.engine import formula

    cube = define_op("cube", value="a**3", grads=["3*a**2"])
    assert gradgradcheck(cube, 1.7).ok
    wrong = formula.parse("3*a**2 + a", ("a", "out"), {})
    object.__setattr__(cube, "grad_trees", (wrong,))
    result = gradgradcheck(cube, 1.7)
    assert not result.ok and "WRONG" in str(result)


def test_gradcheck_of_a_gradient_penalty_differentiates_inside_f():
    # J(w) = (w·x − y)² + λ(∂loss/∂x)²: gradcheck's numbers must record f's own graph too
    def objective(w):
        x = Value(1.5, "x")
        loss = (w * x - 0.5) ** 2
        (dx,) = grad(loss, [x], create_graph=True)
        return loss + 0.1 * dx**2

    assert gradcheck(objective, 0.7).ok


def test_grad_inside_no_grad_says_why_it_cannot_work():
    from chainrule.engine import no_grad

    x = Value(2.0, "x")
    with no_grad(), pytest.raises(ValueError, match=r"inside no_grad\(\)"):
        grad(x * x, [x])
