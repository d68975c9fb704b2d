/* Playing, pausing and stepping the training.
 *
 * While playing, each animation frame trains, then asks update() to redraw (which it does
 * at most every 100 ms); an error stops play and is shown. At the speed "max" a frame trains
 * for TRAIN_BUDGET ms; at a speed of s epochs per second it trains until the run has gone
 * s epochs a second since play started (or the speed changed), within the same budget, and
 * never tries to catch up more than CATCH_UP seconds it missed (a hidden tab). pause()
 * redraws everything, the heatmaps too; step() pauses and trains one epoch, as
 * TensorFlow Playground's Step does.
 */
var chainrule_playground_player = (function (store) {
  "use strict";

  var TRAIN_BUDGET = 12;  // ms of training per animation frame while playing
  var CATCH_UP = 0.25;    // s of missed training a slower speed makes up at most
  var state = store.state;
  var anchor = null;      // {time, progress, speed, trainer}: where the paced run started

  /** Epochs done, with the part of this one: epoch + (samples done this epoch) / n. */
  function progress(t) {
    return t.epoch + t.start / Math.max(1, state.data.train.length);
  }

  function paced(speed, until) {
    var t = state.trainer;
    var now = performance.now();
    if (!anchor || anchor.speed !== speed || anchor.trainer !== t) {
      anchor = { time: now, progress: progress(t), speed: speed, trainer: t };
    }
    var due = anchor.progress + (now - anchor.time) / 1000 * speed;
    if (due - progress(t) > speed * CATCH_UP) {  // far behind: start again from here
      anchor = { time: now, progress: progress(t), speed: speed, trainer: t };
      due = anchor.progress;
    }
    if (progress(t) >= due) { return null; }
    return store.runSteps(Infinity, until, function (trainer) { return progress(trainer) >= due; });
  }

  function frame() {
    if (!state.playing) { return; }
    var until = performance.now() + TRAIN_BUDGET;
    var speed = state.ui.speed;
    var failed = speed === "max" ? store.runSteps(1e9, until) : paced(speed, until);
    store.update({ trained: true, playing: !failed && state.playing });
    if (state.playing) { requestAnimationFrame(frame); }
  }

  function play() {
    if (state.playing || state.error) { return; }
    anchor = null;
    store.update({ playing: true });
    requestAnimationFrame(frame);
  }

  function pause() {
    if (!state.playing) { return; }
    store.markStale();
    store.update({ playing: false });
  }

  /** Pause, and train one epoch (one mini-batch step at a time, as nn.fit). */
  function step() {
    pause();
    store.runEpoch();
    store.markStale();
    store.update({ trained: true });
  }

  return { play: play, pause: pause, step: step };
}(chainrule_playground_state));
