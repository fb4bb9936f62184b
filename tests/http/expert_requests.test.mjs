// Requests for an expert and the activities that end them (issue 18): a unit asks within its subtree only (403
// outside), the centre or the requesting unit's parent proposes experts, the expert accepts or declines signed in as
// themself, an activity closes the request and shows on the expert's page. Each bad input and each role that may not
// act is refused with nothing written. Against the suite's server, on either engine.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, skip } from './lib.mjs';
import { account, approvedExpert, count, dayOffset, roles, snapshot, sql, today, uniq } from './expert_helpers.mjs';

let c;
before(async () => { if (!skip) c = await roles(); });

const ask = (over = {}) => ({ org: 'nghe-an', topic: `Tư vấn kế hoạch dữ liệu ${uniq('yc')}`, field: 'data', starts_on: dayOffset(7),
  ends_on: dayOffset(8), mode: 'in_person', place: 'Hội trường tỉnh', ...over });

async function refusedClean(what, send, statuses = [403]) {
  const before = snapshot();
  const r = await send();
  assert.ok(statuses.includes(r.status), `${what}: expected ${statuses}, got ${r.status} ${r.text.slice(0, 200)}`);
  assert.equal(snapshot(), before, `${what} wrote nothing`);
  return r;
}

test('a unit asks for an expert within its subtree only; bad requests name the field', { skip }, async () => {
  const r = await c.nghean.post('/api/expert-requests', { json: ask() });
  assert.equal(r.status, 201, r.text);
  assert.equal(sql(`SELECT status FROM expert_request WHERE id = ${r.data.id}`), 'open');
  assert.equal(count('audit_log', `action = 'expert_request.create' AND entity_id = '${r.data.id}'`), 1);
  const child = await c.nghean.post('/api/expert-requests', { json: ask({ org: 'demo-vinh-1', mode: 'online', place: '' }) });
  assert.equal(child.status, 201, 'a unit below is within the subtree');
  for (const org of ['ha-tinh', 'vn', 'bo-ca'])
    await refusedClean(`request for ${org}`, () => c.nghean.post('/api/expert-requests', { json: ask({ org }) }));
  const learner = await account(c.admin);
  await refusedClean('a learner', () => learner.post('/api/expert-requests', { json: ask() }));
  await refusedClean('the public', () => new Client().post('/api/expert-requests', { json: ask() }), [401, 403, 303]);
  const bad = [[{ topic: '' }, 'topic'], [{ field: 'khong-co' }, 'field'], [{ starts_on: 'mai' }, 'starts_on'],
    [{ starts_on: dayOffset(-3), ends_on: dayOffset(-2) }, 'starts_on'], [{ ends_on: dayOffset(2) }, 'ends_on'],
    [{ mode: 'bay' }, 'mode'], [{ place: '' }, 'place'], [{ org: 'khong-co-don-vi' }, 'org']];
  for (const [over, field] of bad) {
    const res = await refusedClean(JSON.stringify(over), () => c.nghean.post('/api/expert-requests', { json: ask(over) }), [422]);
    assert.ok(JSON.stringify(res.data).includes(field), `${field} named: ${res.text}`);
  }
});

test('the centre or the parent matches; the requesting unit itself does not; the expert answers', { skip }, async () => {
  const e1 = await approvedExpert(c.admin, c.centre, { fields: ['data'] });
  const e2 = await approvedExpert(c.admin, c.centre, { fields: ['data'] });
  const id = (await c.nghean.post('/api/expert-requests', { json: ask() })).data.id;
  // Nghệ An's own officer asked for Nghệ An: its parent is the nation, so only the centre matches.
  await refusedClean('the requester matching itself', () => c.nghean.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [e1.id] } }));
  await refusedClean('an expert matching', () => e1.client.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [e1.id] } }));
  const officerOut = await account(c.admin, 'officer', 'ha-tinh');
  await refusedClean('another province reading', () => officerOut.get(`/api/expert-requests/${id}`), [404]);
  await refusedClean('another province matching', () => officerOut.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [e1.id] } }), [403, 404]);
  await refusedClean('no expert', () => c.centre.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [] } }), [422]);
  const pending = (await (await account(c.admin)).post('/api/experts', { json: { name: 'Chưa duyệt', province: 'nghe-an', fields: ['data'] } })).data.id;
  await refusedClean('a pending expert', () => c.centre.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [e1.id, pending] } }), [422]);
  let r = await c.centre.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [e1.id, e2.id] } });
  assert.equal(r.status, 200, r.text);
  assert.equal(sql(`SELECT status FROM expert_request WHERE id = ${id}`), 'matched');
  await refusedClean('matching twice', () => c.centre.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [e1.id] } }), [409]);
  // A ward's request: Nghệ An's officer is above its parent, so matches it.
  const ward = (await c.nghean.post('/api/expert-requests', { json: ask({ org: 'demo-vinh-1' }) })).data.id;
  r = await c.nghean.post(`/api/expert-requests/${ward}/match`, { json: { expert_ids: [e2.id] } });
  assert.equal(r.status, 200, `the parent matches: ${r.text}`);
  // Answers: the experts proposed, themselves; nobody else.
  const stranger = await approvedExpert(c.admin, c.centre);
  await refusedClean('an expert not proposed', () => stranger.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'accept' } }), [404]);
  await refusedClean('answering for another expert', () => stranger.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'accept', expert_id: e1.id } }));
  await refusedClean('a unit officer answering', () => c.nghean.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'accept' } }));
  await refusedClean('a bad decision', () => e1.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'maybe' } }), [422]);
  assert.equal((await e1.client.get(`/api/expert-requests/${id}`)).status, 200, 'a proposed expert reads the request');
  assert.equal((await stranger.client.get(`/api/expert-requests/${id}`)).status, 404, 'another expert does not');
  r = await e1.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'accept' } });
  assert.equal(r.status, 200, r.text);
  r = await e2.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'decline' } });
  assert.equal(r.status, 200, r.text);
  await refusedClean('answering twice', () => e1.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'decline' } }), [409]);
  assert.equal(sql(`SELECT status FROM expert_match WHERE request_id = ${id} ORDER BY expert_id`), 'accepted\ndeclined');
  assert.equal(count('audit_log', `action = 'expert_request.answer' AND entity_id = '${id}'`), 2);
  const seen = await c.nghean.get(`/api/expert-requests/${id}`);
  assert.deepEqual(seen.data.request.matches.map((m) => m.status).sort(), ['accepted', 'declined']);
  assert.ok(!seen.text.includes('"user_id"'), 'no account ids in the request');
  const list = await c.nghean.get('/api/expert-requests');
  assert.ok(list.data.items.some((x) => x.id === id));
  assert.ok(!(await officerOut.get('/api/expert-requests')).data.items.some((x) => x.id === id), 'another province lists none of it');
});

