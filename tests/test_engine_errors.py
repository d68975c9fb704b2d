"""Bad input: a specific exception that says what was wrong, and no state changed."""

import pytest
from chainrule.engine import Value, topological_order, zero_grad


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


def test_bad_label_and_hand_made_op_arguments():
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, 3)
    with pytest.raises(TypeError, match="parents must all be Value"):
        Value(1.0, parents=[2.0], local_grads=[1.0])
    with pytest.raises(ValueError, match="one local gradient per parent"):
        Value(1.0, parents=[Value(2.0)], local_grads=[])
    with pytest.raises(TypeError, match="op must be an Op or a str"):
        Value(1.0, parents=[Value(2.0)], local_grads=[1.0], op=3)
    with pytest.raises(ValueError, match="without its operands"):
        Value(1.0, op="cube")


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
        check_refused(ValueError, r"log needs a positive input.*label='x'", v.log, v)


def test_division_by_zero_names_the_divisor():
    a, b = Value(1.0, "a"), Value(0.0, "b")
    check_refused(ZeroDivisionError, r"division by zero.*label='b'", lambda: a / b, a, b)
    check_refused(ZeroDivisionError, "division by zero", lambda: 1 / b, b)
    check_refused(ZeroDivisionError, "division by zero", lambda: a / 0, a)


def test_exp_overflow_names_the_operand():
    v = Value(800.0, "big")
    check_refused(OverflowError, r"exp overflow.*709.*in exp with x = .*label='big'", v.exp, v)


def test_value_power_needs_a_positive_base():
    for base in (0.0, -2.0):
        a, b = Value(base, "a"), Value(2.0, "b")
        check_refused(
            ValueError, r"base a > 0.*plain number.*label='a'", lambda a=a, b=b: a**b, a, b
        )
    x = Value(3.0)
    check_refused(ValueError, "base a > 0", lambda: (-2) ** x, x)


def test_negative_base_with_a_fractional_exponent():
    v = Value(-4.0, "v")
    check_refused(ValueError, r"negative base.*label='v'", lambda: v**0.5, v)


def test_zero_to_a_negative_power():
    v = Value(0.0, "v")
    check_refused(ZeroDivisionError, r"undefined at x = 0.*label='v'", lambda: v**-1, v)


def test_power_overflow():
    v = Value(1e200, "v")
    check_refused(OverflowError, "overflows", lambda: v**2.5, v)
    a, b = Value(1e200, "a"), Value(3.0, "b")
    check_refused(OverflowError, "overflows", lambda: a**b, a, b)


def test_non_numeric_exponent():
    with pytest.raises(TypeError):
        Value(2.0) ** "2"


def test_zero_grad_refuses_what_is_not_values():
    with pytest.raises(TypeError, match="int"):
        zero_grad(3)
    a = Value(1.0)
    a.grad = 5.0
    with pytest.raises(TypeError, match="str"):
        zero_grad([a, "b"])
    assert a.grad == 5.0  # checked before anything was reset


def test_topological_order_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match=r"topological_order takes a Value .*, got float: 3\.0"):
        topological_order(3.0)
