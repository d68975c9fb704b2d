"""The op table: one record per op, read by everything; a learner's op is as good as a built-in."""

import json
import math

import pytest
from chainrule.engine import (
    OPS,
    Op,
    Replay,
    Value,
    apply,
    backward,
    define_op,
    export_ops,
    gradcheck,
    optable,
)
from chainrule.engine.errors import DivisionByZeroError, DomainError
from chainrule.engine.value import add, mul, power, said, tanh
from chainrule.viz import draw_graph

BUILTINS = (
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "power",
    "pow",
    "exp",
    "log",
    "tanh",
    "sigmoid",
    "softplus",
    "relu",
    "identity",
)


def test_every_builtin_op_is_one_complete_record():
    assert tuple(OPS)[: len(BUILTINS)] == BUILTINS
    for name in BUILTINS:
        op = OPS[name]
        assert isinstance(op, Op) and op.registered and op.name == name
        assert len(op.formulas) == op.arity and op.symbol and callable(op.kernel)
        operands = [0.7] * op.arity + [2.0] * len(op.attrs)
        value, *local_grads = op.kernel(*operands)
        assert len(local_grads) == op.arity and all(map(math.isfinite, (value, *local_grads)))


def test_each_kernel_gives_its_value_and_local_derivatives():
    # a·b at (2, −3): value −6, ∂/∂a = b = −3, ∂/∂b = a = 2;  x^k at x = −3, k = 2: 9 and 2x = −6
    assert mul.kernel(2.0, -3.0) == (-6.0, -3.0, 2.0)
    assert power.kernel(-3.0, 2.0) == (9.0, -6.0)
    assert tanh.kernel(0.0) == (0.0, 1.0)


def test_the_table_exports_as_json_with_formulas_and_symbols():
    exported = json.loads(json.dumps(export_ops()))
    assert exported["version"] == 2
    by_name = {op["name"]: op for op in exported["ops"]}
    assert set(BUILTINS) <= set(by_name)
    mul = by_name.pop("mul")
    javascript = mul.pop("javascript")
    assert mul == {
        "name": "mul",
        "arity": 2,
        "formulas": ["{b}", "{a}"],
        "symbol": "×",
        "infix": "·",
        "attrs": [],
        "doc": "a · b: ∂/∂a = b, ∂/∂b = a.",
    }
    assert "var v_out = (v_a * v_b);" in javascript and "return [v_out, v_b, v_a];" in javascript
    assert by_name["power"]["attrs"] == ["k"]


def test_an_op_says_only_the_doc_it_was_given_and_keeps_its_formulas_as_written(table):
    cube = define_op("cube", value="a**3", grads=["3*a**2"])
    assert (cube.doc, cube.value_formula, cube.grad_formulas) == ("", "a**3", ("3*a**2",))

    @define_op("twice")
    def twice(x: float) -> tuple[float, float]:
        """2·x."""
        return 2 * x, 2.0

    thrice = define_op("thrice", lambda x: (3 * x, 3.0))
    assert twice.doc == "2·x." and thrice.doc == ""
    # a kernel has no formulas, so no source of its own for Python or the pages
    assert (thrice.value_formula, thrice.grad_formulas) == ("", ())
    assert (thrice.python, thrice.javascript) == ("", "")


def test_an_op_defined_again_keeps_its_method(table):
    define_op("cube", value="a**3", grads=["3*a**2"], method="cube")
    define_op("cube", value="a**3 + 0", grads=["3*a**2"], method="cube")  # its own: allowed
    assert Value(2.0).cube().data == 8.0


def test_records_compare_by_identity_not_by_name():
    twin = Op("add", 2, add.kernel, add.formulas, "+")
    assert twin != add and not twin.registered and add.registered
    assert (Value(1.0) + 2).op is add


