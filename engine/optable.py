"""The op table: every operation the engine knows, one record each, made from one definition.

An op is defined once (``define_op`` in ``engine.value``), as formulas::

    define_op("cube", value="a**3", grads=["3*a**2"])

and its :class:`OpRecord` holds everything read from that definition:

    name        its key in the table, e.g. ``"mul"``
    arity       how many operands it takes (1 or 2): ``a``, or ``a`` and ``b``
    attrs       names of numbers fixed when a node is made, e.g. ``("k",)`` for x ** k
    kernel      plain floats in, ``(value, ∂value/∂a[, ∂value/∂b])`` out: compiled once
    function    the value alone, for other formulas that call this op
    formulas    each local derivative as a learner reads it, e.g. ``("3·{a}²",)``
    symbol      what a diagram draws in the op's oval, e.g. ``"×"``
    infix       how text writes it between its operands, e.g. ``"·"`` (empty: ``name(x)``)
    value_formula, grad_formulas   the formulas as written (``"a**3"``, ``("3*a**2",)``)
    value_tree, grad_trees   the parsed formulas (``engine.formula``), for higher derivatives
    domain      the conditions its operands must meet, with the message when they don't
    overflow    its own words for a result too large for a float
    python, javascript       the source the kernel was compiled from, and its JavaScript twin

Everything else reads the table: ``Value``'s operators are generated from it, ``Replay``
recomputes nodes with its kernels, the narration fills in its formulas, the diagrams draw its
symbols, and :func:`export_ops` hands it, JavaScript kernels included, to the browser pages.

Formulas for narration use placeholders: ``{a}`` and ``{b}`` are the operands, ``{out}`` the
op's value, and each attr by its name (``{k}``).
"""

from __future__ import annotations

import json
import keyword
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import formula
from .errors import DivisionByZeroError, DomainError, MathError, NumberOverflowError
from .i18n import LANGUAGES, language

Kernel = Callable[..., tuple[float, ...]]
"""``kernel(*operands, *attrs) -> (value, *local_derivatives)``, all plain floats."""

Words = Mapping[str, str]
"""A message in every language: ``{"en": "log needs a positive input", "zh": "…"}``."""

TABLE_VERSION = 2
OPERANDS = ("a", "b")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
"""Op names: ASCII identifiers, the same names in Python and in JavaScript."""
ATTR = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
"""Attr names: ASCII identifiers that do not start with _ (the generated code's own names do)."""

ERROR_KINDS: dict[str, type[MathError]] = {
    "DomainError": DomainError,
    "DivisionByZeroError": DivisionByZeroError,
    "NumberOverflowError": NumberOverflowError,
}


@dataclass(frozen=True, slots=True)
class Domain:
    """A condition an op's operands must meet, and what to say when they don't.

    ``condition`` is a formula (``"a > 0"``); ``message`` (in each language, see
    :func:`check_words`) may name the operands and attrs as ``{a}``, ``{k}``…, shown as
    numbers; ``error`` is the engine error raised.
    """

    condition: str
    message: Words
    error: type[MathError]
    tree: formula.Node


@dataclass(frozen=True, eq=False)
class OpRecord:
    """One operation: its value, its local derivatives, and how to show them.

    Records compare by identity: the ``mul`` of the table is the ``mul`` of the table, and
    a node whose op merely has the same name is not one of its nodes.
    """

    name: str
    arity: int
    kernel: Kernel | None
    formulas: tuple[str, ...] = ()
    symbol: str = ""
    infix: str = ""
    attrs: tuple[str, ...] = ()
    doc: str = ""
    function: Callable[..., float] | None = None
    value_formula: str = ""
    grad_formulas: tuple[str, ...] = ()
    value_tree: formula.Node | None = None
    grad_trees: tuple[formula.Node, ...] = ()
    domain: tuple[Domain, ...] = ()
    overflow: Words = field(default_factory=dict)
    python: str = ""
    javascript: str = ""
    shown_trees: tuple[formula.Node | None, ...] = ()

    @property
    def registered(self) -> bool:
        """True when this very record is in the table (so ``Replay`` may recompute it)."""
        return OPS.get(self.name) is self

    @property
    def names(self) -> tuple[str, ...]:
        """The names its formulas may read: the operands, then ``out``, then the attrs."""
        return (*OPERANDS[: self.arity], "out", *self.attrs)

    def __repr__(self) -> str:
        return f"<op {self.name}/{self.arity}>"

    def shown_formula(self, operand: int, attrs: Sequence[float] = ()) -> str:
        """The formula of ∂out/∂(operand) as a learner reads it, for a node with these attrs.

        An attr is a number fixed in the node, so it is written as that number and the
        formula simplified: power's ``{k}·{a}^({k} − 1)`` reads ``2·{a}`` for x ** 2.
        ``""`` when the op has no formulas.
        """
        if operand >= len(self.formulas):
            return ""
        tree = self.shown_trees[operand] if operand < len(self.shown_trees) else None
        if tree is None or not self.attrs or len(attrs) != len(self.attrs):
            return self.formulas[operand]
        folded = formula.fold(tree, dict(zip(self.attrs, attrs, strict=True)))
        return formula.text(folded, text_symbol)

    def shown_number(self, operand: int, numbers: dict[str, float]) -> float | None:
        """The formula of ∂out/∂(operand) computed from ``numbers`` (``a``, ``out``, ``k``…).

        The narration recomputes it from the numbers it shows, to show enough digits for
        the equation to check. None when it cannot be computed (no formula, a math error).
        """
        tree = self.shown_trees[operand] if operand < len(self.shown_trees) else None
        if tree is None:
            return None
        try:
            result = formula.evaluate(tree, numbers, _call_number)
        except (ArithmeticError, ValueError, TypeError, KeyError):
            return None
        return float(result) if isinstance(result, float | int) else None

    def as_dict(self) -> dict[str, Any]:
        """The record as plain data: everything but the Python kernel (its JavaScript is in)."""
        return {
            "name": self.name,
            "arity": self.arity,
            "formulas": list(self.formulas),
            "symbol": self.symbol,
            "infix": self.infix,
            "attrs": list(self.attrs),
            "doc": self.doc,
            "javascript": self.javascript,
        }


