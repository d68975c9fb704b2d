"""More than two classes in the playground (#22): K logits, softmax and cross-entropy.

A 3-class spiral or blobs run in the page gives ``nn.fit``'s weights after 50 steps (on the
dense path and on the tape), bp(i) equals ``nn.backprop_by_hand(..., loss="cross_entropy")``,
the output heatmap's pixels are the argmax class's colour, the page's spiral of K arms is
Python's to the bit, and configure refuses what does not fit, saying what to do.
"""

from __future__ import annotations

import base64
import importlib.util
import json

import pytest
import torch
from chainrule.nn import MLP, featurize, make_spiral
from chainrule.nn.pytorch_export import export_pytorch
from chainrule.nn.serialize import load
from chainrule.viz.playground import bp_reference, playground_config, python_training_steps
from selenium.common.exceptions import JavascriptException
from selenium.webdriver.common.by import By

from tests.test_viz_playground_exact import open_playground
from tests.test_viz_playground_regression import worst_difference

# ── Python: the configuration ─────────────────────────────────────────────────────────────


def test_three_classes_have_three_logits_and_cross_entropy():
    config = playground_config(dataset="blobs", classes=3, hidden=[4])
    assert config["config"]["loss"] == "cross_entropy"
    assert config["config"]["classes"] == 3
    assert [len(layer) for layer in config["weights"]] == [4, 3]
    labels = {row[2] for row in config["data"]["train"] + config["data"]["test"]}
    assert labels == {0, 1, 2}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"dataset": "moons", "classes": 3}, r"classes=3 needs a data set of K classes"),
        ({"dataset": "blobs"}, r"'blobs' is made of 3 to 5 classes: give classes=3"),
        ({"dataset": "spiral", "classes": 3, "loss": "mse"}, r"softmax cross-entropy only"),
        ({"loss": "cross_entropy"}, r"softmax's over K logits: give classes=3"),
    ],
)
def test_python_refuses_what_does_not_fit_k_classes(options, message):
    with pytest.raises(ValueError, match=message):
        playground_config(**options)


# ── the page: exact against Python ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("options", "engine"),
    [
        ({"dataset": "spiral", "classes": 3, "hidden": (6, 4), "lr": 0.1}, "dense"),
        ({"dataset": "spiral", "classes": 3, "hidden": (6, 4), "lr": 0.1}, "tape"),
        ({"dataset": "blobs", "classes": 4, "optimizer": "adam", "lr": 0.01, "l2": 0.001}, "dense"),
    ],
    ids=["spiral3-dense", "spiral3-tape", "blobs4-adam-dense"],
)
def test_fifty_steps_of_k_classes_give_pythons_weights(browser, tmp_path, options, engine):
    open_playground(browser, tmp_path, samples=120, **options)
    page = browser.execute_script(
        "window.chainrule.engine(arguments[0]); window.chainrule.train(50);"
        " return window.chainrule.weights()",
        engine,
    )
    python = python_training_steps(playground_config(samples=120, **options), 50)
    assert worst_difference(page, python) <= 1e-9


def test_the_dense_path_is_the_tapes_bit_for_bit_with_k_classes(browser, tmp_path):
    open_playground(browser, tmp_path, dataset="spiral", classes=3, hidden=(5,), samples=80)
    runs = browser.execute_script(
        "var out = [];"
        "['dense', 'tape'].forEach(function (e) { window.chainrule.reset();"
        " window.chainrule.engine(e); window.chainrule.train(30);"
        " out.push([window.chainrule.weights(), window.chainrule.loss()]); });"
        "return out"
    )
    assert runs[0] == runs[1]


