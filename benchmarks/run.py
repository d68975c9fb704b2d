"""`make bench`: every engine on every workload, side by side, in one process.

Engines alternate within each round; we report the median, the min–max and
each engine's speed relative to micrograd and PyTorch. Times include freeing
the graph (see :func:`timed`), because a graph that only the cyclic GC can
free costs its user that time too. Results go to benchmarks/RESULTS.md
and benchmarks/results.json. ``--only W5`` runs the second-order workload alone and prints
its table and target (no file is written).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import in_browser, in_browser_nn_ts
from benchmarks import workloads as w
from benchmarks.engines import BEFORE_OP_TABLE, Engine, available, bare

HERE = Path(__file__).resolve().parent
CHAIN_LENGTHS = (1_000, 10_000, 100_000, 1_000_000)
PRODUCTS = 100_000
REPLAY = "chainrule replay (traced once)"
IN_PAGE = "pages' engine in the browser (JavaScript tape)"
BARE = "one bare object per node (floor)"
FLAT = "flat lists of floats (limit)"
MUTATION = "## Mutation testing (#20)"
"""RESULTS.md's section that `make mutation` measures, written by hand: kept on regenerating."""


class GcClock:
    """Seconds CPython's cyclic GC spends collecting while the clock is on.

    It only watches (through ``gc.callbacks``); the collector's settings are
    never touched.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._started = now
        else:
            self.seconds += now - self._started

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds for ``run()`` plus freeing what it built, the share of that in the GC, the result.

    A graph without reference cycles is freed inside ``run()``, by reference
    counting. One with cycles (micrograd's closures) waits for the cyclic GC:
    its share is what a ``gc.collect()`` right after the run costs beyond the
    median of idle collections, which walk the same live objects and free
    nothing.
    """
    idle = []
    for _ in range(3):
        start = time.perf_counter()
        gc.collect()
        idle.append(time.perf_counter() - start)
    with GcClock() as clock:
        start = time.perf_counter()
        result = run()
        ran = time.perf_counter() - start
    start = time.perf_counter()
    gc.collect()
    freeing = max(time.perf_counter() - start - statistics.median(idle), 0.0)
    return ran + freeing, clock.seconds + freeing, result


def agree(reference: tuple[float, list[float]], other: tuple[float, list[float]]) -> bool:
    (loss_a, grads_a), (loss_b, grads_b) = reference, other
    pairs = [(loss_a, loss_b), *zip(grads_a, grads_b, strict=True)]
    return all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12) for x, y in pairs)


def agree_second_order(reference: tuple, other: tuple, rel: float = 1e-10) -> bool:
    """W5's (loss, g, Hv) agree: each number within ``rel`` of the reference, relative to the
    largest of its vector (so an entry that cancels to about 0 is held to the vector's scale)."""
    (loss_a, *vectors_a), (loss_b, *vectors_b) = reference, other
    if not math.isclose(loss_a, loss_b, rel_tol=rel):
        return False
    for a, b in zip(vectors_a, vectors_b, strict=True):
        scale = max((abs(x) for x in a), default=0.0)
        if len(a) != len(b) or not all(
            math.isclose(x, y, rel_tol=rel, abs_tol=rel * scale) for x, y in zip(a, b, strict=True)
        ):
            return False
    return True


def run_second_order(rounds: int, engines: list[Engine]) -> tuple[Samples, Samples]:
    """W5 for every engine with higher-order gradients: seconds per round, and in the GC."""
    points, labels = w.moons()
    parameters = w.mlp_parameters()
    count = sum(len(row) for layer in parameters for row in layer)
    direction = w.hvp_direction(count)
    runs = {
        e.name: (lambda e=e: w.w5_hessian_vector(e, points, labels, parameters, direction))
        for e in engines
        if e.gradient is not None
    }
    reference = None
    for name, run in runs.items():  # correctness before speed
        result = run()
        reference = reference or result
        if not agree_second_order(reference, result):
            raise SystemExit(f"W5: {name} disagrees with {engines[0].name} (loss, g or Hv)")
    times: Samples = {"W5": {name: [] for name in runs}}
    in_gc: Samples = {"W5": {name: [] for name in runs}}
    for r in range(rounds):
        order = list(runs.items())
        for name, run in order[r % len(order) :] + order[: r % len(order)]:
            seconds, gc_seconds, _ = timed(run)
            times["W5"][name].append(seconds)
            in_gc["W5"][name].append(gc_seconds)
        print(f"  W5 round {r + 1}/{rounds} done", file=sys.stderr)
    return times, in_gc


