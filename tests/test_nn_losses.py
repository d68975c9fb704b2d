"""Losses: values and gradients by hand, against finite differences, stability, errors."""

import math

import pytest
from chainrule.engine import Constant, Value, gradcheck, topological_order
from chainrule.nn import bce_loss, cross_entropy, hinge_loss, mean_loss, mse_loss
from chainrule.nn.losses import DECISION_RULES
from hypothesis import assume, given, settings
from hypothesis import strategies as st

finite = st.floats(-5.0, 5.0, allow_nan=False)


def test_mse_is_half_the_squared_distance():
    # C = ½((1 − 0)² + (2 − 4)²) = 2.5;  ∂C/∂a_j = a_j − y_j = (1, −2)
    a = [Value(1.0), Value(2.0)]
    cost = mse_loss(a, [0.0, 4.0])
    cost.backward()
    assert cost.data == 2.5
    assert [v.grad for v in a] == [1.0, -2.0]


def test_mse_of_one_output_takes_a_number_or_a_one_element_list():
    assert mse_loss(Value(3.0), 1.0).data == 2.0 == mse_loss(Value(3.0), [1.0]).data


@pytest.mark.parametrize(
    ("loss", "output", "target"),
    [(mse_loss, Value(0.3), 1.0), (hinge_loss, Value(0.4), -1), (bce_loss, Value(0.8), 0.25)],
)
def test_a_number_target_is_a_constant_and_a_value_target_a_leaf_with_a_gradient(
    loss, output, target
):
    by_number = loss(output, target)
    constants = [n for n in topological_order(by_number) if n.is_constant]
    assert target in [c.data for c in constants]
    assert all(isinstance(c, Constant) for c in constants)
    by_number.backward()
    assert all(c.grad == 0.0 for c in constants)
    # a Value target stays the very leaf it was, and backward gives it ∂C/∂y:
    # mse ½(a − y)²: ∂C/∂y = y − a = 0.7;  hinge (1 − y·s)⁺ at y = −1: ∂C/∂y = −s = −0.4;
    # bce softplus(s) − y·s: ∂C/∂y = −s = −0.8
    y = Value(float(target))
    by_value = loss(Value(output.data), y)
    assert not y.is_constant and y in topological_order(by_value)
    by_value.backward()
    assert y.grad == pytest.approx({mse_loss: 0.7, hinge_loss: -0.4, bce_loss: -0.8}[loss])


def test_mean_loss_averages_over_the_batch():
    # C = (½(1 − 0)² + ½(3 − 0)²) / 2 = (0.5 + 4.5) / 2 = 2.5;  ∂C/∂a_i = (a_i − y_i)/2
    a = [Value(1.0), Value(3.0)]
    cost = mean_loss(mse_loss, a, [0.0, 0.0])
    cost.backward()
    assert cost.data == 2.5
    assert [v.grad for v in a] == [0.5, 1.5]


@pytest.mark.parametrize(
    ("score", "label", "loss", "grad"),
    [
        (0.25, 1, 0.75, -1.0),  # 1 − 1·0.25, on the wrong side of the margin: ∂C/∂s = −y
        (2.0, 1, 0.0, 0.0),  # beyond the margin: no loss, no gradient
        (0.5, -1, 1.5, 1.0),  # 1 − (−1)(0.5)
        (-3.0, -1, 0.0, 0.0),
    ],
)
def test_hinge_by_hand(score, label, loss, grad):
    s = Value(score)
    cost = hinge_loss(s, label)
    cost.backward()
    assert (cost.data, s.grad) == (loss, grad)


def test_bce_at_zero_logit_is_log_two():
    # σ(0) = ½, so C = −log ½ = log 2 for either label;  ∂C/∂s = σ(s) − y = ∓½
    for label, grad in ((1, -0.5), (0, 0.5)):
        s = Value(0.0)
        cost = bce_loss(s, label)
        cost.backward()
        assert cost.data == pytest.approx(math.log(2.0), rel=1e-15)
        assert s.grad == grad


