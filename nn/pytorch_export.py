"""A saved MLP as PyTorch: a runnable ``.py`` file and its weights as ``.safetensors``.

The way out of chainrule: the same network, built by PyTorch from the same numbers.

* The code is an ``nn.Sequential`` of ``nn.Linear`` and activation modules, in the order
  chainrule computes them: ``z^l = W^l a^{l-1} + b^l`` is ``nn.Linear``, ``a^l = σ(z^l)``
  its activation module (``nn.Identity()`` for ``"linear"``, so every layer takes two
  places and ``W^l`` is always at ``2(l − 1)``). It also holds the features the model
  reads (``x₁²``, ``sin x₁``, … as tensor expressions) and a reader for its weights.
* The weights are a ``.safetensors`` file written without torch: an 8-byte little-endian
  header length, a JSON header padded with spaces to a multiple of 8 bytes, then the raw
  little-endian float64 numbers. The names are ``state_dict``'s: ``0.weight`` is ``W^1``
  (out × in, row j is neuron j's weights), ``0.bias`` is ``b^1``, ``2.weight`` is ``W^2``…
  Its ``__metadata__`` repeats the features and the activations.

The playground's "Export to PyTorch" (``viz/web/playground/pytorch.js``) writes the same
two files byte for byte: it fills the same :data:`CODE_TEMPLATE` with the same pieces
(:func:`page_config` hands them to the page), and a test compares the bytes.

    >>> from chainrule.nn.serialize import SavedMLP
    >>> saved = SavedMLP(2, [1], "tanh", "linear", [[([0.5, -1.0], 0.25)]], ("x1", "x2"))
    >>> code, weights = export_pytorch(saved)
    >>> "nn.Linear(2, 1)," in code and "nn.Identity()," in code
    True
    >>> header = int.from_bytes(weights[:8], "little")   # bytes of JSON, a multiple of 8
    >>> header % 8, len(weights) - 8 - header            # then 3 float64: w₁, w₂, b
    (0, 24)
"""

from __future__ import annotations

import json
import struct

from .activations import ACTIVATIONS
from .features import FEATURES
from .serialize import SavedMLP

TORCH_ACTIVATIONS: dict[str, str] = {
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",
    "sigmoid": "nn.Sigmoid()",
    "linear": "nn.Identity()",
}
"""Each activation of :data:`nn.ACTIVATIONS` as the PyTorch module that computes it."""

TORCH_FEATURES: dict[str, str] = {
    "x1": "x[:, 0]",
    "x2": "x[:, 1]",
    "x1sq": "x[:, 0] * x[:, 0]",
    "x2sq": "x[:, 1] * x[:, 1]",
    "x1x2": "x[:, 0] * x[:, 1]",
    "sinx1": "torch.sin(x[:, 0])",
    "sinx2": "torch.sin(x[:, 1])",
}
"""Each feature of :data:`nn.FEATURES` as a tensor expression of the points ``x`` (n × 2)."""

LINEAR_LINE = "        nn.Linear({n_in}, {n_out}),"
"""One layer's ``z^l = W^l a^{l-1} + b^l`` in the code's ``nn.Sequential``."""

MODULE_LINE = "        {module},"
"""One layer's activation module in the code's ``nn.Sequential``."""

CODE_TEMPLATE = '''"""{title}, exported from chainrule to PyTorch.

    python THIS_FILE.py {usage}    prints the network's output for that input

The network is an nn.Sequential of nn.Linear and activation modules in the order chainrule
computes them: z^l = W^l a^(l-1) + b^l (nn.Linear), then a^l = sigma(z^l). Its weights are
the float64 state_dict in the .safetensors file of the same name next to this one: "0.weight"
is W^1 (out x in), "0.bias" is b^1, "2.weight" is W^2, and so on.
"""

import json
import struct
import sys
from pathlib import Path

import torch
from torch import nn

FEATURES = {features}
"""The features the network reads, in order (chainrule.nn.FEATURES; None: x as it is)."""

INPUTS = {inputs}
"""How many numbers one input has: a point (x1, x2) when FEATURES is set."""

WEIGHTS = Path(__file__).with_suffix(".safetensors")


def features(x: torch.Tensor) -> torch.Tensor:
    """The network's inputs for the rows of x (n x INPUTS): one column per feature."""
    return torch.stack([{expressions}], dim=1)


def network() -> nn.Sequential:
    """The layers, in chainrule's order, with PyTorch's random weights (see load)."""
    return nn.Sequential(
{modules}
    ).to(torch.float64)


def read_safetensors(path: Path) -> dict[str, torch.Tensor]:
    """A .safetensors file: 8-byte little-endian header length, JSON header, raw data."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    header.pop("__metadata__", None)
    tensors = {{}}
    for name, entry in header.items():
        if entry["dtype"] != "F64":
            raise ValueError(f"{{path}}: {{name}} is {{entry['dtype']}}, expected F64")
        begin, end = entry["data_offsets"]
        raw = bytearray(data[8 + length + begin : 8 + length + end])
        tensors[name] = torch.frombuffer(raw, dtype=torch.float64).reshape(entry["shape"])
    return tensors


def load(path: Path = WEIGHTS) -> nn.Sequential:
    """The network with chainrule's weights."""
    model = network()
    model.load_state_dict(read_safetensors(path))
    return model


if __name__ == "__main__":
    if len(sys.argv) != 1 + INPUTS:
        sys.exit(f"usage: python {{sys.argv[0]}} {usage}")
    x = torch.tensor([[float(v) for v in sys.argv[1:]]], dtype=torch.float64)
    with torch.no_grad():
        print(load()(features(x))[0].tolist())
'''
"""The ``.py`` file; ``{…}`` are filled by :func:`pytorch_code` (and by the page's twin)."""


