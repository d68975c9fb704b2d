/* The step-through page: three phases of frames over one picture, and the what-if controls.
 *
 *   forward    one frame per node, in topological order: the op and its numbers
 *   backward   one frame per edge: the chain rule applied to it
 *   summary    every leaf's gradient and what it means
 *
 * Every change goes through show(), which paints the picture, writes the caption and moves
 * the address to #step=N. window.chainrule is the scripting API (README, "Step through
 * backprop in a browser"); the DOM is free to change, the API is not. start.js calls this
 * once the picture is in place, with the boxes the browser measured when it laid it out.
 * Every word comes from the catalogue (i18n.t); a switch of language (i18n.onChange) writes
 * the frame, the what-if messages and the error again, keeping the step, the leaves' values
 * and the view.
 */
var chainrule_page = function (engine, narration, views, laidOut, i18n) {
  "use strict";

  var data = JSON.parse(document.getElementById("chainrule-graph").textContent);
  if (laidOut) {  // the browser laid the graph out (start.js): its boxes, not Python's
    data.boxes = laidOut.boxes;
    data.labels = laidOut.labels;
  }
  var graph = { nodes: data.nodes };
  var opsByName = Object.create(null);  // an op may be named constructor, or __proto__
  data.ops.forEach(function (op) { opsByName[op.name] = op; });
  var narrator = new narration.Narrator(graph, opsByName);
  var view = new views.View(document.querySelector("#picture svg"), graph, data);
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    caption: $("caption"), counter: $("counter"), slider: $("slider"), play: $("play"),
    previous: $("previous"), next: $("next"), error: $("error"), picture: $("picture"),
    phases: $("phases"), fit: $("zoom-fit"), follow: $("follow")
  };
  var n = graph.nodes.length;
  var root = n - 1;
  var ROLE_ORDER = { input: 0, parameter: 1 };  // then any other leaf (a target y, say)
  function rank(role) {
    return Object.prototype.hasOwnProperty.call(ROLE_ORDER, role) ? ROLE_ORDER[role] : 2;
  }
  var editable = [];
  graph.nodes.forEach(function (node, i) {
    if (node.op === null && !node.constant) { editable.push(i); }
  });
  var layered = graph.nodes.some(function (node) { return Boolean(node.group); });
  editable.sort(function (i, j) {  // a model's page: layer by layer, as the frames go
    var a = layered ? 0 : rank(graph.nodes[i].role);
    var b = layered ? 0 : rank(graph.nodes[j].role);
    return a - b || i - j;
  });

  var leafValues = {};
  var computed = engine.compute(graph, leafValues);
  var frozen = null;  // why the numbers cannot change, when an op has no JavaScript kernel
  if (computed.error && computed.error.kind === "NoKernel") {
    frozen = computed.error.message;
    computed = engine.recorded(graph);
  }
  var current = 0;
  var timer = null;
  var refused = null;  // the leaves' values of the error shown, to say it again in a new language
  var refusedFields = Object.create(null);  // node index → the text its field refused
  var langInAddress = i18n.fromAddress() !== null;  // keep lang= in the #hash once there

  function frameCount() { return n + computed.steps.list.length + 1; }

  function phaseOf(k) {
    if (k < n) { return "forward"; }
    if (k < n + computed.steps.list.length) { return "backward"; }
    return "summary";
  }

  /** The picture's state at frame k: which numbers are known, which edge is active. */
  function stateAt(k) {
    var values = computed.values;
    var state = { values: [], grads: [], locals: [], carried: {}, active: null };
    var phase = phaseOf(k);
    var shownUpTo = phase === "forward" ? k : n - 1;
    for (var i = 0; i < n; i += 1) {
      state.values.push(i <= shownUpTo ? values[i] : null);
      state.locals.push(i <= shownUpTo ? computed.locals[i] : null);
      state.grads.push(null);
    }
    if (phase === "forward") {
      state.active = { node: k };
      return state;
    }
    var steps = computed.steps.list;
    var last = phase === "backward" ? k - n : steps.length - 1;
    state.grads[root] = 1.0;
    for (var s = 0; s <= last; s += 1) {
      var step = steps[s];
      state.grads[step.parent] = step.parentGrad;
      state.carried[step.node + "_" + step.operand] = [step.upstream, step.contribution];
    }
    if (phase === "backward") {
      var active = steps[last];
      state.active = { node: active.node, operand: active.operand, parent: active.parent };
    }
    return state;
  }

  function caption(k) {
    var phase = phaseOf(k);
    if (phase === "forward") { return narrator.forward(k, computed.values); }
    if (phase === "backward") {
      return narrator.backward(computed.steps.list[k - n], computed.values);
    }
    return narrator.summary(computed.steps.grads);
  }

  /** The caption of frame k; the Summary's is a compact table, grouped and sorted. */
  function writeCaption(k) {
    if (phaseOf(k) !== "summary") {
      ui.caption.classList.remove("summary");
      ui.caption.textContent = caption(k);
      return;
    }
    ui.caption.classList.add("summary");
    ui.caption.textContent = "";
    var heading = document.createElement("span");
    heading.className = "summary-heading";
    heading.textContent = narrator.summaryHeading();
    var table = document.createElement("span");
    table.className = "summary-table";
    narrator.summaryGroups(computed.steps.grads).forEach(function (group) {
      if (group.title) {
        var title = document.createElement("span");
        title.className = "summary-group";
        title.textContent = group.title;
        table.appendChild(title);
      }
      group.rows.forEach(function (row) {
        var line = document.createElement("span");
        line.className = "summary-row";
        line.dataset.leaf = row.name;
        var name = document.createElement("span");
        name.textContent = row.name;
        var grad = document.createElement("span");
        grad.className = "summary-grad";
        grad.textContent = (row.grad > 0 ? "+" : "") + narration.shown(row.grad) +
          (row.grad > 0 ? " ↑" : row.grad < 0 ? " ↓" : " ·");
        line.appendChild(name);
        line.appendChild(grad);
        table.appendChild(line);
      });
    });
    ui.caption.appendChild(heading);
    ui.caption.appendChild(table);
  }

  function counterText(k) {
    var phase = phaseOf(k);
    var steps = computed.steps.list.length;
    if (phase === "forward") { return i18n.t("page.counter_forward", { step: k + 1, steps: n }); }
    if (phase === "backward") {
      return i18n.t("page.counter_backward", { step: k - n + 1, steps: steps });
    }
    return i18n.t("page.summary");
  }

  /**
   * What frame k shows, for the view to follow (view.js): the frame that starts the forward
   * pass and the summary show every node; a forward frame its node and op, then the operands;
   * a backward frame the node whose grad it writes, then the edge's label, then the op's node.
   */
  function targetOf(state, k) {
    var active = state.active;
    if (!active) { return { overview: true }; }
    var node = active.node;
    if (active.operand === undefined) {
      var operands = graph.nodes[node].parents.map(function (p) { return "v" + p; });
      return { overview: k === 0, nodes: ["v" + node, "op" + node], around: operands };
    }
    return { nodes: ["v" + active.parent], label: "e" + node + "_" + active.operand,
      around: ["op" + node, "v" + node] };
  }

  function showView(view_) {
    ui.fit.setAttribute("aria-pressed", String(view_.fit));
    ui.follow.setAttribute("aria-pressed", String(view_.follow));
  }

  function show(k, options) {
    k = Math.max(0, Math.min(frameCount() - 1, Math.round(Number(k) || 0)));
    current = k;
    var state = stateAt(k);
    if (options && options.opening) { view.open(targetOf(state, k)); }
    else if (!(options && options.keepView)) { view.frame(targetOf(state, k)); }
    view.paint(state);
    writeCaption(k);
    ui.counter.textContent = counterText(k);
    ui.slider.max = String(frameCount() - 1);
    ui.slider.value = String(k);
    ui.previous.disabled = k === 0;
    ui.next.disabled = k === frameCount() - 1;
    Array.prototype.forEach.call(ui.phases.querySelectorAll("button[data-phase]"), function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.phase === phaseOf(k)));
    });
    var hash = "#step=" + k + addressLanguage();
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (error) { location.hash = hash; }
    }
    if (k === frameCount() - 1) { pause(); }
  }

  /** "&lang=zh" for the #hash, once the address or a switch has chosen the language ("" until
   * then, and when ?lang= in the address's query says it: the query is rewritten instead). */
  function addressLanguage() {
    if (!langInAddress) { return ""; }
    var query = /([?&]lang=)[^&]*/;
    if (query.test(location.search)) {
      var search = location.search.replace(query, "$1" + i18n.language());
      if (search !== location.search) {
        try { history.replaceState(null, "", search + location.hash); } catch (error) { /* kept */ }
      }
      return "";
    }
    return "&lang=" + i18n.language();
  }

  function playText() { ui.play.textContent = i18n.t(timer === null ? "page.play" : "page.pause"); }

  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    playText();
    ui.play.setAttribute("aria-pressed", "false");
  }

  function play() {
    if (current === frameCount() - 1) { show(0); }
    timer = setInterval(function () { show(current + 1); }, 1500);
    playText();
    ui.play.setAttribute("aria-pressed", "true");
  }

  function togglePlay() { if (timer === null) { play(); } else { pause(); } }

  /* --- what-if: the leaves' fields -------------------------------------------------------- */

  function leafIndex(name) {
    var i = editable.find(function (j) { return graph.nodes[j].name === name; });
    if (i === undefined) {
      throw new Error("no editable leaf named " + JSON.stringify(name) + "; the leaves are " +
        editable.map(function (j) { return graph.nodes[j].name; }).join(", "));
    }
    return i;
  }

  function recompute(values) {
    var result = engine.compute(graph, values);
    if (result.error) {
      ui.error.textContent = result.error.kind + ": " + result.error.message;
      ui.error.hidden = false;
      refused = values;
      return result.error;
    }
    leafValues = values;
    computed = result;
    refused = null;
    ui.error.hidden = true;
    ui.error.textContent = "";
    show(Math.min(current, frameCount() - 1), { keepView: true });
    return null;
  }

  /* A leaf's new value is read exactly as `chainrule step --set NAME=VALUE` reads it (Python's
   * float(), then finite: chainrule/cli.py's _assignment), with its messages. A number given
   * to setLeaf is read as its Python repr; null, true and other values are refused. */
  var py = chainrule_pyformat;

  function pyStr(text) {
    var quote = text.indexOf("'") >= 0 && text.indexOf('"') < 0 ? '"' : "'";
    var body = text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t")
      .replace(/\r/g, "\\r");
    if (quote === "'") { body = body.replace(/'/g, "\\'"); }
    return quote + body + quote;
  }

  function parseLeaf(name, input) {
    var text = typeof input === "number" ? py.repr(input) : input;
    var value = py.float(text);
    if (value === null) {
      var written = typeof text === "string" ? pyStr(text.trim()) : String(JSON.stringify(input));
      return { error: { kind: "ValueError",
        message: i18n.t("page.not_a_number", { name: name, text: written }) } };
    }
    if (!isFinite(value)) {
      return { error: { kind: "ValueError", message: i18n.t("page.not_finite", { name: name }) } };
    }
    return { value: value };
  }

  function fieldOf(i) { return document.querySelector('input[data-node="' + i + '"]'); }

  /** The message beside leaf i's field ("" to clear it). */
  function fieldMessage(i, message) {
    var note = document.getElementById("leaf-error-" + i);
    var field = fieldOf(i);
    if (!note) { return; }
    note.textContent = message;
    note.hidden = !message;
    if (field) { field.setAttribute("aria-invalid", String(Boolean(message))); }
  }

  function fieldError() {
    var shown = Array.prototype.find.call(document.querySelectorAll(".leaf-error"),
      function (note) { return !note.hidden; });
    return shown ? shown.textContent : null;
  }

  function setLeaf(name, input) {
    var i = leafIndex(name);
    if (frozen) {
      ui.error.textContent = frozen;
      ui.error.hidden = false;
      return { kind: "NoKernel", message: frozen };
    }
    var parsed = parseLeaf(graph.nodes[i].name, input);
    var field = fieldOf(i);
    if (field && typeof input === "string" && field.value !== input) { field.value = input; }
    if (parsed.error) {  // the field keeps the text, the graph its numbers
      refusedFields[i] = input;
      fieldMessage(i, parsed.error.message);
      return parsed.error;
    }
    delete refusedFields[i];
    fieldMessage(i, "");
    var values = Object.assign({}, leafValues);
    values[i] = parsed.value;
    if (field && py.float(field.value) !== parsed.value) { field.value = py.repr(parsed.value); }
    return recompute(values);
  }

  function reset() {
    editable.forEach(function (i) {
      var field = fieldOf(i);
      if (field) { field.value = py.repr(graph.nodes[i].data); }
      delete refusedFields[i];
      fieldMessage(i, "");
    });
    recompute({});
  }

  function buildLeafFields() {
    var list = $("leaves");
    editable.forEach(function (i) {
      var node = graph.nodes[i];
      var label = document.createElement("label");
      var name = document.createElement("span");
      name.textContent = node.name;
      var field = document.createElement("input");
      field.type = "text";  // the learner's text stays as typed, refused or not
      field.inputMode = "decimal";
      field.spellcheck = false;
      field.autocomplete = "off";
      field.value = py.repr(node.data);
      field.dataset.node = String(i);
      field.setAttribute("aria-label", i18n.t("page.leaf_value", { name: node.name }));
      field.setAttribute("aria-describedby", "leaf-error-" + i);
      field.disabled = Boolean(frozen);
      var note = document.createElement("small");
      note.id = "leaf-error-" + i;
      note.className = "leaf-error";
      note.setAttribute("role", "alert");
      note.hidden = true;
      field.addEventListener("change", function () { setLeaf(node.name, field.value); });
      label.appendChild(name);
      label.appendChild(field);
      label.appendChild(note);
      list.appendChild(label);
      var box = view.nodes[i].group;
      if (box) {
        box.style.cursor = "pointer";
        box.addEventListener("click", function () { field.focus(); field.select(); });
      }
    });
  }

  function named(numbers) {
    var out = {};
    graph.nodes.forEach(function (node, i) {  // defined, not assigned: a leaf may be __proto__
      if (!node.constant) {
        Object.defineProperty(out, node.name,
          { value: numbers[i], enumerable: true, writable: true, configurable: true });
      }
    });
    return out;
  }

  /* --- controls: buttons, keys, wheel, drag, pinch, swipe --------------------------------- */

  function wire() {
    ui.previous.addEventListener("click", function () { pause(); show(current - 1); });
    ui.next.addEventListener("click", function () { pause(); show(current + 1); });
    ui.play.addEventListener("click", togglePlay);
    ui.slider.addEventListener("input", function () { pause(); show(ui.slider.value); });
    $("reset").addEventListener("click", reset);
    $("zoom-in").addEventListener("click", function () { view.zoom(1.4); });
    $("zoom-out").addEventListener("click", function () { view.zoom(1 / 1.4); });
    ui.fit.addEventListener("click", function () { view.fit(); });
    ui.follow.addEventListener("click", function () {
      view.setFollow(!view.following, targetOf(stateAt(current), current));
    });
    Array.prototype.forEach.call(ui.phases.querySelectorAll("button[data-phase]"), function (button) {
      button.addEventListener("click", function () {
        pause();
        var starts = { forward: 0, backward: n, summary: frameCount() - 1 };
        show(starts[button.dataset.phase]);
      });
    });
    document.addEventListener("keydown", function (event) {
      var tag = event.target.tagName;
      if (event.altKey || event.ctrlKey || event.metaKey || tag === "INPUT" || tag === "TEXTAREA") {
        return;
      }
      var moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: frameCount() - 1 };
      if (event.key in moves) { pause(); show(moves[event.key]); event.preventDefault(); }
      else if (event.key === " " && tag !== "BUTTON") { togglePlay(); event.preventDefault(); }
    });
    window.addEventListener("hashchange", function () {
      var k = stepFromHash();  // before a switch of language writes the address again
      var lang = i18n.fromAddress();
      if (lang !== null && lang !== i18n.language()) { i18n.setLanguage(lang); }
      if (k !== null && k !== current) { show(k); }
    });
    var svg = view.svg;
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var rect = svg.getBoundingClientRect();
      view.zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, (event.clientX - rect.left) / rect.width,
        (event.clientY - rect.top) / rect.height);
    }, { passive: false });
    var pointers = {};
    var pinch = null;
    svg.addEventListener("pointerdown", function (event) {
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      var last = pointers[event.pointerId];
      if (!last) { return; }
      var ids = Object.keys(pointers);
      if (ids.length === 2) {
        var other = pointers[ids[0] === String(event.pointerId) ? ids[1] : ids[0]];
        var before = Math.hypot(last.x - other.x, last.y - other.y);
        var after = Math.hypot(event.clientX - other.x, event.clientY - other.y);
        if (pinch !== null && before > 0) { view.zoom(after / before); }
        pinch = after;
      } else {
        view.pan(event.clientX - last.x, event.clientY - last.y);
      }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    });
    function release(event) {
      if (pointers[event.pointerId]) { view.commit(); }
      delete pointers[event.pointerId];
      pinch = null;
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    var swipe = null;
    ui.caption.addEventListener("pointerdown", function (event) { swipe = event.clientX; });
    ui.caption.addEventListener("pointerup", function (event) {
      if (swipe === null) { return; }
      var dx = event.clientX - swipe;
      swipe = null;
      if (Math.abs(dx) > 40) { pause(); show(current + (dx < 0 ? 1 : -1)); }
    });
  }

  /** The picture's words (its cluster titles, drawn by Graphviz in the page's written
   * language) in the current one, from Python's map of each such text (its words, with
   * single spaces: Graphviz writes a run of spaces with no-break ones) to both languages.
   * Each <text> remembers what it was written as, so it can switch back and forth. */
  function relabelPicture() {
    var written = data.pictureTexts || {};
    var texts = ui.picture.querySelectorAll("svg text");
    for (var i = 0; i < texts.length; i += 1) {
      var was = texts[i].getAttribute("data-written");
      if (was === null) {
        was = texts[i].textContent.replace(/\s+/g, " ").trim();
        if (!Object.prototype.hasOwnProperty.call(written, was)) { continue; }
        texts[i].setAttribute("data-written", was);
      }
      texts[i].textContent = written[was][i18n.language()];
    }
  }

  /** After a switch of language: every text written from numbers, in the new language, at
   * the same step, with the same leaves' values and the same view. */
  function relabel() {
    langInAddress = true;
    relabelPicture();
    if (frozen) {
      frozen = engine.compute(graph, {}).error.message;
      ui.error.textContent = frozen;
    }
    editable.forEach(function (i) {
      var field = fieldOf(i);
      if (field) { field.setAttribute("aria-label", i18n.t("page.leaf_value", { name: graph.nodes[i].name })); }
      if (Object.prototype.hasOwnProperty.call(refusedFields, i)) {
        fieldMessage(i, parseLeaf(graph.nodes[i].name, refusedFields[i]).error.message);
      }
    });
    if (refused) {
      var error = engine.compute(graph, refused).error;
      ui.error.textContent = error.kind + ": " + error.message;
    }
    playText();
    show(current, { keepView: true });
  }

  function stepFromHash() {
    var match = /(?:^#|&)step=(\d+)/.exec(location.hash);
    return match ? Number(match[1]) : null;
  }

  buildLeafFields();
  wire();
  relabelPicture();  // the address may ask for the other language than the written one
  i18n.onChange(relabel);
  view.onchange = showView;
  show(stepFromHash() || 0, { opening: true });
  showView(view.view());

  window.chainrule = {
    /** How many frames there are: forward, then backward, then the summary. */
    frameCount: frameCount,
    /** Show frame n (the same n as #step=n). */
    goto: function (k) { pause(); show(k); return current; },
    /** The frame shown: {index, phase, caption}. */
    frame: function () { return { index: current, phase: phaseOf(current), caption: caption(current) }; },
    /** The names of the leaves a learner can change. */
    leaves: function () { return editable.map(function (i) { return graph.nodes[i].name; }); },
    /** Give a leaf a new value and recompute everything; returns null, or the error shown. */
    setLeaf: setLeaf,
    /** Put every leaf back to its recorded value. */
    reset: reset,
    /** Every named node's value, by name. */
    values: function () { return named(computed.values); },
    /** Every named node's gradient ∂root/∂node after the whole backward pass, by name. */
    grads: function () { return named(computed.steps.grads); },
    /** The message of the error shown (a refused leaf value's first), or null. */
    error: function () { return fieldError() || (ui.error.hidden ? null : ui.error.textContent); },
    /** What the picture shows: {viewBox: [x, y, width, height], fit, follow}. */
    view: function () { return view.view(); },
    /** Show the whole graph, kept through the steps (the Fit button); returns view(). */
    fit: function () { view.fit(); return view.view(); },
    /** Follow the steps, or (false) stop following (the Follow button); returns view(). */
    follow: function (on) {
      view.setFollow(on === undefined ? true : on, targetOf(stateAt(current), current));
      return view.view();
    },
    /** The language every text is shown in now: "en" or "zh". */
    language: function () { return i18n.language(); },
    /** Show every text in lang ("en" or "zh"), in place: the step, the leaves and the view
     * stay as they are (the switch's buttons); returns language(). */
    setLanguage: function (lang) { i18n.setLanguage(lang); return i18n.language(); }
  };
  performance.mark("chainrule-ready");  // how long the page took to open (make bench reads it)
  requestAnimationFrame(function () {  // the next task after this frame: it has been painted
    setTimeout(function () { performance.mark("chainrule-painted"); }, 0);
  });
};
