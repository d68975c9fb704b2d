"""Exercises for learners: write the local derivatives and backward passes, and get a score.

``chainrule exercises init DIR`` writes a folder of pytest exercises (:func:`exercise_files`):
``ops.py``, ``neuron.py`` and ``layer.py`` with functions to fill in, a README, and the tests
that check them at random inputs against chainrule's op table, its ``backward()`` and
central differences (:mod:`chainrule.exercises.checks`). ``--solutions`` writes the teacher's
version, the same files solved.

``chainrule exercises check DIR`` scores the folder as a grader would (:func:`run_check`):
each exercise in a process of its own, with a timeout, its answers judged here by the same
checks, so that nothing the learner's code writes can change the score
(:mod:`chainrule.exercises.grader`; the child's side is :mod:`chainrule.exercises.runner`).
pytest does not run there; the tests are for learners, who run ``pytest DIR``.

The files are written from ``templates/`` (``README.zh.md``, ``ops.zh.py`` … for ``--lang
zh``): each learner's function is written there solved, its body between the lines
``# solution`` and ``# end of solution``, which the learner's version replaces with
``raise NotImplementedError(…)``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from chainrule.engine.i18n import language, message

__all__ = [
    "EXERCISES",
    "FILES",
    "Exercise",
    "ExerciseResult",
    "Score",
    "exercise_files",
    "run_check",
]


@dataclass(frozen=True)
class Exercise:
    """One exercise: its name and the test that checks it (file::function)."""

    name: str
    test_file: str
    test: str

    @property
    def title(self) -> str:
        """What the exercise asks, in the current language: ``local derivatives of a·b``."""
        return message(f"exercises.title.{self.name}")

    @property
    def module(self) -> str:
        """The learner's module the exercise is in: ``ops`` for ``test_ops.py``."""
        return self.test_file.removeprefix("test_").removesuffix(".py")

    @property
    def learner_file(self) -> str:
        """The learner's file: ``ops.py``."""
        return f"{self.module}.py"


EXERCISES: tuple[Exercise, ...] = (
    Exercise("mul", "test_ops.py", "test_mul"),
    Exercise("div", "test_ops.py", "test_div"),
    Exercise("power", "test_ops.py", "test_power"),
    Exercise("exp", "test_ops.py", "test_exp"),
    Exercise("log", "test_ops.py", "test_log"),
    Exercise("tanh", "test_ops.py", "test_tanh"),
    Exercise("sigmoid", "test_ops.py", "test_sigmoid"),
    Exercise("relu", "test_ops.py", "test_relu"),
    Exercise("neuron", "test_neuron.py", "test_neuron"),
    Exercise("bp1", "test_layer.py", "test_bp1"),
    Exercise("bp2", "test_layer.py", "test_bp2"),
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

LEARNER_FILES = ("ops.py", "neuron.py", "layer.py")


_SOLUTION = re.compile(
    r"^(?P<indent>[ \t]*)# solution\n(?P<body>.*?)^[ \t]*# end of solution\n",
    re.MULTILINE | re.DOTALL,
)
_FUNCTION = re.compile(r"^[ \t]*def (\w+)\(", re.MULTILINE)


def template(name: str) -> str:
    """The text of one template, as shipped in the package."""
    return (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8")


def translated_template(name: str) -> str:
    """The template ``name`` in the current language: ``README.zh.md`` for ``README.md`` in
    Chinese, where there is one; else the template itself."""
    stem, _, suffix = name.rpartition(".")
    translated = resources.files(__package__) / "templates" / f"{stem}.{language()}.{suffix}"
    return translated.read_text(encoding="utf-8") if translated.is_file() else template(name)


def exercise_files(*, solutions: bool = False, folder: str = "FOLDER") -> dict[str, str]:
    """Each file of the exercises folder and its text: the learner's version, or the solutions.

    ``folder`` is how the texts name the folder in commands such as ``pytest FOLDER``. The
    README and the learner's files (their docstrings, comments and the stubs' ``raise``
    lines) are in the current language (:func:`chainrule.engine.i18n.language`): in Chinese
    from ``templates/README.zh.md``, ``ops.zh.py`` …, the same code in other words. The tests
    stay as they are: the grader runs the package's own, and their hints are shown in the
    current language (:func:`chainrule.exercises.checks.said`).
    """
    shown = shlex.quote(folder)
    note = message("exercises.note.teacher" if solutions else "exercises.note.learner")
    files = {}
    for name in FILES:
        text = translated_template(name)
        if name.endswith(".py"):
            text = _solved(text) if solutions else _stubbed(text)
        text = text.replace("VERSION_NOTE", note)
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
        said = message("exercises.stub.raise", function=name)
        return (
            f"{indent}{message('exercises.stub.comment')}\n"
            f'{indent}raise NotImplementedError("{said}")\n'
        )

    return _SOLUTION.sub(stub, text)


# --- the score ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseResult:
    """How one exercise did: ``passed``, the first line of its failure (``""`` if none), the
    failure's likely mistake (``""`` when the check names none), and whether it ran out of
    time."""

    exercise: Exercise
    passed: bool
    message: str
    mistake: str = ""
    timed_out: bool = False

    @property
    def verdict(self) -> str:
        """``passed``, ``failed``, or ``timed out after 10 s``: the word of a progress line."""
        if self.passed:
            return message("exercises.check.passed")
        return self.message if self.timed_out else message("exercises.check.failed")


Progress = Callable[[int, int, ExerciseResult], None]
"""Told each exercise's result as it finishes: ``progress(index, total, result)``."""


@dataclass(frozen=True)
class Score:
    """Every exercise's result, in the order of :data:`EXERCISES`."""

    results: tuple[ExerciseResult, ...]

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
                lines.append(
                    "    " + message("exercises.check.likely_mistake", hint=result.mistake)
                )
        return lines


def run_check(folder: Path, *, timeout: float = 10.0, progress: Progress | None = None) -> Score:
    """Score every exercise in ``folder``, each in a process of its own given ``timeout`` s.

    ``progress(index, total, result)`` is told each result as it comes. How an exercise is
    run and judged: :mod:`chainrule.exercises.grader`.
    """
    from chainrule.exercises import grader  # it needs pytest, which only `check` requires

    return Score(tuple(grader.grade(folder, timeout, progress)))
