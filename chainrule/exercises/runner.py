"""The child side of ``chainrule exercises check``: run one learner's file, answer calls.

The grader (:mod:`chainrule.exercises.grader`) starts this file as a script for each exercise,

    python -I runner.py FOLDER MODULE REQUESTS ANSWERS

with ``REQUESTS`` and ``ANSWERS`` the numbers of two pipes it keeps the other ends of. The
runner imports ``MODULE`` (``ops``, ``neuron`` or ``layer``) from ``FOLDER``, then answers
each request, a line of JSON ``{"function": name, "args": [...]}``, with a line of JSON on
``ANSWERS``: the function's ``{"value": …}``, or what it ``{"raised": …}``. Its very first
line says whether the import worked: ``{"ready": true}`` or ``{"import_error": …}``.

It says nothing in words: what the learner sees (an answer whose ``repr`` raised, an error
whose message cannot be shown) the grader writes, in its language. The grader sets
``CHAINRULE_LANG`` to that language too, so that the learner's code, if it uses chainrule,
gets chainrule's messages in it.

It judges nothing: the grader chose the arguments and compares the values with chainrule's
own answers. The learner's code can print whatever it likes (stdout and stderr are not the
pipes), and even write to ``ANSWERS``: that only changes its own answers, which the grader
checks for shape and type like any other.

Only the standard library is used, all of it imported before ``FOLDER`` joins ``sys.path``,
so a learner's file named ``json.py`` cannot stand in for it. ``-I`` keeps the learner's
environment variables, ``sitecustomize`` and user site out.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from pathlib import Path

REPR_LIMIT = 200
"""How much of an answer that is not JSON the grader gets to see: its ``repr``, cut."""


def main(folder: str, module: str, requests: int, answers: int) -> None:
    """Import ``module`` from ``folder``, then answer requests until the grader closes them."""
    root = Path(folder).resolve()
    sys.path.insert(0, str(root))
    try:
        learner = importlib.import_module(module)
    except BaseException as error:  # a SystemExit at import is the learner's too
        send(answers, {"import_error": described(error, root)})
        return
    send(answers, {"ready": True})
    with os.fdopen(requests, "rb") as lines:
        for line in lines:
            request = json.loads(line)
            send(answers, answer(learner, request["function"], request["args"], root))


def answer(learner: object, name: str, args: list, root: Path) -> dict:
    """Call the learner's ``name(*args)``: its value, or what it raised, as a message."""
    try:
        value = getattr(learner, name)(*args)
    except BaseException as error:  # anything the learner raises is an answer
        return {"raised": described(error, root)}
    try:
        json.dumps(value)
    except (TypeError, ValueError, RecursionError):  # a Value, a set, a list holding itself …
        try:
            return {"opaque": repr(value)[:REPR_LIMIT]}
        except Exception:  # a repr that raises still gets an answer: the grader words it
            return {"unshowable": type(value).__name__}
    return {"value": value}


def described(error: BaseException, root: Path) -> dict:
    """An exception as the grader shows it: type, message, and the learner's own lines."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if _inside(frame.filename, root)]
    where = "".join(traceback.format_list(own[-3:] or frames[-1:])).rstrip()
    place = own[-1] if own else None
    if isinstance(error, SyntaxError) and error.filename and _inside(error.filename, root):
        file, line = Path(error.filename).name, error.lineno
    else:
        file, line = (Path(place.filename).name, place.lineno) if place else ("", None)
    return {
        "type": type(error).__name__,
        "message": _message(error),
        "where": where,
        "file": file,
        "line": line,
    }


def _message(error: BaseException) -> str | None:
    try:
        return str(error)
    except Exception:  # the learner's exception class may break its own str: the grader says so
        return None


def _inside(filename: str, root: Path) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(root)
    except (OSError, ValueError):
        return False


def send(fd: int, message: dict) -> None:
    """One line of JSON on the pipe ``fd``, written whole."""
    data = (json.dumps(message) + "\n").encode("utf-8")
    while data:
        data = data[os.write(fd, data) :]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
