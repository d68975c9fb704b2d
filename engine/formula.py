"""Formulas: an op's value and local derivatives, written the way the derivation writes them.

    define_op("cube", value="a**3", grads=["3*a**2"])

Each formula is parsed once with Python's ``ast`` and checked node by node against a
whitelist, into a small tree of :class:`Node` objects. Allowed are numbers, the names the
op declares (``a``, ``b``, ``out`` and its attrs), ``+ - * / **``, unary minus,
comparisons (``a > 0`` is 1.0 or 0.0), ``x if c else y``, ``and``/``or``/``not``, and
calls: of a registered op by its name, or of one of the few math :data:`PRIMITIVES`
the built-in ops are made of. Anything else (attributes, strings, subscripts, lambdas…)
is refused with a message before anything is built. Text a user typed is never run.

The one tree is then read four ways:

=================  ===============================================  ===========================
reading            what it gives                                    who uses it
=================  ===============================================  ===========================
:func:`python`     Python source, compiled once into a function     ``Value``, Replay, fast path
:func:`javascript` JavaScript source for the same function          the pages
:func:`text`       ``3·{a}²``, ``1 − {out}²``: the narration        captions, diagrams
:func:`evaluate`   the formula computed on ``Value``\\ s: new nodes  higher-order gradients
                   (:func:`evaluator`: compiled once)
=================  ===============================================  ===========================

Both languages follow the same float rules: an overflow gives ``inf`` (Python's ``**`` and
``math.exp`` would raise; here they don't), which the engine then reports as
``NumberOverflowError`` naming the op; ``x / 0`` is a :class:`DivisionByZeroError`, and so is
``0 ** −1``; a negative base to a fractional power is a :class:`DomainError`. So a kernel
gives the same number or the same error in Python and in the browser.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import DivisionByZeroError, DomainError
from .i18n import message

PRIMITIVES: dict[str, int] = {"exp": 1, "log": 1, "log1p": 1, "tanh": 1, "floor": 1}
"""The math functions a formula may call besides the ops, with how many arguments each takes.

The built-in ops are made of these (``exp`` is ``exp(a)``); once an op of the same name is
registered, a formula's call means the op (the same number, and differentiable)."""

MAX_LENGTH = 500
"""Longer formulas are refused before parsing."""

MAX_DEPTH = 40
"""Deeper nesting is refused, so reading a tree never comes near Python's recursion limit."""


class FormulaError(ValueError):
    """A formula that cannot be used, saying what is wrong and what to write instead."""


