/* The picture: Graphviz's SVG of the graph, laid out once in Python, restyled for every frame.
 *
 * Python draws every node with fixed-width rows (name, "data …", "grad …") and every edge with
 * two label lines ("local …", "× upstream = carried"), all in a monospace font and padded, so
 * writing new numbers never moves anything. paint(state) writes the numbers, the colours
 * (blue > 0, orange < 0, grey 0 or unknown), the edge widths (|gradient carried|) and the
 * active edge (magenta and dashed, so colour is never the only signal).
 *
 * Painting at size: an element's numbers and colours are written only when they differ from
 * what it shows, and first only for the elements in (or near) the view and the active ones;
 * the rest are brought up to date in idle time, a slice at a time, or as soon as a zoom or a
 * pan brings them into view. Where every element is comes from Python (the page's JSON: the
 * boxes Graphviz laid out), so framing a step never measures the page.
 *
 * The zoom model, one state a learner can see (view(): {viewBox, fit, follow}):
 *   fit      the whole graph is shown, and stays shown through every step, until the learner
 *            zooms, pans or turns Follow on;
 *   follow   each step keeps the active node and edge in view, at the learner's zoom, moving
 *            only when they leave the view; the frames with nothing active (the one that
 *            starts the forward pass, the summary) show every node;
 *   neither  the view stays where the learner put it.
 * The page opens fitted when the whole graph's smallest text is legible (LEGIBLE_PIXELS on
 * screen), else following, framed on the first frame's node at a legible zoom.
 */
