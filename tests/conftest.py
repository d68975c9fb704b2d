"""What the tests need from the machine, and what CI does when it is missing.

Two markers say which tests need a program besides Python:

    @pytest.mark.needs_dot        Graphviz's ``dot`` on PATH (rendering SVG/PNG, the player)
    @pytest.mark.needs_chromium   Debian's ``chromium`` and ``chromedriver`` (the browser tests)

On a developer's machine a test whose program is missing is *skipped*, with
the reason and the command that installs it. Under CI (the environment
variable ``CI`` set to anything but ``""``, ``0`` or ``false``, as ``.ci/run``
and every CI service do) it *fails* instead: CI installs both, so a missing
one is a broken set-up, never a reason to test less. For the same reason,
under CI any skip at all, from anywhere, is turned into a failure and makes
the run exit non-zero.

The markers are registered in pyproject.toml, as is ``slow``, which marks the tests over
about two seconds: ``pytest -m "not slow"`` (``make test-fast``) leaves them
out; ``make test`` and CI run everything.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Generator

import pytest
from chainrule.engine import OPS, Value
from chainrule.engine import value as value_module

from tests import headless_chromium

INSTALL = {
    "needs_dot": "apt-get install -y graphviz (or brew install graphviz)",
    "needs_chromium": headless_chromium.INSTALL,
}


def under_ci() -> bool:
    """True when the environment variable ``CI`` is set to a true-ish value."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_for(marker: str) -> list[str]:
    """What the machine lacks for tests marked ``marker`` (an empty list when nothing)."""
    if marker == "needs_dot":
        return [] if shutil.which("dot") else ["Graphviz `dot` on PATH"]
    if marker == "needs_chromium":
        return headless_chromium.missing()
    raise ValueError(f"unknown requirement marker {marker!r}")


@pytest.hookimpl(tryfirst=True)  # before any fixture (a browser, say) is set up
def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("needs_dot", "needs_chromium"):
        if item.get_closest_marker(marker) is None:
            continue
        missing = missing_for(marker)
        if not missing:
            continue
        what = f"{', '.join(missing)} (install with: {INSTALL[marker]})"
        if under_ci():
            pytest.fail(f"CI must provide what this test needs, and lacks {what}", pytrace=False)
        pytest.skip(f"not found: {what}")


_skipped_under_ci: list[str] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Under CI, a skipped test is reported as failed, with the reason it gave."""
    report = yield
    if under_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        reason = str(reason).removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must run every test: {reason}"
    return report


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """Under CI, remember a module skipped while collecting (its tests never become items)."""
    if under_ci() and report.skipped:
        _skipped_under_ci.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI, a module skipped at collection fails the run too."""
    if _skipped_under_ci and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped_under_ci:
        terminalreporter.write_line(
            "CI: these modules were skipped while collecting, which fails the run: "
            + ", ".join(_skipped_under_ci),
            red=True,
        )


@pytest.fixture
def table() -> Generator[None, None, None]:
    """Let a test define ops; afterwards the table and Value are as they were."""
    ops, methods = dict(OPS), dict(value_module._METHODS)
    attributes = set(vars(Value))
    yield
    OPS.clear()
    OPS.update(ops)
    value_module._METHODS.clear()
    value_module._METHODS.update(methods)
    for name in set(vars(Value)) - attributes:
        delattr(Value, name)
