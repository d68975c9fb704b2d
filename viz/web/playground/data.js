/* The playground's data: the data sets of nn/datasets.py (five of two classes, two of
 * regression, and spiral and blobs of K classes) and the input features of nn/features.py,
 * for the configurations a learner makes in the page.
 *
 * The configuration Python embeds brings its own data (made by Python); these generators
 * draw the same shapes with a seeded generator of the page's own (mulberry32 and a
 * Box-Muller normal), so a link with a seed shows the same points every time it is opened.
 */
var chainrule_data = (function () {
  "use strict";

  var FEATURES = [
    { id: "x1", label: "x₁", value: function (x1, x2) { return x1; } },
    { id: "x2", label: "x₂", value: function (x1, x2) { return x2; } },
    { id: "x1sq", label: "x₁²", value: function (x1, x2) { return x1 * x1; } },
    { id: "x2sq", label: "x₂²", value: function (x1, x2) { return x2 * x2; } },
    { id: "x1x2", label: "x₁x₂", value: function (x1, x2) { return x1 * x2; } },
    { id: "sinx1", label: "sin x₁", value: function (x1, x2) { return Math.sin(x1); } },
    { id: "sinx2", label: "sin x₂", value: function (x1, x2) { return Math.sin(x2); } }
  ];
  var BY_ID = Object.create(null);
  FEATURES.forEach(function (f) { BY_ID[f.id] = f; });

  /** A uniform generator in [0, 1) from a 32-bit seed (mulberry32). */
  function rng(seed) {
    var state = (Number(seed) >>> 0) || 0;
    return function () {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function uniform(random, low, high) { return low + (high - low) * random(); }

  /** A normal variate N(mean, sd²) by Box-Muller. */
  function gauss(random, mean, sd) {
    var u = 1 - random();
    var v = random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  function linspace(start, stop, count) {
    if (count === 1) { return [start]; }
    var out = [];
    for (var i = 0; i < count; i += 1) { out.push(start + i * (stop - start) / (count - 1)); }
    return out;
  }

  /** Part k's share when n things are dealt into `parts`: the first n mod parts get one more. */
  function share(n, parts, k) { return Math.floor(n / parts) + (k < n % parts ? 1 : 0); }

  /** Spiral arms [label, count, turn] as nn's make_spiral deals them: Playground's for K = 2. */
  function spiralArms(n, classes) {
    if (classes === 2) { return [[1, Math.floor(n / 2), 0], [0, n - Math.floor(n / 2), Math.PI]]; }
    var arms = [];
    for (var k = 0; k < classes; k += 1) { arms.push([k, share(n, classes, k), 2 * Math.PI * k / classes]); }
    return arms;
  }

  var BLOB_RADIUS = 0.6;  // make_blobs' circle, as nn/datasets.py's BLOB_RADIUS

  function awayFromAxis(u) { return u > 0 ? u + 0.06 : u - 0.06; }

  // make_reg_gauss's bumps [centre x0, centre x1, sign] and radius, as nn/datasets.py's
  var BUMPS = [[-2 / 3, 5 / 12, 1], [0, 5 / 12, -1], [2 / 3, 5 / 12, 1],
    [-2 / 3, -5 / 12, -1], [0, -5 / 12, 1], [2 / 3, -5 / 12, -1]];
  var BUMP_RADIUS = 1 / 3;

  /** The bump value of largest magnitude at (x0, x1), the first on a tie (0 if none). */
  function strongestBump(x0, x1) {
    var label = 0;
    BUMPS.forEach(function (bump) {
      var height = Math.max(0, 1 - Math.hypot(x0 - bump[0], x1 - bump[1]) / BUMP_RADIUS);
      if (height > Math.abs(label)) { label = bump[2] * height; }
    });
    return label;
  }

  /** n points uniform in [−1, 1]², each labelled by value(x0, x1): a regression set. */
  function regression(n, random, value) {
    var points = [];
    for (var i = 0; i < n; i += 1) {
      var x0 = uniform(random, -1, 1);
      var x1 = uniform(random, -1, 1);
      points.push([[x0, x1], value(x0, x1)]);
    }
    return points;
  }

  var SHAPES = {
    moons: function (n, random) {
      var upper = Math.floor(n / 2);
      var points = linspace(0, Math.PI, upper).map(function (t) {
        return [[Math.cos(t), Math.sin(t)], 0];
      });
      return points.concat(linspace(0, Math.PI, n - upper).map(function (t) {
        return [[1 - Math.cos(t), 0.5 - Math.sin(t)], 1];
      }));
    },
    circles: function (n, random) {
      var points = [];
      for (var i = 0; i < n; i += 1) {
        var label = i < Math.floor(n / 2) ? 1 : 0;
        var r = label === 1 ? uniform(random, 0, 0.5) : uniform(random, 0.7, 1.0);
        var angle = uniform(random, 0, 2 * Math.PI);
        points.push([[r * Math.cos(angle), r * Math.sin(angle)], label]);
      }
      return points;
    },
    xor: function (n, random) {
      var points = [];
      for (var i = 0; i < n; i += 1) {
        var x0 = awayFromAxis(uniform(random, -1, 1));
        var x1 = awayFromAxis(uniform(random, -1, 1));
        points.push([[x0, x1], x0 * x1 > 0 ? 1 : 0]);
      }
      return points;
    },
    gauss: function (n, random) {
      var points = [];
      for (var i = 0; i < n; i += 1) {
        var label = i < Math.floor(n / 2) ? 1 : 0;
        var centre = label === 1 ? 0.4 : -0.4;
        points.push([[gauss(random, centre, 0.15), gauss(random, centre, 0.15)], label]);
      }
      return points;
    },
    spiral: function (n, random, classes) {
      var points = [];
      spiralArms(n, classes).forEach(function (arm) {
        for (var i = 0; i < arm[1]; i += 1) {
          var r = i / arm[1];
          var theta = 1.75 * 2 * Math.PI * i / arm[1] + arm[2];
          points.push([[r * Math.sin(theta), r * Math.cos(theta)], arm[0]]);
        }
      });
      return points;
    },
    blobs: function (n, random, classes) {  // blob k around 0.6·(cos φₖ, sin φₖ), φₖ = π/2 + 2πk/K
      var points = [];
      for (var k = 0; k < classes; k += 1) {
        var angle = Math.PI / 2 + 2 * Math.PI * k / classes;
        var cx = BLOB_RADIUS * Math.cos(angle);
        var cy = BLOB_RADIUS * Math.sin(angle);
        for (var i = 0; i < share(n, classes, k); i += 1) {
          points.push([[gauss(random, cx, 0.15), gauss(random, cy, 0.15)], k]);
        }
      }
      return points;
    },
    "reg-plane": function (n, random) {  // y = 0.6·(x0 + x1), Playground's regressPlane
      return regression(n, random, function (x0, x1) { return 0.6 * (x0 + x1); });
    },
    "reg-gauss": function (n, random) {  // six bumps of ±1, Playground's regressGaussian
      return regression(n, random, strongestBump);
    }
  };

  /**
   * n points of a data set with Gaussian noise of standard deviation `noise`, shuffled;
   * `classes` (2 when not given) is the number of spiral's arms and of blobs.
   */
  function generate(dataset, samples, noise, seed, classes) {
    var shape = Object.prototype.hasOwnProperty.call(SHAPES, dataset) ? SHAPES[dataset] : null;
    if (!shape) { throw new Error("unknown data set " + JSON.stringify(dataset)); }
    var random = rng(seed);
    var points = shape(samples, random, classes || 2);
    for (var i = points.length - 1; i > 0; i -= 1) {  // Fisher-Yates
      var j = Math.floor(random() * (i + 1));
      var swap = points[i];
      points[i] = points[j];
      points[j] = swap;
    }
    return {
      points: points.map(function (p) {
        return [p[0][0] + gauss(random, 0, noise), p[0][1] + gauss(random, 0, noise)];
      }),
      labels: points.map(function (p) { return p[1]; })
    };
  }

  /** The first round(ratio·n) points to train on, the rest to test, as [x1, x2, label]. */
  function split(points, labels, trainRatio) {
    var cut = Math.round(trainRatio * points.length);
    var rows = points.map(function (p, i) { return [p[0], p[1], labels[i]]; });
    return { train: rows.slice(0, cut), test: rows.slice(cut) };
  }

  /** The chosen features of the point (x1, x2), in the order of FEATURES' ids given. */
  function featurize(ids, x1, x2) {
    return ids.map(function (id) { return BY_ID[id].value(x1, x2); });
  }

  return {
    DATASETS: Object.keys(SHAPES),  // the data sets drawn here (Python's are in the config)
    FEATURES: FEATURES.map(function (f) { return { id: f.id, label: f.label }; }),
    rng: rng,
    generate: generate,
    split: split,
    featurize: featurize
  };
}());
