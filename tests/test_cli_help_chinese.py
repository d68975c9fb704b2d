"""The command line's own words in Chinese: ``--help`` and the errors met reading it (#23).

``chainrule … --help --lang zh`` is Chinese from ``用法：`` to the last option, with no
English sentence left (``scripts/find_english.py``); a value refused while the command
line is read (``--set x=abc``) is refused in Chinese, with exit status 2; and English is
byte for byte what it was before (the texts below were taken before the change).
"""

from __future__ import annotations

import argparse
import doctest
import inspect
import re

import pytest
from chainrule.engine.i18n import catalogue

from chainrule import bugs, cli_language
from chainrule.bugs import NAMES
from chainrule.cli_language import ARGPARSE_WORDS, columns, language_asked, wrapped
from tests.cli_helpers import chainrule
from tests.test_i18n import find_english

CJK = re.compile(r"[\u4e00-\u9fff]")
COMMANDS = [
    (),
    ("step",),
    ("newton",),
    ("demo",),
    ("train",),
    ("predict",),
    ("export",),
    ("bp-check",),
    ("playground",),
    ("bugs",),
    ("exercises",),
    ("exercises", "init"),
    ("exercises", "check"),
]
STEP_HELP = """\
usage: chainrule step [-h] [--set NAME=VALUE] [--html FILE] [--svg FILE.svg] [--png FILE.png]
                      [--no-pause] [--order N] [--wrt NAME] [--force] [--lang {en,zh}]
                      EXPR

Build EXPR as a graph, print its forward values, then apply the chain rule one edge at a time.
EXPR may use numbers, variables, + - * / **, unary minus, parentheses and the functions add, sub,
mul, div, neg, power, pow, exp, log, tanh, sigmoid, softplus, relu, identity.

positional arguments:
  EXPR              e.g. "tanh(x*w + b)"

options:
  -h, --help        show this help message and exit
  --set NAME=VALUE  the value of a variable (repeat for each variable)
  --html FILE       write the graph's step page
  --svg FILE.svg    write the graph's final diagram (SVG)
  --png FILE.png    write the graph's final diagram (PNG)
  --no-pause        print every step without waiting for Enter
  --order N         1 (default): f's backward pass. 2: ∂f/∂x as a graph (the backward pass
                    recorded by grad(..., create_graph=True)) and its backward pass, ending with
                    ∂²f/∂x∂v for each variable v; N: the same for the (N−1)-th derivative (at most
                    4)
  --wrt NAME        with --order 2 or more: the variable x to differentiate by (default: the
                    first)
  --force           overwrite files that already exist (without it, an existing file is an error)
  --lang {en,zh}    the language of what chainrule writes: en or zh (default: CHAINRULE_LANG, else
                    the locale, else en)
"""
BP_CHECK_HELP = """\
usage: chainrule bp-check [-h] [--layers N,N,…] [--activation {tanh,relu,sigmoid,linear}]
                          [--seed SEED] [--classes K] [--lang {en,zh}]

Build a random MLP, take one random sample with C = ½‖a^L − y‖², and print every δ, ∂C/∂W and
∂C/∂b from the four equations next to autograd's gradient.

options:
  -h, --help            show this help message and exit
  --layers N,N,…        layer sizes from input to output (default: 2,3,1; at most 8 sizes, each at
                        most 64)
  --activation {tanh,relu,sigmoid,linear}
  --seed SEED
  --classes K           K classes (2–5): the output is K linear logits and C softmax's cross-
                        entropy, whose BP1 is δᴸ = ŷ − y (--layers then ends in K; default 2,3,K)
  --lang {en,zh}        the language of what chainrule writes: en or zh (default: CHAINRULE_LANG,
                        else the locale, else en)
"""
SET_ERROR = """\
usage: chainrule step [-h] [--set NAME=VALUE] [--html FILE] [--svg FILE.svg] [--png FILE.png]
                      [--no-pause] [--order N] [--wrt NAME] [--force] [--lang {en,zh}]
                      EXPR
chainrule step: error: argument --set: x: 'abc' is not a number
"""


def assert_chinese(text: str) -> None:
    """``text`` has Chinese in it and no run of English words (names and metavars allowed)."""
    runs = find_english.english_runs(text, find_english.chainrule_names() | set(NAMES))
    assert not runs, "English left in the Chinese:\n" + "\n".join(
        f"  line {number}: {run}" for number, run in runs
    )
    assert CJK.search(text), text


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command) or "chainrule")
def test_every_help_in_chinese_has_no_english_and_fits_the_terminal(command: tuple[str, ...]):
    result = chainrule(*command, "--help", "--lang", "zh")
    assert result.returncode == 0 and result.stderr == ""
    assert_chinese(result.stdout)
    assert result.stdout.startswith("用法：chainrule")
    assert (
        "\n选项：\n" in result.stdout
        and ":\n" not in result.stdout
        and "显示这份帮助并退出" in result.stdout
    )
    # tests.cli_helpers runs with COLUMNS=80; a usage part argparse cannot break, such as
    # [--dataset {moons,…}], is as wide in English: only lines with Chinese are ours to wrap
    too_wide = [line for line in result.stdout.splitlines() if columns(line) > 80]
    assert not [line for line in too_wide if CJK.search(line)], too_wide


