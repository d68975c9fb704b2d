/* Weights in the open: a weight set by hand, and a model file opened to go on training it.
 *
 *   setWeight(l, j, k, w)  W^l_jk = w; w is a number or text read as Python's float() reads
 *                          it ("0.5", "-1e-3", " 2 "; not "abc", "nan" or "inf"), as the step
 *                          page's what-if fields do. A bad w or index throws an Error saying
 *                          what was wrong; nothing changes. Returns the weight set.
 *   openModel(text)        the JSON that Download model, MLP.save and chainrule train write:
 *                          checked whole (an Error names what is wrong, nothing changes),
 *                          then its features, hidden widths, activation and loss become the
 *                          configuration and its weights the network's (K logits at the end:
 *                          classes K, on spiral unless the data set has K classes already);
 *                          training goes on from them. Returns config().
 *   wire(pytorch)          the weight editor's Enter (weight_editor.js draws it), a click on
 *                          a link focusing it, Open model, and Export to PyTorch.
 */
var chainrule_playground_weights = (function (pyformat, notation, configs, dom, editor, store) {
  "use strict";

  var $ = dom.$;
  var state = store.state;

  function fail(message) { throw new Error(message); }

  function setWeight(l, j, k, w) {
    var index = editor.parameterIndex(state.config, l, j, k);
    var value = editor.parseWeight(notation.w(l, j, k), w);
    var params = state.trainer.weights();
    params[index] = value;
    store.update({ weights: params, trained: true });
    return value;
  }

  /* --- a model file ------------------------------------------------------------------------ */

  function finite(x) { return typeof x === "number" && isFinite(x); }

  /** The model document's problem, in words, or "" when the playground can train it. */
  function modelProblem(doc) {
    var t = dom.t;
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) { return t("playground.model_not_object"); }
    if (doc.format !== "chainrule.nn.MLP") {
      return t("playground.model_format", { format: JSON.stringify(doc.format) });
    }
    if (doc.version !== 1) {
      return t("playground.model_version", { version: JSON.stringify(doc.version) });
    }
    var nouts = doc.nouts;
    if (!Number.isInteger(doc.nin) || doc.nin < 1) { return t("playground.model_nin"); }
    if (!Array.isArray(nouts) || !nouts.length || !nouts.every(function (n) {
      return Number.isInteger(n) && n >= 1;
    })) { return t("playground.model_nouts"); }
    var last = nouts[nouts.length - 1];
    var classes = configs.LIMITS.classes;
    if ((last !== 1 && (last < 3 || last > classes[1])) || doc.output_activation !== "linear") {
      return t("playground.model_ends", { most: classes[1], last: last,
        activation: JSON.stringify(doc.output_activation) });
    }
    var widths = [doc.nin].concat(nouts);
    if (!Array.isArray(doc.layers) || doc.layers.length !== nouts.length) {
      return t("playground.model_layers", { count: nouts.length });
    }
    for (var l = 1; l < widths.length; l += 1) {
      var layer = doc.layers[l - 1];
      if (!Array.isArray(layer) || layer.length !== widths[l]) {
        return t("playground.model_layer_width", { layer: l, count: widths[l] });
      }
      for (var j = 0; j < widths[l]; j += 1) {
        var n = layer[j];
        if (!n || !Array.isArray(n.w) || n.w.length !== widths[l - 1] || !n.w.every(finite)) {
          return t("playground.model_neuron_weights", { layer: l, j: j, count: widths[l - 1] });
        }
        if (!finite(n.b)) { return t("playground.model_bias", { b: notation.b(l, j) }); }
      }
    }
    if (doc.features === undefined && doc.nin !== 2) {
      return t("playground.model_features", { nin: doc.nin });
    }
    return "";
  }

  function openModel(text) {
    if (typeof text !== "string") { fail("openModel takes the model file's text (JSON)"); }
    var doc;
    try { doc = JSON.parse(text); } catch (error) {
      fail(dom.t("playground.model_not_json", { error: error.message }));
    }
    var problem = modelProblem(doc);
    if (problem) { fail(dom.t("playground.model_not_opened", { problem: problem })); }
    var patch = { features: doc.features === undefined ? ["x1", "x2"] : doc.features,
      hidden: doc.nouts.slice(0, -1), activation: doc.activation };
    if (doc.loss !== undefined) { patch.loss = doc.loss; }
    var outputs = doc.nouts[doc.nouts.length - 1];  // K logits: K classes; one output: two
    Object.assign(patch, configs.classesPatch(state.config, outputs > 1 ? outputs : 2));
    var config = {};
    var params = [];
    doc.layers.forEach(function (layer) {
      layer.forEach(function (n) { params.push.apply(params, n.w); params.push(n.b); });
    });
    // a model's layers may be as wide as chainrule train makes them (16), wider than +/− go
    var result = configs.withModelWidths(function () {
      try {
        Object.keys(patch).forEach(function (key) { config[key] = configs.checked(key, patch[key]); });
      } catch (error) {
        fail(dom.t("playground.model_not_in_playground", { error: error.message }));
      }
      return store.update({ config: config, rebuild: true, weights: params });
    });
    dom.status(function () {
      return dom.t("playground.model_opened", { described: store.describe() });
    });
    return result;
  }

  /* --- the page's controls ------------------------------------------------------------------ */

  function fromEditor(event) {
    event.preventDefault();
    var s = state.selected;
    if (!s || s.kind !== "link") { return; }
    try {
      var value = setWeight(s.l, s.j, s.k, $("weight-field").value);
      editor.showError("");
      $("weight-field").value = pyformat.repr(value);
      var said = { w: notation.w(s.l, s.j, s.k), value: pyformat.repr(value) };
      dom.status(function () { return dom.t("playground.weight_set", said); });
    } catch (error) {
      editor.showError(error.message);
    }
  }

  function fromFile(event) {
    var file = event.target.files && event.target.files[0];
    event.target.value = "";
    if (!file) { return; }
    file.text().then(function (text) {
      try {
        openModel(text);
        $("open-error").hidden = true;
      } catch (error) {
        $("open-error").textContent = file.name + ": " + error.message;
        $("open-error").hidden = false;
      }
    });
  }

  function wire(pytorch) {
    $("weight-form").addEventListener("submit", fromEditor);
    $("network").addEventListener("click", function (event) {
      if (event.target.closest(".hit")) { $("weight-field").focus(); }
    });
    $("open-model").addEventListener("click", function () { $("open-model-file").click(); });
    $("open-model-file").addEventListener("change", fromFile);
    $("open-error").addEventListener("click", function () { $("open-error").hidden = true; });
    $("export-pytorch").addEventListener("click", pytorch.download);
  }

  return { setWeight: setWeight, openModel: openModel, wire: wire };
}(chainrule_pyformat, chainrule_playground_notation, chainrule_playground_config,
  chainrule_playground_dom, chainrule_playground_weight_editor, chainrule_playground_state));
