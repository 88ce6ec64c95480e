// Gravity's Q&A widget for a shop's product page. Include this script from the community
// and mark where the widget goes:
//
//   <div data-gravity-widget data-sku="SUMMIT-KETTLE-20"></div>
//   <script src="https://community.example.com/static/widget/gravity-widget.js" defer></script>
//
// It puts the community's widget page in a frame there (the community lists the shop's
// origin, or the browser refuses the frame) and sizes the frame to its content from the
// frame's messages: only messages from the community's own origin, from that very frame,
// are read. No other request is made.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var community = new URL(script.src).origin;
  var frames = [];

  function mount(slot) {
    var sku = slot.getAttribute("data-sku");
    if (!sku || slot.getAttribute("data-gravity-mounted")) return;
    slot.setAttribute("data-gravity-mounted", "1");
    var frame = document.createElement("iframe");
    frame.src = community + "/widget/products/" + encodeURIComponent(sku) + "/#origin=" +
      encodeURIComponent(window.location.origin);
    frame.title = slot.getAttribute("data-title") || "Questions and answers from the community";
    frame.loading = "lazy";
    frame.setAttribute("referrerpolicy", "strict-origin");
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.display = "block";
    frame.style.height = "480px";
    slot.appendChild(frame);
    frames.push(frame);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== community) return;
    var data = event.data;
    if (!data || data.type !== "gravity-widget:height" || typeof data.height !== "number") return;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(120, Math.min(Math.round(data.height), 20000)) + "px";
      }
    }
  });

  function start() {
    var slots = document.querySelectorAll("[data-gravity-widget]");
    for (var i = 0; i < slots.length; i++) mount(slots[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
