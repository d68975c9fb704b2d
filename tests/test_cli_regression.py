"""``chainrule train`` and ``chainrule playground`` on a regression data set, with L1 (#22)."""

from pathlib import Path

import pytest
from chainrule.nn import MLP, SGD, fit, make_reg_plane, mse_loss

from tests.cli_helpers import chainrule
from tests.test_cli_commands import assert_png


def test_train_on_reg_plane_with_l1_gives_nn_fits_model(tmp_path: Path):
    out = tmp_path / "run"
    args = ["--dataset", "reg-plane", "--hidden", "4", "--optimizer", "sgd", "--l1", "0.01"]
    result = chainrule("train", *args, "--epochs", "3", "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "mse loss, sgd lr=0.1 l1=0.01, 3 epochs" in result.stdout
    assert_png(out / "predictions.png")
    assert_png(out / "training_curves.png")
    assert not (out / "decision_boundary.png").exists()
    assert "reg-plane" in (out / "playground.html").read_text(encoding="utf-8")
    saved = MLP.load(out / "model.json")
    assert saved.loss == "mse"

    model = MLP(2, [4, 1], seed=0)
    points, targets = make_reg_plane(n=100, noise=0.1, seed=0)
    optimizer = SGD(model.parameters(), lr=0.1, l1=0.01)
    fit(model, points, targets, loss=mse_loss, optimizer=optimizer, epochs=3, batch_size=10,
        progress=False)  # fmt: skip
    assert [p.data for p in saved.parameters()] == [p.data for p in model.parameters()]


@pytest.mark.parametrize("command", ["train", "playground"])
def test_a_classification_loss_on_a_regression_set_is_a_usage_error(tmp_path, command):
    result = chainrule(
        command, "--dataset", "reg-gauss", "--loss", "bce", "--out", str(tmp_path / "out")
    )
    assert result.returncode == 2
    assert "--loss: reg-gauss is a regression data set" in result.stderr
    assert "Choose the loss mse" in result.stderr


def test_a_negative_l1_rate_is_a_usage_error(tmp_path):
    result = chainrule("train", "--l1", "-0.1", "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    assert "--l1 and --l2 must be ≥ 0, got -0.1 and 0" in result.stderr


def test_the_playground_command_writes_a_regression_page_with_l1(tmp_path):
    page = tmp_path / "page.html"
    result = chainrule("playground", "--dataset", "reg-gauss", "--l1", "0.003", "--out", str(page))
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert '"dataset": "reg-gauss"' in text and '"loss": "mse"' in text and '"l1": 0.003' in text
