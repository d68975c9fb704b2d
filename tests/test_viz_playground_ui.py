"""The playground page in a real browser: its controls, pictures and backprop panels.

Everything is driven as a learner drives it (buttons, selects, sliders, keys, clicks on
neurons and links) or through window.chainrule, the page's scripting API, and checked
through the DOM and that API: controls change config() and the address; an address opens
the configuration it holds; training after changing the data and the architecture lowers
the loss; a neuron shows t.bp's z, a, δ and ∂C/∂b; the BP1–BP4 walk shows every equation
with its numbers; a phone gets no horizontal scroll; a dark system gets a dark page; the
console stays clean and nothing is loaded. test_viz_playground_exact.py holds the page's
numbers to Python's.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
from chainrule.engine.narration import format_number
from chainrule.nn import MLP
from chainrule.viz import write_playground
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.headless_chromium import emulate_screen
from tests.test_viz_playground import KEYS

pytestmark = [pytest.mark.needs_chromium]

SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sup(n: int) -> str:
    return str(n).translate(SUP)


def sub(*indices: int) -> str:
    return "".join(str(i).translate(SUB) for i in indices)


def factor(x: float) -> str:
    """A number as the page writes a factor: a negative one in parentheses."""
    return f"({format_number(x)})" if x < 0 else format_number(x)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default playground: moons, x₁ and x₂, hidden [4, 4], tanh, bce, SGD."""
    return write_playground(tmp_path_factory.mktemp("playground") / "playground.html")


def open_page(browser: WebDriver, page: Path, fragment: str = "") -> None:
    browser.get("about:blank")  # a new document even when only the fragment differs
    browser.get(page.as_uri() + fragment)
    assert browser.execute_script("return typeof window.chainrule.configure") == "function"
    browser.get_log("browser")  # each test starts with an empty console


def api(browser: WebDriver, call: str, *args: object) -> object:
    return browser.execute_script(f"return window.chainrule.{call}", *args)


def config(browser: WebDriver) -> dict:
    return api(browser, "config()")


def address(browser: WebDriver) -> dict[str, str]:
    """The address's #key=value&… as a dict."""
    fragment = browser.execute_script("return location.hash")
    assert fragment.startswith("#")
    return dict(part.split("=", 1) for part in fragment[1:].split("&"))


def console_errors(browser: WebDriver) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def click(browser: WebDriver, selector: str) -> None:
    browser.find_element(By.CSS_SELECTOR, selector).click()


# ── controls, the configuration and the address ──────────────────────────────────────────


def test_every_control_changes_the_configuration_and_the_address(browser, page):
    open_page(browser, page)
    start = config(browser)
    assert start == {
        "dataset": "moons",
        "samples": 200,
        "noise": 0.1,
        "trainRatio": 0.5,
        "features": ["x1", "x2"],
        "hidden": [4, 4],
        "activation": "tanh",
        "init": "uniform",
        "loss": "bce",
        "optimizer": "sgd",
        "lr": 0.03,
        "batchSize": 10,
        "l1": 0,
        "l2": 0,
        "seed": 0,
        "classes": 2,
    }
    assert list(address(browser)) == KEYS

    click(browser, 'button[data-dataset="circles"]')
    assert config(browser)["dataset"] == "circles" and address(browser)["dataset"] == "circles"
    pressed = browser.find_element(By.CSS_SELECTOR, 'button[data-dataset="circles"]')
    assert pressed.get_attribute("aria-pressed") == "true"

    for control, value, expected in [
        ("lr", "0.3", 0.3),
        ("activation", "relu", "relu"),
        ("loss", "hinge", "hinge"),
        ("optimizer", "adam", "adam"),
        ("l1", "0.003", 0.003),
        ("l2", "0.001", 0.001),
    ]:
        Select(browser.find_element(By.ID, control)).select_by_value(value)
        assert config(browser)[control] == expected, control
        assert address(browser)[control] == value, control

    for slider, key, expected, shown in [
        ("trainRatio", "trainRatio", 0.6, "0.6"),
        ("noise", "noise", 0.15, "0.15"),
        ("batchSize", "batchSize", 11, "11"),
    ]:
        browser.find_element(By.ID, slider).send_keys(Keys.ARROW_RIGHT)
        assert config(browser)[key] == pytest.approx(expected), key
        assert float(address(browser)[key]) == pytest.approx(float(shown)), key

    click(browser, 'button[data-feature="x1sq"]')  # an input feature, toggled on the column
    assert config(browser)["features"] == ["x1", "x2", "x1sq"]
    assert address(browser)["features"] == "x1,x2,x1sq"
    click(browser, 'button[data-feature="x1"]')
    assert config(browser)["features"] == ["x2", "x1sq"]
    assert len(api(browser, "weights()")) == (2 * 4 + 4) + (4 * 4 + 4) + (4 + 1)  # rebuilt

    click(browser, "#add-layer")
    assert config(browser)["hidden"] == [4, 4, 4] and address(browser)["hidden"] == "4,4,4"
    click(browser, 'button[data-layer="1"][data-delta="1"]')  # + on the first hidden layer
    assert config(browser)["hidden"] == [5, 4, 4]
    click(browser, 'button[data-layer="3"][data-delta="-1"]')
    assert config(browser)["hidden"] == [5, 4, 3]
    click(browser, "#remove-layer")
    assert config(browser)["hidden"] == [5, 4] and address(browser)["hidden"] == "5,4"

    click(browser, "#show-test")
    assert address(browser)["showTestData"] == "false"
    seed = config(browser)["seed"]
    click(browser, "#regenerate")
    assert config(browser)["seed"] != seed
    assert console_errors(browser) == []


