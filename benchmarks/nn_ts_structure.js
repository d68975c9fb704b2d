/* TensorFlow Playground's engine, re-implemented by structure, for benchmarking only (#22).
 *
 * This is not TensorFlow Playground's code: it was written here from reading its src/nn.ts
 * and the oneStep of src/playground.ts, to time the same *structure* of computation next to
 * the playground's dense path, in the same headless Chromium, in the same run. It is never
 * put in a page the project ships; benchmarks/in_browser.py injects it into a playground
 * page for the measurement.
 *
 * The structure kept: one Neuron object per neuron (bias, total input, output, the
 * derivatives of the error towards its output and its total input, their sum over the
 * batch and a count), one Link object per weight (source, destination, weight, derivative,
 * its sum over the batch and a count), each neuron's activation an object of two functions
 * (output and derivative, tanh's derivative computing tanh again), the squared error an
 * object of two functions (0.5·(o − t)², o − t). Training is oneStep's: every training
 * point in turn, featurised into a new array, forward through every neuron, backward
 * through every neuron and link, and the weights updated every batchSize points (each
 * bias and weight moved by the learning rate times its summed derivative over its count);
 * after the epoch, with bookkeeping, the mean loss over the training and the test points,
 * each a forward pass per point.
 */
var nn_ts_structure = (function () {
  "use strict";

  var TANH = {
    output: function (x) { return Math.tanh(x); },
    der: function (x) { var t = TANH.output(x); return 1 - t * t; }
  };
  var LINEAR = {
    output: function (x) { return x; },
    der: function () { return 1; }
  };
  var SQUARE = {
    error: function (output, target) { return 0.5 * Math.pow(output - target, 2); },
    der: function (output, target) { return output - target; }
  };

  function Neuron(activation) {
    this.incoming = [];
    this.outgoing = [];
    this.bias = 0;
    this.total = 0;
    this.output = 0;
    this.dOutput = 0;
    this.dTotal = 0;
    this.dTotalSum = 0;
    this.count = 0;
    this.activation = activation;
  }

  /** total = b + Σ w·(source's output), then output = σ(total). */
  Neuron.prototype.fire = function () {
    this.total = this.bias;
    for (var i = 0; i < this.incoming.length; i += 1) {
      var link = this.incoming[i];
      this.total += link.weight * link.source.output;
    }
    this.output = this.activation.output(this.total);
    return this.output;
  };

  function Link(source, dest) {
    this.source = source;
    this.dest = dest;
    this.weight = 0;
    this.dWeight = 0;
    this.dWeightSum = 0;
    this.count = 0;
  }

  /** Layers of neurons, widths[0] inputs first, every pair of adjacent neurons linked. */
  function build(widths, activation, outputActivation) {
    var layers = [];
    for (var l = 0; l < widths.length; l += 1) {
      var layer = [];
      for (var j = 0; j < widths[l]; j += 1) {
        var neuron = new Neuron(l === widths.length - 1 ? outputActivation : activation);
        for (var k = 0; l > 0 && k < layers[l - 1].length; k += 1) {
          var link = new Link(layers[l - 1][k], neuron);
          layers[l - 1][k].outgoing.push(link);
          neuron.incoming.push(link);
        }
        layer.push(neuron);
      }
      layers.push(layer);
    }
    return layers;
  }

  function forward(layers, inputs) {
    for (var k = 0; k < layers[0].length; k += 1) { layers[0][k].output = inputs[k]; }
    for (var l = 1; l < layers.length; l += 1) {
      for (var j = 0; j < layers[l].length; j += 1) { layers[l][j].fire(); }
    }
    return layers[layers.length - 1][0].output;
  }

  function backward(layers, target, error) {
    var out = layers[layers.length - 1][0];
    out.dOutput = error.der(out.output, target);
    for (var l = layers.length - 1; l >= 1; l -= 1) {
      var layer = layers[l];
      for (var j = 0; j < layer.length; j += 1) {
        var neuron = layer[j];
        neuron.dTotal = neuron.dOutput * neuron.activation.der(neuron.total);
        neuron.dTotalSum += neuron.dTotal;
        neuron.count += 1;
      }
      for (j = 0; j < layer.length; j += 1) {
        for (var i = 0; i < layer[j].incoming.length; i += 1) {
          var link = layer[j].incoming[i];
          link.dWeight = layer[j].dTotal * link.source.output;
          link.dWeightSum += link.dWeight;
          link.count += 1;
        }
      }
      if (l === 1) { continue; }
      var below = layers[l - 1];
      for (var k = 0; k < below.length; k += 1) {
        var source = below[k];
        source.dOutput = 0;
        for (i = 0; i < source.outgoing.length; i += 1) {
          source.dOutput += source.outgoing[i].weight * source.outgoing[i].dest.dTotal;
        }
      }
    }
  }

  function update(layers, lr) {
    for (var l = 1; l < layers.length; l += 1) {
      for (var j = 0; j < layers[l].length; j += 1) {
        var neuron = layers[l][j];
        if (neuron.count > 0) {
          neuron.bias -= lr * neuron.dTotalSum / neuron.count;
          neuron.dTotalSum = 0;
          neuron.count = 0;
        }
        for (var i = 0; i < neuron.incoming.length; i += 1) {
          var link = neuron.incoming[i];
          if (link.count > 0) {
            link.weight -= (lr / link.count) * link.dWeightSum;
            link.dWeightSum = 0;
            link.count = 0;
          }
        }
      }
    }
  }

  /** A point [x1, x2, target] as the network's inputs: a new array each time, as oneStep's. */
  function inputs(point) { return [point[0], point[1]]; }

  function meanLoss(layers, points) {
    var total = 0;
    for (var i = 0; i < points.length; i += 1) {
      total += SQUARE.error(forward(layers, inputs(points[i])), points[i][2]);
    }
    return total / points.length;
  }

  /** One epoch as oneStep trains it; with `bookkeeping`, then the train and test losses. */
  function epoch(net, train, test, lr, batchSize, bookkeeping) {
    train.forEach(function (point, i) {
      forward(net, inputs(point));
      backward(net, point[2], SQUARE);
      if ((i + 1) % batchSize === 0) { update(net, lr); }
    });
    if (bookkeeping) { return [meanLoss(net, train), meanLoss(net, test)]; }
    return null;
  }

  /** Every weight and bias, in the playground's order: per neuron its weights, then its bias. */
  function parameters(net) {
    var flat = [];
    for (var l = 1; l < net.length; l += 1) {
      net[l].forEach(function (neuron) {
        neuron.incoming.forEach(function (link) { flat.push(link.weight); });
        flat.push(neuron.bias);
      });
    }
    return flat;
  }

  /** A tanh network with a linear output whose weights and biases are `flat` (that order). */
  function network(widths, flat) {
    var net = build(widths, TANH, LINEAR);
    var at = 0;
    for (var l = 1; l < net.length; l += 1) {
      net[l].forEach(function (neuron) {
        neuron.incoming.forEach(function (link) { link.weight = flat[at]; at += 1; });
        neuron.bias = flat[at];
        at += 1;
      });
    }
    return net;
  }

  return { network: network, epoch: epoch, parameters: parameters, meanLoss: meanLoss };
}());
