/* Per-layer choices: the activation σ of each hidden layer, and how the weights start.
 *
 *   draw(state)   one menu per hidden layer ("σ¹", "σ²", …, nn's activations), the
 *                 Activation menu (it reads "per layer", an entry it has only then, when
 *                 the layers differ; choosing a name sets every layer), and the Initialisation menu (nn.init's, its
 *                 formula as the tooltip)
 *   wire(store)   listens to those menus: each change goes through store.update, and one
 *                 refused is shown in the status line
 *
 * The choices are Python's (config.js reads them from the embedded configuration), so an
 * activation or an initialisation added to nn is in these menus too.
 */
var chainrule_playground_layers = (function (configs, notation, dom) {
  "use strict";

  var $ = dom.$;
  var PER_LAYER = "";  // the Activation menu's value while the hidden layers differ

  function option(value, text) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = text;
    return element;
  }

  function draw(state) {
    var c = state.config;
    var sigmas = configs.hiddenActivations(c);
    var row = $("per-layer");
    var key = sigmas.length + ":" + configs.ACTIVATIONS.join(",") + ":" + dom.language();
    if (row.dataset.layers !== key) {
      row.textContent = "";
      sigmas.forEach(function (_, i) {
        var id = "activation-" + (i + 1);
        var label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = "σ" + notation.sup(i + 1);
        var select = document.createElement("select");
        select.id = id;
        select.dataset.layer = String(i + 1);
        select.setAttribute("aria-label", dom.t("playground.layer_activation", { layer: i + 1 }));
        Array.prototype.forEach.call($("activation").options, function (entry) {
          if (entry.value !== PER_LAYER) { select.appendChild(option(entry.value, entry.text)); }
        });
        var pair = document.createElement("span");
        pair.className = "control";
        pair.appendChild(label);
        pair.appendChild(select);
        row.appendChild(pair);
      });
      row.dataset.layers = key;
    }
    sigmas.forEach(function (name, i) { $("activation-" + (i + 1)).value = name; });
    row.hidden = row.hidden || !sigmas.length;
    showMixed(Array.isArray(c.activation));
    $("activation").value = Array.isArray(c.activation) ? PER_LAYER : c.activation;
    var init = $("init");
    init.value = c.init;
    configs.INITS.forEach(function (entry) {
      if (entry.name === c.init) { init.title = entry.label + ": " + entry.formula; }
    });
  }

  /** The Activation menu's "per layer" entry: there only while the hidden layers differ. */
  function showMixed(mixed) {
    var menu = $("activation");
    var entry = menu.querySelector('option[value=""]');
    if (mixed && !entry) {
      entry = option(PER_LAYER, dom.t("playground.per_layer"));
      entry.disabled = true;
      menu.appendChild(entry);
    } else if (mixed) {
      entry.textContent = dom.t("playground.per_layer");  // in the language now
    } else if (!mixed && entry) {
      entry.remove();
    }
  }

  function wire(store) {
    var state = store.state;

    function fromControl(patch) {
      try {
        store.update({ config: patch });
      } catch (error) {
        dom.status(error.message);
        store.redraw(false);
      }
    }

    $("per-layer").addEventListener("change", function (event) {
      var layer = Number(event.target.dataset.layer);
      if (!layer) { return; }
      var sigmas = configs.hiddenActivations(state.config);
      sigmas[layer - 1] = event.target.value;
      fromControl({ activation: sigmas });
    });
    $("init").addEventListener("change", function (event) {
      fromControl({ init: event.target.value });
    });
  }

  return { draw: draw, wire: wire };
}(chainrule_playground_config, chainrule_playground_notation, chainrule_playground_dom));
