// Trainings for officials (issue 18), a class's roll: units nominate within their subtree (outside: 403), beyond the
// capacity the answer is 409 with the waiting list offered, the organiser confirms, attendance per session (not before
// the session: 422), certificates for those who attended enough sessions, verified at /chung-chi/{code} like a course's;
// trainees from Excel (one bad row saves nothing and names it); the results report's suggestion and the dashboard.
// On a server of the test's own (the engine of DXDAY_TEST_DB).
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

function account(email, role, org) {
  const id = +sql(`INSERT INTO app_user (email, name, password_hash, active, created_at)
    SELECT ${q(email)}, 'Người dùng thử', password_hash, 1, '2026-01-01T00:00:00Z' FROM app_user WHERE email = 'nghean@dxday.vn' RETURNING id`);
  if (role) sql(`INSERT INTO user_role (user_id, role, org_id) VALUES (${id}, ${q(role)}, (SELECT id FROM org_unit WHERE code = ${q(org)}))`);
  return email;
}
const classBody = (over = {}) => ({
  title: uniq('Lớp điểm danh'), audience: 'officials', org: 'nghe-an', starts_on: iso(-2), ends_on: iso(1), place: 'Vinh',
  capacity: 2, min_sessions: 2,
  sessions: [{ starts_at: `${iso(-2)}T08:00` }, { starts_at: `${iso(-1)}T08:00` }, { starts_at: `${iso(1)}T08:00` }], ...over,
});
const newClass = async (over) => {
  const r = await c.officer.post('/api/trainings', { json: classBody(over) });
  assert.equal(r.status, 201, r.text);
  return r.data.id;
};
const nominate = (client, id, body) => client.post(`/api/trainings/${id}/nominees`, { json: body });
const sessions = async (id) => (await c.officer.get(`/api/trainings/${id}`)).data.training.session_list.map((s) => s.id);

before(async () => {
  srv = await startServer();
  sql = (s) => sqlOn(srv.db, s);
  fp = new Fingerprints(srv.db);
  c.officer = await new OwnClient(srv.url).login('nghean@dxday.vn', PW);
  c.ward = await new OwnClient(srv.url).login(account(uniq('phuong') + '@dxday.vn', 'officer', 'demo-vinh-2'), PW);
  c.ht = await new OwnClient(srv.url).login(account(uniq('ht') + '@dxday.vn', 'officer', 'ha-tinh'), PW);
  c.mod = await new OwnClient(srv.url).login(account(uniq('mod') + '@dxday.vn', 'moderator', 'nghe-an'), PW);
  ids.learnerEmail = account(uniq('hocvien') + '@dxday.vn', null, null);
  c.learner = await new OwnClient(srv.url).login(ids.learnerEmail, PW);
  c.anon = await new OwnClient(srv.url).publicToken();
});

