/* window.chainrule, the playground's scripting API (the DOM is free to change, this is not).
 *
 *   configure({...})  apply any of the configuration keys (dataset, samples, noise,
 *                     trainRatio, features, hidden, activation, loss, optimizer, lr,
 *                     batchSize, l2, seed): checked (an Error names a bad value and
 *                     changes nothing), the trainer rebuilt when data, features or the
 *                     architecture change, the address updated; returns config()
 *   config()          the configuration, as in the address (#dataset=…&hidden=4,4&…)
 *   train(steps)      run that many mini-batch steps, then redraw; returns the epoch
 *                     (throws the error shown if training fails, e.g. diverges)
 *   epoch()           completed epochs;   loss()  the mean training loss now
 *   weights()         every parameter, in MLP.parameters() order (layer, neuron, w then b)
 *   bp(i)             BP1–BP4's quantities for training sample i (as nn.BPQuantities)
 *   model()           the JSON "Download model" saves, which MLP.load reads
 *   sample(i)         choose the training sample backprop is shown for; returns it
 *   select(sel)       {kind: "neuron", l, j} or {kind: "link", l, j, k} (or null)
 *   walk(step)        show BP1–BP4 step `step` (null leaves); returns the caption shown
 *   walkSteps()       every step of the walk: [{equation, text}]
 *   play(), pause(), playing(), reset(), data()
 *
 * This module is that object; app.js puts it on window once the page has started.
 */
var chainrule_playground_api = (function (configs, dom, walk, store, player, model) {
  "use strict";

  var state = store.state;
  var integer = configs.integer;

  return {
    configure: function (patch) {
      if (!patch || typeof patch !== "object") {
        throw new Error("configure takes an object of configuration keys");
      }
      return store.update({ config: patch });
    },
    config: store.config,
    train: function (steps) {
      var n = integer("steps", steps, 0, 1e7);
      player.pause();
      var failed = store.runSteps(n);
      store.update({ trained: true });
      if (failed) { throw new Error(failed); }
      return state.trainer.epoch;
    },
    epoch: function () { return state.trainer.epoch; },
    loss: function () { return state.trainer.loss("train"); },
    weights: function () { return state.trainer.weights(); },
    bp: function (index) { return state.trainer.bp(index); },
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
    data: function () { return state.data; }
  };
}(chainrule_playground_config, chainrule_playground_dom, chainrule_playground_walk,
  chainrule_playground_state, chainrule_playground_player, chainrule_playground_model));
