"""The playground's configuration and page, and the Python numbers the page is held to."""

import base64
import hashlib
import json
import re
from itertools import islice

import pytest
from chainrule.engine import Value, export_ops
from chainrule.nn import (
    MLP,
    SGD,
    Adam,
    batch_orders,
    bce_loss,
    bp_check,
    featurize,
    fit,
    hinge_loss,
    make_circles,
    make_moons,
    mse_loss,
    pytorch_export,
    signed_labels,
)
from chainrule.nn.init import init_choices
from chainrule.viz import playground, playground_config, playground_page, write_playground
from chainrule.viz.page_assets import read_scripts
from chainrule.viz.playground import (
    SCRIPTS,
    bp_reference,
    playground_model,
    python_training_steps,
)

KEYS = [
    "dataset",
    "samples",
    "noise",
    "trainRatio",
    "features",
    "hidden",
    "activation",
    "init",
    "loss",
    "optimizer",
    "lr",
    "batchSize",
    "l1",
    "l2",
    "seed",
    "classes",
]


# ── the configuration ─────────────────────────────────────────────────────────────────────


def test_the_configuration_has_the_contracts_keys_and_the_options():
    config = playground_config()
    assert list(config) == [
        "config",
        "data",
        "weights",
        "initWeights",
        "batchOrders",
        "trained",
        "ops",
        "choices",
        "limits",
        "pytorch",
    ]
    assert config["pytorch"] == pytorch_export.page_config()
    assert config["trained"] == {"epochs": 0, "steps": 0}
    assert config["limits"] == playground.limits()
    assert config["limits"]["neurons"] == playground.MAX_NEURONS == 8
    assert config["limits"]["lr"] == [0.0, playground.MAX_LR] == [0.0, 10.0]
    assert list(config["config"]) == KEYS
    assert config["config"] == {
        "dataset": "moons",
        "samples": 200,
        "noise": 0.1,
        "trainRatio": 0.5,
        "features": ["x1", "x2"],
        "hidden": [4, 4],
        "activation": "tanh",
        "init": "uniform",
        "loss": "bce",
        "optimizer": "sgd",
        "lr": 0.03,
        "batchSize": 10,
        "l1": 0.0,
        "l2": 0.0,
        "seed": 0,
        "classes": 2,
    }
    assert config["ops"] == export_ops()["ops"]
    assert config["choices"] == {
        "activation": [
            {"name": "tanh", "label": "tanh", "op": "tanh"},
            {"name": "relu", "label": "ReLU", "op": "relu"},
            {"name": "sigmoid", "label": "sigmoid", "op": "sigmoid"},
            {"name": "linear", "label": "linear", "op": "identity"},
        ],
        "loss": [
            {"name": "bce", "label": "cross-entropy"},
            {"name": "mse", "label": "squared error"},
            {"name": "hinge", "label": "hinge"},
            {"name": "cross_entropy", "label": "softmax cross-entropy"},
        ],
        "optimizer": [{"name": "sgd", "label": "SGD"}, {"name": "adam", "label": "Adam"}],
        "dataset": [
            "moons",
            "circles",
            "xor",
            "gauss",
            "spiral",
            "reg-plane",
            "reg-gauss",
            "blobs",
        ],
        "multiclass": ["spiral", "blobs"],
        "multiclassLoss": "cross_entropy",
        "twoClasses": ["moons", "circles", "xor", "gauss", "spiral", "reg-plane", "reg-gauss"],
        "regression": ["reg-plane", "reg-gauss"],
        "init": init_choices(),
    }
    assert json.loads(json.dumps(config, allow_nan=False)) == config  # JSON as it is


def test_an_activation_added_to_nn_appears_in_the_page_and_on_the_command_line(monkeypatch):
    """Every list of activations is nn.activations.ACTIVATIONS, read when it is used (#17)."""
    from chainrule.nn import activations

    from chainrule.cli import build_parser

    def choices_of(command: str) -> list[str]:
        parser = build_parser()
        commands = next(a for a in parser._actions if a.dest == "command").choices
        action = next(a for a in commands[command]._actions if a.dest == "activation")
        return list(action.choices)

    assert "softplus" not in choices_of("bp-check")
    monkeypatch.setitem(activations.ACTIVATIONS, "softplus", Value.softplus)
    monkeypatch.setitem(activations.LABELS, "softplus", "softplus (smooth ReLU)")
    for command in ("bp-check", "playground"):
        assert choices_of(command) == ["tanh", "relu", "sigmoid", "linear", "softplus"]
    # train's --activation is a list (one per hidden layer), each name checked against nn's
    train = build_parser().parse_args(["train", "--activation", "relu,softplus"])
    assert train.activation == ("relu", "softplus")
    config = playground_config(activation="softplus")
    assert config["config"]["activation"] == "softplus"
    assert config["choices"]["activation"][-1] == {
        "name": "softplus",
        "label": "softplus (smooth ReLU)",
        "op": "softplus",
    }
    page = playground_page(activation="softplus")
    menu = re.search(r'<select id="activation">(.*?)</select>', page, re.S)
    assert menu and re.findall(r'<option value="(\w+)">([^<]*)</option>', menu.group(1)) == [
        ("tanh", "tanh"),
        ("relu", "ReLU"),
        ("sigmoid", "sigmoid"),
        ("linear", "linear"),
        ("softplus", "softplus (smooth ReLU)"),
    ]


