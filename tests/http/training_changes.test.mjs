// Trainings for officials (issue 18), a class changed after it was announced: its organiser edits it (title, dates,
// sessions, place, capacity, trainers, threshold) or cancels it before it starts; nominees are told in the app (a
// notice each) and the change is audited; sessions already held cannot be moved (409); the class form keeps what was
// typed. What each role may not do. On a server of the test's own (the engine of DXDAY_TEST_DB).
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
const upcoming = (over = {}) => ({
  title: uniq('Lớp sắp tới'), audience: 'officials', org: 'nghe-an', starts_on: iso(5), ends_on: iso(6), place: 'Hội trường tỉnh',
  capacity: 3, min_sessions: 1, trainers: [ids.approved],
  sessions: [{ starts_at: `${iso(5)}T08:00`, topic: 'Buổi một' }, { starts_at: `${iso(6)}T08:00`, topic: 'Buổi hai' }], ...over,
});
const started = (over = {}) => upcoming({ starts_on: iso(-1), ends_on: iso(3),
  sessions: [{ starts_at: `${iso(-1)}T08:00`, topic: 'Đã học' }, { starts_at: `${iso(2)}T08:00`, topic: 'Sắp học' }], ...over });

async function open(body) {
  const r = await c.officer.post('/api/trainings', { json: body });
  assert.equal(r.status, 201, r.text);
  return r.data.id;
}
async function nominate(id, name, org = 'nghe-an', email) {
  const r = await c.officer.post(`/api/trainings/${id}/nominees`, { json: email ? { org, email } : { org, name } });
  assert.equal(r.status, 201, r.text);
}
async function refusedClean(what, send, statuses) {
  const before0 = await fp.take();
  const r = await send();
  assert.ok(statuses.includes(r.status), `${what}: expected ${statuses}, got ${r.status} ${r.text.slice(0, 200)}`);
  assert.deepEqual(changed(before0, await fp.take()), [], `${what} wrote nothing`);
  return r;
}

before(async () => {
  srv = await startServer();
  sql = (s) => sqlOn(srv.db, s);
  fp = new Fingerprints(srv.db);
  ids.approved = expert(uniq('Chuyên gia duyệt'), 'approved');
  ids.second = expert(uniq('Chuyên gia hai'), 'approved');
  ids.paused = expert(uniq('Chuyên gia tạm dừng'), 'paused');
  c.officer = await new OwnClient(srv.url).login('nghean@dxday.vn', PW);
  c.coord = await new OwnClient(srv.url).login('dieuphoi@dxday.vn', PW);
  ids.traineeEmail = account(uniq('hocvien') + '@dxday.vn', null, null);
  c.trainee = await new OwnClient(srv.url).login(ids.traineeEmail, PW);
  c.ht = await new OwnClient(srv.url).login(account(uniq('ht') + '@dxday.vn', 'officer', 'ha-tinh'), PW);
  c.viewer = await new OwnClient(srv.url).login(account(uniq('xem') + '@dxday.vn', 'viewer', 'nghe-an'), PW);
  c.learner = await new OwnClient(srv.url).login(account(uniq('hv') + '@dxday.vn', null, null), PW);
});

