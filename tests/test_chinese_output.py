"""``--lang zh`` runs of the teaching commands leave no English sentence behind (#23).

Each command's output (standard output and error together) goes through
``scripts/find_english.py``, which allows identifiers, numbers and formulas and reports any
run of two or more English words. The step-through narration also keeps its numbers: the
Chinese run prints the same numbers, in the same order, as the English one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chainrule.bugs import NAMES
from tests.cli_helpers import chainrule
from tests.page_helpers import wait_for
from tests.test_i18n import find_english

STEP = ("step", "tanh(x*w + b)", "--set", "x=2", "--set", "w=-3", "--set", "b=6.88", "--no-pause")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
CJK = re.compile(r"[\u4e00-\u9fff]")
PENDING = pytest.mark.xfail(strict=True, reason="#23: this command is not translated yet")


def chinese(*args: str) -> str:
    """``chainrule ARGS --lang zh``'s whole output, which must hold no traceback."""
    result = chainrule(*args, "--lang", "zh")
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return output


def assert_all_chinese(output: str) -> None:
    runs = find_english.english_runs(output, find_english.chainrule_names())
    assert not runs, "English left in the Chinese output:\n" + "\n".join(
        f"  line {number}: {run}" for number, run in runs
    )
    assert CJK.search(output), output


def test_step_in_chinese_has_no_english_and_the_same_numbers() -> None:
    output = chinese(*STEP)
    assert_all_chinese(output)
    english = chainrule(*STEP, "--lang", "en").stdout
    assert NUMBER.findall(output) == NUMBER.findall(english)
    assert "前向传播" in output and "反向传播" in output and "梯度" in output


def test_step_of_a_second_derivative_in_chinese() -> None:
    assert_all_chinese(
        chinese("step", "x**4 - 2*x**2", "--set", "x=2", "--order", "2", "--no-pause")
    )


def test_bp_check_in_chinese() -> None:
    output = chinese("bp-check")
    assert_all_chinese(output)
    assert "误差 δ" in output or "δ" in output


@pytest.fixture(scope="module")
def demo_in_chinese(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """``chainrule demo --lang zh``: its output, and the folder it wrote."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    return chinese("demo", "--out", str(folder)), folder


@pytest.mark.slow
def test_demo_in_chinese(demo_in_chinese: tuple[str, Path]) -> None:
    assert_all_chinese(demo_in_chinese[0])


@pytest.mark.slow
@pytest.mark.pages
@pytest.mark.parametrize("page", ["neuron_step_through.html", "playground.html"])
def test_the_demos_pages_open_in_chinese_and_switch_in_place(
    browser, demo_in_chinese: tuple[str, Path], page: str
) -> None:
    """The demo's pages open in the language the demo ran in, and their switch turns every
    text English, in place (the same page, nothing reloaded), and back."""
    browser.get((demo_in_chinese[1] / page).as_uri())
    wait_for(browser, "return window.chainrule !== undefined")
    browser.execute_script("window.notReloaded = true;")
    assert browser.execute_script("return window.chainrule.language()") == "zh"
    assert browser.execute_script("return document.documentElement.lang") == "zh-Hans"
    assert CJK.search(browser.execute_script("return document.body.innerText"))
    browser.find_element("css selector", "[data-language-choice=en]").click()
    assert browser.execute_script("return window.chainrule.language()") == "en"
    text = browser.execute_script("return document.body.innerText")
    assert not CJK.search(text.replace("中文", "")), "Chinese left after switching to English"
    browser.find_element("css selector", "[data-language-choice=zh]").click()
    assert browser.execute_script("return [window.chainrule.language(), window.notReloaded]") == [
        "zh",
        True,
    ]


def test_bugs_list_in_chinese() -> None:
    assert_all_chinese(chinese("bugs"))


@pytest.mark.parametrize("name", NAMES)
def test_each_bug_in_chinese(name: str) -> None:
    assert_all_chinese(chinese("bugs", name))


@pytest.mark.parametrize("solutions", [False, True], ids=["learner", "teacher"])
def test_exercises_check_in_chinese(tmp_path: Path, solutions: bool) -> None:
    folder = tmp_path / "exercises"
    flags = ["--solutions"] if solutions else []
    assert chainrule("exercises", "init", str(folder), *flags).returncode == 0
    assert_all_chinese(chinese("exercises", "check", str(folder), "--timeout", "20"))
