// The server's edge, tried as an attacker would: headers on what is not HTML, where a CSRF token may travel, numbers
// that overflow, who reads /metrics — on the shared server; and on a server of the test's own (the assistant's budget
// per address is the other tests' too): what the page cache may share, text in NFD, a store locked by another writer,
// retries with an Idempotency-Key, trusted proxies, the public documents' budget, clients that trickle or hoard
// connections.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Client, BASE, skip, COORD, OFFICER, uniq } from './lib.mjs';
import { startServer, SANITIZER_REPORT } from './ownserver.mjs';
import { holdWriteLock, sql } from './db.mjs';

const csrfOf = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];
const NFD = 'Nghe\u0323 An ho\u0302\u0300 so\u031b'; // "Nghệ An hồ sơ" decomposed
const NFC = NFD.normalize('NFC');

describe('the edge of the shared server', { skip }, () => {
  test('what is not HTML runs nothing on our origin: sandboxed, not sniffed', async () => {
    const c = new Client();
    for (const path of ['/api/orgs?q=nghe', '/lich.ics', '/ky-nang-so/bang.xlsx']) {
      const res = await c.get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; sandbox", path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    }
    const page = await c.get('/');
    assert.match(page.headers.get('content-security-policy'), /script-src 'self'/);
  });

  test('a signed-in user\'s pages, data and exports are never stored by a cache', async () => {
    const c = new Client();
    await c.login(...COORD);
    for (const path of ['/tai-khoan', '/api/me', '/nhiem-vu/xuat', '/', '/ky-nang-so']) {
      const res = await c.get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
    }
    const anon = await new Client().get('/don-vi');
    assert.notEqual(anon.headers.get('cache-control'), 'no-store');
  });

  test('the cache key escapes parameters: a value cannot pose as another parameter', async () => {
    const c = new Client();
    const posing = await c.get('/api/orgs?q=nghe%26kind%3Dprovince');
    const real = await c.get('/api/orgs?q=nghe&kind=province');
    assert.equal(posing.status, 200);
    assert.equal(real.status, 200);
    assert.ok(real.data.items.length > 0, 'Nghệ An is a province');
    assert.notDeepEqual(posing.data, real.data);
  });

  test('a page served from the cache keeps its handler\'s headers', async () => {
    const c = new Client();
    const first = await c.get('/lich.ics'), second = await c.get('/lich.ics');
    assert.ok(first.headers.get('content-disposition'), 'the calendar is a download');
    assert.equal(second.headers.get('etag'), first.headers.get('etag'), 'the second one came from the cache');
    assert.equal(second.headers.get('content-disposition'), first.headers.get('content-disposition'));
    assert.equal(second.headers.get('content-type'), first.headers.get('content-type'));
  });

  test('a CSRF token in the query string is not accepted; in a header or the body it is', async () => {
    const c = new Client();
    const token = (await c.get('/api/login')).data.csrf;
    const inQuery = await c.post(`/api/logout?csrf=${encodeURIComponent(token)}`, { csrf: false });
    assert.equal(inQuery.status, 403, inQuery.text);
    const inBody = await c.post('/api/logout', { json: { csrf: token }, csrf: false });
    assert.ok(inBody.status < 400, `${inBody.status} ${inBody.text}`);
    const signedIn = new Client();
    await signedIn.login(...OFFICER);
    const t = signedIn.csrf;
    const out = await signedIn.post(`/api/logout?csrf=${encodeURIComponent(t)}`, { csrf: false });
    assert.equal(out.status, 403);
    assert.equal((await signedIn.get('/api/me')).status, 200, 'still signed in');
  });

  test('numbers past 64 bits are refused, not wrapped', async () => {
    const c = new Client();
    for (const q of ['offset=99999999999999999999', 'offset=-99999999999999999999', 'limit=99999999999999999999', 'offset=9223372036854775807']) {
      const res = await c.get(`/api/orgs?${q}`);
      assert.ok(res.status === 400 || (res.status === 200 && res.data.items), `${q}: ${res.status}`);
    }
    assert.equal((await c.get('/api/orgs?offset=99999999999999999999&limit=5')).status, 200, 'an unusable number falls back to the default');
    assert.equal((await c.get('/api/orgs?offset=9223372036854775807')).status, 400);
  });

  test('/metrics is for this machine\'s scraper, not for the world through a proxy', async () => {
    const direct = await fetch(BASE + '/metrics');
    assert.equal(direct.status, 200);
    assert.match(await direct.text(), /dxday_http_requests_total|_total/);
    const proxied = await fetch(BASE + '/metrics', { headers: { 'x-forwarded-for': '203.0.113.5' } });
    assert.equal(proxied.status, 404);
  });

  test('without trusted proxies, X-Forwarded-For is the client\'s say-so and is ignored', async () => {
    const email = `${uniq('khong-co')}@example.vn`;
    const c = new Client();
    const f = await c.get('/api/login');
    c.csrf = f.data.csrf;
    const res = await c.post('/api/login', { json: { email, password: 'sai-mat-khau' }, headers: { 'x-forwarded-for': '198.51.100.77' } });
    assert.equal(res.status, 401);
    const ip = sql(`SELECT ip FROM audit_log WHERE action = 'login.fail' AND detail LIKE '%${email}%'`);
    assert.equal(ip, '127.0.0.1');
  });

});

describe('a server of our own: locks, retries, proxies, budgets', { skip }, () => {
  let srv;
  before(async () => {
    srv = await startServer({
      DXDAY_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8',
      DXDAY_DOCS_PER_MINUTE: '3',
      DXDAY_REQUEST_SECONDS: '2',
      DXDAY_CONNECTIONS_PER_IP: '6',
      DXDAY_METRICS_TOKEN: 'a-token-of-at-least-16',
    });
  });
  after(async () => {
    if (!srv) return;
    const log = await srv.stop();
    assert.doesNotMatch(log, SANITIZER_REPORT, 'no sanitizer report from our own server');
  });

  test('a sign-in while another writer holds the store: 503, retry later, and nothing was written', async () => {
    const c = new Client(srv.url);
    c.csrf = (await c.get('/api/login')).data.csrf;
    const sessions = srv.sql('SELECT COUNT(*) FROM session');
    const audits = srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'login'");
    // Another connection holds the write lock for longer than the busy timeout (5 s), then lets go: a backup, a
    // migration, `dxday remind` from cron (tests/http/db.mjs, on either engine).
    const released = holdWriteLock(srv.db, 6500);
    await released.locked;
    const res = await c.post('/api/login', { json: { email: OFFICER[0], password: OFFICER[1] } });
    await released;
    assert.equal(res.status, 503, res.text);
    assert.ok(res.headers.get('retry-after'));
    assert.match(res.data.error, /thử lại/);
    assert.equal(srv.sql('SELECT COUNT(*) FROM session'), sessions, 'no session was written');
    assert.equal(srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'login'"), audits, 'no audit entry was written');
    const again = await c.post('/api/login', { json: { email: OFFICER[0], password: OFFICER[1] } });
    assert.ok([200, 303].includes(again.status), 'the retry signs in');
    assert.equal((await c.get('/api/me')).status, 200);
  });

  test('a retry with the same Idempotency-Key is answered again, not written twice', async () => {
    const c = new Client(srv.url);
    c.csrf = (await c.get('/api/login')).data.csrf;
    const key = uniq('idem');
    const q = `Câu hỏi gửi lại ${key}`;
    const count = () => srv.sql(`SELECT COUNT(*) FROM asked_question WHERE question LIKE '%${key}%'`);
    const first = await c.post('/api/ask/editors', { json: { q }, headers: { 'idempotency-key': key } });
    assert.equal(first.status, 201, first.text);
    const second = await c.post('/api/ask/editors', { json: { q }, headers: { 'idempotency-key': key } });
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.equal(second.data.id, first.data.id);
    assert.equal(count(), '1');
    const other = await c.post('/api/ask/editors', { json: { q }, headers: { 'idempotency-key': uniq('idem') } });
    assert.equal(other.status, 201);
    assert.equal(count(), '2', 'a new key is a new request');
    const misuse = await c.post('/api/logout', { headers: { 'idempotency-key': key } });
    assert.equal(misuse.status, 422, 'a key belongs to one request');
    const bad = await c.post('/api/ask/editors', { json: { q }, headers: { 'idempotency-key': 'x'.repeat(200) } });
    assert.equal(bad.status, 400);
    // Another visitor's key space is their own.
    const d = new Client(srv.url);
    d.csrf = (await d.get('/api/login')).data.csrf;
    const theirs = await d.post('/api/ask/editors', { json: { q }, headers: { 'idempotency-key': key } });
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.data.id, first.data.id);
  });

  test('a retry after a 503 with its key writes once', async () => {
    const c = new Client(srv.url);
    await c.login(...COORD);
    const key = uniq('idem-busy');
    const q = `Câu hỏi lúc bận ${key}`;
    const released = holdWriteLock(srv.db, 6000);
    await released.locked;
    const busy = await c.post('/api/ask/editors', { json: { q }, headers: { 'idempotency-key': key } });
    await released;
    assert.equal(busy.status, 503);
    const ok = await c.post('/api/ask/editors', { json: { q }, headers: { 'idempotency-key': key } });
    const replay = await c.post('/api/ask/editors', { json: { q }, headers: { 'idempotency-key': key } });
    assert.equal(ok.status, 201);
    assert.equal(replay.data.id, ok.data.id);
    assert.equal(srv.sql(`SELECT COUNT(*) FROM asked_question WHERE question LIKE '%${key}%'`), '1');
  });

  test('behind a trusted proxy the client is the nearest untrusted address in X-Forwarded-For', async () => {
    const cases = [
      ['198.51.100.7', '198.51.100.7'],
      ['203.0.113.1, 198.51.100.8', '198.51.100.8'],           // the leftmost was written by the client itself
      ['198.51.100.9, 10.1.2.3', '198.51.100.9'],             // a second proxy of ours
      ['not-an-address, 10.1.2.3', '10.1.2.3'],
    ];
    for (const [xff, want] of cases) {
      const email = `${uniq('proxy')}@example.vn`;
      const c = new Client(srv.url);
      c.csrf = (await c.get('/api/login')).data.csrf;
      const res = await c.post('/api/login', { json: { email, password: 'sai' }, headers: { 'x-forwarded-for': xff } });
      assert.equal(res.status, 401);
      assert.equal(srv.sql(`SELECT ip FROM audit_log WHERE action = 'login.fail' AND detail LIKE '%${email}%'`), want, xff);
    }
  });

  test('the page cache does not hand one visitor\'s CSRF token to the next', async () => {
    const q = encodeURIComponent(uniq('ngay chuyen doi so'));
    const a = new Client(srv.url), b = new Client(srv.url);
    const pa = await a.get(`/tro-ly?q=${q}`), pb = await b.get(`/tro-ly?q=${q}`);
    const ta = csrfOf(pa.text), tb = csrfOf(pb.text);
    assert.ok(ta && tb, 'the assistant page carries a form token');
    assert.notEqual(ta, tb);
    assert.equal(tb, b.cookies.dxday_csrf, 'the token in the page is the visitor\'s own cookie');
    b.csrf = tb;
    const sent = await b.post('/api/ask/editors', { json: { q: 'Ngày chuyển đổi số quốc gia là ngày nào?' } });
    assert.equal(sent.status, 201, sent.text);
  });

  test('text sent in NFD through a JSON API is stored in NFC', async () => {
    const c = new Client(srv.url);
    c.csrf = (await c.get('/api/login')).data.csrf;
    const marker = uniq('nfd');
    const res = await c.post('/api/ask/editors', { json: { q: `${NFD} ${marker}?`, contact: `${NFD} ${marker}` } });
    assert.equal(res.status, 201, res.text);
    const row = srv.sql(`SELECT question || '|' || contact FROM asked_question WHERE contact LIKE '%${marker}'`);
    assert.equal(row, `${NFC} ${marker}?|${NFC} ${marker}`);
  });
  test('/metrics with a token: only its bearer reads them', async () => {
    assert.equal((await fetch(srv.url + '/metrics')).status, 404);
    assert.equal((await fetch(srv.url + '/metrics', { headers: { authorization: 'Bearer wrong-token-of-16-chars' } })).status, 404);
    assert.equal((await fetch(srv.url + '/metrics', { headers: { authorization: 'Bearer a-token-of-at-least-16' } })).status, 200);
  });

  test('public documents are kept and made a few times a minute per address', async () => {
    const c = new Client(srv.url);
    const a = await c.get('/ky-nang-so/bao-cao.pdf'), b = await c.get('/ky-nang-so/bao-cao.pdf');
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('content-type'), 'application/pdf');
    assert.equal(b.headers.get('etag'), a.headers.get('etag'));
    assert.match(b.headers.get('cache-control'), /public/);
    assert.ok(b.headers.get('content-disposition'));
    // Documents not yet kept use up this address's budget of 3 a minute; eight in a row cross at most one minute's
    // end, so one of them is refused.
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await c.get(`/chung-chi/${'ABCDEFGH'[i].repeat(10)}/pdf`)).status);
    assert.ok(statuses.includes(429), statuses.join(','));
    assert.ok(statuses.filter((s) => s !== 429).length <= 6, statuses.join(','));
    const kept = await c.get('/ky-nang-so/bao-cao.pdf');
    assert.equal(kept.status, 200, 'a kept document costs nothing and is still served');
  });

  test('a client trickling its body is cut off at the request deadline', async () => {
    const started = Date.now();
    const closed = await new Promise((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1', () => {
        s.write('POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
        const t = setInterval(() => s.write(' '), 300);
        s.on('close', () => { clearInterval(t); resolve(true); });
        setTimeout(() => { clearInterval(t); s.destroy(); resolve(false); }, 8000);
      });
      s.on('error', () => {});
    });
    assert.ok(closed, 'the server closed the connection');
    assert.ok(Date.now() - started < 6000, `closed after ${Date.now() - started} ms`);
  });

  test('one address cannot hold every connection', async () => {
    const socks = [];
    const closedEarly = [];
    for (let i = 0; i < 10; i++) {
      const s = net.connect(srv.port, '127.0.0.1');
      s.on('error', () => {});
      const opened = Date.now();
      s.on('close', () => closedEarly.push(Date.now() - opened));
      socks.push(s);
    }
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(closedEarly.length >= 4, `${closedEarly.length} of 10 idle connections were refused`);
    for (const s of socks) s.destroy();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await fetch(srv.url + '/healthz')).status, 200, 'the address is served again once it lets go');
  });
});
