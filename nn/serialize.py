"""Saving an MLP as JSON and reading it back, every float exactly.

The file holds the architecture and, layer by layer and neuron by neuron,
the weights W^l_j (one row of W^l) and the bias b^l_j:

    {"format": "chainrule.nn.MLP", "version": 1, "nin": 2, "nouts": [3, 1],
     "activation": "tanh", "output_activation": "linear",
     "layers": [[{"w": [0.12, -0.5], "b": 0.03}, …], …]}

and, when the model knows them (``model.features``, ``model.loss``), two optional keys:
``"features"``, the feature ids its inputs are made of (``nn.FEATURES``; the playground
writes them), and ``"loss"``, the name of the loss it was trained with (``nn.losses.LOSSES``).

``"activation"`` is one name for every hidden layer, or a list of names, one per hidden
layer (``["relu", "tanh"]``), as the model was given it (``MLP(..., activation=...)``).

Python writes a float as the shortest decimal that reads back as the same
float, so a round-trip is exact.

Saving writes a temporary file of its own (a unique name beginning with a dot,
in the same folder) and renames it over ``path`` in one step, so ``path`` is
either the old file or the whole new one, and no other file is touched.

Reading checks the whole file before a model is built: a bad file raises
``ValueError`` (and only ``ValueError``) with the file's name, quoting at most
a few dozen characters of it, and nothing is half-loaded. A file over
``MAX_FILE_BYTES`` (5 MB; a model of this size has hundreds of thousands of
weights) is refused after reading at most that many bytes, so an endless
device such as ``/dev/zero`` is refused too.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .activations import ACTIVATIONS
from .features import check_features
from .losses import LOSSES

if TYPE_CHECKING:
    from .module import MLP

FORMAT = "chainrule.nn.MLP"
VERSION = 1

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest model file :func:`load` reads (5 MB); a larger one is refused before parsing."""

QUOTE = 80
"""At most this many characters of a value from the file are quoted in an error message."""


