// The results report's "citizens guided by Community Digital Technology Teams" suggested from the guidance log, on a
// server of the test's own (the engine of DXDAY_TEST_DB): the sum for the unit's subtree and the report's year, prefilled
// while the report is not sent, never written by showing the form, and never put over what an officer sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprints, OwnClient, SANITIZER_REPORT, changed, startServer } from './ownserver.mjs';
import { sqlOn, q } from './db.mjs';

const PW = 'dxday-demo-2026';
const FORM = 'bao-cao-2026', CODE = 'nguoi_dan_duoc_huong_dan';
const FROM = '2026-01-01', TO = '2026-12-31';
let srv, fp, sql, ids = {}, c = {};
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${Date.now().toString(36)}-${++n}`;
const vn = (iso) => iso.split('-').reverse().join('/');
const dots = (v) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

const orgId = (code) => +sql(`SELECT id FROM org_unit WHERE code = ${q(code)}`);
const pathOf = (id) => sql(`SELECT path FROM org_unit WHERE id = ${id}`);
function team(org, name) {
  return +sql(`INSERT INTO cdt_team (org_id, name, name_folded, active, founded_on, created_at)
    VALUES (${org}, ${q(name)}, ${q(name.toLowerCase())}, 1, '2024-01-01', '2026-01-01T00:00:00Z') RETURNING id`);
}
function account(email, role, org) {
  const id = +sql(`INSERT INTO app_user (email, name, password_hash, active, created_at)
    SELECT ${q(email)}, 'Người dùng thử', password_hash, 1, '2026-01-01T00:00:00Z' FROM app_user WHERE email = 'nghean@dxday.vn' RETURNING id`);
  sql(`INSERT INTO user_role (user_id, role, org_id) VALUES (${id}, ${q(role)}, ${org})`);
  return id;
}
// An entry written as the store writes it: the entry and its unit's daily total together.
function logged(teamId, day, people) {
  const org = +sql(`SELECT org_id FROM cdt_team WHERE id = ${teamId}`);
  sql(`INSERT INTO guidance_entry (client_id, team_id, org_id, user_id, day, people, services, created_at)
         VALUES (${q(crypto.randomUUID())}, ${teamId}, ${org}, ${ids.m}, ${q(day)}, ${people}, '["vneid"]', '2026-01-01T00:00:00Z');
       INSERT INTO guidance_day (org_id, day, entries, people, male, female, age_u18, age_18_35, age_36_59, age_60p)
         VALUES (${org}, ${q(day)}, 1, ${people}, 0, 0, 0, 0, 0, 0)
         ON CONFLICT (org_id, day) DO UPDATE SET entries = guidance_day.entries + 1, people = guidance_day.people + excluded.people`);
}
// The figure computed here, independently of the server: the subtree's daily totals within the year.
function expected(org) {
  const p = pathOf(org);
  const [people, entries, from, to] = sql(`SELECT COALESCE(SUM(g.people), 0), COALESCE(SUM(g.entries), 0), MIN(g.day), MAX(g.day)
    FROM guidance_day g JOIN org_unit o ON o.id = g.org_id
    WHERE o.path LIKE ${q(p + '%')} AND g.day >= ${q(FROM)} AND g.day <= ${q(TO)}`).split('|');
  const teams = +sql(`SELECT COUNT(*) FROM cdt_team t JOIN org_unit o ON o.id = t.org_id WHERE o.path LIKE ${q(p + '%')}
    AND EXISTS (SELECT 1 FROM guidance_entry e WHERE e.team_id = t.id AND e.day >= ${q(FROM)} AND e.day <= ${q(TO)})`);
  return { value: +people, entries: +entries, teams, from, to };
}
const page = (client, org) => client.get(`/bao-cao/${FORM}/don-vi/${org}`);
const json = (client, org) => client.get(`/api/forms/${FORM}/submissions/${org}`);
const fieldValue = (html, code) => {
  const m = html.match(new RegExp(`<input id="f-${code}"[^>]*value="([^"]*)"`));
  assert.ok(m, `the field ${code} on the page`);
  return m[1];
};
const required = { so_hoat_dong: 12, luot_tham_gia: 3400 };

