"""The exercises in Chinese (#23): ``exercises init --lang zh`` writes the learner's folder in
Chinese, and ``exercises check --lang zh`` (or ``CHAINRULE_LANG=zh pytest``) says every
failure in Chinese, the likely mistakes, a timeout and a file that does not import included.
The grader's child runs in the grader's language, whatever the environment says."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from chainrule.engine.i18n import catalogue, using_language

from chainrule.exercises import (
    EXERCISES,
    checks,
    exercise_files,
    grader,
    template,
    translated_template,
)
from tests.cli_helpers import chainrule, environment
from tests.test_chinese_output import assert_all_chinese
from tests.test_cli_exercises import OPS, replace_body, sections
from tests.test_exercise_grader import ALL, SLEEPER, TIMEOUT, append, check, solved

CJK = re.compile(r"[\u4e00-\u9fff]")
TANH_MISTAKE = "这是 1 − x²，而 tanh' 是 1 − tanh²x：要用 t = tanh x"


@pytest.fixture(autouse=True)
def english_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``CHAINRULE_LANG=en`` for every command run here: ``--lang zh`` must win, in the
    grader and in its child."""
    monkeypatch.setenv("CHAINRULE_LANG", "en")


def check_in_chinese(folder: Path, *flags: str) -> tuple[int, str, dict[str, str]]:
    """``exercises check FOLDER --lang zh``: its exit status, its output, and each exercise's
    score line by name."""
    return check(folder, *flags, "--lang", "zh")


# --- the folder a learner gets ----------------------------------------------------------------


