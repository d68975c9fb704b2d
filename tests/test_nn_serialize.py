"""Save and load: JSON, an exact round-trip, and a clear ValueError for a bad file."""

import json
import os
import tempfile

import pytest
from chainrule.nn import MLP
from hypothesis import given, settings
from hypothesis import strategies as st

any_float = st.floats(allow_nan=False, allow_infinity=False)


def bits(model):
    return [p.data.hex() for p in model.parameters()]  # exact, and tells −0.0 from 0.0


def test_round_trip_keeps_architecture_and_every_float(tmp_path):
    model = MLP(3, [4, 2], activation="relu", output_activation="sigmoid", seed=1)
    model.save(tmp_path / "model.json")
    loaded = MLP.load(tmp_path / "model.json")
    assert repr(loaded) == repr(model) == "MLP(3 → 4 relu → 2 sigmoid)"
    assert bits(loaded) == bits(model)
    assert [n for n, _ in loaded.named_parameters()] == [n for n, _ in model.named_parameters()]
    x = [0.1, -0.2, 0.3]
    assert [a.data for a in loaded(x)] == [a.data for a in model(x)]


def test_the_file_is_readable_json(tmp_path):
    model = MLP(2, [1], seed=0)
    model.save(str(tmp_path / "m.json"))
    document = json.loads((tmp_path / "m.json").read_text())
    assert document["format"] == "chainrule.nn.MLP" and document["nouts"] == [1]
    assert document["layers"][0][0]["w"] == [w.data for w in model.layers[0].neurons[0].w]


@settings(max_examples=40, deadline=None)
@given(st.lists(any_float, min_size=9, max_size=9))
def test_any_finite_weights_round_trip_exactly(weights):
    model = MLP(2, [2, 1], seed=0)
    for p, value in zip(model.parameters(), weights, strict=True):
        p.data = value
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "model.json")
        model.save(path)
        assert bits(MLP.load(path)) == bits(model)


def test_saving_a_diverged_model_raises_and_writes_nothing(tmp_path):
    model = MLP(2, [1], seed=0)
    model.layers[0].neurons[0].b.data = float("nan")
    with pytest.raises(ValueError, match=r"parameter b\[1\]\[0\] is nan"):
        model.save(tmp_path / "m.json")
    assert list(tmp_path.iterdir()) == []


def write(tmp_path, text):
    path = tmp_path / "model.json"
    path.write_text(text)
    return path


def saved_document(**changes):
    model = MLP(2, [3, 1], seed=0)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "m.json")
        model.save(path)
        with open(path) as f:
            document = json.load(f)
    document.update(changes)
    return document


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        MLP.load(tmp_path / "absent.json")


def test_truncated_file(tmp_path):
    text = json.dumps(saved_document())
    with pytest.raises(ValueError, match=r"not valid JSON .* truncated"):
        MLP.load(write(tmp_path, text[: len(text) // 2]))


def test_not_json_at_all(tmp_path):
    with pytest.raises(ValueError, match="not valid JSON"):
        MLP.load(write(tmp_path, "W[1][0][0] = 0.5\n"))
    (tmp_path / "binary").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ValueError, match="not a text file"):
        MLP.load(tmp_path / "binary")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([1, 2, 3], "expected a JSON object, found list"),
        (saved_document(format="keras"), "\"format\" is 'keras'"),
        (saved_document(version=2), "this code reads 1"),
        ({"format": "chainrule.nn.MLP", "version": 1}, 'the key "nin" is missing'),
        (saved_document(nin=0), '"nin" must be a positive integer'),
        (saved_document(nouts=[3, "1"]), '"nouts" must be a non-empty list'),
        (saved_document(activation="swish"), "unknown activation 'swish'"),
        (saved_document(nouts=[3, 1, 1]), '"layers" must list 3 layers'),
        (saved_document(nouts=[4, 1]), "layer 1 must have 4 neurons, found 3"),
        (saved_document(nin=3), "layer 1 neuron 0 must have 3 weights .* found 2"),
        (saved_document(features="x1,x2"), '"features" must be a list of feature ids'),
        (saved_document(features=["x1", "x3"]), "\"features\": unknown feature 'x3'"),
        (saved_document(features=["x1", "x2", "x1sq"]), '"features" lists 3 features, but'),
        (saved_document(loss="l1"), "\"loss\": unknown loss 'l1'; choose one of 'bce'"),
    ],
)
def test_wrong_shape_or_content(tmp_path, document, message):
    with pytest.raises(ValueError, match=message):
        MLP.load(write(tmp_path, json.dumps(document)))


def test_bad_numbers_in_the_weights(tmp_path):
    document = saved_document()
    document["layers"][1][0]["w"][2] = "0.5"
    with pytest.raises(ValueError, match=r"W\[2\]\[0\]\[2\] must be a number"):
        MLP.load(write(tmp_path, json.dumps(document)))
    document["layers"][1][0]["w"][2] = 0.5
    document["layers"][1][0]["b"] = True
    with pytest.raises(ValueError, match=r"b\[2\]\[0\] must be a number"):
        MLP.load(write(tmp_path, json.dumps(document)))
    text = json.dumps(document).replace("true", "NaN")
    with pytest.raises(ValueError, match="contains NaN"):
        MLP.load(write(tmp_path, text))
    text = json.dumps(document).replace("true", "1e999")
    with pytest.raises(ValueError, match=r"b\[2\]\[0\] must be a number, found inf"):
        MLP.load(write(tmp_path, text))


def test_features_and_loss_are_saved_and_loaded_with_the_model(tmp_path):
    # a playground model on x₁² and sin x₁ says so in its file, and MLP.load keeps it
    model = MLP(3, [2, 1], seed=3)
    assert model.features is None and model.loss is None
    model.save(tmp_path / "plain.json")
    plain = json.loads((tmp_path / "plain.json").read_text())
    assert "features" not in plain and "loss" not in plain
    assert MLP.load(tmp_path / "plain.json").features is None
    model.features, model.loss = ("x1", "x1sq", "sinx1"), "bce"
    model.save(tmp_path / "model.json")
    document = json.loads((tmp_path / "model.json").read_text())
    assert document["features"] == ["x1", "x1sq", "sinx1"] and document["loss"] == "bce"
    loaded = MLP.load(tmp_path / "model.json")
    assert loaded.features == ("x1", "x1sq", "sinx1") and loaded.loss == "bce"
    assert bits(loaded) == bits(model)
