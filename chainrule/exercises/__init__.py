"""Exercises for learners: write the local derivatives and backward passes, and get a score.

``chainrule exercises init DIR`` writes a folder of pytest exercises (:func:`exercise_files`):
``ops.py``, ``neuron.py`` and ``layer.py`` with functions to fill in, a README, and the tests
that check them at random inputs against chainrule's op table, its ``backward()`` and
central differences (:mod:`chainrule.exercises.checks`). ``--solutions`` writes the teacher's
version, the same files solved. ``chainrule exercises check DIR`` runs ``pytest DIR -q`` in a
subprocess and scores it, one line per exercise (:func:`run_check`).

The files are written from ``templates/``: each learner's function is written there solved,
its body between the lines ``# solution`` and ``# end of solution``, which the learner's
version replaces with ``raise NotImplementedError(…)``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = [
    "EXERCISES",
    "FILES",
    "Exercise",
    "ExerciseResult",
    "Score",
    "exercise_files",
    "run_check",
    "score",
]


@dataclass(frozen=True)
class Exercise:
    """One exercise: its name, what it asks, and the test that checks it (file::function)."""

    name: str
    title: str
    test_file: str
    test: str


EXERCISES: tuple[Exercise, ...] = (
    Exercise("mul", "local derivatives of a·b", "test_ops.py", "test_mul"),
    Exercise("div", "local derivatives of a/b", "test_ops.py", "test_div"),
    Exercise("power", "local derivative of x^k", "test_ops.py", "test_power"),
    Exercise("exp", "local derivative of e^x", "test_ops.py", "test_exp"),
    Exercise("log", "local derivative of ln x", "test_ops.py", "test_log"),
    Exercise("tanh", "local derivative of tanh x", "test_ops.py", "test_tanh"),
    Exercise("sigmoid", "local derivative of σ(x)", "test_ops.py", "test_sigmoid"),
    Exercise("relu", "local derivative of relu(x)", "test_ops.py", "test_relu"),
    Exercise(
        "neuron", "a neuron's backward pass: ∂o/∂w, ∂o/∂x, ∂o/∂b", "test_neuron.py", "test_neuron"
    ),
    Exercise("bp1", "BP1: δ of the output layer", "test_layer.py", "test_bp1"),
    Exercise("bp2", "BP2: δ of a hidden layer", "test_layer.py", "test_bp2"),
)
"""Every exercise, in the order a learner meets them."""

FILES: tuple[str, ...] = (
    "README.md",
    "ops.py",
    "neuron.py",
    "layer.py",
    "test_ops.py",
    "test_neuron.py",
    "test_layer.py",
    "pytest.ini",
)
"""The files ``exercises init`` writes, all from ``templates/``."""

TEST_FILES = ("test_ops.py", "test_neuron.py", "test_layer.py")

LEARNER_NOTE = (
    "This is the learner's version: every function raises `NotImplementedError` until you "
    "write it, so every test fails at first."
)
TEACHER_NOTE = (
    "This is the teacher's version (`--solutions`): every function is written and every test "
    "passes. `chainrule exercises init FOLDER` without `--solutions` writes the learner's."
)

_SOLUTION = re.compile(
    r"^(?P<indent>[ \t]*)# solution\n(?P<body>.*?)^[ \t]*# end of solution\n",
    re.MULTILINE | re.DOTALL,
)
_FUNCTION = re.compile(r"^[ \t]*def (\w+)\(", re.MULTILINE)


def template(name: str) -> str:
    """The text of one template, as shipped in the package."""
    return (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8")


def exercise_files(*, solutions: bool = False, folder: str = "FOLDER") -> dict[str, str]:
    """Each file of the exercises folder and its text: the learner's version, or the solutions.

    ``folder`` is how the texts name the folder in commands such as ``pytest FOLDER``.
    """
    shown = shlex.quote(folder)
    files = {}
    for name in FILES:
        text = template(name)
        if name.endswith(".py"):
            text = _solved(text) if solutions else _stubbed(text)
        text = text.replace("VERSION_NOTE", TEACHER_NOTE if solutions else LEARNER_NOTE)
        files[name] = text.replace("FOLDER", shown)
    return files


def _solved(text: str) -> str:
    """The solution: the body between the markers, without them."""
    return _SOLUTION.sub(lambda match: match.group("body"), text)


def _stubbed(text: str) -> str:
    """The learner's version: each solution body becomes a ``raise NotImplementedError``."""

    def stub(match: re.Match[str]) -> str:
        functions = _FUNCTION.findall(text, 0, match.start())
        name = functions[-1] if functions else "this function"
        indent = match.group("indent")
        return (
            f"{indent}# Your code here, in place of the raise.\n"
            f'{indent}raise NotImplementedError("{name} is not written yet")\n'
        )

    return _SOLUTION.sub(stub, text)


