"""check_local_grads to the letter: the exact sentence and table a learner reads, the exact
reasons an edge or a node is left out, the arguments it refuses, and where its thresholds lie
(a crease within the tolerance is checked, a real kink is not; a slip is caught however large
the operand). Written against the mutants of ``engine/localcheck.py`` (#20) that the broader
tests of ``test_engine_localcheck.py`` let through."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

import pytest
from chainrule.engine import OPS, Op, Value, check_local_grads, define_op
from chainrule.engine.localcheck import MAX_ROWS, op_slope

OK_SENTENCE = (
    "check_local_grads: all {n} local derivatives checked agree with their ops' central "
    "differences (|got − expected| ≤ 1e-07 + 1e-05·|expected|)."
)
KINK_AT_0 = "not checked: not differentiable here: slope 1 on the right, 0 on the left"


def swapped_mul(x: Value, w: Value, label: str = "p") -> Value:
    """x·w with ∂/∂x recorded right (w) and ∂/∂w recorded as w too (the classic swap)."""
    node = Value(x.data * w.data, parents=(x, w), local_grads=(w.data, w.data), op=OPS["mul"])
    node.label = label
    return node


# --- the sentence and the table, in full -------------------------------------------------------


def test_one_wrong_edge_of_a_binary_op_reads_as_one_sentence_and_one_row():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    assert str(check_local_grads(swapped_mul(x, w))) == (
        "check_local_grads: the first wrong local derivative is ∂p/∂w (operand 1 of mul, "
        "parent w): at a = 2, b = -3 the op alone gives 2 (central difference) but the graph "
        "recorded -3.\n"
        "  node  op   operand  parent  inputs         expected  got\n"
        "  p     mul  1        w       a = 2, b = -3         2   -3  WRONG"
    )  # one wrong edge: no "1 of the 2 edges checked are wrong"


def test_two_wrong_edges_are_counted_after_the_first_is_named():
    x, w, v = Value(2.0, "x"), Value(-3.0, "w"), Value(5.0, "v")
    text = str(check_local_grads(swapped_mul(x, w, "p") + swapped_mul(x, v, "q")))
    assert text.splitlines()[0] == (
        "check_local_grads: the first wrong local derivative is ∂p/∂w (operand 1 of mul, "
        "parent w): at a = 2, b = -3 the op alone gives 2 (central difference) but the graph "
        "recorded -3. 2 of the 6 edges checked are wrong."
    )
    assert [line.split()[0] for line in text.splitlines()[2:]] == ["p", "q"]


def test_a_correct_graph_says_how_many_edges_it_checked_and_its_tolerance():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    assert str(check_local_grads(x * w)) == OK_SENTENCE.format(n=2)
    assert str(check_local_grads(x * w, rtol=1e-3, atol=0.5)) == (
        "check_local_grads: all 2 local derivatives checked agree with their ops' central "
        "differences (|got − expected| ≤ 0.5 + 0.001·|expected|)."
    )


def test_one_edge_left_out_is_said_in_the_singular_with_its_row():
    assert str(check_local_grads(Value(0.0, "z").relu())) == (
        OK_SENTENCE.format(n=0)
        + " Not checked: 1 edge where the op is not differentiable or not defined.\n"
        "  node     op    operand  parent  inputs  expected  got\n"
        "  relu(z)  relu  0        z       x = 0        0.5    0  " + KINK_AT_0
    )


def test_every_kind_of_edge_and_node_left_out_has_its_row_under_the_wrong_one():
    x, z, t, k = Value(2.0, "x"), Value(0.0, "z"), Value(2e-7, "t"), Value(0.5, "k")
    hand = Value(8.0, parents=(x,), local_grads=(12.0,), op="cube")
    nameless = Value(1.0, parents=(x,), local_grads=(1.0,), op="")  # a hand-made op with no name
    cube = Value(k.data**3, parents=(k,), local_grads=(1.0,), op=OPS["power"], attrs=(3.0,))
    result = check_local_grads(z.relu() + t.log() + hand + nameless + cube)
    assert [node.node for node in result.unchecked] == [hand, nameless]
    assert [(node.name, node.op) for node in result.unchecked] == [
        ("cube(x)", "cube"),
        ("(x)", "?"),  # no name: "?" stands for it in the table
    ]
    assert str(result) == (
        "check_local_grads: the first wrong local derivative is ∂k³/∂k (operand 0 of power, "
        "parent k): at x = 0.5, attrs 3 the op alone gives 0.75 (central difference) but the "
        "graph recorded 1. Not checked: 2 edges where the op is not differentiable or not "
        "defined; 2 nodes made by hand or stale.\n"
        "  node     op     operand  parent  inputs            expected      got\n"
        "  k³       power  0        k       x = 0.5, attrs 3      0.75        1  WRONG\n"
        "  relu(z)  relu   0        z       x = 0                  0.5        0  "
        + KINK_AT_0
        + "\n"
        "  log(t)   log    0        t       x = 2e-07                —  5000000  not checked: the "
        "op is not defined (or not finite) at x ± 1e-06\n"
        "  cube(x)  cube                                                         not checked: "
        "made by hand (op 'cube' has no kernel to recompute it)\n"
        "  (x)      ?                                                            not checked: "
        "made by hand (op '' has no kernel to recompute it)"
    )


def test_an_op_with_two_attrs_lists_them_after_its_operand(table):
    @define_op("affine_slip", attrs=("m", "c"))
    def affine_slip(x: float, m: float, c: float) -> tuple[float, float]:
        """m·x + c, whose slope is m; the slip: c."""
        return m * x + c, c

    first = check_local_grads(affine_slip(Value(1.5, "x"), m=2.0, c=0.25)).first_wrong
    assert first is not None and first.attrs == (2.0, 0.25)
    assert f"at x = 1.5, attrs 2, 0.25 the op alone gives {first.expected:.8g}" in str(
        check_local_grads(first.node)
    )


def test_an_op_of_three_operands_names_them_x0_x1_x2():
    # the op table holds ops of one or two operands (a, b); a record made directly may take more
    lerp = Op(name="lerp", arity=3, kernel=lambda a, b, t: (a + t * (b - a), 1 - t, t, b - a))
    a, b, t = Value(2.0, "a"), Value(-3.0, "b"), Value(0.5, "t")
    node = Value(-0.5, parents=(a, b, t), local_grads=(0.5, 0.5, 9.0), op=lerp)  # ∂/∂t = b − a
    result = check_local_grads(node)
    assert [edge.status for edge in result.edges] == ["ok", "ok", "wrong"]
    assert "at x0 = 2, x1 = -3, x2 = 0.5 the op alone gives -5 (central difference)" in str(result)


def test_the_table_shows_twenty_rows_and_counts_the_rest():
    def kinks(count: int) -> str:
        zs = [Value(0.0, f"z{i}") for i in range(count)]
        return str(check_local_grads(sum((z.relu() for z in zs[1:]), zs[0].relu())))

    exact = kinks(MAX_ROWS).splitlines()
    assert len(exact) == 2 + MAX_ROWS and exact[-1].startswith(f"  relu(z{MAX_ROWS - 1})")
    over = kinks(MAX_ROWS + 3).splitlines()
    assert len(over) == 2 + MAX_ROWS + 1 and over[-2].startswith(f"  relu(z{MAX_ROWS - 1})")
    assert over[-1] == "  … and 3 more"


# --- the reasons a node is left out ------------------------------------------------------------


def test_a_stale_node_says_its_value_and_what_its_op_gives_now():
    x, w = Value(2.0, "x"), Value(3.0, "w")
    product = x * w
    x.data = 5.0
    (stale,) = check_local_grads(product).unchecked
    assert stale.node is product and (stale.name, stale.op) == ("(x·w)", "mul")
    assert stale.reason == (
        "its value 6 is not its op at its operands now (15): an operand's data changed after it "
        "was made"
    )


def test_a_node_whose_operand_left_the_op_s_domain_is_stale_with_its_own_reason():
    x = Value(2.0, "x")
    y = x.log()
    x.data = -1.0
    (stale,) = check_local_grads(y).unchecked
    assert stale.node is y and stale.name == "log(x)"
    assert stale.reason == (
        "its op is not defined at its operands' values now (changed since it was made?)"
    )


def test_a_small_change_of_a_small_operand_is_stale_too():
    x = Value(0.2, "x")
    y = x * 1.0
    x.data = 0.5  # the value differs by 0.3: small, but not rounding
    (stale,) = check_local_grads(y).unchecked
    assert stale.node is y


def test_a_value_a_rounding_away_from_zero_is_not_stale():
    x = Value(0.0, "x")
    y = Value(1e-13, parents=(x,), local_grads=(1.0,), op=OPS["identity"])  # identity(0) = 0
    result = check_local_grads(y)
    assert result.unchecked == () and [edge.status for edge in result.edges] == ["ok"]


# --- arguments -----------------------------------------------------------------------------------


def test_each_bad_argument_is_named_in_its_error():
    with pytest.raises(TypeError) as info:
        check_local_grads(3.0)  # type: ignore[arg-type]
    assert str(info.value) == "check_local_grads takes the root Value of a graph, got float: 3.0"
    cases = [
        ({"eps": "a"}, TypeError, "check_local_grads eps needs a real number"),
        ({"rtol": "a"}, TypeError, "check_local_grads rtol needs a real number"),
        ({"atol": "a"}, TypeError, "check_local_grads atol needs a real number"),
        ({"atol": -1.0}, ValueError, "check_local_grads atol must be ≥ 0, got -1.0"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error) as info:
            check_local_grads(Value(1.0), **kwargs)
        assert str(info.value).startswith(message), kwargs


def test_zero_tolerances_accept_an_exact_derivative_and_are_kept():
    x, w = Value(0.0, "x"), Value(3.0, "w")  # at x = 0 both central differences are exact
    result = check_local_grads(x * w, eps=1e-4, rtol=0.0, atol=0.0)
    assert [(edge.expected, edge.got, edge.status) for edge in result.edges] == [
        (3.0, 3.0, "ok"),
        (0.0, 0.0, "ok"),
    ]
    assert (result.eps, result.rtol, result.atol) == (1e-4, 0.0, 0.0)
    assert all(edge.note == "" for edge in result.edges)  # a note only for an edge left out


# --- the step eps and the thresholds -------------------------------------------------------------


def test_eps_is_the_step_of_the_central_difference():
    # x³ at 1: ((1 + h)³ − (1 − h)³) / 2h = 3 + h², so the step shows in the expected slope
    (edge,) = check_local_grads(Value(1.0, "x") ** 3, eps=1e-3).edges
    assert edge.expected == pytest.approx(3.000001, abs=1e-12) and edge.status == "ok"
    (edge,) = check_local_grads(Value(2e-4, "t").log(), eps=1e-3).edges
    assert edge.note == "the op is not defined (or not finite) at x ± 0.001"
    assert op_slope(OPS["power"].kernel, (1.0,), (3.0,), 0)[1] == pytest.approx(3.0, abs=1e-9)


def test_the_step_grows_with_the_operand_so_exp_next_to_overflow_is_undefined():
    # h = 1e-6 · 709.78 ≈ 0.00071 takes exp past the largest float; h = 1e-6 would not
    (edge,) = check_local_grads(Value(709.7823, "x").exp()).edges
    assert (edge.status, edge.expected) == ("undefined", None)
    assert edge.note == "the op is not defined (or not finite) at x ± 0.00071"


def test_a_slip_is_caught_however_large_the_operand():
    # the step is 1e-6·|x| = 3e4 here, and the rounding allowance 8ε·|f|/h stays tiny
    x, two = Value(3e10, "x"), Value(2.0, "two")
    doubled = Value(x.data * 2.0, parents=(x, two), local_grads=(2.02, x.data), op=OPS["mul"])
    first, second = check_local_grads(doubled).edges
    assert (first.status, second.status) == ("wrong", "ok")  # 1 % off at x = 3e10


def test_the_tolerance_allows_the_rounding_of_the_difference_of_large_values():
    # a + 1e10 at a = 0.5: values near 1e10 differ by whole float spacings (2e-6) over a step
    # of 1e-6, so the central difference is only good to ±8ε·|f|/h; that much is allowed
    a = Value(0.5, "a")
    node = a + 1e10
    (expected, _) = (edge.expected for edge in check_local_grads(node).edges)
    noise = 8.0 * sys.float_info.epsilon * abs(node.data) / (1e-6 * max(1.0, abs(a.data)))
    tolerance = 1e-7 + 1e-5 * abs(expected) + noise

    def status(got: float) -> str:
        slip = Value(node.data, parents=node.parents, local_grads=(got, 1.0), op=OPS["add"])
        return check_local_grads(slip).edges[0].status

    assert status(expected + 0.9 * tolerance) == "ok"
    assert status(expected + 1.1 * tolerance) == "wrong"


def test_op_slope_has_no_note_for_a_smooth_op_curved_or_not():
    assert op_slope(OPS["mul"].kernel, (2.0, 3.0), (), 1) == ("smooth", 2.0, "")
    status, slope, note = op_slope(OPS["log"].kernel, (0.003,), (), 0)  # curved: halving tells
    assert (status, note) == ("smooth", "") and slope == pytest.approx(1 / 0.003, rel=1e-6)


def test_a_crease_within_the_tolerance_is_checked_not_called_a_kink(table):
    @define_op("steep_crease")
    def steep_crease(x: float) -> tuple[float, float]:
        """1000·x + 1e-4·|x|: at 0 the slope jumps by 2e-4, a part in five million of 1000."""
        return 1000 * x + 1e-4 * abs(x), 1000.0

    @define_op("faint_crease")
    def faint_crease(x: float) -> tuple[float, float]:
        """1e-8·|x|: at 0 the slope jumps by 2e-8, below atol."""
        return 1e-8 * abs(x), 0.0

    for node in (steep_crease(Value(0.0, "x")), faint_crease(Value(0.0, "x"))):
        (edge,) = check_local_grads(node).edges
        assert edge.status == "ok", node.op.name


def test_a_kink_s_note_gives_the_slope_on_each_side(table):
    @define_op("leaky_hinge")
    def leaky_hinge(x: float) -> tuple[float, float]:
        """2 + (x − 1) from 1 up, 2 + (x − 1)/4 below: a kink at 1 whose value is 2."""
        return (2 + (x - 1), 1.0) if x >= 1 else (2 + 0.25 * (x - 1), 0.25)

    (edge,) = check_local_grads(leaky_hinge(Value(1.0, "x"))).edges
    assert edge.status == "kink"
    assert edge.note == "not differentiable here: slope 1 on the right, 0.25 on the left"


def test_an_op_infinite_inside_the_step_is_undefined_not_a_kink():
    # a pole just past x + h/2: finite at x and x ± h, but the halved step lands on infinity
    pole = 0.5e-6 + 1e-20

    def kernel(x: float) -> tuple[float, float]:
        return 1e290 / (x - pole), -1e290 / (x - pole) ** 2

    assert math.isinf(kernel(0.5e-6)[0]) and math.isfinite(kernel(1e-6)[0])
    status, slope, note = op_slope(kernel, (0.0,), (), 0)
    assert (status, slope) == ("undefined", None)
    assert note == "the op is not defined (or not finite) at x ± 1e-06"


def test_a_large_op_next_to_its_minimum_is_curved_not_kinked(table):
    # 100 + x² at x = 0.01: the one-sided slopes differ by the curvature (2e-6), more than the
    # first tolerance, and the halved steps shrink it only up to the rounding of values near 100
    bowl = define_op("bowl", value="100 + a**2", grads=["2*a"])
    for x in (0.003, 0.01, 0.03):
        status, slope, note = op_slope(bowl.kernel, (x,), (), 0)
        assert (status, note) == ("smooth", "") and slope == pytest.approx(2 * x, rel=1e-5), x
        assert check_local_grads(bowl(Value(x, "x"))).ok, x


def sampled(values: dict[float, float]) -> Callable[[float], tuple[float, float]]:
    """A kernel known only at the points op_slope samples: a table of x → its value."""
    return lambda x: (values[x], 0.0)


def test_a_bend_exactly_at_the_rounding_bound_is_smooth():
    # f(±h) = u with f(0) = 0 bends by 2u/h: for this u, exactly 8·ε·u/h + 1e-7, the bound
    # (the step h is 1e-6 at 0). Past the bound, the halved step would be read: a kink there
    u, h = 5.000000000000004e-14, 1e-6
    kernel = sampled({0.0: 0.0, h: u, -h: u, h / 2: u, -h / 2: u})
    assert op_slope(kernel, (0.0,), (), 0) == ("smooth", 0.0, "")


def test_a_shrinking_bend_exactly_at_its_slack_is_curvature_not_a_kink():
    # steps that are powers of two, so the bend at h/2 lands exactly on its slack
    # (a tenth of the bend, plus rounding): not past it, so on to h/4, where it shrinks as a
    # curve's does
    h, u, w = 2.0**-20, 2.0**-30, 2.561137080192568e-10
    kernel = sampled(
        {0.0: 0.0, h: u, -h: u, h / 2: w, -h / 2: w, h / 4: 2.0**-34, -h / 4: 2.0**-34}
    )
    assert op_slope(kernel, (0.0,), (), 0, eps=h) == ("smooth", 0.0, "")


def test_a_bend_that_shrinks_at_half_the_step_but_not_at_a_quarter_is_a_kink():
    # x² everywhere but at ±h/4: op_slope looks at the step halved, then quartered
    h = 1e-6
    values = {x: x * x for x in (0.0, h, -h, h / 2, -h / 2)} | {h / 4: 1.0, -h / 4: 1.0}
    status, slope, note = op_slope(sampled(values), (0.0,), (), 0)
    assert (status, slope) == ("kink", 0.0)
    assert note == "not differentiable here: slope 1e-06 on the right, -1e-06 on the left"


H = 2.0**-20  # a step that is a power of two, so the tables below are exact


@pytest.mark.parametrize(
    ("here", "up", "down"),
    [
        (1.0, 2.0, 9.99995009914878e-06),  # f(x + h) the largest
        (1.0, 9.99995009914878e-06, 2.0),  # f(x − h) the largest
        (2.0**-41, 4.070636350661512e-13, 4.070636350661512e-13),  # f(x) the largest
    ],
)
def test_the_rounding_bound_counts_the_largest_value_sampled(here, up, down):
    # the bend sits just inside the bound 8·ε·max(|f|)/h + 1e-7 + 1e-5·|slope|, and would be
    # outside it if the largest of the three values were left out: then, with the same values
    # at h/2 and h/4, a kink
    table = {0.0: here, H: up, -H: down, H / 2: up, -H / 2: down, H / 4: up, -H / 4: down}
    assert op_slope(sampled(table), (0.0,), (), 0, eps=H)[0] == "smooth"


@pytest.mark.parametrize(
    ("here", "at_h", "up", "down"),
    [
        (1.0, 1.0 + H, 2.0, 5.245208775650488e-07),  # f(x + h/2) the largest
        (1.0, 1.0 + H, 5.245208775650488e-07, 2.0),  # f(x − h/2) the largest
        (1.0, 0.0625, 0.7421874999999991, 0.7421874999999991),  # f(x) the largest
    ],
)
def test_the_slack_at_half_the_step_counts_the_largest_value_sampled(here, at_h, up, down):
    # f(x ± h) bends past the first bound; at h/2 the bend misses half of it by just less than
    # its slack, a tenth of it plus 8·ε·max(|f|)/(h/2), and would miss by more than the slack
    # without the largest value: a kink. At h/4 it is a quarter, as a curve's is
    quarter = here + ((at_h - here) / 16)
    table = {0.0: here, H: at_h, -H: at_h, H / 2: up, -H / 2: down}
    table |= {H / 4: quarter, -H / 4: quarter}
    assert op_slope(sampled(table), (0.0,), (), 0, eps=H)[0] == "smooth"
