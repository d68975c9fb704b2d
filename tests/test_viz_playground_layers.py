"""The playground's per-layer choices (#22): σ per hidden layer, the init, and "compare".

In headless Chromium, through window.chainrule and the controls: 50 steps of a network with a
different σ in each hidden layer, started with Xavier's weights, equal nn.fit's within 1e-9;
"compare" trains the network from every nn.init initialisation with Python's own weights
and its losses are Python's; the menus are nn's tables; a bad list is refused, naming it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from chainrule.nn import ACTIVATIONS, MLP, SGD, bce_loss, featurize, fit, mean_loss
from chainrule.nn.datasets import DATASETS
from chainrule.nn.init import INITS
from chainrule.nn.losses import LOSSES
from chainrule.viz import write_playground
from chainrule.viz.playground import playground_config, python_training_steps
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.page_helpers import open_page

pytestmark = [pytest.mark.needs_chromium]

LAYERED = {"activation": ["relu", "tanh"], "init": "xavier", "hidden": (4, 3)}


def relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def open_playground(browser, folder: Path, fragment: str = "", **options) -> None:
    open_page(browser, write_playground(folder / "playground.html", **options), fragment)


@pytest.mark.parametrize(
    "options",
    [
        {**LAYERED, "optimizer": "sgd", "loss": "bce"},
        {"activation": ["sigmoid", "relu", "linear"], "init": "he", "hidden": (3, 4, 2),
         "optimizer": "adam", "loss": "mse"},
    ],
    ids=["relu-tanh-xavier-sgd", "three-layers-he-adam"],
)  # fmt: skip
def test_fifty_steps_with_per_layer_activations_give_pythons_weights(browser, tmp_path, options):
    open_playground(browser, tmp_path, **options)
    page = browser.execute_script("window.chainrule.train(50); return window.chainrule.weights()")
    python = python_training_steps(playground_config(**options), 50)
    assert len(page) == len(python)
    worst = max(relative(a, b) for a, b in zip(page, python, strict=True))
    assert worst <= 1e-9, worst


def python_losses_by_epoch(options: dict, epochs: int) -> list[float]:
    """The mean training loss after 0 … epochs epochs, by nn (fit's steps, then the loss)."""
    config = playground_config(**options)
    train = config["data"]["train"]
    steps_per_epoch = math.ceil(len(train) / config["config"]["batchSize"])
    inputs = [featurize(row[:2], config["config"]["features"]) for row in train]
    losses = []
    for epoch in range(epochs + 1):
        weights = python_training_steps(config, epoch * steps_per_epoch)
        model = MLP(len(inputs[0]), [*config["config"]["hidden"], 1],
                    activation=options.get("activation", "tanh"))  # fmt: skip
        for p, value in zip(model.parameters(), weights, strict=True):
            p.data = value
        outputs = [model(x) for x in inputs]
        loss = LOSSES[config["config"]["loss"]]
        losses.append(mean_loss(loss, outputs, [row[2] for row in train]).data)
    return losses


def test_compare_trains_from_every_init_and_its_losses_are_pythons(browser, tmp_path):
    options = {**LAYERED, "samples": 60}
    open_playground(browser, tmp_path, **options)
    before = browser.execute_script("return window.chainrule.weights()")
    result = browser.execute_script("return window.chainrule.compare(3)")
    assert result["epochs"] == 3 and result["stopped"] == {}
    assert sorted(result["losses"]) == sorted(INITS)  # (WebDriver sorts the keys)
    assert "init" not in result["config"]
    for name in INITS:
        python = python_losses_by_epoch({**options, "init": name}, 3)
        page = result["losses"][name]
        assert len(page) == 4
        assert max(relative(a, b) for a, b in zip(page, python, strict=True)) <= 1e-9, name
    assert browser.execute_script("return window.chainrule.weights()") == before  # untouched
    assert browser.execute_script("return window.chainrule.comparison()") == result
    # the overlay: one line per init, each named with its last loss in the key
    assert not browser.find_element(By.ID, "comparison").get_attribute("hidden")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#compare-curve polyline")) == len(INITS)
    key = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#compare-key li")]
    assert [line.split(":")[0] for line in key] == ["Uniform", "Xavier/Glorot", "He"]
    assert "after 3 epochs" in key[1]
    # the same run again gives the same numbers: it is seeded
    assert browser.execute_script("return window.chainrule.compare(3)") == result
    # another configuration hides a comparison that is not of it
    browser.execute_script("window.chainrule.configure({lr: 0.1})")
    assert browser.find_element(By.ID, "comparison").get_attribute("hidden")
    with pytest.raises(Exception, match="epochs must be a whole number from 1 to 200"):
        browser.execute_script("window.chainrule.compare(0)")


def test_the_compare_button_and_the_menus_are_nns(browser, tmp_path):
    open_playground(browser, tmp_path, **LAYERED)
    init = Select(browser.find_element(By.ID, "init"))
    assert [o.get_attribute("value") for o in init.options] == list(INITS)
    layer_2 = Select(browser.find_element(By.ID, "activation-2"))
    assert [o.get_attribute("value") for o in layer_2.options] == list(ACTIVATIONS)
    assert layer_2.first_selected_option.get_attribute("value") == "tanh"
    assert browser.find_element(By.ID, "activation").get_attribute("value") == ""  # per layer
    layer_2.select_by_value("sigmoid")
    assert browser.execute_script("return window.chainrule.config().activation") == [
        "relu",
        "sigmoid",
    ]
    assert "#" in browser.current_url and "activation=relu,sigmoid" in browser.current_url
    Select(browser.find_element(By.ID, "activation")).select_by_value("relu")  # all layers
    assert browser.execute_script("return window.chainrule.config().activation") == "relu"
    init.select_by_value("he")
    assert browser.execute_script("return window.chainrule.config().init") == "he"
    browser.find_element(By.ID, "compare").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#compare-key li")) == len(INITS)
    assert browser.execute_script("return window.chainrule.comparison().epochs") == 20


def test_configure_takes_a_list_and_refuses_a_bad_one(browser, tmp_path):
    open_playground(browser, tmp_path, hidden=(3, 3))
    api = "return window.chainrule.configure(arguments[0])"
    assert browser.execute_script(api, {"activation": ["relu", "relu"]})["activation"] == "relu"
    config = browser.execute_script(api, {"activation": ["sigmoid", "relu"], "init": "xavier"})
    assert (config["activation"], config["init"]) == (["sigmoid", "relu"], "xavier")
    status = browser.find_element(By.ID, "status").text
    assert "3 sigmoid → 3 relu → 1 output" in status
    # more hidden layers: the last σ is repeated; fewer: the list is cut
    assert browser.execute_script(api, {"hidden": [3, 3, 2]})["activation"] == [
        "sigmoid", "relu", "relu",
    ]  # fmt: skip
    assert browser.execute_script(api, {"hidden": [2]})["activation"] == "sigmoid"
    for patch, message in [
        ({"activation": ["relu", "tanh"]}, "activation lists 2 activations for 1 hidden layers"),
        ({"activation": ["relu", "swish"]}, "activation must be one of tanh, relu, sigmoid"),
        ({"init": "glorot"}, 'init must be one of uniform, xavier, he, got "glorot"'),
    ]:
        with pytest.raises(Exception, match=message):
            browser.execute_script(api, patch)
    assert browser.execute_script("return window.chainrule.config().hidden") == [2]


def test_the_page_draws_each_init_as_nn_init_says(browser, tmp_path):
    """A configuration of the page's own (another seed): its weights within nn.init's bound."""
    open_playground(browser, tmp_path)
    for name, start in INITS.items():
        browser.execute_script(
            "window.chainrule.configure({seed: 5, hidden: [8, 2], init: arguments[0]})", name
        )
        layers = browser.execute_script("return window.chainrule.model().layers")
        for layer, neurons in enumerate(layers, start=1):
            n_in, n_out = (2, 8, 2)[layer - 1], len(neurons)
            bound = start.bound(n_in, n_out)
            weights = [w for neuron in neurons for w in neuron["w"]]
            assert all(abs(w) <= bound for w in weights), (name, layer)
            assert max(abs(w) for w in weights) > bound / 4, (name, layer)
            biases = [neuron["b"] for neuron in neurons]
            assert any(biases) if start.bias else biases == [0] * n_out, (name, layer)


def test_a_downloaded_per_layer_model_loads_in_python(browser, tmp_path):
    open_playground(browser, tmp_path, **LAYERED)
    browser.execute_script("window.chainrule.train(20)")
    document = browser.execute_script("return window.chainrule.model()")
    assert document["activation"] == ["relu", "tanh"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document))
    model = MLP.load(path)
    assert model.hidden_activations == ["relu", "tanh"]
    page = browser.execute_script("return window.chainrule.weights()")
    assert [p.data for p in model.parameters()] == page