def test_init_in_chinese_writes_a_chinese_readme_and_stubs(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    result = chainrule("exercises", "init", str(folder), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert_all_chinese(result.stdout)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 手算反向传播：练习")
    assert (
        "学习者版本" in readme
        and f"CHAINRULE_LANG=zh pytest {folder}" in readme
        and "FOLDER" not in readme
    )
    assert "链式法则" in readme and "误差 δ" in readme and "(BP2)" in readme
    assert_all_chinese(readme)
    ops = (folder / "ops.py").read_text(encoding="utf-8")
    assert 'raise NotImplementedError("d_tanh 还没有写")' in ops
    assert "# 在这里写你的代码，替换掉下面的 raise。" in ops


def test_the_english_folder_is_as_before() -> None:
    with using_language("en"):
        files = exercise_files()
    assert files["README.md"].startswith("# Backprop by hand: exercises")
    assert 'raise NotImplementedError("d_tanh is not written yet")' in files["ops.py"]
    with using_language("zh"):
        teacher = exercise_files(solutions=True)
    assert (
        "教师版本" in teacher["README.md"]
        and 'raise NotImplementedError("' not in teacher["ops.py"]
    )


def code_of(source: str) -> str:
    """The code of a module, its docstrings and comments left out: what the grader runs."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef) and ast.get_docstring(node) is not None:
            node.body = node.body[1:] or [ast.Pass()]
    return ast.dump(tree)


@pytest.mark.parametrize("name", ["ops.py", "neuron.py", "layer.py"])
def test_each_chinese_learner_file_is_the_english_code_in_other_words(name: str) -> None:
    """ops.zh.py, neuron.zh.py and layer.zh.py differ from their English twins only in
    their docstrings and comments: the same functions, solutions and markers."""
    english = template(name)
    with using_language("zh"):
        chinese = translated_template(name)
    assert chinese != english
    assert code_of(chinese) == code_of(english)
    for marker in ("# solution\n", "# end of solution\n"):
        assert chinese.count(marker) == english.count(marker) > 0
    for node in ast.walk(ast.parse(chinese)):
        if isinstance(node, ast.Module | ast.FunctionDef):
            assert CJK.search(ast.get_docstring(node) or ""), getattr(node, "name", name)


def test_every_hint_the_templates_give_is_in_the_catalogue(monkeypatch) -> None:
    """Each Mistake of test_ops.py, test_neuron.py and test_layer.py has its Chinese: the
    tests are run with each check replaced by one that keeps the mistakes it is given."""
    hints: list[str] = []

    def keep(*args: object, mistakes=(), **kwargs: object) -> None:
        hints.extend(mistake.hint for mistake in mistakes)

    for name in ("check_op", "check_neuron", "check_bp1", "check_bp2"):
        monkeypatch.setattr(checks, name, keep)
    learner = types.ModuleType("learner")
    learner.__getattr__ = lambda name: None  # type: ignore[attr-defined]
    for exercise in EXERCISES:
        grader.load_test(exercise, learner)()  # type: ignore[arg-type]
    assert len(hints) > 40
    english = {t["en"] for k, t in catalogue().items() if k.startswith("exercises.mistake.")}
    assert set(hints) <= english, set(hints) - english
    with using_language("zh"):
        assert all(checks.said(hint) != hint for hint in hints)
        assert checks.said("my own hint") == "my own hint"


# --- what check and pytest say ----------------------------------------------------------------


@pytest.mark.slow
def test_a_likely_mistake_in_chinese_in_check_and_in_pytest(tmp_path: Path) -> None:
    folder = solved(tmp_path / "work")
    replace_body(folder / "ops.py", "d_tanh", "return 1 - x**2")
    status, output, lines = check_in_chinese(folder)
    assert status == 1
    assert "∂out/∂x 在 x = " in lines["tanh"] and "处不对：期望 " in lines["tanh"], lines["tanh"]
    shown = [line.strip() for line in output.splitlines()]
    at = shown.index(lines["tanh"])
    assert shown[at + 1] == f"可能的错误：{TANH_MISTAKE}"
    assert "[6/11] tanh … 未通过" in output and "得分：11 个练习中通过了 10 个。" in output
    assert_all_chinese(output)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder.name, "-k", "tanh"],
        capture_output=True,
        text=True,
        env=environment(CHAINRULE_SEED="5", CHAINRULE_LANG="zh"),
        cwd=folder.parent,
        timeout=300,
    )
    text = sections(result.stdout)["test_tanh"]
    assert f"  可能的错误：{TANH_MISTAKE}" in text
    assert "  输入：    x = " in text and "（所以 out = tanh(x) = " in text
    assert "CHAINRULE_SEED=5 pytest" in text and "diagrams/tanh.svg（红色：边 x → tanh）" in text
    assert_all_chinese(text)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="the grader needs process groups")
def test_a_timeout_in_chinese(tmp_path: Path) -> None:
    folder = solved(tmp_path / "stuck")
    replace_body(folder / "ops.py", "d_tanh", f"{SLEEPER}\nwhile True:\n    time.sleep(1)")
    status, output, lines = check_in_chinese(folder, "--timeout", str(TIMEOUT))
    assert status == 1
    assert lines["tanh"] == f"✗ tanh  tanh x 的局部导数  — 超时：{TIMEOUT} 秒后仍未结束"
    assert f"[6/{ALL}] tanh … 超时：{TIMEOUT} 秒后仍未结束" in output
    assert f"每个最多 {TIMEOUT} 秒" in output
    assert_all_chinese(output)


@pytest.mark.slow
def test_an_import_error_in_chinese(tmp_path: Path) -> None:
    folder = solved(tmp_path / "broken")
    append(folder / "ops.py", 'raise RuntimeError("broken on purpose")')
    line = (folder / "ops.py").read_text(encoding="utf-8").count("\n")
    status, output, lines = check_in_chinese(folder)
    assert status == 1
    for name in OPS:
        assert lines[name].endswith(
            f"— ops.py 导入失败：RuntimeError: broken on purpose（第 {line} 行）"
        ), lines[name]
    assert lines["neuron"].startswith("✓")
    assert_all_chinese(output.replace("broken on purpose", ""))


@pytest.mark.slow
def test_the_child_speaks_the_graders_language_and_unshowable_things_are_worded(
    tmp_path: Path,
) -> None:
    """``CHAINRULE_LANG=en`` in the environment, ``--lang zh`` on the command: the learner's
    code, in the child, finds Chinese; a value whose repr raises, and an error whose str
    raises, are worded by the grader in Chinese."""
    folder = solved(tmp_path / "odd")
    replace_body(
        folder / "ops.py", "d_log", "from chainrule.engine.i18n import language\nreturn language()"
    )
    replace_body(
        folder / "ops.py",
        "d_exp",
        "class Odd:\n    def __repr__(self):\n        raise RuntimeError\nreturn Odd()",
    )
    append(
        folder / "layer.py",
        "class Unsayable(Exception):\n    def __str__(self):\n        raise RuntimeError\n"
        "raise Unsayable()",
    )
    status, output, lines = check_in_chinese(folder)
    assert status == 1
    assert "ops.d_log 返回了 'zh'：它应当返回一个数（∂out/∂x）。" in lines["log"], lines["log"]
    assert "ops.d_exp 返回了 <一个 Odd，它的 repr 抛出了异常>" in lines["exp"], lines["exp"]
    assert "layer.py 导入失败：Unsayable: （它的信息无法显示）（第 " in lines["bp1"], lines["bp1"]
    assert_all_chinese(output)


def test_a_usage_error_of_check_in_chinese(tmp_path: Path) -> None:
    result = chainrule("exercises", "check", str(tmp_path / "nowhere"), "--lang", "zh")
    assert result.returncode == 2
    assert f"{tmp_path / 'nowhere'} 不存在；请先写出练习：chainrule exercises init" in result.stderr
    (tmp_path / "empty").mkdir()
    result = chainrule("exercises", "check", str(tmp_path / "empty"), "--lang", "zh")
    assert result.returncode == 2 and "它不是练习文件夹" in result.stderr
    folder = solved(tmp_path / "ok")
    result = chainrule("exercises", "check", str(folder), "--lang", "zh", CHAINRULE_SEED="soon")
    assert result.returncode == 2 and "CHAINRULE_SEED 必须是整数，这里却是 'soon'" in result.stderr
