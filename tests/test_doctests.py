"""Every ``>>>`` example in the libraries' docstrings runs, and shows what it says it shows.

The folders engine/, nn/ and viz/ install as chainrule.engine, chainrule.nn
and chainrule.viz (pyproject.toml's package-dir), so ``pytest --doctest-modules``
over the folders would import them under the wrong names. Instead each module
is imported by its installed name, walking each package's ``__path__``, and
its docstrings go through :mod:`doctest` one example block at a time, with
ELLIPSIS and NORMALIZE_WHITESPACE. A failure shows doctest's own report.

Each example runs in a fresh temporary working folder, so one that writes a
file leaves nothing behind. An example that renders with Graphviz is marked
``needs_dot`` (skipped without ``dot``, a failure under CI; tests/conftest.py).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

PACKAGES = ("chainrule.engine", "chainrule.nn", "chainrule.viz")
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
NEEDS_DOT = re.compile(
    r"\b(?:render|write_step_through|step_through_page|svg_texts|pipe|_repr_mimebundle_)\("
)


def module_names() -> list[str]:
    """chainrule itself, then every module of its three libraries, by their installed names."""
    names = ["chainrule"]
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        names += sorted(
            info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}.")
        )
    return names


# importlib, not attribute access: chainrule.engine.gradcheck is also the name of a function
MODULES = {name: importlib.import_module(name) for name in module_names()}
FINDER = doctest.DocTestFinder()
DOCTESTS = [
    test
    for name, module in MODULES.items()
    for test in sorted(FINDER.find(module, name), key=lambda test: test.name)
    if test.examples
]


def needs_dot(test: doctest.DocTest) -> bool:
    return any(NEEDS_DOT.search(example.source) for example in test.examples)


def test_every_library_module_is_found_with_its_examples() -> None:
    for package_name in PACKAGES:
        assert any(name.startswith(f"{package_name}.") for name in MODULES), package_name
    found = {_module_of(test) for test in DOCTESTS}
    for name, module in MODULES.items():
        source = Path(module.__file__).read_text(encoding="utf-8")
        if ">>> " in source:
            assert name in found, f"{name} has >>> examples but none was collected"


def _module_of(test: doctest.DocTest) -> str:
    """The module a doctest was found in: the longest module name its name starts with."""
    return max((name for name in MODULES if f"{test.name}.".startswith(f"{name}.")), key=len)


@pytest.mark.parametrize(
    "test",
    [
        pytest.param(test, id=test.name, marks=[pytest.mark.needs_dot] if needs_dot(test) else [])
        for test in DOCTESTS
    ],
)
def test_docstring_examples(
    test: doctest.DocTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative path in an example lands here
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    report: list[str] = []
    globs = dict(test.globs)
    try:
        result = runner.run(
            doctest.DocTest(
                test.examples, globs, test.name, test.filename, test.lineno, test.docstring
            ),
            out=report.append,
            clear_globs=True,
        )
    finally:
        globs.clear()
    assert result.attempted == len(test.examples)
    assert result.failed == 0, "\n" + "".join(report)