def test_the_usage_lines_line_up_under_the_wide_prefix() -> None:
    usage = chainrule("step", "--help", "--lang", "zh").stdout.split("\n\n")[0].splitlines()
    first = usage[0]
    options_start = columns(first[: first.index("[")])
    assert len(usage) > 1
    assert all(line.index("[") == options_start for line in usage[1:] if "[" in line)


def test_a_refused_value_is_refused_in_chinese() -> None:
    result = chainrule("step", "x", "--set", "x=abc", "--lang", "zh")
    assert result.returncode == 2 and result.stdout == ""
    assert_chinese(result.stderr)
    assert "chainrule step：错误：参数 --set：x：'abc' 不是数字" in result.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("step", "x", "--order", "9"), "阶数从 1（梯度）到 4"),
        (("train", "--epochs", "99999"), "'99999'：最多 10,000 轮"),
        (("train", "--hidden", "1,1,1,1,1,1,1"), "最多 6 个隐藏层"),
        (("train", "--lr", "0"), "'0'：必须是正数"),
        (("train", "--activation", "swish"), "未知的激活函数 'swish'"),
        (("train", "--dataset", "rings"), "无效的选择：'rings'"),
        (("export", "model.json"), "缺少这些参数：--to, OUT.py"),
        (("step",), "缺少这些参数：EXPR"),
    ],
)
def test_errors_met_reading_the_command_line_are_chinese(args: tuple[str, ...], said: str):
    result = chainrule(*args, "--lang", "zh")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert said in result.stderr and "错误" in result.stderr
    assert_chinese(result.stderr)


def test_chainrule_lang_alone_makes_the_help_chinese() -> None:
    result = chainrule("step", "--help", CHAINRULE_LANG="zh")
    assert result.returncode == 0
    assert_chinese(result.stdout)


def test_lang_is_found_wherever_argparse_takes_it() -> None:
    for args in (
        ("--lang=zh", "step", "--help"),
        ("--lang", "zh", "step", "--help"),
        ("step", "--help", "--lang=zh"),
        ("step", "--lan", "zh", "--help"),
    ):
        assert chainrule(*args).stdout.startswith("用法：chainrule step"), args


def test_a_bad_lang_still_gets_argparses_choice_error_in_the_environments_language() -> None:
    english = chainrule("step", "x", "--lang", "fr")
    assert english.returncode == 2
    assert "argument --lang: invalid choice: 'fr' (choose from 'en', 'zh')" in english.stderr
    chinese = chainrule("step", "x", "--lang", "fr", CHAINRULE_LANG="zh")
    assert chinese.returncode == 2
    assert "参数 --lang：无效的选择：'fr'（可选：'en', 'zh'）" in chinese.stderr


def test_english_help_and_errors_are_as_before() -> None:
    assert chainrule("step", "--help", COLUMNS="100").stdout == STEP_HELP
    assert chainrule("bp-check", "--help", "--lang", "en", COLUMNS="100").stdout == BP_CHECK_HELP
    refused = chainrule("step", "x", "--set", "x=abc", COLUMNS="100")
    assert refused.returncode == 2 and refused.stderr == SET_ERROR


@pytest.mark.parametrize(
    ("argv", "asked"),
    [
        (["step", "x", "--lang", "zh"], "zh"),
        (["--lang=zh", "step", "x"], "zh"),
        (["--lang", "en", "step", "x", "--lang", "zh"], "zh"),
        (["step", "--lan=zh", "x"], "zh"),
        (["step", "x", "--lang", "fr"], None),
        (["step", "x", "--lang"], None),
        (["step", "--", "--lang", "zh"], None),
        (["step", "x", "--layers", "zh"], None),
        ([], None),
    ],
)
def test_language_asked(argv: list[str], asked: str | None) -> None:
    assert language_asked(argv) == asked


def test_argparse_words_are_argparses_own_in_english() -> None:
    """Each word is in argparse's source as it is written there, and its English is that
    word, so an English run is argparse's; its %-fields are the same in Chinese."""
    source = inspect.getsource(argparse)
    fields = re.compile(r"%(?:\(\w+\))?[sr]")
    for word, key in ARGPARSE_WORDS.items():
        assert f"_({word!r})" in source, word
        texts = catalogue()[key]
        assert texts["en"] == word
        assert sorted(fields.findall(texts["zh"])) == sorted(fields.findall(word)), key
    assert catalogue()["cli.argparse_usage"]["en"] == "usage: "


def test_argparse_speaks_gettext_again_after_the_command_line() -> None:
    gettext = vars(argparse)["_"]
    with cli_language.speaking_argparse():
        assert vars(argparse)["_"] is cli_language.translated
    assert vars(argparse)["_"] is gettext


def test_chinese_is_wrapped_by_columns_without_a_mark_out_of_place() -> None:
    texts = [t["zh"] for key, t in catalogue().items() if key.startswith("cli.") and "help" in key]
    for text in texts:
        for width in (24, 40):
            lines = wrapped(text, width)
            assert "".join(lines).replace(" ", "") == text.replace(" ", "")
            for line in lines:
                assert columns(line) <= width or " " not in line, (width, line)
                assert line[0] not in cli_language.NO_LINE_START, (width, line)
                assert line[-1] not in cli_language.NO_LINE_END, (width, line)


def test_the_modules_examples() -> None:
    assert doctest.testmod(cli_language).failed == 0


def test_the_bugs_command_on_its_own_helps_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        bugs.main(["--help", "--lang", "zh"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith("用法：chainrule bugs")
    assert_chinese(help_text)
