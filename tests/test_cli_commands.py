"""``chainrule demo``, ``train``, ``predict`` and ``bp-check``, run as a user would."""

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chainrule.nn import ACTIVATIONS, MLP, accuracy, bce_loss, featurize, make_moons
from chainrule.nn.datasets import DATASETS

from tests.cli_helpers import chainrule

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_svg(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and len(data) > 5_000


def step_page_graph(html: str) -> dict:
    """The graph a step-through page (viz/step_page.py) embeds, after checking it is one:
    with its picture laid out by dot, or with the DOT source it lays out when it opens."""
    assert 'id="chainrule-dot"' in html or html.count("<svg") == 1
    assert "window.chainrule = {" in html
    data = re.search(
        r'<script type="application/json" id="chainrule-graph">(.*?)</script>', html, re.S
    )
    return json.loads(data.group(1))


def frame_count(nodes: list[dict]) -> int:
    """One forward frame per node, one backward frame per edge into a non-constant, a summary."""
    edges = sum(1 for node in nodes for p in node["parents"] if not nodes[p]["constant"])
    return len(nodes) + edges + 1


@pytest.mark.slow
@pytest.mark.pages  # again without dot: pygraphviz draws the pictures, the page lays itself out
def test_demo_tells_the_whole_story_and_writes_every_file(tmp_path):
    out = tmp_path / "demo"
    result = chainrule("demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    # 1. the neuron, step by step, one chain-rule sentence per edge
    assert "1. One neuron: o = tanh(x1·w1 + x2·w2 + b)" in text
    assert "n.grad += 0.5 × 1.0 = 0.5   (∂o/∂n = 1 − o² = 1 − 0.7071² = 0.5)" in text
    assert "w1.grad += 2.0 × 0.5 = 1.0   (∂x1w1/∂w1 = x1)" in text
    assert text.count("step ") >= 9
    # 2. BP1–BP4 next to autograd, with the largest difference
    for equation in ("BP1", "BP2", "BP3", "BP4"):
        assert f"  {equation}  " in text
    assert "autograd: z[1][0].grad" in text
    assert "Largest relative difference: 0 (by hand and autograd agree)" in text
    # 3. training on moons
    # the bar and the curves end at the last epoch's running accuracy; the final model's is
    # printed as such, apart
    assert "Last epoch, as the bar and the curves show: loss " in text
    assert re.search(r"accuracy 0\.990\n  \(each batch scored as it was trained on", text)
    assert "Final model, after the last step, on all 100 points:" in text
    # readable on an 80-column terminal (but for the long temporary paths), no colour in a pipe
    assert max(len(line) for line in text.splitlines() if str(out) not in line) <= 80
    assert "\033[" not in text
    # 4. every file, each path printed, each valid
    files = {
        "neuron_graph.svg": assert_svg,
        "network.svg": assert_svg,
        "decision_boundary.png": assert_png,
        "training_curves.png": assert_png,
    }
    for name, check in files.items():
        assert str(out / name) in text
        check(out / name)
    html = (out / "neuron_step_through.html").read_text(encoding="utf-8")
    assert str(out / "neuron_step_through.html") in text
    assert "<title>o = tanh(x1·w1 + x2·w2 + b)</title>" in html
    nodes = step_page_graph(html)["nodes"]
    assert [node["name"] for node in nodes] == [
        "x1",
        "w1",
        "x1w1",
        "x2",
        "w2",
        "x2w2",
        "t1",
        "b",
        "n",
        "o",
    ]
    roles = {node["name"]: node["role"] for node in nodes}
    assert [roles[name] for name in ("x1", "x2", "w1", "w2", "b")] == ["input"] * 2 + [
        "parameter"
    ] * 3  # params= reached the page
    assert frame_count(nodes) == 10 + 9 + 1  # forward per node, backward per edge, summary
    assert str(out / "model.json") in text
    model = MLP.load(out / "model.json")
    assert repr(model) == "MLP(2 → 16 tanh → 16 tanh → 1 linear)"
    assert len(model.parameters()) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    # the saved model is the trained one: it scores the accuracy printed for it
    points, labels = make_moons(n=100, noise=0.1, seed=0)
    printed = re.search(r"training accuracy (\d\.\d{3})", text).group(1)
    assert f"{accuracy(model, points, labels):.3f}" == printed == "0.980"
    document = json.loads((out / "model.json").read_text())
    assert document["layers"][0][0]["w"] == [w.data for w in model.layers[0].neurons[0].w]
    # 5. the playground, fresh (moons, 4,4, tanh, sgd), named last
    playground = (out / "playground.html").read_text(encoding="utf-8")
    assert f"playground (HTML)                  {out / 'playground.html'}" in text
    assert text.rstrip().endswith("with every δ, ∂C/∂W and BP1–BP4 in view.")
    assert 'id="chainrule-playground"' in playground
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [*files, "neuron_step_through.html", "model.json", "playground.html"]
    )


def test_train_writes_the_model_and_pictures_and_predict_reads_it(tmp_path):
    out = tmp_path / "xor"
    args = ["--dataset", "xor", "--hidden", "8", "--loss", "hinge", "--optimizer", "sgd"]
    result = chainrule("train", *args, "--epochs", "3", "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Training MLP(2 → 8 tanh → 1 linear) on xor (100 points)" in result.stdout
    assert "hinge loss, sgd lr=0.1, 3 epochs" in result.stdout
    assert "Last epoch, as the bar" in result.stdout and "training accuracy" in result.stdout
    assert_png(out / "decision_boundary.png")
    assert_png(out / "training_curves.png")
    model = MLP.load(out / "model.json")

    predicted = chainrule("predict", str(out / "model.json"), "0.5", "-0.25")
    assert predicted.returncode == 0, predicted.stderr
    expected = model([0.5, -0.25]).data
    assert f"raw output a[2][0] = {expected:.6g} (a score, trained with hinge" in predicted.stdout
    assert f"class {int(expected > 0)} (the score" in predicted.stdout
    assert "probability" not in predicted.stdout.replace("hinge gives no probability", "")


def progress_bar_accuracy(stderr: str) -> str:
    """The accuracy tqdm's bar shows last (its final refresh)."""
    return re.findall(r"accuracy=(\d\.\d{3})", stderr)[-1]


@pytest.mark.parametrize("dataset", ["moons", "circles"])
def test_train_says_which_accuracy_is_the_bars_and_which_the_final_models(tmp_path, dataset):
    out = tmp_path / dataset
    args = ["--dataset", dataset, "--hidden", "8", "--epochs", "6", "--out", str(out)]
    result = chainrule("train", *args)
    assert result.returncode == 0, result.stderr
    last_epoch = re.search(
        r"Last epoch, as the bar and the curves show: loss (\d\.\d{4}), accuracy (\d\.\d{3})",
        result.stdout,
    )
    assert last_epoch.group(2) == progress_bar_accuracy(result.stderr)
    final = re.search(
        r"Final model, after the last step, on all 100 points:\n"
        r"  loss (\d\.\d{4}), training accuracy (\d\.\d{3})",
        result.stdout,
    )
    model = MLP.load(out / "model.json")
    points, labels = DATASETS[dataset](n=100, noise=0.1, seed=0)
    assert final.group(2) == f"{accuracy(model, points, labels):.3f}"
    mean = sum(bce_loss(model(x), y).data for x, y in zip(points, labels, strict=True)) / 100
    assert final.group(1) == f"{mean:.4f}"


def test_predict_prints_the_logit_the_probability_and_the_class(tmp_path):
    model = MLP(2, [3, 1], seed=4)
    model.loss = "bce"
    model.save(tmp_path / "model.json")
    for x in ([0.5, -0.25], [-2.0, 3.0]):
        logit = model(x).data
        result = chainrule("predict", str(tmp_path / "model.json"), *map(str, x))
        assert result.returncode == 0, result.stderr
        text = result.stdout
        assert (
            f"raw output a[2][0] = {logit:.6g} (the logit: the model was trained with bce)" in text
        )
        assert f"probability of class 1 = σ({logit:.6g}) = {1 / (1 + math.exp(-logit)):.4f}" in text
        assert f"class {int(logit > 0)} (the probability" in text


def test_predict_reads_a_playground_models_features_from_x1_x2(tmp_path):
    # the playground's "Download model" file: MLP.save's format and its "features", no "loss"
    features = ["x1", "x2", "x1sq", "sinx1"]
    model = MLP(4, [3, 1], seed=2)
    document = {
        "format": "chainrule.nn.MLP",
        "version": 1,
        "nin": 4,
        "nouts": [3, 1],
        "activation": "tanh",
        "output_activation": "linear",
        "layers": [
            [{"w": [w.data for w in n.w], "b": n.b.data} for n in layer.neurons]
            for layer in model.layers
        ],
        "features": features,
    }
    path = tmp_path / "chainrule-playground-moons.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = chainrule("predict", str(path), "0.5", "-0.25")
    assert result.returncode == 0, result.stderr
    logit = model(featurize([0.5, -0.25], features)).data
    assert (
        "its input features: x₁ = 0.5, x₂ = -0.25, x₁² = 0.25, sin x₁ = 0.479426" in result.stdout
    )
    assert (
        f"raw output a[2][0] = {logit:.6g} (read as a logit: the file names no loss"
        in result.stdout
    )
    assert "probability of class 1" in result.stdout and f"class {int(logit > 0)}" in result.stdout
    wrong = chainrule("predict", str(path), "0.5", "-0.25", "0.25", "0.4")
    assert wrong.returncode == 2 and "give the point's two coordinates x₁ x₂" in wrong.stderr


def test_train_shows_a_progress_bar(tmp_path):
    result = chainrule(
        "train", "--dataset", "gauss", "--hidden", "2", "--epochs", "2", "--out", str(tmp_path)
    )
    assert result.returncode == 0
    assert "loss=" in result.stderr and "accuracy=" in result.stderr and "2/2" in result.stderr


def test_train_takes_every_activation_of_nn_linear_too(tmp_path):
    """train's --activation is nn.activations.ACTIVATIONS, linear included (#17)."""
    model = tmp_path / "model.json"
    result = chainrule(
        "train",
        "--dataset",
        "gauss",
        "--hidden",
        "3",
        "--activation",
        "linear",
        "--epochs",
        "2",
        "--no-progress",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "Training MLP(2 → 3 linear → 1 linear) on gauss" in result.stdout
    assert MLP.load(model).activation == "linear"


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_bp_check_agrees_for_every_activation(activation):
    result = chainrule("bp-check", "--layers", "3,4,2", "--activation", activation, "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert f"MLP(3 → 4 {activation} → 2 {activation})" in result.stdout
    assert "(by hand and autograd agree)" in result.stdout
    assert result.stdout.count("✓") == 4 * (3 + 1) + 4 + 2 * (4 + 1) + 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--hidden", "0,3"], "every size must be at least 1"),
        (["train", "--hidden", "a"], "whole numbers separated by commas"),
        (["train", "--lr", "-1"], "must be a positive float"),
        (["train", "--epochs", "0"], "must be a positive int"),
        (["train", "--dataset", "iris"], "invalid choice"),
        (["bp-check", "--layers", "2"], "at least an input and an output size"),
        (["predict", "missing.json", "1", "2"], "no such file"),
        (["predict", "missing.json", "1", "x"], "'x' is not a number"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(args, message):
    result = chainrule(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_predict_refuses_a_broken_model_file_and_the_wrong_number_of_inputs(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"architecture": ')
    result = chainrule("predict", str(broken), "1", "2")
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    good = tmp_path / "good.json"
    MLP(3, [2, 1], seed=0).save(good)
    result = chainrule("predict", str(good), "1", "2")
    assert result.returncode == 2 and "takes 3 inputs, got 2" in result.stderr


def test_every_subcommand_has_help():
    for command in ("demo", "step", "train", "predict", "bp-check", "playground"):
        result = chainrule(command, "--help")
        assert result.returncode == 0 and "usage: chainrule" in result.stdout


@pytest.mark.slow
def test_train_with_replay_gives_the_same_model(tmp_path):
    args = ["train", "--dataset", "gauss", "--hidden", "4", "--epochs", "3", "--no-progress"]
    plain = chainrule(*args, "--out", str(tmp_path / "plain"))
    replayed = chainrule(*args, "--replay", "--out", str(tmp_path / "replayed"))
    assert plain.returncode == replayed.returncode == 0, replayed.stderr
    assert "replayed" in replayed.stdout
    first = MLP.load(tmp_path / "plain" / "model.json").parameters()
    second = MLP.load(tmp_path / "replayed" / "model.json").parameters()
    assert [p.data for p in first] == [p.data for p in second]
