// The admin's side of accounts (issue 15): the new-account form keeps what was typed with each error beside its field,
// "Đơn vị" takes a name without diacritics, "Giao thêm vai trò" starts at the least powerful role, "gỡ" asks first (no
// script needed); the audit log in Vietnamese with names, filtered, paged and exported; the privacy notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, OwnClient, SANITIZER_REPORT } from './ownserver.mjs';

let srv, national;
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${++n}`;

before(async () => {
  srv = await startServer();
  national = await new OwnClient(srv.url).login('admin@dxday.vn', 'dxday-admin-2026');
});
after(async () => {
  const log = await srv.stop();
  assert.ok(!SANITIZER_REPORT.test(log), log.slice(0, 4000));
});

const form = (o) => ({ csrf: national.csrf, ...o });

test('a refused new-account form keeps what was typed and puts each error beside its field', async () => {
  const r = await national.post('/quan-tri/tai-khoan', { form: form({ email: 'khong-phai-email', name: 'Nguyễn Thị Gõ', password: 'ngan', role: 'officer', org: 'Tinh Khong Co That' }) });
  assert.equal(r.status, 422, r.text.slice(0, 300));
  assert.match(r.text, /value="khong-phai-email"/);
  assert.match(r.text, /value="Nguyễn Thị Gõ"/);
  assert.match(r.text, /value="Tinh Khong Co That"/);
  assert.match(r.text, /<option value="officer" selected>/);
  assert.match(r.text, /value="khong-phai-email"[^>]*>\s*<span class="err">Email không hợp lệ/);
  assert.match(r.text, /<span class="err">Mật khẩu cần từ 10/);
  assert.match(r.text, /<span class="err">Không tìm thấy đơn vị/);
  assert.doesNotMatch(r.text, /value="ngan"/, 'a password is never sent back');
});

test('"Đơn vị" takes a unit name without diacritics; an ambiguous name lists candidates', async () => {
  const email = `${uniq('dv')}@dxday.vn`;
  const r = await national.post('/api/users', { json: { email, name: 'Cán bộ Hà Tĩnh', password: 'mat-khau-can-bo-10', role: 'officer', org: 'ha tinh' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.roles[0].org_code, 'ha-tinh');
  const amb = await national.post(`/api/users/${r.data.id}/roles`, { json: { role: 'officer', org: 'So Khoa hoc va Cong nghe' } });
  assert.equal(amb.status, 422, amb.text);
  assert.match(amb.data.error, /khớp nhiều đơn vị/);
  const row = await national.post(`/quan-tri/tai-khoan/${r.data.id}/vai-tro`, { form: form({ role: 'officer', org: 'Huyen Khong Ton Tai' }) });
  assert.equal(row.status, 422);
  assert.match(row.text, new RegExp(`id="u${r.data.id}"[\\s\\S]*value="Huyen Khong Ton Tai"[^>]*>\\s*<span class="err">Không tìm thấy đơn vị`), 'the error beside that account\'s field');
  const page = await national.get('/quan-tri/tai-khoan');
  assert.match(page.text, /class="unit-pick"/);
  assert.match(page.text, /src="\/static\/unitpicker\.js"/);
  assert.equal((await national.get('/static/unitpicker.js')).status, 200);
  // "Giao thêm vai trò": the first option, the default, is the least powerful role.
  const firstOption = page.text.match(/Giao thêm vai trò <select name="role"><option value="([a-z_]+)"/)[1];
  assert.equal(firstOption, 'team_member');
});

test('"gỡ" asks before removing, without script; the API removes at once', async () => {
  const email = `${uniq('go')}@dxday.vn`;
  const u = await national.post('/api/users', { json: { email, name: 'Người sắp bị gỡ', password: 'mat-khau-can-bo-10', role: 'moderator', org: 'nghe-an' } });
  const rid = u.data.roles[0].id;
  const held = () => +srv.sql(`SELECT COUNT(*) FROM user_role WHERE id = ${rid}`);
  const ask = await national.get(`/quan-tri/tai-khoan/${u.data.id}/vai-tro/${rid}/xoa`);
  assert.equal(ask.status, 200);
  assert.match(ask.text, /Gỡ vai trò\?/);
  assert.match(ask.text, /Kiểm duyệt/);
  assert.match(ask.text, /name="confirm" value="1"/);
  const slip = await national.post(`/quan-tri/tai-khoan/${u.data.id}/vai-tro/${rid}/xoa`, { form: form({}) });
  assert.equal(slip.status, 200);
  assert.equal(held(), 1, 'a form post without the confirmation removes nothing');
  const yes = await national.post(`/quan-tri/tai-khoan/${u.data.id}/vai-tro/${rid}/xoa`, { form: form({ confirm: '1' }) });
  assert.equal(yes.status, 303);
  assert.equal(held(), 0);
});

test('the audit log speaks Vietnamese with names and units, filters by who, what, when and unit, pages and exports', async () => {
  const email = `${uniq('nk')}@dxday.vn`;
  const u = await national.post('/api/users', { json: { email, name: 'Người Nhật Ký', password: 'mat-khau-can-bo-10', role: 'officer', org: 'nghe-an' } });
  assert.equal(u.status, 201);
  const all = await national.get('/api/audit?viec=role');
  assert.equal(all.status, 200, all.text);
  const grant = all.data.items.find((i) => i.action === 'role.grant' && i.entity_id === String(u.data.id));
  assert.ok(grant, 'the grant is listed');
  assert.equal(grant.action_label, 'Giao vai trò');
  assert.equal(grant.org_name, 'Nghệ An');
  assert.ok(grant.name && grant.email === 'admin@dxday.vn', 'the actor by name and e-mail');
  assert.match(grant.details, /Vai trò: Cán bộ đầu mối/);
  assert.equal(grant.about, `Tài khoản: Người Nhật Ký (${email})`, 'the account acted on, by name');
  assert.ok(!('detail' in grant), 'no raw JSON');
  const html = await national.get('/quan-tri/nhat-ky?viec=role');
  assert.doesNotMatch(html.text.replace(/(value|name|href|action|class|id)="[^"]*"/g, ''), /role\.grant|\{"org_id"|org_id/, 'no English codes or JSON shown on the page');
  assert.match(html.text, /Giao vai trò/);
  // Filters: unit (a subtree, by name without diacritics), who, when.
  const ht = await national.get('/api/audit?don_vi=ha%20tinh&viec=role');
  assert.ok(ht.data.items.every((i) => i.org_name !== 'Nghệ An'));
  const na = await national.get('/api/audit?don_vi=nghe-an&viec=role.grant');
  assert.ok(na.data.items.some((i) => i.entity_id === String(u.data.id)));
  const adminId = srv.sql("SELECT id FROM app_user WHERE email = 'admin@dxday.vn'");
  const mine = await national.get(`/api/audit?nguoi=${adminId}`);
  assert.ok(mine.data.items.length > 0 && mine.data.items.every((i) => String(i.user_id) === adminId));
  const future = await national.get('/api/audit?tu=01/01/2099');
  assert.equal(future.data.total, 0);
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10).split('-').reverse().join('/');
  assert.ok((await national.get(`/api/audit?tu=${today}&den=${today}`)).data.total > 0);
  assert.equal((await national.get('/api/audit?tu=32/13/2026')).status, 400);
  assert.equal((await national.get('/api/audit?viec=drop.table')).status, 400);
  // Paging: 50 a page, the second page continues the first.
  srv.sql(`INSERT INTO audit_log (at, user_id, action, entity, entity_id, ip)
    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 60)
    SELECT '2026-01-02T03:04:05Z', ${adminId}, 'logout', 'user', '${adminId}', '127.0.0.1' FROM k`);
  const p1 = await national.get('/api/audit'), p2 = await national.get('/api/audit?trang=2');
  assert.equal(p1.data.items.length, 50);
  assert.ok(p1.data.total > 50);
  assert.ok(p2.data.items[0].id < p1.data.items[49].id);
  // Exports keep the filters.
  const csv = await national.get('/quan-tri/nhat-ky?format=csv&viec=role.grant');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /Giao vai trò/);
  assert.doesNotMatch(csv.text, /Đăng nhập,/);
  const xlsx = await fetch(`${srv.url}/quan-tri/nhat-ky?format=xlsx`, { headers: { cookie: national.cookieHeader() } });
  assert.equal(xlsx.status, 200);
  assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
});

test('only the national admin reads the log', async () => {
  const email = `${uniq('qt')}@dxday.vn`;
  await national.post('/api/users', { json: { email, name: 'Quản trị tỉnh', password: 'mat-khau-can-bo-10', role: 'admin', org: 'nghe-an' } });
  const prov = await new OwnClient(srv.url).login(email, 'mat-khau-can-bo-10');
  assert.equal((await prov.get('/api/audit')).status, 403);
  assert.equal((await prov.get('/quan-tri/nhat-ky?format=csv')).status, 403);
  const officer = await new OwnClient(srv.url).login('nghean@dxday.vn', 'dxday-demo-2026');
  assert.equal((await officer.get('/api/audit')).status, 403);
});

test('a privacy notice, linked from sign-up and the footer', async () => {
  const c = new OwnClient(srv.url);
  const p = await c.get('/quyen-rieng-tu');
  assert.equal(p.status, 200);
  assert.match(p.text, /Nghị định 13\/2023\/NĐ-CP/);
  assert.match(p.text, /Xóa/);
  assert.equal((await c.get('/api/privacy')).status, 200);
  const signup = await c.get('/dang-ky');
  assert.match(signup.text, /<form[\s\S]*href="\/quyen-rieng-tu"[\s\S]*<\/form>/, 'sign-up names the notice beside its button');
  assert.match((await c.get('/')).text, /<footer[\s\S]*href="\/quyen-rieng-tu"/);
  const login = await c.get('/dang-nhap');
  assert.match(login.text, /href="\/quen-mat-khau">Quên mật khẩu\?/);
});
