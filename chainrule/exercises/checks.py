"""What the exercises' tests use: random inputs, the comparisons, the messages and the diagrams.

The tests a learner runs (``test_ops.py``, ``test_neuron.py``, ``test_layer.py`` in the folder
``chainrule exercises init`` writes) are short: each draws random inputs and calls one check
of this module with the learner's function and the mistakes it knows. A check computes the
right answer itself, twice, at those inputs: from chainrule's op table or its ``backward()``,
and by central differences of the plain function. There is no list of answers to copy.

A failure is one :func:`pytest.fail` message, without a traceback, that says

* in its first line, which op or exercise, which operand (or gradient), at which inputs,
  the expected and the received number (``chainrule exercises check`` shows this line);
* then the same in detail, and where the learner's function was called;
* the likely mistake, when the number received is what a common mistake gives;
* the diagram written to ``diagrams/<exercise>.svg``: the graph with the learner's number on
  it, the wrong edge or node drawn red (``draw_graph(…, highlight=[…])``);
* the seed of the random inputs, to repeat them (``CHAINRULE_SEED=… pytest …``).

A function that still raises ``NotImplementedError`` is "not written yet".
"""

from __future__ import annotations

import inspect
import math
import os
import random
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from chainrule.engine import OPS, Constant, Value, check_local_grads
from chainrule.engine import numeric as differences
from chainrule.engine.i18n import catalogue, language, message

SEED_VARIABLE = "CHAINRULE_SEED"

REL, ABS = 1e-6, 1e-9
"""How close a learner's number must be to the op table's (or backward's): rounding only."""
NUMERIC_REL, NUMERIC_ABS = 1e-5, 1e-7
"""How close it must be to a central difference, whose own error is about 1e-10."""


class ExerciseRandom(random.Random):
    """A random source that remembers its seed, so a failure can say how to repeat it."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.seed_value = seed

    def sign(self) -> float:
        return 1.0 if self.random() < 0.5 else -1.0


def random_inputs() -> ExerciseRandom:
    """A new random source, seeded from ``CHAINRULE_SEED`` when it is set, else at random."""
    text = os.environ.get(SEED_VARIABLE, "").strip()
    try:
        seed = int(text) if text else random.SystemRandom().randrange(1_000_000)
    except ValueError:
        raise ValueError(
            message("exercises.check.seed", variable=SEED_VARIABLE, text=repr(text))
        ) from None
    return ExerciseRandom(seed)


@dataclass(frozen=True)
class Mistake:
    """A common mistake: what it gives at the inputs, and the hint to show when it matches.

    ``where``  which number it concerns: an operand's index for an op (``None``: any),
               ``"w"``, ``"x"`` or ``"b"`` for the neuron, ``None`` for a layer's δ
    ``gives``  the number the mistake gives, from the same arguments as the learner's function
               (plus the index of the number, for the neuron and the layers); ``None`` when
               it does not apply there
    ``hint``   what to say, in plain words; a hint of the templates' is shown in the current
               language (:func:`said`), a learner's own as it is written
    """

    where: int | str | None
    gives: Callable[..., float | None]
    hint: str


def close(a: float, b: float, rel: float = REL, absolute: float = ABS) -> bool:
    return abs(a - b) <= absolute + rel * abs(b)


def number(x: float) -> str:
    """A number as the messages show it: six significant digits."""
    return f"{x:.6g}"


def numbers(xs: Sequence[float]) -> str:
    return "[" + ", ".join(number(x) for x in xs) + "]"


def matrix(rows: Sequence[Sequence[float]]) -> str:
    return "[" + ", ".join(numbers(row) for row in rows) + "]"


def both(expected: float, received: float) -> tuple[str, str]:
    """The two numbers, with more digits when six do not tell them apart."""
    a, b = number(expected), number(received)
    if a == b:
        a, b = repr(expected), repr(received)
    return a, b


def failure(lines: Sequence[str | None]) -> BaseException:
    """The failure of a test, with ``lines`` as its whole message (no traceback): raise it."""
    import pytest  # only the tests call this, and they run under pytest

    message = "\n".join(line for line in lines if line is not None)
    return pytest.fail.Exception(message, pytrace=False)


def fail(lines: Sequence[str | None]) -> NoReturn:
    raise failure(lines) from None


def seed_line(rng: ExerciseRandom, diagrams: Path | None = None) -> str:
    """How to repeat these random inputs: the seed, and the test's own command when known."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    target = "…"
    if test and diagrams is not None:
        target = shown_path(Path(diagrams).parent / test.split("::")[0]) + "::"
        target += test.split("::", 1)[-1]
    elif test:
        target = test
    return message(
        "exercises.failure.seed", seed=rng.seed_value, variable=SEED_VARIABLE, target=target
    )


