"""chainrule train: an activation per hidden layer (--activation relu,tanh) and --init (#22)."""

from __future__ import annotations

import json

from chainrule.nn import MLP, Adam, bce_loss, fit, make_gauss

from tests.cli_helpers import chainrule


def test_train_takes_one_activation_per_hidden_layer_and_an_init(tmp_path):
    result = chainrule(
        "train", "--dataset", "gauss", "--samples", "40", "--hidden", "4,3",
        "--activation", "relu,tanh", "--init", "he", "--epochs", "2", "--seed", "3",
        "--no-progress", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Training MLP(2 → 4 relu → 3 tanh → 1 linear) on gauss" in result.stdout
    saved = json.loads((tmp_path / "model.json").read_text())
    assert saved["activation"] == ["relu", "tanh"]
    # the same run in Python gives the same weights: the CLI is nn's MLP and fit
    points, labels = make_gauss(n=40, noise=0.1, seed=3)
    model = MLP(2, [4, 3, 1], activation=["relu", "tanh"], seed=3, init="he")
    fit(model, points, labels, loss=bce_loss, optimizer=Adam(model.parameters(), lr=0.03),
        epochs=2, batch_size=10, seed=3, progress=False)  # fmt: skip
    loaded = MLP.load(tmp_path / "model.json")
    assert [p.data for p in loaded.parameters()] == [p.data for p in model.parameters()]


def test_a_list_of_the_wrong_length_or_an_unknown_name_is_refused(tmp_path):
    result = chainrule("train", "--hidden", "4,4,4", "--activation", "relu,tanh",
                       "--out", str(tmp_path))  # fmt: skip
    assert result.returncode != 0
    assert "--activation lists 2 activations (relu,tanh) for 3 hidden layers" in result.stderr
    result = chainrule("train", "--activation", "relu,swish", "--out", str(tmp_path))
    assert result.returncode != 0
    assert "unknown activation 'swish'; choose from tanh, relu, sigmoid, linear" in result.stderr
    result = chainrule("train", "--init", "glorot", "--out", str(tmp_path))
    assert result.returncode != 0 and "invalid choice: 'glorot'" in result.stderr
    assert not (tmp_path / "model.json").exists()