def test_an_activation_of_several_ops_is_refused_by_the_page():
    from chainrule.nn.activations import activation_op

    with pytest.MonkeyPatch.context() as patch:
        from chainrule.nn import activations

        patch.setitem(activations.ACTIVATIONS, "swish", lambda z: z * z.sigmoid())
        with pytest.raises(ValueError, match="'swish' is not one engine op"):
            activation_op("swish")


def test_the_same_options_give_the_same_json_and_another_seed_another():
    options = {"dataset": "spiral", "features": ["x1", "x2", "sinx1"], "hidden": [5], "seed": 4}
    first = json.dumps(playground_config(**options))
    assert json.dumps(playground_config(**options)) == first
    assert json.dumps(playground_config(**(options | {"seed": 5}))) != first


def test_the_data_is_the_generators_split_in_order_with_labels_0_and_1():
    config = playground_config(dataset="circles", samples=90, noise=0.2, train_ratio=0.3, seed=7)
    points, labels = make_circles(n=90, noise=0.2, seed=7)
    rows = [[x1, x2, label] for (x1, x2), label in zip(points, labels, strict=True)]
    assert len(config["data"]["train"]) == round(0.3 * 90) == 27
    assert config["data"]["train"] == rows[:27]
    assert config["data"]["test"] == rows[27:]
    assert {row[2] for row in rows} == {0, 1}


def test_hinge_keeps_labels_0_and_1_in_the_data():
    config = playground_config(loss="hinge")
    assert {row[2] for row in config["data"]["train"]} == {0, 1}


def test_the_weights_are_the_mlps_as_saved(tmp_path):
    config = playground_config(
        features=["x1", "x2", "x1x2"], hidden=[3, 2], activation="relu", seed=11
    )
    model = MLP(3, [3, 2, 1], activation="relu", output_activation="linear", seed=11)
    model.save(tmp_path / "model.json")
    saved = json.loads((tmp_path / "model.json").read_text())
    assert config["weights"] == saved["layers"]
    rebuilt = playground_model(config)
    assert repr(rebuilt) == repr(model) == "MLP(3 → 3 relu → 2 relu → 1 linear)"
    assert [p.data for p in rebuilt.parameters()] == [p.data for p in model.parameters()]


def test_a_given_model_brings_its_weights_and_architecture():
    model = MLP(2, [16, 16, 1], activation="sigmoid", seed=3)
    model.parameters()[0].data = 0.125
    config = playground_config(model=model, hidden=[2], activation="tanh")
    assert config["config"]["hidden"] == [16, 16]
    assert config["config"]["activation"] == "sigmoid"
    assert config["weights"][0][0]["w"][0] == 0.125
    rebuilt = playground_model(config)
    assert [p.data for p in rebuilt.parameters()] == [p.data for p in model.parameters()]


def test_the_batch_orders_are_batch_orders_of_the_training_points():
    config = playground_config(samples=60, train_ratio=0.6, seed=2, epochs_of_order=7)
    assert len(config["data"]["train"]) == 36
    assert config["batchOrders"] == list(islice(batch_orders(36, seed=2), 7))


# ── Python's steps, the numbers the page is compared with ─────────────────────────────────


def fitted(config: dict, epochs: int) -> list[float]:
    """The weights nn.fit gives after ``epochs`` epochs, from the configuration alone."""
    options = config["config"]
    model = playground_model(config)
    train = config["data"]["train"]
    inputs = [featurize(row[:2], options["features"]) for row in train]
    labels = [row[2] for row in train]
    targets = signed_labels(labels) if options["loss"] == "hinge" else labels
    kind = {"sgd": SGD, "adam": Adam}[options["optimizer"]]
    optimizer = kind(model.parameters(), lr=options["lr"], weight_decay=options["l2"])
    loss = {"bce": bce_loss, "mse": mse_loss, "hinge": hinge_loss}[options["loss"]]
    fit(
        model,
        inputs,
        targets,
        loss=loss,
        optimizer=optimizer,
        epochs=epochs,
        batch_size=options["batchSize"],
        seed=options["seed"],
        progress=False,
    )
    return [p.data for p in model.parameters()]


