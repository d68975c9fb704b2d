/* The configuration in the address: #dataset=moons&…&hidden=4,4&…&noise_hide=true.
 *
 * format() writes every configuration key, the view's settings that differ from their
 * defaults (showTestData, discretize, speed), <control>_hide=true for each hidden control
 * and the learner's own points (points=x1,x2,label;…|test points, see points.js) when there
 * are at most LIMITS.pointsInAddress of them (more live in a downloaded CSV file);
 * parse() reads that back, checking every key and value, and lists what it had to ignore as
 * problems ({key, value, message}, never an exception: a malformed escape such as %E0%A4%A is
 * a problem too), with points= as its text (own_data.js reads and checks it) and lang= (en or
 * zh) as the language, which is no setting of training: format() writes lang= only when it
 * is not the language the page was written in (useWritten); notices() says, for each
 * problem, what is used instead, in the page's language. write() puts the
 * configuration in the address without adding to the history. CONTROLS are the names a
 * learner may hide (each element with data-control="<name>").
 */
var chainrule_playground_hash = (function (configs, points, i18n) {
  "use strict";

  var written = "en";  // the language the page was written in: the address names another

  var UI_FLAGS = { showTestData: true, discretize: false };
  var CONTROLS = ["reset", "play", "step", "speed", "dataset", "noise", "trainRatio",
    "batchSize", "regenerate", "hidden", "activation", "init", "loss", "optimizer", "lr", "l1",
    "l2", "showTestData", "discretize", "sample", "backprop", "download", "ownData",
    "openModel", "exportPyTorch"];

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  /** The view's defaults: its flags, and Play's speed from Python's limits. */
  function defaults() {
    return Object.assign({ speed: configs.LIMITS.defaultSpeed }, UI_FLAGS);
  }

  /** Whether the learner's own points fit in the address. */
  function fits(own) {
    return own.train.length + own.test.length <= configs.LIMITS.pointsInAddress;
  }

  /**
   * The address for the configuration, the view's settings `ui`, the hidden controls and the
   * learner's own points (`own`, null when the data is generated).
   */
  function format(config, ui, hide, own) {
    var parts = configs.KEYS.map(function (key) {
      var value = config[key];
      return key + "=" + (Array.isArray(value) ? value.join(",") : String(value));
    });
    var usual = defaults();
    Object.keys(usual).forEach(function (flag) {
      if (has(ui, flag) && ui[flag] !== usual[flag]) { parts.push(flag + "=" + ui[flag]); }
    });
    hide.forEach(function (control) { parts.push(control + "_hide=true"); });
    if (own && fits(own)) { parts.push("points=" + points.encode(own)); }
    if (i18n.language() !== written) { parts.push("lang=" + i18n.language()); }
    return "#" + parts.join("&");
  }

  /** The language the page was written in (the address says lang= only for another). */
  function useWritten(lang) { written = lang; }

  /** decodeURIComponent, or null for a malformed escape (it would throw URIError). */
  function decode(text) {
    try { return decodeURIComponent(text); } catch (error) { return null; }
  }

  /** The address's #key=value&… as {config, ui, hide, problems: [{key, value, message, say}]}:
   *  say() words a problem again in the language now (notices() calls it). */
  function parse(hash) {
    var out = { config: {}, ui: {}, hide: [], problems: [], points: null, lang: null };
    String(hash).replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) { return; }
      var cut = part.indexOf("=");
      var rawKey = cut < 0 ? part : part.slice(0, cut);
      var rawValue = cut < 0 ? "" : part.slice(cut + 1);
      var key = decode(rawKey);
      var value = decode(rawValue);
      var problem = function (say) {
        out.problems.push({ key: key === null ? rawKey : key,
          value: value === null ? rawValue : value, message: say(), say: say });
      };
      var words = function (name, params) { return function () { return i18n.t(name, params); }; };
      var refused = function (check) {  // the check's refusal, said again by checking again
        return function () {
          try { check(); } catch (error) { return error.message; }
          return "";
        };
      };
      if (key === null || value === null) {
        problem(key === null ? words("playground.bad_escape_key", { key: JSON.stringify(rawKey) })
          : words("playground.bad_escape_value", { value: JSON.stringify(rawValue) }));
      } else if (/_hide$/.test(key)) {
        var control = key.slice(0, -5);
        if (CONTROLS.indexOf(control) < 0) {
          problem(words("playground.no_such_control",
            { control: JSON.stringify(control), controls: CONTROLS.join(", ") }));
        } else if (value !== "true" && value !== "false") {
          problem(words("playground.true_or_false", { key: key, value: JSON.stringify(value) }));
        } else if (value === "true" && out.hide.indexOf(control) < 0) { out.hide.push(control); }
      } else if (has(UI_FLAGS, key)) {
        if (value !== "true" && value !== "false") {
          problem(words("playground.true_or_false", { key: key, value: JSON.stringify(value) }));
        } else { out.ui[key] = value === "true"; }
      } else if (key === "points") {
        out.points = value;
      } else if (key === "lang") {
        if (i18n.LANGUAGES.indexOf(value) >= 0) { out.lang = value; }
        else { problem(words("playground.bad_lang", { value: JSON.stringify(value) })); }
      } else if (key === "speed") {
        try { out.ui.speed = configs.speed(value); } catch (error) {
          problem(refused(function () { configs.speed(value); }));
        }
      } else if (configs.KEYS.indexOf(key) >= 0) {
        try {
          out.config[key] = configs.checked(key, value);
        } catch (error) {
          problem(refused(function () { configs.checked(key, value); }));
        }
      } else {
        problem(words("playground.unknown_key", { key: JSON.stringify(key),
          keys: configs.KEYS.concat(["speed"], Object.keys(UI_FLAGS), ["points", "lang"]).join(", ") }));
      }
    });
    return out;
  }

  /** A value as the address writes it: lists joined by commas. */
  function show(value) {
    if (Array.isArray(value)) { return value.join(","); }
    return value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  /**
   * One sentence per problem, saying what is used instead: the value the configuration `config`
   * and the view `ui` now hold for a known key, or that the part is ignored. `where` is the
   * catalogue's key of the source's name ("playground.where_address": "The address's",
   * "playground.where_configure": "configure's").
   */
  function notices(problems, config, ui, where) {
    return problems.map(function (p) {
      var said = { where: i18n.t(where), key: p.key, value: show(p.value),
        problem: p.say ? p.say() : p.message };
      if (configs.KEYS.indexOf(p.key) >= 0) {
        said.used = show(config[p.key]);
        return i18n.t("playground.notice_using", said);
      }
      if (p.key === "speed" || has(UI_FLAGS, p.key)) {
        said.used = show(ui[p.key]);
        return i18n.t("playground.notice_using", said);
      }
      if (p.key === "points") {
        said.dataset = config.dataset;
        return i18n.t("playground.notice_instead", said);
      }
      return i18n.t("playground.notice_ignored", said);
    });
  }

  /** Show format(config, ui, hide, own) in the address, replacing the history's entry. */
  function write(config, ui, hide, own) {
    var hash = format(config, ui, hide, own);
    if (location.hash === hash) { return; }
    try { history.replaceState(null, "", hash); } catch (error) { location.hash = hash; }
  }

  return { UI_FLAGS: UI_FLAGS, CONTROLS: CONTROLS, defaults: defaults, fits: fits,
    format: format, parse: parse, notices: notices, write: write, useWritten: useWritten };
}(chainrule_playground_config, chainrule_points, chainrule_i18n));
