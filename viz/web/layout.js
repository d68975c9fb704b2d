/* Lay a graph out in the browser, when Python had no Graphviz `dot` to do it.
 *
 * The page carries each diagram's DOT source (JSON in <script id="chainrule-dot">) and
 * viz-js (viz/web/vendor/viz-global.js: Graphviz compiled to WebAssembly, the global Viz).
 * layOut() turns the sources into SVG elements shaped as Python shapes Graphviz's SVG
 * (viz/step_page.py): no fixed width or height, and every backward-made node's box given
 * data-role="local" (or product, sum) from its class "backward-made role-local".
 * boxes() is viz/svg_layout.py's layout_boxes, line for line: where each node and edge is,
 * so the step page frames a step without measuring it. failed() says so on the page.
 */
var chainrule_layout = (function () {
  "use strict";

  var CHAR_WIDTH = 0.62;  // a character's width in ems, as svg_layout.CHAR_WIDTH
  var NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
  var TRANSLATE = /translate\(\s*(-?[\d.]+)[ ,]+(-?[\d.]+)\s*\)/;

  /** The DOT sources the page embeds (an array), or null on a page Python laid out. */
  function sources() {
    var element = document.getElementById("chainrule-dot");
    return element === null ? null : JSON.parse(element.textContent);
  }

  /** A promise of one SVG element per DOT source, shaped as Python shapes dot's SVG. */
  function layOut(dots) {
    return Viz.instance().then(function (viz) {
      return dots.map(function (dot) { return prepare(viz.renderSVGElement(dot)); });
    });
  }

  function prepare(svg) {
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    // the word joiners browser_layout.cjk_padded added so viz-js measures Chinese wide enough
    svg.querySelectorAll("text").forEach(function (text) {
      if (text.textContent.indexOf("\u2060") >= 0) {
        text.textContent = text.textContent.replace(/\u2060/g, "");
      }
    });
    svg.querySelectorAll("g.node.backward-made").forEach(function (box) {
      box.classList.forEach(function (name) {
        var role = /^role-(\w+)$/.exec(name);
        if (role) { box.setAttribute("data-role", role[1]); }
      });
    });
    return svg;
  }

  /** {boxes, labels}: each node's and edge's box [x0, y0, x1, y1] by id, each edge label's. */
  function boxes(svg) {
    var dx = 0, dy = 0;
    var result = { boxes: {}, labels: {} };
    svg.querySelectorAll("g").forEach(function (group) {
      var kind = (group.getAttribute("class") || "").split(/\s+/)[0];
      if (kind === "graph") {
        var move = TRANSLATE.exec(group.getAttribute("transform") || "");
        if (move) { dx = Number(move[1]); dy = Number(move[2]); }
        return;
      }
      var name = group.getAttribute("id");
      if ((kind !== "node" && kind !== "edge") || !name) { return; }
      var inside = [group].concat(Array.prototype.slice.call(group.querySelectorAll("*")));
      var shapes = union(inside.map(shapeBox));
      var texts = union(inside.map(textBox));
      var whole = union([shapes, texts]);
      if (whole !== null) { result.boxes[name] = moved(whole, dx, dy); }
      if (kind === "edge" && texts !== null) { result.labels[name] = moved(texts, dx, dy); }
    });
    return result;
  }

  function union(list) {
    var present = list.filter(function (box) { return box !== null; });
    if (present.length === 0) { return null; }
    var pick = function (k, f) { return f.apply(null, present.map(function (b) { return b[k]; })); };
    return [pick(0, Math.min), pick(1, Math.min), pick(2, Math.max), pick(3, Math.max)];
  }

  function moved(box, dx, dy) {
    var round = function (v) { return Math.round(v * 10) / 10; };
    return [round(box[0] + dx), round(box[1] + dy), round(box[2] + dx), round(box[3] + dy)];
  }

  function number(element, name) { return Number(element.getAttribute(name) || 0); }

  /** A path's points (a Bézier curve stays inside them), a polygon's, an ellipse's; else null. */
  function shapeBox(element) {
    var tag = element.localName;
    if (tag === "ellipse") {
      var cx = number(element, "cx"), cy = number(element, "cy");
      var rx = number(element, "rx"), ry = number(element, "ry");
      return [cx - rx, cy - ry, cx + rx, cy + ry];
    }
    var points = tag === "path" ? element.getAttribute("d") : null;
    if (tag === "polygon" || tag === "polyline") { points = element.getAttribute("points"); }
    var numbers = (points || "").match(NUMBER);
    if (numbers === null || numbers.length < 2) { return null; }
    var xs = [], ys = [];
    numbers.forEach(function (n, i) { (i % 2 ? ys : xs).push(Number(n)); });
    return [Math.min.apply(null, xs), Math.min.apply(null, ys),
      Math.max.apply(null, xs), Math.max.apply(null, ys)];
  }

  function textBox(element) {
    if (element.localName !== "text") { return null; }
    var size = Number(element.getAttribute("font-size") || "14");
    var width = Array.from(element.textContent).length * size * CHAR_WIDTH;
    var x = number(element, "x"), y = number(element, "y");
    var anchor = element.getAttribute("text-anchor") || "start";
    var left = anchor === "middle" ? x - width / 2 : anchor === "end" ? x - width : x;
    return [left, y - size * 0.85, left + width, y + size * 0.3];
  }

  /** Show, in the hidden alert `element`, that the browser could not lay the graph out: in
   * the page's language when it carries the catalogue's page.layout_failed (i18n.js). */
  function failed(error, element) {
    var reason = String((error && error.message) || error).replace(/\.+$/, "");
    var i18n = typeof chainrule_i18n === "undefined" ? null : chainrule_i18n;
    element.textContent = i18n && i18n.has("page.layout_failed")
      ? i18n.t("page.layout_failed", { error: reason })
      : "This page could not draw its graph: laying it out in the browser " +
        "(Graphviz compiled to WebAssembly) failed: " + reason +
        ". Write the page again where Graphviz's dot program is installed.";
    element.hidden = false;
  }

  return { sources: sources, layOut: layOut, boxes: boxes, failed: failed };
}());
