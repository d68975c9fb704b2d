"""What every self-contained page shares: its Content-Security-Policy and its embedded JSON.

A page of chainrule's (the step-through page, the playground) is one HTML file with one
inline script. Its policy allows no request of any kind and that script only, by its
SHA-256, so the page works from ``file://`` and cannot load or send anything. The data
Python hands the script is JSON inside a ``<script type="application/json">`` element.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

WEB = Path(__file__).resolve().parent / "web"
"""The pages' templates, styles and scripts."""


def content_security_policy(script: str) -> str:
    """Allow no request of any kind, inline styles, and exactly ``script`` (by its hash)."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"


def script_json(data: object) -> str:
    """``data`` as JSON to put inside a ``<script type="application/json">`` element.

    ASCII only (a lone surrogate or a C1 control in a label becomes a ``\\u`` escape), and
    no "<", so nothing in the data can end the script element or reach the page raw.
    """
    return json.dumps(data, ensure_ascii=True, allow_nan=False).replace("<", "\\u003c")


def read_scripts(names: tuple[str, ...]) -> str:
    """The scripts ``names`` (paths under ``viz/web``), in that order, as one script."""
    return "\n".join((WEB / name).read_text(encoding="utf-8") for name in names)
