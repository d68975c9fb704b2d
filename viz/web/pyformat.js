/* Numbers and strings written the way Python writes them, so the page's text is the engine's.
 *
 *   repr(x)        Python's repr of a float: shortest round-trip digits, "1.0", "1e+16", "-0.0"
 *   formatG(x, p)  Python's format(x, ".<p>g")
 *   number(x)      chainrule's format_number: four significant digits, "3.0" rather than "3"
 */
var chainrule_pyformat = (function () {
  "use strict";

  /** Mantissa digits (no dot) and decimal exponent of |x|: 1234.5 → {digits: "12345", exp: 3}. */
  function decompose(text) {
    var parts = text.split("e");
    return { digits: parts[0].replace(".", ""), exp: Number(parts[1]) };
  }

  function special(x) {
    if (x !== x) { return "nan"; }
    if (x === Infinity) { return "inf"; }
    if (x === -Infinity) { return "-inf"; }
    return null;
  }

  function sign(x) {
    return x < 0 || (x === 0 && 1 / x < 0) ? "-" : "";
  }

  /** Python's exponent: a sign and at least two digits, "e+16", "e-05". */
  function exponent(exp) {
    var magnitude = String(Math.abs(exp));
    return "e" + (exp < 0 ? "-" : "+") + (magnitude.length < 2 ? "0" + magnitude : magnitude);
  }

  /** Digits placed around a decimal point at exponent exp: ("15", 2) → "150", ("15", -2) → "0.015". */
  function fixed(digits, exp) {
    if (exp < 0) { return "0." + "0".repeat(-exp - 1) + digits; }
    if (digits.length <= exp + 1) { return digits + "0".repeat(exp + 1 - digits.length); }
    return digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  }

  function scientific(digits, exp) {
    var mantissa = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    return mantissa + exponent(exp);
  }

  function repr(x) {
    var text = special(x);
    if (text !== null) { return text; }
    if (x === 0) { return sign(x) + "0.0"; }
    var d = decompose(Math.abs(x).toExponential());
    if (d.exp < -4 || d.exp >= 16) { return sign(x) + scientific(d.digits, d.exp); }
    var body = fixed(d.digits, d.exp);
    return sign(x) + (body.indexOf(".") < 0 ? body + ".0" : body);
  }

  function formatG(x, precision) {
    var text = special(x);
    if (text !== null) { return text; }
    if (x === 0) { return sign(x) + "0"; }
    var d = decompose(Math.abs(x).toExponential(precision - 1));
    var digits = d.digits.replace(/0+$/, "") || "0";
    if (d.exp < -4 || d.exp >= precision) { return sign(x) + scientific(digits, d.exp); }
    return sign(x) + fixed(digits, d.exp);
  }

  function number(x) {
    var text = formatG(x, 4);
    return /^-?\d+$/.test(text) ? text + ".0" : text;
  }

  return { repr: repr, formatG: formatG, number: number };
}());
