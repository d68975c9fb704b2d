"""What every self-contained page shares: its Content-Security-Policy, style and embedded JSON.

A page of chainrule's (the step-through page, the playground, the bugs gallery) is one HTML
file. Its policy allows no request of any kind and at most one inline script, by its
SHA-256, so the page works from ``file://`` and cannot load or send anything. The data
Python hands the script is JSON inside a ``<script type="application/json">`` element. A
page without a script (the bugs gallery) takes its style from :func:`style_sheet`, which
gives the sheet :mod:`viz.style`'s colours as CSS custom properties.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from .style import css_custom_properties

WEB = Path(__file__).resolve().parent / "web"
"""The pages' templates, styles and scripts."""


def content_security_policy(script: str | None = None) -> str:
    """Allow no request of any kind, inline styles, and exactly ``script`` (by its hash).

    Without ``script``, the page may run no script at all:

        >>> content_security_policy()
        "default-src 'none'; style-src 'unsafe-inline'"
    """
    policy = "default-src 'none'; style-src 'unsafe-inline'"
    if script is None:
        return policy
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"{policy}; script-src 'sha256-{digest}'"


def script_json(data: object) -> str:
    """``data`` as JSON to put inside a ``<script type="application/json">`` element.

    ASCII only (a lone surrogate or a C1 control in a label becomes a ``\\u`` escape), and
    no "<", so nothing in the data can end the script element or reach the page raw.
    """
    return json.dumps(data, ensure_ascii=True, allow_nan=False).replace("<", "\\u003c")


def read_scripts(names: tuple[str, ...]) -> str:
    """The scripts ``names`` (paths under ``viz/web``), in that order, as one script."""
    return "\n".join((WEB / name).read_text(encoding="utf-8") for name in names)


def style_sheet(name: str) -> str:
    """The style sheet ``name`` (under ``viz/web``), after the colours it uses.

    The sheet writes ``var(--wrong)`` and the like, never a colour: the values come first,
    from :data:`viz.style.PAGE_COLOURS`, so a page's colours have one source.
    """
    return css_custom_properties() + (WEB / name).read_text(encoding="utf-8")
