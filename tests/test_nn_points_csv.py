"""nn.read_points and write_points: the x1,x2,label files of data a learner makes."""

import math

import pytest
from chainrule.nn import PointsFileError, load_points, read_points, write_points
from hypothesis import given
from hypothesis import strategies as st

from tests.points_table import BAD, GOOD


@pytest.mark.parametrize(("name", "text", "classes", "expected"), GOOD, ids=[c[0] for c in GOOD])
def test_good_files_read_as_their_points(name, text, classes, expected):
    points = read_points(text, classes=classes)
    assert points == expected
    assert [[type(v) for v in p[:2]] for p in points] == [[float, float]] * len(points)


@pytest.mark.parametrize(("name", "text", "classes", "message"), BAD, ids=[c[0] for c in BAD])
def test_bad_files_are_refused_naming_the_line(name, text, classes, message):
    with pytest.raises(PointsFileError) as caught:
        read_points(text, classes=classes)
    assert str(caught.value) == message
    assert caught.value.line == (int(message.split(":")[0][5:]) if message[:5] == "line " else 0)


def test_class_labels_are_ints_and_regression_labels_floats():
    assert read_points("0,0,1.0")[0][2] == 1 and type(read_points("0,0,1.0")[0][2]) is int
    assert type(read_points("0,0,1", classes=None)[0][2]) is float


def test_classes_must_be_a_task():
    with pytest.raises(ValueError, match="classes must be a whole number ≥ 2 or None"):
        read_points("0,0,0", classes=1)


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(finite, finite, st.integers(0, 4)), min_size=1, max_size=20))
def test_written_points_read_back_bit_for_bit(rows):
    points = [[x1, x2, label] for x1, x2, label in rows]
    back = read_points(write_points(points), classes=5)
    assert back == points
    assert all(
        math.copysign(1, a) == math.copysign(1, b)
        for p, q in zip(back, points, strict=True)
        for a, b in zip(p, q, strict=True)
    )


def test_write_refuses_what_it_cannot_read_back():
    with pytest.raises(ValueError, match="point 1 must hold finite numbers"):
        write_points([[0, 0, 1], [math.nan, 0, 1]])
    with pytest.raises(ValueError, match=r"point 0 must be \[x1, x2, label\]"):
        write_points([[0, 0]])


def test_load_points_reads_a_file_and_refuses_one_not_utf8(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("x1,x2,label\n1,2,1\n", encoding="utf-8")
    assert load_points(path) == [[1.0, 2.0, 1]]
    path.write_bytes(b"1,2,\xff\n")
    with pytest.raises(PointsFileError, match="is not UTF-8 text"):
        load_points(path)