OPS: dict[str, OpRecord] = {}
"""The table: every registered op by name, built-ins first, in the order they were defined."""

BUILTIN: frozenset[str] = frozenset()
"""Names of the ops that come with the engine; they cannot be redefined."""


def check_redefinable(name: str) -> None:
    """Refuse to redefine a built-in op; a learner's own op may be defined again."""
    if name in BUILTIN:
        raise ValueError(
            f"{name!r} is a built-in op and cannot be redefined; give your op another name"
        )


def register(op: OpRecord) -> OpRecord:
    """Put ``op`` in the table; a learner's op of the same name replaces the older one.

    ``define_op``, which calls it, has refused a built-in op's name already."""
    OPS[op.name] = op
    return op


def seal_builtins() -> None:
    """Mark every op in the table now as built-in (``engine.value`` calls this once)."""
    global BUILTIN
    BUILTIN = frozenset(OPS)


def export_ops() -> dict[str, Any]:
    """The whole table as JSON-ready data: ``{"version": 2, "ops": [record, …]}``.

    Each record carries its kernel as JavaScript source (``""`` for an op given only as a
    Python function): the pages build their engine from this, with no kernel of their own.
    """
    return {"version": TABLE_VERSION, "ops": [op.as_dict() for op in OPS.values()]}


def text_symbol(name: str) -> str:
    """How a formula's text spells a call: an op's one-character symbol (σ), else its name."""
    op = OPS.get(name)
    return op.symbol if op is not None and len(op.symbol) == 1 else name


def _call_number(name: str, args: list[Any]) -> float:
    op = OPS.get(name)
    if op is not None and op.function is not None:
        return op.function(*args)
    return formula.RUNTIME[f"_{name}"](*args)


# --- checking a definition ------------------------------------------------------------------


def check_name(name: object, what: str, pattern: re.Pattern[str] = NAME) -> str:
    """``name`` if it can name an op (or attr) in both languages, else a ValueError saying why."""
    if not isinstance(name, str) or not pattern.match(name):
        first = "a letter or _" if pattern is NAME else "a letter"
        raise ValueError(
            f"{what} must be an ASCII identifier such as 'cube' or 'k' ({first}, then letters, "
            f"digits or _), got {name!r:.80}"
        )
    if keyword.iskeyword(name):
        raise ValueError(f"{what} {name!r} is a Python keyword; choose another name")
    return name


def check_attrs(op: str, attrs: Sequence[str]) -> tuple[str, ...]:
    """The attr names, each an identifier, distinct, and none of ``a``, ``b``, ``out``."""
    if isinstance(attrs, str):
        raise ValueError(f"op {op!r}: attrs is a sequence of names, e.g. attrs=('k',)")
    names = tuple(check_name(a, f"op {op!r}: an attr's name", ATTR) for a in attrs)
    for name in names:
        if name in (*OPERANDS, "out"):
            raise ValueError(f"op {op!r}: {name!r} names an operand or the value; call it e.g. 'k'")
    if len(set(names)) != len(names):
        raise ValueError(f"op {op!r}: the attrs {names} repeat a name; give each its own")
    return names


