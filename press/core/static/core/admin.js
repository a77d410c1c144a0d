// Django's tabular inlines (a request's history and emails) scroll sideways inside
// their frame on a phone. Read-only, they hold nothing a keyboard can focus, so the
// frame itself takes focus while it scrolls (arrow keys then scroll it), named after
// its heading.
(function () {
  "use strict";
  function reachable() {
    document.querySelectorAll(".inline-related.tabular div.wrapper").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth) {
        var heading = frame.closest("fieldset") && frame.closest("fieldset").querySelector("h2");
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        if (heading) frame.setAttribute("aria-label", heading.textContent.trim());
      } else if (frame.getAttribute("role") === "region") {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", reachable);
  window.addEventListener("resize", reachable);
})();
