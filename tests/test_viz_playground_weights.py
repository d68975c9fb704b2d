"""The playground's weights in the open, and its way out to PyTorch, in headless Chromium.

A weight set by hand (window.chainrule.setWeight, and the editor a click on a link opens)
changes the output and is refused when it is not a number as Python's float() reads it; a
hovered or focused neuron or link shows its values and BP1–BP4 formulas; a model file
opened in the page goes on training exactly as nn.fit goes on; and "Export to PyTorch"
writes the same bytes as chainrule export, which real PyTorch runs to chainrule's outputs.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import math
import time
from pathlib import Path

import pytest
import torch
from chainrule.engine.narration import format_number as num
from chainrule.nn import MLP, featurize
from chainrule.nn.pytorch_export import export_pytorch
from chainrule.nn.serialize import load
from chainrule.viz import write_playground
from chainrule.viz.playground import playground_config, python_training_steps
from selenium.common.exceptions import JavascriptException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.cli_helpers import chainrule
from tests.test_nn_files import document
from tests.test_viz_playground_ui import click, console_errors, open_page

pytestmark = [pytest.mark.needs_chromium]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default playground: moons, x₁ and x₂, hidden [4, 4], tanh, bce, SGD."""
    return write_playground(tmp_path_factory.mktemp("playground") / "playground.html")


def call(browser, name: str, *args: object) -> object:
    """window.chainrule[name](...args), the arguments passed as JSON values."""
    return browser.execute_script(
        "return window.chainrule[arguments[0]].apply(null, [].slice.call(arguments, 1))",
        name,
        *args,
    )


def test_set_weight_changes_the_output_and_training_goes_on(browser, page):
    open_page(browser, page)
    before = call(browser, "bp", 0)["a"]["3"][0]
    assert call(browser, "setWeight", 3, 0, 1, "  2.5e0 ") == 2.5
    weights = call(browser, "weights")
    assert weights[4 * 3 + 4 * 5 + 1] == 2.5  # W³₀₁: after layers 1 (4×3) and 2 (4×5)
    after = call(browser, "bp", 0)
    assert after["a"]["3"][0] != before
    a2 = after["a"]["2"]
    w = weights[32:36]
    assert after["z"]["3"][0] == pytest.approx(
        sum(x * y for x, y in zip(w, a2, strict=True)) + weights[36]
    )
    epoch = call(browser, "train", 5)
    assert epoch >= 0 and call(browser, "weights")[33] != 2.5
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1, 0, 0, "abc"), 'W¹₀₀: "abc" is not a number'),
        ((1, 0, 0, "nan"), "W¹₀₀: the weight must be a finite number"),
        ((1, 0, 0, "1,5"), 'W¹₀₀: "1,5" is not a number'),
        ((4, 0, 0, 1.0), "l (the layer) must be a whole number from 1 to 3, got 4"),
        ((2, 0, 4, 1.0), "k (the neuron of layer 1) must be a whole number from 0 to 3"),
    ],
)
def test_a_bad_weight_is_refused_and_changes_nothing(browser, page, args, message):
    open_page(browser, page)
    weights = call(browser, "weights")
    error = browser.execute_script(
        "try { window.chainrule.setWeight.apply(null, arguments[0]); return null; }"
        " catch (e) { return e.message; }",
        list(args),
    )
    assert error is not None and message in error
    assert call(browser, "weights") == weights


def test_clicking_a_link_opens_its_editor_and_enter_sets_it(browser, page):
    open_page(browser, page)
    before = call(browser, "bp", 0)["a"]["3"][0]
    link = browser.find_element(By.CSS_SELECTOR, '.hit[data-l="3"][data-j="0"][data-k="2"]')
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", link
    )
    field = browser.find_element(By.ID, "weight-field")
    assert browser.switch_to.active_element == field
    assert browser.find_element(By.ID, "weight-name").text == "W³₀₂ ="
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("oops", Keys.ENTER)
    error = browser.find_element(By.ID, "weight-error")
    assert error.is_displayed() and '"oops" is not a number' in error.text
    assert field.get_attribute("aria-invalid") == "true"
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("-1.75", Keys.ENTER)
    assert not error.is_displayed()
    assert call(browser, "weights")[4 * 3 + 4 * 5 + 2] == -1.75
    assert call(browser, "bp", 0)["a"]["3"][0] != before
    assert console_errors(browser) == []


