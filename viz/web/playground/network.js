/* The network, drawn in layers: the input features, each hidden layer, the output.
 *
 * Every neuron is a button holding a canvas (heatmap.js paints its activation there), each
 * feature a button that turns it on or off, each hidden layer has + and − buttons, and the
 * links are SVG curves coloured and dashed by the weight's sign and as wide as |W|. draw()
 * builds the elements again only when the architecture or the width changed (keeping the
 * focus), then styles them: the selected neuron or link, what the BP step lights, δ under
 * the neurons whose δ is known. click() turns a click into the change it asks for: a
 * feature used or dropped, a layer's width, a neuron or link selected.
 */
var chainrule_playground_network = (function (notation, configs, dom, heatmap) {
  "use strict";

  var $ = dom.$;
  var button = dom.button;
  var place = dom.place;
  var SVG = "http://www.w3.org/2000/svg";
  var FEATURE_IDS = configs.FEATURE_IDS;
  var FEATURE_LABEL = configs.FEATURE_LABEL;
  var GRID = heatmap.GRID;

  /** Columns: the 7 features, each hidden layer, the output; positions in CSS pixels. */
  function layout(config) {
    var container = $("network");
    var width = Math.max(240, container.clientWidth);
    var widths = configs.widthsOf(config);
    var columns = widths.length;
    var labelRoom = 50;   // the features' names, left of the input column
    var rightRoom = 26;   // half of a δ note under the output neuron
    var fit = Math.floor((width - labelRoom - rightRoom) / (columns * 1.7));
    var node = Math.max(20, Math.min(36, fit));
    var spacing = (width - labelRoom - rightRoom - node) / (columns - 1);
    var stacked = spacing < 60;
    var header = stacked ? 60 : 46;
    var gap = Math.max(6, Math.round(node * 0.27));
    var rows = Math.max(FEATURE_IDS.length, Math.max.apply(null, widths.slice(1)));
    var x = function (c) { return labelRoom + c * spacing; };
    var y = function (row) { return header + row * (node + gap); };
    return { width: width, height: y(rows) + 8, node: node, x: x, y: y, header: header,
      stacked: stacked, spacing: spacing, compact: spacing < 64 };
  }

  function rememberFocus() {
    var focused = document.activeElement;
    return focused && focused.dataset && focused.dataset.key ? focused.dataset.key : null;
  }

  /** Build the network's elements when the architecture (or the width) changed; style them. */
  function draw(state, view) {
    var geometry = layout(state.config);
    var shape = JSON.stringify([state.config.features, configs.widthsOf(state.config), geometry.width,
      dom.language()]);  // a new language builds the labels again
    if (view.shape !== shape) {
      var focus = rememberFocus();
      build(geometry, state.config, view);
      view.shape = shape;
      view.paintedFeatures = null;
      if (focus) {
        var again = $("network").querySelector('[data-key="' + focus + '"]');
        if (again) { again.focus(); }
      }
    }
    style(state, view);
  }

  function build(g, config, view) {
    var container = $("network");
    container.textContent = "";
    container.style.height = g.height + "px";
    container.classList.toggle("compact", g.compact);  // too tight for δ notes under neurons
    var widths = configs.widthsOf(config);
    var L = widths.length - 1;
    view.nodes = {};
    view.links = {};
    view.inputs = {};
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "links");
    svg.setAttribute("width", String(g.width));
    svg.setAttribute("height", String(g.height));
    svg.setAttribute("aria-hidden", "true");
    container.appendChild(svg);
    var centre = {};  // "l_j" → [x, y] of the node's middle
    var size = g.node;

    var heading = function (text, column) {
      var label = document.createElement("span");
      label.className = "column-label";
      label.textContent = text;
      place(label, g.x(column) + size / 2, g.header - 16);
      container.appendChild(label);
    };
    if (!g.compact) {
      heading(dom.t("playground.column_inputs"), 0);
      heading(dom.t("playground.column_output"), L);
    }

    FEATURE_IDS.forEach(function (id, row) {
      var on = config.features.indexOf(id) >= 0;
      var element = button("feature", "feature-" + id,
        dom.t("playground.feature_button", { name: FEATURE_LABEL[id] }));
      element.setAttribute("aria-pressed", String(on));
      element.dataset.feature = id;
      element.title = dom.t(on ? "playground.feature_used" : "playground.feature_unused",
        { name: FEATURE_LABEL[id] });
      var canvas = document.createElement("canvas");
      canvas.width = canvas.height = GRID;
      element.appendChild(canvas);
      element.style.width = element.style.height = size + "px";
      place(element, g.x(0), g.y(row));
      var text = document.createElement("span");
      text.className = "feature-label";
      text.textContent = FEATURE_LABEL[id];
      text.setAttribute("aria-hidden", "true");
      text.style.top = g.y(row) + size / 2 + "px";
      text.style.right = g.width - g.x(0) + 3 + "px";
      container.appendChild(text);
      container.appendChild(element);
      view.inputs[id] = { element: element, canvas: canvas };
      var k = config.features.indexOf(id);
      if (k >= 0) { centre["0_" + k] = [g.x(0) + size, g.y(row) + size / 2]; }
    });

    for (var l = 1; l <= L; l += 1) {
      if (l < L) { layerButtons(container, g, l, config.hidden[l - 1]); }
      for (var j = 0; j < widths[l]; j += 1) {
        var name = notation.a(l, j);
        var element = button("neuron", "neuron-" + l + "-" + j, l === L
          ? dom.t("playground.output_neuron_button", { a: name })
          : dom.t("playground.neuron_button", { a: name, layer: l, j: j }));
        element.dataset.l = String(l);
        element.dataset.j = String(j);
        element.style.width = element.style.height = size + "px";
        var canvas = document.createElement("canvas");
        canvas.width = canvas.height = GRID;
        element.appendChild(canvas);
        place(element, g.x(l), g.y(j));
        container.appendChild(element);
        var note = document.createElement("span");
        note.className = "delta-note";
        note.setAttribute("aria-hidden", "true");
        place(note, g.x(l) + size / 2, g.y(j) + size + 1);
        container.appendChild(note);
        view.nodes[l + "_" + j] = { element: element, canvas: canvas, note: note };
        centre[l + "_" + j] = [g.x(l), g.y(j) + size / 2];
        centre[l + "_" + j + "_out"] = [g.x(l) + size, g.y(j) + size / 2];
      }
    }

    for (l = 1; l <= L; l += 1) {
      for (j = 0; j < widths[l]; j += 1) {
        for (var k = 0; k < widths[l - 1]; k += 1) {
          var from = l === 1 ? centre["0_" + k] : centre[(l - 1) + "_" + k + "_out"];
          var to = centre[l + "_" + j];
          var mid = (from[0] + to[0]) / 2;
          var path = "M" + from[0] + "," + from[1] + " C" + mid + "," + from[1] + " " + mid + "," +
            to[1] + " " + to[0] + "," + to[1];
          var group = document.createElementNS(SVG, "g");
          group.setAttribute("class", "link");
          var line = document.createElementNS(SVG, "path");
          line.setAttribute("d", path);
          line.setAttribute("class", "weight");
          var hit = document.createElementNS(SVG, "path");
          hit.setAttribute("d", path);
          hit.setAttribute("class", "hit");
          hit.dataset.l = String(l);
          hit.dataset.j = String(j);
          hit.dataset.k = String(k);
          var title = document.createElementNS(SVG, "title");
          hit.appendChild(title);
          group.appendChild(line);
          group.appendChild(hit);
          svg.appendChild(group);
          view.links[l + "_" + j + "_" + k] = { group: group, line: line, title: title };
        }
      }
    }
  }

  /** Hidden layer l's + and − buttons and its count of neurons, above its column. */
  function layerButtons(container, g, l, count) {
    var box = document.createElement("div");
    box.className = "neuron-buttons" + (g.stacked ? " stacked" : "");
    box.dataset.control = "hidden";
    var add = button("small", "add-" + l, dom.t("playground.add_neuron", { layer: l }));
    add.textContent = "+";
    add.disabled = count >= configs.LIMITS.neurons;
    add.dataset.layer = String(l);
    add.dataset.delta = "1";
    var remove = button("small", "remove-" + l, dom.t("playground.remove_neuron", { layer: l }));
    remove.textContent = "−";
    remove.disabled = count <= 1;
    remove.dataset.layer = String(l);
    remove.dataset.delta = "-1";
    box.appendChild(add);
    box.appendChild(remove);
    place(box, g.x(l) + g.node / 2, 0);
    container.appendChild(box);
    var label = document.createElement("span");
    label.className = "column-label";
    label.textContent = g.compact ? String(count)
      : dom.t(count === 1 ? "playground.neuron_count" : "playground.neuron_counts", { count: count });
    place(label, g.x(l) + g.node / 2, g.header - 16);
    container.appendChild(label);
  }

  /** Link widths and dashes from the weights; what is selected or part of the BP step. */
  function style(state, view) {
    var layers = state.trainer.layers();
    var widths = configs.widthsOf(state.config);
    var step = view.walk ? view.walk[state.walk] : null;
    var lit = step ? step.lit : null;
    var s = state.selected;
    $("network").classList.toggle("walking", Boolean(step));
    for (var l = 1; l < widths.length; l += 1) {
      for (var j = 0; j < widths[l]; j += 1) {
        var neuron = layers[l - 1][j];
        for (var k = 0; k < widths[l - 1]; k += 1) {
          var link = view.links[l + "_" + j + "_" + k];
          var weight = neuron.w[k];
          var width = Math.min(8, 0.6 + 2.2 * Math.abs(weight));
          link.line.setAttribute("stroke-width", width.toFixed(2));
          link.group.setAttribute("class", "link " + (weight < 0 ? "negative" : "positive") +
            (s && s.kind === "link" && s.l === l && s.j === j && s.k === k ? " selected" : "") +
            (lit && lit.links[l + "_" + j + "_" + k] ? " lit" : ""));
          link.title.textContent = dom.t("playground.link_title", { w: notation.w(l, j, k),
            value: notation.num(weight),
            sign: dom.t(weight < 0 ? "playground.negative" : "playground.positive") });
        }
        var node = view.nodes[l + "_" + j];
        var selected = Boolean(s && s.kind === "neuron" && s.l === l && s.j === j);
        node.element.classList.toggle("selected", selected);
        node.element.setAttribute("aria-pressed", String(selected));
        node.element.classList.toggle("lit", Boolean(lit && lit.nodes[l + "_" + j]));
        node.element.title = dom.t("playground.node_title",
          { a: notation.a(l, j), b: notation.b(l, j), value: notation.num(neuron.b) });
        node.note.textContent = step && step.known[l]
          ? "δ=" + notation.num(view.q.delta[l][j]) : "";
      }
    }
    state.config.features.forEach(function (id, k) {
      view.inputs[id].element.classList.toggle("lit", Boolean(lit && lit.nodes["0_" + k]));
    });
  }

  /** A click on the network, as the change it asks for, given to apply(change). */
  function click(event, state, apply) {
    var target = event.target.closest("button, .hit");
    if (!target) { return; }
    if (target.dataset.feature) {
      var id = target.dataset.feature;
      var features = state.config.features;
      if (features.indexOf(id) >= 0) {
        if (features.length === 1) {
          dom.status(function () { return dom.t("playground.keep_a_feature"); });
          return;
        }
        features = features.filter(function (f) { return f !== id; });
      } else {
        features = FEATURE_IDS.filter(function (f) {  // in Playground's order
          return f === id || features.indexOf(f) >= 0;
        });
      }
      apply({ config: { features: features } });
    } else if (target.dataset.delta) {
      var hidden = state.config.hidden.slice();
      var l = Number(target.dataset.layer);
      var width = hidden[l - 1] + Number(target.dataset.delta);
      hidden[l - 1] = Math.max(1, Math.min(configs.LIMITS.neurons, width));
      apply({ config: { hidden: hidden } });
    } else if (target.dataset.k !== undefined) {
      apply({ selected: { kind: "link", l: Number(target.dataset.l),
        j: Number(target.dataset.j), k: Number(target.dataset.k) } });
    } else if (target.dataset.l !== undefined) {
      var s = state.selected;
      var l2 = Number(target.dataset.l);
      var j = Number(target.dataset.j);
      var again = s && s.kind === "neuron" && s.l === l2 && s.j === j;
      apply({ selected: again ? null : { kind: "neuron", l: l2, j: j } });
    }
  }

  return { draw: draw, click: click };
}(chainrule_playground_notation, chainrule_playground_config, chainrule_playground_dom,
  chainrule_playground_heatmap));
