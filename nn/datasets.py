"""Toy data sets in the plane, pure Python and seeded: five of two classes, two of regression.

Every generator is called as ``make_moons(n=100, noise=0.1, seed=0)`` and
returns ``(points, labels)``: ``n`` points ``[x0, x1]`` (roughly within [−1, 1]², moons
within [−1, 2] × [−0.5, 1]) and their labels, in shuffled order: 0 or 1 for the
classification sets, a real number y in about [−1, 1] for the regression sets (the target
of ``mse_loss``). ``noise`` is the standard deviation of Gaussian jitter added to each
coordinate after the label is read, so a noisy point carries the label of where it was
drawn. ``signed_labels(labels)`` turns 0/1 into −1/+1 for ``hinge_loss``.

    make_moons      two interleaving half circles (scikit-learn's moons)
    make_circles    a disc (1) inside a ring (0)                    ┐
    make_xor        quadrants: 1 where x0·x1 > 0, else 0            │ TensorFlow
    make_gauss      two Gaussian blobs around ±(0.4, 0.4)           │ Playground's
    make_spiral     two interleaved spirals of 1.75 turns           ┘ four
                    (``classes=K``: K spirals, labels 0 … K−1)
    make_blobs      K Gaussian blobs on a circle, labels 0 … K−1 (``classes=3`` by default)
    make_reg_plane  y = 0.6·(x0 + x1), a tilted plane               ┐ and its two
    make_reg_gauss  six bumps of height ±1 in two rows of three     ┘ regression sets

The regression sets are Playground's ``regressPlane`` and ``regressGaussian`` (its
``dataset.ts``) with the plane shrunk from [−6, 6]² to [−1, 1]²: the same values at the
same places. Playground reads the label at a noisy copy of the point; here, as for the
classification sets, the point itself moves.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from numbers import Real
from typing import TypeVar

Point = list[float]
Dataset = tuple[list[Point], list[int]]
RegressionDataset = tuple[list[Point], list[float]]
Label = TypeVar("Label", int, float)

MIN_CLASSES, MAX_CLASSES = 2, 5
"""How many classes a softmax output with cross-entropy takes here: from 2 to 5."""
BLOB_RADIUS = 0.6
"""make_blobs puts its blobs' centres on a circle of this radius."""
PLANE_SLOPE = 0.6
"""Playground's plane, y = (x + y)/10 on [−6, 6]², is y = 0.6·(x0 + x1) on [−1, 1]²."""
BUMPS = (
    (-2 / 3, 5 / 12, 1.0),
    (0.0, 5 / 12, -1.0),
    (2 / 3, 5 / 12, 1.0),
    (-2 / 3, -5 / 12, -1.0),
    (0.0, -5 / 12, 1.0),
    (2 / 3, -5 / 12, -1.0),
)
"""make_reg_gauss's bumps (centre x0, centre x1, sign): Playground's (±4 or 0, ±2.5) ÷ 6."""
BUMP_RADIUS = 1 / 3
"""A bump falls linearly from ±1 at its centre to 0 at this distance (Playground's 2 ÷ 6)."""


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Upper half circle (cos t, sin t) → 0, and lower (1 − cos t, ½ − sin t) → 1, t ∈ [0, π]."""
    rng = _rng(n, noise, seed, "make_moons")
    n_upper = n // 2
    points = [((math.cos(t), math.sin(t)), 0) for t in _linspace(0.0, math.pi, n_upper)]
    points += [
        ((1.0 - math.cos(t), 0.5 - math.sin(t)), 1) for t in _linspace(0.0, math.pi, n - n_upper)
    ]
    return _jitter_and_shuffle(points, noise, rng)


def make_circles(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Radius r ∈ [0, 0.5] → 1 (the disc) and r ∈ [0.7, 1] → 0 (the ring), at random angles."""
    rng = _rng(n, noise, seed, "make_circles")
    points = []
    for i in range(n):
        label = 1 if i < n // 2 else 0
        r = rng.uniform(0.0, 0.5) if label == 1 else rng.uniform(0.7, 1.0)
        angle = rng.uniform(0.0, 2.0 * math.pi)
        points.append(((r * math.cos(angle), r * math.sin(angle)), label))
    return _jitter_and_shuffle(points, noise, rng)


