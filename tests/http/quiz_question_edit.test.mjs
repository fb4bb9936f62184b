// One question of a knowledge contest's round edited by its organisers: the edit form shows the question as stored, a
// save rewrites it (with its audit entry), a mistake comes back on the same form as typed; once the round has opened
// the form and the save answer 409; others are refused (403). Against the suite's server, on either engine.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ADMIN, OFFICER, skip, uniq } from './lib.mjs';
import { sql, q } from './db.mjs';

const opts = { skip };
const vn = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 16);
let admin, officer;

before(async () => {
  if (skip) return;
  admin = new Client();
  await admin.login(...ADMIN);
  officer = new Client();
  await officer.login(...OFFICER);
});

// A quiz contest of org by c, with round 1 (opening in two days) and its questions; its slug.
async function contestWith(c, org, questions) {
  const slug = uniq('sua-cau-hoi').toLowerCase();
  const r = await c.post('/cuoc-thi/tim-hieu/moi', { form: { slug, title: 'Tìm hiểu để sửa câu hỏi', year: String(new Date().getUTCFullYear()), org,
    opens_on: vn(0).slice(0, 10), closes_on: vn(30).slice(0, 10) } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal((await c.post(`/cuoc-thi/${slug}/vong/quan-ly`, { form: { title: 'Vòng 1', opens_at: vn(2), closes_at: vn(9), limit_min: '10' } })).status, 303);
  for (const f of questions) assert.equal((await c.post(`/cuoc-thi/${slug}/vong/1/cau-hoi`, { form: f })).status, 303, f.prompt);
  return slug;
}

const stored = (slug, seq) => sql(`SELECT q.kind || '|' || q.prompt || '|' || q.options || '|' || q.answer || '|' || COALESCE(q.explain, '')
  FROM contest_question q JOIN quiz_round r ON r.id = q.round_id JOIN contest c ON c.id = r.contest_id WHERE c.slug = ${q(slug)} AND r.n = 1 AND q.seq = ${seq}`);
const audits = (slug) => +sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'quiz_contest.question_update'
  AND entity_id = (SELECT CAST(id AS TEXT) FROM contest WHERE slug = ${q(slug)})`);

test('the organiser edits one question: the form as stored, the save, its audit entry', opts, async () => {
  const slug = await contestWith(officer, 'nghe-an', [
    { kind: 'single', prompt: 'Ngày Chuyển đổi số quốc gia là ngày nào?', options: '1/1\n10/10\n2/9', answer: '2', explain: 'Quyết định 505.' },
    { kind: 'short', prompt: 'Viết tắt của chuyển đổi số?', answer: 'CĐS\nchuyen doi so' }]);
  const round = await officer.get(`/cuoc-thi/${slug}/vong/1/sua`);
  assert.match(round.text, new RegExp(`href="/cuoc-thi/${slug}/vong/1/cau-hoi/1/sua">Sửa câu này`), 'a link to edit each question');
  const form = await officer.get(`/cuoc-thi/${slug}/vong/1/cau-hoi/1/sua`);
  assert.equal(form.status, 200, form.text.slice(0, 300));
  assert.match(form.text, /<h1>Sửa câu hỏi 1<\/h1>/);
  assert.match(form.text, new RegExp(`<form method="post" action="/cuoc-thi/${slug}/vong/1/cau-hoi/1"`));
  assert.match(form.text, /<option value="single" selected>/);
  assert.match(form.text, /Ngày Chuyển đổi số quốc gia là ngày nào\?<\/textarea>/);
  assert.match(form.text, />1\/1\n10\/10\n2\/9<\/textarea>/, 'the options one a line');
  assert.match(form.text, /name="answer" rows="2" required>2<\/textarea>/, 'the key as typed: the option number');
  assert.match(form.text, /Quyết định 505\.<\/textarea>/);
  const short = await officer.get(`/cuoc-thi/${slug}/vong/1/cau-hoi/2/sua`);
  assert.match(short.text, /required>CĐS\nchuyen doi so<\/textarea>/, 'accepted answers one a line');
  assert.equal((await officer.get(`/cuoc-thi/${slug}/vong/1/cau-hoi/9/sua`)).status, 404);

  const save = await officer.post(`/cuoc-thi/${slug}/vong/1/cau-hoi/1`, { form: { kind: 'multiple', prompt: 'Những ngày nào là ngày lễ?',
    options: '1/1\n10/10\n2/9', answer: '1, 3', explain: '' } });
  assert.equal(save.status, 303, save.text.slice(0, 300));
  assert.equal(save.location, `/cuoc-thi/${slug}/vong/1/sua`);
  assert.equal(stored(slug, 1), 'multiple|Những ngày nào là ngày lễ?|["1/1","10/10","2/9"]|[0,2]|');
  assert.equal(audits(slug), 1);
  assert.match((await officer.get(`/cuoc-thi/${slug}/vong/1/cau-hoi/1/sua`)).text, /name="answer" rows="2" required>1, 3<\/textarea>/);
});

test('a mistake comes back on the edit form as typed, the error beside its box; nothing written', opts, async () => {
  const slug = await contestWith(officer, 'nghe-an', [{ kind: 'truefalse', prompt: 'VNeID là ứng dụng định danh điện tử.', answer: 'Đúng' }]);
  const was = stored(slug, 1);
  const bad = await officer.post(`/cuoc-thi/${slug}/vong/1/cau-hoi/1`, { form: { kind: 'single', prompt: 'Câu đang gõ dở', options: 'A\nB', answer: '7' } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /<h1>Sửa câu hỏi 1<\/h1>/, 'the edit form, not the round page');
  assert.match(bad.text, /<option value="single" selected>/);
  assert.match(bad.text, /Câu đang gõ dở<\/textarea>/);
  assert.match(bad.text, />A\nB<\/textarea>/);
  assert.match(bad.text, /field invalid"><label for="q-answer">[^]*?class="err">Đáp án/);
  assert.equal(stored(slug, 1), was);
  assert.equal(audits(slug), 0);
});

test('once the round has opened the form and the save answer 409; others are refused', opts, async () => {
  const slug = await contestWith(officer, 'nghe-an', [{ kind: 'truefalse', prompt: 'Câu một', answer: 'Sai' }]);
  // Another organising unit's contest: Nghệ An's officer is not its organiser; a learner, the public neither.
  const national = await contestWith(admin, 'vn', [{ kind: 'truefalse', prompt: 'Câu quốc gia', answer: 'Đúng' }]);
  for (const [who, c] of [['another unit\'s officer', officer], ['the public', new Client()]]) {
    const g = await c.get(`/cuoc-thi/${national}/vong/1/cau-hoi/1/sua`);
    assert.ok([403, 303].includes(g.status), `${who}: ${g.status}`);
    const p = await c.post(`/api/quiz-contests/${national}/rounds/1/questions/1`, { form: { kind: 'truefalse', prompt: 'Chen vào', answer: 'Sai' } });
    assert.ok([401, 403].includes(p.status), `${who}: ${p.status}`);
  }
  assert.equal(stored(national, 1), 'truefalse|Câu quốc gia|[]|true|');
  sql(`UPDATE quiz_round SET opens_at = '2020-01-01T00:00:00Z' WHERE contest_id = (SELECT id FROM contest WHERE slug = ${q(slug)})`);
  const was = stored(slug, 1);
  const g = await officer.get(`/cuoc-thi/${slug}/vong/1/cau-hoi/1/sua`);
  assert.equal(g.status, 409);
  assert.match(g.text, /đã mở/);
  const p = await officer.post(`/cuoc-thi/${slug}/vong/1/cau-hoi/1`, { form: { kind: 'truefalse', prompt: 'Câu một sửa', answer: 'Đúng' } });
  assert.equal(p.status, 409);
  assert.match(p.text, /đã mở/);
  assert.equal(stored(slug, 1), was);
  assert.equal(audits(slug), 0);
});