def test_an_address_opens_per_layer_choices(browser, tmp_path):
    open_playground(browser, tmp_path, "#hidden=3,3&activation=linear,sigmoid&init=he")
    config = browser.execute_script("return window.chainrule.config()")
    assert (config["activation"], config["init"]) == (["linear", "sigmoid"], "he")
    assert browser.execute_script("return window.chainrule.notices()") == []
    walk = browser.execute_script("return window.chainrule.walkSteps()")
    assert any("layer 1 (σ = linear)" in step["text"] for step in walk)
    assert any("layer 2 (σ = sigmoid)" in step["text"] for step in walk)


def test_compare_on_a_trained_run_starts_every_init_afresh(browser, tmp_path):
    """chainrule train's page holds a trained model: compare trains new networks, not it."""
    points, labels = DATASETS["moons"](n=40, noise=0.1, seed=1)
    model = MLP(2, [3, 1], seed=1)
    optimizer = SGD(model.parameters(), lr=0.03)
    fit(model, points, labels, loss=bce_loss, optimizer=optimizer, epochs=30, batch_size=10,
        seed=1, progress=False)  # fmt: skip
    options = {"dataset": "moons", "samples": 40, "train_ratio": 1.0, "lr": 0.03, "seed": 1}
    open_playground(browser, tmp_path, **options, model=model, trained_epochs=30,
                    optimizer_state=optimizer)  # fmt: skip
    trained = browser.execute_script("return window.chainrule.loss()")
    result = browser.execute_script("return window.chainrule.compare(1)")
    starts = {name: losses[0] for name, losses in result["losses"].items()}
    assert all(abs(start - trained) > 1e-6 for start in starts.values()), (starts, trained)
    assert browser.execute_script("return window.chainrule.epoch()") == 30  # untouched
