"""The benchmark's reference rows compute what chainrule computes, and its GC clock only watches."""

import gc
import subprocess
from pathlib import Path

import pytest

from benchmarks import workloads as w
from benchmarks.bare_value import BareValue
from benchmarks.engines import BEFORE_OP_TABLE, bare, chainrule
from benchmarks.run import BARE, FLAT, REPLAY, GcClock, agree, agree_second_order, targets


def test_w4_floor_and_flat_lists_agree_with_chainrule_on_loss_and_every_gradient():
    a_data, b_data = w.product_inputs(1001)  # odd: pairwise_sum carries a term up a level
    reference = w.w4_sum_of_products(chainrule(), a_data, b_data)
    assert reference[1] == pytest.approx(b_data)  # ∂(Σ a_i·b_i)/∂a_i = b_i
    assert agree(reference, w.w4_sum_of_products(bare(), a_data, b_data))
    assert agree(reference, w.w4_flat_lists(a_data, b_data))


def test_bare_value_backprops_through_a_shared_node_like_chainrule():
    # y = (x·x + x)·x: dy/dx = 3x² + 2x = 16 at x = 2, with x and x·x + x reused
    x = BareValue(2.0)
    u = x * x + x
    y = u * x
    y.backward()
    assert (y.data, x.grad) == (12.0, 16.0)
    y.backward()  # a second pass: operations are reset, leaves accumulate
    assert x.grad == 32.0


def test_bare_value_is_only_the_floor_so_relu_says_so():
    with pytest.raises(NotImplementedError, match="W4's floor"):
        bare().relu(BareValue(1.0))


def test_gc_clock_times_collections_and_leaves_the_callbacks_as_it_found_them():
    before = list(gc.callbacks)
    with GcClock() as clock:
        gc.collect()
    assert clock.seconds > 0.0
    assert gc.callbacks == before


def synthetic_run(chain_seconds: dict[int, float], before: float = 0.8) -> list[str]:
    """The targets table for made-up timings: chainrule 10× micrograd on W1, 5× on W4;
    the engine before the op table takes ``before`` seconds on W1, chainrule 1.0."""
    return targets(*synthetic_inputs(chain_seconds, before))


def synthetic_inputs(chain_seconds: dict[int, float] | None = None, before: float = 0.8):
    """The made-up timings of :func:`synthetic_run`: (times, chains, memory)."""
    chain_seconds = chain_seconds or {}
    w1 = {
        "chainrule": [1.0],
        f"chainrule at {BEFORE_OP_TABLE} (before the op table)": [before],
        "micrograd 0.1.0": [10.0],
        "PyTorch": [5.0],
        REPLAY: [0.2],
        FLAT: [0.1],
    }
    w4 = {"chainrule": [2.0], "micrograd 0.1.0": [10.0], "PyTorch": [9.0], BARE: [1.5], FLAT: [0.1]}
    chains = {"chainrule": {n: [seconds] for n, seconds in chain_seconds.items()}}
    memory = [
        {"engine": "chainrule", "bytes_per_node_built": 100.0},
        {"engine": "micrograd 0.1.0", "bytes_per_node_built": 500.0},
    ]
    return {"W1": w1, "W4": w4}, chains, memory


def outcome(rows: list[str], target: str) -> str:
    (row,) = [row for row in rows if row.startswith(f"| {target}")]
    return row.rsplit("|", 2)[1].strip()


def test_targets_mark_each_row_from_the_numbers():
    rows = synthetic_run({100_000: 1.0, 1_000_000: 11.0})
    assert outcome(rows, "W1: ≥ 8× faster than micrograd (10.0×)") == "met"
    assert outcome(rows, "W4: ≥ 8× faster than micrograd (5.0×; the floor") == "**not met**"
    assert outcome(rows, "W1 replay: within ≈1.5× of the flat-list limit (2.00×)") == "**not met**"
    assert outcome(rows, "W3: ≤ 40% of micrograd's bytes per node (20%)") == "met"
    assert outcome(rows, "W1: ≥ 15× faster than micrograd (10.0×)") == "**not met**"
    assert outcome(rows, "W1 replay: ≥ 70× faster than micrograd (50×)") == "**not met**"
    assert outcome(rows, "W4: within 1.5× of the one-bare-object floor (1.33×)") == "met"
    before = "W1: at most 1.15× the time of the engine before the op table, dc31dea"
    assert outcome(rows, f"{before} (1.25×)") == "**not met**"  # chainrule 1.0 s, before 0.8 s
    assert outcome(synthetic_run({}, before=0.9), f"{before} (1.11×)") == "met"


def test_w2_is_linear_when_time_per_step_stays_flat_from_a_hundred_thousand_to_a_million():
    linear = synthetic_run({100_000: 1.0, 1_000_000: 11.0})  # 1.1× per step
    assert outcome(linear, "W2: time linear in N (per step, N = 10⁶ takes 1.10×") == "met"
    quadratic = synthetic_run({100_000: 1.0, 1_000_000: 100.0})  # 10× per step
    assert (
        outcome(quadratic, "W2: time linear in N (per step, N = 10⁶ takes 10.00×") == "**not met**"
    )
    stopped = synthetic_run({100_000: 1.0})  # 10⁶ did not complete
    assert outcome(stopped, "W2: N = 1,000,000 completes") == "**not met**"
    assert outcome(stopped, "W2: time linear in N") == "not measured"


