"""``viz/web/i18n.js``, the pages' reader of the message catalogue, against ``engine/i18n.py``.

A bare page carrying i18n.js and two messages: its ``fill`` gives Python's ``fill`` on a
shared table, ``load`` takes the written language unless the address names one,
``translate`` fills ``data-i18n`` texts and attributes, and the buttons switch in place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chainrule.engine.i18n import fill
from chainrule.viz.page_assets import WEB, script_json

FILL_CASES = [
    ("{a} + {b}", {"a": "1.5", "b": "x.grad"}),
    ("{{a}} is {a}", {"a": "{b}"}),
    ("∂{node}/∂{parent} = {formula}", {"node": "o", "parent": "n", "formula": "1 − o²"}),
    ("第 {step}/{steps} 步", {"step": "3", "steps": "7"}),
    ("no placeholder", {}),
    ("{x}{x}", {"x": "$&"}),
]

MESSAGES = {
    "en": {"page.title": "Step through backprop", "page.next": "Next step"},
    "zh": {"page.title": "逐步走过反向传播", "page.next": "下一步"},
}


def page(folder: Path, written: str) -> Path:
    data = script_json({"language": written, "messages": MESSAGES})
    html = f"""<!doctype html><html lang="en"><meta charset="utf-8">
<h1 data-i18n="page.title"></h1>
<button type="button" id="next" data-i18n="page.next" data-i18n-attr="title:page.title"></button>
<div role="group"><button type="button" data-language-choice="en">English</button>
<button type="button" data-language-choice="zh">中文</button></div>
<script type="application/json" id="chainrule-messages">{data}</script>
<script>{(WEB / "i18n.js").read_text(encoding="utf-8")}
window.changes = [];
chainrule_i18n.load();
chainrule_i18n.wireSwitch();
chainrule_i18n.onChange(function (lang) {{ window.changes.push(lang); }});
</script></html>"""
    path = folder / f"i18n-{written}.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture
def opened(browser, tmp_path: Path):
    def open_(written: str, address: str = "") -> object:
        browser.get(page(tmp_path, written).as_uri() + address)
        return browser

    return open_


def texts(browser) -> tuple[str, str, str, str]:
    """The heading, the button's text and title, and the document's language."""
    return tuple(
        browser.execute_script(
            "var next = document.getElementById('next');"
            "return [document.querySelector('h1').textContent, next.textContent,"
            " next.getAttribute('title'), document.documentElement.lang];"
        )
    )


def test_fill_is_pythons_fill(opened) -> None:
    browser = opened("en")
    for text, params in FILL_CASES:
        got = browser.execute_script(
            "return chainrule_i18n.fill(arguments[0], arguments[1]);", text, params
        )
        assert got == fill(text, params), text
    error = browser.execute_script(
        "try { chainrule_i18n.fill('{a} {b}', {a: 1}); return ''; } catch (e) { return e.message; }"
    )
    assert "needs b=" in error


def test_the_page_opens_in_its_written_language(opened) -> None:
    assert texts(opened("zh")) == ("逐步走过反向传播", "下一步", "逐步走过反向传播", "zh-Hans")
    assert texts(opened("en"))[:2] == ("Step through backprop", "Next step")


@pytest.mark.parametrize("address", ["?lang=zh", "#step=3&lang=zh"])
def test_the_address_chooses_over_the_written_language(opened, address: str) -> None:
    browser = opened("en", address)
    assert browser.execute_script("return chainrule_i18n.language()") == "zh"
    assert texts(browser)[0] == "逐步走过反向传播"


def test_an_unknown_language_in_the_address_is_ignored(opened) -> None:
    browser = opened("zh", "?lang=fr")
    assert browser.execute_script("return chainrule_i18n.language()") == "zh"


def test_the_buttons_switch_every_text_in_place(opened) -> None:
    browser = opened("en")
    browser.execute_script("window.kept = 42;")
    browser.find_element("css selector", "[data-language-choice=zh]").click()
    assert texts(browser) == ("逐步走过反向传播", "下一步", "逐步走过反向传播", "zh-Hans")
    pressed = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-language-choice]'),"
        " b => b.getAttribute('aria-pressed'));"
    )
    assert pressed == ["false", "true"]
    assert browser.execute_script("return [window.kept, window.changes];") == [42, ["zh"]]
    error = browser.execute_script(
        "try { chainrule_i18n.setLanguage('fr'); return ''; } catch (e) { return e.message; }"
    )
    assert "chainrule speaks" in error
    assert browser.execute_script("return chainrule_i18n.language()") == "zh"


def test_a_missing_key_is_an_error_not_a_blank(opened) -> None:
    browser = opened("en")
    error = browser.execute_script(
        "try { chainrule_i18n.t('page.nothing'); return ''; } catch (e) { return e.message; }"
    )
    assert error == "no message " + json.dumps("page.nothing")
