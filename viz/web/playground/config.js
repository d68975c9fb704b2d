/* The playground's configuration: its keys, their choices and limits, and checking them.
 *
 * A configuration is {dataset, samples, noise, trainRatio, features, hidden, activation, init,
 * loss, optimizer, lr, batchSize, l1, l2, seed} (KEYS). activation is one name for every hidden
 * layer, or a list of names, one per hidden layer (kept as one name when they are all the
 * same; fitted to the hidden layers when their number changes: hiddenActivations()). checked() turns one value, from a control, the
 * address or window.chainrule.configure, into the configuration's own (a string from the
 * address is parsed) or throws an Error that names the key and the value; merged() applies a
 * patch the same way. DATA_KEYS make new data; LIVE_KEYS the trainer reads at every step,
 * so they change while training goes on; any other key starts again from fresh weights.
 * The choices of activation, init, loss, optimizer and data set are Python's: useChoices() reads
 * them from the configuration Python embeds, with the engine op of each activation; so are
 * the limits (useLimits(), viz/playground.py's limits()). A value equal to the embedded
 * configuration's own is always allowed (a trained run's 16-neuron layers, its train ratio 1).
 * Play's speed (epochs per second, or "max") is no configuration key: speed() checks it.
 * A regression data set (Python's choices.regression: reg-plane, reg-gauss) has real targets,
 * which only the loss mse learns: merged() switches to mse when such a data set is chosen,
 * and refuses another loss asked for with it.
 * classes (2 to 5, Python's limits) is how many classes the network tells apart. 2 is the
 * one-output network of every loss above. K ≥ 3 needs a data set of K classes (Python's
 * choices.multiclass: spiral, blobs) and has K linear outputs, the logits, trained with
 * softmax cross-entropy (choices.multiclassLoss), the only loss then: merged() brings it
 * along and refuses another, refuses K ≥ 3 on a data set of two classes, brings classes 3
 * when blobs (of K classes only) is chosen, and bce back when classes returns to 2.
 * What a check refuses is said in the page's language (the catalogue's playground.* keys).
 */
