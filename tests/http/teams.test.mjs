// Community Digital Technology Teams as data: who reads which team (scope, 404 out of it), search without diacritics,
// filters, paging and counts; who writes (officer, coordinator, admin on the unit or above; the centre everywhere) with
// an audit entry; bad input answered per field with nothing written; members and their accounts; the roster upload's
// preview and confirmation; what a team member may not do. Runs on a server of its own (tests/http/ownserver.mjs), on
// the suite's engine (DXDAY_TEST_DB: a SQLite path or a postgresql:// URL).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprints, OwnClient, SANITIZER_REPORT, changed, startServer } from './ownserver.mjs';
import { sqlOn, q } from './db.mjs';

let srv, fp, c = {};
const PW = 'mat-khau-to-cns-1';
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${++n}`;
const sql = (s) => sqlOn(srv.db, s);
const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
const teamId = (name) => +sql(`SELECT id FROM cdt_team WHERE name = ${q(name)}`);
const T1 = 'Tổ công nghệ số cộng đồng phường Trường Vinh';
const TYU = 'Đội thanh niên tình nguyện hỗ trợ chuyển đổi số Tỉnh đoàn Nghệ An';

// A signed-in account holding role on org. The admin pages grant no 'viewer' (a role some pages read): that one is
// written as the role row.
async function account(role, org) {
  const email = `${uniq(role.replace('_', '-'))}@dxday.vn`;
  const r = await c.admin.post('/api/users', { json: { email, name: `Thử ${role} ${org}`, password: PW, role: role === 'viewer' ? 'moderator' : role, org } });
  assert.equal(r.status, 201, r.text);
  if (role === 'viewer') sql(`UPDATE user_role SET role = 'viewer' WHERE user_id = ${r.data.id}`);
  return new OwnClient(srv.url).login(email, PW);
}

// The request writes nothing at all: every table's content is the same after it.
async function writesNothing(what, send) {
  const before = await fp.take();
  const r = await send();
  assert.deepEqual(changed(before, await fp.take()), [], `${what} wrote something (${r.status} ${r.text.slice(0, 200)})`);
  return r;
}

function roster(text, name = 'danh-sach.csv') {
  const fd = new FormData();
  fd.append('file', new Blob([Buffer.from(text)], { type: 'text/csv' }), name);
  return { raw: fd };
}

before(async () => {
  srv = await startServer();
  fp = new Fingerprints(srv.db);
  c.admin = await new OwnClient(srv.url).login('admin@dxday.vn', 'dxday-admin-2026');
  c.centre = await new OwnClient(srv.url).login('dieuphoi@dxday.vn', 'dxday-demo-2026');
  c.nghean = await new OwnClient(srv.url).login('nghean@dxday.vn', 'dxday-demo-2026');
  c.doan = await new OwnClient(srv.url).login('doan.nghean@dxday.vn', 'dxday-demo-2026');
  c.member = await new OwnClient(srv.url).login('tocns@dxday.vn', 'dxday-demo-2026');
  c.thanhhoa = await account('officer', 'thanh-hoa');
  c.mod = await account('moderator', 'nghe-an');
  c.viewer = await account('viewer', 'nghe-an');
  c.wardAdmin = await account('admin', 'demo-vinh-2');
  c.learner = await new OwnClient(srv.url).login('hocvien@dxday.vn', 'dxday-demo-2026');
});

after(async () => {
  if (!srv) return;
  fp?.close();
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

test('demo data: five teams with 4–8 members, one of the Youth Union, and tocns@dxday.vn linked to a member of the first', () => {
  const rows = sql(`SELECT o.code, t.active, (SELECT COUNT(*) FROM cdt_member m WHERE m.team_id = t.id) FROM cdt_team t
                    JOIN org_unit o ON o.id = t.org_id ORDER BY t.id`).split('\n').map((l) => l.split('|'));
  assert.ok(rows.length >= 5, rows.join(' '));
  assert.deepEqual(rows.map((r) => r[0]).slice(0, 5), ['demo-vinh-1', 'demo-vinh-2', 'demo-vinh-3', 'demo-vinh-5', 'doan-nghe-an']);
  for (const r of rows.slice(0, 5)) assert.ok(+r[2] >= 4 && +r[2] <= 8, `members of ${r[0]}: ${r[2]}`);
  assert.equal(sql(`SELECT t.name || '|' || ur.role || '|' || o.code FROM cdt_member m JOIN cdt_team t ON t.id = m.team_id
                    JOIN app_user u ON u.id = m.user_id JOIN user_role ur ON ur.user_id = u.id JOIN org_unit o ON o.id = ur.org_id
                    WHERE u.email = 'tocns@dxday.vn'`), `${T1}|team_member|demo-vinh-1`);
});

test('scope: the centre sees every team, a province the teams below it, the Youth Union its own; others answer 404', async () => {
  const names = async (cl, qs = '') => (await cl.get('/api/teams?limit=500' + qs)).data.items.map((t) => t.name);
  const all = await names(c.centre);
  assert.ok(all.includes(T1) && all.includes(TYU), all.join(', '));
  const na = await names(c.nghean);
  assert.ok(na.includes(T1) && !na.includes(TYU), 'Nghệ An province does not cover the provincial Youth Union: ' + na.join(', '));
  assert.deepEqual(await names(c.doan), [TYU]);
  assert.deepEqual(await names(c.thanhhoa), []);
  assert.ok((await names(c.viewer)).includes(T1), 'a viewer of Nghệ An reads its teams');
  const yu = teamId(TYU), t1 = teamId(T1);
  for (const [who, cl, id] of [['Nghệ An on the Youth Union team', c.nghean, yu], ['Thanh Hóa', c.thanhhoa, t1], ['a moderator', c.mod, t1]]) {
    assert.equal((await cl.get(`/api/teams/${id}`)).status, 404, who);
    assert.equal((await cl.get(`/to-cong-nghe-so/${id}`)).status, 404, who + ' (page)');
  }
  assert.equal((await c.centre.get('/api/teams/99999999')).status, 404);
  assert.equal((await c.centre.get('/api/teams/abc')).status, 404);
  const learner = await c.learner.get('/api/teams');
  assert.ok([401, 403].includes(learner.status), `a learner with no role: ${learner.status}`);
  const anon = await new OwnClient(srv.url).get('/api/teams');
  assert.equal(anon.status, 401);
});

test('search without diacritics, filters by unit and state, paging and counts', async () => {
  const find = async (qs) => (await c.nghean.get('/api/teams?' + qs)).data;
  assert.deepEqual((await find('q=truong%20vinh')).items.map((t) => t.name), [T1]);
  assert.deepEqual((await find('q=' + encodeURIComponent('TRƯỜNG VINH'))).items.map((t) => t.name), [T1]);
  assert.deepEqual((await find('q=' + encodeURIComponent('truong vinh'.normalize('NFD')))).items.map((t) => t.name), [T1]);
  assert.equal((await find('q=khong%20co%20to%20nao')).total, 0);
  assert.deepEqual((await find('org=demo-vinh-2')).items.map((t) => t.org_code), ['demo-vinh-2']);
  const off = await find('active=0');
  assert.ok(off.items.length >= 1 && off.items.every((t) => t.active === 0), JSON.stringify(off.items));
  const everything = await find('limit=500');
  const members = +sql(`SELECT COUNT(*) FROM cdt_member m JOIN cdt_team t ON t.id = m.team_id JOIN org_unit o ON o.id = t.org_id
                        WHERE m.active = 1 AND o.path LIKE (SELECT path FROM org_unit WHERE code = 'nghe-an') || '%'`);
  assert.equal(everything.total, everything.items.length);
  assert.equal(everything.members, members);
  assert.equal(everything.active, everything.items.filter((t) => t.active === 1).length);
  const p1 = await find('limit=2&offset=0'), p2 = await find('limit=2&offset=2');
  assert.equal(p1.items.length, 2);
  assert.equal(p1.total, everything.total, 'counts cover every match, not the page');
  assert.deepEqual([...p1.items, ...p2.items].map((t) => t.id), everything.items.slice(0, 4).map((t) => t.id));
  for (const bad of ['org=khong-co-don-vi', 'active=2', 'limit=0', 'limit=501', 'offset=-1'])
    assert.equal((await c.nghean.get('/api/teams?' + bad)).status, 400, bad);
  const unit = await c.nghean.get('/api/orgs/nghe-an/teams?limit=500');
  assert.equal(unit.status, 200);
  assert.equal(unit.data.unit.code, 'nghe-an');
  assert.equal(unit.data.total, everything.total, "a unit's page holds its subtree's teams");
  assert.deepEqual((await c.nghean.get('/api/orgs/demo-vinh-1/teams')).data.items.map((t) => t.name), [T1]);
  assert.equal((await c.nghean.get('/api/orgs/khong-co-don-vi/teams')).status, 404);
  const page = await c.nghean.get('/to-cong-nghe-so?q=truong+vinh');
  assert.equal(page.status, 200);
  assert.match(page.text, /Tổ công nghệ số cộng đồng phường Trường Vinh/);
  assert.match(page.text, /thành viên/);
  assert.equal((await c.nghean.get('/don-vi/demo-vinh-1/to-cong-nghe-so')).status, 200);
});

test('a team page: unit, leader, contact, members with role and origin in Vietnamese; edit links only for who may edit', async () => {
  const id = teamId(T1);
  const j = (await c.nghean.get(`/api/teams/${id}`)).data.team;
  assert.equal(j.org_code, 'demo-vinh-1');
  assert.equal(j.leader_name, 'Nguyễn Thị Lan');
  assert.equal(j.can_edit, true);
  const lead = j.members.find((m) => m.team_role === 'leader');
  assert.equal(lead.team_role_label, 'Tổ trưởng');
  assert.equal(lead.origin_label, 'Cán bộ xã, phường');
  const page = await c.nghean.get(`/to-cong-nghe-so/${id}`);
  assert.match(page.text, /Tổ trưởng/);
  assert.match(page.text, /Công an/);
  assert.match(page.text, /Đang hoạt động/);
  assert.match(page.text, new RegExp(`/to-cong-nghe-so/${id}/sua`));
  for (const [who, cl] of [['the team member', c.member], ['a viewer', c.viewer]]) {
    const p = await cl.get(`/to-cong-nghe-so/${id}`);
    assert.equal(p.status, 200, who);
    assert.doesNotMatch(p.text, /\/sua"|thanh-vien"|danh-sach"/, `${who} sees no edit link`);
    assert.equal((await cl.get(`/api/teams/${id}`)).data.team.can_edit, false, who);
  }
});

test('create and edit a team: officer of the province, admin of the ward, the centre; each write with its audit entry', async () => {
  const name = uniq('Tổ CNS thử');
  const r = await c.nghean.post('/api/teams', { json: { org: 'demo-vinh-6', name, leader_name: 'Lê Văn Tổ', contact: '0912 111 222', founded_on: '15/09/2024' } });
  assert.equal(r.status, 201, r.text);
  const id = r.data.id;
  assert.equal(r.data.team.founded_on, '2024-09-15');
  assert.equal(sql(`SELECT action FROM audit_log WHERE entity = 'team' AND entity_id = '${id}'`), 'team.create');
  const e = await c.nghean.post(`/api/teams/${id}`, { json: { contact: 'to.cns@demo.dxday.vn', active: '0' } });
  assert.equal(e.status, 200, e.text);
  assert.equal(e.data.team.contact, 'to.cns@demo.dxday.vn');
  assert.equal(e.data.team.active, 0);
  assert.equal(e.data.team.name, name, 'fields not sent stay');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'team.update' AND entity_id = '${id}'`), '1');
  // The admin of one ward manages that ward's teams, not the next ward's.
  const w = await c.wardAdmin.post('/api/teams', { json: { org: 'demo-vinh-2', name: uniq('Tổ phường'), founded_on: '2024-09-01' } });
  assert.equal(w.status, 201, w.text);
  assert.equal((await c.wardAdmin.post(`/api/teams/${id}`, { json: { name: 'Đổi tên' } })).status, 403);
  // The centre everywhere, the Youth Union's team included.
  const yu = teamId(TYU);
  const cy = await c.centre.post(`/api/teams/${yu}`, { json: { leader_name: 'Nguyễn Đức Anh' } });
  assert.equal(cy.status, 200, cy.text);
  const yuNew = await c.doan.post('/api/teams', { json: { org: 'doan-nghe-an', name: uniq('Đội hình thanh niên'), founded_on: '2025-03-26' } });
  assert.equal(yuNew.status, 201, 'the Youth Union branch keeps teams of its own: ' + yuNew.text);
  // The HTML form: a redirect to the team's page.
  const f = await c.nghean.post('/to-cong-nghe-so', { form: { org: 'demo-vinh-6', name: uniq('Tổ từ biểu mẫu'), founded_on: '01/10/2024', active: '1' } });
  assert.equal(f.status, 303, f.text.slice(0, 200));
  assert.match(f.location, /^\/to-cong-nghe-so\/\d+$/);
  const bad = await c.nghean.post('/to-cong-nghe-so', { form: { org: 'demo-vinh-6', name: '', founded_on: 'hôm qua' } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Cần tên tổ/);
  assert.match(bad.text, /Ngày thành lập không hợp lệ/);
});

