// Targets (chỉ tiêu) are data, not tasks: a plan with a task table and a 40-row targets table is saved whole, by the
// command line and by the web, with the rows that need a look flagged; the plan page lists the targets; units of the
// monitoring agency report a value per year and the page shows progress; others get 403.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ADMIN, Client, OFFICER, skip, uniq } from './lib.mjs';
import { TEST_DB, sql } from './db.mjs';

const FIXTURE = readFileSync(new URL('../fixtures/plans/tasks_and_targets.md', import.meta.url), 'utf8');
// A copy of the fixture with a number (and so a text) of its own: each run and each test saves a distinct plan.
const fresh = () => { const n = `${Math.floor(Math.random() * 1e6)}/KH-UBND`; return { number: n, text: FIXTURE.replace('145/KH-UBND', n) }; };

async function login(who) { const c = new Client(); await c.login(...who); return c; }

let planId, officer;

test('import-plan --save saves a plan with a task table and a 40-row targets table and says how many rows need a look', { skip: skip || !TEST_DB }, async () => {
  const { number, text } = fresh();
  const file = `/tmp/dxday-targets-${uniq('f')}.md`;
  (await import('node:fs')).writeFileSync(file, text);
  let out;
  try {
    out = execFileSync('build/dxday', ['--db', TEST_DB, 'import-plan', file, '--save'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    assert.fail(`import-plan --save refused the document: ${e.stderr}`);
  }
  const r = JSON.parse(out);
  assert.equal(r.tasks, 7, 'six table rows and the closing report sentence; no empty task from the targets table');
  assert.ok(r.targets >= 41, `targets: ${r.targets}`);
  assert.ok(r.need_review >= 4 && r.need_review < 20, `rows that need a look: ${r.need_review}`);
  const id = Number(sql(`SELECT id FROM plan WHERE number = '${number}'`));
  assert.equal(id, r.id);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM task WHERE plan_id = ${id} AND title = ''`)), 0);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM plan_target WHERE plan_id = ${id} AND ref <> ''`)), 41);
  const range = sql(`SELECT op, lo, hi FROM plan_target WHERE plan_id = ${id} AND ref = '11'`);
  assert.match(range, /^range\|20(\.0)?\|25(\.0)?$/);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM plan_target WHERE plan_id = ${id} AND warnings IS NOT NULL`)) >= 4);
});

test('the web import reads the targets, shows them for review and saves them with the plan', { skip }, async () => {
  officer = await login(OFFICER);
  const { text } = fresh();
  const up = await officer.post('/api/plans/import', { json: { text } });
  assert.equal(up.status, 201, up.text);
  const p = up.data.plan;
  assert.ok(p.tasks.every((t) => t.title), 'no task without a title');
  const gdp = p.targets.find((t) => /Kinh tế số chiếm/.test(t.indicator));
  assert.ok(gdp, 'the target sentence "đến năm 2030, kinh tế số chiếm trên 30 % GRDP" is a target');
  assert.equal(gdp.year, 2030);
  assert.equal(gdp.op, 'gt');
  assert.equal(gdp.lo, 30);
  const t29 = p.targets.find((t) => t.ref === '29');
  assert.equal(t29.value, null);
  assert.ok(t29.warnings.length > 0, 'a row without its value is flagged');
  const page = await officer.get(`/ke-hoach/nhap/${up.data.draft}`);
  assert.match(page.text, /Chỉ tiêu \(4\d\)/);
  assert.match(page.text, /Tỷ trọng kinh tế số trong GRDP/);
  const saved = await officer.post(`/api/plans/drafts/${up.data.draft}`, { json: { plan: p, confirm: true } });
  assert.equal(saved.status, 201, saved.text);
  planId = saved.data.id;
  const got = (await new Client().get(`/api/plans/${planId}`)).data.plan;
  assert.ok(got.targets.length >= 41);
  assert.equal(got.tasks.filter((t) => !t.title).length, 0);
  const html = (await new Client().get(`/ke-hoach/${planId}`)).text;
  assert.match(html, /id="chi-tieu"/);
  assert.match(html, /Tỷ lệ chi phí logistics trên GRDP/);
  assert.match(html, /≤ 16 %/);
});

test('the monitoring agency reports an actual value per year; the plan page shows progress; others get 403', { skip }, async () => {
  const plan = (await officer.get(`/api/plans/${planId}`)).data.plan;
  const t1 = plan.targets.find((t) => t.ref === '1'); // ≥ 80 %, Văn phòng UBND tỉnh (Nghệ An)
  assert.equal(t1.can_report, true);
  const url = `/api/plans/${planId}/targets/${t1.id}/values`;
  const bad = await officer.post(url, { json: { year: 2026, value: 'nhiều' } });
  assert.equal(bad.status, 422);
  assert.match(bad.data.error, /.+/);
  const r = await officer.post(url, { json: { year: 2026, value: '72,5', note: 'Số liệu quý III' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.target.actual.value, 72.5);
  assert.equal(r.data.target.progress, 91);
  assert.equal(r.data.target.met, false);
  // a second report for the same year and unit replaces the first
  const r2 = await officer.post(url, { json: { year: 2026, value: '81' } });
  assert.equal(r2.data.target.met, true);
  assert.equal(r2.data.target.values.length, 1);
  const html = (await new Client().get(`/ke-hoach/${planId}`)).text;
  assert.match(html, /<progress max="100" value="100"/);
  assert.match(html, /Đã đạt/);
  if (TEST_DB) assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'plan.target.report' AND entity_id = '${t1.id}'`)) >= 2);
  // outside the agency's subtree: a Hà Tĩnh officer
  const admin = await login(ADMIN);
  const email = uniq('ht') + '@dxday.vn';
  assert.equal((await admin.post('/api/users', { json: { email, name: 'Cán bộ Hà Tĩnh', password: 'mat-khau-ht-1', role: 'officer', org: 'ha-tinh' } })).status, 201);
  const outsider = new Client();
  await outsider.login(email, 'mat-khau-ht-1');
  const denied = await outsider.post(url, { json: { year: 2026, value: '10' } });
  assert.equal(denied.status, 403);
  assert.match(denied.data.error, /.+/);
  const other = await officer.post(url, { json: { year: 2026, value: '10', org: 'ha-tinh' } });
  assert.equal(other.status, 403, 'a unit outside the agency cannot be named as the reporter');
  assert.equal((await new Client().post(url, { json: { year: 2026, value: '10' } })).status, 401);
  const after = (await new Client().get(`/api/plans/${planId}`)).data.plan.targets.find((t) => t.id === t1.id);
  assert.equal(after.actual.value, 81, 'refused reports wrote nothing');
});

