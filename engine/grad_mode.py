"""Switching graph recording off, for evaluation.

Inside ``with no_grad():`` every operation still computes its value, but the
result records no parents: it is a leaf, and no graph is kept alive. This is
how a trained model is evaluated on many points without building (and then
freeing) a graph per point.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class _GradMode:
    """Process-wide switch read by every operation (not thread-local)."""

    __slots__ = ("enabled",)

    def __init__(self) -> None:
        self.enabled = True


state = _GradMode()


def is_grad_enabled() -> bool:
    """True when operations record their parents (the default)."""
    return state.enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Run a block without recording the graph; the previous mode is restored on exit.

    >>> from chainrule.engine import Value, no_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.parents
    ()
    """
    previous = state.enabled
    state.enabled = False
    try:
        yield
    finally:
        state.enabled = previous
