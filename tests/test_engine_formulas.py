"""One definition per op: formulas parsed once, read as Python, JavaScript, text and Values.

Every op of the table is checked here by iterating the table, so a new built-in op is
covered by these tests the moment it is defined; a learner's op defined with formulas is
as good as a built-in; every misuse of ``define_op`` is a ValueError at definition, after
which Python keeps working.
"""

import math
import random
import subprocess
import sys

import pytest
from chainrule.engine import (
    OPS,
    DomainError,
    NumberOverflowError,
    Replay,
    Value,
    define_op,
    formula,
    gradcheck,
)
from chainrule.engine.errors import DivisionByZeroError

FORMULA_OPS = [name for name, op in OPS.items() if op.value_tree is not None]


def sample(op, rng: random.Random) -> list[float]:
    """A point inside every op's domain: positive operands, a small integer attr."""
    return [rng.uniform(0.2, 2.0) for _ in range(op.arity)] + [2.0 for _ in op.attrs]


@pytest.mark.parametrize("name", FORMULA_OPS)
def test_each_local_derivative_evaluated_on_values_is_the_kernels_number(name):
    # the grads' fourth reading: the formula computed on Values makes nodes whose data
    # is the kernel's local derivative (what higher-order gradients will build on)
    op = OPS[name]
    rng = random.Random(name)
    for _ in range(10):
        point = sample(op, rng)
        operands = [Value(x) for x in point[: op.arity]]
        attrs = dict(zip(op.attrs, point[op.arity :], strict=True))
        out = op(*operands, **attrs)
        env = {"a": operands[0], "b": operands[-1], "out": out, **attrs}
        for k, tree in enumerate(op.grad_trees):
            made = formula.evaluate(tree, env, lambda f, args: OPS[f](*args))
            number = made.data if isinstance(made, Value) else made
            assert math.isclose(number, out.local_grads[k], rel_tol=1e-15, abs_tol=1e-300)


@pytest.mark.parametrize("name", FORMULA_OPS)
def test_each_kernel_agrees_with_central_differences_of_its_own_value(name):
    op = OPS[name]
    rng = random.Random(name)
    for _ in range(10):
        point = sample(op, rng)
        _, *grads = op.kernel(*point)
        for k, grad in enumerate(grads):
            h = 1e-6 * max(1.0, abs(point[k]))
            up, down = list(point), list(point)
            up[k] += h
            down[k] -= h
            slope = (op.function(*up) - op.function(*down)) / (2 * h)
            assert math.isclose(grad, slope, rel_tol=1e-5, abs_tol=1e-7), (name, point, k)


@pytest.mark.parametrize("name", FORMULA_OPS)
def test_each_op_has_its_four_readings(name):
    op = OPS[name]
    assert op.python.startswith("def kernel(") and "def function(" in op.python
    assert "kernel: function (" in op.javascript and "value: function (" in op.javascript
    assert len(op.formulas) == op.arity == len(op.grad_trees)


def test_the_generated_python_is_ordinary_readable_code():
    # a learner can read what their formulas became: op.python is the whole source
    assert OPS["tanh"].python == (
        "def kernel(a):\n"
        "    # tanh: the value, then ∂out/∂a\n"
        "    out = _tanh(a)\n"
        "    return (out, (1.0 - (out * out)))\n"
        "\n\n"
        "def function(a):\n"
        "    return _tanh(a)\n"
    )
    assert OPS["mul"].python.splitlines()[:2] == [
        "def kernel(a, b):",
        "    # mul: the value, then ∂out/∂a, ∂out/∂b",
    ]
    # a domain's check comes first, in both functions
    check = "    if not (a > 0.0):\n        raise DomainError(_say(_messages[0], a=a))\n"
    assert OPS["log"].python.count(check) == 2


