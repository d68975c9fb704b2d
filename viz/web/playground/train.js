/* The playground's engine: an MLP trained with the op table's kernels, as nn.fit trains it.
 *
 * For each batch size the whole batch's graph is recorded once on a tape (tape.js), with
 * the same ops in the same order as Python builds them: z = w₀·x₀ + w₁·x₁ + … + b,
 * a = σ(z), the loss of each sample, their sum, divided by n. Each step writes the weights,
 * the batch's inputs and labels into the tape's leaves, runs it forward and backward, and
 * moves every weight as nn.optim's SGD or Adam would (L1's λ₁·sign(p), then L2's weight
 * decay λ·p, added to the gradient). For the configuration Python embeds (its data, initial weights and mini-batch
 * order) the page's weights after k steps are Python's, within rounding.
 *
 * Training (step, and loss for the curves) runs on the dense path (dense.js) unless
 * useEngine("tape") says otherwise: flat loops doing the tape's arithmetic in the tape's
 * order, so the weights are the tape's to the bit, only sooner. Everything a learner reads
 * step by step (bp for the BP1–BP4 walk and the inspector, outputs, neurons) is the tape's.
 *
 * K ≥ 3 classes (config.classes): the output layer has K linear neurons, the logits a^L,
 * and a sample's loss is nn.cross_entropy's, built as Python builds it:
 * C = log(e^{a_0 − m} + e^{a_1 − m} + …) + m − a_i, with m = max_k a_k a constant and i the
 * label. That graph depends on the sample (m's value, and which logit is subtracted), so it
 * is recorded once with a place for each: before a sample's loss runs, choose() writes m
 * (from the logits just computed) and points the last sub at logit i. The tape runs each
 * sample's network, then its choice, then its loss (forward in pieces); the dense path
 * calls the same choose() on its small loss tape.
 */
