// Door-to-door campaigns: the centre opens and edits them (422 per field, 403 for anyone else, nothing written), the
// live page's figures equal the sums of the entries inserted here (by service, day, province and commune), idle teams,
// XLSX/CSV tables, the public page without names, and the home page's counter during a campaign. Either engine.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { Client, ADMIN, COORD, OFFICER, BASE, skip, uniq } from './lib.mjs';
import { sql, q } from './db.mjs';

const opts = { skip };
let coord, officer, member, admin, anon;
const ids = {};
const orgId = (code) => +sql(`SELECT id FROM org_unit WHERE code = ${q(code)}`);
const count = (table) => +sql(`SELECT COUNT(*) FROM ${table}`);
const todayVn = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
const shift = (iso, days) => new Date(Date.parse(iso + 'T00:00:00Z') + days * 86400e3).toISOString().slice(0, 10);
const vn = (iso) => iso.split('-').reverse().join('/');
// text_fold's key: no diacritics, đ → d, lower case, every run of other characters one space.
const fold = (t) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function addTeam(code, name, leader) {
  return +sql(`INSERT INTO cdt_team (org_id, name, name_folded, leader_name, contact, active, founded_on, created_at)
    VALUES (${orgId(code)}, ${q(name)}, ${q(fold(name))}, ${q(leader)}, '0912000000', 1, '2020-01-01', '2026-01-01T00:00:00Z') RETURNING id`);
}

// One entry and its share of the aggregates, as the guidance log keeps them.
function addEntry({ team, code, day, people, services }) {
  const org = orgId(code), user = +sql(`SELECT MIN(id) FROM app_user`);
  const id = +sql(`INSERT INTO guidance_entry (client_id, team_id, org_id, user_id, day, people, services, created_at)
    VALUES (${q(uniq('dtd-e'))}, ${team}, ${org}, ${user}, '${day}', ${people}, ${q(JSON.stringify(services))}, '2026-01-01T00:00:00Z') RETURNING id`);
  for (const s of services) {
    sql(`INSERT INTO guidance_entry_service (entry_id, service) VALUES (${id}, '${s}');
      INSERT INTO guidance_day_service (org_id, day, service, people) VALUES (${org}, '${day}', '${s}', ${people})
        ON CONFLICT (org_id, day, service) DO UPDATE SET people = guidance_day_service.people + excluded.people`);
  }
  sql(`INSERT INTO guidance_day (org_id, day, entries, people, male, female, age_u18, age_18_35, age_36_59, age_60p)
    VALUES (${org}, '${day}', 1, ${people}, 0, 0, 0, 0, 0, 0)
    ON CONFLICT (org_id, day) DO UPDATE SET entries = guidance_day.entries + 1, people = guidance_day.people + excluded.people`);
}

before(async () => {
  if (skip) return;
  coord = new Client(); await coord.login(...COORD);
  officer = new Client(); await officer.login(...OFFICER);
  admin = new Client(); await admin.login(...ADMIN);
  anon = new Client();
  const email = `${uniq('tv-to')}@dxday.vn`;
  const made = await admin.post('/api/users', { json: { email, name: 'Thành viên tổ thử', password: 'mat-khau-to-1' } });
  assert.ok(made.status < 300, made.text);
  sql(`INSERT INTO user_role (user_id, role, org_id) VALUES (${made.data.id}, 'team_member', ${orgId('demo-vinh-1')})`);
  member = new Client(); await member.login(email, 'mat-khau-to-1');
  assert.equal((await member.get('/api/me')).status, 200);
});

const valid = (over = {}) => ({ name: uniq('Chiến dịch thử'), starts_on: '01/03/2035', ends_on: '05/03/2035',
  services: ['vneid', 'dvc', 'cashless'], targets: { 'nghe-an': 1000 }, ...over });

