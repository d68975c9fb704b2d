"""The ``chainrule`` command's exit statuses: 1 for maths, 2 for usage, a traceback for a bug.

Every usage error here is found before any work starts: nothing is printed on stdout and no
file is written.
"""

import pytest
from chainrule.engine import DivisionByZeroError, DomainError, MathError, NumberOverflowError
from chainrule.viz import DEFAULT_MAX_NODES

from chainrule import cli
from chainrule.expression import parse
from tests.cli_helpers import chainrule

# ---------------------------------------------------------------------------------------------
# Only chainrule's own errors become exit statuses; a bug in chainrule is a bug


@pytest.mark.parametrize(
    "bug",
    [
        ValueError("invalid literal for int() with base 10: 'x'"),
        ZeroDivisionError("float division by zero"),
        OverflowError("int too large to convert to float"),
        RuntimeError("dictionary changed size during iteration"),
        OSError("a file the user never named"),
        TypeError("unsupported operand type(s)"),
    ],
)
def test_a_bug_in_chainrule_is_a_traceback_not_a_math_error(monkeypatch, capsys, bug):
    def broken(args):
        raise bug

    monkeypatch.setattr(cli, "_run_step", broken)
    with pytest.raises(type(bug)):
        cli.main(["step", "x", "--set", "x=1"])
    assert "math error" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "error",
    [
        DomainError("log needs a positive input"),
        NumberOverflowError("exp overflow"),
        DivisionByZeroError("division by zero"),
        MathError("anything else"),
    ],
)
def test_the_engine_math_errors_exit_1(monkeypatch, capsys, error):
    def failing(args):
        raise error

    monkeypatch.setattr(cli, "_run_step", failing)
    assert cli.main(["step", "x", "--set", "x=1"]) == 1
    assert capsys.readouterr().err == f"chainrule step: math error: {error}\n"


# ---------------------------------------------------------------------------------------------
# Usage errors found before any work


def assert_usage_error(result, *fragments):
    assert result.returncode == 2, (result.returncode, result.stderr)
    for fragment in fragments:
        assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # refused before any work: no forward pass, no training


def test_svg_refuses_a_path_that_is_not_svg_and_suggests_png(tmp_path):
    for name in ("out.png", "out", "out.svg.txt"):
        result = chainrule("step", "x*2", "--set", "x=1", "--svg", str(tmp_path / name))
        assert_usage_error(result, "--svg", ".svg", "--png")
    assert list(tmp_path.iterdir()) == []


def test_png_refuses_a_path_that_is_not_png(tmp_path):
    result = chainrule("step", "x*2", "--set", "x=1", "--png", str(tmp_path / "out.svg"))
    assert_usage_error(result, "--png", ".png", "--svg")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.needs_dot
def test_png_writes_a_png(tmp_path):
    target = tmp_path / "final.png"
    result = chainrule("step", "x*2", "--set", "x=1", "--png", str(target))
    assert result.returncode == 0, result.stderr
    assert f"wrote {target}\n" in result.stdout
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.needs_dot
@pytest.mark.parametrize(
    "option, name", [("--html", "g.html"), ("--svg", "g.svg"), ("--png", "g.png")]
)
def test_a_graph_too_large_to_draw_is_refused_before_stepping(tmp_path, option, name):
    formula = "+".join(["x"] * (DEFAULT_MAX_NODES + 1))  # one leaf and 300 additions
    result = chainrule("step", formula, "--set", "x=1", option, str(tmp_path / name))
    assert_usage_error(result, f"{DEFAULT_MAX_NODES + 1} nodes", f"{DEFAULT_MAX_NODES}")
    assert list(tmp_path.iterdir()) == []
    stepped = chainrule("step", formula, "--set", "x=1")  # without a picture it steps through
    assert stepped.returncode == 0, stepped.stderr
    assert f"∂f/∂x = {DEFAULT_MAX_NODES + 1}.0" in stepped.stdout


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--epochs", "99999999999999999999"], ["--epochs", "10,000"]),
        (["--epochs", "10001"], ["--epochs", "10,000"]),
        (["--samples", "99999999999999999999"], ["--samples", "10,000"]),
        (["--samples", "10001"], ["--samples", "10,000"]),
        (["--hidden", "1000000"], ["--hidden", "64"]),
        (["--hidden", "8,65"], ["--hidden", "64"]),
        (["--hidden", "2,2,2,2,2,2,2"], ["--hidden", "6 hidden layers"]),
        (["--batch-size", "99999999999999999999"], ["--batch-size", "10,000"]),
        (["--noise", "1e300"], ["--noise", "10"]),
    ],
)
def test_train_refuses_sizes_beyond_its_limits_at_once(tmp_path, args, fragments):
    result = chainrule("train", *args, "--no-progress", "--out", str(tmp_path / "out"))
    assert_usage_error(result, *fragments)
    assert not (tmp_path / "out").exists()


