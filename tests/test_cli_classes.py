"""``chainrule bp-check --classes K``: BP1 for softmax with cross-entropy, δᴸ = ŷ − y (#22)."""

import pytest

from tests.cli_helpers import chainrule


def test_bp_check_with_three_classes_explains_bp1_and_agrees():
    result = chainrule("bp-check", "--classes", "3")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("MLP(2 → 3 sigmoid → 3 linear), one sample of 3 classes")
    assert "y = [0, 1, 0] (one-hot), ŷ = softmax(a^L) = [" in text
    assert "δᴸ = aᴸ − y when softmax is counted as the output's activation" in text
    assert text.count("BP1  δ²") == 3 and "(ŷ₀ − y₀)·σ'(z²₀)" in text
    assert "≠" not in text and "(by hand and autograd agree)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--classes", "7"], "--classes must be from 2 to 5, got 7"),
        (["--classes", "3", "--layers", "2,4,2"], "with --classes 3 it must end in 3, got 2,4,2"),
    ],
)
def test_bp_check_refuses_bad_classes(args, message):
    result = chainrule("bp-check", *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_train_with_three_classes_gives_nn_fits_softmax_model(tmp_path):
    from chainrule.nn import MLP, Adam, cross_entropy, fit, make_blobs

    out = tmp_path / "run"
    args = ["--dataset", "blobs", "--classes", "3", "--hidden", "5", "--epochs", "3"]
    result = chainrule("train", *args, "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "MLP(2 → 5 tanh → 3 linear) on blobs" in result.stdout
    assert "cross_entropy loss" in result.stdout
    assert (out / "playground.html").exists()  # K logits go on in the playground
    assert (out / "decision_boundary.png").read_bytes()[:4] == b"\x89PNG"
    saved = MLP.load(out / "model.json")
    model = MLP(2, [5, 3], seed=0)
    points, labels = make_blobs(n=100, noise=0.1, seed=0, classes=3)
    optimizer = Adam(model.parameters(), lr=0.03)
    fit(model, points, labels, loss=cross_entropy, optimizer=optimizer, epochs=3, batch_size=10,
        progress=False)  # fmt: skip
    assert [p.data for p in saved.parameters()] == [p.data for p in model.parameters()]
    predicted = chainrule("predict", str(out / "model.json"), "0", "0.6")
    assert "class 0" in predicted.stdout.splitlines()[-1]  # blob 0 sits at (0, 0.6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--classes", "3"], "--classes needs a data set of K classes: --dataset spiral or blobs"),
        (["--dataset", "blobs"], "--dataset blobs needs --classes K"),
        (["--dataset", "spiral", "--classes", "6"], "--classes must be from 2 to 5, got 6"),
        (["--dataset", "spiral", "--classes", "3", "--loss", "mse"], "--loss is for one output"),
        (["--dataset", "spiral", "--classes", "3", "--replay"], "cannot --replay"),
    ],
)
def test_train_refuses_bad_class_options(tmp_path, args, message):
    result = chainrule("train", *args, "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    assert message in result.stderr


def test_train_with_two_logits_writes_no_playground_and_says_why(tmp_path):
    out = tmp_path / "run"
    args = ["--dataset", "spiral", "--classes", "2", "--hidden", "3", "--epochs", "1"]
    result = chainrule("train", *args, "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 softmax logits; the playground's two classes are one output" in result.stdout
    assert not (out / "playground.html").exists()