def test_the_engine_before_the_op_table_is_read_from_git_and_agrees_with_todays():
    # make bench times W1 side by side with chainrule at dc31dea (#17's "no slower" target)
    from benchmarks.engines import BEFORE_OP_TABLE, before_op_table

    before = before_op_table()
    root = Path(__file__).resolve().parent.parent
    in_history = subprocess.run(
        ["git", "-C", str(root), "cat-file", "-e", f"{BEFORE_OP_TABLE}^{{commit}}"],
        capture_output=True,
    )
    assert (before is not None) == (in_history.returncode == 0)
    if before is not None:
        points, labels = w.moons()
        parameters = w.mlp_parameters()
        today = w.w1_mlp_hinge(chainrule(), points, labels, parameters)
        assert w.w1_mlp_hinge(before, points, labels, parameters) == today


def test_the_step_pages_targets_at_size_are_marked_from_the_numbers():
    # issue #18: milliseconds until the next frame is painted, at 305 and 985 nodes
    responsive = {
        305: {"open": [0.25, 0.31, 0.29], "goto": [0.012], "setLeaf": [0.020]},
        985: {"open": [0.7], "goto": [0.049, 0.051, 0.030], "setLeaf": []},
    }
    rows = synthetic_run({}, before=0.9)
    assert outcome(rows, "305-node page: opening the page") == "not measured"
    rows = targets(*synthetic_inputs(), responsive)
    assert outcome(rows, "305-node page: opening the page ≤ 300 ms (290.0 ms)") == "met"
    assert outcome(rows, "305-node page: `goto` to a late frame ≤ 16 ms (12.0 ms)") == "met"
    assert outcome(rows, "305-node page: `setLeaf` (what-if) ≤ 16 ms (20.0 ms)") == "**not met**"
    assert outcome(rows, "985-node page: opening the page ≤ 600 ms (700.0 ms)") == "**not met**"
    assert outcome(rows, "985-node page: `goto` to a late frame ≤ 50 ms (49.0 ms)") == "met"
    assert outcome(rows, "985-node page: `setLeaf` (what-if) ≤ 50 ms") == "not measured"


def test_the_second_order_target_is_marked_from_the_numbers():
    # issue #19: W5 (create_graph, then a Hessian-vector product) ≥ 2× faster than PyTorch
    times, chains, memory = synthetic_inputs()
    target = "W5: ≥ 2× faster than PyTorch"
    assert outcome(targets(times, chains, memory), target) == "not measured"
    torch = "PyTorch 2.13.0+cpu (0-dim tensors)"
    times["W5"] = {"chainrule": [1.0, 1.2, 0.9], torch: [2.6, 2.4, 2.5]}  # medians 1.0, 2.5
    assert outcome(targets(times, chains, memory), f"{target} (2.5×)") == "met"
    times["W5"] = {"chainrule": [1.0], torch: [1.9]}
    assert outcome(targets(times, chains, memory), f"{target} (1.9×)") == "**not met**"
    times["W5"] = {"chainrule": [1.0]}  # PyTorch not installed
    assert outcome(targets(times, chains, memory), target) == "not measured"


def test_second_order_results_agree_only_within_1e_10_relative():
    reference = (1.5, [0.25, -2.0, 0.0], [3.0, 1e-3, -4.0])
    assert agree_second_order(reference, reference)
    nudged = (1.5, [0.25, -2.0 * (1 + 3e-11), 1e-12], [3.0, 1e-3, -4.0])
    assert agree_second_order(reference, nudged)  # the 0 is held to the vector's scale, 2
    off = (1.5, [0.25, -2.0, 0.0], [3.0, 1e-3 + 1e-8, -4.0])
    assert not agree_second_order(reference, off)
    assert not agree_second_order(reference, (1.5 + 1e-9, *reference[1:]))


def test_w5_hessian_vector_product_matches_differences_of_the_gradient():
    # Hv = lim (g(θ + εv) − g(θ − εv)) / 2ε; W1 is piecewise polynomial in θ, so with ε
    # small enough that no relu changes side, the difference is exact up to rounding
    points, labels = w.moons(20)
    parameters = w.mlp_parameters()
    flat = [x for layer in parameters for row in layer for x in row]
    v = w.hvp_direction(len(flat))
    loss, g, hv = w.w5_hessian_vector(chainrule(), points, labels, parameters, v)
    assert (loss, g) == w.w1_mlp_hinge(chainrule(), points, labels, parameters)
    eps = 1e-6

    def shifted(sign: float) -> list[list[list[float]]]:
        it = iter(x + sign * eps * d for x, d in zip(flat, v, strict=True))
        return [[[next(it) for _ in row] for row in layer] for layer in parameters]

    g_plus = w.w1_mlp_hinge(chainrule(), points, labels, shifted(1.0))[1]
    g_minus = w.w1_mlp_hinge(chainrule(), points, labels, shifted(-1.0))[1]
    numeric = [(p - m) / (2 * eps) for p, m in zip(g_plus, g_minus, strict=True)]
    assert any(abs(x) > 1e-3 for x in hv)  # a ReLU net's Hessian is not zero
    assert hv == pytest.approx(numeric, abs=1e-6)


