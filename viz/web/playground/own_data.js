/* The learner's own data: points drawn on the output, a CSV file uploaded and downloaded,
 * window.chainrule's setData, and the points an address carries.
 *
 *   classes()         the labels the task takes now (points.js checks a label against it):
 *                     the number of classes (2, or K of a softmax output), or null for a
 *                     regression data set, whose labels are real targets
 *   checked(data)     setData's argument as the state's own points {train, test}: a list of
 *                     points [x1, x2, label] (all to train, as chainrule train --data trains
 *                     on every point of its file) or {train, test} (data()'s own form); each
 *                     point three finite numbers with a label of the task; at least one
 *                     training point and at most LIMITS.ownPoints in all. Throws an Error
 *                     naming the point and what is wrong
 *   fromAddress(text) the address's points=… read and checked the same way
 *   wire(store)       the tools (choose a sample, add a point of each class, remove one),
 *                     clicks on the output (a shift-click removes the nearest point, with any
 *                     tool), Upload CSV (a bad file changes nothing: its line and problem are
 *                     shown), Download CSV (the points now, training then test), and a data
 *                     set's button, which goes back to generated points (its own too)
 *   draw(state)       the tools (built again when the task's classes change), no data
 *                     set's button pressed while the points are the learner's, and the
 *                     sentence that says whose points these are and whether the address
 *                     holds them
 *
 * A drawn point is placed to two decimals (finer than a pixel of the plot), so the address
 * stays short; points from a file or setData keep every digit.
 */
