/* Numbers and strings written the way Python writes them, so the page's text is the engine's.
 *
 *   repr(x)        Python's repr of a float: shortest round-trip digits, "1.0", "1e+16", "-0.0"
 *   formatG(x, p)  Python's format(x, ".<p>g")
 *   number(x, d)   chainrule's format_number: d (default four) significant digits, "3.0"
 *                  rather than "3"
 *   agreeing(xs, f, r)  engine.narration.agreeing: xs with just enough digits that f of them
 *                  shows r
 *   float(text)    Python's float(text): the number, or null where Python raises ValueError
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

  function number(x, digits) {
    var text = formatG(x, digits || 4);
    return /^-?\d+$/.test(text) ? text + ".0" : text;
  }

  /** The numbers written with just enough digits (4 to 17) that compute of the numbers as
   * written shows result as written: a caption's equation checks (engine.narration.agreeing). */
  function agreeing(numbers, compute, result) {
    var target = number(result);
    for (var digits = 4; digits <= 17; digits += 1) {
      var texts = numbers.map(function (x) { return number(x, digits); });
      var again;
      try { again = compute(texts.map(Number)); } catch (error) { continue; }
      if (typeof again === "number" && again === again && number(again) === target) {
        return texts;
      }
    }
    return numbers.map(function (x) { return number(x, 17); });
  }

  /* Python's str.isspace(), which float() strips: not quite JavaScript's \s. */
  var SPACE = "\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680" +
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" +
    "\u2028\u2029\u202f\u205f\u3000";
  var DIGITS = "\\d(?:_?\\d)*";  // underscores only between digits, as in Python
  var DECIMAL = new RegExp("^[+-]?(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\." + DIGITS +
    ")(?:[eE][+-]?" + DIGITS + ")?$");
  var SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

  /** Any Unicode decimal digit as its ASCII digit (float("١٢") is 12.0 in Python). Each
   * run of decimal digits in Unicode is a block of ten starting at its zero. */
  function asciiDigits(text) {
    return text.replace(/\p{Nd}/gu, function (digit) {
      var code = digit.codePointAt(0);
      var start = code;
      while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) { start -= 1; }
      return String((code - start) % 10);
    });
  }

  /** Python's float(text) for a str: the number, or null where float() raises ValueError. */
  function pyFloat(text) {
    if (typeof text !== "string") { return null; }
    var start = 0;
    var end = text.length;
    while (start < end && SPACE.indexOf(text[start]) >= 0) { start += 1; }
    while (end > start && SPACE.indexOf(text[end - 1]) >= 0) { end -= 1; }
    var body = asciiDigits(text.slice(start, end));
    var special = SPECIAL.exec(body);
    if (special) {
      var magnitude = special[2].toLowerCase() === "nan" ? NaN : Infinity;
      return special[1] === "-" ? -magnitude : magnitude;
    }
    if (!DECIMAL.test(body)) { return null; }
    return Number(body.replace(/_/g, ""));
  }

  return { repr: repr, formatG: formatG, number: number, agreeing: agreeing, float: pyFloat };
}());