def test_formula_text_is_what_a_learner_reads():
    def text(source, names=("a", "b", "out", "k")):
        return formula.text(formula.parse(source, names, {"sigmoid": 1, "exp": 1}), str)

    assert text("3*a**2") == "3·{a}²"
    assert text("1 - out**2") == "1 − {out}²"
    assert text("a > 0") == "1 if {a} > 0 else 0"
    assert text("-out / b") == "−{out}/{b}"
    assert text("a - (b - 1)") == "{a} − ({b} − 1)"
    assert text("(a + b) * k") == "({a} + {b})·{k}"
    assert text("a**(k - 1)") == "{a}^({k} − 1)"


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("a * -2", "{a}·(−2)"),  # a minus sign after an operator is bracketed
        ("a - -b", "{a} − (−{b})"),
        ("a / -b", "{a}/(−{b})"),
        ("-2 * a", "−2·{a}"),
        ("-(a + b)", "−({a} + {b})"),
        ("-a**2", "−{a}²"),  # the power first, as in Python
        ("(-a)**2", "(−{a})²"),
        ("a**-1", "{a}^(−1)"),
        ("(a**b)**k", "({a}^{b})^{k}"),  # a power of a power says which comes first
        ("a**b**k", "{a}^({b}^{k})"),
        ("a**2**2", "{a}^(2²)"),
        ("(a**2)**3", "({a}²)³"),
        ("a**9 + a**10 + a**0", "{a}⁹ + {a}^10 + {a}⁰"),
        ("a**2.5", "{a}^2.5"),
        ("2**a", "2^{a}"),
        ("sigmoid(a)**2", "σ({a})²"),
        ("a / (b / k)", "{a}/({b}/{k})"),
        ("a / b * k", "{a}/{b}·{k}"),
        ("a + b * k", "{a} + {b}·{k}"),
        ("pow(a, b)", "pow({a}, {b})"),
        ("sigmoid(a if a > 0 else b)", "σ({a} if {a} > 0 else {b})"),
        ("a - b - k", "{a} − {b} − {k}"),
        ("a + 1e15 + 2.5e16", "{a} + 1000000000000000 + 2.5e+16"),
        ("k * (a > 0)", "{k}·(1 if {a} > 0 else 0)"),
        ("a if a >= b else b", "{a} if {a} ≥ {b} else {b}"),
        ("(a if a <= b else b) + 1", "({a} if {a} ≤ {b} else {b}) + 1"),
        ("1 if a > 0 else (2 if b != 0 else 3)", "1 if {a} > 0 else 2 if {b} ≠ 0 else 3"),
        ("(1 if a > 0 else 2) if b == 0 else 3", "(1 if {a} > 0 else 2) if {b} == 0 else 3"),
        ("a > 0 and b > 0 or k > 1", "1 if {a} > 0 and {b} > 0 or {k} > 1 else 0"),
        ("a > 0 and (b > 0 or k > 1)", "1 if {a} > 0 and ({b} > 0 or {k} > 1) else 0"),
        ("not (a > 0 and b < 0)", "1 if not ({a} > 0 and {b} < 0) else 0"),
        ("a < b < k", "1 if {a} < {b} and {b} < {k} else 0"),
    ],
)
def test_formula_text_brackets_what_it_must_and_nothing_else(source, shown):
    functions = {"sigmoid": 1, "pow": 2}
    tree = formula.parse(source, ("a", "b", "k"), functions)
    assert formula.text(tree, lambda name: {"sigmoid": "σ"}.get(name, name)) == shown
    # read back, the text is the same formula: it computes the same numbers
    again = formula.parse_shown(shown, ("a", "b", "k"), functions, {"σ": "sigmoid"})

    def sigmoid(name: str, args: list[float]) -> float:
        return 1 / (1 + math.exp(-args[0])) if name == "sigmoid" else args[0] ** args[1]

    for point in ({"a": 1.5, "b": 2.0, "k": 3.0}, {"a": 0.5, "b": -2.0, "k": 0.25}):
        assert formula.evaluate(again, point, sigmoid) == formula.evaluate(tree, point, sigmoid)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (3, "a formula is a str such as '3*a**2', got int"),
        ("a" * 501, "a formula is at most 500 characters, got 501"),
        (" \t", "a formula cannot be empty: write e.g. '3*a**2'"),
        ("a +", "formula 'a +' is not valid syntax (invalid syntax)"),
        (
            "a^2 +",
            "formula 'a^2 +' is not valid syntax (invalid syntax); write powers as a**2, not a^2",
        ),
        (
            "a + 1" + "0" * 400,
            f"formula {'a + 1' + '0' * 400!r}: 100000000000… (401 characters) is too large for "
            "a float (the largest is about 1.8e308)",
        ),
        (
            " 2 * 1e999",
            "formula ' 2 * 1e999': 1e999 is too large for a float (the largest is about 1.8e308)",
        ),
    ],
)
def test_a_formula_that_cannot_be_read_is_refused_in_so_many_words(source, message):
    with pytest.raises(formula.FormulaError) as refused:
        formula.parse(source, ("a",), {})
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("'a'", "'a' is not a number"),
        ("True", "True is not a number"),
        ("zz + a", "unknown name 'zz'; a formula may use a, out"),
        (
            "b * 2",
            "unknown name 'b'; a formula may use a, out (b is a second operand: give two grads, "
            "∂out/∂a and ∂out/∂b)",
        ),
        ("~a", "~ is not allowed"),
        ("a // 2", "the operator FloorDiv is not allowed"),
        ("a ^ 2", "^ is not a power here: write powers as a**2, not a^2"),
        ("a < a is a", "the comparison Is is not allowed"),
        ("a.real", "a formula cannot use attribute access (a.b)"),
        ("a[0]", "a formula cannot use indexing"),
        ("[a]", "a formula cannot use lists"),
        ("(a, a)", "a formula cannot use tuples"),
        ("{a: 1}", "a formula cannot use dicts"),
        ("{a}", "a formula cannot use sets"),
        ("f'{a}'", "a formula cannot use strings"),
        ("(x := 1)", "a formula cannot use :="),
        ("exp(*a)", "a formula cannot use *args"),
        ("[i for i in a]", "a formula cannot use comprehensions"),
        ("lambda: a", "a formula cannot use lambda"),
        ("a.b()", "only a function named directly can be called, e.g. tanh(a)"),
        ("open(a)", "unknown function 'open'; the functions are exp, tanh"),
        ("exp(a, a)", "exp() takes 1 argument(s), got 2"),
        ("exp(x=a)", "exp() takes no keyword arguments"),
        ("-(" * 41 + "a" + ")" * 41, "it nests deeper than 40 levels; split it up"),
        ("await a", "a formula cannot use Await"),
    ],
)
def test_each_thing_a_formula_cannot_hold_is_named(source, message):
    with pytest.raises(formula.FormulaError) as refused:
        formula.parse(source, ("a", "out"), {"tanh": 1, "exp": 1})
    assert str(refused.value) == f"formula {source!r}: {message}"


