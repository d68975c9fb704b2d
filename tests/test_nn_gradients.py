"""MLP gradients two ways: worked out by hand, and by central finite differences."""

import random

import pytest
from chainrule.engine import Value, gradcheck, no_grad
from chainrule.nn import MLP, mse_loss
from chainrule.nn.activations import ACTIVATIONS


def set_weights(model, weights):
    """Overwrite W^l and b^l, given per layer as rows [W^l_j0, …, W^l_j(n-1), b^l_j]."""
    for layer, rows in zip(model.layers, weights, strict=True):
        for neuron, row in zip(layer.neurons, rows, strict=True):
            for p, value in zip(neuron.parameters(), row, strict=True):
                p.data = value


def grads(model):
    return {name: p.grad for name, p in model.named_parameters()}


def test_one_linear_neuron_by_hand():
    # z = w0·x0 + w1·x1 + b = 0.5·2 − 1·1 + 0.25 = 0.25, a = z, C = ½(a − y)² with y = 1
    # δ = ∂C/∂z = a − y = −0.75;  ∂C/∂w0 = δ·x0 = −1.5, ∂C/∂w1 = δ·x1 = −0.75, ∂C/∂b = δ
    model = MLP(2, [1], seed=0)
    set_weights(model, [[[0.5, -1.0, 0.25]]])
    out = model([2.0, 1.0])
    cost = mse_loss(out, 1.0)
    assert (out.data, cost.data) == (0.25, 0.28125)
    cost.backward()
    assert grads(model) == {"W[1][0][0]": -1.5, "W[1][0][1]": -0.75, "b[1][0]": -0.75}
    assert model.inputs[0].grad == -0.375  # ∂C/∂x0 = δ·w0


def test_relu_hidden_layer_by_hand():
    # Layer 1: W¹ = [[1], [−1]], b¹ = [0, 0.5], x = [2]: z¹ = [2, −1.5], a¹ = relu(z¹) = [2, 0]
    # Layer 2: W² = [[0.5, 3]], b² = [−0.5]: z² = 0.5·2 + 3·0 − 0.5 = 0.5 = a² (linear)
    # BP1: δ² = a² − y = 0.5 − 2 = −1.5
    # BP2: δ¹ = (W²)ᵀδ² ⊙ relu'(z¹) = [0.5·(−1.5)·1, 3·(−1.5)·0] = [−0.75, 0]
    # BP3: ∂C/∂W² = δ²(a¹)ᵀ = [[−3, 0]],  ∂C/∂W¹ = δ¹xᵀ = [[−1.5], [0]]
    # BP4: ∂C/∂b² = [−1.5],  ∂C/∂b¹ = [−0.75, 0]
    model = MLP(1, [2, 1], activation="relu", seed=0)
    set_weights(model, [[[1.0, 0.0], [-1.0, 0.5]], [[0.5, 3.0, -0.5]]])
    mse_loss(model([2.0]), 2.0).backward()
    assert grads(model) == {
        "W[1][0][0]": -1.5, "b[1][0]": -0.75,
        "W[1][1][0]": 0.0, "b[1][1]": 0.0,
        "W[2][0][0]": -3.0, "W[2][0][1]": 0.0, "b[2][0]": -1.5,
    }  # fmt: skip
    deltas = [n.z.grad for layer in model.layers for n in layer.neurons]
    assert deltas == [-0.75, 0.0, -1.5]  # z[l][j].grad is δ^l_j


def test_sigmoid_and_tanh_at_zero_by_hand():
    # All weights 0, so z = 0 everywhere. Layer 1 (tanh): a¹ = tanh 0 = 0, tanh'(0) = 1.
    # Layer 2 (sigmoid): a² = σ(0) = ½, σ'(0) = ¼; y = 1: δ² = (½ − 1)·¼ = −⅛
    # ∂C/∂b² = −⅛, ∂C/∂W² = δ²·a¹ = 0, δ¹ = W²·δ² ⊙ 1 = 0 (W² = 0)
    model = MLP(1, [1, 1], output_activation="sigmoid", seed=0)
    set_weights(model, [[[0.0, 0.0]], [[0.0, 0.0]]])
    mse_loss(model([3.0]), 1.0).backward()
    assert grads(model) == {"W[1][0][0]": 0.0, "b[1][0]": 0.0, "W[2][0][0]": 0.0, "b[2][0]": -0.125}


def numeric_grad(model, p, x, y, eps=1e-6):
    """(C(p + ε) − C(p − ε)) / 2ε, evaluated without building a graph; p is restored."""
    original = p.data
    with no_grad():
        p.data = original + eps
        up = mse_loss(model(x), y).data
        p.data = original - eps
        down = mse_loss(model(x), y).data
    p.data = original
    return (up - down) / (2 * eps)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("nouts", [[1], [3, 2], [4, 3, 1]])
def test_weight_gradients_match_central_differences(activation, nouts):
    rng = random.Random(len(nouts) * 10 + len(activation))
    model = MLP(2, nouts, activation, output_activation="sigmoid", seed=rng.randrange(1000))
    x = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
    y = [rng.uniform(0, 1) for _ in range(nouts[-1])]
    mse_loss(model(x), y).backward()
    for name, p in model.named_parameters():
        numeric = numeric_grad(model, p, x, y)
        assert p.grad == pytest.approx(numeric, rel=1e-5, abs=1e-8), name


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_input_gradients_pass_engine_gradcheck(activation):
    # ∂C/∂x_k through the whole network, checked by engine.gradcheck's central differences
    model = MLP(3, [4, 4, 2], activation=activation, seed=3)

    def cost(x0: Value, x1: Value, x2: Value) -> Value:
        return mse_loss(model([x0, x1, x2]), [0.3, -0.2])

    assert gradcheck(cost, 0.4, -0.7, 1.1).ok
