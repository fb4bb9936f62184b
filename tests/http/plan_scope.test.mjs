// Saving a plan stays within the saver's scope: the issuer, every lead unit and the parent plan must be the saver's
// units (a role on a unit covers its subtree); partners outside it are proposals their own units accept. Tried for
// every role through POST /api/plans and the import confirm step; a refusal writes nothing anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, COORD, Client, OFFICER, skip, uniq } from './lib.mjs';

const LEARNER = ['hocvien@dxday.vn', 'dxday-demo-2026'];
const DOAN = ['doan.nghean@dxday.vn', 'dxday-demo-2026'];

const clients = {};
async function as(name) {
  if (name === 'anonymous') return new Client();
  if (!clients[name]) {
    const c = new Client();
    await c.login(...{ learner: LEARNER, doan: DOAN, nghean: OFFICER, coord: COORD, admin: ADMIN }[name]);
    clients[name] = c;
  }
  return clients[name];
}

const plan = (number, issuer, tasks) => ({ number, title: `Kế hoạch thử phạm vi ${number}`, issued: '2026-09-01', issuer, tasks });
const task = (ref, lead, partners = [], extra = {}) => ({ ref, title: `Nhiệm vụ ${ref} thử phạm vi`, due: '2026-10-05', lead, partners, ...extra });


// Everything a refused save could have left behind, looked for by the plan's unique number.
async function traces(number) {
  const found = [];
  const pub = await new Client().get('/api/plans');
  const flat = [];
  const walk = (items) => items.forEach((p) => { flat.push(p); walk(p.children || []); });
  walk(pub.data.items);
  if (flat.some((p) => p.number === number)) found.push('public plan list');
  const coord = await as('coord');
  for (const org of ['bo-ca', 'ha-tinh', 'nghe-an', 'doan-nghe-an']) {
    const inbox = await coord.get(`/api/orgs/${org}/tasks?limit=10000`);
    if (inbox.data.items.some((t) => t.plan_number === number)) found.push(`inbox of ${org}`);
  }
  const search = await new Client().get(`/api/search?q=${encodeURIComponent(number)}`);
  if (search.status === 200 && JSON.stringify(search.data.groups || []).includes(number)) found.push('search');
  return found;
}

const post = async (who, body) => (await as(who)).post('/api/plans', { json: body });

let haTinhPlan; // a plan of another province, saved by the national coordinator
let demoPlan;   // 2026/KH-DEMO: the ministry's sample plan naming UBND tỉnh Nghệ An as lead

test('setup: the national coordinator may name anyone, and saves a plan of Hà Tĩnh', { skip }, async () => {
  const number = uniq('HT') + '/KH-UBND';
  const r = await post('coord', plan(number, 'UBND tỉnh Hà Tĩnh', [task('1', ['UBND tỉnh Hà Tĩnh'])]));
  assert.equal(r.status, 201, r.text);
  haTinhPlan = { id: r.data.id, number };
  const all = (await new Client().get('/api/plans')).data.items;
  demoPlan = all.find((p) => p.number === '2026/KH-DEMO');
  assert.ok(demoPlan, 'the demo plans are seeded');
});

test('anonymous and learner cannot save a plan at all, and nothing is written', { skip }, async () => {
  for (const who of ['anonymous', 'learner']) {
    const number = uniq(who) + '/KH';
    const r = await post(who, plan(number, 'UBND tỉnh Nghệ An', [task('1', ['UBND tỉnh Nghệ An'])]));
    assert.equal(r.status, who === 'anonymous' ? 401 : 403, `${who}: ${r.text}`);
    assert.deepEqual(await traces(number), [], who);
  }
});

