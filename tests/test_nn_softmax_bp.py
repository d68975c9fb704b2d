"""BP1 for a softmax output with cross-entropy (#22): δᴸ = ŷ − y, by hand and by autograd."""

import math

import pytest
from chainrule.nn import MLP, backprop_by_hand, bp_check, cross_entropy


def weights(model: MLP) -> tuple[list, list, list]:
    W = [[[w.data for w in n.w] for n in layer.neurons] for layer in model.layers]  # noqa: N806
    b = [[n.b.data for n in layer.neurons] for layer in model.layers]
    return W, b, [layer.activation for layer in model.layers]


@pytest.mark.parametrize(("classes", "label"), [(2, 0), (3, 2), (5, 3)])
def test_bp1_for_softmax_and_cross_entropy_is_y_hat_minus_y(classes, label):
    model = MLP(2, [4, classes], activation="tanh", seed=classes)
    x = [0.4, -0.7]
    W, b, sigmas = weights(model)  # noqa: N806
    y = [1.0 if j == label else 0.0 for j in range(classes)]
    q = backprop_by_hand(W, b, sigmas, x, y, loss="cross_entropy")
    L = q.L  # noqa: N806
    logits = q.a[L]
    exps = [math.exp(a) for a in logits]
    y_hat = [e / sum(exps) for e in exps]
    assert q.y_hat == pytest.approx(y_hat, rel=1e-14)
    assert sum(q.y_hat) == pytest.approx(1.0, rel=1e-15)
    by_hand = q.C
    assert by_hand == pytest.approx(-math.log(y_hat[label]), rel=1e-13)
    assert q.delta[L] == pytest.approx([p - t for p, t in zip(y_hat, y, strict=True)], rel=1e-13)
    assert q.sigma_prime[L] == [1.0] * classes  # the logits are linear

    C = cross_entropy(model(x), label)  # noqa: N806 — the engine's loss, differentiated
    C.backward()
    assert C.data == pytest.approx(q.C, rel=1e-13)
    for j, neuron in enumerate(model.layers[-1].neurons):
        assert neuron.z.grad == pytest.approx(q.delta[L][j], rel=1e-12, abs=1e-15)
    for number, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            assert [w.grad for w in neuron.w] == pytest.approx(q.dC_dW[number][j], rel=1e-12)


def test_bp_check_agrees_with_autograd_for_three_classes():
    check = bp_check(MLP(2, [3, 3], seed=1), [0.3, -0.5], 2, loss="cross_entropy")
    assert check.max_relative_error < 1e-12
    first = str(check.lines[0])
    assert first.startswith("BP1 says δ²₀ = (ŷ₀ − y₀)·σ'(z²₀) = ")
    assert check.by_hand.y_hat is not None and len(check.by_hand.y_hat) == 3


def test_mse_stays_as_it_was_and_bad_losses_are_refused():
    check = bp_check(MLP(2, [2, 1], seed=0), [0.5, -1.0], [1.0])
    assert check.by_hand.y_hat is None
    assert str(check.lines[0]).startswith("BP1 says δ²₀ = (a²₀ − y₀)·σ'(z²₀)")
    with pytest.raises(ValueError, match="bp_check loss must be 'mse' or 'cross_entropy'"):
        bp_check(MLP(2, [2, 1], seed=0), [0.5, -1.0], [1.0], loss="hinge")
    with pytest.raises(ValueError, match="backprop_by_hand loss must be"):
        backprop_by_hand([[[1.0]]], [[0.0]], ["linear"], [1.0], [1.0], loss="bce")
    with pytest.raises(ValueError, match="class index from 0 to 2"):
        bp_check(MLP(2, [3], seed=0), [0.5, -1.0], 3, loss="cross_entropy")
