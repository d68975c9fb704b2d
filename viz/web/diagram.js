/* One diagram, laid out in the browser (layout.js): how a notebook shows draw_graph's or
 * draw_network's diagram where Python has no Graphviz `dot`. Should that fail, the page
 * says so in the language it was written in (i18n.js). */
(function (layout, i18n) {
  "use strict";
  i18n.load();
  layout.layOut(layout.sources()).then(function (svgs) {
    document.getElementById("picture").appendChild(svgs[0]);
  }, function (error) {
    layout.failed(error, document.getElementById("error"));
  });
}(chainrule_layout, chainrule_i18n));
