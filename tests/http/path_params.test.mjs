// What the URL names is what a request acts on: a body (JSON, form or multipart) that names a path parameter with
// another value is refused with 400 and writes nothing; naming the same value is harmless. Runs on a server of its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprints, OwnClient, SANITIZER_REPORT, changed, startServer } from './ownserver.mjs';
import { q, sqlOn } from './db.mjs';

let srv, fp, nghean, centre;
const sql = (s) => sqlOn(srv.db, s);
const teamId = (org) => +sql(`SELECT MIN(t.id) FROM cdt_team t JOIN org_unit o ON o.id = t.org_id WHERE o.code = ${q(org)}`);
const teamName = (id) => sql(`SELECT name FROM cdt_team WHERE id = ${id}`);

before(async () => {
  srv = await startServer();
  fp = new Fingerprints(srv.db);
  nghean = await new OwnClient(srv.url).login('nghean@dxday.vn', 'dxday-demo-2026');
  centre = await new OwnClient(srv.url).login('dieuphoi@dxday.vn', 'dxday-demo-2026');
});

after(async () => {
  if (!srv) return;
  fp?.close();
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

async function refusedWritingNothing(what, send) {
  const before = await fp.take();
  const r = await send();
  assert.equal(r.status, 400, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.deepEqual(changed(before, await fp.take()), [], `${what} wrote something`);
  return r;
}

test("an officer editing their own unit's team whose JSON body names another unit's team: 400, nothing written", async () => {
  const own = teamId('demo-vinh-1'), other = teamId('demo-vinh-2');
  assert.ok(own && other && own !== other);
  const names = [teamName(own), teamName(other)];
  const r = await refusedWritingNothing('JSON id', () => nghean.post(`/api/teams/${own}`, { json: { id: other, name: 'Tổ bị ghi đè' } }));
  assert.match(r.data.error, /địa chỉ/, r.text);
  await refusedWritingNothing('JSON id as a string', () => nghean.post(`/api/teams/${own}`, { json: { id: String(other), name: 'Tổ bị ghi đè' } }));
  // The centre may edit both teams: the body must still not move the write from one to the other.
  await refusedWritingNothing('the centre', () => centre.post(`/api/teams/${own}`, { json: { id: other, name: 'Tổ bị ghi đè' } }));
  assert.deepEqual([teamName(own), teamName(other)], names);
});

test('the same refusal for a form post and a multipart upload naming another id than the URL', async () => {
  const own = teamId('demo-vinh-1'), other = teamId('demo-vinh-2');
  await refusedWritingNothing('form id', () => nghean.post(`/to-cong-nghe-so/${own}`, { form: { id: String(other), name: 'Tổ bị ghi đè' } }));
  const fd = new FormData();
  fd.append('id', String(other));
  fd.append('file', new Blob([Buffer.from('Họ và tên,Vai trò\nNguyễn Văn A,Thành viên\n')], { type: 'text/csv' }), 'ds.csv');
  await refusedWritingNothing('multipart id', () => nghean.post(`/api/teams/${own}/roster`, { raw: fd }));
});

test("a body naming the URL's own value (as a number or a string) is served as before", async () => {
  const own = teamId('demo-vinh-1');
  const name = teamName(own);
  for (const id of [own, String(own)]) {
    const r = await nghean.post(`/api/teams/${own}`, { json: { id, name } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.team.id, own);
  }
});
