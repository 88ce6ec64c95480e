// Inside the widget's frame: tell the shop's page (the origin gravity-widget.js named in
// the frame's address, after "#origin=") how tall the content is, so it can size the frame
// without a scroll bar. Nothing is sent when no origin was named, and the browser delivers
// the message only if the parent page really is on that origin.
(function () {
  "use strict";
  var match = /(?:^#|&)origin=([^&]+)/.exec(window.location.hash);
  if (!match || window.parent === window) return;
  var origin;
  try { origin = new URL(decodeURIComponent(match[1])).origin; } catch (e) { return; }
  // Pages of questions keep the shop's origin in their address.
  var links = document.querySelectorAll("a[data-keep-hash]");
  for (var i = 0; i < links.length; i++) links[i].href += window.location.hash;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "gravity-widget:height", height: height }, origin);
  }
  if ("ResizeObserver" in window) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  report();
})();