def make_xor(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Uniform in [−1, 1]², kept 0.06 away from the axes; label 1 where x0·x1 > 0 (before noise)."""
    rng = _rng(n, noise, seed, "make_xor")
    points = []
    for _ in range(n):
        x0, x1 = (_away_from_axis(rng.uniform(-1.0, 1.0)) for _ in range(2))
        points.append(((x0, x1), 1 if x0 * x1 > 0 else 0))
    return _jitter_and_shuffle(points, noise, rng)


def make_gauss(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Blobs of spread 0.15 around (0.4, 0.4) → 1 and (−0.4, −0.4) → 0."""
    rng = _rng(n, noise, seed, "make_gauss")
    points = []
    for i in range(n):
        label = 1 if i < n // 2 else 0
        center = 0.4 if label == 1 else -0.4
        points.append(((rng.gauss(center, 0.15), rng.gauss(center, 0.15)), label))
    return _jitter_and_shuffle(points, noise, rng)


def make_spiral(
    n: int = 100, noise: float = 0.1, seed: int | None = 0, classes: int = 2
) -> Dataset:
    """Point i of m per arm at (r sin θ, r cos θ): r = i/m, θ = 1.75·2π·i/m (+ π for class 0).

    ``classes=K`` (2 to 5) makes K arms, arm k (label k) turned by 2πk/K, with n/K points
    each (the first arms one more when K does not divide n). Two classes are Playground's.
    """
    rng = _rng(n, noise, seed, "make_spiral")
    _check_classes(classes, "make_spiral")
    if classes == 2:
        arms = [(1, n // 2, 0.0), (0, n - n // 2, math.pi)]
    else:
        arms = [(k, _share(n, classes, k), 2.0 * math.pi * k / classes) for k in range(classes)]
    points = []
    for label, count, delta in arms:
        for i in range(count):
            r = i / count
            theta = 1.75 * 2.0 * math.pi * i / count + delta
            points.append(((r * math.sin(theta), r * math.cos(theta)), label))
    return _jitter_and_shuffle(points, noise, rng)


def make_blobs(n: int = 100, noise: float = 0.1, seed: int | None = 0, classes: int = 3) -> Dataset:
    """K blobs of spread 0.15, blob k (label k) around 0.6·(cos φ_k, sin φ_k), φ_k = π/2 + 2πk/K.

    Each blob has n/K points (the first blobs one more when K does not divide n).
    """
    rng = _rng(n, noise, seed, "make_blobs")
    _check_classes(classes, "make_blobs")
    points = []
    for k in range(classes):
        angle = math.pi / 2 + 2.0 * math.pi * k / classes
        cx, cy = BLOB_RADIUS * math.cos(angle), BLOB_RADIUS * math.sin(angle)
        for _ in range(_share(n, classes, k)):
            points.append(((rng.gauss(cx, 0.15), rng.gauss(cy, 0.15)), k))
    return _jitter_and_shuffle(points, noise, rng)


def _share(n: int, parts: int, k: int) -> int:
    """Part k's share when n things are dealt into ``parts``: the first n mod parts get one more."""
    return n // parts + (1 if k < n % parts else 0)


def _check_classes(classes: object, who: str) -> None:
    if isinstance(classes, bool) or not isinstance(classes, int):
        raise TypeError(f"{who} classes must be an int, got {classes!r:.80}")
    if not MIN_CLASSES <= classes <= MAX_CLASSES:
        raise ValueError(
            f"{who} classes must be from {MIN_CLASSES} to {MAX_CLASSES}, got {classes}"
        )


def make_reg_plane(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> RegressionDataset:
    """Uniform in [−1, 1]², target y = 0.6·(x0 + x1): from −1.2 to 1.2 along the diagonal."""
    rng = _rng(n, noise, seed, "make_reg_plane")
    points = []
    for _ in range(n):
        x0, x1 = rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)
        points.append(((x0, x1), PLANE_SLOPE * (x0 + x1)))
    return _jitter_and_shuffle(points, noise, rng)


def make_reg_gauss(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> RegressionDataset:
    """Uniform in [−1, 1]², target the strongest of six bumps ±max(0, 1 − d/⅓) at distance d.

    The bumps alternate in sign along two rows (``BUMPS``); where none reaches, y = 0.
    """
    rng = _rng(n, noise, seed, "make_reg_gauss")
    points = []
    for _ in range(n):
        x0, x1 = rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)
        points.append(((x0, x1), _strongest_bump(x0, x1)))
    return _jitter_and_shuffle(points, noise, rng)


def _strongest_bump(x0: float, x1: float) -> float:
    """The bump value of largest magnitude at (x0, x1), the first one on a tie (0 if none)."""
    label = 0.0
    for cx, cy, sign in BUMPS:
        height = max(0.0, 1.0 - math.hypot(x0 - cx, x1 - cy) / BUMP_RADIUS)
        if height > abs(label):
            label = sign * height
    return label


CLASSIFICATION_DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "gauss": make_gauss,
    "spiral": make_spiral,
}
"""The data sets of two classes (labels 0 and 1), by name."""

MULTICLASS_DATASETS = {"spiral": make_spiral, "blobs": make_blobs}
"""The data sets that take ``classes=K`` (2 to 5), labels 0 … K−1, by name."""

REGRESSION_DATASETS = {"reg-plane": make_reg_plane, "reg-gauss": make_reg_gauss}
"""The data sets of real-valued targets, by name (Playground's names): learnt with ``mse``."""

DATASETS = {**CLASSIFICATION_DATASETS, **REGRESSION_DATASETS}
"""Every data set by name, as the command line and the playground offer them."""


def loss_for(dataset: str, loss: str | None = None) -> str:
    """The name of the loss to learn ``dataset`` with: ``loss``, or else the data set's own.

    A regression set's real targets are learnt by ``"mse"`` only, its default; classes by
    default with ``"bce"``. Asking for another loss on a regression set raises ValueError.
    """
    regression = dataset in REGRESSION_DATASETS
    if loss is None:
        return "mse" if regression else "bce"
    if regression and loss != "mse":
        raise ValueError(
            f"{dataset} is a regression data set: its targets are real numbers, which only "
            f"the loss mse (½(a^L − y)²) can learn; got loss={loss!r}. Choose the loss mse"
        )
    return loss


def signed_labels(y: Sequence[int]) -> list[int]:
    """0/1 labels as −1/+1 (y ↦ 2y − 1), the labels ``hinge_loss`` needs."""
    signed = []
    for i, label in enumerate(y):
        if isinstance(label, bool) or label not in (0, 1):
            raise ValueError(f"signed_labels takes labels 0 or 1, got {label!r:.80} at index {i}")
        signed.append(2 * int(label) - 1)
    return signed


def _rng(n: object, noise: object, seed: object, who: str) -> random.Random:
    """Check the common arguments and return the generator's random source."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{who} n (the number of points) must be an int, got {n!r:.80}")
    if n < 1:
        raise ValueError(f"{who} n (the number of points) must be ≥ 1, got {n}")
    if isinstance(noise, bool) or not isinstance(noise, Real):
        raise TypeError(f"{who} noise must be a number (a standard deviation), got {noise!r:.80}")
    if not 0.0 <= noise < math.inf:
        raise ValueError(
            f"{who} noise is a standard deviation: it must be finite and ≥ 0, got {noise!r}"
        )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"{who} seed must be an int or None, got {seed!r:.80}")
    return random.Random(seed)


def _linspace(start: float, stop: float, count: int) -> list[float]:
    if count == 1:
        return [start]
    step = (stop - start) / (count - 1)
    return [start + i * step for i in range(count)]


def _away_from_axis(u: float, padding: float = 0.06) -> float:
    return u + padding if u > 0 else u - padding


def _jitter_and_shuffle(
    points: list[tuple[tuple[float, float], Label]], noise: float, rng: random.Random
) -> tuple[list[Point], list[Label]]:
    rng.shuffle(points)
    jittered = [[x0 + rng.gauss(0.0, noise), x1 + rng.gauss(0.0, noise)] for (x0, x1), _ in points]
    return jittered, [label for _, label in points]