test('the centre opens a campaign; bad input is 422 per field and writes nothing', opts, async () => {
  const before = count('dtd_campaign'), targets = count('dtd_target');
  const bad = await coord.post('/api/door-to-door', { json: valid({ name: '', starts_on: '10/03/2035', ends_on: '01/03/2035',
    services: ['vneid', 'bay-bong'], targets: { 'nghe-an': '12.5', 'ha-tinh': -3, atlantis: 10, 'thanh-hoa': 'nhiều' } }) });
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.data.error, /./);
  for (const f of ['name', 'ends_on', 'services', 'target_nghe-an', 'target_ha-tinh', 'target_atlantis', 'target_thanh-hoa'])
    assert.ok(bad.data.fields[f], `a message for ${f}: ${JSON.stringify(bad.data.fields)}`);
  assert.match(bad.data.fields.ends_on, /ngày bắt đầu/);
  assert.match(bad.data.fields.target_atlantis, /Không có tỉnh/);
  const badDate = await coord.post('/api/door-to-door', { json: valid({ starts_on: '31/02/2035' }) });
  assert.equal(badDate.status, 422);
  assert.ok(badDate.data.fields.starts_on);
  assert.equal(count('dtd_campaign'), before, 'nothing written');
  assert.equal(count('dtd_target'), targets, 'no target written');

  const ok = await coord.post('/api/door-to-door', { json: valid() });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.data.starts_on, '2035-03-01');
  assert.deepEqual(ok.data.services, ['vneid', 'dvc', 'cashless']);
  assert.equal(ok.data.targets.length, 1);
  assert.equal(ok.data.targets[0].code, 'nghe-an');
  const id = ok.data.id;
  const stored = sql(`SELECT starts_on, ends_on FROM dtd_campaign WHERE id = ${id}`);
  assert.equal(stored, '2035-03-01|2035-03-05');
  assert.ok(+sql(`SELECT COUNT(*) FROM audit_log WHERE entity = 'dtd_campaign' AND entity_id = '${id}'`) >= 1, 'audited');

  // Edit: a bad edit leaves it as it was; a good one replaces window, services and targets.
  const badEdit = await coord.post(`/api/door-to-door/${id}`, { json: valid({ ends_on: '01/01/2035' }) });
  assert.equal(badEdit.status, 422);
  assert.equal(sql(`SELECT ends_on FROM dtd_campaign WHERE id = ${id}`), '2035-03-05');
  const edit = await coord.post(`/api/door-to-door/${id}`, { json: valid({ name: 'Đã sửa', ends_on: '2035-03-09', services: ['health'], targets: { 'ha-tinh': 500 } }) });
  assert.equal(edit.status, 200, edit.text);
  assert.equal(sql(`SELECT name || '|' || ends_on || '|' || services FROM dtd_campaign WHERE id = ${id}`), 'Đã sửa|2035-03-09|["health"]');
  assert.equal(sql(`SELECT o.code || ':' || t.people FROM dtd_target t JOIN org_unit o ON o.id = t.org_id WHERE t.campaign_id = ${id}`), 'ha-tinh:500');
  assert.equal((await coord.post('/api/door-to-door/999999999', { json: valid() })).status, 404);

  // The HTML form: dd/mm/yyyy, checkboxes and one input per province; errors come back beside the fields.
  const form = await coord.get('/chien-dich/moi');
  assert.equal(form.status, 200);
  assert.match(form.text, /name="target_nghe-an"/);
  const wrong = await coord.post('/chien-dich', { form: { name: 'X', starts_on: '02/03/2035', ends_on: '01/03/2035', svc_vneid: 'on', 'target_nghe-an': 'abc' } });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /class="err"/);
  assert.match(wrong.text, /Chỉ tiêu phải là số nguyên dương/);
  const posted = await coord.post('/chien-dich', { form: { name: uniq('Chiến dịch biểu mẫu'), starts_on: '02/03/2035', ends_on: '03/03/2035', svc_vneid: 'on', 'target_nghe-an': '2500' } });
  assert.ok([302, 303].includes(posted.status), posted.text.slice(0, 200));
  assert.match(posted.location, /^\/chien-dich\/\d+$/);
});

