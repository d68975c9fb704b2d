/* The page's engine: the recorded graph recomputed from its leaves, as engine/fast.py does it.
 *
 * A graph comes from Python (viz/step_page.py) as nodes in topological order, each with its
 * op's name, its parents' positions and attrs. compute(leafValues) runs every op's kernel
 * (chainrule_ops, generated from the op table) in that order, then backprop (backward.js, the playground's loop too):
 * parent.grad += local × node.grad, node by node from the root, skipping edges into
 * constants, each step recorded to be shown. The numbers are Python's: the same kernels, the
 * same order, float64 throughout. An op whose kernel fails, or whose value or local
 * derivative is not finite, stops the computation with the message the Python engine gives.
 */
var chainrule_engine = (function (py, ops, backprop) {
  "use strict";

  var NAMES = ["a", "b"];  // an op takes one or two operands (engine/checks.py operand_names)

  function operandNames(count) { return count === 1 ? ["x"] : NAMES.slice(0, count); }

  /** An operand as engine/checks.py writes it: its label and number (x = -1.0), or its number. */
  function operandText(node, value) {
    return node.label ? node.label + " = " + py.repr(value) : py.repr(value);
  }

  function where(graph, i, values) {
    var node = graph.nodes[i];
    var given = node.parents.map(function (p) { return operandText(graph.nodes[p], values[p]); });
    if (given.length === 1) { return ops.text("engine.where_one", { op: node.op, operand: given[0] }); }
    return ops.text("engine.where_two", { op: node.op, first: given[0], second: given[1] });
  }

  /** detail (where): an error of the op's kernel, with the op and its operands. */
  function located(detail, graph, i, values) {
    return ops.text("engine.located", { detail: detail, where: where(graph, i, values) });
  }

  function notFinite(graph, i, numbers, values) {
    var node = graph.nodes[i];
    var what;
    if (!isFinite(numbers[0])) {
      what = ops.text("engine.its_value", { value: py.repr(numbers[0]) });
    } else {
      var k = numbers.slice(1).findIndex(function (g) { return !isFinite(g); });
      what = ops.text("engine.its_local_derivative",
        { operand: operandNames(node.parents.length)[k], value: py.repr(numbers[k + 1]) });
    }
    var at = where(graph, i, values);
    if (numbers.some(function (x) { return x !== x; })) {
      return { kind: "DomainError",
        message: ops.text("engine.not_a_number", { op: node.op, what: what, where: at }) };
    }
    var own = ops.overflow[node.op];
    if (own) {  // the op's own words, its attrs filled in: "x ** 2 overflows a float"
      var attrs = {};
      ops.params[node.op].slice(node.parents.length).forEach(function (name, k) {
        attrs[name] = node.attrs[k];
      });
      return { kind: "NumberOverflowError",
        message: ops.text("engine.located", { detail: ops.say(own, attrs), where: at }) };
    }
    return { kind: "NumberOverflowError",
      message: ops.text("engine.overflows", { op: node.op, what: what, where: at }) };
  }

  /** Every value, local derivative and gradient for the given leaf values (by node position). */
  function compute(graph, leafValues) {
    var n = graph.nodes.length;
    var values = new Array(n);
    var locals = new Array(n);
    for (var i = 0; i < n; i += 1) {
      var node = graph.nodes[i];
      if (node.op === null) {
        values[i] = i in leafValues ? leafValues[i] : node.data;
        locals[i] = [];
        continue;
      }
      var kernel = node.registered && Object.prototype.hasOwnProperty.call(ops.kernels, node.op)
        ? ops.kernels[node.op] : undefined;
      if (typeof kernel !== "function") {
        return { error: { kind: "NoKernel", message: ops.text("engine.no_kernel", { op: node.op }) } };
      }
      var args = node.parents.map(function (p) { return values[p]; }).concat(node.attrs);
      var result;
      try {
        result = kernel.apply(null, args);
      } catch (error) {
        if (!(error instanceof ops.KernelError)) { throw error; }
        var detail = error.message === ops.PYTHON_DIVISION_BY_ZERO
          ? ops.text("engine.float_division_by_zero") : error.message;
        return { error: { kind: error.kind, message: located(detail, graph, i, values) } };
      }
      if (!result.every(isFinite)) { return { error: notFinite(graph, i, result, values) }; }
      values[i] = result[0];
      locals[i] = result.slice(1);
    }
    return { values: values, locals: locals, steps: backward(graph, locals) };
  }

  /** Backprop as a list of steps, one per edge into a non-constant, in the engine's order. */
  function backward(graph, locals) {
    var nodes = graph.nodes;
    var operands = nodes.map(function (node) { return node.op === null ? [] : node.parents; });
    var constant = nodes.map(function (node) { return Boolean(node.constant); });
    var grads = new Array(nodes.length);
    var steps = [];
    backprop.backward(operands, constant, locals, 0, grads, nodes.length - 1, steps);
    return { list: steps, grads: grads };
  }

  /** The numbers Python recorded, for a graph with an op this page cannot recompute. */
  function recorded(graph) {
    var values = graph.nodes.map(function (node) { return node.data; });
    var locals = graph.nodes.map(function (node) { return node.localGrads; });
    return { values: values, locals: locals, steps: backward(graph, locals), frozen: true };
  }

  return { compute: compute, recorded: recorded, operandNames: operandNames };
}(chainrule_pyformat, chainrule_ops, chainrule_backward));
