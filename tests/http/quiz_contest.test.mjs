// Knowledge contests over HTTP: a round's questions hidden before it opens, one attempt per round in a random order, the
// server's time limit (late answers scored as of the limit, never more), rankings by score then time, overall and by
// province, winners after the close, refusals for the public and for bad input. Contests of the test's own are written
// straight to DXDAY_TEST_DB (either engine, tests/http/db.mjs); participants are accounts made there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, skip, uniq } from './lib.mjs';
import { TEST_DB as DB, sql, q } from './db.mjs';

const noDb = skip || (DB ? false : 'DXDAY_TEST_DB not set');
const iso = (ms) => new Date(Date.now() + ms).toISOString().slice(0, 19) + 'Z';
const HOUR = 3600e3, DAY = 24 * HOUR;
const LIMIT = 60;   // seconds of the test rounds
const GRACE = 10;   // QC_GRACE_S

// Eight questions of every kind; their keys, and the prompts a leak would show.
const QUESTIONS = [
  ['single', 'Câu đơn số một?', '["A","B","C"]', '1'],
  ['multiple', 'Câu nhiều lựa chọn?', '["A","B","C"]', '[0,2]'],
  ['truefalse', 'Câu đúng sai?', '[]', 'true'],
  ['short', 'Mã gửi về điện thoại gọi là gì?', '[]', '["OTP"]'],
  ['single', 'Câu đơn số năm?', '["A","B"]', '0'],
  ['truefalse', 'Câu đúng sai số sáu?', '[]', 'false'],
  ['single', 'Câu đơn số bảy?', '["A","B","C","D"]', '3'],
  ['truefalse', 'Câu đúng sai số tám?', '[]', 'true'],
];
const RIGHT = { 1: 1, 2: [0, 2], 3: true, 4: 'otp', 5: 0, 6: false, 7: 3, 8: true };
const secretOf = (word) => `Bí mật ${word}`;

// A contest with an open round (1), an upcoming one (2) and a closed one whose results are final (3).
function makeContest({ status = 'open', kind = 'quiz' } = {}) {
  const word = uniq('qc').replace(/[^a-z0-9]/g, '');
  const slug = `thi-${word}`;
  const rounds = [[1, iso(-HOUR), iso(HOUR)], [2, iso(DAY), iso(2 * DAY)], [3, iso(-3 * DAY), iso(-DAY)]];
  let text = `BEGIN;
    INSERT INTO contest (slug, kind, year, org_id, title, title_folded, opens_at, closes_at, status, created_at)
      SELECT '${slug}', '${kind}', (SELECT MAX(year) FROM campaign), id, 'Cuộc thi ${word}', 'cuoc thi ${word}', '${iso(-3 * DAY)}', '${iso(2 * DAY)}', '${status}', '${iso(0)}'
      FROM org_unit WHERE code = 'vn';`;
  for (const [n, o, c] of rounds) {
    text += `INSERT INTO quiz_round (contest_id, n, title, opens_at, closes_at, time_limit_s, prizes)
      SELECT id, ${n}, 'Vòng ${n} ${word}', '${o}', '${c}', ${LIMIT}, '[{"name":"Giải Nhất","count":1},{"name":"Giải Nhì","count":2}]' FROM contest WHERE slug = '${slug}';`;
    QUESTIONS.forEach(([kind, prompt, opts, ans], i) => {
      text += `INSERT INTO contest_question (round_id, seq, kind, prompt, options, answer, explain)
        SELECT r.id, ${i + 1}, '${kind}', ${q(`${prompt} ${secretOf(word)} vòng ${n}`)}, '${opts}', '${ans}', '' FROM quiz_round r
        JOIN contest c ON c.id = r.contest_id WHERE c.slug = '${slug}' AND r.n = ${n};`;
    });
  }
  sql(text + 'COMMIT;');
  return { slug, word, api: (n) => `/api/contests/${slug}/rounds/${n}` };
}

// An account made in the database (the demo participants' password), signed in.
async function account(name = 'Người dự thi') {
  const email = `${uniq('ts')}@example.vn`;
  sql(`INSERT INTO app_user (email, name, password_hash, created_at) SELECT ${q(email)}, ${q(name)}, password_hash, created_at
       FROM app_user WHERE email = 'thisinh01@dxday.vn'`);
  const c = new Client();
  const r = await c.login(email, 'dxday-demo-2026');
  assert.equal(r.status, 200, r.text);
  c.id = +sql(`SELECT id FROM app_user WHERE email = ${q(email)}`);
  return c;
}

