/* The playground page: its controls, pictures and panels, and window.chainrule.
 *
 *   controls   data set, noise, train/test ratio, regenerate; the input features (on the
 *              input column); hidden layers and neurons (+/−); activation, loss, optimizer,
 *              learning rate, batch size, L2 rate; play/pause, step, reset; download
 *   pictures   the output as a heatmap over the data's bounding box with the decision
 *              boundary and the points; the loss curves; the network: every neuron a heatmap
 *              of its activation over the same square, links coloured and dashed by sign and
 *              as wide as |W|
 *   backprop   for one training sample: a neuron's z, a, σ'(z), ∂C/∂a, δ = ∂C/∂z and ∂C/∂b,
 *              a link's W and ∂C/∂W, and the walk through BP1–BP4 on the network
 *
 * The state is `state`; every change goes through update(), which applies it, moves the
 * address to the configuration's #hash and redraws. The learning rate, batch size and L2 rate
 * change while training goes on; any other key starts again from fresh weights (the weights
 * and mini-batch order Python embedded belong to the embedded configuration only). While
 * training plays, numbers and links are redrawn ten times a second and heatmaps at most four,
 * so drawing never slows training down. The colours come from the theme's CSS variables
 * (--negative, --middle, --positive), so the pictures follow a dark system theme.
 */