# --- the tree -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """One node of a checked formula.

    ``kind`` is one of ``num`` (``value``), ``name`` (``name``), ``neg``, ``not``,
    ``+ - * / **`` and the comparisons ``< <= > >= == !=`` (two ``args``), ``and``/``or``
    (two or more), ``if`` (``args`` = test, then, else) and ``call`` (``name``, ``args``).
    """

    kind: str
    args: tuple[Node, ...] = ()
    value: float = 0.0
    name: str = ""

    @property
    def is_condition(self) -> bool:
        """True for a node whose natural result is true/false rather than a number."""
        return self.kind in _COMPARISONS or self.kind in ("and", "or", "not")


_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_COMPARISONS = frozenset(_COMPARE.values())
_REFUSED = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "indexing",
    ast.Lambda: "lambda",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.JoinedStr: "strings",
    ast.NamedExpr: ":=",
    ast.Starred: "*args",
    ast.ListComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
}


def parse(source: str, names: Sequence[str], functions: Mapping[str, int]) -> Node:
    """Check ``source`` against the whitelist and return its tree.

    ``names`` are the names it may read; ``functions`` maps each callable name to its
    number of arguments. Raises :class:`FormulaError` saying what is wrong.
    """
    if not isinstance(source, str):
        raise FormulaError(f"a formula is a str such as '3*a**2', got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"a formula is at most {MAX_LENGTH} characters, got {len(source)}")
    if not source.strip():
        raise FormulaError("a formula cannot be empty: write e.g. '3*a**2'")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        hint = "; write powers as a**2, not a^2" if "^" in source else ""
        raise FormulaError(f"formula {source!r} is not valid syntax ({error.msg}){hint}") from None
    return _Checker(source, tuple(names), functions).check(tree.body)


class _Checker:
    def __init__(self, source: str, names: tuple[str, ...], functions: Mapping[str, int]) -> None:
        self.source, self.names, self.functions = source, names, functions

    def fail(self, what: str) -> FormulaError:
        return FormulaError(f"formula {self.source!r}: {what}")

    def check(self, node: ast.AST, depth: int = 0) -> Node:
        if depth > MAX_DEPTH:
            raise self.fail(f"it nests deeper than {MAX_DEPTH} levels; split it up")
        return self.node(node, depth + 1)

    def node(self, node: ast.AST, depth: int) -> Node:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise self.fail(f"{node.value!r} is not a number")
            try:
                number = float(node.value)  # 1e999 is inf; an int of 400 digits raises
            except OverflowError:
                number = math.inf
            if not math.isfinite(number):
                written = ast.get_source_segment(self.source.strip(), node) or repr(node.value)
                if len(written) > 24:
                    written = f"{written[:12]}… ({len(written)} characters)"
                raise self.fail(
                    f"{written} is too large for a float (the largest is about 1.8e308)"
                )
            return Node("num", value=number)
        if isinstance(node, ast.Name):
            if node.id not in self.names:
                allowed = ", ".join(self.names)
                hint = ""
                if node.id == "b" and "a" in self.names:
                    hint = " (b is a second operand: give two grads, ∂out/∂a and ∂out/∂b)"
                raise self.fail(f"unknown name {node.id!r}; a formula may use {allowed}{hint}")
            return Node("name", name=node.id)
        if isinstance(node, ast.UnaryOp):
            operand = self.check(node.operand, depth)
            if isinstance(node.op, ast.USub):
                return Node("neg", (operand,))
            if isinstance(node.op, ast.UAdd):
                return operand
            if isinstance(node.op, ast.Not):
                return Node("not", (operand,))
            raise self.fail("~ is not allowed")
        if isinstance(node, ast.BinOp):
            kind = _BINARY.get(type(node.op))
            if isinstance(node.op, ast.BitXor):
                raise self.fail("^ is not a power here: write powers as a**2, not a^2")
            if kind is None:
                raise self.fail(f"the operator {type(node.op).__name__} is not allowed")
            return Node(kind, (self.check(node.left, depth), self.check(node.right, depth)))
        if isinstance(node, ast.Compare):
            terms = [
                self.check(node.left, depth),
                *(self.check(c, depth) for c in node.comparators),
            ]
            pairs = []
            for op, left, right in zip(node.ops, terms, terms[1:], strict=False):
                kind = _COMPARE.get(type(op))
                if kind is None:
                    raise self.fail(f"the comparison {type(op).__name__} is not allowed")
                pairs.append(Node(kind, (left, right)))
            return pairs[0] if len(pairs) == 1 else Node("and", tuple(pairs))
        if isinstance(node, ast.BoolOp):
            kind = "and" if isinstance(node.op, ast.And) else "or"
            return Node(kind, tuple(self.check(v, depth) for v in node.values))
        if isinstance(node, ast.IfExp):
            return Node(
                "if",
                (
                    self.check(node.test, depth),
                    self.check(node.body, depth),
                    self.check(node.orelse, depth),
                ),
            )
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        what = _REFUSED.get(type(node), type(node).__name__)
        raise self.fail(f"a formula cannot use {what}")

    def call(self, node: ast.Call, depth: int) -> Node:
        if not isinstance(node.func, ast.Name):
            raise self.fail("only a function named directly can be called, e.g. tanh(a)")
        name = node.func.id
        if name not in self.functions:
            known = ", ".join(sorted(self.functions))
            raise self.fail(f"unknown function {name!r}; the functions are {known}")
        if node.keywords:
            raise self.fail(f"{name}() takes no keyword arguments")
        count = self.functions[name]
        if len(node.args) != count:
            raise self.fail(f"{name}() takes {count} argument(s), got {len(node.args)}")
        return Node("call", tuple(self.check(arg, depth) for arg in node.args), name=name)


# --- reading 1: Python source ---------------------------------------------------------------


def python(node: Node, op_function: Callable[[str], str]) -> str:
    """The formula as a Python expression over its names; ``op_function(name)`` spells a call.

    Arithmetic is written out; ``**`` goes through ``_pow`` (see the module docstring),
    except ``x**2``, written ``x*x`` (the same number, and a call cheaper); primitives are
    ``_exp``, ``_log``…; comparisons used as numbers are ``(1.0 if … else 0.0)``.
    """
    return _Python(op_function).number(node)


def python_condition(node: Node, op_function: Callable[[str], str]) -> str:
    """The formula as a Python condition (true or false), e.g. for a domain check."""
    return _Python(op_function).condition(node)


class _Python:
    def __init__(self, op_function: Callable[[str], str]) -> None:
        self.op_function = op_function

    def number(self, node: Node) -> str:
        if node.is_condition:
            return f"(1.0 if {self.condition(node)} else 0.0)"
        kind, args = node.kind, node.args
        if kind == "num":
            return repr(node.value)
        if kind == "name":
            return node.name
        if kind == "neg":
            return f"(-{self.number(args[0])})"
        if kind == "**":
            if args[1].kind == "num" and args[1].value == 2.0:
                base = self.number(args[0])
                return f"({base} * {base})"
            return f"_pow({self.number(args[0])}, {self.number(args[1])})"
        if kind in ("+", "-", "*", "/"):
            return f"({self.number(args[0])} {kind} {self.number(args[1])})"
        if kind == "if":
            test, then, otherwise = args
            return f"({self.number(then)} if {self.condition(test)} else {self.number(otherwise)})"
        call = f"_{node.name}" if node.name in PRIMITIVES else self.op_function(node.name)
        return f"{call}({', '.join(self.number(a) for a in args)})"

    def condition(self, node: Node) -> str:
        return _condition_source(node, self.number)


def _condition_source(node: Node, number: Callable[[Node], str]) -> str:
    """A condition as Python source, each compared term written by ``number``; a bare term
    is true when it is not 0, as in Python."""
    kind, args = node.kind, node.args
    if kind in _COMPARISONS:
        return f"({number(args[0])} {kind} {number(args[1])})"
    if kind in ("and", "or"):
        return "(" + f" {kind} ".join(_condition_source(a, number) for a in args) + ")"
    if kind == "not":
        return f"(not {_condition_source(args[0], number)})"
    return f"({number(node)} != 0.0)"


def _pow(x: float, y: float) -> float:
    """``x ** y`` by the rules of the module docstring: ``inf`` on overflow, never complex."""
    if x == 0.0 and y < 0.0:
        raise DivisionByZeroError(message("engine.zero_to_negative_power"))
    if x < 0.0 and y != math.floor(y):
        raise DomainError(message("engine.negative_to_fractional_power"))
    try:
        return x**y
    except OverflowError:
        return math.inf if x > 0.0 or y % 2.0 == 0.0 else -math.inf


def _exp(x: float) -> float:
    """``e ** x``, ``inf`` where it overflows."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _log(x: float) -> float:
    """``ln x``: ``-inf`` at 0 and NaN below, as in IEEE arithmetic (and JavaScript)."""
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


