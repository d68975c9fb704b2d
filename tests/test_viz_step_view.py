"""The step-through page's view in headless Chromium: fit, follow, the overview frames, phones.

Issue #18, item 1: a zoom a learner can trust. Fit stays through the steps until the learner
zooms, pans or turns Follow on; following moves the view only when the active edge leaves it,
at the learner's zoom; the frame that starts the forward pass and the summary show every node;
on a 390-pixel phone the active node's box, numbers included, is inside the picture at every
step; a small graph opens whole, a big one on its first frame.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chainrule.engine import Value, topological_order
from chainrule.nn import MLP, mse_loss
from chainrule.viz import write_step_through
from selenium.webdriver.common.keys import Keys

from tests.graphs import neuron
from tests.headless_chromium import emulate_screen
from tests.page_helpers import open_page

pytestmark = [pytest.mark.needs_chromium, pytest.mark.pages]

ACTIVE = "#c026d3"  # the active node's frame (viz/web/view.js)


def mlp_231() -> Value:
    model = MLP(2, [3, 1], seed=1)
    loss = mse_loss(model([Value(0.5, "x[0]"), Value(-1.5, "x[1]")]), Value(0.25, "y"))
    loss.label = "C"
    return loss


def square_loss() -> Value:
    """``chainrule step "0.5*(a-y)**2" --set a=0.8 --set y=1``."""
    a, y = Value(0.8, "a"), Value(1.0, "y")
    return 0.5 * (a - y) ** 2


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("view")
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    big = MLP(2, [8, 8, 1], seed=0)
    big_loss = mse_loss(big([0.5, -1.0]), 0.25)
    nodes = len(topological_order(big_loss))
    return {
        "neuron": write_step_through(neuron(), folder / "neuron.html"),
        "mlp": write_step_through(mlp_231(), folder / "mlp.html"),
        "square": write_step_through(square_loss(), folder / "square.html"),
        "small": write_step_through(x * w, folder / "small.html"),
        "big": write_step_through(big_loss, folder / "big.html", max_nodes=nodes),
    }


def view(browser) -> dict:
    return browser.execute_script("return window.chainrule.view()")


def click(browser, element_id: str) -> None:
    browser.find_element("id", element_id).click()


SHOWN = """
const svg = document.querySelector('#picture svg').getBoundingClientRect();
const inside = r => r.left >= svg.left - 0.5 && r.right <= svg.right + 0.5
  && r.top >= svg.top - 0.5 && r.bottom <= svg.bottom + 0.5;
"""

EVERY_NODE_SHOWN = (
    SHOWN
    + """
return Array.from(document.querySelectorAll('#picture g.node'))
  .filter(g => !inside(g.getBoundingClientRect())).map(g => g.id);
"""
)

ACTIVE_NODE_EVERY_FRAME = (
    SHOWN
    + """