W5_TITLE = (
    "W5: W1's gradient with the backward pass recorded (create_graph), then a "
    "Hessian-vector product"
)


def second_order_section(times: Samples, in_gc: Samples, peers: list[str]) -> list[str]:
    """RESULTS.md's W5 section."""
    if "W5" not in times:
        return [f"## {W5_TITLE}", "", "Not measured."]
    present = [p for p in peers if p in times["W5"]]
    count = sum(len(row) for layer in w.mlp_parameters() for row in layer)
    return [
        f"## {W5_TITLE}",
        "",
        f"Build W1 (forward), g = ∂loss/∂θ for its {count} parameters with "
        "`grad(loss, params, create_graph=True)` (PyTorch: `torch.autograd.grad(…, "
        "create_graph=True)` on 0-dim tensors), then Hv = ∂(Σᵢ gᵢ·vᵢ)/∂θ for a fixed random v "
        "(first order). The loss, g and Hv are checked to agree within 1e-10 relative before "
        "timing.",
        "",
        *speed_table(times["W5"], in_gc["W5"], present),
    ]


def contenders(engines: list[Engine]) -> dict[str, dict[str, Callable[[], Any]]]:
    """For W1 and W4: name → a zero-argument run, the engines' and the reference rows'."""
    points, labels = w.moons()
    parameters = w.mlp_parameters()
    a_data, b_data = w.product_inputs(PRODUCTS)
    w1 = {e.name: (lambda e=e: w.w1_mlp_hinge(e, points, labels, parameters)) for e in engines}
    w1[REPLAY] = w.w1_replay(engines[0], points, labels, parameters)
    w1[FLAT] = lambda: w.w1_flat_lists(points, labels, parameters)
    w4 = {e.name: (lambda e=e: w.w4_sum_of_products(e, a_data, b_data)) for e in engines}
    w4[BARE] = lambda: w.w4_sum_of_products(bare(), a_data, b_data)
    w4[FLAT] = lambda: w.w4_flat_lists(a_data, b_data)
    return {"W1": w1, "W4": w4}


Samples = dict[str, dict[str, list[float]]]  # workload → row name → seconds per round


def run_timed(rounds: int, engines: list[Engine]) -> tuple[Samples, Samples]:
    """W1 and W4: every row's seconds per round, and how many of them the cyclic GC took."""
    times: Samples = {}
    in_gc: Samples = {}
    for workload, runs in contenders(engines).items():
        reference = None
        for name, run in runs.items():  # correctness before speed
            result = run()
            reference = reference or result
            if not agree(reference, result):
                raise SystemExit(f"{workload}: {name} disagrees with {engines[0].name}")
            if name == REPLAY and result != reference:
                raise SystemExit(f"{workload}: replay is not bit-identical to the dynamic engine")
        times[workload] = {name: [] for name in runs}
        in_gc[workload] = {name: [] for name in runs}
        for r in range(rounds):
            order = list(runs.items())
            for name, run in order[r % len(order) :] + order[: r % len(order)]:
                seconds, gc_seconds, _ = timed(run)
                times[workload][name].append(seconds)
                in_gc[workload][name].append(gc_seconds)
            print(f"  {workload} round {r + 1}/{rounds} done", file=sys.stderr)
    return times, in_gc