after(async () => {
  fp?.close();
  if (!srv) return;
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

test('the organiser edits a class before it starts; the nominees are told and the change is audited', async () => {
  const id = await open(upcoming());
  await nominate(id, 'Nguyễn Văn Một');
  await nominate(id, null, 'nghe-an', ids.traineeEmail);
  const body = upcoming({ title: uniq('Lớp đổi lịch'), starts_on: iso(7), ends_on: iso(8), place: 'Trường Chính trị tỉnh', capacity: 10,
    min_sessions: 2, trainers: [ids.second], sessions: [{ starts_at: `${iso(7)}T14:00`, topic: 'Mở đầu' }, { starts_at: `${iso(8)}T08:00`, topic: 'Kết thúc' }] });
  const r = await c.officer.post(`/api/trainings/${id}`, { json: body });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.told, 2, 'both nominees are told');
  const t = (await c.officer.get(`/api/trainings/${id}`)).data.training;
  assert.equal(t.title, body.title);
  assert.equal(t.place, 'Trường Chính trị tỉnh');
  assert.equal(t.capacity, 10);
  assert.equal(t.min_sessions, 2);
  assert.deepEqual(t.session_list.map((s) => s.starts_at), [`${iso(7)}T14:00`, `${iso(8)}T08:00`]);
  assert.deepEqual(t.trainers.map((x) => x.id), [ids.second]);
  assert.equal(+sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'training.update' AND entity_id = '${id}'`), 1);
  assert.equal(+sql(`SELECT COUNT(*) FROM training_notice WHERE training_id = ${id} AND kind = 'changed'`), 2);
  // The trainee (an account) and the nominating unit read it on /tap-huan.
  const mine = (await c.trainee.get('/api/trainings')).data.notices;
  assert.ok(mine.some((x) => x.training_id === id && /Trường Chính trị tỉnh/.test(x.message) && x.message.includes(vn(iso(7)))), JSON.stringify(mine));
  const page = await c.officer.get('/tap-huan');
  assert.match(page.text, /Thông báo thay đổi lớp/);
  assert.equal((await c.ht.get('/api/trainings')).data.notices.some((x) => x.training_id === id), false, 'another province is not told');
  // Only the capacity: nothing nominees need to hear.
  const r2 = await c.officer.post(`/api/trainings/${id}`, { json: { ...body, capacity: 12 } });
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.data.told, 0);
});

test('after it has started: held sessions stay (409), later ones move; it can no longer be cancelled', async () => {
  const id = await open(started());
  await nominate(id, 'Trần Thị Hai');
  const moved = started({ sessions: [{ starts_at: `${iso(-1)}T09:00`, topic: 'Đã học' }, { starts_at: `${iso(2)}T08:00`, topic: 'Sắp học' }] });
  const r = await refusedClean('moving a held session', () => c.officer.post(`/api/trainings/${id}`, { json: moved }), [409]);
  assert.match(r.data.error, /đã diễn ra/);
  assert.ok(r.data.fields.sessions);
  await refusedClean('dropping a held session', () => c.officer.post(`/api/trainings/${id}`, { json: started({ sessions: [{ starts_at: `${iso(2)}T08:00` }] }) }), [409]);
  await refusedClean('adding a session in the past', () => c.officer.post(`/api/trainings/${id}`, { json: started({ sessions: [
    { starts_at: `${iso(-1)}T08:00` }, { starts_at: `${iso(0)}T00:00` }, { starts_at: `${iso(2)}T08:00` }] }) }), [422]);
  await refusedClean('cancelling a started class', () => c.officer.post(`/api/trainings/${id}/cancel`, { json: { reason: 'Không đủ học viên.' } }), [409]);
  const held = sql(`SELECT id FROM training_session WHERE training_id = ${id} AND seq = 1`);
  const ok = await c.officer.post(`/api/trainings/${id}`, { json: started({ ends_on: iso(4), sessions: [{ starts_at: `${iso(-1)}T08:00`, topic: 'Đã học (đổi tên)' },
    { starts_at: `${iso(4)}T08:00`, topic: 'Dời sang ngày khác' }] }) });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(sql(`SELECT id || '|' || topic FROM training_session WHERE training_id = ${id} AND seq = 1`), `${held}|Đã học (đổi tên)`, 'the held session keeps its row');
  assert.deepEqual(sql(`SELECT starts_at FROM training_session WHERE training_id = ${id} ORDER BY seq`).split('\n'), [`${iso(-1)}T08:00`, `${iso(4)}T08:00`]);
});

test('bad edits are refused per field and write nothing', async () => {
  const id = await open(upcoming());
  await nominate(id, 'Lê Văn Ba');
  await nominate(id, 'Lê Văn Bốn');
  const bad = [[{ title: '' }, 'title', 422], [{ ends_on: iso(4) }, 'ends_on', 422], [{ capacity: 1 }, 'capacity', 409],
    [{ trainers: [ids.paused] }, 'trainers', 422], [{ min_sessions: 5 }, 'min_sessions', 422], [{ place: '', online_url: '' }, 'place', 422],
    [{ courses: ['ky-nang-so-co-ban'] }, 'courses', 422]];
  for (const [over, field, st] of bad) {
    const r = await refusedClean(JSON.stringify(over), () => c.officer.post(`/api/trainings/${id}`, { json: upcoming(over) }), [st]);
    assert.ok(r.data.fields?.[field], `${JSON.stringify(over)}: ${r.text}`);
  }
});

test('who may not edit or cancel a class', async () => {
  const id = await open(upcoming());
  for (const [who, cl] of [['another province', c.ht], ['a viewer of the unit', c.viewer], ['a learner', c.learner]]) {
    await refusedClean(`${who} editing`, () => cl.post(`/api/trainings/${id}`, { json: upcoming() }), [403]);
    await refusedClean(`${who} cancelling`, () => cl.post(`/api/trainings/${id}/cancel`, { json: { reason: 'Không đủ học viên.' } }), [403]);
  }
  await refusedClean('the public', () => new OwnClient(srv.url).post(`/api/trainings/${id}/cancel`, { json: { reason: 'Không đủ học viên.' } }), [401, 403]);
  await refusedClean('no such class', () => c.officer.post('/api/trainings/99999999/cancel', { json: { reason: 'Không đủ học viên.' } }), [404]);
  // The centre's coordinator acts for every unit below it: it may.
  assert.equal((await c.coord.post(`/api/trainings/${id}`, { json: upcoming({ capacity: 4 }) })).status, 200);
});

test('cancelling before the start: a reason, nominees told, nothing more nominated, edited or attended', async () => {
  const id = await open(upcoming());
  await nominate(id, 'Phạm Thị Năm');
  await refusedClean('no reason', () => c.officer.post(`/api/trainings/${id}/cancel`, { json: {} }), [422]);
  const r = await c.officer.post(`/api/trainings/${id}/cancel`, { json: { reason: 'Giảng viên bận đột xuất.' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.told, 1);
  assert.equal(+sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'training.cancel' AND entity_id = '${id}'`), 1);
  assert.match(sql(`SELECT message FROM training_notice WHERE training_id = ${id} AND kind = 'cancelled'`), /đã bị hủy.*Giảng viên bận/);
  const page = await c.officer.get(`/tap-huan/${id}`);
  assert.match(page.text, /Đã hủy/);
  await refusedClean('cancelling twice', () => c.officer.post(`/api/trainings/${id}/cancel`, { json: { reason: 'Lần nữa cho chắc.' } }), [409]);
  await refusedClean('editing a cancelled class', () => c.officer.post(`/api/trainings/${id}`, { json: upcoming() }), [409]);
  await refusedClean('nominating to a cancelled class', () => c.officer.post(`/api/trainings/${id}/nominees`, { json: { org: 'nghe-an', name: 'Người Sáu' } }), [409]);
});