def test_the_playgrounds_limits_hold_on_the_buttons(browser, page):
    open_page(browser, page)
    for _ in range(8):
        click(browser, "#add-layer")
    assert len(config(browser)["hidden"]) == 6
    assert browser.find_element(By.ID, "add-layer").get_attribute("disabled") == "true"
    for _ in range(6):
        click(browser, 'button[data-layer="1"][data-delta="1"]')
    assert config(browser)["hidden"][0] == 8
    plus = browser.find_element(By.CSS_SELECTOR, 'button[data-layer="1"][data-delta="1"]')
    assert plus.get_attribute("disabled") == "true"
    api(browser, "configure({hidden: [1]})")
    minus = browser.find_element(By.CSS_SELECTOR, 'button[data-layer="1"][data-delta="-1"]')
    assert minus.get_attribute("disabled") == "true"
    api(browser, "configure({features: ['x2']})")
    click(browser, 'button[data-feature="x2"]')  # the last feature stays
    assert config(browser)["features"] == ["x2"]
    assert "at least one" in browser.find_element(By.ID, "status").text


def test_a_bad_configuration_is_refused_with_a_message_and_changes_nothing(browser, page):
    open_page(browser, page)
    before = config(browser)
    for bad, words in [
        ("{dataset: 'iris'}", "dataset must be one of moons, circles, xor, gauss, spiral"),
        ("{dataset: 'moons', classes: 3}", "classes 3 needs a data set of K classes"),
        ("{hidden: [4, 9, 4, 4, 4, 4, 4]}", "hidden"),
        ("{features: []}", "at least one input feature"),
        ("{lr: -1}", "lr must be a number above 0"),
        ("{batchSize: 31}", "batchSize must be a whole number from 1 to 30"),
        ("{colour: 'red'}", 'unknown configuration key "colour"'),
    ]:
        message = browser.execute_script(
            f"try {{ window.chainrule.configure({bad}); return null; }} "
            "catch (error) { return error.message; }"
        )
        assert message is not None and words in message, bad
        assert config(browser) == before
    assert console_errors(browser) == []


def test_an_address_opens_its_configuration_and_round_trips(browser, page):
    fragment = (
        "#dataset=xor&samples=300&noise=0.2&trainRatio=0.7&features=x1,x2,x1x2&hidden=3"
        "&activation=relu&init=uniform&loss=hinge&optimizer=adam&lr=0.01&batchSize=5&l1=0.01&l2=0.001&seed=42"
        "&classes=2"
    )
    open_page(browser, page, fragment)
    expected = {
        "dataset": "xor",
        "samples": 300,
        "noise": 0.2,
        "trainRatio": 0.7,
        "features": ["x1", "x2", "x1x2"],
        "hidden": [3],
        "activation": "relu",
        "init": "uniform",
        "loss": "hinge",
        "optimizer": "adam",
        "lr": 0.01,
        "batchSize": 5,
        "l1": 0.01,
        "l2": 0.001,
        "seed": 42,
        "classes": 2,
    }
    assert config(browser) == expected
    assert browser.execute_script("return location.hash") == fragment
    assert Select(browser.find_element(By.ID, "lr")).first_selected_option.text == "0.01"
    assert Select(browser.find_element(By.ID, "activation")).first_selected_option.text == "ReLU"
    on = browser.execute_script(
        "return Array.from(document.querySelectorAll('button[data-feature]'))"
        ".filter(b => b.getAttribute('aria-pressed') === 'true').map(b => b.dataset.feature)"
    )
    assert on == ["x1", "x2", "x1x2"]
    data = api(browser, "data()")
    assert len(data["train"]) == 210 and len(data["test"]) == 90
    made = browser.execute_script(  # the page's own generator, with the address's seed
        "const d = chainrule_data.generate('xor', 300, 0.2, 42);"
        "return chainrule_data.split(d.points, d.labels, 0.7);"
    )
    assert made == data
    assert len(api(browser, "weights()")) == (3 * 3 + 3) + (3 + 1)

    # what a learner sets with the controls is what a link to the page opens
    Select(browser.find_element(By.ID, "loss")).select_by_value("bce")
    click(browser, 'button[data-dataset="spiral"]')
    chosen, link = config(browser), browser.execute_script("return location.hash")
    open_page(browser, page, link)
    assert config(browser) == chosen and browser.execute_script("return location.hash") == link
    assert console_errors(browser) == []


def test_an_address_with_bad_values_keeps_the_defaults_for_them_and_says_so(browser, page):
    open_page(browser, page, "#dataset=iris&hidden=4,99&lr=fast&activation=sigmoid")
    got = config(browser)
    assert got["dataset"] == "moons" and got["hidden"] == [4, 4] and got["lr"] == 0.03
    assert got["activation"] == "sigmoid"
    status = browser.find_element(By.ID, "status").text
    assert "Ignored in the address" in status and "iris" in status and "fast" in status
    assert console_errors(browser) == []


def test_an_address_with_keys_named_like_object_members_says_they_are_unknown(browser, page):
    """No key of the address is looked up through Object.prototype (#17)."""
    open_page(browser, page, "#toString=1&constructor=x&__proto__=y&activation=valueOf")
    assert config(browser)["activation"] == "tanh"
    status = browser.find_element(By.ID, "status").text
    for key in ("toString", "constructor", "__proto__"):
        assert f'unknown key "{key}"' in status
    assert "activation must be one of" in status and "valueOf" in status
    assert console_errors(browser) == []


