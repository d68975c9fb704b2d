"""Turning a formula typed in class into a graph of Values, safely.

``"tanh(x*w + b)"`` is parsed with Python's own ``ast`` module and then
checked node by node against a whitelist: numbers, variable names,
``+ - * / **``, unary minus, and every op of the op table as a function: ``tanh(x)``,
``softplus(x)``, a learner's ``cube(x)`` once it is defined, ``power(x, 3)`` (an op's
attrs are numbers after its operands). Anything else (attribute access, other calls,
strings, subscripts, lambdas, comprehensions…) is refused before a single Value is
built. Nothing is ever ``eval``'d.

Numbers in the formula become engine ``Constant``s, which take no gradient:
``x*x + 3*x`` has one variable, ``x``, and backward takes no step into the 3.
A minus sign written right before a number belongs to the number, so ``x * -2``
multiplies by the constant −2, and ``(-2)**2`` squares it.

Variables are named as Python names identifiers: normalised to Unicode NFKC. So
``𝑥`` (mathematical italic x) and ``ｘ`` (fullwidth x) are the variable ``x``, ``ﬁ``
is ``fi`` and ``e`` followed by a combining acute accent is ``é``; ``--set`` takes
either spelling.
"""

from __future__ import annotations

import ast
import io
import math
import re
import tokenize
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from chainrule.engine import OPS, Constant, Op, Value
from chainrule.engine.i18n import message

MAX_LENGTH = 1000
"""Longer expressions are refused with a clear message before parsing."""

MAX_LABEL = 40
"""Sub-expressions up to this length are labelled with their source text."""


def functions() -> dict[str, Op]:
    """What an expression may call: every op of the op table now, by name."""
    return dict(OPS)


_BINARY: dict[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}

_REFUSED = {
    ast.Attribute: "attribute",
    ast.Subscript: "indexing",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.Compare: "comparisons",
    ast.BoolOp: "and_or",
    ast.IfExp: "if_else",
    ast.NamedExpr: "walrus",
    ast.JoinedStr: "strings",
    ast.Starred: "star",
}
"""What a refused piece of syntax is called: the message ``terminal.expr_what_<name>``."""


class ExpressionError(ValueError):
    """An expression that cannot be used, with the position of the problem when known."""

    def __init__(self, message: str, source: str = "", column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.column = column

    def __str__(self) -> str:
        if self.column is None or not self.source:
            return self.message
        return f"{self.message}\n  {self.source}\n  {' ' * self.column}^"


@dataclass(frozen=True)
class Expression:
    """A checked expression: its source, its syntax tree and the variables it needs."""

    source: str
    tree: ast.Expression
    variables: tuple[str, ...]

    def build(self, values: Mapping[str, float]) -> tuple[Value, dict[str, Value]]:
        """The graph of this expression at ``values``: ``(root, {name: leaf Value})``.

        Every variable is one leaf, however often it appears (``x*x`` has two
        edges to ``x``); every number is a :class:`~chainrule.engine.Constant`
        (``-2`` is one constant, not a negation); every other sub-expression of
        up to ``MAX_LABEL`` characters is labelled with its source text.
        Math errors (``log`` of a negative number, …) propagate from the engine.
        """
        missing = [name for name in self.variables if name not in values]
        if missing:
            key = "terminal.expr_missing_many" if len(missing) > 1 else "terminal.expr_missing_one"
            raise ExpressionError(message(key, names=", ".join(missing), first=missing[0]))
        leaves = {name: Value(values[name], name) for name in self.variables}
        results: dict[ast.AST, Value] = {}
        for node in _postorder(self.tree.body):
            results[node] = self._evaluate(node, leaves, results)
        return results[self.tree.body], leaves

    def _evaluate(
        self, node: ast.AST, leaves: dict[str, Value], done: dict[ast.AST, Value]
    ) -> Value:
        if isinstance(node, ast.Constant):
            return Constant(node.value)
        if isinstance(node, ast.Name):
            return leaves[node.id]
        if isinstance(node, ast.UnaryOp):
            operand = done[node.operand]
            negate = isinstance(node.op, ast.USub)
            if operand.is_constant:  # -2 is the number −2, not an operation on 2
                return Constant(-operand.data if negate else operand.data)
            out = -operand if negate else operand
        elif isinstance(node, ast.BinOp):
            out = _BINARY[type(node.op)](done[node.left], done[node.right])
        else:
            assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            op = OPS[node.func.id]
            args = [done[arg] for arg in node.args]
            attrs = {name: arg.data for name, arg in zip(op.attrs, args[op.arity :], strict=True)}
            out = op(*args[: op.arity], **attrs)
        text = " ".join((ast.get_source_segment(self.source, node) or "").split())
        if not out.label and len(text) <= MAX_LABEL:
            out.label = powers_written(text)
        return out


_SMALL_POWER = re.compile(r"\s*\*\*\s*(\d)(?![\w.])")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def powers_written(text: str) -> str:
    """Source text with its powers as the pictures and captions write them: ``(x-y)²``, ``2^x``.

    A whole exponent 0 to 9 is a superscript, any other power ``^`` (as
    :func:`chainrule.engine.narration.power_text` writes ``x ** k``).
    """
    text = _SMALL_POWER.sub(lambda match: match.group(1).translate(_SUPERSCRIPT), text)
    return text.replace("**", "^")


def _postorder(root: ast.AST) -> list[ast.AST]:
    """The expression's nodes, operands before the operation (iteratively)."""
    order: list[ast.AST] = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(_operands(node))
    order.reverse()
    return order


def _operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    return []


def parse(source: str) -> Expression:
    """Parse and check ``source``; raise :class:`ExpressionError` saying what is not allowed."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression is a string, got {type(source).__name__}")
    if not source.strip():
        raise ExpressionError(message("terminal.expr_empty"))
    if len(source) > MAX_LENGTH:
        raise ExpressionError(
            message("terminal.expr_too_long", length=f"{len(source):,}", limit=f"{MAX_LENGTH:,}")
        )
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise _syntax_error(source.strip(), error) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(message("terminal.expr_too_deep")) from None
    source = source.strip()
    first_seen: dict[str, tuple[int, int]] = {}  # each (NFKC) name → where it first appears
    stack: list[ast.AST] = [tree.body]
    while stack:
        node = stack.pop()
        _check(node, source)
        if isinstance(node, ast.Name):
            at = (node.lineno, node.col_offset)
            first_seen[node.id] = min(at, first_seen.get(node.id, at))
        # a call's function name is checked with the call; only its argument is an operand
        stack.extend(node.args if isinstance(node, ast.Call) else ast.iter_child_nodes(node))
    return Expression(source, tree, tuple(sorted(first_seen, key=first_seen.__getitem__)))


_OPERATOR_NAMES = {
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
}


def _syntax_error(source: str, error: SyntaxError) -> ExpressionError:
    """Python's syntax error as an :class:`ExpressionError`, its caret where the problem is.

    Python 3.11 reports an expression that ends too early (``x*``) at column 0: the caret
    goes after the last character instead, and the message names what is missing.
    """
    reason = (error.msg or "invalid syntax").split(" (")[0].split(". ")[0]
    offset = error.offset or 0
    last = _last_token(source)
    if offset < 1 or offset > len(source) or (error.lineno or 1) > 1:
        if last in _BINARY_SYMBOLS:
            reason = message("terminal.expr_ends_with", last=last)
        else:
            reason = message("terminal.expr_ends_early", reason=reason)
        return ExpressionError(message("terminal.expr_syntax", reason=reason), source, len(source))
    return ExpressionError(message("terminal.expr_syntax", reason=reason), source, offset - 1)


_BINARY_SYMBOLS = ("+", "-", "*", "/", "**", "^", "(", ",")


def _last_token(source: str) -> str:
    """The last token of ``source`` (``**`` in ``x**``), or "" when it cannot be read."""
    last = ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
                last = token.string
    except (tokenize.TokenError, SyntaxError):
        pass
    return last


def _operator_column(source: str, node: ast.BinOp) -> int | None:
    """The column of a binary operator's symbol: the first character after its left operand
    that is neither a space nor a closing parenthesis."""
    start, end = node.left.end_col_offset, node.right.col_offset
    if start is None or node.left.end_lineno != node.right.lineno:
        return None
    begin = _column(source, start)
    stop = _column(source, end)
    if begin is None or stop is None:
        return None
    for column in range(begin, stop):
        if source[column] not in " \t)":
            return column
    return None


def _is_number(node: ast.AST) -> bool:
    """True for a number written in the expression, such as ``3`` or ``-0.5``."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and not isinstance(node.value, bool | str | bytes)


def _column(source: str, offset: int | None) -> int | None:
    """The character column of ``ast``'s ``col_offset``, which counts UTF-8 bytes."""
    if offset is None:
        return None
    return len(source.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))


