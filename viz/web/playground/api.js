/* window.chainrule, the playground's scripting API (the DOM is free to change, this is not).
 *
 *   configure({...})  apply any of the configuration keys (dataset, samples, noise,
 *                     trainRatio, features, hidden, activation, init, loss, optimizer, lr,
 *                     batchSize, l1, l2, seed) and speed: activation is one name of nn's
 *                     ACTIVATIONS, or a list of them, one per hidden layer (["relu",
 *                     "tanh"]); init one of nn.init's ("uniform", "xavier", "he"); each
 *                     checked against Python's limits; dataset "reg-plane" or "reg-gauss" is
 *                     regression (real targets, the output heatmap shows ŷ) and brings the
 *                     loss mse, the only one it allows; l1 and l2 are the rates of
 *                     λ₁·sign(p) and λ·p; classes (2 to 5): 2 is the one-output network
 *                     above; K ≥ 3 needs dataset "spiral" or "blobs" (choosing blobs brings
 *                     classes 3), gives the network K linear outputs (the logits) and
 *                     brings the loss "cross_entropy" (softmax, then cross-entropy), the
 *                     only one it allows; back to 2 brings "bce";
 *                     a bad one is refused, changes nothing, is shown in the notice (naming
 *                     the key and the value kept) and thrown as an Error with the same
 *                     text; the trainer rebuilt when data, features or the architecture
 *                     change, the address updated; returns config()
 *   config()          the configuration, as in the address (#dataset=…&hidden=4,4&…)
 *   notices()         the notice's lines: the values of the address or configure not used
 *   speed(s)          Play's speed: epochs per second (1 to 1000) or "max"; returns it
 *   step()            Step: train one epoch, then redraw; returns the epoch
 *   train(steps)      run that many mini-batch steps, then redraw; returns the epoch
 *                     (throws the error shown if training fails, e.g. diverges)
 *   stopped()         why training stopped (the error shown), or null
 *   epoch()           completed epochs;   loss()  the mean training loss now (NaN when
 *                     training stopped and the weights cannot compute it)
 *   engine(name)      what training (train, step, Play) and the loss curves run on: "dense"
 *                     (the default: flat Float64Array loops in the tape's order, the same
 *                     floats sooner) or "tape" (the recorded graph); returns it. A new
 *                     trainer (reset, new data or network) starts on "dense". bp, the walk
 *                     and the inspector always read the tape.
 *   weights()         every parameter, in MLP.parameters() order (layer, neuron, w then b)
 *   bp(i)             BP1–BP4's quantities for training sample i (as nn.BPQuantities, with
 *                     y_hat = softmax(a^L) for K classes, else null);
 *                     {stopped, message} when the weights cannot compute them
 *   predict(x1, x2)   {outputs: a^L (one, or the K logits), y_hat: softmax(a^L) or null,
 *                     class: the argmax of the K logits (null with one output)}
 *   heatmapPoint(ix, iy)  the point [x1, x2] that pixel (ix, iy) of the output heatmap
 *                     (#heatmap, 48 × 48, row 0 at the top) shows
 *   model()           the JSON "Download model" saves, which MLP.load reads
 *   sample(i)         choose the training sample backprop is shown for; returns it
 *   select(sel)       {kind: "neuron", l, j} or {kind: "link", l, j, k} (or null)
 *   walk(step)        show BP1–BP4 step `step` (null leaves); returns the caption shown
 *   walkSteps()       every step of the walk: [{equation, text}]
 *   compare(epochs)   train the network from each initialisation (the same data, seed and
 *                     batch order; `epochs` epochs, 20 when not given), overlay the
 *                     training-loss curves; returns comparison()
 *   comparison()      the last comparison: {epochs, config (without init), losses: {init:
 *                     [training loss after 0, 1, …, epochs epochs]}, stopped: {init:
 *                     message}}, or null
 *   data()            the data: {train, test}, each a list of points [x1, x2, label]
 *   setData(points)   train on your own points: a list of [x1, x2, label] (all to train) or
 *                     {train, test} as data() gives; each label a class of the task (0 or 1);
 *                     1 to 1,000 points. Starts again from fresh weights, puts the points in
 *                     the address when there are at most 200, and returns data(); a bad point
 *                     throws an Error naming it and changes nothing. configure() with a data
 *                     key (dataset, seed, …) goes back to a generated data set
 *   play(), pause(), playing(), reset()
 *   setWeight(l, j, k, w)  set W^l_jk (layer l ≥ 1, neuron j, input k) to w, a number or text
 *                     read as Python's float() reads it; a bad w or index throws, changing
 *                     nothing; training goes on from the new weights; returns the weight
 *   openModel(text)   open a model file's JSON (Download model, MLP.save, chainrule train):
 *                     its features, hidden widths, activation, loss and weights; training
 *                     goes on from them; a bad file throws, naming the problem; returns config()
 *   exportPyTorch()   {code, safetensors}: the .py file and its weights (base64) that
 *                     "Export to PyTorch" saves, byte for byte chainrule export's
 *   language()        the language the page speaks now: "en" or "zh"
 *   setLanguage(lang) say every text in lang ("en" or "zh") in place, as the page's switch
 *                     does; training, the data, the network, the walk and the selection stay
 *                     as they were, and the address says lang= when it is not the language
 *                     the page was written in; another lang throws; returns language()
 *
 * This module is that object; app.js puts it on window once the page has started.
 */
