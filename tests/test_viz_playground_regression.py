"""Regression and L1 in the playground (#22): Playground's reg-plane and reg-gauss, learnt
with mse, an output heatmap of the prediction ŷ itself, and L1 next to L2.

The page's weights after 50 steps of a regression run, with L1, equal the Python steps of
``nn.fit`` (``python_training_steps``) within 1e-9; the data sets, the L1 rate and the loss
they bring are driven through ``window.chainrule.configure`` and through the controls.
"""

from __future__ import annotations

import pytest
from chainrule.nn import MLP, SGD
from chainrule.nn.datasets import REGRESSION_DATASETS
from chainrule.viz.playground import playground_config, python_training_steps
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.test_viz_playground_exact import open_playground


def worst_difference(page: list[float], python: list[float]) -> float:
    assert len(page) == len(python)
    return max(abs(a - b) / max(abs(a), abs(b), 1e-300) for a, b in zip(page, python, strict=True))


# ── Python: the configuration ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize("dataset", list(REGRESSION_DATASETS))
def test_a_regression_data_set_brings_mse_and_real_targets(dataset):
    config = playground_config(dataset=dataset, samples=60, l1=0.003)
    assert config["config"]["loss"] == "mse"
    assert config["config"]["l1"] == 0.003
    labels = [row[2] for row in config["data"]["train"] + config["data"]["test"]]
    assert any(label not in (0, 1) for label in labels)
    assert playground_config(dataset="moons")["config"]["loss"] == "bce"


def test_a_regression_data_set_refuses_a_classification_loss():
    with pytest.raises(ValueError, match=r"reg-plane is a regression .* got loss='bce'\. Choose"):
        playground_config(dataset="reg-plane", loss="bce")


@pytest.mark.parametrize(("l1", "error"), [(-0.1, ValueError), (11, ValueError), ("x", TypeError)])
def test_a_bad_l1_rate_is_refused(l1, error):
    with pytest.raises(error, match="l1 must be"):
        playground_config(l1=l1)


def test_a_run_that_continues_must_have_trained_with_the_same_l1():
    model = MLP(2, [3, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=0.03, l1=0.01)
    options = {"model": model, "optimizer_state": optimizer, "trained_epochs": 1}
    with pytest.raises(ValueError, match=r"l1=0\.01, .* l1=0, "):
        playground_config(**options)
    assert playground_config(**options, l1=0.01)["config"]["l1"] == 0.01


# ── the page: exact against Python ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "options",
    [
        {"dataset": "reg-plane", "optimizer": "sgd", "l1": 0.01},
        {"dataset": "reg-gauss", "optimizer": "adam", "l1": 0.003, "l2": 0.001, "hidden": (5, 3)},
        {"dataset": "reg-gauss", "optimizer": "sgd", "l1": 0.03, "activation": "relu"},
    ],
    ids=["plane-sgd-l1", "gauss-adam-l1-l2", "gauss-sgd-relu-l1"],
)
def test_fifty_regression_steps_in_the_page_give_pythons_weights(browser, tmp_path, options):
    open_playground(browser, tmp_path, **options)
    page = browser.execute_script("window.chainrule.train(50); return window.chainrule.weights()")
    python = python_training_steps(playground_config(**options), 50)
    assert worst_difference(page, python) <= 1e-9
    no_l1 = python_training_steps(playground_config(**{**options, "l1": 0.0}), 50)
    assert worst_difference(page, no_l1) > 1e-6  # the test sees L1


def test_configure_chooses_a_regression_set_and_l1_and_trains_as_python(browser, tmp_path):
    """configure({dataset}) and configure({l1}) in the page, then 50 steps equal Python's."""
    options = {"dataset": "reg-gauss", "samples": 80, "hidden": (4,)}
    open_playground(browser, tmp_path, **options)
    moons = browser.execute_script("return window.chainrule.configure({dataset: 'moons'})")
    assert moons["loss"] == "mse"  # kept: mse learns classes too
    again = browser.execute_script(
        "return window.chainrule.configure({dataset: 'reg-gauss', l1: 0.01})"
    )
    assert (again["dataset"], again["loss"], again["l1"]) == ("reg-gauss", "mse", 0.01)
    # back on the embedded data set; l1 is a live key, so the page keeps Python's weights
    # only when it differs from the embedded run's by l1 alone: set it after the data set
    browser.execute_script("window.chainrule.configure({l1: 0}); window.chainrule.reset()")
    browser.execute_script("window.chainrule.configure({l1: 0.01})")
    page = browser.execute_script("window.chainrule.train(50); return window.chainrule.weights()")
    python = python_training_steps(playground_config(**options, l1=0.01), 50)
    assert worst_difference(page, python) <= 1e-9
    targets = browser.execute_script("return window.chainrule.data().train.map(r => r[2])")
    assert any(y not in (0, 1) for y in targets)


