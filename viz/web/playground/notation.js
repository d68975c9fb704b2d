/* The playground's names and numbers, in the notation of docs/backprop.md.
 *
 * Superscripts for layers and subscripts for neurons (a²₁, δ³₀, W²₁₀, b¹₂, and the index
 * letters j, k, m as subscripts), numbers as chainrule's format_number writes them, and a
 * number as a factor (a negative one in parentheses). Pure functions, no state.
 */
var chainrule_playground_notation = (function (pyformat) {
  "use strict";

  var SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  var SUB = "₀₁₂₃₄₅₆₇₈₉";
  var SUB_LETTERS = { j: "ⱼ", k: "ₖ", m: "ₘ" };
  function digits(n, table) {
    return String(n).split("").map(function (c) {
      return /[0-9]/.test(c) ? table[Number(c)] : SUB_LETTERS[c] || c;
    }).join("");
  }
  function sup(n) { return digits(n, SUP); }
  /** A subscript: digits, or the index letters j, k, m. */
  function sub(n) { return digits(n, SUB); }
  /** Four significant digits, as chainrule's format_number writes them ("3.0", "-0.0125"). */
  function num(x) { return pyformat.number(x); }
  /** A number as a factor: negative ones in parentheses, "0.5·(-1.2)". */
  function factor(x) { return x < 0 || (x === 0 && 1 / x < 0) ? "(" + num(x) + ")" : num(x); }
  function a(l, j) { return "a" + sup(l) + sub(j); }
  function z(l, j) { return "z" + sup(l) + sub(j); }
  function d(l, j) { return "δ" + sup(l) + sub(j); }
  function w(l, j, k) { return "W" + sup(l) + sub(j) + sub(k); }
  function b(l, j) { return "b" + sup(l) + sub(j); }

  return { sup: sup, sub: sub, num: num, factor: factor, a: a, z: z, d: d, w: w, b: b };
}(chainrule_pyformat));
