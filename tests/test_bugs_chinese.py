"""``chainrule bugs`` in Chinese (#23): the same gallery, the same numbers, other words.

The words come from engine/messages/bugs.json; each sentence of a demo is a ``Text`` that can
be written again in the other language, which the page needs to carry both. The English
output is checked, unchanged, by tests/test_cli_bugs.py.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from chainrule.engine.i18n import using_language
from selenium.webdriver.support.ui import WebDriverWait

from chainrule import bugs
from chainrule.bugs import broken, terminal
from chainrule.bugs.page import gallery_page
from chainrule.bugs.runs import PythonSaid, Text
from tests.cli_helpers import chainrule
from tests.test_i18n import find_english

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


# ---------------------------------------------------------------------------------------------
# The page: written in one language, switched in place


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bugs-zh")
    written = {"en": folder / "en.html", "zh": folder / "zh.html"}
    assert bugs.main(["--html", str(written["en"])]) == 0
    assert chainrule("bugs", "--html", str(written["zh"]), "--lang", "zh").returncode == 0
    return written


VISIBLE_TEXT = """
const svgs = [...document.querySelectorAll("svg")];
svgs.forEach(svg => { svg.style.display = "none"; });
const text = document.body.innerText;
svgs.forEach(svg => { svg.style.display = ""; });
return text;
"""
"""The page's visible text, its diagrams' aside (their words are viz's, drawn per language)."""


def state(browser) -> dict:
    return browser.execute_script(
        "return {api: window.chainrule.language(), html: document.documentElement.lang,"
        " title: document.title,"
        " shown: document.elementFromPoint(innerWidth / 2, 40).closest('section')?.id,"
        " pressed: [...document.querySelectorAll('[data-language-choice]')]"
        "   .filter(b => b.getAttribute('aria-pressed') === 'true')"
        "   .map(b => b.getAttribute('data-language-choice'))}"
    )


def assert_chinese(browser) -> None:
    text = browser.execute_script(VISIBLE_TEXT)
    runs = find_english.english_runs(text, find_english.chainrule_names())
    assert not runs, "English left on the Chinese page:\n" + "\n".join(run for _, run in runs)
    assert (
        "反向传播的经典错误" in text and "为什么" not in text
    )  # the page's words, not the terminal's


@pytest.mark.needs_chromium
@pytest.mark.needs_dot
def test_the_page_opens_in_the_language_it_was_written_in(browser, pages) -> None:
    browser.get(pages["zh"].as_uri())
    assert state(browser) == {
        "api": "zh",
        "html": "zh-Hans",
        "title": "反向传播的经典错误，每一个都与正确答案并排",
        "shown": None,
        "pressed": ["zh"],
    }
    assert_chinese(browser)
    browser.get(pages["en"].as_uri())
    assert state(browser)["api"] == "en" and state(browser)["pressed"] == ["en"]
    text = browser.execute_script(VISIBLE_TEXT)
    assert "Classic backprop bugs" in text and not re.search(
        "[\u4e00-\u9fff]", text.replace("中文", "")
    )


@pytest.mark.needs_chromium
@pytest.mark.needs_dot
@pytest.mark.parametrize("address", ["?lang=zh", "#sub-sign&lang=zh"])
def test_lang_in_the_address_wins(browser, pages, address: str) -> None:
    browser.get(pages["en"].as_uri() + address)
    assert state(browser)["api"] == "zh"
    assert_chinese(browser)
    browser.get(pages["zh"].as_uri() + "?lang=en")
    assert state(browser)["html"] == "en"


@pytest.mark.needs_chromium
@pytest.mark.needs_dot
def test_the_switch_changes_every_text_in_place_and_keeps_the_place(browser, pages) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(pages["en"].as_uri() + "#tanh-derivative")
    english = browser.execute_script(VISIBLE_TEXT)
    browser.execute_script("window.__kept = 1")  # gone if the page reloaded
    place = state(browser)["shown"]
    assert place == "tanh-derivative"
    browser.execute_script(  # a button: the keyboard reaches it
        "document.querySelector('[data-language-choice=\"zh\"]').focus({preventScroll: true})"
    )
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert state(browser) == {
        "api": "zh",
        "html": "zh-Hans",
        "title": "反向传播的经典错误，每一个都与正确答案并排",
        "shown": place,
        "pressed": ["zh"],
    }
    assert_chinese(browser)
    browser.execute_script("document.querySelector('[data-language-choice=\"en\"]').click()")
    assert browser.execute_script(VISIBLE_TEXT) == english
    assert state(browser)["shown"] == place and browser.execute_script("return window.__kept") == 1
    browser.execute_script("window.chainrule.setLanguage('zh')")
    assert state(browser)["api"] == "zh"
    assert_chinese(browser)
    group = browser.find_element(By.CSS_SELECTOR, ".language")
    assert group.get_attribute("role") == "group" and group.get_attribute("aria-label") == "语言"


@pytest.mark.needs_chromium
def test_a_page_laid_out_in_the_browser_switches_too(browser, tmp_path) -> None:
    chosen = [bugs.find("sub-sign")]
    page = tmp_path / "bugs.html"
    with using_language("zh"):
        text = gallery_page([(bug, bug.demo()) for bug in chosen], layout="browser")
    page.write_text(text, encoding="utf-8")
    browser.get(page.as_uri())
    browser.execute_script("window.chainrule.setLanguage('en')")
    assert browser.execute_script("return document.documentElement.lang") == "en"
    placed = "return document.querySelectorAll('[data-diagram]').length"
    WebDriverWait(browser, 60).until(lambda b: b.execute_script(placed) == 0)
    assert browser.execute_script("return document.querySelectorAll('figure svg').length") == 2
    assert "∂d/∂b = -1.0" in browser.execute_script("return document.body.innerText")


def test_a_diagram_whose_words_differ_is_drawn_once_per_language(monkeypatch) -> None:
    """The legend (viz's words) follows the switch like a sentence, once it is translated."""
    from chainrule.engine.i18n import language
    from chainrule.viz import draw_legend

    import chainrule.bugs.page as page_module

    def legend_in_language():
        drawn = draw_legend()
        drawn.node("said", label=f"said in {language()}")
        return drawn

    monkeypatch.setattr(page_module, "draw_legend", legend_in_language)
    chosen = [bugs.find("sub-sign")]
    text = gallery_page([(bug, bug.demo()) for bug in chosen], layout="browser", lang="zh")
    assert '<html lang="zh-Hans">' in text
    legend = text.split('<div class="legend"', 1)[1].split("</div>\n</header>", 1)[0]
    assert re.findall(r'data-lang="(\w+)"><div data-diagram', legend) == ["en", "zh"]
    assert 'data-prefix="legend-en-"' in legend and 'data-prefix="legend-zh-"' in legend
    assert (
        text.count("<figure") == 2
        and "data-lang"
        not in text.split("<figure", 1)[1].split("</figcaption>")[1].split("</figure>")[0]
    ), "a figure that reads the same in both is drawn once"


def test_the_command_on_its_own_takes_lang_too(capsys, monkeypatch) -> None:
    assert bugs.main(["sub-sign", "--lang", "zh"]) == 0
    assert "为什么" in capsys.readouterr().out
    monkeypatch.setenv("CHAINRULE_LANG", "zh")
    assert bugs.main(["nope"]) == 2
    assert "没有叫 'nope' 的错误" in capsys.readouterr().err
    monkeypatch.setenv("CHAINRULE_LANG", "fr")
    assert bugs.main([]) == 2
    assert "CHAINRULE_LANG 'fr'" in capsys.readouterr().err
