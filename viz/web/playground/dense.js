/* The playground's fast path: dense layers trained in flat Float64Arrays, with the tape's numbers.
 *
 * The tape (tape.js) records one node per operation, and its backward() visits every node
 * of the batch's graph. For a dense layer that is the same few operations again and again,
 * so this module does them in plain loops over flat arrays instead, and does them *in the
 * tape's order*, so every float is the tape's float, bit for bit:
 *
 *   forward   z^l_j = ((w_j0·a_0 + w_j1·a_1) + …) + b_j, left to right, as Neuron builds it;
 *             a^l_j and σ'(z^l_j) are the activation op's own kernel (chainrule_ops), so
 *             whatever op nn names, the number is the one the tape's node holds.
 *   the loss  C of a sample, and ∂C/∂a^L, come from a small tape of the loss alone (the
 *             trainer's lossNode, then ÷ n as the batch's mean does): any loss nn has is
 *             computed here by its own ops, with the gradient 1/n the mean sends it.
 *   backward  the tape walks its nodes from the last: the batch's last sample first, in it
 *             the last layer first, and in a layer the last neuron first. So here
 *             δ^l_j = 0 + σ'(z^l_j)·∂C/∂a^l_j (BP1, BP2's ⊙), then, from the last input k to
 *             the first, ∂C/∂w_jk += a^{l−1}_k·δ^l_j (BP4) and ∂C/∂a^{l−1}_k += w_jk·δ^l_j
 *             (BP2's (W^l)ᵀδ^l, summed over j from the last neuron), and ∂C/∂b_j += δ^l_j
 *             (BP3). The sums over the batch start at 0 and add the samples from the last,
 *             as the tape's += does. C = (c_0 + c_1 + …) / n, with the div op's kernel.
 *
 * The tape checks that every value is finite and says which op overflowed; here a value
 * that is not finite, or a kernel's error, makes gradients() and loss() answer null, and
 * the trainer then runs the tape, which gives the same numbers or the tape's own error.
 * The teaching paths (the BP1–BP4 walk, the inspector) read the tape, never this.
 */