def layer_activations(saved: SavedMLP) -> list[str]:
    """σ of each layer, 1 to L: the hidden layers' (one name for all, or one each), then
    the output's."""
    hidden = len(saved.nouts) - 1
    each = saved.activation if isinstance(saved.activation, list) else [saved.activation] * hidden
    return [*each, saved.output_activation]


def pytorch_code(saved: SavedMLP) -> str:
    """The runnable ``.py`` file for ``saved``: its ``nn.Sequential``, features and reader."""
    widths = [saved.nin, *saved.nouts]
    activations = layer_activations(saved)
    modules = []
    for n_in, n_out, activation in zip(widths[:-1], widths[1:], activations, strict=True):
        modules.append(LINEAR_LINE.format(n_in=n_in, n_out=n_out))
        modules.append(MODULE_LINE.format(module=_torch_activation(activation)))
    if saved.features is None:
        expressions = [f"x[:, {k}]" for k in range(saved.nin)]
        features, inputs = "None", saved.nin
    else:
        expressions = [_torch_feature(feature) for feature in saved.features]
        features, inputs = "[" + ", ".join(json.dumps(f) for f in saved.features) + "]", 2
    usage = "X1 X2" if saved.features is not None else " ".join(f"X{k}" for k in range(saved.nin))
    title = " → ".join(f"{n} {a}" for n, a in zip(saved.nouts, activations, strict=True))
    return _fill(
        CODE_TEMPLATE,
        {
            "title": f"MLP({saved.nin} → {title})",
            "usage": usage,
            "features": features,
            "inputs": str(inputs),
            "expressions": ", ".join(expressions),
            "modules": "\n".join(modules),
        },
    )


def _fill(template: str, pieces: dict[str, str]) -> str:
    """``template`` with each ``{name}`` replaced and ``{{``/``}}`` made single, as format does.

    Written out (not ``str.format``) because the page's JavaScript does exactly these steps.
    """
    out = template
    for name, piece in pieces.items():
        out = out.replace("{" + name + "}", piece)
    return out.replace("{{", "{").replace("}}", "}")


def safetensors_bytes(saved: SavedMLP) -> bytes:
    """The weights of ``saved`` as a ``.safetensors`` file: ``{2(l − 1)}.weight`` and ``.bias``."""
    header: dict[str, object] = {
        "__metadata__": {
            "format": "pt",
            "features": ",".join(saved.features or ()),
            "activations": ",".join(layer_activations(saved)),
        }
    }
    numbers: list[float] = []
    for index, layer in enumerate(saved.layers):
        rows = [w for w, _ in layer]
        tensors = (("weight", [x for row in rows for x in row], [len(rows), len(rows[0])]),)
        tensors += (("bias", [b for _, b in layer], [len(layer)]),)
        for kind, values, shape in tensors:
            begin = 8 * len(numbers)
            numbers.extend(values)
            header[f"{2 * index}.{kind}"] = {
                "dtype": "F64",
                "shape": shape,
                "data_offsets": [begin, 8 * len(numbers)],
            }
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=True)
    text += " " * (-len(text) % 8)
    encoded = text.encode("ascii")
    return struct.pack("<Q", len(encoded)) + encoded + struct.pack(f"<{len(numbers)}d", *numbers)


def export_pytorch(saved: SavedMLP) -> tuple[str, bytes]:
    """``(code, safetensors)``: the ``.py`` file and the weights file for ``saved``."""
    return pytorch_code(saved), safetensors_bytes(saved)


def page_config() -> dict[str, object]:
    """What the playground's exporter needs to write the same bytes: the template and tables.

    An activation or feature of ``nn`` without a PyTorch twin is left out: the page still
    trains with it, and its export says what to add (as :func:`export_pytorch` does).
    """
    return {
        "template": CODE_TEMPLATE,
        "linear": LINEAR_LINE,
        "module": MODULE_LINE,
        "activations": {n: TORCH_ACTIVATIONS[n] for n in ACTIVATIONS if n in TORCH_ACTIVATIONS},
        "features": {n: TORCH_FEATURES[n] for n in FEATURES if n in TORCH_FEATURES},
    }


def _torch_activation(name: str) -> str:
    return _twin(TORCH_ACTIVATIONS, name, "activation", "module", "TORCH_ACTIVATIONS")


def _torch_feature(name: str) -> str:
    return _twin(TORCH_FEATURES, name, "feature", "expression", "TORCH_FEATURES")


def _twin(table: dict[str, str], name: str, what: str, twin: str, table_name: str) -> str:
    """``table[name]``, or an error saying where to add the PyTorch twin of a new one."""
    if name not in table:
        raise ValueError(
            f"the {what} {name!r} has no PyTorch {twin} yet: add it to {table_name} in "
            "nn/pytorch_export.py"
        )
    return table[name]