const provinces = () => sql(`SELECT code FROM org_unit WHERE kind = 'province' AND valid_to IS NULL ORDER BY code LIMIT 2`).split('\n');
const profile = (name, province) => ({ name, province, age_band: '25-34' });

async function started(c, k, n, body) {
  const r = await c.post(`${k.api(n)}/start`, { json: body });
  assert.equal(r.status, 200, r.text);
  return r.data;
}

test('a round\'s questions are never visible before it opens, in the page nor in its JSON', { skip: noDb }, async () => {
  const k = makeContest();
  const c = await account();
  const anon = new Client();
  for (const who of [anon, c]) {
    for (const path of [`/api/contests/${k.slug}/rounds`, k.api(2), `/cuoc-thi/${k.slug}/vong/2`, `/cuoc-thi/${k.slug}/vong`]) {
      const r = await who.get(path);
      assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 200)}`);
      assert.ok(!r.text.includes(secretOf(k.word)), `${path} shows a question`);
    }
  }
  const up = await c.post(`${k.api(2)}/start`, { json: profile('Nguyễn Văn Sớm', provinces()[0]) });
  assert.equal(up.status, 409, up.text);
  assert.ok(!up.text.includes(secretOf(k.word)));
  assert.match(up.data.error, /chưa mở/);
  assert.equal(sql(`SELECT COUNT(*) FROM contest_attempt WHERE user_id = ${c.id}`), '0', 'nothing recorded');
  // The open round: an anonymous reader sees its ranking, never its questions.
  const open = await anon.get(k.api(1));
  assert.ok(!open.text.includes(secretOf(k.word)));
});

test('one attempt per round: questions in a random order served once, a second submission 409', { skip: noDb }, async () => {
  const k = makeContest();
  const [p1] = provinces();
  const orders = [];
  for (let i = 0; i < 3; i++) {
    const c = await account();
    const s = await started(c, k, 1, profile(`Người thứ ${i}`, p1));
    assert.equal(s.questions.length, QUESTIONS.length);
    assert.ok(s.seconds_left > LIMIT - 5 && s.seconds_left <= LIMIT, `seconds_left ${s.seconds_left}`);
    for (const qn of s.questions) assert.equal(qn.answer, undefined, 'no key is served');
    const order = s.questions.map((x) => x.seq);
    assert.deepEqual([...order].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(s.questions.map((x) => x.num), [1, 2, 3, 4, 5, 6, 7, 8], 'numbered in the served order');
    orders.push(order.join(','));
    // A reload (the page, or start again) serves the same order: no second attempt.
    const again = await started(c, k, 1, {});
    assert.deepEqual(again.questions.map((x) => x.seq), order);
    const page = await c.get(k.api(1));
    assert.deepEqual(page.data.taking.questions.map((x) => x.seq), order);
    const r = await c.post(`${k.api(1)}/answers`, { json: { answers: RIGHT } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.score, 8);
    assert.equal(r.data.total, 8);
    const twice = await c.post(`${k.api(1)}/answers`, { json: { answers: RIGHT } });
    assert.equal(twice.status, 409, twice.text);
    assert.match(twice.data.error, /một lần/);
    const restart = await c.post(`${k.api(1)}/start`, { json: {} });
    assert.equal(restart.status, 409, restart.text);
    assert.equal(sql(`SELECT COUNT(*) FROM contest_attempt WHERE user_id = ${c.id}`), '1');
    assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'quiz_contest.submit' AND user_id = ${c.id}`), '1');
  }
  assert.ok(new Set(orders).size > 1, `three attempts, one order: ${orders}`);
});

