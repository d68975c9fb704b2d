"""``chainrule exercises init`` and ``check``: the folder a learner gets, what its tests say when
a function is not written or wrong (op, operand, inputs, expected, received, the likely mistake,
a diagram with the wrong edge in red), the teacher's version that passes, and the score."""

from __future__ import annotations

import ast
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chainrule.engine import OPS as ENGINE_OPS
from chainrule.engine import format_number
from chainrule.viz.style import HIGHLIGHT

from chainrule.exercises import EXERCISES, FILES, Score, exercise_files
from chainrule.exercises.grader import failed_with
from tests.cli_helpers import chainrule, environment

SVG = "{http://www.w3.org/2000/svg}"
# the exercises on one op's local derivatives, as chainrule.exercises defines them
OPS = tuple(exercise.name for exercise in EXERCISES if exercise.name in ENGINE_OPS)
LEARNER_FILES = {
    "ops.py": [f"d_{op}" for op in OPS],
    "neuron.py": ["neuron_backward"],
    "layer.py": ["bp1", "bp2"],
}


def init(folder: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return chainrule("exercises", "init", str(folder), *flags)


def run_pytest(folder: Path, *args: str, seed: int | None = None) -> subprocess.CompletedProcess:
    """``pytest FOLDER -q`` as a learner runs it, from the folder above it."""
    extra = {"CHAINRULE_SEED": str(seed)} if seed is not None else {}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder.name, *args],
        capture_output=True,
        text=True,
        env=environment(**extra),
        cwd=folder.parent,
        timeout=300,
    )


def sections(output: str) -> dict[str, str]:
    """Each failed test's message in pytest's output, by test name (``test_tanh``)."""
    found = {}
    parts = re.split(r"^_{3,} (test_\w+) _{3,}$", output, flags=re.MULTILINE)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        found[name] = body.split("=========")[0]
    return found


def replace_body(path: Path, function: str, body: str) -> None:
    """Give ``function`` in the learner's file a new body, keeping its signature and docstring."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function)
    lines = source.splitlines(keepends=True)
    first = node.body[1].lineno - 1  # the first statement after the docstring
    last = node.body[-1].end_lineno
    indented = "".join(f"    {line}\n" for line in body.strip("\n").splitlines())
    path.write_text("".join(lines[:first]) + indented + "".join(lines[last:]), encoding="utf-8")


NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"


def line_of(label: str, text: str) -> str:
    """The rest of the message's line that starts with ``label`` (``inputs:``, ``received:``…)."""
    line = next(line for line in text.splitlines() if line.strip().startswith(label))
    return line.split(label, 1)[1]


def values(label: str, text: str) -> list[float]:
    """The numbers written ``name = number`` on that line, in order."""
    return [float(x) for x in re.findall(rf"= ({NUMBER})", line_of(label, text))]


def received(text: str) -> float:
    return float(re.match(rf"\s*({NUMBER})", line_of("received:", text)).group(1))


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("learner") / "exercises"
    result = init(folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def solutions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("teacher") / "solved"
    result = init(folder, "--solutions")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def stub_run(stubs: Path) -> subprocess.CompletedProcess[str]:
    return run_pytest(stubs, seed=7)


# --- the folder -------------------------------------------------------------------------------


def test_init_writes_the_learners_folder_and_says_what_is_in_it(stubs: Path):
    assert sorted(p.name for p in stubs.iterdir()) == sorted(FILES)
    readme = (stubs / "README.md").read_text(encoding="utf-8")
    assert f"pytest {stubs}" in readme and f"chainrule exercises check {stubs}" in readme
    assert "δ^l = ∂C/∂z^l" in readme and "(BP2)" in readme and "learner's version" in readme
    for name, functions in LEARNER_FILES.items():
        source = (stubs / name).read_text(encoding="utf-8")
        assert "# solution" not in source and "# end of solution" not in source
        tree = ast.parse(source)
        defined = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for function in functions:
            node = defined[function]
            assert ast.get_docstring(node), function  # each says what to compute
            raised = node.body[-1]
            assert isinstance(raised, ast.Raise), function
            assert f"{function} is not written yet" in ast.unparse(raised)


def test_the_solutions_are_the_same_files_solved(stubs: Path, solutions: Path):
    readme = (solutions / "README.md").read_text(encoding="utf-8")
    assert "teacher's version" in readme
    for name in FILES:
        # each names its own folder (in `pytest FOLDER`); all else is the same or solved
        learner = (stubs / name).read_text(encoding="utf-8").replace(str(stubs), "FOLDER")
        teacher = (solutions / name).read_text(encoding="utf-8").replace(str(solutions), "FOLDER")
        if name.startswith("test_") or name == "pytest.ini":
            assert learner == teacher
        if name in LEARNER_FILES:
            assert 'raise NotImplementedError("' not in teacher
            assert 'raise NotImplementedError("' in learner
        if name.endswith(".py"):
            docs = [
                {
                    n.name: ast.get_docstring(n)
                    for n in ast.walk(ast.parse(text))
                    if isinstance(n, ast.FunctionDef)
                }
                for text in (learner, teacher)
            ]
            assert docs[0] == docs[1]  # the same functions, the same docstrings


def test_the_tests_compute_their_answers_and_store_none(stubs: Path):
    for name in ("test_ops.py", "test_neuron.py", "test_layer.py"):
        source = (stubs / name).read_text(encoding="utf-8")
        assert "random_inputs()" in source
        # no table of expected numbers: every float literal in the file is an input range
        literals = [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)]
        floats = [v for v in literals if isinstance(v, float)]
        assert all(abs(v) <= 5 and v == round(v, 1) for v in floats), floats


