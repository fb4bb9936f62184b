// The expert activity form (on the expert's own page and on an accepted request's page): a mistake shows the same page
// again with what was typed and each error beside its field, writing nothing, instead of an error page; the JSON answer
// stays as it was. Against the suite's server, on either engine.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { skip } from './lib.mjs';
import { approvedExpert, dayOffset, roles, snapshot, uniq } from './expert_helpers.mjs';

let c;
before(async () => { if (!skip) c = await roles(); });

test("the expert's own activity form comes back as typed with each error beside its field", { skip }, async () => {
  const e = await approvedExpert(c.admin, c.centre);
  const result = `Hội thảo dữ liệu ở xã ${uniq('kq')}`;
  const before = snapshot();
  const r = await e.client.post('/chuyen-gia/hoat-dong', { form: { kind: 'seminar', held_on: dayOffset(5), org: 'khong-co-don-vi',
    participants: '42', result } });
  assert.equal(r.status, 422, r.text.slice(0, 300));
  assert.equal(snapshot(), before, 'nothing written');
  assert.match(r.text, /<form method="post" action="\/chuyen-gia\/hoat-dong"/, 'the form, not the error page');
  assert.match(r.text, /Hồ sơ chuyên gia của tôi/, "the expert's own page");
  assert.match(r.text, /<details class="card" id="hoat-dong" open>/, 'the form opened');
  assert.match(r.text, /<option value="seminar" selected>/, 'the kind chosen');
  assert.match(r.text, new RegExp(`name="held_on" value="${dayOffset(5)}"`), 'the date typed');
  assert.match(r.text, /name="org" value="khong-co-don-vi"/, 'the unit typed');
  assert.match(r.text, /name="participants" type="number" min="0" value="42"/);
  assert.match(r.text, new RegExp(`${result}</textarea>`));
  assert.match(r.text, /field invalid"><label for="a-date">[^]*?Chỉ ghi hoạt động đã diễn ra/, 'the error beside the date');
  assert.match(r.text, /field invalid"><label for="a-org">[^]*?Không tìm thấy đơn vị/, 'the error beside the unit');
  assert.match(r.text, /role="alert">Hoạt động chưa hợp lệ; xem các ô cần sửa\./);
  // The JSON twin answers as before.
  const j = await e.client.post('/api/expert-activities', { json: { kind: 'seminar', held_on: dayOffset(5), org: 'khong-co-don-vi' } });
  assert.equal(j.status, 422);
  assert.ok(j.data.fields.held_on && j.data.fields.org, j.text);
});

test("a request's activity form comes back on the request's page, as typed", { skip }, async () => {
  const e = await approvedExpert(c.admin, c.centre, { fields: ['digital_gov'] });
  const topic = `Góp ý kế hoạch số hóa ${uniq('yc')}`;
  const ask = await c.nghean.post('/api/expert-requests', { json: { org: 'nghe-an', topic, field: 'digital_gov', starts_on: dayOffset(7),
    ends_on: dayOffset(14), mode: 'online' } });
  assert.equal(ask.status, 201, ask.text);
  const id = ask.data.id;
  assert.equal((await c.centre.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [e.id] } })).status, 200);
  assert.equal((await e.client.post(`/api/expert-requests/${id}/answer`, { json: { decision: 'accept' } })).status, 200);
  const before = snapshot();
  const r = await e.client.post('/chuyen-gia/hoat-dong', { form: { request_id: String(id), expert_id: String(e.id), kind: 'plan_review',
    held_on: '31/02/2026', participants: 'nhieu', result: 'Góp ý 12 điểm' } });
  assert.equal(r.status, 422, r.text.slice(0, 300));
  assert.equal(snapshot(), before, 'nothing written');
  assert.match(r.text, new RegExp(`<h1>${topic}</h1>`), "the request's page");
  assert.match(r.text, /<option value="plan_review" selected>/);
  assert.match(r.text, /name="held_on" value="31\/02\/2026"/);
  assert.match(r.text, /name="participants" type="number" min="0" value="nhieu"/);
  assert.match(r.text, /Góp ý 12 điểm<\/textarea>/);
  assert.match(r.text, /field invalid"><label for="a-date">[^]*?Ngày không hợp lệ/);
  assert.match(r.text, /field invalid"><label for="a-n">[^]*?Số người tham dự là số/);
  // The centre types an expert that does not exist: the same page, the error beside that box.
  const r2 = await c.centre.post('/chuyen-gia/hoat-dong', { form: { request_id: String(id), expert_id: '999999999', kind: 'consultation',
    held_on: dayOffset(-1) } });
  assert.equal(r2.status, 422, r2.text.slice(0, 300));
  assert.equal(snapshot(), before);
  assert.match(r2.text, /field invalid"><label for="a-exp">[^]*?Không tìm thấy chuyên gia/);
  assert.match(r2.text, /name="expert_id" value="999999999"/);
});
