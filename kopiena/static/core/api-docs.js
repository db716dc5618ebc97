/* The API's docs page (core/api_docs.html): names for the controls Swagger UI renders
   without one (icon-only copy buttons, a parameter's choice list), so that screen readers
   announce them (WCAG 4.1.2). Swagger UI renders as it goes: each new part is named. */
(function () {
  "use strict";
  function name(root) {
    root.querySelectorAll(".copy-to-clipboard button:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Copy to clipboard");
    });
    root.querySelectorAll("tr[data-param-name]").forEach(function (row) {
      row.querySelectorAll("select:not([aria-label]), input:not([aria-label])").forEach(function (control) {
        control.setAttribute("aria-label", row.dataset.paramName);
      });
    });
  }
  var ui = document.getElementById("swagger-ui");
  new MutationObserver(function () { name(ui); }).observe(ui, { childList: true, subtree: true });
})();