def test_a_formula_nests_as_deep_as_it_may():
    # 40 minus signs deep is the most (41 is refused, above)
    assert formula.parse("-(" * 40 + "a" + ")" * 40, ("a",), {}).kind == "neg"


@pytest.mark.parametrize(
    "nested",
    [
        "exp(" * 41 + "a" + ")" * 41,  # calls
        "a + (" * 41 + "a" + ")" * 41,  # operators, right
        "(" * 41 + "a" + " + a)" * 41,  # operators, left
        "(a < " * 41 + "a" + ")" * 41,  # comparisons, right
        "(" * 41 + "a" + " < a)" * 41,  # comparisons, left
        "(a > 0 and " * 41 + "a" + ")" * 41,  # and, or
        # a condition one level up from 40 minus signs, which alone are as deep as may be
        "a if a else " + "-(" * 40 + "a" + ")" * 40,
        "-(" * 40 + "a" + ")" * 40 + " if a else a",
        "a if " + "-(" * 40 + "a" + ")" * 40 + " else a",
    ],
)
def test_every_way_of_nesting_counts_towards_the_depth(nested):
    with pytest.raises(formula.FormulaError, match="it nests deeper than 40 levels; split it up"):
        formula.parse(nested, ("a",), {"exp": 1})


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        ("1.000000000000000000e999", "1.000000000000000000e999"),  # 24 characters: in full
        ("1.0000000000000000000e999", "1.0000000000… (25 characters)"),
    ],
)
def test_a_number_too_large_is_named_as_written_or_cut_short(literal, shown):
    with pytest.raises(formula.FormulaError) as refused:
        formula.parse(f"a + {literal}", ("a",), {})
    assert str(refused.value).endswith(
        f"': {shown} is too large for a float (the largest is about 1.8e308)"
    )


