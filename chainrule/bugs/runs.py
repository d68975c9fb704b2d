"""What a bug shows: each engine's gradients on the same graph, and the graph as it left it.

A demo (:mod:`chainrule.bugs.demos`, :mod:`chainrule.bugs.op_demos`) runs the broken code
on one copy of its graph and chainrule's engine on another, and returns an
:class:`Outcome`: the wrong :class:`Run` (or runs) beside the right one. The terminal and
the page both show an outcome as :func:`gradient_table`.

Every sentence in an outcome is a :class:`Text`: the message as written in the language of
the moment (it *is* that string), which can be written again in the other language, so the
page carries both and its switch changes them in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chainrule.engine import Value, format_number
from chainrule.engine.i18n import language, message, using_language


class Text(str):
    """A message of the catalogue, filled in: the text in the current language, and its recipe.

    It is the string ``message(key, **params)`` (so it prints, compares and wraps as one),
    and it remembers ``key`` and ``params`` so that :meth:`in_language` writes it again in
    another language, nested messages (a :class:`Text` as a parameter) included, with the
    same numbers, which the code formatted before filling them in.

        >>> Text("bugs.or", first="1.0", second="0.5").in_language("zh")
        '1.0 或 0.5'
    """

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, /, **params: object) -> Text:
        text = super().__new__(cls, message(key, **params))
        text.key, text.params = key, params
        return text

    def in_language(self, lang: str) -> str:
        """This message written in ``lang``, each nested message in ``lang`` too."""
        with using_language(lang):
            params = {name: in_language(value, lang) for name, value in self.params.items()}
            return message(self.key, **params)


class PythonSaid(Text):
    """What Python itself said (an exception's words), which it says in English only.

    In English it is Python's words, letter for letter; in another language, the meaning
    the catalogue gives them under ``key``.
    """

    words: str

    def __new__(cls, words: str, key: str) -> PythonSaid:
        text = str.__new__(cls, words if language() == "en" else message(key))
        text.key, text.params, text.words = key, {}, words
        return text

    def in_language(self, lang: str) -> str:
        """Python's words in English, the catalogue's meaning of them in ``lang``."""
        return self.words if lang == "en" else super().in_language(lang)


def in_language(text: object, lang: str) -> str:
    """``text`` in ``lang`` if it is a :class:`Text`; anything else (code, a number) as it is."""
    return text.in_language(lang) if isinstance(text, Text) else str(text)


def either(choices: Sequence[str]) -> str:
    """``a or b or c`` (``a 或 b 或 c`` in Chinese): one :class:`Text`, or the only choice."""
    joined = choices[0]
    for choice in choices[1:]:
        joined = Text("bugs.or", first=joined, second=choice)
    return joined


@dataclass
class Run:
    """One engine's answer on a bug's graph.

    ``engine``   the column heading: which code computed it
    ``grads``    each quantity of the table, by row name (None: never computed)
    ``root``     the graph to draw, its grads as this engine left them
    ``nodes``    the node of ``root``'s graph that each row is the grad of (to frame it)
    ``params``   the leaves drawn as parameters (green)
    ``error``    what the engine raised instead of finishing, if it did
    ``caption``  a note under its diagram
    ``edges``    the edges ``(node, operand)`` whose local derivative is wrong in this run
    """

    engine: str
    grads: dict[str, float | None]
    root: Value
    nodes: dict[str, Value]
    params: tuple[Value, ...] = ()
    error: str = ""
    caption: str = ""
    edges: tuple[tuple[Value, int], ...] = ()


def run_of(
    engine: str,
    root: Value,
    nodes: dict[str, Value],
    *,
    params: Sequence[Value] = (),
    caption: str = "",
    edges: Sequence[tuple[Value, int]] = (),
) -> Run:
    """A :class:`Run` whose gradients are the grads its nodes hold now."""
    grads: dict[str, float | None] = {row: node.grad for row, node in nodes.items()}
    return Run(engine, grads, root, dict(nodes), tuple(params), "", caption, tuple(edges))


@dataclass(frozen=True)
class Outcome:
    """A bug on its graph: the wrong run(s), chainrule's run, and why they differ.

    ``graph`` is the graph in words with its numbers; ``key`` the row the one-line listing
    shows.
    """

    graph: str
    wrong: tuple[Run, ...]
    right: Run
    why: str
    key: str

    def differing(self, run: Run) -> list[str]:
        """The rows where ``run`` does not give chainrule's number."""
        right = self.right.grads
        return [row for row, grad in run.grads.items() if grad is None or grad != right[row]]


def derivative(root: str, node: str) -> str:
    """The row name of a gradient: ``∂b/∂a``."""
    return f"∂{root}/∂{node}"


def number_text(grad: float | None) -> str:
    """A gradient as the table shows it: ``—`` for one that was never computed."""
    return "—" if grad is None else format_number(grad)


DIFFERS = "bugs.table.differs"
"""The verdict of a row where a wrong run's number is not chainrule's."""


def differs(row: Sequence[str]) -> bool:
    """Whether a row of :func:`gradient_table` (not its heading) says a wrong number differs."""
    verdict = row[-1]
    return isinstance(verdict, Text) and verdict.key == DIFFERS


def gradient_table(outcome: Outcome) -> list[list[str]]:
    """The rows of the table: quantity, each wrong run's number, chainrule's, and a verdict."""
    runs = [*outcome.wrong, outcome.right]
    table = [["", *(run.engine for run in runs), ""]]
    for row in outcome.right.grads:
        differs = any(row in outcome.differing(run) for run in outcome.wrong)
        cells = [number_text(run.grads[row]) for run in runs]
        table.append([row, *cells, Text(DIFFERS if differs else "bugs.table.same")])
    return table
