// The expert network's profiles (issue 18): applying and being nominated, the centre's decisions with a reason (audited),
// the expert's own edits, and the public directory: approved experts only, search without diacritics, filters by
// field and province, and NOTHING private in the page or its JSON. Each bad input and each role that may not act is
// refused with nothing written. Against the suite's server, on either engine.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, skip } from './lib.mjs';
import { PW, account, approvedExpert, count, profile, q, roles, snapshot, sql, today, uniq } from './expert_helpers.mjs';

let c;
before(async () => { if (!skip) c = await roles(); });

const PRIVATE = ['email', 'phone', 'status', 'status_reason', 'user_id', 'public_fields', 'nominated_by_org', 'created_by',
  'created_at', 'updated_at', 'org_id', 'trained_on'];

test('an account applies once: pending, not in the directory until the centre approves', { skip }, async () => {
  const me = await account(c.admin);
  const body = profile({ name: `Nguyễn Thị Ứng Viên ${uniq('x')}` });
  const r = await me.post('/api/experts', { json: body });
  assert.equal(r.status, 201, r.text);
  assert.equal(sql(`SELECT status || '|' || COALESCE(CAST(nominated_by_org AS TEXT), '-') FROM expert WHERE id = ${r.data.id}`), 'pending|-');
  assert.equal(count('audit_log', `action = 'expert.apply' AND entity_id = '${r.data.id}'`), 1);
  assert.equal((await new Client().get(`/api/experts/${r.data.id}`)).status, 404, 'a pending expert is no page');
  const again = await me.post('/api/experts', { json: profile() });
  assert.equal(again.status, 409, again.text);
  assert.match(again.data.error, /đã có hồ sơ/);
  const mine = await me.get('/api/experts/me');
  assert.equal(mine.status, 200);
  assert.equal(mine.data.expert.email, body.email, 'the expert sees their own private fields');
});

test('bad profiles are refused per field and write nothing', { skip }, async () => {
  const me = await account(c.admin);
  const bad = [
    [{ name: '' }, 'name'], [{ fields: [] }, 'fields'], [{ fields: ['khong-co'] }, 'fields'], [{ province: 'khong-co-tinh' }, 'province'],
    [{ email: 'khong-phai-email' }, 'email'], [{ phone: '12345' }, 'phone'], [{ public_fields: ['status_reason'] }, 'public_fields'],
    [{ languages: ['tiếng việt'] }, 'languages'], [{ accepts_requests: 'co' }, 'accepts_requests'], [{ trained_on: today() }, 'trained_on'],
  ];
  for (const [over, field] of bad) {
    const before = snapshot();
    const r = await me.post('/api/experts', { json: profile(over) });
    assert.equal(r.status, 422, `${JSON.stringify(over)}: ${r.text}`);
    assert.ok(r.data.error, 'a Vietnamese message');
    assert.ok(JSON.stringify(r.data).includes(field), `${field} named: ${r.text}`);
    assert.equal(snapshot(), before, `${JSON.stringify(over)} wrote nothing`);
  }
  const anon = new Client();
  const before = snapshot();
  const r = await anon.post('/api/experts', { json: profile() });
  assert.ok([401, 403].includes(r.status) || (r.status === 303 && /dang-nhap/.test(r.location)), `the public: ${r.status}`);
  assert.equal(snapshot(), before);
});

