"""Pictures of backprop: computation graphs, the network view, and the step-through page.

    draw_graph(root)              the computation graph: data, grads, every edge's gradient;
                                  highlight=[node, (node, operand), …] draws some in red
    draw_network(model)           an nn.MLP neuron by neuron: z, a, δ, W and ∂C/∂W (BP1–BP4)
    backward_frames(root)         one diagram per chain-rule step of the backward pass
    step_through_page(root)       forward, backward and summary as one self-contained HTML
                                  page, where a learner can change any leaf (what-if)
    write_step_through(root, p)   that page, written to a file
    playground_config(...)        TensorFlow Playground's options, data and initial weights,
                                  as the playground page embeds them
    write_playground(p, ...)      the playground: one offline page that trains a network
                                  step by step, with δ, ∂C/∂W and BP1–BP4 for any point
    render(diagram, path)         SVG or PNG through Graphviz's dot, else pygraphviz
    draw_legend()                 the colour legend on its own

``model=`` (an ``nn.MLP``) boxes a graph one layer each and colours the model's
parameters, for ``draw_graph``, ``backward_frames`` and the step-through page;
without it, ``params=`` names the parameters. Colours mean the same everywhere;
:mod:`viz.style` explains them. ``lang="zh"`` on ``draw_graph``, ``draw_network``,
``draw_legend`` and ``backward_frames`` writes their words in Chinese (default: the
current language, ``chainrule.set_language``); the numbers and formulas stay the same.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from chainrule.engine import Value
    >>> from chainrule.viz import draw_graph, render
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> y = (x * w).tanh()
    >>> y.backward()
    >>> with tempfile.TemporaryDirectory() as folder:   # or any folder of yours
    ...     print(render(draw_graph(y, legend=True), Path(folder) / "y.png").name)
    y.png
"""

from .diagram import DEFAULT_MAX_NODES, Diagram, GraphTooLargeError
from .frames import backward_frames
from .graph_diagram import draw_graph, draw_legend
from .network_diagram import draw_network
from .playground import playground_config, playground_page, write_playground
from .rendering import GraphvizNotFoundError, render
from .step_page import StepThroughPage, step_through_page, write_step_through

__all__ = [
    "DEFAULT_MAX_NODES",
    "Diagram",
    "GraphTooLargeError",
    "GraphvizNotFoundError",
    "StepThroughPage",
    "backward_frames",
    "draw_graph",
    "draw_legend",
    "draw_network",
    "playground_config",
    "playground_page",
    "render",
    "step_through_page",
    "write_playground",
    "write_step_through",
]
