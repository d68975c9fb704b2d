/* The inspector: the selected neuron's or link's numbers for the chosen training sample.
 *
 * For a neuron: its heatmap, z, a = σ(z), σ'(z), ∂C/∂a, δ = ∂C/∂z (BP1 or BP2), ∂C/∂b (BP4)
 * and its bias, and a table of its incoming weights with W, the input a and ∂C/∂W (BP3),
 * each row a button that shows that link. For a link: W, ∂C/∂W (BP3) and one SGD step on
 * this sample alone, and a button back to its neuron. Every number's exact value is in its
 * data-value, its quantity in data-q. The panel is built again only when what it shows
 * changed; with nothing selected it says how to select.
 */
var chainrule_playground_inspector = (function (notation, configs, dom, heatmap) {
  "use strict";

  var $ = dom.$;
  var num = notation.num;
  var factor = notation.factor;
  var sup = notation.sup;
  var sub = notation.sub;
  var a = notation.a;
  var z = notation.z;
  var d = notation.d;
  var w = notation.w;
  var b = notation.b;
  var t = dom.t;

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

  function sign(x) {
    return t(x > 0 ? "playground.positive" : x < 0 ? "playground.negative" : "playground.zero");
  }

  /** The selected neuron's or link's numbers for the chosen sample (rebuilt when they change). */
  function draw(state, view) {
    var q = view.q;
    var panel = $("inspector");
    var s = state.selected;
    var key = JSON.stringify([s, state.sample, view.built, state.trainer.steps, state.config,
      view.shape, Boolean(q), dom.language()]);
    if (panel.dataset.key === key) { return; }
    panel.dataset.key = key;
    panel.textContent = "";
    if (!s || !q) {
      var hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = t("playground.inspector_hint");
      panel.appendChild(hint);
      return;
    }
    var title = document.createElement("h3");
    panel.appendChild(title);
    var numbers = document.createElement("dl");
    numbers.className = "numbers";
    if (s.kind === "neuron") {
      inspectNeuron(panel, title, numbers, state, view, s.l, s.j);
    } else {
      inspectLink(panel, title, numbers, state, q, s.l, s.j, s.k);
    }
  }

  function inspectNeuron(panel, title, numbers, state, view, l, j) {
    var q = view.q;
    var layers = state.trainer.layers();
    var L = configs.widthsOf(state.config).length - 1;
    var sigma = l === L ? "identity" : configs.hiddenActivations(state.config)[l - 1];
    var bias = layers[l - 1][j].b;
    title.textContent = t(l === L ? "playground.output_neuron_title" : "playground.neuron_title",
      { a: a(l, j), layer: l, j: j, sigma: sigma, sample: state.sample });
    var body = document.createElement("div");
    body.className = "inspect-body";
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = heatmap.GRID;
    canvas.className = "big";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", t("playground.neuron_heatmap", { a: a(l, j) }));
    body.appendChild(canvas);
    var upstream = l === L ? "" : " = Σₘ W" + sup(l + 1) + "ₘ" + sub(j) + "·δ" + sup(l + 1) + "ₘ";
    numberItem(numbers, z(l, j) + " = Σₖ " + w(l, j, "k") + "·" + a(l - 1, "k") + " + " + b(l, j),
      q.z[l][j], "z");
    numberItem(numbers, a(l, j) + " = σ(" + z(l, j) + ")", q.a[l][j], "a");
    numberItem(numbers, "σ'(" + z(l, j) + ")", q.sigma_prime[l][j], "sigma_prime");
    if (l === L && state.config.loss === "bce") {  // the loss's logistic s, never σ
      var logit = q.a[l][j];
      numberItem(numbers, t("playground.loss_logistic", { a: a(l, j) }),
        logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit)), "y_hat");
      upstream = " = ŷ − y";
    }
    if (l === L && q.y_hat) {  // K classes: ŷ = softmax(aᴸ), and BP1's ∂C/∂aᴸⱼ = ŷⱼ − yⱼ
      numberItem(numbers, t("playground.class_chance", { j: sub(j), label: j }),
        q.y_hat[j], "y_hat");
      upstream = " = ŷ" + sub(j) + " − y" + sub(j);
    }
    numberItem(numbers, "∂C/∂" + a(l, j) + upstream, q.dC_da[l][j], "dC_da");
    numberItem(numbers, d(l, j) + " = ∂C/∂" + z(l, j) + " (" + (l === L ? "BP1" : "BP2") + ")",
      q.delta[l][j], "delta", sign(q.delta[l][j]));
    numberItem(numbers, "∂C/∂" + b(l, j) + " = " + d(l, j) + " (BP4)", q.dC_db[l][j], "dC_db");
    numberItem(numbers, t("playground.the_bias", { b: b(l, j) }), bias, "b", sign(bias));
    body.appendChild(numbers);
    panel.appendChild(body);
    panel.appendChild(weightTable(q, layers, state.config, l, j));
    if (view.grids) {
      heatmap.paint(canvas, view.grids.layers[l][j], view.palette,
        l === L ? heatmap.logitTransform(state) : null);
    }
  }

  function inspectLink(panel, title, numbers, state, q, l, j, k) {
    var config = state.config;
    var weight = state.trainer.layers()[l - 1][j].w[k];
    var gradient = q.dC_dW[l][j][k];
    var from = l === 1 ? a(0, k) + " = " + configs.inputName(config, k) : a(l - 1, k);
    title.textContent = t("playground.weight_title",
      { w: w(l, j, k), source: from, z: z(l, j), sample: state.sample });
    numberItem(numbers, w(l, j, k), weight, "w", sign(weight));
    numberItem(numbers, "∂C/∂" + w(l, j, k) + " = " + d(l, j) + "·" + a(l - 1, k) + " = " +
      factor(q.delta[l][j]) + "·" + factor(q.a[l - 1][k]) + " (BP3)", gradient, "dC_dW");
    numberItem(numbers, t("playground.sgd_step", { w: w(l, j, k), lr: config.lr }),
      weight - config.lr * gradient, "w_next");
    panel.appendChild(numbers);
    var back = dom.button("", "show-neuron", t("playground.show_neuron", { a: a(l, j) }));
    back.textContent = t("playground.neuron", { a: a(l, j) });
    back.dataset.select = JSON.stringify({ kind: "neuron", l: l, j: j });
    panel.appendChild(back);
  }

  /** A neuron's incoming weights: W, the input a, and ∂C/∂W (BP3), each row leading to its link. */
  function weightTable(q, layers, config, l, j) {
    var table = document.createElement("table");
    var caption = document.createElement("caption");
    caption.textContent = t("playground.weights_into", { z: z(l, j),
      formula: "∂C/∂" + w(l, j, "k") + " = " + d(l, j) + "·" + a(l - 1, "k") });
    table.appendChild(caption);
    var head = table.insertRow();
    [t("playground.link"), "W", "a" + sup(l - 1) + "ₖ", "∂C/∂W"].forEach(function (text) {
      var cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = text;
      head.appendChild(cell);
    });
    for (var k = 0; k < layers[l - 1][j].w.length; k += 1) {
      var row = table.insertRow();
      var pick = dom.button("link-button", "link-" + l + "-" + j + "-" + k,
        t("playground.show_weight", { w: w(l, j, k) }));
      pick.textContent = w(l, j, k) + (l === 1 ? " (" + configs.inputName(config, k) + ")" : "");
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

  return { draw: draw };
}(chainrule_playground_notation, chainrule_playground_config, chainrule_playground_dom,
  chainrule_playground_heatmap));
