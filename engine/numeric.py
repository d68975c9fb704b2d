"""The one central difference every numeric check in chainrule uses, over plain floats.

    ∂f/∂x_k ≈ (f(x + h·e_k) − f(x − h·e_k)) / 2h

with ``h = eps`` (``gradcheck``, the exercises' checks), or, with ``relative=True``,
``h = eps·max(1, |x_k|)`` rounded to a step that ``x_k + h`` represents exactly
(``check_local_grads``, where an operand may be large).

:func:`chainrule.engine.gradcheck.central_difference` (the same on a function of
Values), :mod:`chainrule.engine.localcheck` and :mod:`chainrule.exercises.checks` all
call :func:`central_difference` here, through this module, so the three always agree.

    >>> central_difference(lambda p: p[0] ** 2 * p[1], [3.0, 2.0], 0)
    12.00000000...
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

PlainFunction = Callable[[list[float]], float]


def central_step(x: float, eps: float = 1e-6, *, relative: bool = False) -> float:
    """The step h the central difference takes from ``x``: ``eps``, or relative to ``|x|``.

    With ``relative=True`` it is ``eps·max(1, |x|)``, rounded so that ``x + h`` is exact.
    """
    if not relative:
        return eps
    step = eps * max(1.0, abs(x))
    return (x + step) - x  # a step the float x + step represents exactly


def central_difference(
    f: PlainFunction,
    point: Sequence[float],
    index: int,
    eps: float = 1e-6,
    *,
    relative: bool = False,
) -> float:
    """∂f/∂x_index at ``point`` by central difference; ``f`` takes a list of floats.

    The step is :func:`central_step` (``eps``, or ``eps·max(1, |x|)`` when ``relative``);
    ``f`` is called at ``point`` moved up by it, then moved down.
    """
    x = point[index]
    step = central_step(x, eps, relative=relative)
    up, down = list(point), list(point)
    up[index] = x + step
    down[index] = x - step
    return (f(up) - f(down)) / (2.0 * step)
