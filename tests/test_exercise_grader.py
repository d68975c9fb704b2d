"""``chainrule exercises check`` as a grader runs it (#20): each exercise in a process of its own,
with a timeout that kills everything the learner's code started, a file that does not import
failing only its own exercises, the verdict made from numbers and not from anything the
learner's code can write, and a message, never a traceback, whatever that code does."""

from __future__ import annotations

import inspect
import sys
import time
from pathlib import Path

import pytest

from chainrule.exercises import EXERCISES, run_check
from tests.cli_helpers import chainrule
from tests.test_cli_exercises import OPS, init, replace_body, score_lines

TIMEOUT = 2
ALL = len(EXERCISES)


def solved(folder: Path) -> Path:
    assert init(folder, "--solutions").returncode == 0
    return folder


def stubbed(folder: Path) -> Path:
    assert init(folder).returncode == 0
    return folder


def append(path: Path, code: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write("\n" + inspect.cleandoc(code) + "\n")


def check(folder: Path, *flags: str) -> tuple[int, str, dict[str, str]]:
    """``chainrule exercises check FOLDER``: its exit status, its output, and each exercise's
    score line by name; the output must hold no traceback."""
    result = chainrule("exercises", "check", str(folder), *flags)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    lines = {line.split()[1]: line for line in score_lines(result.stdout)}
    assert list(lines) == [e.name for e in EXERCISES], result.stdout
    return result.returncode, output, lines


def running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, killed but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def gone_soon(pid: int) -> bool:
    deadline = time.monotonic() + 2
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not running(pid)


SLEEPER = """
import subprocess, time
from pathlib import Path
Path(__file__).with_name("sleep.pid").write_text(str(subprocess.Popen(["sleep", "1000"]).pid))
"""


# --- time -------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to see the sleep is gone")
@pytest.mark.parametrize("start_a_sleep", [False, True], ids=["loop", "sleep-then-loop"])
def test_a_file_that_never_finishes_importing_times_out_and_leaves_nothing(tmp_path, start_a_sleep):
    folder = solved(tmp_path / "loop")
    append(
        folder / "ops.py",
        (SLEEPER if start_a_sleep else "import time") + "\nwhile True:\n    time.sleep(1)",
    )
    started = time.monotonic()
    status, output, lines = check(folder, "--timeout", str(TIMEOUT))
    assert time.monotonic() - started < TIMEOUT + 5
    assert status == 1
    for exercise in EXERCISES:
        if exercise.name in OPS:
            assert f"timed out after {TIMEOUT} s" in lines[exercise.name]
        else:  # neuron.py and layer.py do not need ops.py
            assert lines[exercise.name].startswith("✓"), lines[exercise.name]
    assert f"[1/{ALL}] mul … timed out after {TIMEOUT} s" in output
    if start_a_sleep:
        pid = int((folder / "sleep.pid").read_text(encoding="utf-8"))
        assert gone_soon(pid), f"the learner's sleep {pid} outlived the check"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to see the sleep is gone")
def test_a_function_that_never_returns_times_out_alone(tmp_path):
    folder = solved(tmp_path / "stuck")
    replace_body(folder / "ops.py", "d_tanh", f"{SLEEPER}\nwhile True:\n    time.sleep(1)")
    status, output, lines = check(folder, "--timeout", str(TIMEOUT))
    assert status == 1
    assert lines["tanh"] == f"✗ tanh  local derivative of tanh x  — timed out after {TIMEOUT} s"
    assert f"[6/{ALL}] tanh … timed out after {TIMEOUT} s" in output
    assert [name for name, line in lines.items() if line.startswith("✗")] == ["tanh"]
    assert gone_soon(int((folder / "sleep.pid").read_text(encoding="utf-8")))


def test_the_timeout_is_10_s_unless_told_and_must_be_positive(tmp_path):
    assert inspect.signature(run_check).parameters["timeout"].default == 10.0
    folder = solved(tmp_path / "ok")
    result = chainrule("exercises", "check", str(folder))
    assert "at most 10 s each" in result.stdout
    for bad in ("0", "-1", "nan", "soon"):
        refused = chainrule("exercises", "check", str(folder), "--timeout", bad)
        assert refused.returncode == 2 and "--timeout" in refused.stderr, bad


# --- files that do not import, or are not there ---------------------------------------------


def test_a_file_that_raises_on_import_fails_only_its_own_exercises(tmp_path):
    folder = solved(tmp_path / "broken")
    append(folder / "ops.py", 'raise RuntimeError("broken on purpose")')
    line = (folder / "ops.py").read_text(encoding="utf-8").count("\n")
    status, _, lines = check(folder)
    assert status == 1
    for exercise in EXERCISES:
        shown = lines[exercise.name]
        if exercise.name in OPS:
            assert shown.endswith(
                f"— ops.py did not import: RuntimeError: broken on purpose (line {line})"
            ), shown
        else:
            assert shown.startswith("✓"), shown


def test_a_missing_file_fails_its_exercises_with_a_message(tmp_path):
    folder = solved(tmp_path / "partial")
    (folder / "layer.py").unlink()
    status, _, lines = check(folder)
    assert status == 1
    assert lines["bp1"].endswith("— layer.py is missing from the folder")
    assert lines["bp2"].endswith("— layer.py is missing from the folder")
    assert all(lines[name].startswith("✓") for name in (*OPS, "neuron"))


# --- what the learner's code cannot do to the score ---------------------------------------------

CONFTEST = """
import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
"""

# Writes a passing JUnit report over every report in the test's own temporary folder, deletes
# them and writes bytes that are not UTF-8 as report.xml: when imported, and again at exit.
REWRITER = """
import atexit
from pathlib import Path

PASSING = (
    '<testsuites><testsuite name="pytest">'
    + "".join(f'<testcase classname="test_ops" name="test_{n}"/>' for n in range(99))
    + "</testsuite></testsuites>"
)
HERE = Path(__file__).resolve().parent

def rewrite():
    for report in HERE.parent.rglob("*.xml"):
        report.write_text(PASSING)
        report.unlink()
    (HERE / "report.xml").write_bytes(b"\\xff\\xfe not xml")
    (HERE.parent / "junit.xml").write_text(PASSING)

rewrite()
atexit.register(rewrite)
"""


def test_a_conftest_hook_and_an_atexit_rewrite_score_nothing(tmp_path):
    folder = stubbed(tmp_path / "faker")
    (folder / "conftest.py").write_text(inspect.cleandoc(CONFTEST), encoding="utf-8")
    for name in ("ops.py", "neuron.py", "layer.py"):
        append(folder / name, REWRITER)
    status, output, lines = check(folder)
    assert status == 1
    assert f"Score: 0 of {ALL} exercises pass." in output
    assert all("not written yet" in line for line in lines.values())
    assert (tmp_path / "junit.xml").read_text(encoding="utf-8").count("<testcase") == 99


def test_solutions_that_rewrite_files_at_exit_still_pass(tmp_path):
    folder = solved(tmp_path / "noisy")
    for name in ("ops.py", "neuron.py", "layer.py"):
        append(folder / name, REWRITER)
    status, output, _ = check(folder)
    assert status == 0 and f"Score: {ALL} of {ALL} exercises pass." in output


def test_correct_solutions_score_all_with_a_progress_line_each(tmp_path):
    folder = solved(tmp_path / "teacher")
    status, output, _ = check(folder)
    assert status == 0
    progress = [line for line in output.splitlines() if line.startswith("[")]
    assert progress == [f"[{i}/{ALL}] {e.name} … passed" for i, e in enumerate(EXERCISES, 1)]
    assert output.index(progress[-1]) < output.index("✓ mul")  # as each finishes, then the score
    seen = []
    score = run_check(folder, timeout=5, progress=lambda i, n, r: seen.append((i, n, r.verdict)))
    assert score.all_passed and seen == [(i, ALL, "passed") for i in range(1, ALL + 1)]


# --- garbage, crashes and bytes that are not UTF-8 ------------------------------------------


def test_garbage_crashes_and_bad_bytes_end_in_messages(tmp_path):
    folder = solved(tmp_path / "garbage")
    append(
        folder / "ops.py",
        """
        import sys
        sys.stdout.buffer.write(b"\\xff\\xfe not utf-8\\n")
        sys.stdout.flush()
        sys.stderr.buffer.write(b"\\xc3\\x28 not utf-8\\n")
        sys.stderr.flush()
        """,
    )
    replace_body(folder / "ops.py", "d_div", 'raise ValueError("bad \\udcff \\x1b[2J bytes")')
    replace_body(folder / "ops.py", "d_exp", "return {out}")
    replace_body(folder / "ops.py", "d_log", "return 10**400")
    replace_body(
        folder / "neuron.py",
        "neuron_backward",
        "import os\nfor fd in range(3, 12):\n    try:\n        os.write(fd, b'\\xff\\xfe{\\n')\n"
        "    except OSError:\n        pass\nreturn [], [], 0.0",
    )
    replace_body(
        folder / "layer.py",
        "bp1",
        "import os, sys\nsys.stderr.write('going away\\n')\nsys.stderr.flush()\nos._exit(3)",
    )
    replace_body(
        folder / "layer.py", "bp2", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"
    )
    status, _, lines = check(folder)
    assert status == 1
    assert lines["mul"].startswith("✓")  # printing bytes that are not UTF-8 changes nothing
    assert "ops.d_div raised ValueError" in lines["div"]
    assert "ops.d_exp returned {" in lines["exp"] and "should return one number" in lines["exp"]
    assert "ops.d_log returned 1000" in lines["log"]
    assert "its process sent something that is not an answer" in lines["neuron"]
    assert lines["bp1"].endswith("— its process ended (exit status 3) before answering: going away")
    assert "its process was killed by SIGSEGV before answering" in lines["bp2"]


def test_check_on_a_system_without_process_groups_says_how_to_run_the_exercises(
    tmp_path: Path, monkeypatch, capsys
):
    from chainrule import cli
    from chainrule.exercises import grader

    init(tmp_path / "ex")
    monkeypatch.setattr(grader, "supported", lambda: False)
    assert cli.main(["exercises", "check", str(tmp_path / "ex")]) == cli.USAGE_ERROR
    error = capsys.readouterr().err
    assert "Linux, macOS or WSL" in error and f"pytest {tmp_path / 'ex'}" in error


def test_every_test_is_read_before_any_learners_code_runs(tmp_path: Path, monkeypatch):
    """The learner's code could rewrite the package's test files on disk: they are read first."""
    from chainrule.exercises import grader

    init(tmp_path / "ex")
    events: list[str] = []
    load_test = grader.load_test

    def recording_load(exercise, stand_in):
        events.append("read")
        return load_test(exercise, stand_in)

    class RecordingChild(grader.Child):
        def __init__(self, *args, **kwargs):
            events.append("run")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(grader, "load_test", recording_load)
    monkeypatch.setattr(grader, "Child", RecordingChild)
    run_check(tmp_path / "ex", timeout=10)
    assert events.count("read") == len(EXERCISES)
    assert "run" in events and events.index("run") > max(
        i for i, event in enumerate(events) if event == "read"
    )
