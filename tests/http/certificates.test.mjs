// Certificate verification: public page and JSON for a real certificate, its PDF, a clear 404 for unknown and
// malformed codes, and the per-address rate limit (429 with Retry-After). Needs DXDAY_TEST_DB to add a certificate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { BASE, skip, Client, uniq } from './lib.mjs';
import { TEST_DB as DB, q, sql } from './db.mjs';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const code = () => Array.from({ length: 26 }, () => B32[Math.floor(Math.random() * 32)]).join('');

// A learner who completed a course, written straight to the store as the MOOC would on completion.
function seedCertificate() {
  const id = uniq('cc').replace(/[^a-z0-9-]/g, '');
  const c = code();
  const name = 'Nguyễn Thị Ánh Tuyết';
  const title = 'Nhận biết lừa đảo trực tuyến';
  const now = '2026-10-09T18:30:00Z';
  sql(`INSERT INTO course (slug, title, summary, audience, area, status, pass_mark, updated_at)
       VALUES (${q(id)}, ${q(title)}, '', 'citizen', 4, 'open', 70, ${q(now)});
       INSERT INTO app_user (email, name, password_hash, created_at) VALUES (${q(id + '@hoc.vn')}, ${q(name)}, 'x', ${q(now)});
       INSERT INTO enrolment (user_id, course_id, enrolled_at, completed_at)
         SELECT u.id, c.id, ${q(now)}, ${q(now)} FROM app_user u, course c WHERE u.email = ${q(id + '@hoc.vn')} AND c.slug = ${q(id)};
       INSERT INTO certificate (code, user_id, course_id, learner_name, course_title, issued_at)
         SELECT ${q(c)}, u.id, c.id, ${q(name)}, ${q(title)}, ${q(now)} FROM app_user u, course c
         WHERE u.email = ${q(id + '@hoc.vn')} AND c.slug = ${q(id)};`);
  return { code: c, name, title, slug: id };
}

test('an unknown code is a 404 that says the code does not exist', { skip }, async () => {
  const c = new Client();
  const missing = code();
  const page = await c.get(`/chung-chi/${missing}`);
  assert.equal(page.status, 404);
  assert.match(page.text, /Mã chứng chỉ này không tồn tại/);
  assert.match(page.text, /Không tìm thấy chứng chỉ/);
  assert.doesNotMatch(page.text, /Chứng chỉ hợp lệ/);
  const api = await c.get(`/api/certificates/${missing}`);
  assert.equal(api.status, 404);
  assert.equal(api.data.valid, false);
  assert.match(api.data.error, /không tồn tại/);
  const pdf = await c.get(`/chung-chi/${missing}/pdf`);
  assert.equal(pdf.status, 404);
  assert.doesNotMatch(pdf.headers.get('content-type'), /pdf/);
});

test('a malformed code gets the same clear 404, and what was typed is escaped', { skip }, async () => {
  const c = new Client();
  for (const bad of ['abc', 'A'.repeat(27), '0'.repeat(26), '%3Cscript%3Ealert(1)%3C']) {
    const r = await c.get(`/chung-chi/${bad}`);
    assert.equal(r.status, 404, bad);
    assert.match(r.text, /Mã chứng chỉ này không tồn tại/);
    assert.doesNotMatch(r.text, /<script>alert/);
  }
  const api = await c.get('/api/certificates/not-a-code');
  assert.equal(api.status, 404);
  assert.match(api.data.error, /không tồn tại/);
});

test('a real certificate: public page, JSON, lower-case code, share tags and the PDF', { skip: skip || (!DB && 'DXDAY_TEST_DB not set') }, async () => {
  const cert = seedCertificate();
  const c = new Client(); // no account
  const page = await c.get(`/chung-chi/${cert.code}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Chứng chỉ hợp lệ/);
  assert.ok(page.text.includes(cert.name), 'learner name shown');
  assert.ok(page.text.includes(cert.title), 'course title shown');
  assert.ok(page.text.includes(`href="/khoa-hoc/${cert.slug}"`), 'course linked');
  assert.match(page.text, /10\/10\/2026/, 'completion date in Viet Nam time, dd/mm/yyyy');
  assert.match(page.text, new RegExp(`<meta property="og:description" content="[^"]*${cert.name}[^"]*Chứng chỉ hợp lệ`));
  assert.match(page.text, new RegExp(`<meta property="og:title" content="Chứng chỉ của ${cert.name}"`));
  assert.ok(page.text.includes(`/chung-chi/${cert.code}/pdf`));

  const lower = await c.get(`/chung-chi/${cert.code.toLowerCase()}`);
  assert.equal(lower.status, 200, 'codes are read case-insensitively');

  const api = await c.get(`/api/certificates/${cert.code}`);
  assert.equal(api.status, 200);
  assert.equal(api.data.valid, true);
  assert.equal(api.data.certificate.learner_name, cert.name);
  assert.equal(api.data.certificate.course_slug, cert.slug);
  assert.equal(api.data.certificate.issued_date, '10/10/2026');
  assert.ok(api.data.certificate.verify_url.endsWith(`/chung-chi/${cert.code}`));
  assert.match(api.data.certificate.verify_url, /^https?:\/\//, 'an absolute address for the QR code');

  const res = await fetch(`${BASE}/chung-chi/${cert.code}/pdf`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="chung-chi-${cert.code}.pdf"`);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
  assert.ok(bytes.length > 5000);

  // The look-up form sends a typed code (any case, with spaces) to its page.
  const form = await c.get(`/chung-chi?ma=${encodeURIComponent(cert.code.toLowerCase().replace(/(.{4})/g, '$1 '))}`);
  assert.equal(form.status, 303);
  assert.equal(form.headers.get('location'), `/chung-chi/${cert.code}`);
});

// From an address of its own on the loopback range, so the budget it spends is not the other tests'.
function getFrom(localAddress, path) {
  return new Promise((resolve, reject) => {
    const u = new URL(BASE + path);
    const req = http.get({ host: u.hostname, port: u.port, path: u.pathname, localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
  });
}

test('verification is rate-limited per address: 429 with Retry-After', { skip }, async () => {
  const limit = Number(process.env.DXDAY_VERIFY_PER_MINUTE) || 30;
  const addr = `127.0.${Math.floor(Math.random() * 200) + 20}.${Math.floor(Math.random() * 200) + 20}`;
  const t0 = Date.now();
  const first = await getFrom(addr, `/chung-chi/${code()}`);
  assert.equal(first.statusCode, 404);
  let limited = null, answered = 1;
  // Twice the budget and a little: a minute boundary in the middle resets the count once at most.
  for (let i = 0; i < 2 * limit + 5 && !limited; i++) {
    const r = await getFrom(addr, `/chung-chi/${code()}`);
    if (r.statusCode === 429) limited = r;
    else { assert.equal(r.statusCode, 404); answered++; }
  }
  assert.ok(limited, 'a 429 came within twice the budget');
  // Within one minute's window the budget is exactly the configured one (so the override is honoured).
  if (Math.floor(t0 / 60000) === Math.floor(Date.now() / 60000)) assert.equal(answered, limit);
  else assert.ok(answered >= limit);
  const wait = Number(limited.headers['retry-after']);
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${limited.headers['retry-after']}`);
  // Another address is not affected.
  const other = await new Client().get(`/api/certificates/${code()}`);
  assert.equal(other.status, 404);
});
