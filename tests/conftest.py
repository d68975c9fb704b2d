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

``--without-dot`` runs the session as on a machine without Graphviz: every PATH entry that
holds a ``dot`` is replaced by a folder of links to everything else in it, so
``shutil.which("dot")`` is None for the tests and for every program they start. ``make test``
runs the tests marked ``pages`` (the step-through and bugs pages, the notebooks) a second
time so, where they must lay their graphs out in the browser.

The markers are registered in pyproject.toml, as is ``slow``, which marks the tests over
about two seconds. ``make test-fast`` runs ``pytest -m "not slow and not needs_chromium"``,
which starts no browser; ``make test`` and CI run everything.

The browser tests share one headless Chromium for the whole run: they take the
function-scoped ``browser`` fixture defined here, which hands over the session's browser
reset to the same state (window size, no phone or dark-mode emulation, empty console,
blank page). Every test using it is marked ``needs_chromium`` automatically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from chainrule.engine import OPS, Value, i18n
from chainrule.engine import value as value_module

from tests import headless_chromium

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

# The tests read English unless a test asks for Chinese (engine/i18n.py): a learner's
# CHAINRULE_LANG or zh locale must not change what they expect, here or in the commands
# they start.
os.environ["CHAINRULE_LANG"] = "en"

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--without-dot",
        action="store_true",
        help="run as on a machine without Graphviz: take every `dot` off PATH for the session",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--without-dot"):
        folder = Path(tempfile.mkdtemp(prefix="chainrule-without-dot-"))
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
        os.environ["PATH"] = path_without_dot(os.environ.get("PATH", ""), folder)
        assert shutil.which("dot") is None


def path_without_dot(path: str, folder: Path) -> str:
    """``path`` with each entry that holds ``dot`` replaced by links, in ``folder``, to the rest."""
    entries = []
    for number, entry in enumerate(path.split(os.pathsep)):
        if not entry or not os.access(Path(entry, "dot"), os.X_OK):
            entries.append(entry)
            continue
        copy = folder / str(number)
        copy.mkdir()
        for program in Path(entry).iterdir():
            if program.name != "dot":
                (copy / program.name).symlink_to(program)
        entries.append(str(copy))
    return os.pathsep.join(entries)


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


# --- the one browser ------------------------------------------------------------------------

BROWSER_FIXTURES = ("browser", "chromium_session")
"""The fixtures that start Chromium: a test using either is marked ``needs_chromium``."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that uses the browser needs Chromium, whether or not it says so.

    So ``-m "not needs_chromium"`` (``make test-fast``) deselects every test that would
    start a browser, and the skip-or-fail rule above applies to all of them.
    """
    for item in items:
        uses_browser = any(name in getattr(item, "fixturenames", ()) for name in BROWSER_FIXTURES)
        if uses_browser and item.get_closest_marker("needs_chromium") is None:
            item.add_marker(pytest.mark.needs_chromium)


@pytest.fixture(autouse=True)
def op_table_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that defines an op takes the :func:`table` fixture, which puts the table back.

    Otherwise its op would stay for every later test, and a test comparing a page or a
    file written in this process with one written by a fresh ``chainrule`` would fail, or
    pass, depending on the order the tests ran in.
    """
    before = dict(OPS)
    yield
    if "table" not in request.fixturenames and before != OPS:
        changed = sorted(name for name in {*OPS, *before} if OPS.get(name) is not before.get(name))
        pytest.fail(
            f"this test changed the op table ({', '.join(changed)}): take the table fixture"
        )


@pytest.fixture(autouse=True)
def language_as_the_environment_says() -> Iterator[None]:
    """Each test starts with no language set (so the environment's: English, above), and a
    test that sets one (``set_language``, ``chainrule.cli.main(["--lang", "zh", …])``) does
    not leave it set for the next."""
    token = i18n._chosen.set(None)
    yield
    i18n._chosen.reset(token)


@pytest.fixture(scope="session")
def chromium_session() -> Iterator[WebDriver]:
    """One headless Chromium for the whole run (tests use :func:`browser`, which resets it)."""
    with headless_chromium.headless_chromium(headless_chromium.WINDOW, console=True) as driver:
        yield driver


@pytest.fixture
def browser(chromium_session: WebDriver) -> Iterator[WebDriver]:
    """The session's browser, in the same state for every test.

    A window of :data:`tests.headless_chromium.WINDOW` pixels, no device or media
    emulation (a test may emulate a phone or a dark system: it is undone here), downloads
    as Chromium's default, an empty console log, and a blank page before and after.
    """
    headless_chromium.reset(chromium_session)
    try:
        yield chromium_session
    finally:
        headless_chromium.reset(chromium_session)


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