var chainrule_playground_api = (function (configs, hash, dom, walk, store, player, model,
  ownData, compare, weights, pytorch, trainers, heatmap, i18n) {
  "use strict";

  var state = store.state;
  var integer = configs.integer;

  /** f(), or the stopped state when the weights cannot compute it (a kernel's error). */
  function orStopped(f, stopped) {
    try {
      return f();
    } catch (error) {
      if (!(error && error.kind) && !state.error) { throw error; }  // e.g. a wrong argument
      return stopped(error);
    }
  }

  return {
    configure: function (patch) {
      if (!patch || typeof patch !== "object" || Array.isArray(patch)) {
        throw new Error("configure takes an object of configuration keys");
      }
      var config = {};
      var ui = {};
      var problems = [];
      Object.keys(patch).forEach(function (key) {
        try {
          if (key === "speed") { ui.speed = configs.speed(patch[key]); }
          else { config[key] = configs.checked(key, patch[key]); }
        } catch (error) {
          problems.push({ key: key, value: patch[key], message: error.message });
        }
      });
      if (problems.length) {
        var notes = function () {
          return hash.notices(problems, state.config, state.ui, "playground.where_configure");
        };
        dom.notice(notes);
        throw new Error(notes().join(" "));
      }
      var result;
      try {
        result = store.update({ config: config, ui: ui });
      } catch (error) {  // the keys together do not fit (classes and dataset, a loss): say so
        dom.notice([error.message]);
        throw error;
      }
      dom.notice([]);
      return result;
    },
    config: store.config,
    notices: dom.notices,
    speed: function (value) {
      if (value !== undefined) { store.update({ ui: { speed: configs.speed(value) } }); }
      return state.ui.speed;
    },
    step: function () {
      player.step();
      if (state.error) { throw new Error(state.error); }
      return state.trainer.epoch;
    },
    stopped: function () { return state.error; },
    train: function (steps) {
      var n = integer("steps", steps, 0, 1e7);
      player.pause();
      var failed = store.runSteps(n);
      store.update({ trained: true });
      if (failed) { throw new Error(failed); }
      return state.trainer.epoch;
    },
    epoch: function () { return state.trainer.epoch; },
    engine: function (name) {
      return name === undefined ? state.trainer.engine : state.trainer.useEngine(name);
    },
    loss: function () {
      return orStopped(function () { return state.trainer.loss("train"); },
        function () { return NaN; });
    },
    weights: function () { return state.trainer.weights(); },
    bp: function (index) {
      return orStopped(function () { return state.trainer.bp(index); }, function (error) {
        return { stopped: state.error, message: dom.message(error) };
      });
    },
    predict: function (x1, x2) {
      var outputs = state.trainer.outputs(Number(x1), Number(x2));
      var many = outputs.length > 1;
      return { outputs: outputs, y_hat: many ? trainers.softmax(outputs) : null,
        class: many ? trainers.argmax(outputs) : null };
    },
    heatmapPoint: function (ix, iy) {
      return heatmap.pointOf(store.view, integer("ix", ix, 0, heatmap.GRID - 1),
        integer("iy", iy, 0, heatmap.GRID - 1));
    },
    model: model.model,
    sample: function (index) {
      if (index !== undefined) {
        store.update({ sample: integer("sample", index, 0, state.data.train.length - 1) });
      }
      return state.sample;
    },
    select: function (selection) {
      store.update({ selected: selection || null });
      return state.selected;
    },
    walk: function (step) {
      store.update({
        walk: step === null || step === undefined ? null : integer("step", step, 0, 1e6)
      });
      return state.walk === null ? null : dom.$("caption").textContent;
    },
    walkSteps: function () {
      return walk.steps(state.trainer.bp(state.sample), state).map(function (s) {
        return { equation: s.equation, text: s.text.join("\n") };
      });
    },
    play: player.play,
    pause: player.pause,
    playing: function () { return state.playing; },
    reset: function () {
      player.pause();
      store.update({ rebuild: true });
      return state.trainer.epoch;
    },
    data: function () { return { train: state.data.train, test: state.data.test }; },
    setData: function (points) {
      player.pause();
      store.update({ own: ownData.checked(points) });
      return { train: state.data.train, test: state.data.test };
    },
    compare: function (epochs) {
      player.pause();
      return compare.run(store, epochs);
    },
    comparison: compare.result,
    setWeight: function (l, j, k, w) {
      player.pause();
      return weights.setWeight(l, j, k, w);
    },
    openModel: function (text) {
      player.pause();
      return weights.openModel(text);
    },
    exportPyTorch: pytorch.exported,
    language: i18n.language,
    setLanguage: function (lang) {
      i18n.setLanguage(lang);
      return i18n.language();
    }
  };
}(chainrule_playground_config, chainrule_playground_hash, chainrule_playground_dom,
  chainrule_playground_walk, chainrule_playground_state, chainrule_playground_player, chainrule_playground_model,
  chainrule_playground_own, chainrule_playground_compare, chainrule_playground_weights,
  chainrule_playground_pytorch, chainrule_trainer, chainrule_playground_heatmap,
  chainrule_i18n));
