// Staff pages: "Kopēt" buttons next to invitation links (shown only when the clipboard works).
(function () {
  "use strict";
  function init() {
    if (!navigator.clipboard) return;
    var status = document.getElementById("copy-status");
    document.querySelectorAll("button.copy-button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        navigator.clipboard.writeText(source.value).then(function () {
          if (status) status.textContent = button.getAttribute("data-copied") || "✓";
          source.select();
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
