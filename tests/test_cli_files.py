"""The files ``chainrule`` writes: exactly the path it prints, never over the user's data.

Every output path is checked before any work (a folder where a file is expected, a file
where a folder is expected, a folder that cannot be written, a file that exists without
``--force``); a write that fails anyway is a usage error with its reason, exit status 2.
"""

import os
import stat

import pytest
from chainrule.nn import MLP

from chainrule import cli, outputs
from tests.cli_helpers import chainrule

STEP = ["step", "x*2", "--set", "x=1"]
TRAIN = ["train", "--dataset", "gauss", "--hidden", "2", "--epochs", "1", "--no-progress"]
TRAIN_FILES = ("model.json", "decision_boundary.png", "training_curves.png", "playground.html")


def assert_usage_error(result, *fragments):
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    for fragment in fragments:
        assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert "wrote" not in result.stdout


def listing(folder):
    return sorted(path.name for path in folder.iterdir())


# ---------------------------------------------------------------------------------------------
# step --html / --svg / --png


@pytest.mark.parametrize("option", ["--html", "--svg", "--png"])
def test_a_directory_is_not_an_output_file(tmp_path, option):
    folder = tmp_path / "d"
    folder.mkdir()
    result = chainrule(*STEP, option, str(folder))
    assert_usage_error(result, str(folder), "is a folder")
    assert result.stdout == ""  # refused before stepping
    assert listing(tmp_path) == ["d"] and listing(folder) == []


@pytest.mark.needs_dot
def test_a_device_that_exists_needs_force_and_a_full_disk_is_an_error():
    assert not os.path.exists("/dev/full.html")
    result = chainrule(*STEP, "--html", "/dev/full")
    assert_usage_error(result, "/dev/full", "already exists", "--force")
    assert result.stdout == ""
    result = chainrule(*STEP, "--html", "/dev/full", "--force")
    assert_usage_error(result, "cannot write /dev/full", "No space left on device")
    assert not os.path.exists("/dev/full.html")


@pytest.mark.needs_dot
def test_the_path_printed_is_the_path_written(tmp_path):
    page = tmp_path / "page"  # no suffix: written as named, not as page.html
    result = chainrule(*STEP, "--html", str(page))
    assert result.returncode == 0, result.stderr
    assert f"wrote {page}\n" in result.stdout
    assert listing(tmp_path) == ["page"]
    assert "<svg" in page.read_text()


@pytest.mark.needs_dot
def test_missing_folders_are_created(tmp_path):
    target = tmp_path / "a" / "b" / "final.svg"
    result = chainrule(*STEP, "--svg", str(target))
    assert result.returncode == 0, result.stderr
    assert f"wrote {target}\n" in result.stdout and target.read_text().startswith("<?xml")


