"""The playground's numbers are the Python engine's, checked in headless Chromium.

For the configuration Python embeds (its data, initial weights and mini-batch order), k
training steps in the page give the weights nn.fit gives after the same k steps, within
1e-9 relative, for SGD and Adam and every loss; the page's BP1–BP4 quantities equal
nn.bp_equations' for the same sample; and a downloaded model loads in MLP.load.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from chainrule.nn import MLP
from chainrule.viz import write_playground
from chainrule.viz.playground import bp_reference, playground_config, python_training_steps

pytestmark = [pytest.mark.needs_chromium]


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-15)


def open_playground(browser, folder: Path, **options) -> None:
    page = write_playground(folder / "playground.html", **options)
    browser.get(page.as_uri())
    assert browser.execute_script("return typeof window.chainrule.train") == "function"


@pytest.mark.parametrize(
    "options",
    [
        {"optimizer": "sgd", "loss": "bce"},
        {"optimizer": "adam", "loss": "bce", "l2": 0.001},
        {"optimizer": "sgd", "loss": "mse", "activation": "sigmoid"},
        {"optimizer": "adam", "loss": "hinge", "activation": "relu", "hidden": (5, 3)},
        {"optimizer": "sgd", "loss": "bce", "features": ("x1", "x2", "x1sq", "x1x2", "sinx2")},
    ],
    ids=["sgd-bce", "adam-bce-l2", "sgd-mse", "adam-hinge-relu", "features"],
)
def test_fifty_steps_in_the_page_give_pythons_weights(browser, tmp_path, options):
    open_playground(browser, tmp_path, **options)
    page = browser.execute_script("window.chainrule.train(50); return window.chainrule.weights()")
    python = python_training_steps(playground_config(**options), 50)
    assert len(page) == len(python)
    worst = max(abs(a - b) / max(abs(a), abs(b), 1e-300) for a, b in zip(page, python, strict=True))
    assert worst <= 1e-9, worst


def test_every_loss_and_optimizer_of_nn_trains_in_the_page(browser, tmp_path):
    """The menus offer nn's losses and optimisers (#17), so the page must train each of them."""
    from chainrule.nn.datasets import DATASETS, MULTICLASS_DATASETS
    from chainrule.nn.losses import LOSSES, cross_entropy
    from chainrule.nn.optim import OPTIMIZERS

    open_playground(browser, tmp_path)
    menus = browser.execute_script(
        "return ['loss', 'optimizer'].map(id => "
        "Array.from(document.getElementById(id).options, o => o.value))"
    )
    assert menus == [[*LOSSES, cross_entropy.__name__], list(OPTIMIZERS)]  # K classes' too
    drawn = browser.execute_script("return chainrule_data.DATASETS")
    assert sorted(drawn) == sorted({**DATASETS, **MULTICLASS_DATASETS})  # new data of each
    for loss in LOSSES:
        for optimizer in OPTIMIZERS:
            options = {"loss": loss, "optimizer": optimizer, "hidden": (3,), "samples": 40}
            open_playground(browser, tmp_path, **options)
            page = browser.execute_script(
                "window.chainrule.train(12); return window.chainrule.weights()"
            )
            python = python_training_steps(playground_config(**options), 12)
            assert page == python, (loss, optimizer)


def test_bp1_to_bp4_in_the_page_equal_the_equations(browser, tmp_path):
    options = {"loss": "mse", "activation": "sigmoid", "hidden": (3, 2), "seed": 4}
    open_playground(browser, tmp_path, **options)
    config = playground_config(**options)
    for sample in (0, 7, 31):
        page = browser.execute_script("return window.chainrule.bp(arguments[0])", sample)
        reference = bp_reference(config, sample)
        assert close(page["C"], reference.C)
        for key in ("z", "a", "delta", "dC_da", "sigma_prime", "dC_db"):
            for layer, vector in getattr(reference, key).items():
                got = page[key][str(layer)]
                assert all(close(g, e) for g, e in zip(got, vector, strict=True)), (key, layer)
        for layer, matrix in reference.dC_dW.items():
            for got, row in zip(page["dC_dW"][str(layer)], matrix, strict=True):
                assert all(close(g, e) for g, e in zip(got, row, strict=True)), ("dC_dW", layer)


def test_a_downloaded_model_loads_in_python_with_the_pages_weights(browser, tmp_path):
    open_playground(browser, tmp_path, optimizer="adam", hidden=(4, 2))
    browser.execute_script("window.chainrule.train(30)")
    document = browser.execute_script("return window.chainrule.model()")
    path = tmp_path / "downloaded.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    model = MLP.load(path)
    weights = browser.execute_script("return window.chainrule.weights()")
    assert [p.data for p in model.parameters()] == weights
    assert (
        model.loss
        == document["loss"]
        == browser.execute_script("return window.chainrule.config().loss")
    )  # so chainrule predict knows whether the output is a probability


def test_an_activation_added_to_nn_trains_in_the_page_as_in_python(browser, tmp_path, monkeypatch):
    """The page's activations are nn's, each applied as the engine op Python names (#17)."""
    from chainrule.engine import Value
    from chainrule.nn import activations

    monkeypatch.setitem(activations.ACTIVATIONS, "softplus", Value.softplus)
    options = {"optimizer": "adam", "loss": "bce", "activation": "softplus", "hidden": (3,)}
    open_playground(browser, tmp_path, **options)
    menu = browser.execute_script(
        "return Array.from(document.getElementById('activation').options, o => o.value)"
    )
    assert menu == ["tanh", "relu", "sigmoid", "linear", "softplus"]
    page = browser.execute_script("window.chainrule.train(20); return window.chainrule.weights()")
    python = python_training_steps(playground_config(**options), 20)
    assert page == python  # the same ops in the same order: the same floats
    browser.execute_script("window.chainrule.configure({activation: 'relu'})")
    browser.execute_script("window.chainrule.configure({activation: 'softplus'})")
    assert browser.execute_script("return window.chainrule.config().activation") == "softplus"
