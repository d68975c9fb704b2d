"""The PyTorch export, loaded into real PyTorch: the same outputs, the same SGD step.

torch is a test-only dependency (the dev extra pins its CPU wheel); chainrule never
imports it. The exported ``.py`` reads its ``.safetensors`` with the standard library.
"""

import importlib.util
import json
import struct

import pytest
import torch
from chainrule.nn import ACTIVATIONS, FEATURES, MLP, SGD, featurize, make_circles
from chainrule.nn import pytorch_export as export
from chainrule.nn.losses import mean_loss, mse_loss
from chainrule.nn.serialize import load

from tests.cli_helpers import run_python

TOLERANCE = 1e-12


def exported(model, folder, name="model"):
    """Save ``model``, export the file as chainrule export does, import the ``.py``."""
    model.save(folder / f"{name}.json")
    code, weights = export.export_pytorch(load(folder / f"{name}.json"))
    (folder / f"{name}.py").write_text(code, encoding="utf-8")
    (folder / f"{name}.safetensors").write_bytes(weights)
    spec = importlib.util.spec_from_file_location(f"exported_{name}", folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def training_points(n=24):
    points, _ = make_circles(n, noise=0.05, seed=3)
    return [list(point) for point in points]


def chainrule_outputs(model, points):
    outputs = []
    for point in points:
        inputs = featurize(point, model.features) if model.features else point
        out = model(inputs)
        outputs.append([a.data for a in (out if isinstance(out, list) else [out])])
    return outputs


def torch_parameters(network):
    """Every parameter as chainrule orders them: layer by layer, neuron j's weights then b_j."""
    numbers = []
    linears = [m for m in network if isinstance(m, torch.nn.Linear)]
    for linear in linears:
        for row, bias in zip(linear.weight.tolist(), linear.bias.tolist(), strict=True):
            numbers.extend([*row, bias])
    return numbers


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_pytorch_outputs_equal_chainrules_on_the_training_points(tmp_path, activation):
    model = MLP(len(FEATURES), [5, 3, 2], activation=activation, seed=7)
    model.features = tuple(FEATURES)  # every feature's tensor expression is checked
    module = exported(model, tmp_path)
    points = training_points()
    with torch.no_grad():
        ours = module.load()(module.features(torch.tensor(points, dtype=torch.float64)))
    assert ours.dtype == torch.float64
    expected = chainrule_outputs(model, points)
    for got, want in zip(ours.tolist(), expected, strict=True):
        assert got == pytest.approx(want, abs=TOLERANCE, rel=0)


def test_the_sequential_is_linear_then_activation_in_chainrules_order(tmp_path):
    model = MLP(2, [3, 1], activation="relu", output_activation="sigmoid", seed=0)
    network = exported(model, tmp_path).network()
    kinds = [type(m).__name__ for m in network]
    assert kinds == ["Linear", "ReLU", "Linear", "Sigmoid"]
    assert network[0].weight.shape == (3, 2) and network[2].weight.shape == (1, 3)


def test_one_sgd_step_on_the_same_batch_gives_the_same_weights(tmp_path):
    model = MLP(4, [4, 4, 1], activation="tanh", seed=11)
    model.features = ("x1", "x2", "x1sq", "sinx2")
    module = exported(model, tmp_path)
    points, classes = make_circles(20, noise=0.05, seed=5)
    points = [list(p) for p in points]
    labels = [float(y) for y in classes]
    lr = 0.3

    outputs = [model(featurize(p, model.features)) for p in points]
    cost = mean_loss(mse_loss, outputs, labels)  # C = (1/n) Σ ½ (a^L − y)²
    model.zero_grad()
    cost.backward()
    SGD(model.parameters(), lr=lr).step()

    network = module.load()
    optimizer = torch.optim.SGD(network.parameters(), lr=lr)
    x = module.features(torch.tensor(points, dtype=torch.float64))
    y = torch.tensor(labels, dtype=torch.float64).reshape(-1, 1)
    loss = (0.5 * (network(x) - y) ** 2).sum(dim=1).mean()
    assert loss.item() == pytest.approx(cost.data, abs=TOLERANCE, rel=0)
    optimizer.zero_grad()
    loss.backward()  # BP1–BP4, done by autograd
    optimizer.step()

    ours = [p.data for p in model.parameters()]
    assert torch_parameters(network) == pytest.approx(ours, abs=TOLERANCE, rel=0)
    assert ours != [p.data for p in MLP(4, [4, 4, 1], activation="tanh", seed=11).parameters()]


def test_the_safetensors_file_is_header_length_json_header_and_raw_float64(tmp_path):
    model = MLP(2, [3, 1], seed=2)
    model.features = ("x1sq", "x2")
    model.save(tmp_path / "m.json")
    weights = export.safetensors_bytes(load(tmp_path / "m.json"))
    (length,) = struct.unpack("<Q", weights[:8])
    assert length % 8 == 0
    header = json.loads(weights[8 : 8 + length])
    assert header.pop("__metadata__") == {
        "format": "pt",
        "features": "x1sq,x2",
        "activations": "tanh,linear",
    }
    assert list(header) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert header["0.weight"] == {"dtype": "F64", "shape": [3, 2], "data_offsets": [0, 48]}
    data = weights[8 + length :]
    assert len(data) == header["2.bias"]["data_offsets"][1] == 8 * 13
    numbers = struct.unpack("<13d", data)
    layer1 = model.layers[0].neurons
    assert list(numbers[:6]) == [w.data for neuron in layer1 for w in neuron.w]
    assert list(numbers[6:9]) == [neuron.b.data for neuron in layer1]


def test_the_exported_file_runs_as_a_script(tmp_path):
    model = MLP(2, [3, 1], seed=4)
    model.features = ("x1", "x2")
    exported(model, tmp_path)
    result = run_python(tmp_path / "model.py", "0.5", "-0.25")
    (value,) = json.loads(result.stdout)
    assert value == pytest.approx(model([0.5, -0.25]).data, abs=TOLERANCE, rel=0)
    usage = run_python(tmp_path / "model.py", check=False)
    assert usage.returncode != 0 and "X1 X2" in usage.stderr


def test_a_model_without_features_takes_its_inputs_as_they_are(tmp_path):
    model = MLP(3, [2, 1], activation="sigmoid", seed=1)
    module = exported(model, tmp_path)
    assert module.FEATURES is None and module.INPUTS == 3
    points = [[0.1, -0.4, 2.0], [1.5, 0.0, -1.0]]
    with torch.no_grad():
        ours = module.load()(module.features(torch.tensor(points, dtype=torch.float64)))
    for got, want in zip(ours.tolist(), chainrule_outputs(model, points), strict=True):
        assert got == pytest.approx(want, abs=TOLERANCE, rel=0)


def test_every_activation_and_feature_has_its_pytorch_twin():
    config = export.page_config()
    assert list(config["activations"]) == list(ACTIVATIONS)
    assert list(config["features"]) == list(FEATURES)


def test_an_activation_without_a_pytorch_module_is_named(monkeypatch, tmp_path):
    monkeypatch.delitem(export.TORCH_ACTIVATIONS, "relu")
    assert "relu" not in export.page_config()["activations"]  # the page still trains with it
    MLP(2, [3, 1], activation="relu", seed=0).save(tmp_path / "m.json")
    with pytest.raises(ValueError, match="'relu' has no PyTorch module yet: add it to TORCH_"):
        export.export_pytorch(load(tmp_path / "m.json"))


def test_an_activation_per_layer_is_exported_layer_by_layer(tmp_path):
    model = MLP(2, [4, 3, 1], activation=["relu", "tanh"], output_activation="sigmoid", seed=5)
    module = exported(model, tmp_path)
    kinds = [type(m).__name__ for m in module.network()]
    assert kinds == ["Linear", "ReLU", "Linear", "Tanh", "Linear", "Sigmoid"]
    points = training_points()
    with torch.no_grad():
        ours = module.load()(torch.tensor(points, dtype=torch.float64))
    for got, want in zip(ours.tolist(), chainrule_outputs(model, points), strict=True):
        assert got == pytest.approx(want, abs=TOLERANCE, rel=0)