def run_chains(engines: list[Engine], rounds: int) -> dict[str, dict[int, list[float] | str]]:
    results: dict[str, dict[int, list[float] | str]] = {e.name: {} for e in engines}
    for engine in engines:
        for n in CHAIN_LENGTHS:
            samples: list[float] = []
            for _ in range(rounds if n < 1_000_000 else 1):
                try:
                    seconds, _, grad = timed(lambda n=n, engine=engine: w.w2_chain(engine, n))
                except RecursionError:
                    results[engine.name][n] = "RecursionError"
                    break
                if not math.isclose(grad, 1.0001**n, rel_tol=1e-9):
                    raise SystemExit(f"W2: {engine.name} gives ∂v_N/∂v_0 = {grad} at N = {n}")
                samples.append(seconds)
            else:
                results[engine.name][n] = samples
            print(f"  W2 {engine.name} N={n:,} done", file=sys.stderr)
            if isinstance(results[engine.name][n], str):
                break
    return results


def run_memory(engines: list[Engine]) -> list[dict[str, Any]]:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    rows = []
    for index in range(len(engines)):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.memory", str(index)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=HERE.parent,
        )
        rows.append(json.loads(out.stdout))
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def fmt_seconds(x: float) -> str:
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def speed_table(
    times: dict[str, list[float]], in_gc: dict[str, list[float]], peers: list[str]
) -> list[str]:
    """One row per engine: median, min–max, time in the GC, and the speed-up over each peer."""
    header = "| engine | median | min–max | in cyclic GC |" + "".join(
        f" vs {p.split()[0]} |" for p in peers
    )
    lines = [header, "| --- | ---: | ---: | ---: |" + " ---: |" * len(peers)]
    for name, samples in times.items():
        median = statistics.median(samples)
        gc_samples = in_gc.get(name)
        collecting = statistics.median(gc_samples) if gc_samples else None
        gc_cell = (
            "– (not Python)"
            if collecting is None
            else f"{fmt_seconds(collecting)} ({collecting / median:.0%})"
        )
        ratios = "".join(f" {statistics.median(times[p]) / median:.1f}× |" for p in peers)
        lines.append(
            f"| {name} | {fmt_seconds(median)} | {fmt_seconds(min(samples))}–"
            f"{fmt_seconds(max(samples))} | {gc_cell} |{ratios}"
        )
    return lines


def add_in_page_w1(times: Samples, engines: list[Engine], rounds: int) -> str:
    """Time W1 in the pages' JavaScript engine and add its row; a sentence for RESULTS.md."""
    points, labels = w.moons()
    parameters = w.mlp_parameters()
    measured = in_browser.w1_in_page(points, labels, parameters, rounds)
    if measured is None:
        return "W1 in the page: not measured (headless Chromium and Selenium are not installed)."
    result, seconds = measured
    if not agree(w.w1_mlp_hinge(engines[0], points, labels, parameters), tuple(result)):
        raise SystemExit(f"W1: {IN_PAGE} disagrees with {engines[0].name}")
    times["W1"][IN_PAGE] = seconds
    ratio = statistics.median(times["W1"][REPLAY]) / statistics.median(seconds)
    dynamic = statistics.median(times["W1"]["chainrule"]) / statistics.median(seconds)
    return (
        f"The in-page row is the pages' engine (the JavaScript twins of the op table's kernels "
        f"on a recorded tape, as the step-through page and the playground use it) running W1 "
        f"forward and backward in headless Chromium, after its loss and gradients were checked "
        f"against chainrule's: {dynamic:.1f}× the dynamic engine and {ratio:.2f}× Python "
        f"replay in this run (rounds timed in the browser, after the Python rounds)."
    )


def second_order_targets(times: Samples) -> list[str]:
    """Issue #19's target: W5 at least 2× faster than PyTorch, met or not from the numbers."""
    runs = times.get("W5", {})
    torch = next((n for n in runs if n.startswith("PyTorch")), None)
    ratio = None
    if "chainrule" in runs and torch is not None:
        ratio = statistics.median(runs[torch]) / statistics.median(runs["chainrule"])
    shown = f" ({ratio:.1f}×)" if ratio else ""
    outcome = "not measured" if ratio is None else ("met" if ratio >= 2 else "**not met**")
    return [f"| W5: ≥ 2× faster than PyTorch{shown} | {outcome} |"]