def test_a_formula_of_the_longest_length_is_read():
    longest = "a" + " " * (formula.MAX_LENGTH - 1)
    assert len(longest) == formula.MAX_LENGTH == 500
    assert formula.parse(longest, ("a",), {}).name == "a"


def test_the_cube_of_the_issue_backprops_narrates_replays_and_runs_in_a_fresh_interpreter():
    script = """
from chainrule.engine import Replay, Value, define_op
cube = define_op("cube", value="a**3", grads=["3*a**2"])
x = Value(2.0, "x")
y = cube(x) * 1.5
y.backward()
x.grad = 0.0
steps = [str(s) for s in y.backward_steps()]
replay = Replay(y)
x.data, x.grad = 3.0, 0.0
print(y.data, steps[-1], replay.run(), x.grad, sep="|")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    value, step, replayed, grad = done.stdout.strip().split("|")
    assert float(value) == 12.0
    assert step == "x.grad += 12.0 × 1.5 = 18.0   (∂cube(x)/∂x = 3·x² = 3·2.0² = 12.0)"
    assert (float(replayed), float(grad)) == (40.5, 40.5)  # 1.5·27 and 1.5·3·3²


def test_a_formula_op_gets_domains_and_its_own_overflow_words(table):
    root = define_op(
        "root",
        value="a**0.5",
        grads=["0.5 / out"],
        domain=[("a > 0", "root needs a positive input, got {a}")],
        overflow="root overflows",
    )
    assert root(Value(4.0)).data == 2.0
    with pytest.raises(
        DomainError, match=r"root needs a positive input, got -1 \(in root of -1\.0\)"
    ):
        root(Value(-1.0))
    big = define_op("big", value="exp(a)", grads=["out"], overflow="big is too big")
    with pytest.raises(NumberOverflowError, match=r"big is too big \(in big"):
        big(Value(800.0))
    with pytest.raises(DivisionByZeroError, match="float division by zero"):
        define_op("inv", value="1 / a", grads=["-1 / a**2"])(Value(0.0))
    assert gradcheck(lambda v: root(v) * big(v), 0.7).ok
    real_root = define_op(
        "real_root",
        value="a**0.5",
        grads=["0.5 / out"],
        domain=[("a >= 0", "a = {a} is below 0: no {{real}} root")],
    )
    with pytest.raises(DomainError, match=r"^a = -1e\+20 is below 0: no \{real\} root \(in"):
        real_root(Value(-1e20))  # numbers as format(a, "g") writes them, {{ }} as braces


def test_the_decorator_form_takes_every_option(table):
    @define_op(
        "scaled",
        formulas=["{k}"],
        symbol="s",
        infix="⊙",
        attrs=("k",),
        method="scaled",
        overflow="scaled by {k} overflows",
        doc="k·x",
    )
    def scaled(x: float, k: float) -> tuple[float, float]:
        return k * x, k

    assert (scaled.formulas, scaled.symbol, scaled.infix, scaled.attrs, scaled.doc) == (
        ("{k}",),
        "s",
        "⊙",
        ("k",),
        "k·x",
    )
    assert Value(2.0).scaled(k=3.0).data == 6.0 and Value.scaled.__doc__ == "k·x"
    with pytest.raises(NumberOverflowError) as overflow:
        Value(1e300).scaled(k=1e300)
    assert str(overflow.value) == "scaled by 1e+300 overflows (in scaled of 1e+300)"

    @define_op("diff", method="diff", reflected="rdiff")
    def diff(a: float, b: float) -> tuple[float, float, float]:
        return a - b, 1.0, -1.0

    assert (Value(2.0).diff(5.0).data, Value(2.0).rdiff(5.0).data) == (-3.0, 3.0)
    with pytest.raises(ValueError) as refused:  # the domain of a kernel is its own to check

        @define_op("root", domain=[("a > 0", "root needs a > 0")])
        def root(a: float) -> tuple[float, float]:
            return math.sqrt(a), 0.5 / math.sqrt(a)

    assert str(refused.value) == (
        "op 'root': domain= goes with value= and grads=; a kernel function checks its own "
        "operands (raise ValueError with your words)"
    )
    assert "root" not in OPS


SPECIAL = (
    "is private or special; Value would break. Use a public name such as 'cube', or one of "
    "__add__, __mul__, __neg__, __radd__, __rmul__, __rsub__, __rtruediv__, __sub__, __truediv__"
)
BRACES = "(write {{ and }} for a brace)"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"method": "__getattr__"}, f"method '__getattr__' {SPECIAL}"),
        ({"method": "__bool__"}, f"method '__bool__' {SPECIAL}"),
        ({"method": "_hidden"}, f"method '_hidden' {SPECIAL}"),
        ({"method": "cube", "reflected": "__rcube__"}, f"method '__rcube__' {SPECIAL}"),
        ({"method": "backward"}, "Value already has a 'backward'; choose another method"),
        ({"method": "__add__"}, "Value already has a '__add__'; choose another method"),
        ({"reflected": "__radd__"}, "Value already has a '__radd__'; choose another method"),
        ({"method": "1x"}, "a method is named by an identifier, got '1x'"),
        (
            {"formulas": ["{zz}"]},
            "a formula '{zz}' uses the placeholder {zz}; the placeholders are {a}, {out} " + BRACES,
        ),
        (
            {"formulas": ["{a.__class__}"]},
            "a formula '{a.__class__}' uses the placeholder {a.__class__}; the placeholders are "
            "{a}, {out} " + BRACES,
        ),
        ({"formulas": ["{a!r}"]}, "a formula '{a!r}': write placeholders bare, e.g. {a}"),
        (
            {"formulas": ["{a"]},
            "a formula '{a' has a stray brace (expected '}' before end of string)",
        ),
        ({"attrs": ("k", "k")}, "the attrs ('k', 'k') repeat a name; give each its own"),
        (
            {"attrs": ("1 k",)},
            "an attr's name must be an ASCII identifier such as 'cube' or 'k' (a letter, then "
            "letters, digits or _), got '1 k'",
        ),
        ({"attrs": ("out",)}, "'out' names an operand or the value; call it e.g. 'k'"),
        ({"attrs": ("a",)}, "'a' names an operand or the value; call it e.g. 'k'"),
        ({"attrs": "k"}, "attrs is a sequence of names, e.g. attrs=('k',)"),
        (
            {"grads": ["1", "1", "1"]},
            "an op takes 1 or 2 operands, so grads has 1 or 2 formulas (∂out/∂a, then ∂out/∂b), "
            "got 3",
        ),
        ({"grads": []}, "give value= and grads= (one formula per operand)"),
        ({"value": ""}, "give value= and grads= (one formula per operand)"),
        ({"grads": "3*a**2"}, "grads is a list of formulas, e.g. grads=['3*a**2']"),
        (
            {"value": "a + b", "grads": ["1"]},
            "formula 'a + b': unknown name 'b'; a formula may use a (b is a second operand: give "
            "two grads, ∂out/∂a and ∂out/∂b)",
        ),
        (
            {"domain": [("a > 0",)]},
            "a domain entry is (condition, message) or (condition, message, error), e.g. "
            "('a > 0', 'log needs a positive input'), got ('a > 0',)",
        ),
        (
            {"domain": [("a > 0", "{q}")]},
            "a domain message '{q}' uses the placeholder {q}; the placeholders are {a} " + BRACES,
        ),
        (  # only attrs are filled in an overflow message, and cube has none
            {"overflow": "too big at {a}"},
            "its overflow message 'too big at {a}' uses the placeholder {a}; it can have none "
            + BRACES,
        ),
        (
            {"value": "cube(a)"},
            "formula 'cube(a)': unknown function 'cube'; the functions are add, div, exp, floor, "
            "identity, log, log1p, mul, neg, pow, power, relu, sigmoid, softplus, sub, tanh",
        ),
        ({"symbol": 3}, "symbol, infix and doc are text, got 3"),
        ({"infix": 3}, "symbol, infix and doc are text, got 3"),
        ({"doc": 3}, "symbol, infix and doc are text, got 3"),
    ],
)
def test_each_define_op_misuse_is_a_value_error_at_definition_and_python_keeps_working(
    table, options, message
):
    definition = {"value": "a**3", "grads": ["3*a**2"], **options}
    with pytest.raises(ValueError) as refused:
        define_op("cube", **definition)
    assert str(refused.value) == f"op 'cube': {message}"
    assert "cube" not in OPS
    x = Value(2.0)
    y = (x * x).tanh() + 1
    y.backward()
    assert bool(y) and y.data == pytest.approx(1.999329299739067) and x.grad > 0
    assert Replay(y).run() == y.data


@pytest.mark.parametrize("name", ["if", "1cube", "cube cube", "cübe", "log1p", "tanh", "", 3])
def test_an_op_name_is_an_ascii_identifier_and_not_taken(table, name):
    with pytest.raises(ValueError):
        define_op(name, value="a", grads=["1"])


def test_a_kernels_answer_is_checked_wherever_it_runs(table):
    short = define_op("short", lambda x: (x * x,))
    huge = define_op("huge", lambda x: (10**400, 1.0))
    nan = define_op("nan", lambda x: (math.nan, 1.0))
    x = Value(2.0, "x")
    with pytest.raises(ValueError, match="kernel of op 'short' must return 2 numbers"):
        short(x)
    with pytest.raises(
        NumberOverflowError, match=r"huge overflows a float.*\(in huge of x = 2\.0\)"
    ):
        huge(x)
    with pytest.raises(DomainError, match=r"nan is not a number here.*\(in nan of x = 2\.0\)"):
        nan(x)
    for op in (short, huge, nan):  # in Replay too, with the current numbers
        good = define_op(op.name, lambda v: (v, 1.0))
        y = good(x)
        define_op(op.name, op.kernel)
        y.op = OPS[op.name]
        with pytest.raises((ValueError, ArithmeticError), match=op.name):
            Replay(y).run()


def calls(name: str, args: list) -> float:
    """A formula's ``call``: the primitives as math does them."""
    return {"exp": math.exp, "log": math.log}[name](*args)