var chainrule_playground_own = (function (configs, points, dom, hash) {
  "use strict";

  var $ = dom.$;
  var REACH = 16;        // a shift-click removes the nearest point within this many pixels
  var tool = "choose";   // "choose", "remove" or "add-<class>"
  var wired = null;      // the store, once wired: its configuration names the task
  var built;             // the classes the tools were built for

  function classes() {
    var config = wired && wired.state.config;
    if (!config) { return 2; }
    if (configs.isRegression(config)) { return null; }
    return config.classes > 2 ? config.classes : 2;
  }

  function finite(x) { return typeof x === "number" && isFinite(x); }

  function onePoint(p, where) {
    if (!Array.isArray(p) || p.length !== 3 || !p.every(finite)) {
      throw new Error(dom.t("playground.point_shape", { where: where, point: JSON.stringify(p) }));
    }
    try { return [p[0], p[1], points.checkLabel(p[2], classes())]; } catch (error) {
      throw new Error(dom.t("playground.point_problem", { where: where, problem: error.message }));
    }
  }

  function checked(data) {
    var given = Array.isArray(data) ? { train: data, test: [] } : data;
    if (!given || typeof given !== "object" || !Array.isArray(given.train) ||
        !Array.isArray(given.test || [])) {
      throw new Error("setData takes a list of points [x1, x2, label], or {train, test} " +
        "lists of them, got " + JSON.stringify(data));
    }
    var own = {};
    ["train", "test"].forEach(function (part) {
      own[part] = (given[part] || []).map(function (p, i) {
        return onePoint(p, dom.t(part === "train" ? "playground.training_point"
          : "playground.test_point", { i: i }));
      });
    });
    var most = configs.LIMITS.ownPoints[1];
    if (!own.train.length) { throw new Error(dom.t("playground.no_training_point")); }
    if (own.train.length + own.test.length > most) {
      throw new Error(dom.t("playground.too_many_points",
        { most: most, count: own.train.length + own.test.length }));
    }
    return own;
  }

  function fromAddress(text) { return checked(points.decode(text, classes())); }

  /** The points now, as own points to change: the learner's, or the generated set's copied. */
  function editable(state) {
    var copy = function (rows) { return rows.map(function (row) { return row.slice(); }); };
    return { train: copy(state.data.train), test: copy(state.data.test) };
  }

  /** The point nearest the click within REACH pixels: {part, index}, or null. */
  function nearest(event, state, box) {
    var rect = $("points").getBoundingClientRect();
    var best = null;
    var distance = REACH;
    ["train", "test"].forEach(function (part) {
      state.data[part].forEach(function (row, index) {
        var x = (row[0] - box.x0) / box.size * rect.width + rect.left;
        var y = (box.y1 - row[1]) / box.size * rect.height + rect.top;
        var d = Math.hypot(x - event.clientX, y - event.clientY);
        if (d < distance) { distance = d; best = { part: part, index: index }; }
      });
    });
    return best;
  }

  /** The plane's point under the click, to two decimals. */
  function placeOf(event, box) {
    var rect = $("points").getBoundingClientRect();
    var round = function (x) { return Math.round(x * 100) / 100 + 0; };
    return [round(box.x0 + (event.clientX - rect.left) / rect.width * box.size),
      round(box.y1 - (event.clientY - rect.top) / rect.height * box.size)];
  }

  /** An error under the tools (as it was said), or else the status line (said again in a new
   *  language): `key` and `params` of the catalogue. */
  function say(key, params, isError) {
    var line = $("points-error");
    line.hidden = !isError;
    line.textContent = isError ? dom.t(key, params) : "";
    if (!isError) { dom.status(function () { return dom.t(key, params); }); }
  }

  function drawOrRemove(event, store) {
    var remove = event.shiftKey || tool === "remove";
    if (!remove && tool === "choose") { return; }  // controls.js chooses the sample clicked
    event.stopPropagation();
    var state = store.state;
    var box = store.view.box;
    var next = editable(state);
    if (remove) {
      var hit = nearest(event, state, box);
      if (!hit) { say("playground.own_none_near", { reach: REACH }, false); return; }
      next[hit.part].splice(hit.index, 1);
    } else {
      next.train.push(placeOf(event, box).concat([Number(tool.slice(4))]));
    }
    try {
      store.update({ own: checked(next) });
      say(remove ? "playground.own_removed" : "playground.own_added", { label: tool.slice(4) },
        false);
    } catch (error) { say("playground.own_unchanged", { error: error.message }, true); }
  }

  function upload(file, store) {
    if (!file) { return; }
    file.text().then(function (text) {
      var own = checked(points.read(text, classes()));
      store.update({ own: own });
      say("playground.own_loaded", { n: own.train.length, file: file.name }, false);
    }).catch(function (error) {
      say("playground.own_not_loaded", { file: file.name, error: error.message }, true);
    });
  }

  function download(state) {
    var rows = state.data.train.concat(state.data.test);
    var name = "chainrule-points-" + (state.own ? "own" : state.config.dataset) + ".csv";
    dom.saveFile(points.write(rows), "text/csv", name);
    dom.status(function () {
      return dom.t("playground.own_saved", { n: rows.length, file: name });
    });
  }

  /** The tools: choose, one "Add class k" per class of the task (none for real targets, which
   *  come from a file or setData), remove. */
  function buildTools(store) {
    var group = $("tools");
    var count = classes();
    built = count + ":" + dom.language();
    group.textContent = "";
    if (tool.indexOf("add-") === 0 && !(Number(tool.slice(4)) < count)) { tool = "choose"; }
    var entries = [["choose", dom.t("playground.tool_choose")]];
    for (var k = 0; k < (count || 0); k += 1) {
      entries.push(["add-" + k, dom.t("playground.tool_add", { label: k })]);
    }
    entries.push(["remove", dom.t("playground.tool_remove")]);
    entries.forEach(function (entry) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "tool";
      input.value = entry[0];
      input.addEventListener("change", function () {
        tool = input.value;
        draw(store.state);
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + entry[1]));
      group.appendChild(label);
    });
  }

  function wire(store) {
    wired = store;
    buildTools(store);
    $("points").parentNode.addEventListener("click", function (event) {
      if (event.target === $("points")) { drawOrRemove(event, store); }
    }, true);
    $("upload").addEventListener("change", function () {
      upload($("upload").files[0], store);
      $("upload").value = "";
    });
    $("download-csv").addEventListener("click", function () { download(store.state); });
    $("datasets").addEventListener("click", function (event) {
      var button = event.target.closest("button[data-dataset]");
      if (store.state.own && button && button.dataset.dataset === store.state.config.dataset) {
        event.stopPropagation();  // the same data set: controls.js would see no change
        store.update({ own: null });
      }
    }, true);
  }

  function draw(state) {
    if (classes() + ":" + dom.language() !== built) { buildTools(wired); }  // another task or language
    Array.prototype.forEach.call(document.querySelectorAll('input[name="tool"]'),
      function (input) { input.checked = input.value === tool; });
    $("points").classList.toggle("drawing", tool !== "choose");
    if (state.own) {
      Array.prototype.forEach.call($("datasets").querySelectorAll("button"), function (button) {
        button.setAttribute("aria-pressed", "false");
      });
    }
    var n = state.data.train.length + state.data.test.length;
    $("own-summary").textContent = !state.own ? dom.t("playground.own_start", { n: n })
      : hash.fits(state.own) ? dom.t("playground.own_kept", { n: n })
        : dom.t("playground.own_too_many", { n: n, most: configs.LIMITS.pointsInAddress });
  }

  return { classes: classes, checked: checked, fromAddress: fromAddress, wire: wire,
    draw: draw };
}(chainrule_playground_config, chainrule_points, chainrule_playground_dom,
  chainrule_playground_hash));
