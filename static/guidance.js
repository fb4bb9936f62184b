// The guidance form on a phone (/to-cong-nghe-so/ghi-nhan): each entry is kept in IndexedDB with a client_id made here,
// then sent when there is a connection. Must never count an entry twice (one client_id, sent until answered) nor ask
// for or send a citizen's name or number.
(function () {
  'use strict';
  var root = document.getElementById('guidance');
  if (!root) return;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/to-cong-nghe-so/ghi-nhan/sw.js', { scope: '/to-cong-nghe-so/ghi-nhan' }).catch(function () {});
  }
  var meta = function (n) { var m = document.querySelector('meta[name="' + n + '"]'); return m ? m.content : ''; };
  var csrf = meta('dxday-csrf'), user = meta('dxday-user');
  var $ = function (id) { return document.getElementById(id); };
  var form = $('gl-form');

  // ---- the phone's store: one object per entry, keyed by its client_id ----------------------------------------------
  var dbp = null;
  function idb() {
    if (dbp) return dbp;
    dbp = new Promise(function (ok, fail) {
      var r = indexedDB.open('dxday-ghi-nhan', 1);
      r.onupgradeneeded = function () { r.result.createObjectStore('entries', { keyPath: 'client_id' }); };
      r.onsuccess = function () { ok(r.result); };
      r.onerror = function () { fail(r.error); };
    });
    return dbp;
  }
  function tx(mode, fn) {
    return idb().then(function (db) {
      return new Promise(function (ok, fail) {
        var t = db.transaction('entries', mode), out;
        out = fn(t.objectStore('entries'));
        t.oncomplete = function () { ok(out && 'result' in out ? out.result : undefined); };
        t.onerror = function () { fail(t.error); };
        t.onabort = function () { fail(t.error); };
      });
    });
  }
  var put = function (e) { return tx('readwrite', function (s) { s.put(e); }); };
  var del = function (id) { return tx('readwrite', function (s) { s.delete(id); }); };
  var all = function () {
    return tx('readonly', function (s) { return s.getAll(); }).then(function (list) {
      return (list || []).filter(function (e) { return e.user === user; });
    });
  };

  // ---- dates: Vietnam's calendar, shown dd/mm/yyyy, sent YYYY-MM-DD --------------------------------------------------
  function isoToday(offset) { return new Date(Date.now() + 7 * 3600e3 + (offset || 0) * 86400e3).toISOString().slice(0, 10); }
  function vn(iso) { return iso ? iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4) : ''; }
  function parseDay(s) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(s || '');
    if (!m) return null;
    var d = +m[1], mo = +m[2], y = +m[3], t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
    return t.toISOString().slice(0, 10);
  }
  function uuid() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Plain http on a local network has no randomUUID: the same 122 random bits, spelt the same way.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // ---- the form -------------------------------------------------------------------------------------------------------
  var SPLITS = ['male', 'female', 'age_u18', 'age_18_35', 'age_36_59', 'age_60p'];
  function field(name) { return form.elements[name]; }
  function showErrors(errs) {
    form.querySelectorAll('.gl-err').forEach(function (p) { p.textContent = ''; });
    Object.keys(errs).forEach(function (k) {
      var key = /^age_/.test(k) ? 'age_u18' : k === 'female' ? 'male' : k;
      var p = form.querySelector('.gl-err[data-for="' + key + '"]');
      if (p) p.textContent = errs[k];
    });
    if (errs.male || errs.female || /age_/.test(Object.keys(errs).join(' '))) form.querySelector('details.gl-split').open = true;
  }
  function teamInfo() {
    var t = field('team_id');
    if (!t) return { id: 0, founded: '', name: '' };
    if (t.tagName === 'SELECT') {
      var o = t.options[t.selectedIndex];
      return { id: +t.value, founded: o ? o.getAttribute('data-founded') : '', name: o ? o.textContent : '' };
    }
    var strong = form.querySelector('.gl-team strong');
    return { id: +t.value, founded: t.getAttribute('data-founded') || '', name: strong ? strong.textContent : '' };
  }
  function placesFor() {
    var p = $('gl-place');
    if (p) p.setAttribute('list', 'gl-places-' + teamInfo().id);
  }
  function collect() {
    var errs = {}, team = teamInfo(), body = { client_id: uuid(), team_id: team.id };
    var day = parseDay(field('day').value);
    if (!day) errs.day = 'Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy.';
    else if (day > isoToday()) errs.day = 'Ngày hướng dẫn không thể ở sau hôm nay.';
    else if (team.founded && day < team.founded) errs.day = 'Ngày hướng dẫn trước ngày tổ được thành lập (' + vn(team.founded) + ').';
    body.day = day;
    var place = field('place').value.replace(/\s+/g, ' ').trim();
    if (place.length > 200) errs.place = 'Tên thôn, tổ dân phố dài quá 200 ký tự.';
    if (place) body.place = place;
    var people = Number(field('people').value);
    if (!Number.isInteger(people) || people < 1 || people > 500) errs.people = 'Số người được hướng dẫn phải là số nguyên từ 1 đến 500.';
    body.people = people;
    var sex = 0, age = 0;
    SPLITS.forEach(function (k) {
      var v = field(k).value.trim();
      if (v === '') return;
      var n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 500) { errs[k] = 'Phải là số nguyên từ 0 đến 500.'; return; }
      body[k] = n;
      if (k === 'male' || k === 'female') sex += n; else age += n;
    });
    if (!errs.people && sex > people) errs.male = 'Số nam và nữ cộng lại (' + sex + ') nhiều hơn số người được hướng dẫn (' + people + ').';
    if (!errs.people && age > people) errs.age_u18 = 'Các nhóm tuổi cộng lại (' + age + ') nhiều hơn số người được hướng dẫn (' + people + ').';
    body.services = Array.prototype.filter.call(form.querySelectorAll('input[name="services"]'), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
    if (!body.services.length) errs.services = 'Chọn ít nhất một nội dung đã hướng dẫn.';
    return { body: body, errs: errs, team: team.name };
  }

  function msg(text) { var m = $('gl-msg'); if (m) m.textContent = text; }

  if (form) {
    placesFor();
    if (field('team_id') && field('team_id').tagName === 'SELECT') field('team_id').addEventListener('change', placesFor);
    form.querySelectorAll('.gl-step').forEach(function (b) {
      b.addEventListener('click', function () {
        var p = field('people'), n = Number(p.value) || 0;
        p.value = Math.max(1, Math.min(500, Math.round(n) + Number(b.getAttribute('data-step'))));
      });
    });
    form.querySelectorAll('.gl-quick').forEach(function (b) {
      b.addEventListener('click', function () { field('day').value = vn(isoToday(Number(b.getAttribute('data-day')))); });
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var c = collect();
      showErrors(c.errs);
      if (Object.keys(c.errs).length) { msg('Kiểm tra lại các ô được đánh dấu.'); return; }
      var e = { client_id: c.body.client_id, user: user, body: c.body, team: c.team, state: 'waiting', saved_at: Date.now() };
      put(e).then(function () {
        // Ready for the next house: same day and place, one person, no services picked.
        field('people').value = 1;
        SPLITS.forEach(function (k) { field(k).value = ''; });
        form.querySelectorAll('input[name="services"]').forEach(function (x) { x.checked = false; });
        var list = $('gl-places-' + c.body.team_id);
        if (list && c.body.place && !Array.prototype.some.call(list.options, function (o) { return o.value === c.body.place; })) {
          var o = document.createElement('option');
          o.value = c.body.place;
          list.insertBefore(o, list.firstChild);
        }
        msg(navigator.onLine ? 'Đã lưu trong máy, đang gửi…' : 'Đã lưu trong máy. Không có mạng: ghi nhận sẽ tự gửi khi có mạng.');
        return render().then(flush);
      }).catch(function () { msg('Không lưu được trong máy (bộ nhớ trình duyệt bị chặn?). Hãy thử lại.'); });
    });
  }

  // ---- the queue ------------------------------------------------------------------------------------------------------
  function describe(e) {
    var b = e.body, s = vn(b.day) + ' · ' + b.people + ' người';
    if (b.place) s += ' · ' + b.place;
    return s;
  }
  function item(e, extra) {
    var li = document.createElement('li');
    li.setAttribute('data-client', e.client_id);
    var strong = document.createElement('span');
    strong.textContent = describe(e);
    li.appendChild(strong);
    if (e.team) { var t = document.createElement('span'); t.className = 'muted'; t.textContent = ' · ' + e.team; li.appendChild(t); }
    if (extra) li.appendChild(extra);
    return li;
  }
  function render() {
    return all().then(function (list) {
      var waiting = list.filter(function (e) { return e.state === 'waiting'; }).sort(function (a, b) { return a.saved_at - b.saved_at; });
      var refused = list.filter(function (e) { return e.state === 'refused'; });
      var sent = list.filter(function (e) { return e.state === 'sent'; }).sort(function (a, b) { return b.sent_at - a.sent_at; });
      $('gl-waiting-title').textContent = 'Đang chờ gửi (' + waiting.length + ')';
      var w = $('gl-waiting');
      w.textContent = '';
      waiting.forEach(function (e) { w.appendChild(item(e)); });
      var r = $('gl-refused');
      r.textContent = '';
      $('gl-refused-box').hidden = !refused.length;
      refused.forEach(function (e) {
        var box = document.createElement('span');
        var why = document.createElement('span');
        why.className = 'gl-why';
        why.textContent = ' — ' + (e.error || 'Máy chủ từ chối ghi nhận này.');
        var x = document.createElement('button');
        x.type = 'button';
        x.className = 'ghost gl-drop';
        x.textContent = 'Xóa khỏi máy';
        x.addEventListener('click', function () { del(e.client_id).then(render); });
        box.appendChild(why);
        box.appendChild(x);
        r.appendChild(item(e, box));
      });
      // Sent entries the page did not bring (sent from this phone since): on top, newest first.
      var s = $('gl-sent');
      sent.slice(0, 20).reverse().forEach(function (e) {
        if (s.querySelector('li[data-client="' + e.client_id + '"]')) return;
        s.insertBefore(item(e), s.firstChild);
      });
      // Sent a while ago and shown by the server's list too: the phone need not keep them.
      var week = Date.now() - 7 * 86400e3;
      sent.forEach(function (e) { if (e.sent_at < week) del(e.client_id); });
      net();
    });
  }
  function net(text) {
    var n = $('gl-net');
    if (!n) return;
    n.className = 'gl-net ' + (navigator.onLine ? 'on' : 'off');
    n.textContent = text || (navigator.onLine ? 'Đang có mạng.' : 'Không có mạng: ghi nhận được giữ trong máy và tự gửi khi có mạng.');
  }

  function post(body) {
    var ctl = 'AbortController' in self ? new AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, 20000) : 0;
    return fetch('/api/guidance', {
      method: 'POST', credentials: 'same-origin', signal: ctl ? ctl.signal : undefined,
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body),
    }).then(function (res) {
      clearTimeout(timer);
      return res.json().catch(function () { return {}; }).then(function (data) { return { status: res.status, data: data }; });
    }, function (err) { clearTimeout(timer); throw err; });
  }
  // The token of the session signed in now (the page may be a copy kept from before a sign-in again).
  function freshToken() {
    return fetch('/api/guidance', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (d) {
      if (!d || String(d.user_id) !== user) return false;
      csrf = d.csrf;
      return true;
    });
  }

  var busy = false;
  function flush() {
    if (busy) return Promise.resolve();
    busy = true;
    return all().then(function (list) {
      var waiting = list.filter(function (e) { return e.state === 'waiting'; }).sort(function (a, b) { return a.saved_at - b.saved_at; });
      var retried = false;
      // One at a time, oldest first; a send that gets no answer stops the round: the same client_id goes again later.
      function next(i) {
        if (i >= waiting.length) return Promise.resolve(waiting.length ? 'Đã gửi.' : '');
        var e = waiting[i];
        return post(e.body).then(function (r) {
          if (r.status === 200 || r.status === 201) {
            e.state = 'sent';
            e.sent_at = Date.now();
            e.entry_id = r.data.entry && r.data.entry.id;
            return put(e).then(function () { return next(i + 1); });
          }
          if (r.status === 403 && /CSRF/.test(r.data.error || '') && !retried) {
            retried = true;
            return freshToken().then(function (ok) {
              return ok ? next(i) : 'Phiên đăng nhập đã đổi: hãy đăng nhập lại bằng tài khoản đã ghi để gửi.';
            });
          }
          if (r.status === 401) return 'Phiên đăng nhập đã hết: hãy đăng nhập lại để gửi các ghi nhận đang chờ.';
          if (r.status === 403 || r.status === 404 || r.status === 409 || r.status === 422) {
            var f = r.data.fields ? Object.keys(r.data.fields).map(function (k) { return r.data.fields[k]; }) : [];
            e.state = 'refused';
            e.error = f.length ? f.join(' ') : (r.data.error || 'Máy chủ từ chối ghi nhận này.');
            return put(e).then(function () { return next(i + 1); });
          }
          return 'Máy chủ đang bận; ghi nhận sẽ được gửi lại sau.';
        }, function () { return navigator.onLine ? 'Chưa gửi được (mạng yếu); sẽ thử lại.' : ''; });
      }
      return next(0);
    }).then(function (text) {
      busy = false;
      if (text) msg(text);
      return render();
    }, function () { busy = false; });
  }

  window.addEventListener('online', function () { net(); flush(); });
  window.addEventListener('offline', function () { net(); });
  setInterval(flush, 15000);
  render().then(flush);
})();
