/* Playing, pausing and stepping the training.
 *
 * While playing, each animation frame trains for TRAIN_BUDGET ms, then asks update() to
 * redraw (which it does at most every 100 ms); an error stops play and is shown. pause()
 * redraws everything, the heatmaps too; step() pauses and trains on one mini-batch.
 */
var chainrule_playground_player = (function (store) {
  "use strict";

  var TRAIN_BUDGET = 12;  // ms of training per animation frame while playing
  var state = store.state;

  function frame() {
    if (!state.playing) { return; }
    var until = performance.now() + TRAIN_BUDGET;
    var failed = store.runSteps(1e9, until);
    store.update({ trained: true, playing: !failed && state.playing });
    if (state.playing) { requestAnimationFrame(frame); }
  }

  function play() {
    if (state.playing || state.error) { return; }
    store.update({ playing: true });
    requestAnimationFrame(frame);
  }

  function pause() {
    if (!state.playing) { return; }
    store.markStale();
    store.update({ playing: false });
  }

  function step() {
    pause();
    store.runSteps(1);
    store.update({ trained: true });
  }

  return { play: play, pause: pause, step: step };
}(chainrule_playground_state));
