"""The toy data sets: seeded, the right size and shape, labelled by their geometry."""

import math

import pytest
from chainrule.nn import make_circles, make_gauss, make_moons, make_spiral, make_xor, signed_labels
from chainrule.nn.datasets import BUMPS, DATASETS, REGRESSION_DATASETS

from chainrule import nn

make_reg_plane, make_reg_gauss = nn.make_reg_plane, nn.make_reg_gauss

GENERATORS = [make_moons, make_circles, make_xor, make_gauss, make_spiral]
REGRESSION = [make_reg_plane, make_reg_gauss]


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


@pytest.mark.parametrize("make", REGRESSION)
def test_regression_sets_are_seeded_real_targets_in_the_unit_square(make):
    points, targets = make(n=60, noise=0.0, seed=3)
    assert len(points) == len(targets) == 60
    assert all(-1.0 <= c <= 1.0 for p in points for c in p)
    assert all(isinstance(y, float) for y in targets)
    assert len(set(targets)) > 10  # real values, not two classes
    assert make(n=60, noise=0.0, seed=3) == (points, targets)
    assert make() == make(n=100, noise=0.1, seed=0)


def test_reg_plane_is_playgrounds_plane_on_the_unit_square():
    # Playground: y = (x + y)/10 on [−6, 6]²; at (x0, x1) = (x/6, y/6) that is 0.6·(x0 + x1)
    points, targets = make_reg_plane(n=50, noise=0.0, seed=1)
    for (x0, x1), y in zip(points, targets, strict=True):
        assert y == pytest.approx((6 * x0 + 6 * x1) / 10, abs=1e-15)


def test_reg_gauss_peaks_at_its_bumps_and_is_zero_between_them():
    points, targets = make_reg_gauss(n=400, noise=0.0, seed=2)
    assert max(targets) <= 1.0 and min(targets) >= -1.0
    for (x0, x1), y in zip(points, targets, strict=True):
        nearest = min(BUMPS, key=lambda b: math.hypot(x0 - b[0], x1 - b[1]))
        d = math.hypot(x0 - nearest[0], x1 - nearest[1])
        # a bump falls from ±1 at its centre to 0 at distance ⅓ (Playground's 2 of 6)
        assert y == pytest.approx(nearest[2] * max(0.0, 1.0 - 3.0 * d), abs=1e-12)
    assert any(y == 0.0 for y in targets) and any(y > 0.5 for y in targets)
    assert any(y < -0.5 for y in targets)


def test_noise_moves_a_regression_point_away_from_where_its_value_was_read():
    clean, targets = make_reg_plane(n=30, noise=0.0, seed=5)
    noisy, same_targets = make_reg_plane(n=30, noise=0.2, seed=5)
    assert same_targets == targets and noisy != clean


@pytest.mark.parametrize("classes", [3, 4, 5])
def test_spiral_of_k_classes_turns_arm_k_by_2_pi_k_over_k(classes):
    points, labels = make_spiral(n=61, noise=0.0, seed=1, classes=classes)
    assert sorted(set(labels)) == list(range(classes))
    counts = [labels.count(k) for k in range(classes)]
    assert max(counts) - min(counts) <= 1 and sum(counts) == 61
    for (x0, x1), label in zip(points, labels, strict=True):
        r = math.hypot(x0, x1)
        if r > 1e-9:  # θ = 1.75·2π·r + 2πk/K (mod 2π), as (r sin θ, r cos θ)
            turned = math.atan2(x0, x1) - 1.75 * 2 * math.pi * r - 2 * math.pi * label / classes
            assert math.cos(turned) == pytest.approx(1.0, abs=1e-9)


def test_two_class_spiral_is_playgrounds_as_before():
    assert make_spiral(n=40, seed=2, classes=2) == make_spiral(n=40, seed=2)


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_blobs_sit_around_their_centres(classes):
    points, labels = nn.make_blobs(n=200, noise=0.0, seed=3, classes=classes)
    assert sorted(set(labels)) == list(range(classes))
    for k in range(classes):
        mine = [p for p, label in zip(points, labels, strict=True) if label == k]
        angle = math.pi / 2 + 2 * math.pi * k / classes
        mean = [sum(c) / len(mine) for c in zip(*mine, strict=True)]
        assert math.hypot(mean[0] - 0.6 * math.cos(angle), mean[1] - 0.6 * math.sin(angle)) < 0.1


@pytest.mark.parametrize(("classes", "error"), [(1, ValueError), (6, ValueError), (2.0, TypeError)])
def test_bad_numbers_of_classes_are_explained(classes, error):
    for make in (make_spiral, nn.make_blobs):
        with pytest.raises(error, match="classes must be"):
            make(classes=classes)


def test_every_regression_set_is_offered_by_name():
    assert {"reg-plane": make_reg_plane, "reg-gauss": make_reg_gauss} == REGRESSION_DATASETS
    assert set(REGRESSION_DATASETS) <= set(DATASETS)


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
@pytest.mark.parametrize("make", GENERATORS + REGRESSION)
def test_bad_arguments_are_explained(make, kwargs, error, message):
    with pytest.raises(error, match=message):
        make(**kwargs)