def _log1p(x: float) -> float:
    """``ln(1 + x)``, accurate near 0; ``-inf`` at −1 and NaN below."""
    if x > -1.0:
        return math.log1p(x)
    return -math.inf if x == -1.0 else math.nan


def _floor(x: float) -> float:
    return float(math.floor(x))


RUNTIME: dict[str, Any] = {
    "_pow": _pow,
    "_exp": _exp,
    "_log": _log,
    "_log1p": _log1p,
    "_tanh": math.tanh,
    "_floor": _floor,
}
"""What generated Python code may call besides the ops: the primitives and ``_pow``."""


# --- reading 2: JavaScript source -----------------------------------------------------------


def javascript(node: Node, op_function: Callable[[str], str]) -> str:
    """The formula as a JavaScript expression; names are spelled ``v_<name>``.

    ``rt`` is the pages' formula runtime (``viz/web/formula_runtime.js``): ``rt.pow``,
    ``rt.div``, ``rt.exp``…, the twins of this module's ``_pow``, division and primitives.
    """
    return _JavaScript(op_function).number(node)


def javascript_condition(node: Node, op_function: Callable[[str], str]) -> str:
    """The formula as a JavaScript condition, e.g. for a domain check."""
    return _JavaScript(op_function).condition(node)


class _JavaScript:
    def __init__(self, op_function: Callable[[str], str]) -> None:
        self.op_function = op_function

    def number(self, node: Node) -> str:
        if node.is_condition:
            return f"({self.condition(node)} ? 1 : 0)"
        kind, args = node.kind, node.args
        if kind == "num":
            return repr(node.value)  # never negative: a parsed −2 is the negation of 2
        if kind == "name":
            return f"v_{node.name}"
        if kind == "neg":
            return f"(-{self.number(args[0])})"
        if kind == "**":
            if args[1].kind == "num" and args[1].value == 2.0:
                base = self.number(args[0])
                return f"({base} * {base})"
            return f"rt.pow({self.number(args[0])}, {self.number(args[1])})"
        if kind == "/":
            return f"rt.div({self.number(args[0])}, {self.number(args[1])})"
        if kind in ("+", "-", "*"):
            return f"({self.number(args[0])} {kind} {self.number(args[1])})"
        if kind == "if":
            test, then, otherwise = args
            return f"({self.condition(test)} ? {self.number(then)} : {self.number(otherwise)})"
        call = f"rt.{node.name}" if node.name in PRIMITIVES else self.op_function(node.name)
        return f"{call}({', '.join(self.number(a) for a in args)})"

    def condition(self, node: Node) -> str:
        kind, args = node.kind, node.args
        if kind in _COMPARISONS:
            js = {"==": "===", "!=": "!=="}.get(kind, kind)
            return f"({self.number(args[0])} {js} {self.number(args[1])})"
        if kind in ("and", "or"):
            joiner = " && " if kind == "and" else " || "
            return "(" + joiner.join(self.condition(a) for a in args) + ")"
        if kind == "not":
            return f"(!{self.condition(args[0])})"
        return f"({self.number(node)} !== 0)"