test('bad input: 422 (or 409) per field in Vietnamese, and nothing is written', async () => {
  const existing = teamId(T1);
  const cases = [
    ['empty name', { org: 'demo-vinh-6', name: '  ', founded_on: '2024-09-01' }, 422, 'name', /tên tổ/i],
    ['no name', { org: 'demo-vinh-6', founded_on: '2024-09-01' }, 422, 'name', /tên tổ/i],
    ['unknown unit', { org: 'khong-co-don-vi', name: 'Tổ A', founded_on: '2024-09-01' }, 422, 'org', /Không tìm thấy đơn vị/],
    ['a province is no team unit', { org: 'nghe-an', name: 'Tổ A', founded_on: '2024-09-01' }, 422, 'org', /xã, phường/],
    ['founded in the future', { org: 'demo-vinh-6', name: 'Tổ A', founded_on: '2099-01-01' }, 422, 'founded_on', /sau hôm nay/],
    ['founded tomorrow', { org: 'demo-vinh-6', name: 'Tổ A', founded_on: new Date(Date.now() + 7 * 3600e3 + 86400e3).toISOString().slice(0, 10) }, 422, 'founded_on', /sau hôm nay/],
    ['not a date', { org: 'demo-vinh-6', name: 'Tổ A', founded_on: '31/02/2024' }, 422, 'founded_on', /không hợp lệ/],
    ['no date', { org: 'demo-vinh-6', name: 'Tổ A' }, 422, 'founded_on', /Cần ngày thành lập/],
    ['the same name in the unit', { org: 'demo-vinh-1', name: T1, founded_on: '2024-09-01' }, 409, 'name', /cùng tên/],
    ['the same name without diacritics', { org: 'demo-vinh-1', name: 'TO CONG NGHE SO CONG DONG PHUONG TRUONG VINH', founded_on: '2024-09-01' }, 409, 'name', /cùng tên/],
    ['active neither 0 nor 1', { org: 'demo-vinh-6', name: 'Tổ A', founded_on: '2024-09-01', active: 'có' }, 422, 'active', /1 hoặc 0/],
  ];
  for (const [what, body, status, field, msg] of cases) {
    const r = await writesNothing(what, () => c.nghean.post('/api/teams', { json: body }));
    assert.equal(r.status, status, `${what}: ${r.text}`);
    assert.match(r.data.fields[field], msg, what);
  }
  const other = await c.nghean.post('/api/teams', { json: { org: 'demo-vinh-2', name: uniq('Tổ khác'), founded_on: '2024-09-01' } });
  assert.equal(other.status, 201);
  const r = await writesNothing('renaming onto a taken name', () => c.nghean.post(`/api/teams/${other.data.id}`, { json: { org: 'demo-vinh-1', name: T1 } }));
  assert.equal(r.status, 409, r.text);
  const m = await writesNothing('a future date on edit', () => c.nghean.post(`/api/teams/${existing}`, { json: { founded_on: '2099-12-31' } }));
  assert.equal(m.status, 422);
});

