/* Captions: each frame of the page in words, from the op table's formulas and the numbers.
 *
 *   forward    n = t1 + b = -6.0 + 6.8814 = 0.8814
 *   backward   ∂o/∂n = 1 − o² = 1 − 0.99999952956² = 9.409e-07;  n.grad += …
 *   summary    ∂o/∂w1 = 1.0: raising w1 by 0.01 changes o by about 0.01 × 1.0 = 0.01
 *
 * Every equation checks: its numbers have just enough digits that it, recomputed from the
 * digits shown, gives the result shown (py.agreeing, as engine/narration.py's agreeing).
 * Formulas use the placeholders of engine/optable.py: {a} and {b} the operands, {out} the
 * op's value; each node's own formulas come from Python with its attrs as numbers (2·{a}
 * for x ** 2). An op without formulas shows its number. The words around the formulas are
 * the catalogue's (engine/messages/captions.json), in the page's current language: each
 * caption is written when it is shown, so a switch of language rewrites it (i18n.js).
 */
var chainrule_narration = (function (py, kernels, i18n) {
  "use strict";

  var TIGHT = { "·": true, "^": true };
  var LEAF_ROLES = { parameter: true, input: true, output: true, computed: true };

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

  function parens(text, x) { return x < 0 ? "(" + text + ")" : text; }

  var SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

  /** x², or x^0.5: how a power is written everywhere (engine.narration.power_text). */
  function power(base, k) {
    if (Number.isInteger(k) && k >= 0 && k <= 9) { return base + SUPERSCRIPT[k]; }
    return base + "^" + py.formatG(k, 6);
  }

  /** kernels[name][op] when the op has it, else undefined (any op name is safe). */
  function kernel(name, op) {
    var map = kernels && kernels[name];
    return map && Object.prototype.hasOwnProperty.call(map, op) ? map[op] : undefined;
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

  /** The op applied to its operands, with names or with numbers: x1·w1, tanh(n), x².
   *
   * With numbers, the operands have the digits that make the equation check. */
  Narrator.prototype.expression = function (i, values, numbers) {
    var self = this;
    var node = this.graph.nodes[i];
    var op = own(this.ops, node.op) || { infix: "", symbol: node.op };
    var call = !op.infix;  // name(x, y): the parentheses group already
    var terms = node.parents.map(function (p) { return self.term(p, values, numbers, call); });
    if (numbers) {
      var value = kernel("values", node.op);
      var operands = node.parents.map(function (p) { return values[p]; });
      var texts = typeof value === "function" ? py.agreeing(operands, function (xs) {
        return value.apply(null, xs.concat(node.attrs));
      }, values[i]) : operands.map(function (x) { return py.number(x); });
      terms = texts.map(function (text, k) { return call ? text : parens(text, operands[k]); });
    }
    if (op.infix && terms.length === 2) {
      var gap = own(TIGHT, op.infix) ? "" : " ";
      if (numbers && op.infix !== "^") { terms[0] = terms[0].replace(/^\((.*)\)$/, "$1"); }  // -6.0 + 6.881
      return terms[0] + gap + op.infix + gap + terms[1];
    }
    if (op.infix && terms.length === 1 && node.attrs.length === 1) {
      if (op.infix === "^") { return power(terms[0], node.attrs[0]); }
      return terms[0] + op.infix + py.formatG(node.attrs[0], 6);
    }
    if (op.infix && terms.length === 1) { return op.infix + terms[0]; }
    return node.op + "(" + terms.join(", ") + ")";
  };

  /** What a node made by a recorded backward pass is there (engine's Role.describe):
   *  ∂o/∂n, made a node by create_graph. */
  function made(backward) {
    if (backward.kind === "local") { return i18n.t("captions.made_local", { edge: backward.edge }); }
    if (backward.kind === "product") { return i18n.t("captions.made_product", { edge: backward.edge }); }
    return i18n.t("captions.made_sum", { node: backward.node });
  }

  /** A forward frame's words; a node a recorded backward pass made says what it is there:
   *  t7 = 1 − t6 = 1 − 0.5 = 0.5 (∂o/∂n, made a node by create_graph). */
  Narrator.prototype.forward = function (i, values) {
    var node = this.graph.nodes[i];
    var role = node.backward ? i18n.t("captions.made", { what: made(node.backward) }) : "";
    if (node.op === null) {
      if (node.constant) { return i18n.t("captions.constant", { value: shown(values[i]), made: role }); }
      var kind = own(LEAF_ROLES, node.role) ? node.role : "computed";
      return i18n.t("captions.leaf_" + kind, { name: node.name, value: shown(values[i]), made: role });
    }
    return node.name + " = " + this.expression(i, values, false) + " = " +
      this.expression(i, values, true) + " = " + shown(values[i]) + role;
  };

  /** The local derivative's formula for operand k of node i, with names or numbers ("" if none).
   *
   * With numbers, they have the digits that make it give local (the derivative shown). */
  Narrator.prototype.formula = function (i, k, values, numbers, local) {
    var node = this.graph.nodes[i];
    var op = own(this.ops, node.op);
    var template = node.formulas && k < node.formulas.length ? node.formulas[k]
      : op && k < op.formulas.length ? op.formulas[k] : "";
    if (!template) { return ""; }
    var fill = Object.create(null);  // an attr may have any name
    var first = node.parents[0];
    var last = node.parents[node.parents.length - 1];
    if (numbers) {
      var data = [values[first], values[last], values[i]];
      var formula = kernel("shown", node.op);
      var arity = node.parents.length;
      var compute = function (xs) {
        return formula.apply(null, xs.slice(0, arity).concat([xs[2]], node.attrs))[k];
      };
      var texts = typeof formula === "function" && local !== undefined && compute(data) === compute(data)
        ? py.agreeing(data, compute, local) : data.map(function (x) { return py.number(x); });
      fill.a = parens(texts[0], data[0]);
      fill.b = parens(texts[1], data[1]);
      fill.out = parens(texts[2], data[2]);
    } else {
      fill.out = grouped(node.name);
      fill.a = this.term(first, values, false);
      fill.b = this.term(last, values, false);
    }
    (op ? op.attrs : []).forEach(function (name, j) { fill[name] = py.formatG(node.attrs[j], 6); });
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
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
      var numeric = this.formula(step.node, step.operand, values, true, step.local);
      if (numeric !== symbolic && !isLocal(numeric)) { parts.push(numeric); }
    }
    var last = parts[parts.length - 1];
    if (!isLocal(last) && Number(last) !== step.local) { parts.push(local); }
    var product = py.agreeing([step.local, step.upstream], function (xs) { return xs[0] * xs[1]; },
      step.contribution);
    var text = parts.join(" = ") + ";  " + parent + ".grad += " + product[0] + " × " +
      product[1] + " = " + shown(step.contribution);
    if (step.parentGrad !== step.contribution) { text += " → " + shown(step.parentGrad); }
    return text;
  };

  /** The title of a Summary's group: "layer 1", "output layer 2", "inputs", "loss". */
  function groupTitle(group) {
    return i18n.t("captions.group_" + group.kind, { layer: group.layer });
  }

  /** The leaves' gradients for the Summary: grouped by layer (in the graph's order), each
   * group largest |gradient| first; a graph drawn without a model has one untitled group.
   * [{title, rows: [{name, grad}]}] */
  Narrator.prototype.summaryGroups = function (grads) {
    var graph = this.graph;
    var groups = [];
    var byTitle = Object.create(null);
    graph.nodes.forEach(function (node, i) {
      if (node.op !== null || node.constant || i === graph.nodes.length - 1) { return; }
      var title = node.group ? groupTitle(node.group) : "";
      if (!byTitle[title]) { byTitle[title] = { title: title, rows: [] }; groups.push(byTitle[title]); }
      byTitle[title].rows.push({ name: node.name, grad: grads[i] });
    });
    groups.forEach(function (group) {
      group.rows.sort(function (p, q) { return Math.abs(q.grad) - Math.abs(p.grad); });
    });
    return groups;
  };

  /** The Summary's heading: what the numbers of its table mean. */
  Narrator.prototype.summaryHeading = function () {
    var rootName = this.graph.nodes[this.graph.nodes.length - 1].name;
    return i18n.t("captions.summary_heading", { root: grouped(rootName), name: rootName });
  };

  /** The Summary as text: the heading, then one line per group, "name gradient" each. */
  Narrator.prototype.summary = function (grads) {
    var lines = [this.summaryHeading()];
    this.summaryGroups(grads).forEach(function (group) {
      var rows = group.rows.map(function (row) { return row.name + " " + shown(row.grad); }).join(", ");
      lines.push(group.title ? i18n.t("captions.summary_line", { group: group.title, rows: rows }) : rows);
    });
    return lines.join("\n");
  };

  return { Narrator: Narrator, shown: shown, power: power };
}(chainrule_pyformat, typeof chainrule_ops === "undefined" ? null : chainrule_ops, chainrule_i18n));
