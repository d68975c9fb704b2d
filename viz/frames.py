"""``backward_frames``: backprop as a flip-book, one picture per chain-rule step.

Frame 0 is the forward pass (data everywhere, no gradient yet). Frame ``k``
is the graph right after step ``k`` of ``root.backward_steps()``: the edge
that step used and its two nodes are highlighted in magenta, every grad
computed so far is filled in, and the caption is the step's sentence, e.g.
``x1.grad += -3.0 × 0.5 = -1.5   (∂x1w1/∂x1 = w1)``.

All frames share one layout: every number is printed in a monospace font and
padded to the widest it gets in any frame, so nodes never move while stepping.
An edge from a constant is not a step (no gradient flows into a constant), so
there are ``1 +`` (number of edges into non-constants) frames.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..engine import Value, describe_step, name_of, node_names
from ..engine.i18n import message
from ..nn import MLP
from .diagram import DEFAULT_MAX_NODES, Diagram, in_language
from .graph_diagram import (
    Edge,
    GradientState,
    GraphScene,
    Highlight,
    TextWidths,
    carried_text,
    grad_text,
)
from .markup import caption, renames
from .style import largest_magnitude


@dataclass(frozen=True)
class StepThrough:
    """The frames of one backward pass and the caption of each (``captions[0]`` is the intro)."""

    diagrams: list[Diagram]
    captions: list[str]


@in_language
def backward_frames(
    root: Value,
    *,
    model: MLP | None = None,
    rankdir: str = "LR",
    params: Iterable[Value] | None = None,
    legend: bool = False,
    max_nodes: int = DEFAULT_MAX_NODES,
    highlight: Iterable[Highlight] = (),
    lang: str | None = None,
) -> list[Diagram]:
    """Run backward on ``root`` one step at a time and draw the graph after every step.

    Returns ``steps + 1`` diagrams: the forward-only state, then one per step
    of ``root.backward_steps()``, each captioned with that step's chain-rule
    sentence. This *is* a backward pass: afterwards every grad is what
    ``root.backward()`` would have left. Options are those of ``draw_graph``,
    ``lang`` among them (the captions' and the legend's language: ``"en"`` or ``"zh"``).

        >>> from chainrule.engine import Value
        >>> from chainrule.viz import backward_frames
        >>> x = Value(3.0, "x")
        >>> len(backward_frames(x * x))   # forward + one frame per edge of x·x
        3
    """
    return step_through(
        root,
        model=model,
        rankdir=rankdir,
        params=params,
        legend=legend,
        max_nodes=max_nodes,
        highlight=highlight,
    ).diagrams


def step_through(
    root: Value,
    *,
    model: MLP | None = None,
    rankdir: str = "LR",
    params: Iterable[Value] | None = None,
    legend: bool = False,
    max_nodes: int = DEFAULT_MAX_NODES,
    captions_in_diagrams: bool = True,
    highlight: Iterable[Highlight] = (),
) -> StepThrough:
    """Frames and captions; with ``captions_in_diagrams=False`` the captions are left to the page.

    Every SVG id of frame ``k`` starts with ``f{k}-``, so all frames can live in one HTML page.
    The captions are as shown (:func:`viz.markup.caption`): visible, each label in them cut
    like a label.
    """
    scene = GraphScene(
        root,
        model=model,
        params=params,
        rankdir=rankdir,
        max_nodes=max_nodes,
        caller="backward_frames",
        highlight=highlight,
    )
    states, sentences = _record_backward(root, node_names(scene.order))
    names = renames(
        [node.label for node in scene.order]
        + [node.op.name for node in scene.order if node.op is not None]
    )
    captions = [caption(sentence, names) for sentence in sentences]
    widths = _widths(scene, states)
    largest = largest_magnitude(
        [carried for state in states for _, carried in state.carried.values()]
        + [grad for state in states for grad in state.grads.values()]
    )
    diagrams = [
        scene.draw(
            state,
            caption=caption if captions_in_diagrams else "",
            legend=legend,
            widths=widths,
            largest=largest,
            prefix=f"f{number}-",
        )
        for number, (state, caption) in enumerate(zip(states, captions, strict=True))
    ]
    return StepThrough(diagrams, captions)


def _record_backward(root: Value, names: dict[Value, str]) -> tuple[list[GradientState], list[str]]:
    """Run ``root.backward_steps()`` to the end, keeping what is known after each step.

    Each step is told with the nodes' ``names``, the names in their boxes (``t1``), in the
    current language.
    """
    states = [GradientState(grads={}, carried={})]
    steps = []
    grads: dict[Value, float] = {}
    carried: dict[Edge, tuple[float, float]] = {}
    for step in root.backward_steps():
        grads.setdefault(root, root.grad)
        grads[step.parent] = step.parent_grad
        carried[(step.node, step.operand)] = (step.upstream_grad, step.contribution)
        states.append(GradientState(grads=dict(grads), carried=dict(carried), active=step))
        steps.append(step)
    intro = message("diagram.frames_intro", name=name_of(root, names=names))
    total = len(steps)
    captions = [intro] + [
        message("diagram.frames_step", k=k, total=total, sentence=describe_step(step, names))
        for k, step in enumerate(steps, 1)
    ]
    return states, captions


def _widths(scene: GraphScene, states: list[GradientState]) -> TextWidths:
    """The widest text each grad cell and edge label reaches over all frames."""
    final = states[-1]
    return TextWidths(
        grads={
            node: max(len(grad_text(state.grads.get(node))) for state in states)
            for node in scene.order
            if not node.is_constant
        },
        carried={edge: len(carried_text(entry)) for edge, entry in final.carried.items()},
    )
