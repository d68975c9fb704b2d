"""``chainrule demo``: the whole story of docs/backprop.md in under a minute.

1. One neuron, o = tanh(x1·w1 + x2·w2 + b): forward, then backward one
   chain-rule sentence per edge.
2. A 2-3-1 sigmoid MLP on one sample with C = ½‖a^L − y‖²: BP1–BP4 by hand
   next to autograd.
3. An MLP trained on moons.
4. The pictures and the model, written to a folder, and the playground: a page where the
   learner trains a network of their own, every gradient visible.

A machine that cannot draw (no Graphviz ``dot``, no pygraphviz from ``chainrule[render]``)
still gets the story and every other file: the pictures it skipped are listed at the end,
with what to install, and the exit status is 0.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from chainrule import bp_check_command, training
from chainrule.engine import Value
from chainrule.engine.i18n import message
from chainrule.nn import MLP, bp_check
from chainrule.outputs import Outputs, check_output_folder
from chainrule.step_command import print_forward, walk_steps
from chainrule.terminal import Style, padded
from chainrule.viz import draw_graph, draw_network, playground_page, render, write_step_through

RULE = "─" * 78


def neuron_with_parameters() -> tuple[Value, list[Value]]:
    """The classic first neuron o = tanh(x1·w1 + x2·w2 + b), every node named, and [w1, w2, b].

    Passed as ``params=``, w1, w2 and b are drawn as parameters; x1 and x2 stay inputs.
    """
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    x1w1.label, x2w2.label = "x1w1", "x2w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [w1, w2, b]


def _heading(number: int, text: str, out: TextIO, style: Style) -> None:
    print(f"\n{style(RULE, 'dim')}\n{style(f'{number}. {text}', 'bold')}", file=out)


FILES = {
    "neuron_graph": "neuron_graph.svg",
    "step_through": "neuron_step_through.html",
    "network": "network.svg",
    "playground": "playground.html",
}
"""What the demo writes besides the training run's files (see :data:`training.FILES`), by
the name of the message that says what each is (``terminal.demo_file_<name>``)."""
PLAYGROUND = "playground"
NEURON = "o = tanh(x1·w1 + x2·w2 + b)"


def part_neuron(files: dict[str, Path], outputs: Outputs, out: TextIO, style: Style) -> None:
    _heading(1, message("terminal.demo_neuron", formula=NEURON), out, style)
    o, params = neuron_with_parameters()
    names = print_forward(o, out, style)
    heading = message("terminal.demo_backward", rule="parent.grad += ∂node/∂parent × node.grad")
    print(style("\n" + heading, "bold"), file=out)
    walk_steps(list(o.backward_steps()), out, style, keys=None, names=names)
    fresh, fresh_params = neuron_with_parameters()
    graph = draw_graph(o, params=params)
    outputs.stage_picture(files["neuron_graph"], lambda path: render(graph, path, format="svg"))
    outputs.stage_picture(
        files["step_through"],
        lambda path: write_step_through(fresh, path, title=NEURON, params=fresh_params),
    )


def part_bp_equations(files: dict[str, Path], outputs: Outputs, out: TextIO, style: Style) -> None:
    _heading(2, message("terminal.demo_mlp"), out, style)
    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
    x, y = bp_check_command.random_sample(model, seed=1)
    print(f"x = [{x[0]:.4g}, {x[1]:.4g}], y = [{y[0]:.4g}], C = ½‖a² − y‖²", file=out)
    bp_check_command.print_bp_check(bp_check(model, x, y), out, style)
    network = draw_network(model, target=y)  # y and C = ½‖a² − y‖² close the picture
    outputs.stage_picture(
        files["network"],
        lambda path: render(network, path, format="svg"),
    )


def part_training(
    files: dict[str, Path], outputs: Outputs, out: TextIO, style: Style
) -> dict[str, Path]:
    heading = message("terminal.demo_training", model="MLP(2, [16, 16, 1])", data="moons")
    _heading(3, heading, out, style)
    result = training.train(training.TrainingRun(), files, outputs, out)
    return {
        "boundary": result.files["decision boundary"],
        "curves": result.files["training curves"],
        "model": result.files["model"],
    }


def run(out_dir: Path, out: TextIO = sys.stdout, *, force: bool = False) -> int:
    """Tell the story, write the files, print where they are; returns the exit status.

    Every file is checked before the story starts (see :mod:`chainrule.outputs`): an
    existing one is overwritten only with ``force``. Pictures that cannot be drawn here
    are listed after the files written.
    """
    style = Style.for_stream(out)
    outputs = Outputs(force=force)
    check_output_folder(out_dir, "--out")
    files = {what: outputs.claim(out_dir / name, "--out") for what, name in FILES.items()}
    training_files = training.claim_files(out_dir, outputs)
    with outputs:
        part_neuron(files, outputs, out, style)
        part_bp_equations(files, outputs, out, style)
        trained = part_training(training_files, outputs, out, style)
        page = playground_page()
        outputs.stage(files[PLAYGROUND], lambda path: path.write_text(page, encoding="utf-8"))
        outputs.commit()
    _heading(4, message("terminal.demo_files", folder=out_dir), out, style)
    ours = {what: path for what, path in files.items() if what != PLAYGROUND}
    for what, path in (ours | trained | {PLAYGROUND: files[PLAYGROUND]}).items():
        if path not in outputs.skipped:
            print(f"  {padded(message('terminal.demo_file_' + what), 34)} {path}", file=out)
    if outputs.skipped:
        print(f"\n{outputs.skipped_text()}", file=out)
    print("\n" + message("terminal.demo_open", page=files[PLAYGROUND].name), file=out)
    return 0
