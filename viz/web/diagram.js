/* One diagram, laid out in the browser (layout.js): how a notebook shows draw_graph's or
 * draw_network's diagram where Python has no Graphviz `dot`. */
(function (layout) {
  "use strict";
  layout.layOut(layout.sources()).then(function (svgs) {
    document.getElementById("picture").appendChild(svgs[0]);
  }, function (error) {
    layout.failed(error, document.getElementById("error"));
  });
}(chainrule_layout));
