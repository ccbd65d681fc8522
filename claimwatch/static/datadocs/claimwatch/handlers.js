// Data Docs' buttons without inline handlers: the pages' Content-Security-Policy runs no
// onclick="…" attribute, so claimwatch.datadocs turns GX's few known ones into
// data-gx-click="…" and this file calls the same functions. Any other call is ignored.
(function () {
  "use strict";
  var KNOWN = /^(showAllValidations|hideSucceededValidations|clearTableFilters)\((?:'([\w-]*)')?\)$/;
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-gx-click]") : null;
    if (!target) {
      return;
    }
    var call = KNOWN.exec(target.getAttribute("data-gx-click"));
    if (call && typeof window[call[1]] === "function") {
      window[call[1]](call[2]);
    }
  });
})();
