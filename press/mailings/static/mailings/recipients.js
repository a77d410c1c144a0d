// The live recipient count of the mailing add and change pages: whenever the kind, the
// release, the texts, the lists or the filters change, the form is posted (nothing is
// saved) to the count view and the answer is written into an aria-live region.
(function () {
  "use strict";
  function watch(region) {
    var form = region.closest("form");
    var url = region.getAttribute("data-count-url");
    var output = region.querySelector(".mailing-live-count-text");
    var timer = null;
    var asked = 0;
    function ask() {
      var mine = ++asked;
      region.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (mine !== asked) { return; }
          output.textContent = answer.error || answer.text;
          region.classList.toggle("errornote", Boolean(answer.error));
          region.setAttribute("aria-busy", "false");
        })
        .catch(function () { region.setAttribute("aria-busy", "false"); });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 400);
    }
    form.addEventListener("change", later);
    form.addEventListener("input", later);
    // The journalist picker (select2) announces its changes through jQuery only.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).on("change", "select", later);
    }
    ask();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".mailing-live-count[data-count-url]").forEach(watch);
  });
})();