@pytest.mark.parametrize("operator", ["<", "<=", ">", ">=", "==", "!="])
def test_a_comparison_is_decided_on_the_numbers_at_its_boundary(operator):
    tree = formula.parse(f"a {operator} b", ("a", "b"), formula.PRIMITIVES)
    compiled = formula.evaluator(tree, ("a", "b"))
    for a, b in [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0)]:
        expected = 1.0 if eval(f"{a} {operator} {b}") else 0.0
        assert formula.evaluate(tree, {"a": a, "b": b}, calls) == expected
        assert formula.evaluate(tree, {"a": Value(a), "b": Value(b)}, calls) == expected
        assert compiled(calls, Value(a), Value(b)) == expected


@pytest.mark.parametrize(
    "source, a, b, expected",
    [
        ("-exp(a)", 0.0, 0.0, -1.0),
        ("exp(a) if log(b) < a else -log(b)", 1.0, 1.0, math.e),
        ("exp(a) if log(b) > a else -log(b)", 0.0, math.e, 1.0),
        ("log(exp(a))", 2.0, 0.0, 2.0),
        ("1 if exp(a) > b and not log(b) > a else 2", 0.0, 0.5, 1.0),
        ("1 if exp(a) < b or log(b) < a else 2", 0.0, 0.5, 1.0),
        ("1 if log(b) else 2", 0.0, math.e, 1.0),
        ("1 if log(b) else 2", 0.0, 1.0, 2.0),
        ("exp(a) > 2", 1.0, 0.0, 1.0),
    ],
)
def test_evaluate_calls_functions_at_every_depth(source, a, b, expected):
    tree = formula.parse(source, ("a", "b"), formula.PRIMITIVES)
    assert formula.evaluate(tree, {"a": a, "b": b}, calls) == pytest.approx(expected)
    assert formula.evaluator(tree, ("a", "b"))(calls, a, b) == pytest.approx(expected)


