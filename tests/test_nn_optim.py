"""SGD and Adam: single steps worked out by hand, the schedule hook, bad arguments."""

import math

import pytest
from chainrule.engine import Value
from chainrule.nn import MLP, SGD, Adam, mse_loss


def param(data: float, grad: float) -> Value:
    p = Value(data, "p")
    p.grad = grad
    return p


def test_sgd_step_moves_against_the_gradient():
    # p ← p − η·g = 1 − 0.1·2 = 0.8
    p = param(1.0, 2.0)
    SGD([p], lr=0.1).step()
    assert p.data == pytest.approx(0.8, rel=1e-15)


def test_sgd_momentum_accumulates_velocity():
    # v₁ = g = 1, p = 0 − 0.5·1 = −0.5;  v₂ = 0.9·1 + 1 = 1.9, p = −0.5 − 0.5·1.9 = −1.45
    p = param(0.0, 1.0)
    opt = SGD([p], lr=0.5, momentum=0.9)
    opt.step()
    assert p.data == -0.5
    opt.step()
    assert p.data == pytest.approx(-1.45, rel=1e-15)


def test_weight_decay_adds_lambda_p_to_the_gradient():
    # g = 0 + 0.5·2 = 1, p ← 2 − 0.1·1 = 1.9
    p = param(2.0, 0.0)
    SGD([p], lr=0.1, weight_decay=0.5).step()
    assert p.data == pytest.approx(1.9, rel=1e-15)


@pytest.mark.parametrize(("data", "moved"), [(2.0, 1.95), (-2.0, -1.95), (0.0, 0.0)])
def test_l1_adds_lambda_sign_p_to_the_gradient(data, moved):
    # g = 0 + 0.5·sign(p), p ← p − 0.1·g: every weight moves 0.05 towards 0, and 0 stays
    p = param(data, 0.0)
    SGD([p], lr=0.1, l1=0.5).step()
    assert p.data == pytest.approx(moved, rel=1e-15)


def test_l1_and_l2_add_up_in_sgd_and_adam():
    # g = 1 + 0.25·sign(2) + 0.5·2 = 2.25 exactly; Adam's first step is lr·g/(|g| + ε)
    p = param(2.0, 1.0)
    SGD([p], lr=0.1, weight_decay=0.5, l1=0.25).step()
    assert p.data == 2.0 - 0.1 * 2.25
    q = param(2.0, 1.0)
    adam = Adam([q], lr=0.1, weight_decay=0.5, l1=0.25)
    adam.step()
    assert adam.m == [pytest.approx(0.1 * 2.25)]


def test_adam_first_step_has_size_lr_whatever_the_gradient_scale():
    # t = 1: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε) ≈ η·sign(g)
    for g in (1e-3, 5.0, -200.0):
        p = param(0.0, g)
        Adam([p], lr=0.01).step()
        assert p.data == pytest.approx(-0.01 * math.copysign(1.0, g), rel=1e-4)


def test_adam_second_step_by_hand():
    # β = (0.5, 0.5), g = 1 then 3 (ε = 1e-300 vanishes next to √v̂ ≥ 1):
    # m = 0.5, v = 0.5 → m̂ = 1, v̂ = 1 → p = −η;  m = 1.75, v = 4.75 → m̂ = 1.75/0.75, v̂ = 4.75/0.75
    p = param(0.0, 1.0)
    opt = Adam([p], lr=0.1, betas=(0.5, 0.5), eps=1e-300)
    opt.step()
    assert p.data == pytest.approx(-0.1, rel=1e-15)
    p.grad = 3.0
    opt.step()
    second = 0.1 * (1.75 / 0.75) / math.sqrt(4.75 / 0.75)
    assert p.data == pytest.approx(-0.1 - second, rel=1e-15)


def test_schedule_scales_the_learning_rate_per_step():
    # η_t = η · 0.5^t: steps of 1, 0.5, 0.25 with g = 1
    p = param(0.0, 1.0)
    opt = SGD([p], lr=1.0, schedule=lambda t: 0.5**t)
    assert opt.current_lr() == 1.0
    for _ in range(3):
        opt.step()
    assert p.data == -1.75
    assert opt.steps == 3 and opt.current_lr() == 0.125


def test_adam_uses_the_schedule_too():
    p = param(0.0, 1.0)
    Adam([p], lr=0.1, schedule=lambda t: 0.0).step()
    assert p.data == 0.0


def test_zero_grad_clears_the_parameters():
    model = MLP(2, [2, 1], seed=0)
    opt = SGD(model.parameters(), lr=0.1)
    mse_loss(model([1.0, 1.0]), 0.0).backward()
    opt.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_a_few_steps_reduce_the_loss():
    model = MLP(2, [4, 1], seed=0)
    opt = Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in range(20):
        cost = mse_loss(model([0.5, -0.5]), 1.0)
        losses.append(cost.data)
        opt.zero_grad()
        cost.backward()
        opt.step()
    assert losses[-1] < 0.01 * losses[0]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda p: SGD([], lr=0.1), ValueError, "no parameters"),
        (lambda p: SGD([p, p], lr=0.1), ValueError, "twice"),
        (lambda p: SGD([1.0], lr=0.1), TypeError, "must be Values"),
        (lambda p: SGD(p, lr=0.1), TypeError, "model.parameters()"),
        (lambda p: SGD([p], lr=0.0), ValueError, "lr must be a finite number > 0"),
        (lambda p: SGD([p], lr="0.1"), TypeError, "lr must be a number"),
        (lambda p: SGD([p], lr=0.1, momentum=1.0), ValueError, "below 1"),
        (lambda p: SGD([p], lr=0.1, weight_decay=-1.0), ValueError, "≥ 0"),
        (lambda p: Adam([p], l1=-0.5), ValueError, "Adam l1 must be a finite number ≥ 0"),
        (lambda p: SGD([p], lr=0.1, l1="much"), TypeError, "SGD l1 must be a number"),
        (lambda p: Adam([p], betas=(0.9,)), TypeError, "pair"),
        (lambda p: Adam([p], betas=(0.9, 1.0)), ValueError, r"β₂ must be in \[0, 1\)"),
        (lambda p: Adam([p], eps=0.0), ValueError, "eps must be a finite number > 0"),
        (lambda p: Adam([p], schedule=0.5), TypeError, "function of the step number"),
    ],
)
def test_bad_arguments_are_explained(make, error, message):
    with pytest.raises(error, match=message):
        make(param(1.0, 0.0))


def test_a_bad_schedule_value_raises_before_moving_anything():
    p = param(1.0, 1.0)
    opt = SGD([p], lr=0.1, schedule=lambda t: float("nan"))
    with pytest.raises(ValueError, match="schedule returned nan at step 0"):
        opt.step()
    assert p.data == 1.0 and opt.steps == 0