def targets(times, chains, memory, responsive=None, race=None) -> list[str]:
    """Issues #6, #10, #17, #18, #19 and #22's targets, each marked met or not from this run's
    numbers.

    ``responsive`` is :func:`in_browser.responsiveness`'s result, ``race``
    :func:`in_browser_nn_ts.against_nn_ts`'s (None: not measured).
    """
    median = {w: {n: statistics.median(t) for n, t in runs.items()} for w, runs in times.items()}
    names = list(median["W1"])
    peers = {p: next((n for n in names if n.startswith(p)), None) for p in ("micrograd", "PyTorch")}

    def faster(workload: str, name: str | None, than: str | None) -> float | None:
        """How many times faster ``name`` is than ``than`` on ``workload``."""
        if name is None or than is None:
            return None
        return median[workload][than] / median[workload][name]

    rows = []

    def check(text: str, value: float | None, met: bool) -> None:
        outcome = "not measured" if value is None else ("met" if met else "**not met**")
        rows.append(f"| {text} | {outcome} |")

    floor = faster("W4", BARE, peers["micrograd"])
    for workload in ("W1", "W4"):
        for peer, factor in (("micrograd", 8), ("PyTorch", 4)):
            ratio = faster(workload, "chainrule", peers[peer])
            shown = f" ({ratio:.1f}×)" if ratio else ""
            if workload == "W4" and peer == "micrograd" and ratio and floor:
                shown = f" ({ratio:.1f}×; the floor, one bare object per node: {floor:.1f}×)"
            check(
                f"{workload}: ≥ {factor}× faster than {peer}{shown}", ratio, (ratio or 0) >= factor
            )
    ratio = faster("W1", REPLAY, peers["micrograd"])
    check(f"W1 replay: ≥ 25× faster than micrograd ({ratio or 0:.0f}×)", ratio, (ratio or 0) >= 25)
    limit = 1 / faster("W1", REPLAY, FLAT)
    check(f"W1 replay: within ≈1.5× of the flat-list limit ({limit:.2f}×)", limit, limit <= 1.5)
    steps = chains["chainrule"]
    done = isinstance(steps.get(1_000_000), list)
    check("W2: N = 1,000,000 completes", 1.0, done)
    growth = None
    if done and isinstance(steps.get(100_000), list):
        per_step = {n: statistics.median(steps[n]) / n for n in (100_000, 1_000_000)}
        growth = per_step[1_000_000] / per_step[100_000]
    check(
        f"W2: time linear in N (per step, N = 10⁶ takes {growth or 0:.2f}× what N = 10⁵ does)",
        growth,
        (growth or 2.0) <= 1.25,
    )
    base = next((m for m in memory if m["engine"].startswith("micrograd")), None)
    share = memory[0]["bytes_per_node_built"] / base["bytes_per_node_built"] if base else None
    check(f"W3: ≤ 40% of micrograd's bytes per node ({share or 0:.0%})", share, (share or 1) <= 0.4)
    issue6, rows = rows, []
    # issue #10: the op table and the readable core must not cost speed
    ratio = faster("W1", "chainrule", peers["micrograd"])
    check(f"W1: ≥ 15× faster than micrograd ({ratio or 0:.1f}×)", ratio, (ratio or 0) >= 15)
    ratio = faster("W1", REPLAY, peers["micrograd"])
    check(f"W1 replay: ≥ 70× faster than micrograd ({ratio or 0:.0f}×)", ratio, (ratio or 0) >= 70)
    check("W1 replay: bit-identical to the dynamic engine (checked before timing)", 1.0, True)
    over_floor = 1 / (faster("W4", "chainrule", BARE) or float("inf"))
    check(
        f"W4: within 1.5× of the one-bare-object floor ({over_floor:.2f}×)",
        over_floor,
        over_floor <= 1.5,
    )
    issue10, rows = rows, []
    # issue #17: one definition per op and the readable core, no slower than before #10
    before = next((n for n in names if n.startswith(f"chainrule at {BEFORE_OP_TABLE}")), None)
    slower = faster("W1", before, "chainrule")  # chainrule's time over the old engine's
    check(
        f"W1: at most 1.15× the time of the engine before the op table, {BEFORE_OP_TABLE} "
        f"({slower or 0:.2f}×)",
        slower,
        (slower or 2.0) <= 1.15,
    )
    return [
        "## Targets",
        "",
        "| target (issue #6) | this run |",
        "| --- | --- |",
        *issue6,
        "",
        "| target (issue #10) | this run |",
        "| --- | --- |",
        *issue10,
        "",
        "| target (issue #17) | this run |",
        "| --- | --- |",
        *rows,
        "",
        "| target (issue #18): the step page, until the next frame is painted | this run |",
        "| --- | --- |",
        *in_browser.responsiveness_targets(responsive),
        "",
        "| target (issue #19): second order, W5 | this run |",
        "| --- | --- |",
        *second_order_targets(times),
        "",
        "| target (issue #22): the playground against TensorFlow Playground's engine | this run |",
        "| --- | --- |",
        *in_browser_nn_ts.targets(race),
    ]


