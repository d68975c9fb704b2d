"""The benchmark workloads, each written once for every engine (see engines.py).

W1  MLP(2, [16, 16, 1]) with ReLU hidden layers on 100 moons points, mean hinge
    loss, one forward + backward (≈ 65,000 scalar nodes).
W2  a chain of N steps v ← v·1.0001 + 0.0001 (2N operations), forward + backward.
W3  memory per node of a 100,000-node graph (see memory.py).
W4  the sum of 100,000 products a_i·b_i (a balanced tree of additions, so that
    recursive engines are not penalised for depth), forward + backward.
W5  W1's graph, its gradient g with the backward pass recorded (create_graph), then the
    Hessian-vector product Hv = ∂(Σᵢ gᵢ·vᵢ)/∂θ for a fixed random v (second order).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from benchmarks.engines import Engine

SIZES = (2, 16, 16, 1)


def moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[list, list[float]]:
    """Two interleaving half circles with labels ±1 (scikit-learn's moons, in pure Python)."""
    rng = random.Random(seed)
    points, labels = [], []
    for i in range(n):
        t = rng.uniform(0.0, math.pi)
        if i % 2 == 0:
            x, y, label = math.cos(t), math.sin(t), 1.0
        else:
            x, y, label = 1.0 - math.cos(t), 0.5 - math.sin(t), -1.0
        points.append((x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)))
        labels.append(label)
    return points, labels


def mlp_parameters(seed: int = 1) -> list[list[list[float]]]:
    """Weights W^l_{jk} then the bias b^l_j, per neuron row, uniform in [−1, 1]."""
    rng = random.Random(seed)
    return [
        [[rng.uniform(-1.0, 1.0) for _ in range(nin + 1)] for _ in range(nout)]
        for nin, nout in pairwise(SIZES)
    ]


def w1_graph(engine: Engine, points, labels, parameters) -> tuple[Any, list[Any]]:
    """The mean hinge loss of the MLP over all points, and the parameter leaves."""
    layers = [[[engine.leaf(w) for w in row] for row in layer] for layer in parameters]
    last = len(layers) - 1
    losses: list[Any] = []
    for (x0, x1), label in zip(points, labels, strict=True):
        a = [engine.leaf(x0), engine.leaf(x1)]
        for depth, layer in enumerate(layers):
            outputs = []
            for row in layer:
                z = row[-1]
                for w, a_k in zip(row[:-1], a, strict=True):
                    z = z + w * a_k
                outputs.append(z if depth == last else engine.relu(z))
            a = outputs
        losses.append(engine.relu(1.0 + -label * a[0]))
    total = losses[0]
    for term in losses[1:]:
        total = total + term
    return total * (1.0 / len(losses)), [w for layer in layers for row in layer for w in row]


def w1_mlp_hinge(engine: Engine, points, labels, parameters) -> tuple[float, list[float]]:
    """W1 with a dynamic engine: build, backward; returns (loss, every parameter's gradient)."""
    loss, leaves = w1_graph(engine, points, labels, parameters)
    engine.backward(loss)
    return engine.data(loss), [engine.grad(w) for w in leaves]


def hvp_direction(n: int, seed: int = 3) -> list[float]:
    """W5's fixed direction v, one number per parameter, uniform in [−1, 1]."""
    rng = random.Random(seed)
    return [rng.uniform(-1.0, 1.0) for _ in range(n)]


def w5_hessian_vector(
    engine: Engine, points, labels, parameters, direction: list[float]
) -> tuple[float, list[float], list[float]]:
    """W5: build W1, g = ∂loss/∂θ recorded as a graph, then Hv = ∂(Σᵢ gᵢ·vᵢ)/∂θ.

    Returns (loss, g, Hv) as floats. Σᵢ gᵢ·vᵢ is added left to right, the same in every engine.
    """
    assert engine.gradient is not None, f"{engine.name} has no higher-order gradients"
    loss, leaves = w1_graph(engine, points, labels, parameters)
    g = engine.gradient(loss, leaves, True)
    total = g[0] * direction[0]
    for g_i, v_i in zip(g[1:], direction[1:], strict=True):
        total = total + g_i * v_i
    hv = engine.gradient(total, leaves, False)
    return engine.data(loss), [engine.data(x) for x in g], [engine.data(x) for x in hv]


