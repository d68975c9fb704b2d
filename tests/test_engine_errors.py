"""Bad input: a specific exception that says what was wrong, and no state changed."""

import math

import pytest
from chainrule.engine import (
    DivisionByZeroError,
    DomainError,
    MathError,
    NumberOverflowError,
    Replay,
    Value,
    define_op,
    topological_order,
    zero_grad,
)


@pytest.mark.parametrize("data", ["abc", None, [1], {"x": 1}, True, 1j])
def test_non_numbers_are_refused_with_the_type_named(data):
    with pytest.raises(TypeError, match=type(data).__name__):
        Value(data)


def test_a_value_inside_a_value_points_to_data():
    with pytest.raises(TypeError, match=r"\.data"):
        Value(Value(1.0))


@pytest.mark.parametrize("data", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_are_refused(data):
    with pytest.raises(ValueError, match="finite"):
        Value(data)


X = Value(2.0, "x")
POWER = (X**3).op  # a table op with an attr, k


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Value(1.0, 3), TypeError, "Value label must be a str, got int: 3"),
        (
            lambda: Value(1.0, parents=[2.0], local_grads=[1.0]),
            TypeError,
            "Value parents must all be Value objects, got float: 2.0; "
            "wrap plain numbers as Value(number) first",
        ),
        (
            lambda: Value(1.0, parents=[X], local_grads=[]),
            ValueError,
            "Value needs one local gradient per parent: got 1 parents and 0 local_grads",
        ),
        (
            lambda: Value(1.0, parents=[X], local_grads=[1.0], op=3),
            TypeError,
            "Value op must be an Op or a str, got int: 3",
        ),
        (
            lambda: Value(1.0, op="cube"),
            ValueError,
            "op 'cube' was given without its operands: pass parents=(…)",
        ),
        (
            lambda: Value(1.0, attrs=(2.0,)),
            ValueError,
            "a node without an op takes 0 attrs (), got (2.0,)",
        ),
        (
            lambda: Value(1.0, parents=[X], local_grads=[1.0], op="cube", attrs=(2.0,)),
            ValueError,
            "op cube takes 0 attrs (), got (2.0,)",
        ),
        (
            lambda: Value("abc"),
            TypeError,
            "Value(data) needs a real number (int or float), got str: 'abc'",
        ),
        (
            lambda: Value(X),
            TypeError,
            "Value(data) needs a real number (int or float), got Value: "
            "Value(data=2.0, grad=0.0, label='x'); use its .data for the number",
        ),
        (
            lambda: Value(2**1100),
            ValueError,
            "Value(data) needs a finite number, got an int of 1101 bits",
        ),
        (lambda: Value(float("nan")), ValueError, "Value(data) needs a finite number, got nan"),
        (
            lambda: Value(1.0, parents=[X], local_grads=["a"]),
            TypeError,
            "Value local_grads needs a real number (int or float), got str: 'a'",
        ),
        (
            lambda: Value(1.0, parents=[X], local_grads=[10**400]),
            ValueError,
            "Value local_grads needs a finite number, got an int of 1329 bits",
        ),
        (
            lambda: Value(8.0, parents=[X], local_grads=[12.0], op=POWER, attrs=("a",)),
            TypeError,
            "Value attrs needs a real number (int or float), got str: 'a'",
        ),
    ],
)
def test_each_refusal_of_a_hand_made_node_says_exactly_what_was_wrong(make, error, message):
    with pytest.raises(error) as refused:
        make()
    assert str(refused.value) == message


def test_unsupported_operand_types_raise_type_error():
    x = Value(1.0)
    for bad in ("a", None, [1.0]):
        with pytest.raises(TypeError):
            x + bad
        with pytest.raises(TypeError):
            bad * x


def snapshot(*values):
    return [(v.data, v.grad, v.parents, v.local_grads) for v in values]


def check_refused(error, match, make, *operands):
    for v in operands:
        v.grad = 0.25
    before = snapshot(*operands)
    with pytest.raises(error, match=match):
        make()
    assert snapshot(*operands) == before


def test_log_of_a_non_positive_value():
    for x in (0.0, -1.0):
        v = Value(x, "x")
        check_refused(ValueError, r"log needs a positive input.*\(in log of x = ", v.log, v)


def test_division_by_zero_names_the_divisor():
    a, b = Value(1.0, "a"), Value(0.0, "b")
    check_refused(
        ZeroDivisionError,
        r"division by zero.*\(in div of a = 1\.0 and b = 0\.0\)",
        lambda: a / b,
        a,
        b,
    )
    check_refused(ZeroDivisionError, "division by zero", lambda: 1 / b, b)
    check_refused(ZeroDivisionError, "division by zero", lambda: a / 0, a)


