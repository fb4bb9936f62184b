// The guidance form's service worker (served as /to-cong-nghe-so/ghi-nhan/sw.js, scope the form alone): keeps the form,
// its script and stylesheet so the form opens with no connection. Must never cache an API answer or anything but GETs.
(function () {
  'use strict';
  var CACHE = 'dxday-ghi-nhan-v1';
  var PAGE = '/to-cong-nghe-so/ghi-nhan';
  var SHELL = ['/static/guidance.js', '/static/dxday.css', '/static/logo.svg'];

  self.addEventListener('install', function (e) {
    e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
  });
  self.addEventListener('activate', function (e) {
    e.waitUntil(caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf('dxday-ghi-nhan') === 0 && k !== CACHE; })
        .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); }));
  });

  // The form: the network first (its token, teams and places change), the last copy when there is no connection. A
  // redirect to the sign-in page is not kept: offline the form the member last had still opens.
  function page(req) {
    return fetch(req).then(function (res) {
      if (res.ok && res.type === 'basic' && !res.redirected) {
        var copy = res.clone();
        caches.open(CACHE).then(function (c) { c.put(PAGE, copy); });
      }
      return res;
    }).catch(function () {
      return caches.match(PAGE).then(function (hit) {
        return hit || new Response('<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
          '<p>Bạn đang không có mạng và trang ghi nhận chưa được mở lần nào trên máy này. Hãy mở trang một lần khi có mạng.</p>',
          { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      });
    });
  }
  // The script and stylesheet: the network when it answers (a new version), the kept copy otherwise.
  function shell(req) {
    return fetch(req).then(function (res) {
      if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req.url, copy); }); }
      return res;
    }).catch(function () {
      return caches.match(req.url).then(function (hit) { return hit || Response.error(); });
    });
  }

  self.addEventListener('fetch', function (e) {
    var req = e.request;
    if (req.method !== 'GET') return;
    var url = new URL(req.url);
    if (url.origin !== self.location.origin) return;
    if (SHELL.indexOf(url.pathname) >= 0) { e.respondWith(shell(req)); return; }
    if (url.pathname === PAGE && req.mode === 'navigate') e.respondWith(page(req));
  });
})();
