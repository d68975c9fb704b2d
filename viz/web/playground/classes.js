/* K classes in pictures: each class its colour, each region its class's, as sure as softmax is.
 *
 * With K ≥ 3 classes the output layer has K logits a^L_k, and the network's answer at a
 * point is the class k of the largest (argmax), with ŷ = softmax(a^L) saying how sure it is.
 * paint() colours each heatmap pixel with the colour of its argmax class, mixed with the
 * theme's middle colour by how far the largest ŷ_k is above the 1/K of a blind guess:
 * full colour where ŷ_k = 1, the middle where every class is as likely (when discretized,
 * full colour everywhere). The colours are Okabe and Ito's, told apart with every common
 * colour-vision deficiency, and legend() names them under the picture.
 */
var chainrule_playground_classes = (function (trainers) {
  "use strict";

  var COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00"];  // Okabe-Ito

  function rgb(hex) {
    return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
  }

  /** Class k's colour, as CSS. */
  function colour(k) { return COLOURS[k]; }

  /**
   * The pixel colour [r, g, b] of a point whose logits are `logits`: the argmax class's
   * colour, faded towards `middle` ([r, g, b]) as the largest softmax probability falls to 1/K.
   */
  function pixel(logits, middle, discretize) {
    var k = trainers.argmax(logits);
    var K = logits.length;
    var sure = discretize ? 1 : (trainers.softmax(logits)[k] - 1 / K) / (1 - 1 / K);
    var full = rgb(COLOURS[k]);
    return full.map(function (c, i) { return Math.round(middle[i] + (c - middle[i]) * sure); });
  }

  /** Paint the K logit grids (each GRID × GRID) on a canvas as regions of their argmax. */
  function paint(canvas, grids, grid, middle, discretize) {
    var context = canvas.getContext("2d");
    if (canvas.width !== grid) { canvas.width = grid; canvas.height = grid; }
    var image = context.createImageData(grid, grid);
    var logits = new Array(grids.length);
    for (var p = 0; p < grid * grid; p += 1) {
      for (var k = 0; k < grids.length; k += 1) { logits[k] = grids[k][p]; }
      var finite = logits.every(isFinite);
      var colour = finite ? pixel(logits, middle, discretize) : middle;
      image.data[p * 4] = colour[0];
      image.data[p * 4 + 1] = colour[1];
      image.data[p * 4 + 2] = colour[2];
      image.data[p * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  /** Fill `list` (an element) with one swatch and name per class 0 … K − 1. */
  function legend(list, K) {
    list.textContent = "";
    for (var k = 0; k < K; k += 1) {
      var item = document.createElement("span");
      item.className = "class-key";
      var dot = document.createElement("span");
      dot.className = "dot";
      dot.setAttribute("aria-hidden", "true");
      dot.style.background = COLOURS[k];
      item.appendChild(dot);
      item.appendChild(document.createTextNode(" class " + k + " "));
      list.appendChild(item);
    }
  }

  return { COLOURS: COLOURS, colour: colour, pixel: pixel, paint: paint, legend: legend, rgb: rgb };
}(chainrule_trainer));
