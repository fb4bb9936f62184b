// One's own account at /tai-khoan (issue 15): the name printed on certificates (NFC, kept as typed on an error), the
// password (the current one asked; other sessions end), deleting a learner account (the password asked; personal data
// removed, certificates still verifiable with the name as issued). Nobody acts on another's account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, OwnClient, SANITIZER_REPORT } from './ownserver.mjs';

let srv;
const PW = 'mat-khau-hoc-vien-1';
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${++n}`;

before(async () => { srv = await startServer(); });
after(async () => {
  const log = await srv.stop();
  assert.ok(!SANITIZER_REPORT.test(log), log.slice(0, 4000));
});

async function learner(name = 'Nguyễn Văn Học') {
  const email = `${uniq('hv')}@example.vn`;
  const c = await new OwnClient(srv.url).publicToken();
  assert.equal((await c.post('/api/signup', { json: { name, login: email, password: PW } })).status, 202);
  return { email, c: await new OwnClient(srv.url).login(email, PW), id: +srv.sql(`SELECT id FROM app_user WHERE email = '${email}'`) };
}

test('a learner changes their own name; NFD comes in, NFC is kept; bad input writes nothing and keeps what was typed', async () => {
  const a = await learner(), b = await learner('Trần Thị Khác');
  const nfd = 'Lê Thị Hồng Nhung'.normalize('NFD');
  const r = await a.c.post('/api/me/name', { json: { name: `  ${nfd} `, id: b.id } });
  assert.equal(r.status, 200, r.text);
  assert.equal(srv.sql(`SELECT name FROM app_user WHERE id = ${a.id}`), 'Lê Thị Hồng Nhung'.normalize('NFC'));
  assert.equal(srv.sql(`SELECT name FROM app_user WHERE id = ${b.id}`), 'Trần Thị Khác', 'an id in the body names nobody else');
  assert.equal((await a.c.get('/api/me')).data.user.name, 'Lê Thị Hồng Nhung');
  for (const bad of ['', '   ', 'a'.repeat(101), 'Tên\nhai dòng', '<b>Tên</b>']) {
    const x = await a.c.post('/api/me/name', { json: { name: bad } });
    assert.equal(x.status, 422, JSON.stringify(bad));
    assert.ok(x.data.details?.name || x.data.fields?.name || x.data.error);
  }
  assert.equal(srv.sql(`SELECT name FROM app_user WHERE id = ${a.id}`), 'Lê Thị Hồng Nhung');
  const page = await a.c.post('/tai-khoan/ten', { form: { csrf: a.c.csrf, name: 'Tên <sai>' } });
  assert.equal(page.status, 422);
  assert.match(page.text, /value="Tên &lt;sai&gt;"/, 'what was typed is kept');
  assert.match(page.text, /class="err" id="acc-name-err">Nhập họ và tên/, 'the error sits beside its field');
  const anon = await new OwnClient(srv.url).publicToken();
  assert.ok([302, 303, 401].includes((await anon.post('/api/me/name', { json: { name: 'Kẻ lạ' } })).status));
});

test('changing the password asks the current one, refuses weak ones and ends the other sessions only', async () => {
  const a = await learner();
  const other = await new OwnClient(srv.url).login(a.email, PW);
  const hash = () => srv.sql(`SELECT password_hash FROM app_user WHERE id = ${a.id}`);
  const h0 = hash();
  assert.equal((await a.c.post('/api/me/password', { json: { current: 'sai-mat-khau-roi', password: 'mat-khau-moi-dai-1' } })).status, 422);
  assert.equal((await a.c.post('/api/me/password', { json: { current: PW, password: 'ngan' } })).status, 422);
  assert.equal((await a.c.post('/api/me/password', { json: { current: PW, password: 'password' } })).status, 422);
  assert.equal(hash(), h0, 'nothing written');
  const ok = await a.c.post('/api/me/password', { json: { current: PW, password: 'mat-khau-moi-dai-1' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await a.c.get('/api/me')).status, 200, 'this browser stays signed in');
  assert.equal((await other.get('/api/me')).status, 401, 'the other session is over');
  await new OwnClient(srv.url).login(a.email, 'mat-khau-moi-dai-1');
  const form = await a.c.post('/tai-khoan/mat-khau', { form: { csrf: a.c.csrf, current: 'sai', password: 'mat-khau-khac-dai' } });
  assert.equal(form.status, 422);
  assert.match(form.text, /id="acc-cur-err">Mật khẩu hiện tại không đúng/);
});

test('a learner deletes their account: attempts and progress go, the certificate stays verifiable with the name as issued', async () => {
  const a = await learner('Phạm Văn Xóa');
  const course = +srv.sql('SELECT id FROM course ORDER BY id LIMIT 1');
  const quiz = +srv.sql('SELECT id FROM quiz ORDER BY id LIMIT 1');
  const code = 'XOA' + Array.from({ length: 23 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[Math.floor(Math.random() * 32)]).join('');
  srv.sql(`INSERT INTO certificate (code, user_id, course_id, learner_name, course_title, issued_at) VALUES ('${code}', ${a.id}, ${course}, 'Phạm Văn Xóa', 'Khóa học', '2026-10-10T00:00:00Z');
           INSERT INTO quiz_attempt (user_id, quiz_id, nonce, answers, score, passed, at) VALUES (${a.id}, ${quiz}, 'n1', '[]', 100, 1, '2026-10-10T00:00:00Z');
           INSERT INTO enrolment (user_id, course_id, enrolled_at) VALUES (${a.id}, ${course}, '2026-10-01T00:00:00Z')`);
  const wrong = await a.c.post('/api/me/delete', { json: { password: 'khong-dung-dau' } });
  assert.equal(wrong.status, 422);
  assert.equal(srv.sql(`SELECT COUNT(*) FROM quiz_attempt WHERE user_id = ${a.id}`), '1', 'nothing removed on a wrong password');
  await a.c.post('/api/me/name', { json: { name: 'Phạm Văn Xóa Hai' } });   // an entry naming the person
  await (await new OwnClient(srv.url).publicToken()).post('/api/login', { json: { email: a.email, password: 'sai-mat-khau-nhe' } });
  const page = await a.c.get('/tai-khoan/xoa');
  assert.match(page.text, /vẫn tra cứu được/);
  const r = await a.c.post('/api/me/delete', { json: { password: PW } });
  assert.equal(r.status, 200, r.text);
  assert.equal(srv.sql(`SELECT COUNT(*) FROM quiz_attempt WHERE user_id = ${a.id}`), '0');
  assert.equal(srv.sql(`SELECT COUNT(*) FROM enrolment WHERE user_id = ${a.id}`), '0');
  assert.equal(srv.sql(`SELECT COUNT(*) FROM session WHERE user_id = ${a.id}`), '0');
  const row = srv.sql(`SELECT email, name, active FROM app_user WHERE id = ${a.id}`);
  assert.ok(!row.includes(a.email) && !row.includes('Phạm'), `personal data removed: ${row}`);
  assert.equal((await a.c.get('/api/me')).status, 401);
  const trail = srv.sql(`SELECT action, COALESCE(detail, ''), COALESCE(ip, '') FROM audit_log WHERE user_id = ${a.id} OR (entity = 'user' AND entity_id = '${a.id}')`);
  assert.match(trail, /account\.delete/, 'the log keeps what was done');
  assert.ok(!trail.includes(a.email) && !trail.includes('Phạm') && !trail.includes('127.0.0.1'), `but not who: ${trail}`);
  const verify = await new OwnClient(srv.url).get(`/api/certificates/${code}`);
  assert.equal(verify.status, 200, verify.text);
  assert.match(verify.text, /Phạm Văn Xóa/);
  // The e-mail is free again for a new sign-up, and the old password opens nothing.
  const login = await (await new OwnClient(srv.url).publicToken()).post('/api/login', { json: { email: a.email, password: PW } });
  assert.equal(login.status, 401);
});

test('a staff account cannot delete itself (its admin takes its roles away)', async () => {
  const c = await new OwnClient(srv.url).login('nghean@dxday.vn', 'dxday-demo-2026');
  const r = await c.post('/api/me/delete', { json: { password: 'dxday-demo-2026' } });
  assert.equal(r.status, 403);
  assert.equal(srv.sql("SELECT active FROM app_user WHERE email = 'nghean@dxday.vn'"), '1');
});
