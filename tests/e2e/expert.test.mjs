// Browser test of the expert network (issue 18): Nghệ An's officer asks for an expert on a phone, the centre proposes
// the demo expert, the expert (chuyengia@dxday.vn) accepts on a phone and records what was done, and the activity shows
// on the expert's public page; the directory searched without diacritics. Screenshots at 390 and 1280 px:
// expert-directory(-phone).png, expert-request-phone.png, expert-page-phone.png, expert-report(-phone).png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function signedIn(email, password, width) {
  const ctx = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 }, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(BASE + '/dang-nhap');
  await p.locator('#email').fill(email);
  await p.locator('#password').fill(password);
  await Promise.all([p.waitForURL((u) => u.pathname !== '/dang-nhap'), p.locator('main form button[type=submit]').click()]);
  return { ctx, p };
}

const noSideways = async (p) => assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
  'no sideways scroll');

test('from a unit\'s request to the expert\'s acceptance to an activity on the expert\'s page', { skip, timeout: 90_000 }, async () => {
  const topic = `Góp ý kế hoạch chuyển đổi số ${Date.now()}`;
  const vn = (iso) => iso.split('-').reverse().join('/');   // dd/mm/yyyy, as people type it
  const start = vn(new Date(Date.now() + 7 * 3600e3 + 5 * 86400e3).toISOString().slice(0, 10));
  // The officer of Nghệ An asks, on a phone.
  const unit = await signedIn('nghean@dxday.vn', 'dxday-demo-2026', 390);
  await unit.p.goto(BASE + '/chuyen-gia/yeu-cau');
  await unit.p.fill('#r-org', 'nghe-an');
  await unit.p.fill('#r-topic', topic);
  await unit.p.selectOption('#r-field', 'digital_gov');
  await unit.p.fill('#r-start', start);
  await unit.p.fill('#r-end', start);
  await unit.p.selectOption('#r-mode', 'in_person');
  await unit.p.fill('#r-place', 'Hội trường UBND tỉnh Nghệ An');
  await Promise.all([unit.p.waitForURL(/\/chuyen-gia\/yeu-cau\/\d+$/), unit.p.click('.expert-request-form button[type=submit]')]);
  const reqUrl = unit.p.url();
  assert.match(await unit.p.locator('main').innerText(), /Chờ ghép chuyên gia/);
  await noSideways(unit.p);
  // The centre proposes the demo expert.
  const centre = await signedIn('dieuphoi@dxday.vn', 'dxday-demo-2026', 1280);
  await centre.p.goto(reqUrl);
  const box = centre.p.locator('main label.check', { hasText: 'Phạm Minh Khoa' }).locator('input');
  await box.check();
  await Promise.all([centre.p.waitForURL(reqUrl), centre.p.click('main form[action$="/ghep"] button[type=submit]')]);
  assert.match(await centre.p.locator('main').innerText(), /Phạm Minh Khoa\s*Chờ trả lời/);
  // The expert accepts and records the activity, on a phone.
  const expert = await signedIn('chuyengia@dxday.vn', 'dxday-demo-2026', 390);
  await expert.p.goto(BASE + '/chuyen-gia/ho-so');
  await expert.p.locator('main a', { hasText: topic }).click();
  await Promise.all([expert.p.waitForURL(reqUrl), expert.p.click('button[value="accept"]')]);
  assert.match(await expert.p.locator('main').innerText(), /Đã nhận/);
  await expert.p.screenshot({ path: path.join(SHOTS, 'expert-request-phone.png'), fullPage: true });
  await noSideways(expert.p);
  const today = vn(new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10));
  const result = `Góp ý 9 điểm cho dự thảo kế hoạch ${Date.now()}`;
  await expert.p.selectOption('#a-kind', 'plan_review');
  await expert.p.fill('#a-date', today);
  await expert.p.fill('#a-n', '42');
  await expert.p.fill('#a-res', result);
  await Promise.all([expert.p.waitForURL(/\/chuyen-gia\/\d+$/), expert.p.click('main form[action="/chuyen-gia/hoat-dong"] button[type=submit]')]);
  const page = await expert.p.locator('main').innerText();
  assert.match(page, /Phạm Minh Khoa/);
  assert.ok(page.includes(result), 'the activity is on the expert\'s page');
  assert.match(page, /Góp ý kế hoạch của đơn vị/);
  assert.match(page, /42 người tham dự/);
  await expert.p.screenshot({ path: path.join(SHOTS, 'expert-page-phone.png'), fullPage: true });
  await noSideways(expert.p);
  // The unit sees its request done.
  await unit.p.goto(reqUrl);
  assert.match(await unit.p.locator('main').innerText(), /Đã hoàn thành/);
  // The quarterly report, wide.
  await centre.p.goto(BASE + '/chuyen-gia/bao-cao');
  assert.match(await centre.p.locator('main').innerText(), /Mục tiêu 1.000 chuyên gia/);
  await centre.p.screenshot({ path: path.join(SHOTS, 'expert-report.png'), fullPage: false });
  await unit.p.goto(BASE + '/chuyen-gia/bao-cao');
  await noSideways(unit.p);
  await unit.p.screenshot({ path: path.join(SHOTS, 'expert-report-phone.png'), fullPage: false });
  for (const s of [unit, centre, expert]) await s.ctx.close();
});

test('the public directory: search without diacritics, on a phone and wide', { skip, timeout: 60_000 }, async () => {
  for (const width of [390, 1280]) {
    const ctx = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 }, locale: 'vi-VN' });
    const p = await ctx.newPage();
    await p.goto(BASE + '/chuyen-gia');
    await p.fill('#ex-q', 'pham minh khoa');
    await Promise.all([p.waitForNavigation(), p.click('.expert-filters button')]);
    const text = await p.locator('main').innerText();
    assert.match(text, /Phạm Minh Khoa/);
    assert.ok(!/chuyengia07@demo/.test(await p.content()), 'no private e-mail');
    await p.goto(BASE + '/chuyen-gia');
    if (width < 500) await noSideways(p);
    await p.screenshot({ path: path.join(SHOTS, width < 500 ? 'expert-directory-phone.png' : 'expert-directory.png'), fullPage: false });
    await ctx.close();
  }
});