# --- reading 3: text ------------------------------------------------------------------------

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PRECEDENCE = {"if": 0, "or": 1, "and": 2, "not": 3, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}
_PRECEDENCE.update(dict.fromkeys(_COMPARISONS, 4))
_POWER = 8
"""How tightly ``**`` binds in the text: above every other operator, minus signs included."""
_SHOWN = {"+": " + ", "-": " − ", "*": "·", "/": "/", "<=": " ≤ ", ">=": " ≥ ", "!=": " ≠ "}


def text(node: Node, symbol: Callable[[str], str] = str) -> str:
    """The formula as a learner reads it, names as placeholders: ``3·{a}²``, ``1 − {out}²``.

    ``symbol(name)`` spells a call's function (``σ`` for sigmoid, say). Numbers drop a
    trailing ``.0``; a comparison used as a number reads ``1 if {a} > 0 else 0``.
    """
    return _Text(symbol).show(node, 0)


class _Text:
    def __init__(self, symbol: Callable[[str], str]) -> None:
        self.symbol = symbol

    def show(self, node: Node, context: int, *, as_number: bool = True) -> str:
        if as_number and node.is_condition:
            node = Node("if", (node, Node("num", value=1.0), Node("num", value=0.0)))
        kind, args = node.kind, node.args
        if kind == "num":
            written = _number_text(node.value)
            return f"({written})" if node.value < 0 and context > 0 else written
        if kind == "name":
            return "{" + node.name + "}"
        if kind == "call":
            inner = ", ".join(self.show(a, 0) for a in args)
            return f"{self.symbol(node.name)}({inner})"
        if kind == "**":
            written = self.power(args[0], args[1])
            return f"({written})" if context > _POWER else written
        level = _PRECEDENCE[kind]
        if kind == "neg":
            written = "−" + self.show(args[0], level)
        elif kind == "not":
            written = "not " + self.show(args[0], level, as_number=False)
        elif kind == "if":
            test = self.show(args[0], 1, as_number=False)
            written = f"{self.show(args[1], 1)} if {test} else {self.show(args[2], 0)}"
        elif kind in ("and", "or"):
            written = f" {kind} ".join(self.show(a, level + 1, as_number=False) for a in args)
        else:
            left = self.show(args[0], level)
            # a − (b − c) keeps its parentheses, and so does a minus sign after an operator:
            # a·(−2), never a·−2
            right = self.show(args[1], _POWER if args[1].kind == "neg" else level + 1)
            written = left + _SHOWN.get(kind, f" {kind} ") + right
        return f"({written})" if level < context else written

    def power(self, base: Node, exponent: Node) -> str:
        # anything but a name, a call or a number is bracketed, a power too: (a^b)^k, a^(b^k)
        shown = self.show(base, _POWER + 1)
        if exponent.kind == "num" and exponent.value.is_integer() and 0 <= exponent.value < 10:
            return shown + _number_text(exponent.value).translate(_SUPERSCRIPT)
        return f"{shown}^{self.show(exponent, _POWER + 1)}"


