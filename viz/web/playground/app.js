/* The playground page's start-up: TensorFlow Playground with every gradient visible.
 *
 * The page's script is small modules, one per concern, that viz/playground.py's SCRIPTS
 * concatenates in the order they depend on each other: notation.js (names and numbers),
 * config.js (the configuration's keys and checks), hash.js (the configuration in the
 * address; points.js reads and writes the learner's points), dom.js (helpers), own_data.js
 * (drawing, uploading and downloading the learner's points), heatmap.js, curves.js, walk.js, network.js and inspector.js
 * (the pictures and panels), controls.js (the controls), draw.js (one redraw), state.js (the
 * state, and the update() every change goes through), player.js (play, pause, step),
 * model.js (the download), layers.js (σ per layer, the init), compare.js (the initialisations
 * compared), pytorch.js (Export to PyTorch), weights.js (a weight set by hand, a model file
 * opened; weight_editor.js and hovercard.js draw their parts) and api.js (window.chainrule).
 * This file only starts them: it
 * reads the configuration Python embedded and the one in the address (the address wins, and
 * what it holds that is wrong is shown in the notice, with the value used instead), wires the controls, draws the first picture and
 * puts window.chainrule on the page; it exports nothing.
 * First of all it reads the catalogue (i18n.js: the language of lang= in the address, else the
 * one the page was written in) and wires the language switch: a new language says every text
 * again in place (store.relanguage redraws; the status line and the notice are said again),
 * and training, the data, the network and the walk stay as they are.
 */
(function (configs, hash, dom, heatmap, controls, store, player, model, api, ownData, layers,
  compare, pytorch, weights, hovercard, i18n) {
  "use strict";

  i18n.load();
  hash.useWritten(JSON.parse(dom.$("chainrule-messages").textContent).language);
  var embedded = JSON.parse(dom.$("chainrule-playground").textContent);
  configs.useChoices(embedded.choices);  // before anything is checked
  configs.useLimits(embedded.limits, embedded.config);
  store.view.palette = heatmap.palette();
  var opening = hash.parse(location.hash);  // never throws: what is wrong is a problem
  var first;
  try {
    first = configs.merged(embedded.config, opening.config);
  } catch (error) {
    opening.problems.push({ key: "address", value: location.hash, message: error.message,
      say: function () {  // the same refusal, in the language now
        try { configs.merged(embedded.config, opening.config); } catch (again) { return again.message; }
        return error.message;
      } });
    first = configs.copy(embedded.config);
  }
  var own = null;
  if (opening.points !== null) {
    try { own = ownData.fromAddress(opening.points); } catch (error) {
      opening.problems.push({ key: "points", value: opening.points, message: error.message });
    }
  }
  pytorch.use(embedded.pytorch);
  controls.wire(store, player, model);
  weights.wire(pytorch);
  hovercard.wire(store);
  ownData.wire(store);
  layers.wire(store);
  compare.wire(store);
  store.start(embedded, first, Object.assign(hash.defaults(), opening.ui), opening.hide, own);
  var notes = function () {
    return hash.notices(opening.problems, store.state.config, store.state.ui,
      "playground.where_address");
  };
  dom.notice(notes);
  dom.status(function () {
    return opening.problems.length ? dom.t("playground.described_ignored",
      { described: store.describe(), notes: notes().join(" ") }) : store.describe();
  });
  i18n.onChange(function () {
    store.relanguage();
    dom.retranslate();
  });
  i18n.wireSwitch();

  window.chainrule = api;
  performance.mark("chainrule-ready");
}(chainrule_playground_config, chainrule_playground_hash, chainrule_playground_dom,
  chainrule_playground_heatmap, chainrule_playground_controls, chainrule_playground_state,
  chainrule_playground_player, chainrule_playground_model, chainrule_playground_api,
  chainrule_playground_own, chainrule_playground_layers, chainrule_playground_compare,
  chainrule_playground_pytorch, chainrule_playground_weights, chainrule_playground_hovercard,
  chainrule_i18n));
