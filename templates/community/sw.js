{% load static %}/* Gravity's service worker (served at /sw.js by community/views/app.py).
 *
 * - Pages a member reads (GET navigations answered 200 with HTML) are kept in Cache
 *   Storage ("gravity-pages", the newest MAX_PAGES) so that they open without a
 *   connection; the offline page lists them. Personal areas (settings, notifications,
 *   sign-in, hosts' tools, the admin, the API) are never kept.
 * - Any navigation to the sign-in or sign-out pages (/accounts/...) empties the kept
 *   pages first: a page kept for one member is never shown to the next one on the device;
 *   signing out also ends this browser's push subscription.
 * - Offline, a kept page is shown as it was; any other page gives the offline page.
 * - Push: shows the notice (title, body, tag) and opens its link when tapped. When the
 *   browser replaces the subscription (pushsubscriptionchange), the new one is sent with
 *   the old one as its proof (/push/renew/): no session is needed, the device keeps its
 *   member and the notices go on arriving.
 */
"use strict";
const VERSION = "{{ version }}";
const SHELL = "gravity-shell-" + VERSION;
const PAGES = "gravity-pages";
const MAX_PAGES = 30;
const OFFLINE_URL = "{% url 'offline' %}";
const ICON = "{% url 'app_icon' 'icon-192' %}?v=" + VERSION;
const SHELL_FILES = [OFFLINE_URL, "{% static 'css/gravity.css' %}", "{% url 'brand_css' %}",
                     "{% static 'js/theme.js' %}", "{% static 'js/push.js' %}"];
const ACCOUNTS = "/accounts/";
const LOGOUT_URL = "{% url 'account_logout' %}";
const RENEW_URL = "{% url 'push_renew' %}";
const NEVER_KEPT = [ACCOUNTS, "/settings/", "/notifications/", "/host/", "/admin/", "/api/",
                    "/sw.js", OFFLINE_URL];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith("gravity-shell-") && name !== SHELL)
    .map((name) => caches.delete(name)))).then(() => self.clients.claim()));
});

function kept(url) {
  return !NEVER_KEPT.some((prefix) => url.pathname.startsWith(prefix));
}

async function keep(request, response) {
  const cache = await caches.open(PAGES);
  const key = request.url.split("#")[0];
  await cache.delete(key);  // re-added last: the list is in reading order
  await cache.put(key, response);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES))
    .map((old) => cache.delete(old)));
}

async function page(event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.pathname.startsWith(ACCOUNTS)) {
    await caches.delete(PAGES);  // signing in or out: nothing kept for the last member
    if (request.method === "POST" && url.pathname === LOGOUT_URL) {
      // Signing out: this browser stops receiving the member's notices (the push service
      // then answers 410 and the site forgets the device, if the session did not already).
      const subscription = await self.registration.pushManager.getSubscription()
        .catch(() => null);
      if (subscription) await subscription.unsubscribe().catch(() => false);
    }
    return fetch(request);
  }
  try {
    const response = await fetch(request);
    const type = response.headers.get("Content-Type") || "";
    const cacheControl = response.headers.get("Cache-Control") || "";
    if (request.method === "GET" && response.status === 200 && response.type === "basic"
        && type.startsWith("text/html") && !cacheControl.includes("no-store") && kept(url)) {
      event.waitUntil(keep(request, response.clone()));
    }
    return response;
  } catch (error) {
    if (request.method !== "GET") throw error;
    const cached = await caches.match(request.url.split("#")[0], { cacheName: PAGES });
    return cached || (await caches.match(OFFLINE_URL, { cacheName: SHELL })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (request.method === "GET" && SHELL_FILES.includes(url.pathname + url.search)) {
    // The offline page's own styles and script: the network first, the kept copy offline.
    event.respondWith(fetch(request).catch(() => caches.match(request, { cacheName: SHELL })));
  }
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  const title = data.title || "{{ site_name|escapejs }}";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "", tag: data.tag || undefined, renotify: Boolean(data.tag),
    icon: ICON, badge: ICON, data: { url: data.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/",
                         self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true })
    .then((windows) => {
      const open = windows.find((client) => client.url === target.href);
      return open ? open.focus() : self.clients.openWindow(target.href);
    }));
});

self.addEventListener("pushsubscriptionchange", (event) => {
  const old = event.oldSubscription;
  if (!old) return;  // nothing to prove the device with: the settings page subscribes anew
  event.waitUntil((async () => {
    const fresh = event.newSubscription
      || await self.registration.pushManager.subscribe(old.options);
    await fetch(RENEW_URL, {
      method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ old: old.toJSON(), new: fresh.toJSON() }),
    });
  })().catch(() => undefined));
});
