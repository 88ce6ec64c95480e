// Read before the first paint (a blocking script in <head>): the member's chosen theme,
// light, dark or the system's, so a dark page never flashes white. Without JavaScript the
// stylesheet follows the system setting (prefers-color-scheme).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var chosen = window.localStorage.getItem("gravity-theme");
    if (chosen === "light" || chosen === "dark") root.setAttribute("data-theme", chosen);
  } catch (e) { /* storage refused (private mode): follow the system */ }
})();
