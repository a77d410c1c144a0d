// Polls a mailing's status while it is scheduled or sending and moves the progress bar;
// stops once the mailing is sent or cancelled. Forms with data-confirm (cancelling a
// mailing cannot be undone) ask before they are sent.
(function () {
  "use strict";
  function watch(box) {
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("progress");
    var timer = null;
    var shownState = box.getAttribute("data-state");
    function show(status) {
      if (status.finished && status.state !== shownState) {
        // Sent or cancelled meanwhile: reload so the heading and buttons say so.
        window.location.reload();
        return;
      }
      bar.value = status.percent;
      box.querySelector(".done").textContent = status.done;
      box.querySelector(".total").textContent = status.total;
      box.querySelector(".percent").textContent = status.percent;
      box.querySelector(".mailing-progress-state").textContent = status.state_label;
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) { return; }
          show(status);
          if (status.finished) { window.clearInterval(timer); }
        })
        .catch(function () { window.clearInterval(timer); });
    }
    poll();
    timer = window.setInterval(poll, 1500);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".mailing-progress[data-status-url]").forEach(watch);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