def test_configure_refuses_a_classification_loss_on_a_regression_set(browser, tmp_path):
    open_playground(browser, tmp_path)
    before = browser.execute_script("return window.chainrule.config()")
    message = browser.execute_script(
        "try { window.chainrule.configure({dataset: 'reg-plane', loss: 'bce'}); return null; }"
        " catch (error) { return error.message; }"
    )
    assert "reg-plane is a regression data set" in message and "mse" in message
    assert browser.execute_script("return window.chainrule.config()") == before
    made = browser.execute_script("return window.chainrule.configure({dataset: 'reg-plane'})")
    assert made["loss"] == "mse"
    rows = browser.execute_script("return window.chainrule.data().train")
    assert all(abs(y - 0.6 * (x1 + x2)) < 1.0 for x1, x2, y in rows)  # noise 0.1 moves points


# ── the page: the controls and the heatmap ───────────────────────────────────────────────


def test_the_l1_menu_and_a_regression_button_change_the_configuration(browser, tmp_path):
    open_playground(browser, tmp_path)
    Select(browser.find_element(By.ID, "l1")).select_by_value("0.003")
    assert browser.execute_script("return window.chainrule.config().l1") == 0.003
    assert "l1=0.003" in browser.execute_script("return location.hash")
    browser.find_element(By.CSS_SELECTOR, 'button[data-dataset="reg-gauss"]').click()
    config = browser.execute_script("return window.chainrule.config()")
    assert (config["dataset"], config["loss"], config["l1"]) == ("reg-gauss", "mse", 0.003)
    assert browser.find_element(By.ID, "loss").get_attribute("value") == "mse"
    legend = browser.find_element(By.CSS_SELECTOR, '[data-problem="regression"]')
    assert legend.is_displayed() and "target y" in legend.text
    assert not browser.find_element(
        By.CSS_SELECTOR, '[data-problem="classification"]'
    ).is_displayed()
    assert browser.find_element(By.ID, "points").get_attribute("aria-label") == (
        "predicted value and data"
    )


def test_the_output_heatmap_of_a_regression_shows_the_prediction_itself(browser, tmp_path):
    """Each cell is painted in the colour of ŷ (clamped to −1…1), not of a class score."""
    open_playground(browser, tmp_path, dataset="reg-plane")
    browser.execute_script("window.chainrule.train(300)")
    cells = browser.execute_script(
        """
        const view = chainrule_playground_state.view, state = chainrule_playground_state.state;
        const grid = chainrule_playground_heatmap.GRID, box = view.box;
        const pixels = document.getElementById('heatmap').getContext('2d')
          .getImageData(0, 0, grid, grid).data;
        const table = view.palette.table, out = [];
        for (const [ix, iy] of [[4, 4], [24, 24], [43, 10], [10, 43]]) {
          const step = box.size / grid;
          const y = state.trainer.output(box.x0 + (ix + 0.5) * step, box.y1 - (iy + 0.5) * step);
          const v = Math.max(-1, Math.min(1, y));
          const i = Math.round((v + 1) * 127.5) * 3, p = (iy * grid + ix) * 4;
          out.push([y, [table[i], table[i + 1], table[i + 2]], [pixels[p], pixels[p + 1],
            pixels[p + 2]]]);
        }
        return out;
        """
    )
    for _, expected, painted in cells:
        assert painted == expected
    predictions = [y for y, _, _ in cells]
    assert min(predictions) < -0.3 and max(predictions) > 0.3  # the plane's two sides
    transform = browser.execute_script(
        "const h = chainrule_playground_heatmap;"
        "const at = (dataset) => h.outputTransform({config: {dataset, loss: 'mse'},"
        " ui: {discretize: false}})(0.3);"
        "return [at('reg-plane'), at('moons')]"
    )
    assert transform == [0.3, pytest.approx(2 * 0.3 - 1)]  # ŷ itself; a class score 2a − 1
