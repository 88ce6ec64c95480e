// Review queue keyboard: j/k move between items, a/h/d/e act on the focused one.
(function () {
  "use strict";
  function items() { return Array.from(document.querySelectorAll("[data-review-item]")); }
  function current() { return document.activeElement && document.activeElement.closest("[data-review-item]"); }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var list = items();
    if (!list.length) return;
    var here = current();
    var index = here ? list.indexOf(here) : -1;
    if (event.key === "j" || event.key === "k") {
      var next = list[Math.min(Math.max(index + (event.key === "j" ? 1 : -1), 0), list.length - 1)];
      next.focus();
      next.scrollIntoView({ block: "nearest" });
      event.preventDefault();
      return;
    }
    if (!here) return;
    var target = here.querySelector('[data-key="' + event.key + '"]');
    if (target) { target.click(); event.preventDefault(); }
  });
})();
