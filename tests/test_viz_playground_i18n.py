"""The playground in Chinese as well as English (#23), in Chromium.

The page opens in the language it was written in, ``lang=`` in the address wins, and its
switch (two buttons, or ``window.chainrule.setLanguage``) says every text again in place:
no English sentence is left in Chinese (``scripts/find_english.py`` on the page's text, the
names of nn's tables allowed), and training, the data and the network stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from chainrule.engine.i18n import catalogue, using_language
from chainrule.nn.points_csv import PointsFileError, read_points
from chainrule.viz import write_playground
from chainrule.viz.playground import choices
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.points_table import BAD
from tests.test_i18n import find_english
from tests.test_viz_playground_ui import api, console_errors, open_page

pytestmark = pytest.mark.pages

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default playground written in each language."""
    folder = tmp_path_factory.mktemp("playground-i18n")
    return {lang: write_playground(folder / f"{lang}.html", lang=lang) for lang in ("en", "zh")}


def allowed() -> set[str]:
    """chainrule's names, and the menus' labels that are names (ReLU, Adam, Xavier/Glorot).

    A label that is words ("squared error") has its message (``playground.label_<menu>_<name>``)
    and must be Chinese in a Chinese page.
    """
    names = set(find_english.chainrule_names())
    for menu, entries in choices().items():
        for entry in entries:
            if not isinstance(entry, dict):
                names.add(str(entry))
            elif f"playground.label_{menu}_{entry['name']}" not in catalogue():
                names.update(re.findall(r"[A-Za-z][A-Za-z0-9_.'-]*", entry["label"]))
    return names


def english_left(browser: WebDriver, names: Iterable[str] = ()) -> list[tuple[int, str]]:
    """Runs of English words in the page's text, chainrule's names and ``names`` allowed."""
    text = browser.execute_script("return document.body.innerText")
    return find_english.english_runs(text, allowed() | set(names))


def numbers(browser: WebDriver) -> dict[str, object]:
    return {
        "epoch": api(browser, "epoch()"),
        "loss": api(browser, "loss()"),
        "weights": api(browser, "weights()"),
        "config": api(browser, "config()"),
        "data": api(browser, "data()"),
    }


def test_the_page_opens_in_the_language_it_was_written_in(browser, pages):
    open_page(browser, pages["zh"])
    assert api(browser, "language()") == "zh"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    assert browser.find_element(By.ID, "play").text == "▶ 运行"
    assert "学习率" in browser.find_element(By.TAG_NAME, "body").text
    open_page(browser, pages["en"])
    assert api(browser, "language()") == "en"
    assert browser.find_element(By.ID, "play").text == "▶ Play"
    assert not CJK.search(
        browser.execute_script("return document.body.innerText.replace('中文', '')")
    )


def test_lang_in_the_address_wins_and_stays_with_the_configuration(browser, pages):
    open_page(browser, pages["en"], "#lang=zh&hidden=3")
    assert api(browser, "language()") == "zh"
    assert api(browser, "config()")["hidden"] == [3]
    fragment = browser.execute_script("return location.hash")
    assert "lang=zh" in fragment and "hidden=3" in fragment
    open_page(browser, pages["zh"], "#lang=en")
    assert api(browser, "language()") == "en"
    assert "lang=en" in browser.execute_script("return location.hash")
    api(browser, "setLanguage('zh')")  # the page's own language: the address need not say it
    assert "lang=" not in browser.execute_script("return location.hash")
    open_page(browser, pages["en"], "#lang=fr")
    assert api(browser, "language()") == "en"
    assert "lang=fr" in browser.find_element(By.ID, "notice").text
    assert console_errors(browser) == []


