/* What the op table's generated JavaScript kernels call: the twins of engine/formula.py's runtime.
 *
 * The kernels themselves are not written here: Python writes them from each op's formulas
 * (engine/optable.py, read by viz/page_assets.py into the page's `chainrule_ops`). They follow
 * the same float rules as the Python kernels: a power or exp that overflows is Infinity (which
 * the engine then reports as NumberOverflowError), x / 0 and 0 ** −1 are DivisionByZeroError,
 * a negative base to a fractional power is DomainError, with Python's words.
 *
 * Those words are in both languages: a domain or overflow message is {en: …, zh: …} (the op
 * table's export), and the engine's own messages (engine/messages/engine.json) come with the
 * page's chainrule_ops, which calls learn(). Each is said in chainrule_i18n's language when
 * the error happens (English on a page without i18n.js).
 */
var chainrule_formula_runtime = (function (py) {
  "use strict";

  /** A kernel's error: `kind` names the engine's Python error type, `message` its words. */
  function KernelError(kind, message) {
    this.kind = kind;
    this.message = message;
  }

  var messages = { en: {}, zh: {} };

  /** The language errors are said in: the page's (viz/web/i18n.js), else English. */
  function language() {
    var lang = typeof chainrule_i18n === "undefined" ? "en" : chainrule_i18n.language();
    return Object.prototype.hasOwnProperty.call(messages, lang) ? lang : "en";
  }

  /** Keep the engine's messages, {en: {key: text}, zh: {key: text}} (engine.i18n.export_messages). */
  function learn(exported) { messages = exported; }

  /** text's {name} placeholders filled by show(params[name]); {{ and }} are braces. */
  function fill(text, params, show) {
    return text.replace(/\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_]*)\}/g, function (whole, name) {
      if (name === undefined) { return whole.charAt(0); }
      return Object.prototype.hasOwnProperty.call(params, name) ? show(params[name]) : whole;
    });
  }

  /** The engine's message key in the current language, filled with params (as text). */
  function text(key, params) {
    var table = messages[language()];
    var words = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : messages.en[key];
    return fill(words, params || {}, String);
  }

  /** A domain message ({en: …, zh: …}, or one text) in the current language, its {name}
   * placeholders filled by numbers, as Python's format(x, "g"). */
  function say(message, numbers) {
    var words = typeof message === "string" ? message : (message[language()] || message.en);
    return fill(words, numbers, function (x) { return py.formatG(x, 6); });
  }

  function fail(kind, message, numbers) { return new KernelError(kind, say(message, numbers)); }

  function pow(x, y) {
    if (x === 0 && y < 0) {
      throw new KernelError("DivisionByZeroError", text("engine.zero_to_negative_power"));
    }
    if (x < 0 && y !== Math.floor(y)) {
      throw new KernelError("DomainError", text("engine.negative_to_fractional_power"));
    }
    return Math.pow(x, y);
  }

  var PYTHON_DIVISION_BY_ZERO = "float division by zero";

  function div(x, y) {
    // Python's own words for x / 0.0: the engine says them in the page's language (engine.js)
    if (y === 0) { throw new KernelError("DivisionByZeroError", PYTHON_DIVISION_BY_ZERO); }
    return x / y;
  }

  function log(x) { return x > 0 ? Math.log(x) : (x === 0 ? -Infinity : NaN); }
  function log1p(x) { return x > -1 ? Math.log1p(x) : (x === -1 ? -Infinity : NaN); }

  return {
    KernelError: KernelError, say: say, fail: fail, pow: pow, div: div,
    learn: learn, text: text, language: language, PYTHON_DIVISION_BY_ZERO: PYTHON_DIVISION_BY_ZERO,
    exp: Math.exp, log: log, log1p: log1p, tanh: Math.tanh, floor: Math.floor
  };
}(chainrule_pyformat));
