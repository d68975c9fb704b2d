/* The weight editor under the inspector: the selected link's W^l_jk, in a field.
 *
 * draw(state) shows it for a selected link (hidden otherwise) with the weight now, unless
 * the learner is typing in it. parseWeight(name, input) reads a weight as Python's float()
 * does, as the step page's what-if fields do (page.js's parseLeaf): a number, or text such
 * as "0.5", " -1e-3 "; not "abc", "nan" or "inf" (an Error naming the weight says so).
 * parameterIndex(config, l, j, k) is W^l_jk's place in MLP.parameters() order.
 * showError(message) shows the field's message ("" clears it).
 */
var chainrule_playground_weight_editor = (function (pyformat, notation, configs, dom) {
  "use strict";

  var $ = dom.$;

  function fail(message) { throw new Error(message); }

  function whole(name, value, low, high) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > high) {
      fail(name + " must be a whole number from " + low + " to " + high + ", got " +
        JSON.stringify(value));
    }
  }

  /** The index of W^l_jk in MLP.parameters() order (layer, neuron, its weights then b). */
  function parameterIndex(config, l, j, k) {
    var widths = configs.widthsOf(config);
    whole("l (the layer)", l, 1, widths.length - 1);
    whole("j (the neuron of layer " + l + ")", j, 0, widths[l] - 1);
    whole("k (the neuron of layer " + (l - 1) + ")", k, 0, widths[l - 1] - 1);
    var index = 0;
    for (var m = 1; m < l; m += 1) { index += widths[m] * (widths[m - 1] + 1); }
    return index + j * (widths[l - 1] + 1) + k;
  }

  /** w as Python's float() reads it, finite, or an Error naming the weight (page.js's parseLeaf). */
  function parseWeight(name, input) {
    var text = typeof input === "number" ? pyformat.repr(input) : input;
    var value = typeof text === "string" ? pyformat.float(text) : null;
    if (value === null) {
      var written = typeof text === "string" ? JSON.stringify(text.trim()) : JSON.stringify(input);
      fail(dom.t("playground.weight_not_a_number", { name: name, written: written }));
    }
    if (!isFinite(value)) { fail(dom.t("playground.weight_not_finite", { name: name })); }
    return value;
  }

  /** The weight editor: shown for the selected link, with its W^l_jk now. */
  function draw(state) {
    var s = state.selected;
    var box = $("weight-editor");
    var link = Boolean(s && s.kind === "link");
    box.hidden = !link;
    if (!link) { return; }
    var name = notation.w(s.l, s.j, s.k);
    var field = $("weight-field");
    var key = s.l + "_" + s.j + "_" + s.k;
    $("weight-name").textContent = name + " =";
    if (box.dataset.link !== key || document.activeElement !== field) {
      field.value = pyformat.repr(state.trainer.weights()[parameterIndex(state.config, s.l, s.j, s.k)]);
      if (box.dataset.link !== key) { showError(""); }
      box.dataset.link = key;
    }
  }

  function showError(message) {
    var note = $("weight-error");
    note.textContent = message;
    note.hidden = !message;
    $("weight-field").setAttribute("aria-invalid", String(Boolean(message)));
  }

  return { draw: draw, parseWeight: parseWeight, parameterIndex: parameterIndex,
    showError: showError };
}(chainrule_pyformat, chainrule_playground_notation, chainrule_playground_config,
  chainrule_playground_dom));
