// Organisers define award contests in the browser (issue 17, second round): the form at /cuoc-thi/moi and
// /cuoc-thi/{slug}/sua keeps what was typed and says each error beside its box, refuses who may not organise, and
// refuses 409 an edit that entries, answers or scores depend on; an entry's files go to the jurors who may judge it and
// the organiser only, with no applicant's name in a blind contest's file name. Either engine.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ADMIN, OFFICER, skip, uniq } from './lib.mjs';
import { sql, q } from './db.mjs';

const opts = { skip };
const PW = 'mat-khau-cuoc-thi-2';
const iso = (days) => new Date(Date.now() + days * 86400e3).toISOString().slice(0, 19) + 'Z';
const day = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
const count = (where) => +sql(`SELECT COUNT(*) FROM ${where}`);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let admin, officer;
const people = {};

async function account(name) {
  const email = `${uniq(name)}@dxday.vn`;
  const r = await admin.post('/api/users', { json: { email, name: `Người ${name}`, password: PW } });
  assert.equal(r.status, 201, r.text);
  const c = new Client();
  await c.login(email, PW);
  return { c, id: r.data.id, email };
}

const form = (over = {}) => ({
  slug: uniq('giai-form').toLowerCase(), title: 'Giải thưởng tạo trên trình duyệt', year: String(new Date().getUTCFullYear()), org: 'nghe-an',
  rules_md: '# Thể lệ\nHồ sơ nộp trực tuyến.', opens_on: day(-1), closes_on: day(20), results_on: day(40), score_min: '1', score_max: '10', blind: '1',
  categories: 'dn | Doanh nghiệp số | doanh nghiệp\ntc | Tổ chức số | tổ chức, thanh niên',
  fields: 'tom_tat | Tóm tắt | đoạn văn | bắt buộc\nquy_mo | Quy mô | lựa chọn | | Nhỏ; Vừa; Lớn\nho_so | Hồ sơ thuyết minh | tệp',
  criteria: 'tac_dong | Tác động | 60\ndoi_moi | Đổi mới | 0,4',
  rounds: 'Xét điều kiện | xét điều kiện\nChung khảo | chung khảo',
  ...over,
});

before(async () => {
  if (skip) return;
  admin = new Client();
  await admin.login(...ADMIN);
  officer = new Client();
  await officer.login(...OFFICER);
  for (const n of ['ent', 'j1', 'j2', 'j3', 'other']) people[n] = await account(`ca-${n}`);
});

test('an officer creates a contest from the form; the parts are saved as typed', opts, async () => {
  const page = await officer.get('/cuoc-thi/moi');
  assert.equal(page.status, 200);
  assert.match(page.text, /name="categories"/);
  assert.match(page.text, /<option value="nghe-an"/, 'the officer\'s own unit is offered');
  const f = form();
  const r = await officer.post('/cuoc-thi/moi', { form: f });
  assert.equal(r.status, 303, r.text);
  assert.equal(r.location, `/cuoc-thi/${f.slug}`);
  const c = (await officer.get(`/api/contests/${f.slug}`)).data.contest;
  assert.equal(c.org_name, sql(`SELECT name FROM org_unit WHERE code = 'nghe-an'`));
  assert.equal(c.blind, 1);
  assert.deepEqual(c.categories.map((x) => [x.code, x.eligible]), [['dn', ['enterprise']], ['tc', ['organisation', 'youth']]]);
  assert.deepEqual(c.fields.map((x) => [x.code, x.type, !!x.required]), [['tom_tat', 'longtext', true], ['quy_mo', 'choice', false], ['ho_so', 'file', false]]);
  assert.deepEqual(c.fields[1].choices, ['Nhỏ', 'Vừa', 'Lớn']);
  assert.deepEqual(c.criteria.map((x) => [x.code, +x.weight]), [['tac_dong', 60], ['doi_moi', 0.4]]);
  assert.deepEqual(c.rounds.map((x) => x.kind), ['eligibility', 'final']);
  // Closing at the end of the Vietnamese day chosen.
  assert.equal(c.closes_at, `${day(20)}T16:59:59Z`);
  assert.equal(count(`audit_log WHERE action = 'contest.create' AND entity_id = '${c.id}'`), 1);
  // The organiser is led to the form from the contests' list and the contest's page; a learner is not.
  assert.match((await officer.get('/cuoc-thi')).text, /href="\/cuoc-thi\/moi"/);
  assert.match((await officer.get(`/cuoc-thi/${f.slug}`)).text, new RegExp(`href="/cuoc-thi/${f.slug}/sua"`));
  assert.doesNotMatch((await people.ent.c.get('/cuoc-thi')).text, /href="\/cuoc-thi\/moi"/);
});

