/* The trained network as the JSON chainrule's MLP.load reads, and the "Download model" file.
 *
 * model() is MLP.save's format: the features, the widths, the activations, every layer's
 * weights and the loss it was trained with (so chainrule predict knows a probability); download() saves it as chainrule-playground-<dataset>.json and says so.
 * With K classes the last width is K and no loss is written, as chainrule train --classes
 * saves it: K logits need no name, chainrule predict reads them through softmax.
 */
var chainrule_playground_model = (function (dom, store, configs) {
  "use strict";

  var state = store.state;

  function model() {
    var c = state.config;
    var doc = {
      format: "chainrule.nn.MLP",
      version: 1,
      nin: c.features.length,
      nouts: c.hidden.concat([configs.outputs(c)]),
      activation: c.activation,
      output_activation: "linear",
      layers: state.trainer.layers(),
      features: c.features.slice(),
      loss: c.loss
    };
    if (configs.isMulticlass(c)) { delete doc.loss; }
    return doc;
  }

  function download() {
    var name = "chainrule-playground-" + state.config.dataset + ".json";
    dom.saveFile(JSON.stringify(model(), null, 1), "application/json", name);
    dom.status(function () { return dom.t("playground.model_saved", { file: name }); });
  }

  return { model: model, download: download };
}(chainrule_playground_dom, chainrule_playground_state, chainrule_playground_config));
