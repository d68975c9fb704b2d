"""One distribution, one top-level name: chainrule and a learner's own files never collide.

The folders ``engine/``, ``nn/`` and ``viz/`` install as ``chainrule.engine``,
``chainrule.nn`` and ``chainrule.viz``. These tests build the real wheel and
run the real command from a folder that holds a learner's own ``engine.py``
and ``nn.py`` (the layout micrograd invites).
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import chainrule

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "chainrule", "engine", "nn", "viz")

LEARNERS_ENGINE = '''"""A learner's own micrograd-style engine, with no tanh."""


class Value:
    def __init__(self, data):
        self.data = data
'''
LEARNERS_NN = '''"""A learner's own nn module."""

raise ImportError("this is the learner's nn.py, not chainrule's")
'''


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built offline from a copy (the checkout is not touched)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("chainrule-*.whl")
    return built


def test_the_wheel_installs_one_top_level_name(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        assert archive.read(top_level).decode().split() == ["chainrule"]
    packages = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert packages == {"chainrule"}
    for module in ("engine/value.py", "nn/module.py", "viz/graph_diagram.py", "cli.py"):
        assert f"chainrule/{module}" in names
    web = ROOT / "viz" / "web"  # every asset the pages are assembled from ships in the wheel
    for asset in sorted(web.rglob("*")):
        if asset.is_file():
            assert f"chainrule/viz/web/{asset.relative_to(web).as_posix()}" in names, asset


def test_the_unpacked_wheel_imports_its_own_libraries(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
    code = (
        "import chainrule.engine, chainrule.nn, chainrule.viz, sys; "
        "print(chainrule.engine.__file__); print(chainrule.viz.__file__); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('engine', 'nn', 'viz'))); "
        "from chainrule.viz import playground_page; print(len(playground_page()) > 10000)"
    )
    result = subprocess.run(
        [sys.executable, "-P", "-c", code],
        env={"PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        check=True,
    )
    engine_file, viz_file, stray, page_built = result.stdout.splitlines()
    assert Path(engine_file).is_relative_to(tmp_path / "site" / "chainrule" / "engine")
    assert Path(viz_file).is_relative_to(tmp_path / "site" / "chainrule" / "viz")
    assert stray == "[]" and page_built == "True"  # the pages' assets came with the wheel


@pytest.fixture
def learners_folder(tmp_path: Path) -> Path:
    (tmp_path / "engine.py").write_text(LEARNERS_ENGINE)
    (tmp_path / "nn.py").write_text(LEARNERS_NN)
    return tmp_path


def test_bp_check_works_next_to_a_learners_engine_and_nn(learners_folder: Path) -> None:
    for command in (
        [sys.executable, "-m", "chainrule", "bp-check"],
        [str(Path(sys.executable).parent / "chainrule"), "bp-check"],
    ):
        result = subprocess.run(
            command, cwd=learners_folder, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        assert "by hand and autograd agree" in result.stdout


def _readme_block(heading: str) -> str:
    """The first ```python block after ``heading`` in the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text[text.index(heading) :]
    match = re.search(r"```python\n(.*?)```", after, re.S)
    assert match is not None, f"no python block after {heading!r}"
    return match.group(1)


def test_the_readme_example_runs_next_to_a_learners_engine_and_nn(learners_folder: Path) -> None:
    code = _readme_block("## Ten lines")
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=learners_folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "1.0000"  # ∂o/∂w1 = x1·(1 − o²) = 2·0.5


def test_every_common_name_is_reexported_from_the_package_root() -> None:
    libraries = {
        module: importlib.import_module(module)
        for module in ("chainrule.engine", "chainrule.nn", "chainrule.viz")
    }
    for name in chainrule.__all__:
        homes = [module for module, library in libraries.items() if name in library.__all__]
        assert len(homes) == 1, (name, homes)
        assert getattr(chainrule, name) is getattr(libraries[homes[0]], name)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        chainrule.nothing  # noqa: B018


def test_importing_the_engine_loads_no_other_library() -> None:
    code = (
        "import sys, chainrule.engine; "
        "print(sorted(m for m in sys.modules if m.startswith(('chainrule.nn', 'chainrule.viz', "
        "'graphviz', 'tqdm'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_readmes_make_your_own_op_example_runs_as_written(tmp_path: Path) -> None:
    code = _readme_block("**Make your own op.**") + "\ntest_cube()\n"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[-1]
        == "x.grad += 12.0 × 1.5 = 18.0   (∂cube(x)/∂x = 3·x² = 3·2.0² = 12.0)"
    )


def test_the_readmes_localising_check_example_runs_as_written(tmp_path: Path) -> None:
    code = _readme_block("### Gradient checking that localises")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "bad_square(x)", "6.0", "3.0"]
