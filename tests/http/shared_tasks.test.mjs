// Shared tasks (issue 15): each lead unit keeps its own status and progress, the task's status is derived from them
// and says so; "done" with 50 % is refused, not silently made 100 %; a saved update says it was saved; and the
// dashboard's task counts are the task list's (recurring instances counted once, in both).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { COORD, Client, OFFICER, skip, uniq } from './lib.mjs';
import { sql } from './db.mjs';

let coord, officer, task, haTinh, ngheAn, planId;

before(async () => {
  if (skip) return;
  coord = new Client();
  await coord.login(...COORD);
  officer = new Client();
  await officer.login(...OFFICER);
  const number = `${uniq()}/KH-CHUNG`;
  const year = new Date().getFullYear();
  const plan = {
    number, title: `Kế hoạch thử nhiệm vụ chung ${number}`, issued: `${year}-01-05`, issuer: 'Bộ Khoa học và Công nghệ',
    tasks: [{ ref: '1', title: 'Nhiệm vụ chung của hai tỉnh', due: `${year + 1}-06-30`, lead: ['UBND tỉnh Hà Tĩnh', 'UBND tỉnh Nghệ An'], partners: [] }],
  };
  const r = await coord.post('/api/plans', { json: { plan } });
  assert.equal(r.status, 201, r.text);
  planId = r.data.id;
  task = (await coord.get(`/api/plans/${planId}`)).data.plan.tasks[0];
  haTinh = task.lead.find((u) => /Hà Tĩnh/.test(u.name)).org_id;
  ngheAn = task.lead.find((u) => /Nghệ An/.test(u.name)).org_id;
  assert.ok(haTinh && ngheAn, JSON.stringify(task.lead));
});

const updates = () => Number(sql(`SELECT COUNT(*) FROM task_update WHERE task_id = ${task.id}`));

test('one lead unit done: that unit is done, the task is not, and the page says 1/2', { skip }, async () => {
  const r = await coord.post(`/api/tasks/${task.id}/updates`, { json: { org: haTinh, status: 'done', progress: 100 } });
  assert.equal(r.status, 201, r.text);
  const t = r.data.task;
  assert.notEqual(t.status, 'done', 'one of two leads done does not finish the task');
  assert.equal(t.bucket, 'not_due');
  assert.equal(t.leads_done, 1);
  assert.equal(t.leads_total, 2);
  assert.equal(t.progress, 50, 'the task progress is the leads\' mean');
  const ht = t.lead.find((u) => u.org_id === haTinh), na = t.lead.find((u) => u.org_id === ngheAn);
  assert.equal(ht.status, 'done');
  assert.equal(ht.progress, 100);
  assert.equal(na.status, 'not_started');
  const page = await coord.get(`/nhiem-vu/${task.id}`);
  assert.match(page.text, /1\/2 đơn vị chủ trì đã hoàn thành/);
  // The plan's table words each lead's own status, not the task's.
  const plan = await coord.get(`/ke-hoach/${planId}`);
  assert.match(plan.text, /UBND tỉnh Hà Tĩnh<\/a> <small class="muted">\(Đã hoàn thành, 100%\)/);
  assert.match(plan.text, /UBND tỉnh Nghệ An<\/a> <small class="muted">\(Chưa thực hiện, 0%\)/);
  // Nghệ An's own inbox does not show the task as finished.
  const inbox = await officer.get(`/api/orgs/${ngheAn}/tasks`);
  const row = inbox.data.items.find((x) => x.id === task.id);
  assert.ok(row, 'in Nghệ An\'s inbox');
  assert.equal(row.bucket, 'not_due');
  assert.equal(row.lead.find((u) => u.org_id === ngheAn).status, 'not_started');
});

test('"done" with 50 % is refused with 422 and nothing is written', { skip }, async () => {
  const before = updates();
  const r = await officer.post(`/api/tasks/${task.id}/updates`, { json: { org: ngheAn, status: 'done', progress: 50 } });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.data.fields && r.data.fields.progress, r.text);
  assert.equal(updates(), before);
  const t = (await officer.get(`/api/tasks/${task.id}`)).data.task;
  assert.equal(t.lead.find((u) => u.org_id === ngheAn).status, 'not_started');
  // Through the page: the form comes back with the message, not a silent 100 %.
  const html = await officer.post(`/nhiem-vu/${task.id}/cap-nhat`, { form: { csrf: officer.csrf, org: ngheAn, status: 'done', progress: '50' } });
  assert.equal(html.status, 422);
  assert.match(html.text, /100/);
  assert.equal(updates(), before);
});

test('a saved update says so, and the last lead done finishes the task', { skip }, async () => {
  const r = await officer.post(`/nhiem-vu/${task.id}/cap-nhat`, { form: { csrf: officer.csrf, org: ngheAn, status: 'in_progress', progress: '60' } });
  assert.equal(r.status, 303, r.text);
  const page = await officer.get(r.location);
  assert.match(page.text, /Đã lưu cập nhật/);
  assert.match(page.text, /60%/);
  const done = await officer.post(`/api/tasks/${task.id}/updates`, { json: { org: ngheAn, status: 'done' } });
  assert.equal(done.status, 201, done.text);
  assert.equal(done.data.task.status, 'done');
  assert.equal(done.data.task.bucket, 'done_on_time');
  assert.equal(done.data.task.leads_done, 2);
  assert.equal(done.data.task.progress, 100);
  const page2 = await officer.get(`/nhiem-vu/${task.id}`);
  assert.match(page2.text, /2\/2 đơn vị chủ trì đã hoàn thành/);
});

test('the dashboard counts the tasks the task list counts, recurring instances included', { skip }, async () => {
  const year = new Date().getFullYear();
  const dash = (await coord.get(`/api/dashboard?nam=${year}`)).data;
  const b = (dash.dash || dash).tasks.buckets;
  const list = await coord.get(`/api/tasks?nam=${year}&limit=1`);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(b, list.data.buckets);
  const sum = Object.values(b).reduce((a, n) => a + n, 0);
  assert.equal(sum, list.data.all);
  // Recurring instances of the year's plans are among them: the demo has some.
  const inst = Number(sql(`SELECT COUNT(*) FROM task t JOIN plan p ON p.id = t.plan_id WHERE t.instance_of IS NOT NULL
    AND COALESCE(p.campaign_year, CAST(substr(p.issued, 1, 4) AS INTEGER)) = ${year}`));
  assert.ok(inst > 0, 'the demo has recurring instances this year');
  const listAll = await coord.get(`/api/tasks?nam=${year}&limit=10000`);
  assert.equal(listAll.data.items.filter((t) => t.instance_of).length, inst);
  assert.equal(listAll.data.items.length, sum);
});
