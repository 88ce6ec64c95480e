// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-select-on-focus")) {
      el.select();
    }
  });
  // Disable a submit button once its form is sent, so a double click posts once.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-allow-resubmit")) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });

  // The compact menu of small screens: a disclosure button (aria-expanded, aria-controls).
  // Escape closes it and gives the focus back to the button; so does a click elsewhere.
  function menuParts() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var panel = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    return panel ? { toggle: toggle, panel: panel } : null;
  }
  function setMenu(parts, open, focusButton) {
    parts.toggle.setAttribute("aria-expanded", open ? "true" : "false");
    parts.toggle.setAttribute("aria-label", open ? "Close menu" : "Open menu");
    parts.panel.classList.toggle("is-open", open);
    if (open) {
      var first = Array.prototype.find.call(parts.panel.querySelectorAll("a, button"),
        function (el) { return el.getClientRects().length > 0; });
      if (first) first.focus();
    } else if (focusButton) {
      parts.toggle.focus();
    }
  }
  document.addEventListener("click", function (event) {
    var parts = menuParts();
    if (!parts) return;
    if (parts.toggle.contains(event.target)) {
      setMenu(parts, parts.toggle.getAttribute("aria-expanded") !== "true", false);
    } else if (parts.panel.classList.contains("is-open") && !parts.panel.contains(event.target)) {
      setMenu(parts, false, false);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var parts = menuParts();
    if (parts && parts.panel.classList.contains("is-open")) {
      setMenu(parts, false, true);
    }
  });
  document.addEventListener("focusout", function (event) {
    var parts = menuParts();
    if (!parts || !parts.panel.classList.contains("is-open")) return;
    var next = event.relatedTarget;
    if (next && !parts.panel.contains(next) && !parts.toggle.contains(next)) {
      setMenu(parts, false, false);
    }
  });

  // The theme switch (light, dark, system), remembered in localStorage; theme.js applies
  // it before the first paint of the next page.
  function showTheme() {
    var current = document.documentElement.getAttribute("data-theme") || "system";
    document.querySelectorAll("[data-theme-choice]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-theme-choice") === current ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-theme-choice]");
    if (!button) return;
    var choice = button.getAttribute("data-theme-choice");
    try {
      if (choice === "system") window.localStorage.removeItem("gravity-theme");
      else window.localStorage.setItem("gravity-theme", choice);
    } catch (e) { /* not remembered, still applied to this page */ }
    if (choice === "system") document.documentElement.removeAttribute("data-theme");
    else document.documentElement.setAttribute("data-theme", choice);
    showTheme();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showTheme);
  else showTheme();
})();
