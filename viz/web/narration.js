/* Captions: each frame of the page in words, from the op table's formulas and the numbers.
 *
 *   forward    n = x1·w1 + b = -6.0 + 6.881 = 0.8814
 *   backward   ∂o/∂n = 1 − o² = 1 − 0.7071² = 0.5;  n.grad += 0.5 × 1.0 = 0.5
 *   summary    ∂o/∂w1 = 1.0: raising w1 by 0.01 changes o by about 0.01 × 1.0 = 0.01
 *
 * Formulas use the placeholders of engine/optable.py: {a} and {b} the operands, {out} the
 * op's value, and each attr by name. An op without formulas shows its number.
 */
var chainrule_narration = (function (py) {
  "use strict";

  var TIGHT = { "·": true, "^": true };
  var ROLE_WORDS = {
    parameter: "a parameter, a leaf the model learns",
    input: "an input, a leaf",
    constant: "a constant: a number in the formula, which takes no gradient",
    output: "the output, a leaf",
    computed: "a leaf"
  };

  /** map[key] if map has its own key, else undefined: safe for a key named constructor. */
  function own(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
  }

  /** A name in parentheses when it has an operator outside parentheses: (x*w + b).grad. */
  function grouped(name) {
    var depth = 0;
    for (var i = 0; i < name.length; i += 1) {
      var ch = name[i];
      depth += (ch === "(") - (ch === ")");
      if (depth === 0 && "+-−*/·^ ".indexOf(ch) >= 0) { return "(" + name + ")"; }
    }
    return name;
  }

  /** A number as the captions show it: four significant digits, negatives in parentheses. */
  function shown(x, inParens) {
    var text = py.number(x);
    return inParens && x < 0 ? "(" + text + ")" : text;
  }

  function Narrator(graph, opsByName) {
    this.graph = graph;
    this.ops = opsByName;
  }

  /** What stands for node i in a formula: its name (grouped, unless bare), or a number. */
  Narrator.prototype.term = function (i, values, numbers, bare) {
    var node = this.graph.nodes[i];
    if (numbers || node.constant) { return shown(values[i], !bare); }
    return bare ? node.name : grouped(node.name);
  };

  /** The op applied to its operands, with names or with numbers: x1·w1, tanh(n), x^2. */
  Narrator.prototype.expression = function (i, values, numbers) {
    var self = this;
    var node = this.graph.nodes[i];
    var op = own(this.ops, node.op) || { infix: "", symbol: node.op };
    var call = !op.infix;  // name(x, y): the parentheses group already
    var terms = node.parents.map(function (p) { return self.term(p, values, numbers, call); });
    if (op.infix && terms.length === 2) {
      var gap = own(TIGHT, op.infix) ? "" : " ";
      var first = node.parents[0];
      if (numbers && op.infix !== "^") { terms[0] = shown(values[first]); }  // -6.0 + 6.881
      return terms[0] + gap + op.infix + gap + terms[1];
    }
    if (op.infix && terms.length === 1 && node.attrs.length === 1) {
      return terms[0] + op.infix + py.formatG(node.attrs[0], 6);
    }
    if (op.infix && terms.length === 1) { return op.infix + terms[0]; }
    return node.op + "(" + terms.join(", ") + ")";
  };

  Narrator.prototype.forward = function (i, values) {
    var node = this.graph.nodes[i];
    if (node.op === null) {
      if (node.constant) { return shown(values[i]) + " is " + ROLE_WORDS.constant; }
      return node.name + " = " + shown(values[i]) + ", " + own(ROLE_WORDS, node.role);
    }
    return node.name + " = " + this.expression(i, values, false) + " = " +
      this.expression(i, values, true) + " = " + shown(values[i]);
  };

  /** The local derivative's formula for operand k of node i, with names or numbers ("" if none). */
  Narrator.prototype.formula = function (i, k, values, numbers) {
    var node = this.graph.nodes[i];
    var op = own(this.ops, node.op);
    if (!op || k >= op.formulas.length) { return ""; }
    var fill = Object.create(null);  // an attr may have any name
    fill.out = numbers ? shown(values[i], true) : grouped(node.name);
    fill.a = this.term(node.parents[0], values, numbers);
    fill.b = this.term(node.parents[node.parents.length - 1], values, numbers);
    op.attrs.forEach(function (name, j) { fill[name] = py.formatG(node.attrs[j], 6); });
    return op.formulas[k].replace(/\{(\w+)\}/g, function (whole, key) {
      return own(fill, key) !== undefined ? fill[key] : whole;
    });
  };

  Narrator.prototype.backward = function (step, values) {
    var node = grouped(this.graph.nodes[step.node].name);
    var parent = grouped(this.graph.nodes[step.parent].name);
    var local = shown(step.local);
    var isLocal = function (text) { return text === local || text === shown(step.local, true); };
    var parts = ["∂" + node + "/∂" + parent];
    var symbolic = this.formula(step.node, step.operand, values, false);
    if (symbolic) {
      parts.push(symbolic);
      var numeric = this.formula(step.node, step.operand, values, true);
      if (numeric !== symbolic && !isLocal(numeric)) { parts.push(numeric); }
    }
    var last = parts[parts.length - 1];
    if (!isLocal(last) && Number(last) !== step.local) { parts.push(local); }
    var text = parts.join(" = ") + ";  " + parent + ".grad += " + local + " × " +
      shown(step.upstream) + " = " + shown(step.contribution);
    if (step.parentGrad !== step.contribution) { text += " → " + shown(step.parentGrad); }
    return text;
  };

  Narrator.prototype.summary = function (grads) {
    var graph = this.graph;
    var rootName = graph.nodes[graph.nodes.length - 1].name;
    var root = grouped(rootName);
    var lines = [];
    graph.nodes.forEach(function (node, i) {
      if (node.op !== null || node.constant || i === graph.nodes.length - 1) { return; }
      var g = grads[i];
      lines.push("∂" + root + "/∂" + grouped(node.name) + " = " + shown(g) + ": raising " +
        node.name + " by 0.01 changes " + rootName + " by about 0.01 × " + shown(g, true) + " = " +
        shown(0.01 * g) + (g > 0 ? " (up)" : g < 0 ? " (down)" : " (no change)"));
    });
    return lines.join("\n");
  };

  return { Narrator: Narrator, shown: shown };
}(chainrule_pyformat));