for (const who of ['doan', 'nghean']) {
  const own = who === 'doan' ? 'Tỉnh đoàn Nghệ An' : 'UBND tỉnh Nghệ An';

  test(`${who}: a plan issued in the name of the Ministry of Public Security is refused and leaves no trace`, { skip }, async () => {
    const number = uniq('BCA') + '/KH-BCA';
    const r = await post(who, plan(number, 'Bộ Công an', [task('1', ['Bộ Công an'])]));
    assert.equal(r.status, 403, r.text);
    assert.match(r.data.fields.issuer, /Bộ Công an.*ngoài phạm vi/);
    assert.match(r.data.fields['tasks[0].lead'], /Bộ Công an/);
    assert.deepEqual(await traces(number), []);
  });

  test(`${who}: the issuer out of scope alone is refused`, { skip }, async () => {
    const number = uniq('HT') + '/KH';
    const r = await post(who, plan(number, 'UBND tỉnh Hà Tĩnh', [task('1', [own])]));
    assert.equal(r.status, 403, r.text);
    assert.ok(r.data.fields.issuer, r.text);
    assert.equal(r.data.fields['tasks[0].lead'], undefined, 'the own unit as lead is fine');
    assert.deepEqual(await traces(number), []);
  });

  test(`${who}: a lead out of scope is refused, by name and by id, naming the unit`, { skip }, async () => {
    const bca = (await (await as('coord')).get('/api/orgs/bo-ca')).data;
    const bcaId = bca.id ?? bca.org?.id;
    assert.ok(bcaId, JSON.stringify(bca).slice(0, 200));
    const number = uniq('LEAD') + '/KH';
    const r = await post(who, plan(number, own, [task('1', [own]), task('2', ['Bộ Công an']), task('3', [], [], { lead_ids: [bcaId] })]));
    assert.equal(r.status, 403, r.text);
    assert.equal(r.data.fields['tasks[0].lead'], undefined);
    assert.match(r.data.fields['tasks[1].lead'], /Bộ Công an/);
    assert.match(r.data.fields['tasks[2].lead'], /Bộ Công an/);
    assert.deepEqual(await traces(number), []);
  });

  test(`${who}: a parent plan out of scope is refused`, { skip }, async () => {
    const number = uniq('PARENT') + '/KH';
    const r = await post(who, { plan: plan(number, own, [task('1', [own])]), parent_id: haTinhPlan.id });
    assert.equal(r.status, 403, r.text);
    assert.match(r.data.fields.parent_id, /ngoài phạm vi/);
    assert.deepEqual(await traces(number), []);
    const children = (await new Client().get(`/api/plans/${haTinhPlan.id}`)).data.plan.children;
    assert.ok(!children.some((c) => c.number === number));
  });

  test(`${who}: the import confirm step refuses the same, for JSON and for the review form`, { skip }, async () => {
    const c = await as(who);
    const number = uniq('IMP') + '/KH-BCA';
    const text = `BỘ CÔNG AN\n\nSố: ${number}\n\nHà Nội, ngày 01 tháng 9 năm 2026\n\nKẾ HOẠCH\nThử nhập kế hoạch ngoài phạm vi\n\n` +
      'II. NHIỆM VỤ\n\n1. Triển khai thử nghiệm ở các đơn vị\n- Đơn vị chủ trì: Bộ Công an\n- Thời gian hoàn thành: trước ngày 05/10/2026\n';
    const up = await c.post('/api/plans/import', { form: { text } });
    assert.equal(up.status, 201, up.text);
    const draft = up.data.draft;
    const p = up.data.plan;
    p.issuer = 'Bộ Công an';
    const viaJson = await c.post(`/api/plans/drafts/${draft}`, { json: { plan: p } });
    assert.equal(viaJson.status, 403, viaJson.text);
    assert.ok(viaJson.data.fields.issuer && viaJson.data.fields['tasks[0].lead'], viaJson.text);
    // The review form (HTML) names the fields and keeps the draft.
    const viaForm = await c.post(`/ke-hoach/nhap/${draft}`, { form: { title: 'Thử', issuer: 'Bộ Công an', t0_lead: 'Bộ Công an', t0_ref: '1', t0_title: 'Thử' } });
    assert.equal(viaForm.status, 403);
    assert.match(viaForm.text, /ngoài phạm vi/);
    assert.equal((await c.get(`/api/plans/drafts/${draft}`)).status, 200, 'the draft is kept for correction');
    // A parent out of scope given with an otherwise valid draft.
    p.issuer = own;
    p.tasks = [task('1', [own])];
    const viaParent = await c.post(`/api/plans/drafts/${draft}`, { json: { plan: p, parent_id: haTinhPlan.id } });
    assert.equal(viaParent.status, 403, viaParent.text);
    assert.deepEqual(await traces(number), []);
  });
}

