// Knowledge contests by their organisers (issue 17, second round): a new quiz contest, its rounds and their questions
// from the browser's forms or JSON; a round that has opened refuses every change (409); questions of an unopened round
// stay unseen by participants; nobody but the organising unit's officers, coordinators or the centre may. Either engine.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ADMIN, OFFICER, skip, uniq } from './lib.mjs';
import { sql, q } from './db.mjs';

const opts = { skip };
const PW = 'mat-khau-tim-hieu-2';
const vn = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 16);   // datetime-local, Vietnam
const count = (where) => +sql(`SELECT COUNT(*) FROM ${where}`);
let admin, officer, learner;

before(async () => {
  if (skip) return;
  admin = new Client();
  await admin.login(...ADMIN);
  officer = new Client();
  await officer.login(...OFFICER);
  const email = `${uniq('qa-learner')}@dxday.vn`;
  assert.equal((await admin.post('/api/users', { json: { email, name: 'Người dự thi', password: PW } })).status, 201);
  learner = new Client();
  await learner.login(email, PW);
});

async function newContest(c = officer, org = 'nghe-an') {
  const slug = uniq('tim-hieu-moi').toLowerCase();
  const r = await c.post('/cuoc-thi/tim-hieu/moi', { form: { slug, title: 'Tìm hiểu chuyển đổi số Nghệ An', year: String(new Date().getUTCFullYear()), org,
    opens_on: vn(0).slice(0, 10), closes_on: vn(30).slice(0, 10), rules_md: 'Mỗi tuần một vòng.' } });
  return { slug, r };
}

test('an officer creates a quiz contest, adds a round and its questions of the four kinds', opts, async () => {
  assert.equal((await officer.get('/cuoc-thi/tim-hieu/moi')).status, 200);
  const { slug, r } = await newContest();
  assert.equal(r.status, 303, r.text);
  assert.equal(r.location, `/cuoc-thi/${slug}/vong/quan-ly`);
  assert.equal(sql(`SELECT kind FROM contest WHERE slug = ${q(slug)}`), 'quiz');
  assert.match((await officer.get(`/cuoc-thi/${slug}/vong`)).text, new RegExp(`href="/cuoc-thi/${slug}/vong/quan-ly"`));
  const add = await officer.post(`/cuoc-thi/${slug}/vong/quan-ly`, { form: { title: 'Vòng 1: Chính quyền số', opens_at: vn(2), closes_at: vn(9), limit_min: '15', prizes: 'Giải Nhất | 1\nGiải Nhì | 2' } });
  assert.equal(add.status, 303, add.text);
  assert.equal(add.location, `/cuoc-thi/${slug}/vong/1/sua`);
  const round = sql(`SELECT time_limit_s || '|' || prizes FROM quiz_round r JOIN contest c ON c.id = r.contest_id WHERE c.slug = ${q(slug)} AND r.n = 1`);
  assert.equal(round.split('|')[0], '900');
  assert.deepEqual(JSON.parse(round.slice(4)), [{ name: 'Giải Nhất', count: 1 }, { name: 'Giải Nhì', count: 2 }]);
  const base = `/cuoc-thi/${slug}/vong/1/cau-hoi`;
  for (const f of [{ kind: 'single', prompt: 'Ngày Chuyển đổi số quốc gia là ngày nào?', options: '10/10\n1/1\n2/9', answer: '1' },
                   { kind: 'multiple', prompt: 'Những gì thuộc chính quyền số?', options: 'Dịch vụ công trực tuyến\nGiấy tờ bản cứng\nDữ liệu mở', answer: '1, 3' },
                   { kind: 'truefalse', prompt: 'VNeID là ứng dụng định danh điện tử.', answer: 'Đúng' },
                   { kind: 'short', prompt: 'Viết tắt của chuyển đổi số?', answer: 'CĐS\nchuyen doi so' }])
    assert.equal((await officer.post(base, { form: f })).status, 303, f.kind);
  const page = await officer.get(`/cuoc-thi/${slug}/vong/1/sua`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Những gì thuộc chính quyền số\?/);
  // A wrong answer keeps what was typed and says why beside the box; nothing is written.
  const n0 = count(`contest_question q JOIN quiz_round r ON r.id = q.round_id JOIN contest c ON c.id = r.contest_id WHERE c.slug = ${q(slug)}`);
  const bad = await officer.post(base, { form: { kind: 'single', prompt: 'Câu gõ dở', options: 'A\nB', answer: '7' } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Câu gõ dở/);
  assert.match(bad.text, /class="err">Đáp án/);
  assert.equal(count(`contest_question q JOIN quiz_round r ON r.id = q.round_id JOIN contest c ON c.id = r.contest_id WHERE c.slug = ${q(slug)}`), n0);
  assert.equal(n0, 4);
  // Deleting one, and the API's JSON round edit.
  assert.equal((await officer.post(`${base}/4/xoa`, { form: {} })).status, 303);
  const edit = await officer.post(`/api/quiz-contests/${slug}/rounds/1`, { json: { title: 'Vòng 1 (sửa)', opens_at: new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 19) + 'Z',
    closes_at: new Date(Date.now() + 40 * 86400e3).toISOString().slice(0, 19) + 'Z', time_limit_s: 600, prizes: [] } });
  assert.equal(edit.status, 200, edit.text);
  // The contest now ends with its last round.
  assert.ok(sql(`SELECT closes_at FROM contest WHERE slug = ${q(slug)}`) >= new Date(Date.now() + 39 * 86400e3).toISOString());
  // Participants see the round but none of its questions before it opens.
  const pub = await learner.get(`/api/contests/${slug}/rounds/1`);
  assert.equal(pub.status, 200);
  assert.doesNotMatch(pub.text, /Ngày Chuyển đổi số quốc gia là ngày nào|10\/10/);
  const start = await learner.post(`/api/contests/${slug}/rounds/1/start`, { json: { name: 'Người dự thi', province: 'nghe-an', age_band: '25-34' } });
  assert.equal(start.status, 409);
  assert.doesNotMatch(start.text, /Ngày Chuyển đổi số quốc gia/);
  assert.equal(count(`audit_log WHERE action LIKE 'quiz_contest.%' AND entity_id = (SELECT CAST(id AS TEXT) FROM contest WHERE slug = ${q(slug)})`), 8);
});