test('the class form keeps what was typed and puts each error beside its field; the edit form too', async () => {
  const form = { title: uniq('Lớp gõ dở'), org: 'nghe-an', audience: 'leaders', starts_on: vn(iso(3)), ends_on: vn(iso(2)),
    sessions: `${vn(iso(3))} 08:00 Khai giảng`, capacity: 'mười', place: 'Vinh', [`trainer_${ids.approved}`]: 'on' };
  const before0 = await fp.take();
  const r = await c.officer.post('/tap-huan', { form });
  assert.equal(r.status, 422);
  assert.deepEqual(changed(before0, await fp.take()), []);
  assert.match(r.text, new RegExp(`value="${form.title}"`), 'the title typed');
  assert.match(r.text, /<option value="leaders" selected>/, 'the audience chosen');
  assert.match(r.text, /<option value="nghe-an" selected>/, 'the unit chosen');
  assert.match(r.text, new RegExp(`name="trainer_${ids.approved}" checked`), 'the trainer ticked');
  assert.match(r.text, /invalid"><label for="t-cap">[\s\S]*?Số chỗ phải là số nguyên/, 'the capacity error beside its field');
  assert.match(r.text, /Ngày kết thúc trước ngày bắt đầu/);
  // A trainer the store refuses comes back on the form too, not on an error page.
  const r2 = await c.officer.post('/tap-huan', { form: { ...form, ends_on: vn(iso(3)), capacity: '5', [`trainer_${ids.paused}`]: 'on' } });
  assert.equal(r2.status, 422);
  assert.match(r2.text, /không phải chuyên gia đã được duyệt/);
  assert.match(r2.text, /<form method="post" action="\/tap-huan"/);
  // The edit form starts from the class and comes back as typed.
  const id = await open(upcoming());
  const ef = await c.officer.get(`/tap-huan/${id}/sua`);
  assert.equal(ef.status, 200);
  assert.match(ef.text, new RegExp(`${vn(iso(5))} 08:00 Buổi một`));
  assert.match(ef.text, new RegExp(`name="trainer_${ids.approved}" checked`));
  const bad = await c.officer.post(`/tap-huan/${id}/sua`, { form: { title: 'Tên mới gõ dở', audience: 'officials', starts_on: vn(iso(5)), ends_on: vn(iso(6)),
    sessions: `${vn(iso(5))} 08:00 Một`, capacity: '0', place: 'Vinh' } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /value="Tên mới gõ dở"/);
  assert.match(bad.text, /Số chỗ phải là số nguyên/);
  assert.equal((await c.ht.get(`/tap-huan/${id}/sua`)).status, 403);
});