def test_editing_the_address_applies_it_and_hide_flags_hide_controls(browser, page):
    open_page(browser, page, "#noise_hide=true&lr_hide=true")
    assert not browser.find_element(By.ID, "noise").is_displayed()
    assert not browser.find_element(By.ID, "lr").is_displayed()
    assert browser.find_element(By.ID, "activation").is_displayed()
    fragment = browser.execute_script("return location.hash")
    assert "noise_hide=true" in fragment and "lr_hide=true" in fragment
    browser.execute_script("location.hash = location.hash.replace('hidden=4,4', 'hidden=2')")
    time.sleep(0.2)  # hashchange
    assert config(browser)["hidden"] == [2]


# ── training ─────────────────────────────────────────────────────────────────────────────


def test_after_changing_data_and_architecture_training_lowers_the_loss_on_moons(browser, page):
    open_page(browser, page)
    api(browser, "configure({dataset: 'circles', hidden: [3], features: ['x1sq', 'x2sq']})")
    assert api(browser, "train(60)") == api(browser, "epoch()") == 6  # 100 points, batches of 10
    assert math.isfinite(api(browser, "loss()"))
    shape = api(
        browser,
        "configure({dataset: 'moons', hidden: [6, 6], features: ['x1', 'x2'], "
        "lr: 0.3, activation: 'tanh'})",
    )
    assert shape["hidden"] == [6, 6] and api(browser, "epoch()") == 0
    assert len(api(browser, "weights()")) == (2 * 6 + 6) + (6 * 6 + 6) + (6 + 1)
    before = api(browser, "loss()")
    assert api(browser, "train(400)") == 40
    after = api(browser, "loss()")
    assert after < 0.6 * before, (before, after)
    assert browser.find_element(By.ID, "epoch").text == "40"
    shown = float(browser.find_element(By.ID, "loss-train").text)
    assert shown == pytest.approx(after, rel=1e-3)
    points = browser.execute_script(
        "return document.querySelector('#curve polyline').getAttribute('points').split(' ').length"
    )
    assert points >= 2  # the curve starts at epoch 0 and follows the training
    assert console_errors(browser) == []


def test_step_play_pause_and_reset(browser, page):
    open_page(browser, page)
    initial = api(browser, "weights()")
    click(browser, "#step")  # one epoch, as TensorFlow Playground's Step
    assert api(browser, "weights()") != initial
    assert browser.execute_script("return window.chainrule.epoch()") == 1
    click(browser, "#play")
    assert browser.find_element(By.ID, "play").get_attribute("aria-pressed") == "true"
    time.sleep(0.6)
    click(browser, "#play")
    assert browser.find_element(By.ID, "play").get_attribute("aria-pressed") == "false"
    epochs = api(browser, "epoch()")
    assert epochs > 0 and browser.find_element(By.ID, "epoch").text == str(epochs)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(" ")  # Space plays …
    assert api(browser, "playing()") is True
    body.send_keys(" ")  # … and pauses
    assert api(browser, "playing()") is False
    click(browser, "#reset")
    assert api(browser, "epoch()") == 0 and api(browser, "weights()") == initial
    assert console_errors(browser) == []


def test_a_learning_rate_that_diverges_stops_training_with_a_message(browser, page):
    open_page(browser, page)
    api(browser, "configure({lr: 10, loss: 'mse'})")  # seeded: diverges within 10 epochs
    message = browser.execute_script(
        "try { window.chainrule.train(3000); return null; } catch (error) { return error.message; }"
    )
    assert message.startswith("Training stopped at epoch ")
    assert "NumberOverflowError: x ** 2 overflows a float" in message
    alert = browser.find_element(By.ID, "error")
    assert alert.is_displayed() and alert.get_attribute("role") == "alert"
    assert alert.text == message and "Lower the learning rate" in message
    assert api(browser, "playing()") is False
    api(browser, "walk(0)")  # the page stays usable, and says why backprop has no numbers
    assert "cannot be computed" in browser.find_element(By.ID, "caption").text
    click(browser, "#reset")
    assert not alert.is_displayed() and math.isfinite(api(browser, "loss()"))
    assert console_errors(browser) == []


def test_playing_trains_and_draws_without_errors(browser, tmp_path):
    # how fast is measured by `make bench` (benchmarks/in_browser.py), never by a test
    page = write_playground(tmp_path / "play.html", hidden=[8, 8], samples=400, train_ratio=0.5)
    open_page(browser, page)
    assert len(api(browser, "data()")["train"]) == 200
    start = api(browser, "epoch()")
    api(browser, "play()")
    WebDriverWait(browser, 30).until(lambda b: api(b, "epoch()") >= start + 3)
    api(browser, "pause()")
    assert api(browser, "playing()") is False
    assert console_errors(browser) == []


# ── backprop on one sample ───────────────────────────────────────────────────────────────


def shown_numbers(browser: WebDriver) -> dict[str, float]:
    """The inspector's numbers by their quantity: the exact float behind each."""
    return browser.execute_script(
        "const out = {};"
        "document.querySelectorAll('#inspector dd[data-q]').forEach(d => {"
        "  out[d.dataset.q] = Number(d.dataset.value); });"
        "return out;"
    )


