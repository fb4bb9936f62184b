// Award contests (issue 17): the list of both kinds and the quiz redirect, entries (draft, submit, deadline 409, 422 per
// field, 415/413 files, units one holds no role on, withdrawal), judging (own unit and conflicts hidden and refused,
// categories, scale 422, closed round 409, audit), the ranking's normalisation and ties, and the results (nothing
// public before results_at; the hall of honour, the certificate and its PDF after). Either engine.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ADMIN, OFFICER, skip, uniq } from './lib.mjs';
import { sql, q } from './db.mjs';

const opts = { skip };
const PW = 'mat-khau-cuoc-thi-1';
const iso = (days) => new Date(Date.now() + days * 86400e3).toISOString().slice(0, 19) + 'Z';
const count = (where) => +sql(`SELECT COUNT(*) FROM ${where}`);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
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

// A fresh contest of the test's own: three rounds, two categories, a required field and a file field of 1 KB at most.
async function contest(over = {}) {
  const slug = uniq('giai').toLowerCase();
  const def = {
    slug, org: 'vn', title: `Giải thử ${slug}`, opens_at: iso(-1), closes_at: iso(10), results_at: iso(30), score_min: 1, score_max: 10,
    categories: [{ code: 'dn', name: 'Doanh nghiệp', eligible: ['enterprise'] }, { code: 'tc', name: 'Tổ chức', eligible: ['organisation'] }],
    fields: [{ code: 'tom_tat', label: 'Tóm tắt', type: 'longtext', required: true }, { code: 'so_nguoi', label: 'Số người dùng', type: 'integer' },
             { code: 'ho_so', label: 'Hồ sơ thuyết minh', type: 'file', max_bytes: 1024 }],
    criteria: [{ code: 'tac_dong', name: 'Tác động', weight: 0.6 }, { code: 'doi_moi', name: 'Đổi mới', weight: 0.4 }],
    rounds: [{ name: 'Xét điều kiện', kind: 'eligibility' }, { name: 'Sơ khảo', kind: 'shortlist' }, { name: 'Chung khảo', kind: 'final' }],
    ...over,
  };
  const r = await admin.post('/api/contests', { json: def });
  assert.equal(r.status, 201, r.text);
  return slug;
}

const entryBody = (over = {}) => ({ category: 'dn', applicant_kind: 'enterprise', enterprise: 'Công ty Thử', applicant_name: 'Công ty Thử',
  title: uniq('Giải pháp'), values: { tom_tat: 'Nền tảng số cho hộ kinh doanh.', so_nguoi: '1200' }, action: 'submit', ...over });

before(async () => {
  if (skip) return;
  admin = new Client();
  await admin.login(...ADMIN);
  officer = new Client();
  await officer.login(...OFFICER);
  for (const n of ['ent', 'j1', 'j2', 'j3']) people[n] = await account(`ct-${n}`);
});

test('the list holds contests of both kinds; a quiz contest\'s page sends to its rounds', opts, async () => {
  const slug = await contest();
  const qs = uniq('tim-hieu').toLowerCase();
  sql(`INSERT INTO contest (slug, kind, year, org_id, title, title_folded, opens_at, closes_at, status, created_at)
       VALUES (${q(qs)}, 'quiz', 2026, (SELECT id FROM org_unit WHERE code = 'vn'), 'Cuộc thi tìm hiểu thử', 'cuoc thi tim hieu thu', ${q(iso(-1))}, ${q(iso(5))}, 'open', ${q(iso(0))})`);
  const list = await new Client().get('/api/contests');
  assert.equal(list.status, 200);
  const kinds = Object.fromEntries(list.data.items.map((c) => [c.slug, c.kind]));
  assert.equal(kinds[slug], 'award');
  assert.equal(kinds[qs], 'quiz');
  const page = await new Client().get(`/cuoc-thi/${qs}`);
  assert.equal(page.status, 303);
  assert.equal(page.location, `/cuoc-thi/${qs}/vong`);
  const html = await new Client().get('/cuoc-thi');
  assert.match(html.text, /Cuộc thi tìm hiểu thử/);
});

