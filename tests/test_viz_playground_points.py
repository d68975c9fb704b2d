"""playground_config(points=...): the learner's own points, as chainrule train --data gives them."""

import pytest
from chainrule.viz.playground import MAX_SAMPLES, playground_config


def test_own_points_replace_the_generated_data_split_in_their_order():
    points = [[0.5, 0.5, 1], [-0.5, -0.5, 0.0], [0.25, -1e-3, 1], [1, 2, 0]]
    config = playground_config(points=points, train_ratio=0.5)
    assert config["data"] == {
        "train": [[0.5, 0.5, 1], [-0.5, -0.5, 0]],
        "test": [[0.25, -0.001, 1], [1.0, 2.0, 0]],
        "own": True,
    }
    assert playground_config()["data"]["own"] is False


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([], f"points: the playground takes 1 to {MAX_SAMPLES} points, got 0"),
        ([[0, 0, 1]] * (MAX_SAMPLES + 1), f"takes 1 to {MAX_SAMPLES} points, got 1001"),
        ([[0, 0, 2]], "point 0: label 2 is not a class of this task: its labels are 0 or 1"),
        ([[0, float("inf"), 1]], "point 0 must hold finite numbers"),
    ],
)
def test_bad_own_points_are_refused(points, message):
    with pytest.raises(ValueError) as caught:
        playground_config(points=points)
    assert message in str(caught.value)