def test_bp_of_a_three_class_run_is_backprop_by_hand(browser, tmp_path):
    options = {"dataset": "spiral", "classes": 3, "hidden": (4, 3), "samples": 60}
    open_playground(browser, tmp_path, **options)
    config = playground_config(**options)
    for index in (0, 7):
        page = browser.execute_script("return window.chainrule.bp(arguments[0])", index)
        hand = bp_reference(config, index)
        assert page["y_hat"] == pytest.approx(hand.y_hat, abs=1e-12)
        assert page["C"] == pytest.approx(hand.C, abs=1e-12)
        for layer in hand.delta:
            assert page["delta"][str(layer)] == pytest.approx(hand.delta[layer], abs=1e-12)
            for row, expected in zip(page["dC_dW"][str(layer)], hand.dC_dW[layer], strict=True):
                assert row == pytest.approx(expected, abs=1e-12)
            assert page["dC_db"][str(layer)] == pytest.approx(hand.dC_db[layer], abs=1e-12)


def test_the_heatmaps_pixels_are_the_argmax_class_colour(browser, tmp_path):
    open_playground(browser, tmp_path, dataset="blobs", classes=3, hidden=(4,), lr=0.3)
    found = browser.execute_script(
        "var c = window.chainrule; c.train(200);"
        "var canvas = document.getElementById('heatmap');"
        "var pixels = canvas.getContext('2d').getImageData(0, 0, 48, 48).data;"
        "var out = [];"
        "for (var iy = 2; iy < 48; iy += 9) { for (var ix = 3; ix < 48; ix += 9) {"
        "  var p = c.heatmapPoint(ix, iy); var guess = c.predict(p[0], p[1]);"
        "  var at = (iy * 48 + ix) * 4;"
        "  out.push({cls: guess.class, sure: Math.max.apply(null, guess.y_hat),"
        "    rgb: [pixels[at], pixels[at + 1], pixels[at + 2]]}); } }"
        "return {pixels: out, colours: chainrule_playground_classes.COLOURS}"
    )
    colours = [[int(hex_[i : i + 2], 16) for i in (1, 3, 5)] for hex_ in found["colours"]]
    middle = [0xE8, 0xEA, 0xEB]
    classes_seen = set()
    for pixel in found["pixels"]:
        k, sure, rgb = pixel["cls"], pixel["sure"], pixel["rgb"]
        fade = (sure - 1 / 3) / (1 - 1 / 3)
        expected = [round(m + (c - m) * fade) for m, c in zip(middle, colours[k], strict=True)]
        assert rgb == expected
        classes_seen.add(k)
    assert classes_seen == {0, 1, 2}  # the test sees every region


def test_the_pages_spiral_of_k_arms_is_pythons_to_the_bit(browser, tmp_path):
    open_playground(browser, tmp_path)
    for classes in (3, 5):
        page = browser.execute_script(
            "var made = chainrule_data.generate('spiral', 47, 0, 3, arguments[0]);"
            "return made.points.map(function (p, i) { return [p[0], p[1], made.labels[i]]; })",
            classes,
        )
        points, labels = make_spiral(n=47, noise=0.0, seed=3, classes=classes)
        python = [[x1, x2, label] for (x1, x2), label in zip(points, labels, strict=True)]
        assert sorted(map(tuple, page)) == sorted(map(tuple, python))


# ── the page: configure's rules ───────────────────────────────────────────────────────────


def configure(browser, patch):
    return browser.execute_script("return window.chainrule.configure(arguments[0])", patch)


