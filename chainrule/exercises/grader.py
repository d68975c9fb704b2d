"""``chainrule exercises check`` as a grader runs it: each exercise in a process of its own.

For each exercise the grader starts :mod:`chainrule.exercises.runner` with ``python -I``, in
a new session (so in a process group of its own), which imports the learner's file
(``ops.py``, ``neuron.py`` or ``layer.py``) and waits. Then the grader runs the exercise's
test from the package's own ``templates/`` (never the learner's copy), here in this process,
with the learner's module replaced by a stand-in: each call of a learner's function is sent
to the child as JSON on a pipe, and the child sends back the value (or what was raised).
The test draws the random inputs and judges the answers with :mod:`chainrule.exercises.checks`
— chainrule's op table, ``backward()`` and central differences — as under pytest, likely
mistakes included. pytest itself does not run, so a ``conftest.py`` is never loaded, and
nothing the learner's code writes (a report, a file, an ``atexit`` hook) reaches the score.

Each exercise has ``timeout`` seconds, its import included. Then, and in any case when it
ends, its whole process group is killed (SIGKILL), so nothing the learner's code started
outlives it. A child that times out, dies, or sends something that is not an answer fails
its exercise with a message saying so; so does a file that does not import, naming the
error and its line — and only the exercises that need that file.

Every message is in the current language (``engine/messages/exercises.json``), the checks'
too, as they run here. The child is started with ``CHAINRULE_LANG`` set to that language, so
that chainrule, if the learner's code uses it, speaks it there as well; the runner itself
sends facts, never words.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.util
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest

from chainrule.engine import i18n
from chainrule.exercises import EXERCISES, Exercise, ExerciseResult, Progress

RUNNER = Path(__file__).with_name("runner.py")
ANSWER_LIMIT = 1_000_000
"""The most bytes one answer may take; more is not an answer to a few numbers."""
SHOWN_LIMIT = 200
"""The most characters of the learner's text (an error message, an answer) a line shows."""


def supported() -> bool:
    """Can this system run the grader? It needs process groups and ``select`` on pipes (POSIX)."""
    return hasattr(os, "killpg") and os.name == "posix"


class Abandoned(BaseException):
    """The exercise cannot go on: its process timed out, ended, or sent what is no answer.

    A ``BaseException``, so that it passes through the checks' ``except Exception``, which
    reports what a learner's *function* raised.
    """

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.timed_out = timed_out


