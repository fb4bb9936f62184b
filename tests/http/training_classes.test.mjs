// Trainings for officials (issue 18), the classes: an officer or coordinator of the organising unit opens a class with
// sessions, trainers (approved experts of the network) and materials; every bad input is refused with a message and
// writes nothing; what each role may not do. On a server of the test's own (the engine of DXDAY_TEST_DB).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprints, OwnClient, SANITIZER_REPORT, changed, startServer } from './ownserver.mjs';
import { q, sqlOn } from './db.mjs';

const PW = 'dxday-demo-2026';
let srv, fp, sql, c = {}, ids = {};
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${++n}`;
const today = new Date(Date.now() + 7 * 3600e3);
const iso = (days) => new Date(today.getTime() + days * 86400e3).toISOString().slice(0, 10);
const vn = (s) => s.split('-').reverse().join('/');

function account(email, role, org) {
  const id = +sql(`INSERT INTO app_user (email, name, password_hash, active, created_at)
    SELECT ${q(email)}, 'Người dùng thử', password_hash, 1, '2026-01-01T00:00:00Z' FROM app_user WHERE email = 'nghean@dxday.vn' RETURNING id`);
  if (role) sql(`INSERT INTO user_role (user_id, role, org_id) VALUES (${id}, ${q(role)}, (SELECT id FROM org_unit WHERE code = ${q(org)}))`);
  return email;
}
function expert(name, status) {
  return +sql(`INSERT INTO expert (name, name_folded, status, created_at, updated_at)
    VALUES (${q(name)}, ${q(name.toLowerCase())}, ${q(status)}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING id`);
}
export const classBody = (over = {}) => ({
  title: uniq('Lớp kỹ năng số'), audience: 'officials', org: 'nghe-an', starts_on: iso(-2), ends_on: iso(1), place: 'Hội trường tỉnh',
  capacity: 20, min_sessions: 2,
  sessions: [{ starts_at: `${iso(-2)}T08:00`, topic: 'Buổi một' }, { starts_at: `${iso(-1)}T08:00`, topic: 'Buổi hai' },
             { starts_at: `${iso(1)}T08:00`, topic: 'Buổi ba' }],
  ...over,
});
const count = () => +sql('SELECT COUNT(*) FROM training');

before(async () => {
  srv = await startServer();
  sql = (s) => sqlOn(srv.db, s);
  fp = new Fingerprints(srv.db);
  ids.approved = expert(uniq('Chuyên gia duyệt'), 'approved');
  ids.pending = expert(uniq('Chuyên gia chờ'), 'pending');
  ids.paused = expert(uniq('Chuyên gia tạm dừng'), 'paused');
  c.officer = await new OwnClient(srv.url).login('nghean@dxday.vn', PW);
  c.coord = await new OwnClient(srv.url).login('dieuphoi@dxday.vn', PW);
  c.ht = await new OwnClient(srv.url).login(account(uniq('ht') + '@dxday.vn', 'officer', 'ha-tinh'), PW);
  c.mod = await new OwnClient(srv.url).login(account(uniq('mod') + '@dxday.vn', 'moderator', 'nghe-an'), PW);
  c.viewer = await new OwnClient(srv.url).login(account(uniq('xem') + '@dxday.vn', 'viewer', 'nghe-an'), PW);
  c.learner = await new OwnClient(srv.url).login(account(uniq('hv') + '@dxday.vn', null, null), PW);
  c.anon = await new OwnClient(srv.url).publicToken();
});

after(async () => {
  fp?.close();
  if (!srv) return;
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

test('an officer of the unit opens a class with sessions, an approved trainer and a course; it is listed and audited', async () => {
  const slug = sql("SELECT slug FROM course WHERE status = 'open' ORDER BY id LIMIT 1");
  const body = classBody({ trainers: [ids.approved], courses: [slug] });
  const r = await c.officer.post('/api/trainings', { json: body });
  assert.equal(r.status, 201, r.text);
  const id = r.data.id;
  const t = (await c.anon.get(`/api/trainings/${id}`)).data.training;
  assert.equal(t.title, body.title);
  assert.equal(t.session_list.length, 3);
  assert.deepEqual(t.session_list.map((s) => s.happened), [true, true, false]);
  assert.deepEqual(t.trainers.map((e) => e.id), [ids.approved]);
  assert.equal(t.materials[0].course_slug, slug);
  assert.equal(t.audience_label, 'Cán bộ, công chức');
  assert.equal(+sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'training.create' AND entity_id = ${q(String(id))}`), 1);
  const list = await c.anon.get('/api/trainings');
  assert.ok(list.data.items.some((x) => x.id === id));
  const page = await c.anon.get(`/tap-huan/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(body.title));
  assert.match(page.text, new RegExp(vn(iso(-2))));
  // The centre's coordinator may open one for any unit under it.
  assert.equal((await c.coord.post('/api/trainings', { json: classBody({ org: 'ha-tinh' }) })).status, 201);
});

test('the HTML form opens a class and lands on its organiser page', async () => {
  const page = await c.officer.get('/tap-huan/moi');
  assert.equal(page.status, 200);
  assert.match(page.text, /name="sessions"/);
  const title = uniq('Lớp từ biểu mẫu');
  const r = await c.officer.post('/tap-huan', { form: { csrf: c.officer.csrf, title, audience: 'leaders', org: 'nghe-an', starts_on: vn(iso(3)), ends_on: vn(iso(4)),
    sessions: `${vn(iso(3))} 08:00 Khai giảng\n${vn(iso(4))} 14:00 Bế giảng`, capacity: '5', place: 'Vinh', [`trainer_${ids.approved}`]: 'on' } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.match(r.location, /^\/tap-huan\/\d+\/quan-ly$/);
  const id = +r.location.split('/')[2];
  const t = (await c.officer.get(`/api/trainings/${id}`)).data.training;
  assert.deepEqual(t.session_list.map((s) => s.starts_at), [`${iso(3)}T08:00`, `${iso(4)}T14:00`]);
  assert.equal(t.min_sessions, 2, 'every session by default');
  assert.equal(t.trainers.length, 1);
  assert.equal((await c.officer.get(`/tap-huan/${id}/quan-ly`)).status, 200);
});

test('each bad input is refused with its field and writes nothing', async () => {
  const bad = [
    [{ title: '' }, 'title'], [{ title: 'x'.repeat(201) }, 'title'], [{ audience: 'citizens' }, 'audience'],
    [{ org: 'khong-co-don-vi' }, 'org'], [{ starts_on: '31/02/2026' }, 'starts_on'], [{ ends_on: iso(-5) }, 'ends_on'],
    [{ place: '', online_url: '' }, 'place'], [{ place: '', online_url: 'javascript:alert(1)' }, 'online_url'],
    [{ capacity: 0 }, 'capacity'], [{ capacity: 'mười' }, 'capacity'], [{ capacity: 10001 }, 'capacity'],
    [{ sessions: [] }, 'sessions'], [{ sessions: [{ starts_at: 'ngày mai' }] }, 'sessions'],
    [{ sessions: [{ starts_at: `${iso(9)}T08:00` }] }, 'sessions'], [{ sessions: [{ starts_at: `${iso(0)}T25:00` }] }, 'sessions'],
    [{ min_sessions: 4 }, 'min_sessions'], [{ min_sessions: 0 }, 'min_sessions'],
    [{ trainers: [ids.pending] }, 'trainers'], [{ trainers: [ids.paused] }, 'trainers'], [{ trainers: [999999] }, 'trainers'],
    [{ trainers: ['mot'] }, 'trainers'], [{ courses: ['khong-co-khoa-nay'] }, 'courses'],
  ];
  const before0 = await fp.take();
  for (const [over, field] of bad) {
    const r = await c.officer.post('/api/trainings', { json: classBody(over) });
    assert.equal(r.status, 422, `${JSON.stringify(over)}: ${r.text}`);
    assert.ok(r.data.error, 'a message');
    assert.ok(r.data.fields?.[field], `${JSON.stringify(over)} names ${field}: ${r.text}`);
  }
  assert.deepEqual(changed(before0, await fp.take()), [], 'nothing written');
});

test('who may not open a class: another province, a moderator, a viewer, a learner, the public', async () => {
  const n0 = count();
  assert.equal((await c.ht.post('/api/trainings', { json: classBody() })).status, 403, 'Hà Tĩnh officer for Nghệ An');
  assert.equal((await c.officer.post('/api/trainings', { json: classBody({ org: 'ha-tinh' }) })).status, 403, 'Nghệ An officer for Hà Tĩnh');
  assert.equal((await c.mod.post('/api/trainings', { json: classBody() })).status, 403, 'moderator');
  assert.equal((await c.viewer.post('/api/trainings', { json: classBody() })).status, 403, 'viewer');
  assert.ok([401, 403].includes((await c.learner.post('/api/trainings', { json: classBody() })).status), 'learner');
  assert.ok([401, 403].includes((await c.anon.post('/api/trainings', { json: classBody() })).status), 'public');
  assert.equal((await c.learner.get('/tap-huan/moi')).status, 403);
  assert.equal(count(), n0);
});

test('file materials: the organiser uploads, a signed-in user downloads; others may not upload', async () => {
  const id = (await c.officer.post('/api/trainings', { json: classBody() })).data.id;
  const fd = () => { const f = new FormData(); f.append('title', 'Tài liệu buổi một'); f.append('file', new Blob([Buffer.from('Nội dung tài liệu tập huấn.\n')], { type: 'text/plain' }), 'tai-lieu.txt'); return f; };
  const up = await c.officer.post(`/api/trainings/${id}/materials`, { raw: fd() });
  assert.equal(up.status, 201, up.text);
  const t = (await c.anon.get(`/api/trainings/${id}`)).data.training;
  const m = t.materials.find((x) => x.kind === 'file');
  assert.equal(m.title, 'Tài liệu buổi một');
  const got = await c.learner.get(`/tap-huan/${id}/tai-lieu/${m.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.text, 'Nội dung tài liệu tập huấn.\n');
  assert.equal(got.headers.get('content-type'), 'application/octet-stream');
  assert.ok([401, 403, 303].includes((await c.anon.get(`/tap-huan/${id}/tai-lieu/${m.id}`)).status), 'not for the public');
  assert.equal((await c.learner.get(`/tap-huan/${id}/tai-lieu/99999`)).status, 404);
  const before0 = await fp.take();
  assert.equal((await c.ht.post(`/api/trainings/${id}/materials`, { raw: fd() })).status, 403);
  assert.equal((await c.mod.post(`/api/trainings/${id}/materials`, { raw: fd() })).status, 403);
  assert.equal((await c.officer.post(`/api/trainings/${id}/materials`, { raw: new FormData() })).status, 422);
  assert.deepEqual(changed(before0, await fp.take()), []);
  assert.equal((await c.anon.get('/api/trainings/999999')).status, 404);
});