test('a mistake keeps what was typed and says each error beside its box; nothing is written', opts, async () => {
  const before = count('contest');
  const f = form({ title: '', categories: 'dn | Doanh nghiệp số | doanh nghiệp\ntc | Tổ chức | người ngoài hành tinh', criteria: 'tac_dong | Tác động | nhiều',
                   closes_on: '2026-02-31', rules_md: 'Thể lệ đã gõ <b>giữ nguyên</b>' });
  const r = await officer.post('/cuoc-thi/moi', { form: f });
  assert.equal(r.status, 422);
  assert.match(r.text, /Cần tên cuộc thi/);
  assert.match(r.text, /Dòng 2: đối tượng tham gia/);
  assert.match(r.text, /Dòng 1: trọng số/);
  assert.match(r.text, /Chọn một ngày hợp lệ/);
  // Typed text comes back (escaped), the boxes keep their lines.
  assert.match(r.text, /Thể lệ đã gõ &lt;b&gt;giữ nguyên&lt;\/b&gt;/);
  assert.match(r.text, /người ngoài hành tinh/);
  assert.match(r.text, new RegExp(f.slug));
  // Each error sits in its own box's block.
  const block = (name) => r.text.slice(r.text.lastIndexOf('<div class="field', r.text.indexOf(`name="${name}"`)), r.text.indexOf('</div>', r.text.indexOf(`name="${name}"`)));
  assert.match(block('criteria'), /class="err">Dòng 1: trọng số/);
  assert.match(block('categories'), /class="err">Dòng 2/);
  assert.doesNotMatch(block('fields'), /class="err"/);
  assert.equal(count('contest'), before);
  // The same as JSON: 422 with the fields named.
  const j = await officer.post('/api/contests/new', { json: { slug: uniq('x').toLowerCase(), org: 'nghe-an', title: 'X', opens_at: iso(-1), closes_at: iso(5), categories: [], criteria: [], rounds: [] } });
  assert.equal(j.status, 422);
  assert.ok(j.data.fields.categories && j.data.fields.criteria && j.data.fields.rounds, j.text);
  // A slug in use: 409 beside the slug box.
  const taken = form();
  assert.equal((await officer.post('/cuoc-thi/moi', { form: taken })).status, 303);
  const again = await officer.post('/cuoc-thi/moi', { form: { ...taken, title: 'Lần hai' } });
  assert.equal(again.status, 409);
  assert.match(again.text, /Địa chỉ ngắn này đã có cuộc thi khác dùng/);
  assert.equal(count('contest'), before + 1);
});

