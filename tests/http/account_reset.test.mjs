// "Quên mật khẩu?" (issue 15): a single-use, 30-minute link e-mailed (read here from DXDAY_MAIL_DIR), kept hashed, the
// same answer for any address, every session ended by a reset; an admin's link for staff of the admin's own subtree only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, OwnClient, SANITIZER_REPORT } from './ownserver.mjs';

const mailDir = mkdtempSync(join(tmpdir(), 'dxday-mail-'));
let srv, national;
const PW = 'mat-khau-cu-dai-1';
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${++n}`;

before(async () => {
  srv = await startServer({ DXDAY_MAIL_DIR: mailDir, DXDAY_PUBLIC_URL: 'https://dxday.example.vn' });
  national = await new OwnClient(srv.url).login('admin@dxday.vn', 'dxday-admin-2026');
});
after(async () => {
  const log = await srv.stop();
  rmSync(mailDir, { recursive: true, force: true });
  assert.ok(!SANITIZER_REPORT.test(log), log.slice(0, 4000));
});

const mails = () => readdirSync(mailDir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(mailDir, f), 'utf8'));
async function mailTo(email, before = 0) {
  for (let i = 0; i < 50; i++) {
    const m = mails().filter((x) => x.split('\r\n\r\n')[0].split('\r\n').includes(`To: ${email}`));   // a header, not body text
    if (m.length > before) return m[m.length - 1];
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return null;
}
const tokenOf = (mail) => mail.match(/dat-lai-mat-khau\?token=([A-Za-z0-9_-]{43})/)?.[1];

async function staff(role, org) {
  const email = `${uniq('dl')}@dxday.vn`;
  const r = await national.post('/api/users', { json: { email, name: 'Cán bộ Quên Mật Khẩu', password: 'mat-khau-can-bo-10', role, org } });
  assert.equal(r.status, 201, r.text);
  return { email, id: r.data.id };
}
async function learner() {
  const email = `${uniq('hv')}@example.vn`;
  const c = await new OwnClient(srv.url).publicToken();
  assert.equal((await c.post('/api/signup', { json: { name: 'Học Viên Quên', login: email, password: PW } })).status, 202);
  return email;
}
const forgot = async (email) => (await new OwnClient(srv.url).publicToken()).post('/api/password/forgot', { json: { email } });

test('the same answer for an account and for nobody; only the owner gets a link, kept as its SHA-256', async () => {
  const email = await learner();
  const known = await forgot(email), unknown = await forgot(`${uniq('khong-co')}@example.vn`);
  assert.equal(known.status, 202, known.text);
  assert.deepEqual({ s: unknown.status, m: unknown.data.message }, { s: known.status, m: known.data.message });
  const mail = await mailTo(email);
  assert.ok(mail, 'a message was written');
  const subject = mail.match(/^Subject: =\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=\r$/m)?.[1];
  assert.equal(Buffer.from(subject, 'base64').toString('utf8'), '[dxday] Đặt lại mật khẩu');
  assert.match(mail, /https:\/\/dxday\.example\.vn\/dat-lai-mat-khau\?token=/, 'the link is on the public origin, not the Host');
  const token = tokenOf(mail);
  const stored = srv.sql(`SELECT token_hash FROM password_reset p JOIN app_user u ON u.id = p.user_id WHERE u.email = '${email}'`);
  assert.equal(stored, createHash('sha256').update(token).digest('hex'));
  assert.ok(!srv.sql('SELECT token_hash FROM password_reset').includes(token), 'the token itself is not stored');
  assert.equal(mails().filter((m) => m.includes('khong-co')).length, 0);
  // A forged Host header changes nothing in the link.
  const again = await (await new OwnClient(srv.url).publicToken()).post('/api/password/forgot', { json: { email }, headers: { host: 'evil.example' } });
  assert.equal(again.status, 202);
});

test('a reset sets the password once, refuses a weak one, and ends every session', async () => {
  const email = await learner();
  const old = await new OwnClient(srv.url).login(email, PW);
  assert.equal((await old.get('/api/me')).status, 200);
  await forgot(email);
  const token = tokenOf(await mailTo(email));
  const page = await new OwnClient(srv.url).get(`/dat-lai-mat-khau?token=${token}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /name="password2"/);
  assert.match(page.headers.get('referrer-policy'), /(^|, )no-referrer$/, 'the last policy, the one browsers apply, sends no Referer');
  const c = await new OwnClient(srv.url).publicToken();
  const hashBefore = srv.sql(`SELECT password_hash FROM app_user WHERE email = '${email}'`);
  for (const weak of ['ngan', '12345678', 'aaaaaaaaaa', `${email.split('@')[0]}x`]) {
    const r = await c.post('/api/password/reset', { json: { token, password: weak } });
    assert.equal(r.status, 422, `${weak}: ${r.text}`);
    assert.ok(r.data.error);
  }
  assert.equal(srv.sql(`SELECT password_hash FROM app_user WHERE email = '${email}'`), hashBefore, 'nothing written');
  // The HTML form keeps the link and shows the error beside the field.
  const form = await c.post('/dat-lai-mat-khau', { form: { csrf: c.csrf, token, password: 'ngan', password2: 'ngan' } });
  assert.equal(form.status, 422);
  assert.match(form.text, /class="err"[^>]*>Mật khẩu cần ít nhất 8 ký tự/);
  assert.match(form.text, new RegExp(`value="${token}"`));
  const ok = await c.post('/api/password/reset', { json: { token, password: 'mat-khau-moi-that-dai' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await old.get('/api/me')).status, 401, 'the session from before the reset is over');
  assert.equal((await c.post('/api/password/reset', { json: { token, password: 'mat-khau-lan-hai-dai' } })).status, 410, 'single use');
  const used = await new OwnClient(srv.url).get(`/dat-lai-mat-khau?token=${token}`);
  assert.equal(used.status, 410);
  assert.match(used.text, /href="\/quen-mat-khau"/, 'no dead end: a way to ask for a new link');
  await new OwnClient(srv.url).login(email, 'mat-khau-moi-that-dai');
  const audit = srv.sql(`SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = (SELECT CAST(id AS TEXT) FROM app_user WHERE email = '${email}') ORDER BY id`);
  assert.match(audit, /password\.forgot[\s\S]*password\.reset/);
});