def test_pow_overflows_to_an_infinity_of_the_right_sign_and_refuses_what_is_not_real():
    power_of = formula.RUNTIME["_pow"]
    assert power_of(1.0, -1.0) == 1.0
    with pytest.raises(DivisionByZeroError, match=r"^0 cannot be raised to a negative power$"):
        power_of(0.0, -1.0)
    assert power_of(-8.0, 2.0) == 64.0
    assert power_of(0.0, 0.5) == 0.0  # 0 to a fractional power is real
    with pytest.raises(DomainError, match=r"^a negative number to a fractional power is not a"):
        power_of(-8.0, 0.5)
    assert power_of(10.0, 400.0) == math.inf
    assert power_of(0.5, -2001.0) == math.inf  # a positive base: +inf whatever the exponent
    assert power_of(-10.0, 400.0) == math.inf  # an even power of a negative base
    assert power_of(-10.0, 401.0) == -math.inf  # an odd one


def test_log1p_is_minus_infinity_at_minus_one_and_nan_below():
    log1p = formula.RUNTIME["_log1p"]
    assert log1p(0.5) == math.log1p(0.5)
    assert log1p(-1.0) == -math.inf
    assert math.isnan(log1p(-1.5))
    log = formula.RUNTIME["_log"]
    assert (log(1.0), log(0.0)) == (0.0, -math.inf) and math.isnan(log(-1.0))


