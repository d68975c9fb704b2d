"""The playground with the learner's own data, in headless Chromium (#22, part 1).

Points drawn on the output, an uploaded CSV file and window.chainrule.setData train,
to Python's weights; a bad CSV file is refused naming its line and changes nothing; the
page's CSV reader (points.js) agrees with nn.read_points on one table of good and bad
files; the points live in the address up to 200 of them; Download CSV writes what
chainrule train --data reads; and the playground chainrule train --data writes starts
from the file's points and the trained weights.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from chainrule.nn import make_xor, read_points, write_points
from chainrule.viz import write_playground
from chainrule.viz.playground import POINTS_IN_ADDRESS, playground_config, python_training_steps
from selenium.common.exceptions import JavascriptException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.cli_helpers import chainrule
from tests.points_table import BAD, GOOD

pytestmark = [pytest.mark.needs_chromium]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_playground(tmp_path_factory.mktemp("playground") / "playground.html")


def open_page(browser, page: Path, fragment: str = "") -> None:
    browser.get("about:blank")
    browser.get(page.as_uri() + fragment)
    assert browser.execute_script("return typeof window.chainrule.setData") == "function"


def api(browser, call: str, *args: object) -> object:
    return browser.execute_script(f"return window.chainrule.{call}", *args)


def xor_points(n: int, seed: int = 3) -> list[list[float]]:
    points, labels = make_xor(n=n, noise=0.05, seed=seed)
    return [[*p, y] for p, y in zip(points, labels, strict=True)]


def assert_pythons_weights(browser, steps: int) -> None:
    """The page's weights after `steps` more steps equal nn.fit's on the page's own data.

    Each step is one batch of every training point (at most 30), so the page's order of
    the points, its own for data it did not get from Python, changes only the rounding.
    """
    api(browser, "configure({batchSize: 30})")  # a live key: the data and weights stay
    data = api(browser, "data()")
    assert len(data["train"]) <= 30
    config = playground_config(points=data["train"] + data["test"], batch_size=30)
    config["data"] = {"train": data["train"], "test": data["test"], "own": True}
    config["weights"] = api(browser, "model()")["layers"]
    expected = python_training_steps(config, steps)
    got = browser.execute_script(
        f"window.chainrule.train({steps}); return window.chainrule.weights()"
    )
    worst = max(
        abs(a - b) / max(abs(a), abs(b), 1e-300) for a, b in zip(got, expected, strict=True)
    )
    assert worst <= 1e-9, worst


def test_the_pages_reader_agrees_with_nn_read_points_on_every_case(browser, page):
    open_page(browser, page)
    read = (
        "try { return chainrule_points.read(arguments[0], arguments[1]); } catch (e) "
        "{ return {message: e.message, line: e.line}; }"
    )
    for name, text, classes, expected in GOOD:
        got = browser.execute_script(read, text, classes)
        assert got == expected, name
        assert got == read_points(text, classes=classes), name
    for name, text, classes, message in BAD:
        got = browser.execute_script(read, text, classes)
        assert got["message"] == message, name
        with pytest.raises(ValueError) as caught:
            read_points(text, classes=classes)
        assert got["line"] == caught.value.line, name


def test_set_data_trains_to_pythons_weights_and_lives_in_the_address(browser, page):
    open_page(browser, page)
    points = xor_points(30)
    data = api(browser, "setData(arguments[0])", points)
    assert data == {"train": points, "test": []}
    assert "your own" in browser.find_element(By.ID, "status").text
    assert_pythons_weights(browser, 25)
    fragment = browser.execute_script("return location.hash")
    assert "&points=" in fragment
    open_page(browser, page, fragment)
    assert api(browser, "data()") == {"train": points, "test": []}  # every digit kept
    api(browser, "configure({dataset: 'circles'})")
    assert "points=" not in browser.execute_script("return location.hash")
    assert len(api(browser, "data()")["train"]) == 100


def test_set_data_refuses_a_bad_point_and_changes_nothing(browser, page):
    open_page(browser, page)
    before = api(browser, "data()")
    for argument, message in [
        (
            [[0, 0, 1], [0, 0, 2]],
            "training point 1: label 2 is not a class of this task: its labels are 0 or 1",
        ),
        ([[0, 0, 1], [0, "1", 0]], "training point 1 must be [x1, x2, label], three finite"),
        ({"train": [], "test": [[0, 0, 1]]}, "the data needs at least one training point"),
        ([[0, 0, 1]] * 1001, "the playground takes at most 1000 points, got 1001"),
        ("0,0,1", "setData takes a list of points [x1, x2, label]"),
    ]:
        with pytest.raises(Exception, match=None) as caught:
            api(browser, "setData(arguments[0])", argument)
        assert message in str(caught.value)
    assert api(browser, "data()") == before


def test_more_points_than_the_address_holds_live_in_a_file(browser, page):
    open_page(browser, page)
    api(browser, "setData(arguments[0])", xor_points(POINTS_IN_ADDRESS + 1))
    assert "points=" not in browser.execute_script("return location.hash")
    summary = browser.find_element(By.ID, "own-summary").text
    assert f"too many for the address (at most {POINTS_IN_ADDRESS}); Download CSV keeps them" in (
        summary
    )


def test_a_bad_address_of_points_is_a_notice(browser, page):
    open_page(browser, page, "#points=0.5,0.5,1;1,2")
    notices = api(browser, "notices()")
    assert notices == [
        "The address's points=0.5,0.5,1;1,2 is not used: training point 2 must be x1,x2,label, "
        'got "1,2". Using moons instead.'
    ]
    assert len(api(browser, "data()")["train"]) == 100


def click_plot(browser, x: float, y: float, *, shift: bool = False) -> None:
    """Click the output's plot at (x, y), each from 0 (left, top) to 1 (right, bottom)."""
    canvas = browser.find_element(By.ID, "points")
    size = canvas.size
    dx, dy = (x - 0.5) * size["width"], (y - 0.5) * size["height"]
    chain = ActionChains(browser)
    if shift:
        chain.key_down(Keys.SHIFT)
    chain.move_to_element_with_offset(canvas, round(dx), round(dy)).click()
    if shift:
        chain.key_up(Keys.SHIFT)
    chain.perform()


