/* The moment gallery's lightbox: a photo opens large in a modal <dialog> (which keeps the
   focus inside it and closes with Escape); the arrow keys and the buttons go to the
   previous and next photo; closing gives the focus back to the photo that opened it.
   Without JavaScript each photo is a link to its entry's own page. */
(function () {
  "use strict";
  var dialog = document.getElementById("moment-lightbox");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var img = document.createElement("img");  // made here: an <img> needs a source in HTML
  dialog.querySelector(".moment-lightbox-photo").appendChild(img);
  var caption = dialog.querySelector(".moment-lightbox-caption");
  var credit = dialog.querySelector(".moment-lightbox-credit");
  var links = [];
  var index = 0;
  var opener = null;

  function show(i) {
    index = (i + links.length) % links.length;
    var link = links[index];
    img.src = link.dataset.large;
    img.alt = link.dataset.alt || "";
    caption.textContent = link.dataset.caption || "";
    credit.textContent = link.dataset.credit ? "By " + link.dataset.credit : "";
    dialog.setAttribute("aria-label", "Photo " + (index + 1) + " of " + links.length);
  }

  function open(link) {
    links = Array.prototype.slice.call(document.querySelectorAll(".moment-gallery [data-lightbox]"));
    var i = links.indexOf(link);
    if (i < 0) { links = [link]; i = 0; }
    opener = link;
    show(i);
    dialog.showModal();
    dialog.querySelector("[data-lightbox-close]").focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-lightbox]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    open(link);
  });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { event.preventDefault(); show(index + 1); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); show(index - 1); }
    else if (event.key === "Tab") {  // the focus goes round the dialog's buttons only
      var buttons = Array.prototype.slice.call(dialog.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      event.preventDefault();
      var next = at < 0 ? 0 : (at + (event.shiftKey ? -1 : 1) + buttons.length) % buttons.length;
      buttons[next].focus();
    }
  });
  dialog.querySelector("[data-lightbox-next]").addEventListener("click", function () { show(index + 1); });
  dialog.querySelector("[data-lightbox-prev]").addEventListener("click", function () { show(index - 1); });
  dialog.querySelector("[data-lightbox-close]").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
  dialog.addEventListener("close", function () {
    img.removeAttribute("src");
    if (opener) opener.focus();
  });
})();
