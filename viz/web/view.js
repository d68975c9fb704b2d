/* The picture: Graphviz's SVG of the graph, laid out once in Python, restyled for every frame.
 *
 * Python draws every node with fixed-width rows (name, "data …", "grad …") and every edge with
 * two label lines ("local …", "× upstream = carried"), all in a monospace font and padded, so
 * writing new numbers never moves anything. paint(state) writes the numbers, the colours
 * (blue > 0, orange < 0, grey 0 or unknown), the edge widths (|gradient carried|) and the
 * active edge (magenta and dashed, so colour is never the only signal). The viewBox gives
 * zoom and pan: wheel, pinch, drag, buttons, and focus(), which frames the active edge.
 */
var chainrule_view = (function (py) {
  "use strict";

  var COLOURS = { positive: "#1d4ed8", negative: "#c2410c", neutral: "#5b6472", active: "#c026d3" };
  var NBSP = "\u00a0";
  var MIN_WIDTH = 1.0;
  var MAX_WIDTH = 5.0;

  function signColour(x) {
    if (x > 0) { return COLOURS.positive; }
    if (x < 0) { return COLOURS.negative; }
    return COLOURS.neutral;
  }

  function penWidth(x, largest) {
    if (!(largest > 0) || !isFinite(x)) { return MIN_WIDTH; }
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * Math.min(Math.abs(x) / largest, 1);
  }

  /** A number with its sign always written: "+0.5", "-1.5", "0.0". */
  function signed(x) {
    var text = py.number(x);
    return x > 0 ? "+" + text : text;
  }

  function pad(text, width) {
    return text.length >= width ? text : text + NBSP.repeat(width - text.length);
  }

  function View(svg, graph, widths) {
    this.svg = svg;
    this.graph = graph;
    this.widths = widths;
    this.nodes = graph.nodes.map(function (node, i) { return nodeParts(svg, i); });
    this.edges = {};
    var self = this;
    graph.nodes.forEach(function (node, i) {
      node.parents.forEach(function (p, k) {
        self.edges[i + "_" + k] = edgeParts(svg, i, k);
      });
    });
    var box = svg.viewBox.baseVal;
    this.full = { x: box.x, y: box.y, width: box.width, height: box.height };
    this.box = Object.assign({}, this.full);
  }

  function nodeParts(svg, i) {
    var group = svg.querySelector("#v" + i);
    var texts = group ? Array.prototype.slice.call(group.querySelectorAll("text")) : [];
    function starting(prefix) {
      return texts.find(function (t) { return t.textContent.indexOf(prefix) === 0; }) || null;
    }
    return {
      group: group,
      frame: group ? group.querySelector("path") : null,
      data: starting("data"),
      grad: starting("grad"),
      op: svg.querySelector("#op" + i),
      flow: svg.querySelector("#o" + i)
    };
  }

  function edgeParts(svg, i, k) {
    var group = svg.querySelector("#e" + i + "_" + k);
    var texts = group ? group.querySelectorAll("text") : [];
    return {
      group: group,
      path: group ? group.querySelector("path") : null,
      arrow: group ? group.querySelector("polygon") : null,
      local: texts[0] || null,
      carried: texts[1] || null
    };
  }

  function stroke(path, arrow, colour, width, dashed) {
    if (path) {
      path.setAttribute("stroke", colour);
      path.setAttribute("stroke-width", String(width));
      if (dashed) { path.setAttribute("stroke-dasharray", "6,3"); }
      else { path.removeAttribute("stroke-dasharray"); }
    }
    if (arrow) {
      arrow.setAttribute("stroke", colour);
      arrow.setAttribute("fill", colour);
    }
  }

  /**
   * state: {values: number|null per node, grads: number|null per node,
   *         carried: {"i_k": [upstream, carried]}, active: {node, operand}|{node}|null}
   */
  View.prototype.paint = function (state) {
    var self = this;
    var largest = 0;
    Object.keys(state.carried).forEach(function (key) {
      largest = Math.max(largest, Math.abs(state.carried[key][1]));
    });
    state.grads.forEach(function (g) { if (g !== null) { largest = Math.max(largest, Math.abs(g)); } });
    var active = state.active;
    this.graph.nodes.forEach(function (node, i) {
      var parts = self.nodes[i];
      var value = state.values[i];
      if (parts.data) {
        parts.data.textContent = pad("data " + (value === null ? "—" : py.number(value)), self.widths.data);
      }
      var g = state.grads[i];
      if (parts.grad) {
        parts.grad.textContent = pad("grad " + (g === null ? "—" : signed(g)), self.widths.grad);
        parts.grad.setAttribute("fill", g === null ? COLOURS.neutral : signColour(g));
      }
      var lit = active && (active.node === i || active.parent === i);
      if (parts.frame) {
        parts.frame.setAttribute("stroke", lit ? COLOURS.active : "transparent");
        parts.frame.setAttribute("stroke-width", lit ? "3" : "1");
      }
      if (parts.op) {
        var ellipse = parts.op.querySelector("ellipse");
        var opLit = active && active.node === i;
        if (ellipse) {
          ellipse.setAttribute("stroke", opLit ? COLOURS.active : "#4b5563");
          ellipse.setAttribute("stroke-width", opLit ? "3" : "1");
        }
      }
      if (parts.flow) {
        var flowPath = parts.flow.querySelector("path");
        var flowArrow = parts.flow.querySelector("polygon");
        if (g === null) { stroke(flowPath, flowArrow, COLOURS.neutral, MIN_WIDTH, false); }
        else { stroke(flowPath, flowArrow, signColour(g), penWidth(g, largest), false); }
      }
      node.parents.forEach(function (p, k) {
        var edge = self.edges[i + "_" + k];
        var key = i + "_" + k;
        var entry = state.carried[key];
        var isActive = active && active.operand === k && active.node === i;
        if (edge.local) {
          var local = state.locals[i] ? py.number(state.locals[i][k]) : "—";
          edge.local.textContent = pad("local " + local, self.widths.local);
        }
        if (edge.carried) {
          edge.carried.textContent = pad(entry ? "× " + py.number(entry[0]) + " = " + signed(entry[1]) : "",
            self.widths.carried);
        }
        var colour = isActive ? COLOURS.active : entry ? signColour(entry[1]) : COLOURS.neutral;
        var width = entry ? penWidth(entry[1], largest) : MIN_WIDTH;
        stroke(edge.path, edge.arrow, colour, isActive ? Math.max(width, 3) : width, isActive);
        if (edge.group) { edge.group.classList.toggle("active", Boolean(isActive)); }
        [edge.local, edge.carried].forEach(function (t) {
          if (t) { t.setAttribute("fill", isActive ? COLOURS.active : "currentColor"); }
        });
      });
    });
  };

  /* --- zoom and pan ------------------------------------------------------------------------ */

  View.prototype.setBox = function (box) {
    this.box = box;
    this.svg.setAttribute("viewBox", [box.x, box.y, box.width, box.height].join(" "));
  };

  View.prototype.fit = function () { this.setBox(Object.assign({}, this.full)); };

  /** Zoom by factor around the point (fx, fy), given as fractions of the view (0.5 = centre). */
  View.prototype.zoom = function (factor, fx, fy) {
    var b = this.box;
    var width = Math.min(Math.max(b.width / factor, this.full.width / 40), this.full.width * 4);
    var height = width * b.height / b.width;
    var cx = b.x + b.width * (fx === undefined ? 0.5 : fx);
    var cy = b.y + b.height * (fy === undefined ? 0.5 : fy);
    var rx = fx === undefined ? 0.5 : fx;
    var ry = fy === undefined ? 0.5 : fy;
    this.setBox({ x: cx - width * rx, y: cy - height * ry, width: width, height: height });
  };

  /** Move the view by (dx, dy) screen pixels. */
  View.prototype.pan = function (dx, dy) {
    var rect = this.svg.getBoundingClientRect();
    var b = this.box;
    var scale = b.width / Math.max(rect.width, 1);
    this.setBox({ x: b.x - dx * scale, y: b.y - dy * scale, width: b.width, height: b.height });
  };

  /**
   * Show the whole graph if its labels (fontSize SVG units tall) are at least minPixels tall on
   * screen; otherwise centre the given elements at the zoom that makes them that tall.
   */
  View.prototype.focus = function (elements, fontSize, minPixels) {
    var rect = this.svg.getBoundingClientRect();
    if (!rect.width || !rect.height) { return; }
    var fullScale = Math.min(rect.width / this.full.width, rect.height / this.full.height);
    if (fontSize * fullScale >= minPixels) { this.fit(); return; }
    var boxes = elements.filter(Boolean).map(function (el) { return el.getBBox(); });
    if (!boxes.length) { return; }
    var x0 = Math.min.apply(null, boxes.map(function (b) { return b.x; }));
    var y0 = Math.min.apply(null, boxes.map(function (b) { return b.y; }));
    var x1 = Math.max.apply(null, boxes.map(function (b) { return b.x + b.width; }));
    var y1 = Math.max.apply(null, boxes.map(function (b) { return b.y + b.height; }));
    var graphGroup = this.svg.querySelector("g.graph");
    var matrix = graphGroup ? graphGroup.transform.baseVal.consolidate() : null;
    var tx = matrix ? matrix.matrix.e : 0;
    var ty = matrix ? matrix.matrix.f : 0;
    var scale = minPixels / fontSize * 1.1;  // screen pixels per unit needed for legible text
    var width = rect.width / scale;
    var height = rect.height / scale;
    var cx = (x0 + x1) / 2 + tx;
    var cy = (y0 + y1) / 2 + ty;
    this.setBox({ x: cx - width / 2, y: cy - height / 2, width: width, height: height });
  };

  return { View: View, signColour: signColour, penWidth: penWidth, signed: signed };
}(chainrule_pyformat));