def w1_replay(engine: Engine, points, labels, parameters) -> Callable[[], tuple]:
    """W1 traced once with chainrule; the returned run replays forward + backward only."""
    from chainrule.engine import Replay, zero_grad

    loss, leaves = w1_graph(engine, points, labels, parameters)
    replay = Replay(loss)

    def run() -> tuple[float, list[float]]:
        zero_grad(leaves)
        value = replay.run()
        return value, [w.grad for w in leaves]

    return run


def w1_flat_lists(points, labels, parameters) -> tuple[float, list[float]]:
    """W1 by hand on plain floats: no object per node, the pure-Python limit."""
    n = len(points)
    grads = [[[0.0] * len(row) for row in layer] for layer in parameters]
    total = 0.0
    for (x0, x1), label in zip(points, labels, strict=True):
        activations = [[x0, x1]]
        pre = []
        for depth, layer in enumerate(parameters):
            a = activations[-1]
            z = [row[-1] + sum(w * a_k for w, a_k in zip(row, a, strict=False)) for row in layer]
            pre.append(z)
            last = depth == len(parameters) - 1
            activations.append(z if last else [max(v, 0.0) for v in z])
        margin = 1.0 - label * activations[-1][0]
        if margin <= 0.0:
            continue
        total += margin
        delta = [-label / n]
        for depth in range(len(parameters) - 1, -1, -1):
            a = activations[depth]
            for j in range(len(parameters[depth])):
                g = grads[depth][j]
                for k, a_k in enumerate(a):
                    g[k] += delta[j] * a_k
                g[-1] += delta[j]
            if depth:
                rows = parameters[depth]
                back = [
                    sum(d * row[k] for d, row in zip(delta, rows, strict=True))
                    for k in range(len(a))
                ]
                delta = [d if z > 0.0 else 0.0 for d, z in zip(back, pre[depth - 1], strict=True)]
    return total / n, [g for layer in grads for row in layer for g in row]


def w2_chain(engine: Engine, steps: int) -> float:
    """∂v_N/∂v_0 for v ← v·1.0001 + 0.0001 repeated ``steps`` times."""
    v0 = engine.leaf(1.0)
    v = v0
    for _ in range(steps):
        v = v * 1.0001 + 0.0001
    engine.backward(v)
    return engine.grad(v0)


def pairwise_sum(terms: list[Any]) -> Any:
    """Σ terms as a balanced tree of additions (depth log₂ n)."""
    while len(terms) > 1:
        paired = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            paired.append(terms[-1])
        terms = paired
    return terms[0]


def product_inputs(n: int, seed: int = 2) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    return [rng.uniform(-1, 1) for _ in range(n)], [rng.uniform(-1, 1) for _ in range(n)]


def w4_sum_of_products(engine: Engine, a_data: list[float], b_data: list[float]) -> tuple:
    """s = Σ a_i·b_i; returns (s, ∂s/∂a_i for every i), which is b_i."""
    a = [engine.leaf(x) for x in a_data]
    b = [engine.leaf(x) for x in b_data]
    s = pairwise_sum([x * y for x, y in zip(a, b, strict=True)])
    engine.backward(s)
    return engine.data(s), [engine.grad(x) for x in a]


def w4_flat_lists(a_data: list[float], b_data: list[float]) -> tuple[float, list[float]]:
    """W4 by hand on plain floats: no object per node, the pure-Python limit.

    Every addition passes its upstream gradient 1 down unchanged, so each
    product gets 1 and ∂s/∂a_i = b_i · 1.
    """
    s = pairwise_sum([x * y for x, y in zip(a_data, b_data, strict=True)])
    upstream = 1.0
    return s, [y * upstream for y in b_data]
