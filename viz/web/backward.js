/* Backprop: the one backward loop of both pages, engine/backprop.py in JavaScript.
 *
 * A graph is given as flat lists by node position, in topological order (every operand
 * before the node that uses it): operands[i] (empty for a leaf or a constant), constant[i]
 * (true for a number in the formula, which takes no gradient) and locals[i], the node's
 * local derivatives, ∂node/∂operand k at locals[i][offset + k] (offset 1 when locals[i] is
 * a kernel's whole result [value, ∂/∂a, ∂/∂b, …], 0 when it holds the derivatives only).
 *
 * backward() sets grads[root] = 1, every other grad to 0, then from the root back to the
 * first node applies the chain rule to every edge into a non-constant:
 * grads[parent] += local × grads[node]. Given a `steps` array, it also records each step
 * there, in that order, for the step-through page to show one by one; the playground,
 * which only wants the gradients, passes none.
 */
var chainrule_backward = (function () {
  "use strict";

  function backward(operands, constant, locals, offset, grads, root, steps) {
    grads.fill(0.0);
    grads[root] = 1.0;
    for (var i = root; i >= 0; i -= 1) {
      var parents = operands[i];
      var upstream = grads[i];
      for (var k = 0; k < parents.length; k += 1) {
        var p = parents[k];
        if (constant[p]) { continue; }
        var local = locals[i][offset + k];
        var contribution = local * upstream;
        grads[p] += contribution;
        if (steps) {
          steps.push({ node: i, operand: k, parent: p, local: local, upstream: upstream,
            contribution: contribution, parentGrad: grads[p] });
        }
      }
    }
    return grads;
  }

  return { backward: backward };
}());