test('who may not write: another province, a moderator, a viewer, a learner, the public: refused, nothing written', async () => {
  const id = teamId(T1), mid = +sql(`SELECT MIN(id) FROM cdt_member WHERE team_id = ${id}`);
  const anon = await new OwnClient(srv.url).publicToken();
  const writes = [
    ['create', '/api/teams', { org: 'demo-vinh-1', name: uniq('Tổ lạ'), founded_on: '2024-09-01' }],
    ['update', `/api/teams/${id}`, { name: uniq('Đổi tên') }],
    ['add a member', `/api/teams/${id}/members`, { name: 'Người lạ' }],
    ['edit a member', `/api/teams/${id}/members/${mid}`, { active: '0' }],
    ['a member account', `/api/teams/${id}/members/${mid}/account`, { email: `${uniq('la')}@dxday.vn`, password: PW }],
    ['a roster', `/api/teams/${id}/roster`, null],
  ];
  for (const [who, cl, codes] of [['Thanh Hóa', c.thanhhoa, [403]], ['a moderator', c.mod, [403]], ['a viewer', c.viewer, [403]],
                                  ['the team member', c.member, [403]], ['a learner', c.learner, [403]], ['the public', anon, [401]]])
    for (const [what, path, body] of writes) {
      const r = await writesNothing(`${who}: ${what}`, () => cl.post(path, body ? { json: body } : roster('Họ và tên\nNguyễn Văn Lạ\n')));
      assert.ok(codes.includes(r.status), `${who}: ${what}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  // The Youth Union's team is not Nghệ An province's to write.
  const r = await writesNothing('Nghệ An on the Youth Union', () => c.nghean.post(`/api/teams/${teamId(TYU)}`, { json: { contact: 'x' } }));
  assert.equal(r.status, 403);
  // Moving a team to a unit outside the writer's scope.
  const mv = await writesNothing('moving to Thanh Hóa', () => c.nghean.post(`/api/teams/${id}`, { json: { org: 'doan-thanh-hoa' } }));
  assert.equal(mv.status, 403);
  assert.equal((await c.nghean.post('/api/teams/99999999', { json: { name: 'x' } })).status, 404);
  assert.equal((await c.nghean.post(`/api/teams/${id}/members/99999999`, { json: { name: 'x' } })).status, 404);
});

test('members: NFD stored as NFC, Vietnamese roles and origins, phones normalised, bad fields 422, deactivation', async () => {
  const id = teamId(T1);
  const nfd = 'Nguyễn Thị Hằng Thử'.normalize('NFD');
  assert.notEqual(nfd, nfd.normalize('NFC'));
  const r = await c.nghean.post(`/api/teams/${id}/members`, { json: { name: nfd, team_role: 'to pho', origin: 'Bưu điện'.normalize('NFD'), phone: '+84 (0) 98 765 4321'.replace(' (0)', ''), email: 'Hang.Thu@Demo.DXDAY.vn' } });
  assert.equal(r.status, 201, r.text);
  const mid = r.data.id;
  assert.equal(sql(`SELECT name || '|' || team_role || '|' || origin || '|' || phone || '|' || email FROM cdt_member WHERE id = ${mid}`),
    `${'Nguyễn Thị Hằng Thử'.normalize('NFC')}|deputy|post|+84987654321|hang.thu@demo.dxday.vn`);
  assert.equal(sql(`SELECT COUNT(*) FROM cdt_member WHERE id = ${mid} AND name = ${q('Nguyễn Thị Hằng Thử'.normalize('NFC'))}`), '1');
  assert.equal(sql(`SELECT action FROM audit_log WHERE action = 'team.member_add' AND entity_id = '${id}' ORDER BY id DESC LIMIT 1`), 'team.member_add');
  const bad = [
    [{ name: '' }, 'name'], [{ name: 'A', team_role: 'chủ tịch' }, 'team_role'], [{ name: 'A', origin: 'ngân hàng' }, 'origin'],
    [{ name: 'A', phone: '024 3825 1234' }, 'phone'], [{ name: 'A', phone: 'gọi tôi' }, 'phone'], [{ name: 'A', email: 'khong-phai-email' }, 'email'],
    [{ name: 'A', phone: '0987654321' }, 'phone'],   // already the phone of an active member of the team
  ];
  for (const [body, field] of bad) {
    const b = await writesNothing(JSON.stringify(body), () => c.nghean.post(`/api/teams/${id}/members`, { json: body }));
    assert.equal(b.status, 422, JSON.stringify(body) + b.text);
    assert.ok(b.data.fields[field], `${field} in ${b.text}`);
  }
  const before = (await c.nghean.get(`/api/teams?org=demo-vinh-1`)).data.members;
  const off = await c.nghean.post(`/api/teams/${id}/members/${mid}`, { json: { active: '0' } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.data.member.active, 0);
  assert.equal(off.data.member.name, 'Nguyễn Thị Hằng Thử'.normalize('NFC'), 'fields not sent stay');
  assert.equal((await c.nghean.get(`/api/teams?org=demo-vinh-1`)).data.members, before - 1);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'team.member_deactivate' AND entity_id = '${id}'`), '1');
  const page = await c.nghean.get(`/to-cong-nghe-so/${id}`);
  assert.match(page.text, /Đã nghỉ/);
  // A member of another team is not this team's.
  const other = +sql(`SELECT MIN(id) FROM cdt_member WHERE team_id = ${teamId('Tổ công nghệ số cộng đồng phường Thành Vinh')}`);
  assert.equal((await writesNothing('a member through another team', () => c.nghean.post(`/api/teams/${id}/members/${other}`, { json: { active: '0' } }))).status, 404);
});

