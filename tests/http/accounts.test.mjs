// Accounts: login, equal answers for unknown users and wrong passwords, throttling, CSRF, roles scoped to a
// subtree, the audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, COORD, Client, OFFICER, setCookies, skip, uniq } from './lib.mjs';

const BAD = 'Email hoặc mật khẩu không đúng.';

async function attempt(email, password) {
  const c = new Client();
  const f = await c.get('/api/login');
  c.csrf = f.data.csrf;
  const t0 = performance.now();
  const r = await c.post('/api/login', { json: { email, password } });
  return { r, ms: performance.now() - t0 };
}

test('demo admin logs in, sees its roles, logs out', { skip }, async () => {
  const c = new Client();
  await c.login(...ADMIN);
  const me = await c.get('/api/me');
  assert.equal(me.status, 200);
  assert.equal(me.data.user.email, 'admin@dxday.vn');
  assert.deepEqual(me.data.user.roles.map((x) => [x.role, x.org_code]), [['admin', 'vn']]);
  assert.ok(c.cookies.dxday_session);
  const out = await c.post('/api/logout');
  assert.equal(out.status, 200);
  assert.equal((await c.get('/api/me')).status, 401);
});

test('session cookie is HttpOnly and SameSite=Lax; the token is not stored in clear', { skip }, async () => {
  const c = new Client();
  const f = await c.get('/api/login');
  c.csrf = f.data.csrf;
  const res = await fetch(process.env.DXDAY_URL + '/api/login', {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/json', cookie: c.cookieHeader(), 'x-csrf-token': c.csrf },
    body: JSON.stringify({ email: ADMIN[0], password: ADMIN[1] }),
  });
  const sc = setCookies(res.headers).find((x) => x.startsWith('dxday_session='));
  assert.match(sc, /HttpOnly/);
  assert.match(sc, /SameSite=Lax/);
  const token = sc.split(';')[0].split('=')[1];
  assert.ok(token.length >= 40);
  if (process.env.DXDAY_TEST_DB) {
    const { sql } = await import('./db.mjs');
    const rows = sql('SELECT token_hash FROM session');
    assert.ok(!rows.includes(token));
    assert.match(rows, /^[0-9a-f]{64}$/m);
  }
});

test('unknown user and wrong password get the same answer and take comparable time', { skip }, async () => {
  const wrong = [], unknown = [];
  for (let i = 0; i < 3; i++) {
    const w = await attempt(COORD[0], 'sai-mat-khau-' + i);
    const u = await attempt(uniq('khong-co') + '@example.vn', 'sai-mat-khau');
    assert.equal(w.r.status, 401);
    assert.equal(u.r.status, 401);
    assert.equal(w.r.data.error, BAD);
    assert.equal(u.r.data.error, BAD);
    wrong.push(w.ms); unknown.push(u.ms);
  }
  const med = (a) => a.sort((x, y) => x - y)[1];
  // Both verify an argon2id hash; without the dummy hash an unknown user would answer many times faster.
  assert.ok(med(unknown) > med(wrong) * 0.4, `unknown ${med(unknown)} ms vs wrong ${med(wrong)} ms`);
  // Let the coordinator log in again (its failures were counted).
  const c = new Client();
  const ok = await c.login(...COORD);
  assert.equal(ok.status, 200);
});

test('repeated failures are refused for a while with Retry-After, even with the right password', { skip }, async () => {
  const c = new Client();
  await c.login(...ADMIN);
  const email = uniq('chan') + '@dxday.vn';
  const created = await c.post('/api/users', { json: { email, name: 'Người thử', password: 'mat-khau-dung-1' } });
  assert.equal(created.status, 201);
  for (let i = 0; i < 5; i++) assert.equal((await attempt(email, 'sai-' + i)).r.status, 401);
  const blocked = await attempt(email, 'mat-khau-dung-1');
  assert.equal(blocked.r.status, 429);
  assert.ok(Number(blocked.r.headers.get('retry-after')) > 0);
  assert.match(blocked.r.data.error, /thử lại sau/);
});

test('a state change without the CSRF token is 403 and writes nothing', { skip }, async () => {
  const c = new Client();
  await c.login(...ADMIN);
  const email = uniq('csrf') + '@dxday.vn';
  const saved = c.csrf;
  c.csrf = undefined;
  const r = await c.post('/api/users', { json: { email, name: 'X', password: 'mat-khau-dai-1' } });
  assert.equal(r.status, 403);
  const wrong = await c.post('/api/users', { json: { email, name: 'X', password: 'mat-khau-dai-1' }, headers: { 'x-csrf-token': 'x'.repeat(43) } });
  assert.equal(wrong.status, 403);
  c.csrf = saved;
  const list = await c.get('/api/users');
  assert.ok(!list.data.items.some((u) => u.email === email));
  const anon = await new Client().post('/api/login', { json: { email: 'a@b.vn', password: 'x' } });
  assert.equal(anon.status, 403);
});

test('staff pages need a login: 401 for the API, a redirect for a browser', { skip }, async () => {
  const c = new Client();
  assert.equal((await c.get('/api/users')).status, 401);
  const page = await c.get('/quan-tri/tai-khoan');
  assert.equal(page.status, 303);
  assert.match(page.headers.get('location'), /^\/dang-nhap\?next=/);
});