test('only the centre writes a campaign: a province officer, a team member, the public are refused and nothing is written', opts, async () => {
  const made = await coord.post('/api/door-to-door', { json: valid() });
  const id = made.data.id;
  const before = count('dtd_campaign'), name = sql(`SELECT name FROM dtd_campaign WHERE id = ${id}`);
  for (const [who, c] of [['officer', officer], ['team member', member]]) {
    assert.equal((await c.post('/api/door-to-door', { json: valid() })).status, 403, `${who} opens`);
    assert.equal((await c.post(`/api/door-to-door/${id}`, { json: valid({ name: 'Chiếm quyền' }) })).status, 403, `${who} edits`);
    assert.equal((await c.get('/chien-dich/moi')).status, 403, `${who} sees the form`);
    assert.equal((await c.post(`/api/door-to-door/${id}/honours`, { json: { team_id: 1, citation: 'x' } })).status, 403, `${who} honours`);
  }
  const a = await anon.post('/api/door-to-door', { json: valid() });
  assert.ok([401, 403].includes(a.status), `public: ${a.status}`);
  assert.equal(count('dtd_campaign'), before);
  assert.equal(sql(`SELECT name FROM dtd_campaign WHERE id = ${id}`), name);
  // A team member sees no live page either; the public is sent to sign in.
  assert.equal((await member.get(`/api/door-to-door/${id}`)).status, 403);
  assert.ok([401, 403].includes((await anon.get(`/api/door-to-door/${id}`)).status));
});