test('an expired link and a made-up one are refused', async () => {
  const email = await learner();
  await forgot(email);
  const token = tokenOf(await mailTo(email));
  srv.sql(`UPDATE password_reset SET expires_at = '2000-01-01T00:00:00Z' WHERE user_id = (SELECT id FROM app_user WHERE email = '${email}')`);
  const c = await new OwnClient(srv.url).publicToken();
  assert.equal((await c.post('/api/password/reset', { json: { token, password: 'mat-khau-moi-that-dai' } })).status, 410);
  assert.equal((await c.get(`/dat-lai-mat-khau?token=${token}`)).status, 410);
  assert.equal((await c.post('/api/password/reset', { json: { token: 'x'.repeat(43), password: 'mat-khau-moi-that-dai' } })).status, 410);
  assert.equal((await c.post('/api/password/reset', { json: { token: "' OR 1=1 --", password: 'mat-khau-moi-that-dai' } })).status, 410);
  await new OwnClient(srv.url).login(email, PW);   // the old password still works
  // The link lasts 30 minutes.
  await forgot(email);
  const mins = srv.sql(`SELECT expires_at, created_at FROM password_reset WHERE used_at IS NULL AND user_id = (SELECT id FROM app_user WHERE email = '${email}') ORDER BY id DESC LIMIT 1`).split('|');
  assert.equal((Date.parse(mins[0]) - Date.parse(mins[1])) / 60000, 30);
});

test('an admin makes a link for staff of the admin\'s subtree only', async () => {
  const adminNA = await staff('admin', 'nghe-an');
  const a = await new OwnClient(srv.url).login(adminNA.email, 'mat-khau-can-bo-10');
  const inNA = await staff('officer', 'so-tttt-nghe-an');
  const inHT = await staff('officer', 'ha-tinh');
  const both = await staff('officer', 'so-tttt-nghe-an');
  assert.equal((await national.post(`/api/users/${both.id}/roles`, { json: { role: 'admin', org: 'ha-tinh' } })).status, 200);
  const count = () => +srv.sql('SELECT COUNT(*) FROM password_reset');
  const before = count();
  assert.equal((await a.post(`/api/users/${inHT.id}/password-reset`)).status, 404, 'another province\'s account does not exist for this admin');
  assert.equal((await a.post(`/api/users/${both.id}/password-reset`)).status, 403, 'an account with a role outside the subtree');
  const officer = await new OwnClient(srv.url).login(inNA.email, 'mat-khau-can-bo-10');
  assert.equal((await officer.post(`/api/users/${inNA.id}/password-reset`)).status, 403, 'an officer is no admin');
  assert.equal(count(), before, 'nothing written by the refusals');
  const r = await a.post(`/api/users/${inNA.id}/password-reset`);
  assert.equal(r.status, 201, r.text);
  assert.match(r.data.link, /\/dat-lai-mat-khau\?token=/);
  const token = r.data.link.split('token=')[1];
  // A staff account needs 10 characters.
  const c = await new OwnClient(srv.url).publicToken();
  assert.equal((await c.post('/api/password/reset', { json: { token, password: 'tam-tam-9' } })).status, 422);
  assert.equal((await c.post('/api/password/reset', { json: { token, password: 'mat-khau-moi-can-bo' } })).status, 200);
  assert.equal((await officer.get('/api/me')).status, 401);
  assert.ok(await mailTo(inNA.email), 'the account\'s owner is e-mailed the link too');
});