@pytest.mark.parametrize(
    ("logit", "label", "loss", "grad"),
    [
        (1000.0, 1, 0.0, 0.0),  # certain and right
        (1000.0, 0, 1000.0, 1.0),  # certain and wrong: C ≈ s, ∂C/∂s = σ(s) − 0 = 1
        (-1000.0, 1, 1000.0, -1.0),
        (-1000.0, 0, 0.0, 0.0),
        (40.0, 0, 40.0, 1.0),
    ],
)
def test_bce_is_stable_for_large_logits(logit, label, loss, grad):
    s = Value(logit)
    cost = bce_loss(s, label)
    cost.backward()
    assert cost.data == pytest.approx(loss, abs=1e-12)
    assert s.grad == pytest.approx(grad, abs=1e-12)


def test_cross_entropy_by_hand():
    # logits (0, 0): softmax = (½, ½), C = −log ½;  ∂C/∂z_k = softmax_k − [k = 0] = (−½, ½)
    z = [Value(0.0), Value(0.0)]
    cost = cross_entropy(z, 0)
    cost.backward()
    assert cost.data == pytest.approx(math.log(2.0), rel=1e-15)
    assert [v.grad for v in z] == [-0.5, 0.5]


def test_cross_entropy_is_stable_for_large_logits():
    # log(e^1000 + e^0) − 0 = 1000 (+ e^−1000); softmax = (1, 0), so ∂C/∂z = (1, −1)
    z = [Value(1000.0), Value(0.0)]
    cost = cross_entropy(z, 1)
    cost.backward()
    assert cost.data == 1000.0
    assert [v.grad for v in z] == [1.0, -1.0]


@settings(max_examples=50)
@given(st.lists(finite, min_size=1, max_size=4), st.data())
def test_mse_gradients_match_finite_differences(outputs, data):
    targets = data.draw(st.lists(finite, min_size=len(outputs), max_size=len(outputs)))
    result = gradcheck(lambda *a: mse_loss(list(a), targets), *outputs)
    assert result.ok, str(result)


@settings(max_examples=50)
@given(st.floats(-30.0, 30.0), st.floats(0.0, 1.0))
def test_bce_gradient_matches_finite_differences(logit, label):
    result = gradcheck(lambda s: bce_loss(s, label), logit)
    assert result.ok, str(result)


@settings(max_examples=50)
@given(finite, st.sampled_from([-1, 1]))
def test_hinge_gradient_matches_finite_differences_off_the_kink(score, label):
    assume(abs(1 - label * score) > 1e-3)
    result = gradcheck(lambda s: hinge_loss(s, label), score)
    assert result.ok, str(result)


@settings(max_examples=50)
@given(st.lists(finite, min_size=2, max_size=5), st.data())
def test_cross_entropy_gradients_match_finite_differences(logits, data):
    label = data.draw(st.integers(0, len(logits) - 1))
    result = gradcheck(lambda *z: cross_entropy(list(z), label), *logits)
    assert result.ok, str(result)


def test_each_loss_has_a_decision_rule():
    rules = DECISION_RULES
    assert rules[bce_loss](Value(0.3), 1) and not rules[bce_loss](Value(0.3), 0)
    assert rules[hinge_loss](Value(-0.1), -1) and not rules[hinge_loss](Value(-0.1), 1)
    assert rules[cross_entropy]([Value(0.0), Value(2.0), Value(1.0)], 1)
    assert rules[mse_loss](Value(0.8), 1.0) and not rules[mse_loss](Value(0.4), 1.0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: hinge_loss(Value(1.0), 0), ValueError, "labels −1 or \\+1, got 0.*signed_labels"),
        (lambda: bce_loss(Value(1.0), 2), ValueError, r"label in \[0, 1\]"),
        (lambda: bce_loss(Value(1.0), "1"), TypeError, "label must be a number"),
        (lambda: bce_loss([Value(1.0), Value(2.0)], 1), ValueError, "one Value .* got 2"),
        (lambda: cross_entropy([Value(1.0), Value(2.0)], 2), ValueError, "from 0 to 1"),
        (lambda: mse_loss([Value(1.0)], [1.0, 2.0]), ValueError, "1 outputs, 2 targets"),
        (lambda: mse_loss(1.0, 1.0), TypeError, "Value or a non-empty list of Values"),
        (lambda: mse_loss([1.0], 1.0), TypeError, "must be Values"),
        (lambda: mean_loss(mse_loss, [], []), ValueError, "empty batch"),
        (lambda: mean_loss(mse_loss, [Value(1.0)], []), ValueError, "1 outputs, 0 targets"),
    ],
)
def test_bad_arguments_are_explained(call, error, message):
    with pytest.raises(error, match=message):
        call()
