"""The toy data sets: seeded, the right size and shape, labelled by their geometry."""

import math

import pytest
from chainrule.nn import make_circles, make_gauss, make_moons, make_spiral, make_xor, signed_labels

GENERATORS = [make_moons, make_circles, make_xor, make_gauss, make_spiral]


@pytest.mark.parametrize("make", GENERATORS)
def test_shape_labels_and_determinism(make):
    points, labels = make(n=51, noise=0.1, seed=3)
    assert len(points) == len(labels) == 51
    assert all(len(p) == 2 and all(isinstance(c, float) for c in p) for p in points)
    assert set(labels) == {0, 1}
    assert make(n=51, noise=0.1, seed=3) == (points, labels)
    assert make(n=51, noise=0.1, seed=4) != (points, labels)


@pytest.mark.parametrize("make", [make_moons, make_circles, make_gauss, make_spiral])
def test_classes_are_balanced(make):
    _, labels = make(n=101, seed=0)
    assert sorted((labels.count(0), labels.count(1))) == [50, 51]


@pytest.mark.parametrize("make", GENERATORS)
def test_defaults_are_100_points_noise_0_1_seed_0(make):
    assert make() == make(n=100, noise=0.1, seed=0)


def test_moons_without_noise_lie_on_their_half_circles():
    # upper moon: (cos t, sin t); lower moon: (1 − cos t, ½ − sin t), t ∈ [0, π]
    for (x0, x1), label in zip(*make_moons(n=40, noise=0.0), strict=True):
        if label == 0:
            assert math.hypot(x0, x1) == pytest.approx(1.0) and x1 >= -1e-12
        else:
            assert math.hypot(1.0 - x0, 0.5 - x1) == pytest.approx(1.0) and x1 <= 0.5 + 1e-12


def test_circles_without_noise_separate_disc_and_ring():
    for (x0, x1), label in zip(*make_circles(n=60, noise=0.0), strict=True):
        r = math.hypot(x0, x1)
        assert (r <= 0.5) if label == 1 else (0.7 <= r <= 1.0)


def test_xor_without_noise_labels_the_quadrants():
    for (x0, x1), label in zip(*make_xor(n=60, noise=0.0), strict=True):
        assert label == (1 if x0 * x1 > 0 else 0)
        assert min(abs(x0), abs(x1)) >= 0.06


def test_gauss_blobs_sit_on_either_side_of_the_diagonal():
    points, labels = make_gauss(n=200, noise=0.0)
    for label in (0, 1):
        mine = [p for p, y in zip(points, labels, strict=True) if y == label]
        mean = sum(p[0] + p[1] for p in mine) / len(mine)
        assert mean == pytest.approx(0.8 if label == 1 else -0.8, abs=0.1)


def test_spiral_arms_are_point_reflections_of_each_other():
    # class 0 is class 1 turned by π: (x0, x1) ↦ (−x0, −x1)
    points, labels = make_spiral(n=40, noise=0.0)
    pairs = list(zip(points, labels, strict=True))
    ones = sorted((round(p[0], 12), round(p[1], 12)) for p, y in pairs if y == 1)
    zeros = sorted((round(-p[0], 12), round(-p[1], 12)) for p, y in pairs if y == 0)
    assert ones == zeros
    assert all(math.hypot(*p) < 1.0 for p in points)


def test_signed_labels_maps_0_1_to_minus_1_plus_1():
    assert signed_labels([0, 1, 1, 0]) == [-1, 1, 1, -1]
    with pytest.raises(ValueError, match="labels 0 or 1, got -1 at index 2"):
        signed_labels([0, 1, -1])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, "n .* must be ≥ 1, got 0"),
        ({"n": 10.0}, TypeError, "n .* must be an int"),
        ({"noise": -0.1}, ValueError, "noise is a standard deviation"),
        ({"noise": "high"}, TypeError, "noise must be a number"),
        ({"seed": 1.5}, TypeError, "seed must be an int or None"),
    ],
)
@pytest.mark.parametrize("make", GENERATORS)
def test_bad_arguments_are_explained(make, kwargs, error, message):
    with pytest.raises(error, match=message):
        make(**kwargs)
