/* Start the step-through page (page.js) once its picture is in place: at once when Python
 * laid the graph out with Graphviz, or after the browser has (layout.js and viz-js, which
 * the page carries only then, with the DOT source for layout.sources()). First of all, the
 * page's words: in the address's language (lang=), else the one it was written in, and the
 * language switch's buttons (i18n.js). */
(function (start, i18n) {
  "use strict";

  i18n.load();
  i18n.wireSwitch();

  function begin(laidOut) {
    start(chainrule_engine, chainrule_narration, chainrule_view, laidOut, i18n);
  }

  if (document.getElementById("chainrule-dot") === null) {
    begin(null);
    return;
  }
  var layout = chainrule_layout;
  layout.layOut(layout.sources()).then(function (svgs) {
    document.getElementById("picture").appendChild(svgs[0]);
    begin(layout.boxes(svgs[0]));
  }, function (error) {
    layout.failed(error, document.getElementById("error"));
  });
}(chainrule_page, chainrule_i18n));
