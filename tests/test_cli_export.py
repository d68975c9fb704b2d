"""``chainrule export MODEL.json --to pytorch OUT.py``, run as a user would."""

import json

import pytest
from chainrule.nn import MLP, pytorch_export
from chainrule.nn.serialize import load

from tests.cli_helpers import chainrule, run_python


def saved_model(folder):
    model = MLP(2, [3, 1], activation="relu", seed=5)
    model.features = ("x1sq", "x2")
    model.save(folder / "model.json")
    return model


def test_export_writes_the_code_and_the_weights_the_module_makes(tmp_path):
    model = saved_model(tmp_path)
    done = chainrule(
        "export", str(tmp_path / "model.json"), "--to", "pytorch", str(tmp_path / "net.py")
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp_path / 'net.safetensors'}" in done.stdout
    code, weights = pytorch_export.export_pytorch(load(tmp_path / "model.json"))
    assert (tmp_path / "net.py").read_text(encoding="utf-8") == code
    assert (tmp_path / "net.safetensors").read_bytes() == weights
    ran = run_python(tmp_path / "net.py", "0.5", "-0.25")
    (value,) = json.loads(ran.stdout)
    assert value == pytest.approx(model([0.25, -0.25]).data, abs=1e-12, rel=0)


def test_export_refuses_to_overwrite_without_force_and_a_name_not_ending_in_py(tmp_path):
    saved_model(tmp_path)
    (tmp_path / "net.safetensors").write_bytes(b"mine")
    args = ("export", str(tmp_path / "model.json"), "--to", "pytorch")
    refused = chainrule(*args, str(tmp_path / "net.py"))
    assert refused.returncode == 2 and "net.safetensors already exists" in refused.stderr
    assert (tmp_path / "net.safetensors").read_bytes() == b"mine"
    assert not (tmp_path / "net.py").exists()
    assert chainrule(*args, str(tmp_path / "net.py"), "--force").returncode == 0
    wrong = chainrule(*args, str(tmp_path / "net.txt"))
    assert wrong.returncode == 2 and "must end in .py" in wrong.stderr


def test_export_of_a_bad_model_file_says_what_is_wrong(tmp_path):
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    done = chainrule(
        "export", str(tmp_path / "bad.json"), "--to", "pytorch", str(tmp_path / "net.py")
    )
    assert done.returncode == 2
    assert "cannot load a model from" in done.stderr and "'something else'" in done.stderr
    assert not (tmp_path / "net.py").exists()
