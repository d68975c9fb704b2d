/* The op table's kernels in JavaScript: one twin per Python kernel of engine/value.py.
 *
 * Each takes plain numbers and returns [value, ∂value/∂operand₀, …], or throws a KernelError
 * whose kind names the Python exception the engine raises (DomainError for a ValueError,
 * NumberOverflowError for an OverflowError, DivisionByZeroError for a ZeroDivisionError) and
 * whose message is the Python kernel's, word for word. Branches follow the Python kernels
 * line by line (sigmoid and softplus never overflow); where Python's float arithmetic raises
 * OverflowError (x ** k, math.exp), JavaScript returns Infinity, so the twin checks and throws.
 * The tests cross-check every kernel against Python in headless Chromium.
 */
var chainrule_ops = (function (py) {
  "use strict";

  function KernelError(kind, message) {
    this.kind = kind;
    this.message = message;
  }

  function domain(message) { return new KernelError("DomainError", message); }
  function overflow(message) { return new KernelError("NumberOverflowError", message); }
  function byZero(message) { return new KernelError("DivisionByZeroError", message); }

  /** Python's float ** float, which raises OverflowError where JavaScript gives Infinity. */
  function power(x, k, message) {
    var out = Math.pow(x, k);
    if (!isFinite(out)) { throw overflow(message); }
    return out;
  }

  var kernels = {
    add: function (a, b) { return [a + b, 1.0, 1.0]; },
    sub: function (a, b) { return [a - b, 1.0, -1.0]; },
    mul: function (a, b) { return [a * b, b, a]; },
    div: function (a, b) {
      if (b === 0) {
        throw byZero("division by zero in a / b: the quotient and ∂/∂b = −a/b² are undefined at b = 0");
      }
      var quotient = a / b;
      return [quotient, 1.0 / b, -quotient / b];
    },
    neg: function (x) { return [-x, -1.0]; },
    power: function (x, k) {
      var g = py.formatG(k, 6);
      if (x === 0 && k < 0) { throw byZero("x ** " + g + " is undefined at x = 0"); }
      if (x === 0 && k > 0 && k < 1) {
        throw domain("x ** " + g + " has an infinite slope at x = 0 (∂/∂x = " + g + "·x^(" + g +
          " − 1)); keep x away from 0, e.g. (x + 1e-12) ** k");
      }
      if (x < 0 && !Number.isInteger(k)) {
        throw domain("x ** " + g + " of a negative base is not a real number; " +
          "use an integer exponent or a positive base");
      }
      var message = "x ** " + g + " overflows a float";
      var out = power(x, k, message);
      if (k === 0) { return [out, 0.0]; }
      return [out, k * power(x, k - 1.0, message)];
    },
    pow: function (a, b) {
      if (a <= 0) {
        throw domain("a ** b with a Value exponent needs a base a > 0 (∂/∂b = a^b·ln a); " +
          "for a constant exponent use a plain number, e.g. x ** 2");
      }
      var message = "a ** b overflows a float";
      var out = power(a, b, message);
      return [out, b * power(a, b - 1.0, message), out * Math.log(a)];
    },
    exp: function (x) {
      var out = Math.exp(x);
      if (!isFinite(out)) {
        throw overflow("exp overflow: e^x exceeds the largest float (about 1.8e308, reached at " +
          "x ≈ 709.78); scale the input down before exp");
      }
      return [out, out];
    },
    log: function (x) {
      if (x <= 0) {
        throw domain("log needs a positive input: ln x is only defined for x > 0 " +
          "(add a small epsilon or clamp the input first)");
      }
      return [Math.log(x), 1.0 / x];
    },
    tanh: function (x) {
      var t = Math.tanh(x);
      return [t, 1.0 - t * t];
    },
    sigmoid: function (x) {
      var s;
      if (x >= 0) {
        s = 1.0 / (1.0 + Math.exp(-x));
      } else {
        var e = Math.exp(x);
        s = e / (1.0 + e);
      }
      return [s, s * (1.0 - s)];
    },
    softplus: function (x) {
      var e;
      if (x >= 0) {
        e = Math.exp(-x);
        return [x + Math.log1p(e), 1.0 / (1.0 + e)];
      }
      e = Math.exp(x);
      return [Math.log1p(e), e / (1.0 + e)];
    },
    relu: function (x) { return x > 0 ? [x, 1.0] : [0.0, 0.0]; },
    identity: function (x) { return [x, 1.0]; }
  };

  return { kernels: kernels, KernelError: KernelError };
}(chainrule_pyformat));
