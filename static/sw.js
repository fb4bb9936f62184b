// Offline reading for the courses: loaded by a course or lesson page it registers itself as the service worker of
// /khoa-hoc/ (served there by page_courses.c); as the worker it must never cache quizzes, forms or anything but GETs.
(function () {
  'use strict';
  if (typeof window !== 'undefined') {
    if ('serviceWorker' in navigator) navigator.serviceWorker.register('/khoa-hoc/sw.js', { scope: '/khoa-hoc/' }).catch(function () {});
    return;
  }
  var CACHE = 'dxday-khoa-hoc-v1';
  var SHELL = ['/static/dxday.css', '/static/logo.svg'];

  self.addEventListener('install', function (e) {
    e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
  });
  self.addEventListener('activate', function (e) {
    e.waitUntil(caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf('dxday-khoa-hoc') === 0 && k !== CACHE; })
        .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); }));
  });

  // Lessons and course pages: the network first (they change when editors publish), the copy last opened when offline.
  function networkFirst(req) {
    return fetch(req).then(function (res) {
      if (res.ok && res.type === 'basic') {
        var copy = res.clone();
        caches.open(CACHE).then(function (c) { c.put(req, copy); });
      }
      return res;
    }).catch(function () {
      return caches.match(req).then(function (hit) {
        return hit || new Response('<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
          '<p>Bạn đang không có mạng và trang này chưa được mở lần nào trên máy này. Các bài học đã mở vẫn đọc được.</p>',
          { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      });
    });
  }
  // The stylesheet and logo: the cached copy at once, refreshed in the background.
  function cacheFirst(req) {
    return caches.match(req).then(function (hit) {
      var net = fetch(req).then(function (res) {
        if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
        return res;
      }).catch(function () { return hit; });
      return hit || net;
    });
  }

  self.addEventListener('fetch', function (e) {
    var req = e.request;
    if (req.method !== 'GET') return;
    var url = new URL(req.url);
    if (url.origin !== self.location.origin) return;
    if (SHELL.indexOf(url.pathname) >= 0) { e.respondWith(cacheFirst(req)); return; }
    if (url.pathname.indexOf('/khoa-hoc/') === 0 && url.pathname.indexOf('/kiem-tra/') < 0 && url.pathname !== '/khoa-hoc/sw.js' &&
        req.mode === 'navigate') {
      e.respondWith(networkFirst(req));
    }
  });
})();