test('targets are searchable, so the assistant can cite them', { skip }, async () => {
  const r = await new Client().get('/api/search?q=' + encodeURIComponent('chi phí logistics trên GRDP'));
  assert.equal(r.status, 200);
  const items = r.data.groups.flatMap((g) => g.items);
  assert.ok(items.some((i) => i.kind === 'target' && i.url.startsWith(`/ke-hoach/`)), JSON.stringify(items.slice(0, 3)));
});

test('a document whose rows are neither tasks nor targets is saved as text, nothing invented', { skip }, async () => {
  const tag = uniq('tb');
  const text = `THÔNG BÁO\nLịch trực cơ quan ${tag}\n\n| Ngày | Người trực |\n|---|---|\n| Thứ hai | Nguyễn Văn A |\n| Thứ ba | Trần Thị B |\n\nTỷ lệ tham gia khoảng 40 %.\n`;
  const up = await officer.post('/api/plans/import', { json: { text } });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.data.plan.tasks.length, 0);
  assert.equal(up.data.plan.targets.length, 0);
  const saved = await officer.post(`/api/plans/drafts/${up.data.draft}`, { json: { plan: up.data.plan, confirm: true } });
  assert.equal(saved.status, 201, saved.text);
  const p = (await officer.get(`/api/plans/${saved.data.id}`)).data.plan;
  assert.equal(p.tasks.length, 0);
  assert.equal(p.targets.length, 0);
  if (TEST_DB) assert.match(sql(`SELECT source_text FROM plan WHERE id = ${saved.data.id}`), new RegExp(tag));
});