test('an enterprise drafts, saves, submits, sees its status and withdraws; bad input is refused and writes nothing', opts, async () => {
  const slug = await contest();
  const c = people.ent.c;
  const draft = await c.post(`/api/contests/${slug}/entries`, { json: entryBody({ action: 'save', values: {} }) });
  assert.equal(draft.status, 201, draft.text);
  assert.equal(draft.data.entry.status, 'draft');
  const id = draft.data.id;
  // Submitting without the required field: 422 naming it.
  const missing = await c.post(`/api/contests/${slug}/entries/${id}`, { json: entryBody({ values: {} }) });
  assert.equal(missing.status, 422);
  assert.ok(missing.data.details?.tom_tat || missing.data.fields?.tom_tat || /Tóm tắt/.test(missing.text), missing.text);
  assert.equal(sql(`SELECT status FROM contest_entry WHERE id = ${id}`), 'draft');
  // A category this kind of applicant may not enter.
  const wrongCat = await c.post(`/api/contests/${slug}/entries`, { json: entryBody({ category: 'tc' }) });
  assert.equal(wrongCat.status, 422);
  // Naming a unit without a role on it.
  const before = count('contest_entry');
  const unit = await c.post(`/api/contests/${slug}/entries`, { json: entryBody({ category: 'tc', applicant_kind: 'organisation', org: 'so-tttt-nghe-an' }) });
  assert.equal(unit.status, 403);
  assert.equal(count('contest_entry'), before);
  const sub = await c.post(`/api/contests/${slug}/entries/${id}`, { json: entryBody() });
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.data.entry.state, 'submitted');
  assert.equal(+sql(`SELECT COUNT(*) FROM audit_log WHERE entity = 'contest_entry' AND entity_id = ${q(id)} AND action = 'contest.entry_submit'`), 1);
  const mine = await c.get(`/api/contests/${slug}/entries`);
  assert.equal(mine.data.items[0].state_label, 'Đã nộp');
  // Someone else cannot see it.
  assert.equal((await people.j1.c.get(`/api/contests/${slug}/entries/${id}`)).status, 404);
  const w = await c.post(`/api/contests/${slug}/entries/${id}/withdraw`, { json: {} });
  assert.equal(w.status, 200);
  assert.equal(sql(`SELECT status FROM contest_entry WHERE id = ${id}`), 'withdrawn');
});

test('after the deadline an entry is refused with 409 naming the deadline, and nothing is written', opts, async () => {
  const slug = await contest({ opens_at: iso(-10), closes_at: iso(-1) });
  const before = count('contest_entry');
  const r = await people.ent.c.post(`/api/contests/${slug}/entries`, { json: entryBody() });
  assert.equal(r.status, 409);
  const d = new Date(Date.now() - 86400e3).toISOString().slice(0, 10).split('-').reverse().join('/');
  assert.match(r.data.error, new RegExp(`hạn chót ${d}`));
  assert.equal(count('contest_entry'), before);
});

test('files are checked by content (415) and size (413), naming the field', opts, async () => {
  const slug = await contest();
  const send = (bytes, name) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ category: 'dn', applicant_kind: 'enterprise', enterprise: 'Công ty Tệp', applicant_name: 'Công ty Tệp', title: 'Có tệp', f_tom_tat: 'Tóm tắt', action: 'submit' })) fd.append(k, v);
    fd.append('f_ho_so', new Blob([bytes], { type: 'application/pdf' }), name);
    return people.ent.c.post(`/api/contests/${slug}/entries`, { raw: fd });
  };
  const before = count('contest_entry');
  const html = await send(Buffer.from('<html><script>alert(1)</script></html>'), 'ho-so.pdf');
  assert.equal(html.status, 415);
  assert.match(html.data.error, /Hồ sơ thuyết minh/);
  const big = await send(Buffer.concat([PDF, Buffer.alloc(2048, 32)]), 'lon.pdf');
  assert.equal(big.status, 413);
  assert.match(big.data.error, /Hồ sơ thuyết minh/);
  assert.equal(count('contest_entry'), before);
  const ok = await send(PNG, 'anh.png');
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.data.entry.fields.ho_so.mime, 'image/png');
});