def test_a_clicked_neuron_shows_z_a_delta_and_dc_db_of_its_sample(browser, page):
    open_page(browser, page)
    api(browser, "train(25)")
    field = browser.find_element(By.ID, "sample")
    field.clear()
    field.send_keys("7", Keys.ENTER)
    assert api(browser, "sample()") == 7
    click(browser, 'button.neuron[data-l="2"][data-j="1"]')
    q = api(browser, "bp(7)")
    numbers = shown_numbers(browser)
    assert numbers["z"] == q["z"]["2"][1] and numbers["a"] == q["a"]["2"][1]
    assert numbers["delta"] == q["delta"]["2"][1] and numbers["dC_db"] == q["dC_db"]["2"][1]
    assert numbers["sigma_prime"] == q["sigma_prime"]["2"][1]
    assert numbers["dC_da"] == q["dC_da"]["2"][1]
    text = browser.find_element(By.ID, "inspector").text
    assert "δ²₁ = ∂C/∂z²₁" in text and format_number(q["delta"]["2"][1]) in text
    assert "∂C/∂b²₁ = δ²₁ (BP4)" in text
    neuron = browser.find_element(By.CSS_SELECTOR, 'button.neuron[data-l="2"][data-j="1"]')
    assert neuron.get_attribute("aria-pressed") == "true"

    # the keyboard does the same: focus the output neuron, press Enter
    output = browser.find_element(By.CSS_SELECTOR, 'button.neuron[data-l="3"][data-j="0"]')
    output.send_keys(Keys.ENTER)
    assert shown_numbers(browser)["delta"] == q["delta"]["3"][0]
    assert "Output neuron a³₀" in browser.find_element(By.ID, "inspector").text

    assert console_errors(browser) == []


def test_a_click_on_a_training_point_chooses_it(browser, page):
    open_page(browser, page)
    points = browser.find_element(By.ID, "points")
    train = api(browser, "data()")["train"]
    width = points.size["width"]
    xs = [row[0] for row in train + api(browser, "data()")["test"]]
    ys = [row[1] for row in train + api(browser, "data()")["test"]]
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 * 1.1 + 0.05  # the page's square
    left, top = (min(xs) + max(xs)) / 2 - half, (min(ys) + max(ys)) / 2 + half

    def pixel(row):
        return ((row[0] - left) / (2 * half) * width, (top - row[1]) / (2 * half) * width)

    def alone(i):
        x, y = pixel(train[i])
        return all(math.dist((x, y), pixel(row)) > 4 for j, row in enumerate(train) if j != i)

    chosen = next(i for i in range(5, len(train)) if alone(i))
    x, y = pixel(train[chosen])
    ActionChains(browser).move_to_element_with_offset(
        points, round(x - width / 2), round(y - width / 2)
    ).click().perform()
    assert api(browser, "sample()") == chosen
    assert browser.find_element(By.ID, "sample").get_attribute("value") == str(chosen)


