/* One redraw of the whole page from the state, in order.
 *
 * draw(state, view, throttled, now) works out backprop for the chosen sample (view.q, or
 * view.bpError when the weights overflow) and the BP1–BP4 walk (view.walk), then redraws the
 * controls, the network, the heatmaps (computing their grids again when stale; while
 * training plays, at most every 250 ms and every five times as long as that takes), the
 * points, the loss curves, the walk's caption, the inspector, the weight editor and the
 * hover card. While training plays the
 * caption and the inspector are marked aria-busy.
 */
var chainrule_playground_draw = (function (dom, heatmap, curves, walk, network, inspector,
  controls, ownData, layers, compare, weightEditor, hovercard) {
  "use strict";

  function draw(state, view, throttled, now) {
    view.q = null;
    view.bpError = null;
    try { view.q = state.trainer.bp(state.sample); } catch (error) {
      view.bpError = dom.message(error);
    }
    view.walk = state.walk === null || !view.q ? null : walk.steps(view.q, state);
    var gridsDue = !view.grids || (view.grids.stale &&
      (!throttled || now - view.lastGrids > Math.max(250, 5 * view.gridCost)));
    controls.draw(state);
    ownData.draw(state);
    layers.draw(state);
    network.draw(state, view);
    if (gridsDue) { heatmap.compute(state, view); }
    heatmap.draw(state, view);
    heatmap.drawPoints(state, view);
    curves.draw(state.history);
    compare.draw(state);
    walk.draw(state, view);
    inspector.draw(state, view);
    weightEditor.draw(state);
    hovercard.draw(state, view);
    var busy = String(state.playing);
    ["caption", "inspector"].forEach(function (id) { dom.$(id).setAttribute("aria-busy", busy); });
  }

  return { draw: draw };
}(chainrule_playground_dom, chainrule_playground_heatmap, chainrule_playground_curves,
  chainrule_playground_walk, chainrule_playground_network, chainrule_playground_inspector,
  chainrule_playground_controls, chainrule_playground_own, chainrule_playground_layers,
  chainrule_playground_compare, chainrule_playground_weight_editor,
  chainrule_playground_hovercard));