test('an activity ends the request and shows on the expert\'s page; who may record it', { skip }, async () => {
  const e = await approvedExpert(c.admin, c.centre, { fields: ['digital_gov'] });
  const other = await approvedExpert(c.admin, c.centre);
  const id = (await c.nghean.post('/api/expert-requests', { json: ask({ field: 'digital_gov' }) })).data.id;
  await c.centre.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [e.id] } });
  const act = (over = {}) => ({ request_id: id, kind: 'plan_review', held_on: today(), participants: 35,
    result: `Góp ý 12 điểm cho kế hoạch ${uniq('kq')}`, ...over });
  await refusedClean('before accepting', () => e.client.post('/api/expert-activities', { json: act() }), [409]);
  await e.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'accept' } });
  await refusedClean('another expert for them', () => other.client.post('/api/expert-activities', { json: act({ expert_id: e.id }) }));
  await refusedClean('a unit officer', () => c.nghean.post('/api/expert-activities', { json: act({ expert_id: e.id }) }));
  const learner = await account(c.admin);
  await refusedClean('a learner', () => learner.post('/api/expert-activities', { json: act() }));
  await refusedClean('the request of someone else', () => other.client.post('/api/expert-activities', { json: act() }), [409]);
  const bad = [[{ kind: 'party' }, 'kind'], [{ held_on: dayOffset(3) }, 'held_on'], [{ held_on: '31/02/2026' }, 'held_on'],
    [{ participants: -1 }, 'participants'], [{ participants: 'nhieu' }, 'participants'], [{ request_id: 999999999 }, 'request_id'],
    [{ request_id: undefined, org: 'khong-co' }, 'org'], [{ field: 'khong-co' }, 'field'], [{ result: 'x'.repeat(2001) }, 'result']];
  for (const [over, field] of bad) {
    const res = await refusedClean(JSON.stringify(over).slice(0, 80), () => e.client.post('/api/expert-activities', { json: act(over) }), [422]);
    assert.ok(JSON.stringify(res.data).includes(field), `${field} named: ${res.text.slice(0, 200)}`);
  }
  const body = act();
  const r = await e.client.post('/api/expert-activities', { json: body });
  assert.equal(r.status, 201, r.text);
  assert.equal(sql(`SELECT status FROM expert_request WHERE id = ${id}`), 'done');
  assert.equal(sql(`SELECT o.code || '|' || a.field_code FROM expert_activity a JOIN org_unit o ON o.id = a.org_id WHERE a.id = ${r.data.id}`),
    'nghe-an|digital_gov', 'the requesting unit and the request\'s field by default');
  assert.equal(count('audit_log', `action = 'expert.activity' AND entity_id = '${e.id}'`), 1);
  const page = await new Client().get(`/api/experts/${e.id}`);
  assert.ok(page.data.expert.activities.some((a) => a.result === body.result && a.participants === 35));
  assert.ok((await new Client().get(`/chuyen-gia/${e.id}`)).text.includes(body.result));
  await refusedClean('a second activity on a done request', () => e.client.post('/api/expert-activities', { json: act() }), [409]);
  await refusedClean('answering a done request', () => e.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'decline' } }), [409]);
  // The expert records one without a request; the centre records one for any expert.
  assert.equal((await e.client.post('/api/expert-activities', { json: { kind: 'seminar', held_on: today(), org: 'ha-tinh', participants: 80 } })).status, 201);
  assert.equal((await c.centre.post('/api/expert-activities', { json: { expert_id: other.id, kind: 'consultation', held_on: today(), org: 'thanh-hoa' } })).status, 201);
  await c.centre.post(`/api/experts/${other.id}/status`, { json: { status: 'paused', reason: 'Tạm nghỉ để thử.' } });
  await refusedClean('a paused expert', () => c.centre.post('/api/expert-activities', { json: { expert_id: other.id, kind: 'consultation', held_on: today(), org: 'thanh-hoa' } }), [422]);
});
