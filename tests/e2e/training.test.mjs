// Browser test of trainings for officials (issue 18): the Nghệ An officer opens a class, nominates an official, confirms
// the nomination, takes attendance on a phone (tick boxes at 390 px), issues the certificate, and anyone verifies it
// at /chung-chi/{code}. Screenshots at 390 and 1280 px go to tests/out/ (or docs/screenshots/ with
// DXDAY_DOCS_SCREENSHOTS=1). Runs on the suite's server (DXDAY_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

const today = new Date(Date.now() + 7 * 3600e3);
const vn = (days) => new Date(today.getTime() + days * 86400e3).toISOString().slice(0, 10).split('-').reverse().join('/');

async function signIn(viewport, email, password, next) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(`${BASE}/dang-nhap?next=${encodeURIComponent(next)}`);
  await p.fill('#email', email);
  await p.fill('#password', password);
  await Promise.all([p.waitForURL(`**${next}`), p.click('main button[type=submit]')]);
  return p;
}

const noSideways = async (p, what) =>
  assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${what}: no sideways scroll`);

test('from a nomination to attendance on a phone to a certificate verified at /chung-chi/{code}', { skip, timeout: 120_000 }, async () => {
  const desk = await signIn({ width: 1280, height: 900 }, 'nghean@dxday.vn', 'dxday-demo-2026', '/tap-huan/moi');
  const title = `Lớp trình duyệt ${process.pid}-${Date.now().toString(36)}`;
  await desk.fill('#t-title', title);
  await desk.selectOption('#t-org', 'nghe-an');
  await desk.fill('#t-from', vn(-1));
  await desk.fill('#t-to', vn(2));
  await desk.fill('#t-sessions', `${vn(-1)} 08:00 Tổng quan chuyển đổi số\n${vn(2)} 08:00 Thực hành dịch vụ công`);
  await desk.fill('#t-min', '1');
  await desk.fill('#t-place', 'Hội trường UBND tỉnh Nghệ An');
  await desk.fill('#t-cap', '20');
  await Promise.all([desk.waitForURL(/\/tap-huan\/\d+\/quan-ly$/), desk.click('form.training-form button[type=submit]')]);
  const id = desk.url().match(/\/tap-huan\/(\d+)\//)[1];

  // A nomination from the class's page.
  await desk.goto(`${BASE}/tap-huan/${id}`);
  await desk.click('text=Đề cử cán bộ tham gia');
  await desk.fill('#n-org', 'nghe-an');
  await desk.fill('#n-name', 'Phan Thị Thu Trang');
  await Promise.all([desk.waitForURL(new RegExp(`/tap-huan/${id}#de-cu$`)), desk.click('#de-cu form.form button[type=submit] >> nth=0')]);
  assert.match(await desk.locator('.training-nominees').innerText(), /Phan Thị Thu Trang[\s\S]*Đã đề cử/);
  await desk.screenshot({ path: path.join(SHOTS, 'training-show-desktop.png'), fullPage: true });

  // The organiser confirms it.
  await desk.goto(`${BASE}/tap-huan/${id}/quan-ly`);
  await Promise.all([desk.waitForURL(/quan-ly#hoc-vien$/), desk.click('.nominee-card button:has-text("Xác nhận")')]);
  assert.match(await desk.locator('.nominee-card').first().innerText(), /Đã xác nhận/);
  // The future session offers no attendance yet.
  assert.match(await desk.locator('.session-card').nth(1).innerText(), /Chưa diễn ra/);

  // Attendance on a phone.
  const phone = await signIn({ width: 390, height: 844 }, 'nghean@dxday.vn', 'dxday-demo-2026', `/tap-huan/${id}/quan-ly`);
  await noSideways(phone, 'the organiser page at 390 px');
  await phone.screenshot({ path: path.join(SHOTS, 'training-manage-phone.png'), fullPage: true });
  await Promise.all([phone.waitForURL(/\/buoi\/\d+$/), phone.click('.session-card a:has-text("Điểm danh")')]);
  const box = phone.locator('.tick input[type=checkbox]').first();
  const size = await box.boundingBox();
  assert.ok(size.width >= 24 && size.height >= 24, 'a box a thumb can hit');
  await phone.locator('.tick').first().click();
  assert.equal(await box.isChecked(), true, 'the whole row ticks the box');
  await noSideways(phone, 'the attendance page at 390 px');
  await phone.screenshot({ path: path.join(SHOTS, 'training-attendance-phone.png'), fullPage: true });
  await Promise.all([phone.waitForURL(/da-luu=1/), phone.click('.attendance-save')]);
  assert.equal(await phone.locator('.tick input[type=checkbox]').first().isChecked(), true, 'saved');

  // The certificate, then its public verification.
  await desk.goto(`${BASE}/tap-huan/${id}/quan-ly`);
  await Promise.all([desk.waitForURL(/#chung-chi$/), desk.click('#chung-chi button[type=submit]')]);
  const link = desk.locator('.nominee-card a[href^="/chung-chi/"]').first();
  const href = await link.getAttribute('href');
  assert.match(href, /^\/chung-chi\/[A-Z2-7]{26}$/);
  await desk.screenshot({ path: path.join(SHOTS, 'training-manage-desktop.png'), fullPage: true });
  const pub = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' })).newPage();
  await pub.goto(`${BASE}${href}`);
  const text = await pub.locator('main').innerText();
  assert.match(text, /Chứng chỉ hợp lệ/);
  assert.match(text, /Phan Thị Thu Trang/);
  assert.match(text, new RegExp(`đã hoàn thành lớp tập huấn ${title}`));
  await noSideways(pub, 'the verification page at 390 px');
  await pub.screenshot({ path: path.join(SHOTS, 'training-certificate-phone.png'), fullPage: true });

  // The list, at both widths.
  await pub.goto(`${BASE}/tap-huan`);
  await noSideways(pub, 'the list at 390 px');
  await pub.screenshot({ path: path.join(SHOTS, 'training-list-phone.png'), fullPage: true });
  await desk.goto(`${BASE}/tap-huan`);
  await desk.screenshot({ path: path.join(SHOTS, 'training-list-desktop.png'), fullPage: false });
});
