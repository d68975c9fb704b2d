"""One central difference for every numeric check: gradcheck, check_local_grads, exercises.

chainrule.engine.numeric.central_difference is the routine; the tests here replace it with
one that is off by one and see all three change, so none of them keeps a copy of its own.
"""

from __future__ import annotations

import math

import pytest
from chainrule.engine import Value, central_difference, check_local_grads, numeric

from chainrule.exercises.checks import ExerciseRandom, check_bp1, check_neuron


def neuron_backward(x, w, b):
    """A right answer to the neuron exercise: ∂o/∂w, ∂o/∂x, ∂o/∂b of o = tanh(w·x + b)."""
    o = math.tanh(sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b)
    slope = 1.0 - o * o
    return [slope * xi for xi in x], [slope * wi for wi in w], slope


def bp1(z, a, y):
    """A right answer to BP1: δ^L = (a − y) ⊙ σ'(z)."""
    return [(aj - yj) * aj * (1.0 - aj) for aj, yj in zip(a, y, strict=True)]


@pytest.fixture
def off_by_one(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The shared routine replaced by one that adds 1; the list names each caller's module."""
    right = numeric.central_difference
    callers: list[str] = []

    def wrong(f, point, index, eps=1e-6, *, relative=False):
        import sys

        callers.append(sys._getframe(1).f_globals["__name__"])
        return right(f, point, index, eps, relative=relative) + 1.0

    monkeypatch.setattr(numeric, "central_difference", wrong)
    return callers


def test_the_routine_is_a_central_difference() -> None:
    assert numeric.central_difference(lambda p: p[0] ** 3, [2.0], 0) == pytest.approx(12.0)
    # relative: h = eps·max(1, |x|), so a large x still moves by a representable step
    assert numeric.central_step(1e12, 1e-6, relative=True) == pytest.approx(1e6)
    assert numeric.central_step(1e12, 1e-6) == 1e-6


def test_the_step_is_eps_by_default_and_relative_only_past_one() -> None:
    assert numeric.central_step(3.0) == 1e-6
    assert numeric.central_step(0.5, 0.25, relative=True) == 0.25  # |x| < 1: eps itself
    assert numeric.central_step(4.0, 0.25, relative=True) == 1.0
    # ((x + h)³ − (x − h)³) / 2h = 3x² + h²: exact for h = 0.5 at x = 4, the absolute step
    assert numeric.central_difference(lambda p: p[0] ** 3, [4.0], 0, 0.5) == 48.25
    assert numeric.central_difference(lambda p: p[0] ** 3, [4.0], 0, 0.5, relative=True) == 52.0


def test_right_answers_pass_every_check_with_the_shared_routine() -> None:
    assert central_difference(lambda a, b: a * b, 3.0, 2.0, index=0) == pytest.approx(2.0)
    assert check_local_grads(Value(0.5, "x").tanh() * 3.0).ok
    check_neuron(neuron_backward, rng=ExerciseRandom(3), trials=2)
    check_bp1(bp1, rng=ExerciseRandom(3), trials=2)


def test_gradcheck_localcheck_and_the_exercises_all_use_the_shared_routine(off_by_one) -> None:
    assert central_difference(lambda a, b: a * b, 3.0, 2.0, index=0) == pytest.approx(3.0)
    local = check_local_grads(Value(0.5, "x").tanh() * 3.0)
    assert local.edges and not any(edge.ok for edge in local.edges)
    assert local.first_wrong.expected == pytest.approx(1.0 - math.tanh(0.5) ** 2 + 1.0)
    with pytest.raises(pytest.fail.Exception, match="central difference"):
        check_neuron(neuron_backward, rng=ExerciseRandom(3), trials=2)
    with pytest.raises(pytest.fail.Exception, match="central difference"):
        check_bp1(bp1, rng=ExerciseRandom(3), trials=2)
    assert {
        "chainrule.engine.gradcheck",
        "chainrule.engine.localcheck",
        "chainrule.exercises.checks",
    } <= set(off_by_one)
