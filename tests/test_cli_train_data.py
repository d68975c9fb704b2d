"""chainrule train --data POINTS.csv: training on a learner's own x1,x2,label points."""

import json

from chainrule.nn import make_gauss, write_points

from tests.cli_helpers import chainrule


def test_the_points_of_a_file_train_as_the_same_generated_points_do(tmp_path):
    points, labels = make_gauss(n=40, noise=0.1, seed=1)
    csv = tmp_path / "points.csv"
    csv.write_text(write_points([[*p, y] for p, y in zip(points, labels, strict=True)]))
    common = ["--hidden", "3", "--epochs", "4", "--seed", "1", "--no-progress"]
    from_file = chainrule("train", "--data", str(csv), *common, "--out", str(tmp_path / "a"))
    assert from_file.returncode == 0, from_file.stderr
    assert "on points.csv (40 points)" in from_file.stdout
    generated = chainrule(
        "train", "--dataset", "gauss", "--samples", "40", *common, "--out", str(tmp_path / "b")
    )
    assert generated.returncode == 0, generated.stderr
    saved = [json.loads((tmp_path / d / "model.json").read_text())["layers"] for d in "ab"]
    assert saved[0] == saved[1]


def test_a_bad_file_is_refused_with_its_line_and_nothing_is_written(tmp_path):
    csv = tmp_path / "points.csv"
    csv.write_text("x1,x2,label\n0.5,0.5,1\n0.5,0.5,2\n")
    result = chainrule("train", "--data", str(csv), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert (
        f"--data {csv}: line 3: label 2 is not a class of this task: its labels are 0 or 1"
        in result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_a_missing_file_is_a_usage_error(tmp_path):
    result = chainrule("train", "--data", str(tmp_path / "none.csv"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "none.csv: cannot read it: No such file or directory" in result.stderr
