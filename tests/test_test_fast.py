"""``make test-fast`` starts no browser: its marker expression deselects every browser test.

The expression is read from the Makefile and given to pytest collecting the real suite in
a subprocess, with a small plugin that records, for every test kept and every test
deselected, whether it uses a fixture that starts Chromium (tests/conftest.py's
``BROWSER_FIXTURES``, directly or through another fixture).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BROWSER_FIXTURES

ROOT = Path(__file__).parent.parent

PLUGIN = """
import json, os

BROWSER = set(json.loads(os.environ["BROWSER_FIXTURES"]))
seen = {"kept": [], "deselected": []}


def row(item):
    return [item.nodeid, bool(BROWSER & set(getattr(item, "fixturenames", ())))]


def pytest_deselected(items):
    seen["deselected"].extend(row(item) for item in items)


def pytest_collection_finish(session):
    seen["kept"] = [row(item) for item in session.items]
    with open(os.environ["COLLECTED_TO"], "w", encoding="utf-8") as out:
        json.dump(seen, out)
"""


def test_fast_markers() -> str:
    """The marker expression the Makefile's test-fast target gives pytest."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    expression = re.search(r"^TEST_FAST_MARKERS := (.+)$", makefile, re.MULTILINE).group(1)
    recipe = re.search(r"^test-fast:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert '-m "$(TEST_FAST_MARKERS)"' in recipe, recipe
    return expression


test_fast_markers.__test__ = False  # a helper, despite its name


def collect(tmp_path: Path, expression: str) -> dict[str, list[list]]:
    (tmp_path / "browser_report.py").write_text(PLUGIN, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    env["BROWSER_FIXTURES"] = json.dumps(BROWSER_FIXTURES)
    env["COLLECTED_TO"] = str(tmp_path / "collected.json")
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "browser_report"]
    result = subprocess.run(
        [*command, "-p", "no:cacheprovider", "-m", expression],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((tmp_path / "collected.json").read_text(encoding="utf-8"))


@pytest.mark.slow  # it collects the whole suite
def test_make_test_fast_collects_no_test_that_starts_a_browser(tmp_path: Path) -> None:
    collected = collect(tmp_path, test_fast_markers())
    with_browser = [nodeid for nodeid, browser in collected["kept"] if browser]
    assert with_browser == [], f"make test-fast would start a browser for {with_browser}"
    assert len(collected["kept"]) > 100  # the fast loop still runs most of the suite
    # the check can see a browser test: some were there to be left out
    assert any(browser for _, browser in collected["deselected"])
