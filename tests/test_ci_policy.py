"""tests/conftest.py's policy, checked on a scratch copy: skip locally, fail under CI.

A test marked ``needs_dot`` on a machine without ``dot`` is skipped with the
reason, but under CI (``CI=true``, as ``.ci/run`` sets it) it fails; and under
CI any other skip, from a test or a whole module, fails the run too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent

SCRATCH_TESTS = """
import pytest

@pytest.mark.needs_dot
def test_renders():
    pass

def test_skips_itself():
    pytest.skip("not today")

def test_plain():
    pass
"""

SKIPPED_MODULE = """
import pytest

pytest.skip("this whole module is skipped", allow_module_level=True)

def test_never_runs():
    pass
"""


def run_scratch(tmp_path: Path, *, ci: str | None, module: str = SCRATCH_TESTS) -> tuple[int, str]:
    """Run pytest on a scratch suite using the real conftest, with no `dot` on PATH."""
    suite = tmp_path / "suite"
    (suite / "tests").mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "headless_chromium.py"):
        shutil.copy(TESTS / name, suite / "tests" / name)
    (suite / "tests" / "test_scratch.py").write_text(module, encoding="utf-8")
    (suite / "tests" / "test_other.py").write_text("def test_other():\n    pass\n", "utf-8")
    (suite / "pytest.ini").write_text(
        "[pytest]\naddopts = -p no:cacheprovider --strict-markers\n"
        "markers =\n    needs_dot: x\n    needs_chromium: x\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PATH"] = str(empty)
    env["PYTHONPATH"] = str(suite)
    if ci is not None:
        env["CI"] = ci
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "tests"],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("ci", [None, "false"])
def test_locally_a_missing_dot_skips_with_the_reason(tmp_path: Path, ci: str | None) -> None:
    status, output = run_scratch(tmp_path, ci=ci)
    assert status == 0, output
    assert "2 passed, 2 skipped" in output
    assert "Graphviz `dot` on PATH" in output and "apt-get install -y graphviz" in output


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_dot_and_any_skip_fail(tmp_path: Path, ci: str) -> None:
    status, output = run_scratch(tmp_path, ci=ci)
    assert status == 1, output
    assert "2 passed" in output and "skipped" not in output.splitlines()[-1]
    assert "CI must provide what this test needs, and lacks Graphviz `dot` on PATH" in output
    assert "skipped under CI, which must run every test: not today" in output


def test_under_ci_a_module_skipped_while_collecting_fails_the_run(tmp_path: Path) -> None:
    status, output = run_scratch(tmp_path, ci=None, module=SKIPPED_MODULE)
    assert status == 0, output  # locally: a skip
    status, output = run_scratch(tmp_path / "ci", ci="true", module=SKIPPED_MODULE)
    assert status == 1, output
    assert "skipped while collecting" in output and "test_scratch.py" in output
