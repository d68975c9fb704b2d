"""gradcheck: returns a GradCheck whose ``ok`` is True for a right derivative and False for a
wrong one (never raising for a mismatch), so ``assert gradcheck(...).ok`` is a real check."""

import math

import pytest
from chainrule.engine import GradCheck, Value, central_difference, gradcheck


def test_central_difference_of_a_known_function():
    # f(x, y) = x²·y at (3, 2): ∂f/∂x = 2xy = 12, ∂f/∂y = x² = 9
    def f(x, y):
        return x * x * y

    assert central_difference(f, 3.0, 2.0, index=0) == pytest.approx(12.0, rel=1e-8)
    assert central_difference(f, 3.0, 2.0, index=1) == pytest.approx(9.0, rel=1e-8)


@pytest.mark.parametrize(
    "f, point",
    [
        (lambda a, b: a * b + b.tanh(), (2.0, -0.5)),
        (lambda a, b: (a / b).exp() - a.log(), (1.5, 2.0)),
        (lambda a, b: a**b + 2**a - 1 / b, (1.3, 0.7)),
        (lambda a, b: (a * 3 - b).sigmoid() * (a + b).relu(), (0.4, 0.1)),
        (lambda a: -(a**3) + a**0.5, (2.0,)),
    ],
)
def test_gradcheck_passes_on_correct_ops(f, point):
    result = gradcheck(f, *point)
    assert isinstance(result, GradCheck) and result.ok
    assert len(result.inputs) == len(point)
    assert all(c.error <= 1e-7 + 1e-5 * abs(c.numeric) for c in result.inputs)


def wrong_cube(x: Value) -> Value:
    """x³ with a deliberately wrong local derivative (2x² instead of 3x²)."""
    return Value(x.data**3, parents=(x,), local_grads=(2 * x.data**2,), op="cube")


def right_cube(x: Value) -> Value:
    return Value(x.data**3, parents=(x,), local_grads=(3 * x.data**2,), op="cube")


def test_a_wrong_local_derivative_gives_ok_false_and_a_table_naming_the_input():
    # at x = 2 backprop says 2·4 = 8, the central difference says 3·4 = 12
    result = gradcheck(lambda x, y: wrong_cube(x) + y, 2.0, 1.0)  # no exception for a mismatch
    assert isinstance(result, GradCheck)
    assert result.ok is False
    assert [(c.name, c.ok) for c in result.inputs] == [("x0", False), ("x1", True)]
    assert result.inputs[0].analytic == pytest.approx(8.0)
    assert result.inputs[0].numeric == pytest.approx(12.0, rel=1e-6)
    table = str(result)
    row = next(line for line in table.splitlines() if line.strip().startswith("x0"))
    assert "8" in row and "12" in row and row.rstrip().endswith("WRONG")
    x1_row = next(line for line in table.splitlines() if line.strip().startswith("x1"))
    assert x1_row.rstrip().endswith("ok")
    assert "WRONG: x0" in table  # the culprit is named once more at the end


def test_the_culprit_keeps_its_label_and_a_right_derivative_gives_ok_true():
    x, y = Value(2.0, "x"), Value(1.0, "y")
    wrong = gradcheck(lambda x, y: y * wrong_cube(x), x, y)
    assert not wrong.ok and "WRONG: x" in str(wrong)
    right = gradcheck(lambda x, y: y * right_cube(x), x, y)
    assert right.ok is True and "WRONG" not in str(right)


def test_assert_on_the_result_fails_for_a_wrong_derivative():
    # the idiom the README teaches: it must catch the slip, with the table as its message
    with pytest.raises(AssertionError, match="WRONG"):
        result = gradcheck(wrong_cube, 2.0)
        assert result.ok, str(result)


def test_gradcheck_passes_the_fixed_op_and_keeps_input_labels():
    result = gradcheck(lambda x: right_cube(x) * 2, Value(2.0, "x"))
    assert result.inputs[0].name == "x"
    assert math.isclose(result.inputs[0].analytic, 24.0)
    assert "x" in str(result) and "ok" in str(result)


def test_gradcheck_does_not_touch_the_values_passed_in():
    x = Value(2.0, "x")
    x.grad = 7.0
    gradcheck(lambda v: v * v, x)
    assert (x.data, x.grad) == (2.0, 7.0)


def test_gradcheck_bad_arguments():
    with pytest.raises(ValueError, match=r"^gradcheck needs at least one input value to differ"):
        gradcheck(lambda: Value(1.0))
    with pytest.raises(TypeError, match="one Value"):
        gradcheck(lambda x: [x, x], 1.0)
    with pytest.raises(TypeError, match="str"):
        gradcheck(lambda x: x, "1.0")
    with pytest.raises(ValueError, match="eps must be positive"):
        gradcheck(lambda x: x, 1.0, eps=0.0)
    with pytest.raises(ValueError, match="rtol"):
        gradcheck(lambda x: x, 1.0, rtol=-1.0)


def wrong_square(x):
    """x² recorded with the local derivative x instead of 2x."""
    return Value(x.data**2, parents=(x,), local_grads=(x.data,), op="square")


