"""``chainrule bugs``: each classic mistake computed for real, next to chainrule's right answer.

Every wrong number comes from the code in chainrule/bugs/broken.py that is broken on purpose, and
every right one from chainrule's own engine: the tests check both against the numbers the
gallery documents, against chainrule's backward on a graph built here, and (for a broken
local derivative) against gradcheck's central differences.

The tests at the end run ``python -m chainrule bugs`` and pass only once chainrule.cli
registers the command (``bugs.add_parser(commands)`` and ``"bugs": bugs.run``).
"""

from __future__ import annotations

import argparse
import doctest
import html
import json
import math
import re
import shutil
import sys
from pathlib import Path

import pytest
from chainrule.engine import OPS, Value, gradcheck, topological_order, zero_grad

from chainrule import bugs
from chainrule.bugs import broken, op_demos
from tests.cli_helpers import chainrule
from tests.headless_chromium import emulate_screen

ROOT = Path(__file__).resolve().parent.parent


def outcome(name: str) -> bugs.Outcome:
    return bugs.find(name).demo()


def grads(run: bugs.Run) -> dict[str, float | None]:
    return dict(run.grads)


# ---------------------------------------------------------------------------------------------
# Each bug: the broken code gives the documented wrong numbers, chainrule the right ones


def test_overwriting_keeps_one_share_of_a_node_used_twice():
    a = Value(3.0, "a")
    b = a + a
    bugs.backward_overwriting(b)
    assert a.grad == 1.0  # ∂b/∂a with `=`: the second edge overwrote the first
    a = Value(3.0, "a")
    b = a + a
    b.backward()
    assert a.grad == 2.0
    shown = outcome("overwrite-grad")
    assert grads(shown.wrong[0]) == {"∂b/∂a": 1.0}
    assert grads(shown.right) == {"∂b/∂a": 2.0}


def test_overwriting_is_harmless_when_no_node_is_used_twice():
    """The bug needs a node with two consumers: on a tree, `=` and `+=` agree."""
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    o = (x * w).tanh()
    bugs.backward_overwriting(o)
    broken = (x.grad, w.grad)
    x2, w2 = Value(2.0, "x"), Value(-3.0, "w")
    (x2 * w2).tanh().backward()
    assert broken == (x2.grad, w2.grad)


def diamond() -> tuple[Value, Value, Value]:
    x = Value(2.0, "x")
    h = x * 3
    out = (h * 2) * (h + 1)
    return x, h, out


def test_a_depth_first_order_passes_on_a_partial_gradient_in_a_diamond():
    x, h, out = diamond()
    bugs.backward_depth_first(out)
    assert x.grad == 42.0  # 3 × 14: h passed on p's share only
    assert h.grad == 26.0  # h itself did get both shares, too late
    x, h, out = diamond()
    out.backward()
    assert x.grad == 78.0  # 3 × (7·2 + 12·1)
    shown = outcome("no-topo-order")
    assert grads(shown.wrong[0]) == {"∂L/∂p": 7.0, "∂L/∂q": 12.0, "∂L/∂h": 26.0, "∂L/∂x": 42.0}
    assert grads(shown.right) == {"∂L/∂p": 7.0, "∂L/∂q": 12.0, "∂L/∂h": 26.0, "∂L/∂x": 78.0}
    assert shown.differing(shown.wrong[0]) == ["∂L/∂x"]


def test_a_depth_first_order_is_right_on_a_chain():
    """Without a node of two consumers, every node is complete when the walk reaches it."""

    def chain_grad(backward) -> float:
        x = Value(0.5, "x")
        backward(((x * 3).tanh() + 1).exp())
        return x.grad

    assert chain_grad(bugs.backward_depth_first) == chain_grad(Value.backward)


def test_a_recursive_walk_raises_recursion_error_past_a_thousand_levels():
    assert sys.getrecursionlimit() < bugs.CHAIN_OPS, "the recursion limit was raised"
    x, v = bugs.chain(bugs.CHAIN_OPS)
    with pytest.raises(RecursionError):
        bugs.recursive_topological_order(v)
    with pytest.raises(RecursionError):
        bugs.backward_recursive(v)
    order = topological_order(v)  # chainrule's iterative walk
    assert len(order) == bugs.CHAIN_OPS + 1 and order[0] is x and order[-1] is v
    v.backward()
    assert x.grad == bugs.CHAIN_OPS + 1  # v is x added 2,001 times


