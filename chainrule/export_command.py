"""``chainrule export MODEL.json --to pytorch OUT.py``: a saved model as PyTorch.

Writes two files, all or nothing (:mod:`chainrule.outputs`): ``OUT.py``, a runnable
``nn.Sequential`` of ``nn.Linear`` and activation modules in chainrule's order with the
features the model reads, and ``OUT.safetensors`` next to it, the weights as float64
under ``state_dict``'s names (``chainrule.nn.pytorch_export`` says how both are made).
The playground's "Export to PyTorch" writes the same two files, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from chainrule.engine.i18n import message
from chainrule.nn.pytorch_export import export_pytorch
from chainrule.nn.serialize import load
from chainrule.outputs import Outputs, UsageError

TARGETS = ("pytorch",)
"""What ``--to`` can name."""


def run(model: Path, out: Path, force: bool) -> int:
    """Export the model file ``model`` to ``out`` (a ``.py``) and its ``.safetensors``."""
    if out.suffix != ".py":
        raise UsageError(
            message("terminal.export_suffix", out=out, example=out.with_suffix(".py").name)
        )
    weights_path = out.with_suffix(".safetensors")
    outputs = Outputs(force=force)
    outputs.claim(out, "OUT.py")
    outputs.claim(weights_path, message("terminal.export_weights_option"))
    try:
        code, weights = export_pytorch(load(model))
    except ValueError as error:
        raise UsageError(str(error)) from None
    with outputs:
        outputs.stage(out, lambda temporary: temporary.write_text(code, encoding="utf-8"))
        outputs.stage(weights_path, lambda temporary: temporary.write_bytes(weights))
        outputs.commit()
    print(message("terminal.export_wrote_code", path=out))
    print(message("terminal.export_wrote_weights", path=weights_path))
    print(message("terminal.export_run_it", path=out))
    return 0
