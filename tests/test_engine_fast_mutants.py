"""The fast path's corners, each checked against the plain engine (issue #20, mutation testing).

``tests/test_engine_fast.py`` compares the two engines on random expressions of plain
floats. These tests reach what such expressions never do: an exponent or operand that is
not a plain float (an int too large for a float, a ``Fraction``, a float type of its own as
NumPy's), operands that are no numbers at all, the fresh node's own fields, a graph built
under ``no_grad``, and a hand-made node with more than two parents. Each runs its code on
the fast path, then inside ``fast.plain()``, and asks for the same answer from both.
"""

import math
from collections.abc import Callable
from fractions import Fraction

import pytest
from chainrule.engine import Value, fast, no_grad, value


class Float64(float):
    """A float type whose arithmetic keeps its type, as NumPy's ``float64`` does.

    ``3.0 ** Float64(2.0)`` and ``Float64(2.0) * 3.0`` are ``Float64``s, not ``float``s,
    so a kernel given one returns numbers that are not plain floats.
    """

    def __rpow__(self, base: float) -> "Float64":
        return Float64(float(base) ** float(self))

    def __mul__(self, other: object) -> "Float64":
        if not isinstance(other, float):
            return NotImplemented
        return Float64(float(self) * other)


class NumPyLike(float):
    """A float type whose every operator keeps its type, as NumPy's ``float64``'s do.

    A Value keeps such a number as its data, so a kernel's arithmetic on it answers in it.
    """


def _keeping_the_type(name: str) -> Callable[..., object]:
    def operator(self: float, *other: object) -> object:
        result = getattr(float, name)(self, *other)
        return result if result is NotImplemented else NumPyLike(result)

    return operator


for _name in ("add", "radd", "sub", "rsub", "mul", "rmul", "truediv", "rtruediv", "pow", "neg"):
    setattr(NumPyLike, f"__{_name}__", _keeping_the_type(f"__{_name}__"))


def both(build: Callable[[], object]) -> object:
    """What ``build`` gives on the fast path, after checking the plain engine gives the same."""
    fast_answer = build()
    with fast.plain():
        plain_answer = build()
    assert fast_answer == plain_answer
    return fast_answer


def failure(build: Callable[[], object]) -> tuple[str, str]:
    """The error ``build`` raises, as (type name, message), the same on both engines."""

    def caught() -> tuple[str, str]:
        with pytest.raises(Exception) as error:
            build()
        return type(error.value).__name__, str(error.value)

    return both(caught)  # type: ignore[return-value]


def power_node(k: float) -> tuple[object, ...]:
    """Everything a learner can read off ``x ** k``, with the types of its numbers."""
    x = Value(3.0, "x")
    y = x**k
    y.backward()
    return (
        y.op.name,
        y.data,
        type(y.data),
        y.attrs,
        y.local_grads,
        [type(g) for g in y.local_grads],
        y.parents == (x,),
        x.grad,
    )


@pytest.mark.parametrize(
    ("k", "value", "slope"),
    [(Float64(2.0), 9.0, 6.0), (Float64(0.0), 1.0, 0.0)],
)
def test_a_power_of_a_float_type_of_its_own_is_a_node_of_plain_floats(k, value, slope):
    # The kernel answers in the exponent's own float type; the node keeps plain floats.
    name, data, kind, attrs, local_grads, kinds, linked, grad = both(lambda: power_node(k))
    assert (name, data, kind, attrs) == ("power", value, float, (k,))
    assert (local_grads, kinds, linked, grad) == ((slope,), [float], True, slope)


@pytest.mark.parametrize(
    ("k", "message"),
    [
        (math.inf, "power k needs a finite number, got inf"),
        (2**1100, "power k needs a finite number, got an int of 1101 bits"),
    ],
    ids=["inf", "2**1100"],
)
def test_an_exponent_that_is_no_finite_number_is_named_as_the_plain_engine_names_it(k, message):
    assert failure(lambda: Value(3.0) ** k) == ("ValueError", message)


