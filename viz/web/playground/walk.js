/* The walk through BP1–BP4 for one training sample, and its captions.
 *
 * steps(q, state) turns the quantities q of trainer.bp (z, a, σ'(z), ∂C/∂a, δ, ∂C/∂W, ∂C/∂b)
 * into the walk: BP1 at the output, BP2 layer by layer down, BP3 neuron by neuron (a row of
 * W^l each), BP4 layer by layer; each step says which neurons and links it lights, which
 * layers' δ are known by then, and its lines, every equation with its numbers. count() is
 * how many steps a network of these widths has. draw() shows the sample, the walk's buttons
 * and counter, and the caption: the step's lines, or how to start the walk.
 * With K classes BP1 starts from ŷ = softmax(aᴸ) and cross-entropy, δᴸ = ŷ − y (y the label's
 * one-hot vector), and its first step says why: the log's 1/ŷ cancels the Jacobian's ŷ.
 * The words are the catalogue's (dom.t), in the page's language when the walk is made; the
 * formulas and numbers are the same in every language.
 */
var chainrule_playground_walk = (function (notation, configs, trainers, dom) {
  "use strict";

  var $ = dom.$;
  var t = dom.t;
  var num = notation.num;
  var factor = notation.factor;
  var sup = notation.sup;
  var a = notation.a;
  var z = notation.z;
  var d = notation.d;
  var w = notation.w;
  var b = notation.b;
  var LOSS_FORMULA = {
    bce: "C = softplus(a^L) − y·a^L",
    mse: "C = ½ (a^L − y)²",
    hinge: "C = max(0, 1 − y·a^L)",
    cross_entropy: "C = −log ŷ_y = log Σₖ e^(aᴸₖ) − aᴸ_y"
  };

  /** The number the loss compares the output with: the label 0/1, or ±1 for hinge. */
  function target(state, row) { return trainers.target(state.config.loss, row[2]); }

  /** s(x) = 1/(1 + e⁻ˣ), the logistic in the bce loss (ŷ = s(aᴸ)); σ is the activation. */
  function logistic(x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  /** BP1's factor ∂C/∂a^L for this loss, as a formula and with its numbers. */
  function outputGradient(q, L, j, y, loss) {
    var out = q.a[L][j];
    if (q.y_hat) {  // softmax with cross-entropy: ∂C/∂aᴸⱼ = ŷⱼ − yⱼ, yⱼ = 1 for the label only
      return ["(ŷ" + notation.sub(j) + " − y" + notation.sub(j) + ")",
        "(" + num(q.y_hat[j]) + " − " + (j === y ? 1 : 0) + ")"];
    }
    if (loss === "bce") {  // ∂C/∂a = s(a) − y: the logistic s, never σ (the activation)
      return ["(ŷ − y)", "(" + num(logistic(out)) + " − " + num(y) + ")"];
    }
    if (loss === "mse") {
      return ["(" + a(L, j) + " − y)", "(" + num(out) + " − " + num(y) + ")"];
    }
    return ["(−y·[y·" + a(L, j) + " < 1])",
      "(−" + factor(y) + "·[" + factor(y) + "·" + factor(out) + " < 1])"];
  }

  /** BP1's reason with softmax and cross-entropy: ŷ, and why δᴸ = ŷ − y. */
  function softmaxWhy(q, label) {
    return [
      t("playground.walk_softmax", { values: q.y_hat.map(num).join(", "), label: label }),
      t("playground.walk_softmax_why")
    ];
  }

  /** How many steps the walk has: BP1 per output, BP2 per hidden layer, BP3 per neuron, BP4
   * per layer. */
  function count(widths) {
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
   * The walk for the quantities q (trainer.bp) of the state's sample: BP1 at the output, BP2
   * layer by layer down, BP3 neuron by neuron (a row of W^l each), BP4 layer by layer. Each
   * step: {equation, lit, known (the layers whose δ is known by then), text (its lines)}.
   */
  function steps(q, state) {
    var config = state.config;
    var widths = configs.widthsOf(config);
    var sigmas = configs.hiddenActivations(config);
    var L = widths.length - 1;
    var row = state.data.train[state.sample];
    var y = target(state, row);
    var layers = state.trainer.layers();
    var known = {};
    var out = [];
    var l;
    var j;
    var k;
    var cost = LOSS_FORMULA[config.loss].replace(/a\^L/g, a(L, 0));
    var sample = t("playground.walk_sample", { sample: state.sample, x1: num(row[0]),
      x2: num(row[1]), y: q.y_hat ? t("playground.walk_class", { label: String(y) }) : num(y),
      formula: cost, value: num(q.C) });

    for (j = 0; j < widths[L]; j += 1) {
      known[L] = true;
      var g = outputGradient(q, L, j, y, config.loss);
      var sp = factor(q.sigma_prime[L][j]);
      var bp1 = [
        t("playground.walk_bp1", { L: L }),
        "BP1  " + d(L, j) + " = " + g[0] + "·σ'(" + z(L, j) + ") = " + g[1] + "·" + sp + " = " +
          factor(q.dC_da[L][j]) + "·" + sp + " = " + num(q.delta[L][j])
      ];
      if (config.loss === "bce") {
        bp1.push(t("playground.walk_logistic", { a: a(L, j), value: num(logistic(q.a[L][j])) }));
      }
      if (q.y_hat && j === 0) { bp1.push.apply(bp1, softmaxWhy(q, y)); }
      bp1.push(sample);
      out.push({ equation: "BP1", known: Object.assign({}, known), lit: lit([[L, j]], []),
        text: bp1 });
    }

    for (l = L - 1; l >= 1; l -= 1) {
      known[l] = true;
      var lines = [t("playground.walk_bp2", { formula: "BP2  δ" + sup(l) + " = ((W" + sup(l + 1) +
        ")ᵀ δ" + sup(l + 1) + ") ⊙ σ'(z" + sup(l) + ")", layer: l, sigma: sigmas[l - 1] })];
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
      out.push({ equation: "BP2", known: Object.assign({}, known), lit: lit(nodes, links),
        text: lines });
    }

    for (l = L; l >= 1; l -= 1) {
      for (j = 0; j < widths[l]; j += 1) {
        var text = [t("playground.walk_bp3", { formula: "BP3  ∂C/∂W" + sup(l) + " = δ" + sup(l) +
          " (a" + sup(l - 1) + ")ᵀ", row: j,
          entry: "∂C/∂" + w(l, j, "k") + " = " + d(l, j) + "·" + a(l - 1, "k") })];
        var inputs = [[l, j]];
        var row3 = [];
        for (k = 0; k < widths[l - 1]; k += 1) {
          inputs.push([l - 1, k]);
          row3.push([l, j, k]);
          text.push("BP3  ∂C/∂" + w(l, j, k) + " = " + d(l, j) + "·" + a(l - 1, k) + " = " +
            factor(q.delta[l][j]) + "·" + factor(q.a[l - 1][k]) + " = " + num(q.dC_dW[l][j][k]) +
            (l === 1 ? "   (" + a(0, k) + " = " + configs.inputName(config, k) + ")" : ""));
        }
        out.push({ equation: "BP3", known: known, lit: lit(inputs, row3), text: text });
      }
    }

    for (l = L; l >= 1; l -= 1) {
      var biases = [t("playground.walk_bp4", { formula: "BP4  ∂C/∂b" + sup(l) + " = δ" + sup(l),
        layer: l })];
      var neurons = [];
      for (j = 0; j < widths[l]; j += 1) {
        neurons.push([l, j]);
        biases.push("BP4  ∂C/∂" + b(l, j) + " = " + d(l, j) + " = " + num(q.dC_db[l][j]));
      }
      out.push({ equation: "BP4", known: known, lit: lit(neurons, []), text: biases });
    }
    return out;
  }

  /** The sample's numbers, the walk's buttons and counter, and the caption under the network. */
  function draw(state, view) {
    var row = state.data.train[state.sample];
    var q = view.q;
    var hot = [];  // K classes: y is the label's one-hot vector
    for (var k = 0; k < configs.outputs(state.config); k += 1) { hot.push(k === row[2] ? 1 : 0); }
    var y = hot.length > 1 ? "(" + hot.join(", ") + ")" : num(target(state, row));
    var regression = configs.isRegression(state.config);  // else y is the label
    $("sample-info").textContent = t(regression ? "playground.sample_info"
      : "playground.sample_info_class", { x1: num(row[0]), x2: num(row[1]), label: row[2], y: y }) +
      (q ? t("playground.sample_cost", { value: num(q.C) }) : "");
    var walk = view.walk;
    var walking = walk !== null;
    $("bp").setAttribute("aria-pressed", String(walking));
    $("bp").textContent = walking ? t("playground.walk_leave") : "BP1–BP4";
    $("bp-previous").disabled = !walking || state.walk === 0;
    $("bp-next").disabled = !walking || state.walk === walk.length - 1;
    $("bp-counter").textContent = walking
      ? t("playground.walk_counter", { step: state.walk + 1, steps: walk.length,
        equation: walk[state.walk].equation }) : "";
    var caption;
    if (!q) {
      caption = t("playground.walk_cannot", { error: view.bpError });
    } else if (walking) {
      caption = walk[state.walk].text.join("\n");
    } else {
      caption = t("playground.walk_press", { sample: state.sample });
    }
    if ($("caption").textContent !== caption) { $("caption").textContent = caption; }
  }

  return { count: count, steps: steps, target: target, draw: draw };
}(chainrule_playground_notation, chainrule_playground_config, chainrule_trainer,
  chainrule_playground_dom));
