/* The newsroom's small behaviours, no third-party code:
   - an embargo's end also shown in the reader's own time zone;
   - the "copy link" button. */
(function () {
  "use strict";

  function showLocalTimes() {
    var lang = document.documentElement.lang || undefined;
    document.querySelectorAll("[data-local-time]").forEach(function (element) {
      var moment = new Date(element.getAttribute("data-local-time"));
      if (isNaN(moment.getTime())) return;
      var text;
      try {
        text = new Intl.DateTimeFormat(lang, {
          weekday: "long", day: "numeric", month: "long", year: "numeric",
          hour: "numeric", minute: "2-digit", timeZoneName: "short"
        }).format(moment);
      } catch (error) {
        text = moment.toLocaleString(lang);
      }
      element.textContent = element.getAttribute("data-label") + " " + text;
      element.hidden = false;
    });
  }

  function wireCopyButtons() {
    document.querySelectorAll("[data-copy-link]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var url = button.getAttribute("data-copy-link");
        var status = document.getElementById(button.getAttribute("aria-describedby"));
        function done(ok) {
          if (status) status.textContent = button.getAttribute(ok ? "data-done" : "data-failed");
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
        } else {
          done(false);
        }
      });
    });
  }

  function start() {
    showLocalTimes();
    wireCopyButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
