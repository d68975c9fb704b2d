"""Weight initialisations (nn.init) and an activation per hidden layer: in MLP and its file."""

from __future__ import annotations

import json
import math
import statistics

import pytest
from chainrule.nn import MLP
from chainrule.nn.init import INITS, check_init, init_choices


def test_uniform_is_the_default_and_draws_what_it_always_drew():
    """The default gives the same weights as before init existed: U(±1/√n_in), bias too."""
    model = MLP(3, [4, 1], seed=5)
    same = MLP(3, [4, 1], seed=5, init="uniform")
    assert [p.data for p in model.parameters()] == [p.data for p in same.parameters()]
    assert model.init == "uniform"
    assert all(abs(p.data) <= 1 / math.sqrt(3) for p in model.layers[0].parameters())
    assert any(neuron.b.data != 0 for neuron in model.layers[0].neurons)


@pytest.mark.parametrize(
    ("init", "bound"),
    [("xavier", math.sqrt(6) / math.sqrt(6 + 40)), ("he", math.sqrt(6) / math.sqrt(6))],
)
def test_xavier_and_he_draw_weights_within_their_bound_and_zero_biases(init, bound):
    model = MLP(6, [40, 1], seed=1, init=init)
    weights = [w.data for neuron in model.layers[0].neurons for w in neuron.w]
    assert INITS[init].bound(6, 40) == bound
    assert all(-bound <= w <= bound for w in weights)
    assert max(abs(w) for w in weights) > 0.9 * bound  # they fill the interval
    # Var(U(−r, r)) = r²/3: 2/(n_in + n_out) for Xavier, 2/n_in for He
    expected = 2 / (6 + 40) if init == "xavier" else 2 / 6
    assert statistics.pvariance(weights) == pytest.approx(expected, rel=0.25)
    assert all(neuron.b.data == 0.0 for layer in model.layers for neuron in layer.neurons)


def test_the_same_seed_and_init_give_the_same_weights_and_inits_differ():
    def weights(init: str, seed: int) -> list[float]:
        return [p.data for p in MLP(2, [5, 3, 1], seed=seed, init=init).parameters()]

    assert weights("he", 3) == weights("he", 3)
    assert weights("he", 3) != weights("xavier", 3) != weights("uniform", 3)


def test_formulas_read_as_documented():
    assert [choice["formula"] for choice in init_choices()] == [
        "W ~ U(−r, r), r = 1 / √n_in; b ~ U(−r, r)",
        "W ~ U(−r, r), r = √6 / √(n_in + n_out); b = 0",
        "W ~ U(−r, r), r = √6 / √n_in; b = 0",
    ]
    assert [choice["label"] for choice in init_choices()] == ["Uniform", "Xavier/Glorot", "He"]


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        (
            "glorot",
            ValueError,
            "unknown initialisation 'glorot'; choose one of 'uniform', 'xavier'",
        ),
        (None, TypeError, "an initialisation is given by name"),
    ],
)
def test_a_bad_init_is_named(name, error, message):
    with pytest.raises(error, match=message):
        check_init(name)
    with pytest.raises(error, match=message):
        MLP(2, [1], init=name)


def test_one_activation_per_hidden_layer():
    model = MLP(2, [3, 4, 1], activation=["relu", "sigmoid"], seed=0)
    assert [layer.activation for layer in model.layers] == ["relu", "sigmoid", "linear"]
    assert model.hidden_activations == ["relu", "sigmoid"]
    assert model.activation == ["relu", "sigmoid"]
    assert repr(model) == "MLP(2 → 3 relu → 4 sigmoid → 1 linear)"
    model([0.3, -0.2])
    for neuron in model.layers[0].neurons:
        assert neuron.a.data == max(0.0, neuron.z.data)
    for neuron in model.layers[1].neurons:
        assert neuron.a.data == pytest.approx(1 / (1 + math.exp(-neuron.z.data)), rel=1e-15)
    one = MLP(2, [3, 1], activation="relu", seed=0)
    assert one.activation == "relu" and one.hidden_activations == ["relu"]


@pytest.mark.parametrize(
    ("activation", "error", "message"),
    [
        (["relu"], ValueError, "lists 1 activations, but the network has 2 hidden layers"),
        (["relu", "swish"], ValueError, "unknown activation 'swish'"),
        (["relu", 3], TypeError, "given by name"),
    ],
)
def test_a_bad_activation_list_is_explained(activation, error, message):
    with pytest.raises(error, match=message):
        MLP(2, [3, 4, 1], activation=activation)


def test_per_layer_activations_are_saved_and_read_back(tmp_path):
    model = MLP(2, [3, 4, 1], activation=["relu", "tanh"], seed=2, init="he")
    model.save(tmp_path / "m.json")
    assert json.loads((tmp_path / "m.json").read_text())["activation"] == ["relu", "tanh"]
    loaded = MLP.load(tmp_path / "m.json")
    assert loaded.hidden_activations == ["relu", "tanh"]
    assert [p.data for p in loaded.parameters()] == [p.data for p in model.parameters()]
    assert loaded([0.5, 0.25]).data == model([0.5, 0.25]).data


@pytest.mark.parametrize(
    ("activation", "message"),
    [
        (["relu"], '"activation" lists 1 activations, but "nouts" has 2 hidden layers'),
        (["relu", "swish"], "\"activation\": unknown activation 'swish'"),
    ],
)
def test_a_file_with_a_bad_activation_list_is_refused(tmp_path, activation, message):
    MLP(2, [3, 4, 1], seed=0).save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    document["activation"] = activation
    (tmp_path / "m.json").write_text(json.dumps(document))
    with pytest.raises(ValueError, match=message):
        MLP.load(tmp_path / "m.json")
