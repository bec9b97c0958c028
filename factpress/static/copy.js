// Adds a "Copy" button beside each read-only code box marked data-copy (the embed code on claim
// pages). Without JavaScript the box still shows the code, ready to select and copy by hand. The
// words come from the box's data attributes, which the page writes in the site's language.
(function () {
  "use strict";

  function copyText(box) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(box.value);
    }
    box.focus();
    box.select();
    return new Promise(function (resolve, reject) {
      (document.execCommand && document.execCommand("copy")) ? resolve() : reject(new Error("copy refused"));
    });
  }

  function addButton(box) {
    var row = document.createElement("p");
    row.className = "copy-row";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    var words = box.dataset;
    button.textContent = words.copy || "Copy code";
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copyText(box).then(
        function () { status.textContent = words.copied || "Copied to the clipboard."; },
        function () { box.focus(); box.select(); status.textContent = words.copyByHand || "Press Ctrl+C (or Cmd+C) to copy."; }
      );
    });
    row.appendChild(button);
    row.appendChild(status);
    box.insertAdjacentElement("afterend", row);
  }

  document.querySelectorAll("textarea[data-copy]").forEach(addButton);
})();