test('the profile is asked once and kept: incomplete → 422 naming the fields, nothing written', { skip: noDb }, async () => {
  const k = makeContest();
  const [p1, p2] = provinces();
  const c = await account();
  const bad = await c.post(`${k.api(1)}/start`, { json: { name: 'A', province: 'khong-co', age_band: '200' } });
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual(Object.keys(bad.data.fields).sort(), ['age_band', 'name', 'province']);
  assert.equal(sql(`SELECT COUNT(*) FROM contest_participant WHERE user_id = ${c.id}`), '0');
  assert.equal(sql(`SELECT COUNT(*) FROM contest_attempt WHERE user_id = ${c.id}`), '0');
  await started(c, k, 1, profile('Trần Thị Giữ', p1));
  // Another contest later: the kept profile, whatever a new body says.
  const k2 = makeContest();
  await started(c, k2, 1, profile('Tên khác', p2));
  assert.equal(sql(`SELECT p.name || '|' || o.code FROM contest_participant p JOIN org_unit o ON o.id = p.province_id WHERE user_id = ${c.id}`),
    `Trần Thị Giữ|${p1}`);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'quiz_contest.profile' AND user_id = ${c.id}`), '1');
});

test('late answers are scored as of the limit and never more: time capped, after the grace zero', { skip: noDb }, async () => {
  const k = makeContest();
  const [p1] = provinces();
  // Within the grace: scored, and the time taken is the limit, not what the clock says.
  const a = await account();
  await started(a, k, 1, profile('Nguyễn Văn Chậm', p1));
  sql(`UPDATE contest_attempt SET started_ms = started_ms - ${(LIMIT + 4) * 1000} WHERE user_id = ${a.id}`);
  const ra = await a.post(`${k.api(1)}/answers`, { json: { answers: RIGHT } });
  assert.equal(ra.status, 200, ra.text);
  assert.equal(ra.data.score, 8);
  assert.equal(ra.data.time_ms, LIMIT * 1000);
  assert.equal(ra.data.late, false);
  // After the limit and the grace: the attempt is closed with zero, whatever the answers.
  const b = await account();
  await started(b, k, 1, profile('Nguyễn Văn Muộn', p1));
  sql(`UPDATE contest_attempt SET started_ms = started_ms - ${(LIMIT + GRACE + 5) * 1000} WHERE user_id = ${b.id}`);
  const page = await b.get(k.api(1));
  assert.equal(page.data.taking.seconds_left, 0, 'the server says the time is over');
  const rb = await b.post(`${k.api(1)}/answers`, { json: { answers: RIGHT } });
  assert.equal(rb.status, 200, rb.text);
  assert.equal(rb.data.late, true);
  assert.equal(rb.data.score, 0);
  assert.equal(rb.data.time_ms, LIMIT * 1000);
  assert.equal(sql(`SELECT score || '|' || time_ms || '|' || late FROM contest_attempt WHERE user_id = ${b.id}`), `0|${LIMIT * 1000}|1`);
  assert.equal((await b.post(`${k.api(1)}/answers`, { json: { answers: RIGHT } })).status, 409);
  const shown = await b.get(`/cuoc-thi/${k.slug}/vong/1`);
  assert.match(shown.text, /ghi 0 điểm/);
});

// Participants with a score and a time of the test's choosing: the time is set by moving the start back.
async function finisher(k, n, name, province, secondsAgo, answers) {
  const c = await account(name);
  await started(c, k, n, profile(name, province));
  sql(`UPDATE contest_attempt SET started_ms = started_ms - ${secondsAgo * 1000} WHERE user_id = ${c.id}`);
  const r = await c.post(`${k.api(n)}/answers`, { json: { answers } });
  assert.equal(r.status, 200, r.text);
  return { c, ...r.data };
}

test('the ranking orders by score, then time taken; by province on ?tinh=', { skip: noDb }, async () => {
  const k = makeContest();
  const [p1, p2] = provinces();
  const slow = await finisher(k, 1, 'Bùi Văn Chậm', p1, 40, RIGHT);
  const fast = await finisher(k, 1, 'Lê Thị Nhanh', p2, 10, RIGHT);
  const wrong = await finisher(k, 1, 'Phạm Văn Sai', p1, 2, { ...RIGHT, 1: 0, 3: false });
  const mid = await finisher(k, 1, 'Vũ Thị Giữa', p2, 25, RIGHT);
  assert.equal(wrong.score, 6);
  const r = await new Client().get(k.api(1));
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.ranking.map((x) => x.name), ['Lê Thị Nhanh', 'Vũ Thị Giữa', 'Bùi Văn Chậm', 'Phạm Văn Sai']);
  assert.deepEqual(r.data.ranking.map((x) => x.rank), [1, 2, 3, 4]);
  for (let i = 1; i < r.data.ranking.length; i++) {
    const [a, b] = [r.data.ranking[i - 1], r.data.ranking[i]];
    assert.ok(a.score > b.score || (a.score === b.score && a.time_ms <= b.time_ms), 'score then time');
  }
  // Each participant's own rank, counted through the index, agrees with the list.
  assert.equal((await fast.c.get(k.api(1))).data.attempt.rank, 1);
  assert.equal((await slow.c.get(k.api(1))).data.attempt.rank, 3);
  assert.equal((await slow.c.get(k.api(1))).data.attempt.province_rank, 1);
  assert.equal((await wrong.c.get(k.api(1))).data.attempt.province_rank, 2);
  assert.equal(mid.rank <= 2, true, 'rank at submission');
  const byProv = await new Client().get(`${k.api(1)}?tinh=${p1}`);
  assert.equal(byProv.status, 200);
  assert.deepEqual(byProv.data.ranking.map((x) => x.name), ['Bùi Văn Chậm', 'Phạm Văn Sai']);
  assert.deepEqual(byProv.data.ranking.map((x) => x.rank), [1, 2]);
  const html = await new Client().get(`/cuoc-thi/${k.slug}/vong/1?tinh=${p2}`);
  assert.ok(html.text.indexOf('Lê Thị Nhanh') < html.text.indexOf('Vũ Thị Giữa') && !html.text.includes('Bùi Văn Chậm'));
  assert.equal((await new Client().get(`${k.api(1)}?tinh=khong-co-tinh-nay`)).status, 400);
  // An open round lists no winners yet.
  assert.equal(r.data.winners, undefined);
});

test('winners are listed once the round is closed and every attempt\'s time is over', { skip: noDb }, async () => {
  const r = await new Client().get('/api/contests/tim-hieu-chuyen-doi-so/rounds');
  assert.equal(r.status, 200, r.text);
  const closed = r.data.rounds.find((x) => x.state === 'closed'), open = r.data.rounds.find((x) => x.state === 'open');
  assert.ok(closed && open, 'the demo contest has a closed and an open round');
  const w = await new Client().get(`/api/contests/tim-hieu-chuyen-doi-so/rounds/${closed.n}`);
  assert.equal(w.data.round.results_final, true);
  assert.equal(w.data.winners.length, closed.winners_total);
  assert.equal(w.data.winners[0].prize, closed.prizes[0].name);
  assert.deepEqual(w.data.winners.map((x) => x.rank), w.data.ranking.slice(0, w.data.winners.length).map((x) => x.rank));
  const page = await new Client().get(`/cuoc-thi/tim-hieu-chuyen-doi-so/vong/${closed.n}`);
  assert.match(page.text, /Người đoạt giải/);
  assert.match(page.text, /\d{2}\/\d{2}\/\d{4}/, 'dates as dd/mm/yyyy');
  assert.equal((await new Client().get(`/api/contests/tim-hieu-chuyen-doi-so/rounds/${open.n}`)).data.winners, undefined);
  // A closed round takes no new attempt.
  const k = makeContest();
  const c = await account();
  const late = await c.post(`${k.api(3)}/start`, { json: profile('Người đến muộn', provinces()[0]) });
  assert.equal(late.status, 409, late.text);
});

test('wrong roles: the public is sent to sign in, drafts and award contests are not here', { skip: noDb }, async () => {
  const k = makeContest();
  const anon = new Client();
  const f = await anon.get('/api/login');
  anon.csrf = f.data.csrf;
  const s = await anon.post(`${k.api(1)}/start`, { json: profile('Ẩn danh', provinces()[0]) });
  assert.equal(s.status, 401, s.text);
  const a = await anon.post(`${k.api(1)}/answers`, { json: { answers: RIGHT } });
  assert.equal(a.status, 401, a.text);
  const html = await anon.post(`/cuoc-thi/${k.slug}/vong/1/bat-dau`, { form: { csrf: anon.csrf } });
  assert.equal(html.status, 303, html.text);
  assert.match(html.location, /^\/dang-nhap\?next=/);
  assert.equal(sql(`SELECT COUNT(*) FROM contest_attempt a JOIN quiz_round r ON r.id = a.round_id JOIN contest c ON c.id = r.contest_id WHERE c.slug = '${k.slug}'`), '0');
  const c = await account();
  const draft = makeContest({ status: 'draft' });
  assert.equal((await c.get(draft.api(1))).status, 404);
  assert.equal((await c.post(`${draft.api(1)}/start`, { json: profile('Nháp', provinces()[0]) })).status, 404);
  const award = makeContest({ kind: 'award' });
  assert.equal((await c.get(`/api/contests/${award.slug}/rounds`)).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM contest_attempt WHERE user_id = ${c.id}`), '0');
  // A session's CSRF token is required like everywhere.
  const noCsrf = await c.post(`${k.api(1)}/start`, { json: profile('Không mã', provinces()[0]), csrf: false });
  assert.equal(noCsrf.status, 403, noCsrf.text);
});

