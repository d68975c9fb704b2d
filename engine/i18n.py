"""Every sentence a learner reads, in English and in Chinese: one catalogue, keyed messages.

    >>> from chainrule.engine.i18n import message, using_language
    >>> message("cli.math_error", detail="log needs a > 0, got a = -1.0")
    'math error: log needs a > 0, got a = -1.0'
    >>> with using_language("zh"):
    ...     message("cli.math_error", detail="…")
    '数学错误：…'

The catalogue is plain data: ``engine/messages/<area>.json``, one file per area of the
project (``engine``, ``narration``, ``cli``, ``page``, ``playground``, ``bugs``,
``exercises`` …), each key holding both languages side by side::

    "cli.math_error": {"en": "math error: {detail}", "zh": "数学错误：{detail}"}

A key starts with its file's name. ``{name}`` is a placeholder, filled by keyword; ``{{``
and ``}}`` are braces. Numbers are formatted by the code before they are filled in, so the
two languages (and the pages' JavaScript, ``viz/web/i18n.js``, which reads the same files
through the page's embedded JSON) show the same digits. Formulas are filled in too: only
the words around them are translated. ``tests/test_i18n.py`` checks that every key has
both languages with the same placeholders, and that the Chinese uses the terms of
``docs/backprop.zh.md``'s glossary.

Which language: :func:`set_language` (``chainrule.set_language("zh")``), or for a block
:func:`using_language`; otherwise :func:`language_from_environment` (``CHAINRULE_LANG``,
then the locale). The command line's ``--lang`` comes before all of these.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "zh")
"""The languages chainrule speaks: English and (simplified) Chinese."""

MESSAGES = Path(__file__).resolve().parent / "messages"
"""The catalogue's folder: one JSON file per area, each key in both languages."""

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""``{name}`` (a placeholder), or ``{{`` / ``}}`` (a brace). Any other brace is an error."""

_chosen: ContextVar[str | None] = ContextVar("chainrule_language", default=None)
_recorded: ContextVar[dict[str, dict[str, str]] | None] = ContextVar(
    "chainrule_recorded_messages", default=None
)


class LanguageError(ValueError):
    """A language chainrule does not speak, or a message asked for wrongly."""


def check_language(lang: str, where: str = "language") -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else a :class:`LanguageError` that says so."""
    if lang not in LANGUAGES:
        raise LanguageError(
            f"{where} {lang!r}: chainrule speaks {' and '.join(map(repr, LANGUAGES))} "
            "(English and Chinese)"
        )
    return lang


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``CHAINRULE_LANG``, else the locale, else en.

    ``CHAINRULE_LANG`` must be ``en`` or ``zh`` (anything else is a :class:`LanguageError`).
    The locale is the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set, as
    POSIX reads them; one starting ``zh`` (``zh_CN.UTF-8``, ``zh_TW``) means Chinese.

        >>> language_from_environment({"LANG": "zh_CN.UTF-8"})
        'zh'
        >>> language_from_environment({"CHAINRULE_LANG": "en", "LANG": "zh_CN.UTF-8"})
        'en'
        >>> language_from_environment({})
        'en'
    """
    environ = os.environ if environ is None else environ
    chosen = environ.get("CHAINRULE_LANG", "").strip()
    if chosen:
        return check_language(chosen, "CHAINRULE_LANG")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale = environ.get(name, "")
        if locale:
            return "zh" if locale.lower().startswith("zh") else "en"
    return "en"


def language() -> str:
    """The language messages are written in now: the one set, else the environment's."""
    return _chosen.get() or language_from_environment()


def set_language(lang: str) -> None:
    """Write every message from now on in ``lang`` (``"en"`` or ``"zh"``).

    ``chainrule.set_language("zh")`` in a notebook makes the narration, the summaries, the
    errors and the pages written from then on Chinese.
    """
    _chosen.set(check_language(lang))


@contextmanager
def using_language(lang: str | None) -> Iterator[str]:
    """Messages in ``lang`` inside the block (``None``: the current language), then as before."""
    token = _chosen.set(check_language(lang) if lang is not None else language())
    try:
        yield _chosen.get() or "en"
    finally:
        _chosen.reset(token)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key, with its text in each language, read once from :data:`MESSAGES`."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(MESSAGES.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for key, texts in entries.items():
            if not key.startswith(path.stem + "."):
                raise LanguageError(f"{path.name}: the key {key!r} must start {path.stem + '.'!r}")
            merged[key] = texts
    return merged


def placeholders(text: str) -> set[str]:
    """The names of ``text``'s placeholders: ``{"op", "x"}`` for ``"{op} at {x}"``."""
    return {match.group(1) for match in PLACEHOLDER.finditer(text) if match.group(1)}


def fill(text: str, params: Mapping[str, object]) -> str:
    """``text`` with each ``{name}`` replaced by ``str(params[name])``; ``{{`` is ``{``.

    Nothing is evaluated: a placeholder is a name, never an expression, and what is filled
    in is not read again (a formula with braces in it stays as it is).
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        if name not in params:
            raise LanguageError(f"the message {text!r} needs {name}=…, which was not given")
        return str(params[name])

    return PLACEHOLDER.sub(replace, text)


def message(key: str, /, lang: str | None = None, **params: object) -> str:
    """The message ``key`` in ``lang`` (default: :func:`language`), its placeholders filled."""
    try:
        texts = catalogue()[key]
    except KeyError:
        raise LanguageError(
            f"no message {key!r} in the catalogue (engine/messages/"
            f"{key.partition('.')[0]}.json): add it there, in both languages"
        ) from None
    text = fill(texts[check_language(lang) if lang else language()], params)
    recorded = _recorded.get()
    if recorded is not None:
        recorded[text] = {other: fill(texts[other], params) for other in LANGUAGES}
    return text


@contextmanager
def recording() -> Iterator[dict[str, dict[str, str]]]:
    """Note every message written inside the block: its text then, to its text in each language.

    A picture drawn in one language (a diagram's cluster titles, laid out by Graphviz) is
    relabelled in the other from this map, without drawing it again: the step page hands
    it to its language switch.

        >>> with recording() as written:
        ...     _ = message("cli.math_error", lang="en", detail="d")
        >>> written["math error: d"]["zh"]
        '数学错误：d'
    """
    written: dict[str, dict[str, str]] = {}
    token = _recorded.set(written)
    try:
        yield written
    finally:
        _recorded.reset(token)


def export_messages(*areas: str) -> dict[str, dict[str, str]]:
    """The messages of ``areas`` (file names: ``"page"``, ``"narration"``) for a page's JSON.

    ``{"en": {key: text}, "zh": {key: text}}``: a page carries both languages, so its
    switch changes every text in place (``viz/web/i18n.js``).
    """
    prefixes = tuple(area + "." for area in areas)
    chosen = {key: texts for key, texts in catalogue().items() if key.startswith(prefixes)}
    return {lang: {key: texts[lang] for key, texts in chosen.items()} for lang in LANGUAGES}