test('a province names its departments and communes; a partner outside its subtree is only proposed', { skip }, async () => {
  const nghean = await as('nghean');
  const number = uniq('NA') + '/KH-UBND';
  const body = { plan: plan(number, 'UBND tỉnh Nghệ An', [
    task('1', ['Sở Khoa học và Công nghệ tỉnh Nghệ An'], ['Tỉnh đoàn Nghệ An', 'Hội Tin học tỉnh Nghệ An']),
    task('2', ['UBND tỉnh Nghệ An']),
  ]), parent_id: demoPlan.id };
  const r = await nghean.post('/api/plans', { json: body });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.data.proposed.map((x) => [x.org_code, x.status]), [['doan-nghe-an', 'proposed']]);
  const saved = (await new Client().get(`/api/plans/${r.data.id}`)).data.plan;
  assert.equal(saved.parent_id, demoPlan.id);
  const t1 = saved.tasks.find((t) => t.ref === '1');
  assert.deepEqual(t1.partners.map((u) => u.org_code), ['hoi-tin-hoc-nghe-an'], 'the proposed partner is not on the portal yet');
  const coord = await as('coord');
  assert.ok((await coord.get('/api/orgs/so-khcn-nghe-an/tasks')).data.items.some((t) => t.plan_number === number));
  assert.ok(!(await coord.get('/api/orgs/doan-nghe-an/tasks')).data.items.some((t) => t.plan_number === number),
    'not in the Youth Union\'s inbox before it accepts');

  // The proposed unit cannot report on the task yet; the proposer cannot accept for it.
  const doan = await as('doan');
  assert.equal((await doan.post(`/api/tasks/${t1.id}/updates`, { json: { status: 'in_progress', progress: 10 } })).status, 403);
  const pending = (await doan.get('/api/tasks/proposals')).data.items.find((x) => x.task_id === t1.id);
  assert.ok(pending, 'the Youth Union sees the proposal');
  assert.ok(!(await nghean.get('/api/tasks/proposals')).data.items.some((x) => x.id === pending.id), 'not the proposer\'s to decide');
  assert.equal((await nghean.post(`/api/tasks/proposals/${pending.id}`, { json: { decision: 'accept' } })).status, 403);
  assert.equal((await doan.post(`/api/tasks/proposals/${pending.id}`, { json: { decision: 'maybe' } })).status, 400);
  assert.equal((await new Client().post(`/api/tasks/proposals/${pending.id}`, { json: { decision: 'accept' } })).status, 401);

  const ok = await doan.post(`/api/tasks/proposals/${pending.id}`, { json: { decision: 'accept' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.data.proposal.status, 'accepted');
  assert.equal((await doan.post(`/api/tasks/proposals/${pending.id}`, { json: { decision: 'decline' } })).status, 409);
  const after = (await new Client().get(`/api/plans/${r.data.id}`)).data.plan.tasks.find((t) => t.ref === '1');
  assert.deepEqual(after.partners.map((u) => u.org_code).sort(), ['doan-nghe-an', 'hoi-tin-hoc-nghe-an']);
  assert.ok((await coord.get('/api/orgs/doan-nghe-an/tasks?role=partner')).data.items.some((t) => t.plan_number === number));
  assert.equal((await doan.post(`/api/tasks/${t1.id}/updates`, { json: { status: 'in_progress', progress: 10 } })).status, 201);
});

test('the Youth Union saves its own plan under a plan that names it; a cited plan out of scope stays a citation', { skip }, async () => {
  const doan = await as('doan');
  const all = (await new Client().get('/api/plans')).data;
  const flat = [];
  const walk = (items) => items.forEach((p) => { flat.push(p); walk(p.children || []); });
  walk(all.items);
  const provincial = flat.find((p) => p.number === '88/KH-DEMO');
  const number = uniq('TD') + '/KH-TĐTN';
  const r = await doan.post('/api/plans', { json: { plan: plan(number, 'Tỉnh đoàn Nghệ An', [task('1', ['Tỉnh đoàn Nghệ An'])]), parent_id: provincial.id } });
  assert.equal(r.status, 201, r.text);
  assert.equal((await doan.get(`/api/plans/${r.data.id}`)).data.plan.parent_id, provincial.id);

  const cited = uniq('CITE') + '/KH';
  const c = await doan.post('/api/plans', { json: { plan: { ...plan(cited, 'Tỉnh đoàn Nghệ An', [task('1', ['Tỉnh đoàn Nghệ An'])]), cites: [haTinhPlan.number] } } });
  assert.equal(c.status, 201, c.text);
  const p = (await doan.get(`/api/plans/${c.data.id}`)).data.plan;
  assert.equal(p.parent_id, null, 'not hung under another province\'s plan');
  assert.deepEqual(p.cites.map((x) => x.number), [haTinhPlan.number]);
});

test('the national coordinator and the admin name anyone: issuer, lead and parent', { skip }, async () => {
  for (const who of ['coord', 'admin']) {
    const number = uniq(who) + '/KH-BCA';
    const r = await post(who, { plan: plan(number, 'Bộ Công an', [task('1', ['Bộ Công an'], ['Tỉnh đoàn Nghệ An'])]), parent_id: haTinhPlan.id });
    assert.equal(r.status, 201, `${who}: ${r.text}`);
    assert.deepEqual(r.data.proposed, [], 'nothing is outside a national scope');
    assert.ok((await (await as('coord')).get('/api/orgs/bo-ca/tasks')).data.items.some((t) => t.plan_number === number));
  }
});
