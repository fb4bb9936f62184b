// Browser test of an officer's day on a 390 px phone (issue 15): what my unit owes → fill a report → send it late →
// see "muộn"; the task inbox → update a shared task (refused when done at 50 %, then saved and said so); and nothing
// scrolls sideways on /bao-cao, the inbox, the completeness drill-down and the report form. At 1280 px the tables stay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function signIn(viewport, next) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(`${BASE}/dang-nhap?next=${encodeURIComponent(next)}`);
  await p.fill('#email', 'nghean@dxday.vn');
  await p.fill('#password', 'dxday-demo-2026');
  await Promise.all([p.waitForURL(`**${next}`), p.click('main button[type=submit]')]);
  return p;
}
const sideways = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
async function noSideways(p, what) {
  assert.equal(await sideways(p), 0, `${what} scrolls sideways (${await p.evaluate(() => document.documentElement.scrollWidth)} px)`);
}

test('an officer\'s day on a phone: owes, sends late, sees "muộn"; updates a shared task', { skip, timeout: 120_000 }, async () => {
  const p = await signIn({ width: 390, height: 844 }, '/bao-cao');
  await noSideways(p, '/bao-cao');
  // Each thing owed is a card: the form's title first, the unit, the deadline, the status, one button.
  const late = p.locator('table.owed tr', { hasText: 'Báo cáo kết quả hưởng ứng' }).filter({ hasText: 'quá hạn' }).last();
  const title = late.locator('.card-title');
  const button = late.locator('a.button');
  assert.equal(await button.isVisible(), true, 'the action shows without scrolling sideways');
  const tb = await title.boundingBox(), bb = await button.boundingBox();
  assert.ok(tb.width > 250, `the title has the card's width (${tb.width} px), not a word a line`);
  assert.ok(bb.x + bb.width <= 390 && bb.height >= 44, `button ${JSON.stringify(bb)}`);
  assert.equal(await p.locator('table.owed thead').isVisible(), false, 'no table header on a phone');
  const unit = (await late.locator('td[data-label="Đơn vị"]').innerText()).replace(/^Đơn vị:\s*/, '');

  await Promise.all([p.waitForURL(/\/bao-cao\/\d+\/don-vi\/\d+/), button.click()]);
  await noSideways(p, 'the report form');
  assert.match(await p.locator('.late-note').first().innerText(), /Quá hạn \d+ ngày/);
  await p.fill('#f-so_hoat_dong', '7');
  await p.fill('#f-luot_tham_gia', '1.250');
  await p.fill('#f-so_lop_tap_huan', '2');
  await p.fill('#f-so_hoc_vien', '60');
  await p.selectOption('#f-co_le_phat_dong', '1');
  await p.selectOption('#f-muc_do', { label: 'Hoàn thành tốt' });
  await Promise.all([p.waitForURL(/sent=1/), p.click('button[value=submit]')]);
  assert.match(await p.locator('main .ok').innerText(), /Đã gửi muộn \d+ ngày/);
  await p.goto(BASE + '/bao-cao');
  const sent = p.locator('table.owed tr', { hasText: 'Báo cáo kết quả hưởng ứng' }).filter({ hasText: unit }).first();
  assert.match(await sent.innerText(), /Đã gửi \(muộn\)/, 'the list says the report came late');

  // The completeness drill-down: at the nation and at the province, each child a card.
  const progress = await p.locator('a', { hasText: 'Tiến độ nộp' }).first().getAttribute('href');
  for (const url of [progress, `${progress}?org=nghe-an`]) {
    await p.goto(BASE + url);
    await noSideways(p, url);
    assert.equal(await p.locator('table.progress thead').isVisible(), false);
  }

  // The inbox: cards, and each task numbered with its own plan (no "1, 2, 2, 4" from different plans).
  await p.goto(BASE + '/don-vi/nghe-an/nhiem-vu');
  await noSideways(p, 'the inbox');
  const refs = await p.locator('table.tasks td.ref').allInnerTexts();
  assert.ok(refs.length >= 4, refs.join(' | '));
  for (const r of refs) assert.match(r, /^Mục \S+.*KH \S+/s, `"${r}" names its plan`);
  const shared = p.locator('table.tasks tr', { hasText: 'Tổ chức đợt cao điểm hướng dẫn người dân sử dụng dịch vụ công' }).first();
  assert.match(await shared.innerText(), /\d\/2 đơn vị chủ trì đã hoàn thành/);
  const box = await shared.boundingBox();
  assert.ok(box.height < 600, `a task card is ${box.height} px tall`);
  await p.screenshot({ path: path.join(SHOTS, 'inbox-phone.png') });

  await Promise.all([p.waitForURL(/\/nhiem-vu\/\d+$/), shared.locator('a.button').click()]);
  await noSideways(p, 'the task page');
  const form = p.locator('form[action$="/cap-nhat"]');
  await form.locator('select[name=org]').selectOption({ label: 'UBND tỉnh Nghệ An' });
  await form.locator('select[name=status]').selectOption('in_progress');
  await form.locator('input[name=progress]').fill('40');
  await Promise.all([p.waitForURL(/da-luu=/), form.locator('button[type=submit]').click()]);
  assert.match(await p.locator('#cap-nhat [role=status]').innerText(), /Đã lưu cập nhật của UBND tỉnh Nghệ An: Đang thực hiện, 40%/);
  // Done at 50 % is asked again, not silently made 100 %.
  await form.locator('select[name=status]').selectOption('done');
  await form.locator('input[name=progress]').fill('50');
  await form.locator('button[type=submit]').click();
  await p.waitForLoadState();
  assert.match(await p.locator('#cap-nhat .alert').innerText(), /Đã hoàn thành thì tiến độ phải là 100%/);
  await form.locator('input[name=progress]').fill('100');
  await Promise.all([p.waitForURL(/da-luu=/), form.locator('button[type=submit]').click()]);
  const main = await p.locator('main').innerText();
  assert.match(main, /Đã lưu cập nhật của UBND tỉnh Nghệ An: Đã hoàn thành, 100%/);
  assert.match(main, /1\/2 đơn vị chủ trì đã hoàn thành/, 'Hà Tĩnh has not finished: the task is not done');
  assert.doesNotMatch(await p.locator('.pill').first().innerText(), /Hoàn thành/);
  await p.context().close();

  // A desktop keeps its tables.
  const wide = await signIn({ width: 1280, height: 900 }, '/don-vi/nghe-an/nhiem-vu');
  assert.equal(await wide.locator('table.tasks thead').isVisible(), true);
  assert.equal(await wide.locator('table.tasks .card-action').first().isVisible(), false);
  await noSideways(wide, 'the inbox at 1280 px');
  await wide.context().close();
});