var chainrule_view = (function (py) {
  "use strict";

  var COLOURS = { positive: "#1d4ed8", negative: "#c2410c", neutral: "#5b6472", active: "#c026d3" };
  var NBSP = "\u00a0";
  var MIN_WIDTH = 1.0;
  var MAX_WIDTH = 5.0;
  var LEGIBLE_PIXELS = 10;  // the smallest text a learner reads, in screen pixels
  var LEGIBLE_MARGIN = 1.1;  // framing a step zooms to 10 % over that
  var MARGIN = 10;  // screen pixels kept clear around what is framed
  var AHEAD = 0.1;  // paint this share of the view's size beyond each side, for a small pan
  var KEEP = 0.5;  // and take out of the layout only what is this far out of the view
  var SLICE = 150;  // elements brought up to date per idle slice

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

  /* --- boxes: [x0, y0, x1, y1] in the SVG's viewBox units ------------------------------------ */

  function union(boxes) {
    var present = boxes.filter(Boolean);
    if (!present.length) { return null; }
    return [
      Math.min.apply(null, present.map(function (b) { return b[0]; })),
      Math.min.apply(null, present.map(function (b) { return b[1]; })),
      Math.max.apply(null, present.map(function (b) { return b[2]; })),
      Math.max.apply(null, present.map(function (b) { return b[3]; }))
    ];
  }

  function overlaps(b, x0, y0, x1, y1) {
    return b[0] <= x1 && b[2] >= x0 && b[1] <= y1 && b[3] >= y0;
  }

  /**
   * svg: Graphviz's SVG element; graph: {nodes}; layout: {widths, fontSize, boxes, labels}, the
   * page's JSON (boxes and labels by SVG id, the labels being the edges' texts alone).
   */
  function View(svg, graph, layout) {
    var self = this;
    this.svg = svg;
    this.graph = graph;
    this.widths = layout.widths;
    this.fontSize = layout.fontSize;
    this.boxes = layout.boxes || {};
    this.labels = layout.labels || {};
    var box = svg.viewBox.baseVal;
    this.full = { x: box.x, y: box.y, width: box.width, height: box.height };
    var whole = [box.x, box.y, box.x + box.width, box.y + box.height];
    this.nodes = [];
    this.edges = {};
    this.items = [];  // every node and edge: its parts, its box, what it shows
    this.nodeItems = [];
    this.edgeItems = {};
    graph.nodes.forEach(function (node, i) {
      var parts = nodeParts(svg, i);
      self.nodes.push(parts);
      var item = {
        node: i, parts: parts, painted: -1, shown: {}, hidden: false,
        groups: [parts.group, parts.op, parts.flow].filter(Boolean),
        box: union([self.boxes["v" + i], self.boxes["op" + i], self.boxes["o" + i]]) || whole
      };
      self.nodeItems.push(item);
      self.items.push(item);
    });
    graph.nodes.forEach(function (node, i) {
      node.parents.forEach(function (p, k) {
        var key = i + "_" + k;
        var parts = edgeParts(svg, i, k);
        self.edges[key] = parts;
        var item = { node: i, operand: k, key: key, parts: parts, painted: -1, shown: {},
          hidden: false, groups: parts.group ? [parts.group] : [], box: self.boxes["e" + key] || whole };
        self.edgeItems[key] = item;
        self.items.push(item);
      });
    });
    this.version = 0;
    this.state = null;
    this.largest = 0;
    this.lit = [];  // the items the last paint made active
    this.cursor = 0;
    this.idle = false;
    this.size = this.measure();  // the one read of the page's layout, before any write
    this.box = Object.assign({}, this.full);
    this.base = Object.assign({}, this.full);  // the viewBox written: see setBox
    this.group = svg.querySelector("g.graph");
    this.transform = this.group ? this.group.getAttribute("transform") || "" : "";
    this.scale = this.size.width / this.full.width;
    this.fitted = false;
    this.following = true;
    this.followScale = this.legibleScale();
    this.onchange = null;
    this.target = null;
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(function (entries) {
        var rect = entries[entries.length - 1].contentRect;
        if (!rect.width || !rect.height) { return; }
        if (Math.abs(rect.width - self.size.width) < 0.5 &&
            Math.abs(rect.height - self.size.height) < 0.5) { return; }
        self.size = { width: rect.width, height: rect.height };
        if (self.fitted) { self.showWhole(); }
        else if (self.following && self.target) { self.frame(self.target, true); }
        else { self.keepCentre(self.scale); }
      }).observe(svg);
    }
  }

  function nodeParts(svg, i) {
    var group = svg.querySelector("#v" + i);
    var texts = group ? Array.prototype.slice.call(group.querySelectorAll("text")) : [];
    function starting(prefix) {
      return texts.find(function (t) { return t.textContent.indexOf(prefix) === 0; }) || null;
    }
    var op = svg.querySelector("#op" + i);
    var flow = svg.querySelector("#o" + i);
    return {
      group: group,
      frame: group ? group.querySelector("path") : null,
      data: starting("data"),
      grad: starting("grad"),
      op: op,
      ellipse: op ? op.querySelector("ellipse") : null,
      flow: flow,
      flowPath: flow ? flow.querySelector("path") : null,
      flowArrow: flow ? flow.querySelector("polygon") : null
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

  /* --- painting: only what changed, what is in view first ------------------------------------ */

  /** Set an attribute (or, name null, the text) of el to value, unless it shows that already. */
  function put(item, key, el, name, value) {
    if (!el || item.shown[key] === value) { return; }
    item.shown[key] = value;
    if (name === null) {
      var text = el.firstChild;
      if (text && text.nodeType === 3 && !text.nextSibling) { text.data = value; }
      else { el.textContent = value; }
    } else if (value === null) {
      el.removeAttribute(name);
    } else {
      el.setAttribute(name, value);
    }
  }

  function stroke(item, key, path, arrow, colour, width, dashed) {
    put(item, key + "s", path, "stroke", colour);
    put(item, key + "w", path, "stroke-width", String(width));
    put(item, key + "d", path, "stroke-dasharray", dashed ? "6,3" : null);
    put(item, key + "as", arrow, "stroke", colour);
    put(item, key + "af", arrow, "fill", colour);
  }

  /**
   * state: {values: number|null per node, grads: number|null per node, locals: [per operand]
   *         |null per node, carried: {"i_k": [upstream, carried]},
   *         active: {node, operand, parent}|{node}|null}
   */
  View.prototype.paint = function (state) {
    var largest = 0;
    Object.keys(state.carried).forEach(function (key) {
      largest = Math.max(largest, Math.abs(state.carried[key][1]));
    });
    state.grads.forEach(function (g) { if (g !== null) { largest = Math.max(largest, Math.abs(g)); } });
    this.state = state;
    this.largest = largest;
    this.version += 1;
    var active = state.active;
    var lit = [];
    if (active) {
      lit.push(this.nodeItems[active.node]);
      if (active.parent !== undefined) { lit.push(this.nodeItems[active.parent]); }
      if (active.operand !== undefined) { lit.push(this.edgeItems[active.node + "_" + active.operand]); }
    }
    var self = this;
    this.lit.concat(lit).forEach(function (item) { self.write(item); });
    this.lit = lit;
    this.flush();
    this.cursor = 0;
    this.catchUp();
  };

  /** Bring one node or edge up to the state painted last. */
  View.prototype.write = function (item) {
    if (!item || item.painted === this.version || !this.state) { return; }
    item.painted = this.version;
    if (item.key === undefined) { this.writeNode(item); } else { this.writeEdge(item); }
  };

  View.prototype.writeNode = function (item) {
    var i = item.node;
    var parts = item.parts;
    var state = this.state;
    var active = state.active;
    var value = state.values[i];
    var g = state.grads[i];
    if (parts.data) {
      put(item, "data", parts.data, null,
        pad("data " + (value === null ? "—" : py.number(value)), this.widths.data));
    }
    if (parts.grad) {
      put(item, "grad", parts.grad, null, pad("grad " + (g === null ? "—" : signed(g)), this.widths.grad));
      put(item, "gradFill", parts.grad, "fill", g === null ? COLOURS.neutral : signColour(g));
    }
    var lit = Boolean(active && (active.node === i || active.parent === i));
    put(item, "frame", parts.frame, "stroke", lit ? COLOURS.active : "transparent");
    put(item, "frameWidth", parts.frame, "stroke-width", lit ? "3" : "1");
    var opLit = Boolean(active && active.node === i);
    put(item, "op", parts.ellipse, "stroke", opLit ? COLOURS.active : "#4b5563");
    put(item, "opWidth", parts.ellipse, "stroke-width", opLit ? "3" : "1");
    if (parts.flow) {
      if (g === null) { stroke(item, "flow", parts.flowPath, parts.flowArrow, COLOURS.neutral, MIN_WIDTH, false); }
      else { stroke(item, "flow", parts.flowPath, parts.flowArrow, signColour(g), penWidth(g, this.largest), false); }
    }
  };

  View.prototype.writeEdge = function (item) {
    var parts = item.parts;
    var state = this.state;
    var active = state.active;
    var i = item.node;
    var k = item.operand;
    var entry = state.carried[item.key];
    var isActive = Boolean(active && active.operand === k && active.node === i);
    if (parts.local) {
      var local = state.locals[i] ? py.number(state.locals[i][k]) : "—";
      put(item, "local", parts.local, null, pad("local " + local, this.widths.local));
    }
    if (parts.carried) {
      put(item, "carried", parts.carried, null,
        pad(entry ? "× " + py.number(entry[0]) + " = " + signed(entry[1]) : "", this.widths.carried));
    }
    var colour = isActive ? COLOURS.active : entry ? signColour(entry[1]) : COLOURS.neutral;
    var width = entry ? penWidth(entry[1], this.largest) : MIN_WIDTH;
    stroke(item, "edge", parts.path, parts.arrow, colour, isActive ? Math.max(width, 3) : width, isActive);
    if (parts.group && item.shown.active !== isActive) {
      item.shown.active = isActive;
      parts.group.classList.toggle("active", isActive);
    }
    var fill = isActive ? COLOURS.active : "currentColor";
    put(item, "localFill", parts.local, "fill", fill);
    put(item, "carriedFill", parts.carried, "fill", fill);
  };

  /**
   * Write every element in (or near) the view that is behind the state painted last, and take
   * the elements far out of the view out of the layout (display: none), so that neither a step
   * nor a pan lays out or paints the thousands of texts nobody sees; they come back, brought up
   * to date, as the view nears them.
   */
  View.prototype.flush = function () {
    var b = this.box;
    var near = [b.x - b.width * AHEAD, b.y - b.height * AHEAD,
      b.x + b.width * (1 + AHEAD), b.y + b.height * (1 + AHEAD)];
    var far = [b.x - b.width * KEEP, b.y - b.height * KEEP,
      b.x + b.width * (1 + KEEP), b.y + b.height * (1 + KEEP)];
    for (var j = 0; j < this.items.length; j += 1) {
      var item = this.items[j];
      if (overlaps(item.box, near[0], near[1], near[2], near[3])) {
        if (item.painted !== this.version) { this.write(item); }
        if (item.hidden) { shown(item, true); }
      } else if (!item.hidden && !overlaps(item.box, far[0], far[1], far[2], far[3])) {
        shown(item, false);
      }
    }
  };

  function shown(item, on) {
    item.hidden = !on;
    item.groups.forEach(function (group) { group.style.display = on ? "" : "none"; });
  }

  /** In idle time, a slice at a time, bring every element out of view up to date too. */
  View.prototype.catchUp = function () {
    if (this.idle) { return; }
    var self = this;
    var later = window.requestIdleCallback
      ? function (f) { window.requestIdleCallback(f, { timeout: 1000 }); }
      : function (f) { setTimeout(f, 30); };
    this.idle = true;
    function slice() {
      var written = 0;
      while (self.cursor < self.items.length && written < SLICE) {
        var item = self.items[self.cursor];
        self.cursor += 1;
        if (item.painted !== self.version) { self.write(item); written += 1; }
      }
      if (self.cursor < self.items.length) { later(slice); } else { self.idle = false; }
    }
    later(slice);
  };

  /** True when every element shows the state painted last (nothing left for idle time). */
  View.prototype.upToDate = function () {
    var version = this.version;
    return this.items.every(function (item) { return item.painted === version; });
  };

  /* --- the view: fit, follow, zoom and pan ---------------------------------------------------- */

  /** The picture's size in screen pixels: read once when the page opens, then kept by a
   *  ResizeObserver, so no step asks the browser for a layout. It is read with the picture
   *  hidden, so the first layout of its thousands of texts happens once, at the zoom shown. */
  View.prototype.measure = function () {
    var svg = this.svg;
    var display = svg.style.display;
    svg.style.display = "none";
    var width = svg.parentNode ? svg.parentNode.clientWidth : 0;
    var height = parseFloat(getComputedStyle(svg).height);
    svg.style.display = display;
    if (svg.parentNode) { svg.parentNode.classList.remove("opening"); }
    if (!(width > 0) || !(height > 0)) {
      var rect = svg.getBoundingClientRect();
      width = rect.width;
      height = rect.height;
    }
    if (!(width > 0) || !(height > 0)) { return { width: this.full.width, height: this.full.height }; }
    return { width: width, height: height };
  };

  View.prototype.legibleScale = function () {
    return LEGIBLE_PIXELS / this.fontSize * LEGIBLE_MARGIN;
  };

  /** Screen pixels per unit that show the whole graph, MARGIN clear around it. */
  View.prototype.wholeScale = function () {
    return Math.min((this.size.width - 2 * MARGIN) / this.full.width,
      (this.size.height - 2 * MARGIN) / this.full.height);
  };

  /** Is the whole graph's smallest text legible when the whole graph is shown? */
  View.prototype.wholeLegible = function () {
    return this.fontSize * this.wholeScale() >= LEGIBLE_PIXELS;
  };

  /**
   * Show box. A new viewBox makes the browser revisit every element of the picture (70 ms at
   * 1,000 nodes, however few are shown), so a move at the same zoom (a step followed, a drag)
   * only translates the graph's group, and the viewBox takes the box when the zoom changes,
   * or commit is asked (the learner's zoom, fit, the end of a drag).
   */
  View.prototype.setBox = function (box, commit) {
    this.box = box;
    this.scale = this.size.width / box.width;
    var base = this.base;
    if (commit || Math.abs(box.width - base.width) > 1e-9 * box.width ||
        Math.abs(box.height - base.height) > 1e-9 * box.height) {
      base = this.base = box;
      this.svg.setAttribute("viewBox", [box.x, box.y, box.width, box.height].join(" "));
    }
    if (this.group) {
      var dx = base.x - box.x;
      var dy = base.y - box.y;
      this.group.setAttribute("transform",
        (dx || dy ? "translate(" + dx + " " + dy + ") " : "") + this.transform);
    }
    this.flush();
    if (this.onchange) { this.onchange(this.view()); }
  };

  /** Centre the view on (cx, cy) at scale screen pixels per unit; the view has the picture's
   *  own proportions, so what the viewBox says is exactly what is seen. */
  View.prototype.look = function (cx, cy, scale, commit) {
    var width = this.size.width / scale;
    var height = this.size.height / scale;
    this.setBox({ x: cx - width / 2, y: cy - height / 2, width: width, height: height }, commit);
  };

  /** Write the view shown as the viewBox (after a drag: what the viewBox says is what is seen). */
  View.prototype.commit = function () { this.setBox(this.box, true); };

  View.prototype.keepCentre = function (scale) {
    this.look(this.box.x + this.box.width / 2, this.box.y + this.box.height / 2, scale, true);
  };

  View.prototype.showWhole = function () {
    this.look(this.full.x + this.full.width / 2, this.full.y + this.full.height / 2,
      Math.max(this.wholeScale(), 1e-6), true);
  };

  /** Fit (the learner's): the whole graph, kept through every step until a zoom, a pan or Follow. */
  View.prototype.fit = function () {
    this.fitted = true;
    this.following = false;
    this.showWhole();
  };

  /** Zoom (the learner's) by factor around (fx, fy), fractions of the view (0.5 = the centre). */
  View.prototype.zoom = function (factor, fx, fy) {
    var b = this.box;
    var lowest = Math.min(this.wholeScale(), this.legibleScale()) / 4;
    var highest = this.size.width / (this.full.width / 40);
    var scale = Math.min(Math.max(this.scale * factor, lowest), Math.max(highest, lowest));
    var rx = fx === undefined ? 0.5 : fx;
    var ry = fy === undefined ? 0.5 : fy;
    var px = b.x + b.width * rx;
    var py_ = b.y + b.height * ry;
    var width = this.size.width / scale;
    var height = this.size.height / scale;
    this.fitted = false;
    this.followScale = scale;
    this.setBox({ x: px - width * rx, y: py_ - height * ry, width: width, height: height }, true);
  };

  /** Move the view (the learner's) by (dx, dy) screen pixels. */
  View.prototype.pan = function (dx, dy) {
    var b = this.box;
    this.fitted = false;
    this.followScale = this.scale;
    this.setBox({ x: b.x - dx / this.scale, y: b.y - dy / this.scale, width: b.width, height: b.height });
  };

  /** Turn following on (framing target now) or off (the view stays where it is). */
  View.prototype.setFollow = function (on, target) {
    this.following = Boolean(on);
    if (this.following) {
      if (this.fitted) { this.followScale = Math.max(this.followScale, this.legibleScale()); }
      this.fitted = false;
      this.frame(target, true);
    } else if (this.onchange) {
      this.onchange(this.view());
    }
  };

  /** The view when the page opens on target's frame: the whole graph if legible, else target. */
  View.prototype.open = function (target) {
    if (this.wholeLegible()) { this.fit(); return; }
    this.fitted = false;
    this.following = true;
    this.followScale = this.legibleScale();
    this.frame({ overview: !(target.nodes && target.nodes.length), nodes: target.nodes,
      label: target.label, around: target.around }, true);
  };

  /**
   * Follow a step. target: {overview: true} shows every node; else {nodes: SVG ids framed
   * first, label: the active edge's id (its texts come next), around: ids shown if room}.
   * Nothing moves while fitted or not following, nor while the nodes and the label are in view
   * at the learner's zoom; else the view centres on the most of them that fits at that zoom.
   */
  View.prototype.frame = function (target, moved) {
    if (target) { this.target = target; }  // framed again if the picture is resized
    if (this.fitted || !this.following || !target) { return; }
    if (target.overview) { this.showWhole(); return; }
    var boxes = this.boxes;
    var first = union((target.nodes || []).map(function (id) { return boxes[id]; }));
    if (!first) { this.showWhole(); return; }
    var edge = union([first, target.label ? this.labels[target.label] : null]);
    var all = union([edge].concat((target.around || []).map(function (id) { return boxes[id]; })));
    var scale = this.followScale;
    var b = this.box;
    var m = MARGIN / scale;
    var atZoom = Math.abs(this.scale - scale) <= 1e-9 * scale;
    if (!moved && atZoom && edge[0] >= b.x + m && edge[1] >= b.y + m &&
        edge[2] <= b.x + b.width - m && edge[3] <= b.y + b.height - m) {
      return;  // the active edge is in view: the learner's view stays
    }
    var room = this;
    function fits(box, s) {
      return (box[2] - box[0]) * s <= room.size.width - 2 * MARGIN &&
        (box[3] - box[1]) * s <= room.size.height - 2 * MARGIN;
    }
    var chosen = [all, edge, first].find(function (box) { return fits(box, scale); });
    if (!chosen) {  // the node alone is larger than the view at this zoom: zoom out for it
      chosen = first;
      scale = Math.min((this.size.width - 2 * MARGIN) / (first[2] - first[0]),
        (this.size.height - 2 * MARGIN) / (first[3] - first[1]));
    }
    this.look((chosen[0] + chosen[2]) / 2, (chosen[1] + chosen[3]) / 2, scale);
  };

  /** What the learner sees: the viewBox [x, y, width, height], the fit and follow modes, and
   *  whether every element, out of view too, shows the frame (painted). */
  View.prototype.view = function () {
    var b = this.box;
    return { viewBox: [b.x, b.y, b.width, b.height], fit: this.fitted, follow: this.following,
      painted: this.upToDate() };
  };

  return { View: View, signColour: signColour, penWidth: penWidth, signed: signed };
}(chainrule_pyformat));