@pytest.mark.parametrize(
    "options",
    [
        {"optimizer": "sgd"},
        {"optimizer": "adam", "lr": 0.01, "l2": 0.001},
        {
            "optimizer": "sgd",
            "features": ["x1", "x2", "x1sq", "sinx1"],
            "loss": "mse",
            "l2": 0.01,
            "batch_size": 7,
        },
        {
            "optimizer": "adam",
            "features": ["x1sq", "sinx1"],
            "loss": "hinge",
            "hidden": [3],
            "activation": "relu",
            "dataset": "xor",
        },
    ],
)
def test_python_training_steps_are_fits_steps_for_whole_epochs(options):
    config = playground_config(samples=60, seed=3, **options)
    batches = -(-len(config["data"]["train"]) // config["config"]["batchSize"])
    assert python_training_steps(config, 5 * batches) == fitted(config, 5)


def test_python_training_steps_part_way_through_an_epoch():
    config = playground_config(samples=40, batch_size=6, seed=1)  # 20 points: 4 batches an epoch
    start = [p.data for p in playground_model(config).parameters()]
    assert python_training_steps(config, 0) == start
    one_epoch = python_training_steps(config, 4)
    assert one_epoch == fitted(config, 1)
    five = python_training_steps(config, 5)
    assert five not in (one_epoch, python_training_steps(config, 6))
    assert python_training_steps(config, 5) == five


def test_bp_reference_equals_autograd_on_the_same_sample():
    config = playground_config(features=["x1", "x2", "x2sq"], hidden=[3, 2], loss="mse", seed=6)
    row = config["data"]["train"][5]
    x = featurize(row[:2], ["x1", "x2", "x2sq"])
    reference = bp_reference(config, 5)
    model = playground_model(config)
    bp_check(model, x, [row[2]])  # autograd fills in every grad
    assert reference.a[0] == x
    assert reference.L == 3
    for layer_number, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            assert reference.delta[layer_number][j] == pytest.approx(neuron.z.grad, rel=1e-12)
            assert reference.dC_db[layer_number][j] == pytest.approx(neuron.b.grad, rel=1e-12)
            for k, w in enumerate(neuron.w):
                assert reference.dC_dW[layer_number][j][k] == pytest.approx(w.grad, rel=1e-12)


def test_bp_reference_refuses_an_index_outside_the_training_points():
    config = playground_config(samples=20)
    with pytest.raises(ValueError, match="sample_index must be from 0 to 9, got 10"):
        bp_reference(config, 10)


# ── checking the options ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "options, error, message",
    [
        ({"dataset": "iris"}, ValueError, "dataset: unknown choice 'iris'; choose one of moons"),
        ({"samples": 5}, ValueError, "samples must be from 10 to 1,000, got 5"),
        ({"samples": 20.0}, TypeError, "samples must be a whole number"),
        ({"noise": 0.6}, ValueError, "noise must be from 0 to 0.5, got 0.6"),
        ({"train_ratio": 0.95}, ValueError, "train_ratio must be from 0.1 to 0.9"),
        ({"features": []}, ValueError, "no input features chosen"),
        ({"features": ["x1", "x1"]}, ValueError, "chosen twice"),
        ({"hidden": [4] * 7}, ValueError, "at most 6 hidden layers"),
        ({"hidden": [9]}, ValueError, "a layer has from 1 to 8 neurons in the playground, got 9"),
        ({"hidden": [0]}, ValueError, "a layer has from 1 to 8 neurons"),
        ({"hidden": "4,4"}, TypeError, "a list of layer widths"),
        ({"activation": "softplus"}, ValueError, "activation: unknown choice 'softplus'"),
        ({"loss": "mae"}, ValueError, "loss: unknown choice"),
        ({"loss": "cross_entropy"}, ValueError, "softmax's over K logits: give classes=3"),
        ({"optimizer": "rmsprop"}, ValueError, "optimizer: unknown choice 'rmsprop'"),
        ({"lr": 0}, ValueError, "lr must be a finite number > 0 and at most 10, got 0"),
        ({"lr": float("inf")}, ValueError, "lr must be a finite number > 0"),
        ({"batch_size": 31}, ValueError, "batch_size must be from 1 to 30, got 31"),
        ({"l2": -0.1}, ValueError, "l2 must be from 0 to 10, got -0.1"),
        ({"l2": 11}, ValueError, "l2 must be from 0 to 10, got 11"),
        ({"lr": 100}, ValueError, "lr must be a finite number > 0 and at most 10, got 100"),
        ({"train_ratio": 1.0}, ValueError, "train_ratio must be from 0.1 to 0.9"),
        ({"trained_epochs": 3}, ValueError, "trained_epochs needs the model"),
        ({"seed": None}, TypeError, "seed must be a whole number"),
        ({"epochs_of_order": 0}, ValueError, "epochs_of_order must be from 1"),
        ({"model": MLP(3, [2, 1], seed=0)}, ValueError, "takes 3 inputs, but 2 features"),
        ({"model": MLP(2, [2, 2], seed=0)}, ValueError, "one linear output neuron"),
        ({"model": MLP(2, [17, 1], seed=0)}, ValueError, "from 1 to 16 neurons"),
        ({"model": "model.json"}, TypeError, "model must be an nn.MLP"),
    ],
)
def test_a_bad_option_is_refused_clearly(options, error, message):
    with pytest.raises(error, match=re.escape(message)):
        playground_config(**options)


