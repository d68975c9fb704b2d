"""fit(replay=True): one traced graph per batch size, the very weights of building each anew."""

import gc

import pytest
from chainrule.engine import Replay, Value, topological_order
from chainrule.nn import (
    MLP,
    SGD,
    Adam,
    bce_loss,
    cross_entropy,
    fit,
    hinge_loss,
    make_moons,
    mse_loss,
    signed_labels,
)
from chainrule.nn import train as nn_train

POINTS, LABELS = make_moons(n=30, noise=0.1, seed=0)  # batches of 8: 8, 8, 8, then 6
SIGNED = signed_labels(LABELS)
ONE_HOT = [[1.0, 0.0] if y == 0 else [0.0, 1.0] for y in LABELS]


def train(replay, loss, targets, nouts, activation, output_activation, optimizer, **fit_kwargs):
    """Weights and history after 3 epochs from a fixed start; (initial weights, final, history)."""
    model = MLP(2, nouts, activation, output_activation, seed=0)
    start = [p.data for p in model.parameters()]
    history = fit(
        model,
        POINTS,
        targets,
        loss=loss,
        optimizer=optimizer(model.parameters(), lr=0.05),
        epochs=3,
        batch_size=8,
        progress=False,
        replay=replay,
        **fit_kwargs,
    )
    return start, [p.data for p in model.parameters()], history


@pytest.mark.parametrize(
    ("loss", "targets", "nouts", "activation", "output_activation", "optimizer"),
    [
        (mse_loss, LABELS, [5, 1], "tanh", "sigmoid", Adam),
        (mse_loss, ONE_HOT, [5, 2], "linear", "tanh", SGD),  # two outputs, vector targets
        (hinge_loss, SIGNED, [5, 4, 1], "relu", "linear", Adam),
        (hinge_loss, SIGNED, [5, 1], "sigmoid", "linear", SGD),
        (bce_loss, LABELS, [5, 4, 1], "relu", "linear", Adam),
        (bce_loss, LABELS, [5, 1], "tanh", "relu", SGD),
    ],
)
def test_replay_gives_every_weight_and_the_history_bit_for_bit(
    loss, targets, nouts, activation, output_activation, optimizer
):
    args = (loss, targets, nouts, activation, output_activation, optimizer)
    start, dynamic, dynamic_history = train(False, *args)
    _, replayed, replayed_history = train(True, *args)
    assert dynamic != start  # training moved the weights
    assert replayed == dynamic
    assert replayed_history == dynamic_history


def test_a_loss_of_your_own_built_from_engine_ops_replays_exactly():
    def squared_hinge(score: Value, label: Value) -> Value:
        return (1 - label * score).relu() ** 2

    def sign_agrees(score: Value, label: float) -> bool:
        return (score.data > 0) == (label > 0)

    args = (squared_hinge, SIGNED, [4, 1], "relu", "linear", Adam)
    _, dynamic, dynamic_history = train(False, *args, correct=sign_agrees)
    _, replayed, replayed_history = train(True, *args, correct=sign_agrees)
    assert (replayed, replayed_history) == (dynamic, dynamic_history)


def test_each_batch_size_is_traced_once_and_then_only_replayed(monkeypatch):
    traced, runs = [], []

    class CountingReplay(Replay):
        def __init__(self, root: Value) -> None:
            super().__init__(root)
            traced.append(root)

        def run(self) -> float:
            runs.append(self)
            return super().run()

    class CountingMLP(MLP):
        calls = 0

        def __call__(self, x):
            CountingMLP.calls += 1
            return super().__call__(x)

    monkeypatch.setattr(nn_train, "Replay", CountingReplay)
    model = CountingMLP(2, [3, 1], seed=0)
    fit(model, POINTS, LABELS, epochs=4, batch_size=8, progress=False, replay=True)
    assert len(traced) == 2  # one graph for the batches of 8, one for the last batch of 6
    assert len(runs) == 4 * 4  # 4 epochs of 4 batches
    assert CountingMLP.calls == 30 + 8 + 6  # the check of every sample, then the two traces


