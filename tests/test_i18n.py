"""The message catalogue (engine/i18n.py, engine/messages/*.json): both languages, every key.

Every key has an English and a Chinese text with the same placeholders; braces are only
placeholders or escapes; the Chinese says the glossary's terms (docs/backprop.zh.md, section
7) wherever the English says theirs. The language comes from ``--lang``, else
``CHAINRULE_LANG``, else the locale, else English. ``scripts/find_english.py`` finds runs of
English words left in Chinese output.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from chainrule.engine import i18n
from chainrule.engine.i18n import (
    LANGUAGES,
    LanguageError,
    catalogue,
    check_language,
    export_messages,
    fill,
    language,
    language_from_environment,
    message,
    placeholders,
    set_language,
    using_language,
)

from tests.cli_helpers import chainrule

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "backprop.zh.md"
ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|$")
STRAY_BRACE = re.compile(r"\{\{|\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _find_english():
    spec = importlib.util.spec_from_file_location(
        "find_english", ROOT / "scripts" / "find_english.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


find_english = _find_english()


def glossary() -> list[tuple[str, str]]:
    """(English, 中文) rows of the glossary section of docs/backprop.zh.md."""
    section = GLOSSARY.read_text(encoding="utf-8").split('<a id="7-glossary"></a>', 1)[1]
    rows = [ROW.match(line.strip()) for line in section.splitlines()]
    pairs = [(row.group(1), row.group(2)) for row in rows if row]
    return [(en, zh) for en, zh in pairs if en != "English" and not set(en) <= set("- ")]


# The catalogue


def test_the_catalogue_has_both_languages_for_every_key() -> None:
    entries = catalogue()
    assert len(entries) >= 3
    for key, texts in entries.items():
        assert set(texts) == set(LANGUAGES), f"{key}: has {sorted(texts)}"
        for lang in LANGUAGES:
            assert isinstance(texts[lang], str) and texts[lang].strip(), f"{key} [{lang}] is empty"


def test_every_key_has_the_same_placeholders_in_both_languages() -> None:
    for key, texts in catalogue().items():
        assert placeholders(texts["en"]) == placeholders(texts["zh"]), key


def test_braces_are_only_placeholders_or_escapes() -> None:
    for key, texts in catalogue().items():
        for lang, text in texts.items():
            left = STRAY_BRACE.sub("", text)
            assert "{" not in left and "}" not in left, f"{key} [{lang}]: a stray brace"


def test_each_file_holds_its_own_keys_once() -> None:
    for path in sorted(i18n.MESSAGES.glob("*.json")):
        pairs = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=list)
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"{path.name} repeats a key"
        assert all(key.startswith(path.stem + ".") for key in keys), path.name


def test_the_chinese_is_chinese() -> None:
    """A Chinese text with letters in it has Chinese in it too (or is the same as English:
    a name, a formula or a command line, which stay as they are)."""
    for key, texts in catalogue().items():
        zh = texts["zh"]
        if re.search(r"[A-Za-z]{2}", fill_blanks(zh)) and zh != texts["en"]:
            assert CJK.search(zh), f"{key}: {zh!r} is not translated"


def fill_blanks(text: str) -> str:
    return re.sub(r"\{[A-Za-z_][A-Za-z0-9_]*\}", "", text)


def test_the_chinese_leaves_no_english_sentence() -> None:
    allowed = find_english.chainrule_names()
    for key, texts in catalogue().items():
        runs = find_english.english_runs(fill_blanks(texts["zh"]), allowed)
        assert not runs or texts["zh"] == texts["en"], f"{key}: {runs}"


# The glossary


def test_the_glossary_lists_the_issues_terms() -> None:
    terms = {zh for _, zh in glossary()}
    for term in ("链式法则", "反向传播", "梯度", "局部导数", "误差 δ", "代价函数 C", "权重"):
        assert term in terms
    for term in ("偏置", "激活函数", "学习率"):
        assert term in terms


@pytest.mark.parametrize(("english", "chinese"), glossary())
def test_the_chinese_uses_the_glossarys_term(english: str, chinese: str) -> None:
    """Wherever the English says a glossary term, the Chinese says its Chinese name."""
    pattern = re.compile(rf"\b{re.escape(english)}(?:e?s)?\b", re.IGNORECASE)
    saying = {key: t for key, t in catalogue().items() if pattern.search(t["en"])}
    wrong = {key: t["zh"] for key, t in saying.items() if chinese not in t["zh"]}
    assert not wrong, f"say {chinese!r} for {english!r} in: {wrong}"


def test_every_glossary_term_is_used() -> None:
    unused = [zh for _, zh in glossary() if not any(zh in t["zh"] for t in catalogue().values())]
    assert not unused, f"no Chinese message says {unused}"


# Filling and choosing


def test_fill_replaces_names_and_escapes_braces_without_evaluating() -> None:
    assert fill("{a} + {b}", {"a": 1, "b": "x.grad"}) == "1 + x.grad"
    assert fill("{{a}} is {a}", {"a": "{b}"}) == "{a} is {b}"
    with pytest.raises(LanguageError, match="needs b="):
        fill("{a} + {b}", {"a": 1})


def test_message_in_each_language() -> None:
    assert message("cli.math_error", lang="en", detail="d") == "math error: d"
    assert message("cli.math_error", lang="zh", detail="d") == "数学错误：d"
    with pytest.raises(LanguageError, match=r"engine/messages/cli\.json"):
        message("cli.no_such_key")
    with pytest.raises(LanguageError, match="'fr'"):
        message("cli.math_error", lang="fr", detail="d")


def test_set_language_and_using_language() -> None:
    assert language() == "en"
    with using_language("zh"):
        assert language() == "zh"
        assert message("cli.math_error", detail="d") == "数学错误：d"
    assert language() == "en"
    try:
        set_language("zh")
        assert language() == "zh"
        with pytest.raises(LanguageError, match="chainrule speaks 'en' and 'zh'"):
            set_language("de")
        assert language() == "zh", "a bad language leaves the language as it was"
    finally:
        set_language("en")


def test_set_language_is_exported_from_chainrule() -> None:
    import chainrule

    assert chainrule.set_language is set_language
    assert chainrule.language is language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN", "LANG": "en_US"}, "zh"),
        ({"CHAINRULE_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"CHAINRULE_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ],
)
def test_language_from_environment(environ: dict[str, str], expected: str) -> None:
    assert language_from_environment(environ) == expected


def test_the_environment_is_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINRULE_LANG", "zh")
    assert language_from_environment() == "zh"
    monkeypatch.setenv("CHAINRULE_LANG", "")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert language_from_environment() == "zh"


def test_a_language_chainrule_does_not_speak_is_named_in_full() -> None:
    with pytest.raises(LanguageError) as refused:
        check_language("de")
    assert (
        str(refused.value) == "language 'de': chainrule speaks 'en' and 'zh' (English and Chinese)"
    )


def test_a_missing_key_names_its_areas_file() -> None:
    with pytest.raises(LanguageError) as missing:
        message("page.layout.nothing")
    assert str(missing.value) == (
        "no message 'page.layout.nothing' in the catalogue (engine/messages/page.json): "
        "add it there, in both languages"
    )


def test_a_bad_chainrule_lang_is_named() -> None:
    with pytest.raises(LanguageError, match="CHAINRULE_LANG 'klingon'"):
        language_from_environment({"CHAINRULE_LANG": "klingon"})


def test_export_messages_carries_both_languages_of_the_areas_asked() -> None:
    exported = export_messages("cli")
    assert set(exported) == set(LANGUAGES)
    assert exported["zh"]["cli.math_error"] == "数学错误：{detail}"
    assert all(key.startswith("cli.") for key in exported["en"])


# The command line


def test_lang_is_an_option_of_every_command() -> None:
    import argparse

    from chainrule.cli import build_parser

    parsers, seen = [build_parser()], 0
    while parsers:
        parser = parsers.pop()
        assert "--lang" in parser._option_string_actions, parser.prog
        seen += 1
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(dict.fromkeys(action.choices.values()))
    assert seen >= 12


@pytest.mark.slow  # three runs of the command
def test_lang_chooses_over_the_environment_and_the_locale() -> None:
    args = ("step", "log(x)", "--set", "x=-1", "--no-pause")
    english = chainrule(*args, "--lang", "en", CHAINRULE_LANG="zh", LANG="zh_CN.UTF-8")
    chinese = chainrule(*args, "--lang", "zh")
    from_env = chainrule(*args, CHAINRULE_LANG="zh")
    assert "math error:" in english.stderr
    assert "数学错误" in chinese.stderr and "数学错误" in from_env.stderr
    assert english.returncode == chinese.returncode == from_env.returncode != 0


def test_locale_chooses_when_nothing_else_does() -> None:
    result = chainrule(
        "step",
        "log(x)",
        "--set",
        "x=-1",
        "--no-pause",
        CHAINRULE_LANG="",
        LC_ALL="",
        LANG="zh_CN.UTF-8",
    )
    assert "数学错误" in result.stderr


def test_a_bad_chainrule_lang_is_a_usage_error() -> None:
    result = chainrule("step", "x", "--set", "x=1", "--no-pause", CHAINRULE_LANG="fr")
    assert result.returncode == 2
    assert "CHAINRULE_LANG 'fr'" in result.stderr and "Traceback" not in result.stderr


# The script that finds English left in Chinese


def test_find_english_reports_runs_of_words() -> None:
    text = "前向传播\nBackward pass: x.grad += 1\n梯度 of the 是\n梯度 of f 是"
    runs = find_english.english_runs(text, set())
    assert runs == [(2, "Backward pass:"), (3, "of the")]


def test_find_english_allows_identifiers_numbers_and_formulas() -> None:
    text = (
        "第 1/5 步  (x*w + b).grad += 0.501 × 1.0 = 0.501   (∂o/∂n = 1 − o² = 1 − 0.7064²)\n"
        "运行 chainrule step 或 pytest ops.py；tanh(n) 的 MSE 为 0.25，--lang zh\n"
        "x.grad w1 W[1][0][1] BP1 CSV"
    )
    assert find_english.english_runs(text, find_english.chainrule_names()) == []


def test_find_english_as_a_command(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("前向传播：x = 2.0\n", encoding="utf-8")
    bad.write_text("梯度\nthe output is\n", encoding="utf-8")
    assert find_english.main([str(good)]) == 0
    assert find_english.main([str(bad)]) == 1