def shown_path(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it, else in full."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def qualified(function: Callable[..., Any]) -> str:
    module = getattr(function, "__module__", "") or ""
    name = getattr(function, "__name__", repr(function))
    return f"{module}.{name}" if module and module != "__main__" else name


def _hint(
    mistakes: Sequence[Mistake], where: int | str, args: tuple, received: float, expected: float
) -> str:
    for mistake in mistakes:
        if mistake.where is not None and mistake.where != where:
            continue
        try:
            gives = mistake.gives(*args)
        except Exception:  # a mistake that does not apply at these inputs (e.g. 1/0)
            continue
        if gives is None or not math.isfinite(gives):
            continue
        if close(received, gives, 1e-6, 1e-9) and not close(gives, expected, 1e-6, 1e-9):
            return said(mistake.hint)
    return ""


def said(hint: str) -> str:
    """``hint`` in the current language: a hint the templates give (``exercises.mistake.*`` in
    the catalogue holds each, in English as the template writes it, and in Chinese), or the
    learner's own hint as it is written.

        >>> from chainrule.engine.i18n import using_language
        >>> with using_language("zh"):
        ...     said("this is x, log' is 1/x"), said("my own hint")
        ("这是 x，而 log' 是 1/x", 'my own hint')
    """
    english = {
        texts["en"]: key
        for key, texts in catalogue().items()
        if key.startswith("exercises.mistake.")
    }
    return message(english[hint]) if hint in english and language() != "en" else hint


def likely_mistake(hint: str) -> str | None:
    """The failure's ``likely mistake:`` line for ``hint`` (``None``, no line, when it is "")."""
    return message("exercises.failure.likely_mistake_line", hint=hint) if hint else None


def _raised(function: Callable[..., Any], error: Exception, call: str) -> list[str]:
    """What the learner's function raised, with the lines of the learner's own files.

    An error raised in another process (``exercises check`` calls the learner's function in
    one) carries those lines already formatted, as ``learner_where``.
    """
    where = getattr(error, "learner_where", None)
    if not isinstance(where, str):
        frames = traceback.extract_tb(error.__traceback__)
        try:
            folder = Path(inspect.getfile(function)).resolve().parent
            own = [f for f in frames if Path(f.filename).resolve().is_relative_to(folder)]
        except (TypeError, OSError):  # a built-in or a function without a file
            own = frames[-1:]
        where = "".join(traceback.format_list(own[-3:] or frames[-1:])).rstrip()
    return [
        message("exercises.failure.raised_line", error=f"{type(error).__name__}: {error}"),
        message("exercises.failure.called_line", call=call),
        *([message("exercises.failure.where_line"), where] if where else []),
    ]


def raised_line(function: str, error: Exception) -> str:
    """``ops.d_div raised ZeroDivisionError.``: the first line of a failure that raised."""
    return message(
        "exercises.failure.function_raised", function=function, error=type(error).__name__
    )


def _diagram(
    folder: Path | None, stem: str, root: Value, highlight: list, caption: str, red: str
) -> str | None:
    """Draw ``root`` with ``highlight`` in red into ``folder/stem.svg``; the message's line,
    which says what is ``red``."""
    if folder is None:
        return None
    from chainrule.viz import GraphvizNotFoundError, draw_graph, render

    path = Path(folder) / f"{stem}.svg"
    try:
        render(draw_graph(root, highlight=highlight, caption=caption), path)
    except GraphvizNotFoundError as error:  # no dot, no pygraphviz: the check still runs
        return message("exercises.failure.no_diagram", hint=error.hint)
    return message("exercises.failure.diagram_line", path=shown_path(path), red=red)


def _clear(folder: Path | None, stem: str) -> None:
    """Remove an exercise's old diagram once it passes, so no red edge outlives its mistake."""
    if folder is not None:
        (Path(folder) / f"{stem}.svg").unlink(missing_ok=True)


# --- the local derivatives of one op -----------------------------------------------------------


def written(name: str) -> str:
    """How the messages write op ``name``'s value, from its record: ``a·b``, ``x^k``, ``σ(x)``."""
    op = OPS[name]
    if op.arity == 2 and op.infix:
        return f"a{op.infix}b"
    if op.attrs and op.infix:
        return f"x{op.infix}{op.attrs[0]}"
    function = op.symbol if len(op.symbol) == 1 else op.name
    return f"{function}({', '.join(('x',) if op.arity == 1 else ('a', 'b'))})"


def check_op(
    name: str,
    learner: Callable[..., Any],
    points: Sequence[Sequence[float]],
    *,
    rng: ExerciseRandom,
    with_value: bool = False,
    mistakes: Sequence[Mistake] = (),
    diagrams: Path | None = None,
) -> None:
    """Check ``learner``, the local derivative(s) of the op ``OPS[name]``, at each point.

    A point is the op's operands followed by its attrs (``(x, k)`` for ``power``). The learner
    is called with the point, and with the op's value after it when ``with_value``
    (``d_tanh(x, t)`` with t = tanh x); it returns one number for an op of one operand, a
    pair for two. Each is compared with the op's kernel and with the central difference of
    the op alone (:func:`chainrule.engine.check_local_grads`); where the op has a kink
    (relu at 0) with the kernel only.
    """
    op = OPS[name]
    arity = op.arity
    operand_names = (
        ("a", "b") if arity == 2 else ("x",) if arity == 1 else tuple(f"x{i}" for i in range(arity))
    )
    form = f"out = {written(name)}"
    function = qualified(learner)
    for point in points:
        point = tuple(float(p) for p in point)
        operands, attrs = point[:arity], point[arity:]
        value, *expected = op.kernel(*point)  # type: ignore[misc]
        args = (*point, value) if with_value else point
        call = f"{function}({', '.join(number(a) for a in args)})"
        given = ", ".join(
            f"{n} = {number(v)}" for n, v in zip(operand_names, operands, strict=True)
        )
        given += "".join(f", {a} = {number(v)}" for a, v in zip(op.attrs, attrs, strict=True))
        inputs = message("exercises.failure.inputs_op", given=given, form=form, value=number(value))
        wanted = ", ".join(f"∂out/∂{n}" for n in operand_names)
        try:
            got = learner(*args)
        except NotImplementedError:
            fail(
                [
                    f"{name}: "
                    + message(
                        "exercises.failure.op_not_written",
                        function=function,
                        wanted=wanted,
                        form=form,
                    ),
                    inputs,
                    message(
                        "exercises.failure.expected_op_table",
                        expected=_expected_text(operand_names, expected),
                    ),
                    message("exercises.failure.received_not_written"),
                    message("exercises.failure.replace_raise", function=function),
                    seed_line(rng, diagrams),
                ]
            )
        except Exception as error:
            fail(
                [
                    f"{name}: "
                    + message(
                        "exercises.failure.op_raised",
                        function=function,
                        error=type(error).__name__,
                        given=given,
                    ),
                    inputs,
                    message(
                        "exercises.failure.expected_op_table",
                        expected=_expected_text(operand_names, expected),
                    ),
                    *_raised(learner, error, call),
                    seed_line(rng, diagrams),
                ]
            )
        received = _as_numbers(got, arity, name, function, wanted, inputs, rng, diagrams)
        leaves = [Value(v, n) for n, v in zip(operand_names, operands, strict=True)]
        node = Value(value, "out", parents=leaves, local_grads=received, op=op, attrs=attrs)
        edges = check_local_grads(node, rtol=NUMERIC_REL, atol=NUMERIC_ABS).edges
        for k, edge in enumerate(edges):
            if close(received[k], expected[k]) and edge.status != "wrong":
                continue
            operand = operand_names[k]
            exp_text, got_text = both(expected[k], received[k])
            if edge.checked:
                numeric = message(
                    "exercises.failure.central_difference", value=number(edge.expected)
                )
            elif edge.status == "kink":
                numeric = message("exercises.failure.kink", op=name)
            else:
                numeric = message("exercises.failure.no_difference")
            hint = _hint(mistakes, k, args, received[k], expected[k])
            node.backward()
            what = f"∂out/∂{operand}"
            picture = _diagram(
                diagrams,
                name,
                node,
                [edge.edge],
                message(
                    "exercises.failure.edge_caption",
                    operand=operand,
                    op=name,
                    function=function,
                    what=what,
                    received=got_text,
                    expected=exp_text,
                ),
                message("exercises.failure.edge_red", operand=operand, op=name),
            )
            fail(
                [
                    f"{name}: "
                    + message(
                        "exercises.failure.op_wrong",
                        what=what,
                        form=form,
                        given=given,
                        expected=exp_text,
                        received=got_text,
                    ),
                    message("exercises.failure.operand_line", operand=operand, index=k, op=name),
                    inputs,
                    message(
                        "exercises.failure.expected_kernel",
                        what=what,
                        expected=exp_text,
                        op=repr(name),
                        numeric=numeric,
                    ),
                    message("exercises.failure.received_from", received=got_text, call=call),
                    likely_mistake(hint),
                    picture,
                    seed_line(rng, diagrams),
                ]
            )
    _clear(diagrams, name)


def _expected_text(names: Sequence[str], expected: Sequence[float]) -> str:
    return ", ".join(f"∂out/∂{n} = {number(e)}" for n, e in zip(names, expected, strict=True))


def _as_numbers(
    got: object,
    arity: int,
    name: str,
    function: str,
    wanted: str,
    inputs: str,
    rng: ExerciseRandom,
    diagrams: Path | None,
) -> tuple[float, ...]:
    """The learner's return value as ``arity`` finite floats, or a failure saying what it was."""
    items = got if arity > 1 else (got,)
    shown = f"{got!r:.80}"
    complaint = ""
    if arity > 1 and not isinstance(got, tuple | list):
        problem = message("exercises.failure.want_tuple", count=arity, wanted=wanted)
        complaint = message(
            "exercises.failure.returned", function=function, got=shown, problem=problem
        )
    elif arity > 1 and len(items) != arity:  # type: ignore[arg-type]
        problem = message(
            "exercises.failure.want_count",
            count=arity,
            wanted=wanted,
            got=len(items),  # type: ignore[arg-type]
        )
        complaint = message(
            "exercises.failure.returned", function=function, got=shown, problem=problem
        )
    elif not all(_is_number(item) for item in items):  # type: ignore[union-attr]
        want = (
            "exercises.failure.want_one_number" if arity == 1 else "exercises.failure.want_numbers"
        )
        returned = (
            "exercises.failure.returned_none" if got is None else "exercises.failure.returned"
        )
        problem = message(want, wanted=wanted)
        complaint = message(returned, function=function, got=shown, problem=problem)
    elif not all(math.isfinite(float(item)) for item in items):  # type: ignore[union-attr]
        complaint = message("exercises.failure.returned_not_finite", function=function, got=shown)
    if complaint:
        fail(
            [
                f"{name}: {complaint}",
                inputs,
                message("exercises.failure.received_line", received=f"{got!r:.200}"),
                seed_line(rng, diagrams),
            ]
        )
    return tuple(float(item) for item in items)  # type: ignore[union-attr]


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


# --- a neuron's backward pass ---------------------------------------------------------------------


def check_neuron(
    learner: Callable[..., Any],
    *,
    rng: ExerciseRandom,
    trials: int = 5,
    mistakes: Sequence[Mistake] = (),
    diagrams: Path | None = None,
) -> None:
    """Check ``learner(x, w, b) -> (∂o/∂w, ∂o/∂x, ∂o/∂b)`` for o = tanh(w·x + b) at random inputs.

    The expected gradients are chainrule's ``backward()`` on the neuron's graph, and central
    differences of the plain function. A mistake's ``gives(x, w, b, i)`` is the number it
    gives for component ``i`` of the gradient named by ``where`` (``"w"``, ``"x"``, ``"b"``).
    """
    function = qualified(learner)
    for _ in range(trials):
        size = rng.randint(2, 4)
        x = [round(rng.uniform(-1.5, 1.5), 3) for _ in range(size)]
        w = [round(rng.uniform(-1.5, 1.5), 3) for _ in range(size)]
        b = round(rng.uniform(-1.0, 1.0), 3)
        root, xs, ws, bias, n = _neuron_graph(x, w, b)
        root.backward()
        expected = {"w": [v.grad for v in ws], "x": [v.grad for v in xs], "b": [bias.grad]}

        inputs = message(
            "exercises.failure.inputs_neuron",
            x=numbers(x),
            w=numbers(w),
            b=number(b),
            n=number(n.data),
            o=number(root.data),
        )
        call = f"{function}({numbers(x)}, {numbers(w)}, {number(b)})"
        try:
            got = learner(list(x), list(w), b)
        except NotImplementedError:
            fail(
                [
                    "neuron: " + message("exercises.failure.neuron_not_written", function=function),
                    inputs,
                    message(
                        "exercises.failure.expected_neuron",
                        w=numbers(expected["w"]),
                        x=numbers(expected["x"]),
                        b=number(expected["b"][0]),
                    ),
                    message("exercises.failure.received_not_written"),
                    seed_line(rng, diagrams),
                ]
            )
        except Exception as error:
            fail(
                [
                    "neuron: " + raised_line(function, error),
                    inputs,
                    *_raised(learner, error, call),
                    seed_line(rng, diagrams),
                ]
            )
        parts = _neuron_parts(got, size, function, inputs, rng, diagrams)
        for part, index, got_value in parts:
            right = expected[part][index]
            numeric = _neuron_slope(x, w, b, part, index)
            if close(got_value, right) and close(got_value, numeric, NUMERIC_REL, NUMERIC_ABS):
                continue
            symbol = "b" if part == "b" else f"{part}[{index}]"
            exp_text, got_text = both(right, got_value)
            hint = _hint(mistakes, part, (x, w, b, index), got_value, right)
            leaf = {"w": ws, "x": xs, "b": [bias]}[part][index]
            picture = _diagram(
                diagrams,
                "neuron",
                root,
                [leaf],
                message(
                    "exercises.failure.node_caption",
                    node=symbol,
                    function=function,
                    what=f"∂o/∂{symbol}",
                    received=got_text,
                    expected=exp_text,
                ),
                symbol,
            )
            fail(
                [
                    "neuron: "
                    + message(
                        "exercises.failure.neuron_wrong",
                        symbol=symbol,
                        x=numbers(x),
                        w=numbers(w),
                        b=number(b),
                        expected=exp_text,
                        received=got_text,
                    ),
                    message("exercises.failure.gradient_line", symbol=symbol),
                    inputs,
                    message(
                        "exercises.failure.expected_backward",
                        what=f"∂o/∂{symbol}",
                        expected=exp_text,
                        numeric=number(numeric),
                    ),
                    message("exercises.failure.received_from", received=got_text, call=call),
                    likely_mistake(hint),
                    picture,
                    seed_line(rng, diagrams),
                ]
            )
    _clear(diagrams, "neuron")


def _neuron_slope(x: list[float], w: list[float], b: float, part: str, index: int) -> float:
    """∂o/∂(one input) of o = tanh(w·x + b) by central difference of the plain function."""

    size = len(x)

    def o(point: list[float]) -> float:
        xs, ws, bias = point[:size], point[size:-1], point[-1]
        return math.tanh(sum(wi * xi for wi, xi in zip(ws, xs, strict=True)) + bias)

    offset = {"x": 0, "w": size, "b": 2 * size}[part]
    return differences.central_difference(o, [*x, *w, b], offset + index, 1e-6)


def _neuron_graph(
    x: list[float], w: list[float], b: float
) -> tuple[Value, list[Value], list[Value], Value, Value]:
    xs = [Value(v, f"x[{i}]") for i, v in enumerate(x)]
    ws = [Value(v, f"w[{i}]") for i, v in enumerate(w)]
    bias = Value(b, "b")
    n = bias
    for wi, xi in zip(ws, xs, strict=True):
        n = wi * xi + n
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, xs, ws, bias, n


def _neuron_parts(
    got: object,
    size: int,
    function: str,
    inputs: str,
    rng: ExerciseRandom,
    diagrams: Path | None,
) -> list[tuple[str, int, float]]:
    """The learner's ``(∂o/∂w, ∂o/∂x, ∂o/∂b)`` as (part, index, number), or a failure."""
    problem = ""
    if not isinstance(got, tuple | list) or len(got) != 3:
        problem = message("exercises.failure.want_three")
    else:
        dw, dx, db = got
        for what, values in (("∂o/∂w", dw), ("∂o/∂x", dx)):
            if not isinstance(values, tuple | list) or len(values) != size:
                problem = message("exercises.failure.want_list", what=what, size=size)
            elif not all(_is_number(v) and math.isfinite(v) for v in values):
                problem = message("exercises.failure.want_finite", what=what)
        if not problem and not (_is_number(db) and math.isfinite(db)):
            problem = message("exercises.failure.want_finite_bias")
    if problem:
        fail(
            [
                "neuron: "
                + message(
                    "exercises.failure.returned",
                    function=function,
                    got=f"{got!r:.80}",
                    problem=problem,
                ),
                inputs,
                seed_line(rng, diagrams),
            ]
        )
    dw, dx, db = got  # type: ignore[misc]
    return (
        [("w", i, float(v)) for i, v in enumerate(dw)]
        + [("x", i, float(v)) for i, v in enumerate(dx)]
        + [("b", 0, float(db))]
    )


# --- BP1 and BP2 for one layer ----------------------------------------------------------------


def sigmoid(z: float) -> float:
    return OPS["sigmoid"].kernel(z)[0]  # type: ignore[misc]


def check_bp1(
    learner: Callable[..., Any],
    *,
    rng: ExerciseRandom,
    trials: int = 5,
    mistakes: Sequence[Mistake] = (),
    diagrams: Path | None = None,
) -> None:
    """Check ``learner(z, a, y) -> δ^L`` (BP1) for a^L = σ(z^L) and C = ½‖a^L − y‖².

    The expected δ^L_j is the ``grad`` of z^L_j after ``backward()`` of C, and the central
    difference of C in z^L_j. A mistake's ``gives(z, a, y, j)`` is what it gives for δ_j.
    """
    function = qualified(learner)
    for _ in range(trials):
        size = rng.randint(2, 3)
        z = [round(rng.uniform(-2.0, 2.0), 3) for _ in range(size)]
        a = [sigmoid(v) for v in z]
        y = [round(rng.uniform(0.0, 1.0), 3) for _ in range(size)]
        zs = [Value(v, f"z[L][{j}]") for j, v in enumerate(z)]
        terms = []
        for j, (zj, yj) in enumerate(zip(zs, y, strict=True)):
            aj = zj.sigmoid()
            aj.label = f"a[L][{j}]"
            terms.append(0.5 * (aj - Constant(yj, f"y[{j}]")) ** 2)
        cost = _sum(terms)
        cost.label = "C"
        cost.backward()
        expected = [v.grad for v in zs]

        def c_of(z: list[float], y: list[float] = y) -> float:
            return sum(0.5 * (sigmoid(zj) - yj) ** 2 for zj, yj in zip(z, y, strict=True))

        given = f"z^L = {numbers(z)}, y = {numbers(y)}"
        inputs = message(
            "exercises.failure.inputs_line",
            given=f"z^L = {numbers(z)}, a^L = σ(z^L) = {numbers(a)}, y = {numbers(y)}",
        )
        call = f"{function}({numbers(z)}, {numbers(a)}, {numbers(y)})"
        got = _call_layer(
            learner,
            (list(z), list(a), list(y)),
            "bp1",
            "δ^L",
            function,
            inputs,
            expected,
            call,
            size,
            rng,
            diagrams,
        )
        _compare_deltas(
            "bp1",
            "δ^L",
            got,
            expected,
            c_of,
            z,
            (z, a, y),
            mistakes,
            given,
            inputs,
            call,
            function,
            cost,
            zs,
            diagrams,
            rng,
        )
    _clear(diagrams, "bp1")


def check_bp2(
    learner: Callable[..., Any],
    *,
    rng: ExerciseRandom,
    trials: int = 5,
    mistakes: Sequence[Mistake] = (),
    diagrams: Path | None = None,
) -> None:
    """Check ``learner(w_next, b_next, delta_next, z, a) -> δ^l`` (BP2), σ the sigmoid.

    The graph: a^l = σ(z^l), z^{l+1} = W^{l+1} a^l + b^{l+1}, and C = Σ_j δ^{l+1}_j·z^{l+1}_j,
    whose ∂C/∂z^{l+1} is δ^{l+1}: so after ``backward()`` the grad of z^l_k is δ^l_k. A
    mistake's ``gives(w_next, b_next, delta_next, z, a, k)`` is what it gives for δ_k.
    """
    function = qualified(learner)
    for trial in range(trials):
        size = rng.randint(2, 3)
        size_next = size if trial % 2 == 0 else 5 - size  # square and not: 2×2, 3×2, …
        w = [[round(rng.uniform(-1.5, 1.5), 3) for _ in range(size)] for _ in range(size_next)]
        b = [round(rng.uniform(-1.0, 1.0), 3) for _ in range(size_next)]
        delta = [round(rng.uniform(-1.0, 1.0), 3) for _ in range(size_next)]
        z = [round(rng.uniform(-2.0, 2.0), 3) for _ in range(size)]
        a = [sigmoid(v) for v in z]
        zs = [Value(v, f"z[l][{k}]") for k, v in enumerate(z)]
        activations = []
        for k, zk in enumerate(zs):
            ak = zk.sigmoid()
            ak.label = f"a[l][{k}]"
            activations.append(ak)
        terms = []
        for j in range(size_next):
            zj: Value = Constant(b[j], f"b[l+1][{j}]")
            for k, ak in enumerate(activations):
                zj = zj + Constant(w[j][k], f"W[l+1][{j}][{k}]") * ak
            zj.label = f"z[l+1][{j}]"
            terms.append(Constant(delta[j], f"δ[l+1][{j}]") * zj)
        cost = _sum(terms)
        cost.label = "C"
        cost.backward()
        expected = [v.grad for v in zs]

        def c_of(z: list[float], w: list = w, b: list = b, delta: list = delta) -> float:
            a = [sigmoid(v) for v in z]
            return sum(
                d * (sum(wjk * ak for wjk, ak in zip(row, a, strict=True)) + bj)
                for row, bj, d in zip(w, b, delta, strict=True)
            )

        inputs = message(
            "exercises.failure.inputs_line",
            given=f"W^(l+1) = {matrix(w)}, b^(l+1) = {numbers(b)}, δ^(l+1) = {numbers(delta)}, "
            f"z^l = {numbers(z)}, a^l = σ(z^l) = {numbers(a)}",
        )
        args = ([list(row) for row in w], list(b), list(delta), list(z), list(a))
        given = f"W^(l+1) = {matrix(w)}, δ^(l+1) = {numbers(delta)}, z^l = {numbers(z)}"
        call = (
            f"{function}(w_next={matrix(w)}, b_next={numbers(b)}, delta_next={numbers(delta)}, "
            f"z={numbers(z)}, a={numbers(a)})"
        )
        got = _call_layer(
            learner, args, "bp2", "δ^l", function, inputs, expected, call, size, rng, diagrams
        )
        _compare_deltas(
            "bp2",
            "δ^l",
            got,
            expected,
            c_of,
            z,
            (w, b, delta, z, a),
            mistakes,
            given,
            inputs,
            call,
            function,
            cost,
            zs,
            diagrams,
            rng,
        )
    _clear(diagrams, "bp2")


def _sum(terms: list[Value]) -> Value:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _call_layer(
    learner: Callable[..., Any],
    args: tuple,
    name: str,
    delta: str,
    function: str,
    inputs: str,
    expected: list[float],
    call: str,
    size: int,
    rng: ExerciseRandom,
    diagrams: Path | None,
) -> list[float]:
    expected_line = message(
        "exercises.failure.expected_line", expected=f"{delta} = {numbers(expected)}"
    )
    try:
        got = learner(*args)
    except NotImplementedError:
        fail(
            [
                f"{name}: "
                + message("exercises.failure.layer_not_written", function=function, delta=delta),
                inputs,
                expected_line,
                message("exercises.failure.received_not_written"),
                seed_line(rng, diagrams),
            ]
        )
    except Exception as error:
        hint = message("exercises.failure.index_hint") if isinstance(error, IndexError) else ""
        fail(
            [
                f"{name}: " + raised_line(function, error),
                inputs,
                expected_line,
                *_raised(learner, error, call),
                likely_mistake(hint),
                seed_line(rng, diagrams),
            ]
        )
    if (
        not isinstance(got, tuple | list)
        or len(got) != size
        or not all(_is_number(v) and math.isfinite(v) for v in got)
    ):
        if not isinstance(got, tuple | list):
            key, count = "exercises.failure.layer_returned", 0
        elif len(got) != size:
            key, count = "exercises.failure.layer_returned_transpose", len(got)
        else:
            key, count = "exercises.failure.layer_returned_count", len(got)
        fail(
            [
                f"{name}: "
                + message(
                    key, function=function, got=f"{got!r:.80}", count=count, delta=delta, size=size
                ),
                inputs,
                expected_line,
                seed_line(rng, diagrams),
            ]
        )
    return [float(v) for v in got]


def _compare_deltas(
    name: str,
    delta: str,
    got: list[float],
    expected: list[float],
    cost_of: Callable[[list[float]], float],
    z: list[float],
    args: tuple,
    mistakes: Sequence[Mistake],
    given: str,
    inputs: str,
    call: str,
    function: str,
    root: Value,
    zs: list[Value],
    diagrams: Path | None,
    rng: ExerciseRandom,
) -> None:
    for k, (mine, right) in enumerate(zip(got, expected, strict=True)):
        numeric = differences.central_difference(cost_of, z, k, 1e-6)
        if close(mine, right) and close(mine, numeric, NUMERIC_REL, NUMERIC_ABS):
            continue
        symbol = f"{delta}[{k}]"
        exp_text, got_text = both(right, mine)
        hint = _hint(mistakes, None, (*args, k), mine, right) if mistakes else ""
        label = zs[k].label
        picture = _diagram(
            diagrams,
            name,
            root,
            [zs[k]],
            message(
                "exercises.failure.z_caption",
                node=label,
                function=function,
                what=symbol,
                received=got_text,
                expected=exp_text,
            ),
            label,
        )
        fail(
            [
                f"{name}: "
                + message(
                    "exercises.failure.delta_wrong",
                    symbol=symbol,
                    given=given,
                    expected=exp_text,
                    received=got_text,
                ),
                message("exercises.failure.neuron_line", index=k, symbol=symbol, label=label),
                inputs,
                message(
                    "exercises.failure.expected_backward",
                    what=symbol,
                    expected=exp_text,
                    numeric=number(numeric),
                ),
                message(
                    "exercises.failure.received_item",
                    received=got_text,
                    index=k,
                    all=numbers(got),
                    call=call,
                ),
                likely_mistake(hint),
                picture,
                seed_line(rng, diagrams),
            ]
        )