def test_replay_training_leaves_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        model = MLP(2, [3, 1], seed=0)
        fit(model, POINTS, LABELS, epochs=1, batch_size=8, progress=False, replay=True)
        del model
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_cross_entropy_is_refused_naming_the_losses_that_replay():
    model = MLP(2, [3, 2], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(
        ValueError, match=r"cannot replay cross_entropy.*mse_loss, hinge_loss and bce"
    ):
        fit(model, POINTS, LABELS, loss=cross_entropy, progress=False, replay=True)
    assert [p.data for p in model.parameters()] == before


def test_a_hand_made_op_in_the_loss_is_named_before_any_weight_changes():
    def cubed_error(output: Value, target: Value) -> Value:
        # d³ as an op of one's own: ∂/∂d = 3d², a number the replay cannot recompute
        d = output - target
        return Value(d.data**3, parents=(d,), local_grads=(3 * d.data**2,), op="cube")

    model = MLP(2, [3, 1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(
        ValueError, match="cannot trace the loss cubed_error: cannot replay the op 'cube'"
    ):
        fit(
            model,
            POINTS,
            LABELS,
            loss=cubed_error,
            progress=False,
            replay=True,
            correct=lambda output, target: abs(output.data - target) < 0.5,
        )
    assert [p.data for p in model.parameters()] == before


def test_a_loss_that_branches_on_a_target_number_is_told_it_gets_values():
    def either_side(score: Value, label: float) -> Value:
        return (1 - score).relu() if label > 0 else (1 + score).relu()

    with pytest.raises(TypeError, match=r"targets as Value leaves.*either_side failed on them"):
        fit(
            MLP(2, [1], seed=0),
            POINTS,
            SIGNED,
            loss=either_side,
            progress=False,
            replay=True,
            correct=lambda score, label: (score.data > 0) == (label > 0),
        )


def test_targets_of_different_lengths_cannot_share_placeholders():
    def distance_to_sum(output: Value, target: list[float] | float) -> Value:
        ys = target if isinstance(target, list) else [target]
        total = output - ys[0]
        for y in ys[1:]:
            total = total - y
        return total**2

    targets = [[float(y)] if i % 2 else [float(y), 0.0] for i, y in enumerate(LABELS)]
    with pytest.raises(ValueError, match=r"as many numbers; got lengths \[1, 2\]"):
        fit(
            MLP(2, [1], seed=0),
            POINTS,
            targets,
            loss=distance_to_sum,
            progress=False,
            replay=True,
            correct=lambda output, target: True,
        )


def test_bad_data_is_still_caught_before_tracing():
    with pytest.raises(ValueError, match=r"sample 0: .*labels −1 or \+1"):
        fit(MLP(2, [1], seed=0), POINTS, LABELS, loss=hinge_loss, progress=False, replay=True)


@pytest.mark.parametrize(
    ("loss", "output", "target"),
    [
        (mse_loss, [0.3, -1.2], [1.0, 0.0]),
        (hinge_loss, [0.4], -1),
        (bce_loss, [-2.5], 1),
        (bce_loss, [0.8], 0.25),
    ],
)
def test_a_value_target_builds_the_graph_a_number_does_and_is_its_leaf(loss, output, target):
    def cost_and_outputs(target_):
        outputs = [Value(a) for a in output]
        cost = loss(outputs if len(outputs) > 1 else outputs[0], target_)
        cost.backward()
        return cost, outputs

    by_number, number_outputs = cost_and_outputs(target)
    leaves = [Value(y) for y in target] if isinstance(target, list) else [Value(target)]
    by_value, value_outputs = cost_and_outputs(leaves if isinstance(target, list) else leaves[0])
    assert by_value.data == by_number.data
    assert [a.grad for a in value_outputs] == [a.grad for a in number_outputs]
    ops = [[node.op for node in topological_order(cost)] for cost in (by_number, by_value)]
    assert ops[0] == ops[1]
    assert set(leaves) <= set(topological_order(by_value))


def test_value_targets_are_checked_through_their_data():
    with pytest.raises(ValueError, match=r"labels −1 or \+1"):
        hinge_loss(Value(1.0), Value(0.0))
    with pytest.raises(ValueError, match=r"label in \[0, 1\]"):
        bce_loss(Value(1.0), Value(2.0))


def test_bce_has_one_graph_shape_for_logits_of_either_sign():
    shapes = {
        tuple(node.op for node in topological_order(bce_loss(Value(s), y)))
        for s in (-30.0, -0.5, 0.0, 2.0, 800.0)
        for y in (0, 1)
    }
    assert len(shapes) == 1
