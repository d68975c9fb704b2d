/* "Export to PyTorch": the network as a runnable .py file and its weights as .safetensors.
 *
 * The twin of nn/pytorch_export.py, byte for byte (a test compares them): Python embeds its
 * template and tables (nn.pytorch_export.page_config(): the code's template, the nn.Linear
 * line, each activation's module, each feature's tensor expression) and this module fills
 * them in exactly as pytorch_code() does. The .safetensors file is an 8-byte little-endian
 * header length, a JSON header padded with spaces to a multiple of 8, then every weight as a
 * little-endian float64: "0.weight" is W^1 (out × in), "0.bias" b^1, "2.weight" W^2, …
 *
 *   use(tables)       take Python's page_config() (app.js, from the embedded JSON)
 *   files(document)   {code, bytes} for a model document (model.js's model(), MLP.save's format)
 *   exported()        {code, safetensors}: the page's network, the weights in base64
 *   download()        save both files as chainrule-playground-<dataset>.py / .safetensors
 */
var chainrule_playground_pytorch = (function (dom, store, model) {
  "use strict";

  var tables = null;

  function use(given) { tables = given; }

  function lookup(table, name, what) {
    if (!Object.prototype.hasOwnProperty.call(table, name)) {
      throw new Error("the " + what + " '" + name + "' has no PyTorch " +
        (what === "activation" ? "module" : "expression") + " yet: add it to TORCH_" +
        what.toUpperCase() + "S in nn/pytorch_export.py");
    }
    return table[name];
  }

  /** σ of layers 1 to L: the hidden layers' (one name for all, or a list, one each), then
   *  the output's. */
  function layerActivations(doc) {
    return doc.nouts.map(function (_, i) {
      if (i === doc.nouts.length - 1) { return doc.output_activation; }
      return Array.isArray(doc.activation) ? doc.activation[i] : doc.activation;
    });
  }

  /** template with every {name} replaced, then {{ and }} made single (Python's _fill). */
  function fill(template, pieces) {
    var out = template;
    Object.keys(pieces).forEach(function (name) {
      out = out.split("{" + name + "}").join(pieces[name]);
    });
    return out.split("{{").join("{").split("}}").join("}");
  }

  function code(doc) {
    var widths = [doc.nin].concat(doc.nouts);
    var activations = layerActivations(doc);
    var modules = [];
    activations.forEach(function (activation, i) {
      modules.push(fill(tables.linear, { n_in: String(widths[i]), n_out: String(widths[i + 1]) }));
      modules.push(fill(tables.module, { module: lookup(tables.activations, activation,
        "activation") }));
    });
    var features = doc.features || null;
    var expressions = [];
    var usage = [];
    if (features) {
      expressions = features.map(function (id) { return lookup(tables.features, id, "feature"); });
      usage = ["X1", "X2"];
    } else {
      for (var k = 0; k < doc.nin; k += 1) { expressions.push("x[:, " + k + "]"); usage.push("X" + k); }
    }
    var title = doc.nouts.map(function (n, i) { return n + " " + activations[i]; });
    return fill(tables.template, {
      title: "MLP(" + doc.nin + " → " + title.join(" → ") + ")",
      usage: usage.join(" "),
      features: features ? "[" + features.map(function (f) {
        return JSON.stringify(f);
      }).join(", ") + "]" : "None",
      inputs: String(features ? 2 : doc.nin),
      expressions: expressions.join(", "),
      modules: modules.join("\n")
    });
  }

  function safetensors(doc) {
    var header = { __metadata__: {
      format: "pt",
      features: (doc.features || []).join(","),
      activations: layerActivations(doc).join(",")
    } };
    var numbers = [];
    doc.layers.forEach(function (layer, index) {
      var tensors = [
        ["weight", [].concat.apply([], layer.map(function (n) { return n.w; })),
          [layer.length, layer[0].w.length]],
        ["bias", layer.map(function (n) { return n.b; }), [layer.length]]
      ];
      tensors.forEach(function (tensor) {
        var begin = 8 * numbers.length;
        numbers.push.apply(numbers, tensor[1]);
        header[2 * index + "." + tensor[0]] = { dtype: "F64", shape: tensor[2],
          data_offsets: [begin, 8 * numbers.length] };
      });
    });
    var text = JSON.stringify(header);
    text += " ".repeat((8 - text.length % 8) % 8);
    var bytes = new Uint8Array(8 + text.length + 8 * numbers.length);
    var view = new DataView(bytes.buffer);
    view.setUint32(0, text.length, true);  // the high 4 bytes of the 8 stay 0
    for (var i = 0; i < text.length; i += 1) { bytes[8 + i] = text.charCodeAt(i); }
    numbers.forEach(function (x, n) { view.setFloat64(8 + text.length + 8 * n, x, true); });
    return bytes;
  }

  function files(doc) { return { code: code(doc), bytes: safetensors(doc) }; }

  function base64(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  function exported() {
    var made = files(model.model());
    return { code: made.code, safetensors: base64(made.bytes) };
  }

  function download() {
    var made;
    try { made = files(model.model()); } catch (error) {
      dom.status(dom.t("playground.pytorch_failed", { error: error.message }));
      return;
    }
    var name = "chainrule-playground-" + store.state.config.dataset;
    dom.saveFile(made.code, "text/x-python", name + ".py");
    dom.saveFile(made.bytes, "application/octet-stream", name + ".safetensors");
    dom.status(function () { return dom.t("playground.pytorch_saved", { name: name }); });
  }

  return { use: use, files: files, exported: exported, download: download };
}(chainrule_playground_dom, chainrule_playground_state, chainrule_playground_model));