// the active node: the one a forward frame computes, the parent a backward step writes
// the grad of (of the two lit nodes, the first in topological order); every frame
const outside = [];
for (let k = 0; k < window.chainrule.frameCount(); k += 1) {
  window.chainrule.goto(k);
  const lit = Array.from(document.querySelectorAll('#picture g.node[id^=v]'))
    .filter(g => g.querySelector('path').getAttribute('stroke') === arguments[0])
    .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  if (!lit.length) { continue; }
  const r = lit[0].getBoundingClientRect();
  if (!inside(r)) {
    outside.push([k, lit[0].id, [r.left, r.top, r.right, r.bottom],
      [svg.left, svg.top, svg.right, svg.bottom]]);
  }
}
return outside;
"""
)


def test_fit_persists_across_next_until_the_learner_zooms(browser, pages):
    open_page(browser, pages["square"])
    click(browser, "zoom-fit")
    fitted = view(browser)
    assert fitted["fit"] is True and fitted["follow"] is False
    for _ in range(4):
        click(browser, "next")
        assert view(browser) == fitted
    browser.execute_script("window.chainrule.goto(arguments[0])", 9)
    assert view(browser) == fitted
    assert browser.execute_script(EVERY_NODE_SHOWN) == []
    click(browser, "zoom-in")
    zoomed = view(browser)
    assert zoomed["fit"] is False and zoomed["viewBox"][2] < fitted["viewBox"][2]
    assert browser.find_element("id", "zoom-fit").get_attribute("aria-pressed") == "false"


def test_the_follow_toggle_is_a_button_that_ends_fit_and_frames_the_step(browser, pages):
    open_page(browser, pages["mlp"])
    follow = browser.find_element("id", "follow")
    click(browser, "zoom-fit")
    assert follow.get_attribute("aria-pressed") == "false"
    browser.execute_script("window.chainrule.goto(arguments[0])", 40)
    whole = view(browser)
    follow.send_keys(Keys.ENTER)  # keyboard-usable: a button
    following = view(browser)
    assert following["follow"] is True and following["fit"] is False
    assert follow.get_attribute("aria-pressed") == "true"
    assert following["viewBox"][2] < whole["viewBox"][2]  # zoomed to the step, legible
    follow.send_keys(Keys.SPACE)
    assert view(browser)["follow"] is False and follow.get_attribute("aria-pressed") == "false"
    click(browser, "next")
    assert view(browser)["viewBox"] == following["viewBox"]  # not following: nothing moves
    assert browser.execute_script("return window.chainrule.follow(true)")["follow"] is True


def test_following_keeps_the_learners_zoom_and_moves_only_when_the_edge_leaves(browser, pages):
    open_page(browser, pages["mlp"])
    count = browser.execute_script("return window.chainrule.frameCount()")
    browser.execute_script("window.chainrule.goto(arguments[0])", count // 2)
    click(browser, "zoom-out")
    zoomed = view(browser)
    assert zoomed["follow"] is True and zoomed["fit"] is False
    stayed = moved = 0
    for _ in range(12):
        before = view(browser)["viewBox"]
        click(browser, "next")
        after = view(browser)["viewBox"]
        assert after[2:] == pytest.approx(zoomed["viewBox"][2:])  # the learner's zoom
        outside = browser.execute_script(
            SHOWN + "const edge = document.querySelector('#picture g.edge.active');"
            "return edge ? Array.from(edge.querySelectorAll('text'))"
            ".filter(t => !inside(t.getBoundingClientRect())).length : 0;"
        )
        assert outside == 0  # the active edge's label is in view
        if after == before:
            stayed += 1
        else:
            moved += 1
    assert stayed > 0  # an edge still in view moves nothing


@pytest.mark.parametrize("name", ["neuron", "mlp"])
def test_the_summary_and_the_frame_that_starts_the_forward_pass_show_every_node(
    browser, pages, name
):
    open_page(browser, pages[name], "#step=5")
    last = browser.execute_script("return window.chainrule.frameCount() - 1")
    browser.execute_script("window.chainrule.goto(arguments[0])", last)
    assert browser.execute_script(EVERY_NODE_SHOWN) == []
    box = view(browser)["viewBox"]
    full = browser.execute_script(
        "const b = document.querySelector('#picture svg g.graph').getBBox();"
        "return [b.x, b.y, b.width, b.height]"
    )
    assert box[2] >= full[2] and box[3] >= full[3]
    browser.execute_script("window.chainrule.goto(7)")
    assert browser.execute_script(EVERY_NODE_SHOWN) != []  # a step in between: zoomed in
    browser.find_element("tag name", "body").send_keys(Keys.HOME)
    assert browser.execute_script("return window.chainrule.frame().index") == 0
    assert browser.execute_script(EVERY_NODE_SHOWN) == []


@pytest.mark.parametrize("name", ["neuron", "mlp"])
def test_on_a_phone_the_active_node_and_its_numbers_are_in_view_at_every_step(browser, pages, name):
    phone = browser  # the fixture undoes the phone's screen after the test
    emulate_screen(phone, 390, 800)
    open_page(phone, pages[name])
    assert phone.execute_script(ACTIVE_NODE_EVERY_FRAME, ACTIVE) == []
    open_page(phone, pages[name], "#step=14")  # opened anywhere, too
    assert phone.execute_script(ACTIVE_NODE_EVERY_FRAME, ACTIVE) == []


def test_a_picture_resized_to_a_phone_frames_the_step_again(browser, pages):
    open_page(browser, pages["neuron"], "#step=12")  # at 1400 × 900, then the phone's size
    emulate_screen(browser, 390, 800)
    browser.execute_async_script(  # the ResizeObserver reports after the next layout
        "requestAnimationFrame(() => setTimeout(arguments[arguments.length - 1], 0))"
    )
    assert browser.execute_script("return window.chainrule.frame().index") == 12
    outside = browser.execute_script(
        SHOWN + "const lit = Array.from(document.querySelectorAll('#picture g.node[id^=v]'))"
        ".filter(g => g.querySelector('path').getAttribute('stroke') === arguments[0])"
        ".sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));"
        "return lit.length ? !inside(lit[0].getBoundingClientRect()) : 'none lit';",
        ACTIVE,
    )
    assert outside is False


def test_a_small_graph_opens_whole_and_a_big_one_on_its_first_frame(browser, pages):
    open_page(browser, pages["small"])
    opened = view(browser)
    assert opened["fit"] is True and opened["follow"] is False
    assert browser.execute_script(EVERY_NODE_SHOWN) == []
    open_page(browser, pages["big"])
    opened = view(browser)
    assert opened["fit"] is False and opened["follow"] is True
    hidden = browser.execute_script(EVERY_NODE_SHOWN)
    assert "v0" not in hidden and len(hidden) > 200  # node 0 legible, most of the graph not
    height = browser.execute_script(
        "return Math.min(...Array.from(document.querySelectorAll('#v0 text'))"
        ".map(t => t.getBoundingClientRect().height))"
    )
    assert height >= 10
