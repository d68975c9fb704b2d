/* Data a learner makes: points [x1, x2, label] as CSV text and in the address.
 *
 *   read(text, classes)  the points of x1,x2,label lines, exactly as Python's nn.read_points
 *                        reads them (the same format, numbers and messages, word for word: a
 *                        test runs both on one table of good and bad files); throws a
 *                        PointsError (.line, 0 for the whole file) at the first problem, so
 *                        nothing is read half. classes: the task's number of classes (a label
 *                        is a whole number 0 … classes − 1), or null for regression targets
 *   labelRule(classes)   the labels a task takes, in words ("0 or 1", "0 或 1")
 *   checkLabel(y, classes)  y if the task takes it as a label, else an Error saying which it takes
 *   write(points)        CSV text: the header, then one line per point, each number the
 *                        shortest text that reads back as the same double
 *   encode(data)         {train, test} for the address: "x1,x2,label;…" then "|" and the test
 *                        points when there are any (String(x) for each number: exact)
 *   decode(text, classes)  that back, checked as read() checks a file
 *
 * The messages are the catalogue's (engine/messages/playground.json, playground.points_*),
 * in the page's language now: the same keys nn/points_csv.py fills.
 */
var chainrule_points = (function (i18n) {
  "use strict";

  var HEADER = ["x1", "x2", "label"];
  var LINE_END = /\r\n|\n|\r/;
  var NUMBER = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  var SHOWN = 40;  // a line quoted in a message is cut to this many characters

  /** A points file that cannot be read: `line` is its 1-based line number (0: the file). */
  function PointsError(line, problem) {
    var error = new Error(line ? i18n.t("playground.points_line", { line: line, problem: problem })
      : problem);
    error.line = line;
    error.problem = problem;
    return error;
  }

  function strip(text) { return text.replace(/^[ \t]+|[ \t]+$/g, ""); }

  /** The text in double quotes as JSON writes it, cut to SHOWN characters (code points). */
  function quoted(text) {
    var chars = Array.from(text);
    return JSON.stringify(chars.length <= SHOWN ? text : chars.slice(0, SHOWN).join("") + "…");
  }

  function labelRule(classes) {
    if (classes === null) { return i18n.t("playground.points_any_number"); }
    var indices = [];
    for (var k = 0; k < classes; k += 1) { indices.push(String(k)); }
    return i18n.t("playground.points_or",
      { first: indices.slice(0, -1).join(", "), last: indices[indices.length - 1] });
  }

  function number(field, name, line) {
    var text = strip(field);
    if (!NUMBER.test(text)) {
      throw PointsError(line, i18n.t("playground.points_not_a_number",
        { name: name, text: quoted(text) }));
    }
    var value = Number(text);
    if (!isFinite(value)) {
      throw PointsError(line, i18n.t("playground.points_too_large", { name: name, text: text }));
    }
    return value;
  }

  function label(value, text, classes, line) {
    if (classes === null) { return value; }
    if (Number.isInteger(value) && value >= 0 && value < classes) { return value + 0; }  // −0 → 0
    throw PointsError(line, i18n.t("playground.points_not_a_class",
      { label: text, labels: labelRule(classes) }));
  }

  /** One point from its three fields, checked; `line` names it in a message. */
  function point(fields, line, classes) {
    var x1 = number(fields[0], HEADER[0], line);
    var x2 = number(fields[1], HEADER[1], line);
    var y = number(fields[2], HEADER[2], line);
    return [x1, x2, label(y, strip(fields[2]), classes, line)];
  }

  function checkLabel(value, classes) { return label(value, String(value), classes, 0); }

  function read(text, classes) {
    var lines = String(text).replace(/^\ufeff/, "").split(LINE_END);
    var points = [];
    var seenLine = false;
    lines.forEach(function (line, i) {
      if (!strip(line)) { return; }
      var fields = line.split(",");
      var first = !seenLine;
      seenLine = true;
      if (first && fields.map(function (f) { return strip(f).toLowerCase(); }).join(",") ===
          HEADER.join(",")) {
        return;
      }
      if (fields.length !== HEADER.length) {
        throw PointsError(i + 1, i18n.t("playground.points_count",
          { count: fields.length, line: quoted(line) }));
      }
      points.push(point(fields, i + 1, classes));
    });
    if (!points.length) {
      throw PointsError(0, i18n.t("playground.points_none"));
    }
    return points;
  }

  function write(points) {
    return [HEADER.join(",")].concat(points.map(function (p) {
      return p.map(String).join(",");
    })).join("\n") + "\n";
  }

  function encodeList(points) {
    return points.map(function (p) { return p.map(String).join(","); }).join(";");
  }

  function encode(data) {
    return encodeList(data.train) + (data.test.length ? "|" + encodeList(data.test) : "");
  }

  function decode(text, classes) {
    var parts = String(text).split("|");
    if (parts.length > 2) { throw new Error(i18n.t("playground.address_points_parts")); }
    var lists = parts.map(function (part, which) {
      return part.split(";").map(function (item, i) {
        var fields = item.split(",");
        var where = i18n.t(which ? "playground.test_point" : "playground.training_point",
          { i: i + 1 });
        if (fields.length !== 3) {
          throw new Error(i18n.t("playground.address_point_shape", { where: where, item: quoted(item) }));
        }
        try { return point(fields, 0, classes); } catch (error) {
          throw new Error(i18n.t("playground.point_problem", { where: where, problem: error.message }));
        }
      });
    });
    return { train: lists[0], test: lists[1] || [] };
  }

  return { HEADER: HEADER, read: read, labelRule: labelRule, checkLabel: checkLabel,
    write: write, encode: encode, decode: decode };
}(chainrule_i18n));