class Child:
    """One exercise's process: the runner with the learner's module imported, and its pipes."""

    def __init__(self, folder: Path, module: str, timeout: float) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self._buffer = b""
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        requests, self._requests = os.pipe()
        self._answers, answers = os.pipe()
        command = [sys.executable, "-I", str(RUNNER), str(folder), module]
        # the learner's code may use chainrule: its messages come in the grader's language
        environment = {**os.environ, "CHAINRULE_LANG": i18n.language()}
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [*command, str(requests), str(answers)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._stderr,
                cwd=folder,
                env=environment,
                pass_fds=(requests, answers),
                start_new_session=True,
            )
        except OSError as error:
            self.process = None
            self.close()
            raise Abandoned(i18n.message("exercises.grader.could_not_start", error=error)) from None
        finally:
            os.close(requests)
            os.close(answers)
        os.set_blocking(self._requests, False)  # a child that stops reading cannot stop us

    def send(self, message: dict) -> None:
        try:
            os.write(self._requests, (json.dumps(message) + "\n").encode("utf-8"))
        except OSError:  # the child has closed its end (it has ended), or stopped reading
            raise Abandoned(self._ended()) from None

    def receive(self) -> dict:
        """The child's next message: one line of JSON holding an object of one key."""
        while b"\n" not in self._buffer:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise Abandoned(timed_out(self.timeout), timed_out=True)
            ready, _, _ = select.select([self._answers], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._answers, 65536)
            if not chunk:
                raise Abandoned(self._ended())
            self._buffer += chunk
            if len(self._buffer) > ANSWER_LIMIT:
                raise Abandoned(i18n.message("exercises.grader.too_long", limit=ANSWER_LIMIT))
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            message = None
        if not isinstance(message, dict) or len(message) != 1:
            raise Abandoned(not_an_answer(line[:80]))
        return message

    def _ended(self) -> str:
        """Why the child stopped answering: its exit status and the last line it printed."""
        assert self.process is not None
        try:
            status = self.process.wait(timeout=max(0.1, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return i18n.message("exercises.grader.closed")
        if status < 0:
            try:
                reason = i18n.message(
                    "exercises.grader.killed", signal=signal.Signals(-status).name
                )
            except ValueError:
                reason = i18n.message("exercises.grader.killed_by_number", number=-status)
        else:
            reason = i18n.message("exercises.grader.ended", status=status)
        last = self._last_error_line()
        return (
            i18n.message("exercises.grader.with_last_line", reason=reason, last=last)
            if last
            else reason
        )

    def _last_error_line(self) -> str:
        self._stderr.seek(0, os.SEEK_END)
        self._stderr.seek(max(0, self._stderr.tell() - 4096))
        lines = self._stderr.read().decode("utf-8", errors="replace").strip().splitlines()
        return shown(lines[-1]) if lines else ""

    def close(self) -> None:
        """Kill the child's whole process group, and everything the learner's code started."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for fd in (self._requests, self._answers):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._stderr.close()


class Opaque:
    """An answer that JSON cannot carry (a Value, a set …): shown by the child's ``repr``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class RemoteFunction:
    """A learner's function as the checks see it: each call is answered by the child."""

    def __init__(self, child: Child, module: str, name: str) -> None:
        self.child = child
        self.__module__ = module
        self.__name__ = name

    def __call__(self, *args: object) -> object:
        self.child.send({"function": self.__name__, "args": list(args)})
        reply = self.child.receive()
        if "value" in reply:
            return _plain(reply["value"])
        if isinstance(reply.get("opaque"), str):
            return Opaque(shown(reply["opaque"]))
        if isinstance(reply.get("unshowable"), str):  # a value whose repr raised
            return Opaque(
                i18n.message("exercises.grader.repr_raised", type=shown(reply["unshowable"]))
            )
        if isinstance(reply.get("raised"), dict):
            raise _remote_error(reply["raised"])
        raise Abandoned(not_an_answer(reply))


def _plain(value: object) -> object:
    """The value as the checks read it; an int beyond the floats becomes an :class:`Opaque`."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > sys.float_info.max:
        return Opaque(shown(repr(value)))
    return value


def _remote_error(raised: dict) -> Exception:
    """What the learner's function raised in the child, as an exception here.

    A built-in exception keeps its class (``NotImplementedError`` is "not written yet", an
    ``IndexError`` gets its hint); any other gets a class of the same name. The learner's own
    lines, already formatted, ride along as ``learner_where`` for the message.
    """
    name = str(raised.get("type") or "Exception")
    name = name if name.isidentifier() else "Exception"
    message = learner_message(raised)
    kind = getattr(builtins, name, None)
    error: Exception | None = None
    if isinstance(kind, type) and issubclass(kind, Exception):
        with contextlib.suppress(Exception):  # e.g. UnicodeDecodeError needs five arguments
            error = kind(message)
    if error is None:
        error = type(name, (Exception,), {})(message)
    error.learner_where = "\n".join(  # type: ignore[attr-defined]
        shown(line) for line in str(raised.get("where") or "").splitlines()
    )
    return error


class LearnerModule(types.ModuleType):
    """Stands in for ``ops``, ``neuron`` or ``layer`` in a test: its functions are the child's."""

    child: Child | None = None

    def __getattr__(self, name: str) -> RemoteFunction:
        if name.startswith("__") or self.child is None:
            raise AttributeError(name)
        return RemoteFunction(self.child, self.__name__, name)


def load_test(exercise: Exercise, stand_in: LearnerModule) -> Callable[[], None]:
    """The exercise's test from the package's templates, with ``stand_in`` as the learner's
    module and no diagrams drawn."""
    source = resources.files(__package__) / "templates" / exercise.test_file
    with resources.as_file(source) as path:
        name = f"chainrule_exercise_{exercise.test_file.removesuffix('.py')}"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        tests = importlib.util.module_from_spec(spec)
        saved = sys.modules.get(exercise.module)
        sys.modules[exercise.module] = stand_in  # what the test's `import ops` gets
        try:
            spec.loader.exec_module(tests)
        finally:
            if saved is None:
                del sys.modules[exercise.module]
            else:
                sys.modules[exercise.module] = saved
    tests.DIAGRAMS = None  # type: ignore[attr-defined]
    return getattr(tests, exercise.test)


def grade(
    folder: Path, timeout: float, progress: Progress | None = None
) -> Iterator[ExerciseResult]:
    """Each exercise's result, in order, as it finishes (told to ``progress`` as well)."""
    folder = folder.resolve()
    stand_ins = {e.module: LearnerModule(e.module) for e in EXERCISES}
    # every test is read before any learner's code runs, which could rewrite them on disk
    tests = [load_test(e, stand_ins[e.module]) for e in EXERCISES]
    hung: dict[str, str] = {}  # a file whose import timed out: the exercise that found it
    for index, (exercise, test) in enumerate(zip(EXERCISES, tests, strict=True), 1):
        stand_in = stand_ins[exercise.module]
        result = _grade_one(exercise, test, stand_in, folder, timeout, hung)
        if progress is not None:
            progress(index, len(EXERCISES), result)
        yield result


def _grade_one(
    exercise: Exercise,
    test: Callable[[], None],
    stand_in: LearnerModule,
    folder: Path,
    timeout: float,
    hung: dict,
) -> ExerciseResult:
    file = exercise.learner_file
    if not (folder / file).is_file():
        return ExerciseResult(exercise, False, i18n.message("exercises.grader.missing", file=file))
    if exercise.module in hung:
        return ExerciseResult(
            exercise,
            False,
            i18n.message(
                "exercises.grader.import_hung",
                seconds=f"{timeout:g}",
                file=file,
                exercise=hung[exercise.module],
            ),
            timed_out=True,
        )
    child: Child | None = None
    imported = False
    try:
        child = Child(folder, exercise.module, timeout)
        hello = child.receive()
        if isinstance(hello.get("import_error"), dict):
            return ExerciseResult(exercise, False, _import_error(file, hello["import_error"]))
        if hello != {"ready": True}:
            raise Abandoned(not_an_answer(hello))
        imported = True
        stand_in.child = child
        test()
    except Abandoned as stop:
        if stop.timed_out and not imported:
            hung[exercise.module] = exercise.name
            stop.message = i18n.message(
                "exercises.grader.import_timed_out", seconds=f"{timeout:g}", file=file
            )
        return ExerciseResult(exercise, False, stop.message, timed_out=stop.timed_out)
    except pytest.fail.Exception as failed:
        return failed_with(exercise, str(failed.msg))
    finally:
        if child is not None:
            child.close()
    return ExerciseResult(exercise, True, "")


def _import_error(file: str, error: dict) -> str:
    """``ops.py did not import: NameError: name 'x' is not defined (line 12)``."""
    kind = shown(str(error.get("type") or i18n.message("exercises.grader.some_error")))
    detail = learner_message(error)
    where, line = shown(str(error.get("file") or "")), error.get("line")
    if not isinstance(line, int):
        return i18n.message("exercises.grader.import_error", file=file, kind=kind, detail=detail)
    place = (
        i18n.message("exercises.grader.at_file_line", file=where, line=line)
        if where and where != file
        else i18n.message("exercises.grader.at_line", line=line)
    )
    return i18n.message(
        "exercises.grader.import_error_at", file=file, kind=kind, detail=detail, place=place
    )


def learner_message(error: dict) -> str:
    """The message of what the learner's code raised, as the child sent it (``None``: its
    ``str`` raised), as one line."""
    text = error.get("message")
    if text is None:
        return i18n.message("exercises.grader.message_unshown")
    return shown(str(text))


def timed_out(seconds: float) -> str:
    """``timed out after 10 s``."""
    return i18n.message("exercises.grader.timed_out", seconds=f"{seconds:g}")


def not_an_answer(what: object) -> str:
    """What the grader says of a message from the child that is no answer (its ``repr``)."""
    return i18n.message("exercises.grader.not_an_answer", what=shown(repr(what)))


def failed_with(exercise: Exercise, failure: str) -> ExerciseResult:
    """The result of an exercise whose check failed with the message ``failure``: its first
    line, without the exercise's name, and the text of its ``likely mistake:`` line if any."""
    return ExerciseResult(exercise, False, _first_line(failure), _likely_mistake(failure))


def _likely_mistake(text: str) -> str:
    """The text of the failure's ``likely mistake:`` line (``可能的错误：`` in Chinese), or ""
    when it has none."""
    label = i18n.message("exercises.failure.likely_mistake_line", hint="\0").partition("\0")[0]
    pattern = re.compile(rf"^\s*{re.escape(label.strip())}\s*(.+?)\s*$", re.MULTILINE)
    match = pattern.search(text)
    return printable(match.group(1)) if match else ""


def _first_line(message: str) -> str:
    """The failure's first line, without the exercise's name it starts with."""
    line = message.strip().splitlines()[0] if message.strip() else ""
    name, sep, rest = line.partition(": ")
    return printable(rest if sep and name in {e.name for e in EXERCISES} else line)


def shown(text: str) -> str:
    """The learner's text as one printable line, cut at :data:`SHOWN_LIMIT` characters."""
    return printable(text[:SHOWN_LIMIT] + ("…" if len(text) > SHOWN_LIMIT else ""))


def printable(text: str) -> str:
    """``text`` with each character that cannot be printed (a control character, a lone
    surrogate) as ``?``: a line of the score is one line, and any terminal can show it."""
    return "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "?" for c in text)