def floor_note(times: dict[str, list[float]], in_gc: dict[str, list[float]]) -> list[str]:
    """What W4's floor row shows, in this run's numbers."""
    median = {name: statistics.median(samples) for name, samples in times.items()}
    collecting = statistics.median(in_gc[BARE])
    return [
        f"The floor row is the least any engine with one Python object per node can do "
        f"(`benchmarks/bare_value.py`: six slots, `+` and `*`, nothing else). Allocating "
        f"{4 * PRODUCTS:,} objects triggers a full collection of CPython's cyclic GC about "
        f"every 85,000 allocations, and each walks every live object of the process "
        f"(PyTorch's too, when it is imported): {collecting / median[BARE]:.0%} of the floor's "
        f"{fmt_seconds(median[BARE])} is spent there. chainrule takes "
        f"{median['chainrule'] / median[BARE]:.2f}× the floor's time.",
    ]


def report(
    times,
    in_gc,
    chains,
    memory,
    rounds: int,
    baseline: str | None,
    peers: list[str],
    page=None,
    in_page_note: str = "",
    speed=None,
    responsive=None,
    layouts=None,
    race=None,
):
    """RESULTS.md: the machine, then one table per workload, then the issue's targets."""
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.  ",
        f"Rounds: {rounds} (engines alternate within a round); medians, with min–max; "
        "“vs X” is X's median time divided by this row's; “in cyclic GC” is the median "
        "time CPython's garbage collector spent collecting during the run, freeing included.",
        "Times include freeing the graph. Regenerate with `make bench`.",
        "",
        "## W1: MLP(2, [16, 16, 1]), ReLU, 100 moons points, mean hinge loss, forward + backward",
        "",
        *speed_table(times["W1"], in_gc["W1"], peers),
        "",
        in_page_note,
        "",
        f"## W4: sum of {PRODUCTS:,} products (balanced additions), forward + backward",
        "",
        *speed_table(times["W4"], in_gc["W4"], peers),
        "",
        *floor_note(times["W4"], in_gc["W4"]),
        "",
        *second_order_section(times, in_gc, peers),
        "",
        "## W2: chain of N steps v ← v·1.0001 + 0.0001 (2N operations), forward + backward",
        "",
        "| engine | " + " | ".join(f"N = {n:,}" for n in CHAIN_LENGTHS) + " |",
        "| --- |" + " ---: |" * len(CHAIN_LENGTHS),
    ]
    for name, by_n in chains.items():
        cells = []
        for n in CHAIN_LENGTHS:
            value = by_n.get(n, "not run")
            if isinstance(value, list):
                median = statistics.median(value)
                cells.append(f"{fmt_seconds(median)} ({median / n * 1e6:.2f} µs/step)")
            else:
                cells.append(str(value))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "A step makes four objects (a constant and a node for each of `·` and `+`). Up to "
        "N = 10,000 the whole graph is built before CPython's first full GC collection "
        "(about 85,000 allocations); beyond, every full collection walks the graph, but they "
        "come only when the live objects have grown by a quarter, so their cost per step stays "
        "flat: time is linear in N from there on.",
        "",
        "## W3: memory per node, 100,000-node graph (W4's shape with 25,000 pairs)",
        "",
        "| engine | bytes/node (tracemalloc) | after backward | peak RSS/node | vs micrograd |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    base_bytes = next((m["bytes_per_node_built"] for m in memory if m["engine"] == baseline), None)
    for m in memory:
        share = f"{m['bytes_per_node_built'] / base_bytes:.0%}" if base_bytes else "–"
        lines.append(
            f"| {m['engine']} | {m['bytes_per_node_built']:.0f} | "
            f"{m['bytes_per_node_after_backward']:.0f} | "
            f"{m['peak_rss_bytes_per_node']:.0f} | {share} |"
        )
    lines += ["", *in_browser.report(page), "", *in_browser.playground_report(speed)]
    lines += ["", *in_browser.responsiveness_report(responsive)]
    lines += ["", *in_browser.layout_report(layouts)]
    lines += ["", *in_browser_nn_ts.report(race, datetime.date.today().isoformat())]
    lines += ["", *targets(times, chains, memory, responsive, race)]
    return "\n".join(lines) + "\n"