def test_no_english_sentence_is_left_in_chinese(browser, pages):
    open_page(browser, pages["zh"])
    assert english_left(browser) == []
    # the walk, a neuron and a link in the inspector, after some training
    api(browser, "train(25)")
    api(browser, "walk(0)")
    assert english_left(browser) == []
    assert "BP1" in browser.find_element(By.ID, "caption").text
    api(browser, "select({kind: 'neuron', l: 1, j: 0})")
    assert "神经元" in browser.find_element(By.ID, "inspector").text
    assert english_left(browser) == []
    api(browser, "select({kind: 'link', l: 2, j: 0, k: 1})")
    assert "权重" in browser.find_element(By.ID, "inspector").text
    api(browser, "compare(2)")
    assert english_left(browser) == []
    for target in ("{kind: 'neuron', l: 3, j: 0}", "{kind: 'link', l: 1, j: 2, k: 0}"):
        card = browser.execute_script(  # the hover card's lines for a neuron and a link
            "var s = chainrule_playground_state;"
            f"return chainrule_playground_hovercard.lines(s.state, s.view, {target}).join('\\n')"
        )
        assert "训练样本" in card and find_english.english_runs(card, allowed()) == [], card
    for label in browser.execute_script(
        "return Array.from(document.querySelectorAll('[aria-label],[title]'))"
        ".map(function (e) { return (e.getAttribute('aria-label') || '') + ' ' +"
        " (e.getAttribute('title') || ''); })"
    ):
        assert find_english.english_runs(label, allowed()) == [], label
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    "fragment",
    [
        "#lr=abc&hidden=99&dataset=nope",
        "#lr=%E0%A4%A&noise_hide=maybe&colour=red&speed=0",
        "#dataset=blobs&classes=2",
        "#classes=4&loss=mse",
    ],
)
def test_a_bad_address_is_explained_in_chinese(browser, pages, fragment):
    open_page(browser, pages["zh"], fragment)
    shown = browser.find_element(By.ID, "notice").text
    assert "地址中的" in shown and "未被采用" in shown, shown
    keys = browser.execute_script(  # the address's keys are names, as the notice lists them
        "return chainrule_playground_config.KEYS.concat(chainrule_playground_hash.CONTROLS,"
        " Object.keys(chainrule_playground_hash.UI_FLAGS), ['speed', 'points', 'lang'])"
    )
    assert find_english.english_runs(shown, allowed() | set(keys)) == [], shown
    assert english_left(browser, keys) == []
    api(browser, "setLanguage('en')")  # the notice says the same again in English
    english = browser.find_element(By.ID, "notice").text
    assert "The address's" in english and not CJK.search(english), english
    assert english.count("\n") == shown.count("\n")


def test_switching_mid_training_keeps_the_step_weights_and_loss(browser, pages):
    open_page(browser, pages["en"])
    api(browser, "setData([[0.5, -1, 1], [-0.5, 1, 0], [1, 1, 1], [-1, -1, 0]])")
    api(browser, "train(7)")
    api(browser, "sample(2)")
    api(browser, "walk(3)")
    before = numbers(browser)
    caption = browser.find_element(By.ID, "caption").text
    browser.find_element(By.CSS_SELECTOR, '[data-language-choice="zh"]').click()
    assert api(browser, "language()") == "zh"
    assert numbers(browser) == before
    assert browser.find_element(By.ID, "sample").get_attribute("value") == "2"
    chinese = browser.find_element(By.ID, "caption").text
    assert chinese != caption and re.findall(r"-?\d+\.\d+", chinese) == re.findall(
        r"-?\d+\.\d+", caption
    )
    assert english_left(browser) == []
    api(browser, "train(3)")  # training goes on from where it was
    assert api(browser, "epoch()") >= before["epoch"]
    assert api(browser, "setLanguage('en')") == "en"
    assert browser.find_element(By.ID, "caption").text.startswith("BP")
    assert "Training loss" in browser.find_element(By.TAG_NAME, "body").text
    assert console_errors(browser) == []


def test_a_stopped_run_says_why_in_the_language_now(browser, pages):
    open_page(browser, pages["en"])
    api(browser, "configure({lr: 10, loss: 'mse'})")
    browser.execute_script("try { window.chainrule.train(3000); } catch (error) {}")
    english = api(browser, "stopped()")
    api(browser, "setLanguage('zh')")
    assert english.startswith("Training stopped at epoch ")  # seeded: it diverges
    assert api(browser, "stopped()").startswith("训练在第")
    assert browser.find_element(By.ID, "error").text == api(browser, "stopped()")
    api(browser, "setLanguage('en')")
    assert api(browser, "stopped()") == english


