"""The step-through page in English and Chinese (#23).

A page carries both languages and opens in the one it was written in (``lang=``), unless
its address asks for another (``?lang=zh``, or ``lang=zh`` among the ``#`` parameters).
Its switch, two buttons, changes every text in place: the captions are written again in
the new language with the same numbers, and the step, the leaves' values and the view stay
as they were. In Chinese no English sentence is left on the page (``scripts/find_english.py``
on ``document.body.innerText``; the node labels, and the picture's own texts, which are
Graphviz's and not the page's, are allowed).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from chainrule.engine import Value, grad
from chainrule.engine.i18n import export_messages, message, using_language
from chainrule.nn import MLP
from chainrule.nn.losses import mse_loss
from chainrule.viz import draw_graph, write_step_through
from chainrule.viz.browser_layout import diagram_page
from chainrule.viz.style import ROLE_KEYS, SIGN_KEYS
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from chainrule import bugs
from chainrule.bugs.page import gallery_page
from tests.cli_helpers import chainrule
from tests.headless_chromium import emulate_screen
from tests.page_helpers import open_page, wait_for
from tests.test_i18n import find_english
from tests.test_viz_accessibility import blocking_violations, described, use_theme

pytestmark = pytest.mark.pages  # again without dot: laid out in the browser, in Chinese too

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
CJK = re.compile(r"[\u4e00-\u9fff]")
MESSAGES = re.compile(r'<script type="application/json" id="chainrule-messages">(.*?)</script>')


def neuron() -> Value:
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(6.88, "b")
    return (x * w + b).tanh()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("languages")
    model = MLP(2, [3, 1], seed=1)
    loss = mse_loss(model([Value(0.5, "x[0]"), Value(-1.5, "x[1]")]), Value(0.25, "y"))
    loss.label = "C"
    x = Value(0.5, "x")
    o = (x * x).tanh()
    o.label = "o"
    (derivative,) = grad(o, [x], create_graph=True)
    return {
        "en": write_step_through(neuron(), folder / "en.html", lang="en"),
        "zh": write_step_through(neuron(), folder / "zh.html", lang="zh"),
        "mlp": write_step_through(loss, folder / "mlp.html", model=model, lang="zh"),
        "second": write_step_through(derivative, folder / "second.html", lang="zh"),
    }


def api(browser, call: str, *args: object) -> object:
    return browser.execute_script(f"return window.chainrule.{call};", *args)


def node_names(browser) -> set[str]:
    return set(
        browser.execute_script(
            "return JSON.parse(document.getElementById('chainrule-graph').textContent)"
            ".nodes.map(node => node.name)"
        )
    )


def english_left(browser) -> list[str]:
    """The runs of English words on the page, its node labels allowed, and those of its
    picture too: the diagram's own texts (a cluster's label) are Graphviz's, not the page's."""
    body, picture = browser.execute_script(
        "return [document.body.innerText, document.getElementById('picture').innerText]"
    )
    assert CJK.search(body), body
    allowed = find_english.chainrule_names() | node_names(browser)
    drawn = {run for _, run in find_english.english_runs(picture, allowed)}
    return [run for _, run in find_english.english_runs(body, allowed) if run not in drawn]


def every_frame(browser) -> list[tuple[str, str]]:
    """(counter, caption) of every frame, as the page shows them."""
    shown = []
    for k in range(api(browser, "frameCount()")):
        api(browser, "goto(arguments[0])", k)
        shown.append(
            tuple(
                browser.execute_script(
                    "return [document.getElementById('counter').textContent,"
                    " document.getElementById('caption').innerText]"
                )
            )
        )
    return shown


# --- written in one language ---------------------------------------------------------------


def test_the_page_is_written_in_its_language(pages):
    zh = pages["zh"].read_text(encoding="utf-8")
    en = pages["en"].read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in zh and '<html lang="en">' in en
    for key in ("page.default_title", "page.what_if_hint", "diagram.sign_positive", "page.reset"):
        for lang, text in (("zh", zh), ("en", en)):
            assert f">{html.escape(message(key, lang=lang))}<" in text, (key, lang)
    assert f'aria-label="{message("page.zoom_in", lang="zh")}"' in zh
    # both carry both languages of the page's, the captions' and the engine's messages, and
    # of the diagrams' the legend's, so either switches in place
    legend = {*ROLE_KEYS.values(), *(key for _, key in SIGN_KEYS)}
    for lang, text in (("zh", zh), ("en", en)):
        (carried,) = MESSAGES.findall(text)
        carried = json.loads(carried)
        assert carried["language"] == lang
        for shown, expected in export_messages("page", "captions", "engine").items():
            diagram = export_messages("diagram")[shown]
            assert carried["messages"][shown] == expected | {key: diagram[key] for key in legend}


def test_a_title_of_the_learners_own_stays_as_it_is(tmp_path):
    text = write_step_through(
        neuron(), tmp_path / "own.html", title="一个神经元", lang="en"
    ).read_text(encoding="utf-8")
    assert "<title>一个神经元</title>" in text and "<h1>一个神经元</h1>" in text


def test_an_unknown_language_is_refused(tmp_path):
    with pytest.raises(ValueError, match="chainrule speaks"):
        write_step_through(neuron(), tmp_path / "fr.html", lang="fr")
    assert not (tmp_path / "fr.html").exists()


# --- in the browser ------------------------------------------------------------------------


@pytest.mark.needs_chromium
def test_each_page_opens_in_the_language_it_was_written_in(browser, pages):
    open_page(browser, pages["zh"])
    assert api(browser, "language()") == "zh"
    assert browser.find_element(By.ID, "counter").text == "前向传播 1 / 6"
    assert browser.execute_script("return document.documentElement.lang") == "zh-Hans"
    pressed = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-language-choice]'),"
        " b => b.dataset.languageChoice + ':' + b.getAttribute('aria-pressed'))"
    )
    assert pressed == ["en:false", "zh:true"]
    open_page(browser, pages["en"])
    assert api(browser, "language()") == "en"
    assert browser.find_element(By.ID, "counter").text == "Forward 1 / 6"


@pytest.mark.needs_chromium
def test_the_address_chooses_the_language_and_keeps_its_step(browser, pages):
    open_page(browser, pages["en"], "?lang=zh")
    assert api(browser, "language()") == "zh"
    open_page(browser, pages["zh"], "#step=8&lang=en")
    assert api(browser, "language()") == "en" and api(browser, "frame()")["index"] == 8
    assert browser.find_element(By.ID, "counter").text == "Backward 3 / 5"
    api(browser, "goto(2)")
    assert browser.execute_script("return location.hash") == "#step=2&lang=en"
    # a switch writes the language into the address, so the link shows what is seen
    open_page(browser, pages["en"], "#step=4")
    api(browser, "setLanguage('zh')")
    assert browser.execute_script("return location.hash") == "#step=4&lang=zh"
    browser.execute_script("location.hash = '#step=5&lang=en'")
    wait_for(browser, "return window.chainrule.frame().index === 5")
    assert api(browser, "language()") == "en"


@pytest.mark.needs_chromium
@pytest.mark.parametrize("page", ["zh", "mlp", "second"])
def test_in_chinese_every_frame_leaves_no_english_sentence(browser, pages, page):
    open_page(browser, pages[page], "?lang=en")
    api(browser, "setLanguage('zh')")  # switched in place, not written so
    for k in range(api(browser, "frameCount()")):
        api(browser, "goto(arguments[0])", k)
        assert english_left(browser) == [], f"frame {k}"
    assert english_left(browser) == []  # the summary, its table's groups included
    # and what a screen reader says: every label and tip outside the picture
    said = browser.execute_script(
        "return Array.from(document.querySelectorAll('[aria-label], [title]'))"
        "  .filter(e => !e.closest('#picture'))"
        "  .map(e => (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('title') || ''))"
    )
    allowed = find_english.chainrule_names() | node_names(browser)
    assert find_english.english_runs("\n".join(said), allowed) == [], said


@pytest.mark.needs_chromium
def test_the_captions_say_the_same_numbers_in_both_languages(browser, pages):
    open_page(browser, pages["en"])
    english = every_frame(browser)
    api(browser, "setLanguage('zh')")
    chinese = every_frame(browser)
    assert len(chinese) == len(english) == api(browser, "frameCount()")
    for (en_counter, en_caption), (zh_counter, zh_caption) in zip(english, chinese, strict=True):
        assert NUMBER.findall(zh_counter) == NUMBER.findall(en_counter)
        assert NUMBER.findall(zh_caption) == NUMBER.findall(en_caption), (en_caption, zh_caption)
    assert chinese[0] == ("前向传播 1 / 6", "x = 2.0，输入：一个叶节点")
    assert chinese[-1][0] == "小结" and english[-1][0] == "Summary"
    assert chinese[-1][1].startswith("∂t3/∂叶节点，按 |梯度| 从大到小排列")


@pytest.mark.needs_chromium
def test_the_summary_groups_and_the_backward_made_nodes_speak_chinese(browser, pages):
    open_page(browser, pages["mlp"])
    api(browser, "goto(window.chainrule.frameCount() - 1)")
    groups = (
        "return Array.from(document.querySelectorAll('#caption .summary-group'),"
        " g => g.textContent)"
    )
    assert browser.execute_script(groups) == ["输入", "第 1 层", "输出层（第 2 层）", "损失"]
    api(browser, "setLanguage('en')")
    assert browser.execute_script(groups) == ["inputs", "layer 1", "output layer 2", "loss"]
    open_page(browser, pages["second"])
    forward = [caption for _, caption in every_frame(browser)][:-1]
    assert any(c.endswith("（∂o/∂t1，由 create_graph 记录为节点）") for c in forward), forward
    assert any("（链式法则：上游梯度 × " in c for c in forward), forward


def kept(browser) -> dict[str, object]:
    """What a switch of language must keep: the frame, the numbers, the view, the fields."""
    return {
        "frame": api(browser, "frame()")["index"],
        "values": api(browser, "values()"),
        "grads": api(browser, "grads()"),
        "view": api(browser, "view()"),
        "fields": browser.execute_script(
            "return Array.from(document.querySelectorAll('#leaves input'), f => f.value)"
        ),
    }


@pytest.mark.needs_chromium
def test_switching_keeps_the_step_the_leaves_and_the_view(browser, pages):
    open_page(browser, pages["en"])
    api(browser, "setLeaf('x', '1.5')")
    assert api(browser, "setLeaf('w', 'abc')")["message"] == "w: 'abc' is not a number"
    api(browser, "goto(1)")  # w's forward frame: w = -3.0, an input, a leaf
    api(browser, "fit()")
    browser.find_element(By.ID, "zoom-in").click()
    before = kept(browser)
    assert before["fields"] == ["1.5", "abc", "6.88"]
    english = api(browser, "frame()")["caption"]
    browser.find_element(By.CSS_SELECTOR, "[data-language-choice='zh']").click()
    assert api(browser, "language()") == "zh"
    after = kept(browser)
    assert after == before
    chinese = api(browser, "frame()")["caption"]
    assert chinese != english and NUMBER.findall(chinese) == NUMBER.findall(english)
    assert api(browser, "error()") == "w：'abc' 不是一个数"  # the refused field's note, again
    label = browser.find_element(By.CSS_SELECTOR, "#leaves input[data-node]")
    assert label.get_attribute("aria-label") == "x 的值"
    # an error of the engine shown now is shown again in the new language
    assert api(browser, "setLeaf('w', '-3.0')") is None
    error = api(browser, "setLeaf('x', 'inf')")
    assert error["message"] == "x：值必须是有限的数"
    api(browser, "setLanguage('en')")
    assert api(browser, "error()") == "x: the value must be a finite number"
    assert api(browser, "frame()")["index"] == 1 and api(browser, "view()") == before["view"]


@pytest.mark.needs_chromium
def test_playing_says_pause_in_the_new_language(browser, pages):
    open_page(browser, pages["en"])
    play = browser.find_element(By.ID, "play")
    play.click()
    assert play.text == "❚❚ Pause"
    api(browser, "setLanguage('zh')")
    assert play.text == "❚❚ 暂停" and play.get_attribute("aria-pressed") == "true"
    play.click()
    assert play.text == "▶ 播放"


@pytest.mark.needs_chromium
def test_the_switch_works_from_the_keyboard(browser, pages):
    open_page(browser, pages["en"], "#step=3")
    chinese = browser.find_element(By.CSS_SELECTOR, "[data-language-choice='zh']")
    english = browser.find_element(By.CSS_SELECTOR, "[data-language-choice='en']")
    group = chinese.find_element(By.XPATH, "..")
    assert (
        group.get_attribute("role") == "group" and group.get_attribute("aria-label") == "Language"
    )
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the first control of the page is the switch
    assert browser.switch_to.active_element == english
    body = browser.switch_to.active_element
    body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element == chinese
    chinese.send_keys(Keys.ENTER)
    assert api(browser, "language()") == "zh" and chinese.get_attribute("aria-pressed") == "true"
    assert group.get_attribute("aria-label") == "语言"
    english.send_keys(Keys.SPACE)
    assert api(browser, "language()") == "en" and english.get_attribute("aria-pressed") == "true"
    assert api(browser, "frame()")["index"] == 3


@pytest.mark.needs_chromium
@pytest.mark.parametrize("screen", [(1400, 900), (390, 800)])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_chinese_page_fits_and_axe_finds_nothing_serious(browser, pages, theme, screen):
    width, height = screen
    emulate_screen(browser, width, height, mobile=width < 500)
    use_theme(browser, theme)
    open_page(browser, pages["mlp"])
    for k in (3, api(browser, "frameCount()") - 3, api(browser, "frameCount()") - 1):
        api(browser, "goto(arguments[0])", k)
        overflowing = browser.execute_script(
            "const wide = document.documentElement.clientWidth;"
            "return Array.from(document.querySelectorAll("
            "  'header *, .bar *, #caption, #caption *, aside *, .legend *'))"
            "  .filter(e => e.getClientRects().length &&"
            "    (e.getBoundingClientRect().right > wide + 0.5 ||"
            "     (e.tagName === 'BUTTON' && e.scrollWidth > e.clientWidth + 1)))"
            "  .map(e => e.outerHTML.slice(0, 80))"
        )
        assert overflowing == [], (k, overflowing)
    found = blocking_violations(browser)
    assert found == [], f"{theme}, {screen}:\n{described(found)}"


# --- the command, and a page laid out in the browser ---------------------------------------


@pytest.mark.parametrize(("lang", "html_lang"), [("zh", "zh-Hans"), ("en", "en")])
def test_chainrule_step_html_writes_the_page_in_the_runs_language(tmp_path, lang, html_lang):
    page = tmp_path / "step.html"
    args = ["tanh(x*w + b)", "--set", "x=2", "--set", "w=-3", "--set", "b=6.88", "--no-pause"]
    result = chainrule("step", *args, "--html", str(page), "--lang", lang)
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert f'<html lang="{html_lang}">' in text
    assert f">{message('page.what_if', lang=lang)}<" in text
    assert f'"language": "{lang}"' in text


BROKEN_DOT = re.compile(r'(type="application/json" id="chainrule-dot">).*?(</script>)', re.S)


@pytest.mark.needs_chromium
def test_a_page_that_cannot_lay_itself_out_says_so_in_its_language(browser, tmp_path):
    written = {
        "step": write_step_through(neuron(), tmp_path / "step.html", layout="browser", lang="zh"),
        "diagram": tmp_path / "diagram.html",
    }
    with using_language("zh"):
        written["diagram"].write_text(diagram_page(draw_graph(neuron()).source, "图"), "utf-8")
    bug = bugs.find("sub-sign")
    written["bugs"] = tmp_path / "bugs.html"
    written["bugs"].write_text(
        gallery_page([(bug, bug.demo())], layout="browser", lang="zh"), encoding="utf-8"
    )
    for name, page in written.items():
        broken = tmp_path / f"broken-{name}.html"
        text = page.read_text(encoding="utf-8")
        broken.write_text(BROKEN_DOT.sub(r'\1["digraph {"]\2', text), encoding="utf-8")
        browser.get(broken.as_uri())
        shown = wait_for(
            browser,
            "const e = document.getElementById('error'); return !e.hidden && e.textContent",
        )
        assert shown.startswith("本页无法画出它的计算图：在浏览器里排版"), (name, shown)
        assert shown.endswith("请在装有 Graphviz 的 dot 程序的机器上重新生成本页。")
        assert browser.execute_script("return document.documentElement.lang") == "zh-Hans"


def picture_texts(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#picture svg text'), t => t.textContent);"
    )


@pytest.mark.needs_chromium
def test_the_pictures_own_words_switch_too(browser, pages):
    """The MLP's cluster titles, drawn by Graphviz in Chinese, read English after a switch and
    Chinese again after the next, and a Chinese page opened with lang=en opens with them
    English: no word of the picture stays in the other language."""
    open_page(browser, pages["mlp"])
    chinese = picture_texts(browser)
    worded = [i for i, text in enumerate(chinese) if CJK.search(text)]
    assert len(worded) >= 3, chinese
    api(browser, "setLanguage(arguments[0])", "en")
    english = picture_texts(browser)
    assert not [text for text in english if CJK.search(text)]
    assert any("layer" in english[i].lower() for i in worded), english
    api(browser, "setLanguage(arguments[0])", "zh")
    assert [picture_texts(browser)[i] for i in worded] == [chinese[i] for i in worded]
    open_page(browser, pages["mlp"], "#lang=en")
    assert [picture_texts(browser)[i] for i in worded] == [english[i] for i in worded]
