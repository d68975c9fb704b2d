/* Compare initialisations: the same network trained from each of nn.init's, curves overlaid.
 *
 *   run(store, epochs)  for every initialisation (config.js's INITS, Python's), a trainer of
 *                       the configuration with only its init changed (the same data, seed,
 *                       mini-batch order and options: Python's own initial weights when the
 *                       configuration is the embedded one; a new network, never the
 *                       trained one chainrule train embeds), trained `epochs` epochs; records
 *                       the mean training loss before the first step and after each epoch.
 *                       A run that diverges stops there, its error kept. The page's own
 *                       network is not touched. Returns result().
 *   result()            the last comparison: {epochs, config (without init), losses: {init:
 *                       [loss after 0, 1, … epochs]}, stopped: {init: message}}, or null
 *   draw(state)         the overlaid curves (one dash pattern per init, and its label with
 *                       the last loss in the key), from the highest loss shown at the top to
 *                       the lowest at the bottom (the caption says both), shown while the configuration, but for
 *                       its init, is the one compared
 */
var chainrule_playground_compare = (function (configs, pyformat, dom) {
  "use strict";

  var $ = dom.$;
  var DASHES = ["", "6 3", "2 2", "8 2 2 2", "1 3"];  // told apart without colour
  var last = null;

  /** The configuration without its init: what a comparison is of. */
  function compared(config) {
    var out = configs.copy(config);
    delete out.init;
    return out;
  }

  function trainEpochs(trainer, epochs) {
    var losses = [trainer.loss("train")];
    var first = trainer.epoch;
    try {
      while (trainer.epoch - first < epochs) {
        var epoch = trainer.epoch;
        var cost = trainer.step();
        if (!isFinite(cost)) { throw new Error(dom.t("playground.batch_loss", { value: cost })); }
        if (trainer.epoch > epoch) { losses.push(trainer.loss("train")); }
      }
    } catch (error) {
      return { losses: losses, stopped: dom.t("playground.compare_stopped",
        { epoch: trainer.epoch, error: dom.message(error) }) };
    }
    return { losses: losses, stopped: null };
  }

  function run(store, epochs) {
    var range = configs.LIMITS.compareEpochs;
    var n = epochs === undefined ? configs.LIMITS.defaultCompareEpochs
      : configs.integer("epochs", epochs, range[0], range[1]);
    var config = store.state.config;
    var result = { epochs: n, config: compared(config), losses: {}, stopped: {} };
    configs.INITS.forEach(function (entry) {
      var trainer = store.trainerFor(Object.assign(configs.copy(config), { init: entry.name }),
        true);
      var trained = trainEpochs(trainer, n);
      result.losses[entry.name] = trained.losses;
      if (trained.stopped) { result.stopped[entry.name] = trained.stopped; }
    });
    last = result;
    store.redraw(false);
    return JSON.parse(JSON.stringify(result));
  }

  function result() { return last === null ? null : JSON.parse(JSON.stringify(last)); }

  function draw(state) {
    var figure = $("comparison");
    var shown = last !== null && configs.same(last.config, compared(state.config));
    figure.hidden = !shown;
    if (!shown) { return; }
    var shownLosses = [];
    configs.INITS.forEach(function (entry) {
      last.losses[entry.name].forEach(function (x) { if (isFinite(x)) { shownLosses.push(x); } });
    });
    var top = shownLosses.length ? Math.max.apply(null, shownLosses) : 1;
    var low = shownLosses.length ? Math.min.apply(null, shownLosses) : 0;
    var span = top - low || 1;  // the curves fill the height: from the lowest loss to the highest
    var svg = $("compare-curve");
    svg.textContent = "";
    var key = $("compare-key");
    key.textContent = "";
    var words = [];
    configs.INITS.forEach(function (entry, i) {
      var losses = last.losses[entry.name];
      var points = losses.map(function (x, epoch) {
        var y = isFinite(x) ? 78 - (x - low) / span * 74 : 2;
        return (epoch / last.epochs * 236 + 2).toFixed(1) + "," + y.toFixed(1);
      });
      var line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
      line.setAttribute("points", points.join(" "));
      line.setAttribute("class", "compare-line compare-" + i);
      if (DASHES[i % DASHES.length]) {
        line.setAttribute("stroke-dasharray", DASHES[i % DASHES.length]);
      }
      svg.appendChild(line);
      var end = losses[losses.length - 1];
      var worded = "playground.label_init_" + entry.name;  // a label that is words, not a name
      var said = dom.t("playground.compare_entry", { label: dom.has(worded) ? dom.t(worded) : entry.label,
        result: last.stopped[entry.name] || dom.t("playground.compare_result",
          { loss: pyformat.formatG(end, 4), epochs: last.epochs }) });
      words.push(said);
      var item = document.createElement("li");
      var swatch = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      swatch.setAttribute("viewBox", "0 0 24 6");
      swatch.setAttribute("aria-hidden", "true");
      swatch.setAttribute("class", "compare-swatch");
      var dash = line.cloneNode();
      dash.setAttribute("points", "0,3 24,3");
      swatch.appendChild(dash);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + said));
      item.title = entry.formula;
      key.appendChild(item);
    });
    var range = dom.t("playground.compare_range", { epochs: last.epochs,
      top: pyformat.formatG(top, 4), low: pyformat.formatG(low, 4) });
    $("compare-range").textContent = range;
    svg.setAttribute("aria-label", dom.t("playground.compare_described",
      { range: range, each: words.join("; ") }));
  }

  /** The Compare button runs a comparison of the default length; a refusal is shown. */
  function wire(store) {
    $("compare").addEventListener("click", function () {
      try {
        run(store);
        var epochs = last.epochs;
        dom.status(function () { return dom.t("playground.compare_done", { epochs: epochs }); });
      } catch (error) {
        dom.status(error.message);
      }
    });
  }

  return { run: run, result: result, draw: draw, wire: wire };
}(chainrule_playground_config, chainrule_pyformat, chainrule_playground_dom));
