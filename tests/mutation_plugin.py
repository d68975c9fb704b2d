"""A pytest plugin for ``make mutation`` alone (#20): pyproject.toml's ``[tool.mutmut]`` loads it.

mutmut 3 imports the code once, then forks a process per mutant, which switches its mutant on
when the mutated function is called. Much of the engine runs once, while it is imported: the
built-in ops' formulas are compiled, ``fast.install()`` builds the fast operators. A mutant
there would never be live, and mutmut, which learns which tests reach a function by calling it
while the tests run, would credit what ran during collection to the first test alone. So:

* mutmut's run that maps functions to tests imports the engine and the tests afresh, notes the
  functions that ran while they were imported (in ``mutants/``, for later runs too), and
  credits every test with them: every test runs on what the import built;
* the process of a mutant in one of those functions imports the engine and the tests afresh,
  with the mutant live. If that import fails, the process ends at once with pytest's exit
  status for an internal error, 3, which mutmut counts as killed (pytest would first spend
  seconds on a traceback through mutmut's copy of the module, tens of thousands of lines);
* the tests run fastest first (by the times mutmut measured), those that start a browser
  last: mutmut hands them over in no particular order and stops at the first failure, so a
  caught mutant is caught sooner;
* hypothesis keeps no database: a failing example it found for one mutant would otherwise be
  replayed for every mutant after it, and any weakness of a property test it exposed would
  "kill" them all.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings
from mutmut.mutation.trampoline import get_mutant_under_test
from mutmut.state import state

RUN_AT_IMPORT = Path("mutation-run-at-import.txt")
"""The functions that ran while the engine and the tests were imported, one a line (mutmut
runs the tests in ``mutants/``, so the file is there, next to mutmut's own records)."""

_run_at_import: set[str] = set()

settings.register_profile("mutation", database=None)
settings.load_profile("mutation")


def _collecting_stats() -> bool:
    return get_mutant_under_test() == "stats"


def _mutant_runs_at_import() -> bool:
    function, marker, _ = get_mutant_under_test().partition("__mutmut_")
    return bool(marker) and function in RUN_AT_IMPORT.read_text(encoding="utf-8").split()


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests() -> None:
    if not (_collecting_stats() or _mutant_runs_at_import()):
        return
    for name in [
        name
        for name in sys.modules
        if name.partition(".")[0] == "chainrule" or (name.startswith("tests.") and name != __name__)
    ]:
        del sys.modules[name]
    try:
        importlib.import_module("chainrule.engine")
    except Exception:
        os._exit(pytest.ExitCode.INTERNAL_ERROR)  # the mutant's process, forked by mutmut


def pytest_collection_finish() -> None:
    if _collecting_stats():
        _run_at_import.update(state()._stats)
        RUN_AT_IMPORT.write_text("".join(f"{name}\n" for name in sorted(_run_at_import)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown() -> None:
    if _collecting_stats():
        state()._stats.update(_run_at_import)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    seconds = state().duration_by_test
    items.sort(
        key=lambda item: (
            item.get_closest_marker("needs_chromium") is not None,
            seconds.get(item.nodeid, 0.0),
        )
    )