test('who may not organise: a learner, an officer for another province\'s unit, another unit\'s officer editing', opts, async () => {
  const before = count('contest');
  const learner = await people.ent.c.post('/cuoc-thi/moi', { form: form() });
  assert.ok([403, 303].includes(learner.status), `learner: ${learner.status}`);
  assert.equal((await people.ent.c.get('/cuoc-thi/moi')).status === 200, false);
  assert.equal((await officer.post('/cuoc-thi/moi', { form: form({ org: 'ha-tinh' }) })).status, 403);
  assert.equal((await officer.post('/api/contests/new', { json: { ...form(), org: 'vn' } })).status, 403);
  assert.equal((await new Client().post('/cuoc-thi/moi', { form: form() })).status === 201, false);
  assert.equal(count('contest'), before);
  // The centre's contest is not the Nghệ An officer's to edit, nor a juror's.
  const f = form({ org: 'vn' });
  assert.equal((await admin.post('/cuoc-thi/moi', { form: f })).status, 303);
  assert.equal((await officer.get(`/cuoc-thi/${f.slug}/sua`)).status, 403);
  const edit = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...f, title: 'Chiếm quyền' } });
  assert.equal(edit.status, 403);
  assert.equal((await admin.post(`/api/contests/${f.slug}/jurors`, { json: { email: people.j1.email, category: 'dn' } })).status, 201);
  assert.equal((await people.j1.c.post(`/api/contests/${f.slug}/definition`, { json: { ...f, title: 'Giám khảo sửa' } })).status, 403);
  // Moving one's contest to a unit one holds no role on is refused too.
  const mine = form();
  assert.equal((await officer.post('/cuoc-thi/moi', { form: mine })).status, 303);
  assert.equal((await officer.post(`/cuoc-thi/${mine.slug}/sua`, { form: { ...mine, org: 'ha-tinh' } })).status, 403);
  assert.equal(sql(`SELECT title FROM contest WHERE slug = ${q(f.slug)}`), f.title);
});

