"""``chainrule bugs`` in Chinese (#23): the same gallery, the same numbers, other words.

The words come from engine/messages/bugs.json; each sentence of a demo is a ``Text`` that can
be written again in the other language, which the page needs to carry both. The English
output is checked, unchanged, by tests/test_cli_bugs.py.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from chainrule.engine.i18n import using_language

from chainrule import bugs
from chainrule.bugs import broken, terminal
from chainrule.bugs.runs import PythonSaid, Text
from tests.cli_helpers import chainrule

NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


def texts(outcome: bugs.Outcome) -> list[str]:
    """Every sentence an outcome says: its graph, why, columns, captions and errors."""
    runs = [*outcome.wrong, outcome.right]
    said = [outcome.graph, outcome.why]
    said += [part for run in runs for part in (run.engine, run.caption, run.error) if part]
    return said


@pytest.mark.parametrize("bug", bugs.GALLERY, ids=bugs.NAMES)
def test_the_english_broken_line_is_the_source_line(bug: bugs.Bug) -> None:
    with using_language("en"):
        assert broken.shown_line(bug) == broken.marked_line(bug)
    with using_language("zh"):
        shown = broken.shown_line(bug)
    code = broken.marked_line(bug).partition("  #")[0]
    assert shown.startswith(code + "  # "), "the code and its marker stay as they ran"


@pytest.mark.parametrize("bug", bugs.GALLERY, ids=bugs.NAMES)
def test_every_sentence_is_written_again_in_the_other_language(bug: bugs.Bug) -> None:
    """What a zh run says, an en run's Texts say in zh, and the other way round."""
    with using_language("en"):
        english, title_en, fix_en = bug.demo(), bug.title, bug.fix
    with using_language("zh"):
        chinese, title_zh, fix_zh = bug.demo(), bug.title, bug.fix
    for en, zh in [*zip(texts(english), texts(chinese), strict=True), (title_en, title_zh)]:
        assert isinstance(en, Text) or en == zh, en
        if isinstance(en, Text):
            assert en.in_language("zh") == zh and zh.in_language("en") == en
            assert en != zh
    assert fix_en == (fix_zh.in_language("en") if isinstance(fix_zh, Text) else fix_zh)


def test_python_says_its_own_words_in_english_and_the_catalogue_means_them_in_chinese() -> None:
    said = PythonSaid("maximum recursion depth exceeded in comparison", "bugs.recursive-walk.error")
    assert said.in_language("en") == "maximum recursion depth exceeded in comparison"
    assert said.in_language("zh") == "超出了最大递归深度"
    with using_language("zh"):
        error = bugs.find("recursive-walk").demo().wrong[0].error
    assert error == "RecursionError：超出了最大递归深度"
    assert error.in_language("en").startswith("RecursionError: maximum recursion depth exceeded")


@pytest.mark.parametrize("name", [None, *bugs.NAMES])
def test_the_chinese_output_has_the_english_numbers(name: str | None) -> None:
    args = ("bugs",) if name is None else ("bugs", name)
    english = chainrule(*args, "--lang", "en").stdout
    chinese = chainrule(*args, "--lang", "zh").stdout
    # the words say the numbers in their own order; the bug's own names hold digits too
    assert sorted(NUMBER.findall(chinese)) == sorted(NUMBER.findall(english))


@pytest.mark.parametrize("name", bugs.NAMES)
def test_the_chinese_table_lines_up_and_the_text_fits_the_terminal(name: str) -> None:
    output = chainrule("bugs", name, "--lang", "zh").stdout
    lines = output.splitlines()
    wrapped = lines[lines.index("计算图") + 1 : lines.index("梯度") - 3]  # not the code
    wrapped += lines[lines.index("为什么") + 1 :]
    for line in wrapped:
        assert terminal.columns(line) <= terminal.WIDTH, line
    table = lines[lines.index("梯度") + 1 : lines.index("为什么")]
    rows = [line for line in table if line.rstrip().endswith(("不同", "相同"))]
    assert rows
    ends = {terminal.columns(line[: line.rindex(line.split()[-1])]) for line in rows}
    assert len(ends) == 1, "the verdicts start in one column"


def test_wrap_is_textwrap_for_english_and_breaks_chinese_between_characters() -> None:
    english = "a is used twice, so two edges lead from b back into a, each carrying 1.0"
    assert terminal.wrap(english, 20) == textwrap.wrap(english, 20)
    chinese = (
        "一条有 2,000 个运算的链比这更深，所以遍历在反向传播开始之前就崩溃了"
        "（sys.getrecursionlimit()）。"
    )
    lines = terminal.wrap(chinese, 30)
    assert "".join(lines).replace(" ", "") == chinese.replace(" ", "")
    assert all(terminal.columns(line) <= 30 for line in lines)
    assert not any(line.startswith(("，", "。", "）")) for line in lines)
    assert not any(line.endswith("（") for line in lines)
    assert "2,000" in " ".join(lines) and "sys.getrecursionlimit()" in "".join(lines)


def test_an_unknown_name_in_chinese_is_a_usage_error_that_lists_the_names() -> None:
    result = chainrule("bugs", "relu", "--lang", "zh")
    assert result.returncode == 2
    assert "没有叫 'relu' 的错误（你是想输入 relu-at-zero 吗？）" in result.stderr
    assert ", ".join(bugs.NAMES) in result.stderr
    unknown = chainrule("bugs", "zzz", "--lang", "zh")
    assert unknown.returncode == 2 and "没有叫 'zzz' 的错误；可选的有：" in unknown.stderr


def test_the_page_is_written_with_a_chinese_wrote(tmp_path) -> None:
    page = tmp_path / "bugs.html"
    result = chainrule("bugs", "sub-sign", "--html", str(page), "--lang", "zh")
    assert result.returncode == 0 and f"已写入 {page}" in result.stdout