def test_the_recursive_walk_itself_is_right_on_a_shallow_graph():
    x, v = bugs.chain(50)
    assert set(bugs.recursive_topological_order(v)) == set(topological_order(v))
    bugs.backward_recursive(v)
    assert x.grad == 51.0


def test_the_recursive_walk_shows_the_error_and_the_right_gradient():
    shown = outcome("recursive-walk")
    wrong = shown.wrong[0]
    assert wrong.error.startswith("RecursionError: maximum recursion depth exceeded")
    assert grads(wrong) == {"∂v/∂x": None}
    assert grads(shown.right) == {"∂v/∂x": 2001.0}
    assert len(topological_order(shown.right.root)) <= 2 * bugs.SAMPLE_OPS + 1  # drawable
    assert shown.wrong[0].root.grad == 0.0  # drawn forward-only: no gradient was computed


def test_without_zero_grad_the_second_step_gets_the_sum_of_both():
    shown = outcome("no-zero-grad")
    wrong, right = grads(shown.wrong[0]), grads(shown.right)
    assert wrong["∂loss1/∂w"] == right["∂loss1/∂w"] == -4.0
    assert right["∂loss2/∂w"] == pytest.approx(3.2)
    assert wrong["∂loss2/∂w"] == pytest.approx(-0.8)
    assert wrong["∂loss2/∂w"] == right["∂loss1/∂w"] + right["∂loss2/∂w"]
    # chainrule's own training loop, written here, gives the right numbers
    w = Value(1.0, "w")
    mine = []
    for x, y in bugs.BATCHES:
        if mine:
            w.data -= bugs.LEARNING_RATE * w.grad
        zero_grad([w])
        ((w * x - y) ** 2).backward()
        mine.append(w.grad)
    assert mine == [right["∂loss1/∂w"], right["∂loss2/∂w"]]


def test_without_zero_grad_every_step_adds_all_the_steps_before_it():
    w = Value(0.5, "w")
    batches = [(1.0, 2.0), (-1.0, 1.0), (2.0, 0.0)]
    steps = bugs.train_without_zero_grad(w, batches, 0.0)  # lr 0: w never changes
    own = [2 * (0.5 * x - y) * x for x, y in batches]
    assert [grad for _, grad in steps] == pytest.approx([sum(own[: k + 1]) for k in range(3)])


def neuron() -> tuple[dict[str, Value], Value]:
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(6.8813735870195432, "b")
    xw = x * w
    n = xw + b
    return {"n": n, "xw": xw, "x": x, "w": w, "b": b}, n.tanh()


def test_a_second_backward_without_a_reset_doubles_the_intermediates():
    nodes, o = neuron()
    bugs.backward_without_reset(o)
    once = {name: node.grad for name, node in nodes.items()}
    zero_grad([nodes["x"], nodes["w"], nodes["b"]])
    bugs.backward_without_reset(o)
    twice = {name: node.grad for name, node in nodes.items()}
    assert twice["n"] == 2 * once["n"]  # doubled
    assert twice["xw"] == 3 * once["xw"]  # its stale grad plus n's doubled share
    assert twice["x"] == 3 * once["x"] and twice["w"] == 3 * once["w"]
    # chainrule resets the operations: a second pass gives the first pass's numbers
    nodes, o = neuron()
    o.backward()
    right_once = {name: node.grad for name, node in nodes.items()}
    zero_grad([nodes["x"], nodes["w"], nodes["b"]])
    o.backward()
    assert {name: node.grad for name, node in nodes.items()} == right_once == once
    assert right_once["n"] == pytest.approx(0.5)
    shown = outcome("stale-intermediates")
    assert grads(shown.right) == {f"∂o/∂{name}": grad for name, grad in right_once.items()}
    assert grads(shown.wrong[0]) == {f"∂o/∂{name}": grad for name, grad in twice.items()}
    assert shown.wrong[0].grads["∂o/∂n"] == pytest.approx(1.0)