var chainrule_playground_config = (function (datasets, trainers, i18n) {
  "use strict";

  var t = i18n.t;

  var KEYS = ["dataset", "samples", "noise", "trainRatio", "features", "hidden", "activation",
    "init", "loss", "optimizer", "lr", "batchSize", "l1", "l2", "seed", "classes"];
  var DATA_KEYS = ["dataset", "samples", "noise", "trainRatio", "seed", "classes"];
  var LIVE_KEYS = ["lr", "batchSize", "l1", "l2"];  // the trainer reads these at every step
  // The menus' choices are Python's (nn's tables), from the configuration's "choices":
  // useChoices() fills them before anything is checked. Nothing here lists them again.
  var ACTIVATIONS = [];
  var ACTIVATION_OP = Object.create(null);  // activation → the engine op it is
  var LOSSES = [];
  var OPTIMIZERS = [];
  var DATASETS = [];
  var INITS = [];  // nn.init.INITS: [{name, label, formula, gain, fanIn, fanOut, bias}]
  var REGRESSION = [];  // the data sets whose targets are real numbers
  var MULTICLASS = [];  // the data sets of K classes (classes ≥ 3 needs one)
  var TWO_CLASSES = [];  // the data sets of the one-output network (classes 2)
  var CLASSES_LOSS = { name: null };  // softmax cross-entropy's name: the loss of K ≥ 3
  var LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
  var L2_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
  var L1_RATES = L2_RATES;  // Playground offers one ladder of rates for L1 and L2
  var FEATURE_IDS = datasets.FEATURES.map(function (f) { return f.id; });
  var FEATURE_LABEL = Object.create(null);
  datasets.FEATURES.forEach(function (f) { FEATURE_LABEL[f.id] = f.label; });
  // The limits are Python's (viz/playground.py's limits()): useLimits() fills LIMITS.
  var LIMITS = {};
  var embedded = null;  // the configuration Python embedded: its own values are always allowed

  function fail(message) { throw new Error(message); }

  function names(entries) { return entries.map(function (entry) { return entry.name; }); }

  /**
   * Take the choices of the configuration Python embedded: {activation, init, loss,
   * optimizer, dataset, regression}.
   */
  function useChoices(choices) {
    [ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, DATASETS, REGRESSION, MULTICLASS,
      TWO_CLASSES].forEach(function (list) {
      list.length = 0;
    });
    INITS.push.apply(INITS, choices.init);
    choices.activation.forEach(function (entry) {
      ACTIVATIONS.push(entry.name);
      ACTIVATION_OP[entry.name] = entry.op;
    });
    LOSSES.push.apply(LOSSES, names(choices.loss));
    OPTIMIZERS.push.apply(OPTIMIZERS, names(choices.optimizer));
    DATASETS.push.apply(DATASETS, choices.dataset);
    REGRESSION.push.apply(REGRESSION, choices.regression);
    MULTICLASS.push.apply(MULTICLASS, choices.multiclass);
    TWO_CLASSES.push.apply(TWO_CLASSES, choices.twoClasses);
    CLASSES_LOSS.name = choices.multiclassLoss;
  }

  var isMulticlass = trainers.multiclass;  // K ≥ 3 logits with softmax cross-entropy?
  var outputs = trainers.outputCount;  // the output layer's width: K, or one

  /** Are the configuration's targets real numbers (a regression data set), not classes? */
  function isRegression(config) { return REGRESSION.indexOf(config.dataset) >= 0; }

  /** Take the limits and the configuration Python embedded (limits(), "config"). */
  function useLimits(limits, config) {
    Object.keys(LIMITS).forEach(function (key) { delete LIMITS[key]; });
    Object.assign(LIMITS, limits);
    embedded = copy(config);
  }

  /** The engine op an activation is ("identity" for "linear"), as Python's config says. */
  function activationOp(name) {
    if (!Object.prototype.hasOwnProperty.call(ACTIVATION_OP, name)) {
      fail("unknown activation " + JSON.stringify(name));
    }
    return ACTIVATION_OP[name];
  }

  function integer(key, value, low, high) {
    var x = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof x !== "number" || !Number.isInteger(x) || x < low || x > high) {
      fail(t("playground.whole", { key: key, low: low, high: high, value: JSON.stringify(value) }));
    }
    return x;
  }

  function real(key, value, low, high, lowOpen) {
    var x = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof x !== "number" || !isFinite(x) || x > high || (lowOpen ? x <= low : x < low)) {
      fail(t(lowOpen ? "playground.number_above" : "playground.number_from",
        { key: key, low: low, high: high, value: JSON.stringify(value) }));
    }
    return x;
  }

  /** Play's speed: epochs per second (LIMITS.speed) or "max", as fast as it goes. */
  function speed(value) {
    if (value === "max") { return value; }
    var range = LIMITS.speed;
    var x = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof x !== "number" || !isFinite(x) || x < range[0] || x > range[1]) {
      fail(t("playground.speed_range", { low: range[0], high: range[1], value: JSON.stringify(value) }));
    }
    return x;
  }

  function oneOf(key, value, choices) {
    if (choices.indexOf(value) < 0) {
      fail(t("playground.one_of", { key: key, choices: choices.join(", "), value: JSON.stringify(value) }));
    }
    return value;
  }

  function list(value) {
    if (typeof value === "string") { return value === "" ? [] : value.split(","); }
    if (!Array.isArray(value)) { fail("expected a list, got " + JSON.stringify(value)); }
    return value.slice();
  }

  var modelWidths = false;  // true while a model file is opened: see withModelWidths

  /**
   * f(), with hidden layers as wide as a model may have them (Python's MAX_MODEL_NEURONS,
   * what chainrule train writes) instead of the +/− buttons' limit: opening a model file.
   */
  function withModelWidths(f) {
    modelWidths = true;
    try { return f(); } finally { modelWidths = false; }
  }

  /**
   * One configuration value, checked and normalised (a string from the address is parsed);
   * a value beyond the limits is allowed when it is the embedded configuration's own.
   */
  function checked(key, value) {
    try {
      return strict(key, value);
    } catch (error) {
      var own = embedded && KEYS.indexOf(key) >= 0 ? embedded[key] : undefined;
      if (own !== undefined && same(loose(value, own), own)) {
        return Array.isArray(own) ? own.slice() : own;
      }
      throw error;
    }
  }

  /** `value` read as the type of `like` (a list of numbers, a number or a string). */
  function loose(value, like) {
    if (Array.isArray(like)) {
      try { return list(value).map(Number); } catch (error) { return null; }
    }
    if (typeof like === "number") { return typeof value === "string" ? Number(value) : value; }
    return value;
  }

  function strict(key, value) {
    var limit = LIMITS[key];
    switch (key) {
      case "dataset": return oneOf(key, value, DATASETS);
      case "samples": return integer(key, value, limit[0], limit[1]);
      case "noise": return real(key, value, limit[0], limit[1]);
      case "trainRatio": return real(key, value, limit[0], limit[1]);
      case "features": {
        var ids = list(value);
        if (!ids.length) { fail(t("playground.no_feature")); }
        ids.forEach(function (id, i) {
          oneOf("features", id, FEATURE_IDS);
          if (ids.indexOf(id) !== i) { fail(t("playground.feature_twice", { id: id })); }
        });
        return ids;
      }
      case "hidden": {
        var widest = modelWidths ? LIMITS.modelNeurons : LIMITS.neurons;
        var hidden = list(value).map(function (n) {
          return integer(t("playground.layer_width"), n, 1, widest);
        });
        if (hidden.length > LIMITS.hiddenLayers) {
          fail(t("playground.too_many_layers", { most: LIMITS.hiddenLayers, count: hidden.length }));
        }
        return hidden;
      }
      case "activation": {
        var sigmas = list(value).map(function (name) { return oneOf(key, name, ACTIVATIONS); });
        if (!sigmas.length) { fail(t("playground.no_activation")); }
        return sigmas.length === 1 ? sigmas[0] : sigmas;
      }
      case "init": return oneOf(key, value, names(INITS));
      case "loss": return oneOf(key, value, LOSSES);
      case "optimizer": return oneOf(key, value, OPTIMIZERS);
      case "lr": return real(key, value, limit[0], limit[1], true);
      case "batchSize": return integer(key, value, limit[0], limit[1]);
      case "l1": return real(key, value, limit[0], limit[1]);
      case "l2": return real(key, value, limit[0], limit[1]);
      case "seed": return integer(key, value, limit[0], limit[1]);
      case "classes": return integer(key, value, limit[0], limit[1]);
      default:
        return fail("unknown configuration key " + JSON.stringify(key) + "; the keys are " +
          KEYS.join(", "));
    }
  }

  /**
   * `config` with `patch` applied, every value checked; throws an Error naming a bad one.
   * A list of activations given must have one per hidden layer; one kept from before is
   * fitted to the hidden layers (its last name repeated, or cut).
   * A regression data set trains with mse: chosen without a loss, it brings mse along.
   */
  function merged(config, patch) {
    var next = copy(config);
    Object.keys(patch).forEach(function (key) { next[key] = checked(key, patch[key]); });
    if (Array.isArray(next.activation)) {
      var layers = next.hidden.length;
      if ("activation" in patch && next.activation.length !== layers) {
        fail(t("playground.activations_per_layer", { count: next.activation.length, layers: layers }));
      }
      next.activation = layers ? oneName(hiddenActivations(next)) : next.activation[0];
    }
    classesRules(next, patch);
    if (isRegression(next) && next.loss !== "mse") {
      if (!("loss" in patch)) { next.loss = "mse"; }
      else {
        fail(t("playground.regression_loss", { dataset: next.dataset, given: JSON.stringify(next.loss) }));
      }
    }
    return next;
  }

  /**
   * classes' rules, on the merged `next` (see the header): a data set of K classes only
   * brings classes 3, K ≥ 3 brings softmax cross-entropy, and 2 brings bce back; what the
   * patch asks for against them is refused, in words that say what to do.
   */
  function classesRules(next, patch) {
    var ce = CLASSES_LOSS.name;
    if (next.classes === 2 && TWO_CLASSES.indexOf(next.dataset) < 0) {
      if ("classes" in patch) {
        fail(t("playground.classes_of_dataset", { dataset: next.dataset, most: LIMITS.classes[1],
          two: TWO_CLASSES.join(", ") }));
      }
      next.classes = 3;
    }
    if (isMulticlass(next)) {
      if (MULTICLASS.indexOf(next.dataset) < 0) {
        fail(t("playground.classes_need_dataset", { classes: next.classes,
          many: MULTICLASS.join(", "), dataset: next.dataset }));
      }
      if ("loss" in patch && next.loss !== ce) {
        fail(t("playground.classes_loss", { classes: next.classes, ce: ce,
          given: JSON.stringify(next.loss) }));
      }
      next.loss = ce;
    } else if (next.loss === ce) {
      if ("loss" in patch) {
        fail(t("playground.cross_entropy_needs_classes", { ce: ce, most: LIMITS.classes[1],
          many: t("playground.points_or", { first: MULTICLASS.slice(0, -1).join(", "),
            last: MULTICLASS[MULTICLASS.length - 1] }) }));
      }
      next.loss = "bce";
    }
  }

  /**
   * The patch that moves `config` to `classes` classes: those, and a data set that has them
   * when the configuration's has not (the first of K classes, spiral; or the first of two).
   */
  function classesPatch(config, classes) {
    var sets = classes > 2 ? MULTICLASS : TWO_CLASSES;
    var patch = { classes: classes };
    if (sets.indexOf(config.dataset) < 0) { patch.dataset = sets[0]; }
    return patch;
  }

  /** The activation of each hidden layer, in order: [σ¹, σ², …]. */
  function hiddenActivations(config) {
    var given = config.activation;
    return config.hidden.map(function (_, i) {
      return Array.isArray(given) ? given[Math.min(i, given.length - 1)] : given;
    });
  }

  /** A list of activations as the configuration keeps it: one name when they are all the same. */
  function oneName(sigmas) {
    var first = sigmas[0];
    return sigmas.every(function (name) { return name === first; }) ? first : sigmas;
  }

  /** A copy of the configuration's KEYS (its lists copied too). */
  function copy(config) {
    var out = {};
    KEYS.forEach(function (key) {
      out[key] = Array.isArray(config[key]) ? config[key].slice() : config[key];
    });
    return out;
  }

  function same(x, y) { return JSON.stringify(x) === JSON.stringify(y); }
  function sameOn(keys, x, y) { return keys.every(function (k) { return same(x[k], y[k]); }); }

  /** Layer widths: [number of features, …hidden, outputs]; layer l has widths[l] neurons. */
  function widthsOf(config) { return [config.features.length].concat(config.hidden, [outputs(config)]); }

  /** The name of input k (a⁰ₖ), the feature it is: "x₁²". */
  function inputName(config, k) { return FEATURE_LABEL[config.features[k]]; }

  return {
    KEYS: KEYS,
    ACTIVATIONS: ACTIVATIONS,
    LOSSES: LOSSES,
    OPTIMIZERS: OPTIMIZERS,
    DATASETS: DATASETS,
    INITS: INITS,
    hiddenActivations: hiddenActivations,
    isRegression: isRegression,
    withModelWidths: withModelWidths,
    isMulticlass: isMulticlass,
    classesPatch: classesPatch,
    outputs: outputs,
    MULTICLASS: MULTICLASS,
    TWO_CLASSES: TWO_CLASSES,
    useChoices: useChoices,
    useLimits: useLimits,
    LIMITS: LIMITS,
    speed: speed,
    activationOp: activationOp,
    DATA_KEYS: DATA_KEYS,
    LIVE_KEYS: LIVE_KEYS,
    LEARNING_RATES: LEARNING_RATES,
    L1_RATES: L1_RATES,
    L2_RATES: L2_RATES,
    FEATURE_IDS: FEATURE_IDS,
    FEATURE_LABEL: FEATURE_LABEL,
    integer: integer,
    checked: checked,
    merged: merged,
    copy: copy,
    same: same,
    sameOn: sameOn,
    widthsOf: widthsOf,
    inputName: inputName
  };
}(chainrule_data, chainrule_trainer, chainrule_i18n));
