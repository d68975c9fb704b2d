"""The op table's JavaScript, run in Chromium, gives the Python engine's numbers and errors.

Each op's record carries JavaScript that Python generated from its formulas
(``engine.optable``); the pages run nothing else. Here it runs as the pages get it
(``viz.page_assets``'s ``chainrule_ops``, on the twin of the formulas' runtime), on a blank
page, and every one of its four readings is compared with Python's at the same numbers:
``kernels`` (the value and each local derivative) with ``op.kernel``, ``values`` with
``op.function``, ``shown`` (the number a caption shows for ∂out/∂operand) with
``op.shown_number``, and an error's kind and words, in either language. The ops of the
built-in table are here, and ops a learner defines, with numbers and conditions of every
shape the formulas allow.
"""

from __future__ import annotations

import math
import random
import re

import pytest
from chainrule.engine import OPS, define_op
from chainrule.engine.errors import refined
from chainrule.engine.i18n import LANGUAGES, using_language
from chainrule.engine.optable import BUILTIN, OpRecord
from chainrule.viz.page_assets import OPS_SCRIPT, read_scripts

UNARY_POINTS = (0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0, 30.0, -30.0)
UNARY_POINTS += (709.78, 709.79, -745.2, 800.0, -800.0, 1e200, -1e200)
BINARY_POINTS = (0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -3.0, 1e-300, 1e200, -1e-200)
ATTR_POINTS = (-2.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 2.5, -0.5)

ERRORS = ("DomainError", "DivisionByZeroError", "NumberOverflowError")
"""The kinds of error a kernel raises in the page: the engine's, never JavaScript's own."""

RUN = """
var calls = arguments[0], lang = arguments[1], ops = chainrule_ops;
window.chainrule_i18n = { language: function () { return lang; } };
function plain(x) {
  if (x === null || x === undefined) { return null; }
  return isFinite(x) ? x : (x !== x ? "nan" : (x > 0 ? "inf" : "-inf"));
}
function outcome(run) {
  try { return run(); } catch (e) { return ["error", e.kind, e.message]; }
}
return calls.map(function (call) {
  var name = call[0], args = call[1], numbers = call[2];
  return {
    kernel: outcome(function () { return ops.kernels[name].apply(null, args).map(plain); }),
    value: outcome(function () { return [plain(ops.values[name].apply(null, args))]; }),
    shown: outcome(function () { return ops.shown[name].apply(null, numbers).map(plain); }),
  };
});
"""
"""Each call's three readings; an error as ``["error", kind, message]``, a number that is
not finite as its name (WebDriver hands NaN and Infinity back as None)."""


def ops_in_page(browser) -> dict[str, object]:
    """What ``chainrule_ops`` holds: its ops' names, parameters and overflow words."""
    return browser.execute_script(
        read_scripts(("pyformat.js", "formula_runtime.js", OPS_SCRIPT))
        + "\nreturn {names: Object.keys(chainrule_ops.kernels), params: chainrule_ops.params,"
        " overflow: chainrule_ops.overflow};"
    )


def run_in_page(browser, calls: list[tuple[str, list[float], list[float]]], lang: str):
    """Each call ``(op name, its operands then attrs, the numbers its shown formulas read)``
    run in the page, as :data:`RUN` reports it."""
    scripts = read_scripts(("pyformat.js", "formula_runtime.js", OPS_SCRIPT))
    return browser.execute_script(scripts + RUN, calls, lang)


def plain(x: float | None) -> float | str | None:
    return x if x is None or math.isfinite(x) else repr(x)


def in_python(op: OpRecord, args: list[float]) -> dict[str, list[object]]:
    """What Python gives for the readings :data:`RUN` takes, in its terms."""

    def outcome(run) -> list[object]:
        try:
            return [plain(x) for x in run()]
        except (ArithmeticError, ValueError) as error:
            return ["error", refined(error).__name__, str(error)]

    kernel = outcome(lambda: op.kernel(*args))
    value = outcome(lambda: [op.function(*args)])
    shown: list[object] = []
    if kernel[0] != "error":
        numbers = dict(zip(op.names, shown_numbers(op, args, kernel[0]), strict=True))
        shown = [plain(op.shown_number(i, numbers)) for i in range(op.arity)]
    return {"kernel": kernel, "value": value, "shown": shown}


def shown_numbers(op: OpRecord, args: list[float], out: float) -> list[float]:
    """The numbers a caption's formula reads, in ``op.names``' order: operands, out, attrs."""
    return [*args[: op.arity], out, *args[op.arity :]]


def same(got: object, expected: object) -> bool:
    if isinstance(expected, float) and isinstance(got, int | float):
        return math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-300)
    return got == expected