def test_the_sign_of_the_second_operand_of_a_subtraction():
    a, b = Value(5.0, "a"), Value(3.0, "b")
    d = bugs.broken_sub(a, b)
    assert d.data == 2.0
    d.backward()
    assert (a.grad, b.grad) == (1.0, 1.0)  # ∂d/∂b = +1: wrong
    a, b = Value(5.0, "a"), Value(3.0, "b")
    (a - b).backward()
    assert (a.grad, b.grad) == (1.0, -1.0)
    assert not gradcheck(bugs.broken_sub, 5.0, 3.0).ok  # central differences disagree
    assert gradcheck(lambda a, b: a - b, 5.0, 3.0).ok
    shown = outcome("sub-sign")
    assert grads(shown.wrong[0]) == {"∂d/∂a": 1.0, "∂d/∂b": 1.0}
    assert grads(shown.right) == {"∂d/∂a": 1.0, "∂d/∂b": -1.0}


def test_tanh_prime_written_with_the_input_instead_of_the_output():
    x, w = Value(1.0, "x"), Value(2.0, "w")
    o = bugs.broken_tanh(x * w)
    assert o.data == math.tanh(2.0)
    assert o.local_grads == (-3.0,)  # 1 − 2²
    o.backward()
    assert (x.grad, w.grad) == (-6.0, -3.0)
    x, w = Value(1.0, "x"), Value(2.0, "w")
    (x * w).tanh().backward()
    assert w.grad == pytest.approx(1 - math.tanh(2.0) ** 2) and w.grad > 0
    assert not gradcheck(bugs.broken_tanh, 2.0).ok
    assert bugs.broken_tanh(Value(0.0)).local_grads == Value(0.0).tanh().local_grads  # agree at 0
    shown = outcome("tanh-derivative")
    assert grads(shown.wrong[0]) == {"∂o/∂n": -3.0, "∂o/∂w": -3.0, "∂o/∂x": -6.0}
    assert grads(shown.right) == {"∂o/∂n": w.grad, "∂o/∂w": w.grad, "∂o/∂x": x.grad}


def test_relu_at_zero_is_a_convention_and_every_choice_is_a_subgradient():
    def at_zero(slope: float | None) -> dict[str, float]:
        x, w, b = Value(2.0, "x"), Value(1.5, "w"), Value(-3.0, "b")
        n = x * w + b
        assert n.data == 0.0
        y = n.relu() if slope is None else bugs.relu_with_slope_at_zero(n, slope)
        y.backward()
        return {"x": x.grad, "w": w.grad, "b": b.grad}

    assert at_zero(None) == {"x": 0.0, "w": 0.0, "b": 0.0}  # chainrule, as PyTorch
    assert at_zero(1.0) == {"x": 1.5, "w": 2.0, "b": 1.0}
    assert at_zero(0.5) == {"x": 0.75, "w": 1.0, "b": 0.5}
    zs = [k / 10 for k in range(-30, 31)]
    for slope in (0.0, 0.5, 1.0):  # relu(z) ≥ relu(0) + slope·z everywhere: a subgradient
        assert all(max(z, 0.0) >= slope * z for z in zs)
    for slope in (-0.5, 1.5):  # outside [0, 1] it is not
        assert not all(max(z, 0.0) >= slope * z for z in zs)
    for data in (-0.5, 0.5):  # away from 0 every convention is chainrule's relu
        for slope in (0.0, 0.5, 1.0):
            assert bugs.relu_with_slope_at_zero(Value(data), slope).local_grads == (
                Value(data).relu().local_grads
            )
    shown = outcome("relu-at-zero")
    assert [grads(run)["∂y/∂w"] for run in shown.wrong] == [2.0, 1.0]
    assert grads(shown.right)["∂y/∂w"] == 0.0
    assert "a convention, not a bug" in shown.why


