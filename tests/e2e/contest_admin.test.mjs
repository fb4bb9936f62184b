// Browser test of organising contests: Nghệ An's officer creates an award contest on a phone (a mistake first: the form
// keeps what was typed and says the error beside its box), an enterprise enters it with a file and a juror downloads
// that file from the judging page; the officer then makes a knowledge contest with a round and a question. Screenshots
// at 390 and 1280 px go to tests/out/ (or docs/screenshots/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';
import { Client, ADMIN, uniq } from '../http/lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function signIn(viewport, email, next, password = 'dxday-demo-2026') {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', acceptDownloads: true });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(`${BASE}/dang-nhap?next=${encodeURIComponent(next)}`);
  await p.fill('#email', email);
  await p.fill('#password', password);
  await Promise.all([p.waitForURL(`**${next}`), p.click('main button[type=submit]')]);
  return p;
}

const noSideScroll = (p) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
const day = (d) => new Date(Date.now() + 7 * 3600e3 + d * 86400e3).toISOString().slice(0, 10);

async function fillContest(p, slug) {
  await p.fill('#c-title', `Giải thưởng Sáng kiến số Nghệ An ${slug.slice(-6)}`);
  await p.fill('#c-slug', slug);
  await p.fill('#c-rules', 'Hồ sơ nộp trực tuyến trước hạn. Ban giám khảo chấm theo thang 1–10.');
  await p.fill('#c-open', day(-1));
  await p.fill('#c-close', day(30));
  await p.fill('#c-results', day(60));
  await p.fill('#c-cats', 'doanh-nghiep | Doanh nghiệp số | doanh nghiệp\nco-quan | Cơ quan nhà nước | tổ chức');
  await p.fill('#c-fields', 'tom_tat | Tóm tắt sáng kiến | đoạn văn | bắt buộc\nthuyet_minh | Bản thuyết minh (PDF) | tệp');
  await p.fill('#c-crit', 'tac_dong | Tác động | 60\ndoi_moi | Đổi mới | nhiều');   // a mistake: the weight is not a number
  await p.fill('#c-rounds', 'Xét điều kiện | xét điều kiện\nChung khảo | chung khảo');
}

test('an officer creates a contest on a phone, an entry brings a file, a juror downloads it', { skip, timeout: 120_000 }, async () => {
  const slug = uniq('sang-kien-so').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const p = await signIn({ width: 390, height: 844 }, 'nghean@dxday.vn', '/cuoc-thi');
  await Promise.all([p.waitForURL('**/cuoc-thi/moi'), p.click('text=Tạo cuộc thi giải thưởng')]);
  await fillContest(p, slug);
  await p.screenshot({ path: path.join(SHOTS, 'contest-new-phone.png'), fullPage: true });
  await p.click('form.contest-edit button[type=submit]');
  await p.waitForSelector('.alert');
  const err = p.locator('.field.invalid', { has: p.locator('#c-crit') });
  assert.match(await err.locator('.err').innerText(), /Dòng 2: trọng số/);
  assert.equal(await p.inputValue('#c-cats'), 'doanh-nghiep | Doanh nghiệp số | doanh nghiệp\nco-quan | Cơ quan nhà nước | tổ chức', 'what was typed is kept');
  assert.equal(await noSideScroll(p), true, 'no sideways scroll on the form');
  await p.screenshot({ path: path.join(SHOTS, 'contest-new-error-phone.png'), fullPage: true });
  await p.fill('#c-crit', 'tac_dong | Tác động | 60\ndoi_moi | Đổi mới | 40');
  await Promise.all([p.waitForURL(`**/cuoc-thi/${slug}`), p.click('form.contest-edit button[type=submit]')]);
  assert.match(await p.locator('h1').innerText(), /Sáng kiến số Nghệ An/);
  assert.match(await p.locator('main').innerText(), /Doanh nghiệp số/);

  // An enterprise enters with a PDF; the officer makes a juror of a new account.
  const admin = new Client();
  await admin.login(...ADMIN);
  const juror = `${uniq('giam-khao-tep')}@dxday.vn`;
  assert.equal((await admin.post('/api/users', { json: { email: juror, name: 'Giám khảo Tệp', password: 'mat-khau-giam-khao-1' } })).status, 201);
  const officer = new Client();
  await officer.login('nghean@dxday.vn', 'dxday-demo-2026');
  assert.equal((await officer.post(`/api/contests/${slug}/jurors`, { json: { email: juror, category: 'doanh-nghiep' } })).status, 201);
  const ent = new Client();
  await ent.login('doanhnghiep@dxday.vn', 'dxday-demo-2026');
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category: 'doanh-nghiep', applicant_kind: 'enterprise', enterprise: 'Công ty Sáng Kiến', applicant_name: 'Công ty Sáng Kiến',
    title: 'Ví điện tử cho chợ quê', f_tom_tat: 'Thanh toán không tiền mặt ở chợ.', action: 'submit' })) fd.append(k, v);
  fd.append('f_thuyet_minh', new Blob([Buffer.from('%PDF-1.4\n% thuyet minh cho que\n%%EOF\n')]), 'thuyet-minh-cho-que.pdf');
  const e = await ent.post(`/api/contests/${slug}/entries`, { raw: fd });
  assert.equal(e.status, 201, e.text);
  for (const decision of ['eligible', 'advance'])
    assert.equal((await officer.post(`/api/contests/${slug}/entries/${e.data.id}/decision`, { json: { decision } })).status, 200);

  const j = await signIn({ width: 390, height: 844 }, juror, `/cuoc-thi/${slug}/cham-diem`, 'mat-khau-giam-khao-1');
  const card = j.locator('li.judge-card', { hasText: 'Ví điện tử cho chợ quê' });
  const [download] = await Promise.all([j.waitForEvent('download'), card.locator('.entry-files a').click()]);
  assert.equal(download.suggestedFilename(), 'thuyet-minh-cho-que.pdf');
  const file = await download.path();
  const { readFileSync } = await import('node:fs');
  assert.match(readFileSync(file, 'utf8'), /thuyet minh cho que/);
  assert.equal(await noSideScroll(j), true);
  await j.screenshot({ path: path.join(SHOTS, 'contest-judge-files-phone.png'), fullPage: true });

  // The same form on a desktop, for the organiser editing it.
  const wide = await signIn({ width: 1280, height: 900 }, 'nghean@dxday.vn', `/cuoc-thi/${slug}/sua`);
  assert.match(await wide.inputValue('#c-fields'), /tom_tat \| Tóm tắt sáng kiến \| đoạn văn \| bắt buộc/);
  await wide.screenshot({ path: path.join(SHOTS, 'contest-edit-desktop.png'), fullPage: true });
});

