// Browser test of a plan with targets: an officer pastes a plan with a task table and a targets table, sees what each
// unit resolved to and the targets, is asked before saving with open points, saves, and reports a target's value on the
// plan page; on a phone nothing scrolls sideways. Screenshots: plan-targets-review-{390,1280}.png, plan-targets-{390,1280}.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { BASE, ROOT, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

const sideways = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('paste → review units and targets → asked → save → report a value, at 390 and 1280 px', { skip, timeout: 90_000 }, async () => {
  const number = `${Math.floor(Math.random() * 1e6)}/KH-UBND`;
  const text = readFileSync(path.join(ROOT, 'tests/fixtures/plans/tasks_and_targets.md'), 'utf8').replace('145/KH-UBND', number);
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(20_000);
  await p.goto(BASE + '/dang-nhap?next=/ke-hoach/nhap');
  await p.fill('#email', 'nghean@dxday.vn');
  await p.fill('#password', 'dxday-demo-2026');
  await Promise.all([p.waitForURL('**/ke-hoach/nhap'), p.click('main button[type=submit]')]);
  await p.fill('textarea[name=text]', text);
  await Promise.all([p.waitForURL(/\/ke-hoach\/nhap\/\d+$/), p.click('main form button[type=submit]')]);
  assert.match(await p.locator('main').innerText(), /Sở Nội vụ → Sở Nội vụ tỉnh Nghệ An/);
  assert.ok(await p.locator('.targets-review li').count() >= 41);
  assert.ok(await sideways(p) <= 1, 'the review does not scroll sideways on a phone');
  await p.locator('#chi-tieu').scrollIntoViewIfNeeded();
  await p.screenshot({ path: path.join(SHOTS, 'plan-targets-review-390.png') });
  await p.setViewportSize({ width: 1280, height: 900 });
  await p.locator('fieldset.task').first().scrollIntoViewIfNeeded();
  await p.screenshot({ path: path.join(SHOTS, 'plan-targets-review-1280.png') });
  await p.setViewportSize({ width: 390, height: 844 });
  // Saving with open points asks first; "Vẫn lưu kế hoạch" saves.
  await Promise.all([p.waitForLoadState('load'), p.click('main form button[type=submit]:not([name=confirm])')]);
  assert.match(await p.locator('.confirm-box').innerText(), /cần xem lại trước khi lưu/);
  await Promise.all([p.waitForURL(/\/ke-hoach\/\d+$/), p.click('button[name=confirm]')]);
  const t = p.locator('.target', { hasText: 'Tỷ lệ dịch vụ công trực tuyến toàn trình' });
  await t.locator('summary').click();
  await t.locator('input[name=value]').fill('72,5');
  await Promise.all([p.waitForURL(/#chi-tieu-\d+$/), t.locator('button').click()]);
  assert.match(await t.innerText(), /Kết quả 2026: 72,5/);
  assert.equal(await t.locator('progress').getAttribute('value'), '91');
  assert.ok(await sideways(p) <= 1, 'the plan page does not scroll sideways on a phone');
  await t.scrollIntoViewIfNeeded();
  await p.screenshot({ path: path.join(SHOTS, 'plan-targets-390.png') });
  await p.setViewportSize({ width: 1280, height: 900 });
  await p.locator('#chi-tieu').scrollIntoViewIfNeeded();
  await p.screenshot({ path: path.join(SHOTS, 'plan-targets-1280.png') });
  await ctx.close();
});
