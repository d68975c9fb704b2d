/* The bugs gallery's diagrams, laid out in the browser (layout.js) where Python had no
 * Graphviz `dot`: each takes the place of its placeholder <div data-diagram="k">, every id
 * in it prefixed with the placeholder's data-prefix, as chainrule/bugs/page.py's
 * inline_svg prefixes them, so the ids of the page's many diagrams stay unique. */
(function (layout) {
  "use strict";
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
}(chainrule_layout));