before(async () => {
  srv = await startServer();
  sql = (s) => sqlOn(srv.db, s);
  fp = new Fingerprints(srv.db);
  ids.na = orgId('nghe-an');
  ids.c1 = orgId('demo-vinh-2');   // a Nghệ An commune with demo entries and no 2026 report yet
  ids.c2 = orgId('demo-vinh-5');   // a Nghệ An commune with an idle demo team and no 2026 report yet
  ids.sent = orgId('demo-vinh-1'); // a Nghệ An commune whose 2026 report the demo data sent, and with demo entries
  // A province with no 2026 report and nothing in the log below it (the centre's coordinator may send for it).
  // Two such provinces: one stays empty, the other gets a team of its own and its own officer.
  [ids.empty, ids.ht] = sql(`SELECT p.id FROM org_unit p WHERE p.kind = 'province' AND p.valid_to IS NULL
    AND NOT EXISTS (SELECT 1 FROM submission s JOIN form f ON f.id = s.form_id WHERE f.code = ${q(FORM)} AND s.org_id = p.id)
    AND NOT EXISTS (SELECT 1 FROM guidance_day g JOIN org_unit o ON o.id = g.org_id WHERE o.path LIKE p.path || '%')
    AND p.id <> ${ids.na} ORDER BY p.id LIMIT 2`).split('\n').map(Number);
  assert.ok(ids.na && ids.ht && ids.ht !== ids.empty && ids.c1 && ids.c2 && ids.sent && ids.empty, 'demo units');
  ids.t1 = team(ids.c1, uniq('Tổ một'));
  ids.t2 = team(ids.c2, uniq('Tổ hai'));
  ids.tHT = team(ids.ht, uniq('Tổ tỉnh khác'));
  const memberEmail = uniq('tv') + '@dxday.vn', htEmail = uniq('ht') + '@dxday.vn';
  ids.m = account(memberEmail, 'team_member', ids.c1);
  sql(`INSERT INTO cdt_member (team_id, name, user_id, active, created_at) VALUES (${ids.t1}, 'Nguyễn Văn Thử', ${ids.m}, 1, '2026-01-01T00:00:00Z')`);
  account(htEmail, 'officer', ids.ht);
  c.m = await new OwnClient(srv.url).login(memberEmail, PW);
  c.officer = await new OwnClient(srv.url).login('nghean@dxday.vn', PW);
  c.ht = await new OwnClient(srv.url).login(htEmail, PW);
  c.coord = await new OwnClient(srv.url).login('dieuphoi@dxday.vn', PW);
});

