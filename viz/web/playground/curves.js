/* The loss curves: the training and the test loss over the steps trained, and their values.
 *
 * draw(history) takes the entries {epoch, steps, train, test} the state records, writes the
 * last losses, and draws both curves (test dashed) in the 240 × 60 SVG, at most about 240
 * points each, scaled to the highest loss shown; the SVG's aria-label says the same in words.
 */
var chainrule_playground_curves = (function (pyformat, dom) {
  "use strict";

  var $ = dom.$;

  function draw(history) {
    var last = history[history.length - 1];
    var show = function (x) { return isFinite(x) ? pyformat.formatG(x, 4) : "–"; };
    $("loss-train").textContent = show(last.train);
    $("loss-test").textContent = show(last.test);
    var svg = $("curve");
    var points = history;
    var stride = Math.max(1, Math.ceil(points.length / 240));
    var sampled = points.filter(function (_, i) {
      return i % stride === 0 || i === points.length - 1;
    });
    var top = 0;
    sampled.forEach(function (p) {
      [p.train, p.test].forEach(function (x) { if (isFinite(x)) { top = Math.max(top, x); } });
    });
    top = top || 1;
    var span = Math.max(1, last.steps - points[0].steps);
    var line = function (key) {
      return sampled.filter(function (p) { return isFinite(p[key]); }).map(function (p) {
        var x = (p.steps - points[0].steps) / span * 236 + 2;
        var y = 58 - p[key] / top * 54;
        return x.toFixed(1) + "," + y.toFixed(1);
      }).join(" ");
    };
    svg.innerHTML = "";
    [["train", ""], ["test", "4 3"]].forEach(function (pair) {
      var poly = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
      poly.setAttribute("points", line(pair[0]));
      poly.setAttribute("class", "curve-" + pair[0]);
      if (pair[1]) { poly.setAttribute("stroke-dasharray", pair[1]); }
      svg.appendChild(poly);
    });
    svg.setAttribute("aria-label", dom.t("playground.loss_curves_over", { epochs: last.epoch,
      train: show(last.train), test: show(last.test), top: show(top) }));
  }

  return { draw: draw };
}(chainrule_pyformat, chainrule_playground_dom));
