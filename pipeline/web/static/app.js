// vanban web: small enhancements only; every page works without this file.
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  var zoom = document.querySelector(".viewer .zoom");
  if (sheet && zoom) {
    var level = 1;
    zoom.hidden = false;
    zoom.addEventListener("click", function (ev) {
      var step = ev.target.getAttribute("data-zoom");
      if (step === null) return;
      level = step === "0" ? 1 : Math.min(4, Math.max(1, level + Number(step)));
      sheet.className = "sheet" + (level > 1 ? " z" + level : "");
    });
  }
  // A field's box on the image without moving the page: show it in place and scroll the image to it.
  document.querySelectorAll("a.locate").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      var box = document.getElementById("f-" + link.getAttribute("data-field"));
      if (!box) return;
      ev.preventDefault();
      document.querySelectorAll(".fieldbox.on").forEach(function (g) { g.classList.remove("on"); });
      box.classList.add("on");
      var scroller = sheet.parentElement, rect = box.getBoundingClientRect(), outer = scroller.getBoundingClientRect();
      scroller.scrollTop += rect.top - outer.top - outer.height / 3;
      history.replaceState(null, "", "#f-" + link.getAttribute("data-field"));
    });
  });
})();