def test_drawn_points_train_and_shift_click_removes_one(browser, page):
    open_page(browser, page)
    api(browser, "setData(arguments[0])", [[-1, -1, 0], [1, 1, 1]])
    browser.find_element(By.CSS_SELECTOR, 'input[name="tool"][value="add-1"]').click()
    click_plot(browser, 0.75, 0.25)
    click_plot(browser, 0.8, 0.3)
    browser.find_element(By.CSS_SELECTOR, 'input[name="tool"][value="add-0"]').click()
    click_plot(browser, 0.25, 0.75)
    train = api(browser, "data()")["train"]
    assert [row[2] for row in train] == [0, 1, 1, 1, 0]
    assert train[2][0] > 0 and train[2][1] > 0 and train[4][0] < 0 and train[4][1] < 0
    assert all(round(v, 2) == v for row in train[2:] for v in row[:2])  # two decimals
    assert "points=" in browser.execute_script("return location.hash")
    click_plot(browser, 0.8, 0.3, shift=True)
    after = api(browser, "data()")["train"]
    assert after == train[:3] + train[4:]
    assert_pythons_weights(browser, 20)
    browser.find_element(By.CSS_SELECTOR, 'input[name="tool"][value="remove"]').click()
    click_plot(browser, 0.02, 0.02)  # nothing within reach of a corner
    assert api(browser, "data()")["train"] == after


def upload(browser, path: Path) -> None:
    browser.find_element(By.ID, "upload").send_keys(str(path))


def test_an_uploaded_csv_trains_and_a_bad_one_is_refused(browser, page, tmp_path):
    open_page(browser, page)
    points = xor_points(30, seed=5)
    good = tmp_path / "points.csv"
    good.write_text(write_points(points), encoding="utf-8")
    upload(browser, good)
    WebDriverWait(browser, 10).until(
        lambda b: len(api(b, "data()")["train"]) == 30 and not api(b, "data()")["test"]
    )
    assert api(browser, "data()")["train"] == points
    assert_pythons_weights(browser, 30)
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n0.5,0.5,1\n0.5,oops,0\n", encoding="utf-8")
    upload(browser, bad)
    alert = browser.find_element(By.ID, "points-error")
    WebDriverWait(browser, 10).until(lambda b: alert.is_displayed())
    assert alert.text == 'bad.csv: line 3: x2 "oops" is not a number. Nothing was loaded.'
    assert api(browser, "data()")["train"] == points


def test_download_csv_writes_what_chainrule_train_reads(browser, page, tmp_path):
    open_page(browser, page, "#samples=30")
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.find_element(By.ID, "download-csv").click()
    saved = tmp_path / "chainrule-points-moons.csv"
    WebDriverWait(browser, 10).until(lambda b: saved.exists() and saved.stat().st_size)
    data = api(browser, "data()")
    assert read_points(saved.read_text(encoding="utf-8")) == data["train"] + data["test"]


def test_the_playground_of_a_train_data_run_goes_on_from_the_files_points(browser, tmp_path):
    points = xor_points(24)
    csv = tmp_path / "points.csv"
    csv.write_text(write_points(points), encoding="utf-8")
    out = tmp_path / "run"
    args = ["--hidden", "3", "--optimizer", "sgd", "--epochs", "2", "--no-progress"]
    result = chainrule("train", "--data", str(csv), *args, "--out", str(out))
    assert result.returncode == 0, result.stderr
    open_page(browser, out / "playground.html")
    assert api(browser, "data()") == {"train": points, "test": []}
    saved = json.loads((out / "model.json").read_text())["layers"]
    assert api(browser, "model()")["layers"] == saved
    assert api(browser, "epoch()") == 2
    open_page(browser, out / "playground.html", browser.execute_script("return location.hash"))
    assert api(browser, "model()")["layers"] == saved  # the address's points are the file's
    assert api(browser, "train(3)") == 3
    assert math.isfinite(api(browser, "loss()"))


def tools(browser) -> list[str]:
    return [
        element.get_attribute("value")
        for element in browser.find_elements(By.CSS_SELECTOR, 'input[name="tool"]')
    ]


def test_the_tools_and_labels_follow_the_task(browser, page):
    """Three classes: three Add tools and labels 0–2; regression: real targets, no Add tool."""
    open_page(browser, page)
    assert tools(browser) == ["choose", "add-0", "add-1", "remove"]
    api(browser, "configure(arguments[0])", {"classes": 3, "dataset": "spiral"})
    assert tools(browser) == ["choose", "add-0", "add-1", "add-2", "remove"]
    browser.find_element(By.CSS_SELECTOR, 'input[name="tool"][value="add-2"]').click()
    click_plot(browser, 0.5, 0.5)
    assert api(browser, "data()")["train"][-1][2] == 2
    with pytest.raises(JavascriptException, match="label"):
        api(browser, "setData(arguments[0])", [[0.1, 0.2, 3]])
    api(browser, "configure(arguments[0])", {"classes": 2, "dataset": "reg-plane"})
    assert tools(browser) == ["choose", "remove"]
    assert api(browser, "setData(arguments[0])", [[0.1, 0.2, 0.37]])["train"] == [[0.1, 0.2, 0.37]]
