/* Copy-link buttons (opdgen default theme). Progressive enhancement: the button stays hidden
   unless this browser can copy; it loads nothing and sends nothing anywhere. */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var label = button.querySelector(".share-copy-label");
    var status = button.parentNode.querySelector("[data-copy-status]");
    var original = label ? label.textContent : "";
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        if (label) {
          label.textContent = button.getAttribute("data-done");
        }
        if (status) {
          status.textContent = button.getAttribute("data-done");
        }
        window.setTimeout(function () {
          if (label) {
            label.textContent = original;
          }
          if (status) {
            status.textContent = "";
          }
        }, 2500);
      });
    });
  });
}());
