"""The gallery: every bug, with its broken code, the right code and its demo, in show order.

:data:`GALLERY` is what ``chainrule bugs`` lists and the page draws, in this order;
:func:`find` looks a bug up by the name a user typed. The right code of a broken op is its
kernel, read from the op table (:func:`~chainrule.bugs.op_demos.right_code`). What a bug
says in words comes from the catalogue (``engine/messages/bugs.json``) when it is shown.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from chainrule.bugs.broken import (
    backward_depth_first,
    backward_overwriting,
    backward_without_reset,
    broken_sub,
    broken_tanh,
    recursive_topological_order,
    relu_with_slope_at_zero,
    train_without_zero_grad,
)
from chainrule.bugs.demos import (
    depth_first_demo,
    overwrite_demo,
    recursive_demo,
    stale_demo,
    zero_grad_demo,
)
from chainrule.bugs.op_demos import (
    local_derivative,
    relu_demo,
    right_code,
    sub_demo,
    tanh_demo,
)
from chainrule.bugs.runs import Outcome, Text
from chainrule.outputs import UsageError


@dataclass(frozen=True)
class Bug:
    """One classic mistake: where it is in the broken code, and how to show it.

    Its words are looked up when they are shown, in the language of the moment: the title
    is the catalogue's ``bugs.NAME.title`` (filled with ``title_params()``), and ``right()``
    gives the right code, or the words that say what the right code does.
    """

    name: str
    broken: Callable[..., object]
    right: Callable[[], str]
    demo: Callable[[], Outcome]
    convention: bool = False
    title_params: Callable[[], dict[str, str]] = dict

    @property
    def title(self) -> Text:
        """The mistake in a few words (``bugs.NAME.title``)."""
        return Text(f"bugs.{self.name}.title", **self.title_params())

    @property
    def fix(self) -> str:
        """The right version of the broken line: code, or words about the code."""
        return self.right()


def _code(code: str) -> Callable[[], str]:
    """The right code itself, the same in every language."""
    return lambda: code


def _words(name: str) -> Callable[[], str]:
    """The right code said in words, the catalogue's ``bugs.NAME.fix``."""
    return partial(Text, f"bugs.{name}.fix")


GALLERY: tuple[Bug, ...] = (
    Bug(
        "overwrite-grad",
        backward_overwriting,
        _code("parent.grad += local * node.grad"),
        overwrite_demo,
    ),
    Bug("no-topo-order", backward_depth_first, _words("no-topo-order"), depth_first_demo),
    Bug("recursive-walk", recursive_topological_order, _words("recursive-walk"), recursive_demo),
    Bug(
        "no-zero-grad",
        train_without_zero_grad,
        _code("zero_grad([w]); loss.backward()"),
        zero_grad_demo,
    ),
    Bug(
        "stale-intermediates",
        backward_without_reset,
        _words("stale-intermediates"),
        stale_demo,
    ),
    Bug("sub-sign", broken_sub, partial(right_code, "sub"), sub_demo),
    Bug(
        "tanh-derivative",
        broken_tanh,
        partial(right_code, "tanh"),
        tanh_demo,
        title_params=lambda: {"derivative": local_derivative("tanh")},
    ),
    Bug(
        "relu-at-zero",
        relu_with_slope_at_zero,
        partial(right_code, "relu"),
        relu_demo,
        convention=True,
    ),
)
NAMES = tuple(bug.name for bug in GALLERY)


def find(name: str) -> Bug:
    """The bug called ``name`` (case and ``_``/``-`` do not matter), or a UsageError listing all."""
    wanted = name.strip().lower().replace("_", "-")
    for bug in GALLERY:
        if bug.name == wanted:
            return bug
    close = [n for n in NAMES if wanted and n.startswith(wanted)]
    close = close or difflib.get_close_matches(wanted, NAMES, n=1)
    names = ", ".join(NAMES)
    if close:
        raise UsageError(Text("bugs.unknown_close", name=repr(name), close=close[0], names=names))
    raise UsageError(Text("bugs.unknown", name=repr(name), names=names))
