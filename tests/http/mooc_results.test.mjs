// The MOOC's last steps over HTTP: a quiz result names, per question, the answer chosen and the right one in words;
// the last lesson leads to the final quiz; a completed course shows its certificate as a card (page and PDF links).
// Courses of the test's own are written straight to DXDAY_TEST_DB (either engine, tests/http/db.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, skip, uniq } from './lib.mjs';
import { TEST_DB as DB, sql } from './db.mjs';

const noDb = skip || (DB ? false : 'DXDAY_TEST_DB not set');

// Two lessons, a quiz of every kind after lesson 1, and a final true/false quiz tied to no lesson (when final).
function makeCourse({ final = true } = {}) {
  const word = uniq('kq').replace(/[^a-z0-9]/g, '');
  const slug = `kq-${word}`;
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  sql(`BEGIN;
    INSERT INTO course (slug, title, summary, audience, area, status, pass_mark, minutes, updated_at)
      VALUES ('${slug}', 'Khóa kết quả ${word}', 'Tóm tắt.', 'youth', 3, 'open', 50, 10, '${now}');
    INSERT INTO lesson (course_id, seq, slug, title, body_md, body_html, minutes)
      SELECT id, 1, 'bai-mot', 'Bài một', 'Một.', '<p>Một.</p>', 5 FROM course WHERE slug = '${slug}';
    INSERT INTO lesson (course_id, seq, slug, title, body_md, body_html, minutes)
      SELECT id, 2, 'bai-hai', 'Bài hai', 'Hai.', '<p>Hai.</p>', 5 FROM course WHERE slug = '${slug}';
    INSERT INTO quiz (course_id, lesson_id, slug, title, seq)
      SELECT c.id, l.id, 'kiem-tra-1', 'Kiểm tra một', 1 FROM course c JOIN lesson l ON l.course_id = c.id AND l.slug = 'bai-mot' WHERE c.slug = '${slug}';
    ${final ? `INSERT INTO quiz (course_id, lesson_id, slug, title, seq) SELECT id, NULL, 'cuoi-khoa', 'Kiểm tra cuối khóa', 2 FROM course WHERE slug = '${slug}';
    INSERT INTO question (quiz_id, seq, kind, prompt, options, answer, explain)
      SELECT z.id, 1, 'truefalse', 'Cuối khóa?', '[]', 'false', '' FROM quiz z JOIN course c ON c.id = z.course_id WHERE c.slug = '${slug}' AND z.slug = 'cuoi-khoa';` : ''}
    INSERT INTO question (quiz_id, seq, kind, prompt, options, answer, explain)
      SELECT z.id, 1, 'single', 'Mật khẩu nào mạnh nhất?', '["123456","Ngay-Chuyen-Doi-So-2026!","matkhau"]', '1', 'Dài và trộn nhiều loại ký tự.' FROM quiz z JOIN course c ON c.id = z.course_id WHERE c.slug = '${slug}' AND z.slug = 'kiem-tra-1';
    INSERT INTO question (quiz_id, seq, kind, prompt, options, answer, explain)
      SELECT z.id, 2, 'multiple', 'Dấu hiệu lừa đảo?', '["Giục chuyển tiền gấp","Hỏi mã OTP","Gửi hóa đơn điện đúng hạn"]', '[0,1]', '' FROM quiz z JOIN course c ON c.id = z.course_id WHERE c.slug = '${slug}' AND z.slug = 'kiem-tra-1';
    INSERT INTO question (quiz_id, seq, kind, prompt, options, answer, explain)
      SELECT z.id, 3, 'truefalse', 'Nên cập nhật phần mềm?', '[]', 'true', '' FROM quiz z JOIN course c ON c.id = z.course_id WHERE c.slug = '${slug}' AND z.slug = 'kiem-tra-1';
    INSERT INTO question (quiz_id, seq, kind, prompt, options, answer, explain)
      SELECT z.id, 4, 'short', 'Mã gửi về điện thoại gọi là gì?', '[]', '["mã OTP","OTP"]', 'OTP.' FROM quiz z JOIN course c ON c.id = z.course_id WHERE c.slug = '${slug}' AND z.slug = 'kiem-tra-1';
    COMMIT;`);
  return slug;
}

