"""What the playground builds on in nn: the input features, and fit's order of the batches."""

import math
import random
from itertools import islice

import pytest
from chainrule.nn import (
    FEATURES,
    MLP,
    SGD,
    batch_orders,
    check_features,
    featurize,
    fit,
    make_gauss,
    mean_loss,
    mse_loss,
)
from chainrule.nn import train as train_module

# ── features ──────────────────────────────────────────────────────────────────────────────


def test_the_features_are_playgrounds_seven_in_its_order_with_their_labels():
    assert list(FEATURES) == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]
    labels = [label for label, _ in FEATURES.values()]
    assert labels == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]


@pytest.mark.parametrize("point", [[0.3, -1.7], [-2.5, 0.0], [1e-3, 7.25]])
def test_featurize_computes_each_feature_exactly_as_the_page_will(point):
    x1, x2 = point
    got = featurize(point, list(FEATURES))
    assert got == [x1, x2, x1 * x1, x2 * x2, x1 * x2, math.sin(x1), math.sin(x2)]
    assert all(type(value) is float for value in got)


def test_featurize_keeps_the_order_of_the_ids_given():
    assert featurize([2.0, 3.0], ["x1x2", "x1"]) == [6.0, 2.0]
    assert featurize((2, 3), ("x2sq",)) == [9.0]


@pytest.mark.parametrize(
    "ids, error, message",
    [
        (["x1", "x3"], ValueError, "unknown feature 'x3'; choose from x1, x2, x1sq"),
        ([], ValueError, "no input features chosen"),
        (["x1", "sinx1", "x1"], ValueError, "the feature 'x1' is chosen twice"),
        ("x1", TypeError, "a list of feature ids"),
        ([1], TypeError, "named by its id, a str"),
    ],
)
def test_check_features_refuses_clearly(ids, error, message):
    with pytest.raises(error, match=message):
        check_features(ids)
    with pytest.raises(error, match=message):
        featurize([0.0, 0.0], ids)


def test_check_features_returns_the_ids():
    assert check_features(iter(["sinx2", "x1"])) == ("sinx2", "x1")


@pytest.mark.parametrize("point", [[1.0], [1.0, 2.0, 3.0], [1.0, math.nan], ["a", 1.0], "ab"])
def test_featurize_refuses_a_point_that_is_not_two_finite_numbers(point):
    with pytest.raises(ValueError, match="point"):
        featurize(point, ["x1"])


# ── batch orders ──────────────────────────────────────────────────────────────────────────


def test_batch_orders_shuffle_the_previous_order_again_each_epoch():
    orders = list(islice(batch_orders(7, seed=3), 4))
    order, shuffle = list(range(7)), random.Random(3).shuffle
    for got in orders:
        shuffle(order)
        assert got == order
        assert sorted(got) == list(range(7))
    assert orders[0] != orders[1]


def test_each_epoch_is_a_new_list():
    orders = batch_orders(5, seed=0)
    first = next(orders)
    kept = list(first)
    first.append(99)  # the caller's list is its own
    second = next(orders)
    assert second is not first and sorted(second) == list(range(5))
    assert list(islice(batch_orders(5, seed=0), 1)) == [kept]


def test_batch_orders_checks_its_arguments_at_once():
    with pytest.raises(ValueError, match="batch_orders n"):
        batch_orders(0, seed=0)
    with pytest.raises(TypeError, match="batch_orders n"):
        batch_orders(2.5, seed=0)


def test_fit_visits_the_batches_in_batch_orders_order(monkeypatch):
    points, labels = make_gauss(n=23, noise=0.1, seed=1)
    seen: list[list[int]] = []
    real = train_module._backprop_batch

    def spy(model, loss, inputs, targets, batch):
        seen.append(list(batch))
        return real(model, loss, inputs, targets, batch)

    monkeypatch.setattr(train_module, "_backprop_batch", spy)
    fit(MLP(2, [2, 1], seed=0), points, labels, epochs=3, batch_size=5, seed=4, progress=False)
    expected = [
        order[start : start + 5]
        for order in islice(batch_orders(23, seed=4), 3)
        for start in range(0, 23, 5)
    ]
    assert seen == expected


def test_fit_gives_the_weights_of_steps_taken_in_batch_orders_order():
    points, labels = make_gauss(n=17, noise=0.1, seed=2)
    fitted = MLP(2, [3, 1], seed=5)
    fit(
        fitted,
        points,
        labels,
        loss=mse_loss,
        optimizer=SGD(fitted.parameters(), lr=0.1),
        epochs=2,
        batch_size=4,
        seed=9,
        progress=False,
    )
    by_hand = MLP(2, [3, 1], seed=5)
    optimizer = SGD(by_hand.parameters(), lr=0.1)
    for order in islice(batch_orders(17, seed=9), 2):
        for start in range(0, 17, 4):
            batch = order[start : start + 4]
            optimizer.zero_grad()
            outputs = [by_hand(points[i]) for i in batch]
            mean_loss(mse_loss, outputs, [labels[i] for i in batch]).backward()
            optimizer.step()
    assert [p.data for p in by_hand.parameters()] == [p.data for p in fitted.parameters()]
