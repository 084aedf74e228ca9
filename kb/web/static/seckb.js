// seckb pages: the only script, served from /static (the Content-Security-Policy forbids inline scripts).
// A copy-citation button is hidden until this script can make it work.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var say = function (words) { if (status) { status.textContent = words; } };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { say("Copied: " + text); },
          function () { say("Select and copy: " + text); });
      } else {
        say("Select and copy: " + text);
      }
    });
  });
});
