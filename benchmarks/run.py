"""`make bench`: every engine on every workload, side by side, in one process.

Engines alternate within each round; we report the median, the min–max and
each engine's speed relative to micrograd and PyTorch. Times include freeing
the graph (see :func:`timed`), because a graph that only the cyclic GC can
free costs its user that time too. Results go to benchmarks/RESULTS.md
and benchmarks/results.json.
"""

from __future__ import annotations

import argparse
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

from benchmarks import workloads as w
from benchmarks.engines import Engine, available

HERE = Path(__file__).resolve().parent
CHAIN_LENGTHS = (1_000, 10_000, 100_000, 1_000_000)
PRODUCTS = 100_000


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds for ``run()`` plus freeing what it built, and its result.

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
    start = time.perf_counter()
    result = run()
    ran = time.perf_counter() - start
    start = time.perf_counter()
    gc.collect()
    freeing = max(time.perf_counter() - start - statistics.median(idle), 0.0)
    return ran + freeing, result


def agree(reference: tuple[float, list[float]], other: tuple[float, list[float]]) -> bool:
    (loss_a, grads_a), (loss_b, grads_b) = reference, other
    pairs = [(loss_a, loss_b), *zip(grads_a, grads_b, strict=True)]
    return all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12) for x, y in pairs)


def contenders(engines: list[Engine]) -> dict[str, dict[str, Callable[[], Any]]]:
    """For W1 and W4: name → a zero-argument run, including the flat-list limit for W1."""
    points, labels = w.moons()
    parameters = w.mlp_parameters()
    a_data, b_data = w.product_inputs(PRODUCTS)
    w1 = {e.name: (lambda e=e: w.w1_mlp_hinge(e, points, labels, parameters)) for e in engines}
    w1["chainrule replay (traced once)"] = w.w1_replay(engines[0], points, labels, parameters)
    w1["flat lists of floats (limit)"] = lambda: w.w1_flat_lists(points, labels, parameters)
    w4 = {e.name: (lambda e=e: w.w4_sum_of_products(e, a_data, b_data)) for e in engines}
    return {"W1": w1, "W4": w4}


def run_timed(rounds: int, engines: list[Engine]) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {}
    for workload, runs in contenders(engines).items():
        reference = None
        for name, run in runs.items():  # correctness before speed
            result = run()
            reference = reference or result
            if not agree(reference, result):
                raise SystemExit(f"{workload}: {name} disagrees with {engines[0].name}")
        times[workload] = {name: [] for name in runs}
        for r in range(rounds):
            order = list(runs.items())
            for name, run in order[r % len(order) :] + order[: r % len(order)]:
                times[workload][name].append(timed(run)[0])
            print(f"  {workload} round {r + 1}/{rounds} done", file=sys.stderr)
    return times


def run_chains(engines: list[Engine], rounds: int) -> dict[str, dict[int, list[float] | str]]:
    results: dict[str, dict[int, list[float] | str]] = {e.name: {} for e in engines}
    for engine in engines:
        for n in CHAIN_LENGTHS:
            samples: list[float] = []
            for _ in range(rounds if n < 1_000_000 else 1):
                try:
                    seconds, grad = timed(lambda n=n, engine=engine: w.w2_chain(engine, n))
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


def speed_table(times: dict[str, list[float]], peers: list[str]) -> list[str]:
    """One row per engine: median, min–max, and how many times faster than each peer."""
    header = "| engine | median | min–max |" + "".join(f" vs {p.split()[0]} |" for p in peers)
    lines = [header, "| --- | ---: | ---: |" + " ---: |" * len(peers)]
    for name, samples in times.items():
        median = statistics.median(samples)
        ratios = "".join(f" {statistics.median(times[p]) / median:.1f}× |" for p in peers)
        lines.append(
            f"| {name} | {fmt_seconds(median)} | {fmt_seconds(min(samples))}–"
            f"{fmt_seconds(max(samples))} |{ratios}"
        )
    return lines


REPLAY = "chainrule replay (traced once)"
FLAT = "flat lists of floats (limit)"


def targets(times, chains, memory) -> list[str]:
    """Issue #6's targets, each marked met or not from this run's numbers."""
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

    for workload in ("W1", "W4"):
        for peer, factor in (("micrograd", 8), ("PyTorch", 4)):
            ratio = faster(workload, "chainrule", peers[peer])
            shown = f" ({ratio:.1f}×)" if ratio else ""
            check(
                f"{workload}: ≥ {factor}× faster than {peer}{shown}", ratio, (ratio or 0) >= factor
            )
    ratio = faster("W1", REPLAY, peers["micrograd"])
    check(f"W1 replay: ≥ 25× faster than micrograd ({ratio or 0:.0f}×)", ratio, (ratio or 0) >= 25)
    limit = 1 / faster("W1", REPLAY, FLAT)
    check(f"W1 replay: within ≈1.5× of the flat-list limit ({limit:.2f}×)", limit, limit <= 1.5)
    done = isinstance(chains["chainrule"].get(1_000_000), list)
    check("W2: N = 1,000,000 completes", 1.0, done)
    base = next((m for m in memory if m["engine"].startswith("micrograd")), None)
    share = memory[0]["bytes_per_node_built"] / base["bytes_per_node_built"] if base else None
    check(f"W3: ≤ 40% of micrograd's bytes per node ({share or 0:.0%})", share, (share or 1) <= 0.4)
    return ["## Targets (issue #6)", "", "| target | this run |", "| --- | --- |", *rows]


def report(times, chains, memory, rounds: int, baseline: str | None, peers: list[str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.  ",
        f"Rounds: {rounds} (engines alternate within a round); medians, with min–max; "
        "“vs X” is X's median time divided by this row's.",
        "Times include freeing the graph. Regenerate with `make bench`.",
        "",
        "## W1: MLP(2, [16, 16, 1]), ReLU, 100 moons points, mean hinge loss, forward + backward",
        "",
        *speed_table(times["W1"], peers),
        "",
        f"## W4: sum of {PRODUCTS:,} products (balanced additions), forward + backward",
        "",
        *speed_table(times["W4"], peers),
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
    lines += ["", *targets(times, chains, memory)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    engines = available()
    names = [e.name for e in engines]
    print("engines: " + ", ".join(names), file=sys.stderr)
    baseline = next((n for n in names if n.startswith("micrograd")), None)
    peers = names[1:]  # the "vs X" columns: how many times faster than X
    times = run_timed(args.rounds, engines)
    chains = run_chains(engines, args.rounds)
    memory = run_memory(engines)
    text = report(times, chains, memory, args.rounds, baseline, peers)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "RESULTS.md").write_text(text)
    (args.out / "results.json").write_text(
        json.dumps(
            {"machine": machine(), "times": times, "chains": chains, "memory": memory}, indent=1
        )
    )
    print(text)


if __name__ == "__main__":
    main()