def test_a_second_init_refuses_without_force_and_keeps_the_learners_work(tmp_path: Path):
    folder = tmp_path / "mine"
    assert init(folder).returncode == 0
    replace_body(folder / "ops.py", "d_mul", "return b, a  # my answer")
    again = init(folder)
    assert again.returncode == 2
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert "my answer" in (folder / "ops.py").read_text(encoding="utf-8")
    forced = init(folder, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "my answer" not in (folder / "ops.py").read_text(encoding="utf-8")


def test_init_refuses_a_file_where_the_folder_should_be(tmp_path: Path):
    (tmp_path / "taken").write_text("not a folder")
    result = init(tmp_path / "taken")
    assert result.returncode == 2 and "not a folder" in result.stderr


def test_exercise_files_api_writes_both_versions_without_markers():
    learner, teacher = exercise_files(), exercise_files(solutions=True)
    assert set(learner) == set(teacher) == set(FILES)
    assert learner["ops.py"].count('raise NotImplementedError("') == len(OPS)
    assert 'raise NotImplementedError("' not in teacher["ops.py"]
    assert "pytest FOLDER" in learner["README.md"]
    assert "'my folder'" in exercise_files(folder="my folder")["README.md"]  # quoted for a shell


# --- what the learner's tests say -----------------------------------------------------------


@pytest.mark.slow
def test_every_stub_fails_naming_op_operand_inputs_expected_and_not_written_yet(stub_run):
    assert stub_run.returncode == 1
    assert "11 failed" in stub_run.stdout
    found = sections(stub_run.stdout)
    assert set(found) == {exercise.test for exercise in EXERCISES}
    for op in OPS:
        text = found[f"test_{op}"]
        first = text.strip().splitlines()[0]
        assert first.startswith(f"{op}: ops.d_{op} is not written yet"), first
        assert "∂out/∂a" in text if op in ("mul", "div") else "∂out/∂x" in text  # the operand
        assert re.search(r"inputs: +(a|x) = -?\d", text)
        assert re.search(r"expected: +∂out/∂(a|x) = -?\d", text)
        assert "received: NotImplementedError: not written yet" in text
        assert "CHAINRULE_SEED=7 pytest" in text
    for name, words in (("test_neuron", "∂o/∂w"), ("test_bp1", "δ^L"), ("test_bp2", "δ^l")):
        text = found[name]
        assert "not written yet" in text and words in text and "inputs:" in text
        assert "expected:" in text and "received: NotImplementedError" in text


@pytest.mark.slow
def test_the_expected_numbers_are_the_true_derivatives_at_the_inputs_shown(stub_run):
    found = sections(stub_run.stdout)
    x, out = values("inputs:", found["test_tanh"])
    assert out == pytest.approx(math.tanh(x), rel=1e-5, abs=1e-6)
    (expected,) = values("expected:", found["test_tanh"])
    assert expected == pytest.approx(1 - math.tanh(x) ** 2, rel=1e-4, abs=1e-6)
    a, b, _ = values("inputs:", found["test_div"])
    d_a, d_b = values("expected:", found["test_div"])
    assert (d_a, d_b) == pytest.approx((1 / b, -a / b**2), rel=1e-4)


@pytest.mark.slow
def test_the_inputs_are_random_and_repeat_with_their_seed(stubs: Path):
    def tanh_inputs(seed: int) -> str:
        text = sections(run_pytest(stubs, "-k", "tanh", seed=seed).stdout)["test_tanh"]
        return next(line for line in text.splitlines() if "inputs:" in line)

    first, again, other = tanh_inputs(11), tanh_inputs(11), tanh_inputs(12)
    assert first == again and first != other


MISTAKES = {
    # exercise: (file, function, body, words the hint must say)
    "tanh": ("ops.py", "d_tanh", "return 1 - x**2", "this is 1 − x², tanh' is 1 − tanh²x"),
    "sigmoid": ("ops.py", "d_sigmoid", "return s", "this is σ(x) itself: σ'(x) = σ(x)(1 − σ(x))"),
    "relu": ("ops.py", "d_relu", "return 1.0 if x >= 0 else 0.0", "a wrong value at 0"),
    "log": ("ops.py", "d_log", "return x", "this is x, log' is 1/x"),
    "div": ("ops.py", "d_div", "return 1 / b, a / b**2", "a wrong sign: ∂(a/b)/∂b = −a/b²"),
    "power": ("ops.py", "d_power", "return x**k", "this is x^k itself: the power rule gives "
              "k·x^(k−1)"),
    "mul": ("ops.py", "d_mul", "return a, b", "∂(a·b)/∂a is the other operand, b"),
    "exp": ("ops.py", "d_exp", "return x * math.exp(x - 1)", "e^x is not a power of x"),
    "neuron": ("neuron.py", "neuron_backward",
               "n = sum(wi * xi for wi, xi in zip(w, x)) + b\n"
               "return [xi * (1 - n**2) for xi in x], [wi * (1 - n**2) for wi in w], 1 - n**2",
               "1 − n² is not tanh'(n)"),
    "bp1": ("layer.py", "bp1", "return [aj - yj for aj, yj in zip(a, y)]",
            "this is ∂C/∂a^L_k = a_k − y_k alone"),
    "bp2": ("layer.py", "bp2",
            "return [sum(w_next[j][k] * delta_next[j] for j in range(len(delta_next)))\n"
            "        for k in range(len(z))]", "this is ((W^(l+1))ᵀ δ^(l+1))_k alone"),
}  # fmt: skip


def plant_mistakes(folder: Path) -> Path:
    """A fresh exercise folder with the common mistake of :data:`MISTAKES` in every exercise."""
    assert init(folder).returncode == 0
    for file, function, body, _ in MISTAKES.values():
        replace_body(folder / file, function, f"import math\n{body}")
    return folder


@pytest.fixture(scope="module")
def mistaken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A learner's folder with a common mistake planted in every exercise, and what pytest said."""
    folder = plant_mistakes(tmp_path_factory.mktemp("mistakes") / "work")
    result = run_pytest(folder, seed=3)
    assert result.returncode == 1 and "11 failed" in result.stdout, result.stdout[-3000:]
    return folder, sections(result.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("exercise", list(MISTAKES))
def test_a_common_mistake_gets_its_hint_and_a_plain_report(mistaken, exercise):
    _, found = mistaken
    test = next(e.test for e in EXERCISES if e.name == exercise)
    text = found[test]
    first = text.strip().splitlines()[0]
    assert first.startswith(f"{exercise}: ") and " is wrong at " in first
    assert "expected" in first and "received" in first
    for label in ("inputs:", "expected:", "received:"):
        assert label in text
    assert f"likely mistake: {MISTAKES[exercise][3]}" in text
    # the first line (what `exercises check` shows) has the numbers of the lines below it
    shown = re.search(rf"expected ({NUMBER}), received ({NUMBER})\.$", first)
    (expected,) = values("expected:", text)
    assert (float(shown.group(1)), float(shown.group(2))) == (expected, received(text))
    assert received(text) != pytest.approx(expected, rel=1e-6)
    if exercise in OPS:
        assert re.search(r"operand: +[abx] \(operand [01] of " + exercise + r"\)", text)
    assert "diagram:" in text


@pytest.mark.slow
@pytest.mark.needs_dot
@pytest.mark.parametrize("exercise", list(MISTAKES))
def test_the_diagram_named_in_the_message_shows_the_wrong_edge_in_red(mistaken, exercise):
    folder, found = mistaken
    test = next(e.test for e in EXERCISES if e.name == exercise)
    text = found[test]
    (named,) = re.findall(r"diagram: +(\S+\.svg)", text)
    path = folder.parent / named if not Path(named).is_absolute() else Path(named)
    assert path == folder / "diagrams" / f"{exercise}.svg" and path.is_file()
    root = ET.parse(path).getroot()
    red = [g for g in root.iter(f"{SVG}g") if "highlighted" in (g.get("class") or "").split()]
    assert len(red) == 1
    (marked,) = red
    strokes = [p.get("stroke") for p in marked.iter(f"{SVG}path")]
    assert HIGHLIGHT in strokes
    texts = [t.text or "" for t in marked.iter(f"{SVG}text")]
    first = text.strip().splitlines()[0]
    if exercise in OPS:  # an edge, labelled with the learner's own local derivative
        assert "edge" in marked.get("class", "").split()
        assert f"local {format_number(received(text))}" in texts
        operand = re.search(r"operand: +([abx]) ", text).group(1)
        edges = [g for g in root.iter(f"{SVG}g") if "edge" in (g.get("class") or "").split()]
        title = marked.find(f"{SVG}title").text  # "v0->op2": the edge from the operand's box
        operand_box = next(
            g.get("id")
            for g in root.iter(f"{SVG}g")
            if (g.get("class") or "").startswith("node")
            and any(t.text == operand for t in g.iter(f"{SVG}text"))
        )
        assert title.startswith(f"{operand_box}->") and len(edges) >= 2
    else:  # a node: the leaf (neuron) or the z-node (layers) whose gradient is wrong
        assert "node" in marked.get("class", "").split()
        wrong = re.match(r"\w+: (?:∂o/∂(\S+)|δ\^([lL])\[(\d)\]) is wrong", first)
        label = wrong.group(1) or f"z[{wrong.group(2)}][{wrong.group(3)}]"
        assert label in texts


@pytest.mark.slow
def test_a_fixed_exercise_passes_and_its_old_diagram_goes(mistaken):
    folder, _ = mistaken
    replace_body(folder / "ops.py", "d_tanh", "return 1 - t * t")
    result = run_pytest(folder, "-k", "tanh", seed=3)
    assert result.returncode == 0, result.stdout
    assert not (folder / "diagrams" / "tanh.svg").exists()


@pytest.mark.slow
def test_an_exception_or_a_missing_return_is_reported_with_the_inputs(tmp_path: Path):
    folder = tmp_path / "ex"
    assert init(folder, "--solutions").returncode == 0
    replace_body(folder / "ops.py", "d_log", "return 1 / (x - x)")
    replace_body(folder / "ops.py", "d_exp", "out * 1")
    replace_body(folder / "layer.py", "bp2", "return [w_next[k][0] for k in range(5)]")
    found = sections(run_pytest(folder, seed=5).stdout)
    assert set(found) == {"test_log", "test_exp", "test_bp2"}
    log = found["test_log"]
    assert log.strip().startswith("log: ops.d_log raised ZeroDivisionError at x = ")
    assert "return 1 / (x - x)" in log and "ops.py" in log  # the learner's own line
    assert "did you forget `return`?" in found["test_exp"]
    assert "IndexError" in found["test_bp2"] and "index out of range" in found["test_bp2"]


# --- the score --------------------------------------------------------------------------------


@pytest.mark.slow
def test_solutions_pass(solutions: Path):
    result = run_pytest(solutions, seed=1)
    assert result.returncode == 0 and "11 passed" in result.stdout, result.stdout
    assert not (solutions / "diagrams").exists()  # nothing wrong, nothing drawn


def score_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip()[:1] in ("✓", "✗")]


@pytest.mark.slow
def test_check_scores_the_stubs_0_of_n_one_line_per_exercise(stubs: Path):
    result = chainrule("exercises", "check", str(stubs))
    assert result.returncode == 1, result.stderr
    lines = score_lines(result.stdout)
    assert len(lines) == len(EXERCISES)
    for line, exercise in zip(lines, EXERCISES, strict=True):
        assert line.startswith(f"✗ {exercise.name}  {exercise.title}")
        assert "not written yet" in line
    assert f"Score: 0 of {len(EXERCISES)} exercises pass." in result.stdout
    assert f"pytest {stubs}" in result.stdout


@pytest.mark.slow
def test_check_scores_the_solutions_n_of_n_and_exits_0(solutions: Path):
    result = chainrule("exercises", "check", str(solutions))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = score_lines(result.stdout)
    assert lines == [f"✓ {e.name}  {e.title}" for e in EXERCISES]
    assert lines[0] == "✓ mul  local derivatives of a·b"
    assert f"Score: {len(EXERCISES)} of {len(EXERCISES)} exercises pass." in result.stdout


@pytest.mark.slow
def test_check_counts_each_exercise_on_its_own(tmp_path: Path):
    folder = tmp_path / "half"
    assert init(folder).returncode == 0
    replace_body(folder / "ops.py", "d_mul", "return b, a")
    replace_body(folder / "ops.py", "d_tanh", "return 1 - x**2")
    result = chainrule("exercises", "check", str(folder))
    assert result.returncode == 1
    lines = score_lines(result.stdout)
    assert lines[0] == "✓ mul  local derivatives of a·b"
    tanh = next(line for line in lines if line.startswith("✗ tanh  "))
    assert "∂out/∂x of out = tanh(x) is wrong at x = " in tanh
    assert f"Score: 1 of {len(EXERCISES)} exercises pass." in result.stdout


@pytest.mark.slow
def test_check_shows_each_failures_likely_mistake(tmp_path):
    folder = plant_mistakes(tmp_path / "work")  # its own: other tests fix the shared folder
    result = chainrule("exercises", "check", str(folder))
    assert result.returncode == 1
    lines = [line.strip() for line in result.stdout.splitlines()]
    for exercise, (_, _, _, hint) in MISTAKES.items():
        at = next(i for i, line in enumerate(lines) if line.startswith(f"✗ {exercise}  "))
        assert lines[at + 1].startswith("likely mistake: "), lines[at : at + 2]
        assert hint in lines[at + 1], (exercise, lines[at + 1])


def test_the_score_reads_the_likely_mistake_from_the_failure():
    failure = (
        "mul: ∂out/∂a of out = a·b is wrong at a = 2, b = 3: expected 3, received 2.\n"
        "  operand:  a (operand 0 of mul)\n"
        "  likely mistake: ∂(a·b)/∂a is the other operand, b\n"
        "  diagram:  diagrams/mul.svg"
    )
    mul, div = EXERCISES[0], EXERCISES[1]
    results = (
        failed_with(mul, failure),
        failed_with(div, "div: ops.d_div raised ZeroDivisionError."),
    )
    assert (
        results[0].message
        == "∂out/∂a of out = a·b is wrong at a = 2, b = 3: expected 3, received 2."
    )
    assert results[0].mistake == "∂(a·b)/∂a is the other operand, b"
    assert results[1].mistake == ""  # no hint, no line
    lines = Score(results).lines()
    assert lines[1] == "    likely mistake: ∂(a·b)/∂a is the other operand, b"
    assert lines[2] == "✗ div  local derivatives of a/b  — ops.d_div raised ZeroDivisionError."
    assert len(lines) == 3


def test_check_scores_a_file_that_does_not_even_import(tmp_path: Path):
    folder = tmp_path / "broken"
    assert init(folder, "--solutions").returncode == 0
    with open(folder / "ops.py", "a", encoding="utf-8") as ops:
        ops.write("\ndef oops(:\n")
    line = (folder / "ops.py").read_text(encoding="utf-8").count("\n")
    result = chainrule("exercises", "check", str(folder))
    assert result.returncode == 1
    lines = score_lines(result.stdout)
    assert len(lines) == len(EXERCISES)
    for shown, exercise in zip(lines, EXERCISES, strict=True):
        if exercise.name in OPS:  # only the exercises in ops.py fail, saying why and where
            assert "ops.py did not import: SyntaxError: " in shown and f"(line {line})" in shown
        else:
            assert shown.startswith("✓"), shown
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing", "does not exist"),
        (lambda p: p, "not an exercises folder"),
        (lambda p: (p / "file.txt", (p / "file.txt").write_text("x"))[0], "is not a folder"),
    ],
)
def test_check_refuses_what_is_not_an_exercises_folder(tmp_path: Path, make, message):
    result = chainrule("exercises", "check", str(make(tmp_path)))
    assert result.returncode == 2 and message in result.stderr
    assert result.stdout == ""


def test_exercises_needs_an_action_and_has_help():
    assert chainrule("exercises").returncode == 2
    for action in ("init", "check"):
        result = chainrule("exercises", action, "--help")
        assert result.returncode == 0 and "DIR" in result.stdout


def test_how_the_checks_write_an_op_comes_from_its_record():
    from chainrule.exercises.checks import written

    assert [written(name) for name in ("mul", "div", "power", "sigmoid", "tanh")] == [
        "a·b",
        "a/b",
        "x^k",
        "σ(x)",
        "tanh(x)",
    ]