@pytest.mark.parametrize(
    "option, name", [("--html", "p.html"), ("--svg", "p.svg"), ("--png", "p.png")]
)
def test_a_file_under_a_file_is_refused(tmp_path, option, name):
    (tmp_path / "notes.txt").write_text("mine")
    result = chainrule(*STEP, option, str(tmp_path / "notes.txt" / name))
    assert_usage_error(result, "notes.txt", "not a folder")
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.needs_dot
@pytest.mark.parametrize(
    "option, name", [("--html", "p.html"), ("--svg", "p.svg"), ("--png", "p.png")]
)
def test_an_existing_file_is_kept_unless_force(tmp_path, option, name):
    target = tmp_path / name
    target.write_text("the user's own file")
    result = chainrule(*STEP, option, str(target))
    assert_usage_error(result, str(target), "already exists", "--force")
    assert result.stdout == ""
    assert target.read_text() == "the user's own file"
    forced = chainrule(*STEP, option, str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"wrote {target}\n" in forced.stdout
    assert target.read_bytes() != b"the user's own file"
    assert listing(tmp_path) == [name]  # no temporary file left behind


@pytest.mark.needs_dot
def test_a_rerun_refuses_and_names_the_file_and_force(tmp_path):
    target = tmp_path / "p.html"
    first = chainrule(*STEP, "--html", str(target))
    assert first.returncode == 0, first.stderr
    written = target.read_text()
    again = chainrule("step", "x*3", "--set", "x=1", "--html", str(target))
    assert_usage_error(again, str(target), "--force")
    assert target.read_text() == written


def test_two_options_cannot_name_the_same_file(tmp_path):
    target = tmp_path / "same.svg"
    result = chainrule(*STEP, "--html", str(target), "--svg", str(target))
    assert_usage_error(result, "--html", "--svg", "same file")
    assert listing(tmp_path) == []


def test_a_folder_without_write_permission_is_refused(tmp_path, monkeypatch, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)  # enough for a user; root is shown it below
    real_access = os.access
    monkeypatch.setattr(
        outputs.os,
        "access",
        lambda path, mode: real_access(path, mode) and not str(path).startswith(str(locked)),
    )
    try:
        assert cli.main([*STEP, "--svg", str(locked / "f.svg")]) == 2
        captured = capsys.readouterr()
        assert f"the folder {locked} is not writable" in captured.err and captured.out == ""
        assert cli.main([*TRAIN, "--out", str(locked / "run")]) == 2
        captured = capsys.readouterr()
        assert f"the folder {locked} is not writable" in captured.err and captured.out == ""
    finally:
        locked.chmod(stat.S_IRWXU)
    assert listing(locked) == []


# ---------------------------------------------------------------------------------------------
# train --out, demo --out


def test_train_checks_every_output_before_training(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.json").mkdir()  # a folder where the model file should go
    result = chainrule(*TRAIN, "--out", str(out))
    assert_usage_error(result, str(out / "model.json"), "is a folder")
    assert "Training" not in result.stdout  # found before training, not after
    assert listing(out) == ["model.json"]  # and no picture was left behind


def test_train_out_must_be_a_folder(tmp_path):
    (tmp_path / "run").write_text("not a folder")
    result = chainrule(*TRAIN, "--out", str(tmp_path / "run"))
    assert_usage_error(result, str(tmp_path / "run"), "not a folder")
    assert result.stdout == ""
    assert (tmp_path / "run").read_text() == "not a folder"


def test_train_out_cannot_be_a_device():
    result = chainrule(*TRAIN, "--out", "/dev/full")
    assert_usage_error(result, "/dev/full", "not a folder")
    assert result.stdout == ""


def test_train_keeps_the_users_files_and_a_rerun_needs_force(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.json.tmp").write_text("the user's own notes")
    first = chainrule(*TRAIN, "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert listing(out) == sorted([*TRAIN_FILES, "model.json.tmp"])
    assert (out / "model.json.tmp").read_text() == "the user's own notes"
    for name in TRAIN_FILES:
        assert f"{out / name}\n" in first.stdout
    weights = [p.data for p in MLP.load(out / "model.json").parameters()]

    again = chainrule(*TRAIN, "--seed", "1", "--out", str(out))
    assert_usage_error(again, str(out / "model.json"), "already exists", "--force")
    assert "Training" not in again.stdout
    assert [p.data for p in MLP.load(out / "model.json").parameters()] == weights

    forced = chainrule(*TRAIN, "--seed", "1", "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert [p.data for p in MLP.load(out / "model.json").parameters()] != weights
    assert listing(out) == sorted([*TRAIN_FILES, "model.json.tmp"])


def test_train_out_names_a_file_exactly_once_even_if_one_picture_exists(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "training_curves.png").write_bytes(b"my own picture")
    result = chainrule(*TRAIN, "--out", str(out))
    assert_usage_error(result, str(out / "training_curves.png"), "--force")
    assert listing(out) == ["training_curves.png"]
    assert (out / "training_curves.png").read_bytes() == b"my own picture"


def test_demo_refuses_to_overwrite_without_force_before_any_work(tmp_path):
    out = tmp_path / "demo"
    out.mkdir()
    (out / "neuron_graph.svg").write_text("mine")
    result = chainrule("demo", "--out", str(out))
    assert_usage_error(result, str(out / "neuron_graph.svg"), "--force")
    assert result.stdout == ""
    assert listing(out) == ["neuron_graph.svg"]
    assert (out / "neuron_graph.svg").read_text() == "mine"


def test_demo_out_must_be_a_folder(tmp_path):
    (tmp_path / "demo").write_text("a file")
    result = chainrule("demo", "--out", str(tmp_path / "demo"))
    assert_usage_error(result, "not a folder")
    assert result.stdout == ""


# ---------------------------------------------------------------------------------------------
# predict: a bad model file is a usage error


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"format": "chainrule.nn.MLP", "version": 1, "nin": 1, "nouts": [1], '
        '"activation": "tanh", "output_activation": "linear", '
        '"layers": [[{"w": [' + "9" * 400 + '], "b": 0}]]}',
        '{"format": "' + "x" * 3_000_000 + '"}',
    ],
    ids=["deeply-nested", "400-digit-weight", "3MB-field"],
)
def test_predict_with_a_bad_model_file_exits_2_naming_it(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = chainrule("predict", str(path), "1")
    assert_usage_error(result, str(path))
    assert len(result.stderr) < 600


def test_predict_refuses_a_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk space
    result = chainrule("predict", str(path), "1", "2")
    assert_usage_error(result, str(path), "5 MB")
    result = chainrule("predict", "/dev/zero", "1", "2")
    assert_usage_error(result, "/dev/zero", "5 MB")