@dataclass(frozen=True)
class SavedMLP:
    """A checked model file: the architecture and ``layers[l - 1][j] = (W^l_j row, b^l_j)``."""

    nin: int
    nouts: list[int]
    activation: str | list[str]
    output_activation: str
    layers: list[list[tuple[list[float], float]]]
    features: tuple[str, ...] | None = None
    loss: str | None = None


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
        "activation": model.activation,  # one name, or a list: one per hidden layer
        "output_activation": model.output_activation,
        "layers": [
            [{"w": [w.data for w in neuron.w], "b": neuron.b.data} for neuron in layer.neurons]
            for layer in model.layers
        ],
    }
    if model.features is not None:
        document["features"] = list(check_features(model.features))
    if model.loss is not None:
        document["loss"] = _checked_loss(model.loss)
    text = json.dumps(document, allow_nan=False)
    write_atomically(path, text.encode("utf-8"))


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a unique temporary file in the same folder.

    The temporary file (``.NAME.XXXXXXXX.tmp``, made by :func:`tempfile.mkstemp`) gets
    the permissions a new file would get, or those of the file it replaces, and is
    renamed over ``path`` with :func:`os.replace`. On any failure only that temporary
    file is removed: ``path`` keeps its old content and no other file is touched.
    """
    target = os.fspath(path)
    folder, name = os.path.split(target)
    handle, temporary = tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def _mode_for(path: str) -> int:
    """The permission bits of the file at ``path``, or those a new file gets under the umask."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def load(path: str | os.PathLike[str]) -> SavedMLP:
    """Read and check a file written by :func:`save`; ``ValueError`` says what is wrong.

    Any bad file (missing, unreadable, a folder, over ``MAX_FILE_BYTES``, not UTF-8,
    not JSON, nested too deeply, the wrong content) raises ``ValueError`` naming it.
    """
    where = f"cannot load a model from {_quote(os.fspath(path), 200)}"
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ValueError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{where}: it is a directory, not a model file") from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ValueError(f"{where}: {reason}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"{where}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the limit "
            "for a model file (a model saved by MLP.save that large would have hundreds of "
            "thousands of weights)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{where}: not a text file (a model file is UTF-8 JSON)") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{where}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno}); "
            "the file is truncated or is not a model saved with MLP.save"
        ) from None
    except RecursionError:
        raise ValueError(f"{where}: its JSON is nested too deeply to be a model file") from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise ValueError(f"{where}: {_shorten(str(error))}") from None
    try:
        return _parse(document)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _quote(value: object, limit: int = QUOTE) -> str:
    """``repr(value)``, cut to ``limit`` characters with "…" (a huge int by its digit count)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"an integer of {len(str(abs(value)))} digits"
    return _shorten(repr(value), limit)


def _shorten(text: str, limit: int = 2 * QUOTE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reject_constant(name: str) -> float:
    raise ValueError(f"the file contains {name}, but every weight must be a finite number")


def _parse(document: object) -> SavedMLP:
    if not isinstance(document, dict):
        raise ValueError(f"expected a JSON object, found {type(document).__name__}")
    if document.get("format") != FORMAT:
        raise ValueError(f'"format" is {_quote(document.get("format"))}, expected {FORMAT!r}')
    if document.get("version") != VERSION:
        raise ValueError(
            f'"version" is {_quote(document.get("version"))}, this code reads {VERSION}'
        )
    for key in ("nin", "nouts", "activation", "output_activation", "layers"):
        if key not in document:
            raise ValueError(f'the key "{key}" is missing')
    nin, nouts = document["nin"], document["nouts"]
    if not _is_count(nin):
        raise ValueError(f'"nin" must be a positive integer, found {_quote(nin)}')
    if not isinstance(nouts, list) or not nouts or not all(_is_count(n) for n in nouts):
        raise ValueError(
            f'"nouts" must be a non-empty list of positive integers, found {_quote(nouts)}'
        )
    activation = document["activation"]
    if isinstance(activation, list):
        if len(activation) != len(nouts) - 1:
            raise ValueError(
                f'"activation" lists {len(activation)} activations, but "nouts" has '
                f"{len(nouts) - 1} hidden layers: one per hidden layer"
            )
        for name in activation:
            _check_activation_name("activation", name)
    else:
        _check_activation_name("activation", activation)
    _check_activation_name("output_activation", document["output_activation"])
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
    features = None
    if "features" in document:
        ids = document["features"]
        if not isinstance(ids, list):
            raise ValueError(f'"features" must be a list of feature ids, found {_quote(ids)}')
        try:
            features = check_features(ids)
        except (TypeError, ValueError) as error:
            raise ValueError(f'"features": {error}') from None
        if len(features) != nin:
            raise ValueError(
                f'"features" lists {len(features)} features, but "nin" is {nin}: one feature '
                "per input"
            )
    loss = _checked_loss(document["loss"]) if "loss" in document else None
    return SavedMLP(nin, nouts, activation, document["output_activation"], parsed, features, loss)


def _check_activation_name(key: str, name: object) -> None:
    if not isinstance(name, str) or name not in ACTIVATIONS:
        choices = ", ".join(repr(choice) for choice in ACTIVATIONS)
        raise ValueError(f'"{key}": unknown activation {_quote(name)}; choose one of {choices}')


def _checked_loss(name: object) -> str:
    if not isinstance(name, str) or name not in LOSSES:
        choices = ", ".join(repr(choice) for choice in LOSSES)
        raise ValueError(f'"loss": unknown loss {_quote(name)}; choose one of {choices}')
    return name


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
            raise ValueError(f"W[{layer}][{j}][{k}] must be a number, found {_quote(value)}")
    if not _is_number(b):
        raise ValueError(f"b[{layer}][{j}] must be a number, found {_quote(b)}")
    return [float(value) for value in w], float(b)


def _is_count(n: object) -> bool:
    """A whole number ≥ 1 (and no larger than a file under the size limit could describe)."""
    return isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_FILE_BYTES


def _is_number(x: object) -> bool:
    """A finite int or float that converts to a float (an int of 400 digits does not)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return False
    try:
        return math.isfinite(float(x))
    except OverflowError:
        return False