test('editing: free parts change; a field with answers, a category with entries, a scored criterion are refused 409', opts, async () => {
  const f = form({ blind: '' });
  assert.equal((await officer.post('/cuoc-thi/moi', { form: f })).status, 303);
  const page = await officer.get(`/cuoc-thi/${f.slug}/sua`);
  assert.equal(page.status, 200);
  assert.match(page.text, /tc \| Tổ chức số \| tổ chức, thanh niên/);
  assert.match(page.text, new RegExp(`value="${day(20)}"`));
  // Before any entry everything may change: a field removed, a category renamed, a round added.
  const e1 = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...f, title: 'Giải đã sửa', fields: 'tom_tat | Tóm tắt | đoạn văn | bắt buộc\nho_so | Hồ sơ thuyết minh | tệp',
    categories: 'dn | Doanh nghiệp số tiêu biểu | doanh nghiệp\ntc | Tổ chức số | tổ chức, thanh niên', rounds: f.rounds + '\nTrao giải | chung khảo' } });
  assert.equal(e1.status, 303, e1.text);
  let c = (await officer.get(`/api/contests/${f.slug}/definition`)).data.contest;
  assert.equal(c.title, 'Giải đã sửa');
  assert.deepEqual(c.fields.map((x) => x.code), ['tom_tat', 'ho_so']);
  assert.equal(c.categories[0].name, 'Doanh nghiệp số tiêu biểu');
  assert.equal(c.rounds.length, 3);
  assert.equal(count(`audit_log WHERE action = 'contest.update' AND entity_id = '${c.id}'`), 1);
  const cur = { ...f, title: 'Giải đã sửa', fields: 'tom_tat | Tóm tắt | đoạn văn | bắt buộc\nho_so | Hồ sơ thuyết minh | tệp',
    categories: 'dn | Doanh nghiệp số tiêu biểu | doanh nghiệp\ntc | Tổ chức số | tổ chức, thanh niên', rounds: f.rounds + '\nTrao giải | chung khảo' };
  // An entry answers tom_tat in category dn.
  const en = await people.ent.c.post(`/api/contests/${f.slug}/entries`, { json: { category: 'dn', applicant_kind: 'enterprise', enterprise: 'Công ty Sửa',
    applicant_name: 'Công ty Sửa', title: 'Hồ sơ', values: { tom_tat: 'Có nội dung' }, action: 'submit' } });
  assert.equal(en.status, 201, en.text);
  const snapshot = () => sql(`SELECT title || '|' || (SELECT COUNT(*) FROM contest_field WHERE contest_id = c.id) || '|' || (SELECT COUNT(*) FROM contest_category WHERE contest_id = c.id) FROM contest c WHERE slug = ${q(f.slug)}`);
  const was = snapshot();
  const noField = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...cur, title: 'Không được', fields: 'ho_so | Hồ sơ thuyết minh | tệp' } });
  assert.equal(noField.status, 409);
  assert.match(noField.text, /Trường &quot;Tóm tắt&quot; đã có 1 hồ sơ trả lời|Trường "Tóm tắt" đã có 1 hồ sơ trả lời/);
  assert.match(noField.text, /Không được/, 'what was typed is kept');
  const retype = await officer.post(`/api/contests/${f.slug}/definition`, { json: { ...c, org: 'nghe-an', fields: [{ code: 'tom_tat', label: 'Tóm tắt', type: 'text' }, { code: 'ho_so', label: 'Hồ sơ', type: 'file' }] } });
  assert.equal(retype.status, 409);
  assert.match(retype.data.error, /Tóm tắt/);
  const noCat = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...cur, categories: 'tc | Tổ chức số | tổ chức' } });
  assert.equal(noCat.status, 409);
  assert.match(noCat.text, /Hạng mục &quot;Doanh nghiệp số tiêu biểu&quot; đã có 1 hồ sơ|Hạng mục "Doanh nghiệp số tiêu biểu" đã có 1 hồ sơ/);
  const whoCat = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...cur, categories: 'dn | Doanh nghiệp số tiêu biểu | doanh nghiệp, cá nhân\ntc | Tổ chức số | tổ chức, thanh niên' } });
  assert.equal(whoCat.status, 409);
  assert.equal(snapshot(), was);
  // The label of an answered field and the other category may still change.
  const ok = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...cur, fields: 'tom_tat | Tóm tắt giải pháp | đoạn văn | bắt buộc\nho_so | Hồ sơ thuyết minh | tệp', categories: 'dn | Doanh nghiệp số tiêu biểu | doanh nghiệp' } });
  assert.equal(ok.status, 303, ok.text);
  c = (await officer.get(`/api/contests/${f.slug}/definition`)).data.contest;
  assert.equal(c.fields[0].label, 'Tóm tắt giải pháp');
  assert.equal(c.categories.length, 1);
  // Scores fix a criterion's weight and the scale.
  const id = en.data.id;
  assert.equal((await officer.post(`/api/contests/${f.slug}/jurors`, { json: { email: people.j1.email, category: 'dn' } })).status, 201);
  for (const decision of ['eligible', 'advance']) assert.equal((await officer.post(`/api/contests/${f.slug}/entries/${id}/decision`, { json: { decision } })).status, 200);
  assert.equal((await people.j1.c.post(`/api/contests/${f.slug}/judging/${id}`, { json: { scores: { tac_dong: 8, doi_moi: 7 } } })).status, 200);
  const cur2 = { ...cur, fields: 'tom_tat | Tóm tắt giải pháp | đoạn văn | bắt buộc\nho_so | Hồ sơ thuyết minh | tệp', categories: 'dn | Doanh nghiệp số tiêu biểu | doanh nghiệp' };
  const weight = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...cur2, criteria: 'tac_dong | Tác động | 50\ndoi_moi | Đổi mới | 0,4' } });
  assert.equal(weight.status, 409);
  assert.match(weight.text, /Tác động/);
  const scale = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...cur2, score_max: '100' } });
  assert.equal(scale.status, 409);
  const round = await officer.post(`/cuoc-thi/${f.slug}/sua`, { form: { ...cur2, rounds: 'Xét điều kiện | xét điều kiện' } });
  assert.equal(round.status, 409);
  assert.equal(count(`contest_round WHERE contest_id = ${c.id}`), 3);
  assert.equal(sql(`SELECT weight FROM contest_criterion WHERE contest_id = ${c.id} AND code = 'tac_dong'`).replace(/\.0$/, ''), '60');
});

