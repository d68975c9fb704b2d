"""The engines compared side by side, behind one small interface.

Each adapter makes leaf values, applies relu, runs backward and reads
gradients; every workload is written once against this interface, so each
engine does exactly the same computation (same ops, same order, float64).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Engine:
    """How a workload talks to one autograd engine."""

    name: str
    leaf: Callable[[float], Any]
    relu: Callable[[Any], Any]
    backward: Callable[[Any], None]
    grad: Callable[[Any], float]
    data: Callable[[Any], float]
    gradient: Callable[[Any, list[Any], bool], list[Any]] | None = None
    """∂output/∂input for each input, as nodes; with ``create_graph`` (the third argument)
    the backward pass is recorded, so they can be differentiated again (W5). ``None``: the
    engine has no higher-order gradients."""


def chainrule() -> Engine:
    from chainrule.engine import Value, grad

    return Engine(
        "chainrule",
        leaf=Value,
        relu=Value.relu,
        backward=Value.backward,
        grad=lambda v: v.grad,
        data=lambda v: v.data,
        gradient=lambda output, inputs, create_graph: grad(output, inputs, create_graph),
    )


def micrograd() -> Engine:
    from micrograd.engine import Value

    return Engine(
        "micrograd 0.1.0",
        leaf=Value,
        relu=lambda v: v.relu(),
        backward=lambda v: v.backward(),
        grad=lambda v: v.grad,
        data=lambda v: v.data,
    )


def torch_scalars() -> Engine:
    import torch

    def leaf(x: float) -> Any:
        return torch.tensor(x, dtype=torch.float64, requires_grad=True)

    def gradient(output: Any, inputs: list[Any], create_graph: bool) -> list[Any]:
        grads = torch.autograd.grad(output, inputs, create_graph=create_graph, allow_unused=True)
        zero = torch.zeros((), dtype=torch.float64)
        return [zero if g is None else g for g in grads]  # None: the input was not reached

    return Engine(
        f"PyTorch {torch.__version__} (0-dim tensors)",
        leaf=leaf,
        relu=torch.relu,
        backward=lambda v: v.backward(),
        grad=lambda v: 0.0 if v.grad is None else v.grad.item(),
        data=lambda v: v.item(),
        gradient=gradient,
    )


def bare() -> Engine:
    """W4's floor: one bare six-slot object per node (see bare_value.py); not a peer."""
    from benchmarks.bare_value import BareValue

    return Engine(
        "one bare object per node (floor)",
        leaf=BareValue,
        relu=_unsupported,
        backward=BareValue.backward,
        grad=lambda v: v.grad,
        data=lambda v: v.data,
    )


def _unsupported(v: Any) -> Any:
    raise NotImplementedError("BareValue knows + and * only: it is W4's floor, not an engine")


BEFORE_OP_TABLE = "dc31dea"
"""The last commit before the op table (#10): chainrule's engine as it was, for comparison."""


def before_op_table() -> Engine | None:
    """chainrule's engine at :data:`BEFORE_OP_TABLE`, read from this repository's history.

    Its files are copied out of git into a temporary folder as the package
    ``engine_dc31dea`` (only their ``engine`` imports renamed), so it runs in the same process
    as today's engine. ``None`` where there is no git history to read it from.
    """
    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise OSError(done.stderr.strip())
        return done.stdout

    try:
        files = git("ls-tree", "--name-only", BEFORE_OP_TABLE, "engine/").split()
        sources = {Path(name).name: git("show", f"{BEFORE_OP_TABLE}:{name}") for name in files}
    except OSError:
        return None
    package = f"engine_{BEFORE_OP_TABLE}"
    folder = Path(tempfile.mkdtemp(prefix="chainrule-bench-")) / package
    folder.mkdir()
    for name, text in sources.items():
        renamed = re.sub(r"^(\s*)(from|import) engine\b", rf"\1\2 {package}", text, flags=re.M)
        (folder / name).write_text(renamed, encoding="utf-8")
    sys.path.insert(0, str(folder.parent))
    value = importlib.import_module(package).Value
    return Engine(
        f"chainrule at {BEFORE_OP_TABLE} (before the op table)",
        leaf=value,
        relu=value.relu,
        backward=value.backward,
        grad=lambda v: v.grad,
        data=lambda v: v.data,
    )


def available() -> list[Engine]:
    """chainrule always; the engine before the op table where git has it; micrograd and
    PyTorch when installed (`make bench` installs them)."""
    engines = [chainrule()]
    before = before_op_table()
    if before is not None:
        engines.append(before)
    if importlib.util.find_spec("micrograd") is not None:
        engines.append(micrograd())
    if importlib.util.find_spec("torch") is not None:
        engines.append(torch_scalars())
    return engines
