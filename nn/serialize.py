"""Saving an MLP as JSON and reading it back, every float exactly.

The file holds the architecture and, layer by layer and neuron by neuron,
the weights W^l_j (one row of W^l) and the bias b^l_j:

    {"format": "chainrule.nn.MLP", "version": 1, "nin": 2, "nouts": [3, 1],
     "activation": "tanh", "output_activation": "linear",
     "layers": [[{"w": [0.12, -0.5], "b": 0.03}, …], …]}

Python writes a float as the shortest decimal that reads back as the same
float, so a round-trip is exact. Reading checks the whole file before a model
is built: a bad file raises ``ValueError`` and nothing is half-loaded.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .activations import check_activation

if TYPE_CHECKING:
    from .module import MLP

FORMAT = "chainrule.nn.MLP"
VERSION = 1


@dataclass(frozen=True)
class SavedMLP:
    """A checked model file: the architecture and ``layers[l - 1][j] = (W^l_j row, b^l_j)``."""

    nin: int
    nouts: list[int]
    activation: str
    output_activation: str
    layers: list[list[tuple[list[float], float]]]


def save(model: MLP, path: str | os.PathLike[str]) -> None:
    """Write ``model`` to ``path`` via a temporary file, so a failed save leaves no partial file."""
    for name, p in model.named_parameters():
        if not math.isfinite(p.data):
            raise ValueError(
                f"cannot save the model: parameter {name} is {p.data!r}; JSON has no NaN or "
                "infinity (training probably diverged: lower the learning rate)"
            )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "nin": model.nin,
        "nouts": model.nouts,
        "activation": model.activation,
        "output_activation": model.output_activation,
        "layers": [
            [{"w": [w.data for w in neuron.w], "b": neuron.b.data} for neuron in layer.neurons]
            for layer in model.layers
        ],
    }
    text = json.dumps(document, allow_nan=False)
    temporary = f"{os.fspath(path)}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def load(path: str | os.PathLike[str]) -> SavedMLP:
    """Read and check a file written by :func:`save`; ``ValueError`` says what is wrong."""
    where = f"cannot load a model from {os.fspath(path)!r}"
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise ValueError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{where}: it is a directory, not a model file") from None
    except UnicodeDecodeError:
        raise ValueError(f"{where}: not a text file (a model file is UTF-8 JSON)") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{where}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno}); "
            "the file is truncated or is not a model saved with MLP.save"
        ) from None
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    try:
        return _parse(document)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _reject_constant(name: str) -> float:
    raise ValueError(f"the file contains {name}, but every weight must be a finite number")


def _parse(document: object) -> SavedMLP:
    if not isinstance(document, dict):
        raise ValueError(f"expected a JSON object, found {type(document).__name__}")
    if document.get("format") != FORMAT:
        raise ValueError(f'"format" is {document.get("format")!r}, expected {FORMAT!r}')
    if document.get("version") != VERSION:
        raise ValueError(f'"version" is {document.get("version")!r}, this code reads {VERSION}')
    for key in ("nin", "nouts", "activation", "output_activation", "layers"):
        if key not in document:
            raise ValueError(f'the key "{key}" is missing')
    nin, nouts = document["nin"], document["nouts"]
    if not _is_count(nin):
        raise ValueError(f'"nin" must be a positive integer, found {nin!r:.80}')
    if not isinstance(nouts, list) or not nouts or not all(_is_count(n) for n in nouts):
        raise ValueError(
            f'"nouts" must be a non-empty list of positive integers, found {nouts!r:.80}'
        )
    for key in ("activation", "output_activation"):
        try:
            check_activation(document[key])
        except (TypeError, ValueError) as error:
            raise ValueError(f'"{key}": {error}') from None
    layers = document["layers"]
    if not isinstance(layers, list) or len(layers) != len(nouts):
        found = len(layers) if isinstance(layers, list) else type(layers).__name__
        raise ValueError(f'"layers" must list {len(nouts)} layers (one per width), found {found}')
    widths = [nin, *nouts]
    parsed = []
    for i, neurons in enumerate(layers):
        number, nout, n_in = i + 1, widths[i + 1], widths[i]
        if not isinstance(neurons, list) or len(neurons) != nout:
            found = len(neurons) if isinstance(neurons, list) else type(neurons).__name__
            raise ValueError(f"layer {number} must have {nout} neurons, found {found}")
        parsed.append([_parse_neuron(neuron, number, j, n_in) for j, neuron in enumerate(neurons)])
    return SavedMLP(nin, nouts, document["activation"], document["output_activation"], parsed)


def _parse_neuron(neuron: object, layer: int, j: int, n_in: int) -> tuple[list[float], float]:
    """Row j of W^layer and the bias b^layer_j, checked."""
    if not isinstance(neuron, dict) or "w" not in neuron or "b" not in neuron:
        raise ValueError(f'layer {layer} neuron {j} must be an object with "w" and "b"')
    w, b = neuron["w"], neuron["b"]
    if not isinstance(w, list) or len(w) != n_in:
        found = len(w) if isinstance(w, list) else type(w).__name__
        raise ValueError(
            f"layer {layer} neuron {j} must have {n_in} weights (the width of the layer below), "
            f"found {found}"
        )
    for k, value in enumerate(w):
        if not _is_number(value):
            raise ValueError(f"W[{layer}][{j}][{k}] must be a number, found {value!r:.80}")
    if not _is_number(b):
        raise ValueError(f"b[{layer}][{j}] must be a number, found {b!r:.80}")
    return [float(value) for value in w], float(b)


def _is_count(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 1


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