after(async () => {
  fp?.close();
  if (!srv) return;
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

test('units nominate within their subtree; outside it is 403 and writes nothing', async () => {
  const id = await newClass({ capacity: 10 });
  let r = await nominate(c.ward, id, { org: 'demo-vinh-2', name: 'Nguyễn Văn Phường' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.status, 'nominated');
  r = await nominate(c.officer, id, { org: 'demo-vinh-3', email: ids.learnerEmail });
  assert.equal(r.status, 201, 'a province nominates for a ward under it, by account');
  assert.equal(sql(`SELECT name FROM training_nominee WHERE id = ${r.data.id}`), 'Người dùng thử');
  const before0 = await fp.take();
  for (const [client, org, who] of [[c.ward, 'nghe-an', 'a ward for its province'], [c.ward, 'demo-vinh-3', 'a ward for another ward'],
    [c.ht, 'nghe-an', 'another province'], [c.officer, 'ha-tinh', 'Nghệ An for Hà Tĩnh'], [c.mod, 'nghe-an', 'a moderator']]) {
    r = await nominate(client, id, { org, name: uniq('Người ngoài') });
    assert.equal(r.status, 403, `${who}: ${r.text}`);
    assert.ok(r.data.error);
  }
  assert.ok([401, 403].includes((await nominate(c.learner, id, { org: 'nghe-an', name: 'X' })).status), 'a learner');
  assert.ok([401, 403].includes((await nominate(c.anon, id, { org: 'nghe-an', name: 'X' })).status), 'the public');
  assert.deepEqual(changed(before0, await fp.take()), []);
  // The officer of the ward sees the ward's nominee on the page, not the province's.
  const page = await c.ward.get(`/api/trainings/${id}`);
  assert.deepEqual(page.data.nominees.map((x) => x.name), ['Nguyễn Văn Phường']);
  assert.equal((await c.anon.get(`/api/trainings/${id}`)).data.nominees, undefined, 'the public sees no names');
});

test('bad nominations: 422 with the field, duplicates 409, an ended class 422; nothing written', async () => {
  const id = await newClass({ capacity: 10 });
  assert.equal((await nominate(c.officer, id, { org: 'nghe-an', name: 'Trần Thị Trùng' })).status, 201);
  const ended = await newClass({ starts_on: iso(-5), ends_on: iso(-3), sessions: [{ starts_at: `${iso(-4)}T08:00` }], min_sessions: 1 });
  const before0 = await fp.take();
  for (const [body, field] of [[{ org: 'nghe-an' }, 'name'], [{ org: 'nghe-an', name: '   ' }, 'name'], [{ name: 'Ai đó' }, 'org'],
    [{ org: 'khong-co', name: 'Ai đó' }, 'org'], [{ org: 'nghe-an', email: 'khong-co-ai@example.vn' }, 'email']]) {
    const r = await nominate(c.officer, id, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(r.data.fields[field], `${JSON.stringify(body)} names ${field}`);
  }
  let r = await nominate(c.officer, id, { org: 'nghe-an', name: 'TRAN THI TRUNG' });
  assert.equal(r.status, 409, 'the same person, diacritics and case aside');
  r = await nominate(c.officer, ended, { org: 'nghe-an', name: 'Người đến muộn' });
  assert.equal(r.status, 422);
  assert.match(r.data.error, /kết thúc/);
  assert.equal((await nominate(c.officer, 999999, { org: 'nghe-an', name: 'X' })).status, 404);
  // The page's form: the class page again, as typed, the error beside its field.
  const page = await c.officer.post(`/tap-huan/${id}/de-cu`, { form: { org: 'nghe-an', name: '', email: 'khong-co-ai@example.vn' } });
  assert.equal(page.status, 422);
  assert.match(page.text, /<form method="post" action="\/tap-huan\/\d+\/de-cu"/, 'the form, not the error page');
  assert.match(page.text, /value="khong-co-ai@example.vn"/, 'the e-mail typed');
  assert.match(page.text, /field invalid"><label for="n-email">[^]*?Không có tài khoản nào với email này/, 'the error beside the e-mail');
  assert.deepEqual(changed(before0, await fp.take()), []);
});

test('beyond the capacity: 409 offering the waiting list, then the waiting list; the organiser confirms within the seats', async () => {
  const id = await newClass({ capacity: 2 });
  const a = (await nominate(c.officer, id, { org: 'nghe-an', name: 'Người Một' })).data.id;
  const b = (await nominate(c.ward, id, { org: 'demo-vinh-2', name: 'Người Hai' })).data.id;
  const before0 = await fp.take();
  let r = await nominate(c.ward, id, { org: 'demo-vinh-2', name: 'Người Ba' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.data.waiting_list.offered, true);
  assert.equal(r.data.waiting_list.capacity, 2);
  assert.match(r.data.error, /danh sách chờ/);
  assert.deepEqual(changed(before0, await fp.take()), [], 'the refusal wrote nothing');
  const html = await c.ward.post(`/tap-huan/${id}/de-cu`, { form: { csrf: c.ward.csrf, org: 'demo-vinh-2', name: 'Người Ba' } });
  assert.equal(html.status, 409);
  assert.match(html.text, /Đưa vào danh sách chờ/);
  r = await nominate(c.ward, id, { org: 'demo-vinh-2', name: 'Người Ba', waiting: 1 });
  assert.equal(r.status, 201);
  assert.equal(r.data.status, 'waiting');
  const w = r.data.id;
  // Only the organiser decides.
  for (const cl of [c.ward, c.ht, c.mod]) assert.equal((await cl.post(`/api/trainings/${id}/nominees/${a}`, { json: { status: 'confirmed' } })).status, 403);
  assert.equal((await c.officer.post(`/api/trainings/${id}/nominees/${a}`, { json: { status: 'maybe' } })).status, 422);
  assert.equal((await c.officer.post(`/api/trainings/${id}/nominees/99999`, { json: { status: 'confirmed' } })).status, 404);
  assert.equal((await c.officer.post(`/api/trainings/${id}/nominees/${a}`, { json: { status: 'confirmed' } })).status, 200);
  r = await c.officer.post(`/api/trainings/${id}/nominees/${w}`, { json: { status: 'confirmed' } });
  assert.equal(r.status, 409, 'no seat for the waiting one yet');
  assert.equal((await c.officer.post(`/api/trainings/${id}/nominees/${b}`, { json: { status: 'declined' } })).status, 200);
  assert.equal((await c.officer.post(`/api/trainings/${id}/nominees/${w}`, { json: { status: 'confirmed' } })).status, 200);
  assert.equal(sql(`SELECT status FROM training_nominee WHERE id = ${w}`), 'confirmed');
  assert.equal(+sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'training.decide' AND entity_id = ${q(String(id))}`), 3);
});

test('attendance: only for a session that has begun (422 before), only confirmed trainees, only the organiser', async () => {
  const id = await newClass({ capacity: 5 });
  const p = [];
  for (const name of ['Học Viên A', 'Học Viên B']) {
    const nid = (await nominate(c.officer, id, { org: 'nghe-an', name })).data.id;
    await c.officer.post(`/api/trainings/${id}/nominees/${nid}`, { json: { status: 'confirmed' } });
    p.push(nid);
  }
  const unconfirmed = (await nominate(c.officer, id, { org: 'nghe-an', name: 'Chưa Xác Nhận' })).data.id;
  const [s1, s2, s3] = await sessions(id);
  const before0 = await fp.take();
  let r = await c.officer.post(`/api/trainings/${id}/sessions/${s3}/attendance`, { json: { present: p } });
  assert.equal(r.status, 422, r.text);
  assert.match(r.data.error, /chưa diễn ra/);
  assert.equal((await c.officer.post(`/api/trainings/${id}/sessions/${s1}/attendance`, { json: { present: [unconfirmed] } })).status, 422);
  assert.equal((await c.officer.post(`/api/trainings/${id}/sessions/${s1}/attendance`, { json: { present: 'tat ca' } })).status, 422);
  assert.equal((await c.officer.post(`/api/trainings/${id}/sessions/99999/attendance`, { json: { present: p } })).status, 404);
  for (const cl of [c.ward, c.ht, c.mod]) assert.equal((await cl.post(`/api/trainings/${id}/sessions/${s1}/attendance`, { json: { present: p } })).status, 403);
  assert.ok([401, 403].includes((await c.anon.post(`/api/trainings/${id}/sessions/${s1}/attendance`, { json: { present: p } })).status));
  assert.equal((await c.ward.get(`/tap-huan/${id}/buoi/${s1}`)).status, 403, 'the sheet is the organiser\'s');
  assert.deepEqual(changed(before0, await fp.take()), []);
  r = await c.officer.post(`/api/trainings/${id}/sessions/${s1}/attendance`, { json: { present: p } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.present, 2);
  // The phone form: tick boxes p_ID; an unticked one is absent.
  r = await c.officer.post(`/tap-huan/${id}/buoi/${s2}`, { form: { csrf: c.officer.csrf, [`p_${p[0]}`]: 'on' } });
  assert.equal(r.status, 303, r.text.slice(0, 200));
  assert.equal(sql(`SELECT present FROM training_attendance WHERE session_id = ${s2} AND nominee_id = ${p[1]}`), '0');
  const phone = await c.officer.get(`/tap-huan/${id}/buoi/${s2}`);
  assert.match(phone.text, new RegExp(`name="p_${p[0]}" checked`));
  const sheet = await c.officer.get(`/tap-huan/${id}/buoi/${s1}/in`);
  assert.equal(sheet.status, 200);
  assert.match(sheet.text, /DANH SÁCH ĐIỂM DANH/);
  assert.match(sheet.text, /Học Viên B/);
});

test('certificates for those who attended enough sessions, verified at /chung-chi/{code}, PDF included', async () => {
  const id = await newClass({ capacity: 5, min_sessions: 2 });
  const p = [];
  for (const name of ['Chăm Chỉ', 'Vắng Một Buổi']) {
    const nid = (await nominate(c.officer, id, { org: 'nghe-an', name })).data.id;
    await c.officer.post(`/api/trainings/${id}/nominees/${nid}`, { json: { status: 'confirmed' } });
    p.push(nid);
  }
  const [s1, s2] = await sessions(id);
  await c.officer.post(`/api/trainings/${id}/sessions/${s1}/attendance`, { json: { present: p } });
  await c.officer.post(`/api/trainings/${id}/sessions/${s2}/attendance`, { json: { present: [p[0]] } });
  for (const cl of [c.ward, c.ht, c.mod]) assert.equal((await cl.post(`/api/trainings/${id}/certificates`, { json: {} })).status, 403);
  let r = await c.officer.post(`/api/trainings/${id}/certificates`, { json: {} });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.data.issued.map((x) => x.name), ['Chăm Chỉ'], 'below the threshold, no certificate');
  const code = r.data.issued[0].code;
  assert.match(code, /^[A-Z2-7]{26}$/);
  r = await c.officer.post(`/api/trainings/${id}/certificates`, { json: {} });
  assert.deepEqual(r.data.issued, [], 'issued once');
  const v = await c.anon.get(`/api/certificates/${code.toLowerCase()}`);
  assert.equal(v.status, 200);
  assert.equal(v.data.certificate.learner_name, 'Chăm Chỉ');
  assert.equal(v.data.certificate.kind, 'training');
  assert.equal(v.data.certificate.course_url, `/tap-huan/${id}`);
  const page = await c.anon.get(`/chung-chi/${code}`);
  assert.match(page.text, /đã hoàn thành lớp tập huấn/);
  const pdf = await fetch(`${srv.url}/chung-chi/${code}/pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  // A course certificate of the demo data still reads as a course's.
  const course = sql('SELECT code FROM certificate ORDER BY issued_at LIMIT 1');
  if (course) assert.equal((await c.anon.get(`/api/certificates/${course}`)).data.certificate.kind, 'course');
});

const csv = (rows) => ({ raw: (() => { const f = new FormData(); f.append('file', new Blob([Buffer.from('Họ và tên,Mã đơn vị,Email\r\n' + rows.join('\r\n') + '\r\n')], { type: 'text/csv' }), 'ds.csv'); return f; })() });

test('trainees from Excel: one bad row saves nothing and names the row; a good file previews, then confirms, the overflow waiting', async () => {
  const id = await newClass({ capacity: 2 });
  const before0 = await fp.take();
  let r = await c.ward.post(`/api/trainings/${id}/import`, csv(['Người Tốt,demo-vinh-2,', 'Người Ngoài,nghe-an,', 'Người Khác,demo-vinh-2,']));
  assert.equal(r.status, 422, r.text);
  assert.match(r.data.error, /dòng 3\b/);
  assert.doesNotMatch(r.data.error, /dòng 2\b|, 2\b/);
  r = await c.ward.post(`/api/trainings/${id}/import`, csv(['Người Tốt,demo-vinh-2,', 'Người Tốt,demo-vinh-2,']));
  assert.equal(r.status, 422, 'a repeated row');
  assert.match(r.data.error, /3/);
  r = await c.ward.post(`/api/trainings/${id}/import`, csv([',demo-vinh-2,']));
  assert.equal(r.status, 422, 'no name');
  assert.deepEqual(changed(before0, await fp.take()), [], 'nothing nominated, nothing stored');
  const rows = ['Nhập Một,demo-vinh-2,', 'Nhập Hai,demo-vinh-2,', 'Nhập Ba,demo-vinh-2,'];
  r = await c.ward.post(`/api/trainings/${id}/import`, csv(rows));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.check.ok, 3);
  assert.equal(r.data.check.waiting, 1);
  assert.equal(+sql(`SELECT COUNT(*) FROM training_nominee WHERE training_id = ${id}`), 0, 'a preview nominates nobody');
  assert.equal((await c.officer.post(`/api/trainings/${id}/import`, { form: { sha: r.data.sha } })).status, 404, 'another person\'s preview');
  r = await c.ward.post(`/api/trainings/${id}/import`, { form: { sha: r.data.sha } });
  assert.equal(r.status, 201, r.text);
  assert.equal(sql(`SELECT status || ':' || COUNT(*) FROM training_nominee WHERE training_id = ${id} GROUP BY status ORDER BY status`), 'nominated:2\nwaiting:1');
  r = await c.ht.post(`/api/trainings/${id}/import`, csv(['Người Nghệ An,nghe-an,']));
  assert.equal(r.status, 422, 'a unit outside the caller\'s subtree');
  assert.match(r.data.error, /dòng 2/);
  assert.match(JSON.stringify(r.data.fields.rows), /ngoài phạm vi/);
  assert.ok([401, 403].includes((await c.learner.post(`/api/trainings/${id}/import`, csv(['A,nghe-an,']))).status));
});

test('the results report suggests trainings held and people trained for the subtree; the dashboard shows them', async () => {
  const form = 'bao-cao-2026';
  const na = +sql("SELECT id FROM org_unit WHERE code = 'nghe-an'");
  const path = sql(`SELECT path FROM org_unit WHERE id = ${na}`);
  const year = String(today.getUTCFullYear());
  const [classes, people] = sql(`SELECT COUNT(DISTINCT x.training_id), COUNT(DISTINCT a.nominee_id) FROM training_attendance a
    JOIN training_session x ON x.id = a.session_id JOIN training t ON t.id = x.training_id JOIN org_unit o ON o.id = t.org_id
    WHERE a.present = 1 AND o.path LIKE ${q(path + '%')} AND x.starts_at >= ${q(year + '-01-01')} AND x.starts_at < ${q(+year + 1 + '-01-01')}`).split('|').map(Number);
  assert.ok(classes >= 1 && people >= 1, 'the demo class and this file\'s');
  const before0 = await fp.take();
  const r = await c.officer.get(`/api/forms/${form}/submissions/${na}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.data.suggestions.so_lop_tap_huan?.value, classes);
  assert.equal(r.data.suggestions.so_hoc_vien?.value, people);
  const page = await c.officer.get(`/bao-cao/${form}/don-vi/${na}`);
  assert.match(page.text, /Theo các lớp tập huấn đã điểm danh/);
  assert.deepEqual(changed(before0, await fp.take()), [], 'showing the suggestion writes nothing');
  const dash = await c.officer.get('/api/dashboard');
  assert.ok(dash.data.trainings.classes >= classes);
  assert.equal(dash.data.trainings_unit.classes, classes);
  assert.match((await c.officer.get('/bang-dieu-khien')).text, /người được tập huấn/);
});