def test_a_clicked_link_shows_w_and_dc_dw(browser, page):
    open_page(browser, page)
    api(browser, "train(12)")
    browser.execute_script(
        'document.querySelector(\'.hit[data-l="2"][data-j="3"][data-k="0"]\')'
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    q = api(browser, "bp(0)")
    weight = api(browser, "model()")["layers"][1][3]["w"][0]
    numbers = shown_numbers(browser)
    assert numbers["w"] == weight and numbers["dC_dW"] == q["dC_dW"]["2"][3][0]
    assert numbers["dC_dW"] == q["delta"]["2"][3] * q["a"]["1"][0]  # BP3
    text = browser.find_element(By.ID, "inspector").text
    assert f"∂C/∂W²₃₀ = δ²₃·a¹₀ = {factor(q['delta']['2'][3])}·{factor(q['a']['1'][0])}" in text
    assert ("(negative)" if weight < 0 else "(positive)") in text
    link = browser.find_element(By.CSS_SELECTOR, ".link.selected")
    assert link.find_element(By.CSS_SELECTOR, ".hit").get_attribute("data-k") == "0"
    # a neuron's table of incoming weights leads to the same link
    click(browser, 'button.neuron[data-l="2"][data-j="3"]')
    click(browser, "#inspector .link-button")
    assert shown_numbers(browser)["dC_dW"] == q["dC_dW"]["2"][3][0]
    assert console_errors(browser) == []


def walk_captions(browser: WebDriver) -> list[tuple[str, str, list[str], list[str]]]:
    """Every step of the walk, with the Next button: (counter, caption, lit nodes, lit links)."""
    click(browser, "#bp")
    steps = []
    while True:
        steps.append(
            browser.execute_script(
                "return [document.getElementById('bp-counter').textContent,"
                " document.getElementById('caption').textContent,"
                " Array.from(document.querySelectorAll('#network button.lit'), e =>"
                "   e.dataset.feature || e.dataset.l + '_' + e.dataset.j),"
                " Array.from(document.querySelectorAll('#network .link.lit .hit'), e =>"
                "   [e.dataset.l, e.dataset.j, e.dataset.k].join('_'))];"
            )
        )
        following = browser.find_element(By.ID, "bp-next")
        if following.get_attribute("disabled"):
            return steps
        following.click()


def test_the_bp_walk_shows_every_equation_with_its_numbers(browser, page):
    open_page(browser, page)
    api(browser, "train(30)")
    api(browser, "sample(3)")
    q = api(browser, "bp(3)")
    y = float(api(browser, "data()")["train"][3][2])
    steps = walk_captions(browser)
    # BP1 at the output, BP2 for layers 2 and 1, BP3 for each of the 9 neurons, BP4 per layer
    equations = [counter.split(": ")[1] for counter, *_ in steps]
    assert equations == ["BP1"] + ["BP2"] * 2 + ["BP3"] * 9 + ["BP4"] * 3
    assert steps[0][0] == "step 1 / 15: BP1"

    bp1 = steps[0][1].splitlines()
    a_out, dc_da, sp, delta = (q[k]["3"][0] for k in ("a", "dC_da", "sigma_prime", "delta"))
    y_hat = format_number(1 / (1 + math.exp(-a_out)))  # the loss's logistic s, not σ
    assert bp1[0].endswith("(its activation σ = identity, so σ' = 1)")
    assert bp1[1] == (
        f"BP1  δ³₀ = (ŷ − y)·σ'(z³₀) = ({y_hat} − {format_number(y)})·"
        f"{factor(sp)} = {factor(dc_da)}·{factor(sp)} = {format_number(delta)}"
    )
    assert bp1[2] == f"     ŷ = s(a³₀) = {y_hat}, s(x) = 1/(1 + e⁻ˣ) the loss's logistic (not σ)"
    assert not any("σ(" in line for line in bp1)  # σ is the activation only: σ'(z) here
    assert steps[0][2] == ["3_0"] and steps[0][3] == []

    bp2 = steps[1][1].splitlines()  # layer 2: δ² from W³ and δ³
    assert bp2[0].startswith("BP2  δ² = ((W³)ᵀ δ³) ⊙ σ'(z²)")
    w3 = api(browser, "model()")["layers"][2]
    for j in range(4):
        assert bp2[1 + j] == (
            f"BP2  δ²{sub(j)} = (W³₀{sub(j)}·δ³₀)·σ'(z²{sub(j)}) = "
            f"({factor(w3[0]['w'][j])}·{factor(q['delta']['3'][0])})·"
            f"{factor(q['sigma_prime']['2'][j])} = {factor(q['dC_da']['2'][j])}·"
            f"{factor(q['sigma_prime']['2'][j])} = {format_number(q['delta']['2'][j])}"
        )
    assert sorted(steps[1][2]) == ["2_0", "2_1", "2_2", "2_3", "3_0"]
    assert sorted(steps[1][3]) == ["3_0_0", "3_0_1", "3_0_2", "3_0_3"]

    bp3 = steps[3][1].splitlines()  # the output neuron's row of W³
    assert bp3[0].startswith("BP3  ∂C/∂W³ = δ³ (a²)ᵀ, row 0")
    for k in range(4):
        assert bp3[1 + k] == (
            f"BP3  ∂C/∂W³₀{sub(k)} = δ³₀·a²{sub(k)} = {factor(q['delta']['3'][0])}·"
            f"{factor(q['a']['2'][k])} = {format_number(q['dC_dW']['3'][0][k])}"
        )
    assert sorted(steps[3][3]) == ["3_0_0", "3_0_1", "3_0_2", "3_0_3"]
    first_layer = steps[-4][1].splitlines()  # W¹'s last row: inputs are the features
    assert first_layer[1].endswith("(a⁰₀ = x₁)")

    bp4 = steps[-1][1].splitlines()
    assert bp4[0] == "BP4  ∂C/∂b¹ = δ¹, layer 1"
    for j in range(4):
        bias = format_number(q["dC_db"]["1"][j])
        assert bp4[1 + j] == f"BP4  ∂C/∂b¹{sub(j)} = δ¹{sub(j)} = {bias}"
    # while walking, the δs already known are written under their neurons
    notes = browser.execute_script(
        "return Array.from(document.querySelectorAll('.delta-note'), n => n.textContent)"
    )
    assert f"δ={format_number(q['delta']['1'][0])}" in notes
    assert browser.find_element(By.ID, "caption").get_attribute("aria-live") == "polite"

    # arrow keys step back, Escape leaves
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_LEFT)
    assert browser.find_element(By.ID, "bp-counter").text == "step 14 / 15: BP4"
    body.send_keys(Keys.ESCAPE)
    assert api(browser, "walk(null)") is None
    assert browser.find_element(By.ID, "bp-counter").text == ""
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    ("loss", "line"),
    [
        ("mse", "BP1  δ²₀ = (a²₀ − y)·σ'(z²₀) = ({a} − {y})·1.0 = {dc_da}·1.0 = {delta}"),
        (
            "hinge",
            "BP1  δ²₀ = (−y·[y·a²₀ < 1])·σ'(z²₀) = (−{ys}·[{ys}·{af} < 1])·1.0 = "
            "{dc_da}·1.0 = {delta}",
        ),
    ],
    ids=["mse", "hinge"],
)
def test_bp1_is_written_for_each_loss(browser, page, loss, line):
    open_page(browser, page)
    api(browser, f"configure({{loss: '{loss}', hidden: [3]}})")
    api(browser, "train(5)")
    q = api(browser, "bp(0)")
    label = api(browser, "data()")["train"][0][2]
    y = 2 * label - 1 if loss == "hinge" else label
    caption = api(browser, "walk(0)")
    expected = line.format(
        a=format_number(q["a"]["2"][0]),
        af=factor(q["a"]["2"][0]),
        y=format_number(y),
        ys=factor(y),
        dc_da=factor(q["dC_da"]["2"][0]),
        delta=format_number(q["delta"]["2"][0]),
    )
    assert caption.splitlines()[1] == expected


# ── sharing and saving ───────────────────────────────────────────────────────────────────