test('entry files: jurors who may judge and the organiser download them; blocked jurors and others get 404', opts, async () => {
  const f = form({ blind: '' });
  assert.equal((await officer.post('/cuoc-thi/moi', { form: f })).status, 303);
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category: 'dn', applicant_kind: 'enterprise', enterprise: 'Công ty Tệp Riêng', applicant_name: 'Công ty Tệp Riêng',
    title: 'Có tệp', f_tom_tat: 'Tóm tắt', action: 'submit' })) fd.append(k, v);
  const bytes = Buffer.concat([PDF, Buffer.from(uniq('%noi-dung'))]);
  fd.append('f_ho_so', new Blob([bytes], { type: 'application/pdf' }), 'Thuyết minh Công ty Tệp Riêng.pdf');
  const en = await people.ent.c.post(`/api/contests/${f.slug}/entries`, { raw: fd });
  assert.equal(en.status, 201, en.text);
  const id = en.data.id;
  // j1 judges dn; j2 judges dn but declares a conflict; j3 judges tc only.
  for (const [who, cat] of [['j1', 'dn'], ['j2', 'dn'], ['j3', 'tc']])
    assert.equal((await officer.post(`/api/contests/${f.slug}/jurors`, { json: { email: people[who].email, category: cat } })).status, 201);
  assert.equal((await people.j2.c.post(`/api/contests/${f.slug}/judging/${id}/conflict`, { json: { reason: 'Từng làm cho công ty' } })).status, 200);
  const url = `/api/contests/${f.slug}/entries/${id}/files/ho_so`;
  const judging = await people.j1.c.get(`/cuoc-thi/${f.slug}/cham-diem`);
  assert.match(judging.text, new RegExp(`href="/cuoc-thi/${f.slug}/ho-so/${id}/tep/ho_so"`), 'the judging page links the file');
  for (const [who, c] of [['juror', people.j1.c], ['organiser', officer], ['applicant', people.ent.c], ['centre', admin]]) {
    const r = await c.get(url);
    assert.equal(r.status, 200, who);
    assert.equal(r.headers.get('content-type'), 'application/pdf', who);
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="ho-so-\d+-ho-so\.pdf"; filename\*=UTF-8''Thuy/, who);
    assert.equal(r.headers.get('cache-control'), 'no-store', 'signed-in answers are kept by no cache');
    assert.ok(r.text.includes('%noi-dung'), who);
  }
  const page = await people.j1.c.get(`/cuoc-thi/${f.slug}/ho-so/${id}/tep/ho_so`);
  assert.equal(page.status, 200);
  const none = await people.j1.c.get(`/api/contests/${f.slug}/entries/${id}/files/khong_co`);
  for (const [who, c] of [['conflict', people.j2.c], ['another category', people.j3.c], ['a stranger', people.other.c]]) {
    const r = await c.get(url);
    assert.equal(r.status, 404, who);
    assert.equal(r.text, none.text.replace(/khong_co/g, ''), `${who}: the same answer as no file`);
  }
  assert.ok([401, 303].includes((await new Client().get(url)).status));
  // A draft's files are its applicant's alone, the organiser's included.
  const dfd = new FormData();
  for (const [k, v] of Object.entries({ category: 'dn', applicant_kind: 'enterprise', enterprise: 'Công ty Nháp', applicant_name: 'Công ty Nháp', title: 'Nháp', action: 'save' })) dfd.append(k, v);
  dfd.append('f_ho_so', new Blob([PDF]), 'nhap.pdf');
  const draft = await people.ent.c.post(`/api/contests/${f.slug}/entries`, { raw: dfd });
  assert.equal(draft.status, 201, draft.text);
  assert.equal((await officer.get(`/api/contests/${f.slug}/entries/${draft.data.id}/files/ho_so`)).status, 404, 'organiser, draft');
  assert.equal((await people.j1.c.get(`/api/contests/${f.slug}/entries/${draft.data.id}/files/ho_so`)).status, 404, 'juror, draft');
  assert.equal((await people.ent.c.get(`/api/contests/${f.slug}/entries/${draft.data.id}/files/ho_so`)).status, 200, 'applicant, draft');
  // Own unit: a juror who works at the entering unit is refused as well.
  const en2 = await officer.post(`/api/contests/${f.slug}/entries`, { json: { category: 'dn', applicant_kind: 'enterprise', org: 'so-tttt-nghe-an',
    enterprise: 'Công ty Sở', applicant_name: 'Công ty Sở', title: 'Của Sở', values: { tom_tat: 'x' }, action: 'submit' } });
  assert.equal(en2.status, 201, en2.text);
  assert.equal((await officer.post(`/api/contests/${f.slug}/jurors`, { json: { email: people.j3.email, category: 'dn', org: 'so-tttt-nghe-an' } })).status, 201);
  const own = await officer.post(`/api/contests/${f.slug}/entries/${id}/decision`, { json: { decision: 'eligible' } });
  assert.equal(own.status, 200);
  const fd2 = new FormData();
  for (const [k, v] of Object.entries({ category: 'dn', applicant_kind: 'enterprise', org: 'so-tttt-nghe-an', enterprise: 'Công ty Sở', applicant_name: 'Công ty Sở', title: 'Của Sở', f_tom_tat: 'x', action: 'submit' })) fd2.append(k, v);
  fd2.append('f_ho_so', new Blob([PDF]), 'so.pdf');
  assert.equal((await officer.post(`/api/contests/${f.slug}/entries/${en2.data.id}`, { raw: fd2 })).status, 200);
  assert.equal((await people.j3.c.get(`/api/contests/${f.slug}/entries/${en2.data.id}/files/ho_so`)).status, 404, 'own unit');
  assert.equal((await people.j1.c.get(`/api/contests/${f.slug}/entries/${en2.data.id}/files/ho_so`)).status, 200);
});

