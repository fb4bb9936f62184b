// What the expert network's HTTP tests share: signed-in clients of the demo roles, fresh accounts, a fresh approved
// expert with an account of its own, and "wrote nothing" checks. Runs against the suite's server (DXDAY_URL) and
// database (DXDAY_TEST_DB, either engine); must not depend on the order the files run in.
import assert from 'node:assert/strict';
import { Client, ADMIN, COORD, OFFICER, uniq } from './lib.mjs';
import { sql, q } from './db.mjs';

export const PW = 'mat-khau-chuyen-gia-1';
export const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
export const dayOffset = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
export const count = (table, where = '1 = 1') => +sql(`SELECT COUNT(*) FROM ${table} WHERE ${where}`);
export { uniq, q, sql };

export async function signedIn([email, pw]) {
  const c = new Client();
  const r = await c.login(email, pw);
  assert.ok(r.status < 400, `login ${email}: ${r.status}`);
  return c;
}

export const roles = async () => ({
  admin: await signedIn(ADMIN), centre: await signedIn(COORD), nghean: await signedIn(OFFICER),
});

// A fresh account: no role (a learner), or role on org.
export async function account(admin, role, org) {
  const email = `${uniq('cg').toLowerCase()}@dxday.vn`;
  const body = { email, name: `Người thử ${email.slice(0, 12)}`, password: PW, ...(role ? { role, org } : {}) };
  const r = await admin.post('/api/users', { json: body });
  assert.equal(r.status, 201, `account: ${r.text}`);
  return signedIn([email, PW]);
}

export const profile = (over = {}) => ({
  name: `Chuyên gia ${uniq('Thử')}`, title: 'TS.', organisation: 'Viện Thử nghiệm Số', province: 'nghe-an',
  fields: ['data'], email: `${uniq('cg').toLowerCase()}@example.vn`, phone: '0913 555 777', bio: 'Giới thiệu ngắn.', ...over,
});

// A fresh approved expert with an account: { client, id, body }.
export async function approvedExpert(admin, centre, over = {}) {
  const client = await account(admin);
  const body = profile(over);
  const r = await client.post('/api/experts', { json: body });
  assert.equal(r.status, 201, `apply: ${r.text}`);
  const s = await centre.post(`/api/experts/${r.data.id}/status`, { json: { status: 'approved' } });
  assert.equal(s.status, 200, `approve: ${s.text}`);
  return { client, id: r.data.id, body };
}

// Row counts of the network's tables: a refused request must leave them all as they were.
export const snapshot = () => ['expert', 'expert_expertise', 'expert_request', 'expert_match', 'expert_activity', 'audit_log']
  .map((t) => `${t}=${count(t)}`).join(' ');
