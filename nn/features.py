"""Input features of a point (x₁, x₂), as TensorFlow Playground offers them.

A network in the plane need not see only x₁ and x₂: Playground lets a learner feed it
any of seven functions of the point, and a circle that a 2-input network needs hidden
neurons for is a straight line in x₁² and x₂². Each feature has an id (used in files
and in the playground page's configuration), the label shown, and its function:

    x1      x₁          x2      x₂
    x1sq    x₁²         x2sq    x₂²         x1x2    x₁x₂
    sinx1   sin x₁      sinx2   sin x₂

The products are computed as ``x1 * x1`` and ``x1 * x2`` and the sines with
``math.sin``, so the page's JavaScript (``Math.sin``, ``x1 * x1``) computes the same numbers.

    >>> from chainrule.nn import featurize
    >>> featurize([0.5, -2.0], ["x1", "x2", "x1sq", "x1x2"])
    [0.5, -2.0, 0.25, -1.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from numbers import Real

FeatureFunction = Callable[[float, float], float]

FEATURES: dict[str, tuple[str, FeatureFunction]] = {
    "x1": ("x₁", lambda x1, x2: x1),
    "x2": ("x₂", lambda x1, x2: x2),
    "x1sq": ("x₁²", lambda x1, x2: x1 * x1),
    "x2sq": ("x₂²", lambda x1, x2: x2 * x2),
    "x1x2": ("x₁x₂", lambda x1, x2: x1 * x2),
    "sinx1": ("sin x₁", lambda x1, x2: math.sin(x1)),
    "sinx2": ("sin x₂", lambda x1, x2: math.sin(x2)),
}
"""Feature id → (the label shown, its function of (x₁, x₂)), in Playground's order."""


def check_features(ids: Iterable[str]) -> tuple[str, ...]:
    """``ids`` as a tuple of known, distinct feature ids; a clear error otherwise.

    >>> check_features(["x1sq", "x2sq"])
    ('x1sq', 'x2sq')
    >>> check_features(["x1", "x3"])
    Traceback (most recent call last):
    ...
    ValueError: unknown feature 'x3'; choose from x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2
    """
    choices = ", ".join(FEATURES)
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise TypeError(
            f"features must be a list of feature ids, e.g. ['x1', 'x2']; got "
            f"{type(ids).__name__}: {ids!r:.80}"
        )
    checked = tuple(ids)
    if not checked:
        raise ValueError(f"no input features chosen: choose at least one of {choices}")
    seen: set[str] = set()
    for feature in checked:
        if not isinstance(feature, str):
            raise TypeError(
                f"a feature is named by its id, a str; got {type(feature).__name__}: "
                f"{feature!r:.80}"
            )
        if feature not in FEATURES:
            raise ValueError(f"unknown feature {feature!r:.80}; choose from {choices}")
        if feature in seen:
            raise ValueError(f"the feature {feature!r} is chosen twice; choose each at most once")
        seen.add(feature)
    return checked


def featurize(point: Sequence[float], ids: Iterable[str]) -> list[float]:
    """The features ``ids`` (see :data:`FEATURES`) of ``point`` = (x₁, x₂), in that order."""
    checked = check_features(ids)
    if isinstance(point, (str, bytes)) or not isinstance(point, Sequence) or len(point) != 2:
        raise ValueError(f"a point is a pair of numbers [x1, x2]; got {point!r:.80}")
    for k, x in enumerate(point):
        if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x):
            raise ValueError(f"coordinate {k} of the point must be a finite number, got {x!r:.80}")
    x1, x2 = float(point[0]), float(point[1])
    return [float(FEATURES[feature][1](x1, x2)) for feature in checked]