def test_the_menus_labels_that_are_words_are_chinese(browser, pages):
    open_page(browser, pages["zh"])
    loss = browser.find_element(By.CSS_SELECTOR, '#loss option[value="mse"]')
    assert loss.get_attribute("textContent") == "平方误差"
    api(browser, "setLanguage('en')")
    assert loss.get_attribute("textContent") == "squared error"
    assert api(browser, "compare(1)")["epochs"] == 1
    assert "Uniform:" in browser.find_element(By.ID, "compare-key").text
    api(browser, "setLanguage('zh')")
    assert "均匀分布：训练 1 轮后损失为" in browser.find_element(By.ID, "compare-key").text


def test_the_switch_works_from_the_keyboard(browser, pages):
    open_page(browser, pages["en"])
    chinese = browser.find_element(By.CSS_SELECTOR, '[data-language-choice="zh"]')
    assert chinese.get_attribute("aria-pressed") == "false"
    browser.execute_script("arguments[0].focus()", chinese)
    chinese.send_keys(Keys.ENTER)
    assert api(browser, "language()") == "zh"
    assert chinese.get_attribute("aria-pressed") == "true"
    english = browser.find_element(By.CSS_SELECTOR, '[data-language-choice="en"]')
    browser.execute_script("arguments[0].focus()", english)
    english.send_keys(Keys.SPACE)
    WebDriverWait(browser, 5).until(lambda b: api(b, "language()") == "en")
    group = browser.find_element(By.CSS_SELECTOR, ".language[role=group]")
    assert group.get_attribute("aria-labelledby") == "language-label"


def test_the_pages_csv_reader_says_pythons_messages_in_chinese(browser, pages):
    """points.js and nn.read_points give the same message for every bad file, in zh too."""
    open_page(browser, pages["zh"])
    for name, text, classes, _ in BAD:
        with using_language("zh"), pytest.raises(PointsFileError) as raised:
            read_points(text, classes=classes)
        page = browser.execute_script(
            "try { return chainrule_points.read(arguments[0], arguments[1]); } catch (e) "
            "{ return {message: e.message}; }",
            text,
            classes,
        )
        assert page == {"message": str(raised.value)}, name
        assert CJK.search(str(raised.value)), name


def test_a_bad_model_file_and_bad_points_are_refused_in_chinese(browser, pages):
    open_page(browser, pages["zh"])
    for call in (
        'openModel(\'{"format": "chainrule.nn.MLP", "version": 2}\')',
        "openModel('[]')",
        "setData([])",
        "setData([[0, 0, 7]])",
    ):
        message = browser.execute_script(
            f"try {{ window.chainrule.{call}; return null; }} catch (e) {{ return e.message; }}"
        )
        assert message and CJK.search(message), (call, message)
        assert find_english.english_runs(message, allowed()) == [], message
    open_page(browser, pages["zh"], "#points=1,2,1;3,4|5,6,0")
    shown = browser.find_element(By.ID, "notice").text
    assert "训练点 2" in shown and "x1,x2,label" in shown, shown


def test_the_command_writes_the_playground_in_its_language(tmp_path):
    from tests.cli_helpers import chainrule

    out = tmp_path / "play.html"
    result = chainrule("playground", "--out", str(out), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page and '"language": "zh"' in page
    assert "chainrule 训练场" in page


def test_a_training_run_writes_its_playground_in_its_language(tmp_path):
    from tests.cli_helpers import chainrule

    args = ("train", "--dataset", "gauss", "--hidden", "2", "--epochs", "1", "--no-progress")
    result = chainrule(*args, "--out", str(tmp_path), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "playground.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page and '"language": "zh"' in page
    assert "chainrule 训练场：在 gauss 上训练过的 MLP" in page