(function (pyformat, datasets, trainers) {
  "use strict";

  var embedded = JSON.parse(document.getElementById("chainrule-playground").textContent);
  var $ = function (id) { return document.getElementById(id); };

  var KEYS = ["dataset", "samples", "noise", "trainRatio", "features", "hidden", "activation",
    "loss", "optimizer", "lr", "batchSize", "l2", "seed"];
  var DATA_KEYS = ["dataset", "samples", "noise", "trainRatio", "seed"];
  var LIVE_KEYS = ["lr", "batchSize", "l2"];  // the trainer reads these at every step
  var ACTIVATIONS = ["tanh", "relu", "sigmoid", "linear"];
  var LOSSES = ["bce", "mse", "hinge"];
  var OPTIMIZERS = ["sgd", "adam"];
  var LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
  var L2_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
  var FEATURE_IDS = datasets.FEATURES.map(function (f) { return f.id; });
  var FEATURE_LABEL = {};
  datasets.FEATURES.forEach(function (f) { FEATURE_LABEL[f.id] = f.label; });
  var MAX_LAYERS = 6;
  var MAX_NEURONS = 8;
  var MAX_MODEL_NEURONS = 16;  // a trained model Python embeds may have layers this wide
  var GRID = 48;              // heatmaps: the network is evaluated on GRID × GRID points
  var TRAIN_BUDGET = 12;      // ms of training per animation frame while playing
  var DRAW_EVERY = 100;       // ms between redraws of numbers, links and curves while playing
  var LOSS_FORMULA = {
    bce: "C = softplus(a^L) − y·a^L",
    mse: "C = ½ (a^L − y)²",
    hinge: "C = max(0, 1 − y·a^L)"
  };
  var UI_FLAGS = { showTestData: true, discretize: false };
  var CONTROLS = ["reset", "play", "step", "dataset", "noise", "trainRatio", "batchSize",
    "regenerate", "hidden", "activation", "loss", "optimizer", "lr", "l2", "showTestData",
    "discretize", "sample", "backprop", "download"];

  var state = {
    config: null,        // the configuration (KEYS), as config() returns it
    data: null,          // {train: [[x1, x2, label]…], test: […]}
    trainer: null,
    history: [],         // [{epoch, train, test}] for the loss curves
    sample: 0,           // the training sample that backprop is shown for
    selected: null,      // {kind: "neuron", l, j} or {kind: "link", l, j, k}
    walk: null,          // the BP1–BP4 step shown, or null
    ui: { showTestData: true, discretize: false },
    hide: [],            // controls hidden by <control>_hide=true
    playing: false,
    error: null
  };
  var view = {
    box: null, grids: null, features: null, nodes: {}, links: {}, inputs: {},
    lastDraw: 0, lastGrids: 0, gridCost: 0, shape: null, palette: null,
    built: 0, walk: null
  };

  /* --- numbers and names in the notation of docs/backprop.md ------------------------------ */

  var SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  var SUB = "₀₁₂₃₄₅₆₇₈₉";
  var SUB_LETTERS = { j: "ⱼ", k: "ₖ", m: "ₘ" };
  function digits(n, table) {
    return String(n).split("").map(function (c) {
      return /[0-9]/.test(c) ? table[Number(c)] : SUB_LETTERS[c] || c;
    }).join("");
  }
  function sup(n) { return digits(n, SUP); }
  /** A subscript: digits, or the index letters j, k, m. */
  function sub(n) { return digits(n, SUB); }
  /** Four significant digits, as chainrule's format_number writes them ("3.0", "-0.0125"). */
  function num(x) { return pyformat.number(x); }
  /** A number as a factor: negative ones in parentheses, "0.5·(-1.2)". */
  function factor(x) { return x < 0 || (x === 0 && 1 / x < 0) ? "(" + num(x) + ")" : num(x); }
  function a(l, j) { return "a" + sup(l) + sub(j); }
  function z(l, j) { return "z" + sup(l) + sub(j); }
  function d(l, j) { return "δ" + sup(l) + sub(j); }
  function w(l, j, k) { return "W" + sup(l) + sub(j) + sub(k); }
  function b(l, j) { return "b" + sup(l) + sub(j); }
  function sigmoid(x) { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }

  /** Layer widths: [number of features, …hidden, 1]; layer l has widths[l] neurons. */
  function widthsOf(config) { return [config.features.length].concat(config.hidden, [1]); }

  function sigmaName(l) {
    return l === widthsOf(state.config).length - 1 ? "identity" : state.config.activation;
  }

  /* --- the configuration: checking, the address ------------------------------------------- */

  function fail(message) { throw new Error(message); }

  function integer(key, value, low, high) {
    var x = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof x !== "number" || !Number.isInteger(x) || x < low || x > high) {
      fail(key + " must be a whole number from " + low + " to " + high + ", got " +
        JSON.stringify(value));
    }
    return x;
  }

  function real(key, value, low, high, lowOpen) {
    var x = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof x !== "number" || !isFinite(x) || x > high || (lowOpen ? x <= low : x < low)) {
      fail(key + " must be a number " + (lowOpen ? "above " : "from ") + low + " to " + high +
        ", got " + JSON.stringify(value));
    }
    return x;
  }

  function oneOf(key, value, choices) {
    if (choices.indexOf(value) < 0) {
      fail(key + " must be one of " + choices.join(", ") + ", got " + JSON.stringify(value));
    }
    return value;
  }

  function list(value) {
    if (typeof value === "string") { return value === "" ? [] : value.split(","); }
    if (!Array.isArray(value)) { fail("expected a list, got " + JSON.stringify(value)); }
    return value.slice();
  }

  /** One configuration value, checked and normalised (a string from the address is parsed). */
  function checked(key, value) {
    switch (key) {
      case "dataset": return oneOf(key, value, datasets.DATASETS);
      case "samples": return integer(key, value, 10, 1000);
      case "noise": return real(key, value, 0, 0.5);
      case "trainRatio": return real(key, value, 0.1, 0.9);
      case "features": {
        var ids = list(value);
        if (!ids.length) { fail("features: choose at least one input feature"); }
        ids.forEach(function (id, i) {
          oneOf("features", id, FEATURE_IDS);
          if (ids.indexOf(id) !== i) { fail("features: " + id + " is chosen twice"); }
        });
        return ids;
      }
      case "hidden": {
        var hidden = list(value).map(function (n) {
          return integer("hidden: a layer's width", n, 1, MAX_MODEL_NEURONS);
        });
        if (hidden.length > MAX_LAYERS) {
          fail("hidden: at most " + MAX_LAYERS + " hidden layers, got " + hidden.length);
        }
        return hidden;
      }
      case "activation": return oneOf(key, value, ACTIVATIONS);
      case "loss": return oneOf(key, value, LOSSES);
      case "optimizer": return oneOf(key, value, OPTIMIZERS);
      case "lr": return real(key, value, 0, Number.MAX_VALUE, true);
      case "batchSize": return integer(key, value, 1, 30);
      case "l2": return real(key, value, 0, Number.MAX_VALUE);
      case "seed": return integer(key, value, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      default:
        return fail("unknown configuration key " + JSON.stringify(key) + "; the keys are " +
          KEYS.join(", "));
    }
  }

  /** `config` with `patch` applied, every value checked; throws an Error naming a bad one. */
  function merged(config, patch) {
    var next = copyConfig(config);
    Object.keys(patch).forEach(function (key) { next[key] = checked(key, patch[key]); });
    return next;
  }

  function copyConfig(config) {
    var out = {};
    KEYS.forEach(function (key) {
      out[key] = Array.isArray(config[key]) ? config[key].slice() : config[key];
    });
    return out;
  }

  function same(x, y) { return JSON.stringify(x) === JSON.stringify(y); }
  function sameOn(keys, x, y) { return keys.every(function (k) { return same(x[k], y[k]); }); }

  function hashOf() {
    var config = state.config;
    var parts = KEYS.map(function (key) {
      var value = config[key];
      return key + "=" + (Array.isArray(value) ? value.join(",") : String(value));
    });
    Object.keys(UI_FLAGS).forEach(function (flag) {
      if (state.ui[flag] !== UI_FLAGS[flag]) { parts.push(flag + "=" + state.ui[flag]); }
    });
    state.hide.forEach(function (control) { parts.push(control + "_hide=true"); });
    return "#" + parts.join("&");
  }

  /** The address's #key=value&… as {config, ui, hide, problems}. */
  function parseHash(hash) {
    var out = { config: {}, ui: {}, hide: [], problems: [] };
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) { return; }
      var cut = part.indexOf("=");
      var key = decodeURIComponent(cut < 0 ? part : part.slice(0, cut));
      var value = cut < 0 ? "" : decodeURIComponent(part.slice(cut + 1));
      if (/_hide$/.test(key)) {
        var control = key.slice(0, -5);
        if (CONTROLS.indexOf(control) < 0) {
          out.problems.push("no control " + JSON.stringify(control) + " to hide");
        }
        else if (value === "true" && out.hide.indexOf(control) < 0) { out.hide.push(control); }
      } else if (key in UI_FLAGS) {
        out.ui[key] = value !== "false";
      } else if (KEYS.indexOf(key) >= 0) {
        try {
          out.config[key] = checked(key, value);
        } catch (error) {
          out.problems.push(error.message);
        }
      } else {
        out.problems.push("unknown key " + JSON.stringify(key));
      }
    });
    return out;
  }

  function writeHash() {
    var hash = hashOf();
    if (location.hash === hash) { return; }
    try { history.replaceState(null, "", hash); } catch (error) { location.hash = hash; }
  }

  /* --- the data and the trainer ----------------------------------------------------------- */

  function isEmbedded(config, keys) { return sameOn(keys, config, embedded.config); }

  function makeData(config) {
    if (isEmbedded(config, DATA_KEYS)) { return embedded.data; }
    var made = datasets.generate(config.dataset, config.samples, config.noise, config.seed);
    return datasets.split(made.points, made.labels, config.trainRatio);
  }

  function makeTrainer(config, data) {
    var options = { config: copyConfig(config), data: data };
    if (isEmbedded(config, KEYS) && data === embedded.data) {
      options.weights = embedded.weights;
      options.batchOrders = embedded.batchOrders;
    }
    return trainers.create(options);
  }

  /** f(), or NaN when the network cannot compute it (its weights overflow after diverging). */
  function attempt(f) {
    try { return f(); } catch (error) { return NaN; }
  }

  function record() {
    var t = state.trainer;
    var last = state.history[state.history.length - 1];
    var entry = { epoch: t.epoch, steps: t.steps,
      train: attempt(function () { return t.loss("train"); }),
      test: state.data.test.length ? attempt(function () { return t.loss("test"); }) : NaN };
    if (last && last.steps === t.steps) { state.history[state.history.length - 1] = entry; }
    else { state.history.push(entry); }
  }

  function message(error) {
    return (error && error.kind ? error.kind + ": " : "") +
      (error && error.message ? error.message : String(error));
  }

  /** n mini-batch steps; on an error, training stops and the error is shown (and returned). */
  function runSteps(n, until) {
    var t = state.trainer;
    try {
      for (var i = 0; i < n; i += 1) {
        var cost = t.step();
        if (!isFinite(cost)) { throw new Error("the batch's loss is " + cost); }
        if (until && performance.now() > until) { break; }
      }
    } catch (error) {
      state.playing = false;
      state.error = "Training stopped at epoch " + t.epoch + " (step " + t.steps + "): " +
        message(error) + ". Lower the learning rate, then Reset.";
      return state.error;
    }
    return null;
  }

  /* --- the one function every change goes through ----------------------------------------- */

  /**
   * Apply `change` and redraw. change.config: configuration keys (checked; an Error is thrown
   * for a bad value, changing nothing); change.rebuild: start again from fresh weights;
   * change.sample, change.selected, change.walk, change.ui: the view's state;
   * change.trained: the weights moved (training), so draw when it is time to.
   */
  function update(change) {
    change = change || {};
    var old = state.config;
    var next = change.config ? merged(old, change.config) : old;
    var dataChanged = !old || !sameOn(DATA_KEYS, old, next);
    var rebuild = dataChanged || change.rebuild ||
      !sameOn(KEYS.filter(function (k) { return LIVE_KEYS.indexOf(k) < 0; }), old, next);
    if (rebuild) {
      var data = dataChanged ? makeData(next) : state.data;
      var trainer = makeTrainer(next, data);  // may throw: then nothing has changed
      state.config = next;
      state.data = data;
      state.trainer = trainer;
      state.error = null;
      state.history = [];
      record();
      if (dataChanged) { view.box = null; view.features = null; }
      view.grids = null;
      view.lastGrids = 0;
      view.built += 1;
      status(describe());
    } else if (next !== old) {
      state.config = next;
      LIVE_KEYS.forEach(function (key) { state.trainer.config[key] = next[key]; });
    }
    if ("sample" in change) { state.sample = change.sample; }
    if ("selected" in change) { state.selected = change.selected; }
    if ("walk" in change) { state.walk = change.walk; }
    if (change.ui) { Object.assign(state.ui, change.ui); }
    if ("playing" in change) { state.playing = change.playing; }
    if (change.trained) { markStale(view.grids); }
    keepValid();
    writeHash();
    draw(change.trained && state.playing);
    return config();
  }

  function markStale(grids) { if (grids) { grids.stale = true; } return grids; }

  /** Drop a selection, a sample or a walk step that no longer exists. */
  function keepValid() {
    var widths = widthsOf(state.config);
    var n = state.data.train.length;
    state.sample = Math.max(0, Math.min(n - 1, Math.round(Number(state.sample) || 0)));
    var s = state.selected;
    var index = function (i, n) { return Number.isInteger(i) && i >= 0 && i < n; };
    if (s && !((s.kind === "neuron" || s.kind === "link") && index(s.l - 1, widths.length - 1) &&
        index(s.j, widths[s.l]) && (s.kind === "neuron" || index(s.k, widths[s.l - 1])))) {
      state.selected = null;
    }
    if (state.walk !== null) {
      state.walk = Math.max(0, Math.min(walkCount() - 1, Math.round(Number(state.walk) || 0)));
    }
  }

  function describe() {
    var c = state.config;
    var shape = widthsOf(c).map(function (n, l) {
      if (l === 0) { return n + (n === 1 ? " input" : " inputs"); }
      return n + " " + (l === widthsOf(c).length - 1 ? "output" : c.activation);
    }).join(" → ");
    return "Network " + shape + "; " + state.data.train.length + " training and " +
      state.data.test.length + " test points of " + c.dataset + " (seed " + c.seed + ").";
  }

  function status(text) { $("status").textContent = text; }

  /* --- drawing ---------------------------------------------------------------------------- */

  /** Redraw; while playing (`throttled`), at most every DRAW_EVERY ms, heatmaps less often. */
  function draw(throttled) {
    var now = performance.now();
    if (throttled && now - view.lastDraw < DRAW_EVERY) { return; }  // pause() draws it all
    view.lastDraw = now;
    if (state.history[state.history.length - 1].steps !== state.trainer.steps) { record(); }
    view.q = null;
    view.bpError = null;
    try { view.q = bp(); } catch (error) { view.bpError = message(error); }
    view.walk = state.walk === null || !view.q ? null : walkSteps(view.q);
    var gridsDue = !view.grids || (view.grids.stale &&
      (!throttled || now - view.lastGrids > Math.max(250, 5 * view.gridCost)));
    drawControls();
    drawNetwork();
    if (gridsDue) { computeGrids(); }
    drawHeatmaps();
    drawPoints();
    drawLosses();
    drawBackprop();
    var busy = String(state.playing);
    ["caption", "inspector"].forEach(function (id) { $(id).setAttribute("aria-busy", busy); });
  }

  function drawControls() {
    var c = state.config;
    $("epoch").textContent = String(state.trainer.epoch);
    $("play").textContent = state.playing ? "❚❚ Pause" : "▶ Play";
    $("play").setAttribute("aria-pressed", String(state.playing));
    setSelect($("lr"), LEARNING_RATES, c.lr);
    setSelect($("l2"), L2_RATES, c.l2, function (x) { return x === 0 ? "0 (none)" : String(x); });
    $("activation").value = c.activation;
    $("loss").value = c.loss;
    $("optimizer").value = c.optimizer;
    slider("trainRatio", Math.round(c.trainRatio * 100), Math.round(c.trainRatio * 1000) / 10 + "%");
    slider("noise", c.noise, String(c.noise));
    slider("batchSize", c.batchSize, String(c.batchSize));
    Array.prototype.forEach.call($("datasets").querySelectorAll("button"), function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.dataset === c.dataset));
    });
    $("show-test").checked = state.ui.showTestData;
    $("discretize").checked = state.ui.discretize;
    $("layer-count").textContent = c.hidden.length +
      (c.hidden.length === 1 ? " hidden layer" : " hidden layers");
    $("add-layer").disabled = c.hidden.length >= MAX_LAYERS;
    $("remove-layer").disabled = c.hidden.length === 0;
    var sample = $("sample");
    sample.max = String(state.data.train.length - 1);
    if (document.activeElement !== sample) { sample.value = String(state.sample); }
    var n = state.data.train.length + state.data.test.length;
    $("data-summary").textContent = n + " points: " + state.data.train.length + " to train, " +
      state.data.test.length + " to test; seed " + c.seed + ".";
    var error = $("error");
    error.hidden = !state.error;
    error.textContent = state.error || "";
    CONTROLS.forEach(function (control) {
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
    var values = ladder.indexOf(value) < 0  // a value off the ladder (from an address) joins it
      ? ladder.concat([value]).sort(function (x, y) { return x - y; }) : ladder;
    var key = values.join(",");
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

  /* The colour scale: orange below 0, the theme's background-ish middle, blue above 0. */
  function palette() {
    var css = getComputedStyle(document.documentElement);
    var stops = ["--negative", "--middle", "--positive"].map(function (name) {
      var hex = css.getPropertyValue(name).trim().replace("#", "");
      return [0, 2, 4].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    });
    var table = new Uint8ClampedArray(256 * 3);
    for (var i = 0; i < 256; i += 1) {
      var t = i / 255 * 2 - 1;
      var to = t < 0 ? stops[0] : stops[2];
      var f = Math.abs(t);
      for (var c = 0; c < 3; c += 1) { table[i * 3 + c] = stops[1][c] + (to[c] - stops[1][c]) * f; }
    }
    var ink = css.getPropertyValue("--ink").trim();
    var paper = css.getPropertyValue("--card").trim();
    return { table: table, ink: ink, paper: paper, active: css.getPropertyValue("--active").trim(),
      positive: "#" + hexOf(stops[2]), negative: "#" + hexOf(stops[0]) };
  }

  function hexOf(rgb) {
    return rgb.map(function (c) { return (c < 16 ? "0" : "") + c.toString(16); }).join("");
  }

  /** The square of the plane the heatmaps show: the data's bounding box, made square. */
  function boxOf(data) {
    var rows = data.train.concat(data.test);
    var lo = [Infinity, Infinity];
    var hi = [-Infinity, -Infinity];
    rows.forEach(function (row) {
      for (var i = 0; i < 2; i += 1) {
        lo[i] = Math.min(lo[i], row[i]);
        hi[i] = Math.max(hi[i], row[i]);
      }
    });
    var half = Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2 * 1.1 + 0.05;
    var cx = (lo[0] + hi[0]) / 2;
    var cy = (lo[1] + hi[1]) / 2;
    return { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half, size: 2 * half };
  }

  /** Every neuron's activation on the GRID × GRID points of the box (row 0 at the top). */
  function computeGrids() {
    var started = performance.now();
    if (!view.box) { view.box = boxOf(state.data); }
    var box = view.box;
    var t = state.trainer;
    var widths = widthsOf(state.config);
    var grids = { layers: [], stale: false };
    for (var l = 1; l < widths.length; l += 1) {
      var layer = [];
      for (var j = 0; j < widths[l]; j += 1) { layer.push(new Float64Array(GRID * GRID)); }
      grids.layers[l] = layer;
    }
    var step = box.size / GRID;
    for (var iy = 0; iy < GRID; iy += 1) {
      var x2 = box.y1 - (iy + 0.5) * step;
      for (var ix = 0; ix < GRID; ix += 1) {
        var acts = null;
        try { acts = t.neurons(box.x0 + (ix + 0.5) * step, x2); } catch (error) { acts = null; }
        for (l = 1; l < widths.length; l += 1) {
          for (j = 0; j < widths[l]; j += 1) {
            grids.layers[l][j][iy * GRID + ix] = acts ? acts[l - 1][j] : NaN;
          }
        }
      }
    }
    if (!view.features) {
      view.features = {};
      FEATURE_IDS.forEach(function (id) { view.features[id] = new Float64Array(GRID * GRID); });
      for (iy = 0; iy < GRID; iy += 1) {
        for (ix = 0; ix < GRID; ix += 1) {
          var values = datasets.featurize(FEATURE_IDS, box.x0 + (ix + 0.5) * step,
            box.y1 - (iy + 0.5) * step);
          FEATURE_IDS.forEach(function (id, f) { view.features[id][iy * GRID + ix] = values[f]; });
        }
      }
    }
    view.grids = grids;
    view.lastGrids = performance.now();
    view.gridCost = view.lastGrids - started;
  }

  /** The output on the colour scale: −1 (class 0) … 0 (the decision boundary) … 1 (class 1). */
  function score(output) {
    var loss = state.config.loss;
    if (loss === "bce") { return 2 * sigmoid(output) - 1; }
    if (loss === "mse") { return Math.max(-1, Math.min(1, 2 * output - 1)); }
    return Math.max(-1, Math.min(1, output));
  }

  function paint(canvas, values, transform) {
    var context = canvas.getContext("2d");
    if (canvas.width !== GRID) { canvas.width = GRID; canvas.height = GRID; }
    var image = context.createImageData(GRID, GRID);
    var table = view.palette.table;
    var scale = 1;
    if (!transform) {
      for (var i = 0; i < values.length; i += 1) {
        if (isFinite(values[i])) { scale = Math.max(scale, Math.abs(values[i])); }
      }
    }
    for (var p = 0; p < values.length; p += 1) {
      var v = transform ? transform(values[p]) : values[p] / scale;
      if (v !== v) { v = 0; }  // NaN: the network could not compute this point
      var index = Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5) * 3;
      image.data[p * 4] = table[index];
      image.data[p * 4 + 1] = table[index + 1];
      image.data[p * 4 + 2] = table[index + 2];
      image.data[p * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  function outputTransform() {
    if (state.ui.discretize) {
      return function (x) { var s = score(x); return s > 0 ? 1 : s < 0 ? -1 : 0; };
    }
    return score;
  }

  function drawHeatmaps() {
    var grids = view.grids;
    var widths = widthsOf(state.config);
    var L = widths.length - 1;
    paint($("heatmap"), grids.layers[L][0], outputTransform());
    for (var l = 1; l <= L; l += 1) {
      for (var j = 0; j < widths[l]; j += 1) {
        var node = view.nodes[l + "_" + j];
        if (node) { paint(node.canvas, grids.layers[l][j], l === L ? outputTransform() : null); }
      }
    }
    if (view.paintedFeatures !== view.features) {
      FEATURE_IDS.forEach(function (id) { paint(view.inputs[id].canvas, view.features[id]); });
      view.paintedFeatures = view.features;
    }
    var s = state.selected;
    var big = $("inspector").querySelector("canvas");
    if (big && s && s.kind === "neuron") {
      paint(big, grids.layers[s.l][s.j], s.l === L ? outputTransform() : null);
    }
  }

  /* The points, the decision boundary and the chosen sample, over the output heatmap. */
  function drawPoints() {
    var canvas = $("points");
    var size = canvas.clientWidth;
    if (!size) { return; }
    var ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size * ratio)) {
      canvas.width = canvas.height = Math.round(size * ratio);
    }
    var context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size, size);
    var box = view.box;
    var colours = view.palette;
    var place = function (row) {
      return [(row[0] - box.x0) / box.size * size, (box.y1 - row[1]) / box.size * size];
    };
    boundary(context, size);
    var r = size < 260 ? 3 : 4;
    var mark = function (row, test) {
      var p = place(row);
      context.beginPath();
      if (row[2] === 1) { context.arc(p[0], p[1], r, 0, 2 * Math.PI); }
      else { context.rect(p[0] - r, p[1] - r, 2 * r, 2 * r); }
      context.fillStyle = row[2] === 1 ? colours.positive : colours.negative;
      context.fill();
      context.lineWidth = test ? 1.6 : 1;
      context.strokeStyle = test ? colours.ink : colours.paper;
      context.stroke();
    };
    state.data.train.forEach(function (row) { mark(row, false); });
    if (state.ui.showTestData) { state.data.test.forEach(function (row) { mark(row, true); }); }
    var chosen = place(state.data.train[state.sample]);
    context.beginPath();
    context.arc(chosen[0], chosen[1], r + 5, 0, 2 * Math.PI);
    context.lineWidth = 2.5;
    context.strokeStyle = colours.active;
    context.stroke();
    var fmt = function (x) { return pyformat.formatG(x, 3); };
    $("axes").textContent = "x₁ from " + fmt(box.x0) + " to " + fmt(box.x1) +
      " (left to right), x₂ from " + fmt(box.y0) + " to " + fmt(box.y1) +
      " (bottom to top). The ring marks training sample " + state.sample +
      "; click a point to choose it.";
  }

  /** The decision boundary (where the output's score is 0) by marching squares. */
  function boundary(context, size) {
    var values = view.grids.layers[widthsOf(state.config).length - 1][0];
    var cell = size / GRID;
    var at = function (ix, iy) { return score(values[iy * GRID + ix]); };
    context.beginPath();
    for (var iy = 0; iy < GRID - 1; iy += 1) {
      for (var ix = 0; ix < GRID - 1; ix += 1) {
        var corners = [[ix, iy], [ix + 1, iy], [ix + 1, iy + 1], [ix, iy + 1]];
        var v = corners.map(function (c) { return at(c[0], c[1]); });
        var cuts = [];
        for (var e = 0; e < 4; e += 1) {
          var v0 = v[e];
          var v1 = v[(e + 1) % 4];
          if ((v0 > 0) !== (v1 > 0)) {
            var f = v0 / (v0 - v1);
            var c0 = corners[e];
            var c1 = corners[(e + 1) % 4];
            cuts.push([(c0[0] + f * (c1[0] - c0[0]) + 0.5) * cell,
              (c0[1] + f * (c1[1] - c0[1]) + 0.5) * cell]);
          }
        }
        for (var k = 0; k + 1 < cuts.length; k += 2) {
          context.moveTo(cuts[k][0], cuts[k][1]);
          context.lineTo(cuts[k + 1][0], cuts[k + 1][1]);
        }
      }
    }
    context.lineWidth = 1.5;
    context.strokeStyle = view.palette.ink;
    context.stroke();
  }

  function drawLosses() {
    var last = state.history[state.history.length - 1];
    var show = function (x) { return isFinite(x) ? pyformat.formatG(x, 4) : "–"; };
    $("loss-train").textContent = show(last.train);
    $("loss-test").textContent = show(last.test);
    var svg = $("curve");
    var points = state.history;
    var stride = Math.max(1, Math.ceil(points.length / 240));
    var sampled = points.filter(function (_, i) {
      return i % stride === 0 || i === points.length - 1;
    });
    var top = 0;
    sampled.forEach(function (p) {
      [p.train, p.test].forEach(function (x) { if (isFinite(x)) { top = Math.max(top, x); } });
    });
    top = top || 1;
    var span = Math.max(1, last.steps - points[0].steps);
    var line = function (key) {
      return sampled.filter(function (p) { return isFinite(p[key]); }).map(function (p) {
        var x = (p.steps - points[0].steps) / span * 236 + 2;
        var y = 58 - p[key] / top * 54;
        return x.toFixed(1) + "," + y.toFixed(1);
      }).join(" ");
    };
    svg.innerHTML = "";
    [["train", ""], ["test", "4 3"]].forEach(function (pair) {
      var poly = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
      poly.setAttribute("points", line(pair[0]));
      poly.setAttribute("class", "curve-" + pair[0]);
      if (pair[1]) { poly.setAttribute("stroke-dasharray", pair[1]); }
      svg.appendChild(poly);
    });
    svg.setAttribute("aria-label", "loss curves over " + last.epoch + " epochs: training loss " +
      show(last.train) + ", test loss " + show(last.test) + " (highest shown " + show(top) + ")");
  }

  /* --- the network picture ---------------------------------------------------------------- */

  var SVG = "http://www.w3.org/2000/svg";

  /** Columns: the 7 features, each hidden layer, the output; positions in CSS pixels. */
  function layout() {
    var container = $("network");
    var width = Math.max(240, container.clientWidth);
    var widths = widthsOf(state.config);
    var columns = widths.length;
    var labelRoom = 50;   // the features' names, left of the input column
    var rightRoom = 26;   // half of a δ note under the output neuron
    var fit = Math.floor((width - labelRoom - rightRoom) / (columns * 1.7));
    var node = Math.max(20, Math.min(36, fit));
    var spacing = (width - labelRoom - rightRoom - node) / (columns - 1);
    var stacked = spacing < 60;
    var header = stacked ? 60 : 46;
    var gap = Math.max(6, Math.round(node * 0.27));
    var rows = Math.max(FEATURE_IDS.length, Math.max.apply(null, widths.slice(1)));
    var x = function (c) { return labelRoom + c * spacing; };
    var y = function (row) { return header + row * (node + gap); };
    return { width: width, height: y(rows) + 8, node: node, x: x, y: y, header: header,
      stacked: stacked, spacing: spacing, compact: spacing < 64 };
  }

  function rememberFocus() {
    var focused = document.activeElement;
    return focused && focused.dataset && focused.dataset.key ? focused.dataset.key : null;
  }

  /** Build the network's elements when the architecture (or the width) changed. */
  function drawNetwork() {
    var geometry = layout();
    var shape = JSON.stringify([state.config.features, state.config.hidden, geometry.width]);
    if (view.shape !== shape) {
      var focus = rememberFocus();
      buildNetwork(geometry);
      view.shape = shape;
      view.paintedFeatures = null;
      if (focus) {
        var again = $("network").querySelector('[data-key="' + focus + '"]');
        if (again) { again.focus(); }
      }
    }
    styleNetwork();
  }

  function button(className, key, label) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.dataset.key = key;
    element.setAttribute("aria-label", label);
    return element;
  }

  function place(element, x, y) {
    element.style.left = x + "px";
    element.style.top = y + "px";
  }

  function buildNetwork(g) {
    var container = $("network");
    container.textContent = "";
    container.style.height = g.height + "px";
    container.classList.toggle("compact", g.compact);  // too tight for δ notes under neurons
    var widths = widthsOf(state.config);
    var L = widths.length - 1;
    view.nodes = {};
    view.links = {};
    view.inputs = {};
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "links");
    svg.setAttribute("width", String(g.width));
    svg.setAttribute("height", String(g.height));
    svg.setAttribute("aria-hidden", "true");
    container.appendChild(svg);
    var centre = {};  // "l_j" → [x, y] of the node's middle
    var size = g.node;

    var heading = function (text, column) {
      var label = document.createElement("span");
      label.className = "column-label";
      label.textContent = text;
      place(label, g.x(column) + size / 2, g.header - 16);
      container.appendChild(label);
    };
    if (!g.compact) {
      heading("inputs", 0);
      heading("output", L);
    }

    FEATURE_IDS.forEach(function (id, row) {
      var on = state.config.features.indexOf(id) >= 0;
      var element = button("feature", "feature-" + id, "input feature " + FEATURE_LABEL[id]);
      element.setAttribute("aria-pressed", String(on));
      element.dataset.feature = id;
      element.title = FEATURE_LABEL[id] +
        (on ? ": used (click to drop)" : ": not used (click to use)");
      var canvas = document.createElement("canvas");
      canvas.width = canvas.height = GRID;
      element.appendChild(canvas);
      element.style.width = element.style.height = size + "px";
      place(element, g.x(0), g.y(row));
      var text = document.createElement("span");
      text.className = "feature-label";
      text.textContent = FEATURE_LABEL[id];
      text.setAttribute("aria-hidden", "true");
      text.style.top = g.y(row) + size / 2 + "px";
      text.style.right = g.width - g.x(0) + 3 + "px";
      container.appendChild(text);
      container.appendChild(element);
      view.inputs[id] = { element: element, canvas: canvas };
      var k = state.config.features.indexOf(id);
      if (k >= 0) { centre["0_" + k] = [g.x(0) + size, g.y(row) + size / 2]; }
    });

    for (var l = 1; l <= L; l += 1) {
      if (l < L) { layerButtons(container, g, l); }
      for (var j = 0; j < widths[l]; j += 1) {
        var name = a(l, j);
        var what = l === L ? "the output neuron " + name
          : "neuron " + name + " (layer " + l + ", neuron " + j + ")";
        var element = button("neuron", "neuron-" + l + "-" + j, what + ": show its z, a and δ");
        element.dataset.l = String(l);
        element.dataset.j = String(j);
        element.style.width = element.style.height = size + "px";
        var canvas = document.createElement("canvas");
        canvas.width = canvas.height = GRID;
        element.appendChild(canvas);
        place(element, g.x(l), g.y(j));
        container.appendChild(element);
        var note = document.createElement("span");
        note.className = "delta-note";
        note.setAttribute("aria-hidden", "true");
        place(note, g.x(l) + size / 2, g.y(j) + size + 1);
        container.appendChild(note);
        view.nodes[l + "_" + j] = { element: element, canvas: canvas, note: note };
        centre[l + "_" + j] = [g.x(l), g.y(j) + size / 2];
        centre[l + "_" + j + "_out"] = [g.x(l) + size, g.y(j) + size / 2];
      }
    }

    for (l = 1; l <= L; l += 1) {
      for (j = 0; j < widths[l]; j += 1) {
        for (var k = 0; k < widths[l - 1]; k += 1) {
          var from = l === 1 ? centre["0_" + k] : centre[(l - 1) + "_" + k + "_out"];
          var to = centre[l + "_" + j];
          var mid = (from[0] + to[0]) / 2;
          var path = "M" + from[0] + "," + from[1] + " C" + mid + "," + from[1] + " " + mid + "," +
            to[1] + " " + to[0] + "," + to[1];
          var group = document.createElementNS(SVG, "g");
          group.setAttribute("class", "link");
          var line = document.createElementNS(SVG, "path");
          line.setAttribute("d", path);
          line.setAttribute("class", "weight");
          var hit = document.createElementNS(SVG, "path");
          hit.setAttribute("d", path);
          hit.setAttribute("class", "hit");
          hit.dataset.l = String(l);
          hit.dataset.j = String(j);
          hit.dataset.k = String(k);
          var title = document.createElementNS(SVG, "title");
          hit.appendChild(title);
          group.appendChild(line);
          group.appendChild(hit);
          svg.appendChild(group);
          view.links[l + "_" + j + "_" + k] = { group: group, line: line, title: title };
        }
      }
    }
  }

  function layerButtons(container, g, l) {
    var box = document.createElement("div");
    box.className = "neuron-buttons" + (g.stacked ? " stacked" : "");
    box.dataset.control = "hidden";
    var count = state.config.hidden[l - 1];
    var add = button("small", "add-" + l, "add a neuron to hidden layer " + l);
    add.textContent = "+";
    add.disabled = count >= MAX_NEURONS;
    add.dataset.layer = String(l);
    add.dataset.delta = "1";
    var remove = button("small", "remove-" + l, "remove a neuron from hidden layer " + l);
    remove.textContent = "−";
    remove.disabled = count <= 1;
    remove.dataset.layer = String(l);
    remove.dataset.delta = "-1";
    box.appendChild(add);
    box.appendChild(remove);
    place(box, g.x(l) + g.node / 2, 0);
    container.appendChild(box);
    var label = document.createElement("span");
    label.className = "column-label";
    label.textContent = g.compact ? String(count) : count + (count === 1 ? " neuron" : " neurons");
    place(label, g.x(l) + g.node / 2, g.header - 16);
    container.appendChild(label);
  }

  /** Link widths and dashes from the weights; what is selected or part of the BP step. */
  function styleNetwork() {
    var layers = state.trainer.layers();
    var widths = widthsOf(state.config);
    var step = view.walk ? view.walk[state.walk] : null;
    var lit = step ? step.lit : null;
    var s = state.selected;
    $("network").classList.toggle("walking", Boolean(step));
    for (var l = 1; l < widths.length; l += 1) {
      for (var j = 0; j < widths[l]; j += 1) {
        var neuron = layers[l - 1][j];
        for (var k = 0; k < widths[l - 1]; k += 1) {
          var link = view.links[l + "_" + j + "_" + k];
          var weight = neuron.w[k];
          var width = Math.min(8, 0.6 + 2.2 * Math.abs(weight));
          link.line.setAttribute("stroke-width", width.toFixed(2));
          link.group.setAttribute("class", "link " + (weight < 0 ? "negative" : "positive") +
            (s && s.kind === "link" && s.l === l && s.j === j && s.k === k ? " selected" : "") +
            (lit && lit.links[l + "_" + j + "_" + k] ? " lit" : ""));
          link.title.textContent = w(l, j, k) + " = " + num(weight) +
            (weight < 0 ? " (negative)" : " (positive)");
        }
        var node = view.nodes[l + "_" + j];
        var selected = Boolean(s && s.kind === "neuron" && s.l === l && s.j === j);
        node.element.classList.toggle("selected", selected);
        node.element.setAttribute("aria-pressed", String(selected));
        node.element.classList.toggle("lit", Boolean(lit && lit.nodes[l + "_" + j]));
        node.element.title = a(l, j) + ", bias " + b(l, j) + " = " + num(neuron.b);
        node.note.textContent = step && step.known[l] ? "δ=" + num(view.q.delta[l][j]) : "";
      }
    }
    state.config.features.forEach(function (id, k) {
      view.inputs[id].element.classList.toggle("lit", Boolean(lit && lit.nodes["0_" + k]));
    });
  }

  /* --- backprop: the inspector and the BP1–BP4 walk --------------------------------------- */

  function bp() { return state.trainer.bp(state.sample); }

  /** The number the loss compares the output with: the label 0/1, or ±1 for hinge. */
  function target(row) { return trainers.target(state.config.loss, row[2]); }

  /** BP1's factor ∂C/∂a^L for this loss, as a formula and with its numbers. */
  function outputGradient(q, L, j, y) {
    var out = q.a[L][j];
    var loss = state.config.loss;
    if (loss === "bce") {
      return ["(σ(" + a(L, j) + ") − y)", "(σ(" + num(out) + ") − " + num(y) + ")"];
    }
    if (loss === "mse") {
      return ["(" + a(L, j) + " − y)", "(" + num(out) + " − " + num(y) + ")"];
    }
    return ["(−y·[y·" + a(L, j) + " < 1])",
      "(−" + factor(y) + "·[" + factor(y) + "·" + factor(out) + " < 1])"];
  }

  function inputName(k) { return FEATURE_LABEL[state.config.features[k]]; }

  /** How many steps the walk has: BP1 per output, BP2 per hidden layer, BP3 per neuron, BP4
   * per layer. */
  function walkCount() {
    var widths = widthsOf(state.config);
    var L = widths.length - 1;
    var neurons = widths.slice(1).reduce(function (x, y) { return x + y; }, 0);
    return widths[L] + (L - 1) + neurons + L;
  }

  /** What a step highlights: neurons [l, j] and links [l, j, k] (W^l_jk). */
  function lit(nodes, links) {
    var out = { nodes: {}, links: {} };
    nodes.forEach(function (n) { out.nodes[n[0] + "_" + n[1]] = true; });
    links.forEach(function (n) { out.links[n[0] + "_" + n[1] + "_" + n[2]] = true; });
    return out;
  }

  /**
   * The walk for the quantities q (trainer.bp): BP1 at the output, BP2 layer by layer down,
   * BP3 neuron by neuron (a row of W^l each), BP4 layer by layer. Each step: {equation, lit,
   * known (the layers whose δ is known by then), text (its lines)}.
   */
  function walkSteps(q) {
    var widths = widthsOf(state.config);
    var L = widths.length - 1;
    var row = state.data.train[state.sample];
    var y = target(row);
    var layers = state.trainer.layers();
    var known = {};
    var steps = [];
    var l;
    var j;
    var k;
    var cost = LOSS_FORMULA[state.config.loss].replace(/a\^L/g, a(L, 0));
    var sample = "sample " + state.sample + ": x = (" + num(row[0]) + ", " + num(row[1]) +
      "), y = " + num(y) + ";  " + cost + " = " + num(q.C);

    for (j = 0; j < widths[L]; j += 1) {
      known[L] = true;
      var g = outputGradient(q, L, j, y);
      var sp = factor(q.sigma_prime[L][j]);
      steps.push({ equation: "BP1", known: Object.assign({}, known), lit: lit([[L, j]], []), text: [
        "BP1  δᴸ = ∂C/∂aᴸ ⊙ σ'(zᴸ), at the output layer L = " + L +
          " (σ = identity, so σ' = 1)",
        "BP1  " + d(L, j) + " = " + g[0] + "·σ'(" + z(L, j) + ") = " + g[1] + "·" + sp + " = " +
          factor(q.dC_da[L][j]) + "·" + sp + " = " + num(q.delta[L][j]),
        sample
      ] });
    }

    for (l = L - 1; l >= 1; l -= 1) {
      known[l] = true;
      var lines = ["BP2  δ" + sup(l) + " = ((W" + sup(l + 1) + ")ᵀ δ" + sup(l + 1) + ") ⊙ σ'(z" +
        sup(l) + "), layer " + l + " (σ = " + state.config.activation + ")"];
      var nodes = [];
      var links = [];
      for (var m = 0; m < widths[l + 1]; m += 1) { nodes.push([l + 1, m]); }
      for (j = 0; j < widths[l]; j += 1) {
        nodes.push([l, j]);
        var terms = [];
        var numbers = [];
        for (m = 0; m < widths[l + 1]; m += 1) {
          terms.push(w(l + 1, m, j) + "·" + d(l + 1, m));
          numbers.push(factor(layers[l][m].w[j]) + "·" + factor(q.delta[l + 1][m]));
          links.push([l + 1, m, j]);
        }
        sp = factor(q.sigma_prime[l][j]);
        var sum = terms.length <= 3  // written out in full when short, else as Σ and its value
          ? "(" + terms.join(" + ") + ")·σ'(" + z(l, j) + ") = (" + numbers.join(" + ") + ")·" +
            sp + " = "
          : "(Σₖ " + w(l + 1, "k", j) + "·" + d(l + 1, "k") + ")·σ'(" + z(l, j) + ") = ";
        lines.push("BP2  " + d(l, j) + " = " + sum + factor(q.dC_da[l][j]) + "·" + sp + " = " +
          num(q.delta[l][j]));
      }
      steps.push({ equation: "BP2", known: Object.assign({}, known), lit: lit(nodes, links),
        text: lines });
    }

    for (l = L; l >= 1; l -= 1) {
      for (j = 0; j < widths[l]; j += 1) {
        var text = ["BP3  ∂C/∂W" + sup(l) + " = δ" + sup(l) + " (a" + sup(l - 1) + ")ᵀ, row " + j +
          ": ∂C/∂" + w(l, j, "k") + " = " + d(l, j) + "·" + a(l - 1, "k")];
        var inputs = [[l, j]];
        var row3 = [];
        for (k = 0; k < widths[l - 1]; k += 1) {
          inputs.push([l - 1, k]);
          row3.push([l, j, k]);
          text.push("BP3  ∂C/∂" + w(l, j, k) + " = " + d(l, j) + "·" + a(l - 1, k) + " = " +
            factor(q.delta[l][j]) + "·" + factor(q.a[l - 1][k]) + " = " + num(q.dC_dW[l][j][k]) +
            (l === 1 ? "   (" + a(0, k) + " = " + inputName(k) + ")" : ""));
        }
        steps.push({ equation: "BP3", known: known, lit: lit(inputs, row3), text: text });
      }
    }

    for (l = L; l >= 1; l -= 1) {
      var biases = ["BP4  ∂C/∂b" + sup(l) + " = δ" + sup(l) + ", layer " + l];
      var neurons = [];
      for (j = 0; j < widths[l]; j += 1) {
        neurons.push([l, j]);
        biases.push("BP4  ∂C/∂" + b(l, j) + " = " + d(l, j) + " = " + num(q.dC_db[l][j]));
      }
      steps.push({ equation: "BP4", known: known, lit: lit(neurons, []), text: biases });
    }
    return steps;
  }

  function drawBackprop() {
    var row = state.data.train[state.sample];
    var q = view.q;
    $("sample-info").textContent = "x = (" + num(row[0]) + ", " + num(row[1]) + "), class " +
      row[2] + ", y = " + num(target(row)) + (q ? ", C = " + num(q.C) : "");
    var steps = view.walk;
    var walking = steps !== null;
    $("bp").setAttribute("aria-pressed", String(walking));
    $("bp").textContent = walking ? "Leave BP1–BP4" : "BP1–BP4";
    $("bp-previous").disabled = !walking || state.walk === 0;
    $("bp-next").disabled = !walking || state.walk === steps.length - 1;
    $("bp-counter").textContent = walking
      ? "step " + (state.walk + 1) + " / " + steps.length + ": " + steps[state.walk].equation : "";
    var caption;
    if (!q) {
      caption = "Backprop cannot be computed for this sample now (" + view.bpError + "): the " +
        "weights have grown too large. Lower the learning rate, then Reset.";
    } else if (walking) {
      caption = steps[state.walk].text.join("\n");
    } else {
      caption = "Press BP1–BP4 to walk through backprop for training sample " + state.sample +
        " on the network: δ at the output (BP1), δ layer by layer (BP2), then ∂C/∂W (BP3) " +
        "and ∂C/∂b (BP4).";
    }
    if ($("caption").textContent !== caption) { $("caption").textContent = caption; }
    inspector(q);
  }

  /** One line of the inspector: the quantity's name, its value (exact in data-value). */
  function numberItem(list, name, value, key, note) {
    var term = document.createElement("dt");
    term.textContent = name;
    var item = document.createElement("dd");
    item.textContent = num(value) + (note ? "  " + note : "");
    item.dataset.q = key;
    item.dataset.value = String(value);
    list.appendChild(term);
    list.appendChild(item);
  }

  function sign(x) { return x > 0 ? "(positive)" : x < 0 ? "(negative)" : "(zero)"; }

  /** The selected neuron's or link's numbers for the chosen sample (rebuilt when they change). */
  function inspector(q) {
    var panel = $("inspector");
    var s = state.selected;
    var key = JSON.stringify([s, state.sample, view.built, state.trainer.steps, state.config,
      view.shape, Boolean(q)]);
    if (panel.dataset.key === key) { return; }
    panel.dataset.key = key;
    panel.textContent = "";
    if (!s || !q) {
      var hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = "Click a neuron (or focus it and press Enter) to see its z, a, " +
        "δ = ∂C/∂z and ∂C/∂b for this sample; click a link for W and ∂C/∂W.";
      panel.appendChild(hint);
      return;
    }
    var title = document.createElement("h3");
    panel.appendChild(title);
    var numbers = document.createElement("dl");
    numbers.className = "numbers";
    if (s.kind === "neuron") {
      inspectNeuron(panel, title, numbers, q, s.l, s.j);
    } else {
      inspectLink(panel, title, numbers, q, s.l, s.j, s.k);
    }
  }

  function inspectNeuron(panel, title, numbers, q, l, j) {
    var layers = state.trainer.layers();
    var L = widthsOf(state.config).length - 1;
    var bias = layers[l - 1][j].b;
    title.textContent = (l === L ? "Output neuron " : "Neuron ") + a(l, j) + " (layer " + l +
      ", neuron " + j + ", σ = " + sigmaName(l) + "), training sample " + state.sample;
    var body = document.createElement("div");
    body.className = "inspect-body";
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = GRID;
    canvas.className = "big";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "heatmap of " + a(l, j) + " over the input plane");
    body.appendChild(canvas);
    var upstream = l === L ? "" : " = Σₘ W" + sup(l + 1) + "ₘ" + sub(j) + "·δ" + sup(l + 1) + "ₘ";
    numberItem(numbers, z(l, j) + " = Σₖ " + w(l, j, "k") + "·" + a(l - 1, "k") + " + " + b(l, j),
      q.z[l][j], "z");
    numberItem(numbers, a(l, j) + " = σ(" + z(l, j) + ")", q.a[l][j], "a");
    numberItem(numbers, "σ'(" + z(l, j) + ")", q.sigma_prime[l][j], "sigma_prime");
    numberItem(numbers, "∂C/∂" + a(l, j) + upstream, q.dC_da[l][j], "dC_da");
    numberItem(numbers, d(l, j) + " = ∂C/∂" + z(l, j) + " (" + (l === L ? "BP1" : "BP2") + ")",
      q.delta[l][j], "delta", sign(q.delta[l][j]));
    numberItem(numbers, "∂C/∂" + b(l, j) + " = " + d(l, j) + " (BP4)", q.dC_db[l][j], "dC_db");
    numberItem(numbers, b(l, j) + " (the bias)", bias, "b", sign(bias));
    body.appendChild(numbers);
    panel.appendChild(body);
    panel.appendChild(weightTable(q, layers, l, j));
    if (view.grids) { paint(canvas, view.grids.layers[l][j], l === L ? outputTransform() : null); }
  }

  function inspectLink(panel, title, numbers, q, l, j, k) {
    var weight = state.trainer.layers()[l - 1][j].w[k];
    var gradient = q.dC_dW[l][j][k];
    var from = l === 1 ? a(0, k) + " = " + inputName(k) : a(l - 1, k);
    title.textContent = "Weight " + w(l, j, k) + ": from " + from + " to " + z(l, j) +
      ", training sample " + state.sample;
    numberItem(numbers, w(l, j, k), weight, "w", sign(weight));
    numberItem(numbers, "∂C/∂" + w(l, j, k) + " = " + d(l, j) + "·" + a(l - 1, k) + " = " +
      factor(q.delta[l][j]) + "·" + factor(q.a[l - 1][k]) + " (BP3)", gradient, "dC_dW");
    numberItem(numbers, "one SGD step on this sample alone: " + w(l, j, k) + " − η·∂C/∂" +
      w(l, j, k) + " (η = " + state.config.lr + ")", weight - state.config.lr * gradient, "w_next");
    panel.appendChild(numbers);
    var back = button("", "show-neuron", "show neuron " + a(l, j));
    back.textContent = "Neuron " + a(l, j);
    back.dataset.select = JSON.stringify({ kind: "neuron", l: l, j: j });
    panel.appendChild(back);
  }

  /** A neuron's incoming weights: W, the input a, and ∂C/∂W (BP3), each row leading to its link. */
  function weightTable(q, layers, l, j) {
    var table = document.createElement("table");
    var caption = document.createElement("caption");
    caption.textContent = "Weights into " + z(l, j) + " (BP3: ∂C/∂" + w(l, j, "k") + " = " +
      d(l, j) + "·" + a(l - 1, "k") + ")";
    table.appendChild(caption);
    var head = table.insertRow();
    ["link", "W", "a" + sup(l - 1) + "ₖ", "∂C/∂W"].forEach(function (text) {
      var cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = text;
      head.appendChild(cell);
    });
    for (var k = 0; k < layers[l - 1][j].w.length; k += 1) {
      var row = table.insertRow();
      var pick = button("link-button", "link-" + l + "-" + j + "-" + k,
        "show weight " + w(l, j, k));
      pick.textContent = w(l, j, k) + (l === 1 ? " (" + inputName(k) + ")" : "");
      pick.dataset.select = JSON.stringify({ kind: "link", l: l, j: j, k: k });
      row.insertCell().appendChild(pick);
      [layers[l - 1][j].w[k], q.a[l - 1][k], q.dC_dW[l][j][k]].forEach(function (x, i) {
        var cell = row.insertCell();
        cell.textContent = num(x);
        cell.dataset.q = ["w", "a", "dC_dW"][i];
        cell.dataset.value = String(x);
      });
    }
    return table;
  }

  /* --- playing ---------------------------------------------------------------------------- */

  function frame() {
    if (!state.playing) { return; }
    var until = performance.now() + TRAIN_BUDGET;
    var failed = runSteps(1e9, until);
    update({ trained: true, playing: !failed && state.playing });
    if (state.playing) { requestAnimationFrame(frame); }
  }

  function play() {
    if (state.playing || state.error) { return; }
    update({ playing: true });
    requestAnimationFrame(frame);
  }

  function pause() {
    if (!state.playing) { return; }
    markStale(view.grids);
    update({ playing: false });
  }

  function stepOnce() {
    pause();
    runSteps(1);
    update({ trained: true });
  }

  function downloadModel() {
    var blob = new Blob([JSON.stringify(model(), null, 1)], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = "chainrule-playground-" + state.config.dataset + ".json";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    status("Saved the model as " + link.download + " (load it with chainrule's MLP.load).");
  }

  function model() {
    var c = state.config;
    return {
      format: "chainrule.nn.MLP",
      version: 1,
      nin: c.features.length,
      nouts: c.hidden.concat([1]),
      activation: c.activation,
      output_activation: "linear",
      layers: state.trainer.layers(),
      features: c.features.slice()
    };
  }

  /* --- wiring the controls ---------------------------------------------------------------- */

  /** Apply a change from a control; a refused one is shown, and the controls are redrawn. */
  function fromControl(change) {
    try {
      update(change);
    } catch (error) {
      status(error.message);
      draw(false);
    }
  }

  function buildControls() {
    datasetButtons();
    $("play").addEventListener("click", function () {
      if (state.playing) { pause(); } else { play(); }
    });
    $("step").addEventListener("click", stepOnce);
    $("reset").addEventListener("click", function () { pause(); fromControl({ rebuild: true }); });
    $("regenerate").addEventListener("click", function () {
      pause();
      fromControl({ config: { seed: Math.floor(Math.random() * 100000) } });
    });
    $("download").addEventListener("click", downloadModel);
    var selects = [["lr", Number], ["l2", Number], ["activation", String], ["loss", String],
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
    $("network").addEventListener("click", networkClick);
    $("inspector").addEventListener("click", function (event) {
      var target = event.target.closest("[data-select]");
      if (target) { fromControl({ selected: JSON.parse(target.dataset.select) }); }
    });
    $("points").addEventListener("click", pickPoint);
    document.addEventListener("keydown", keys);
    window.addEventListener("hashchange", fromHash);
    var resizing = null;
    window.addEventListener("resize", function () {
      if (resizing === null) {
        resizing = requestAnimationFrame(function () { resizing = null; draw(false); });
      }
    });
    if (window.matchMedia) {
      var dark = window.matchMedia("(prefers-color-scheme: dark)");
      var repaint = function () {
        view.palette = palette();
        view.paintedFeatures = null;
        markStale(view.grids);
        draw(false);
      };
      if (dark.addEventListener) { dark.addEventListener("change", repaint); }
    }
  }

  function datasetButtons() {
    var box = $("datasets");
    datasets.DATASETS.forEach(function (name) {
      var element = button("dataset", "dataset-" + name, "data set " + name);
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
      var made = datasets.generate(name, 80, 0.05, 1);
      var context = canvas.getContext("2d");
      var rows = made.points.map(function (p, i) { return [p[0], p[1], made.labels[i]]; });
      var frame = boxOf({ train: rows, test: [] });
      rows.forEach(function (row) {
        context.fillStyle = row[2] === 1 ? view.palette.positive : view.palette.negative;
        var x = (row[0] - frame.x0) / frame.size * 40;
        var y = (frame.y1 - row[1]) / frame.size * 40;
        if (row[2] === 1) {
          context.beginPath();
          context.arc(x, y, 1.6, 0, 2 * Math.PI);
          context.fill();
        } else {
          context.fillRect(x - 1.5, y - 1.5, 3, 3);
        }
      });
    });
  }

  function networkClick(event) {
    var target = event.target.closest("button, .hit");
    if (!target) { return; }
    if (target.dataset.feature) {
      var id = target.dataset.feature;
      var features = state.config.features;
      if (features.indexOf(id) >= 0) {
        if (features.length === 1) { status("Keep at least one input feature."); return; }
        features = features.filter(function (f) { return f !== id; });
      } else {
        features = FEATURE_IDS.filter(function (f) {  // in Playground's order
          return f === id || features.indexOf(f) >= 0;
        });
      }
      fromControl({ config: { features: features } });
    } else if (target.dataset.delta) {
      var hidden = state.config.hidden.slice();
      var l = Number(target.dataset.layer);
      var width = hidden[l - 1] + Number(target.dataset.delta);
      hidden[l - 1] = Math.max(1, Math.min(MAX_NEURONS, width));
      fromControl({ config: { hidden: hidden } });
    } else if (target.dataset.k !== undefined) {
      fromControl({ selected: { kind: "link", l: Number(target.dataset.l),
        j: Number(target.dataset.j), k: Number(target.dataset.k) } });
    } else if (target.dataset.l !== undefined) {
      var s = state.selected;
      var l2 = Number(target.dataset.l);
      var j = Number(target.dataset.j);
      var again = s && s.kind === "neuron" && s.l === l2 && s.j === j;
      fromControl({ selected: again ? null : { kind: "neuron", l: l2, j: j } });
    }
  }

  function pickPoint(event) {
    var canvas = $("points");
    var rect = canvas.getBoundingClientRect();
    var box = view.box;
    var best = -1;
    var distance = Infinity;
    state.data.train.forEach(function (row, i) {
      var x = (row[0] - box.x0) / box.size * rect.width + rect.left;
      var y = (box.y1 - row[1]) / box.size * rect.height + rect.top;
      var dd = Math.hypot(x - event.clientX, y - event.clientY);
      if (dd < distance) { distance = dd; best = i; }
    });
    if (best >= 0 && distance < 16) { fromControl({ sample: best }); }
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
      if (state.playing) { pause(); } else { play(); }
      event.preventDefault();
    } else if (event.key === "s" || event.key === "S") {
      stepOnce();
    } else if (state.walk !== null && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      moveWalk(event.key === "ArrowRight" ? 1 : -1);
      event.preventDefault();
    } else if (state.walk !== null && event.key === "Escape") {
      fromControl({ walk: null });
    }
  }

  function fromHash() {
    var parsed = parseHash(location.hash);
    var patch = {};
    Object.keys(parsed.config).forEach(function (key) {
      if (!same(parsed.config[key], state.config[key])) { patch[key] = parsed.config[key]; }
    });
    state.hide = parsed.hide;
    var ui = Object.assign({}, UI_FLAGS, parsed.ui);
    try {
      update({ config: patch, ui: ui });
      if (parsed.problems.length) {
        status("Ignored in the address: " + parsed.problems.join("; "));
      }
    } catch (error) {
      status("Ignored in the address: " + error.message);
      draw(false);
    }
  }

  /* --- start ------------------------------------------------------------------------------ */

  view.palette = palette();
  var opening = parseHash(location.hash);
  state.hide = opening.hide;
  Object.assign(state.ui, opening.ui);
  var first;
  try {
    first = merged(embedded.config, opening.config);
  } catch (error) {
    opening.problems.push(error.message);
    first = copyConfig(embedded.config);
  }
  state.config = null;
  buildControls();
  (function start() {
    var data = makeData(first);
    state.config = first;
    state.data = data;
    state.trainer = makeTrainer(first, data);
    record();
    keepValid();
    writeHash();
    draw(false);
    var ignored = opening.problems.join("; ");
    status(describe() + (ignored ? " Ignored in the address: " + ignored : ""));
  }());

  window.chainrule = {
    /**
     * The playground's scripting API (the DOM is free to change, this is not).
     *
     *   configure({...})  apply any of the configuration keys (dataset, samples, noise,
     *                     trainRatio, features, hidden, activation, loss, optimizer, lr,
     *                     batchSize, l2, seed): checked (an Error names a bad value and
     *                     changes nothing), the trainer rebuilt when data, features or the
     *                     architecture change, the address updated; returns config()
     *   config()          the configuration, as in the address (#dataset=…&hidden=4,4&…)
     *   train(steps)      run that many mini-batch steps, then redraw; returns the epoch
     *                     (throws the error shown if training fails, e.g. diverges)
     *   epoch()           completed epochs;   loss()  the mean training loss now
     *   weights()         every parameter, in MLP.parameters() order (layer, neuron, w then b)
     *   bp(i)             BP1–BP4's quantities for training sample i (as nn.BPQuantities)
     *   model()           the JSON "Download model" saves, which MLP.load reads
     *   sample(i)         choose the training sample backprop is shown for; returns it
     *   select(sel)       {kind: "neuron", l, j} or {kind: "link", l, j, k} (or null)
     *   walk(step)        show BP1–BP4 step `step` (null leaves); returns the caption shown
     *   walkSteps()       every step of the walk: [{equation, text}]
     *   play(), pause(), playing(), reset(), data()
     */
    configure: function (patch) {
      if (!patch || typeof patch !== "object") {
        throw new Error("configure takes an object of configuration keys");
      }
      return update({ config: patch });
    },
    config: config,
    train: function (steps) {
      var n = integer("steps", steps, 0, 1e7);
      pause();
      var failed = runSteps(n);
      update({ trained: true });
      if (failed) { throw new Error(failed); }
      return state.trainer.epoch;
    },
    epoch: function () { return state.trainer.epoch; },
    loss: function () { return state.trainer.loss("train"); },
    weights: function () { return state.trainer.weights(); },
    bp: function (index) { return state.trainer.bp(index); },
    model: model,
    sample: function (index) {
      if (index !== undefined) {
        update({ sample: integer("sample", index, 0, state.data.train.length - 1) });
      }
      return state.sample;
    },
    select: function (selection) {
      update({ selected: selection || null });
      return state.selected;
    },
    walk: function (step) {
      update({ walk: step === null || step === undefined ? null : integer("step", step, 0, 1e6) });
      return state.walk === null ? null : $("caption").textContent;
    },
    walkSteps: function () {
      return walkSteps(bp()).map(function (s) {
        return { equation: s.equation, text: s.text.join("\n") };
      });
    },
    play: play,
    pause: pause,
    playing: function () { return state.playing; },
    reset: function () { pause(); update({ rebuild: true }); return state.trainer.epoch; },
    data: function () { return state.data; }
  };

  function config() { return copyConfig(state.config); }

  performance.mark("chainrule-ready");
}(chainrule_pyformat, chainrule_data, chainrule_trainer));
