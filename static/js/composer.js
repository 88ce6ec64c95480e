// The composer (templates/components/_composer.html): the toolbar is GitHub's
// <markdown-toolbar> (static/vendor/markdown-toolbar-element), photos pasted, dropped or
// chosen reach it through GitHub's <file-attachment> (static/vendor/file-attachment-element);
// this file shows the toolbar, uploads photos through POST /photos/ (the same endpoint as
// the forms' "Add a photo", which it then hides), asking for their description first, and
// quotes a selected passage into the reply. Without this script the textarea, its
// "Preview" button and the form's "Add a photo" work as a plain form.
(function () {
  "use strict";

  function csrf() {
    var headers = document.body.getAttribute("data-hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // A photo or a quote is a block of its own: it goes after the line the caret is on (never
  // inside a word or a **bold** the member is typing), with blank lines around it.
  function insert(textarea, text) {
    var value = textarea.value, lineEnd = value.indexOf("\n", textarea.selectionEnd);
    var at = lineEnd === -1 ? value.length : lineEnd;
    var before = value.slice(0, at), after = value.slice(at).replace(/^\n+/, "");
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    textarea.value = before + lead + text + "\n\n" + after;
    var caret = (before + lead + text + "\n\n").length;
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
  }

  // Drafts: the text is saved to the server a moment after the member stops typing (and
  // when they leave the page), and discarded by the server when the post is made.
  var DRAFT_DELAY = 2000;

  function keepDraft(root, textarea, status) {
    var form = root.closest("form[data-draft-place]");
    if (!form) return;
    var timer = null, sent = false, last = textarea.value;
    var title = form.querySelector("input[name=title]");

    function save(leaving) {
      timer = null;
      if (sent) return;
      var value = textarea.value + "\u0000" + (title ? title.value : "");
      if (value === last) return;
      last = value;
      var data = new FormData();
      data.append("place", form.getAttribute("data-draft-place"));
      data.append("body", textarea.value);
      if (title) data.append("title", title.value);
      fetch(form.getAttribute("data-draft-url"), {
        method: "POST", body: data, credentials: "same-origin", keepalive: !!leaving,
        headers: { "X-CSRFToken": csrf() }
      }).then(function (response) {
        return response.ok ? response.text() : "";
      }).then(function (text) {
        if (text && !leaving && !sent) { status.textContent = text.trim(); status.classList.remove("error"); }
      }).catch(function () { /* the text is still in the box; the next keystroke tries again */ });
    }

    last = textarea.value + "\u0000" + (title ? title.value : "");
    function later() { if (timer) clearTimeout(timer); timer = setTimeout(save, DRAFT_DELAY); }
    textarea.addEventListener("input", later);
    if (title) title.addEventListener("input", later);
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.name === "preview") return;
      sent = true;
      if (timer) clearTimeout(timer);
    });
    window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); save(true); } });
  }

  // "@" and ":" menus (GitHub's <text-expander>): members by handle or name, and the emoji
  // shortcodes the server turns into emoji when the post is saved.
  function suggestions(expander) {
    var url = expander.getAttribute("data-suggest-url");
    expander.addEventListener("text-expander-change", function (event) {
      var key = event.detail.key, text = event.detail.text;
      if (key === "@" && !text) return;
      event.detail.provide(fetch(url + "?key=" + encodeURIComponent(key) + "&q=" + encodeURIComponent(text), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) { return response.ok ? response.json() : {}; }).then(function (data) {
        var list = document.createElement("ul");
        list.className = "composer-menu";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", key === "@" ? "Members to mention" : "Emoji");
        (key === "@" ? data.members || [] : data.emoji || []).forEach(function (item) {
          var option = document.createElement("li");
          option.setAttribute("role", "option");
          option.id = "composer-option-" + Math.random().toString(36).slice(2, 9);
          if (key === "@") {
            option.setAttribute("data-value", "@" + item.username);
            option.textContent = item.name + " @" + item.username;
          } else {
            option.setAttribute("data-value", ":" + item.code + ":");
            option.textContent = item.emoji + " :" + item.code + ":";
          }
          list.appendChild(option);
        });
        return { matched: list.childElementCount > 0, fragment: list };
      }).catch(function () { return { matched: false }; }));
    });
    expander.addEventListener("text-expander-value", function (event) {
      event.detail.value = event.detail.item.getAttribute("data-value");
    });
  }

  function setUp(root) {
    var textarea = document.getElementById(root.getAttribute("data-composer"));
    var toolbar = root.querySelector("markdown-toolbar");
    var status = root.querySelector("[data-composer-status]");
    if (!textarea) return;
    if (toolbar) toolbar.hidden = false;
    // With htmx the preview is asked for in place: the button stops being a submit button,
    // so that Enter in a field of the form posts it (the form's first submit button would
    // otherwise be this one).
    var previewButton = root.querySelector("button[name=preview]");
    if (previewButton && window.htmx) previewButton.type = "button";
    keepDraft(root, textarea, status);
    var expander = root.querySelector("text-expander");
    if (expander) suggestions(expander);
    var photo = root.querySelector("[data-composer-photo]");
    var attachment = root.querySelector("file-attachment");
    if (!photo || !attachment) return;
    plainPhotoGivesWay(root.closest("form"));
    var fileInput = photo.querySelector("input[type=file]");
    var altBox = photo.querySelector("[data-composer-alt]");
    var altInput = altBox.querySelector("input");
    var progress = photo.querySelector("progress");
    var queue = [], uploading = false;

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("error", !!isError);
    }

    function next() {
      if (!queue.length) { altBox.hidden = true; photo.hidden = true; return; }
      photo.hidden = false;
      altBox.hidden = false;
      altInput.value = "";
      say("Describe " + (queue[0].name || "the photo") + " to add it.");
      altInput.focus();
    }

    function upload(file, alt) {
      var data = new FormData();
      data.append("image", file);
      data.append("alt_text", alt);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", root.closest("form").getAttribute("data-upload-url") || "/photos/");
      xhr.setRequestHeader("X-CSRFToken", csrf());
      uploading = true;
      progress.hidden = false;
      progress.value = 0;
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) progress.value = Math.round(100 * event.loaded / event.total);
      });
      xhr.addEventListener("load", function () {
        uploading = false;
        progress.hidden = true;
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
        if (xhr.status === 201 && answer.markdown) {
          insert(textarea, answer.markdown);
          say("Photo added.");
        } else if (xhr.status === 429) {
          say(answer.error || "You have added as many photos as you may today.", true);
        } else {
          say(answer.error || "The photo could not be uploaded; try another file.", true);
        }
        next();
      });
      xhr.addEventListener("error", function () {
        uploading = false;
        progress.hidden = true;
        say("The photo could not be uploaded: check your connection and try again.", true);
        next();
      });
      xhr.send(data);
    }

    // Pasted into the text, dropped on it or chosen with the toolbar's button (the file
    // field is <file-attachment>'s input): each image waits for its description in turn.
    attachment.addEventListener("file-attachment-accepted", function (event) {
      event.detail.attachments.forEach(function (attached) {
        if (/^image\//.test(attached.file.type)) queue.push(attached.file);
      });
      if (queue.length && altBox.hidden && !uploading) next();  // else asked in turn
    });

    root.querySelector("[data-composer-image]").addEventListener("click", function () {
      photo.hidden = false;
      fileInput.click();
    });
    altBox.querySelector("[data-composer-alt-add]").addEventListener("click", function () {
      var alt = altInput.value.trim();
      if (!alt) { say("Describe the photo first: people using screen readers rely on it.", true); altInput.focus(); return; }
      altBox.hidden = true;
      say("Uploading the photo…");
      upload(queue.shift(), alt);
    });
    altInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); altBox.querySelector("[data-composer-alt-add]").click(); }
    });
    altBox.querySelector("[data-composer-alt-cancel]").addEventListener("click", function () {
      queue.shift();
      say("Photo not added.");
      next();
      if (!queue.length) textarea.focus();
    });
  }

  // The form's plain "Add a photo" (photo and description, for browsers without this
  // script) gives way to the toolbar's button; kept when the server put an error by it.
  function plainPhotoGivesWay(form) {
    if (!form) return;
    var fields = Array.prototype.map.call(form.querySelectorAll("[data-plain-photo]"),
      function (input) { return input.closest(".field"); }).filter(Boolean);
    if (fields.some(function (field) { return field.classList.contains("has-error"); })) return;
    fields.forEach(function (field) { field.hidden = true; });
  }

  // "Quote" on a post: the passage selected in it (or, with nothing selected, the link's
  // own target, which opens the reply form with the post quoted by the server).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quote]");
    if (!link) return;
    var box = document.querySelector("#reply textarea");
    var post = link.closest("[data-post]");
    var selection = window.getSelection ? String(window.getSelection()) : "";
    if (!box || !post || !selection.trim() || !post.contains(window.getSelection().anchorNode)) return;
    event.preventDefault();
    var quoted = selection.trim().split("\n").map(function (line) { return "> " + line; }).join("\n");
    insert(box, quoted + "\n>\n> — @" + link.getAttribute("data-quote"));
  });

  function all() { document.querySelectorAll("[data-composer]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