def calls_for(names: list[str], seed: int) -> list[tuple[str, list[float]]]:
    """A grid of hard points, then random ones, for each op; with each attr on its own grid."""
    rng = random.Random(seed)
    calls = []
    for name in names:
        op = OPS[name]
        points = UNARY_POINTS if op.arity == 1 else BINARY_POINTS
        grid = [[x] for x in points] if op.arity == 1 else [[x, y] for x in points for y in points]
        grid += [[rng.uniform(-5, 5) for _ in range(op.arity)] for _ in range(30)]
        attrs = [[k] for k in ATTR_POINTS] if op.attrs else [[]]
        calls += [(name, [*args, *fixed]) for args in grid for fixed in attrs]
    return calls


def compare(browser, names: list[str], lang: str, seed: int = 3) -> set[str]:
    """Run every op of ``names`` in the page and in Python, assert they agree, and return
    the error messages met."""
    calls = calls_for(names, seed)
    with using_language(lang):
        expected = [in_python(OPS[name], args) for name, args in calls]
    numbers = [
        shown_numbers(OPS[name], args, e["kernel"][0]) if e["shown"] else [0.0] * 4
        for (name, args), e in zip(calls, expected, strict=True)
    ]
    got = run_in_page(browser, [(n, a, s) for (n, a), s in zip(calls, numbers, strict=True)], lang)
    messages = set()
    for (name, args), in_page, want in zip(calls, got, expected, strict=True):
        for reading in ("kernel", "value"):
            assert len(in_page[reading]) == len(want[reading]), (name, args, reading, in_page)
            for g, e in zip(in_page[reading], want[reading], strict=True):
                assert same(g, e), (name, args, reading, in_page[reading], want[reading])
        if want["kernel"][0] == "error":
            messages.add(want["kernel"][2])
            continue
        shown = in_page["shown"]
        if shown[0] == "error":  # the page's one function stops where a formula has no number
            assert shown[1] in ERRORS and None in want["shown"], (name, args, shown, want)
            continue
        for g, e in zip(shown, want["shown"], strict=True):
            # Python has no number where a step of the formula overflows (its ** raises);
            # the page goes on with Infinity, as a kernel does
            assert e is None or same(g, e), (name, args, g, e)
    return messages


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_built_in_op_runs_in_the_page_as_in_python(browser, lang):
    # its kernel, its value alone and its captions' numbers; an error has the same kind and
    # the same words, in either language
    messages = compare(browser, list(BUILTIN), lang)
    assert len(messages) >= 4  # log's, div's and power's domains at least
    chinese = {m for m in messages if re.search(r"[\u4e00-\u9fff]", m)}
    assert chinese == (messages if lang == "zh" else set()), messages - chinese


def test_the_page_has_every_op_with_javascript_its_parameters_and_overflow_words(browser, table):
    # both directions: each record with JavaScript has a kernel in the page, and no other
    define_op("native", lambda a: (a, 1.0))  # a Python function: nothing to run in a page
    in_page = ops_in_page(browser)
    assert in_page["names"] == [name for name, op in OPS.items() if op.javascript]
    assert set(BUILTIN) <= set(in_page["names"]) and "native" not in in_page["names"]
    for name in in_page["names"]:
        op = OPS[name]
        assert in_page["params"][name] == [*op.names[: op.arity], *op.attrs]
        assert in_page["overflow"][name] == (dict(OPS[name].overflow) or "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_learners_ops_run_in_the_page_as_in_python(browser, table, lang):
    # numbers of every shape (tiny, huge, exponents, integers), every comparison, and/or/not,
    # one op calling another, attrs, and domain words in one language or two
    slope = "-2*a*exp(-a**2) * 1e-3 + 2.5e-7 + 1e300 * 1e-300"
    define_op("bump", value="exp(-a**2) * 1e-3 + 2.5e-7 * a + 1e300 * 1e-300 * a", grads=[slope])
    define_op(
        "band",
        value="a * b if a >= -1 and a <= 1 or not b != 0.5 else 0.0",
        grads=["b if a >= -1 and a <= 1 or not b != 0.5 else 0.0", "a if a > -1 else 0.0"],
    )
    define_op(
        "scaled",
        value="bump(a) * k + 3 * (a < k)",
        grads=[f"k * ({slope}) if k != 0 else 0.0"],
        attrs=["k"],
    )
    words = {"en": "root needs a > 0", "zh": "root 需要 a > 0"}  # sigmoid: an op in a condition
    define_op(
        "root", value="log(a) / 2", grads=["1 / (2 * a)"], domain=[("sigmoid(a) > 0.5", words)]
    )
    # a formula given as text that cannot be read back: the page has NaN for it, as Python
    # has no number, and the other operand's number
    define_op("product", value="a * b", grads=["b", "a"], formulas=["{b}", "{a}×({b})"])
    define_op("cubic", value="a**3 - 2 * a**2", grads=["3 * a**2 - 4 * a"])  # powers by number
    # a number as a condition (true unless 0), and an op of two operands called
    define_op("mixed", value="pow(2, a) * (1 if b else 2)", grads=["out * log(2)", "0"])
    messages = compare(
        browser, ["bump", "band", "scaled", "root", "product", "cubic", "mixed"], lang, seed=11
    )
    assert words[lang] in messages
