// The expert network's HTML forms (issue 18): a mistake re-renders the form with what was typed and each error beside
// its field, instead of an error page, and writes nothing; the JSON answers stay as they were. Against the suite's
// server, on either engine.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { skip } from './lib.mjs';
import { account, approvedExpert, roles, snapshot, uniq } from './expert_helpers.mjs';

let c;
before(async () => { if (!skip) c = await roles(); });

const form = (over = {}) => ({ name: `Đỗ Văn Gõ Dở ${uniq('f')}`, title: 'ThS.', organisation: 'Sở Khoa học', province: 'nghe-an',
  fields_sent: '1', field_data: '1', email: 'khong-phai-email', phone: '0913 555 777', languages: 'vi,en', bio: 'Mười năm làm dữ liệu.',
  public_sent: '1', pub_title: '1', accepts_sent: '1', ...over });

test('the apply form comes back as typed with each error beside its field', { skip }, async () => {
  const me = await account(c.admin);
  const before = snapshot();
  const body = form();
  const r = await me.post('/chuyen-gia/dang-ky', { form: body });
  assert.equal(r.status, 422);
  assert.equal(snapshot(), before, 'nothing written');
  assert.match(r.text, /<form method="post" action="\/chuyen-gia\/dang-ky"/, 'the form, not the error page');
  assert.match(r.text, new RegExp(`value="${body.name}"`), 'the name typed');
  assert.match(r.text, /value="Sở Khoa học"/);
  assert.match(r.text, /value="khong-phai-email"/, 'even the wrong e-mail, to correct it');
  assert.match(r.text, /<option value="nghe-an" selected>/, 'the province chosen');
  assert.match(r.text, /name="field_data" value="1" checked/, 'the field ticked');
  assert.doesNotMatch(r.text, /name="field_ai" value="1" checked/);
  assert.match(r.text, /name="pub_title" value="1" checked/);
  assert.doesNotMatch(r.text, /name="pub_bio" value="1" checked/, 'what was unticked stays unticked');
  assert.doesNotMatch(r.text, /name="accepts_requests" value="1" checked/, 'accepts_requests unticked');
  assert.match(r.text, /Mười năm làm dữ liệu\.<\/textarea>/);
  assert.match(r.text, /field invalid"><label for="e-email">[^]*?Email không hợp lệ/, 'the error beside the e-mail');
  // No field ticked: that error beside the fields.
  const { field_data: _, ...none } = form({ email: '' });
  const r2 = await me.post('/chuyen-gia/dang-ky', { form: none });
  assert.equal(r2.status, 422);
  assert.match(r2.text, /expert-checks invalid"><legend>Lĩnh vực chuyên môn[^]*?Chọn ít nhất một lĩnh vực/);
  // The JSON twin still names the field.
  const j = await me.post('/api/experts', { json: { name: 'A', province: 'nghe-an', fields: ['data'], email: 'x' } });
  assert.equal(j.status, 422);
  assert.ok(j.data.fields.email);
});

test('the nominate form keeps the unit typed; an unknown unit is named beside it', { skip }, async () => {
  const before = snapshot();
  const r = await c.nghean.post('/chuyen-gia/dang-ky', { form: form({ org: 'khong-co-don-vi', email: '' }) });
  assert.equal(r.status, 422);
  assert.equal(snapshot(), before);
  assert.match(r.text, /value="khong-co-don-vi"/);
  assert.match(r.text, /invalid"><label for="e-org">[^]*?Không tìm thấy đơn vị/);
});

test('the expert edits their profile: a mistake opens the form again as typed', { skip }, async () => {
  const e = await approvedExpert(c.admin, c.centre);
  const before = snapshot();
  const r = await e.client.post(`/chuyen-gia/${e.id}/sua`, { form: form({ name: 'Tên Mới Gõ', phone: '123' }) });
  assert.equal(r.status, 422);
  assert.equal(snapshot(), before);
  assert.match(r.text, /<details class="card" id="sua" open>/);
  assert.match(r.text, /value="Tên Mới Gõ"/);
  assert.match(r.text, /invalid"><label for="e-phone">[^]*?Số điện thoại không hợp lệ/);
  const other = await account(c.admin);
  assert.equal((await other.post(`/chuyen-gia/${e.id}/sua`, { form: form() })).status, 403, 'no one else edits it');
});

test('the request form comes back as typed with each error beside its field, and nothing is written', { skip }, async () => {
  const before = snapshot();
  const topic = `Rà soát kế hoạch dữ liệu ${uniq('yc')}`;
  const r = await c.nghean.post('/chuyen-gia/yeu-cau', { form: { org: 'nghe-an', topic, field: 'cybersecurity', starts_on: '31/02/2026',
    ends_on: '', mode: 'in_person', place: '', note: 'Cần gấp trong tháng.' } });
  assert.equal(r.status, 422);
  assert.equal(snapshot(), before, 'nothing written');
  assert.match(r.text, /<form method="post" action="\/chuyen-gia\/yeu-cau"/, 'the form, not the error page');
  assert.ok(r.text.includes(`value="${topic}"`), 'the topic typed');
  assert.match(r.text, /<option value="cybersecurity" selected>/, 'the field chosen');
  assert.match(r.text, /<option value="in_person" selected>/, 'the mode chosen');
  assert.match(r.text, /Cần gấp trong tháng\.<\/textarea>/);
  assert.match(r.text, /field invalid"><label for="r-start">[^]*?Ngày bắt đầu không hợp lệ/, 'the error beside the date');
  assert.match(r.text, /field invalid"><label for="r-place">[^]*?Cần địa điểm/, 'and beside the place');
  // The JSON twin still names the fields.
  const j = await c.nghean.post('/api/expert-requests', { json: { org: 'nghe-an', topic, field: 'cybersecurity', starts_on: '31/02/2026', mode: 'online' } });
  assert.equal(j.status, 422);
  assert.ok(j.data.fields.starts_on, j.text);
});