def with_mutation_section(text: str, previous: str) -> str:
    """``text`` followed by ``previous``'s mutation testing section, up to the next heading."""
    start = previous.find(MUTATION)
    if start < 0:
        return text
    end = previous.find("\n## ", start + len(MUTATION))
    section = previous[start:] if end < 0 else previous[start : end + 1]
    return f"{text}\n{section.rstrip()}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument(
        "--only", choices=["W5", "nn.ts"], help="run this workload alone; print it, write no file"
    )
    args = parser.parse_args()
    if args.only == "nn.ts":  # needs no Python engine: the page and nn.ts's structure only
        race = in_browser_nn_ts.against_nn_ts(args.rounds)
        print(f"Machine: {machine()}. Rounds: {args.rounds}.\n")
        print("\n".join(in_browser_nn_ts.report(race, datetime.date.today().isoformat())))
        print("\n| target (issue #22) | this run |\n| --- | --- |")
        print("\n".join(in_browser_nn_ts.targets(race)))
        return
    engines = available()
    names = [e.name for e in engines]
    print("engines: " + ", ".join(names), file=sys.stderr)
    baseline = next((n for n in names if n.startswith("micrograd")), None)
    peers = names[1:]  # the "vs X" columns: how many times faster than X
    if args.only == "W5":
        times, in_gc = run_second_order(args.rounds, engines)
        print(f"Machine: {machine()}. Rounds: {args.rounds}.\n")
        print("\n".join(second_order_section(times, in_gc, peers)) + "\n")
        print("\n".join(["| target (issue #19) | this run |", "| --- | --- |"]))
        print("\n".join(second_order_targets(times)))
        return
    times, in_gc = run_timed(args.rounds, engines)
    second, second_gc = run_second_order(args.rounds, engines)
    times.update(second)
    in_gc.update(second_gc)
    in_page_note = add_in_page_w1(times, engines, args.rounds)
    chains = run_chains(engines, args.rounds)
    memory = run_memory(engines)
    page = in_browser.page_open_seconds(args.rounds)
    speed = in_browser.playground_epochs_per_second()
    responsive = in_browser.responsiveness(args.rounds)
    layouts = in_browser.page_layouts(args.rounds)
    race = in_browser_nn_ts.against_nn_ts(args.rounds)
    text = report(
        times,
        in_gc,
        chains,
        memory,
        args.rounds,
        baseline,
        peers,
        page,
        in_page_note,
        speed,
        responsive,
        layouts,
        race,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    results = args.out / "RESULTS.md"
    previous = results.read_text() if results.exists() else ""
    results.write_text(with_mutation_section(text, previous))
    (args.out / "results.json").write_text(
        json.dumps(
            {
                "machine": machine(),
                "times": times,
                "in_gc": in_gc,
                "chains": chains,
                "memory": memory,
                "page_open": page,
                "playground_epochs_per_second": speed,
                "step_page_responsiveness": responsive,
                "page_layouts": layouts,
                "playground_against_nn_ts": race,
            },
            indent=1,
        )
    )
    print(text)


if __name__ == "__main__":
    main()
