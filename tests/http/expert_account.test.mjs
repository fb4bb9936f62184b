// A nominated or imported expert's account (issue 18): the centre or the nominating unit gives the nominee an account
// (a new one with a password to hand over, or the account of an e-mail linked), so the expert signs in, accepts a
// request and records the activity themself; one account is one expert (409), and no one else gives accounts.
// Against the suite's server, on either engine.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, skip } from './lib.mjs';
import { PW, account, count, dayOffset, profile, roles, snapshot, sql, today, uniq } from './expert_helpers.mjs';

let c;
before(async () => { if (!skip) c = await roles(); });

const nominate = async (who, org, over = {}) => {
  const r = await who.post('/api/experts', { json: profile({ org, ...over }) });
  assert.equal(r.status, 201, r.text);
  return r.data.id;
};

async function refusedClean(what, send, statuses) {
  const before = snapshot() + ` app_user=${sql('SELECT COUNT(*) FROM app_user')}`;
  const r = await send();
  assert.ok(statuses.includes(r.status), `${what}: expected ${statuses}, got ${r.status} ${r.text.slice(0, 200)}`);
  assert.equal(snapshot() + ` app_user=${sql('SELECT COUNT(*) FROM app_user')}`, before, `${what} wrote nothing`);
  return r;
}

test('the nominating unit gives its nominee a new account; the expert then answers a request and records the activity', { skip }, async () => {
  const id = await nominate(c.nghean, 'nghe-an');
  const email = `${uniq('cgtk').toLowerCase()}@example.vn`;
  await refusedClean('no password for a new account', () => c.nghean.post(`/api/experts/${id}/account`, { json: { email } }), [422]);
  const r = await c.nghean.post(`/api/experts/${id}/account`, { json: { email, password: PW } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.created, true);
  assert.equal(sql(`SELECT CAST(user_id AS TEXT) FROM expert WHERE id = ${id}`), String(r.data.user_id));
  assert.equal(count('audit_log', `action = 'expert.account' AND entity_id = '${id}'`), 1);
  assert.equal(sql(`SELECT COUNT(*) FROM user_role WHERE user_id = ${r.data.user_id}`), '0', 'an expert account gets no role');
  await refusedClean('a second account for the same expert', () => c.centre.post(`/api/experts/${id}/account`, { json: { email: `${uniq('x')}@example.vn`, password: PW } }), [409]);
  // The nominee is approved, signs in and does the work themself.
  assert.equal((await c.centre.post(`/api/experts/${id}/status`, { json: { status: 'approved' } })).status, 200);
  const me = new Client();
  assert.ok((await me.login(email, PW)).status < 400);
  const mine = await me.get('/api/experts/me');
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.data.expert.id, id);
  const req = await c.nghean.post('/api/expert-requests', { json: { org: 'nghe-an', topic: `Tư vấn ${uniq('tk')}`, field: 'data',
    starts_on: today(), ends_on: today(), mode: 'online', place: '' } });
  assert.equal(req.status, 201, req.text);
  assert.equal((await c.centre.post(`/api/expert-requests/${req.data.id}/match`, { json: { expert_ids: [id] } })).status, 200);
  const ans = await me.post(`/api/expert-requests/${req.data.id}/answer`, { json: { decision: 'accept' } });
  assert.equal(ans.status, 200, ans.text);
  const act = await me.post('/api/expert-activities', { json: { request_id: req.data.id, kind: 'consultation', held_on: today(), org: 'nghe-an', participants: 12, result: 'Góp ý xong.' } });
  assert.equal(act.status, 201, act.text);
});

test('the centre links an existing account by its e-mail; one account is one expert', { skip }, async () => {
  const learner = await account(c.admin);
  const who = (await learner.get('/api/me')).data;
  const email = who.email || who.user?.email;
  assert.ok(email, JSON.stringify(who).slice(0, 200));
  const first = await nominate(c.nghean, 'nghe-an');
  const r = await c.centre.post(`/api/experts/${first}/account`, { json: { email: email.toUpperCase() } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.created, false);
  assert.equal((await learner.get('/api/experts/me')).data.expert.id, first);
  const second = await nominate(c.nghean, 'nghe-an');
  const dup = await refusedClean('the same account for a second expert', () => c.centre.post(`/api/experts/${second}/account`, { json: { email } }), [409]);
  assert.match(dup.data.error, /mỗi tài khoản là một chuyên gia/);
  // An account that applied itself is an expert already.
  const applied = await account(c.admin);
  const aid = (await applied.post('/api/experts', { json: profile() })).data.id;
  const aemail = sql(`SELECT u.email FROM app_user u JOIN expert e ON e.user_id = u.id WHERE e.id = ${aid}`);
  await refusedClean('an account that has a profile', () => c.centre.post(`/api/experts/${second}/account`, { json: { email: aemail } }), [409]);
});

test('who may not give an expert an account', { skip }, async () => {
  const id = await nominate(c.nghean, 'nghe-an');
  const body = { email: `${uniq('no').toLowerCase()}@example.vn`, password: PW };
  const learner = await account(c.admin);
  await refusedClean('a learner', () => learner.post(`/api/experts/${id}/account`, { json: body }), [403]);
  await refusedClean('the public', () => new Client().post(`/api/experts/${id}/account`, { json: body }), [401, 403, 303]);
  const other = await account(c.admin, 'officer', 'ha-tinh');
  await refusedClean('an officer of another province', () => other.post(`/api/experts/${id}/account`, { json: body }), [403]);
  // An expert who applied (no nominating unit): only the centre.
  const self = await account(c.admin);
  const sid = (await self.post('/api/experts', { json: profile() })).data.id;
  await refusedClean('a unit officer for an expert it did not nominate', () => c.nghean.post(`/api/experts/${sid}/account`, { json: body }), [403]);
  await refusedClean('a bad e-mail', () => c.centre.post(`/api/experts/${id}/account`, { json: { email: 'khong-phai', password: PW } }), [422]);
  await refusedClean('no such expert', () => c.centre.post('/api/experts/99999999/account', { json: body }), [404]);
});

test('the form: a refused account shows its error beside the field on the list it came from', { skip }, async () => {
  const id = await nominate(c.nghean, 'nghe-an', { email: '' });
  const page = await c.nghean.get('/chuyen-gia/da-de-cu');
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`/chuyen-gia/${id}/tai-khoan`));
  const r = await c.nghean.post(`/chuyen-gia/${id}/tai-khoan`, { form: { email: `${uniq('f').toLowerCase()}@example.vn`, password: 'ngan', from: 'units' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /đặt mật khẩu ban đầu từ 10/);
  assert.match(r.text, /Chuyên gia đơn vị đã đề cử/);
  assert.equal((await c.nghean.get('/api/experts/nominated')).data.items.some((e) => e.id === id), true);
  const learner = await account(c.admin);
  assert.equal((await learner.get('/api/experts/nominated')).status, 403);
});