def test_exp_overflow_names_the_operand():
    v = Value(800.0, "big")
    check_refused(OverflowError, r"exp overflow.*709.*in exp of big = 800\.0", v.exp, v)


def test_value_power_needs_a_positive_base():
    for base in (0.0, -2.0):
        a, b = Value(base, "a"), Value(2.0, "b")
        check_refused(
            ValueError, r"base a > 0.*plain number.*\(in pow of a = ", lambda a=a, b=b: a**b, a, b
        )
    x = Value(3.0)
    check_refused(ValueError, "base a > 0", lambda: (-2) ** x, x)


def test_negative_base_with_a_fractional_exponent():
    v = Value(-4.0, "v")
    check_refused(ValueError, r"negative base.*\(in power of v = -4\.0\)", lambda: v**0.5, v)


def test_zero_to_a_negative_power():
    v = Value(0.0, "v")
    check_refused(
        ZeroDivisionError, r"undefined at x = 0.*\(in power of v = 0\.0\)", lambda: v**-1, v
    )


def test_power_overflow():
    v = Value(1e200, "v")
    check_refused(OverflowError, "overflows", lambda: v**2.5, v)
    a, b = Value(1e200, "a"), Value(3.0, "b")
    check_refused(OverflowError, "overflows", lambda: a**b, a, b)


def test_non_numeric_exponent():
    with pytest.raises(TypeError):
        Value(2.0) ** "2"


def test_zero_grad_refuses_what_is_not_values():
    what = r"zero_grad takes a Value \(the root of a graph\) or an iterable of Values, got"
    with pytest.raises(TypeError, match=f"^{what} int: 3$"):
        zero_grad(3)
    a = Value(1.0)
    a.grad = 5.0
    with pytest.raises(TypeError, match=f"^{what} an item of type str"):
        zero_grad([a, "b"])
    assert a.grad == 5.0  # checked before anything was reset


def test_topological_order_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match=r"^topological_order takes a Value .*, got float: 3\.0"):
        topological_order(3.0)


@pytest.mark.parametrize("fields", [("grad",), ("parents", "grad"), ("local_grads", "grad")])
def test_topological_order_refuses_a_lookalike_without_all_of_a_nodes_fields(fields):
    """A node's type has parents, local_grads and grad: a type with only some is refused."""
    lookalike = type("Lookalike", (), dict.fromkeys(fields, ()))()
    with pytest.raises(TypeError, match=r"^topological_order takes a Value .*, got Lookalike"):
        topological_order(lookalike)


# --- numbers that overflow or are not numbers (issue #11) -----------------------------------


def test_an_op_whose_value_overflows_raises_naming_the_op_and_its_operands():
    a = Value(1e308, "a")
    check_refused(
        NumberOverflowError,
        r"mul overflows.*inf.*\(in mul of a = 1e\+308 and 10\.0\)",
        lambda: a * 10,
        a,
    )
    check_refused(NumberOverflowError, r"add overflows", lambda: a + a, a)
    check_refused(NumberOverflowError, r"sub overflows", lambda: -a - a, a)
    check_refused(NumberOverflowError, r"mul overflows", lambda: 10 * a, a)


def test_no_nan_is_ever_made_so_log_and_relu_never_see_one():
    # inf − inf would be NaN: the inf is refused where it is made, before anything reads it
    big = Value(1e308)
    with pytest.raises(NumberOverflowError):
        (big * 10 - big * 10).log()
    with pytest.raises(NumberOverflowError):
        (big * 10).relu()


def test_a_tiny_divisor_is_an_overflow_not_a_division_by_zero():
    # 1/x at x = 1e-200 is 1e200, a float; its slope −1/x² = −1e400 is not
    x = Value(1e-200, "x")
    check_refused(
        NumberOverflowError,
        r"div overflows.*∂/∂b is -inf.*\(in div of 1\.0 and x = 1e-200\)",
        lambda: 1 / x,
        x,
    )
    one = Value(1.0)
    check_refused(
        NumberOverflowError, r"div overflows.*its value is inf", lambda: one / 1e-310, one
    )
    # only an exact zero is a division by zero; 1/1e-100 and its slope −1e200 are fine
    assert (1 / Value(1e-100)).local_grads == (1e100, -1e200)
    check_refused(DivisionByZeroError, "division by zero", lambda: one / 0.0, one)