def test_results_md_has_a_w5_section_with_pytorch_as_its_peer():
    from benchmarks.run import second_order_section

    torch = "PyTorch 2.13.0+cpu (0-dim tensors)"
    times = {"W5": {"chainrule": [1.0, 1.1], torch: [3.0, 3.2]}}
    in_gc = {"W5": {"chainrule": [0.3, 0.4], torch: [0.0, 0.0]}}
    lines = second_order_section(times, in_gc, ["micrograd 0.1.0", torch])
    assert lines[0].startswith("## W5: W1's gradient with the backward pass recorded")
    assert "| engine | median | min–max | in cyclic GC | vs PyTorch |" in lines
    (row,) = [line for line in lines if line.startswith("| chainrule |")]
    assert row.endswith("| 3.0× |")  # 3.1 s / 1.05 s ≈ 2.95, and no micrograd column
    assert second_order_section({}, {}, [torch])[-1] == "Not measured."


def test_the_pages_without_dot_target_is_marked_from_the_numbers():
    # issue #21: the MLP page laid out in the browser at most 2 MB, open in under 1.5 s
    from benchmarks.in_browser import layout_report

    def measured(size: int, seconds: list[float]) -> dict[str, dict[str, object]]:
        browser = {"bytes": size, "seconds": seconds}
        return {"MLP(2, [3, 1])": {"nodes": 42, "browser": browser}}

    met = layout_report(measured(1_480_000, [0.1, 0.2, 0.15]))
    assert met[-1].endswith("(1.48 MB) and open in under 1.5 s (150 ms): met.")
    assert (
        "| MLP(2, [3, 1]) | 42 | not measured | not measured | 1.48 MB | 150 ms (100–200) |" in met
    )
    assert layout_report(measured(2_100_000, [0.1]))[-1].endswith("**not met**.")
    assert layout_report(measured(1_000_000, [1.6]))[-1].endswith("**not met**.")
    assert layout_report(None)[-1].startswith("Not measured")


def test_regenerating_results_md_keeps_the_mutation_testing_section():
    from benchmarks.run import with_mutation_section

    section = "## Mutation testing (#20)\n\nKilled 9 of 10.\n"
    assert with_mutation_section("# Benchmark results\n", "# Old\n\n" + section) == (
        "# Benchmark results\n\n" + section
    )
    followed = "# Old\n\n" + section + "\n## Targets\n\nold\n"
    assert with_mutation_section("# New\n", followed) == "# New\n\n" + section
    assert with_mutation_section("# New\n", "# Old\n") == "# New\n"


def race(dense: float, nn_ts: float) -> dict:
    """A made-up result of in_browser_nn_ts.against_nn_ts: these medians, both countings."""
    from benchmarks.in_browser_nn_ts import DENSE, NN_TS, TAPE

    rates = {DENSE: [dense, dense * 2, dense / 2], TAPE: [100.0], NN_TS: [nn_ts]}
    return {"check": 1e-16, "rates": {"train only": rates, "with the losses": rates}}


def test_the_playground_against_nn_ts_is_marked_from_the_medians():
    # issue #22: the playground's training at least as fast as nn.ts's structure
    from benchmarks.in_browser_nn_ts import report, targets

    assert targets(None) == [
        "| playground's training ≥ nn.ts's structure, train only | not measured |",
        "| playground's training ≥ nn.ts's structure, with the losses | not measured |",
    ]
    rows = targets(race(dense=1200.0, nn_ts=1000.0))
    assert outcome(rows, "playground's training ≥ nn.ts's structure, train only (1.20×)") == "met"
    rows = targets(race(dense=900.0, nn_ts=1000.0))
    assert outcome(rows, "playground's training ≥ nn.ts's structure, with the losses (0.90×)") == (
        "**not met**"
    )
    text = "\n".join(report(race(dense=1200.0, nn_ts=1000.0), "2026-12-06"))
    assert "| playground (dense path) | 1,200 (600–2,400) | 1,200 (600–2,400) |" in text
    assert "re-implementation" in text and "10.0× and 10.0× the tape's `train()`" in text
    assert "1.20× the original's speed train only" in text  # 10× ≥ the 5.3×


@pytest.mark.needs_chromium
def test_nn_ts_structure_computes_what_the_page_computes():
    # the baseline must do the page's arithmetic: one epoch from the same start, same order
    from benchmarks.in_browser_nn_ts import COUNTINGS, against_nn_ts

    result = against_nn_ts(rounds=1, epochs=2, tape_epochs=1)
    assert 0.0 <= result["check"] <= 1e-12
    assert set(result["rates"]) == set(COUNTINGS)
    rates = [runs for by_name in result["rates"].values() for runs in by_name.values()]
    assert all(len(runs) == 1 and runs[0] > 0 for runs in rates)