@pytest.mark.parametrize(
    ("symbol", "operator"),
    [
        ("+", lambda x, other: other + x),
        ("-", lambda x, other: other - x),
        ("*", lambda x, other: other * x),
        ("/", lambda x, other: other / x),
    ],
)
@pytest.mark.parametrize("other", [None, {}])  # (a str or a list has operators of its own)
def test_a_left_operand_that_is_no_number_is_python_s_own_type_error(symbol, operator, other):
    # the reflected method declines too: NotImplemented, on both paths
    assert failure(lambda: operator(Value(3.0), other)) == (
        "TypeError",
        f"unsupported operand type(s) for {symbol}: '{type(other).__name__}' and 'Value'",
    )


@pytest.mark.parametrize(
    ("symbol", "operator"),
    [
        ("**", lambda x, other: x**other),
        ("+", lambda x, other: x + other),
        ("-", lambda x, other: x - other),
        ("/", lambda x, other: x / other),
    ],
)
@pytest.mark.parametrize("other", ["2", True, None])
def test_an_operand_that_is_no_number_is_python_s_own_type_error(symbol, operator, other):
    # NotImplemented, so Python says which types it cannot combine; bool is no number here.
    name = type(other).__name__
    expected = f"unsupported operand type(s) for {symbol}{' or pow()' if symbol == '**' else ''}"
    assert failure(lambda: operator(Value(3.0), other)) == (
        "TypeError",
        f"{expected}: 'Value' and '{name}'",
    )


def test_a_value_is_asked_to_combine_with_no_number_and_declines():
    x = Value(3.0)
    assert x.__pow__("2") is NotImplemented
    assert x.__pow__(True) is NotImplemented
    assert x.__add__("2") is NotImplemented
    assert x.__add__(False) is NotImplemented


@pytest.mark.parametrize(
    "other",
    [2**60, -(2**60), 2**53, -(2**53), 2**53 + 1, Fraction(1, 2), 7],
)
def test_any_real_number_becomes_a_constant_of_its_float(other):
    def build() -> tuple[object, ...]:
        x = Value(3.0, "x")
        y = x + other
        z = other * x
        constant = y.parents[1]
        return (
            y.data,
            type(constant).__name__,
            constant.data,
            type(constant.data),
            constant.label,
            constant.grad,
            z.data,
            z.parents[0].data,
        )

    data, kind, number, number_type, label, grad, product, factor = both(build)
    assert (kind, number, number_type, label, grad) == ("Constant", float(other), float, "", 0.0)
    assert (data, product, factor) == (3.0 + float(other), float(other) * 3.0, float(other))


def test_an_operand_too_large_for_a_float_is_the_plain_engine_s_error():
    kind, message = failure(lambda: Value(3.0) + 10**400)
    assert kind == "ValueError"
    assert "needs a finite number, got an int of 1329 bits" in message


@pytest.mark.parametrize(
    ("build", "op", "value", "operands"),
    [
        (lambda: Value(1e308, "x") + 1e308, "add", "inf", "x = 1e+308 and 1e+308"),
        (lambda: 1e308 + Value(1e308, "x"), "add", "inf", "1e+308 and x = 1e+308"),
        (lambda: Value(-1e308, "x") - 1e308, "sub", "-inf", "x = -1e+308 and 1e+308"),
        (lambda: -1e308 - Value(1e308, "x"), "sub", "-inf", "-1e+308 and x = 1e+308"),
        (lambda: Value(1e200, "x") * 1e200, "mul", "inf", "x = 1e+200 and 1e+200"),
        (lambda: 1e200 * Value(1e200, "x"), "mul", "inf", "1e+200 and x = 1e+200"),
    ],
)
def test_an_inline_operator_that_overflows_says_so_as_the_plain_engine_does(
    build, op, value, operands
):
    # a plain number on either side: on the left, the reflected method (1e308 + x) runs
    assert failure(build) == (
        "NumberOverflowError",
        f"{op} overflows a float here: its value is {value}, beyond the largest float "
        f"(about 1.8e308); scale the inputs down (in {op} of {operands})",
    )