def check_placeholders(op: str, text: str, allowed: Sequence[str], what: str) -> str:
    """``text`` if its ``{…}`` placeholders are only ``allowed`` names, else a ValueError."""
    if not isinstance(text, str):
        raise ValueError(f"op {op!r}: {what} must be a str, got {type(text).__name__}")
    try:
        parsed = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f]
    except ValueError as error:
        raise ValueError(f"op {op!r}: {what} {text!r} has a stray brace ({error})") from None
    for name, _, _ in parsed:
        if name not in allowed:
            names = ", ".join("{" + a + "}" for a in allowed)
            which = f"the placeholders are {names}" if allowed else "it can have none"
            raise ValueError(
                f"op {op!r}: {what} {text!r} uses the placeholder {{{name}}}; "
                f"{which} (write {{{{ and }}}} for a brace)"
            )
    if any(spec or conv for _, spec, conv in parsed):
        raise ValueError(f"op {op!r}: {what} {text!r}: write placeholders bare, e.g. {{a}}")
    return text


def check_words(op: str, text: object, allowed: Sequence[str], what: str) -> dict[str, str]:
    """A domain or overflow message in every language, its placeholders checked.

    A plain ``str`` says the same in every language (a learner's own op); a mapping gives
    each of :data:`~engine.i18n.LANGUAGES` its own words, as the built-in ops do from the
    catalogue (``engine/messages/engine.json``). ``""`` is no message: ``{}``.
    """
    if isinstance(text, str):
        texts = {lang: text for lang in LANGUAGES} if text else {}
    elif isinstance(text, Mapping) and set(text) == set(LANGUAGES):
        texts = {lang: text[lang] for lang in LANGUAGES}
    else:
        raise ValueError(
            f"op {op!r}: {what} is a str, or a dict of it in each language "
            f"({', '.join(LANGUAGES)}), got {text!r:.80}"
        )
    for words in texts.values():
        check_placeholders(op, words, allowed, what)
    return texts


# --- compiling formulas ---------------------------------------------------------------------


def functions() -> dict[str, int]:
    """What a formula may call now, with its number of arguments: the primitives and every op."""
    callable_ops = {name: op.arity + len(op.attrs) for name, op in OPS.items()}
    return {**callable_ops, **formula.PRIMITIVES}


@dataclass(frozen=True)
class Compiled:
    """An op's formulas, parsed and compiled: what :func:`compile_formulas` gives."""

    kernel: Kernel
    function: Callable[..., float]
    value_tree: formula.Node
    grad_trees: tuple[formula.Node, ...]
    domain: tuple[Domain, ...]
    python: str
    javascript: str
    formulas: tuple[str, ...]
    shown_trees: tuple[formula.Node | None, ...] = ()


def compile_formulas(
    name: str,
    value: str,
    grads: Sequence[str],
    attrs: tuple[str, ...],
    domain: Sequence[tuple[Any, ...]],
    overflow: Words,
    symbol: Callable[[str], str],
    shown: Sequence[str] = (),
) -> Compiled:
    """Parse ``value``, ``grads`` and ``domain`` once; compile the Python kernel; write the JS."""
    if isinstance(grads, str):
        raise ValueError(f"op {name!r}: grads is a list of formulas, e.g. grads=['3*a**2']")
    grads = tuple(grads)
    if len(grads) not in (1, 2):
        raise ValueError(
            f"op {name!r}: an op takes 1 or 2 operands, so grads has 1 or 2 formulas "
            f"(∂out/∂a, then ∂out/∂b), got {len(grads)}"
        )
    arity = len(grads)
    known = functions()
    if name not in formula.PRIMITIVES:
        known.pop(name, None)  # an op cannot call itself (exp(a) in exp is the math function)
    names = (*OPERANDS[:arity], *attrs)
    try:
        value_tree = formula.parse(value, names, known)
        grad_trees = tuple(formula.parse(g, (*names, "out"), known) for g in grads)
        checks = tuple(_domain(name, entry, names, known) for entry in domain)
    except formula.FormulaError as error:
        raise ValueError(f"op {name!r}: {error}") from None
    python = _python_source(name, value_tree, grad_trees, checks, names)
    formulas = tuple(formula.text(t, symbol) for t in grad_trees)
    shown_trees = _shown_trees(tuple(shown), grad_trees, names, known)
    namespace: dict[str, Any] = dict(formula.RUNTIME)
    namespace.update({f"_f_{n}": OPS[n].function for n in known if n in OPS})
    namespace.update(ERROR_KINDS)
    namespace["_say"] = _say
    namespace["_messages"] = tuple(d.message for d in checks)
    exec(compile(python, f"<op {name}>", "exec"), namespace)  # source built from checked trees
    return Compiled(
        kernel=namespace["kernel"],
        function=namespace["function"],
        value_tree=value_tree,
        grad_trees=grad_trees,
        domain=checks,
        python=python,
        javascript=_javascript_source(value_tree, grad_trees, checks, names, overflow, shown_trees),
        formulas=formulas,
        shown_trees=shown_trees,
    )