def test_a_slope_that_overflows_is_refused_for_every_op():
    check_refused(NumberOverflowError, "exp overflow", Value(710.0).exp)
    x = Value(1e-170)
    check_refused(NumberOverflowError, r"x \*\* -1 overflows.*in power", lambda: x**-1, x)


def test_the_engines_errors_are_math_errors_and_the_standard_types():
    for error, standard in (
        (DomainError, ValueError),
        (NumberOverflowError, OverflowError),
        (DivisionByZeroError, ZeroDivisionError),
    ):
        assert issubclass(error, MathError) and issubclass(error, standard)
    with pytest.raises(MathError):
        Value(-1.0).log()


def test_a_bug_in_a_learners_kernel_is_not_a_math_error():
    # a kernel that forgets a local derivative: a ValueError of Python's, not of the maths
    from chainrule.engine import define_op

    broken = define_op("broken_square", lambda x: (x * x,))
    try:
        with pytest.raises(ValueError) as caught:
            broken(Value(2.0))
        assert not isinstance(caught.value, MathError)
    finally:
        from chainrule.engine import OPS

        del OPS["broken_square"]


def test_replay_refuses_an_overflow_and_changes_no_leaf():
    x = Value(2.0, "x")
    replay = Replay((x * x) * 3.0)
    x.data, x.grad = 1e200, 0.25
    with pytest.raises(NumberOverflowError, match=r"mul overflows.*\(in mul of x = "):
        replay.run()
    assert x.grad == 0.25 and replay.value == 12.0


def test_replays_error_names_the_current_input_not_the_traced_one():
    x = Value(2.0, "x")
    replay = Replay((x * x).log())
    x.data = 0.0
    with pytest.raises(
        DomainError, match=r"log needs a positive input.*\(x·x\) \(replayed: 0\.0\)"
    ):
        replay.run()


def test_an_infinite_local_derivative_is_named_by_its_operand(table):
    one = define_op("steep_one", lambda a: (1.0, math.inf))
    two = define_op("steep_two", lambda a, b: (1.0, 1.0, math.inf))
    with pytest.raises(NumberOverflowError, match="its local derivative ∂/∂x is inf"):
        one(Value(2.0))
    with pytest.raises(NumberOverflowError, match="its local derivative ∂/∂b is inf"):
        two(Value(2.0), Value(3.0))
    with pytest.raises(NumberOverflowError, match="its local derivative ∂/∂a is inf"):
        define_op("steep_first", lambda a, b: (1.0, math.inf, 1.0))(Value(2.0), Value(3.0))


def test_a_kernel_error_without_words_is_named_by_its_type(table):
    def kernel(a):
        raise ZeroDivisionError

    with pytest.raises(DivisionByZeroError, match=r"^ZeroDivisionError \(in boom of x = 1\.0\)$"):
        define_op("boom", kernel)(Value(1.0, "x"))


def test_a_replayed_operand_is_shown_by_its_expression_and_new_number():
    x = Value(1.0, "x")
    replay = Replay((x * 2.0).log())
    x.data = -1.0
    with pytest.raises(DomainError, match=r"\(in log of \(x·2\.0\) \(replayed: -2\.0\)\)$"):
        replay.forward()


def test_apply_says_what_it_cannot_compute_or_take():
    from chainrule.engine import apply
    from chainrule.engine.value import add, as_operand, power

    x = Value(1.0, "x")
    by_hand = Value(2.0, parents=(x,), local_grads=(1.0,), op="twice")
    with pytest.raises(TypeError, match=r"^op 'twice' has no kernel, so nothing can compute it$"):
        apply(by_hand.op, x)
    with pytest.raises(TypeError, match=r"^op add takes Values or numbers, got str: 'a'$"):
        apply(add, x, "a")
    with pytest.raises(TypeError, match=r"^op add takes Values or numbers, got bool: True$"):
        apply(add, x, True)
    with pytest.raises(TypeError, match=r"^power k needs a real number"):
        apply(power, x, k="2")
    assert as_operand(True) is None and as_operand(2).data == 2.0


class Float64Repr(float):
    """A float type that writes itself as NumPy 2's ``float64`` does: ``np.float64(0.0)``."""

    def __repr__(self) -> str:
        return f"np.float64({float(self)!r})"


def test_an_error_shows_an_operand_of_a_float_type_as_a_plain_float():
    x = Value(Float64Repr(0.0), "x")
    with pytest.raises(DomainError) as error:
        x.log()
    assert str(error.value).endswith("(in log of x = 0.0)")
