"""Replay: the traced graph re-run on new numbers gives the dynamic engine's gradients exactly."""

import contextlib
import math
import random
from itertools import pairwise

import pytest
from chainrule.engine import (
    NumberOverflowError,
    Replay,
    Value,
    define_op,
    fast,
    topological_order,
    zero_grad,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.expression_strategies import expressions, forward, function_of, points


def mlp_hinge(points_, labels, parameters):
    """W1 of the benchmarks: MLP(2, [16, 16, 1]), ReLU hidden layers, mean hinge loss.

    Returns (loss, parameter leaves, input leaves, label leaves); labels are leaves
    (not constants) so that a replay can be fed new ones.
    """
    layers = [[[Value(w) for w in row] for row in layer] for layer in parameters]
    inputs, label_leaves, losses = [], [], []
    for (x0, x1), label in zip(points_, labels, strict=True):
        a = [Value(x0), Value(x1)]
        y = Value(label)
        inputs.append(a)
        label_leaves.append(y)
        for depth, layer in enumerate(layers, start=1):
            out = []
            for row in layer:
                z = row[-1]
                for w, a_k in zip(row[:-1], a, strict=True):
                    z = z + w * a_k
                out.append(z if depth == len(layers) else z.relu())
            a = out
        losses.append((1.0 - y * a[0]).relu())
    total = losses[0]
    for term in losses[1:]:
        total = total + term
    params = [w for layer in layers for row in layer for w in row]
    return total * (1.0 / len(losses)), params, inputs, label_leaves


def w1_data(seed):
    rng = random.Random(seed)
    sizes = (2, 16, 16, 1)
    parameters = [
        [[rng.uniform(-1, 1) for _ in range(nin + 1)] for _ in range(nout)]
        for nin, nout in pairwise(sizes)
    ]
    pts = [(rng.uniform(-1.5, 2.5), rng.uniform(-1, 1.5)) for _ in range(100)]
    labels = [rng.choice((-1.0, 1.0)) for _ in range(100)]
    return parameters, pts, labels


def test_w1_replay_matches_the_dynamic_engine_bit_for_bit_on_new_inputs():
    parameters, pts, labels = w1_data(0)
    loss, params, inputs, label_leaves = mlp_hinge(pts, labels, parameters)
    replay = Replay(loss)
    assert len(replay) == len(topological_order(loss)) > 60_000
    for seed in (1, 2):  # new weights, new points and new labels: relu branches flip
        new_parameters, new_pts, new_labels = w1_data(seed)
        expected, expected_params, _, _ = mlp_hinge(new_pts, new_labels, new_parameters)
        expected.backward()
        for leaf, w in zip(
            params, [w for layer in new_parameters for row in layer for w in row], strict=True
        ):
            leaf.data = w
        for a, (x0, x1) in zip(inputs, new_pts, strict=True):
            a[0].data, a[1].data = x0, x1
        for y, label in zip(label_leaves, new_labels, strict=True):
            y.data = label
        zero_grad(params)
        assert replay.run() == expected.data
        assert [p.grad for p in params] == [p.grad for p in expected_params]


@settings(max_examples=200, deadline=None)
@given(expressions, points, points)
def test_random_expressions_replay_exactly_at_the_traced_point_and_at_a_new_one(expr, p0, p1):
    f = function_of(expr)
    inputs, out = forward(f, p0)
    replay = Replay(out)
    out.backward()
    traced_grads = [x.grad for x in inputs]
    zero_grad(inputs)
    assert replay.run() == out.data
    assert [x.grad for x in inputs] == traced_grads

    new_inputs, new_out = forward(f, p1)  # the same graph, built anew at another point
    new_out.backward()
    for x, value in zip(inputs, p1, strict=True):
        x.data, x.grad = value, 0.0
    assert replay.run() == new_out.data
    assert [x.grad for x in inputs] == [x.grad for x in new_inputs]


def test_leaves_accumulate_like_repeated_backward_calls():
    x, w = Value(0.7, "x"), Value(-1.3, "w")
    y = (x * w).tanh() * x
    replay = Replay(y)
    y.backward()
    y.backward()
    twice = (x.grad, w.grad)
    zero_grad([x, w])
    replay.run()
    replay.run()
    assert (x.grad, w.grad) == twice


def test_forward_only_and_the_root_value():
    x = Value(2.0)
    replay = Replay((x * x).exp())
    x.data = 0.5
    assert replay.forward() == pytest.approx(1.2840254166877414, rel=1e-15)
    assert replay.value == replay.forward()
    assert x.grad == 0.0


def test_value_of_reads_an_intermediate_node_as_replayed():
    x = Value(2.0)
    square = x * x
    replay = Replay(square + 1.0)
    x.data = 3.0
    replay.run()
    assert replay.value_of(square) == 9.0
    assert square.data == 4.0  # the node itself keeps its traced value
    with pytest.raises(ValueError, match="not a node of this traced graph"):
        replay.value_of(Value(9.0))


def test_a_leaf_root_replays_like_backward():
    x = Value(3.0)
    replay = Replay(x)
    x.data = 4.0
    assert replay.run() == 4.0 and x.grad == 1.0


def test_domain_errors_are_raised_at_replay_time_naming_the_op():
    x = Value(2.0, "x")
    replay = Replay(x.log() + 1 / x)
    x.data = -1.0
    with pytest.raises(ValueError, match=r"log needs a positive input.*\(in log of x = -1\.0\)"):
        replay.run()
    x.data = 0.0
    with pytest.raises((ValueError, ZeroDivisionError)):
        replay.run()


def test_hand_made_ops_and_non_values_are_refused():
    x = Value(2.0)
    cube = Value(8.0, parents=(x,), local_grads=(12.0,), op="cube")
    with pytest.raises(ValueError, match="cannot replay the op 'cube'"):
        Replay(cube * 2)
    with pytest.raises(TypeError, match="float"):
        Replay(2.0)


@given(st.floats(-3, 3), st.floats(-3, 3))
def test_relu_branches_are_re_evaluated(a, b):
    assume(abs(a) > 1e-9 and abs(b) > 1e-9)
    x = Value(a)
    replay = Replay((x * 2).relu())
    x.data = b
    replay.run()
    assert x.grad == (2.0 if b > 0 else 0.0)


@pytest.mark.parametrize("path", [fast.plain, contextlib.nullcontext], ids=["plain", "fast"])
def test_a_replayed_overflow_is_said_in_the_ops_words_with_its_attrs(table, path):
    steep = define_op(
        "steep",
        lambda a, k: [a * k, math.inf if a > 2.0 else k],
        attrs=["k"],
        overflow="k = {k} makes it too steep",
    )
    x = Value(1.0, "x")
    with path():
        replay = Replay(steep(x, k=3))
        x.data = 5.0
        with pytest.raises(NumberOverflowError, match=r"^k = 3 makes it too steep \(in steep"):
            replay.forward()


def test_a_replayed_leaf_alone_accumulates_as_its_backward_does():
    x, y = Value(2.0, "x"), Value(2.0, "y")
    replay = Replay(x)
    for _ in range(2):
        replay.backward()
        y.backward()
    assert x.grad == y.grad == 2.0


def test_identity_is_replayed_with_the_new_value():
    x = Value(2.0, "x")
    replay = Replay(x.identity() * 3.0)
    x.data = 5.0
    assert replay.run() == 15.0 and x.grad == 3.0


def test_a_node_made_by_hand_cannot_be_replayed_and_the_error_says_what_to_do():
    x = Value(1.0, "x")
    twice = Value(2.0, parents=(x,), local_grads=(1.0,), op="twice", label="y")
    with pytest.raises(ValueError) as caught:
        Replay(twice * 2.0)
    assert str(caught.value) == (
        "cannot replay the op 'twice' of Value(data=2.0, grad=0.0, label='y'): that node was "
        "made by hand (Value(…, parents=…, local_grads=…, op=…)), so nothing can recompute its "
        "local derivatives; define the op with define_op to replay it"
    )
