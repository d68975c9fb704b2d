"""The gallery: every bug, with its broken code, the right code and its demo, in show order.

:data:`GALLERY` is what ``chainrule bugs`` lists and the page draws, in this order;
:func:`find` looks a bug up by the name a user typed. The right code of a broken op is its
kernel, read from the op table (:func:`~chainrule.bugs.op_demos.right_code`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

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
from chainrule.bugs.runs import Outcome
from chainrule.outputs import UsageError


@dataclass(frozen=True)
class Bug:
    """One classic mistake: where it is in the broken code, and how to show it."""

    name: str
    title: str
    broken: Callable[..., object]
    fix: str
    demo: Callable[[], Outcome]
    convention: bool = False


GALLERY: tuple[Bug, ...] = (
    Bug(
        "overwrite-grad",
        "`=` instead of `+=` on a node used twice",
        backward_overwriting,
        "parent.grad += local * node.grad",
        overwrite_demo,
    ),
    Bug(
        "no-topo-order",
        "backward without a topological order",
        backward_depth_first,
        "for node in reversed(topological_order(root)): …  (every consumer first)",
        depth_first_demo,
    ),
    Bug(
        "recursive-walk",
        "a recursive walk on a deep graph",
        recursive_topological_order,
        "an explicit stack, as engine/graph.py's topological_order keeps",
        recursive_demo,
    ),
    Bug(
        "no-zero-grad",
        "no zero_grad between training steps",
        train_without_zero_grad,
        "zero_grad([w]); loss.backward()",
        zero_grad_demo,
    ),
    Bug(
        "stale-intermediates",
        "leaves reset, intermediates not",
        backward_without_reset,
        "set every operation's grad to 0.0, then root.grad = 1.0",
        stale_demo,
    ),
    Bug(
        "sub-sign",
        "the sign of a − b's second operand",
        broken_sub,
        right_code("sub"),
        sub_demo,
    ),
    Bug(
        "tanh-derivative",
        f"tanh' as 1 − x², not {local_derivative('tanh')}",
        broken_tanh,
        right_code("tanh"),
        tanh_demo,
    ),
    Bug(
        "relu-at-zero",
        "relu'(0): 0, ½ or 1",
        relu_with_slope_at_zero,
        right_code("relu"),
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
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise UsageError(f"unknown bug {name!r}{hint}; the bugs are: {', '.join(NAMES)}")
