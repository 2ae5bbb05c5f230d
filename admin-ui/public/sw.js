// Vigie's service worker: caches the shell (index and built assets) so the app
// opens offline, never caches the API, and shows web push notifications.
const CACHE = 'vigie-shell-v2';
// '/index.html' (not '/'): the API answers the shell for '/' only to a browser asking for HTML.
const SHELL = ['/index.html', '/manifest.webmanifest', '/icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Built assets are immutable (hashed names): cache first.
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) void caches.open(CACHE).then((c) => c.put(req, res.clone()));
            return res;
          }),
      ),
    );
    return;
  }
  // Pages: network first, the cached shell when offline.
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).catch(() => caches.match('/index.html')));
  }
});

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: 'Vigie', body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Vigie';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      icon: '/icon.svg',
      data: { url: data.url || data.link || '/' },
      // One notification an alert: a push the service delivers again (a retry after a timeout) replaces it.
      tag: data.tag || data.alertId,
    }),
  );
});

// A click opens the alert's page: in a tab of the portal already open (brought to the
// front), else in a new one. Only this portal's own pages are opened.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const asked = new URL(
    (event.notification.data && event.notification.data.url) || '/',
    self.location.origin,
  );
  const url = asked.origin === self.location.origin ? asked.href : `${self.location.origin}/`;
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((tabs) => {
      const tab = tabs.find((t) => 'navigate' in t);
      if (!tab) return self.clients.openWindow(url);
      return tab.navigate(url).then(
        // Brought to the front; were the browser to refuse, the page is still the alert's.
        (t) => (t || tab).focus().catch(() => undefined),
        () => self.clients.openWindow(url),
      );
    }),
  );
});