def _check(node: ast.AST, source: str) -> None:
    column = _column(source, getattr(node, "col_offset", None))

    def refuse(key: str, **params: object) -> ExpressionError:
        return ExpressionError(message(f"terminal.expr_{key}", **params), source, column)

    known = functions()
    allowed = message("terminal.expr_allowed", functions=", ".join(known))
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            if isinstance(node.value, str | bytes):
                raise refuse("strings_refused", allowed=allowed)
            raise refuse("value_refused", value=repr(node.value), allowed=allowed)
        try:
            finite = math.isfinite(float(node.value))
        except OverflowError:
            finite = False
        if not finite:
            raise refuse("too_large")
    elif isinstance(node, ast.Name):
        if node.id in known:
            raise refuse("function_uncalled", name=node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            at = _operator_column(source, node)
            column_of_node = column
            column = column if at is None else at
            symbol = _OPERATOR_NAMES.get(type(node.op))
            if isinstance(node.op, ast.BitXor):
                left, right = "x", "2"
                start, end = column_of_node, _column(source, node.end_col_offset)
                if at is not None and start is not None and end is not None:
                    left = " ".join(source[start:at].replace("^", " ** ").split())
                    right = " ".join(source[at + 1 : end].replace("^", " ** ").split())
                raise refuse("xor", left=left, right=right)
            if symbol is None:
                raise refuse("this_operator_refused", allowed=allowed)
            raise refuse("operator_refused", symbol=symbol, allowed=allowed)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise refuse("unary_refused", allowed=allowed)
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in known:
            listed = ", ".join(known)
            if name:
                raise refuse("unknown_function", name=name, functions=listed)
            raise refuse("only_named", functions=listed)
        op = known[name]
        count = op.arity + len(op.attrs)
        example = ", ".join([*("xy"[: op.arity]), *("2" for _ in op.attrs)])
        if (
            len(node.args) != count
            or node.keywords
            or any(isinstance(arg, ast.Starred) for arg in node.args)
        ):
            raise refuse("arguments", name=name, count=count, example=example)
        for arg in node.args[op.arity :]:
            if not _is_number(arg):
                attrs = ", ".join(op.attrs)
                raise refuse("attr_number", name=name, attrs=attrs, example=example)
    elif isinstance(node, ast.operator | ast.unaryop | ast.expr_context):
        return
    else:
        refused = _REFUSED.get(type(node))
        if refused is None:
            what = message("terminal.expr_what_other", name=type(node).__name__)
        else:
            what = message(f"terminal.expr_what_{refused}")
        raise refuse("refused", what=what, allowed=allowed)