def test_bp_check_refuses_layers_beyond_the_limits():
    assert_usage_error(chainrule("bp-check", "--layers", "2,1000000,1"), "--layers", "64")
    result = chainrule("bp-check", "--layers", ",".join(["2"] * 9))
    assert_usage_error(result, "--layers", "8 sizes")


def test_train_help_states_the_limits():
    text = " ".join(chainrule("train", "--help").stdout.split())
    assert "at most 10,000" in text and "at most 64" in text and "at most 6" in text


@pytest.mark.parametrize(
    "limit", ["--epochs 10000", "--samples 10000", "--hidden 64,64,64,64,64,64"]
)
def test_the_limits_themselves_are_accepted(limit):
    args = cli.build_parser().parse_args(["train", *limit.split()])
    assert args.epochs and args.samples and args.hidden


def test_a_batch_larger_than_the_data_set_is_one_batch_and_says_so(tmp_path):
    args = ["--dataset", "gauss", "--hidden", "2", "--epochs", "1", "--samples", "20"]
    result = chainrule(
        "train", *args, "--batch-size", "500", "--no-progress", "--out", str(tmp_path / "out")
    )
    assert result.returncode == 0, result.stderr
    assert "batches of 20" in result.stdout and "--batch-size 500" in result.stdout


# ---------------------------------------------------------------------------------------------
# Identifiers that Python normalises (NFKC) are variables under their normalised name


@pytest.mark.parametrize(
    "formula, name, typed",
    [
        ("𝑥*2", "x", "x"),  # MATHEMATICAL ITALIC SMALL X
        ("𝑥*2", "x", "𝑥"),
        ("ｘ*2", "x", "ｘ"),  # FULLWIDTH LATIN SMALL LETTER X
        ("ﬁ*2", "fi", "ﬁ"),  # LATIN SMALL LIGATURE FI
        ("e\u0301*2", "\u00e9", "e\u0301"),  # e + COMBINING ACUTE ACCENT is é
    ],
)
def test_identifiers_python_normalises_are_variables_under_their_nfkc_name(formula, name, typed):
    assert parse(formula).variables == (name,)
    result = chainrule("step", formula, "--set", f"{typed}=3")
    assert result.returncode == 0, result.stderr
    assert f"∂f/∂{name} = 2.0" in result.stdout and "= 6.0" in result.stdout


def test_normalised_variables_keep_the_order_they_appear_in():
    assert parse("ｂ*𝑎 + a").variables == ("b", "a")
    assert parse("sigmoid(𝑤)*ｘ").variables == ("w", "x")


def test_a_caret_points_at_the_right_character_after_a_wide_one():
    result = chainrule("step", "𝑥 + x.real", "--set", "x=1")
    assert result.returncode == 2
    assert "  𝑥 + x.real\n      ^" in result.stderr


# ---------------------------------------------------------------------------------------------
# A training run that diverges stops and says what to do


def test_train_stops_when_training_diverges_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = chainrule(
        "train", "--lr", "1e300", "--epochs", "3", "--no-progress", "--out", str(out)
    )
    assert result.returncode == 1, result.stderr
    assert "training diverged in epoch 1 of 3" in result.stderr
    assert "try a smaller learning rate (lr=1e+300 now)" in result.stderr
    assert "Traceback" not in result.stderr and "Final loss" not in result.stdout
    assert not out.exists()


def test_train_stops_when_a_weight_overflows(tmp_path):
    out = tmp_path / "out"
    result = chainrule(
        "train",
        "--lr",
        "1e308",
        "--optimizer",
        "sgd",
        "--epochs",
        "2",
        "--no-progress",
        "--out",
        str(out),
    )
    assert result.returncode == 1, result.stderr
    assert "training diverged in epoch 1 of 2" in result.stderr
    assert "smaller learning rate (lr=1e+308 now)" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("number", ["1e999", "1" + "0" * 400])
def test_a_number_too_large_for_a_float_is_a_usage_error_not_a_bug(number):
    result = chainrule("step", f"{number}*x", "--set", "x=1")
    assert_usage_error(result, "too large for a float")