test('an admin creates an account and gives a role scoped to a unit; the audit log records both', { skip }, async () => {
  const admin = new Client();
  await admin.login(...ADMIN);
  const email = uniq('canbo') + '@dxday.vn';
  const r = await admin.post('/api/users', { json: { email, name: 'Cán bộ Hà Tĩnh', password: 'mat-khau-ha-tinh', role: 'officer', org: 'ha-tinh' } });
  assert.equal(r.status, 201);
  assert.deepEqual(r.data.roles.map((x) => [x.role, x.org_code]), [['officer', 'ha-tinh']]);
  const dup = await admin.post('/api/users', { json: { email, name: 'Trùng', password: 'mat-khau-ha-tinh' } });
  assert.equal(dup.status, 409);
  const bad = await admin.post('/api/users', { json: { email: 'khong-hop-le', name: '', password: 'ngan' } });
  assert.equal(bad.status, 422);
  assert.ok(bad.data.fields.email && bad.data.fields.name && bad.data.fields.password);
  const badRole = await admin.post(`/api/users/${r.data.id}/roles`, { json: { role: 'emperor', org: 'ha-tinh' } });
  assert.equal(badRole.status, 422);
  const officer = new Client();
  await officer.login(email, 'mat-khau-ha-tinh');
  const me = await officer.get('/api/me');
  assert.equal(me.data.user.name, 'Cán bộ Hà Tĩnh');
  const log = await admin.get('/api/audit');
  const actions = log.data.items.filter((i) => i.entity_id === String(r.data.id)).map((i) => i.action);
  assert.ok(actions.includes('user.create'));
  assert.ok(actions.includes('role.grant'));
});

test('a role acting outside its subtree is 403 and nothing is written', { skip }, async () => {
  const admin = new Client();
  await admin.login(...ADMIN);
  const email = uniq('qt-nghean') + '@dxday.vn';
  const pa = await admin.post('/api/users', { json: { email, name: 'Quản trị Nghệ An', password: 'mat-khau-nghe-an', role: 'admin', org: 'nghe-an' } });
  assert.equal(pa.status, 201);
  // The target already works in Nghệ An: a province admin acts only on accounts holding a role in its subtree.
  const target = await admin.post('/api/users', { json: { email: uniq('t') + '@dxday.vn', name: 'Người được giao', password: 'mat-khau-nguoi-1', role: 'team_member', org: 'nghe-an' } });
  const provAdmin = new Client();
  await provAdmin.login(email, 'mat-khau-nghe-an');
  const outside = await provAdmin.post(`/api/users/${target.data.id}/roles`, { json: { role: 'officer', org: 'ha-noi' } });
  assert.equal(outside.status, 403);
  const rootRole = await provAdmin.post('/api/users', { json: { email: uniq('x') + '@dxday.vn', name: 'X', password: 'mat-khau-dai-12', role: 'admin', org: 'vn' } });
  assert.equal(rootRole.status, 403);
  const inside = await provAdmin.post(`/api/users/${target.data.id}/roles`, { json: { role: 'officer', org: 'nghe-an' } });
  assert.equal(inside.status, 200);
  const list = await admin.get('/api/users');
  const t = list.data.items.find((u) => u.id === target.data.id);
  assert.deepEqual(t.roles.map((x) => [x.role, x.org_code]), [['team_member', 'nghe-an'], ['officer', 'nghe-an']]);
  const officer = new Client();
  await officer.login(...OFFICER);
  assert.equal((await officer.get('/api/users')).status, 403);
  assert.equal((await officer.post(`/api/users/${target.data.id}/roles`, { json: { role: 'officer', org: 'nghe-an' } })).status, 403);
  const revokeOutside = await provAdmin.post(`/api/users/${target.data.id}/roles/${t.roles[0].id}/delete`);
  assert.equal(revokeOutside.status, 200);
});

test('the centre edits a year; an officer cannot; bad dates are 422', { skip }, async () => {
  const coord = new Client();
  await coord.login(...COORD);
  const dates = [{ date: '2026-09-15', label: 'Hạn gửi kế hoạch' }, { date: '2026-10-10', label: 'Ngày Chuyển đổi số quốc gia' }];
  const r = await coord.post('/api/campaigns/2026', { json: { theme: 'Chủ đề thử nghiệm', dates } });
  assert.equal(r.status, 200);
  const got = await new Client().get('/api/campaigns/2026');
  assert.equal(got.data.campaign.theme, 'Chủ đề thử nghiệm');
  assert.equal(got.data.campaign.dates.length, 2);
  const bad = await coord.post('/api/campaigns/2026', { json: { theme: 'x', dates: [{ date: '2026-02-30', label: 'x' }] } });
  assert.equal(bad.status, 422);
  const officer = new Client();
  await officer.login(...OFFICER);
  const no = await officer.post('/api/campaigns/2026', { json: { theme: 'Không được', dates } });
  assert.equal(no.status, 403);
  assert.equal((await new Client().get('/api/campaigns/2026')).data.campaign.theme, 'Chủ đề thử nghiệm');
});
