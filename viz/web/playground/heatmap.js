/* Heatmaps and points on canvases: the output, every neuron, the inputs, the data sets.
 *
 * compute() evaluates every neuron on GRID × GRID points of the data's bounding box (made
 * square) and keeps the grids in the view; paint() puts a grid on a canvas on the colour
 * scale (orange below 0, the theme's middle, blue above 0), whose colours palette() reads
 * from the theme's CSS variables (--negative, --middle, --positive), so the pictures follow
 * a dark system theme. draw() paints the output, the neurons and the inputs; drawPoints()
 * draws the data, the decision boundary (marching squares where the output's score is 0)
 * and the chosen sample over the output; pointAt() finds the training point clicked.
 * For a regression data set the output is the prediction ŷ itself, painted on the same scale
 * (−1 orange … 0 … +1 blue, as Playground does), each point a circle in the colour of its
 * target y, and there is no decision boundary: nothing is decided.
 * With K ≥ 3 classes the output heatmap shows each region in its argmax class's colour,
 * fainter where softmax is less sure (classes.js), each point a circle in its class's
 * colour, the classes named in the legend; the regions' edges are the boundaries.
 */
var chainrule_playground_heatmap = (function (pyformat, configs, datasets, dom, classes) {
  "use strict";

  var $ = dom.$;
  var GRID = 48;  // heatmaps: the network is evaluated on GRID × GRID points
  var FEATURE_IDS = configs.FEATURE_IDS;

  function sigmoid(x) { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }

  /* The colour scale: orange below 0, the theme's background-ish middle, blue above 0. */
  function palette() {
    var css = getComputedStyle(document.documentElement);
    var stops = ["--negative", "--middle", "--positive"].map(function (name) {
      var hex = css.getPropertyValue(name).trim().replace("#", "");
      return [0, 2, 4].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    });
    var table = new Uint8ClampedArray(256 * 3);
    for (var i = 0; i < 256; i += 1) {
      var t = i / 255 * 2 - 1;
      var to = t < 0 ? stops[0] : stops[2];
      var f = Math.abs(t);
      for (var c = 0; c < 3; c += 1) { table[i * 3 + c] = stops[1][c] + (to[c] - stops[1][c]) * f; }
    }
    var ink = css.getPropertyValue("--ink").trim();
    var paper = css.getPropertyValue("--card").trim();
    return { table: table, ink: ink, paper: paper, active: css.getPropertyValue("--active").trim(),
      middle: stops[1],
      positive: "#" + hexOf(stops[2]), negative: "#" + hexOf(stops[0]) };
  }

  function hexOf(rgb) {
    return rgb.map(function (c) { return (c < 16 ? "0" : "") + c.toString(16); }).join("");
  }

  /** The square of the plane the heatmaps show: the data's bounding box, made square. */
  function boxOf(data) {
    var rows = data.train.concat(data.test);
    var lo = [Infinity, Infinity];
    var hi = [-Infinity, -Infinity];
    rows.forEach(function (row) {
      for (var i = 0; i < 2; i += 1) {
        lo[i] = Math.min(lo[i], row[i]);
        hi[i] = Math.max(hi[i], row[i]);
      }
    });
    var half = Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2 * 1.1 + 0.05;
    var cx = (lo[0] + hi[0]) / 2;
    var cy = (lo[1] + hi[1]) / 2;
    return { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half, size: 2 * half };
  }

  /** Every neuron's activation on the GRID × GRID points of the box (row 0 at the top). */
  function compute(state, view) {
    var started = performance.now();
    if (!view.box) { view.box = boxOf(state.data); }
    var box = view.box;
    var t = state.trainer;
    var widths = configs.widthsOf(state.config);
    var grids = { layers: [], stale: false };
    for (var l = 1; l < widths.length; l += 1) {
      var layer = [];
      for (var j = 0; j < widths[l]; j += 1) { layer.push(new Float64Array(GRID * GRID)); }
      grids.layers[l] = layer;
    }
    var step = box.size / GRID;
    for (var iy = 0; iy < GRID; iy += 1) {
      var x2 = box.y1 - (iy + 0.5) * step;
      for (var ix = 0; ix < GRID; ix += 1) {
        var acts = null;
        try { acts = t.neurons(box.x0 + (ix + 0.5) * step, x2); } catch (error) { acts = null; }
        for (l = 1; l < widths.length; l += 1) {
          for (j = 0; j < widths[l]; j += 1) {
            grids.layers[l][j][iy * GRID + ix] = acts ? acts[l - 1][j] : NaN;
          }
        }
      }
    }
    if (!view.features) {
      view.features = {};
      FEATURE_IDS.forEach(function (id) { view.features[id] = new Float64Array(GRID * GRID); });
      for (iy = 0; iy < GRID; iy += 1) {
        for (ix = 0; ix < GRID; ix += 1) {
          var values = datasets.featurize(FEATURE_IDS, box.x0 + (ix + 0.5) * step,
            box.y1 - (iy + 0.5) * step);
          FEATURE_IDS.forEach(function (id, f) { view.features[id][iy * GRID + ix] = values[f]; });
        }
      }
    }
    view.grids = grids;
    view.lastGrids = performance.now();
    view.gridCost = view.lastGrids - started;
  }

  /** The output on the colour scale: −1 (class 0) … 0 (the decision boundary) … 1 (class 1). */
  function score(output, loss) {
    if (loss === "bce") { return 2 * sigmoid(output) - 1; }
    if (loss === "mse") { return Math.max(-1, Math.min(1, 2 * output - 1)); }
    return Math.max(-1, Math.min(1, output));
  }

  /** A grid on a canvas, through `transform` onto −1…1, or scaled by its largest |value|. */
  function paint(canvas, values, colours, transform) {
    var context = canvas.getContext("2d");
    if (canvas.width !== GRID) { canvas.width = GRID; canvas.height = GRID; }
    var image = context.createImageData(GRID, GRID);
    var table = colours.table;
    var scale = 1;
    if (!transform) {
      for (var i = 0; i < values.length; i += 1) {
        if (isFinite(values[i])) { scale = Math.max(scale, Math.abs(values[i])); }
      }
    }
    for (var p = 0; p < values.length; p += 1) {
      var v = transform ? transform(values[p]) : values[p] / scale;
      if (v !== v) { v = 0; }  // NaN: the network could not compute this point
      var index = Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5) * 3;
      image.data[p * 4] = table[index];
      image.data[p * 4 + 1] = table[index + 1];
      image.data[p * 4 + 2] = table[index + 2];
      image.data[p * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  /** A real value on the colour scale: itself, clamped to −1…1 (a regression's ŷ or y). */
  function clamped(x) { return Math.max(-1, Math.min(1, x)); }

  /** How the output neuron is painted: its score (ŷ for regression), or its sign if discretized. */
  function outputTransform(state) {
    var loss = state.config.loss;
    var value = configs.isRegression(state.config) ? clamped
      : function (x) { return score(x, loss); };
    if (state.ui.discretize) {
      return function (x) { var s = value(x); return s > 0 ? 1 : s < 0 ? -1 : 0; };
    }
    return value;
  }

  /** An output neuron's own heatmap: the output's scale, or a logit scaled as a hidden neuron. */
  function logitTransform(state) {
    return configs.isMulticlass(state.config) ? null : outputTransform(state);
  }

  /** The colour of the value v (−1…1) on the palette's scale, as CSS. */
  function colourAt(colours, v) {
    var i = Math.round((clamped(v) + 1) * 127.5) * 3;
    return "rgb(" + colours.table[i] + "," + colours.table[i + 1] + "," + colours.table[i + 2] + ")";
  }

  /**
   * How a point with label `label` is drawn: {round, fill}. A class is a circle (1) or a
   * square (0) in its class's colour; a regression target y a circle in y's colour.
   */
  function pointStyle(label, regression, colours, multiclass) {
    if (regression) { return { round: true, fill: colourAt(colours, label) }; }
    if (multiclass) { return { round: true, fill: classes.colour(label) }; }
    return { round: label === 1, fill: label === 1 ? colours.positive : colours.negative };
  }

  /** The output, every neuron, the inputs (when new) and the inspector's big heatmap. */
  function draw(state, view) {
    var grids = view.grids;
    var widths = configs.widthsOf(state.config);
    var L = widths.length - 1;
    if (configs.isMulticlass(state.config)) {
      classes.paint($("heatmap"), grids.layers[L], GRID, view.palette.middle, state.ui.discretize);
    } else {
      paint($("heatmap"), grids.layers[L][0], view.palette, outputTransform(state));
    }
    for (var l = 1; l <= L; l += 1) {
      for (var j = 0; j < widths[l]; j += 1) {
        var node = view.nodes[l + "_" + j];
        if (node) {
          paint(node.canvas, grids.layers[l][j], view.palette,
            l === L ? logitTransform(state) : null);
        }
      }
    }
    if (view.paintedFeatures !== view.features) {
      FEATURE_IDS.forEach(function (id) {
        paint(view.inputs[id].canvas, view.features[id], view.palette);
      });
      view.paintedFeatures = view.features;
    }
    var s = state.selected;
    var big = $("inspector").querySelector("canvas");
    if (big && s && s.kind === "neuron") {
      paint(big, grids.layers[s.l][s.j], view.palette, s.l === L ? logitTransform(state) : null);
    }
  }

  /* The points, the decision boundary and the chosen sample, over the output heatmap. */
  function drawPoints(state, view) {
    var canvas = $("points");
    var size = canvas.clientWidth;
    if (!size) { return; }
    var ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size * ratio)) {
      canvas.width = canvas.height = Math.round(size * ratio);
    }
    var context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size, size);
    var box = view.box;
    var colours = view.palette;
    var place = function (row) {
      return [(row[0] - box.x0) / box.size * size, (box.y1 - row[1]) / box.size * size];
    };
    var regression = configs.isRegression(state.config);
    var multiclass = configs.isMulticlass(state.config);
    if (!regression && !multiclass) { boundary(context, size, state, view); }
    showProblem(regression ? "regression" : multiclass ? "classes" : "classification");
    if (multiclass) { classes.legend($("class-legend"), state.config.classes); }
    var r = size < 260 ? 3 : 4;
    var mark = function (row, test) {
      var p = place(row);
      var style = pointStyle(row[2], regression, colours, multiclass);
      context.beginPath();
      if (style.round) { context.arc(p[0], p[1], r, 0, 2 * Math.PI); }
      else { context.rect(p[0] - r, p[1] - r, 2 * r, 2 * r); }
      context.fillStyle = style.fill;
      context.fill();
      context.lineWidth = test ? 1.6 : 1;
      context.strokeStyle = test ? colours.ink : colours.paper;
      context.stroke();
    };
    state.data.train.forEach(function (row) { mark(row, false); });
    if (state.ui.showTestData) { state.data.test.forEach(function (row) { mark(row, true); }); }
    var chosen = place(state.data.train[state.sample]);
    context.beginPath();
    context.arc(chosen[0], chosen[1], r + 5, 0, 2 * Math.PI);
    context.lineWidth = 2.5;
    context.strokeStyle = colours.active;
    context.stroke();
    drawTicks(box, view);
    var fmt = function (x) { return pyformat.formatG(x, 3); };
    $("axes").textContent = dom.t("playground.axes", { x0: fmt(box.x0), x1: fmt(box.x1),
      y0: fmt(box.y0), y1: fmt(box.y1), sample: state.sample });
  }

  /**
   * The legend's and the picture's words for two classes ("classification"), K classes
   * ("classes") or real targets ("regression").
   */
  function showProblem(problem) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-problem]"), function (item) {
      item.hidden = item.dataset.problem.split(" ").indexOf(problem) < 0;
    });
    $("points").setAttribute("aria-label", dom.t(problem === "regression"
      ? "playground.points_regression" : problem === "classes" ? "playground.points_classes"
        : "playground.points_boundary"));
  }

  /** Round tick values from lo to hi, about `count` of them, a step of 1, 2 or 5 × 10ᵏ. */
  function niceTicks(lo, hi, count) {
    var raw = (hi - lo) / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; })
      .filter(function (s) { return s >= raw; })[0];
    var out = [];
    for (var k = Math.ceil(lo / step); k * step <= hi; k += 1) {
      out.push(Math.round(k * step / power) * power);  // no 0.30000000000000004
    }
    return out;
  }

  /**
   * The axes' ticks around the output heatmap: x₁'s values under it, x₂'s on its left, each
   * label where its value lies in the box (drawn again only when the box changes).
   */
  function drawTicks(box, view) {
    if (view.ticked === box) { return; }
    view.ticked = box;
    var fmt = function (x) { return pyformat.formatG(x, 3); };
    [["ticks-x", box.x0, box.x1, "x₁"], ["ticks-y", box.y0, box.y1, "x₂"]].forEach(function (a) {
      var axis = $(a[0]);
      axis.textContent = "";
      niceTicks(a[1], a[2], 4).forEach(function (value) {
        var tick = document.createElement("span");
        tick.className = "tick";
        tick.textContent = fmt(value === 0 ? 0 : value);
        var at = (value - a[1]) / (a[2] - a[1]) * 100;
        if (a[0] === "ticks-x") { tick.style.left = at + "%"; }
        else { tick.style.top = (100 - at) + "%"; }
        axis.appendChild(tick);
      });
      var name = document.createElement("span");
      name.className = "axis-name";
      name.textContent = a[3];
      axis.appendChild(name);
    });
  }

  /** The decision boundary (where the output's score is 0) by marching squares. */
  function boundary(context, size, state, view) {
    var values = view.grids.layers[configs.widthsOf(state.config).length - 1][0];
    var loss = state.config.loss;
    var cell = size / GRID;
    var at = function (ix, iy) { return score(values[iy * GRID + ix], loss); };
    context.beginPath();
    for (var iy = 0; iy < GRID - 1; iy += 1) {
      for (var ix = 0; ix < GRID - 1; ix += 1) {
        var corners = [[ix, iy], [ix + 1, iy], [ix + 1, iy + 1], [ix, iy + 1]];
        var v = corners.map(function (c) { return at(c[0], c[1]); });
        var cuts = [];
        for (var e = 0; e < 4; e += 1) {
          var v0 = v[e];
          var v1 = v[(e + 1) % 4];
          if ((v0 > 0) !== (v1 > 0)) {
            var f = v0 / (v0 - v1);
            var c0 = corners[e];
            var c1 = corners[(e + 1) % 4];
            cuts.push([(c0[0] + f * (c1[0] - c0[0]) + 0.5) * cell,
              (c0[1] + f * (c1[1] - c0[1]) + 0.5) * cell]);
          }
        }
        for (var k = 0; k + 1 < cuts.length; k += 2) {
          context.moveTo(cuts[k][0], cuts[k][1]);
          context.lineTo(cuts[k + 1][0], cuts[k + 1][1]);
        }
      }
    }
    context.lineWidth = 1.5;
    context.strokeStyle = view.palette.ink;
    context.stroke();
  }

  /** The training point within 16 pixels of a click on the points, nearest first, or −1. */
  function pointAt(event, state, view) {
    var rect = $("points").getBoundingClientRect();
    var box = view.box;
    var best = -1;
    var distance = Infinity;
    state.data.train.forEach(function (row, i) {
      var x = (row[0] - box.x0) / box.size * rect.width + rect.left;
      var y = (box.y1 - row[1]) / box.size * rect.height + rect.top;
      var dd = Math.hypot(x - event.clientX, y - event.clientY);
      if (dd < distance) { distance = dd; best = i; }
    });
    return best >= 0 && distance < 16 ? best : -1;
  }

  /** A data set's thumbnail: 80 of its points on a 40 × 40 canvas. */
  function preview(canvas, name, colours) {
    var multiclass = configs.MULTICLASS.indexOf(name) >= 0 && configs.TWO_CLASSES.indexOf(name) < 0;
    var made = datasets.generate(name, 80, 0.05, 1, multiclass ? 3 : 2);
    var context = canvas.getContext("2d");
    var rows = made.points.map(function (p, i) { return [p[0], p[1], made.labels[i]]; });
    var frame = boxOf({ train: rows, test: [] });
    var regression = configs.isRegression({ dataset: name });
    rows.forEach(function (row) {
      var style = pointStyle(row[2], regression, colours, multiclass);
      context.fillStyle = style.fill;
      var x = (row[0] - frame.x0) / frame.size * 40;
      var y = (frame.y1 - row[1]) / frame.size * 40;
      if (style.round) {
        context.beginPath();
        context.arc(x, y, 1.6, 0, 2 * Math.PI);
        context.fill();
      } else {
        context.fillRect(x - 1.5, y - 1.5, 3, 3);
      }
    });
  }

  /** The point (x1, x2) that pixel (ix, iy) of the output heatmap shows (row 0 at the top). */
  function pointOf(view, ix, iy) {
    var step = view.box.size / GRID;
    return [view.box.x0 + (ix + 0.5) * step, view.box.y1 - (iy + 0.5) * step];
  }

  return {
    GRID: GRID,
    pointOf: pointOf,
    niceTicks: niceTicks,
    palette: palette,
    compute: compute,
    paint: paint,
    outputTransform: outputTransform,
    logitTransform: logitTransform,
    draw: draw,
    drawPoints: drawPoints,
    pointAt: pointAt,
    preview: preview
  };
}(chainrule_pyformat, chainrule_playground_config, chainrule_data, chainrule_playground_dom,
  chainrule_playground_classes));