def test_the_result_is_true_only_when_every_input_agrees():
    # the line a teacher writes first must fail on a wrong derivative (#20)
    assert gradcheck(lambda x: x * x, 3.0)
    wrong = gradcheck(wrong_square, 3.0)
    assert not wrong and not wrong.ok
    with pytest.raises(AssertionError):
        assert gradcheck(wrong_square, 3.0)


def test_raise_exception_raises_the_table():
    from chainrule.engine import GradcheckError

    assert gradcheck(lambda x: x * x, 3.0, raise_exception=True).ok
    with pytest.raises(GradcheckError) as caught:
        gradcheck(wrong_square, Value(3.0, "x"), raise_exception=True)
    assert isinstance(caught.value, AssertionError)
    assert "WRONG: x" in str(caught.value) and not caught.value.result.ok


def test_check_local_grads_is_true_only_without_a_wrong_edge(table):
    from chainrule.engine import check_local_grads, define_op

    bad_square = define_op("bad_square", lambda x: (x * x, x))  # d(x²)/dx is 2x, not x
    x = Value(3.0, "x")
    assert check_local_grads((x * x).tanh())
    assert not check_local_grads(bad_square(x) * 2.0)


def test_x_to_the_power_one_at_zero_has_slope_one():
    # a mutant of the power kernel's domain (0 < k ≤ 1 instead of 0 < k < 1) is caught here
    x = Value(0.0, "x")
    y = x**1
    y.backward()
    assert (y.data, x.grad) == (0.0, 1.0)


def test_the_table_reads_as_documented():
    x, y = Value(2.0, "x"), Value(1.0, "y")
    lines = str(gradcheck(lambda x, y: wrong_cube(x) + wrong_cube(y), x, y)).splitlines()
    assert lines[0] == "gradcheck: |analytic − numeric| ≤ 1e-07 + 1e-05·|numeric|"
    assert lines[1] == "  input            analytic        numeric      error"
    assert lines[-1] == "WRONG: x, y (backprop disagrees with the numbers)"


def test_f_returning_no_value_is_named_in_the_error():
    with pytest.raises(TypeError, match=r"got float: 2\.0;"):
        gradcheck(lambda x: 2.0, 1.0)


def test_each_bad_number_is_named():
    for keyword in ("eps", "rtol", "atol"):
        with pytest.raises(TypeError, match=f"^gradcheck {keyword} needs a real number"):
            gradcheck(lambda x: x, 1.0, **{keyword: "1"})
    with pytest.raises(ValueError, match=r"gradcheck atol must be ≥ 0, got -1\.0"):
        gradcheck(lambda x: x, 1.0, atol=-1.0)
    with pytest.raises(TypeError, match=r"^gradcheck input 1 needs a real number"):
        gradcheck(lambda x, y: x, 1.0, "2")


def test_the_tolerances_are_inclusive_and_may_be_zero():
    # ε = 0.5 makes the central difference of 2x exact: the error is 0, and 0 ≤ 0 + 0·2
    assert gradcheck(lambda x: x * 2.0, 1.0, eps=0.5, rtol=0.0, atol=0.0)


def test_the_default_atol_is_tight_and_rtol_scales_with_the_numeric_slope():
    def off_by_a_thousandth(x: Value) -> Value:
        return Value(x.data, parents=(x,), local_grads=(1.001,), op="identity")

    assert not gradcheck(off_by_a_thousandth, 2.0, rtol=0.0)  # atol 1e-7 alone: 0.001 is wrong
    # at x = 2 the numeric slope of x³ is 12 and backprop (wrong_cube) says 8: an error of 4
    assert gradcheck(wrong_cube, 2.0, rtol=0.34, atol=0.0)  # 4 ≤ 0.34·12
    assert not gradcheck(wrong_cube, 2.0, rtol=0.33, atol=0.0)  # 4 > 0.33·12
    # an input's label reaches f, as its own Value's label
    seen = []
    gradcheck(lambda v: seen.append(v.label) or v * 1.0, Value(1.0, "w"))
    assert seen[0] == "w"


def test_central_difference_uses_its_eps_and_checks_the_index():
    # ((x + h)³ − (x − h)³) / 2h = 3x² + h², exactly 3.25 at x = 1, h = 0.5
    assert central_difference(lambda x: x * x * x, 1.0, index=0, eps=0.5) == 3.25
    with pytest.raises(IndexError, match="index 2 is out of range for 2 inputs"):
        central_difference(lambda x, y: x, 1.0, 2.0, index=2)
    with pytest.raises(IndexError, match="index -1 is out of range"):
        central_difference(lambda x, y: x, 1.0, 2.0, index=-1)


def test_central_difference_steps_by_a_millionth_unless_told():
    """x³ at 1: the central difference is 3 + h², so the step shows in the 12th digit."""
    cube = lambda x: x**3  # noqa: E731
    assert central_difference(cube, 1.0, index=0) == pytest.approx(3.0 + 1e-12, abs=1e-9)
    assert central_difference(cube, 1.0, index=0, eps=0.5) == pytest.approx(3.25, abs=1e-12)
