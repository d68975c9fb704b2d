"""Checking a name against one of nn's tables (activations, initialisations), with one message.

>>> check_name("relu", {"tanh": 1, "relu": 2}, "activation", "an")
'relu'
"""

from __future__ import annotations

from collections.abc import Mapping


def check_name(name: object, table: Mapping[str, object], kind: str, article: str = "a") -> str:
    """``name`` if it is a key of ``table``, else an error naming the ``kind`` and the choices.

    A name that is no str raises ``TypeError``, an unknown one ``ValueError``; both list
    every choice, e.g. "unknown activation 'swish'; choose one of 'tanh', 'relu', …".
    """
    choices = ", ".join(repr(choice) for choice in table)
    if not isinstance(name, str):
        raise TypeError(
            f"{article} {kind} is given by name, one of {choices}; got {type(name).__name__}: "
            f"{name!r:.80}"
        )
    if name not in table:
        raise ValueError(f"unknown {kind} {name!r}; choose one of {choices}")
    return name
