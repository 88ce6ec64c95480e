// The installable app (community/views/app.py): registers the service worker (/sw.js) on
// every page, lists the pages it kept on the offline page, and turns push on and off in
// this browser from the notification settings page. Progressive: without a service
// worker, Push API or the site's key, nothing shows and every page works as before.
(function () {
  "use strict";
  var PAGES = "gravity-pages";

  function csrf() {
    var headers = document.body.getAttribute("data-hx-headers") || "{}";
    try { return JSON.parse(headers)["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(data),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }
    });
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // The offline page: the pages kept in Cache Storage, newest first, by their titles.
  function listPagesRead() {
    var list = document.querySelector("[data-pages-read]");
    if (!list || !window.caches) return;
    var empty = document.querySelector("[data-pages-empty]");
    caches.open(PAGES).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.reverse().map(function (request) {
          return cache.match(request).then(function (response) {
            return response.text().then(function (html) {
              var doc = new DOMParser().parseFromString(html, "text/html");
              return { url: request.url, title: doc.title || request.url };
            });
          });
        }));
      });
    }).then(function (pages) {
      pages.forEach(function (page) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = page.url;
        link.textContent = page.title;
        item.appendChild(link);
        list.appendChild(item);
      });
      if (pages.length && empty) empty.hidden = true;
    }).catch(function () { /* no Cache Storage here: the empty state stays */ });
  }

  function pushControls(registration) {
    var on = document.querySelector("[data-push-subscribe]");
    var off = document.querySelector("[data-push-unsubscribe]");
    var status = document.querySelector("[data-push-status]");
    if (!on || !registration || !("PushManager" in window) || !("Notification" in window)) return;
    var key = on.getAttribute("data-push-key");
    if (!key) return;
    function say(text) { if (status) status.textContent = text; }
    function show(subscribed) {
      on.hidden = subscribed;
      off.hidden = !subscribed;
      var text = subscribed ? "data-text-on"
        : Notification.permission === "denied" ? "data-text-denied" : "data-text-off";
      say(status ? status.getAttribute(text) : "");
    }
    registration.pushManager.getSubscription().then(function (subscription) {
      show(Boolean(subscription));
      if (subscription) post(on.getAttribute("data-push-url"), subscription.toJSON());
    });
    on.addEventListener("click", function () {
      on.disabled = true;
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") throw new Error("denied");
        return registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(key)
        });
      }).then(function (subscription) {
        return post(on.getAttribute("data-push-url"), subscription.toJSON());
      }).then(function (response) {
        if (!response.ok) throw new Error("refused");
        window.location.reload();
      }).catch(function () {
        on.disabled = false;
        show(false);
      });
    });
    off.addEventListener("click", function () {
      registration.pushManager.getSubscription().then(function (subscription) {
        if (!subscription) return null;
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return post(on.getAttribute("data-push-unsubscribe-url"), { endpoint: endpoint });
        });
      }).then(function () { window.location.reload(); });
    });
  }

  function start() {
    listPagesRead();
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var unsupported = document.querySelector("[data-push-unsupported]");
      if (unsupported && "PushManager" in window) unsupported.hidden = true;
      pushControls(registration);
    }).catch(function () { /* no service worker (private mode, http): pages work as before */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