def test_configure_brings_cross_entropy_with_classes_and_bce_back(browser, tmp_path):
    open_playground(browser, tmp_path)
    config = configure(browser, {"dataset": "spiral", "classes": 4})
    assert (config["classes"], config["loss"]) == (4, "cross_entropy")
    weights = browser.execute_script("return window.chainrule.weights().length")
    assert weights == (2 * 4 + 4) + (4 * 4 + 4) + (4 * 4 + 4)  # 2-4-4-4: K logits
    comparison = browser.execute_script("return window.chainrule.compare(2)")
    assert all(len(losses) == 3 for losses in comparison["losses"].values())  # K logits too
    assert not comparison["stopped"]
    config = configure(browser, {"classes": 2})
    assert (config["classes"], config["loss"]) == (2, "bce")
    config = configure(browser, {"dataset": "blobs"})
    assert (config["classes"], config["loss"]) == (3, "cross_entropy")


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (
            {"dataset": "moons", "classes": 3},
            "classes 3 needs a data set of K classes (spiral, blobs)",
        ),
        ({"dataset": "blobs", "classes": 2}, "classes: blobs is a data set of 3 to 5 classes"),
        ({"dataset": "spiral", "classes": 3, "loss": "mse"}, "loss: 3 classes train 3 logits"),
        ({"loss": "cross_entropy"}, "loss: cross_entropy is softmax's over K ≥ 3 logits"),
        ({"classes": 6}, "classes must be a whole number from 2 to 5, got 6"),
    ],
)
def test_configure_refuses_what_does_not_fit_and_says_why(browser, tmp_path, patch, message):
    open_playground(browser, tmp_path)
    before = browser.execute_script("return window.chainrule.config()")
    with pytest.raises(JavascriptException, match=message.replace("(", r"\(").replace(")", r"\)")):
        configure(browser, patch)
    assert browser.execute_script("return window.chainrule.config()") == before
    assert any(
        message in line for line in browser.execute_script("return window.chainrule.notices()")
    )


# ── the page: BP1 with softmax, the inspector, the model and PyTorch ──────────────────────


def test_the_walks_bp1_explains_softmax_and_the_inspector_shows_y_hat(browser, tmp_path):
    open_playground(browser, tmp_path, dataset="spiral", classes=3, hidden=(4,))
    q = browser.execute_script("return window.chainrule.bp(0)")
    label = browser.execute_script("return window.chainrule.data().train[0][2]")
    steps = browser.execute_script("return window.chainrule.walkSteps()")
    assert [step["equation"] for step in steps[:3]] == ["BP1"] * 3  # one per logit
    first = steps[0]["text"]
    assert "ŷ = softmax(aᴸ)" in first and "cancels the Jacobian" in first
    assert f"y = class {label};" in first  # the class as a whole number, not 1.0
    for j in range(3):
        hot = 1 if j == label else 0
        assert f"(ŷ{'₀₁₂'[j]} − y{'₀₁₂'[j]})" in steps[j]["text"]
        assert q["delta"]["2"][j] == pytest.approx(q["y_hat"][j] - hot, abs=1e-15)
    browser.execute_script("window.chainrule.select({kind: 'neuron', l: 2, j: 1})")
    inspector = browser.find_element(By.ID, "inspector").text
    assert "ŷ₁ = softmax(aᴸ)₁" in inspector
    neuron = browser.find_element(By.CSS_SELECTOR, '.neuron[data-l="2"][data-j="1"]')
    browser.execute_script("arguments[0].focus()", neuron)
    card = browser.find_element(By.ID, "hovercard").text
    assert "ŷ₁ = softmax(aᴸ)₁ = " in card and "∂C/∂a²₁ = ŷ₁ − y₁" in card


