// Approval is a second pair of eyes: an officer who may write for the unit below him cannot approve the report he
// submitted for it; another person of the unit above can.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, COORD, Client, OFFICER, skip, uniq } from './lib.mjs';

const year = +new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 4);
const due = new Date(Date.now() + 7 * 3600e3 + 30 * 86400e3).toISOString().slice(0, 10);

async function login(email, password) { const c = new Client(); await c.login(email, password); return c; }

test('the submitter cannot approve his own report for a unit below; another officer above can', { skip }, async () => {
  const admin = await login(...ADMIN);
  const coord = await login(...COORD);
  const officer = await login(...OFFICER);
  const email = uniq('na2') + '@dxday.vn';
  const mk = await admin.post('/api/users', { json: { email, name: 'Cán bộ Nghệ An thứ hai', password: 'mat-khau-duyet-1', role: 'officer', org: 'nghe-an' } });
  assert.equal(mk.status, 201, mk.text);
  const colleague = await login(email, 'mat-khau-duyet-1');
  const code = uniq('duyet').toLowerCase();
  const f = await coord.post('/api/forms', { json: {
    code, campaign_year: year, kind: 'report', title: `Biểu mẫu thử duyệt ${code}`, period_type: 'campaign', due, late_days: 0,
    needs_approval: true, assign: [{ kind: 'association' }],
    indicators: [{ code: 'so_lop', label: 'Số lớp', type: 'integer', required: true, min: 0 }],
  } });
  assert.equal(f.status, 201, f.text);
  const form = f.data;
  const base = `/api/forms/${form.id}/submissions/hoi-tin-hoc-nghe-an`;

  const sub = await officer.post(base, { json: { action: 'submit', values: { so_lop: 2 } } });
  assert.equal(sub.status, 201, sub.text);
  const self = await officer.post(`${base}/review`, { json: { decision: 'approve' } });
  assert.equal(self.status, 403, self.text);
  assert.match(self.data.error, /tự phê duyệt/);
  const still = await officer.get(base);
  assert.equal(still.data.status, 'submitted', 'nothing changed');
  assert.equal(still.data.submission.history.length, 1);

  // The page offers the approval form to another officer of the unit above, not to the submitter.
  const page = `/bao-cao/${form.id}/don-vi/hoi-tin-hoc-nghe-an`;
  assert.doesNotMatch((await officer.get(page)).text, /\/duyet"/);
  assert.match((await colleague.get(page)).text, /\/duyet"/);

  // Nobody outside the unit above approves either.
  const youth = await login('doan.nghean@dxday.vn', 'dxday-demo-2026');
  assert.equal((await youth.post(`${base}/review`, { json: { decision: 'approve' } })).status, 403);

  const ok = await colleague.post(`${base}/review`, { json: { decision: 'approve' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.data.submission.status, 'approved');
});

test('after someone else resubmits, the first officer may approve that version', { skip }, async () => {
  const admin = await login(...ADMIN);
  const coord = await login(...COORD);
  const officer = await login(...OFFICER);
  const email = uniq('hth') + '@dxday.vn';
  assert.equal((await admin.post('/api/users', { json: { email, name: 'Cán bộ Hội', password: 'mat-khau-duyet-2', role: 'officer', org: 'hoi-tin-hoc-nghe-an' } })).status, 201);
  const member = await login(email, 'mat-khau-duyet-2');
  const code = uniq('duyet2').toLowerCase();
  const form = (await coord.post('/api/forms', { json: {
    code, campaign_year: year, kind: 'report', title: `Biểu mẫu thử duyệt ${code}`, period_type: 'campaign', due, late_days: 0,
    needs_approval: true, assign: [{ kind: 'association' }],
    indicators: [{ code: 'so_lop', label: 'Số lớp', type: 'integer', required: true, min: 0 }],
  } })).data;
  const base = `/api/forms/${form.id}/submissions/hoi-tin-hoc-nghe-an`;
  assert.equal((await officer.post(base, { json: { action: 'submit', values: { so_lop: 1 } } })).status, 201);
  assert.equal((await member.post(base, { json: { action: 'submit', values: { so_lop: 5 } } })).status, 201);
  assert.equal((await member.post(`${base}/review`, { json: { decision: 'approve' } })).status, 403, 'the association is not above itself');
  const ok = await officer.post(`${base}/review`, { json: { decision: 'approve' } });
  assert.equal(ok.status, 200, ok.text);
});
