"""The layering of the design card, enforced by import-linter in `make lint`, and able to fail.

engine → nn → viz → the chainrule command, the engine's own order (the plain engine below
the fast path), and no import cycles inside engine, nn or viz: ``.importlinter``, checked by
``scripts/lint_imports.py`` on the installed layout.
"""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import lint_imports  # noqa: E402


def copy_of_the_packages(folder: Path) -> Path:
    for name in ("chainrule", "engine", "nn", "viz"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@pytest.mark.slow
def test_every_contract_is_kept():
    assert lint_imports.main() == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("engine/graph.py", "from ..nn import module as _upward"),  # engine imports nn
        ("nn/losses.py", "from ..viz import style as _upward"),  # nn imports viz
        ("viz/style.py", "from ..cli import main as _upward"),  # viz imports the command
        ("engine/value.py", "from . import fast as _upward"),  # the plain core imports fast
        ("nn/activations.py", "from . import train as _cycle"),  # a cycle inside nn
    ],
)
def test_a_broken_contract_fails_the_lint(tmp_path, module, line):
    source = copy_of_the_packages(tmp_path)
    path = source / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    assert lint_imports.main(source) != 0