test('blind judging: neither the judging list nor the download names the applicant through the file name', opts, async () => {
  const f = form({ blind: '1' });
  assert.equal((await officer.post('/cuoc-thi/moi', { form: f })).status, 303);
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category: 'dn', applicant_kind: 'enterprise', enterprise: 'Công ty Bí Danh', applicant_name: 'Công ty Bí Danh',
    title: 'Ẩn danh', f_tom_tat: 'Tóm tắt', action: 'submit' })) fd.append(k, v);
  fd.append('f_ho_so', new Blob([PDF]), 'Ho so Cong ty Bi Danh.pdf');
  const en = await people.ent.c.post(`/api/contests/${f.slug}/entries`, { raw: fd });
  assert.equal(en.status, 201, en.text);
  assert.equal((await officer.post(`/api/contests/${f.slug}/jurors`, { json: { email: people.j1.email, category: 'dn' } })).status, 201);
  const list = await people.j1.c.get(`/api/contests/${f.slug}/judging`);
  assert.doesNotMatch(list.text, /Bi Danh|Bí Danh/);
  assert.doesNotMatch((await people.j1.c.get(`/cuoc-thi/${f.slug}/cham-diem`)).text, /Bi Danh|Bí Danh/);
  const r = await people.j1.c.get(`/api/contests/${f.slug}/entries/${en.data.id}/files/ho_so`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="ho-so-${en.data.id}-ho-so.pdf"`);
  // The organiser still sees the name the applicant gave.
  assert.match((await officer.get(`/api/contests/${f.slug}/entries/${en.data.id}/files/ho_so`)).headers.get('content-disposition'), /Bi%20Danh/);
});