@pytest.mark.parametrize(
    "source, numbers, shown",
    [
        ("k * a ** (k - 1)", {"k": 3.0}, "3·{a}²"),
        ("k * a ** (k - 1)", {"k": 2.0}, "2·{a}"),
        ("k * a ** (k - 1)", {"k": 1.0}, "1"),
        ("k * a ** (k - 1)", {"k": 0.0}, "0"),
        ("a ** k", {"k": 0.0}, "1"),
        ("a * k", {"k": 1.0}, "{a}"),
        ("k * a", {"k": 1.0}, "{a}"),
        ("k * k", {"k": 3.0}, "9"),
        ("(a + k) * 2", {"k": 1.0}, "({a} + 1)·2"),
        ("a if k > 0 else -a", {"k": 1.0}, "{a}"),
        ("a if k > 0 else -a", {"k": -1.0}, "−{a}"),
        ("a if a > k else 0", {"k": 1.0}, "{a} if {a} > 1 else 0"),
        ("k / (k - 1)", {"k": 1.0}, "1/0"),  # not a number: left as it is
        ("exp(k)", {"k": 0.0}, "exp({k})"),  # a call is never folded
        ("a", {}, "{a}"),
    ],
)
def test_fold_puts_the_attrs_in_and_simplifies_only_exactly(source, numbers, shown):
    tree = formula.parse(source, ("a", "k"), formula.PRIMITIVES)
    assert formula.text(formula.fold(tree, numbers)) == shown


def test_a_kernel_may_answer_a_list_of_ints_but_never_a_bool_or_a_string(table):
    doubled = define_op("doubled", lambda a: [a * 2, 2])
    x = Value(3.0, "x")
    y = doubled(x)
    y.backward()
    assert (y.data, x.grad) == (6.0, 2.0) and type(y.data) is float
    with pytest.raises(TypeError, match="kernel of op 'yes' returned bool True; it must return"):
        define_op("yes", lambda a: (True, 1.0))(x)
    with pytest.raises(TypeError, match="kernel of op 'text' returned str '1'; it must return"):
        define_op("text", lambda a: [2.0, "1"])(x)