def test_hover_and_focus_show_values_and_formulas(browser, page):
    open_page(browser, page)
    q = call(browser, "bp", 0)
    neuron = browser.find_element(By.CSS_SELECTOR, '.neuron[data-l="2"][data-j="1"]')
    browser.execute_script("arguments[0].focus()", neuron)
    card = browser.find_element(By.ID, "hovercard")
    assert card.is_displayed() and neuron.get_attribute("aria-describedby") == "hovercard"
    text = card.text
    assert f"z²₁ = Σₖ W²₁ₖ a¹ₖ + b²₁ = {num(q['z']['2'][1])}" in text
    assert f"a²₁ = σ(z²₁) = tanh({num(q['z']['2'][1])}) = {num(q['a']['2'][1])}" in text
    assert "δ²₁ = ∂C/∂z²₁ = (Σₘ W³ₘ₁ δ³ₘ) · σ′(z²₁)" in text and "(BP2)" in text
    assert f"= {num(q['delta']['2'][1])}   (BP2)" in text
    assert f"∂C/∂b²₁ = δ²₁ = {num(q['dC_db']['2'][1])}   (BP4)" in text
    link = browser.find_element(By.CSS_SELECTOR, '.hit[data-l="2"][data-j="1"][data-k="3"]')
    browser.execute_script(  # the links cross, so the pointer is sent to this one by name
        "arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))", link
    )
    text = card.text
    assert f"W²₁₃ = {num(call(browser, 'weights')[12 + 5 + 3])}" in text
    assert "∂C/∂W²₁₃ = a¹₃ · δ²₁ = " in text and f"= {num(q['dC_dW']['2'][1][3])}   (BP3)" in text
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    assert not card.is_displayed()
    output = browser.find_element(By.CSS_SELECTOR, '.neuron[data-l="3"][data-j="0"]')
    ActionChains(browser).move_to_element(output).perform()
    assert "(BP1)" in card.text and "σ(z³₀) = linear(" in card.text


def test_the_card_names_each_layers_own_activation(browser, page):
    open_page(browser, page)
    call(browser, "configure", {"activation": ["relu", "sigmoid"]})
    card = browser.find_element(By.ID, "hovercard")
    for layer, sigma in ((1, "relu"), (2, "sigmoid")):
        neuron = browser.find_element(By.CSS_SELECTOR, f'.neuron[data-l="{layer}"][data-j="0"]')
        browser.execute_script("arguments[0].focus()", neuron)
        assert f"= σ(z{'¹²'[layer - 1]}₀) = {sigma}(" in card.text


def test_an_opened_model_goes_on_training_as_nn_fit_does(browser, tmp_path):
    """The model's own configuration, so the page trains on Python's embedded batch orders."""
    options = {
        "features": ("x1", "x2", "x1x2"),
        "hidden": (5,),
        "activation": "relu",
        "loss": "mse",
    }
    model = MLP(3, [5, 1], activation="relu", seed=12)
    model.features, model.loss = options["features"], "mse"
    model.save(tmp_path / "model.json")
    open_page(browser, write_playground(tmp_path / "playground.html", **options))
    call(browser, "configure", {"hidden": [2, 2], "activation": "tanh"})
    call(browser, "train", 7)
    config = call(browser, "openModel", (tmp_path / "model.json").read_text())
    assert config["hidden"] == [5] and config["activation"] == "relu"
    assert config["features"] == ["x1", "x2", "x1x2"] and config["loss"] == "mse"
    assert call(browser, "weights") == [p.data for p in model.parameters()]
    assert call(browser, "epoch") == 0
    call(browser, "train", 30)
    page_weights = call(browser, "weights")
    opened = MLP.load(tmp_path / "model.json")
    python = python_training_steps(playground_config(**options, model=opened), 30)
    assert len(page_weights) == len(python)
    worst = max(
        abs(a - b) / max(abs(a), abs(b), 1e-300) for a, b in zip(page_weights, python, strict=True)
    )
    assert worst <= 1e-9, worst
    assert page_weights != [p.data for p in model.parameters()]


