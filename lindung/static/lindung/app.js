// lindung: progress bars poll their batch's status; no framework, no inline script (CSP script-src 'self').
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector(".progress-text");
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (bar) { bar.value = s.progress; }
        // "Menunggu giliran", not "Menunggu giliran — (0%)": only the parts there are.
        text.textContent = s.label + (s.text ? " — " + s.text : "") + (s.progress ? " (" + s.progress + "%)" : "");
        if (s.running) { setTimeout(function () { poll(box); }, 1000); }
        else { window.location.reload(); }
      })
      .catch(function () { setTimeout(function () { poll(box); }, 3000); });
  }
  document.querySelectorAll("[data-status-url]").forEach(function (box) {
    setTimeout(function () { poll(box); }, 500);
  });
})();