@pytest.mark.parametrize("bug", bugs.GALLERY, ids=bugs.NAMES)
def test_every_bug_differs_from_chainrule_and_shows_its_real_broken_line(bug):
    shown = bug.demo()
    assert shown.key in shown.right.grads
    for run in shown.wrong:
        assert shown.differing(run), f"{bug.name}: the broken code gave the right numbers"
        assert set(run.grads) == set(shown.right.grads)
    assert shown.differing(shown.right) == []
    assert bug.convention == (bug.name == "relu-at-zero")
    line = bugs.marked_line(bug)
    source = Path(broken.__file__).read_text(encoding="utf-8")
    assert re.search(rf"^\s*{re.escape(line)}$", source, re.M)  # the line as it is in the code
    assert (bugs.CONVENTION if bug.convention else bugs.BROKEN) in line


@pytest.mark.parametrize(
    ("op", "name"), [("sub", "sub-sign"), ("tanh", "tanh-derivative"), ("relu", "relu-at-zero")]
)
def test_the_right_code_of_a_broken_op_is_read_from_the_op_table(op, name):
    """The kernel's own statements and the table's formulas, never a copy typed in."""
    bug = bugs.find(name)
    assert bug.fix == op_demos.right_code(op)
    code = op_demos.kernel_code(op)
    assert bug.fix.startswith(f"{code}   (engine/value.py's {op}: ")
    definitions = (ROOT / "engine" / "value.py").read_text(encoding="utf-8")
    assert f'value="{OPS[op].value_formula}"' in definitions  # the definition as written
    assert f"grads={json.dumps(list(OPS[op].grad_formulas))}" in code
    arguments = op_demos.operand_names(op)
    for operand, argument in enumerate(arguments):
        assert f"∂/∂{argument} = {op_demos.local_derivative(op, operand)}" in bug.fix


def test_the_op_text_follows_the_op_table():
    assert op_demos.local_derivative("tanh") == OPS["tanh"].formulas[0].format(out="tanh(x)")
    tanh = outcome("tanh-derivative")
    assert tanh.right.engine == f"chainrule: {op_demos.local_derivative('tanh')}"
    assert bugs.find("tanh-derivative").title.endswith(op_demos.local_derivative("tanh"))
    assert (
        outcome("sub-sign").right.engine
        == f"chainrule: local_grads ({', '.join(OPS['sub'].formulas)})"
    )
    assert outcome("relu-at-zero").right.engine.endswith(
        f"relu'(0) = {OPS['relu'].kernel(0.0)[1]:g}"
    )
    for path in Path(bugs.__file__).parent.glob("*.py"):  # no copy of tanh' left by hand
        text = path.read_text(encoding="utf-8")
        assert "tanh²" not in text and "1.0 - t * t" not in text, path.name


def test_the_examples_of_the_op_text_run():
    result = doctest.testmod(op_demos, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3 and result.failed == 0


def test_the_gallery_is_deterministic():
    first = [[grads(run) for run in (*b.demo().wrong, b.demo().right)] for b in bugs.GALLERY]
    again = [[grads(run) for run in (*b.demo().wrong, b.demo().right)] for b in bugs.GALLERY]
    assert first == again


# ---------------------------------------------------------------------------------------------
# The command, through chainrule.bugs.main (the same parser chainrule.cli registers)


def test_add_parser_registers_bugs_with_its_options():
    parser = argparse.ArgumentParser(prog="chainrule")
    bugs.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["bugs", "sub-sign", "--html", "page.html", "--force"])
    assert (args.command, args.name, args.html, args.force) == (
        "bugs",
        "sub-sign",
        Path("page.html"),
        True,
    )
    args = parser.parse_args(["bugs"])
    assert (args.name, args.html, args.force) == (None, None, False)