test('an officer makes a knowledge contest with a round and a question', { skip, timeout: 60_000 }, async () => {
  const slug = uniq('tim-hieu-e2e').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const p = await signIn({ width: 390, height: 844 }, 'nghean@dxday.vn', '/cuoc-thi');
  await Promise.all([p.waitForURL('**/cuoc-thi/tim-hieu/moi'), p.click('text=Tạo cuộc thi tìm hiểu')]);
  await p.fill('#q-title', 'Tìm hiểu chuyển đổi số cho thanh niên Nghệ An');
  await p.fill('#q-slug', slug);
  await p.fill('#q-open', day(0));
  await p.fill('#q-close', day(40));
  await Promise.all([p.waitForURL(`**/cuoc-thi/${slug}/vong/quan-ly`), p.click('form.contest-edit button[type=submit]')]);
  const at = (d) => new Date(Date.now() + 7 * 3600e3 + d * 86400e3).toISOString().slice(0, 16);
  await p.fill('#r-title', 'Vòng 1: Công dân số');
  await p.fill('#r-open', at(3));
  await p.fill('#r-close', at(10));
  await p.fill('#r-limit', '15');
  await p.fill('#r-prizes', 'Giải Nhất | 1\nGiải Nhì | 2\nGiải Khuyến khích | 10');
  await Promise.all([p.waitForURL(`**/cuoc-thi/${slug}/vong/1/sua`), p.click('form.quiz-admin button[type=submit]')]);
  await p.selectOption('#q-kind', 'single');
  await p.fill('#q-prompt', 'Ứng dụng định danh điện tử quốc gia là gì?');
  await p.fill('#q-options', 'VNeID\nZalo\nVssID');
  await p.fill('#q-answer', '1');
  await Promise.all([p.waitForNavigation(), p.click('button:has-text("Thêm câu hỏi")')]);
  assert.ok(p.url().endsWith(`/cuoc-thi/${slug}/vong/1/sua`), p.url());
  assert.match(await p.locator('.q-list').innerText(), /Ứng dụng định danh điện tử/);
  assert.equal(await noSideScroll(p), true);
  await p.screenshot({ path: path.join(SHOTS, 'quiz-contest-round-edit-phone.png'), fullPage: true });
  // One question edited: its form as stored, a wrong key first (kept as typed, the error beside it), then the save.
  await Promise.all([p.waitForURL(`**/cuoc-thi/${slug}/vong/1/cau-hoi/1/sua`), p.click('text=Sửa câu này')]);
  assert.equal(await p.inputValue('#q-prompt'), 'Ứng dụng định danh điện tử quốc gia là gì?');
  assert.equal(await p.inputValue('#q-answer'), '1');
  await p.fill('#q-prompt', 'Ứng dụng định danh điện tử quốc gia tên là gì?');
  await p.fill('#q-answer', '5');
  await Promise.all([p.waitForNavigation(), p.click('button:has-text("Lưu câu hỏi")')]);
  assert.equal(await p.inputValue('#q-prompt'), 'Ứng dụng định danh điện tử quốc gia tên là gì?');
  assert.match(await p.locator('.field.invalid .err').innerText(), /Đáp án/);
  assert.equal(await noSideScroll(p), true);
  await p.screenshot({ path: path.join(SHOTS, 'quiz-contest-question-edit-phone.png'), fullPage: true });
  await p.fill('#q-answer', '1');
  await Promise.all([p.waitForURL(`**/cuoc-thi/${slug}/vong/1/sua`), p.click('button:has-text("Lưu câu hỏi")')]);
  assert.match(await p.locator('.q-list').innerText(), /quốc gia tên là gì/);
  const wide = await signIn({ width: 1280, height: 900 }, 'nghean@dxday.vn', `/cuoc-thi/${slug}/vong/quan-ly`);
  await wide.screenshot({ path: path.join(SHOTS, 'quiz-contest-admin-desktop.png'), fullPage: true });
});
