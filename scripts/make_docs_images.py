"""Regenerate the README's pictures in docs/images from what `chainrule demo` writes.

    .venv/bin/python scripts/make_docs_images.py

The demo's files: the neuron's graph after backward, the network view of the
2-3-1 MLP with its cost, the decision boundary on moons. The screenshots are the
demo's step-through page of the neuron in headless Chromium (Debian's
``chromium`` and ``chromium-driver``): at a backward step on a 1400×900 screen,
and on a 390-pixel phone. The playground is shown after 60 epochs on moons with x₁² and
x₂² as extra inputs. The second-order picture is ``draw_graph`` of ∂o/∂w for one neuron
o = tanh(x·w), recorded by ``grad(o, [w], create_graph=True)``, after its own backward().
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# importable once the repository is on the path
from chainrule.engine import Value, grad  # noqa: E402
from chainrule.viz import draw_graph, write_playground  # noqa: E402

from chainrule import demo  # noqa: E402
from tests.headless_chromium import emulate_screen, headless_chromium  # noqa: E402

IMAGES = ROOT / "docs" / "images"
BACKWARD_STEP = 12
"""The frame shown: the third backward step of the neuron (10 forward frames come first)."""


def screenshots(page: Path) -> list[Path]:
    """The page at a backward step on a desktop screen, then on a phone."""
    shots = [IMAGES / "step_through.png", IMAGES / "step_through_phone.png"]
    with headless_chromium("1400,900") as driver:
        driver.get(f"{page.as_uri()}#step={BACKWARD_STEP}")
        driver.execute_script("window.chainrule.setLeaf('x1', 1.5)")  # a learner's what-if
        driver.save_screenshot(str(shots[0]))
    with headless_chromium("500,800") as driver:
        emulate_screen(driver, 390, 800)
        driver.get(f"{page.as_uri()}#step={BACKWARD_STEP}")
        driver.save_screenshot(str(shots[1]))
    return shots


def playground_screenshot(folder: Path) -> Path:
    """The playground after 600 mini-batch steps, with a training sample chosen."""
    shot = IMAGES / "playground.png"
    page = write_playground(
        folder / "playground.html", hidden=(6, 4), features=("x1", "x2", "x1sq", "x2sq")
    )
    with headless_chromium("1400,930") as driver:
        driver.get(page.as_uri())
        driver.execute_script("window.chainrule.train(600); window.chainrule.sample(3)")
        driver.save_screenshot(str(shot))
    return shot


def second_order_picture() -> Path:
    """The backward pass made visible: ∂o/∂w as a graph, then differentiated again."""
    x, w = Value(2.0, "x"), Value(-0.4406867935097715, "w")  # tanh(x·w) = −1/√2
    n = x * w
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    (dw,) = grad(o, [w], create_graph=True)
    dw.label = "∂o/∂w"
    dw.backward()  # the backward pass of the derivative: w.grad = ∂²o/∂w²
    caption = (
        "∂o/∂w of o = tanh(x·w), recorded by grad(o, [w], create_graph=True),\n"
        "then its own backward(): w.grad = ∂²o/∂w², x.grad = ∂²o/∂x∂w"
    )
    target = IMAGES / "second_order.svg"
    target.write_bytes(draw_graph(dw, legend=True, caption=caption).pipe(format="svg"))
    return target


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        demo.run(out, out=io.StringIO())
        for name in ("neuron_graph.svg", "network.svg", "decision_boundary.png"):
            print(shutil.copyfile(out / name, IMAGES / name))
        for shot in screenshots(out / "neuron_step_through.html"):
            print(shot)
        print(playground_screenshot(out))
    print(second_order_picture())


if __name__ == "__main__":
    main()