test('a unit nominates within its subtree only', { skip }, async () => {
  const body = profile({ name: `Lê Văn Đề Cử ${uniq('x')}` });
  const r = await c.nghean.post('/api/experts', { json: { ...body, org: 'nghe-an' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(+sql(`SELECT nominated_by_org FROM expert WHERE id = ${r.data.id}`), +sql("SELECT id FROM org_unit WHERE code = 'nghe-an'"));
  assert.equal(sql(`SELECT COALESCE(CAST(user_id AS TEXT), 'none') FROM expert WHERE id = ${r.data.id}`), 'none', 'a nominee has no account yet');
  assert.equal(count('audit_log', `action = 'expert.nominate' AND entity_id = '${r.data.id}'`), 1);
  for (const org of ['ha-tinh', 'vn']) {
    const before = snapshot();
    const out = await c.nghean.post('/api/experts', { json: { ...profile(), org } });
    assert.equal(out.status, 403, `${org}: ${out.text}`);
    assert.equal(snapshot(), before);
  }
  const learner = await account(c.admin);
  const before = snapshot();
  assert.equal((await learner.post('/api/experts', { json: { ...profile(), org: 'nghe-an' } })).status, 403, 'a learner nominates for no unit');
  assert.equal((await c.nghean.post('/api/experts', { json: { ...profile(), org: 'khong-co-don-vi' } })).status, 422);
  assert.equal(snapshot(), before);
});

test('only the centre approves, pauses or removes, with a reason, audited', { skip }, async () => {
  const me = await account(c.admin);
  const id = (await me.post('/api/experts', { json: profile() })).data.id;
  const officerOut = await account(c.admin, 'officer', 'ha-tinh');
  for (const who of [me, c.nghean, officerOut]) {
    const before = snapshot();
    const r = await who.post(`/api/experts/${id}/status`, { json: { status: 'approved' } });
    assert.equal(r.status, 403, r.text);
    assert.equal(snapshot(), before);
  }
  let r = await c.centre.post(`/api/experts/${id}/status`, { json: { status: 'approved' } });
  assert.equal(r.status, 200, r.text);
  assert.equal((await new Client().get(`/api/experts/${id}`)).status, 200, 'approved: in the directory');
  r = await c.centre.post(`/api/experts/${id}/status`, { json: { status: 'approved' } });
  assert.equal(r.status, 409, 'already approved');
  for (const bad of [{ status: 'paused' }, { status: 'paused', reason: 'ok' }, { status: 'deleted', reason: 'Không rõ lý do gì cả' }]) {
    const before = snapshot();
    r = await c.centre.post(`/api/experts/${id}/status`, { json: bad });
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${r.text}`);
    assert.equal(snapshot(), before);
  }
  const reason = `Tạm dừng theo đề nghị của chuyên gia ${uniq('ld')}`;
  r = await c.centre.post(`/api/experts/${id}/status`, { json: { status: 'paused', reason } });
  assert.equal(r.status, 200, r.text);
  assert.equal(count('audit_log', `action = 'expert.status' AND entity_id = '${id}' AND detail LIKE ${q(`%${reason}%`)}`), 1, 'the reason is audited');
  assert.equal((await new Client().get(`/api/experts/${id}`)).status, 404, 'paused: out of the directory');
  r = await c.centre.post(`/api/experts/${id}/status`, { json: { status: 'removed', reason: 'Không còn đáp ứng tiêu chí của mạng lưới.' } });
  assert.equal(r.status, 200);
  assert.equal((await c.centre.get('/api/experts/manage?status=removed')).data.items.some((e) => e.id === id), true);
  assert.equal((await c.nghean.get('/api/experts/manage')).status, 403, 'a province officer does not manage the network');
});

test('the public directory and its JSON never show a private field; the expert chooses what is public', { skip }, async () => {
  const marker = uniq('bimat').toLowerCase();
  const { client, id, body } = await approvedExpert(c.admin, c.centre, { email: `${marker}@example.vn`, phone: '0913 246 810',
    public_fields: ['title', 'bio'] });
  const reason = `Lý do riêng ${marker}`;
  await c.centre.post(`/api/experts/${id}/status`, { json: { status: 'paused', reason } });
  await c.centre.post(`/api/experts/${id}/status`, { json: { status: 'approved', reason } });
  const anon = new Client();
  const one = await anon.get(`/api/experts/${id}`);
  assert.equal(one.status, 200);
  const list = await anon.get(`/api/experts?q=${encodeURIComponent(body.name)}`);
  const item = list.data.items.find((e) => e.id === id);
  assert.ok(item, 'found by name');
  for (const e of [one.data.expert, item]) {
    for (const k of PRIVATE) assert.equal(e[k], undefined, `${k} is private`);
    assert.equal(e.organisation, undefined, 'organisation was not chosen');
    assert.equal(e.title, 'TS.');
  }
  for (const text of [one.text, list.text, (await anon.get(`/chuyen-gia/${id}`)).text, (await anon.get(`/chuyen-gia?q=${encodeURIComponent(body.name)}`)).text]) {
    assert.ok(!text.includes(marker), 'no e-mail nor reason anywhere');
    assert.ok(!text.includes('246 810') && !text.includes('913246810'), 'no phone');
    assert.ok(!text.includes('Viện Thử nghiệm Số'), 'no organisation');
  }
  // Signed in, another account sees the same public view.
  const other = await account(c.admin);
  assert.equal((await other.get(`/api/experts/${id}`)).data.expert.email, undefined);
  // The expert makes the e-mail and organisation public and stops accepting requests.
  const r = await client.post(`/api/experts/${id}`, { json: { public_fields: ['title', 'organisation', 'email'], accepts_requests: false } });
  assert.equal(r.status, 200, r.text);
  await new Promise((res) => setTimeout(res, 1100));   // the public page cache lives a second at most after a write elsewhere
  const now = (await anon.get(`/api/experts/${id}`)).data.expert;
  assert.equal(now.email, body.email);
  assert.equal(now.organisation, 'Viện Thử nghiệm Số');
  assert.equal(now.accepts_requests, false);
  assert.equal(now.phone, undefined);
  assert.equal(now.status_reason, undefined);
});

test('search ignores diacritics; field and province filter; bad filters are 400', { skip }, async () => {
  const name = `Đặng Thị Hướng Dẫn ${uniq('tk')}`;
  const { id } = await approvedExpert(c.admin, c.centre, { name, province: 'ha-tinh', fields: ['cybersecurity', 'ai'] });
  const anon = new Client();
  const ids = async (qs) => (await anon.get(`/api/experts?limit=200&${qs}`)).data.items.map((e) => e.id);
  const plain = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();
  assert.ok((await ids(`q=${encodeURIComponent(plain)}`)).includes(id), 'without diacritics');
  assert.ok((await ids(`q=${encodeURIComponent(name.toUpperCase())}`)).includes(id), 'upper case');
  assert.ok((await ids(`q=${encodeURIComponent(plain)}&field=ai&province=ha-tinh`)).includes(id));
  assert.ok(!(await ids(`q=${encodeURIComponent(plain)}&field=data`)).includes(id), 'another field');
  assert.ok(!(await ids(`q=${encodeURIComponent(plain)}&province=nghe-an`)).includes(id), 'another province');
  const all = (await anon.get('/api/experts?limit=200&field=ai')).data.items;
  assert.ok(all.every((e) => e.fields.some((f) => f.code === 'ai')));
  assert.equal(count('expert', "status = 'approved' AND id IN (SELECT expert_id FROM expert_expertise WHERE field_code = 'ai')"),
    (await anon.get('/api/experts?limit=1&field=ai')).data.total, 'total counts approved experts of the field only');
  for (const bad of ['field=khong-co', 'province=khong-co', 'limit=0', 'limit=100000', 'offset=-1'])
    assert.equal((await anon.get(`/api/experts?${bad}`)).status, 400, bad);
  assert.equal((await anon.get('/api/experts/abc')).status, 404);
  assert.equal((await anon.get('/api/experts/999999999')).status, 404);
  const page = await anon.get('/chuyen-gia?q=' + encodeURIComponent(plain));
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(name), 'the page shows the name');
});

test('the expert edits their own profile; nobody else but the centre; only the centre sets the training date', { skip }, async () => {
  const { client, id } = await approvedExpert(c.admin, c.centre);
  const other = await account(c.admin);
  for (const who of [other, c.nghean]) {
    const before = snapshot();
    const r = await who.post(`/api/experts/${id}`, { json: { bio: 'Sửa hộ.' } });
    assert.equal(r.status, 403, r.text);
    assert.equal(snapshot(), before);
  }
  let r = await client.post(`/api/experts/${id}`, { json: { bio: 'Giới thiệu mới.', fields: ['ai', 'data'] } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.data.expert.fields.map((f) => f.code).sort(), ['ai', 'data']);
  const before = snapshot();
  r = await client.post(`/api/experts/${id}`, { json: { trained_on: today() } });
  assert.equal(r.status, 422, 'the expert may not mark their own training');
  r = await client.post(`/api/experts/${id}`, { json: { fields: [] } });
  assert.equal(r.status, 422);
  assert.equal(snapshot(), before);
  r = await c.centre.post(`/api/experts/${id}`, { json: { trained_on: today() } });
  assert.equal(r.status, 200, r.text);
  assert.equal(sql(`SELECT trained_on FROM expert WHERE id = ${id}`), today());
  r = await c.centre.post(`/api/experts/${id}`, { json: { trained_on: '2999-01-01' } });
  assert.equal(r.status, 422, 'not in the future');
  assert.equal(count('audit_log', `action = 'expert.update' AND entity_id = '${id}'`), 2);
  void PW;
});

test('the profile form of the expert\'s page: ticked boxes are the fields and what is public; none ticked is none', { skip }, async () => {
  const { client, id } = await approvedExpert(c.admin, c.centre, { fields: ['data', 'ai'] });
  const page = await client.get('/chuyen-gia/ho-so');
  assert.equal(page.status, 200);
  assert.match(page.text, /name="field_ai" value="1" checked/);
  const form = { name: 'Tên Sửa Bằng Biểu Mẫu', province: 'ha-tinh', languages: 'vi,en', fields_sent: '1', field_digital_skills: '1',
    public_sent: '1', pub_email: '1', accepts_sent: '1' };
  const r = await client.post(`/chuyen-gia/${id}/sua`, { form });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.location, '/chuyen-gia/ho-so');
  assert.equal(sql(`SELECT field_code FROM expert_expertise WHERE expert_id = ${id}`), 'digital_skills');
  assert.equal(sql(`SELECT public_fields || '|' || accepts_requests || '|' || languages FROM expert WHERE id = ${id}`), '["email"]|0|["vi","en"]');
  const none = await client.post(`/chuyen-gia/${id}/sua`, { form: { ...form, field_digital_skills: '' } });
  assert.equal(none.status, 422, 'no field ticked');
});
