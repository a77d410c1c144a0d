// Polls a mailing's status while it is scheduled or sending and moves the progress bar;
// stops once the mailing is sent or cancelled.
(function () {
  "use strict";
  function watch(box) {
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("progress");
    var timer = null;
    function show(status) {
      bar.value = status.percent;
      box.querySelector(".done").textContent = status.done;
      box.querySelector(".total").textContent = status.total;
      box.querySelector(".percent").textContent = status.percent;
      box.querySelector(".mailing-progress-state").textContent = status.state_label;
      box.setAttribute("data-state", status.state);
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
  });
})();
