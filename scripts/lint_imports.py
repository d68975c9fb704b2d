"""`lint-imports` (import-linter) on chainrule as it installs: engine/, nn/, viz/ inside it.

The repository keeps engine/, nn/ and viz/ at the top and maps them into the chainrule
package at install time (pyproject's package-dir). import-linter reads packages from
disk, so this assembles that layout in a temporary folder of its own, checks the contracts
in ``.importlinter`` there, and removes the folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPED = ("engine", "nn", "viz")


def main(source: Path = ROOT) -> int:
    """Check the contracts on the packages under ``source`` (a checkout); 0 when all are kept."""
    with tempfile.TemporaryDirectory(prefix="chainrule-lint-imports-") as folder:
        package = Path(folder) / "chainrule"
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(source / "chainrule", package, ignore=ignore)
        for name in MAPPED:
            shutil.copytree(source / name, package / name, ignore=ignore)
        env = {**os.environ, "PYTHONPATH": folder}
        command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo"]
        command += ["--config", str(ROOT / ".importlinter")]
        return subprocess.call(command, cwd=folder, env=env)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