test('bad input: unknown questions, wrong shapes, malformed JSON, not started — 4xx and nothing written', { skip: noDb }, async () => {
  const k = makeContest();
  const c = await account();
  const notYet = await c.post(`${k.api(1)}/answers`, { json: { answers: RIGHT } });
  assert.equal(notYet.status, 409, notYet.text);
  assert.match(notYet.data.error, /chưa bắt đầu/);
  await started(c, k, 1, profile('Nguyễn Thị Thử', provinces()[0]));
  const cases = [
    [{ answers: { 99: 1 } }, 422, /Câu 99/],
    [{ answers: { 1: 7 } }, 422, /Câu 1/],
    [{ answers: { 2: 'A' } }, 422, /Câu 2/],
    [{ answers: { '01': 1 } }, 422, /Câu 01/],
    [{ answers: [1, 2] }, 422, /answers/],
    [{}, 422, /answers/],
  ];
  for (const [body, status, re] of cases) {
    const r = await c.post(`${k.api(1)}/answers`, { json: body });
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    assert.match(r.data.error, re);
  }
  const broken = await c.post(`${k.api(1)}/answers`, { raw: '{"answers": {1: ', headers: { 'content-type': 'application/json' } });
  assert.equal(broken.status, 400, broken.text);
  assert.ok(broken.data.error);
  assert.equal(sql(`SELECT COUNT(*) FROM contest_attempt WHERE user_id = ${c.id} AND score IS NULL`), '1', 'still unscored');
  for (const n of ['0', 'abc', '01', '9999']) assert.equal((await c.get(`/api/contests/${k.slug}/rounds/${n}`)).status, 404, n);
  assert.equal((await c.get('/api/contests/KHONG_HOP_LE/rounds')).status, 404);
  // After all that, one honest submission is still accepted.
  const ok = await c.post(`${k.api(1)}/answers`, { json: { answers: { 1: 1 } } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.data.score, 1);
});

test('the HTML round: start by a form, the countdown from the server, submit by the form', { skip: noDb }, async () => {
  const k = makeContest();
  const c = await account();
  const page = await c.get(`/cuoc-thi/${k.slug}/vong/1`);
  assert.match(page.text, /Bắt đầu làm bài/);
  assert.match(page.text, /name="province"/, 'the profile is asked the first time');
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const st = await c.post(`/cuoc-thi/${k.slug}/vong/1/bat-dau`, { form: { csrf, ...profile('Đỗ Văn Trang', provinces()[0]) } });
  assert.equal(st.status, 303, st.text);
  const taking = await c.get(`/cuoc-thi/${k.slug}/vong/1`);
  const left = +taking.text.match(/data-seconds-left="(\d+)"/)[1];
  assert.ok(left > 0 && left <= LIMIT, `countdown ${left}`);
  assert.match(taking.text, /quiz-contest\.js/);
  const sub = await c.post(`/cuoc-thi/${k.slug}/vong/1/nop-bai`, { form: { csrf, q1: '1', q3: 'true', q2_0: '1', q2_2: '1', q4: 'OTP' } });
  assert.equal(sub.status, 303, sub.text);
  assert.equal(sql(`SELECT score FROM contest_attempt WHERE user_id = ${c.id}`), '4');
  const done = await c.get(`/cuoc-thi/${k.slug}/vong/1`);
  assert.match(done.text, /Kết quả của bạn/);
  assert.ok(!done.text.includes('data-seconds-left'));
});
