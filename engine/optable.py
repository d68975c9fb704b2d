"""The op table: every operation the engine knows, one record each.

An :class:`Op` says everything there is to know about one operation:

    name      its key in the table, e.g. ``"mul"``
    arity     how many operands it takes
    kernel    plain floats in, ``(value, ∂value/∂operand₀, ∂value/∂operand₁, …)`` out
    formulas  each local derivative as a learner reads it, e.g. ``("{b}", "{a}")`` for a·b
    symbol    what a diagram draws in the op's oval, e.g. ``"×"``
    infix     how text writes it between its operands, e.g. ``"·"`` (empty: ``name(x)``)
    attrs     names of the numbers fixed when a node is made, e.g. ``("k",)`` for x ** k

Everything else reads the table: ``Value``'s operators are generated from it,
``Replay`` recomputes nodes with its kernels, the narration fills in its
formulas, the diagrams draw its symbols, and :func:`export_ops` hands it to
the browser pages as JSON. Adding an op is one call of ``define_op`` (in
``engine.value``), which puts one record here.

Formulas are written with placeholders: ``{a}`` and ``{b}`` are the first and
second operand, ``{out}`` the op's value, and any attribute by its name
(``{k}``). Narration puts names or numbers in their place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Kernel = Callable[..., tuple[float, ...]]
"""``kernel(*operands, *attrs) -> (value, *local_derivatives)``, all plain floats."""

TABLE_VERSION = 1


@dataclass(frozen=True, eq=False)
class Op:
    """One operation: its value, its local derivatives, and how to show them.

    Records compare by identity: the ``mul`` of the table is the ``mul`` of the
    table, and a node whose op merely has the same name is not one of its nodes.
    """

    name: str
    arity: int
    kernel: Kernel | None
    formulas: tuple[str, ...] = ()
    symbol: str = ""
    infix: str = ""
    attrs: tuple[str, ...] = ()
    doc: str = ""

    @property
    def registered(self) -> bool:
        """True when this very record is in the table (so ``Replay`` may recompute it)."""
        return OPS.get(self.name) is self

    def __call__(self, *operands: Any, **attrs: float) -> Any:
        """Apply the op to Values (or plain numbers, which become constants): ``cube(x)``."""
        from .value import apply  # the op table is below Value; Value is built on it

        return apply(self, *operands, **attrs)

    def __repr__(self) -> str:
        return f"<op {self.name}/{self.arity}>"

    def as_dict(self) -> dict[str, Any]:
        """The record as plain data (everything but the Python kernel)."""
        return {
            "name": self.name,
            "arity": self.arity,
            "formulas": list(self.formulas),
            "symbol": self.symbol,
            "infix": self.infix,
            "attrs": list(self.attrs),
            "doc": self.doc,
        }


OPS: dict[str, Op] = {}
"""The table: every registered op by name, built-ins first, in the order they were defined."""

BUILTIN: frozenset[str] = frozenset()
"""Names of the ops that come with the engine; they cannot be redefined."""


def check_redefinable(name: str) -> None:
    """Refuse to redefine a built-in op; a learner's own op may be defined again."""
    if name in BUILTIN:
        raise ValueError(
            f"{name!r} is a built-in op and cannot be redefined; give your op another name"
        )


def register(op: Op) -> Op:
    """Put ``op`` in the table; a learner's op of the same name replaces the older one."""
    check_redefinable(op.name)
    OPS[op.name] = op
    return op


def seal_builtins() -> None:
    """Mark every op in the table now as built-in (``engine.value`` calls this once)."""
    global BUILTIN
    BUILTIN = frozenset(OPS)


def hand_made(name: str, arity: int) -> Op:
    """The record of a node made directly with ``Value(…, op=name)``: never in the table.

    Such a node backprops with the local derivatives it was given, and is drawn
    and narrated under its name, but nothing can recompute it: it has no kernel.
    """
    return Op(name=name, arity=arity, kernel=None, symbol=name or "?")


def export_ops() -> dict[str, Any]:
    """The whole table as JSON-ready data: ``{"version": 1, "ops": [record, …]}``.

    The browser pages recompute graphs from this (their kernels are JavaScript
    twins of the Python ones, matched by name).
    """
    return {"version": TABLE_VERSION, "ops": [op.as_dict() for op in OPS.values()]}
