/* The configuration in the address: #dataset=moons&…&hidden=4,4&…&noise_hide=true.
 *
 * format() writes every configuration key, the view's flags that differ from UI_FLAGS
 * (showTestData, discretize) and <control>_hide=true for each hidden control; parse() reads
 * that back, checking every value, and lists what it had to ignore as problems; write()
 * puts the configuration in the address without adding to the history. CONTROLS are the
 * names a learner may hide (each element with data-control="<name>").
 */
var chainrule_playground_hash = (function (configs) {
  "use strict";

  var UI_FLAGS = { showTestData: true, discretize: false };
  var CONTROLS = ["reset", "play", "step", "dataset", "noise", "trainRatio", "batchSize",
    "regenerate", "hidden", "activation", "loss", "optimizer", "lr", "l2", "showTestData",
    "discretize", "sample", "backprop", "download"];

  /** The address for the configuration, the view's flags `ui` and the hidden controls. */
  function format(config, ui, hide) {
    var parts = configs.KEYS.map(function (key) {
      var value = config[key];
      return key + "=" + (Array.isArray(value) ? value.join(",") : String(value));
    });
    Object.keys(UI_FLAGS).forEach(function (flag) {
      if (ui[flag] !== UI_FLAGS[flag]) { parts.push(flag + "=" + ui[flag]); }
    });
    hide.forEach(function (control) { parts.push(control + "_hide=true"); });
    return "#" + parts.join("&");
  }

  /** The address's #key=value&… as {config, ui, hide, problems}. */
  function parse(hash) {
    var out = { config: {}, ui: {}, hide: [], problems: [] };
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) { return; }
      var cut = part.indexOf("=");
      var key = decodeURIComponent(cut < 0 ? part : part.slice(0, cut));
      var value = cut < 0 ? "" : decodeURIComponent(part.slice(cut + 1));
      if (/_hide$/.test(key)) {
        var control = key.slice(0, -5);
        if (CONTROLS.indexOf(control) < 0) {
          out.problems.push("no control " + JSON.stringify(control) + " to hide");
        }
        else if (value === "true" && out.hide.indexOf(control) < 0) { out.hide.push(control); }
      } else if (Object.prototype.hasOwnProperty.call(UI_FLAGS, key)) {
        out.ui[key] = value !== "false";
      } else if (configs.KEYS.indexOf(key) >= 0) {
        try {
          out.config[key] = configs.checked(key, value);
        } catch (error) {
          out.problems.push(error.message);
        }
      } else {
        out.problems.push("unknown key " + JSON.stringify(key));
      }
    });
    return out;
  }

  /** Show format(config, ui, hide) in the address, replacing the history's entry. */
  function write(config, ui, hide) {
    var hash = format(config, ui, hide);
    if (location.hash === hash) { return; }
    try { history.replaceState(null, "", hash); } catch (error) { location.hash = hash; }
  }

  return { UI_FLAGS: UI_FLAGS, CONTROLS: CONTROLS, format: format, parse: parse, write: write };
}(chainrule_playground_config));
