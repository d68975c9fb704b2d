"""The playground's dense path (dense.js) trains to the tape's floats, bit for bit (#22).

For every activation of ``nn.activations.ACTIVATIONS`` and every loss of ``nn.losses.LOSSES``
(nothing listed here by hand), the same page trains the same steps twice, on the tape and
on the dense path, and the weights are compared bit for bit in the browser (64-bit
patterns, so even the sign of a zero counts); both are compared with ``nn.fit``'s. The loss
curves' numbers, and a run that diverges, are the tape's too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chainrule.nn.activations import ACTIVATIONS
from chainrule.nn.losses import LOSSES
from chainrule.viz import write_playground
from chainrule.viz.playground import playground_config, python_training_steps

pytestmark = [pytest.mark.needs_chromium]

STEPS = 35  # three and a half epochs of 100 points in batches of 10

BOTH_ENGINES = """
const [steps] = arguments;
const api = window.chainrule;
const bits = xs => xs.map(x => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
});
const run = engine => {
  api.reset();
  api.engine(engine);
  api.train(steps);
  return {engine: api.engine(), weights: api.weights(), bits: bits(api.weights()),
          train: bits([api.loss()])};
};
return {tape: run("tape"), dense: run("dense")};
"""


def open_playground(browser, folder: Path, **options) -> None:
    page = write_playground(folder / "playground.html", **options)
    browser.get(page.as_uri())
    assert browser.execute_script("return window.chainrule.engine()") == "dense"


def worst_relative(page: list[float], python: list[float]) -> float:
    assert len(page) == len(python)
    return max(abs(a - b) / max(abs(a), abs(b), 1e-300) for a, b in zip(page, python, strict=True))


CASES = [
    pytest.param({"activation": activation, "loss": loss}, id=f"{activation}-{loss}")
    for activation in ACTIVATIONS
    for loss in LOSSES
] + [
    pytest.param({"optimizer": "adam", "l2": 0.003, "hidden": (5, 3)}, id="adam-l2"),
    pytest.param({"batch_size": 7, "features": ("x1", "x2", "x1x2", "sinx1")}, id="short-batch"),
    pytest.param({"batch_size": 1, "hidden": (8, 8), "loss": "mse"}, id="batch-of-one"),
]


@pytest.mark.parametrize("options", CASES)
def test_the_dense_path_gives_the_tapes_bits_and_nn_fits_weights(browser, tmp_path, options):
    open_playground(browser, tmp_path, **options)
    runs = browser.execute_script(BOTH_ENGINES, STEPS)
    assert (runs["tape"]["engine"], runs["dense"]["engine"]) == ("tape", "dense")
    assert runs["dense"]["bits"] == runs["tape"]["bits"]
    assert runs["dense"]["train"] == runs["tape"]["train"]  # the loss curve's number too
    python = python_training_steps(playground_config(**options), STEPS)
    assert worst_relative(runs["dense"]["weights"], python) <= 1e-12


def test_a_run_that_diverges_stops_with_the_tapes_own_message(browser, tmp_path):
    open_playground(browser, tmp_path)
    browser.execute_script("window.chainrule.configure({lr: 10, loss: 'mse'})")
    stop = """
    const api = window.chainrule;
    api.reset();
    api.engine(arguments[0]);
    try { api.train(3000); } catch (error) { return [error.message, api.weights()]; }
    return null;
    """
    on_tape = browser.execute_script(stop, "tape")
    on_dense = browser.execute_script(stop, "dense")
    assert on_tape is not None and "overflows a float" in on_tape[0]
    assert on_dense == on_tape  # the same step, the same op named, the same weights kept


def test_an_unknown_engine_is_refused_and_changes_nothing(browser, tmp_path):
    open_playground(browser, tmp_path)
    message = browser.execute_script(
        "try { window.chainrule.engine('gpu'); } catch (error) { return error.message; }"
    )
    assert message == 'the engine must be one of "dense", "tape", not "gpu"'
    assert browser.execute_script("return window.chainrule.engine()") == "dense"