def test_download_model_saves_json_that_mlp_load_reads(browser, page, tmp_path):
    open_page(browser, page)
    api(browser, "configure({features: ['x1', 'x2', 'sinx1'], hidden: [3, 2]})")
    api(browser, "train(20)")
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    click(browser, "#download")  # a Blob and an <a download>, which the page's policy allows
    path = tmp_path / "chainrule-playground-moons.json"
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document == api(browser, "model()")
    assert document["format"] == "chainrule.nn.MLP" and document["version"] == 1
    assert document["nin"] == 3 and document["nouts"] == [3, 2, 1]
    assert document["activation"] == "tanh" and document["output_activation"] == "linear"
    model = MLP.load(path)
    assert [p.data for p in model.parameters()] == api(browser, "weights()")
    assert "MLP.load" in browser.find_element(By.ID, "status").text
    assert console_errors(browser) == []


# ── phones, themes, accessibility, self-containment ──────────────────────────────────────


def test_a_narrow_screen_has_no_horizontal_scroll_and_stacks_the_panels(browser, page):
    phone = browser  # the fixture undoes the phone's screen after the test
    emulate_screen(phone, 390, 800)
    for fragment in ("", "#hidden=8,8,8,8,8,8&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2"):
        open_page(phone, page, fragment)
        width = phone.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, fragment
        boxes = phone.execute_script(
            "return ['data-panel', 'network-panel', 'output-panel', 'backprop'].map(id => {"
            "  const r = document.getElementById(id).getBoundingClientRect();"
            "  return [r.left, r.top, r.right]; })"
        )
        lefts = {round(box[0]) for box in boxes}
        assert len(lefts) == 1 and all(box[2] <= 390 for box in boxes)  # one column
        assert [box[1] for box in boxes] == sorted(box[1] for box in boxes)
        outside = phone.execute_script(
            "return Array.from(document.querySelectorAll('#network button'))"
            ".filter(b => b.getBoundingClientRect().right > 390).length"
        )
        assert outside == 0, fragment
    tops = phone.execute_script(
        "return ['reset', 'download'].map(id => document.getElementById(id)"
        ".getBoundingClientRect().top)"
    )
    assert tops[1] > tops[0]  # the controls wrap onto more lines
    api(phone, "train(10)")
    click(phone, 'button.neuron[data-l="1"][data-j="0"]')
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    assert console_errors(phone) == []


BRIGHTNESS = (  # the mean brightness of the untrained output heatmap, near 0 almost everywhere
    "const d = document.getElementById('heatmap').getContext('2d').getImageData(0, 0, 48, 48)"
    ".data; let sum = 0; for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];"
    "return sum / (d.length / 4) / 3;"
)


def test_a_dark_system_gets_a_dark_page(browser, page):
    open_page(browser, page)
    light = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    light_map = browser.execute_script(BRIGHTNESS)
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    try:
        open_page(browser, page)
        dark = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
        ink = browser.execute_script("return getComputedStyle(document.body).color")
        dark_map = browser.execute_script(BRIGHTNESS)
        errors = console_errors(browser)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert light == "rgb(243, 244, 246)" and dark == "rgb(17, 24, 39)"
    assert ink == "rgb(229, 231, 235)"
    assert light_map > 170 and dark_map < 110, (light_map, dark_map)  # no glaring square
    assert errors == []


def test_controls_are_labelled_and_colour_is_not_the_only_signal(browser, page):
    open_page(browser, page)
    unlabelled = browser.execute_script(
        "return Array.from(document.querySelectorAll('button, select, input'))"
        ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
        "  && !e.textContent.trim()).map(e => e.outerHTML.slice(0, 80))"
    )
    assert unlabelled == []
    for element in ("caption", "status"):
        live = browser.find_element(By.ID, element)
        assert live.get_attribute("aria-live") == "polite" or live.get_attribute("role") == "status"
    dashes = browser.execute_script(
        "return Array.from(document.querySelectorAll('.link'), g => [g.classList.contains("
        "'negative'), getComputedStyle(g.querySelector('.weight')).strokeDasharray])"
    )
    assert any(negative for negative, _ in dashes) and any(not n for n, _ in dashes)
    assert all((dash != "none") == negative for negative, dash in dashes)
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('.link title'), t => t.textContent)"
    )
    assert all(t.endswith("(negative)") or t.endswith("(positive)") for t in titles)
    legend = browser.find_element(By.CSS_SELECTOR, ".legend").text
    assert "circle" in legend and "square" in legend and "< 0" in legend