# --- the score ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseResult:
    """How one exercise did: ``passed``, the first line of its failure (``""`` if none), and
    the failure's likely mistake (``""`` when the check names none)."""

    exercise: Exercise
    passed: bool
    message: str
    mistake: str = ""


@dataclass(frozen=True)
class Score:
    """Every exercise's result, pytest's exit status and its output."""

    results: tuple[ExerciseResult, ...]
    returncode: int
    output: str

    @property
    def passed(self) -> int:
        return sum(result.passed for result in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def all_passed(self) -> bool:
        return self.passed == self.total

    def lines(self) -> list[str]:
        """One line per exercise, ``✓ mul  local derivatives of a·b`` or ``✗ …  — why``.

        A failure whose check names a likely mistake is followed by it, on a line of its own:
        ``    likely mistake: …``.
        """
        lines = []
        for result in self.results:
            mark = "✓" if result.passed else "✗"
            line = f"{mark} {result.exercise.name}  {result.exercise.title}"
            if not result.passed and result.message:
                line += f"  — {result.message}"
            lines.append(line)
            if not result.passed and result.mistake:
                lines.append(f"    likely mistake: {result.mistake}")
        return lines


def run_check(folder: Path, *, timeout: float = 600.0) -> Score:
    """Run ``python -m pytest -q FOLDER`` (the current Python) and score every exercise."""
    handle, name = tempfile.mkstemp(prefix="chainrule-exercises-", suffix=".xml")
    os.close(handle)
    report = Path(name)
    try:
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            str(folder),
        ]
        try:
            completed = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            results = tuple(
                ExerciseResult(exercise, False, f"the tests did not finish in {timeout:g} s")
                for exercise in EXERCISES
            )
            return Score(results, 1, "")
        output = completed.stdout + completed.stderr
        text = report.read_text(encoding="utf-8") if report.stat().st_size else ""
        return Score(score(text, output), completed.returncode, output)
    finally:
        with contextlib.suppress(OSError):
            report.unlink()


def score(junit_xml: str, output: str = "") -> tuple[ExerciseResult, ...]:
    """Each exercise's result, read from pytest's JUnit XML report.

    An exercise whose test did not run (its file failed to import, say) has not passed, and
    its message says why as far as the report does.
    """
    outcomes: dict[tuple[str, str], tuple[bool, str, str]] = {}
    broken: dict[str, str] = {}
    if junit_xml:
        for case in ET.fromstring(junit_xml).iter("testcase"):
            module = (case.get("classname") or "").rsplit(".", 1)[-1]
            name = case.get("name") or ""
            problem = next(
                (
                    case.find(tag)
                    for tag in ("failure", "error", "skipped")
                    if case.find(tag) is not None
                ),
                None,
            )
            if problem is None:
                outcomes[(module, name)] = (True, "", "")
                continue
            message = _first_line(problem.get("message") or problem.text or "")
            if problem.tag == "skipped":
                message = f"skipped: {message}"
            if not module or not name or name == module:  # a file that could not be collected
                broken[module or name] = message or "could not be collected"
            mistake = _likely_mistake(problem.text or "") or _likely_mistake(
                problem.get("message") or ""
            )
            outcomes[(module, name)] = (False, message, mistake)
    results = []
    for exercise in EXERCISES:
        module = exercise.test_file.removesuffix(".py")
        passed, message, mistake = outcomes.get((module, exercise.test), (False, "", ""))
        if (module, exercise.test) not in outcomes:
            why = broken.get(module)
            message = (
                f"{exercise.test_file} did not run: {why} (pytest shows why)"
                if why
                else f"its test, {exercise.test_file}::{exercise.test}, did not run"
            )
        results.append(ExerciseResult(exercise, passed, message, mistake))
    return tuple(results)


_MISTAKE = re.compile(r"^(?:E\b)?\s*likely mistake:\s*(.+?)\s*$", re.MULTILINE)


def _likely_mistake(text: str) -> str:
    """The text of the failure's ``likely mistake:`` line, or "" when it has none."""
    match = _MISTAKE.search(text)
    return match.group(1) if match else ""


def _first_line(message: str) -> str:
    """The failure's first line, without pytest's ``Failed: `` and the exercise's name."""
    line = message.strip().splitlines()[0] if message.strip() else ""
    line = line.removeprefix("Failed: ")
    name, sep, rest = line.partition(": ")
    return rest if sep and name in {e.name for e in EXERCISES} else line
