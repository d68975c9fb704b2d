"""Autograd against the hand derivation: BP1–BP4 (nn.bp_equations) on random networks.

Tolerance. Both sides do the same float operations, except that BP2's sum
Σ_i W^{l+1}_ij δ^{l+1}_i is accumulated in another order (autograd adds each
edge's contribution as it walks the graph). Reordering a sum of n terms moves
it by at most about n·ε·Σ|terms|; with weights and activations of order 1 that
is ~1e-15 absolute. So every value must agree to 1e-12 relative, with an
absolute floor of 1e-14 for sums that cancel to nearly 0. (Over 200 random
networks the largest relative difference measured was 1.2e-13.)
"""

import ast
import inspect
import math
import random

import pytest
from chainrule.nn import MLP, backprop_by_hand, bp_check, bp_equations, mse_loss
from chainrule.nn.activations import ACTIVATIONS as ALL_ACTIVATIONS
from hypothesis import given, settings
from hypothesis import strategies as st

ACTIVATIONS = list(ALL_ACTIVATIONS)  # every activation nn has
SHAPES = [(1, [1]), (2, [3, 1]), (3, [4, 4, 2]), (2, [5, 3, 4, 1]), (4, [6, 2, 6, 6, 3])]


def agree(autograd: float, by_hand: float) -> bool:
    return math.isclose(autograd, by_hand, rel_tol=1e-12, abs_tol=1e-14)


def weights_of(model):
    W = [[[w.data for w in n.w] for n in layer.neurons] for layer in model.layers]  # noqa: N806
    b = [[n.b.data for n in layer.neurons] for layer in model.layers]
    return W, b


def assert_autograd_matches_bp_equations(model, x, y):
    model.zero_grad()
    mse_loss(model(x), y).backward()
    W, b = weights_of(model)  # noqa: N806
    ref = backprop_by_hand(W, b, [layer.activation for layer in model.layers], x, y)
    assert len(model.layers) == ref.L
    for l, layer in enumerate(model.layers, start=1):  # noqa: E741
        for j, neuron in enumerate(layer.neurons):
            assert agree(neuron.z.data, ref.z[l][j]) and agree(neuron.a.data, ref.a[l][j])
            assert agree(neuron.z.grad, ref.delta[l][j]), f"δ{l}_{j}: z[{l}][{j}].grad"
            assert agree(neuron.b.grad, ref.dC_db[l][j]), neuron.b.label
            for k, w in enumerate(neuron.w):
                assert agree(w.grad, ref.dC_dW[l][j][k]), w.label


@pytest.mark.parametrize("output_activation", ACTIVATIONS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize(("nin", "nouts"), SHAPES)
def test_every_gradient_matches_bp1_to_bp4(nin, nouts, activation, output_activation):
    seed = len(nouts) * 100 + ACTIVATIONS.index(activation) * 10 + len(output_activation)
    rng = random.Random(seed)
    model = MLP(nin, nouts, activation, output_activation, seed=seed)
    x = [rng.uniform(-2.0, 2.0) for _ in range(nin)]
    y = [rng.uniform(-1.0, 1.0) for _ in range(nouts[-1])]
    assert_autograd_matches_bp_equations(model, x, y)


@settings(max_examples=60, deadline=None)
@given(
    nin=st.integers(1, 5),
    nouts=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    activation=st.sampled_from(ACTIVATIONS),
    output_activation=st.sampled_from(ACTIVATIONS),
    seed=st.integers(0, 2**32),
)
def test_random_networks_match_bp1_to_bp4(nin, nouts, activation, output_activation, seed):
    rng = random.Random(seed)
    model = MLP(nin, nouts, activation, output_activation, seed=seed)
    x = [rng.uniform(-2.0, 2.0) for _ in range(nin)]
    y = [rng.uniform(-1.0, 1.0) for _ in range(nouts[-1])]
    assert_autograd_matches_bp_equations(model, x, y)


def test_backprop_by_hand_on_a_tiny_network():
    # W¹ = [[1], [−1]], b¹ = [0, 0.5], relu; W² = [[0.5, 3]], b² = [−0.5], linear; x = [2], y = [2]
    # (the same network as test_relu_hidden_layer_by_hand in test_nn_gradients.py)
    ref = backprop_by_hand(
        [[[1.0], [-1.0]], [[0.5, 3.0]]], [[0.0, 0.5], [-0.5]], ["relu", "linear"], [2.0], [2.0]
    )
    assert (ref.z[1], ref.a[1], ref.z[2], ref.a[2]) == ([2.0, -1.5], [2.0, 0.0], [0.5], [0.5])
    assert ref.C == 0.5 * 1.5**2
    assert ref.delta == {2: [-1.5], 1: [-0.75, 0.0]}
    assert ref.dC_da == {2: [-1.5], 1: [-0.75, -4.5]}  # ∂C/∂a¹ = (W²)ᵀ δ²
    assert ref.sigma_prime == {1: [1.0, 0.0], 2: [1.0]}
    assert ref.dC_dW == {1: [[-1.5], [0.0]], 2: [[-3.0, 0.0]]}
    assert ref.dC_db == {1: [-0.75, 0.0], 2: [-1.5]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([], [], [], [1.0], [1.0]), "one W, one b and one activation per layer"),
        (([[[1.0, 2.0]]], [[0.0]], ["tanh"], [1.0], [1.0]), r"W\^1 must have rows of length 1"),
        (([[[1.0]]], [[0.0, 1.0]], ["tanh"], [1.0], [1.0]), r"b\^1 must have 1 entries"),
        (([[[1.0]]], [[0.0]], ["gelu"], [1.0], [1.0]), "unknown activation 'gelu'"),
        (([[[1.0]]], [[0.0]], ["tanh"], [1.0], [1.0, 2.0]), "y must have 1 entries"),
    ],
)
def test_backprop_by_hand_rejects_inconsistent_shapes(args, message):
    with pytest.raises(ValueError, match=message):
        backprop_by_hand(*args)


