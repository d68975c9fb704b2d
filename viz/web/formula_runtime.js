/* What the op table's generated JavaScript kernels call: the twins of engine/formula.py's runtime.
 *
 * The kernels themselves are not written here: Python writes them from each op's formulas
 * (engine/optable.py, read by viz/page_assets.py into the page's `chainrule_ops`). They follow
 * the same float rules as the Python kernels: a power or exp that overflows is Infinity (which
 * the engine then reports as NumberOverflowError), x / 0 and 0 ** −1 are DivisionByZeroError,
 * a negative base to a fractional power is DomainError, with Python's words.
 */
var chainrule_formula_runtime = (function (py) {
  "use strict";

  /** A kernel's error: `kind` names the engine's Python error type, `message` its words. */
  function KernelError(kind, message) {
    this.kind = kind;
    this.message = message;
  }

  /** A domain message with its {name} placeholders filled by numbers, as Python's format(x, "g"). */
  function say(message, numbers) {
    var filled = message.replace(/\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_]*)\}/g, function (whole, name) {
      if (name === undefined) { return whole.charAt(0); }
      return Object.prototype.hasOwnProperty.call(numbers, name) ? py.formatG(numbers[name], 6) : whole;
    });
    return filled;
  }

  function fail(kind, message, numbers) { return new KernelError(kind, say(message, numbers)); }

  function pow(x, y) {
    if (x === 0 && y < 0) {
      throw new KernelError("DivisionByZeroError", "0 cannot be raised to a negative power");
    }
    if (x < 0 && y !== Math.floor(y)) {
      throw new KernelError("DomainError", "a negative number to a fractional power is not a real number");
    }
    return Math.pow(x, y);
  }

  function div(x, y) {
    if (y === 0) { throw new KernelError("DivisionByZeroError", "float division by zero"); }
    return x / y;
  }

  function log(x) { return x > 0 ? Math.log(x) : (x === 0 ? -Infinity : NaN); }
  function log1p(x) { return x > -1 ? Math.log1p(x) : (x === -1 ? -Infinity : NaN); }

  return {
    KernelError: KernelError, say: say, fail: fail, pow: pow, div: div,
    exp: Math.exp, log: log, log1p: log1p, tanh: Math.tanh, floor: Math.floor
  };
}(chainrule_pyformat));
