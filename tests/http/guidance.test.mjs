// The guidance log's rules over HTTP (POST /api/guidance, GET /api/guidance, the form page) on a server of the test's
// own (the engine of DXDAY_TEST_DB), so a fingerprint of every table proves that refused input writes nothing.
// Teams, members and accounts are made here with portable SQL: the teams' own pages are another part of the work.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprints, OwnClient, SANITIZER_REPORT, changed, startServer } from './ownserver.mjs';
import { sqlOn, q } from './db.mjs';

const PW = 'dxday-demo-2026';   // the demo officer's password: the accounts made here copy his password hash
let srv, fp, sql, ids = {}, c = {};
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${Date.now().toString(36)}-${++n}`;
const cid = () => crypto.randomUUID();
const vnDay = (offset = 0) => new Date(Date.now() + 7 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);

function team(org, name, { active = 1, founded = '2024-01-01' } = {}) {
  return +sql(`INSERT INTO cdt_team (org_id, name, name_folded, active, founded_on, created_at)
    VALUES (${org}, ${q(name)}, ${q(name.toLowerCase())}, ${active}, ${q(founded)}, '2026-01-01T00:00:00Z') RETURNING id`);
}
function account(email, role, org) {
  const id = +sql(`INSERT INTO app_user (email, name, password_hash, active, created_at)
    SELECT ${q(email)}, 'Thành viên tổ thử', password_hash, 1, '2026-01-01T00:00:00Z' FROM app_user WHERE email = 'nghean@dxday.vn' RETURNING id`);
  if (role) sql(`INSERT INTO user_role (user_id, role, org_id) VALUES (${id}, ${q(role)}, ${org})`);
  return id;
}
function member(teamId, userId, active = 1) {
  sql(`INSERT INTO cdt_member (team_id, name, user_id, active, created_at) VALUES (${teamId}, 'Nguyễn Văn Thử', ${userId}, ${active}, '2026-01-01T00:00:00Z')`);
}
const count = (t, where = '1=1') => +sql(`SELECT COUNT(*) FROM ${t} WHERE ${where}`);
const dayRow = (org, day) => sql(`SELECT entries, people, male, female, age_u18, age_18_35, age_36_59, age_60p FROM guidance_day WHERE org_id = ${org} AND day = ${q(day)}`);
const svcRow = (org, day) => sql(`SELECT service, people FROM guidance_day_service WHERE org_id = ${org} AND day = ${q(day)} ORDER BY service`);

const entry = (over = {}) => ({ client_id: cid(), team_id: ids.teamA, day: vnDay(-1), place: 'Thôn 3', people: 12,
  male: 5, female: 7, age_u18: 1, age_18_35: 4, age_36_59: 5, age_60p: 2, services: ['vneid', 'dvc'], ...over });

before(async () => {
  srv = await startServer();
  sql = (s) => sqlOn(srv.db, s);
  fp = new Fingerprints(srv.db);
  ids.commune = +sql("SELECT id FROM org_unit WHERE path LIKE '/1/120/%' AND kind = 'commune' ORDER BY id LIMIT 1");
  ids.haTinh = +sql("SELECT id FROM org_unit WHERE code = 'ha-tinh'");
  assert.ok(ids.commune > 0 && ids.haTinh > 0, 'demo data: a commune of Nghệ An and Hà Tĩnh');
  ids.teamA = team(ids.commune, uniq('Tổ A'), { founded: '2024-03-15' });
  ids.teamB = team(ids.commune, uniq('Tổ B'));
  ids.teamE = team(ids.commune, uniq('Tổ E'));
  ids.teamOff = team(ids.commune, uniq('Tổ ngừng'), { active: 0 });
  ids.teamHT = team(ids.haTinh, uniq('Tổ Hà Tĩnh'));
  const emails = { m: uniq('tv') + '@dxday.vn', quit: uniq('tv-nghi') + '@dxday.vn', norole: uniq('tv-khong-vai') + '@dxday.vn' };
  ids.m = account(emails.m, 'team_member', ids.commune);
  member(ids.teamA, ids.m); member(ids.teamE, ids.m); member(ids.teamOff, ids.m);
  ids.quit = account(emails.quit, 'team_member', ids.commune);
  member(ids.teamA, ids.quit, 0);
  ids.norole = account(emails.norole, 'viewer', ids.commune);   // a member whose account lacks team_member
  member(ids.teamA, ids.norole);
  sql("INSERT INTO guidance_service (code, name, sort, active) VALUES ('fax', 'Gửi fax', 99, 0)");
  c.m = await new OwnClient(srv.url).login(emails.m, PW);
  c.quit = await new OwnClient(srv.url).login(emails.quit, PW);
  c.norole = await new OwnClient(srv.url).login(emails.norole, PW);
  c.officer = await new OwnClient(srv.url).login('nghean@dxday.vn', PW);
  c.learner = await new OwnClient(srv.url).login('hocvien@dxday.vn', PW);
  c.anon = await new OwnClient(srv.url).publicToken();
});

after(async () => {
  fp?.close();
  if (!srv) return;
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

// Sends body and asserts the refusal wrote nothing at all.
async function refusedWithoutWriting(client, body, status) {
  const before = await fp.take();
  const r = await client.post('/api/guidance', { json: body });
  assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 200)} → ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(r.data.error, /[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđ]/i, 'a Vietnamese message');
  assert.deepEqual(changed(before, await fp.take()), [], 'nothing written');
  return r;
}

test('a member logs a visit: 201, the entry, its services and the unit\'s aggregates in one go', async () => {
  const day = vnDay(-2);
  const body = entry({ day, services: ['dvc', 'vneid', 'dvc'] });
  const r = await c.m.post('/api/guidance', { json: body });
  assert.equal(r.status, 201, r.text);
  const e = r.data.entry;
  assert.equal(e.client_id, body.client_id);
  assert.equal(e.team_id, ids.teamA);
  assert.equal(e.user_id, ids.m);
  assert.equal(e.day, day);
  assert.equal(e.people, 12);
  assert.deepEqual(e.services, ['vneid', 'dvc'], 'each service once, in the services\' order');
  assert.equal(r.data.duplicate, false);
  assert.equal(sql(`SELECT org_id FROM guidance_entry WHERE id = ${e.id}`), String(ids.commune), 'the team\'s unit');
  assert.equal(sql(`SELECT service FROM guidance_entry_service WHERE entry_id = ${e.id} ORDER BY service`), 'dvc\nvneid');
  assert.equal(dayRow(ids.commune, day), '1|12|5|7|1|4|5|2');
  assert.equal(svcRow(ids.commune, day), 'dvc|12\nvneid|12');
  // A second entry the same day adds to the same rows; splits not given count as 0.
  const r2 = await c.m.post('/api/guidance', { json: { client_id: cid(), team_id: ids.teamA, day, people: 3, services: ['vneid', 'health'] } });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.data.entry.male, null);
  assert.equal(dayRow(ids.commune, day), '2|15|5|7|1|4|5|2');
  assert.equal(svcRow(ids.commune, day), 'dvc|12\nhealth|3\nvneid|15');
});

test('the same entry sent again → 200 with the first entry; no second row, aggregates unchanged', async () => {
  const day = vnDay(-3);
  const body = entry({ day });
  const first = await c.m.post('/api/guidance', { json: body });
  assert.equal(first.status, 201, first.text);
  const before = await fp.take();
  const again = await c.m.post('/api/guidance', { json: body });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.data.duplicate, true);
  assert.equal(again.data.entry.id, first.data.entry.id);
  // Even with other numbers: the phone's id names the first entry, which is what stays.
  const changedBody = await c.m.post('/api/guidance', { json: { ...body, people: 99 } });
  assert.equal(changedBody.status, 200);
  assert.equal(changedBody.data.entry.people, 12);
  assert.deepEqual(changed(before, await fp.take()), [], 'a repeat writes nothing');
  assert.equal(count('guidance_entry', `client_id = ${q(body.client_id)}`), 1);
  assert.equal(dayRow(ids.commune, day), '1|12|5|7|1|4|5|2');
});

test('a send repeated at once (no answer, retried) counts once', async () => {
  const day = vnDay(-4);
  const body = entry({ day, people: 7, male: null, female: null, age_u18: null, age_18_35: null, age_36_59: null, age_60p: null });
  const all = await Promise.all(Array.from({ length: 8 }, () => c.m.post('/api/guidance', { json: body })));
  const statuses = all.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 201], all.map((r) => r.text.slice(0, 120)).join('\n'));
  assert.equal(new Set(all.map((r) => r.data.entry.id)).size, 1);
  assert.equal(count('guidance_entry', `client_id = ${q(body.client_id)}`), 1);
  assert.equal(dayRow(ids.commune, day), '1|7|0|0|0|0|0|0');
  assert.equal(svcRow(ids.commune, day), 'dvc|7\nvneid|7');
});

test('the same client_id from another user or for another team → 409, nothing written', async () => {
  const body = entry({ day: vnDay(-5) });
  assert.equal((await c.m.post('/api/guidance', { json: body })).status, 201);
  const r = await refusedWithoutWriting(c.officer, body, 409);
  assert.match(r.data.error, /đã được dùng/);
  await refusedWithoutWriting(c.m, { ...body, team_id: ids.teamE }, 409);
});

test('a member logging for another team → 403, nothing written; an officer of the unit may log for it', async () => {
  const r = await refusedWithoutWriting(c.m, entry({ team_id: ids.teamB }), 403);
  assert.match(r.data.error, /tổ mà mình là thành viên/);
  await refusedWithoutWriting(c.m, entry({ team_id: ids.teamHT }), 403);
  await refusedWithoutWriting(c.norole, entry(), 403);   // a member row, but no team_member role
  await refusedWithoutWriting(c.learner, entry(), 403);
  await refusedWithoutWriting(c.anon, entry(), 401);
  // The officer of Nghệ An logs on behalf of the commune's team, not for Hà Tĩnh's.
  const ok = await c.officer.post('/api/guidance', { json: entry({ team_id: ids.teamB }) });
  assert.equal(ok.status, 201, ok.text);
  await refusedWithoutWriting(c.officer, entry({ team_id: ids.teamHT }), 403);
  await refusedWithoutWriting(c.m, entry({ team_id: 999999999 }), 404);
});

test('an inactive team or an inactive member → 403 with a message', async () => {
  let r = await refusedWithoutWriting(c.m, entry({ team_id: ids.teamOff }), 403);
  assert.match(r.data.error, /ngừng hoạt động/);
  r = await refusedWithoutWriting(c.officer, entry({ team_id: ids.teamOff }), 403);
  assert.match(r.data.error, /ngừng hoạt động/);
  r = await refusedWithoutWriting(c.quit, entry(), 403);
  assert.match(r.data.error, /ngừng là thành viên/);
});

test('bad input → 422 with a Vietnamese message on the field, nothing written', async () => {
  const cases = [
    [{ day: 'hôm qua' }, 'day', /dd\/mm\/yyyy/],
    [{ day: '2026-02-30' }, 'day', /không hợp lệ/],
    [{ day: vnDay(1) }, 'day', /sau hôm nay/],
    [{ day: '2024-03-14' }, 'day', /thành lập \(15\/03\/2024\)/],
    [{ day: undefined }, 'day', /Chọn ngày/],
    [{ people: 0 }, 'people', /từ 1 đến 500/],
    [{ people: 501, male: null, female: null, age_u18: null, age_18_35: null, age_36_59: null, age_60p: null }, 'people', /từ 1 đến 500/],
    [{ people: 2.5 }, 'people', /số nguyên/],
    [{ people: 'mười' }, 'people', /số nguyên/],
    [{ people: undefined }, 'people', /Nhập số người/],
    [{ male: 8, female: 7 }, 'male', /nam và nữ.*\(15\).*\(12\)/],
    [{ male: 8, female: 7 }, 'female', /nam và nữ/],
    [{ age_u18: 5, age_18_35: 5, age_36_59: 5, age_60p: 0 }, 'age_36_59', /nhóm tuổi.*\(15\)/],
    [{ male: -1 }, 'male', /từ 0 đến 500/],
    [{ services: [] }, 'services', /ít nhất một/],
    [{ services: undefined }, 'services', /ít nhất một/],
    [{ services: ['vneid', 'bay-len-mat-trang'] }, 'services', /bay-len-mat-trang/],
    [{ services: ['fax'] }, 'services', /ngừng dùng/],
    [{ services: 'vneid' }, 'services', /danh sách/],
    [{ place: 'T'.repeat(201) }, 'place', /200 ký tự/],
    [{ place: 12 }, 'place', /chữ/],
    [{ client_id: 'ngắn' }, 'client_id', /8–64/],
  ];
  for (const [over, fieldName, message] of cases) {
    const r = await refusedWithoutWriting(c.m, entry(over), 422);
    assert.ok(r.data.fields?.[fieldName], `${JSON.stringify(over)}: a message on ${fieldName}, got ${JSON.stringify(r.data.fields)}`);
    assert.match(r.data.fields[fieldName], message, JSON.stringify(over));
  }
  // Several wrong fields at once: a message on each.
  const r = await refusedWithoutWriting(c.m, entry({ day: vnDay(2), people: 0, services: [] }), 422);
  assert.deepEqual(Object.keys(r.data.fields).sort(), ['day', 'people', 'services']);
});

test('edge values pass: 1 and 500 people, 200 characters of place, the team\'s founding day, today, dd/mm/yyyy', async () => {
  for (const over of [{ people: 1, male: 1, female: 0, age_u18: null, age_18_35: null, age_36_59: null, age_60p: 1 },
                      { people: 500, male: 250, female: 250, age_u18: 500, age_18_35: 0, age_36_59: 0, age_60p: 0 },
                      { place: 'Ấ'.repeat(200) }, { day: '2024-03-15' }, { day: vnDay(0) }, { people: '12' }]) {
    const r = await c.m.post('/api/guidance', { json: entry(over) });
    assert.equal(r.status, 201, `${JSON.stringify(over).slice(0, 100)}: ${r.text.slice(0, 300)}`);
  }
  const r = await c.m.post('/api/guidance', { json: entry({ day: '05/10/2025' }) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.entry.day, '2025-10-05');
});

test('a place written in NFD is stored in NFC, spaces collapsed', async () => {
  const nfc = 'Tổ dân phố Hòa Bình';
  const r = await c.m.post('/api/guidance', { json: entry({ place: `  ${nfc.normalize('NFD').replace(' ', '   ')} ` }) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.entry.place, nfc);
  assert.equal(sql(`SELECT place FROM guidance_entry WHERE id = ${r.data.entry.id}`), nfc);
});

test('GET /api/guidance: the caller\'s own entries, newest first, paged, with the token a queued send needs', async () => {
  while (count('guidance_entry', `user_id = ${ids.m}`) <= 20)
    assert.equal((await c.m.post('/api/guidance', { json: entry() })).status, 201);
  const r = await c.m.get('/api/guidance');
  assert.equal(r.status, 200, r.text);
  const mine = count('guidance_entry', `user_id = ${ids.m}`);
  assert.ok(mine > 20, 'enough entries for two pages');
  assert.equal(r.data.entries.total, mine);
  assert.equal(r.data.entries.items.length, 20);
  assert.ok(r.data.entries.items.every((e) => e.user_id === ids.m));
  assert.ok(r.data.entries.items[0].id > r.data.entries.items[1].id);
  assert.equal(r.data.csrf, c.m.csrf);
  assert.equal(r.data.user_id, ids.m);
  assert.deepEqual(r.data.teams.map((t) => t.id).sort((a, b) => a - b), [ids.teamA, ids.teamE].sort((a, b) => a - b),
    'the teams the member may log for: active ones he belongs to');
  assert.ok(r.data.services.some((s) => s.code === 'vneid') && !r.data.services.some((s) => s.code === 'fax'));
  const p2 = await c.m.get('/api/guidance?page=2');
  assert.equal(p2.data.entries.page, 2);
  assert.equal(p2.data.entries.items.length, Math.min(20, mine - 20));
  assert.ok(p2.data.entries.items[0].id < r.data.entries.items[19].id);
  assert.equal((await c.anon.get('/api/guidance')).status, 401);
  assert.equal((await c.learner.get('/api/guidance')).status, 403);
  const officer = await c.officer.get('/api/guidance');
  assert.ok(officer.data.teams.some((t) => t.id === ids.teamB) && !officer.data.teams.some((t) => t.id === ids.teamHT || t.id === ids.teamOff));
  assert.ok(!JSON.stringify(officer.data).includes(c.m.csrf), 'another user\'s token never shows');
});

test('the phone form asks for no citizen\'s name or number and offers the team\'s places', async () => {
  const r = await c.m.get('/to-cong-nghe-so/ghi-nhan');
  assert.equal(r.status, 200);
  assert.match(r.text, /<form id="gl-form"/);
  assert.match(r.text, /name="dxday-csrf" content="[^"]{32,}"/);
  assert.match(r.text, /value="vneid"/);
  assert.match(r.text, /<option value="Thôn 3">/, 'places used before');
  assert.match(r.text, /value="\d\d\/\d\d\/\d{4}"/, 'today, dd/mm/yyyy');
  const form = r.text.slice(r.text.indexOf('<form id="gl-form"'), r.text.indexOf('</form>', r.text.indexOf('<form id="gl-form"')));
  const inputs = [...form.matchAll(/<(?:input|select|textarea)[^>]*name="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(inputs)].filter((x) => !['csrf', 'team_id', 'day', 'place', 'people', 'male', 'female', 'age_u18',
    'age_18_35', 'age_36_59', 'age_60p', 'services'].includes(x)), [], 'no other field');
  assert.doesNotMatch(form, /(họ và tên|họ tên|số điện thoại|CCCD)/i, "the form asks for no one's name or number");
  const sw = await c.anon.get('/to-cong-nghe-so/ghi-nhan/sw.js');
  assert.equal(sw.status, 200);
  assert.equal(sw.headers.get('service-worker-allowed'), '/to-cong-nghe-so/ghi-nhan');
  assert.equal((await c.anon.get('/to-cong-nghe-so/ghi-nhan')).status, 303);
});