test('a round that has opened refuses changes to itself and its questions (409); nothing is written', opts, async () => {
  const { slug } = await newContest();
  assert.equal((await officer.post(`/cuoc-thi/${slug}/vong/quan-ly`, { form: { title: 'Vòng sắp mở', opens_at: vn(1), closes_at: vn(8), limit_min: '10' } })).status, 303);
  assert.equal((await officer.post(`/cuoc-thi/${slug}/vong/1/cau-hoi`, { form: { kind: 'truefalse', prompt: 'Câu một', answer: 'Sai' } })).status, 303);
  // The clock moves past its opening (the test's database, as a week passing would).
  sql(`UPDATE quiz_round SET opens_at = '2020-01-01T00:00:00Z' WHERE contest_id = (SELECT id FROM contest WHERE slug = ${q(slug)})`);
  const was = sql(`SELECT r.title || '|' || (SELECT COUNT(*) FROM contest_question WHERE round_id = r.id) FROM quiz_round r JOIN contest c ON c.id = r.contest_id WHERE c.slug = ${q(slug)}`);
  const r1 = await officer.post(`/cuoc-thi/${slug}/vong/1/sua`, { form: { title: 'Đổi tên', opens_at: vn(1), closes_at: vn(8), limit_min: '10' } });
  assert.equal(r1.status, 409);
  assert.match(r1.text, /đã mở/);
  assert.equal((await officer.post(`/api/quiz-contests/${slug}/rounds/1/questions`, { form: { kind: 'truefalse', prompt: 'Câu hai', answer: 'Đúng' } })).status, 409);
  assert.equal((await officer.post(`/api/quiz-contests/${slug}/rounds/1/questions/1`, { form: { kind: 'truefalse', prompt: 'Câu một sửa', answer: 'Đúng' } })).status, 409);
  assert.equal((await officer.post(`/api/quiz-contests/${slug}/rounds/1/questions/1/delete`, { form: {} })).status, 409);
  assert.equal(sql(`SELECT r.title || '|' || (SELECT COUNT(*) FROM contest_question WHERE round_id = r.id) FROM quiz_round r JOIN contest c ON c.id = r.contest_id WHERE c.slug = ${q(slug)}`), was);
  // A new round may not open in the past either.
  const past = await officer.post(`/api/quiz-contests/${slug}/rounds`, { form: { title: 'Vòng quá khứ', opens_at: vn(-2), closes_at: vn(3), limit_min: '10' } });
  assert.equal(past.status, 422);
  assert.ok(past.data.fields.opens_at);
});

test('who may not: a learner, the public, another province\'s organiser, a unit one holds no role on', opts, async () => {
  const before = count(`contest WHERE kind = 'quiz'`);
  const l = await learner.post('/cuoc-thi/tim-hieu/moi', { form: { slug: uniq('x').toLowerCase(), title: 'X', org: 'nghe-an', opens_on: vn(0).slice(0, 10), closes_on: vn(5).slice(0, 10) } });
  assert.ok([403, 303].includes(l.status), `learner ${l.status}`);
  assert.equal((await newContest(officer, 'ha-tinh')).r.status, 403);
  assert.equal(count(`contest WHERE kind = 'quiz'`), before);
  const { slug } = await newContest(admin, 'vn');
  for (const [who, c] of [['Nghệ An officer', officer], ['learner', learner], ['public', new Client()]]) {
    const r = await c.post(`/api/quiz-contests/${slug}/rounds`, { json: { title: 'Chen vào', opens_at: new Date(Date.now() + 86400e3).toISOString().slice(0, 19) + 'Z',
      closes_at: new Date(Date.now() + 5 * 86400e3).toISOString().slice(0, 19) + 'Z', time_limit_s: 300 } });
    assert.ok([401, 403].includes(r.status), `${who}: ${r.status}`);
    assert.ok([401, 403, 303].includes((await c.get(`/cuoc-thi/${slug}/vong/quan-ly`)).status), who);
  }
  assert.equal(count(`quiz_round WHERE contest_id = (SELECT id FROM contest WHERE slug = ${q(slug)})`), 0);
  // The answer keys show to the organiser only: the seeded demo contest's editor is the centre's.
  const demo = sql(`SELECT slug FROM contest WHERE kind = 'quiz' AND slug <> ${q(slug)} ORDER BY id LIMIT 1`);
  assert.equal((await officer.get(`/api/quiz-contests/${demo}/rounds/1`)).status, 403);
});
