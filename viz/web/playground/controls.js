/* The playground's controls: showing the state on them, and wiring them to update().
 *
 *   draw(state)   the epoch, play/pause, the selects (a value off a select's ladder, from the
 *                 address, joins it), the sliders (unless a learner is dragging one), the data
 *                 set buttons, the checkboxes, the layer count and its + and −, the sample,
 *                 the data's summary, the error, Play's speed, and hides the controls the
 *                 address hides
 *   wire(…)       builds the data set buttons and listens: every control, a click on the
 *                 network, the inspector or a point, the keys (Space plays or pauses, S steps one epoch,
 *                 ← → move through the BP1–BP4 walk, Escape leaves it), the address, the
 *                 window's size and the system's colour scheme
 *
 * A change a control asks for goes through store.update; one it refuses is shown in the
 * status line and the controls are redrawn as they were.
 */
var chainrule_playground_controls = (function (configs, hash, datasets, dom, heatmap, network,
  points, ownData, i18n) {
  "use strict";

  var $ = dom.$;
  var t = dom.t;

  function draw(state) {
    var c = state.config;
    $("epoch").textContent = String(state.trainer.epoch);
    $("play").textContent = t(state.playing ? "playground.pause" : "playground.play");
    $("play").setAttribute("aria-pressed", String(state.playing));
    setSelect($("lr"), configs.LEARNING_RATES, c.lr);
    setSelect($("l1"), configs.L1_RATES, c.l1, function (x) {
      return x === 0 ? t("playground.rate_none") : String(x);
    });
    setSelect($("l2"), configs.L2_RATES, c.l2, function (x) {
      return x === 0 ? t("playground.rate_none") : String(x);
    });
    setSelect($("speed"), configs.LIMITS.speeds.concat(["max"]), state.ui.speed, function (x) {
      return x === "max" ? "max" : t("playground.per_second", { speed: x });
    });
    var fewest = configs.LIMITS.classes[0];
    var classCounts = [];
    for (var k = fewest; k <= configs.LIMITS.classes[1]; k += 1) { classCounts.push(k); }
    setSelect($("classes"), classCounts, c.classes, function (x) {
      return x === 2 ? t("playground.classes_one_output") : t("playground.classes_softmax", { count: x });
    });
    $("activation").value = c.activation;
    $("loss").value = c.loss;
    $("optimizer").value = c.optimizer;
    slider("trainRatio", Math.round(c.trainRatio * 100),
      Math.round(c.trainRatio * 1000) / 10 + "%");
    slider("noise", c.noise, String(c.noise));
    slider("batchSize", c.batchSize, String(c.batchSize));
    Array.prototype.forEach.call($("datasets").querySelectorAll("button"), function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.dataset === c.dataset));
      button.setAttribute("aria-label", t("playground.dataset_button", { name: button.dataset.dataset }));
    });
    $("show-test").checked = state.ui.showTestData;
    $("discretize").checked = state.ui.discretize;
    $("layer-count").textContent = t(c.hidden.length === 1 ? "playground.hidden_layer"
      : "playground.hidden_layers", { count: c.hidden.length });
    $("add-layer").disabled = c.hidden.length >= configs.LIMITS.hiddenLayers;
    $("remove-layer").disabled = c.hidden.length === 0;
    var sample = $("sample");
    sample.max = String(state.data.train.length - 1);
    if (document.activeElement !== sample) { sample.value = String(state.sample); }
    var n = state.data.train.length + state.data.test.length;
    $("data-summary").textContent = t(state.own ? "playground.data_summary_own"
      : "playground.data_summary_seed",
    { n: n, train: state.data.train.length, test: state.data.test.length, seed: c.seed });
    var error = $("error");
    error.hidden = !state.error;
    error.textContent = state.error || "";
    hash.CONTROLS.forEach(function (control) {
      var hidden = state.hide.indexOf(control) >= 0;
      Array.prototype.forEach.call(document.querySelectorAll('[data-control="' + control + '"]'),
        function (element) { element.hidden = hidden; });
    });
  }

  /** A slider and its label show the configuration, unless a learner is dragging it. */
  function slider(id, value, text) {
    if ($(id).dataset.dragging) { return; }
    $(id).value = String(value);
    $(id + "-value").textContent = text;
  }

  function setSelect(select, ladder, value, text) {
    var order = function (x, y) {  // numbers in order, "max" last
      return x === "max" ? 1 : y === "max" ? -1 : x - y;
    };
    var values = ladder.indexOf(value) < 0  // a value off the ladder (from an address) joins it
      ? ladder.concat([value]).sort(order) : ladder;
    var key = i18n.language() + ":" + values.join(",");  // new words, new options
    if (select.dataset.options !== key) {
      select.textContent = "";
      values.forEach(function (x) {
        var option = document.createElement("option");
        option.value = String(x);
        option.textContent = text ? text(x) : String(x);
        select.appendChild(option);
      });
      select.dataset.options = key;
    }
    select.value = String(value);
  }

  /**
   * Listen to every control. store: state.js's {state, view, update, redraw, markStale};
   * player: player.js's {play, pause, step}; model: model.js's {download}.
   */
  function wire(store, player, model) {
    var state = store.state;
    var view = store.view;

    /** Apply a change from a control; a refused one is shown, and the controls are redrawn. */
    function fromControl(change) {
      try {
        store.update(change);
      } catch (error) {
        dom.status(error.message);
        store.redraw(false);
      }
    }

    function moveWalk(delta) {
      if (state.walk === null) { return; }
      fromControl({ walk: state.walk + delta });
    }

    function keys(event) {
      var tag = event.target.tagName;
      if (event.altKey || event.ctrlKey || event.metaKey || tag === "INPUT" || tag === "SELECT" ||
          tag === "TEXTAREA") {
        return;
      }
      if (event.key === " " && tag !== "BUTTON") {
        if (state.playing) { player.pause(); } else { player.play(); }
        event.preventDefault();
      } else if (event.key === "s" || event.key === "S") {
        player.step();
      } else if (state.walk !== null && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
        moveWalk(event.key === "ArrowRight" ? 1 : -1);
        event.preventDefault();
      } else if (state.walk !== null && event.key === "Escape") {
        fromControl({ walk: null });
      }
    }

    /** The address changed: apply what differs; show what it held that is not used. */
    function fromHash() {
      var parsed = hash.parse(location.hash);  // never throws
      if (parsed.lang && parsed.lang !== i18n.language()) { i18n.setLanguage(parsed.lang); }
      var patch = {};
      Object.keys(parsed.config).forEach(function (key) {
        if (!configs.same(parsed.config[key], state.config[key])) {
          patch[key] = parsed.config[key];
        }
      });
      var ui = Object.assign(hash.defaults(), parsed.ui);
      var change = { hide: parsed.hide, config: patch, ui: ui };
      var shown = state.own && hash.fits(state.own) ? points.encode(state.own) : null;
      if (parsed.points !== shown && (parsed.points !== null || shown !== null)) {
        try { change.own = parsed.points === null ? null : ownData.fromAddress(parsed.points); }
        catch (error) {
          parsed.problems.push({ key: "points", value: parsed.points, message: error.message });
        }
      }
      try {
        store.update(change);
      } catch (error) {
        parsed.problems.push({ key: "address", value: location.hash, message: error.message });
        store.redraw(false);
      }
      var notes = function () {
        return hash.notices(parsed.problems, state.config, state.ui, "playground.where_address");
      };
      dom.notice(notes);
      if (parsed.problems.length) {
        dom.status(function () { return t("playground.ignored", { notes: notes().join(" ") }); });
      }
    }

    datasetButtons(fromControl, view.palette);
    $("play").addEventListener("click", function () {
      if (state.playing) { player.pause(); } else { player.play(); }
    });
    $("step").addEventListener("click", player.step);
    $("reset").addEventListener("click", function () {
      player.pause();
      fromControl({ rebuild: true });
    });
    $("regenerate").addEventListener("click", function () {
      player.pause();
      fromControl({ config: { seed: Math.floor(Math.random() * 100000) } });
    });
    $("download").addEventListener("click", model.download);
    $("speed").addEventListener("change", function (event) {
      var value = event.target.value;
      fromControl({ ui: { speed: value === "max" ? value : Number(value) } });
    });
    $("notice-close").addEventListener("click", function () { dom.notice([]); });
    $("classes").addEventListener("change", function (event) {
      fromControl({ config: configs.classesPatch(state.config, Number(event.target.value)) });
    });
    var selects = [["lr", Number], ["l1", Number], ["l2", Number], ["activation", String], ["loss", String],
      ["optimizer", String]];
    selects.forEach(function (pair) {
      $(pair[0]).addEventListener("change", function (event) {
        var patch = {};
        patch[pair[0]] = pair[1](event.target.value);
        fromControl({ config: patch });
      });
    });
    ["trainRatio", "noise", "batchSize"].forEach(function (id) {
      $(id).addEventListener("input", function (event) {
        var value = Number(event.target.value);
        $(id + "-value").textContent = id === "trainRatio" ? value + "%" : String(value);
        if (id === "batchSize") {  // a live key: applied while the thumb moves
          fromControl({ config: { batchSize: value } });
        } else {  // new data: applied when the thumb is let go ("change")
          event.target.dataset.dragging = "1";
        }
      });
      $(id).addEventListener("change", function (event) {
        delete event.target.dataset.dragging;
        var value = Number(event.target.value);
        if (id === "trainRatio") { fromControl({ config: { trainRatio: value / 100 } }); }
        if (id === "noise") { fromControl({ config: { noise: value } }); }
      });
    });
    $("show-test").addEventListener("change", function (event) {
      fromControl({ ui: { showTestData: event.target.checked } });
    });
    $("discretize").addEventListener("change", function (event) {
      fromControl({ ui: { discretize: event.target.checked } });
    });
    $("add-layer").addEventListener("click", function () {
      var hidden = state.config.hidden;  // a new layer as wide as the last one (2 if none)
      hidden = hidden.concat([hidden.length ? hidden[hidden.length - 1] : 2]);
      fromControl({ config: { hidden: hidden } });
    });
    $("remove-layer").addEventListener("click", function () {
      fromControl({ config: { hidden: state.config.hidden.slice(0, -1) } });
    });
    $("sample").addEventListener("change", function (event) {
      if (event.target.value === "") { return; }
      fromControl({ sample: Number(event.target.value) });
      event.target.value = String(state.sample);  // a number out of range, clamped
    });
    $("bp").addEventListener("click", function () {
      fromControl({ walk: state.walk === null ? 0 : null });
    });
    $("bp-previous").addEventListener("click", function () { moveWalk(-1); });
    $("bp-next").addEventListener("click", function () { moveWalk(1); });
    $("network").addEventListener("click", function (event) {
      network.click(event, state, fromControl);
    });
    $("inspector").addEventListener("click", function (event) {
      var target = event.target.closest("[data-select]");
      if (target) { fromControl({ selected: JSON.parse(target.dataset.select) }); }
    });
    $("points").addEventListener("click", function (event) {
      var index = heatmap.pointAt(event, state, view);
      if (index >= 0) { fromControl({ sample: index }); }
    });
    document.addEventListener("keydown", keys);
    window.addEventListener("hashchange", fromHash);
    var resizing = null;
    window.addEventListener("resize", function () {
      if (resizing === null) {
        resizing = requestAnimationFrame(function () { resizing = null; store.redraw(false); });
      }
    });
    if (window.matchMedia) {
      var dark = window.matchMedia("(prefers-color-scheme: dark)");
      var repaint = function () {
        view.palette = heatmap.palette();
        view.paintedFeatures = null;
        store.markStale();
        store.redraw(false);
      };
      if (dark.addEventListener) { dark.addEventListener("change", repaint); }
    }
  }

  /** A button with a thumbnail for each data set, in #datasets. */
  function datasetButtons(fromControl, colours) {
    var box = $("datasets");
    configs.DATASETS.forEach(function (name) {
      var element = dom.button("dataset", "dataset-" + name, name);  // draw() words its label
      element.dataset.dataset = name;
      var canvas = document.createElement("canvas");
      canvas.width = canvas.height = 40;
      canvas.setAttribute("aria-hidden", "true");
      var text = document.createElement("span");
      text.textContent = name;
      element.appendChild(canvas);
      element.appendChild(text);
      element.addEventListener("click", function () {
        fromControl({ config: { dataset: name } });
      });
      box.appendChild(element);
      heatmap.preview(canvas, name, colours);
    });
  }

  return { draw: draw, wire: wire };
}(chainrule_playground_config, chainrule_playground_hash, chainrule_data,
  chainrule_playground_dom, chainrule_playground_heatmap, chainrule_playground_network,
  chainrule_points, chainrule_playground_own, chainrule_i18n));
