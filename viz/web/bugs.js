/* The bugs gallery's script (chainrule/bugs/page.py): its language switch, and where Python
 * had no Graphviz `dot`, its diagrams laid out in the browser.
 *
 * The language: i18n.js (first in the script) reads the catalogue the page embeds and opens
 * it in the address's lang=, else the one it was written in. Fixed texts are data-i18n
 * elements; each sentence a demo computed is written in both languages, one
 * <span data-lang> each, and bugs.css shows the one matching <html lang>, which
 * setLanguage() changes: every text switches in place, nothing is recomputed or reloaded.
 * window.chainrule.language() and window.chainrule.setLanguage("zh") are the page's API.
 *
 * The diagrams (layout.js, only on a page without `dot`): each takes the place of its
 * placeholder <div data-diagram="k">, every id in it prefixed with the placeholder's
 * data-prefix, as page.py's inline_svg prefixes them, so the ids of the page's many
 * diagrams stay unique. */
(function (i18n) {
  "use strict";
  i18n.load();
  i18n.wireSwitch(document);
  window.chainrule = { language: i18n.language, setLanguage: i18n.setLanguage };
  if (typeof chainrule_layout === "undefined") { return; }
  var layout = chainrule_layout;
  layout.layOut(layout.sources()).then(function (svgs) {
    document.querySelectorAll("[data-diagram]").forEach(function (slot) {
      var svg = svgs[Number(slot.getAttribute("data-diagram"))];
      var prefix = slot.getAttribute("data-prefix");
      svg.querySelectorAll("[id]").forEach(function (element) {
        element.id = prefix + element.id;
      });
      slot.replaceWith(svg);
    });
  }, function (error) {
    layout.failed(error, document.getElementById("error"));
  });
}(chainrule_i18n));