def test_a_slow_path_overflow_says_it_in_the_ops_words_with_its_attrs(table):
    steep = define_op(
        "steep", lambda a, k: [a * k, math.inf], attrs=["k"], overflow="k = {k} makes it too steep"
    )
    with pytest.raises(NumberOverflowError, match=r"^k = 3 makes it too steep \(in steep of x"):
        steep(Value(2.0, "x"), k=3)
    with pytest.raises(NumberOverflowError, match=r"^k = 1e\+20 makes it too steep"):
        steep(Value(2.0, "x"), k=1e20)  # an attr is written as format(k, "g") writes it


def test_a_kernel_whose_parameters_cannot_be_read_is_refused_by_name(table):
    with pytest.raises(ValueError, match="op 'biggest': cannot read its kernel's parameters"):
        define_op("biggest", max)


def test_the_compiled_evaluator_shows_its_source_and_names_it_in_tracebacks():
    tree = formula.parse("a * b if a < b else -a", ("a", "b"), formula.PRIMITIVES)
    evaluated = formula.evaluator(tree, ("a", "b"))
    assert evaluated.source == (
        "def evaluated(_call, v_a, v_b):\n"
        "    n_a = getattr(v_a, 'data', v_a)\n"
        "    n_b = getattr(v_b, 'data', v_b)\n"
        "    return ((v_a * v_b) if (n_a < n_b) else (-v_a))"
    )
    assert evaluated.__code__.co_filename == "<formula evaluated on Values>"


def test_a_hand_made_node_is_drawn_under_its_name_or_a_question_mark():
    x = Value(1.0)
    named = Value(2.0, parents=(x,), local_grads=(2.0,), op="twice").op
    unnamed = Value(2.0, parents=(x,), local_grads=(2.0,)).op
    assert (named.name, named.arity, named.symbol, named.kernel) == ("twice", 1, "twice", None)
    assert (unnamed.name, unnamed.symbol) == ("", "?")


@pytest.mark.parametrize(
    "source, a, b",
    [
        ("1 if a * b > 1 else 0", 1e200, 1e200),
        ("1 if -(a * b) < 1 else 0", 1e200, 1e200),
        ("1 if (a * b if a > 0 else b) > 1 else 0", 1e200, 1e200),
        ("1 if (a if a > 0 else a * b) > 1 else 0", -1e200, -1e200),
        ("1 if exp(a * b) > 1 else 0", 1e200, 1e200),
    ],
)
def test_a_condition_is_decided_on_floats_even_where_values_would_overflow(source, a, b):
    # a·b is inf as a float, and an overflow error as a Value: the condition reads the floats
    tree = formula.parse(source, ("a", "b"), formula.PRIMITIVES)
    assert formula.evaluate(tree, {"a": Value(a), "b": Value(b)}, calls) == 1.0
    assert formula.evaluator(tree, ("a", "b"))(calls, Value(a), Value(b)) == 1.0


def test_the_compiled_evaluator_passes_every_argument_of_a_call():
    tree = formula.parse("difference(a, b)", ("a", "b"), {"difference": 2})
    assert (
        formula.evaluator(tree, ("a", "b"))(lambda name, args: args[0] - args[1], 5.0, 2.0) == 3.0
    )


def test_fold_leaves_a_power_that_is_not_a_real_number_unfolded():
    tree = formula.parse("(k - 3) ** 0.5", ("a", "k"), formula.PRIMITIVES)
    assert formula.text(formula.fold(tree, {"k": 1.0})) == "(−2)^0.5"  # (−2) ** 0.5 is complex


def test_a_nan_answer_says_which_number_is_not_one(table):
    """The message names the value, or the local derivative and its operand, that is NaN."""
    nan_value = define_op("nan_value", lambda x: (math.nan, 1.0))
    nan_grad = define_op("nan_grad", lambda x: (1.0, math.nan))
    x = Value(2.0, "x")
    with pytest.raises(DomainError) as value:
        nan_value(x)
    assert (
        str(value.value)
        == "nan_value is not a number here: its value is nan (in nan_value of x = 2.0)"
    )
    with pytest.raises(DomainError) as local:
        nan_grad(x)
    assert str(local.value) == (
        "nan_grad is not a number here: its local derivative ∂/∂x is nan (in nan_grad of x = 2.0)"
    )
