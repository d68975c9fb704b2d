"""backward_frames: one diagram per chain-rule step, ending where backward() ends."""

from __future__ import annotations

import re

import pytest
from chainrule.engine import Value, describe_step, format_number, node_names, topological_order
from chainrule.nn import MLP, mse_loss
from chainrule.viz import backward_frames
from chainrule.viz.frames import step_through
from chainrule.viz.rendering import svg_texts
from chainrule.viz.style import FILL, Role

from tests.graphs import neuron


def grads(root: Value) -> list[float]:
    return [node.grad for node in topological_order(root)]


def grad_cells(source: str) -> list[str]:
    """The text of every grad cell of a frame, in node order (padding removed)."""
    return [re.sub(r"(&#160;)+$", "", cell) for cell in re.findall(r">(grad [^<]*)<", source)]


@pytest.mark.parametrize(
    "build",
    [
        neuron,
        lambda: Value(3.0, "x") * Value(3.0, "x"),
        lambda: mse_loss(MLP(2, [3, 1], seed=0)([1.0, -2.0]), 1.0),
        lambda: 2 * Value(3.0, "x") + 1,
    ],
    ids=["neuron", "product", "mlp", "constants"],
)
def test_one_frame_per_step_plus_the_forward_frame(build) -> None:
    steps = len(list(build().backward_steps()))
    assert len(backward_frames(build())) == steps + 1


def test_edges_into_constants_are_not_steps_and_constants_never_get_a_grad() -> None:
    # y = 2·x + 1 has four edges, two of them from the constants 2 and 1:
    # 2 steps (y → 2·x, 2·x → x), so 3 frames, and x.grad = 2 at the end
    x = Value(3.0, "x")
    y = 2 * x + 1
    frames = backward_frames(y)
    assert len(frames) == 3
    assert x.grad == 2.0
    order = topological_order(y)
    constants = [order.index(node) for node in order if node.is_constant]
    for frame in frames:
        # three grad cells (x, 2·x, y): the constants' boxes have none, not even "grad —"
        assert len(grad_cells(frame.source)) == 3
        for line in frame.source.splitlines():
            if any(re.search(rf"\bv{i} -> ", line) for i in constants):
                assert "×" not in line and "class=active" not in line
    assert "Step 2 of 2:" in frames[-1].source


def test_frames_given_the_model_are_boxed_by_layer_with_its_parameters_green() -> None:
    model = MLP(2, [2, 1], seed=0)
    frames = backward_frames(mse_loss(model([1.0, -2.0]), 1.0), model=model)
    parameter_fill = f'BGCOLOR="{FILL[Role.PARAMETER]}"'
    for frame in frames:
        boxes = re.findall(r"subgraph (cluster_layer\d+)", frame.source)
        assert boxes == ["cluster_layer0", "cluster_layer1", "cluster_layer2"]
        assert frame.source.count(parameter_fill) == len(model.parameters())
    plain = backward_frames(mse_loss(model([1.0, -2.0]), 1.0))
    assert all("cluster_layer" not in f.source and parameter_fill not in f.source for f in plain)


def test_last_frame_and_graph_end_with_the_grads_of_backward() -> None:
    reference, stepped = neuron(), neuron()
    reference.backward()
    frames = backward_frames(stepped)
    assert grads(stepped) == grads(reference)
    assert grad_cells(frames[-1].source) == [f"grad {format_number(g)}" for g in grads(reference)]


def test_the_first_frame_is_forward_only_and_grads_fill_in_step_by_step() -> None:
    frames = backward_frames(neuron())
    assert set(grad_cells(frames[0].source)) == {"grad —"}
    assert "Forward pass done" in frames[0].source
    unknown = [cells.count("grad —") for cells in map(grad_cells, (f.source for f in frames))]
    assert unknown == sorted(unknown, reverse=True)
    assert unknown[-1] == 0


def test_each_frame_highlights_its_step_and_is_captioned_with_it() -> None:
    root = neuron()
    fresh = neuron()
    names = node_names(topological_order(fresh))  # t1, t2 … as in the boxes
    steps = [describe_step(step, names) for step in fresh.backward_steps()]
    frames = backward_frames(root)
    for number, (frame, sentence) in enumerate(zip(frames[1:], steps, strict=True), start=1):
        assert f"Step {number} of {len(steps)}:" in frame.source
        assert sentence.split("   ")[0].replace(">", "&gt;") in frame.source
        active = re.findall(r'class=active[^\n]*? id="f\d+-([a-z]+)\d', frame.source)
        kinds = sorted(active)
        assert kinds == ["e", "op", "v", "v"], kinds  # the edge, its operation, both ends
    assert "class=active" not in frames[0].source


@pytest.mark.needs_dot
def test_all_frames_share_one_layout() -> None:
    frames = step_through(neuron(), captions_in_diagrams=False)
    svgs = svg_texts(frames.diagrams)

    def geometry(svg: str) -> list[str]:
        return re.findall(r'<g id="f\d+-(?:v|op)\d+".*?points="([^"]+)"', svg, re.S)

    assert len({tuple(geometry(svg)) for svg in svgs}) == 1
    assert len({re.search(r'viewBox="[^"]+"', svg).group() for svg in svgs}) == 1


def test_a_leaf_root_has_only_the_forward_frame() -> None:
    assert len(backward_frames(Value(1.0, "x"))) == 1


def test_bad_input_gets_a_specific_error_and_leaves_grads_alone() -> None:
    root = neuron()
    with pytest.raises(TypeError, match="root Value"):
        backward_frames([root])
    with pytest.raises(ValueError, match="rankdir"):
        backward_frames(root, rankdir="sideways")
    assert set(grads(root)) == {0.0}
