/* The playground's one state object, and update(): every change goes through it.
 *
 *   state   the configuration, its data and trainer, the loss history, the sample backprop is
 *           shown for, the selected neuron or link, the BP1–BP4 step, the view's flags, the
 *           controls the address hides, whether training plays, the error that stopped it
 *   view    what the pictures keep between redraws: the heatmaps' box and grids, the network's
 *           elements, the colours, backprop for the sample (draw.js and the modules it calls
 *           write it; update() drops what a change makes stale)
 *
 * The data is a generated data set's, or the learner's own points (state.own: drawn, uploaded,
 * set by setData, from the address or from chainrule train --data): change.own sets them
 * (null goes back to the generated set), and a change of a data key (another data set, a new
 * seed, …) goes back to the generated set too.
 *
 * update(change) applies a change, keeps the selection, the sample and the walk's step valid,
 * writes the configuration to the address and redraws. The learning rate, batch size and L2
 * rate change while training goes on; any other key starts again from fresh weights (the
 * weights and mini-batch order Python embedded belong to the embedded configuration only).
 * While training plays, redraws come at most every DRAW_EVERY ms, so drawing never slows
 * training down.
 */
var chainrule_playground_state = (function (configs, hash, walk, dom, picture, datasets,
  trainers) {
  "use strict";

  var DRAW_EVERY = 100;  // ms between redraws of numbers, links and curves while playing
  var embedded = null;   // the configuration Python embedded, with its data and weights

  var state = {
    config: null,        // the configuration (configs.KEYS), as config() returns it
    data: null,          // {train: [[x1, x2, label]…], test: […]}
    own: null,           // the learner's own points {train, test} when the data is theirs
    trainer: null,
    history: [],         // [{epoch, train, test}] for the loss curves
    sample: 0,           // the training sample that backprop is shown for
    selected: null,      // {kind: "neuron", l, j} or {kind: "link", l, j, k}
    walk: null,          // the BP1–BP4 step shown, or null
    ui: { showTestData: true, discretize: false, speed: "max" },  // start() sets the speed
    hide: [],            // controls hidden by <control>_hide=true
    playing: false,
    error: null,         // the error that stopped training, in words
    stop: null           // where it stopped: {epoch, step, error}, to say it in another language
  };
  var view = {
    box: null, grids: null, features: null, nodes: {}, links: {}, inputs: {},
    lastDraw: 0, lastGrids: 0, gridCost: 0, shape: null, palette: null,
    built: 0, walk: null
  };

  /* --- the data and the trainer ----------------------------------------------------------- */

  function isEmbedded(config, keys) { return configs.sameOn(keys, config, embedded.config); }

  function makeData(config, own) {
    if (own) { return own; }
    if (isEmbedded(config, configs.DATA_KEYS) && !embedded.data.own) { return embedded.data; }
    var made = datasets.generate(config.dataset, config.samples, config.noise, config.seed,
      config.classes);
    return datasets.split(made.points, made.labels, config.trainRatio);
  }

  /**
   * A trainer for `config` on `data`: Python's weights, mini-batch order and trained state when
   * the configuration is the embedded one, or differs only in its init (Python embeds the
   * weights of every init of a new network); else the page's own seeded weights. `fresh`:
   * a new network even when Python embedded a trained one (chainrule train's run), for
   * "compare".
   */
  function makeTrainer(config, data, fresh) {
    var ops = { hidden: configs.hiddenActivations(config).map(configs.activationOp),
      output: configs.activationOp("linear") };  // the output neuron is linear, as in Python
    var options = { config: configs.copy(config), data: data, ops: ops, inits: configs.INITS };
    var start = config.init === embedded.config.init ? embedded.weights
      : (embedded.initWeights || {})[config.init];
    var others = configs.KEYS.filter(function (key) { return key !== "init"; });
    var trainedRun = embedded.trained && embedded.trained.steps > 0;
    if (start && !(fresh && trainedRun) && isEmbedded(config, others) && data === embedded.data) {
      options.weights = start;
      options.batchOrders = embedded.batchOrders;
      options.trained = embedded.trained;
    }
    return trainers.create(options);
  }

  /** f(), or NaN when the network cannot compute it (its weights overflow after diverging). */
  function attempt(f) {
    try { return f(); } catch (error) { return NaN; }
  }

  /** The losses now, as the loss curves' last entry. */
  function record() {
    var t = state.trainer;
    var last = state.history[state.history.length - 1];
    var entry = { epoch: t.epoch, steps: t.steps,
      train: attempt(function () { return t.loss("train"); }),
      test: state.data.test.length ? attempt(function () { return t.loss("test"); }) : NaN };
    if (last && last.steps === t.steps) { state.history[state.history.length - 1] = entry; }
    else { state.history.push(entry); }
  }

  /**
   * n mini-batch steps, stopping early at the time `until` (performance.now()) or once
   * `enough()` says so; on an error, training stops and the error is shown (and returned).
   */
  function runSteps(n, until, enough) {
    var t = state.trainer;
    try {
      for (var i = 0; i < n; i += 1) {
        var cost = t.step();
        if (!isFinite(cost)) { throw new Error(dom.t("playground.batch_loss", { value: cost })); }
        if (until && performance.now() > until) { break; }
        if (enough && enough(t)) { break; }
      }
    } catch (error) {
      state.playing = false;
      state.stop = { epoch: t.epoch, step: t.steps, error: dom.message(error) };
      state.error = stopped(state.stop);
      return state.error;
    }
    return null;
  }

  /** Why training stopped, in words: {epoch, step, error} in the language now. */
  function stopped(stop) { return dom.t("playground.stopped", stop); }

  /** One epoch: mini-batch steps until the epoch count goes up by one (Step, as Playground's). */
  function runEpoch() {
    var epoch = state.trainer.epoch;
    return runSteps(Infinity, null, function (t) { return t.epoch > epoch; });
  }

  /* --- the one function every change goes through ----------------------------------------- */

  /**
   * Apply `change` and redraw. change.config: configuration keys (checked; an Error is thrown
   * for a bad value, changing nothing); change.rebuild: start again from fresh weights;
   * change.sample, change.selected, change.walk, change.ui: the view's state;
   * change.trained: the weights moved (training), so draw when it is time to;
   * change.own: the learner's own points {train, test} (checked by own_data.js), or null;
   * change.weights: every parameter, in MLP.parameters() order, set by hand (weights.js);
   * change.hide: the controls the address hides (kept even when the rest is refused).
   */
  function update(change) {
    change = change || {};
    if (change.hide) { state.hide = change.hide; }
    var old = state.config;
    var next = change.config ? configs.merged(old, change.config) : old;
    var dataChanged = !old || !configs.sameOn(configs.DATA_KEYS, old, next);
    var own = "own" in change ? change.own : dataChanged ? null : state.own;
    dataChanged = dataChanged || own !== state.own;
    var rebuild = dataChanged || change.rebuild || !configs.sameOn(
      configs.KEYS.filter(function (k) { return configs.LIVE_KEYS.indexOf(k) < 0; }), old, next);
    if (rebuild) {
      var data = dataChanged ? makeData(next, own) : state.data;
      var trainer = makeTrainer(next, data);  // may throw: then nothing has changed
      state.config = next;
      state.own = own;
      state.data = data;
      state.trainer = trainer;
      state.error = null;
      state.history = [];
      record();
      if (dataChanged && !(own && view.box && within(data, view.box))) {
        view.box = null;  // the heatmaps frame the new data (a drawn point keeps the frame)
        view.features = null;
      }
      view.grids = null;
      view.lastGrids = 0;
      view.built += 1;
      dom.status(describe);
    } else if (next !== old) {
      state.config = next;
      configs.LIVE_KEYS.forEach(function (key) { state.trainer.config[key] = next[key]; });
    }
    if (change.weights) { setWeights(change.weights); }
    if ("sample" in change) { state.sample = change.sample; }
    if ("selected" in change) { state.selected = change.selected; }
    if ("walk" in change) { state.walk = change.walk; }
    if (change.ui) { Object.assign(state.ui, change.ui); }
    if ("playing" in change) { state.playing = change.playing; }
    if (change.trained) { markStale(); }
    keepValid();
    hash.write(state.config, state.ui, state.hide, state.own);
    redraw(change.trained && state.playing);
    return config();
  }

  /** Whether every point of `data` lies inside the heatmaps' frame `box`. */
  function within(data, box) {
    return data.train.concat(data.test).every(function (row) {
      return row[0] >= box.x0 && row[0] <= box.x1 && row[1] >= box.y0 && row[1] <= box.y1;
    });
  }

  /** New weights, not trained ones: training may go on, the loss curves' last point is theirs. */
  function setWeights(params) {
    if (params.length !== state.trainer.params.length) {
      throw new Error("the weights do not fit the network: " + params.length + " numbers for " +
        state.trainer.params.length + " parameters");
    }
    state.trainer.params = params.slice();
    state.error = null;
    record();
    view.grids = null;
  }

  /** The heatmaps are out of date: compute them again when it is time to. */
  function markStale() { if (view.grids) { view.grids.stale = true; } }

  /** Drop a selection, a sample or a walk step that no longer exists. */
  function keepValid() {
    var widths = configs.widthsOf(state.config);
    var n = state.data.train.length;
    state.sample = Math.max(0, Math.min(n - 1, Math.round(Number(state.sample) || 0)));
    var s = state.selected;
    var index = function (i, n) { return Number.isInteger(i) && i >= 0 && i < n; };
    if (s && !((s.kind === "neuron" || s.kind === "link") && index(s.l - 1, widths.length - 1) &&
        index(s.j, widths[s.l]) && (s.kind === "neuron" || index(s.k, widths[s.l - 1])))) {
      state.selected = null;
    }
    if (state.walk !== null) {
      state.walk = Math.max(0, Math.min(walk.count(widths) - 1,
        Math.round(Number(state.walk) || 0)));
    }
  }

  /** The network and the data, in a sentence for the status line. */
  function describe() {
    var c = state.config;
    var sigmas = configs.hiddenActivations(c);
    var shape = configs.widthsOf(c).map(function (n, l) {
      if (l === 0) { return dom.t(n === 1 ? "playground.shape_input" : "playground.shape_inputs", { count: n }); }
      if (l < configs.widthsOf(c).length - 1) { return n + " " + sigmas[l - 1]; }
      return dom.t(configs.isMulticlass(c) ? "playground.shape_logits" : "playground.shape_output",
        { count: n });
    }).join(" → ");
    return dom.t("playground.describe", { shape: shape, train: state.data.train.length,
      test: state.data.test.length, source: state.own ? dom.t("playground.describe_own")
        : dom.t("playground.describe_dataset", { dataset: c.dataset, seed: c.seed }) });
  }

  /** The language changed: say the error again, put lang= in the address, redraw every text.
   *  Nothing of training, the data or the view changes. */
  function relanguage() {
    if (state.error && state.stop) { state.error = stopped(state.stop); }
    hash.write(state.config, state.ui, state.hide, state.own);
    redraw(false);
  }

  /** Redraw; while playing (`throttled`), at most every DRAW_EVERY ms (pause() draws it all). */
  function redraw(throttled) {
    var now = performance.now();
    if (throttled && now - view.lastDraw < DRAW_EVERY) { return; }
    view.lastDraw = now;
    if (state.history[state.history.length - 1].steps !== state.trainer.steps) { record(); }
    picture.draw(state, view, throttled, now);
  }

  /** The configuration now (a copy). */
  function config() { return configs.copy(state.config); }

  /**
   * Start with the configuration `first`, the view's flags `ui`, the hidden controls `hide`
   * and the learner's own points from the address (`own`, or null); `given` is what Python
   * embedded ({config, data, weights, batchOrders}): its own points (data.own) are the
   * learner's too, unless the address brings others.
   */
  function start(given, first, ui, hide, own) {
    embedded = given;
    state.hide = hide;
    Object.assign(state.ui, ui);
    var theirs = given.data.own ? given.data : null;
    if (!own || (theirs && configs.same([own.train, own.test], [theirs.train, theirs.test]))) {
      own = theirs;  // the embedded object itself: its trained weights go with it
    }
    var data = makeData(first, own);
    state.own = own;
    state.config = first;
    state.data = data;
    state.trainer = makeTrainer(first, data);
    record();
    keepValid();
    hash.write(state.config, state.ui, state.hide, state.own);
    redraw(false);
  }

  return {
    state: state,
    view: view,
    start: start,
    update: update,
    redraw: redraw,
    markStale: markStale,
    runSteps: runSteps,
    runEpoch: runEpoch,
    trainerFor: function (config, fresh) { return makeTrainer(config, state.data, fresh); },
    describe: describe,
    relanguage: relanguage,
    config: config
  };
}(chainrule_playground_config, chainrule_playground_hash, chainrule_playground_walk,
  chainrule_playground_dom, chainrule_playground_draw, chainrule_data, chainrule_trainer));
