"""Writes that cannot race: a file is published only if nothing has its name at that moment.

Two runs writing one folder leave exactly one run's files; ``--force`` through a symbolic
link replaces the link's target atomically in the target's own folder (a link to another
filesystem included); a dangling link or a loop gets its own message (#20).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from chainrule.nn import MLP

from chainrule import outputs
from tests.cli_helpers import ROOT, chainrule, environment


def test_a_file_that_appears_before_the_commit_is_left_and_nothing_of_the_run_is_published(
    tmp_path,
):
    run = outputs.Outputs(force=False)
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    with run:
        for path in (first, second):
            run.claim(path, "--out")
            run.stage(path, lambda temporary, p=path: temporary.write_text(f"run's {p.name}"))
        second.write_text("someone else's")  # another run got there between claim and commit
        with pytest.raises(outputs.UsageError, match=r"b\.txt appeared while this run"):
            run.commit()
    assert second.read_text() == "someone else's"  # the winner's file, untouched
    assert not first.exists()  # and the loser's first file, published a moment ago, removed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]  # no temporary left


@pytest.mark.slow
def test_two_concurrent_train_runs_leave_one_winner_and_one_exit_2(tmp_path):
    folder = tmp_path / "conc"
    common = ["-m", "chainrule", "train", "--dataset", "moons", "--hidden", "4", "--epochs", "3",
              "--no-progress", "--out", str(folder)]  # fmt: skip
    runs = [
        subprocess.Popen(
            [sys.executable, *common, "--seed", str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            cwd=ROOT,
        )
        for seed in (1, 2)
    ]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    _, _, loser_err = next(result for result in results if result[0] == 2)
    assert str(folder) in loser_err and ("appeared while" in loser_err or "exists" in loser_err)
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]  # no half-written
    model = MLP.load(folder / "model.json")  # complete, and one run's
    winner_out = next(out for code, out, _ in results if code == 0)
    assert "model.json" in winner_out and model.parameters()


def test_force_through_a_symlink_replaces_its_target_on_another_filesystem(tmp_path):
    # /dev/shm is a tmpfs: another device than the test's folder on most machines
    elsewhere = Path(tempfile.mkdtemp(dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    try:
        target = elsewhere / "page.html"
        target.write_text("old")
        link = tmp_path / "page.html"
        link.symlink_to(target)
        result = chainrule("step", "x*2", "--set", "x=1", "--no-pause", "--html", str(link),
                           "--force")  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert link.is_symlink() and os.readlink(link) == str(target)  # the link stays a link
        assert "<html" in target.read_text()  # its target is the new page
        assert sorted(p.name for p in elsewhere.iterdir()) == ["page.html"]  # no temporary
    finally:
        for path in elsewhere.iterdir():
            path.unlink()
        elsewhere.rmdir()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda link, tmp: link.symlink_to(tmp / "missing.html"), "which does not exist"),
        (lambda link, tmp: link.symlink_to(link), "loops back on itself"),
    ],
)
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_dangling_link_or_a_loop_gets_its_own_message(tmp_path, make, message, force):
    link = tmp_path / "page.html"
    make(link, tmp_path)
    result = chainrule("step", "x*2", "--set", "x=1", "--no-pause", "--html", str(link), *force)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and str(link) in result.stderr
    assert "Traceback" not in result.stderr
    assert link.is_symlink()
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".")]  # no temporary
