/* Small helpers for the playground's page: finding elements, making buttons, placing them,
 * the status line, the notice of values not used, an error as a line of text, saving a file
 * the page made, and t(key, params), a message of the catalogue in the page's language
 * (viz/web/i18n.js; has(key) says whether the catalogue has one). The status line and the
 * notice may be given as a function that writes them: retranslate() writes them again after
 * the language changes.
 */
var chainrule_playground_dom = (function (i18n) {
  "use strict";

  var t = i18n.t;

  function $(id) { return document.getElementById(id); }

  /** A <button type="button"> with a class, a data-key (to find it again) and an aria-label. */
  function button(className, key, label) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.dataset.key = key;
    element.setAttribute("aria-label", label);
    return element;
  }

  /** Put an absolutely positioned element at (x, y) CSS pixels. */
  function place(element, x, y) {
    element.style.left = x + "px";
    element.style.top = y + "px";
  }

  var said = null;     // the status line, when it was given as a function
  var noticed = null;  // the notice's lines, when they were given as a function

  /** The line under the page that says what happened (role="status"): text, or a function
   *  that writes it in the language of the moment. */
  function status(text) {
    said = typeof text === "function" ? text : null;
    $("status").textContent = said ? said() : text;
  }

  var notes = [];

  /**
   * The notice under the controls: one line per value the page did not use (from the address
   * or configure), each naming the key and the value used instead; none hides it.
   */
  function notice(lines) {
    noticed = typeof lines === "function" ? lines : null;
    notes = (noticed ? noticed() : lines).slice();
    var box = $("notice");
    var list = $("notice-list");
    list.textContent = "";
    notes.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    box.hidden = !notes.length;
  }

  /** Write the status line and the notice again, in the language now. */
  function retranslate() {
    if (said) { status(said); }
    if (noticed) { notice(noticed); }
  }

  /** The notice's lines now. */
  function notices() { return notes.slice(); }

  /** An error as text: "NumberOverflowError: …" for a kernel's error, else its message. */
  function message(error) {
    return (error && error.kind ? error.kind + ": " : "") +
      (error && error.message ? error.message : String(error));
  }

  /** Save `data` (text, or bytes in a typed array) as a downloaded file called `name`, of the
   *  MIME type `type`. */
  function saveFile(data, type, name) {
    var url = URL.createObjectURL(new Blob([data], { type: type }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  return { $: $, button: button, place: place, status: status, notice: notice,
    notices: notices, message: message, saveFile: saveFile, t: t, has: i18n.has, language: i18n.language, retranslate: retranslate };
}(chainrule_i18n));