def test_the_list_has_one_line_per_bug_with_its_computed_numbers(capsys):
    assert bugs.main([]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert [line.split()[0] for line in lines] == list(bugs.NAMES)
    assert "∂b/∂a = 1.0, not 2.0" in lines[0]
    assert "∂L/∂x = 42.0, not 78.0" in lines[1]
    assert "RecursionError, not ∂v/∂x = 2001.0" in lines[2]
    assert "∂loss2/∂w = -0.8, not 3.2" in lines[3]
    assert "∂d/∂b = 1.0, not -1.0" in lines[5]
    assert "all valid" in lines[7]
    assert "\033[" not in out  # no colour in a pipe


@pytest.mark.parametrize("bug", bugs.GALLERY, ids=bugs.NAMES)
def test_explaining_one_shows_the_graph_the_broken_line_the_numbers_and_why(capsys, bug):
    assert bugs.main([bug.name]) == 0
    out = capsys.readouterr().out
    shown = bug.demo()
    for part in ("The graph", "The code", "The gradients", "Why", bugs.marked_line(bug)):
        assert part in out
    for run in (*shown.wrong, shown.right):
        assert run.engine in out
    for row in shown.right.grads:
        assert re.search(rf"^  {re.escape(row)} .*(differs|same)$", out, re.M), row
    assert ("a convention, not a bug" in out) == bug.convention


def test_a_name_is_found_whatever_its_case_or_underscores(capsys):
    assert bugs.main(["Sub_Sign"]) == 0
    assert "∂d/∂b" in capsys.readouterr().out


def test_an_unknown_name_is_a_usage_error_that_lists_the_names(capsys, tmp_path):
    page = tmp_path / "page.html"
    assert bugs.main(["relu", "--html", str(page)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown bug 'relu' (did you mean relu-at-zero?)" in captured.err
    for name in bugs.NAMES:
        assert name in captured.err
    assert not page.exists()


def test_html_to_a_folder_is_refused_before_any_work(capsys, tmp_path):
    assert bugs.main(["--html", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "is a folder" in captured.err


def test_html_without_graphviz_writes_a_page_that_lays_itself_out(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    page = tmp_path / "bugs.html"
    assert bugs.main(["sub-sign", "--html", str(page)]) == 0
    assert f"wrote {page}" in capsys.readouterr().out
    text = page.read_text(encoding="utf-8")
    assert 'class="graph"' not in text and 'id="chainrule-dot"' in text  # no SVG yet
    shown = 1 + len(bugs.find("sub-sign").demo().wrong) + 1  # the legend, wrong, right
    assert len(re.findall(r'data-diagram="\d+"', english(text))) == shown


@pytest.mark.needs_dot
def test_an_existing_page_needs_force(capsys, tmp_path):
    page = tmp_path / "bugs.html"
    page.write_text("mine", encoding="utf-8")
    assert bugs.main(["sub-sign", "--html", str(page)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "already exists" in captured.err and "--force" in captured.err
    assert page.read_text(encoding="utf-8") == "mine"
    assert bugs.main(["sub-sign", "--html", str(page), "--force"]) == 0
    assert f"wrote {page}" in capsys.readouterr().out
    assert "<svg" in page.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["bugs.html"]  # no temporary file left


# ---------------------------------------------------------------------------------------------
# The page


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bugs") / "bugs.html"
    assert bugs.main(["--html", str(path)]) == 0
    return path


CHINESE = re.compile(r'<(div|span) lang="zh-Hans" data-lang="zh">.*?</\1>', re.S)


def english(text: str) -> str:
    """The page without what it shows only in Chinese (a diagram whose words differ, #23)."""
    return CHINESE.sub("", text)


def sections(text: str) -> dict[str, str]:
    found = re.findall(r'<section id="([^"]+)"[^>]*>(.*?)</section>', text, re.S)
    return dict(found)


@pytest.mark.needs_dot
def test_the_page_is_self_contained_with_one_script_and_a_policy_that_allows_no_request(page):
    """Its one script (the language switch, #23) is allowed by its hash; with dot, no viz-js."""
    from chainrule.viz.page_assets import content_security_policy

    text = page.read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert len(scripts) == 1 and "chainrule_i18n" in scripts[0]
    assert "var chainrule_layout" not in scripts[0], "Graphviz laid the diagrams out: no viz-js"
    assert policy == content_security_policy(scripts[0])
    assert policy.startswith("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-")
    assert "wasm" not in policy
    outside = re.sub(r"<script>.*?</script>", "<script>", text, flags=re.S)
    elements = sorted(re.findall(r"<script( [^>]*)?>", outside))
    assert elements == ["", ' type="application/json" id="chainrule-messages"']  # and its data
    for loader in ("<link", "<img", "<iframe", "src=", "url(", "@import", "xlink:href"):
        assert loader not in text
    assert "https://" not in text
    assert set(re.findall(r"http://[^\"' ]+", text)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }  # SVG namespaces, never fetched
    ids = re.findall(r'\bid="([^"]*)"', outside)  # not i18n.js's comment's
    assert len(ids) == len(set(ids)), "every id in the page is unique"


@pytest.mark.needs_dot
def test_the_page_shows_every_bug_with_its_line_its_table_and_both_diagrams(page):
    text = page.read_text(encoding="utf-8")
    found = sections(text)
    assert list(found) == list(bugs.NAMES)
    for bug in bugs.GALLERY:
        section, shown = found[bug.name], bug.demo()
        assert html.escape(bugs.marked_line(bug)) in section
        assert html.escape(shown.why) in section
        assert english(section).count("<svg") == len(shown.wrong) + 1 >= 2
        assert section.count('<figure class="wrong">') == len(shown.wrong)
        assert section.count('<figure class="right">') == 1
        assert section.count("<tr>") == len(shown.right.grads) + 1
        for run in (*shown.wrong, shown.right):
            assert html.escape(run.engine) in section
    overwrite = found["overwrite-grad"]
    wrong, right = overwrite.split('<figure class="right">')
    assert "grad 1.0" in wrong and "grad 2.0" not in wrong
    assert "grad 2.0" in right
    assert "RecursionError: maximum recursion depth exceeded" in found["recursive-walk"]


COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(")


def test_the_page_style_sheet_names_no_colour_of_its_own():
    """viz/web/bugs.css writes var(--name) only, and each name is one of viz.style's."""
    from chainrule.viz.page_assets import WEB
    from chainrule.viz.style import PAGE_COLOURS

    sheet = (WEB / "bugs.css").read_text(encoding="utf-8")
    assert COLOUR.findall(sheet) == []
    used = set(re.findall(r"var\(--([a-z-]+)\)", sheet))
    assert used and used <= set(PAGE_COLOURS)


@pytest.mark.needs_dot
def test_the_page_takes_every_colour_from_viz_style(page):
    from chainrule.viz.style import HIGHLIGHT, PAGE_COLOURS, css_custom_properties

    style = re.search(r"<style>(.*?)</style>", page.read_text(encoding="utf-8"), re.S).group(1)
    assert style.startswith(css_custom_properties())
    assert COLOUR.findall(style.removeprefix(css_custom_properties())) == []
    light, dark = style.split("@media (prefers-color-scheme: dark)", 1)
    for theme, declared in ((0, light), (1, dark[: dark.index("}")])):
        found = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6});", declared))
        assert found == {name: pair[theme] for name, pair in PAGE_COLOURS.items()}
    assert PAGE_COLOURS["wrong"] == (HIGHLIGHT, HIGHLIGHT)  # the red of draw_graph's highlight


@pytest.mark.parametrize("bug", bugs.GALLERY, ids=bugs.NAMES)
def test_the_wrong_diagrams_mark_the_differing_nodes_and_the_right_one_nothing(bug):
    """The differing nodes and the wrong edges are draw_graph's highlight, in its red."""
    from chainrule.viz import draw_graph
    from chainrule.viz.style import HIGHLIGHT

    shown = bug.demo()
    for figure in bugs.figures(shown):
        plain = draw_graph(figure.run.root, params=figure.run.params, rankdir=bugs.RANKDIR)
        drawn = bugs.diagram(figure).source
        if figure.wrong:
            rows = shown.differing(figure.run)
            assert set(figure.marked) == {figure.run.nodes[row] for row in rows}
            assert drawn != plain.source and HIGHLIGHT in drawn
        else:
            assert figure.marked == figure.edges == ()
            assert drawn == plain.source


@pytest.mark.parametrize("name", ["sub-sign", "tanh-derivative", "relu-at-zero"])
def test_a_wrong_local_derivative_is_named_by_its_edge(name):
    shown = outcome(name)
    right_order = topological_order(shown.right.root)
    for run in shown.wrong:
        assert run.edges
        order = topological_order(run.root)
        for node, operand in run.edges:
            twin = right_order[order.index(node)]  # the same node in chainrule's graph
            assert node.local_grads[operand] != twin.local_grads[operand]
    assert shown.right.edges == ()


@pytest.mark.needs_dot
@pytest.mark.needs_chromium
def test_the_page_loads_nothing_and_draws_every_diagram_in_a_browser(browser, page):
    browser.get(page.as_uri())
    widths = browser.execute_script(
        "return [...document.querySelectorAll('section svg')]"
        ".filter(svg => svg.getClientRects().length)"  # the page's language's drawings
        ".map(svg => svg.getBoundingClientRect().width)"
    )
    resources = browser.execute_script("return performance.getEntriesByType('resource')")
    log = browser.get_log("browser")
    assert len(widths) == sum(len(b.demo().wrong) + 1 for b in bugs.GALLERY)
    assert all(width > 100 for width in widths)
    assert resources == []
    assert [entry for entry in log if entry["level"] in ("SEVERE", "WARNING")] == []


def rgb(colour: str) -> str:
    """``#dc2626`` as the browser's computed style writes it: ``rgb(220, 38, 38)``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.needs_dot
@pytest.mark.needs_chromium
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_browser_shows_viz_styles_colours_in_either_theme(browser, page, theme):
    from chainrule.viz.style import HIGHLIGHT, PAGE_COLOURS

    colours = {name: rgb(pair[theme == "dark"]) for name, pair in PAGE_COLOURS.items()}
    emulate_screen(browser, 390, 800)
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": theme}]},
    )
    browser.get(page.as_uri())
    shown = browser.execute_script(
        "const of = (selector, property) => "
        "getComputedStyle(document.querySelector(selector))[property];"
        "return {ink: of('body', 'color'), paper: of('body', 'backgroundColor'),"
        " card: of('figure', 'backgroundColor'), mark: of('.mark', 'color'),"
        " differs: of('.bug td.differs', 'color'),"
        " wide: document.documentElement.scrollWidth};"
    )
    assert shown["ink"] == colours["ink"] and shown["paper"] == colours["paper"]
    assert shown["card"] == colours["card"]
    assert shown["mark"] == shown["differs"] == colours["wrong-ink"]
    assert PAGE_COLOURS["wrong-ink"][0] == HIGHLIGHT  # draw_graph's red, lighter on dark paper
    assert shown["wide"] <= 390  # nothing wider than a phone


# ---------------------------------------------------------------------------------------------
# `python -m chainrule bugs`: these pass once chainrule.cli registers the command


def test_chainrule_bugs_lists_every_bug():
    result = chainrule("bugs")
    assert result.returncode == 0, result.stderr
    for name in bugs.NAMES:
        assert name in result.stdout
    assert "∂b/∂a = 1.0, not 2.0" in result.stdout


def test_chainrule_bugs_explains_one():
    result = chainrule("bugs", "recursive-walk")
    assert result.returncode == 0, result.stderr
    assert "RecursionError" in result.stdout and "2001.0" in result.stdout


def test_chainrule_bugs_with_an_unknown_name_exits_2_with_the_names():
    result = chainrule("bugs", "no-such-bug")
    assert result.returncode == 2
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.startswith("chainrule bugs: unknown bug 'no-such-bug'")
    for name in bugs.NAMES:
        assert name in result.stderr


def test_chainrule_help_names_the_bugs_command():
    result = chainrule("--help")
    assert result.returncode == 0 and "bugs" in result.stdout


@pytest.mark.needs_dot
def test_chainrule_bugs_writes_the_page(tmp_path):
    page = tmp_path / "bugs.html"
    result = chainrule("bugs", "--html", str(page))
    assert result.returncode == 0, result.stderr
    assert f"wrote {page}" in result.stdout
    assert list(sections(page.read_text(encoding="utf-8"))) == list(bugs.NAMES)
    again = chainrule("bugs", "--html", str(page))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_python_m_chainrule_bugs_runs_the_command_on_its_own():
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "chainrule.bugs", "sub-sign"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "∂d/∂b" in result.stdout and "broken_sub" in result.stdout
    unknown = subprocess.run(
        [sys.executable, "-m", "chainrule.bugs", "nope"], capture_output=True, text=True
    )
    assert unknown.returncode == 2 and "unknown bug 'nope'" in unknown.stderr
