// The network's quarterly report (per field and province: active experts, activities, units served, requests waiting;
// the 1,000 trained experts target) as JSON, XLSX and PDF, and the centre's import of experts from Excel: preview, then
// confirm; one bad row saves nothing and names the row. Against the suite's server, on either engine.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, skip } from './lib.mjs';
import { account, approvedExpert, count, roles, snapshot, sql, today, uniq } from './expert_helpers.mjs';

let c;
before(async () => { if (!skip) c = await roles(); });

const quarter = () => { const t = today(); return { year: +t.slice(0, 4), quarter: Math.floor((+t.slice(5, 7) - 1) / 3) + 1 }; };
const rowOf = (rep, field, province) => rep.rows.find((r) => r.field_code === field && r.province_name === province) ||
  { experts: 0, activities: 0, units: 0, waiting: 0 };

test('the quarterly report counts experts, activities, units served and requests waiting per field and province', { skip }, async () => {
  const { year, quarter: qn } = quarter();
  const url = `/api/experts/report?year=${year}&quarter=${qn}`;
  const before = (await c.nghean.get(url)).data;
  assert.ok(before.rows.length > 0, 'the demo has figures');
  assert.equal(before.target, 1000);
  assert.equal(before.trained, count('expert', "trained_on IS NOT NULL AND status <> 'removed'"));
  const e = await approvedExpert(c.admin, c.centre, { province: 'ha-tinh', fields: ['platforms'] });
  await c.centre.post(`/api/experts/${e.id}`, { json: { trained_on: today() } });
  await e.client.post('/api/expert-activities', { json: { kind: 'seminar', held_on: today(), org: 'ha-tinh', field: 'platforms', participants: 50 } });
  await e.client.post('/api/expert-activities', { json: { kind: 'training', held_on: today(), org: 'ha-tinh', field: 'platforms', participants: 20 } });
  await c.nghean.post('/api/expert-requests', { json: { org: 'nghe-an', topic: uniq('Chờ'), field: 'platforms', starts_on: today(), ends_on: today(), mode: 'online' } });
  const after = (await c.nghean.get(url)).data;
  const b = rowOf(before, 'platforms', 'Hà Tĩnh'), a = rowOf(after, 'platforms', 'Hà Tĩnh');
  assert.equal(a.experts, b.experts + 1);
  assert.equal(a.activities, b.activities + 2);
  assert.ok(a.units >= 1 && a.units <= b.units + 1, 'one unit served, counted once');
  assert.equal(rowOf(after, 'platforms', 'Nghệ An').waiting, rowOf(before, 'platforms', 'Nghệ An').waiting + 1);
  assert.equal(after.trained, before.trained + 1);
  assert.equal(after.percent, Math.floor(after.trained * 100 / 1000));
  // Another quarter has none of this quarter's activities.
  const other = (await c.nghean.get(`/api/experts/report?year=${year - 1}&quarter=${qn}`)).data;
  assert.equal(other.totals.activities, 0);
  for (const bad of ['quarter=5', 'quarter=0', 'year=1999', 'year=abc'])
    assert.equal((await c.nghean.get(`/api/experts/report?${bad}`)).status, 400, bad);
  const page = await c.nghean.get(`/chuyen-gia/bao-cao?year=${year}&quarter=${qn}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Mục tiêu 1.000 chuyên gia/);
  const learner = await account(c.admin);
  assert.equal((await learner.get(url)).status, 403, 'a learner reads no report');
  const anon = await new Client().get(url);
  assert.ok([401, 403].includes(anon.status), `the public: ${anon.status}`);
});

test('the report as XLSX and PDF', { skip }, async () => {
  const { year, quarter: qn } = quarter();
  for (const [ext, magic, type] of [['xlsx', 'PK', /spreadsheetml/], ['pdf', '%PDF', /pdf/]]) {
    const res = await fetch(`${process.env.DXDAY_URL}/api/experts/report.${ext}?year=${year}&quarter=${qn}`, { headers: { cookie: c.nghean.cookieHeader() } });
    assert.equal(res.status, 200, ext);
    assert.match(res.headers.get('content-type'), type);
    assert.match(res.headers.get('content-disposition'), new RegExp(`chuyen-gia-quy-${qn}-${year}\\.${ext}`));
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(0, magic.length).toString('latin1'), magic);
    assert.ok(bytes.length > 1000);
  }
  const bad = await fetch(`${process.env.DXDAY_URL}/api/experts/report.pdf?quarter=9`, { headers: { cookie: c.nghean.cookieHeader() } });
  assert.equal(bad.status, 400);
});

function sheet(text) {
  const fd = new FormData();
  fd.append('file', new Blob([Buffer.from(text)], { type: 'text/csv' }), 'chuyen-gia.csv');
  return { raw: fd };
}
const HEAD = 'Họ và tên,Chức danh,Cơ quan,Tỉnh/thành phố,Lĩnh vực,Email,Số điện thoại,Ngày hoàn thành bồi dưỡng\r\n';

test('import from Excel: one bad row saves nothing and names the row; a clean file is previewed then confirmed', { skip }, async () => {
  const tag = uniq('nhap').toLowerCase();
  const good = (i) => `Nhập Thử ${tag} ${i},TS.,Viện ${i},Nghệ An,Dữ liệu; Trí tuệ nhân tạo,${tag}-${i}@example.vn,0913 111 22${i},01/03/2026\r\n`;
  const bad = `${HEAD}${good(1)}Nhập Thử ${tag} 2,ThS.,Viện 2,Không Có Tỉnh,Dữ liệu,,,\r\n${good(3)}Nhập Thử ${tag} 4,,,Hà Tĩnh,Bói toán,,,\r\n`;
  let before = snapshot();
  let r = await c.centre.post('/api/experts/import', sheet(bad));
  assert.equal(r.status, 422, r.text);
  assert.match(r.data.error, /dòng 3, 5/);
  assert.equal(snapshot(), before, 'nothing saved');
  const dup = `${HEAD}${good(1)}${good(1).replace(' 1,', ' 9,')}`;
  r = await c.centre.post('/api/experts/import', sheet(dup));
  assert.equal(r.status, 422, 'the same e-mail twice');
  assert.match(r.data.error, /dòng 3/);
  for (const [who, label] of [[c.nghean, 'a province officer'], [await account(c.admin), 'a learner']]) {
    before = snapshot();
    r = await who.post('/api/experts/import', sheet(HEAD + good(1)));
    assert.equal(r.status, 403, `${label}: ${r.text.slice(0, 200)}`);
    assert.equal(snapshot(), before);
  }
  const clean = HEAD + good(1) + good(3);
  r = await c.centre.post('/api/experts/import', sheet(clean));
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(count('expert', `name LIKE 'Nhập Thử ${tag}%'`), 0, 'a preview saves no expert');
  const sha = r.text.match(/name="sha" value="([0-9a-f]{64})"/)?.[1] || r.data?.sha;
  assert.ok(sha, 'the preview names the file');
  const other = await account(c.admin, 'coordinator', 'vn');
  r = await other.post('/api/experts/import', { json: { sha } });
  assert.equal(r.status, 404, 'another person cannot confirm a file they did not preview');
  r = await c.centre.post('/api/experts/import', { json: { sha } });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  assert.equal(count('expert', `name LIKE 'Nhập Thử ${tag}%' AND status = 'approved' AND trained_on = '2026-03-01'`), 2);
  assert.equal(sql(`SELECT COUNT(*) FROM expert_expertise x JOIN expert e ON e.id = x.expert_id WHERE e.name LIKE 'Nhập Thử ${tag}%'`), '4');
  assert.equal(count('audit_log', `action = 'expert.import' AND detail LIKE '%${sha}%'`), 1);
  const found = await new Client().get(`/api/experts?q=${encodeURIComponent(`nhap thu ${tag}`)}`);
  assert.equal(found.data.total, 2);
});