after(async () => {
  fp?.close();
  if (!srv) return;
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

test('the form suggests the log\'s sum for the unit\'s subtree and the report\'s year, and showing it writes nothing', async () => {
  const before0 = (await json(c.officer, ids.na)).data;
  assert.deepEqual(before0.suggestions?.[CODE], expected(ids.na), 'the demo log of Nghệ An');
  assert.ok(before0.suggestions[CODE].value > 0);

  // One entry inside the period and the subtree, sent as a member would; the others are outside one or the other.
  const r = await c.m.post('/api/guidance', { json: { client_id: crypto.randomUUID(), team_id: ids.t1, day: '2026-11-20', people: 41, services: ['vneid'] } });
  assert.equal(r.status, 201, r.text);
  logged(ids.t2, '2026-03-04', 9);     // inside: another commune of the province
  logged(ids.t2, '2025-12-31', 300);   // the year before
  logged(ids.t1, '2027-01-02', 200);   // the year after
  logged(ids.tHT, '2026-11-20', 77);   // another province

  const fp0 = await fp.take();
  const na = (await json(c.officer, ids.na)).data.suggestions[CODE];
  assert.deepEqual(na, expected(ids.na));
  assert.equal(na.value, before0.suggestions[CODE].value + 41 + 9);
  assert.equal(na.entries, before0.suggestions[CODE].entries + 2);
  assert.equal(na.teams, before0.suggestions[CODE].teams + 2);
  assert.equal(na.from, '2026-03-04');
  assert.equal(na.to, '2026-11-20');

  // A commune counts its own subtree only.
  const c1 = (await json(c.officer, ids.c1)).data.suggestions[CODE];
  assert.deepEqual(c1, expected(ids.c1));
  assert.ok(c1.value >= 41 && c1.value < na.value);
  assert.deepEqual((await json(c.officer, ids.c2)).data.suggestions[CODE], { value: 9, entries: 1, teams: 1, from: '2026-03-04', to: '2026-03-04' });
  const ht = (await json(c.ht, ids.ht)).data.suggestions[CODE];
  assert.deepEqual(ht, expected(ids.ht));
  assert.ok(ht.value >= 77);

  // The page: the suggestion in words, and the empty field filled with it; other fields stay empty.
  const html = (await page(c.officer, ids.na)).text;
  assert.ok(html.includes(`Theo nhật ký hướng dẫn: ${dots(na.value)} người, từ ${vn(na.from)} đến ${vn(na.to)}`), html.slice(0, 4000));
  assert.match(html, /dùng số này/);
  assert.equal(fieldValue(html, CODE), String(na.value));
  assert.equal(fieldValue(html, 'so_hoat_dong'), '');
  assert.deepEqual(changed(fp0, await fp.take()), [], 'showing the form writes nothing');
});

test('a unit with nothing in the log gets no suggestion and an empty field', async () => {
  const r = await json(c.coord, ids.empty);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'missing');
  assert.deepEqual(r.data.suggestions, {});
  const html = (await page(c.coord, ids.empty)).text;
  assert.match(html, /<form method="post"/, 'the coordinator may fill it in');
  assert.ok(!html.includes('Theo nhật ký hướng dẫn'));
  assert.equal(fieldValue(html, CODE), '');
});

test('a draft keeps its own figure: the log is offered beside it, not put into the field', async () => {
  const r = await c.officer.post(`/api/forms/${FORM}/submissions/${ids.c1}`, { json: { action: 'save', values: { [CODE]: 5 } } });
  assert.equal(r.status, 200, r.text);
  const got = (await json(c.officer, ids.c1)).data;
  assert.deepEqual(got.suggestions[CODE], expected(ids.c1));
  const html = (await page(c.officer, ids.c1)).text;
  assert.equal(fieldValue(html, CODE), '5');
  assert.ok(html.includes(`Theo nhật ký hướng dẫn: ${dots(got.suggestions[CODE].value)} người`));
});

test('the officer may send another figure: the stored value is theirs and a sent report shows it without the log', async () => {
  const suggested = (await json(c.officer, ids.na)).data.suggestions[CODE].value;
  const mine = suggested + 1234;
  const r = await c.officer.post(`/api/forms/${FORM}/submissions/${ids.na}`, { json: { action: 'submit', values: { ...required, [CODE]: mine } } });
  assert.equal(r.status, 201, r.text);
  const stored = +sql(`SELECT v.num FROM submission s JOIN form f ON f.id = s.form_id JOIN submission_value v ON v.submission_id = s.id
    JOIN indicator i ON i.id = v.indicator_id WHERE f.code = ${q(FORM)} AND s.org_id = ${ids.na} AND i.code = ${q(CODE)}`);
  assert.equal(stored, mine);

  logged(ids.t2, '2026-06-06', 15);   // the log grows after the report was sent
  const fp0 = await fp.take();
  const got = (await json(c.officer, ids.na)).data;
  assert.equal(got.status, 'submitted');
  assert.equal(got.suggestions?.[CODE], undefined, 'no suggestion once sent');
  assert.equal(got.submission.values[CODE], mine);
  const html = (await page(c.officer, ids.na)).text;
  assert.equal(fieldValue(html, CODE), dots(mine), 'written back as Vietnamese write it');
  assert.ok(!html.includes('Theo nhật ký hướng dẫn'));
  assert.deepEqual(changed(fp0, await fp.take()), [], 'showing a sent report writes nothing');

  // A report the demo data sent keeps its figure though the log says otherwise.
  const log = expected(ids.sent).value;
  const sent = (await json(c.officer, ids.sent)).data;
  assert.equal(sent.status, 'submitted');
  assert.ok(log > 0 && sent.submission.values[CODE] !== log, 'the demo report differs from the log');
  assert.equal(sent.suggestions?.[CODE], undefined);
  assert.equal(fieldValue((await page(c.officer, ids.sent)).text, CODE), dots(sent.submission.values[CODE]));
});

test('another province\'s officer gets no figure for a unit they may not see', async () => {
  for (const org of [ids.na, ids.c1]) {
    const j = await json(c.ht, org);
    assert.equal(j.status, 403, j.text);
    assert.equal(j.data.suggestions, undefined);
    const h = await page(c.ht, org);
    assert.equal(h.status, 403);
    assert.ok(!h.text.includes('Theo nhật ký hướng dẫn'));
  }
  const member = await json(c.m, ids.c1);
  assert.equal(member.status, 403, 'a team member does not see the report');
});