def _shown_trees(
    shown: tuple[str, ...],
    grad_trees: tuple[formula.Node, ...],
    names: tuple[str, ...],
    known: dict[str, int],
) -> tuple[formula.Node | None, ...]:
    """What each formula a learner reads computes: its grad, or its own text read back."""
    if not shown:
        return grad_trees
    symbols = {
        op.symbol: op.name for op in OPS.values() if len(op.symbol) == 1 and op.symbol.isalpha()
    }
    return tuple(formula.parse_shown(text, (*names, "out"), known, symbols) for text in shown)


def _domain(name: str, entry: Any, names: tuple[str, ...], known: dict[str, int]) -> Domain:
    if not isinstance(entry, tuple | list) or len(entry) not in (2, 3):
        raise ValueError(
            f"op {name!r}: a domain entry is (condition, message) or (condition, message, error),"
            f" e.g. ('a > 0', 'log needs a positive input'), got {entry!r:.80}"
        )
    condition, message, *error = entry
    kind = error[0] if error else DomainError
    if kind not in ERROR_KINDS.values():
        choices = ", ".join(ERROR_KINDS)
        raise ValueError(f"op {name!r}: a domain entry's error is one of {choices}, got {kind!r}")
    words = check_words(name, message, names, "a domain message")
    return Domain(condition, words, kind, formula.parse(condition, names, known))


def _say(message: Words | str, **numbers: float) -> str:
    """A domain or overflow message, in the current language, its placeholders filled by
    numbers (``%g``)."""
    if not isinstance(message, str):
        message = message[language()]
    for name, number in numbers.items():
        message = message.replace("{" + name + "}", format(number, "g"))
    return message.replace("{{", "{").replace("}}", "}")


def _python_source(
    name: str,
    value: formula.Node,
    grads: tuple[formula.Node, ...],
    domain: tuple[Domain, ...],
    names: tuple[str, ...],
) -> str:
    def spell(op: str) -> str:
        return f"_f_{op}"

    params = ", ".join(names)
    filled = ", ".join(f"{n}={n}" for n in names)
    checks = [
        f"    if not {formula.python_condition(d.tree, spell)}:\n"
        f"        raise {d.error.__name__}(_say(_messages[{i}], {filled}))"
        for i, d in enumerate(domain)
    ]
    body = "\n".join(checks)
    grads_code = ", ".join(formula.python(g, spell) for g in grads)
    return (
        f"def kernel({params}):\n"
        f"    # {name}: the value, then ∂out/∂{', ∂out/∂'.join(OPERANDS[: len(grads)])}\n"
        + (body + "\n" if body else "")
        + f"    out = {formula.python(value, spell)}\n"
        f"    return (out, {grads_code})\n\n\n"
        f"def function({params}):\n"
        + (body + "\n" if body else "")
        + f"    return {formula.python(value, spell)}\n"
    )


def _javascript_source(
    value: formula.Node,
    grads: tuple[formula.Node, ...],
    domain: tuple[Domain, ...],
    names: tuple[str, ...],
    overflow: Words,
    shown_trees: tuple[formula.Node | None, ...] = (),
) -> str:
    """``{kernel: function (…) {…}, value: function (…) {…}, overflow: "…"}`` for the pages.

    Another op is called through ``functions[name]``, the page's own table (a map with no
    prototype, so any name is safe).
    """

    def spell(op: str) -> str:
        return f"functions[{json.dumps(op)}]"

    params = ", ".join(f"v_{n}" for n in names)
    numbers = "{" + ", ".join(f"{json.dumps(n)}: v_{n}" for n in names) + "}"
    checks = "".join(
        f"    if (!{formula.javascript_condition(d.tree, spell)}) {{ "
        f"throw rt.fail({json.dumps(d.error.__name__)}, {json.dumps(d.message)}, {numbers}); }}\n"
        for d in domain
    )
    grads_code = ", ".join(formula.javascript(g, spell) for g in grads)
    arity = len(grads)
    shown_params = ", ".join(f"v_{n}" for n in (*names[:arity], "out", *names[arity:]))
    shown_code = ", ".join(
        "NaN" if t is None else formula.javascript(t, spell) for t in shown_trees
    )
    return (
        "{\n"
        f"  kernel: function ({params}) {{\n{checks}"
        f"    var v_out = {formula.javascript(value, spell)};\n"
        f"    return [v_out, {grads_code}];\n  }},\n"
        f"  value: function ({params}) {{\n{checks}"
        f"    return {formula.javascript(value, spell)};\n  }},\n"
        f"  shown: function ({shown_params}) {{\n    return [{shown_code}];\n  }},\n"
        f"  overflow: {json.dumps(dict(overflow) or '')},\n"
        f"  names: {json.dumps(list(names))}\n"
        "}"
    )