def by_hand_weight_gradient(model, x, y):
    """δ²₀·a¹₁ for a 2-2-1 tanh/linear MLP and C = ½(a²₀ − y)², written out with math only.

    Independent of the engine and of nn.bp_equations: only the weights are read from the model.
    """
    (n10, n11), (n20,) = model.layers[0].neurons, model.layers[1].neurons
    a1 = [math.tanh(n.w[0].data * x[0] + n.w[1].data * x[1] + n.b.data) for n in (n10, n11)]
    a2 = n20.w[0].data * a1[0] + n20.w[1].data * a1[1] + n20.b.data  # linear output: a² = z²
    delta2 = (a2 - y) * 1.0  # BP1 with σ'(z) = 1
    return delta2, a1[1], delta2 * a1[1]


def test_bp_check_pairs_every_quantity_and_prints_the_equations():
    model = MLP(2, [2, 1], seed=0)
    check = bp_check(model, x=[0.5, -1.0], y=[1.0])
    # per layer: one δ per neuron, one ∂C/∂W per weight, one ∂C/∂b per neuron
    assert len(check.lines) == (1 + 2 + 1) + (2 + 4 + 2)
    assert check.max_relative_error <= 1e-12
    assert {line.equation for line in check.lines} == {"BP1", "BP2", "BP3", "BP4"}
    w = model.layers[1].neurons[0].w[1]
    line = next(line for line in check.lines if line.node == "W[2][0][1]")
    # both columns against a value computed here, by neither the engine nor bp_equations
    delta, a, expected = by_hand_weight_gradient(model, [0.5, -1.0], 1.0)
    assert expected != 0.0
    assert agree(line.by_hand, expected) and agree(line.autograd, expected)
    assert line.autograd == w.grad  # the autograd column is read from the weight's own node
    assert str(line) == (
        f"BP3 says ∂C/∂W²₀₁ = δ²₀·a¹₁ = ({delta:.6g})·({a:.6g}) = {expected:.6g}; "
        f"autograd gives W[2][0][1].grad = {expected:.6g}"
    )
    text = str(check)
    assert text.startswith("Layer 2 (output): δ² by BP1, ∂C/∂W² by BP3, ∂C/∂b² by BP4\n")
    assert "Layer 1 (hidden): δ¹ by BP2" in text
    assert "BP2 says δ¹₀ = (Σᵢ W²ᵢ₀ δ²ᵢ)·σ'(z¹₀) = " in text
    assert "BP3 says ∂C/∂W¹₁₀ = δ¹₁·x₀ = " in text
    assert "BP4 says ∂C/∂b¹₁ = δ¹₁ = " in text
    assert text.endswith("Largest relative difference: 0")


def test_bp_check_uses_comma_separated_indices_past_nine():
    check = bp_check(MLP(11, [1], seed=0), x=[0.1] * 11, y=0.5)
    assert any(line.symbol == "∂C/∂W¹₀,₁₀" for line in check.lines)


def test_the_reference_is_independent_of_the_engine():
    # Plain floats only: the module imports nothing but the standard library.
    tree = ast.parse(inspect.getsource(bp_equations))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"__future__", "math", "collections.abc", "dataclasses"}