test('judging: own unit and conflicts hidden and refused, categories, scale, closed rounds, ranking, results', opts, async () => {
  const slug = await contest();
  // An enterprise's entry and Nghệ An department's (by its officer).
  const e1 = (await people.ent.c.post(`/api/contests/${slug}/entries`, { json: entryBody() })).data.id;
  const e2r = await officer.post(`/api/contests/${slug}/entries`, { json: entryBody({ category: 'dn', applicant_kind: 'enterprise', enterprise: 'Công ty Hai', applicant_name: 'Công ty Hai' }) });
  assert.equal(e2r.status, 201, e2r.text);
  const e2 = e2r.data.id;
  const e3r = await officer.post(`/api/contests/${slug}/entries`, { json: entryBody({ category: 'tc', applicant_kind: 'organisation', org: 'so-tttt-nghe-an', applicant_name: 'Sở TT&TT Nghệ An', enterprise: '' }) });
  assert.equal(e3r.status, 201, e3r.text);
  const e3 = e3r.data.id;
  // Only the organiser assigns jurors.
  assert.equal((await people.j1.c.post(`/api/contests/${slug}/jurors`, { json: { email: people.j1.email, category: 'dn' } })).status, 403);
  for (const [who, cat, org] of [['j1', 'dn'], ['j2', 'dn'], ['j1', 'tc'], ['j3', 'tc', 'so-tttt-nghe-an']])
    assert.equal((await admin.post(`/api/contests/${slug}/jurors`, { json: { email: people[who].email, category: cat, org } })).status, 201);
  // j3 works at the department: its entry is never shown, and scoring it is refused.
  const j3 = await people.j3.c.get(`/api/contests/${slug}/judging`);
  assert.equal(j3.status, 200);
  assert.ok(!j3.data.entries.some((e) => e.id === e3), 'own unit hidden');
  // Eligibility first: scoring is refused there (409), then the organiser decides and advances.
  assert.equal((await people.j1.c.post(`/api/contests/${slug}/judging/${e1}`, { json: { scores: { tac_dong: 5 } } })).status, 409);
  for (const e of [e1, e2, e3]) {
    assert.equal((await admin.post(`/api/contests/${slug}/entries/${e}/decision`, { json: { decision: 'eligible' } })).status, 200);
    assert.equal((await admin.post(`/api/contests/${slug}/entries/${e}/decision`, { json: { decision: 'advance' } })).status, 200);
  }
  assert.equal((await officer.post(`/api/contests/${slug}/entries/${e1}/decision`, { json: { decision: 'advance' } })).status, 403);
  const scores0 = count('contest_score'), audits0 = count(`audit_log WHERE action = 'contest.score'`);
  assert.equal((await people.j3.c.post(`/api/contests/${slug}/judging/${e3}`, { json: { scores: { tac_dong: 5, doi_moi: 5 } } })).status, 403);
  // Outside the juror's categories.
  assert.equal((await people.j2.c.post(`/api/contests/${slug}/judging/${e3}`, { json: { scores: { tac_dong: 5, doi_moi: 5 } } })).status, 403);
  // Outside the scale.
  const bad = await people.j1.c.post(`/api/contests/${slug}/judging/${e1}`, { json: { scores: { tac_dong: 11, doi_moi: 5 } } });
  assert.equal(bad.status, 422);
  assert.equal(count('contest_score'), scores0);
  assert.equal(count(`audit_log WHERE action = 'contest.score'`), audits0);
  // A declared conflict hides the entry and refuses scores.
  assert.equal((await people.j2.c.post(`/api/contests/${slug}/judging/${e2}/conflict`, { json: { reason: 'Người thân làm ở công ty này' } })).status, 200);
  assert.ok(!(await people.j2.c.get(`/api/contests/${slug}/judging`)).data.entries.some((e) => e.id === e2), 'conflict hidden');
  assert.equal((await people.j2.c.post(`/api/contests/${slug}/judging/${e2}`, { json: { scores: { tac_dong: 9, doi_moi: 9 } } })).status, 403);
  assert.equal(count('contest_score'), scores0);
  // A lenient and a harsh juror rank the same way: normalised scores tie where raw scores differ.
  const put = async (c, e, a, b) => assert.equal((await c.post(`/api/contests/${slug}/judging/${e}`, { json: { scores: { tac_dong: { score: a, comment: 'Tốt' }, doi_moi: b } } })).status, 200);
  await put(people.j1.c, e1, 9, 9);
  await put(people.j1.c, e2, 7, 7);
  await put(people.j2.c, e1, 4, 4);
  assert.equal(count(`audit_log WHERE action = 'contest.score'`), audits0 + 3);
  const m = await admin.get(`/api/contests/${slug}/manage?vong=2`);
  assert.equal(m.status, 200);
  assert.match(m.data.method, /z/);
  const dn = m.data.ranking.find((c) => c.code === 'dn').entries;
  assert.equal(dn[0].id, e1);
  assert.ok(dn[0].normalised > dn[1].normalised);
  assert.ok(m.data.progress.find((p) => p.email === people.j1.email).scored >= 2);
  // Close the shortlist after advancing e1: its scores cannot change any more.
  assert.equal((await admin.post(`/api/contests/${slug}/entries/${e1}/decision`, { json: { decision: 'advance' } })).status, 200);
  assert.equal((await admin.post(`/api/contests/${slug}/judging-rounds/2/close`, { json: {} })).status, 200);
  const late = await people.j1.c.post(`/api/contests/${slug}/judging/${e2}`, { json: { scores: { tac_dong: 1, doi_moi: 1 } } });
  assert.equal(late.status, 409);
  assert.equal(sql(`SELECT score FROM contest_score s JOIN contest_criterion c ON c.id = s.criterion_id WHERE s.entry_id = ${e2} AND c.code = 'tac_dong'`), '7');
  // Winner: nothing public before results_at.
  assert.equal((await admin.post(`/api/contests/${slug}/entries/${e1}/decision`, { json: { decision: 'winner', award: 'Giải Nhất' } })).status, 200);
  const code = sql(`SELECT code FROM contest_honour WHERE entry_id = ${e1}`);
  assert.equal(code.length, 26);
  const anon = new Client();
  assert.ok(!(await anon.get(`/api/contests/${slug}`)).data.winners);
  assert.equal((await anon.get(`/api/honours/${code}`)).status, 404);
  assert.ok(!(await anon.get('/api/honours')).data.items.some((h) => h.code === code));
  assert.ok(!(await people.ent.c.get(`/api/contests/${slug}/entries`)).data.items[0].award, 'the applicant learns the award on the results date');
  sql(`UPDATE contest SET results_at = ${q(iso(-0.01))} WHERE slug = ${q(slug)}`);
  const hall = await anon.get('/api/honours');
  assert.ok(hall.data.items.some((h) => h.code === code && h.award === 'Giải Nhất'));
  const v = await anon.get(`/api/honours/${code}`);
  assert.equal(v.status, 200);
  assert.equal(v.data.honour.name, 'Công ty Thử');
  const pdf = await fetch(`${anon.base}/chung-nhan/${code}/pdf`);
  assert.equal(pdf.status, 200);
  assert.equal((await pdf.arrayBuffer()).byteLength > 1000, true);
  const xlsx = await fetch(`${anon.base}/cuoc-thi/${slug}/ket-qua.xlsx`);
  assert.equal(xlsx.status, 200);
  assert.equal((await people.ent.c.get(`/api/contests/${slug}/entries`)).data.items[0].state, 'winner');
});
