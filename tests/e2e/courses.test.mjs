// Browser test of the MOOC: a citizen on a phone signs up with a phone number, enrols, reads every lesson, fails a
// quiz once and passes on retry, passes the final quiz, gets the certificate at once, opens its public verification
// page signed out, and downloads the PDF, which is rendered to PNG to be looked at. Answers come from the course folder
// the demo database was seeded from. Screenshots: course-lesson.png, course-quiz-result.png, certificate-verify.png,
// certificate-pdf.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { BASE, ROOT, SHOTS, launch, skip } from './lib.mjs';

const COURSE = 'thanh-toan-ma-qr';
const folder = path.join(ROOT, 'data', 'courses', COURSE);
const course = JSON.parse(readFileSync(path.join(folder, 'course.json'), 'utf8'));
const quizOf = (q) => JSON.parse(readFileSync(path.join(folder, q.file), 'utf8')).questions;

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

// Fills a quiz page's form with the folder's answers; wrong = true picks a wrong one for every choice question.
async function answer(p, questions, wrong) {
  for (const [i, q] of questions.entries()) {
    const seq = i + 1;
    if (q.kind === 'single') await p.check(`input[name="q${seq}"][value="${wrong ? (q.answer + 1) % q.options.length : q.answer}"]`);
    else if (q.kind === 'truefalse') await p.check(`input[name="q${seq}"][value="${wrong ? !q.answer : q.answer}"]`);
    else if (q.kind === 'multiple') { for (const k of (wrong ? [] : q.answer)) await p.check(`input[name="q${seq}_${k}"]`); }
    else await p.fill(`input[name="q${seq}"]`, wrong ? 'không biết' : q.answer[0].normalize('NFD').toUpperCase());
  }
}

