// Browser test of the plans flow: a coordinator uploads a plan, reviews what was read next to the source,
// corrects a field, confirms, and the unit finds the task in its inbox. Screenshots go to tests/out/
// (or docs/screenshots/ with DXDAY_DOCS_SCREENSHOTS=1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, ROOT, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

test('upload → review → correct → confirm → the unit\'s inbox', { skip, timeout: 60_000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(BASE + '/dang-nhap?next=/ke-hoach/nhap');
  await p.fill('#email', 'dieuphoi@dxday.vn');
  await p.fill('#password', 'dxday-demo-2026');
  await Promise.all([p.waitForURL('**/ke-hoach/nhap'), p.click('main button[type=submit]')]);
  await p.setInputFiles('input[name=file]', path.join(ROOT, 'tests/fixtures/http/ke-hoach-e2e.txt'));
  await Promise.all([p.waitForURL(/\/ke-hoach\/nhap\/\d+$/), p.click('main form button[type=submit]')]);
  assert.equal(await p.locator('fieldset.task').count(), 3);
  assert.equal(await p.inputValue('input[name=number]'), '78/KH-BTTTT');
  assert.equal(await p.inputValue('input[name=t0_due]'), '15/08/2024');
  assert.match(await p.locator('.source pre').innerText(), /Xây dựng bộ nhận diện/);
  await p.fill('input[name=t0_deliverable]', 'Bộ nhận diện đã được sửa khi kiểm tra');
  await p.screenshot({ path: path.join(SHOTS, 'plan-review.png'), fullPage: false });
  await Promise.all([p.waitForURL(/\/ke-hoach\/\d+$/), p.click('button:has-text("Lưu kế hoạch")')]);
  const body = await p.locator('main').innerText();
  assert.match(body, /78\/KH-BTTTT/);
  assert.match(body, /Bộ nhận diện đã được sửa khi kiểm tra/);
  assert.match(body, /Quá hạn/);
  await p.screenshot({ path: path.join(SHOTS, 'plan.png'), fullPage: true });
  await p.goto(BASE + '/don-vi/cuc-bc/nhiem-vu?role=lead');
  assert.match(await p.locator('h1').innerText(), /Nhiệm vụ của đơn vị: Cục Báo chí/);
  assert.ok(await p.locator('table.tasks tbody tr', { hasText: 'Tổ chức đợt truyền thông thử nghiệm' }).count() >= 1);
  await p.screenshot({ path: path.join(SHOTS, 'inbox.png'), fullPage: true });
  await ctx.close();
});