def _number_text(value: float) -> str:
    written = repr(value).removesuffix(".0")  # 2.0 is 2; from 1e16 on, repr has no ".0"
    return written.replace("-", "−", 1) if written.startswith("-") else written


# --- reading 4: evaluation on Values --------------------------------------------------------


def evaluate(node: Node, env: Mapping[str, Any], call: Callable[[str, list[Any]], Any]) -> Any:
    """Compute the formula on ``env``'s objects with their own ``+ − × / **``.

    With ``Value``\\ s in ``env`` this records new nodes: the formula made a graph.
    ``call(name, args)`` applies a function; a comparison or condition is decided on the
    numbers (``.data``), as the kernel decides it, and gives the number 1.0 or 0.0.
    """
    kind, args = node.kind, node.args
    if node.is_condition:
        return 1.0 if _decide(node, env, call) else 0.0
    if kind == "num":
        return node.value
    if kind == "name":
        return env[node.name]
    if kind == "neg":
        return -evaluate(args[0], env, call)
    if kind == "if":
        branch = args[1] if _decide(args[0], env, call) else args[2]
        return evaluate(branch, env, call)
    if kind == "call":
        return call(node.name, [evaluate(a, env, call) for a in args])
    left, right = evaluate(args[0], env, call), evaluate(args[1], env, call)
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    if kind == "/":
        return left / right
    return left**right


def _decide(node: Node, env: Mapping[str, Any], call: Callable[[str, list[Any]], Any]) -> bool:
    """A condition decided on plain numbers: each name stands for its ``.data`` (or itself)."""
    numbers = {name: getattr(v, "data", v) for name, v in env.items()}

    def number(term: Node) -> float:
        result = evaluate(term, numbers, call)
        return float(getattr(result, "data", result))

    kind, args = node.kind, node.args
    if kind in _COMPARISONS:
        left, right = number(args[0]), number(args[1])
        return {
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
            "==": left == right,
            "!=": left != right,
        }[kind]
    if kind == "and":
        return all(_decide(a, env, call) for a in args)
    if kind == "or":
        return any(_decide(a, env, call) for a in args)
    if kind == "not":
        return not _decide(args[0], env, call)
    return number(node) != 0.0


def evaluator(node: Node, names: Sequence[str]) -> Callable[..., Any]:
    """:func:`evaluate` compiled once: a function ``f(call, *values)`` of ``names``, in order.

    ``f(call, *values)`` does what ``evaluate(node, dict(zip(names, values)), call)`` does, the
    same operations on the same objects in the same order (so the same nodes, bit for bit),
    without walking the tree on every call: the recorded backward pass calls it once per edge.
    ``tests/test_engine_formulas.py`` holds the two together on every op's grads.
    """
    reading = _Evaluator()
    body = reading.value(node, numbers=False)
    params = ", ".join(f"v_{name}" for name in names)
    lines = [f"def evaluated(_call, {params}):"]
    for name in sorted(reading.read):  # what a condition compares: the numbers
        lines.append(f"    n_{name} = getattr(v_{name}, 'data', v_{name})")
    lines.append(f"    return {body}")
    namespace: dict[str, Any] = {"_float": _number_of}
    exec(compile("\n".join(lines), "<formula evaluated on Values>", "exec"), namespace)
    evaluated = namespace["evaluated"]
    evaluated.source = "\n".join(lines)
    return evaluated


def _number_of(result: Any) -> float:
    """What :func:`_decide` compares: a term's result as a float (a Value's ``.data``)."""
    return float(getattr(result, "data", result))