async function learner(name = 'Trần Thị Kết Quả') {
  const c = new Client();
  c.csrf = (await c.get('/api/signup')).data.csrf;
  const login = `${uniq('kq')}@example.vn`;
  assert.equal((await c.post('/api/signup', { json: { name, login, password: 'mat-khau-dai-1' } })).status, 202);
  assert.equal((await c.login(login, 'mat-khau-dai-1')).status, 200);
  return c;
}

test('a quiz result names the chosen and the right answer of each question, in words', { skip: noDb }, async () => {
  const slug = makeCourse();
  const c = await learner();
  assert.equal((await c.post(`/api/courses/${slug}/enrol`)).status, 200);
  // API: wrong single, half of the multiple, right true/false, question 4 left out
  const r = await c.post(`/api/courses/${slug}/quizzes/kiem-tra-1/attempts`,
    { json: { nonce: 'nonce-kq-0001', answers: { 1: 0, 2: [0], 3: true } } });
  assert.equal(r.status, 200, r.text);
  const [q1, q2, q3, q4] = r.data.questions;
  assert.equal(q1.chosen, '123456');
  assert.equal(q1.expected, 'Ngay-Chuyen-Doi-So-2026!');
  assert.equal(q1.right, false);
  assert.equal(q1.explain, 'Dài và trộn nhiều loại ký tự.');
  assert.equal(q2.chosen, 'Giục chuyển tiền gấp');
  assert.equal(q2.expected, 'Giục chuyển tiền gấp; Hỏi mã OTP');
  assert.equal(q3.chosen, 'Đúng');
  assert.equal(q3.expected, 'Đúng');
  assert.equal(q3.right, true);
  assert.equal(q4.chosen, null, 'nothing chosen');
  assert.equal(q4.expected, 'mã OTP');
  // A retry of the same nonce answers with the same marks
  const again = await c.post(`/api/courses/${slug}/quizzes/kiem-tra-1/attempts`,
    { json: { nonce: 'nonce-kq-0001', answers: { 1: 1 } } });
  assert.equal(again.data.duplicate, true);
  assert.equal(again.data.questions[0].chosen, '123456');

  // The page, submitted as a browser does
  const form = await c.get(`/khoa-hoc/${slug}/kiem-tra/kiem-tra-1`);
  const nonce = form.text.match(/name="nonce" value="([^"]+)"/)[1];
  const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
  const page = await c.post(`/khoa-hoc/${slug}/kiem-tra/kiem-tra-1`,
    { form: { csrf, nonce, q1: '0', q2_0: '1', q2_1: '1', q3: 'false', q4: 'otp' }, csrf: false });
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const text = page.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  assert.match(text, /Bạn chọn: 123456/);
  assert.match(text, /Đáp án đúng: Ngay-Chuyen-Doi-So-2026!/);
  assert.match(text, /Dài và trộn nhiều loại ký tự\./, 'the explanation');
  assert.match(text, /Bạn chọn: Giục chuyển tiền gấp; Hỏi mã OTP/);
  assert.match(text, /Bạn chọn: Sai/);
  assert.match(text, /Đáp án đúng: Đúng/);
  assert.match(text, /Bạn chọn: otp/);
  assert.match(text, /✗ Sai/);
  assert.match(text, /✓ Đúng/);
});