def test_adding_an_op_is_one_edit_and_it_works_everywhere(table):
    # the one edit: x³ with its local derivative 3x²
    @define_op("cube", formulas=("3·{a}²",), method="cube")
    def cube(x):
        return x**3, 3 * x**2

    x = Value(2.0, "x")
    y = x.cube() * 1.5  # arithmetic: a method of Value, and an operand like any node
    y.label = "y"
    assert y.parents[0].op is cube and cube(x).data == 8.0
    # backward: ∂y/∂x = 1.5·3x² = 18
    y.backward()
    assert x.grad == 18.0
    # narration fills in the formula
    x.grad = 0.0
    steps = [str(step) for step in y.backward_steps()]
    assert steps[-1] == "x.grad += 12.0 × 1.5 = 18.0   (∂cube(x)/∂x = 3·x² = 3·2.0² = 12.0)"
    # diagrams draw its symbol
    assert "label=<cube>" in draw_graph(y).source
    # Replay recomputes it with its kernel
    replay = Replay(y)
    x.data, x.grad = 3.0, 0.0
    assert replay.run() == 1.5 * 27.0 and x.grad == 1.5 * 27.0
    # gradcheck agrees, and the table exports it
    assert gradcheck(lambda v: v.cube().tanh(), 0.4).ok
    assert {"name": "cube", "arity": 1, "formulas": ["3·{a}²"]}.items() <= {
        k: v for op in export_ops()["ops"] if op["name"] == "cube" for k, v in op.items()
    }.items()


def test_a_learners_binary_op_with_a_reflected_method(table):
    # h(a, b) = a·b + a: ∂h/∂a = b + 1, ∂h/∂b = a
    @define_op("hmul", formulas=("{b} + 1", "{a}"), method="hmul", reflected="rhmul")
    def hmul(a, b):
        return a * b + a, b + 1.0, a

    a, b = Value(2.0, "a"), Value(5.0, "b")
    out = a.hmul(b)
    out.backward()
    assert (out.data, a.grad, b.grad) == (12.0, 6.0, 2.0)
    assert b.rhmul(3.0).data == 3.0 * 5.0 + 3.0  # the number is the left operand
    assert str(next(out.backward_steps())).endswith("(∂hmul(a, b)/∂a = b + 1 = 5.0 + 1 = 6.0)")


def test_a_learners_op_with_a_fixed_number(table):
    # leaky relu with slope α for x < 0: ∂/∂x = α there
    leaky = define_op(
        "leaky",
        lambda x, alpha: (x if x > 0 else alpha * x, 1.0 if x > 0 else alpha),
        formulas=("1 if {a} > 0 else {alpha}",),
        attrs=("alpha",),
    )
    x = Value(-2.0, "x")
    y = apply(leaky, x, alpha=0.1)
    y.label = "y"
    (step,) = y.backward_steps()
    assert (y.data, y.attrs, x.grad) == (-0.2, (0.1,), 0.1)
    assert str(step).endswith("(∂y/∂x = 1 if x > 0 else 0.1 = 1 if (-2.0) > 0 else 0.1 = 0.1)")
    x.data = 4.0
    assert Replay(y).run() == 4.0
    with pytest.raises(TypeError, match=r"takes the attrs \('alpha',\)"):
        apply(leaky, x)


def test_an_op_without_formulas_narrates_its_number(table):
    sq = define_op("sq", lambda x: (x * x, 2 * x))
    x = Value(3.0, "x")
    (step,) = sq(x).backward_steps()
    assert str(step) == "x.grad += 6.0 × 1.0 = 6.0   (∂sq(x)/∂x = 6.0)"


def test_defining_an_op_again_replaces_it_and_old_nodes_are_no_longer_replayable(table):
    first = define_op("twice", lambda x: (2 * x, 2.0))
    old = first(Value(1.0))
    second = define_op("twice", lambda x: (2 * x, 2.0))
    assert OPS["twice"] is second and not first.registered
    with pytest.raises(ValueError, match="cannot replay the op 'twice'"):
        Replay(old)
    Replay(second(Value(1.0)))