class _Evaluator:
    """Python source doing :func:`evaluate`'s operations; in a condition, on the numbers."""

    def __init__(self) -> None:
        self.read: set[str] = set()  # the names a condition reads as numbers

    def value(self, node: Node, numbers: bool) -> str:
        kind, args = node.kind, node.args
        if node.is_condition:
            return f"(1.0 if {self.decide(node)} else 0.0)"
        if kind == "num":
            return f"({node.value!r})"
        if kind == "name":
            if numbers:
                self.read.add(node.name)
                return f"n_{node.name}"
            return f"v_{node.name}"
        if kind == "neg":
            return f"(-{self.value(args[0], numbers)})"
        if kind == "if":
            then, otherwise = self.value(args[1], numbers), self.value(args[2], numbers)
            return f"({then} if {self.decide(args[0])} else {otherwise})"
        if kind == "call":
            inner = ", ".join(self.value(a, numbers) for a in args)
            return f"_call({node.name!r}, [{inner}])"
        return f"({self.value(args[0], numbers)} {kind} {self.value(args[1], numbers)})"

    def decide(self, node: Node) -> str:
        """:func:`_decide`: every name is its number, every term's result made a float."""
        return _condition_source(node, self.number)

    def number(self, term: Node) -> str:
        written = self.value(term, numbers=True)
        # a number or a name's number is a float already; anything else may be a Value
        return written if term.kind in ("num", "name") else f"_float({written})"


# --- reading 5: a node's formula with its attrs as numbers ----------------------------------


def fold(node: Node, numbers: Mapping[str, float]) -> Node:
    """``node`` with each name of ``numbers`` replaced by its number, then simplified.

    Only exact steps: arithmetic on numbers alone, a decided ``if``, ``x·1 = x``, ``x^1 = x``
    and ``x^0 = 1``. So power's ``k·a^(k − 1)`` with k = 2 reads ``2·a``, with k = 3
    ``3·a²``, with k = 1 ``1``.
    """
    kind, args = node.kind, node.args
    if kind == "name":
        return Node("num", value=float(numbers[node.name])) if node.name in numbers else node
    if kind in ("num", "call") or not args:
        return node
    args = tuple(fold(a, numbers) for a in args)
    node = Node(kind, args, node.value, node.name)
    if kind == "if":
        test = args[0]
        if test.kind == "num":
            return args[1] if test.value != 0.0 else args[2]
        return node
    if all(a.kind == "num" for a in args):
        try:
            result = evaluate(node, {}, None)  # type: ignore[arg-type]  # numbers call nothing
        except (ArithmeticError, ValueError, TypeError):
            return node
        if isinstance(result, float | int) and not isinstance(result, bool) and result == result:
            return Node("num", value=float(result))
        return node
    if kind == "*":
        if any(a.kind == "num" and a.value == 0.0 for a in args):
            return Node("num", value=0.0)  # what the grads say where a factor is 0 (x ** 0)
        if args[0].kind == "num" and args[0].value == 1.0:
            return args[1]
        if args[1].kind == "num" and args[1].value == 1.0:
            return args[0]
    if kind == "**" and args[1].kind == "num":
        if args[1].value == 1.0:
            return args[0]
        if args[1].value == 0.0:
            return Node("num", value=1.0)
    return node


_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")


def parse_shown(
    shown: str, names: Sequence[str], functions: Mapping[str, int], symbols: Mapping[str, str]
) -> Node | None:
    """The formula a learner reads (``−{a}/{b}²``) read back as a formula, or None.

    ``symbols`` maps a function's one-character symbol back to its name (``σ`` → sigmoid).
    The narration recomputes it from the numbers it shows, to show enough digits.
    """
    source = re.sub(r"ln \{(\w+)\}", r"log(\1)", shown)
    source = re.sub(r"\{(\w+)\}", r"\1", source)
    for symbol, name in symbols.items():
        source = source.replace(symbol + "(", name + "(")
    for written, python in (("·", "*"), ("−", "-"), ("^", "**"), ("≤", "<="), ("≥", ">=")):
        source = source.replace(written, python)
    source = source.replace("≠", "!=")
    source = re.sub(
        f"[{_SUPERSCRIPT_DIGITS}]+",
        lambda match: "**" + match.group().translate(_FROM_SUPERSCRIPT),
        source,
    )
    try:
        return parse(source, names, functions)
    except FormulaError:
        return None