test('the last lesson leads to the final quiz when there is one, else back to the course', { skip: noDb }, async () => {
  const withFinal = makeCourse();
  const anon = new Client();
  const last = await anon.get(`/khoa-hoc/${withFinal}/bai-hai`);
  assert.equal(last.status, 200);
  const pager = last.text.match(/<nav class="pager"[\s\S]*?<\/nav>/)[0];
  assert.match(pager, new RegExp(`href="/khoa-hoc/${withFinal}/kiem-tra/cuoi-khoa"[^>]*>[^<]*Kiểm tra cuối khóa`));
  const api = await anon.get(`/api/courses/${withFinal}/lessons/bai-hai`);
  assert.equal(api.data.lesson.final_quiz.slug, 'cuoi-khoa');
  const first = await anon.get(`/khoa-hoc/${withFinal}/bai-mot`);
  assert.doesNotMatch(first.text.match(/<nav class="pager"[\s\S]*?<\/nav>/)[0], /cuoi-khoa/, 'not before the last lesson');
  const without = makeCourse({ final: false });
  const end = await anon.get(`/khoa-hoc/${without}/bai-hai`);
  assert.match(end.text.match(/<nav class="pager"[\s\S]*?<\/nav>/)[0], new RegExp(`href="/khoa-hoc/${without}"`));
});

test('a completed course shows a certificate card on the pass page and in my learning', { skip: noDb }, async () => {
  const slug = makeCourse();
  const c = await learner('Lê Văn Chứng Chỉ');
  assert.equal((await c.post(`/api/courses/${slug}/enrol`)).status, 200);
  for (const l of ['bai-mot', 'bai-hai']) assert.equal((await c.get(`/khoa-hoc/${slug}/${l}`)).status, 200);
  assert.equal((await c.post(`/api/courses/${slug}/quizzes/kiem-tra-1/attempts`,
    { json: { nonce: 'nonce-kq-cert1', answers: { 1: 1, 2: [0, 1], 3: true, 4: 'OTP' } } })).status, 200);
  const form = await c.get(`/khoa-hoc/${slug}/kiem-tra/cuoi-khoa`);
  const nonce = form.text.match(/name="nonce" value="([^"]+)"/)[1];
  const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
  const pass = await c.post(`/khoa-hoc/${slug}/kiem-tra/cuoi-khoa`, { form: { csrf, nonce, q1: 'false' }, csrf: false });
  assert.equal(pass.status, 200);
  const code = sql(`SELECT cert.code FROM certificate cert JOIN course c ON c.id = cert.course_id WHERE c.slug = '${slug}'`);
  assert.match(code, /^[A-Z2-7]{26}$/);
  const issued = sql(`SELECT cert.issued_at FROM certificate cert WHERE cert.code = '${code}'`);
  const vn = new Date(Date.parse(issued) + 7 * 3600e3).toISOString().slice(0, 10).split('-').reverse().join('/');
  for (const [where, html] of [['pass page', pass.text], ['my learning', (await c.get('/tai-khoan/hoc-tap')).text]]) {
    const card = html.match(/<section class="cert-card"[\s\S]*?<\/section>/);
    assert.ok(card, `${where}: a certificate card`);
    const t = card[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.match(t, /Lê Văn Chứng Chỉ/, `${where}: the learner's name`);
    assert.match(t, /Khóa kết quả/, `${where}: the course`);
    assert.ok(t.includes(vn), `${where}: the date ${vn} in ${t}`);
    assert.ok(t.includes(code), `${where}: the code`);
    assert.ok(card[0].includes(`href="/chung-chi/${code}"`), `${where}: the certificate page`);
    assert.ok(card[0].includes(`href="/chung-chi/${code}/pdf"`), `${where}: the PDF`);
  }
  const mine = await c.get('/api/me/courses');
  const item = mine.data.items.find((i) => i.slug === slug);
  assert.equal(item.certificate, code, 'the code stays where it was');
  assert.equal(item.certificate_card.pdf_url, `/chung-chi/${code}/pdf`);
  assert.equal((await c.get(`/chung-chi/${code}/pdf`)).status, 200);
});