def test_an_unknown_option_is_refused():
    with pytest.raises(TypeError, match="colour"):
        playground_page(colour="red")


# ── the page ──────────────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def page() -> str:
    return playground_page(dataset="xor", hidden=[3], title="Play <now>")


def embedded(html: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="chainrule-playground">(.*?)</script>', html, re.S
    )
    assert found, "no configuration in the page"
    return json.loads(found.group(1))


def test_the_page_embeds_the_configuration(page):
    assert embedded(page) == playground_config(dataset="xor", hidden=[3])


def test_the_page_is_self_contained_with_one_script_allowed_by_its_hash(page):
    scripts = re.findall(r"<script(\s[^>]*)?>(.*?)</script>", page, re.S)
    executable = [body for attributes, body in scripts if "application/json" not in attributes]
    assert len(executable) == 1
    (script,) = executable
    assert script == read_scripts(SCRIPTS)
    assert "var chainrule_ops" in script and "viz/web/ops.js" not in script
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert policy == (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    )
    assert not re.search(r"https?://", page.replace("http://www.w3.org/2000/svg", ""))
    assert not re.search(r"<(?:link|img|iframe)\b|\ssrc=", page)
    assert "$" + "config" not in page and "$" + "script" not in page


def test_the_title_is_escaped_and_the_json_cannot_end_its_element(page):
    assert "Play &lt;now&gt;" in page and "Play <now>" not in page
    data = re.search(r'id="chainrule-playground">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and data.isascii()


def test_write_playground_writes_the_page(tmp_path):
    path = write_playground(tmp_path / "sub" / "play", samples=30, hidden=[2])
    assert path == tmp_path / "sub" / "play.html"
    assert embedded(path.read_text(encoding="utf-8"))["config"]["samples"] == 30


def test_the_moons_of_the_default_page_are_the_generators():
    points, labels = make_moons(n=200, noise=0.1, seed=0)
    assert embedded(playground_page())["data"]["train"][0] == [*points[0], labels[0]]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_run_that_continues_steps_on_as_fit_would_have(optimizer):
    """python_training_steps from a trained run's configuration = nn.fit trained longer (#18)."""
    from chainrule.nn import bce_loss, fit, make_moons
    from chainrule.nn.optim import OPTIMIZERS

    points, labels = make_moons(n=40, noise=0.1, seed=3)

    def trained(epochs: int):
        model = MLP(2, [3, 1], activation="tanh", seed=3)
        state = OPTIMIZERS[optimizer](model.parameters(), lr=0.05)
        fit(
            model,
            points,
            labels,
            loss=bce_loss,
            optimizer=state,
            epochs=epochs,
            batch_size=6,
            seed=3,
            progress=False,
        )
        return model, state

    model, state = trained(3)
    config = playground_config(
        samples=40,
        seed=3,
        train_ratio=1.0,
        optimizer=optimizer,
        lr=0.05,
        batch_size=6,
        model=model,
        trained_epochs=3,
        optimizer_state=state,
    )
    assert config["trained"]["epochs"] == 3 and config["trained"]["steps"] == 3 * 7
    assert ("m" in config["trained"]) == (optimizer == "adam")
    assert config["batchOrders"][:2] == list(islice(batch_orders(40, 3), 3, 5))
    longer, _ = trained(5)
    assert python_training_steps(config, 2 * 7) == [p.data for p in longer.parameters()]
