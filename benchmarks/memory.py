"""W3: memory per node of a 100,000-node graph, measured in a fresh process per engine.

The graph is W4's sum of products with 25,000 pairs: 50,000 leaves, 25,000
products and 24,999 additions, so every engine holds the same 99,999 nodes.
``tracemalloc`` counts the bytes Python allocated (PyTorch's tensors live in
C++ and are invisible to it, so for PyTorch only the RSS column means much);
peak RSS is the process's high-water mark minus the mark before building.

Run as ``python -m benchmarks.memory ENGINE_INDEX``; prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import tracemalloc
from pathlib import Path

from benchmarks.engines import available
from benchmarks.workloads import pairwise_sum, product_inputs

PAIRS = 25_000
NODES = 2 * PAIRS + PAIRS + (PAIRS - 1)


def peak_rss_bytes() -> int:
    """The process's resident-set high-water mark (VmHWM: unlike ru_maxrss, not inherited)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def build(engine, a_data, b_data):
    a = [engine.leaf(x) for x in a_data]
    b = [engine.leaf(x) for x in b_data]
    return a, b, pairwise_sum([x * y for x, y in zip(a, b, strict=True)])


def measure(index: int) -> dict[str, object]:
    """Peak RSS first (without tracemalloc's own overhead), then traced bytes on a new graph."""
    engine = available()[index]
    a_data, b_data = product_inputs(PAIRS)
    gc.collect()
    rss_before = peak_rss_bytes()
    graph = build(engine, a_data, b_data)
    engine.backward(graph[-1])
    rss_peak = peak_rss_bytes()
    del graph
    gc.collect()

    tracemalloc.start()
    graph = build(engine, a_data, b_data)
    built = tracemalloc.get_traced_memory()[0]
    engine.backward(graph[-1])
    gc.collect()
    after_backward = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {
        "engine": engine.name,
        "nodes": NODES,
        "bytes_per_node_built": built / NODES,
        "bytes_per_node_after_backward": after_backward / NODES,
        "peak_rss_bytes_per_node": (rss_peak - rss_before) / NODES,
    }


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]))))