def test_an_op_defined_again_cannot_call_its_old_self(table):
    # the formulas name other ops; its own name would be a loop, or the old definition
    define_op("cube", value="a**3", grads=["3*a**2"])
    with pytest.raises(ValueError) as refused:
        define_op("cube", value="cube(a) * 2", grads=["6*a**2"])
    assert str(refused.value).startswith(
        "op 'cube': formula 'cube(a) * 2': unknown function 'cube'; the functions are add, div,"
    )
    assert OPS["cube"].kernel(2.0) == (8.0, 12.0)  # the first definition stands


def test_a_record_keeps_its_domain_as_defined():
    # each condition with its words and its error, in order: the checks the kernels make
    domain = OPS["power"].domain
    assert [(d.condition, d.message, d.error) for d in domain] == [
        ("not (a == 0 and k < 0)", said("engine.power_at_zero"), DivisionByZeroError),
        ("not (a == 0 and 0 < k < 1)", said("engine.power_infinite_slope"), DomainError),
        ("a >= 0 or k == floor(k)", said("engine.power_negative_base"), DomainError),
    ]
    assert [d.tree.kind for d in domain] == ["not", "not", "or"]


def test_bad_definitions_are_refused_with_what_to_do(table):
    with pytest.raises(ValueError, match="built-in op and cannot be redefined"):
        define_op("tanh", lambda x: (x, 1.0))
    with pytest.raises(ValueError, match="identifier"):
        define_op("**foo", lambda x: (x, 1.0))
    with pytest.raises(ValueError, match="needs 1 formulas"):
        define_op("f", lambda x: (x, 1.0), formulas=("1", "2"))
    with pytest.raises(ValueError, match="Value already has a 'backward'"):
        define_op("g", lambda x: (x, 1.0), method="backward")
    with pytest.raises(ValueError, match="plain positional parameters"):
        define_op("h", lambda *xs: (sum(xs), 1.0))
    with pytest.raises(TypeError, match="needs a kernel function"):
        define_op("k", 3)
    assert "f" not in OPS and "g" not in OPS and "h" not in OPS


def test_a_kernels_domain_error_names_the_op_and_its_operands_and_makes_nothing(table):
    root = define_op("root", lambda x: (math.sqrt(x), 0.5 / math.sqrt(x)))
    x = Value(-4.0, "x")
    with pytest.raises(ValueError, match=r"math domain error \(in root of x = "):
        root(x)
    assert x.grad == 0.0


def test_a_hand_made_node_backprops_but_replay_refuses_it_by_identity():
    # the op is named "+" but it is not the table's add: three parents, its own local grads
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    total = Value(6.0, parents=(a, b, c), local_grads=(1, 1, 1), op="+")
    backward(total)
    assert (a.grad, b.grad, c.grad) == (1.0, 1.0, 1.0)
    assert total.op.name == "+" and total.op is not add and not total.op.registered
    with pytest.raises(ValueError, match=r"cannot replay the op '\+'.*made by hand.*define_op"):
        Replay(total)


def test_any_hand_made_op_name_narrates_and_draws():
    x = Value(2.0, "x")
    node = Value(4.0, "y", parents=(x,), local_grads=(4.0,), op="**foo")
    (step,) = node.backward_steps()
    assert str(step) == "x.grad += 4.0 × 1.0 = 4.0   (∂y/∂x = 4.0)"
    assert "**foo" in draw_graph(node).source


def test_a_registered_record_checks_its_operand_count():
    x = Value(1.0)
    with pytest.raises(ValueError, match="op mul takes 2 operands, got 1 parents"):
        Value(1.0, parents=(x,), local_grads=(1.0,), op=mul)
    with pytest.raises(TypeError, match="op mul takes 2 operands, got 3"):
        apply(mul, x, x, x)


