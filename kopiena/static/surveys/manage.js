// Staff survey pages, progressively enhanced (each works without this file):
// "Kopēt" buttons next to invitation links, and the question form showing only
// the options of the chosen question type.
(function () {
  "use strict";

  function copyButtons() {
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

  function questionOptions() {
    var kind = document.getElementById("id_kind");
    if (!kind) return;
    var groups = document.querySelectorAll("fieldset.question-options[data-kinds]");
    function update() {
      groups.forEach(function (group) {
        group.hidden = group.getAttribute("data-kinds").split(" ").indexOf(kind.value) === -1;
      });
    }
    kind.addEventListener("change", update);
    update();
  }

  function init() {
    copyButtons();
    questionOptions();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