def test_the_page_loads_nothing_and_logs_no_error(browser, page):
    open_page(browser, page)
    api(browser, "train(40)")
    api(browser, "select({kind: 'neuron', l: 1, j: 0})")
    api(browser, "walk(3)")
    click(browser, 'button[data-dataset="spiral"]')
    click(browser, 'button[data-feature="sinx1"]')
    resources = browser.execute_script("return performance.getEntriesByType('resource').length")
    assert resources == 0
    external = browser.execute_script(
        "return Array.from(document.querySelectorAll('[src], link[href], [href^=\"http\"]'))"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert external == []
    policy = browser.find_element(
        By.CSS_SELECTOR, 'meta[http-equiv="Content-Security-Policy"]'
    ).get_attribute("content")
    assert policy.startswith("default-src 'none'") and "script-src 'sha256-" in policy
    assert console_errors(browser) == []


@pytest.mark.slow
def test_screenshots_at_desktop_and_phone_sizes(browser, page, tmp_path):
    """Pictures to look at (written to the test's folder); they must show a drawn page."""
    desktop = phone = browser  # the fixture undoes the phone's screen after the test
    open_page(desktop, page)
    api(desktop, "train(200)")
    api(desktop, "select({kind: 'neuron', l: 2, j: 1})")
    api(desktop, "walk(2)")
    desktop.save_screenshot(str(tmp_path / "playground-1400.png"))
    drawn = desktop.execute_script(  # the output heatmap has both colours
        "const d = document.getElementById('heatmap').getContext('2d')"
        ".getImageData(0, 0, 48, 48).data; let blue = 0, orange = 0;"
        "for (let i = 0; i < d.length; i += 4) { if (d[i + 2] > d[i] + 40) blue++;"
        "  if (d[i] > d[i + 2] + 40) orange++; } return [blue, orange];"
    )
    assert min(drawn) > 100
    emulate_screen(phone, 390, 800)
    open_page(phone, page)
    phone.save_screenshot(str(tmp_path / "playground-390.png"))
    assert (tmp_path / "playground-1400.png").stat().st_size > 20_000


# ── Step, Play's speed, a hostile address, divergence, the axes (#18) ─────────────────────


def notice(browser: WebDriver) -> str:
    """The notice of values the page did not use, as shown ("" when it is hidden)."""
    box = browser.find_element(By.ID, "notice")
    return browser.find_element(By.ID, "notice-list").text if box.is_displayed() else ""


def test_step_trains_one_epoch_and_the_key_s_too(browser, page):
    open_page(browser, page)
    initial = api(browser, "weights()")
    assert api(browser, "step()") == 1
    assert browser.find_element(By.ID, "epoch").text == "1"
    browser.find_element(By.TAG_NAME, "body").send_keys("s")
    assert api(browser, "epoch()") == 2
    api(browser, "reset()")
    api(browser, "train(20)")  # 100 points in batches of 10: Step = 10 mini-batch steps
    assert api(browser, "weights()") != initial
    after_steps = api(browser, "weights()")
    api(browser, "reset()")
    click(browser, "#step")
    click(browser, "#step")
    assert api(browser, "weights()") == after_steps and api(browser, "epoch()") == 2
    assert console_errors(browser) == []


def played_epochs_per_second(browser: WebDriver, seconds: float) -> float:
    start = api(browser, "epoch()")
    began = time.monotonic()
    api(browser, "play()")
    time.sleep(seconds)
    api(browser, "pause()")
    return (api(browser, "epoch()") - start) / (time.monotonic() - began)


def test_the_speed_control_paces_play(browser, page):
    open_page(browser, page)
    assert api(browser, "speed()") == 30  # Python's DEFAULT_SPEED
    speed = Select(browser.find_element(By.ID, "speed"))
    speed.select_by_value("5")
    assert api(browser, "speed()") == 5 and address(browser)["speed"] == "5"
    rate = played_epochs_per_second(browser, 2.0)
    assert 3 <= rate <= 6.5, rate
    api(browser, "speed(1)")
    assert speed.first_selected_option.text == "1/s"
    rate = played_epochs_per_second(browser, 2.0)
    assert 0.4 <= rate <= 1.6, rate
    api(browser, "configure({speed: 'max'})")
    assert "speed" not in address(browser) or address(browser)["speed"] == "max"
    fast = played_epochs_per_second(browser, 1.0)
    assert fast > 40, fast  # as fast as it goes: far beyond 30 epochs a second
    open_page(browser, page, "#speed=2")
    assert api(browser, "speed()") == 2
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    ("fragment", "keys"),
    [
        ("#lr=%E0%A4%A", ["lr"]),
        ("#constructor=1", ["constructor"]),
        ("#__proto__=1", ["__proto__"]),
        ("#toString=x", ["toString"]),
        ("#hidden=16,16,16,16,16,16", ["hidden"]),
        ("#dataset=nope&hidden=99&lr=abc", ["dataset", "hidden", "lr"]),
        ("#speed=0", ["speed"]),
    ],
)
def test_a_hostile_address_shows_a_notice_and_the_page_stays_usable(browser, page, fragment, keys):
    browser.get("about:blank")
    browser.get(page.as_uri() + fragment)
    assert browser.execute_script("return typeof window.chainrule") == "object"
    shown = notice(browser)
    for key in keys:
        assert f"The address's {key}=" in shown, shown
    used = config(browser)
    for key in set(keys) & set(used):  # the value used instead is named
        value = used[key]
        written = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        assert f"Using {key} = {written}." in shown, shown
    assert used["hidden"] == [4, 4] and used["lr"] == 0.03 and used["dataset"] == "moons"
    assert api(browser, "notices()") == shown.splitlines()
    # a later valid address still works, and clears the notice
    browser.execute_script("location.hash = '#dataset=circles&hidden=3&lr=0.1'")
    WebDriverWait(browser, 5).until(lambda b: config(b)["dataset"] == "circles")
    assert config(browser)["hidden"] == [3] and config(browser)["lr"] == 0.1
    assert notice(browser) == "" and api(browser, "notices()") == []
    # and a later bad one shows its notice again, without breaking the page
    browser.execute_script("location.hash = '#lr=%E0%A4%A&hidden=2'")
    WebDriverWait(browser, 5).until(lambda b: config(b)["hidden"] == [2])
    assert "The address's lr=%E0%A4%A is not used" in notice(browser)
    assert "Using lr = 0.1." in notice(browser)
    assert console_errors(browser) == []