def test_the_model_and_the_pytorch_export_of_k_classes_give_chainrules_logits(browser, tmp_path):
    open_playground(browser, tmp_path, dataset="blobs", classes=4, hidden=(5,))
    browser.execute_script("window.chainrule.train(30)")
    document = browser.execute_script("return window.chainrule.model()")
    assert document["nouts"] == [5, 4] and "loss" not in document  # as chainrule train saves
    (tmp_path / "model.json").write_text(json.dumps(document))
    model = MLP.load(tmp_path / "model.json")
    points = [row[:2] for row in browser.execute_script("return window.chainrule.data().train")]
    for x1, x2 in points[:5]:
        page = browser.execute_script(
            "return window.chainrule.predict(arguments[0], arguments[1])", x1, x2
        )
        ours = [v.data for v in model(featurize([x1, x2], document["features"]))]
        assert page["outputs"] == pytest.approx(ours, abs=1e-12)
    exported = browser.execute_script("return window.chainrule.exportPyTorch()")
    code, weights = export_pytorch(load(tmp_path / "model.json"))
    assert exported["code"] == code and base64.b64decode(exported["safetensors"]) == weights
    (tmp_path / "net.py").write_text(exported["code"], encoding="utf-8")
    (tmp_path / "net.safetensors").write_bytes(weights)
    spec = importlib.util.spec_from_file_location("net_k_classes", tmp_path / "net.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with torch.no_grad():
        logits = module.load()(module.features(torch.tensor(points, dtype=torch.float64)))
    assert logits.shape == (len(points), 4)  # the final Linear has K outputs, no activation
    for row, (x1, x2) in zip(logits.tolist(), points, strict=True):
        expected = [v.data for v in model(featurize([x1, x2], document["features"]))]
        assert row == pytest.approx(expected, abs=1e-12)


def test_open_model_of_k_logits_sets_k_classes(browser, tmp_path):
    open_playground(browser, tmp_path)  # moons, one output
    model = MLP(2, [3, 4], seed=1)
    (tmp_path / "k.json").write_text("")
    model.save(tmp_path / "k.json")
    config = browser.execute_script(
        "return window.chainrule.openModel(arguments[0])", (tmp_path / "k.json").read_text()
    )
    assert (config["classes"], config["dataset"], config["loss"]) == (4, "spiral", "cross_entropy")
    weights = browser.execute_script("return window.chainrule.weights()")
    assert weights == [p.data for p in model.parameters()]


def test_the_playground_of_a_three_class_run_goes_on_with_its_next_steps(browser, tmp_path):
    from tests.cli_helpers import chainrule
    from tests.test_cli_playground import embedded

    out = tmp_path / "run"
    args = ["--dataset", "spiral", "--classes", "3", "--hidden", "6", "--epochs", "2"]
    result = chainrule("train", *args, "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    config = embedded(out / "playground.html")
    assert (config["config"]["classes"], config["config"]["loss"]) == (3, "cross_entropy")
    assert config["trained"]["epochs"] == 2
    browser.get((out / "playground.html").as_uri())
    page = browser.execute_script("window.chainrule.train(15); return window.chainrule.weights()")
    assert worst_difference(page, python_training_steps(config, 15)) <= 1e-9


def test_the_classes_menu_moves_to_a_data_set_of_k_classes_and_back(browser, tmp_path):
    from selenium.webdriver.support.ui import Select

    open_playground(browser, tmp_path)  # moons
    Select(browser.find_element(By.ID, "classes")).select_by_value("4")
    config = browser.execute_script("return window.chainrule.config()")
    assert (config["classes"], config["dataset"], config["loss"]) == (4, "spiral", "cross_entropy")
    legend = browser.find_element(By.ID, "class-legend")
    assert legend.is_displayed() and legend.text.split() == [
        word for k in range(4) for word in ("class", str(k))
    ]
    assert "4 logits (softmax)" in browser.find_element(By.ID, "status").text
    Select(browser.find_element(By.ID, "classes")).select_by_value("2")
    config = browser.execute_script("return window.chainrule.config()")
    assert (config["classes"], config["dataset"], config["loss"]) == (2, "spiral", "bce")
    assert not legend.is_displayed()


def test_an_address_of_k_classes_round_trips_and_a_bad_one_says_why(browser, tmp_path):
    open_playground(browser, tmp_path)
    config = configure(browser, {"dataset": "blobs", "classes": 4, "hidden": [5]})
    link = browser.execute_script("return location.hash")
    assert "classes=4" in link and "loss=cross_entropy" in link
    browser.get((tmp_path / "playground.html").as_uri() + link)
    assert browser.execute_script("return window.chainrule.config()") == config
    browser.get((tmp_path / "playground.html").as_uri() + "#dataset=moons&classes=3")
    browser.refresh()
    assert browser.execute_script("return window.chainrule.config()")["classes"] == 2
    notices = " ".join(browser.execute_script("return window.chainrule.notices()"))
    assert "classes 3 needs a data set of K classes" in notices