test('the live page adds up the entries: by service, day, province, commune; idle teams; downloads', opts, async () => {
  // A window of its own (2036 + a random month day) so no other test's entries fall in it.
  const start = `2036-0${1 + Math.floor(Math.random() * 9)}-0${1 + Math.floor(Math.random() * 5)}`;
  const days = [start, shift(start, 1), shift(start, 2)];
  const made = await coord.post('/api/door-to-door', { json: valid({ starts_on: start, ends_on: days[2], services: ['vneid', 'dvc', 'health'],
    targets: { 'nghe-an': 100, 'ha-tinh': 1000 } }) });
  assert.equal(made.status, 201, made.text);
  const id = made.data.id;
  const t1 = addTeam('demo-vinh-1', uniq('Tổ Trường Vinh'), 'Nguyễn Văn Tổ Trưởng');
  const t2 = addTeam('demo-vinh-2', uniq('Tổ Thành Vinh'), 'Lê Thị Hai');
  const t3 = addTeam('ha-tinh', uniq('Tổ Hà Tĩnh'), 'Phạm Văn Ba');
  const idleName = uniq('Tổ chưa đi');
  const idle = addTeam('demo-vinh-3', idleName, 'Trần Văn Nghỉ');
  const entries = [
    { team: t1, code: 'demo-vinh-1', day: days[0], people: 12, services: ['vneid', 'dvc'] },
    { team: t1, code: 'demo-vinh-1', day: days[0], people: 5, services: ['vneid'] },
    { team: t1, code: 'demo-vinh-1', day: days[2], people: 7, services: ['health', 'signature'] },
    { team: t2, code: 'demo-vinh-2', day: days[1], people: 20, services: ['dvc', 'cashless'] },
    { team: t3, code: 'ha-tinh', day: days[1], people: 9, services: ['vneid', 'health'] },
    // Outside the window: counts nowhere here.
    { team: t3, code: 'ha-tinh', day: shift(start, 5), people: 400, services: ['vneid'] },
  ];
  for (const e of entries) addEntry(e);
  const inWin = entries.filter((e) => days.includes(e.day));
  const sum = (xs) => xs.reduce((s, e) => s + e.people, 0);
  // The entries were written behind the server's back: a write through it moves the cache on, as the log's own would.
  await coord.post(`/api/door-to-door/${id}`, { json: valid({ starts_on: start, ends_on: days[2], services: ['vneid', 'dvc', 'health'], targets: { 'nghe-an': 100, 'ha-tinh': 1000 } }) });

  const r = await coord.get(`/api/door-to-door/${id}`);
  assert.equal(r.status, 200, r.text);
  const L = r.data;
  assert.equal(L.node.code, 'vn');
  assert.equal(L.total.people, sum(inWin));
  assert.equal(L.total.entries, inWin.length);
  for (const s of ['vneid', 'dvc', 'health'])
    assert.equal(L.by_service.find((x) => x.code === s).people, sum(inWin.filter((e) => e.services.includes(s))), `service ${s}`);
  assert.ok(!L.by_service.find((x) => x.code === 'cashless'), 'a service the campaign does not count is not listed');
  assert.deepEqual(L.by_day.map((d) => d.day), days);
  for (const d of days) assert.equal(L.by_day.find((x) => x.day === d).people, sum(inWin.filter((e) => e.day === d)), `day ${d}`);
  const prov = (code) => L.children.find((c) => c.code === code);
  assert.equal(prov('nghe-an').people, sum(inWin.filter((e) => e.code.startsWith('demo-vinh'))));
  assert.equal(prov('ha-tinh').people, sum(inWin.filter((e) => e.code === 'ha-tinh')));
  assert.equal(prov('thanh-hoa').people, 0, 'provinces with nothing are listed at zero (the map)');
  const tg = Object.fromEntries(L.targets.map((t) => [t.code, t]));
  assert.equal(tg['nghe-an'].people, prov('nghe-an').people);
  assert.equal(tg['nghe-an'].target, 100);
  assert.ok(Math.abs(tg['ha-tinh'].rate - 9 / 1000) < 1e-9);
  assert.equal(L.top_units[0].code, 'demo-vinh-1');
  assert.equal(L.top_units[0].people, 24);
  assert.ok(L.idle_teams.items.some((t) => t.id === idle && t.name === idleName), 'the idle team is listed');
  assert.ok(!L.idle_teams.items.some((t) => [t1, t2, t3].includes(t.id)), 'teams that logged are not');

  // Drill-down to the communes of Nghệ An.
  const d = (await coord.get(`/api/door-to-door/${id}?org=nghe-an`)).data;
  assert.equal(d.node.code, 'nghe-an');
  assert.equal(d.total.people, prov('nghe-an').people);
  assert.equal(d.children.find((c) => c.code === 'demo-vinh-1').people, 24);
  assert.equal(d.children.find((c) => c.code === 'demo-vinh-2').people, 20);
  assert.equal(d.by_service.find((x) => x.code === 'dvc').people, 32);
  assert.equal(d.by_day.find((x) => x.day === days[1]).people, 20);
  assert.deepEqual(d.targets.map((t) => t.code), ['nghe-an']);
  assert.ok(d.idle_teams.items.some((t) => t.id === idle));
  assert.ok(!d.idle_teams.items.some((t) => t.id === t3), 'a team of another province is not in scope');

  // The province officer sees their province by default, and not another one nor the nation.
  const o = await officer.get(`/api/door-to-door/${id}`);
  assert.equal(o.status, 200, o.text);
  assert.equal(o.data.node.code, 'nghe-an');
  assert.equal(o.data.total.people, d.total.people);
  assert.equal((await officer.get(`/api/door-to-door/${id}?org=ha-tinh`)).status, 403);
  assert.equal((await officer.get(`/api/door-to-door/${id}?org=vn`)).status, 403);

  // The HTML page: the map for the nation, the commune table when drilled down.
  const page = await coord.get(`/chien-dich/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg/);
  assert.match(page.text, new RegExp(`href="/chien-dich/${id}\\?org=nghe-an"`));
  assert.match(page.text, new RegExp(idleName));
  const dp = await coord.get(`/chien-dich/${id}?org=nghe-an`);
  assert.match(dp.text, /Phường Trường Vinh/);

  // Downloads: CSV and XLSX with a row checked.
  const csv = await coord.get(`/chien-dich/${id}?org=nghe-an&bang=ngay&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.text, new RegExp(`${vn(days[0])}[,;]17[,;]2`));
  const units = await coord.get(`/chien-dich/${id}?bang=don-vi&format=csv`);
  assert.match(units.text, new RegExp(`Hà Tĩnh[,;]ha-tinh[,;]9[,;]1`));
  const idleCsv = await coord.get(`/chien-dich/${id}?org=nghe-an&bang=chua-ghi-nhan&format=csv`);
  assert.match(idleCsv.text, new RegExp(idleName));
  const x = await fetch(`${BASE}/chien-dich/${id}?bang=dich-vu&format=xlsx`, { headers: { cookie: coord.cookieHeader() } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const files = unzip(Buffer.from(await x.arrayBuffer()));
  assert.match(files['xl/sharedStrings.xml'], /Định danh điện tử VNeID/);
  assert.match(files['xl/worksheets/sheet1.xml'], new RegExp(`<v>${L.by_service.find((s) => s.code === 'vneid').people}</v>`));
  assert.equal((await coord.get(`/chien-dich/${id}?bang=la&format=csv`)).status, 400);

  // The public page: counts by service, day and province, no names of teams, people or communes.
  const pub = await anon.get(`/chien-dich/${id}/cong-khai`);
  assert.equal(pub.status, 200);
  assert.match(pub.text, /người dân đã được hướng dẫn/);
  for (const n of [idleName, 'Nguyễn Văn Tổ Trưởng', 'Phường Trường Vinh', '0912000000']) assert.ok(!pub.text.includes(n), `public page names ${n}`);
  const pj = await anon.get(`/api/door-to-door/${id}/public`);
  assert.equal(pj.data.total.people, sum(inWin));
  assert.equal(pj.data.idle_teams, undefined);
  assert.equal(pj.data.top_units, undefined);
  assert.ok(!JSON.stringify(pj.data).includes('demo-vinh'));

  // Honours: the centre marks a team; it shows on the public honours page.
  const h = await coord.post(`/api/door-to-door/${id}/honours`, { json: { team_id: t2, citation: 'Hướng dẫn nhiều người nhất phường' } });
  assert.equal(h.status, 201, h.text);
  const hb = await coord.post(`/api/door-to-door/${id}/honours`, { json: { team_id: 999999999, citation: '' } });
  assert.equal(hb.status, 422);
  assert.ok(hb.data.fields.team_id && hb.data.fields.citation);
  const hp = await anon.get(`/chien-dich/${id}/vinh-danh`);
  assert.match(hp.text, /Hướng dẫn nhiều người nhất phường/);
  assert.doesNotMatch(hp.text, /name="pick"/, 'the public sees no candidates');

  // The centre picks from the campaign's most active teams and their members, or finds one by name without diacritics.
  const leader = +sql(`INSERT INTO cdt_member (team_id, name, team_role, origin, active, created_at)
    VALUES (${t1}, 'Hoàng Thị Tiêu Biểu', 'leader', 'youth_union', 1, '2026-01-01T00:00:00Z') RETURNING id`);
  const cp = await coord.get(`/chien-dich/${id}/vinh-danh`);
  const firstTeam = cp.text.indexOf(`value="t${t1}"`), secondTeam = cp.text.indexOf(`value="t${t2}"`);
  assert.ok(firstTeam > 0 && secondTeam > firstTeam, 'the most active team (24 people) comes before the next (20)');
  assert.ok(cp.text.includes(`value="m${leader}"`) && cp.text.includes('Hoàng Thị Tiêu Biểu'), 'its members can be picked');
  assert.ok(!cp.text.includes(`value="t${idle}"`), 'a team that logged nothing is not a candidate');
  const folded = fold(idleName);
  const found = await coord.get(`/chien-dich/${id}/vinh-danh?q=${encodeURIComponent(folded)}`);
  assert.ok(found.text.includes(`value="t${idle}"`), 'found by name without diacritics');
  const before = count('cdt_honour');
  const picked = await coord.post(`/chien-dich/${id}/vinh-danh`, { form: { pick: `m${leader}`, citation: 'Tổ trưởng tận tụy' } });
  assert.equal(picked.status, 303, picked.text);
  assert.equal(count('cdt_honour'), before + 1);
  assert.equal(+sql(`SELECT member_id FROM cdt_honour ORDER BY id DESC LIMIT 1`), leader);
  assert.match((await anon.get(`/chien-dich/${id}/vinh-danh`)).text, /Hoàng Thị Tiêu Biểu/);
});

test('a Youth Union branch\'s teams count in the province they work in, and still under the Youth Union', opts, async () => {
  const start = `2037-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 8)}`;
  const made = await coord.post('/api/door-to-door', { json: valid({ starts_on: start, ends_on: shift(start, 1), services: ['vneid'], targets: { 'nghe-an': 100 } }) });
  assert.equal(made.status, 201, made.text);
  const id = made.data.id;
  const youth = addTeam('doan-nghe-an', uniq('Đội hình thanh niên'), 'Đoàn Văn Trẻ');
  const commune = addTeam('demo-vinh-1', uniq('Tổ xã'), 'Lê Văn Xã');
  addEntry({ team: youth, code: 'doan-nghe-an', day: start, people: 30, services: ['vneid'] });
  addEntry({ team: commune, code: 'demo-vinh-1', day: start, people: 4, services: ['vneid'] });
  await coord.post(`/api/door-to-door/${id}`, { json: valid({ starts_on: start, ends_on: shift(start, 1), services: ['vneid'], targets: { 'nghe-an': 100 } }) });

  const L = (await coord.get(`/api/door-to-door/${id}`)).data;
  assert.equal(L.total.people, 34);
  assert.equal(L.children.find((c) => c.code === 'nghe-an').people, 34, 'the map counts the branch in its province');
  assert.equal(L.children.find((c) => c.code === 'tw-doan')?.people ?? 0, 0, 'and not a second time under the Youth Union');
  assert.equal(L.targets.find((t) => t.code === 'nghe-an').people, 34);
  assert.equal(L.top_units.find((u) => u.code === 'doan-nghe-an').province, 'Nghệ An');

  const p = (await coord.get(`/api/door-to-door/${id}?org=nghe-an`)).data;
  assert.equal(p.total.people, 34, 'the province page counts its Tỉnh đoàn');
  assert.equal(p.children.find((c) => c.code === 'doan-nghe-an').people, 30);
  assert.equal(p.by_service.find((s) => s.code === 'vneid').people, 34);
  assert.equal((await officer.get(`/api/door-to-door/${id}`)).data.total.people, 34);

  const y = (await coord.get(`/api/door-to-door/${id}?org=tw-doan`)).data;
  assert.equal(y.total.people, 30, 'the Youth Union still sees its own branches\' work');
  assert.equal(y.children.find((c) => c.code === 'doan-nghe-an').people, 30);
  const h = (await coord.get(`/api/door-to-door/${id}?org=ha-tinh`)).data;
  assert.equal(h.total.people, 0, 'another province counts none of it');
});

test('a campaign the centre keeps among officials shows nowhere on the portal until it is made public', opts, async () => {
  const bad = await coord.post('/api/door-to-door', { json: valid({ public: 'có' }) });
  assert.equal(bad.status, 422, bad.text);
  assert.ok(bad.data.fields.public, bad.text);
  const name = uniq('Chiến dịch nội bộ');
  const made = await coord.post('/api/door-to-door', { json: valid({ name, public: false }) });
  assert.equal(made.status, 201, made.text);
  const id = made.data.id;
  assert.equal(+sql(`SELECT is_public FROM dtd_campaign WHERE id = ${id}`), 0);
  for (const path of [`/api/door-to-door/${id}/public`, `/api/door-to-door/${id}/honours`, `/chien-dich/${id}/cong-khai`])
    assert.equal((await anon.get(path)).status, 404, path);
  assert.ok(!(await anon.get('/api/door-to-door')).text.includes(name), 'the public list leaves it out');
  assert.ok(!(await anon.get('/chien-dich')).text.includes(name));
  assert.equal((await coord.get(`/api/door-to-door/${id}/public`)).status, 200, 'the centre may look before it is public');
  assert.match((await coord.get('/chien-dich')).text, /Không công khai/);

  // The form: a box left unticked keeps it private; an edit through JSON without "public" leaves it as it is.
  const form = await coord.get(`/chien-dich/${id}/sua`);
  assert.equal(form.status, 200);
  assert.doesNotMatch(form.text, /name="is_public" checked/);
  const upd = await coord.post(`/api/door-to-door/${id}`, { json: valid({ name }) });
  assert.ok(upd.status < 300, upd.text);
  assert.equal(+sql(`SELECT is_public FROM dtd_campaign WHERE id = ${id}`), 0);
  const pub = await coord.post(`/api/door-to-door/${id}`, { json: valid({ name, public: true }) });
  assert.ok(pub.status < 300, pub.text);
  assert.equal((await anon.get(`/api/door-to-door/${id}/public`)).status, 200);
  assert.ok((await anon.get('/api/door-to-door')).text.includes(name));
});

test('the home page counts people guided during an open campaign, and not outside it', opts, async () => {
  const today = todayVn(), name = uniq('Chiến dịch hôm nay');
  const made = await coord.post('/api/door-to-door', { json: valid({ name, starts_on: today, ends_on: shift(today, 2), targets: {} }) });
  assert.equal(made.status, 201, made.text);
  const id = made.data.id;
  const team = addTeam('demo-vinh-4', uniq('Tổ hôm nay'), 'Tổ trưởng');
  addEntry({ team, code: 'demo-vinh-4', day: today, people: 31, services: ['vneid'] });
  await coord.post(`/api/door-to-door/${id}`, { json: valid({ name, starts_on: today, ends_on: shift(today, 2), targets: {} }) });
  let home, expected;
  for (let i = 0; i < 5; i++) {
    home = await anon.get('/');
    expected = +sql(`SELECT SUM(people) FROM guidance_day WHERE day >= '${today}' AND day <= '${shift(today, 2)}'`);
    if (home.text.includes(name) && home.text.includes(expected.toLocaleString('de-DE'))) break;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  assert.match(home.text, /người dân đã được hướng dẫn/);
  assert.ok(home.text.includes(name), 'the open campaign is named');
  assert.ok(home.text.includes(`<strong>${expected.toLocaleString('de-DE')}</strong>`), `the count ${expected}`);
  const api = await anon.get('/api/home');
  assert.equal(api.data.dtd.people, expected);
  // Kept among officials: no counter, though its window is open.
  await coord.post(`/api/door-to-door/${id}`, { json: valid({ name, starts_on: today, ends_on: shift(today, 2), targets: {}, public: false }) });
  assert.ok(!(await anon.get('/')).text.includes(name), 'no counter for a campaign that is not public');
  await coord.post(`/api/door-to-door/${id}`, { json: valid({ name, starts_on: today, ends_on: shift(today, 2), targets: {}, public: true }) });
  assert.ok((await anon.get('/')).text.includes(name), 'public again: counted again');
  // Closed: the window moved to the past; the cached home page follows the write.
  const moved = await coord.post(`/api/door-to-door/${id}`, { json: valid({ name, starts_on: shift(today, -20), ends_on: shift(today, -10), targets: {} }) });
  assert.equal(moved.status, 200);
  const after = await anon.get('/');
  assert.ok(!after.text.includes(name), 'no counter for a campaign outside its window');
});

// The entries of a zip file (stored or deflated) as text, read through its central directory.
function unzip(buf) {
  const out = {};
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip end record');
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20), nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32), local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out[name] = (method === 8 ? inflateRawSync(data) : data).toString();
    p += 46 + nlen + xlen + clen;
  }
  return out;
}
