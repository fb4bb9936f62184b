// Public pages and their JSON twins: home, campaigns, health, metrics, static files, errors at the edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, Client, skip } from './lib.mjs';

const c = new Client();
const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()));

test('healthz answers ok', { skip }, async () => {
  const r = await c.get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.data.status, 'ok');
});

test('home page shows this year, a countdown to 10/10 and earlier years', { skip }, async () => {
  const j = await c.get('/api/home');
  assert.equal(j.status, 200);
  assert.equal(j.data.campaign.year, year);
  assert.equal(typeof j.data.countdown.days, 'number');
  assert.ok(j.data.earlier.some((e) => e.year === 2022));
  const h = await c.get('/');
  assert.equal(h.status, 200);
  assert.match(h.headers.get('content-type'), /text\/html/);
  assert.match(h.text, new RegExp(`Ngày Chuyển đổi số quốc gia năm ${year}`));
  assert.match(h.text, /10\/10\//);
  assert.match(h.text, /href="\/nam\/2023"/);
  assert.match(h.text, /Khai thác dữ liệu số để tạo ra giá trị/);
  // What a citizen comes for is one tap away: courses, the self-assessment, the assistant, offers.
  for (const href of ['/khoa-hoc', '/danh-gia-ky-nang', '/tro-ly', '/uu-dai'])
    assert.match(h.text.split('<main')[1], new RegExp(`href="${href}"`), href);
});

test('the same handler answers JSON when asked with Accept', { skip }, async () => {
  const r = await c.get('/', { headers: { accept: 'application/json' } });
  assert.equal(r.status, 200);
  assert.equal(r.data.campaign.year, year);
  assert.equal(r.data._csrf, undefined);
});

test('campaigns 2022 to this year with their real themes', { skip }, async () => {
  const r = await c.get('/api/campaigns');
  assert.equal(r.status, 200);
  const byYear = Object.fromEntries(r.data.items.map((i) => [i.year, i.theme]));
  for (let y = 2022; y <= year; y++) assert.ok(y in byYear, `campaign ${y} missing`);
  assert.equal(byYear[2022], 'Chuyển đổi số giải quyết các vấn đề của xã hội vì một cuộc sống tốt đẹp hơn cho người dân');
  assert.equal(byYear[2023], 'Khai thác dữ liệu số để tạo ra giá trị');
  assert.equal(byYear[2024], 'Phổ cập hạ tầng số và sáng tạo ứng dụng số, phát triển kinh tế số');
  const one = await c.get('/api/campaigns/2022');
  assert.equal(one.status, 200);
  assert.ok(one.data.campaign.dates.some((d) => d.date === '2022-10-10'));
  assert.ok(one.data.campaign.dates.some((d) => d.date === '2022-09-15'));
  const page = await c.get('/nam/2022');
  assert.match(page.text, /10\/10\/2022/);
  assert.equal((await c.get('/api/campaigns/1999')).status, 404);
  assert.equal((await c.get('/api/campaigns/abc')).status, 404);
});

test('unknown paths: a Vietnamese 404 page, JSON for the API', { skip }, async () => {
  const h = await c.get('/khong-co-trang-nay');
  assert.equal(h.status, 404);
  assert.match(h.text, /Không tìm thấy trang/);
  assert.match(h.text, /<html lang="vi">/);
  const j = await c.get('/api/khong-co');
  assert.equal(j.status, 404);
  assert.equal(typeof j.data.error, 'string');
  assert.equal(j.data.status, 404);
});

test('a wrong method is 405', { skip }, async () => {
  const r = await c.req('DELETE', '/api/orgs');
  assert.equal(r.status, 405);
});

test('invalid UTF-8 in a query or a form is 400', { skip }, async () => {
  const q = await c.get('/api/orgs?q=%C3%28');
  assert.equal(q.status, 400);
  assert.match(q.data.error, /UTF-8/);
  const f = await new Client().post('/api/login', { raw: 'email=%FF%FE&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(f.status, 400);
});

test('a body over the limit is 413, malformed JSON is 400, an unknown type 415', { skip }, async () => {
  const big = 'x'.repeat(1024 * 1024 + 10);
  const r = await c.post('/api/login', { raw: big, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 413);
  const j = await c.post('/api/login', { raw: '{"email": ', headers: { 'content-type': 'application/json' } });
  assert.equal(j.status, 400);
  const t = await c.post('/api/login', { raw: 'abc', headers: { 'content-type': 'text/csv' } });
  assert.equal(t.status, 415);
});

test('static files carry ETag and Cache-Control and answer 304', { skip }, async () => {
  const r = await c.get('/static/dxday.css');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/css/);
  const etag = r.headers.get('etag');
  assert.ok(etag);
  assert.match(r.headers.get('cache-control'), /max-age=/);
  const again = await c.get('/static/dxday.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await c.get('/static/../src/main.c')).status, 404);
  assert.equal((await c.get('/static/nope.css')).status, 404);
});

test('cached pages still carry an ETag and revalidate', { skip }, async () => {
  const a = await c.get('/api/campaigns');
  const etag = a.headers.get('etag');
  assert.ok(etag);
  const b = await c.get('/api/campaigns', { headers: { 'if-none-match': etag } });
  assert.ok(b.status === 304 || b.status === 200);
});

test('metrics in Prometheus format count requests by route and status', { skip }, async () => {
  await c.get('/api/khong-co');
  // A 400 of our own, so the test does not depend on another file having made one.
  assert.equal((await c.get('/api/orgs?limit=0')).status, 400);
  await c.get('/');
  const r = await c.get('/metrics');
  assert.equal(r.status, 200);
  assert.match(r.text, /# TYPE dxday_http_requests_total counter/);
  assert.match(r.text, /dxday_http_requests_total\{route="\/api\/orgs",method="GET",status="400"\} \d+/);
  assert.match(r.text, /dxday_http_request_duration_seconds_bucket\{route="\/",le="\+Inf"\} \d+/);
});

test('HTML and script in a query are never reflected unescaped', { skip }, async () => {
  const r = await c.get('/don-vi?q=' + encodeURIComponent('<script>alert(1)</script>"x'));
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('<script>alert(1)</script>'));
  assert.match(r.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;x/);
});

test('HTML pages are sent with security headers', { skip }, async () => {
  const r = await c.get('/don-vi');
  assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
});
