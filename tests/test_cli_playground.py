"""``chainrule playground``, and the playground ``chainrule train`` writes, run as a user would."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from chainrule.nn import MLP, SGD
from chainrule.viz import playground_config

from tests.cli_helpers import chainrule, environment


def embedded(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="chainrule-playground">(.*?)</script>', html, re.S
    )
    assert found, f"no configuration in {path}"
    return json.loads(found.group(1))


def test_playground_writes_the_page_for_its_options(tmp_path):
    out = tmp_path / "circles.html"
    result = chainrule(
        "playground",
        "--out",
        str(out),
        "--dataset",
        "circles",
        "--features",
        "x1sq, x2sq",
        "--hidden",
        "3",
        "--activation",
        "relu",
        "--loss",
        "mse",
        "--optimizer",
        "adam",
        "--lr",
        "0.01",
        "--batch-size",
        "5",
        "--l2",
        "0.001",
        "--samples",
        "120",
        "--noise",
        "0.2",
        "--train-ratio",
        "0.7",
        "--seed",
        "5",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}\n"
    assert embedded(out) == playground_config(
        dataset="circles",
        features=["x1sq", "x2sq"],
        hidden=[3],
        activation="relu",
        loss="mse",
        optimizer="adam",
        lr=0.01,
        batch_size=5,
        l2=0.001,
        samples=120,
        noise=0.2,
        train_ratio=0.7,
        seed=5,
    )


def test_playground_writes_playground_html_in_the_current_folder_by_default(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "chainrule", "playground"],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "wrote playground.html\n"
    assert embedded(tmp_path / "playground.html") == playground_config()


def test_playground_never_overwrites_without_force(tmp_path):
    out = tmp_path / "page.html"
    out.write_text("mine")
    result = chainrule("playground", "--out", str(out))
    assert result.returncode == 2
    assert "already exists: give --force to overwrite it" in result.stderr
    assert out.read_text() == "mine"
    result = chainrule("playground", "--out", str(out), "--force", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert embedded(out)["config"]["seed"] == 3


@pytest.mark.parametrize(
    "args, message",
    [
        (["--hidden", "9"], "a layer has from 1 to 8 neurons in the playground, got 9"),
        (["--hidden", "2,2,2,2,2,2,2"], "at most 6 hidden layers"),
        (["--features", "x1,x9"], "unknown feature 'x9'; choose from x1, x2, x1sq"),
        (["--features", "x1,x1"], "the feature 'x1' is chosen twice"),
        (["--batch-size", "31"], "batch_size must be from 1 to 30, got 31"),
        (["--samples", "5"], "samples must be from 10 to 1,000, got 5"),
        (["--noise", "0.8"], "noise must be from 0 to 0.5, got 0.8"),
        (["--train-ratio", "1"], "train_ratio must be from 0.1 to 0.9"),
        (["--l2", "-1"], "l2 must be from 0 to 10"),
        (["--lr", "11"], "lr must be a finite number > 0 and at most 10"),
        (["--lr", "-1"], "must be a positive float"),
        (["--dataset", "iris"], "invalid choice"),
        (["--activation", "softplus"], "invalid choice"),
    ],
)
def test_playground_usage_errors_exit_2_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "page.html"
    result = chainrule("playground", "--out", str(out), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_playground_refuses_a_folder_as_out(tmp_path):
    result = chainrule("playground", "--out", str(tmp_path))
    assert result.returncode == 2 and "is a folder" in result.stderr


def test_train_writes_the_playground_of_the_trained_model(tmp_path):
    out = tmp_path / "gauss"
    result = chainrule(
        "train",
        "--dataset",
        "gauss",
        "--hidden",
        "3,2",
        "--activation",
        "sigmoid",
        "--optimizer",
        "sgd",
        "--loss",
        "hinge",
        "--epochs",
        "2",
        "--batch-size",
        "7",
        "--seed",
        "4",
        "--no-progress",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert f"  playground         {out / 'playground.html'}" in result.stdout
    config = embedded(out / "playground.html")
    saved = json.loads((out / "model.json").read_text())
    assert config["weights"] == saved["layers"]  # the trained model, not a fresh one
    assert config["weights"] != playground_config(hidden=[3, 2], seed=4)["weights"]
    assert config["config"] == {
        "dataset": "gauss",
        "samples": 100,
        "noise": 0.1,
        "trainRatio": 1.0,  # fit trained on every point: the playground goes on with them all
        "features": ["x1", "x2"],
        "hidden": [3, 2],
        "activation": "sigmoid",
        "init": "uniform",
        "loss": "hinge",
        "optimizer": "sgd",
        "lr": 0.1,
        "batchSize": 7,
        "l1": 0.0,
        "l2": 0.0,
        "seed": 4,
        "classes": 2,
    }
    assert len(config["data"]["train"]) == 100 and config["data"]["test"] == []
    assert config["trained"] == {"epochs": 2, "steps": 2 * 15}  # 100 points in batches of 7
    model = MLP.load(out / "model.json")
    expected = playground_config(
        dataset="gauss",
        samples=100,
        train_ratio=1.0,
        loss="hinge",
        optimizer="sgd",
        lr=0.1,
        batch_size=7,
        seed=4,
        model=model,
        trained_epochs=2,
        optimizer_state=SGD(model.parameters(), lr=0.1),
    )
    expected["trained"]["steps"] = 2 * 15  # a fresh SGD has taken no step; the run took 30
    assert config == expected
    html = (out / "playground.html").read_text(encoding="utf-8")
    assert "<title>chainrule playground: MLP(2 → 3 sigmoid → 2 sigmoid → 1 linear)" in html


def test_train_beyond_the_playgrounds_limits_says_why_it_wrote_none(tmp_path):
    out = tmp_path / "big"
    result = chainrule(
        "train", "--hidden", "20", "--epochs", "1", "--no-progress", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "playground         not written, beyond its limits:" in result.stdout
    assert "from 1 to 16 neurons in the playground, got 20" in result.stdout
    assert not (out / "playground.html").exists()
    assert (out / "model.json").exists()


def test_train_refuses_to_overwrite_a_playground_before_training(tmp_path):
    (tmp_path / "playground.html").write_text("mine")
    result = chainrule("train", "--epochs", "1", "--no-progress", "--out", str(tmp_path))
    assert result.returncode == 2 and "playground.html already exists" in result.stderr
    assert "Training" not in result.stdout
    assert (tmp_path / "playground.html").read_text() == "mine"


def test_playground_has_help():
    result = chainrule("playground", "--help")
    assert result.returncode == 0
    assert "usage: chainrule playground" in result.stdout and "--features" in result.stdout
