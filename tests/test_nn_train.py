"""fit and accuracy: mini-batches, history, progress bar, every loss, bad data."""

import gc

import pytest
from chainrule.engine import DomainError, MathError, Value
from chainrule.nn import (
    MLP,
    SGD,
    Adam,
    TrainingDivergedError,
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
        model,
        POINTS,
        signed,
        loss=squared_hinge,
        epochs=2,
        progress=False,
        correct=lambda score, label: (score.data > 0) == (label > 0),
    )
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


# ---------------------------------------------------------------------------------------------
# Divergence: a run whose loss explodes or whose weights stop being numbers stops, and says why


def test_a_learning_rate_far_too_large_stops_training_naming_the_epoch():
    model = MLP(2, [3, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=1e300)
    with pytest.raises(TrainingDivergedError) as caught:
        fit(model, POINTS, LABELS, optimizer=optimizer, epochs=10, batch_size=8, progress=False)
    error = caught.value
    assert isinstance(error, MathError)
    message = str(error)
    assert message.startswith("training diverged in epoch 1 of 10: ")
    assert "the loss" in message
    assert message.endswith("; try a smaller learning rate (lr=1e+300 now)")
    assert (error.epoch, error.epochs, error.lr) == (1, 10, 1e300)


def test_a_weight_that_becomes_infinite_stops_training_and_is_named():
    class Exploding(SGD):
        def step(self):
            super().step()
            if self.steps == 7:  # in epoch 2: 5 batches of 8 per epoch
                model.layers[0].neurons[0].w[1].data = float("inf")

    model = MLP(2, [3, 1], seed=0)
    optimizer = Exploding(model.parameters(), lr=0.1)
    with pytest.raises(
        TrainingDivergedError,
        match=r"^training diverged in epoch 2 of 3: "
        r"parameter W\[1\]\[0\]\[1\] became inf; try a smaller learning rate "
        r"\(lr=0\.1 now\)$",
    ):
        fit(model, POINTS, LABELS, optimizer=optimizer, epochs=3, batch_size=8, progress=False)


@pytest.mark.parametrize("replay", [False, True])
def test_an_overflow_inside_an_epoch_stops_training_with_the_engines_words(replay):
    model = MLP(2, [3, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=1e308)
    with pytest.raises(TrainingDivergedError, match="training diverged in epoch 1 of 5") as caught:
        fit(
            model,
            POINTS,
            LABELS,
            optimizer=optimizer,
            epochs=5,
            batch_size=8,
            progress=False,
            replay=replay,
        )
    assert "1e+308" in str(caught.value)


def test_a_math_error_raised_by_the_engine_in_an_epoch_is_divergence():
    calls = []

    def fragile(output, target):
        calls.append(1)
        if len(calls) > 2 * len(POINTS):  # after the check of every sample and one epoch
            return (output - output - 1).log()  # log(−1): a DomainError
        return mse_loss(output, target)

    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(TrainingDivergedError, match=r"in epoch 2 of 3: the loss .*log") as caught:
        fit(
            model,
            POINTS,
            LABELS,
            loss=fragile,
            epochs=3,
            batch_size=8,
            progress=False,
            correct=lambda output, target: True,
        )
    assert isinstance(caught.value.__cause__, DomainError)


def test_a_healthy_run_does_not_diverge():
    model = MLP(2, [3, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=1.0)
    history = fit(model, POINTS, LABELS, optimizer=optimizer, epochs=5, progress=False)
    assert len(history.loss) == 5


def test_a_math_error_in_the_data_names_the_sample_and_stays_a_math_error():
    points = [list(p) for p in POINTS]
    points[3] = [1e308, 1e308]
    model = MLP(2, [3, 1], seed=0)
    model.layers[0].neurons[0].w[0].data = 10.0
    with pytest.raises(MathError, match="sample 3: "):
        fit(model, points, LABELS, progress=False)


def test_training_diverged_error_is_exported():
    import chainrule.nn

    assert chainrule.nn.TrainingDivergedError is TrainingDivergedError
    assert issubclass(TrainingDivergedError, MathError)