test('a learner takes a course to its certificate and anyone can verify it', { skip, timeout: 120_000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN', acceptDownloads: true });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  const phone = '09' + String(Date.now()).slice(-8);

  // Sign up from the course page, with a phone number written the way people write it.
  await p.goto(`${BASE}/khoa-hoc/${COURSE}`);
  await Promise.all([p.waitForURL(/\/dang-ky/), p.click('main a[href^="/dang-ky"]')]);
  await p.fill('#name', 'Nguyễn Thị Mai Hương');
  await p.fill('#login', phone.replace(/(\d{4})(\d{3})(\d{3})/, '$1 $2 $3'));
  await p.fill('#password', 'mat-khau-hoc-2026');
  await Promise.all([p.waitForNavigation(), p.click('main button[type="submit"]')]);
  // Sign-up answers the same whether or not the number was free, with the sign-in form filled in: the password again.
  assert.equal(await p.inputValue('#email'), '+84' + phone.slice(1));
  await p.fill('#password', 'mat-khau-hoc-2026');
  await Promise.all([p.waitForNavigation(), p.click('main button[type="submit"]')]);
  if (!p.url().endsWith(`/khoa-hoc/${COURSE}`)) await p.goto(`${BASE}/khoa-hoc/${COURSE}`);
  await Promise.all([p.waitForNavigation(), p.click('main form[action$="/dang-ky-hoc"] button')]);

  // Every lesson opened is marked as viewed on the course page.
  for (const l of course.lessons) {
    await p.goto(`${BASE}/khoa-hoc/${COURSE}/${l.slug}`);
    assert.match(await p.locator('main h1').innerText(), new RegExp(l.title.slice(0, 12)));
    if (l === course.lessons[0]) await p.screenshot({ path: path.join(SHOTS, 'course-lesson.png'), fullPage: true });
  }
  await p.goto(`${BASE}/khoa-hoc/${COURSE}`);
  assert.equal(await p.locator('main .mark', { hasText: 'đã xem' }).count(), course.lessons.length);

  // The first quiz: failed once, passed on the retry; then the final quiz completes the course.
  const [q1, last] = course.quizzes;
  await p.goto(`${BASE}/khoa-hoc/${COURSE}/kiem-tra/${q1.slug}`);
  await answer(p, quizOf(q1), true);
  await Promise.all([p.waitForNavigation(), p.click('form.quiz button[type="submit"]')]);
  assert.match(await p.locator('main').innerText(), /chưa đạt/i);
  assert.match(await p.locator('.marks').innerText(), /Bạn chọn: [\s\S]*Đáp án đúng: /, 'the chosen and the right answer, in words');
  await p.screenshot({ path: path.join(ROOT, 'tests', 'out', 'course-quiz-failed.png'), fullPage: true });
  await p.goto(`${BASE}/khoa-hoc/${COURSE}/kiem-tra/${q1.slug}`);
  await answer(p, quizOf(q1), false);
  await Promise.all([p.waitForNavigation(), p.click('form.quiz button[type="submit"]')]);
  assert.doesNotMatch(await p.locator('main').innerText(), /chưa đạt/i);
  assert.equal(await p.locator('.cert-link').count(), 0, 'no certificate before the final quiz');
  await p.goto(`${BASE}/khoa-hoc/${COURSE}/kiem-tra/${last.slug}`);
  await answer(p, quizOf(last), false);
  await Promise.all([p.waitForNavigation(), p.click('form.quiz button[type="submit"]')]);
  const link = p.locator('.cert-link');
  const code = (await link.innerText()).trim();
  assert.match(code, /^[A-Za-z0-9]{26,}$/);
  await p.screenshot({ path: path.join(SHOTS, 'course-quiz-result.png'), fullPage: true });

  // The course page shows it too, and so does the learner's own page.
  await p.goto(`${BASE}/khoa-hoc/${COURSE}`);
  assert.equal((await p.locator('.cert-link').innerText()).trim(), code);
  await p.goto(`${BASE}/tai-khoan/hoc-tap`);
  const card = p.locator('.cert-card', { hasText: code });
  assert.match(await card.innerText(), /Nguyễn Thị Mai Hương/);
  assert.equal(await card.locator(`a[href="/chung-chi/${code}/pdf"]`).count(), 1, 'my learning links the PDF');
  assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scroll at 390 px');
  await p.screenshot({ path: path.join(ROOT, 'tests', 'out', 'course-my-learning.png'), fullPage: true });

  // Signed out, in a fresh browser: the verification page names the learner and the course.
  const anon = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const v = await anon.newPage();
  await v.goto(`${BASE}/chung-chi/${code}`);
  const text = await v.locator('main').innerText();
  assert.match(text, /Nguyễn Thị Mai Hương/);
  assert.match(text, /Thanh toán bằng mã QR/);
  assert.match(text, /hợp lệ/i);
  await v.screenshot({ path: path.join(SHOTS, 'certificate-verify.png'), fullPage: true });
  const missing = await v.goto(`${BASE}/chung-chi/${'A'.repeat(26)}`);
  assert.equal(missing.status(), 404);
  assert.match(await v.locator('main').innerText(), /không/i);

  // The PDF, rendered to PNG with poppler so it can be looked at.
  const pdf = await anon.request.get(`${BASE}/chung-chi/${code}/pdf`);
  assert.equal(pdf.status(), 200);
  const bytes = await pdf.body();
  assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
  const file = path.join(ROOT, 'tests', 'out', 'certificate.pdf');
  writeFileSync(file, bytes);
  if (existsSync('/usr/bin/pdftoppm')) {
    execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file, path.join(SHOTS, 'certificate-pdf')]);
    assert.ok(existsSync(path.join(SHOTS, 'certificate-pdf.png')));
    const words = execFileSync('pdftotext', [file, '-']).toString();
    assert.match(words, /Nguyễn Thị Mai Hương/);
    assert.match(words, new RegExp(code, 'i'));
  }
  await anon.close();
  await ctx.close();
});

test('a lesson once opened reads offline; one never opened says so in Vietnamese', { skip, timeout: 60_000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  const [first, second] = course.lessons;
  await p.goto(`${BASE}/khoa-hoc/${COURSE}/${first.slug}`);
  await p.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await p.reload();   // now under the worker, which keeps a copy of what it serves
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await p.reload();
  await ctx.setOffline(true);
  await p.reload();
  assert.match(await p.locator('main h1').innerText(), new RegExp(first.title.slice(0, 12)));
  await p.goto(`${BASE}/khoa-hoc/${COURSE}/${second.slug}`).catch(() => {});
  assert.match(await p.locator('body').innerText(), /không có mạng/);
  await ctx.setOffline(false);
  await ctx.close();
});
