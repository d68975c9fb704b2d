/* The values and formulas of a neuron or a link, on hover or focus, in docs/backprop.md's names.
 *
 * Pointing at (or focusing) neuron j of layer l shows, for the chosen training sample,
 *   z^l_j = Σ_k W^l_jk a^(l−1)_k + b^l_j,  a^l_j = σ(z^l_j),  δ^l_j = ∂C/∂z^l_j (BP1 at the
 *   output, BP2 below it) and ∂C/∂b^l_j = δ^l_j (BP4);
 * a link (or the inspector's row for it) shows W^l_jk and ∂C/∂W^l_jk = a^(l−1)_k δ^l_j (BP3).
 * Every number is the tape's (view.q, trainer.bp), as the inspector's are. The card is
 * role="tooltip", described-by for the focused element, and follows the values while
 * training plays, and its element when the page scrolls. Escape hides it.
 *
 *   wire(store)         listen on the network and the inspector (store: state.js's)
 *   draw(state, view)   refresh the card for what is pointed at (draw.js, every redraw)
 *   lines(state, view, target)  the card's lines for {kind, l, j[, k]} (tests read them)
 */
var chainrule_playground_hovercard = (function (notation, configs, dom) {
  "use strict";

  var $ = dom.$;
  var tr = dom.t;
  var num = notation.num;
  var factor = notation.factor;
  var store = null;      // state.js's, given to wire()
  var target = null;     // {kind: "neuron", l, j} or {kind: "link", l, j, k}, or null
  var anchor = null;     // the element it was read from

  function lines(state, view, t) {
    var q = view.q;
    var widths = configs.widthsOf(state.config);
    var L = widths.length - 1;
    var prev = function (k) { return t.l === 1 ? "x" + notation.sub(k) : notation.a(t.l - 1, k); };
    if (!q) { return [tr("playground.hover_cannot", { error: view.bpError || state.error })]; }
    var out = [tr("playground.hover_sample", { sample: state.sample })];
    if (t.kind === "link") {
      var W = state.trainer.layers()[t.l - 1][t.j].w[t.k];
      var input = q.a[t.l - 1][t.k];
      var delta = q.delta[t.l][t.j];
      out.push(tr("playground.hover_weight", { w: notation.w(t.l, t.j, t.k), value: num(W) }));
      out.push("∂C/∂" + notation.w(t.l, t.j, t.k) + " = " + prev(t.k) + " · " +
        notation.d(t.l, t.j) + " = " + factor(input) + " · " + factor(delta) + " = " +
        num(q.dC_dW[t.l][t.j][t.k]) + "   (BP3)");
      return out;
    }
    var z = notation.z(t.l, t.j);
    var a = notation.a(t.l, t.j);
    var d = notation.d(t.l, t.j);
    var activation = t.l === L ? "linear" : configs.hiddenActivations(state.config)[t.l - 1];
    out.push(z + " = Σₖ " + notation.w(t.l, t.j, "k") + " " + (t.l === 1 ? "xₖ" :
      "a" + notation.sup(t.l - 1) + "ₖ") + " + " + notation.b(t.l, t.j) + " = " +
      num(q.z[t.l][t.j]));
    out.push(a + " = σ(" + z + ") = " + activation + "(" + num(q.z[t.l][t.j]) + ") = " +
      num(q.a[t.l][t.j]));
    if (t.l === L && q.y_hat) {  // K classes: the logit's softmax, and BP1's ŷⱼ − yⱼ
      var j = notation.sub(t.j);
      out.push(tr("playground.hover_softmax", { j: j, value: num(q.y_hat[t.j]), a: a }));
    }
    out.push(d + " = ∂C/∂" + z + " = " + (t.l === L
      ? "∂C/∂" + a + " · σ′(" + z + ") = " + factor(q.dC_da[t.l][t.j]) + " · " +
        factor(q.sigma_prime[t.l][t.j]) + " = " + num(q.delta[t.l][t.j]) + "   (BP1)"
      : "(Σₘ W" + notation.sup(t.l + 1) + "ₘ" + notation.sub(t.j) + " δ" +
        notation.sup(t.l + 1) + "ₘ) · σ′(" + z + ") = " + factor(q.dC_da[t.l][t.j]) + " · " +
        factor(q.sigma_prime[t.l][t.j]) + " = " + num(q.delta[t.l][t.j]) + "   (BP2)"));
    out.push("∂C/∂" + notation.b(t.l, t.j) + " = " + d + " = " + num(q.dC_db[t.l][t.j]) +
      "   (BP4)");
    return out;
  }

  /** What an element stands for: a neuron button, a link's path, or an inspector row. */
  function targetOf(element) {
    var found = element && element.closest && element.closest(".neuron, .hit, [data-select]");
    if (!found) { return null; }
    if (found.dataset.select) { return { element: found, t: JSON.parse(found.dataset.select) }; }
    var t = { kind: found.dataset.k === undefined ? "neuron" : "link",
      l: Number(found.dataset.l), j: Number(found.dataset.j) };
    if (t.kind === "link") { t.k = Number(found.dataset.k); }
    return { element: found, t: t };
  }

  function show(event) {
    var found = targetOf(event.target);
    if (!found) { return; }
    target = found.t;
    anchor = found.element;
    if (anchor.tagName === "BUTTON") { anchor.setAttribute("aria-describedby", "hovercard"); }
    draw(store.state, store.view);
  }

  function hide() {
    target = null;
    anchor = null;
    $("hovercard").hidden = true;
  }

  function draw(state, view) {
    var card = $("hovercard");
    if (!target || !anchor || !anchor.isConnected) { card.hidden = true; return; }
    var widths = configs.widthsOf(state.config);
    if (!(target.l >= 1 && target.l < widths.length && target.j < widths[target.l])) {
      hide();
      return;
    }
    card.textContent = lines(state, view, target).join("\n");
    card.hidden = false;
    place();
  }

  /** The card under its element, or above it when there is no room below. */
  function place() {
    var card = $("hovercard");
    if (card.hidden || !anchor) { return; }
    var box = anchor.getBoundingClientRect();
    var left = Math.max(4, Math.min(window.innerWidth - card.offsetWidth - 4, box.left));
    var below = box.bottom + 6;
    var top = below + card.offsetHeight < window.innerHeight ? below
      : Math.max(4, box.top - card.offsetHeight - 6);
    card.style.left = left + "px";
    card.style.top = top + "px";
  }

  function wire(given) {
    store = given;
    ["network", "inspector"].forEach(function (id) {
      $(id).addEventListener("mouseover", show);
      $(id).addEventListener("focusin", show);
      $(id).addEventListener("mouseleave", hide);
      $(id).addEventListener("focusout", hide);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(); }
    });
    window.addEventListener("scroll", place, { passive: true });  // it follows its element
  }

  return { wire: wire, draw: draw, lines: lines };
}(chainrule_playground_notation, chainrule_playground_config, chainrule_playground_dom));