def test_configure_beyond_pythons_limits_is_refused_with_a_notice(browser, page):
    from chainrule.viz import playground

    open_page(browser, page)
    before = config(browser)
    message = browser.execute_script(
        "try { window.chainrule.configure({hidden: [16], lr: 100}); return null; } "
        "catch (error) { return error.message; }"
    )
    assert message is not None
    assert f"a layer's width must be a whole number from 1 to {playground.MAX_NEURONS}" in message
    assert f"lr must be a number above 0 and at most {playground.MAX_LR:g}, got 100" in message
    assert "Using hidden = 4,4." in message and "Using lr = 0.03." in message
    assert config(browser) == before
    assert notice(browser).splitlines() == api(browser, "notices()")
    assert " ".join(api(browser, "notices()")) == message
    assert "configure's hidden=16" in notice(browser) and "configure's lr=100" in notice(browser)
    browser.find_element(By.ID, "notice-close").click()
    assert notice(browser) == ""
    assert api(browser, "configure({lr: 10})")["lr"] == 10  # the limit itself is allowed
    assert console_errors(browser) == []


def test_after_divergence_loss_and_bp_return_the_stopped_state(browser, page):
    open_page(browser, page)
    api(browser, "configure({lr: 10, loss: 'mse'})")  # seeded: diverges within 10 epochs
    message = browser.execute_script(
        "try { window.chainrule.train(3000); return null; } catch (error) { return error.message; }"
    )
    assert message.startswith("Training stopped at epoch ")
    assert api(browser, "stopped()") == message
    loss = browser.execute_script(
        "const x = window.chainrule.loss(); return [typeof x, Number.isNaN(x) || isFinite(x)]"
    )
    assert loss == ["number", True]
    q = api(browser, "bp(0)")
    assert isinstance(q, dict)
    assert q.get("stopped") == message or math.isfinite(q["C"])
    assert console_errors(browser) == []


def test_the_heatmap_has_ticks_on_both_axes(browser, page):
    open_page(browser, page)
    for axis, name in (("ticks-x", "x₁"), ("ticks-y", "x₂")):
        ticks = browser.find_elements(By.CSS_SELECTOR, f"#{axis} .tick")
        assert len(ticks) >= 3, axis
        values = [float(t.text) for t in ticks]
        assert values == sorted(values) and len(set(values)) == len(values)
        assert all(t.is_displayed() for t in ticks)
        assert browser.find_element(By.CSS_SELECTOR, f"#{axis} .axis-name").text == name
    box = browser.execute_script(
        "const r = document.getElementById('points').getBoundingClientRect();"
        "return [r.left, r.right, r.top, r.bottom]"
    )
    for tick in browser.find_elements(By.CSS_SELECTOR, "#ticks-x .tick"):
        rect = tick.rect
        assert box[0] - 20 <= rect["x"] + rect["width"] / 2 <= box[1] + 20
        assert rect["y"] >= box[3]  # under the heatmap
    for tick in browser.find_elements(By.CSS_SELECTOR, "#ticks-y .tick"):
        rect = tick.rect
        assert rect["x"] + rect["width"] <= box[0]  # left of it
    # legible in both themes: the ticks' colour is the page's ink, far from its card
    colours = []
    for scheme in ("light", "dark"):
        browser.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
        )
        colours.append(
            browser.execute_script(
                "return [getComputedStyle(document.querySelector('#ticks-x .tick')).color,"
                "getComputedStyle(document.getElementById('output-panel')).backgroundColor]"
            )
        )
    for ink, card in colours:
        assert contrast(ink, card) >= 4.5, (ink, card)
    assert colours[0] != colours[1]


def contrast(one: str, two: str) -> float:
    """WCAG's contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_playground_written_by_train_continues_the_run(browser, tmp_path):
    """The same points (all of them), the trained epoch, batch size, seed and optimiser."""
    from chainrule.nn import Adam, bce_loss, fit, make_moons
    from chainrule.nn.optim import Optimizer

    from chainrule.training import TrainingRun, playground_options

    run = TrainingRun(hidden=(16,), epochs=4, batch_size=7, seed=5, samples=60)
    points, labels = make_moons(n=run.samples, noise=run.noise, seed=run.seed)

    def trained(epochs: int) -> tuple[MLP, Optimizer]:
        model = MLP(2, [*run.hidden, 1], activation=run.activation, seed=run.seed)
        optimizer = Adam(model.parameters(), lr=0.03)
        fit(
            model,
            points,
            labels,
            loss=bce_loss,
            optimizer=optimizer,
            epochs=epochs,
            batch_size=7,
            seed=run.seed,
            progress=False,
        )
        return model, optimizer

    model, optimizer = trained(run.epochs)
    page = write_playground(
        tmp_path / "continued.html",
        **playground_options(run),
        model=model,
        optimizer_state=optimizer,
    )
    open_page(browser, page)
    assert api(browser, "epoch()") == 4 and browser.find_element(By.ID, "epoch").text == "4"
    data = api(browser, "data()")
    assert len(data["train"]) == 60 and data["test"] == []
    assert [row[:2] for row in data["train"]] == [list(p) for p in points]
    assert config(browser)["batchSize"] == 7 and config(browser)["seed"] == 5
    assert notice(browser) == ""  # its 16 neurons and train ratio 1, beyond the UI's, are its own
    assert api(browser, "step()") == 5
    page_weights = api(browser, "weights()")
    python, _ = trained(run.epochs + 1)  # nn.fit's run, one epoch longer
    expected = [p.data for p in python.parameters()]
    worst = max(
        abs(a - b) / max(abs(a), abs(b), 1e-300)
        for a, b in zip(page_weights, expected, strict=True)
    )
    assert worst <= 1e-9, worst
    open_page(browser, page, browser.execute_script("return location.hash"))
    assert notice(browser) == "" and api(browser, "epoch()") == 4  # its own address reloads
    assert console_errors(browser) == []
