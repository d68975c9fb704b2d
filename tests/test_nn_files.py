"""Model files: a save never loses the user's data, a load of any bad file is a ValueError.

``MLP.save`` writes a temporary file of its own (a unique name in the same folder), then
renames it over the target; ``MLP.load`` reads at most ``MAX_FILE_BYTES`` and raises only
``ValueError``, with the file's name, quoting at most a few dozen characters of it.
"""

import json
import os

import pytest
from chainrule.nn import MLP, serialize
from chainrule.nn.serialize import MAX_FILE_BYTES


def names(folder):
    return sorted(path.name for path in folder.iterdir())


def weights(model):
    return [p.data for p in model.parameters()]


# ---------------------------------------------------------------------------------------------
# save


def test_save_leaves_a_file_named_like_its_temporary_alone(tmp_path):
    (tmp_path / "model.json.tmp").write_text("the user's own notes")
    MLP(2, [1], seed=0).save(tmp_path / "model.json")
    assert names(tmp_path) == ["model.json", "model.json.tmp"]
    assert (tmp_path / "model.json.tmp").read_text() == "the user's own notes"


def test_a_failed_save_keeps_the_old_file_and_removes_only_its_own_temporary(tmp_path, monkeypatch):
    old = MLP(2, [1], seed=0)
    old.save(tmp_path / "model.json")
    (tmp_path / "model.json.tmp").write_text("the user's own notes")

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serialize.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        MLP(2, [1], seed=1).save(tmp_path / "model.json")
    assert names(tmp_path) == ["model.json", "model.json.tmp"]
    assert (tmp_path / "model.json.tmp").read_text() == "the user's own notes"
    assert weights(MLP.load(tmp_path / "model.json")) == weights(old)


def test_a_saved_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        MLP(2, [1], seed=0).save(tmp_path / "model.json")
    finally:
        os.umask(umask)
    assert (tmp_path / "model.json").stat().st_mode & 0o777 == 0o644


def test_save_over_an_existing_model_replaces_it(tmp_path):
    MLP(2, [1], seed=0).save(tmp_path / "model.json")
    new = MLP(2, [1], seed=1)
    new.save(tmp_path / "model.json")
    assert weights(MLP.load(tmp_path / "model.json")) == weights(new)
    assert names(tmp_path) == ["model.json"]


# ---------------------------------------------------------------------------------------------
# load: only ValueError, with the file's name


def document(**changes):
    saved = {
        "format": "chainrule.nn.MLP",
        "version": 1,
        "nin": 2,
        "nouts": [1],
        "activation": "tanh",
        "output_activation": "linear",
        "layers": [[{"w": [0.5, -0.25], "b": 0.125}]],
    }
    saved.update(changes)
    return saved


def load_error(path):
    with pytest.raises(ValueError) as caught:
        MLP.load(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_a_deeply_nested_file_is_a_value_error(tmp_path):
    path = tmp_path / "nested.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in load_error(path)


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_huge_integer_weight_is_a_value_error(tmp_path, digits):
    path = tmp_path / "big.json"
    text = json.dumps(document()).replace("0.125", "9" * digits)
    path.write_text(text)
    message = load_error(path)
    assert "b[1][0]" in message or "digits" in message
    assert len(message) < 400


def test_a_huge_integer_count_is_a_value_error(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(document()).replace('"nin": 2', '"nin": ' + "9" * 400))
    assert '"nin"' in load_error(path)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    assert MAX_FILE_BYTES == 5 * 1024 * 1024
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB on no disk space
    assert "5 MB" in load_error(path)
    path.write_text(" " * MAX_FILE_BYTES + "[]")  # just over: refused, not parsed
    assert "5 MB" in load_error(path)


def test_an_endless_device_is_refused():
    assert "5 MB" in load_error("/dev/zero")


def test_a_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "padded.json"
    text = json.dumps(document())
    path.write_text(text + " " * (MAX_FILE_BYTES - len(text)))
    assert weights(MLP.load(path)) == [0.5, -0.25, 0.125]


@pytest.mark.parametrize(
    "changes",
    [
        {"format": "x" * 3_000_000},
        {"version": "x" * 3_000_000},
        {"activation": "x" * 3_000_000},
        {"nin": "x" * 3_000_000},
        {"nouts": ["x" * 3_000_000]},
        {"layers": [[{"w": ["x" * 3_000_000, 1.0], "b": 0.0}]]},
        {"layers": [[{"w": [1.0, 1.0], "b": "x" * 3_000_000}]]},
    ],
    ids=["format", "version", "activation", "nin", "nouts", "weight", "bias"],
)
def test_an_error_quotes_at_most_a_few_hundred_characters_of_the_file(tmp_path, changes):
    path = tmp_path / "long.json"
    path.write_text(json.dumps(document(**changes)))
    message = load_error(path)
    assert len(message) < 300 + len(str(path))


def test_a_directory_or_an_unreadable_path_is_a_value_error(tmp_path):
    assert "directory" in load_error(tmp_path)
    assert "no such file" in load_error(tmp_path / "absent.json")
    (tmp_path / "file").write_text("x")
    assert load_error(tmp_path / "file" / "model.json")
