"""The terminal commands and the engine's errors in Chinese, the same numbers as in English (#23).

The engine's ``MathError``s are said in the language chosen when they happen (the op table
keeps both); the pause prompt of ``chainrule step``, ``newton``, ``train``, ``predict`` and
``export`` print Chinese with ``--lang zh``, and the English stays as it was. The pages'
JavaScript says the same errors as Python in both languages: ``test_viz_step_page.py``.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from pathlib import Path

import pytest
from chainrule.engine import (
    DivisionByZeroError,
    DomainError,
    NumberOverflowError,
    Value,
    define_op,
)
from chainrule.engine.i18n import using_language
from chainrule.nn import MLP, fit
from chainrule.nn.losses import mse_loss
from chainrule.nn.optim import SGD
from chainrule.nn.train import TrainingDivergedError

from chainrule.expression import ExpressionError, parse
from chainrule.step_command import walk_steps
from chainrule.terminal import Style, padded
from tests.cli_helpers import chainrule
from tests.test_chinese_output import NUMBER, assert_all_chinese, chinese

CJK = re.compile(r"[\u4e00-\u9fff]")


def raised(compute, lang: str) -> Exception:
    with using_language(lang), pytest.raises(Exception) as caught:
        compute()
    return caught.value


# The engine's errors


@pytest.mark.parametrize(
    ("compute", "kind", "english", "chinese_words"),
    [
        (lambda: Value(-1.0, "x").log(), DomainError, "log needs a positive input", "正数"),
        (lambda: Value(1.0) / Value(0.0, "y"), DivisionByZeroError, "division by zero", "除以零"),
        (lambda: Value(-2.0, "x") ** 0.5, DomainError, "negative base", "底数为负"),
        (lambda: Value(800.0, "x").exp(), NumberOverflowError, "exp overflow", "exp 溢出"),
        (lambda: Value(1e200, "x") * Value(1e200, "y"), NumberOverflowError, "overflows", "超出"),
        (
            lambda: Value(0.0, "x").tanh() ** -1,
            DivisionByZeroError,
            "undefined at x = 0",
            "没有定义",
        ),
    ],
    ids=["log", "div", "power", "exp", "mul", "power-at-zero"],
)
def test_a_math_error_is_said_in_the_language_chosen(compute, kind, english, chinese_words):
    in_english, in_chinese = raised(compute, "en"), raised(compute, "zh")
    assert type(in_english) is type(in_chinese) is kind
    assert english in str(in_english) and not CJK.search(str(in_english))
    assert chinese_words in str(in_chinese) and "出现在" in str(in_chinese)
    assert NUMBER.findall(str(in_english)) == NUMBER.findall(str(in_chinese))


def test_the_fast_path_and_the_plain_engine_say_the_same_chinese():
    from chainrule.engine import fast

    def compute():
        return Value(1e200, "x") * Value(1e200, "y")

    with fast.plain():
        plain = str(raised(compute, "zh"))
    assert str(raised(compute, "zh")) == plain and "出现在 mul 中" in plain


def test_an_op_of_ones_own_may_say_its_domain_in_both_languages(table):
    words = {"en": "sqrt needs a ≥ 0, got {a}", "zh": "sqrt 要求 a ≥ 0，现在 a = {a}"}
    both = define_op("sqrt_both", value="a**0.5", grads=["0.5 / out"], domain=[("a >= 0", words)])
    one = define_op("sqrt_plain", value="a**0.5", grads=["0.5 / out"], domain=[("a >= 0", "a < 0")])
    assert str(raised(lambda: both(Value(-4.0, "x")), "en")).startswith("sqrt needs a ≥ 0, got -4")
    assert str(raised(lambda: both(Value(-4.0, "x")), "zh")).startswith(
        "sqrt 要求 a ≥ 0，现在 a = -4"
    )
    assert str(raised(lambda: one(Value(-4.0, "x")), "zh")).startswith(
        "a < 0（出现在 sqrt_plain 中"
    )
    with pytest.raises(ValueError, match="in each language"):
        define_op("sqrt_half", value="a**0.5", grads=["0.5 / out"], overflow={"en": "too big"})
    with pytest.raises(ValueError, match=r"placeholder \{b\}"):
        define_op("sqrt_bad", value="a", grads=["1"], domain=[("a > 0", {"en": "", "zh": "{b}"})])


def test_training_that_diverges_says_so_in_chinese():
    model = MLP(2, [4, 1], seed=0)
    points, targets = [[0.5, -0.5], [1.0, 2.0]], [1.0, 0.0]
    with using_language("zh"), pytest.raises(TrainingDivergedError) as caught:
        fit(
            model,
            points,
            targets,
            loss=mse_loss,
            optimizer=SGD(model.parameters(), lr=1e9),
            epochs=5,
            batch_size=2,
            progress=False,
        )
    said = str(caught.value)
    assert re.match(r"训练在第 \d 轮（共 5 轮）发散了：", said) and "学习率" in said
    assert "lr=1e+09" in said


def test_an_expression_error_is_said_in_chinese_with_its_caret():
    with using_language("zh"), pytest.raises(ExpressionError) as caught:
        parse("x ^ 2")
    assert str(caught.value) == (
        "^ 在这里不是乘方（在 Python 里它是按位异或）：乘方请写 **，例如 x ** 2\n  x ^ 2\n    ^"
    )
    with using_language("en"), pytest.raises(ExpressionError, match="not a power here"):
        parse("x ^ 2")


# chainrule step's pause prompt


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "Enter: next step",
                "unknown key 'z'",
                "(already at the first step)",
                "step 1/2",
                "stopped before the end of the backward pass",
            ],
        ),
        (
            "zh",
            [
                "Enter：下一步   b：退回一步   q：退出",
                "不认识的按键 'z'",
                "（已经是第一步了）",
                "第 1/2 步",
                "反向传播还没走完就停下了",
            ],
        ),
    ],
)
def test_the_pause_prompt_speaks_the_language(lang: str, words: list[str]):
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    steps = list((x * w).backward_steps())
    out = io.StringIO()
    with using_language(lang):
        finished = walk_steps(steps, out, Style(False), keys=io.StringIO("\nz\nb\nq\n"))
    assert not finished
    for said in words:
        assert said in out.getvalue(), (said, out.getvalue())


# whole commands


def test_train_predict_and_export_in_chinese(tmp_path: Path):
    folder = tmp_path / "run"
    output = chinese("train", "--epochs", "2", "--out", str(folder), "--no-progress")
    assert_all_chinese(output)
    assert "损失" in output and "决策边界" in output
    english = chainrule("train", "--epochs", "2", "--out", str(tmp_path / "en"), "--no-progress")
    # the same numbers (the Chinese says "on moons (100 points)" before the model)
    assert sorted(NUMBER.findall(output.replace(str(folder), ""))) == sorted(
        NUMBER.findall(english.stdout.replace(str(tmp_path / "en"), ""))
    )
    predicted = chinese("predict", str(folder / "model.json"), "0.5", "0.5")
    assert_all_chinese(predicted)
    assert "属于类别 1 的概率" in predicted
    exported = chinese(
        "export", str(folder / "model.json"), "--to", "pytorch", str(tmp_path / "net.py")
    )
    assert_all_chinese(exported)


def test_a_diverging_train_run_and_a_math_error_in_step_say_it_in_chinese(tmp_path: Path):
    diverged = chinese(
        "train",
        "--lr",
        "1e6",
        "--optimizer",
        "sgd",
        "--epochs",
        "30",
        "--out",
        str(tmp_path / "run"),
        "--no-progress",
    )
    assert_all_chinese(diverged)
    assert "发散" in diverged
    result = chainrule("step", "log(x)", "--set", "x=-1", "--lang", "zh")
    assert result.returncode != 0
    assert_all_chinese(result.stderr)
    assert "数学错误：log 的输入必须是正数" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("newton", "x**4 - 2*x**2", "--set", "x=2"),
        ("newton", "x**3", "--set", "x=1"),
        ("step", "x*y", "--set", "x=1"),
        ("step", "x % 2", "--set", "x=1"),
        ("bp-check", "--classes", "3"),
    ],
    ids=["newton", "newton-not-yet", "missing-value", "operator", "bp-check-classes"],
)
def test_more_commands_in_chinese(args: tuple[str, ...]):
    assert_all_chinese(chinese(*args))


def test_padded_lines_up_chinese_labels():
    assert padded("决策边界", 10) == "决策边界  "
    assert padded("model", 10) == f"{'model':<10}"
    assert math.isclose(len(padded("训练曲线", 18)), 14)


def test_the_training_curves_are_drawn_in_chinese_with_every_glyph(tmp_path: Path):
    pytest.importorskip("matplotlib")
    from chainrule.nn import History

    from chainrule import plots

    if not plots._cjk_fonts():
        pytest.skip("no Chinese font here (Debian: fonts-noto-cjk)")
    history = History(loss=[0.5, 0.25], accuracy=[0.75, 0.875])
    with using_language("zh"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.training_curves(history, tmp_path / "curves.png", "moons", final=(0.2, 0.9))
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing
    assert (tmp_path / "curves.png").stat().st_size > 10_000