var chainrule_dense = (function (ops) {
  "use strict";

  /**
   * A dense network of `widths` (inputs first) whose layer l ≥ 1 applies the op
   * `sigmas[l - 1]`, with `loss`: {tape, outputs (the leaves of a^L), y (the target's leaf),
   * c (the sample's loss), mean (c ÷ n), n (the constant n), choose (null, or for a loss
   * whose graph depends on the sample, cross-entropy's: fits it to target y once the
   * outputs are written)}, recorded on a tape.
   */
  function Dense(widths, sigmas, loss) {
    this.widths = widths;
    this.kernels = sigmas.map(function (name) { return ops.kernels[name]; });
    this.values = sigmas.map(function (name) { return ops.values[name]; });  // a alone
    this.loss = loss;
    var offsets = [0];  // a^l_j sits at offsets[l] + j of the flat arrays
    for (var l = 0; l < widths.length; l += 1) { offsets.push(offsets[l] + widths[l]); }
    this.offsets = offsets;
    var size = offsets[widths.length];
    this.a = new Float64Array(size);      // a^l_j (a^0: the features)
    this.slope = new Float64Array(size);  // σ'(z^l_j), the activation's local derivative
    this.dC_da = new Float64Array(size);  // ∂C/∂a^l_j of the sample
  }

  /**
   * a^l for the features x and the parameters p, and σ'(z^l) when `slopes` (for backward:
   * the op's kernel; without, its value function, the same expression without the
   * derivative); false if a value is not finite.
   */
  Dense.prototype.forward = function (p, x, slopes) {
    var widths = this.widths;
    var offsets = this.offsets;
    var a = this.a;
    var slope = this.slope;
    for (var k = 0; k < widths[0]; k += 1) { a[k] = x[k]; }
    var at = 0;  // the first parameter of the neuron: its weights, then its bias
    for (var l = 1; l < widths.length; l += 1) {
      var nin = widths[l - 1];
      var below = offsets[l - 1];
      var kernel = this.kernels[l - 1];
      var value = this.values[l - 1];
      for (var j = 0; j < widths[l]; j += 1) {
        var z = p[at] * a[below];
        for (k = 1; k < nin; k += 1) { z = z + p[at + k] * a[below + k]; }
        z = z + p[at + nin];
        if (!isFinite(z)) { return false; }  // an overflow anywhere in the sum ends up here
        if (slopes) {
          var result = kernel(z);
          a[offsets[l] + j] = result[0];
          slope[offsets[l] + j] = result[1];
        } else {
          a[offsets[l] + j] = value(z);
        }
        if (!isFinite(a[offsets[l] + j])) { return false; }
        at += nin + 1;
      }
    }
    return true;
  };

  /** The sample's loss c, and ∂C/∂a^L for C = c/n, from the loss tape. */
  Dense.prototype.sampleLoss = function (y, n) {
    var loss = this.loss;
    var values = loss.tape.values;
    var outputs = loss.outputs;
    var last = this.offsets[this.widths.length - 1];
    for (var j = 0; j < outputs.length; j += 1) { values[outputs[j]] = this.a[last + j]; }
    values[loss.y] = y;
    values[loss.n] = n;
    if (loss.choose) { loss.choose(y); }
    loss.tape.forward();
    loss.tape.backward(loss.mean);
    for (j = 0; j < outputs.length; j += 1) { this.dC_da[last + j] = loss.tape.grads[outputs[j]]; }
    return values[loss.c];
  };

  /** Add this sample's ∂C/∂p into grads, from ∂C/∂a^L, layer by layer from the last. */
  Dense.prototype.backward = function (p, grads) {
    var widths = this.widths;
    var offsets = this.offsets;
    var a = this.a;
    var slope = this.slope;
    var dC_da = this.dC_da;
    var at = p.length;
    for (var l = widths.length - 1; l >= 1; l -= 1) {
      var nin = widths[l - 1];
      var below = offsets[l - 1];
      var inner = l > 1;  // ∂C/∂a^{l−1}, which the layer below needs (the features' is not)
      for (var k = 0; inner && k < nin; k += 1) { dC_da[below + k] = 0; }
      for (var j = widths[l] - 1; j >= 0; j -= 1) {
        at -= nin + 1;
        var delta = 0 + slope[offsets[l] + j] * dC_da[offsets[l] + j];
        grads[at + nin] += delta;
        for (k = nin - 1; k >= 0; k -= 1) {
          grads[at + k] += a[below + k] * delta;
          if (inner) { dC_da[below + k] += p[at + k] * delta; }
        }
      }
    }
  };

  /**
   * The batch's mean loss C for the parameters p, with ∂C/∂p written into grads (a
   * Float64Array as long as p); xs[i] are sample i's features, ys[i] its target. Null when
   * a value is not finite or a kernel refuses: then only the tape can say what went wrong.
   */
  Dense.prototype.gradients = function (p, xs, ys, grads) {
    var n = xs.length;
    var costs = new Float64Array(n);
    grads.fill(0);
    try {
      for (var i = n - 1; i >= 0; i -= 1) {
        if (!this.forward(p, xs[i], true)) { return null; }
        costs[i] = this.sampleLoss(ys[i], n);
        this.backward(p, grads);
      }
    } catch (error) {
      if (error && error.kind) { return null; }  // a kernel's error: the tape names it
      throw error;
    }
    var total = costs[0];
    for (i = 1; i < n; i += 1) { total = total + costs[i]; }
    var cost = ops.kernels.div(total, n)[0];
    return isFinite(total) && isFinite(cost) ? cost : null;
  };

  /**
   * The sample's loss c alone, for the loss curves: the loss tape's ops in its order, each
   * by its op's value function (the kernel's value, without its derivatives), as
   * Tape.forward calls them; null if a value is not finite.
   */
  Dense.prototype.lossValue = function (y) {
    var tape = this.loss.tape;
    var values = tape.values;
    var outputs = this.loss.outputs;
    var last = this.offsets[this.widths.length - 1];
    for (var j = 0; j < outputs.length; j += 1) { values[outputs[j]] = this.a[last + j]; }
    values[this.loss.y] = y;
    if (this.loss.choose) { this.loss.choose(y); }
    for (var i = 0; i <= this.loss.c; i += 1) {
      if (tape.kernel[i] === null) { continue; }
      var operands = tape.operands[i];
      var value = operands.length === 1
        ? ops.values[tape.kind[i]](values[operands[0]], tape.attrs[i][0])
        : ops.values[tape.kind[i]](values[operands[0]], values[operands[1]]);
      if (!isFinite(value)) { return null; }
      values[i] = value;
    }
    return values[this.loss.c];
  };

  /** The mean of the samples' losses (xs[i] features, ys[i] target), or null as gradients(). */
  Dense.prototype.meanLoss = function (p, xs, ys) {
    var total = 0;
    try {
      for (var i = 0; i < xs.length; i += 1) {
        var c = this.forward(p, xs[i], false) ? this.lossValue(ys[i]) : null;
        if (c === null) { return null; }
        total += c;
      }
    } catch (error) {
      if (error && error.kind) { return null; }
      throw error;
    }
    return total / xs.length;
  };

  return {
    /** The dense path for `widths`, per-layer ops `sigmas` and the recorded `loss`. */
    create: function (widths, sigmas, loss) { return new Dense(widths, sigmas, loss); }
  };
}(chainrule_ops));
