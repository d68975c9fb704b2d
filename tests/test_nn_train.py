"""fit and accuracy: mini-batches, history, progress bar, every loss, bad data."""

import gc

import pytest
from chainrule.engine import Value
from chainrule.nn import (
    MLP,
    SGD,
    Adam,
    accuracy,
    cross_entropy,
    fit,
    hinge_loss,
    make_gauss,
    mse_loss,
    signed_labels,
)

POINTS, LABELS = make_gauss(n=40, noise=0.1, seed=0)


def test_history_has_one_loss_and_accuracy_per_epoch_and_the_loss_falls():
    model = MLP(2, [3, 1], seed=0)
    history = fit(model, POINTS, LABELS, epochs=8, batch_size=8, progress=False)
    assert len(history.loss) == len(history.accuracy) == 8
    assert history.loss[-1] < history.loss[0]
    assert all(0.0 <= a <= 1.0 for a in history.accuracy)
    assert accuracy(model, POINTS, LABELS) >= 0.95


def test_one_step_per_mini_batch():
    model = MLP(2, [1], seed=0)
    optimizer = SGD(model.parameters(), lr=0.1)
    fit(model, POINTS, LABELS, optimizer=optimizer, epochs=3, batch_size=16, progress=False)
    assert optimizer.steps == 3 * 3  # 40 samples in batches of 16, 16 and 8


def test_the_same_seeds_give_the_same_history():
    runs = [
        fit(MLP(2, [3, 1], seed=1), POINTS, LABELS, epochs=3, seed=5, progress=False)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_progress_bar_shows_loss_and_accuracy_and_can_be_switched_off(capsys):
    fit(MLP(2, [1], seed=0), POINTS, LABELS, epochs=2, progress=True)
    shown = capsys.readouterr().err
    assert "2/2" in shown and "loss=" in shown and "accuracy=" in shown
    fit(MLP(2, [1], seed=0), POINTS, LABELS, epochs=2, progress=False)
    assert capsys.readouterr().err == ""


def test_hinge_loss_trains_on_signed_labels():
    model = MLP(2, [4, 1], seed=0)
    signed = signed_labels(LABELS)
    optimizer = Adam(model.parameters(), lr=0.05)
    fit(
        model,
        POINTS,
        signed,
        loss=hinge_loss,
        optimizer=optimizer,
        epochs=5,
        batch_size=8,
        progress=False,
    )
    assert accuracy(model, POINTS, signed, loss=hinge_loss) >= 0.95


def test_cross_entropy_trains_a_two_logit_model():
    model = MLP(2, [4, 2], seed=0)
    fit(model, POINTS, LABELS, loss=cross_entropy, epochs=5, progress=False)
    assert accuracy(model, POINTS, LABELS, loss=cross_entropy) >= 0.95


def test_mse_on_a_sigmoid_output():
    model = MLP(2, [4, 1], output_activation="sigmoid", seed=0)
    optimizer = Adam(model.parameters(), lr=0.05)
    fit(model, POINTS, LABELS, loss=mse_loss, optimizer=optimizer, epochs=10, progress=False)
    assert accuracy(model, POINTS, LABELS, loss=mse_loss) >= 0.95


def test_a_loss_of_your_own_needs_a_decision_rule():
    def squared_hinge(score: Value, label: float) -> Value:
        return (1 - label * score).relu() ** 2

    model = MLP(2, [1], seed=0)
    signed = signed_labels(LABELS)
    with pytest.raises(ValueError, match="no rule for scoring predictions of the loss squared_h"):
        fit(model, POINTS, signed, loss=squared_hinge, progress=False)
    history = fit(
        model, POINTS, signed, loss=squared_hinge, epochs=2, progress=False,
        correct=lambda score, label: (score.data > 0) == (label > 0),
    )  # fmt: skip
    assert len(history.accuracy) == 2


@pytest.mark.parametrize(
    ("inputs", "targets", "kwargs", "error", "message"),
    [
        (POINTS, LABELS[:-1], {}, ValueError, "40 inputs, 39 targets"),
        ([], [], {}, ValueError, "no samples"),
        ([*POINTS[:-1], [0.0]], LABELS, {}, ValueError, "sample 39: .* takes 2 inputs, got 1"),
        (POINTS, [*LABELS[:-1], 3], {}, ValueError, r"sample 39: .* label in \[0, 1\]"),
        (POINTS, LABELS, {"loss": hinge_loss}, ValueError, "labels −1 or \\+1.*signed_labels"),
        (POINTS, LABELS, {"epochs": 0}, ValueError, "epochs must be ≥ 1"),
        (POINTS, LABELS, {"batch_size": 2.5}, TypeError, "batch_size must be an int"),
    ],
)
def test_bad_data_raises_before_any_weight_changes(inputs, targets, kwargs, error, message):
    model = MLP(2, [3, 1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(error, match=message):
        fit(model, inputs, targets, progress=False, **kwargs)
    assert [p.data for p in model.parameters()] == before


def test_accuracy_needs_matching_non_empty_data():
    with pytest.raises(ValueError, match="one target per input"):
        accuracy(MLP(2, [1], seed=0), POINTS, [])


def test_training_leaves_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        model = MLP(2, [3, 1], seed=0)
        fit(model, POINTS, LABELS, epochs=1, progress=False)
        del model
        assert gc.collect() == 0
    finally:
        gc.enable()
