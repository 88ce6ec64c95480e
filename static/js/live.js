// Live updates (community/engine/live): the page hears of what changed on the server-sent
// events of /stream/ and asks its own URL again (the ordinary, cached, permission-checked
// view), then puts in place what is new: a reply in its place with a "3 new replies" bar
// instead of a jump, new counts and "Solved" badges, a post hidden or deleted gone, the
// bell counted up. Without this file, or with the stream down, every page works as it
// did (the bell keeps polling every 60 s).
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  var script = document.currentScript;
  var meta = document.querySelector('meta[name="gravity-live"]');
  var signedIn = script && script.hasAttribute("data-member");
  var topics = meta ? meta.getAttribute("content") : (signedIn ? "inbox" : "");
  if (!topics) return;
  var streamUrl = (script && script.getAttribute("data-stream")) || "/stream/";
  var space = meta && meta.getAttribute("data-space");
  var onThread = /(^|,)thread:\d+/.test(topics);
  var onFeed = /(^|,)feed(,|$)/.test(topics);
  var onInbox = /(^|,)inbox(,|$)/.test(topics) && document.querySelector(".notice-list, .empty-state");

  function say(name, n) {
    var text = script.getAttribute(n === 1 ? "data-" + name + "-one" : "data-" + name + "-many") || "";
    return text.replace("{n}", String(n));
  }

  // The bar that announces what arrived below (or on another page of the thread).
  var bar = null, arrived = [], newThreads = 0;
  function showBar(text, onClick) {
    if (!bar) {
      bar = document.createElement("button");
      bar.type = "button";
      bar.className = "button live-bar";
      bar.setAttribute("aria-live", "polite");
      bar.addEventListener("click", function () { bar.onActivate(); });
      document.body.appendChild(bar);
    }
    bar.textContent = text;
    bar.onActivate = onClick;
    bar.hidden = false;
  }
  function hideBar() { if (bar) bar.hidden = true; arrived = []; newThreads = 0; }

  function fetchPage() {
    return fetch(window.location.href, {credentials: "same-origin", headers: {"X-Live-Refresh": "1"}})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  }
  function activate(el) { if (window.htmx) window.htmx.process(el); }
  function focusedIn(el) { return el.contains(document.activeElement); }

  // Thread page: merge the posts of the page as it is now into the one on screen.
  var wanted = {};  // post ids a signal named as new, not (yet) on this page
  function mergeThread(doc) {
    var head = document.querySelector(".thread-head"), fresh = doc.querySelector(".thread-head");
    if (head && fresh && head.innerHTML !== fresh.innerHTML && !focusedIn(head)) {
      head.replaceWith(fresh); activate(fresh);
    }
    var shown = {}, incoming = {};
    document.querySelectorAll("article[data-post]").forEach(function (a) { shown[a.id] = a; });
    var list = doc.querySelectorAll("article[data-post]");
    list.forEach(function (a) { incoming[a.id] = a; });
    Object.keys(shown).forEach(function (id) {
      if (!incoming[id] && !focusedIn(shown[id])) shown[id].remove();
    });
    var previous = null;
    list.forEach(function (a) {
      var mine = document.getElementById(a.id);
      if (mine) {
        if (mine.outerHTML !== a.outerHTML && !focusedIn(mine)) { mine.replaceWith(a); activate(a); mine = a; }
        previous = mine;
        return;
      }
      a.classList.add("post-new");
      if (previous) previous.after(a);
      else {
        var first = document.querySelector("article[data-post]") || document.getElementById("reply");
        if (first) first.before(a); else return;
      }
      activate(a);
      previous = a;
      delete wanted[a.id.replace("post-", "")];
      arrived.push(a);
    });
    var elsewhere = Object.keys(wanted);
    var n = arrived.length + elsewhere.length;
    if (n) {
      showBar(say("reply", n), function () {
        var target = arrived[0];
        if (target) {
          target.scrollIntoView({block: "start"});
          target.setAttribute("tabindex", "-1");
          target.focus({preventScroll: true});
          hideBar();
        } else {
          window.location.href = "/p/" + elsewhere[0] + "/";
        }
        wanted = {};
      });
    }
  }

  // Home and space pages: the rows on screen get their new counts; new threads wait
  // behind the bar until asked for.
  function mergeFeed(doc) {
    document.querySelectorAll("li.thread-row[data-thread]").forEach(function (row) {
      var fresh = doc.querySelector('li.thread-row[data-thread="' + row.getAttribute("data-thread") + '"]');
      if (fresh && fresh.innerHTML !== row.innerHTML && !focusedIn(row)) {
        row.replaceWith(fresh); activate(fresh);
      }
    });
    if (newThreads) {
      showBar(say("thread", newThreads), function () { window.location.reload(); });
    }
  }

  function mergeInbox(doc) {
    [".notice-summary", ".notice-list", ".empty-state"].forEach(function (sel) {
      var mine = document.querySelector(sel), fresh = doc.querySelector(sel);
      if (mine && fresh && !focusedIn(mine)) { mine.replaceWith(fresh); activate(fresh); }
    });
  }

  var timer = null, busy = false, again = false;
  function refresh() {
    if (timer) return;
    timer = window.setTimeout(run, 150 + Math.random() * 250);
  }
  function run() {
    timer = null;
    if (busy) { again = true; return; }
    busy = true;
    fetchPage().then(function (doc) {
      if (onThread) mergeThread(doc);
      if (onFeed) mergeFeed(doc);
      if (onInbox) mergeInbox(doc);
    }).catch(function () {}).then(function () {
      busy = false;
      if (again) { again = false; refresh(); }
    });
  }

  function bell() { document.body.dispatchEvent(new CustomEvent("gravity:notice")); }

  var seen = {}, last = null, source = null, wait = 1000, connected = false;
  function onSignal(event) {
    if (event.lastEventId) last = event.lastEventId;
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    if (seen[data.e]) return;
    seen[data.e] = true;
    if (onThread) {
      if (event.type === "post_created" || event.type === "post_approved") {
        if (data.p && !document.getElementById("post-" + data.p)) wanted[data.p] = true;
      }
      refresh();
      return;
    }
    if (onFeed) {
      if (event.type === "thread_created" && (!space || String(data.s) === space)) {
        newThreads += 1; refresh(); return;
      }
      if (document.querySelector('li.thread-row[data-thread="' + data.t + '"]')) refresh();
    }
  }
  var KINDS = ["thread_created", "post_created", "post_edited", "post_approved", "post_hidden",
    "post_deleted", "thread_moderated", "answer_accepted", "answer_unaccepted", "vote_cast",
    "vote_withdrawn"];

  function connect() {
    var url = streamUrl + "?topics=" + encodeURIComponent(topics) + (last ? "&last=" + encodeURIComponent(last) : "");
    source = new EventSource(url, {withCredentials: true});
    KINDS.forEach(function (k) { source.addEventListener(k, onSignal); });
    source.addEventListener("hello", function (event) {
      if (event.lastEventId) last = event.lastEventId;
      wait = 1000;
      document.documentElement.setAttribute("data-live", "on");
      if (connected) bell();  // a notice may have come while the stream was away
      connected = true;
    });
    source.addEventListener("notice", function () { bell(); if (onInbox) refresh(); });
    source.addEventListener("resync", function () { refresh(); });
    source.onerror = function () {
      document.documentElement.setAttribute("data-live", "off");
      if (source.readyState === EventSource.CLOSED) {
        // Refused or cut by a proxy: try again later, from the last id heard.
        window.setTimeout(connect, wait);
        wait = Math.min(wait * 2, 30000);
      }  // else the browser reconnects by itself, with Last-Event-ID
    };
  }
  connect();
})();