def test_a_model_chainrule_train_writes_opens_though_wider_than_plus_goes(browser, page, tmp_path):
    """chainrule train's default hidden layers are 16,16; the +/− buttons stop at 8."""
    out = tmp_path / "run"
    result = chainrule("train", "--epochs", "1", "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    open_page(browser, page)
    config = call(browser, "openModel", (out / "model.json").read_text())
    assert config["hidden"] == [16, 16]
    assert call(browser, "weights") == [p.data for p in MLP.load(out / "model.json").parameters()]
    call(browser, "train", 5)
    assert call(browser, "stopped") is None and call(browser, "epoch") >= 0
    with pytest.raises(JavascriptException, match="from 1 to 8"):
        call(browser, "configure", {"hidden": [16, 17]})  # the learner's own edits keep 8
    wider = document(
        nouts=[17, 1], layers=[[{"w": [1, 2], "b": 0}] * 17, [{"w": [0] * 17, "b": 0}]]
    )
    with pytest.raises(JavascriptException, match="from 1 to 16"):
        call(browser, "openModel", json.dumps(wider))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "cannot open the model: not valid JSON"),
        ('{"format": "x"}', '"format" is "x", expected "chainrule.nn.MLP"'),
        (
            json.dumps(document(nouts=[2], layers=[[{"w": [1, 2], "b": 0}] * 2])),
            "ends in one linear output neuron",
        ),
        (
            json.dumps(document(layers=[[{"w": [1, "2"], "b": 0}]])),
            "layer 1 neuron 0 must have 2 finite weights",
        ),
    ],
)
def test_a_bad_model_file_is_refused_and_changes_nothing(browser, page, text, message):
    open_page(browser, page)
    weights, config = call(browser, "weights"), call(browser, "config")
    error = browser.execute_script(
        "try { window.chainrule.openModel(arguments[0]); return null; }"
        " catch (e) { return e.message; }",
        text,
    )
    assert error is not None and message in error
    assert call(browser, "weights") == weights and call(browser, "config") == config


def test_open_model_button_reads_a_file(browser, page, tmp_path):
    model = MLP(2, [3, 1], activation="sigmoid", seed=4)
    model.save(tmp_path / "model.json")
    (tmp_path / "bad.json").write_text("[1, 2]")
    open_page(browser, page)
    chooser = browser.find_element(By.ID, "open-model-file")
    chooser.send_keys(str(tmp_path / "bad.json"))
    browser.implicitly_wait(0)
    error = browser.find_element(By.ID, "open-error")
    for _ in range(50):
        if error.is_displayed():
            break
        browser.execute_script("return new Promise(r => setTimeout(r, 20))")
    assert "bad.json: cannot open the model: expected a JSON object" in error.text
    chooser.send_keys(str(tmp_path / "model.json"))
    for _ in range(50):
        if call(browser, "config")["hidden"] == [3]:
            break
        browser.execute_script("return new Promise(r => setTimeout(r, 20))")
    assert call(browser, "weights") == [p.data for p in model.parameters()]
    assert not error.is_displayed()


def test_export_pytorch_is_chainrule_exports_bytes_and_runs_in_pytorch(browser, page, tmp_path):
    open_page(browser, page)
    call(
        browser,
        "configure",
        {
            "features": ["x1", "x2", "x1sq", "sinx2"],
            "hidden": [3, 2],
            "activation": ["relu", "tanh"],
        },
    )
    call(browser, "train", 40)
    document = call(browser, "model")
    assert document["activation"] == ["relu", "tanh"]  # one σ per layer, exported as such
    exported = call(browser, "exportPyTorch")
    (tmp_path / "model.json").write_text(json.dumps(document))
    code, weights = export_pytorch(load(tmp_path / "model.json"))
    assert exported["code"].encode("utf-8") == code.encode("utf-8")
    assert base64.b64decode(exported["safetensors"]) == weights
    (tmp_path / "net.py").write_text(exported["code"], encoding="utf-8")
    (tmp_path / "net.safetensors").write_bytes(base64.b64decode(exported["safetensors"]))
    spec = importlib.util.spec_from_file_location("net_from_page", tmp_path / "net.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    points = [row[:2] for row in call(browser, "data")["train"]]
    with torch.no_grad():
        ours = module.load()(module.features(torch.tensor(points, dtype=torch.float64)))
    assert len(points) == 100
    chainrule_model = MLP.load(tmp_path / "model.json")
    for (x1, x2), got in zip(points, ours[:, 0].tolist(), strict=True):
        want = chainrule_model(featurize([x1, x2], chainrule_model.features)).data
        assert math.isclose(got, want, rel_tol=0, abs_tol=1e-12)


def test_the_export_button_saves_both_files_side_by_side(browser, page, tmp_path):
    open_page(browser, page)
    call(browser, "train", 10)
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    click(browser, "#export-pytorch")
    paths = [tmp_path / f"chainrule-playground-moons.{ext}" for ext in ("py", "safetensors")]
    deadline = time.monotonic() + 10  # a bound on the wait, not a claim about speed
    while not all(p.exists() for p in paths) and time.monotonic() < deadline:
        time.sleep(0.05)
    exported = call(browser, "exportPyTorch")
    assert paths[0].read_text(encoding="utf-8") == exported["code"]
    assert paths[1].read_bytes() == base64.b64decode(exported["safetensors"])
    status = browser.find_element(By.ID, "status").text
    assert "chainrule-playground-moons.safetensors" in status and "side by side" in status
    assert console_errors(browser) == []
