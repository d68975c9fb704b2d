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
