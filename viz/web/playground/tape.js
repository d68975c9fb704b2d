/* A tape: a graph recorded once as flat lists, then run forward and backward on new numbers.
 *
 * It is engine/replay.py in JavaScript: every node is a leaf (its number set from outside),
 * a constant, or an op of the op table applied to earlier nodes, and forward() runs each
 * op's kernel (chainrule_ops, generated from the op table) in the order the graph was built,
 * which is a topological order. backward() is the chain rule over the same list from the
 * end: grad[parent] += local × grad[node], skipping constants, as engine/backprop.py does;
 * the loop is backward.js's, the one the step-through page runs too.
 */
var chainrule_tape = (function (ops, backprop, i18n) {
  "use strict";

  function Tape() {
    this.kind = [];       // "leaf", "constant" or an op's name, per node
    this.kernel = [];     // the op's kernel, per op node
    this.operands = [];   // operand positions, per op node
    this.attrs = [];      // the op's fixed numbers (k of x ** k), per op node
    this.isConstant = []; // true for a constant, which takes no gradient
    this.values = [];
    this.locals = [];
    this.grads = [];
  }

  Tape.prototype.add = function (kind, kernel, operands, attrs, value) {
    this.kind.push(kind);
    this.kernel.push(kernel);
    this.operands.push(operands);
    this.attrs.push(attrs);
    this.isConstant.push(kind === "constant");
    this.values.push(value);
    this.locals.push(null);
    this.grads.push(0);
    return this.kind.length - 1;
  };

  /** A leaf: its number is written into tape.values[index] before each forward(). */
  Tape.prototype.leaf = function () { return this.add("leaf", null, [], [], 0); };

  /** A constant: a number in the formula, which takes no gradient. */
  Tape.prototype.constant = function (value) { return this.add("constant", null, [], [], value); };

  /** The op `name` of the op table applied to the nodes `operands` (with its attrs). */
  Tape.prototype.apply = function (name, operands, attrs) {
    var kernel = Object.prototype.hasOwnProperty.call(ops.kernels, name) ? ops.kernels[name] : null;
    if (typeof kernel !== "function") { throw new Error("the op " + name + " has no JavaScript kernel"); }
    return this.add(name, kernel, operands, attrs || [], 0);
  };

  /**
   * Every op's value and local derivatives, in the order the graph was built; or only the
   * nodes from `from` up to (not including) `to`, when the graph is run in pieces.
   */
  Tape.prototype.forward = function (from, to) {
    var values = this.values;
    var end = to === undefined ? this.kind.length : to;
    for (var i = from || 0; i < end; i += 1) {
      var kernel = this.kernel[i];
      if (kernel === null) { continue; }
      var operands = this.operands[i];
      var result = operands.length === 1
        ? kernel(values[operands[0]], this.attrs[i][0])
        : kernel(values[operands[0]], values[operands[1]]);
      if (!isFinite(result[0])) { throw this.overflow(i, result[0]); }
      values[i] = result[0];
      this.locals[i] = result;  // result[1 + k] is the local derivative towards operand k
    }
  };

  /** The error for node i, whose value is not finite: in its op's own words when it has some. */
  Tape.prototype.overflow = function (i, value) {
    var name = this.kind[i];
    var own = ops.overflow[name];
    var attrs = {};
    ops.params[name].slice(this.operands[i].length).forEach(function (attr, k) {
      attrs[attr] = this.attrs[i][k];
    }, this);
    var what = own ? ops.say(own, attrs) : i18n.t("playground.overflow", { op: name, value: value });
    return new ops.KernelError("NumberOverflowError",
      i18n.t("playground.smaller_lr", { problem: what }));
  };

  /** ∂(node root)/∂(every node), by the chain rule from the root back to the leaves. */
  Tape.prototype.backward = function (root) {
    backprop.backward(this.operands, this.isConstant, this.locals, 1, this.grads, root, null);
  };

  return { Tape: Tape };
}(chainrule_ops, chainrule_backward, chainrule_i18n));