def test_the_builtin_names_are_sealed():
    assert set(BUILTINS) == set(optable.BUILTIN)


def test_a_shown_formula_has_the_nodes_attrs_in_it_and_its_ops_symbols(table):
    power_op = OPS["power"]
    assert power_op.shown_formula(0, (3.0,)) == "3·{a}²"
    assert power_op.shown_formula(0, (2.0,)) == "2·{a}"
    assert power_op.shown_formula(0) == "{k}·{a}^({k} − 1)"  # no attrs given: as written
    assert power_op.shown_formula(1, (2.0,)) == ""  # power has one operand
    scaled = define_op(
        "scaled",
        value="k * sigmoid(a)",
        grads=["k * out * (1 - sigmoid(a)) + 0 * exp(a)"],
        attrs=["k"],
    )
    assert scaled.shown_formula(0, (2.0,)) == "2·{out}·(1 − σ({a})) + 0"
    scaled_log = define_op(
        "scaled_log",
        value="k * log1p(a)",
        grads=["k / (1 + a) + log1p(a) - log1p(a)"],
        attrs=["k"],
    )  # log1p is a primitive, not an op: written by its name
    assert scaled_log.shown_formula(0, (2.0,)) == "2/(1 + {a}) + log1p({a}) − log1p({a})"


def test_an_attr_folded_into_a_formula_is_bracketed_where_it_is_negative(table):
    flip = define_op("flip", value="-k * a", grads=["-k"], attrs=["k"])
    assert flip.shown_formula(0, (2.0,)) == "−2"  # alone: no brackets
    gate = define_op("gate", value="k * a", grads=["k if a > 0 else 0"], attrs=["k"])
    assert gate.shown_formula(0, (-2.0,)) == "(−2) if {a} > 0 else 0"


def test_a_number_written_with_an_exponent_keeps_the_exponents_own_sign():
    # only a leading minus becomes the − of the text; 1e-05 reads as Python writes it
    power = OPS["power"]
    assert power.shown_formula(0, (1e-05,)) == "1e-05·{a}^(−0.99999)"
    assert power.shown_formula(0, (-1e-05,)) == "(−1e-05)·{a}^(−1.00001)"


def test_a_shown_number_is_the_formula_on_the_numbers_shown(table):
    assert OPS["tanh"].shown_number(0, {"a": 0.5, "out": 0.5}) == 0.75  # 1 − out²
    assert OPS["log"].shown_number(0, {"a": 0.0, "out": 0.0}) is None  # 1/0: no number
    assert OPS["log"].shown_number(1, {"a": 1.0, "out": 0.0}) is None  # no such operand
    # b·a^(b − 1) at a = −8, b = 0.5 is not a real number: no number either
    assert OPS["pow"].shown_number(0, {"a": -8.0, "b": 0.5, "out": 0.0}) is None
    scaled = define_op(
        "scaled",
        value="k * sigmoid(a)",
        grads=["k * out * (1 - sigmoid(a)) + 0 * exp(a)"],
        attrs=["k"],
    )
    # sigmoid and exp are ops: their own functions; log1p is a primitive alone
    assert scaled.shown_number(0, {"a": 0.0, "out": 1.0, "k": 2.0}) == 1.0
    shifted = define_op("shifted", value="log1p(a)", grads=["1 / (1 + a) + log1p(a) * 0"])
    assert shifted.shown_number(0, {"a": 1.0, "out": math.log1p(1.0)}) == 0.5