test('member accounts: a new account or an existing one linked, with team_member on the team unit only', async () => {
  const id = teamId(T1);
  const add = await c.nghean.post(`/api/teams/${id}/members`, { json: { name: 'Đoàn Văn Tài Khoản', origin: 'youth_union' } });
  const mid = add.data.id;
  const email = `${uniq('thanh-vien')}@dxday.vn`;
  const none = await writesNothing('no password for a new account', () => c.nghean.post(`/api/teams/${id}/members/${mid}/account`, { json: { email } }));
  assert.equal(none.status, 422);
  assert.ok(none.data.fields.password);
  const r = await c.nghean.post(`/api/teams/${id}/members/${mid}/account`, { json: { email, password: PW } });
  assert.equal(r.status, 201, r.text);
  assert.equal(sql(`SELECT ur.role || '|' || o.code FROM user_role ur JOIN org_unit o ON o.id = ur.org_id JOIN app_user u ON u.id = ur.user_id WHERE u.email = ${q(email)}`),
    'team_member|demo-vinh-1');
  assert.equal(+sql(`SELECT user_id FROM cdt_member WHERE id = ${mid}`), r.data.user_id);
  assert.ok(+sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'team.member_account' AND entity_id = '${id}'`) >= 1);
  const again = await writesNothing('an account twice', () => c.nghean.post(`/api/teams/${id}/members/${mid}/account`, { json: { email, password: PW } }));
  assert.equal(again.status, 409);
  const mine = await new OwnClient(srv.url).login(email, PW);
  assert.deepEqual((await mine.get('/api/teams')).data.items.map((t) => t.id), [id]);
  // An existing account is linked by its e-mail, with no password.
  const add2 = await c.nghean.post(`/api/teams/${id}/members`, { json: { name: 'Lê Thị Thu Hà', email: 'hocvien@dxday.vn' } });
  const linked = await c.nghean.post(`/api/teams/${id}/members/${add2.data.id}/account`, { json: {} });
  assert.equal(linked.status, 200, linked.text);
  assert.equal(linked.data.created, false);
  assert.deepEqual((await c.learner.get('/api/teams')).data.items.map((t) => t.id), [id]);
  // A deactivated member no longer reads the team, nor holds the role: no entry can be logged for the unit.
  const role = (mail) => +sql(`SELECT COUNT(*) FROM user_role ur JOIN app_user u ON u.id = ur.user_id WHERE u.email = ${q(mail)} AND ur.role = 'team_member'`);
  await c.nghean.post(`/api/teams/${id}/members/${add2.data.id}`, { json: { active: '0' } });
  assert.equal((await c.learner.get(`/api/teams/${id}`)).status, 403, 'a learner again, with no role for the team pages');
  assert.equal(role('hocvien@dxday.vn'), 0, 'the role goes with the membership');
  const entry = { client_id: uniq('sau-nghi'), team_id: id, day: new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10), people: 2, services: ['vneid'] };
  assert.equal((await c.learner.post('/api/guidance', { json: entry })).status, 403);
  await c.nghean.post(`/api/teams/${id}/members/${add2.data.id}`, { json: { active: '1' } });
  assert.equal(role('hocvien@dxday.vn'), 1, 'back with the membership');
  // A team made inactive takes its members' roles with it.
  assert.equal(role(email), 1);
  const t = (await c.nghean.get(`/api/teams/${id}`)).data.team;
  const off = await c.nghean.post(`/api/teams/${id}`, { json: { active: '0' } });
  assert.ok(off.status < 300, off.text);
  assert.equal(role(email), 0);
  assert.ok((await c.nghean.post(`/api/teams/${id}`, { json: { active: '1' } })).status < 300);
  assert.equal(role(email), 1);
  assert.ok(t);
});

test('a team member reads their own team and may not edit it, see other teams, grant roles or create teams', async () => {
  const id = teamId(T1);
  const list = await c.member.get('/api/teams');
  assert.deepEqual(list.data.items.map((t) => t.id), [id], 'only their own team, not the other teams of the province');
  assert.equal(list.data.can_create, false);
  assert.equal((await c.member.get(`/api/teams/${id}`)).status, 200);
  assert.equal((await c.member.get(`/to-cong-nghe-so/${id}`)).status, 200);
  const other = teamId('Tổ công nghệ số cộng đồng phường Thành Vinh');
  assert.equal((await c.member.get(`/api/teams/${other}`)).status, 404);
  assert.deepEqual((await c.member.get('/api/orgs/nghe-an/teams')).data.items.map((t) => t.id), [id]);
  assert.equal((await c.member.get(`/to-cong-nghe-so/${id}/sua`)).status, 403);
  assert.equal((await c.member.get(`/to-cong-nghe-so/${id}/danh-sach`)).status, 403);
  assert.equal((await c.member.get('/to-cong-nghe-so/moi')).status, 403);
  const uid = +sql("SELECT id FROM app_user WHERE email = 'tocns@dxday.vn'");
  const grants = [
    ['a new account', '/api/users', { email: `${uniq('moi')}@dxday.vn`, name: 'Người mới', password: PW, role: 'team_member', org: 'demo-vinh-1' }],
    ['a role for oneself', `/api/users/${uid}/roles`, { role: 'officer', org: 'demo-vinh-1' }],
    ['an account for another member', `/api/teams/${id}/members/${+sql(`SELECT MAX(id) FROM cdt_member WHERE team_id = ${id} AND user_id IS NULL`)}/account`, { email: `${uniq('khac')}@dxday.vn`, password: PW }],
  ];
  for (const [what, path, body] of grants) {
    const r = await writesNothing(what, () => c.member.post(path, { json: body }));
    assert.ok([403, 404].includes(r.status), `${what}: ${r.status} ${r.text}`);
  }
});

test('roster upload: a preview with per-cell errors; one bad row saves nothing and is named; the same person confirms', async () => {
  const id = (await c.nghean.post('/api/teams', { json: { org: 'demo-vinh-6', name: uniq('Tổ danh sách'), founded_on: '2024-09-01' } })).data.id;
  const bad = 'Ho va ten,Vai tro trong to,Xuat than/don vi,So dien thoai,Email\n' +
    'Nguyễn Văn Một,Tổ trưởng,Cán bộ xã,0912 345 001,mot@demo.dxday.vn\n' +
    'Trần Thị Hai,Tổ phó,Công an,01234,hai@demo.dxday.vn\n' +
    'Lê Văn Ba,Thư ký,Nhà báo,0912 345 003,ba-khong-email\n';
  const r = await writesNothing('a roster with bad rows', () => c.nghean.post(`/api/teams/${id}/roster`, roster(bad)));
  assert.equal(r.status, 422, r.text);
  assert.match(r.data.error, /dòng 3, 4/);
  const rows = r.data.fields.rows;
  assert.equal(rows.find((x) => x.n === 2).bad, false);
  assert.match(rows.find((x) => x.n === 3).cells[3].error, /Số điện thoại/);
  const four = rows.find((x) => x.n === 4).cells;
  assert.ok(four[1].error && four[2].error && four[4].error, JSON.stringify(four));
  assert.equal(sql(`SELECT COUNT(*) FROM cdt_member WHERE team_id = ${id}`), '0');
  // Headers with diacritics, in NFD; roles and origins in words; a repeated phone is an error of its own.
  const dup = 'Họ và tên;Số điện thoại\nAn;0912 345 101\nBình;0912345101\n'.normalize('NFD');
  const d = await writesNothing('a repeated phone', () => c.nghean.post(`/api/teams/${id}/roster`, roster(dup)));
  assert.equal(d.status, 422);
  assert.match(d.data.fields.rows.find((x) => x.n === 3).cells[3].error, /dòng 2/);
  const head = await writesNothing('an unknown column', () => c.nghean.post(`/api/teams/${id}/roster`, roster('Họ và tên,Ngày sinh\nAn,1990\n')));
  assert.equal(head.status, 422);
  assert.match(head.data.fields.rows[0].errors[0], /Ngày sinh/);
  const good = ('\ufeffHọ và tên,Vai trò trong tổ,Xuất thân/đơn vị,Số điện thoại,Email\r\n' +
    'Nguyễn Văn Một,Tổ trưởng,Cán bộ phường,0912 345 001,Mot@Demo.dxday.vn\r\n' +
    'Trần Thị Hai,Tổ phó,Công an phường,+84 912 345 002,\r\n' +
    'Lê Văn Ba,Thành viên,Viettel,,\r\n' +
    'Phạm Thị Bốn,,Tình nguyện viên,,\r\n').normalize('NFD');
  const before = await fp.take();
  const p = await c.nghean.post(`/api/teams/${id}/roster`, roster(good));
  assert.equal(p.status, 200, p.text);
  assert.equal(p.data.check.ok, 4);
  assert.equal(sql(`SELECT COUNT(*) FROM cdt_member WHERE team_id = ${id}`), '0', 'a preview adds nobody');
  assert.deepEqual(changed(before, await fp.take()).filter((t) => !/^file_(blob|upload|content) /.test(t)),
    [], 'a preview keeps the file and nothing else');
  const sha = p.data.sha;
  assert.match(sha, /^[0-9a-f]{64}$/);
  const stranger = await writesNothing('another person confirming', () => c.centre.post(`/api/teams/${id}/roster`, { json: { sha } }));
  assert.equal(stranger.status, 404);
  const ok = await c.nghean.post(`/api/teams/${id}/roster`, { json: { sha } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(sql(`SELECT name || '|' || team_role || '|' || origin || '|' || COALESCE(phone, '') || '|' || COALESCE(email, '') FROM cdt_member WHERE team_id = ${id} ORDER BY id`),
    ['Nguyễn Văn Một|leader|commune_official|+84912345001|mot@demo.dxday.vn', 'Trần Thị Hai|deputy|police|+84912345002|',
     'Lê Văn Ba|member|telecom||', 'Phạm Thị Bốn|member|volunteer||'].join('\n'));
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'team.roster' AND entity_id = '${id}'`), '1');
  // The same file again: its phones are now the team's.
  const twice = await writesNothing('the same roster twice', () => c.nghean.post(`/api/teams/${id}/roster`, { json: { sha } }));
  assert.equal(twice.status, 422);
  const html = await c.nghean.post(`/to-cong-nghe-so/${id}/danh-sach`, roster(bad));
  assert.equal(html.status, 422);
  assert.match(html.text, /dòng có lỗi; chưa có gì được lưu/);
  const tpl = await c.nghean.get(`/to-cong-nghe-so/${id}/danh-sach/mau`);
  assert.equal(tpl.status, 200);
  assert.match(tpl.text, /Họ và tên,Vai trò trong tổ,Xuất thân\/đơn vị,Số điện thoại,Email/);
});