var chainrule_trainer = (function (data, tapes, dense) {
  "use strict";

  var ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  var ENGINES = ["dense", "tape"];  // what training runs on: the flat loops, or the tape

  /** The target a loss trains towards: hinge takes labels ±1 (nn.signed_labels), others 0/1. */
  function target(loss, label) { return loss === "hinge" ? 2 * label - 1 : label; }

  /** Does the configuration have K ≥ 3 logits with softmax cross-entropy (config.classes)? */
  function multiclass(config) { return config.classes > 2; }

  /** The output layer's width: K logits for K ≥ 3 classes, else one output. */
  function outputCount(config) { return multiclass(config) ? config.classes : 1; }

  /** The first k of the largest value: the class a^L's logits (or softmax) choose. */
  function argmax(values) {
    var best = 0;
    for (var k = 1; k < values.length; k += 1) { if (values[k] > values[best]) { best = k; } }
    return best;
  }

  /** ŷ = softmax(a^L), computed as nn.backprop_by_hand does: exp(a_k − log Σ e^{a_j}). */
  function softmax(logits) {
    var top = Math.max.apply(null, logits);
    var sum = 0;
    logits.forEach(function (a) { sum += Math.exp(a - top); });
    var logTotal = Math.log(sum) + top;
    return logits.map(function (a) { return Math.exp(a - logTotal); });
  }

  /** Are these outputs right for this label, by the loss's own rule (nn.losses' decision rules)? */
  function correct(loss, outputs, label) {
    if (outputs.length > 1) { return argmax(outputs) === label; }  // cross-entropy's argmax
    if (loss === "mse") { return Math.abs(outputs[0] - label) < 0.5; }
    return (outputs[0] > 0) === (label > 0.5);
  }

  /**
   * Softmax's cross-entropy of the logits (tape nodes) as nn.cross_entropy builds it, with
   * m and the subtracted logit left for choose(): {first (its first node), c, m, logits}.
   */
  function crossEntropyNode(tape, logits) {
    var m = tape.constant(0);
    var first = m;
    var total = tape.apply("exp", [tape.apply("sub", [logits[0], m])]);
    for (var k = 1; k < logits.length; k += 1) {
      total = tape.apply("add", [total, tape.apply("exp", [tape.apply("sub", [logits[k], m])])]);
    }
    var shifted = tape.apply("add", [tape.apply("log", [total]), m]);
    var c = tape.apply("sub", [shifted, logits[0]]);  // logits[0]: choose() sets the label's
    return { first: first, c: c, m: m, logits: logits };
  }

  /** Fit a cross-entropy node to a sample of class `label`: m = max_k a_k, subtract a_label. */
  function choose(tape, ce, label) {
    var values = tape.values;
    var top = values[ce.logits[0]];
    for (var k = 1; k < ce.logits.length; k += 1) { top = Math.max(top, values[ce.logits[k]]); }
    values[ce.m] = top;
    tape.operands[ce.c][1] = ce.logits[label];
  }

  /**
   * One sample's loss C on the tape, built as nn.losses builds it, from the output nodes:
   * {c, ce} (ce: the cross-entropy's places for choose(), or null).
   */
  function lossNode(tape, loss, outputs, y) {
    if (outputs.length > 1) {
      var ce = crossEntropyNode(tape, outputs);
      return { c: ce.c, ce: ce };
    }
    return { c: oneOutputLoss(tape, loss, outputs[0], y), ce: null };
  }

  /** The loss of one output s and target y: bce, mse or hinge. */
  function oneOutputLoss(tape, loss, s, y) {
    if (loss === "bce") {  // softplus(s) − y·s
      return tape.apply("sub", [tape.apply("softplus", [s]), tape.apply("mul", [y, s])]);
    }
    if (loss === "mse") {  // 0.5 · (a − y)²
      var squared = tape.apply("power", [tape.apply("sub", [s, y])], [2]);
      return tape.apply("mul", [tape.constant(0.5), squared]);
    }
    if (loss === "hinge") {  // relu(1 − y·s)
      var margin = tape.apply("sub", [tape.constant(1), tape.apply("mul", [y, s])]);
      return tape.apply("relu", [margin]);
    }
    throw new Error("unknown loss " + JSON.stringify(loss));
  }

  function Trainer(options) {
    var config = options.config;
    this.config = config;
    this.ops = options.ops;  // σ's engine ops: {hidden: [one per hidden layer], output}
    this.data = options.data;
    this.options = options;
    this.widths = [config.features.length].concat(config.hidden, [outputCount(config)]);
    this.params = options.weights ? flatten(options.weights) : this.initialWeights();
    this.batchOrders = options.batchOrders || [];
    this.random = data.rng(Number(config.seed) * 7919 + 17);
    this.order = this.data.train.map(function (_, i) { return i; });
    // a run that continues (chainrule train's): its epoch, step count and Adam's moments
    var trained = options.trained || { epochs: 0, steps: 0 };
    this.firstEpoch = trained.epochs;  // batchOrders[0] is this epoch's order
    this.steps = trained.steps;
    this.epoch = trained.epochs;
    this.start = 0;       // where the next batch starts in this epoch's order
    var zeros = function (n) { return new Array(n).fill(0); };
    this.optimizer = { m: trained.m ? trained.m.slice() : zeros(this.params.length),
      v: trained.v ? trained.v.slice() : zeros(this.params.length) };
    this.tapes = {};      // by batch size: the recorded graph of one batch
    this.single = null;   // one sample's network and loss: outputs, heatmaps, BP1–BP4
    this.engine = ENGINES[0];
    this.fast = null;     // the dense path, made when first used
    this.grads = null;    // ∂C/∂p of the last step, in parameters() order
    if (this.params.length !== this.parameterCount()) {
      throw new Error("the weights do not fit the architecture " + this.widths.join("-"));
    }
  }

  function flatten(layers) {
    var flat = [];
    layers.forEach(function (neurons) {
      neurons.forEach(function (neuron) { flat.push.apply(flat, neuron.w); flat.push(neuron.b); });
    });
    return flat;
  }

  Trainer.prototype.parameterCount = function () {
    var count = 0;
    for (var l = 1; l < this.widths.length; l += 1) { count += this.widths[l] * (this.widths[l - 1] + 1); }
    return count;
  };

  /**
   * The initial weights as nn.Neuron draws them for the configuration's init (page's own
   * seed): each neuron's weights from U(−r, r), r = √gain / √(fanIn·n_in + fanOut·n_out)
   * (nn.init's numbers, from Python's choices), then its bias from U(−r, r) or 0.
   */
  Trainer.prototype.initialWeights = function () {
    var random = data.rng(this.config.seed);
    var init = this.options.inits.filter(function (entry) {
      return entry.name === this.config.init;
    }, this)[0];
    if (!init) { throw new Error("unknown initialisation " + JSON.stringify(this.config.init)); }
    var draw = function (bound) { return -bound + 2 * bound * random(); };
    var params = [];
    for (var l = 1; l < this.widths.length; l += 1) {
      var nin = this.widths[l - 1];
      var bound = Math.sqrt(init.gain) / Math.sqrt(init.fanIn * nin + init.fanOut * this.widths[l]);
      for (var j = 0; j < this.widths[l]; j += 1) {
        for (var k = 0; k < nin; k += 1) { params.push(draw(bound)); }
        params.push(init.bias ? draw(bound) : 0);
      }
    }
    return params;
  };

  /** The engine op σ of each layer l ≥ 1: the hidden layers', then the output's. */
  Trainer.prototype.sigmas = function () {
    var last = this.widths.length - 1;
    var ops = this.ops;
    return this.widths.slice(1).map(function (_, i) {
      return i + 1 === last ? ops.output : ops.hidden[i];
    });
  };

  /** The network on the tape for one sample: {inputs, z, a} node positions, by layer. */
  Trainer.prototype.network = function (tape, paramNodes) {
    var widths = this.widths;
    var inputs = [];
    for (var k = 0; k < widths[0]; k += 1) { inputs.push(tape.leaf()); }
    var a = { 0: inputs };
    var z = {};
    var p = 0;
    var sigmas = this.sigmas();
    for (var l = 1; l < widths.length; l += 1) {
      var sigma = sigmas[l - 1];
      z[l] = [];
      a[l] = [];
      for (var j = 0; j < widths[l]; j += 1) {
        var sum = tape.apply("mul", [paramNodes[p], a[l - 1][0]]);
        for (k = 1; k < widths[l - 1]; k += 1) {
          sum = tape.apply("add", [sum, tape.apply("mul", [paramNodes[p + k], a[l - 1][k]])]);
        }
        sum = tape.apply("add", [sum, paramNodes[p + widths[l - 1]]]);
        p += widths[l - 1] + 1;
        z[l].push(sum);
        a[l].push(tape.apply(sigma, [sum]));
      }
    }
    return { inputs: inputs, z: z, a: a, outputs: a[widths.length - 1] };
  };

  /** The graph of a batch of n samples: C = (1/n) Σᵢ loss(a^L(xᵢ), yᵢ), recorded once. */
  Trainer.prototype.batchTape = function (n) {
    if (this.tapes[n]) { return this.tapes[n]; }
    var tape = new tapes.Tape();
    var paramNodes = this.params.map(function () { return tape.leaf(); });
    var samples = [];
    var total = null;
    for (var i = 0; i < n; i += 1) {
      var net = this.network(tape, paramNodes);
      var y = tape.leaf();
      var loss = lossNode(tape, this.config.loss, net.outputs, y);
      total = total === null ? loss.c : tape.apply("add", [total, loss.c]);
      samples.push({ inputs: net.inputs, y: y, ce: loss.ce });
    }
    var cost = tape.apply("div", [total, tape.constant(n)]);
    this.tapes[n] = { tape: tape, params: paramNodes, samples: samples, cost: cost };
    return this.tapes[n];
  };

  /** One sample's network and loss (no mean), for outputs, heatmaps and BP1–BP4. */
  Trainer.prototype.sampleTape = function () {
    if (this.single) { return this.single; }
    var tape = new tapes.Tape();
    var paramNodes = this.params.map(function () { return tape.leaf(); });
    var net = this.network(tape, paramNodes);
    var y = tape.leaf();
    var loss = lossNode(tape, this.config.loss, net.outputs, y);
    this.single = { tape: tape, params: paramNodes, net: net, y: y, cost: loss.c,
      samples: [{ y: y, ce: loss.ce }] };
    return this.single;
  };

  /**
   * Run a recorded tape forward whose samples' labels are in its y leaves: at once, or,
   * with cross-entropy, each sample's network, then choose(), then its loss.
   */
  function runForward(recorded) {
    var tape = recorded.tape;
    var from = 0;
    recorded.samples.forEach(function (sample) {
      var ce = sample.ce;
      if (!ce) { return; }
      tape.forward(from, ce.first);
      choose(tape, ce, tape.values[sample.y]);
      from = ce.first;
    });
    tape.forward(from, tape.kind.length);
  }

  Trainer.prototype.load = function (recorded, x1, x2, label) {
    var values = recorded.tape.values;
    var params = this.params;
    recorded.params.forEach(function (node, i) { values[node] = params[i]; });
    var features = data.featurize(this.config.features, x1, x2);
    recorded.net.inputs.forEach(function (node, k) { values[node] = features[k]; });
    values[recorded.y] = target(this.config.loss, label);
    runForward(recorded);
    return recorded;
  };

  /** This epoch's order of the training samples: Python's while it lasts, then the page's. */
  Trainer.prototype.epochOrder = function () {
    var index = this.epoch - this.firstEpoch;
    if (index < this.batchOrders.length) { return this.batchOrders[index]; }
    var order = this.order;
    for (var i = order.length - 1; i > 0; i -= 1) {
      var j = Math.floor(this.random() * (i + 1));
      var swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  };

  /** One mini-batch step, as nn.fit takes it; returns the batch's mean loss before the step. */
  Trainer.prototype.step = function () {
    var train = this.data.train;
    if (!train.length) { throw new Error("there is no training data: raise the train ratio"); }
    if (this.start === 0) { this.currentOrder = this.epochOrder().slice(); }
    var batch = this.currentOrder.slice(this.start, this.start + this.config.batchSize);
    var cost = this.engine === "dense" ? this.denseGradients(batch) : null;
    if (cost === null) { cost = this.tapeGradients(batch); }
    this.update(this.grads);
    this.steps += 1;
    this.start += batch.length;
    if (this.start >= train.length) { this.start = 0; this.epoch += 1; }
    return cost;
  };

  /** The batch's C on the tape, with ∂C/∂p in this.grads (or the tape's error). */
  Trainer.prototype.tapeGradients = function (batch) {
    var train = this.data.train;
    var recorded = this.batchTape(batch.length);
    var tape = recorded.tape;
    var values = tape.values;
    var params = this.params;
    recorded.params.forEach(function (node, i) { values[node] = params[i]; });
    var self = this;
    batch.forEach(function (index, s) {
      var row = train[index];
      var features = data.featurize(self.config.features, row[0], row[1]);
      recorded.samples[s].inputs.forEach(function (node, k) { values[node] = features[k]; });
      values[recorded.samples[s].y] = target(self.config.loss, row[2]);
    });
    runForward(recorded);
    tape.backward(recorded.cost);
    this.grads = recorded.params.map(function (node) { return tape.grads[node]; });
    return values[recorded.cost];
  };

  /** The batch's C on the dense path, with ∂C/∂p in this.grads; null: ask the tape. */
  Trainer.prototype.denseGradients = function (batch) {
    var rows = this.data.train;
    var samples = this.samples(batch.map(function (index) { return rows[index]; }));
    if (!(this.grads instanceof Float64Array) || this.grads.length !== this.params.length) {
      this.grads = new Float64Array(this.params.length);
    }
    return this.denseNetwork().gradients(this.params, samples.xs, samples.ys, this.grads);
  };

  /** The dense path for this network and loss, its loss recorded once on a small tape. */
  Trainer.prototype.denseNetwork = function () {
    if (this.fast) { return this.fast; }
    var tape = new tapes.Tape();
    var outputs = [];
    for (var k = 0; k < this.widths[this.widths.length - 1]; k += 1) { outputs.push(tape.leaf()); }
    var y = tape.leaf();
    var loss = lossNode(tape, this.config.loss, outputs, y);
    var n = tape.constant(1);
    var mean = tape.apply("div", [loss.c, n]);  // as the batch's mean sends 1/n back to each loss
    var ce = loss.ce;
    this.fast = dense.create(this.widths, this.sigmas(),
      { tape: tape, outputs: outputs, y: y, c: loss.c, mean: mean, n: n,
        choose: ce ? function (label) { choose(tape, ce, label); } : null });
    return this.fast;
  };

  /** The features and targets of these rows ([x1, x2, label]), as the dense path takes them. */
  Trainer.prototype.samples = function (rows) {
    var config = this.config;
    return {
      xs: rows.map(function (row) { return data.featurize(config.features, row[0], row[1]); }),
      ys: rows.map(function (row) { return target(config.loss, row[2]); })
    };
  };

  /** Train on "dense" (the flat loops) or "tape" from the next step on. */
  Trainer.prototype.useEngine = function (name) {
    if (ENGINES.indexOf(name) < 0) {
      throw new Error("the engine must be one of " + ENGINES.map(function (e) {
        return JSON.stringify(e);
      }).join(", ") + ", not " + JSON.stringify(name));
    }
    this.engine = name;
    return name;
  };

  /** sign(x): −1, 0 or 1, the derivative of L1's |x| (0 at 0), as nn.optim's _sign. */
  function sign(x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }

  /**
   * p ← p − η·g (SGD) or Adam's step, with g = ∂C/∂p + λ₁·sign(p) + λ·p added in that order,
   * as nn.optim computes them.
   */
  Trainer.prototype.update = function (grads) {
    var lr = this.config.lr;
    var l1 = this.config.l1;
    var l2 = this.config.l2;
    var params = this.params;
    if (this.config.optimizer === "sgd") {  // momentum 0: the velocity is the gradient
      for (var i = 0; i < params.length; i += 1) {
        params[i] -= lr * (grads[i] + l1 * sign(params[i]) + l2 * params[i]);
      }
      return;
    }
    var t = this.steps + 1;
    var c1 = 1.0 - Math.pow(ADAM.beta1, t);
    var c2 = 1.0 - Math.pow(ADAM.beta2, t);
    var m = this.optimizer.m;
    var v = this.optimizer.v;
    for (var k = 0; k < params.length; k += 1) {
      var g = grads[k] + l1 * sign(params[k]) + l2 * params[k];
      m[k] = ADAM.beta1 * m[k] + (1.0 - ADAM.beta1) * g;
      v[k] = ADAM.beta2 * v[k] + (1.0 - ADAM.beta2) * g * g;
      params[k] -= lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + ADAM.eps);
    }
  };

  Trainer.prototype.weights = function () { return this.params.slice(); };

  /** The weights as MLP.save writes them: layers[l − 1][j] = {w: row j of W^l, b: b^l_j}. */
  Trainer.prototype.layers = function () {
    var out = [];
    var p = 0;
    for (var l = 1; l < this.widths.length; l += 1) {
      var neurons = [];
      for (var j = 0; j < this.widths[l]; j += 1) {
        var nin = this.widths[l - 1];
        neurons.push({ w: this.params.slice(p, p + nin), b: this.params[p + nin] });
        p += nin + 1;
      }
      out.push(neurons);
    }
    return out;
  };

  /** The network's output a^L at the point (x1, x2) (the first logit when there are K). */
  Trainer.prototype.output = function (x1, x2) { return this.outputs(x1, x2)[0]; };

  /** Every output a^L_k at the point (x1, x2): one, or the K logits. */
  Trainer.prototype.outputs = function (x1, x2) {
    var recorded = this.load(this.sampleTape(), x1, x2, 0);
    var values = recorded.tape.values;
    return recorded.net.outputs.map(function (node) { return values[node]; });
  };

  /** Every neuron's activation at (x1, x2): [[a^l_j for each j] for each layer l ≥ 1]. */
  Trainer.prototype.neurons = function (x1, x2) {
    var recorded = this.load(this.sampleTape(), x1, x2, 0);
    var values = recorded.tape.values;
    var out = [];
    for (var l = 1; l < this.widths.length; l += 1) {
      out.push(recorded.net.a[l].map(function (node) { return values[node]; }));
    }
    return out;
  };

  /** The mean loss over the "train" or "test" set (on the dense path when training is). */
  Trainer.prototype.loss = function (which) {
    var rows = this.data[which || "train"];
    if (!rows.length) { return NaN; }
    if (this.engine === "dense") {
      var samples = this.samples(rows);
      var mean = this.denseNetwork().meanLoss(this.params, samples.xs, samples.ys);
      if (mean !== null) { return mean; }
    }
    var total = 0;
    var self = this;
    rows.forEach(function (row) {
      var recorded = self.load(self.sampleTape(), row[0], row[1], row[2]);
      total += recorded.tape.values[recorded.cost];
    });
    return total / rows.length;
  };

  /** The share of the set the loss's decision rule calls right. */
  Trainer.prototype.accuracy = function (which) {
    var rows = this.data[which || "train"];
    if (!rows.length) { return NaN; }
    var self = this;
    var right = rows.filter(function (row) {
      return correct(self.config.loss, self.outputs(row[0], row[1]), target(self.config.loss, row[2]));
    });
    return right.length / rows.length;
  };

  /**
   * BP1–BP4's quantities for training sample `index`, read off the sample's graph after
   * backward, keyed by layer as nn.bp_equations.BPQuantities: z, a (a[0] = the features),
   * C, dC_da, sigma_prime (σ'(z), the activation op's local derivative), delta (∂C/∂z),
   * dC_dW, dC_db, and y_hat: ŷ = softmax(a^L) with K classes (BP1: δᴸ = ŷ − y), else null.
   */
  Trainer.prototype.bp = function (index) {
    var row = this.data.train[index];
    if (!row) { throw new Error("no training sample " + index); }
    var recorded = this.load(this.sampleTape(), row[0], row[1], row[2]);
    var tape = recorded.tape;
    tape.backward(recorded.cost);
    var net = recorded.net;
    var read = function (nodes, array) { return nodes.map(function (node) { return array[node]; }); };
    var out = { C: tape.values[recorded.cost], z: {}, a: { 0: read(net.inputs, tape.values) },
      dC_da: {}, sigma_prime: {}, delta: {}, dC_dW: {}, dC_db: {}, y_hat: null };
    var p = 0;
    for (var l = 1; l < this.widths.length; l += 1) {
      var nin = this.widths[l - 1];
      out.z[l] = read(net.z[l], tape.values);
      out.a[l] = read(net.a[l], tape.values);
      out.dC_da[l] = read(net.a[l], tape.grads);
      out.sigma_prime[l] = net.a[l].map(function (node) { return tape.locals[node][1]; });
      out.delta[l] = read(net.z[l], tape.grads);
      out.dC_dW[l] = [];
      out.dC_db[l] = [];
      for (var j = 0; j < this.widths[l]; j += 1) {
        out.dC_dW[l].push(recorded.params.slice(p, p + nin).map(function (node) { return tape.grads[node]; }));
        out.dC_db[l].push(tape.grads[recorded.params[p + nin]]);
        p += nin + 1;
      }
    }
    if (net.outputs.length > 1) { out.y_hat = softmax(out.a[this.widths.length - 1]); }
    return out;
  };

  return {
    /**
     * A trainer for {config, data: {train, test}, ops: {hidden, output}, inits, weights?,
     * batchOrders?, trained?}; ops are the engine ops of the hidden layers' σ (one per
     * layer) and of the output's; inits are nn.init's (config.js's INITS), which draw the
     * weights when none are given; trained ({epochs, steps, m?, v?}) is where a run that continues stopped.
     */
    create: function (options) { return new Trainer(options); },
    target: target,
    multiclass: multiclass,
    outputCount: outputCount,
    argmax: argmax,
    softmax: softmax
  };
}(chainrule_data, chainrule_tape, chainrule_dense));