def test_formulas_given_as_text_are_what_the_shown_numbers_compute(table):
    # pow's ∂/∂b is written {out}·ln {a}: read back with out, not from its grad b·…
    assert OPS["pow"].shown_number(1, {"a": math.e, "b": 1.0, "out": 3.0}) == 3.0
    assert OPS["div"].shown_number(1, {"a": 1.0, "b": 2.0, "out": 0.5}) == -0.25  # −a/b²
    # a learner's text, with σ for sigmoid and {out}: its numbers follow the text; where they
    # disagree with the grad formula (out rounded, say), the text is what a caption checks
    swish = define_op(
        "swish",
        value="a * sigmoid(a)",
        grads=["sigmoid(a) + a * sigmoid(a) * (1 - sigmoid(a))"],
        formulas=["σ({a}) + {out}·(1 − σ({a}))"],
    )
    assert swish.shown_number(0, {"a": 0.0, "out": 2.0}) == 1.5  # σ(0) + 2·(1 − σ(0))
    x = Value(1.5, "x")
    y = swish(x)
    assert math.isclose(swish.shown_number(0, {"a": x.data, "out": y.data}), y.local_grads[0])
    # only a letter stands for a function: sub's symbol − before a bracket is a minus
    product = define_op("product", value="a * b", grads=["b", "a"], formulas=["{b}", "3 −({a})"])
    assert product.shown_number(1, {"a": 2.0, "b": 0.0, "out": 0.0}) == 1.0


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (
            {"name": "9op"},
            "an op's name must be an ASCII identifier such as 'cube' or 'k' "
            "(a letter or _, then letters, digits or _), got '9op'",
        ),
        ({"name": "lambda"}, "an op's name 'lambda' is a Python keyword; choose another name"),
        (
            {"kernel": lambda a: (a, 1.0), "grads": []},
            "op 'scale': give either a kernel function or value= and grads=",
        ),
        (
            {"kernel": lambda a, b, c: (a, 1.0, 1.0, 1.0), "value": "", "grads": [], "attrs": []},
            "op 'scale': an op takes 1 or 2 operands, its kernel takes 3",
        ),
        (
            {"name": "log1p"},
            "'log1p' is a math function that formulas call; name your op otherwise",
        ),
        (
            {"attrs": ["_k"]},
            "op 'scale': an attr's name must be an ASCII identifier such as 'cube' or 'k' "
            "(a letter, then letters, digits or _), got '_k'",
        ),
        (
            {"attrs": ["if"]},
            "op 'scale': an attr's name 'if' is a Python keyword; choose another name",
        ),
        (
            {"domain": [("a > 0", 5)]},
            "op 'scale': a domain message is a str, or a dict of it in each language (en, zh), "
            "got 5",
        ),
        (
            {"domain": [("a > 0", {"en": "x"})]},
            "op 'scale': a domain message is a str, or a dict of it in each language (en, zh), "
            "got {'en': 'x'}",
        ),
        (
            {"domain": [("a > 0", {"en": "x", "zh": 3})]},
            "op 'scale': a domain message must be a str, got int",
        ),
        (
            {"domain": [("a > 0", "bad {a")]},
            "op 'scale': a domain message 'bad {a' has a stray brace "
            "(expected '}' before end of string)",
        ),
        (
            {"domain": [("a > 0", {"en": "x", "zh": "{c}"})]},
            "op 'scale': a domain message '{c}' uses the placeholder {c}; the placeholders are "
            "{a}, {k} (write {{ and }} for a brace)",
        ),
        (
            {"domain": [("a > 0", "m", KeyError)]},
            "op 'scale': a domain entry's error is one of DomainError, DivisionByZeroError, "
            "NumberOverflowError, got <class 'KeyError'>",
        ),
        (
            {"overflow": 5},
            "op 'scale': its overflow message is a str, or a dict of it in each language "
            "(en, zh), got 5",
        ),
    ],
)
def test_a_definition_a_learner_gets_wrong_is_refused_in_so_many_words(table, definition, message):
    """Each refusal of ``define_op`` in full: what was wrong, and what would be right."""
    given = {"name": "scale", "value": "a*k", "grads": ["k"], "attrs": ["k"], **definition}
    with pytest.raises(ValueError) as refused:
        define_op(given.pop("name"), **given)
    assert str(refused.value) == message