KERNEL_METHODS = [  # Value's methods of the ops the fast path calls the kernel of (not inline)
    slot for slot, (name, _) in value._METHODS.items() if name not in fast.INLINE
]


@pytest.mark.parametrize("slot", KERNEL_METHODS)
def test_a_value_of_a_numpy_like_float_gives_nodes_of_plain_floats(slot):
    # the fast path's methods take their kernel's answer inline only when it is plain floats
    def build() -> list[tuple[str, float]]:
        x = Value(NumPyLike(0.5), "x")
        method = getattr(x, slot)
        y = method() if value.OPS[value._METHODS[slot][0]].arity == 1 else method(4.0)
        y.backward()
        return [y.op, *((type(n).__name__, n) for n in (y.data, *y.local_grads, x.grad))]

    op, *numbers = both(build)
    assert {kind for kind, _ in numbers} == {"float"} and op.registered


NEW_NODES = [  # each way the fast path makes a node: _unary's, then _binary's (two Values)
    lambda x: -x,
    lambda x: x.relu(),
    lambda x: x.tanh(),
    lambda x: x**2,
    lambda x: x + 1,
    lambda x: x * 2,
    lambda x: x * Value(2.0, "c"),
    lambda x: x + Value(-1.0, "c"),
]


@pytest.mark.parametrize("make", NEW_NODES)
def test_a_new_node_starts_with_grad_zero_and_no_label(make):
    def build() -> tuple[object, ...]:
        y = make(Value(0.5, "x"))
        return y.grad, y.label, repr(y)

    grad, label, _ = both(build)
    assert (grad, label) == (0.0, "")


def slots(node: Value) -> dict[str, object]:
    """Every slot of a node, with each Value in it (a parent) given as its data and label."""

    def readable(field: object) -> object:
        if isinstance(field, Value):
            return ("Value", field.data, field.label)
        if isinstance(field, tuple):
            return tuple(readable(item) for item in field)
        return field

    return {name: readable(getattr(node, name, "unset")) for name in Value.__slots__}


@pytest.mark.parametrize("recording", [True, False])
@pytest.mark.parametrize("make", NEW_NODES)
def test_a_new_node_and_its_parents_are_the_plain_engine_s_slot_for_slot(make, recording):
    # The fields no reader tells apart, such as an edge's derivative where there is no
    # parent, or an empty list of further edges, are the plain engine's too; under no_grad
    # (recording off) as well, where the new node is a leaf.
    def build() -> list[dict[str, object]]:
        x = Value(0.5, "x")
        if recording:
            y = make(x)
        else:
            with no_grad():
                y = make(x)
        return [slots(node) for node in (y, *y.parents)]

    assert both(build)


@pytest.mark.parametrize("make", NEW_NODES)
def test_under_no_grad_a_node_is_a_leaf_whose_own_backward_gives_it_grad_one(make):
    def build() -> tuple[object, ...]:
        x = Value(0.5, "x")
        with no_grad():
            y = make(x)
        before = (y.grad, y.label, y.op, y.parents, y.local_grads, y.attrs)
        y.backward()
        y.backward()  # a leaf accumulates: 1 + 1
        return before, y.grad, x.grad

    before, grad, x_grad = both(build)
    assert before == (0.0, "", None, (), (), ())
    assert (grad, x_grad) == (2.0, 0.0)


def test_a_hand_made_node_passes_gradient_to_every_parent_and_adds_to_what_they_have():
    # Parents beyond the second are kept apart (``_more``); c is one twice, and also
    # a parent of the sum, so its gradient is 3 + 4 from n and 1 from the sum.
    def build() -> tuple[float, ...]:
        a, b, c, d = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c"), Value(4.0, "d")
        n = Value(5.0, parents=(a, b, c, c, d), local_grads=(1.0, 2.0, 3.0, 4.0, 5.0))
        out = c + n * 2.0
        out.backward()
        return a.grad, b.grad, c.grad, d.grad, n.grad

    assert both(build) == (2.0, 4.0, 15.0, 10.0, 2.0)
